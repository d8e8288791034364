//go:build !unix

package cache

// openFlags: opening a file does not block here.
const openFlags = 0
