package doctor

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/nl2en/nl2en/pipeline/cache"
)

// defaultCacheDir is where the cache goes when no folder is set.
func defaultCacheDir() (string, error) { return cache.DefaultDir() }

// folderResult checks that a folder can be written, or created and
// written; dir "" is def's folder.
func folderResult(c Check, dir string, def func() (string, error)) Result {
	r := Result{Check: c, Path: dir}
	if dir == "" && def != nil {
		d, err := def()
		if err != nil {
			r.Status, r.Problem, r.Detail, r.Err = Failed, NotWritable, err.Error(), err
			return r
		}
		r.Path = d
	}
	created, err := writable(r.Path)
	switch {
	case err != nil:
		r.Status, r.Problem, r.Detail, r.Err = Failed, NotWritable, err.Error(), err
	case created:
		r.Status, r.Detail = OK, r.Path+" (to be created)"
	default:
		r.Status, r.Detail = OK, r.Path+" is writable"
	}
	return r
}

// writable reports whether files can be written in dir, creating nothing
// but a test file it removes: a folder that does not exist yet is
// writable when the nearest folder above it that does is.
func writable(dir string) (toCreate bool, err error) {
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
	f, err := os.CreateTemp(p, ".nl2en-doctor-*")
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return false, fmt.Errorf("cannot write in %s: %w", p, err)
	}
	name := f.Name()
	f.Close()
	return toCreate, os.Remove(name)
}
