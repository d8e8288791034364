package doctor

import (
	"github.com/nl2en/nl2en/pipeline/cache"
	"github.com/nl2en/nl2en/pipeline/outputs"
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
// that stays: see outputs.Writable, which owns every write into an output
// folder, a test file included.
func writable(dir string) (toCreate bool, err error) {
	return outputs.Writable(dir)
}
