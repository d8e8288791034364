//go:build !unix

package walk

import (
	"io/fs"
	"path/filepath"
)

// fileID identifies a directory however it is reached.
type fileID struct {
	dev, ino uint64 // where there are inode numbers
	path     string
}

func idOf(p string, _ fs.FileInfo) (fileID, bool) {
	real, err := filepath.EvalSymlinks(p)
	if err != nil {
		return fileID{}, false
	}
	abs, err := filepath.Abs(real)
	if err != nil {
		return fileID{}, false
	}
	return fileID{path: abs}, true
}
