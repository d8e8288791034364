//go:build unix

package main

import (
	"os"
	"syscall"
)

// maxRSSKB is the peak resident memory of a process that ended, in
// kilobytes as Linux reports it.
func maxRSSKB(ps *os.ProcessState) int64 {
	if ru, ok := ps.SysUsage().(*syscall.Rusage); ok {
		return int64(ru.Maxrss)
	}
	return 0
}
