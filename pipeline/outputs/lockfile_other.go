//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly || windows)

package outputs

import (
	"errors"
	"io/fs"
	"os"
)

var errNoLocks = errors.New("run locks are not supported on this system")

func openLockFile(string) (*os.File, error) { return nil, errNoLocks }
func tryLock(*os.File) (bool, error)        { return false, errNoLocks }
func unlock(*os.File) error                 { return errNoLocks }
func links(fs.FileInfo) uint64              { return 1 }
