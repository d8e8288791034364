//go:build unix

package cache

import "syscall"

// openFlags open an entry without blocking: opening a named pipe planted
// where an entry belongs would otherwise wait for a writer for ever.
const openFlags = syscall.O_NONBLOCK
