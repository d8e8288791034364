//go:build windows

package outputs

import (
	"errors"
	"io/fs"
	"os"

	"golang.org/x/sys/windows"
)

// openLockFile opens (making it when needed) the lock file at path,
// refusing a symbolic link or any other reparse point (a junction, a
// mount point): Windows has no O_NOFOLLOW, so the file is looked at before
// and after it is opened, and the file opened must be the one looked at.
func openLockFile(path string) (*os.File, error) {
	isLink := func(info fs.FileInfo) bool { return info.Mode()&(fs.ModeSymlink|fs.ModeIrregular) != 0 }
	if before, err := os.Lstat(path); err == nil && isLink(before) {
		return nil, ErrLockLink
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, unwrapPath(err)
	}
	after, err := os.Lstat(path)
	if err != nil || isLink(after) {
		f.Close()
		return nil, ErrLockLink
	}
	if opened, err := f.Stat(); err != nil || !os.SameFile(opened, after) {
		f.Close()
		return nil, ErrLockLink
	}
	if err := checkLockFile(f); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// lockRange is the byte LockFileEx locks: far past the holder's details,
// which Windows would otherwise keep other processes from reading.
func lockRange() *windows.Overlapped {
	return &windows.Overlapped{Offset: 0xfffffffe, OffsetHigh: 0x7fffffff}
}

// tryLock takes the lock without waiting; false when another process
// holds it.
func tryLock(f *os.File) (bool, error) {
	err := windows.LockFileEx(windows.Handle(f.Fd()), windows.LOCKFILE_EXCLUSIVE_LOCK|windows.LOCKFILE_FAIL_IMMEDIATELY, 0, 1, 0, lockRange())
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, windows.ERROR_LOCK_VIOLATION), errors.Is(err, windows.ERROR_IO_PENDING):
		return false, nil
	}
	return false, err
}

func unlock(f *os.File) error {
	return windows.UnlockFileEx(windows.Handle(f.Fd()), 0, 1, 0, lockRange())
}

// links is how many names the file has; Windows' file information does
// not say, and hard links to files one cannot write need the right to
// write them.
func links(fs.FileInfo) uint64 { return 1 }
