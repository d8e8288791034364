//go:build unix

package walk

import (
	"io/fs"
	"syscall"
)

// fileID identifies a directory however it is reached.
type fileID struct {
	dev, ino uint64
}

func idOf(_ string, info fs.FileInfo) (fileID, bool) {
	st, ok := info.Sys().(*syscall.Stat_t)
	if !ok {
		return fileID{}, false
	}
	return fileID{dev: uint64(st.Dev), ino: uint64(st.Ino)}, true
}
