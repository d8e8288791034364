package walk

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/bmatcuk/doublestar/v4"
)

// DefaultInclude returns the patterns used when Options.Include is empty:
// plain text, Markdown and HTML, at any depth, whatever the case of the
// extension.
func DefaultInclude() []string {
	return []string{"**/*.txt", "**/*.md", "**/*.html", "**/*.htm"}
}

// Input is one file to translate.
type Input struct {
	// Path is the file to open.
	Path string
	// Root is the directory Rel is relative to: the root given to Walk, or
	// for a file given as a root, its directory.
	Root string
	// Rel is Path relative to Root, with forward slashes, such as
	// "2024/03/a.txt"; for a file given as a root, its base name.
	Rel string
}

// Options says which files under a root are inputs.
type Options struct {
	// Include and Exclude are doublestar patterns ("**" matches any number
	// of directories, "{a,b}" either): a file is an input when it matches
	// an Include pattern and no Exclude pattern. A pattern with a slash is
	// matched against the path relative to the root ("2024/**/*.txt"); one
	// without, against the file's name at any depth ("*.draft.md"), as in
	// .gitignore. An Exclude pattern that matches a directory leaves out
	// everything below it. An empty Include means [DefaultInclude], matched
	// without regard to case.
	Include, Exclude []string
	// Out is the output directory, left out of the walk when it lies inside
	// a root; "" when outputs go beside their inputs.
	Out string
	// Skip, when set, leaves out the files under a root for whose path it
	// reports true: the files nl2en writes, which the output folder's
	// store recognises (outputs.Store.Owns), so that a folder holding its
	// own outputs is not translated again.
	Skip func(path string) bool
	// FollowSymlinks follows symbolic links met in a walk: into
	// directories, each directory once, and to files. Without it links
	// are left alone, to files as to directories, so that a link cannot
	// lead the walk out of a tree unasked. A root is followed when it is
	// a link.
	FollowSymlinks bool
}

// Validate reports the first malformed pattern.
func (o Options) Validate() error {
	for _, set := range []struct {
		name     string
		patterns []string
	}{{"include", o.Include}, {"exclude", o.Exclude}} {
		for _, p := range set.patterns {
			if p == "" || !doublestar.ValidatePattern(p) {
				return fmt.Errorf("%s pattern %q: %w", set.name, p, doublestar.ErrBadPattern)
			}
		}
	}
	return nil
}

// errNotRegular is reported for a FIFO, socket or device that looks like
// an input: opening a FIFO would block the run.
var errNotRegular = errors.New("not a regular file")

// Walk calls fn for each input under roots, root by root in the order
// given, and within a root in lexical order of the paths. It stops at the
// first error fn returns, and returns it, or when ctx is done.
//
// What cannot be read is passed to onError with its path, and the walk
// goes on. With a nil onError, Walk returns those errors joined once it has
// finished.
func Walk(ctx context.Context, roots []string, o Options, fn func(Input) error, onError func(path string, err error)) error {
	if err := o.Validate(); err != nil {
		return err
	}
	w := &walker{
		ctx:     ctx,
		o:       o,
		fn:      fn,
		onError: onError,
		include: matcher{patterns: o.Include},
		exclude: matcher{patterns: o.Exclude},
	}
	if len(o.Include) == 0 {
		w.include = matcher{patterns: DefaultInclude(), fold: true}
	}
	if o.FollowSymlinks {
		w.seen = map[fileID]bool{}
	}
	if o.Out != "" {
		w.outInfo, _ = os.Stat(o.Out) // it may not exist yet
		w.outAbs, _ = filepath.Abs(o.Out)
	}
	if w.o.Skip == nil {
		w.o.Skip = func(string) bool { return false }
	}
	for _, root := range roots {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := w.root(root); err != nil {
			return err
		}
	}
	if onError == nil {
		return errors.Join(w.errs...)
	}
	return nil
}

type walker struct {
	ctx     context.Context
	o       Options
	fn      func(Input) error
	onError func(string, error)
	errs    []error // when onError is nil

	include, exclude matcher
	outInfo          fs.FileInfo
	outAbs           string
	// seen holds the directories walked, when links are followed; it grows
	// with the number of directories, not of files.
	seen map[fileID]bool
}

func (w *walker) report(path string, err error) {
	if w.onError != nil {
		w.onError(path, err)
		return
	}
	w.errs = append(w.errs, err)
}

func (w *walker) root(root string) error {
	root = filepath.Clean(root)
	info, err := os.Stat(root)
	if err != nil {
		w.report(root, err)
		return nil
	}
	switch {
	case info.Mode().IsRegular():
		return w.fn(Input{Path: root, Root: filepath.Dir(root), Rel: filepath.Base(root)})
	case info.IsDir():
		w.firstVisit(root, info)
		return w.dir(root, root, "")
	default:
		w.report(root, &fs.PathError{Op: "open", Path: root, Err: errNotRegular})
		return nil
	}
}

// dir walks the directory at dirPath, whose path relative to root is rel.
func (w *walker) dir(root, dirPath, rel string) error {
	ents, err := os.ReadDir(dirPath)
	if err != nil {
		// ReadDir returns what it read before the error: walk that.
		w.report(dirPath, err)
	}
	for _, e := range ents {
		if err := w.ctx.Err(); err != nil {
			return err
		}
		name := e.Name()
		if strings.HasPrefix(name, ".") {
			continue
		}
		p := filepath.Join(dirPath, name)
		r := name
		if rel != "" {
			r = rel + "/" + name
		}
		typ := e.Type()
		var info fs.FileInfo // of the target, for a link
		if typ&fs.ModeSymlink != 0 {
			if !w.o.FollowSymlinks {
				continue
			}
			info, err = os.Stat(p)
			if err != nil {
				if w.isInput(r) {
					w.report(p, err)
				}
				continue
			}
			typ = info.Mode().Type()
		}
		switch {
		case typ.IsDir():
			if w.exclude.match(r) {
				continue
			}
			if info == nil {
				if info, err = e.Info(); err != nil {
					w.report(p, err)
					continue
				}
			}
			if w.isOut(p, info) || !w.firstVisit(p, info) {
				continue
			}
			if err := w.dir(root, p, r); err != nil {
				return err
			}
		case typ.IsRegular():
			if !w.isInput(r) || w.o.Skip(p) {
				continue
			}
			if err := w.fn(Input{Path: p, Root: root, Rel: r}); err != nil {
				return err
			}
		default:
			if w.isInput(r) {
				w.report(p, &fs.PathError{Op: "open", Path: p, Err: errNotRegular})
			}
		}
	}
	return nil
}

// isInput reports whether a file at rel is one to translate by the
// patterns.
func (w *walker) isInput(rel string) bool {
	return w.include.match(rel) && !w.exclude.match(rel)
}

// isOut reports whether a directory is the output directory, which may
// have been created since the walk began.
func (w *walker) isOut(p string, info fs.FileInfo) bool {
	if w.outInfo != nil {
		return os.SameFile(info, w.outInfo)
	}
	if w.outAbs == "" {
		return false
	}
	abs, err := filepath.Abs(p)
	return err == nil && abs == w.outAbs
}

// firstVisit records a directory, and reports whether it is new. Without
// FollowSymlinks nothing is recorded: a tree without links has no loops.
func (w *walker) firstVisit(p string, info fs.FileInfo) bool {
	if w.seen == nil {
		return true
	}
	id, ok := idOf(p, info)
	if !ok {
		return true
	}
	if w.seen[id] {
		return false
	}
	w.seen[id] = true
	return true
}

type matcher struct {
	patterns []string
	fold     bool // match the lower-cased path
}

func (m matcher) match(rel string) bool {
	if m.fold {
		rel = strings.ToLower(rel)
	}
	base := path.Base(rel)
	for _, p := range m.patterns {
		name := rel
		if !strings.Contains(p, "/") {
			name = base
		}
		if doublestar.MatchUnvalidated(p, name) {
			return true
		}
	}
	return false
}
