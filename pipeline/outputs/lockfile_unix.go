//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package outputs

import (
	"errors"
	"io/fs"
	"os"
	"syscall"
)

// openLockFile opens (making it when needed) the lock file at path
// without following a symbolic link: O_NOFOLLOW refuses a link in the
// same step that opens, so no link made in between is followed either.
// O_NONBLOCK keeps a FIFO planted there from blocking the open; it is
// then refused as not a regular file.
func openLockFile(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|syscall.O_NOFOLLOW|syscall.O_NONBLOCK|syscall.O_CLOEXEC, 0o644)
	if err != nil {
		// Linux and macOS say ELOOP for a link; FreeBSD says EMLINK.
		if errors.Is(err, syscall.ELOOP) || errors.Is(err, syscall.EMLINK) {
			return nil, ErrLockLink
		}
		return nil, unwrapPath(err)
	}
	if err := checkLockFile(f); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// tryLock takes an flock(2) on f without waiting; false when another
// process holds one.
func tryLock(f *os.File) (bool, error) {
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		switch {
		case err == nil:
			return true, nil
		case errors.Is(err, syscall.EWOULDBLOCK):
			return false, nil
		case errors.Is(err, syscall.EINTR):
			continue
		}
		return false, err
	}
}

func unlock(f *os.File) error {
	return syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
}

// links is how many names the file has.
func links(info fs.FileInfo) uint64 {
	if st, ok := info.Sys().(*syscall.Stat_t); ok {
		return uint64(st.Nlink)
	}
	return 1
}
