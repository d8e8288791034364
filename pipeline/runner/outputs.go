package runner

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/nl2en/nl2en/pipeline/render"
)

// outputState is how the outputs of a source stand, worst first.
type outputState int

const (
	// outputsMissing: an output is missing, unreadable, or made from
	// other source bytes.
	outputsMissing outputState = iota
	// outputsIncomplete: made from these bytes, with segments left
	// untranslated.
	outputsIncomplete
	// outputsStale: made from these bytes, complete, under other settings
	// (another program version, model, prompt or glossary).
	outputsStale
	outputsCurrent
)

// redo reports whether an article whose outputs are in state st is to be
// translated. Stale outputs are kept unless asked: after an upgrade the
// archive would otherwise be paid for again, article by article.
func (r *Runner) redo(st outputState) bool {
	switch {
	case r.cfg.Force:
		return true
	case st == outputsStale:
		return r.cfg.RedoStale
	}
	return st < outputsStale
}

// IsDiskFull reports whether err is the output side refusing every
// further write: no space left, over quota, or a read-only file system.
func IsDiskFull(err error) bool {
	return errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT) || errors.Is(err, syscall.EROFS)
}

// outputFormat returns the format of an output file by its name, among
// those that carry a stamp (with which outputs are told from other
// files), and the name without the format's suffix; ok is false for a
// file not named as such an output.
func outputFormat(name string) (f render.Format, stem string, ok bool) {
	lower := strings.ToLower(name)
	for _, f := range render.Formats() {
		if f.HasStamp() && strings.HasSuffix(lower, f.Suffix) && len(name) > len(f.Suffix) {
			return f, name[:len(name)-len(f.Suffix)], true
		}
	}
	return render.Format{}, "", false
}

// tidy finds the outputs whose source is gone, once a run over folders
// has walked every input, and with Prune removes them (never in a dry
// run).
func (r *Runner) tidy(ctx context.Context, rep *Report, roots []string) {
	orphans := r.orphans(ctx, roots)
	for _, p := range orphans {
		if !r.cfg.Prune || r.cfg.DryRun {
			rep.Orphans = append(rep.Orphans, p)
			continue
		}
		if err := os.Remove(p); err != nil {
			r.cfg.Log.Warn("could not remove an output whose source is gone", "file", p, "error", err.Error())
			rep.Orphans = append(rep.Orphans, p)
			continue
		}
		r.cfg.Log.Info("removed an output whose source is gone", "file", p)
		rep.Pruned = append(rep.Pruned, p)
	}
}

// orphans lists the outputs whose source is gone: files under the run's
// output folder (or, without one, under its folder inputs) that carry
// nl2en's stamps, for which no file at the matching place in any input
// folder (of any extension, as a.txt and a.html both make a.en.md) could
// be the source. Only runs with a folder among their inputs look: a run
// over single files does not speak for a whole output folder.
func (r *Runner) orphans(ctx context.Context, roots []string) []string {
	var dirs, files []string
	for _, root := range roots {
		info, err := os.Stat(root)
		switch {
		case err != nil:
			// A root that cannot be read proves nothing gone below it.
			return nil
		case info.IsDir():
			dirs = append(dirs, filepath.Clean(root))
		default:
			files = append(files, filepath.Dir(root))
		}
	}
	if len(dirs) == 0 {
		return nil
	}
	areas := dirs
	if r.cfg.Out != "" {
		areas = []string{r.cfg.Out}
	}
	sources := sourceFinder{}
	var out []string
	for _, area := range areas {
		filepath.WalkDir(area, func(p string, d fs.DirEntry, err error) error {
			if err != nil || ctx.Err() != nil {
				return filepath.SkipDir
			}
			if p != area && strings.HasPrefix(d.Name(), ".") {
				if d.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
			if !d.Type().IsRegular() {
				return nil
			}
			format, stem, ok := outputFormat(d.Name())
			if !ok {
				return nil
			}
			rel, err := filepath.Rel(area, filepath.Join(filepath.Dir(p), stem))
			if err != nil {
				return nil
			}
			look := dirs
			if r.cfg.Out == "" {
				look = []string{area} // outputs beside their inputs
			} else if filepath.Dir(rel) == "." {
				look = append(append([]string(nil), dirs...), files...)
			}
			for _, root := range look {
				if sources.has(filepath.Join(root, rel)) {
					return nil
				}
			}
			if st, err := readStamp(format, p); err != nil || st.SHA256 == "" {
				return nil // not an output of nl2en's
			}
			out = append(out, p)
			return nil
		})
	}
	if ctx.Err() != nil {
		return nil
	}
	return out
}

// sourceFinder tells whether a source exists for an output, reading each
// folder once.
type sourceFinder map[string]folderStems

// folderStems are the names of a folder's files, with and without their
// extension; unreadable, when the folder could not be read, holds any.
type folderStems struct {
	stems      map[string]bool
	unreadable bool
}

// has reports whether a file other than an output exists at stem with
// any extension, or none.
func (s sourceFinder) has(stem string) bool {
	dir, base := filepath.Dir(stem), filepath.Base(stem)
	f, ok := s[dir]
	if !ok {
		f.stems = map[string]bool{}
		ents, err := os.ReadDir(dir)
		f.unreadable = err != nil && !errors.Is(err, fs.ErrNotExist)
		for _, e := range ents {
			if _, _, isOutput := outputFormat(e.Name()); isOutput || e.IsDir() {
				continue
			}
			f.stems[strings.TrimSuffix(e.Name(), path.Ext(e.Name()))] = true
			f.stems[e.Name()] = true
		}
		s[dir] = f
	}
	return f.unreadable || f.stems[base]
}

// OutError is an output folder that cannot be written.
type OutError struct {
	Dir string
	Err error
}

func (e *OutError) Error() string {
	return fmt.Sprintf("output folder %s cannot be written: %v", e.Dir, e.Err)
}

func (e *OutError) Unwrap() error { return e.Err }

// CheckOut makes sure outputs can be written into dir, creating it when
// needed, by writing and removing a file there: a run finds out before its
// first request, not after paying for every article it cannot write.
func CheckOut(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = fmt.Errorf("%s: %w", pe.Path, pe.Err)
		}
		return &OutError{Dir: dir, Err: err}
	}
	f, err := os.CreateTemp(dir, ".nl2en-check-*")
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return &OutError{Dir: dir, Err: err}
	}
	name := f.Name()
	_, err = f.Write([]byte("nl2en\n"))
	err = errors.Join(err, f.Close(), os.Remove(name))
	if err != nil {
		return &OutError{Dir: dir, Err: err}
	}
	return nil
}
