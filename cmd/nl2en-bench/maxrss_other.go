//go:build !unix

package main

import "os"

// maxRSSKB is 0 where the system does not report a process's peak
// memory the Unix way; the bench measures on Linux.
func maxRSSKB(*os.ProcessState) int64 { return 0 }
