package outputs

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
)

// writeIn writes data to name (slash-separated) under root, whole or not
// at all: into a temporary file .<base>.nl2en-tmp-<random> in the folder
// tmpDir under root ("" for name's own folder), synced, then renamed over
// name. A crash, a full disk or a kill leaves the old file or the new one,
// never a mix; the temporary file a kill leaves is removed by the next run
// under the lock. It works the same on Windows, where a rename replaces
// the file it lands on.
func writeIn(root *os.Root, name, tmpDir string, data []byte, perm fs.FileMode) error {
	if tmpDir == "" {
		tmpDir = path.Dir(name)
	}
	var f *os.File
	var tmp string
	for try := 0; ; try++ {
		var nonce [6]byte
		_, _ = rand.Read(nonce[:]) // never fails
		tmp = path.Join(tmpDir, "."+path.Base(name)+tmpMarker+hex.EncodeToString(nonce[:]))
		var err error
		f, err = root.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
		if err == nil {
			break
		}
		if !errors.Is(err, fs.ErrExist) || try == 10 {
			return err
		}
	}
	_, err := f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = root.Rename(tmp, name)
	}
	if err != nil {
		root.Remove(tmp)
		return err
	}
	return nil
}

// WriteFile writes data to the file name (slash-separated) in the folder
// dir, whole or not at all, as the store writes every output: a temporary
// file in the folder tmpDir under dir ("" for name's own folder), synced,
// then renamed over name; name cannot lead out of dir, through ".." or a
// symbolic link. dir and name's own folder must exist. It is for files
// outside an output folder, such as the segment cache's entries: under an
// output folder, only a [Store] writes.
func WriteFile(dir, name, tmpDir string, data []byte, perm fs.FileMode) error {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return err
	}
	defer root.Close()
	if err := writeIn(root, name, tmpDir, data, perm); err != nil {
		return fmt.Errorf("write %s: %w", filepath.Join(dir, filepath.FromSlash(name)), unwrapPath(err))
	}
	return nil
}

// unwrapPath drops the *fs.PathError around err, whose path is relative
// to a root and would name the file a second time, wrongly.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// Writable reports whether files can be written in dir, creating nothing
// that stays: a test file, named as this package names its temporary
// files, written and removed. A folder that does not exist yet is writable
// when the nearest folder above it that does is, and toCreate says so.
// nl2en doctor asks it of the output and cache folders.
func Writable(dir string) (toCreate bool, err error) {
	p := filepath.Clean(dir)
	for {
		fi, err := os.Stat(p)
		if err == nil {
			if !fi.IsDir() {
				return false, fmt.Errorf("%s is not a folder", p)
			}
			break
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return false, err
		}
		parent := filepath.Dir(p)
		if parent == p {
			return false, err
		}
		p, toCreate = parent, true
	}
	root, err := os.OpenRoot(p)
	if err != nil {
		return false, fmt.Errorf("cannot write in %s: %w", p, unwrapPath(err))
	}
	defer root.Close()
	if err := writeIn(root, checkFile, "", []byte("nl2en\n"), 0o644); err != nil {
		return false, fmt.Errorf("cannot write in %s: %w", p, unwrapPath(err))
	}
	return toCreate, unwrapPath(root.Remove(checkFile))
}
