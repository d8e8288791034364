package outputs

import (
	"bufio"
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/nl2en/nl2en/pipeline/render"
)

// Orphan is an output whose source is gone.
type Orphan struct {
	// Path is the output, as the run names it.
	Path string
	dir  string // the folder rel is under: the output folder, or a folder input
	rel  string
}

// Orphans lists the outputs whose source is gone: files under the output
// folder (or, without one, under the run's folder inputs) that carry
// nl2en's stamps, not of an article fetched from the web (their stamp
// names an address, or they lie in a feed's folder), for which no file at the matching place in any input
// folder (of any extension, as a.txt and a.html both make a.en.md) could
// be the source. Only a run with a folder among its inputs looks, and
// only once it has walked them all: a run over single files does not
// speak for a whole output folder. Reading a folder that fails counts as
// finding a source there, so that nothing is called an orphan on a
// guess.
func (s *Store) Orphans(ctx context.Context, roots []string) []Orphan {
	var dirs, files []string
	for _, root := range roots {
		info, err := os.Stat(root)
		switch {
		case err != nil:
			return nil // a root that cannot be read proves nothing gone below it
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
	if s.cfg.Out != "" {
		areas = []string{s.cfg.Out}
	}
	sources := sourceFinder{}
	var out []Orphan
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
			if d.IsDir() && p != area && isFeedFolder(p) {
				return filepath.SkipDir // a feed's articles come from the web
			}
			if !d.Type().IsRegular() {
				return nil
			}
			format, ok := formatOf(d.Name())
			if !ok {
				return nil
			}
			relDir, err := filepath.Rel(area, filepath.Dir(p))
			if err != nil {
				return nil
			}
			look := dirs
			if s.cfg.Out == "" {
				look = []string{area} // outputs beside their inputs
			} else if relDir == "." {
				look = append(append([]string(nil), dirs...), files...)
			}
			for _, root := range look {
				if sources.has(root, relDir, d.Name(), format) {
					return nil
				}
			}
			if st, ok := stamped(p, format); !ok || st.FromWeb() {
				return nil // not an output of nl2en's, or of an address
			}
			rel, _ := filepath.Rel(area, p)
			out = append(out, Orphan{Path: p, dir: area, rel: filepath.ToSlash(rel)})
			return nil
		})
	}
	if ctx.Err() != nil {
		return nil
	}
	return out
}

// stamped reads the stamp of format f of the file at p, and reports
// whether it carries one of nl2en's.
func stamped(p string, f render.Format) (render.Stamp, bool) {
	file, err := os.Open(p)
	if err != nil {
		return render.Stamp{}, false
	}
	defer file.Close()
	st, err := f.ReadStamp(bufio.NewReader(file))
	return st, err == nil && st.SHA256 != ""
}

// Remove removes an orphan (with --prune), within the folder it was found
// in.
func (s *Store) Remove(o Orphan) error {
	root, done, err := s.rootOf(o.dir, true)
	if err != nil {
		return err
	}
	defer done()
	if err := root.Remove(o.rel); err != nil {
		return unwrapPath(err)
	}
	s.removed.Add(1)
	if s.cfg.Out != "" && o.dir == s.cfg.Out {
		s.mu.Lock()
		s.pruned = append(s.pruned, o.rel)
		s.mu.Unlock()
	}
	return nil
}

// sourceFinder tells whether a source exists for an output, reading each
// folder once.
type sourceFinder map[string]folder

// folder is what a folder holds: its sub-folders and files by name;
// unreadable, when it could not be read, holds anything.
type folder struct {
	dirs, files []string
	unreadable  bool
}

func (s sourceFinder) read(dir string) folder {
	if f, ok := s[dir]; ok {
		return f
	}
	var f folder
	ents, err := os.ReadDir(dir)
	f.unreadable = err != nil && !errors.Is(err, fs.ErrNotExist)
	for _, e := range ents {
		isDir := e.IsDir()
		if e.Type()&fs.ModeSymlink != 0 {
			info, err := os.Stat(filepath.Join(dir, e.Name()))
			isDir = err == nil && info.IsDir()
		}
		if isDir {
			f.dirs = append(f.dirs, e.Name())
			continue
		}
		if _, isOutput := formatOf(e.Name()); !isOutput {
			f.files = append(f.files, e.Name())
		}
	}
	s[dir] = f
	return f
}

// has reports whether a file under root, in the folder at relDir as
// outputs name it (each folder made portable), would have the output
// called name in format f: a file of any extension whose output name it
// is, or a file named as the output without the format's suffix.
func (s sourceFinder) has(root, relDir, name string, f render.Format) bool {
	var parts []string
	if relDir != "." {
		parts = strings.Split(filepath.ToSlash(relDir), "/")
	}
	return s.hasIn(root, parts, name, f)
}

func (s sourceFinder) hasIn(dir string, parts []string, name string, f render.Format) bool {
	fo := s.read(dir)
	if fo.unreadable {
		return true
	}
	if len(parts) > 0 {
		for _, d := range fo.dirs {
			if portable(d) == parts[0] && s.hasIn(filepath.Join(dir, d), parts[1:], name, f) {
				return true
			}
		}
		return false
	}
	for _, file := range fo.files {
		if strings.EqualFold(outputName(file, f), name) || strings.EqualFold(portable(file+f.Suffix), name) {
			return true
		}
	}
	return false
}
