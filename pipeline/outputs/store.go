package outputs

import (
	"bufio"
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/nl2en/nl2en/pipeline/index"
	"github.com/nl2en/nl2en/pipeline/render"
	"github.com/nl2en/nl2en/pipeline/walk"
)

// Config says where a store's outputs go and how they are judged.
type Config struct {
	// Out is the output folder; "" puts each output beside its input.
	Out string
	// Formats are the outputs each article has, in order; none means
	// render.DefaultFormats.
	Formats []render.Format
	// Fingerprint identifies the settings that shape a translation;
	// outputs stamped with another are stale.
	Fingerprint string
	// DryRun makes a store that reads and never writes: nothing is
	// created, written or removed, not even the output folder.
	DryRun bool
	// Log hears of what the store tidies away; nil discards.
	Log *slog.Logger
}

// Store is the outputs of one run: it is the only writer of files under
// the output folder (see the package comment). It is safe for concurrent
// use.
type Store struct {
	cfg Config

	mu        sync.Mutex
	out       *os.Root          // Out, once opened
	claimed   map[string]string // output path → the input that writes it
	committed map[string]bool   // inputs whose outputs this run wrote
	pruned    []string          // orphans removed from the output folder, relative to it

	wrote, removed atomic.Int64
}

// ErrDryRun is returned by a dry run's store for anything that would
// write.
var ErrDryRun = errors.New("a dry run writes nothing")

// New returns the store of a run. It opens nothing: the output folder is
// made by [Store.Prepare] or the first write.
func New(cfg Config) *Store {
	if len(cfg.Formats) == 0 {
		cfg.Formats = render.DefaultFormats()
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	return &Store{cfg: cfg, claimed: map[string]string{}, committed: map[string]bool{}}
}

// Out is the output folder; "" when outputs go beside their inputs.
func (s *Store) Out() string { return s.cfg.Out }

// Close releases the output folder.
func (s *Store) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.out == nil {
		return nil
	}
	err := s.out.Close()
	s.out = nil
	return err
}

// Wrote and Removed count the files this run wrote and removed under the
// output folder (or beside its inputs): outputs, the index, pruned
// orphans and leftovers of killed runs, but not the run's own report,
// history, lock or batch state.
func (s *Store) Wrote() int   { return int(s.wrote.Load()) }
func (s *Store) Removed() int { return int(s.removed.Load()) }

// outRoot opens the output folder, making it first with create.
// Without create, a folder that does not exist yet gives fs.ErrNotExist.
func (s *Store) outRoot(create bool) (*os.Root, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.out != nil {
		return s.out, nil
	}
	if create {
		if s.cfg.DryRun {
			return nil, ErrDryRun
		}
		if err := os.MkdirAll(s.cfg.Out, 0o755); err != nil {
			return nil, &FolderError{Dir: s.cfg.Out, Err: unwrapPath(err)}
		}
	}
	root, err := os.OpenRoot(s.cfg.Out)
	if err != nil {
		return nil, err
	}
	s.out = root
	return root, nil
}

// rootOf opens the folder an article's (or an orphan's) files are
// relative to: the output folder, or the folder beside the inputs. The
// caller calls done when finished with it.
func (s *Store) rootOf(dir string, create bool) (root *os.Root, done func(), err error) {
	if s.cfg.Out != "" && dir == s.cfg.Out {
		root, err := s.outRoot(create)
		return root, func() {}, err
	}
	if create && s.cfg.DryRun {
		return nil, nil, ErrDryRun
	}
	root, err = os.OpenRoot(dir)
	if err != nil {
		return nil, nil, err
	}
	return root, func() { root.Close() }, nil
}

// FolderError is an output folder that cannot be written.
type FolderError struct {
	Dir string
	Err error
}

func (e *FolderError) Error() string {
	return fmt.Sprintf("output folder %s cannot be written: %v", e.Dir, e.Err)
}

func (e *FolderError) Unwrap() error { return e.Err }

// Prepare makes the output folder when it does not exist and makes sure
// files can be written into it, by writing and removing one: a run finds
// out before its first request, not after paying for every article it
// cannot write. A dry run's store makes and checks nothing.
func (s *Store) Prepare() error {
	if s.cfg.Out == "" || s.cfg.DryRun {
		return nil
	}
	root, err := s.outRoot(true)
	if err != nil {
		var fe *FolderError
		if errors.As(err, &fe) {
			return err
		}
		return &FolderError{Dir: s.cfg.Out, Err: unwrapPath(err)}
	}
	if err := writeIn(root, checkFile, "", []byte("nl2en\n"), 0o644); err != nil {
		return &FolderError{Dir: s.cfg.Out, Err: unwrapPath(err)}
	}
	if err := root.Remove(checkFile); err != nil {
		return &FolderError{Dir: s.cfg.Out, Err: unwrapPath(err)}
	}
	return nil
}

// IsDiskFull reports whether err is the output side refusing every
// further write: no space left, over quota, or a read-only file system.
func IsDiskFull(err error) bool {
	return errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT) || errors.Is(err, syscall.EROFS) || diskFull(err)
}

// Article is where the outputs of one input go.
type Article struct {
	Input walk.Input
	// Paths are the outputs, one per format of the store, in order; nil
	// for an article whose one output goes to stdout.
	Paths []string
	dir   string   // the folder rels are relative to
	rels  []string // slash-separated, under dir
}

// ToStdout reports whether the article's output goes to stdout: stdin
// read without an output folder.
func (a *Article) ToStdout() bool { return a.Paths == nil }

// Locate works out where the outputs of in go: its path under the
// output folder (its folders made portable, its extension replaced by each
// format's suffix), or beside it without one; "-" with no output folder
// goes to stdout, and an article fetched from the web (its Path an
// address, see [IsWeb]) into its Root, the current folder. A path that would land outside the output folder, by
// ".." or by a symbolic link already there, gives [ErrUnsafePath]: it is
// found before the article is translated and paid for.
func (s *Store) Locate(in walk.Input) (*Article, error) {
	a := &Article{Input: in}
	if in.Path == "-" && s.cfg.Out == "" {
		return a, nil
	}
	switch {
	case s.cfg.Out == "" && IsWeb(in.Path):
		// An article fetched from the web has no folder of its own: its
		// outputs go into its Root (the current folder), named by Rel.
		a.dir = cmp.Or(in.Root, ".")
		for _, f := range s.cfg.Formats {
			a.rels = append(a.rels, outputName(path.Base(in.Rel), f))
		}
	case s.cfg.Out == "":
		a.dir = filepath.Dir(in.Path)
		for _, f := range s.cfg.Formats {
			a.rels = append(a.rels, outputName(filepath.Base(in.Path), f))
		}
	default:
		rel, err := cleanRel(in.Rel)
		if err != nil {
			return nil, err
		}
		a.dir = s.cfg.Out
		for _, f := range s.cfg.Formats {
			a.rels = append(a.rels, outputRel(rel, f))
		}
	}
	for _, r := range a.rels {
		a.Paths = append(a.Paths, filepath.Join(a.dir, filepath.FromSlash(r)))
	}
	if err := s.checkInside(a); err != nil {
		return nil, err
	}
	return a, nil
}

// checkInside makes sure the folders of an article's outputs, where they
// exist, are folders inside its root.
func (s *Store) checkInside(a *Article) error {
	root, done, err := s.rootOf(a.dir, false)
	if errors.Is(err, fs.ErrNotExist) {
		return nil // nothing there yet, so nothing leads out
	}
	if err != nil {
		return err
	}
	defer done()
	for i, r := range a.rels {
		d := path.Dir(r)
		if d == "." {
			continue
		}
		info, err := root.Stat(d)
		switch {
		case errors.Is(err, fs.ErrNotExist):
		case errors.Is(err, fs.ErrPermission):
			return fmt.Errorf("output for %s: %s: %w", a.Input.Rel, filepath.Dir(a.Paths[i]), fs.ErrPermission)
		case err != nil:
			return fmt.Errorf("output for %s: %s: %w (%v)", a.Input.Rel, a.Paths[i], ErrUnsafePath, unwrapPath(err))
		case !info.IsDir():
			return fmt.Errorf("output for %s: %s is not a folder", a.Input.Rel, filepath.Dir(a.Paths[i]))
		}
	}
	return nil
}

// Claim records that the article's outputs are its own in this run, so
// that two inputs that come to the same output (a.txt and a.md, or two
// names made portable alike) fail instead of overwriting each other.
func (s *Store) Claim(a *Article) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, p := range a.Paths {
		if other, taken := s.claimed[p]; taken && other != a.Input.Path {
			return fmt.Errorf("%s: its output %s is also the output of %s: rename one of them", a.Input.Path, p, other)
		}
	}
	for _, p := range a.Paths {
		s.claimed[p] = a.Input.Path
	}
	return nil
}

// Commit writes an article's outputs, one per format in order, each
// whole or not at all (see [WriteFile]), and marks the article done in
// this run ([Store.Committed]). An article is done only once every one
// of its outputs is written.
func (s *Store) Commit(a *Article, data [][]byte) error {
	if a.ToStdout() {
		return errors.New("commit: the article's output goes to stdout")
	}
	if len(data) != len(a.rels) {
		return fmt.Errorf("commit %s: %d outputs for %d formats", a.Input.Path, len(data), len(a.rels))
	}
	root, done, err := s.rootOf(a.dir, true)
	if err != nil {
		return fmt.Errorf("write the outputs of %s: %w", a.Input.Path, err)
	}
	defer done()
	for i, r := range a.rels {
		if d := path.Dir(r); d != "." {
			if err := root.MkdirAll(d, 0o755); err != nil {
				return fmt.Errorf("create folder for %s: %w", a.Paths[i], unwrapPath(err))
			}
		}
		if err := writeIn(root, r, "", data[i], 0o644); err != nil {
			return fmt.Errorf("write %s: %w", a.Paths[i], unwrapPath(err))
		}
		s.wrote.Add(1)
	}
	s.mu.Lock()
	s.committed[a.Input.Path] = true
	s.mu.Unlock()
	return nil
}

// IsWeb reports whether an input's path is the address of an article
// fetched from the web (http or https) rather than a file.
func IsWeb(p string) bool {
	l := strings.ToLower(p)
	return strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://")
}

// Source is the source the article's outputs name in their stamp (a
// path, or an address), read from the first of them that exists and
// carries one; "" when none does. A run that names an article fetched
// from the web asks it, to tell a name another article's outputs hold
// from one its own earlier run wrote.
func (s *Store) Source(a *Article) string {
	if a.ToStdout() {
		return ""
	}
	root, done, err := s.rootOf(a.dir, false)
	if err != nil {
		return ""
	}
	defer done()
	for i, f := range s.cfg.Formats {
		if !f.HasStamp() {
			continue
		}
		if st, err := readStamp(root, a.rels[i], f); err == nil && st.Source != "" {
			return st.Source
		}
	}
	return ""
}

// Committed reports whether the outputs of the input at path were all
// written in this run.
func (s *Store) Committed(path string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.committed[path]
}

// State is how the outputs of a source stand, worst first.
type State int

const (
	// Missing: an output is missing, unreadable, or made from other
	// source bytes.
	Missing State = iota
	// Incomplete: made from these bytes, with segments left untranslated.
	Incomplete
	// Stale: made from these bytes, complete, under other settings
	// (another program version, model, server, prompt or glossary).
	Stale
	// Current: made from these bytes, complete, under these settings.
	Current
)

var stateNames = [...]string{"missing", "incomplete", "stale", "current"}

func (st State) String() string { return stateNames[st] }

// Status is how an article's outputs stand.
type Status struct {
	State State
	// Created is when the oldest of the outputs was made, by their
	// stamps; zero when one is missing.
	Created time.Time
}

// Status reads how the outputs of an article whose source bytes have the
// sha256 digest stand: the worst of them decides. This is the one answer
// to "is this article written, and is it up to date?" for every path
// that writes. An output without a stamp (a user's template) counts on
// the stamps beside it: with none, nothing is up to date.
func (s *Store) Status(a *Article, digest string) Status {
	if a.ToStdout() {
		return Status{}
	}
	root, done, err := s.rootOf(a.dir, false)
	if err != nil {
		return Status{}
	}
	defer done()
	st, stamped := Status{State: Current}, false
	for i, f := range s.cfg.Formats {
		if !f.HasStamp() {
			if _, err := root.Stat(a.rels[i]); err != nil {
				return Status{}
			}
			continue
		}
		stamp, err := readStamp(root, a.rels[i], f)
		switch {
		case err != nil || stamp.SHA256 == "" || stamp.SHA256 != digest:
			return Status{}
		case stamp.Untranslated > 0:
			st.State = min(st.State, Incomplete)
		case stamp.Fingerprint != s.cfg.Fingerprint || stamp.Older:
			// An output of an older schema version is read, and kept,
			// as one made under other settings: an upgrade never
			// re-pays an archive.
			st.State = min(st.State, Stale)
		}
		if !stamped || stamp.Created.Before(st.Created) {
			st.Created = stamp.Created
		}
		stamped = true
	}
	if !stamped {
		return Status{}
	}
	return st
}

// Redo reports whether an article whose outputs are in state st is to be
// translated: always with force; stale ones only with redoStale (after an
// upgrade the archive would otherwise be paid for again, article by
// article); missing and incomplete ones always.
func Redo(st State, force, redoStale bool) bool {
	switch {
	case force:
		return true
	case st == Stale:
		return redoStale
	}
	return st < Stale
}

// readStamp reads the stamp of the output at name under root, written in
// format f.
func readStamp(root *os.Root, name string, f render.Format) (render.Stamp, error) {
	file, err := root.Open(name)
	if err != nil {
		return render.Stamp{}, err
	}
	defer file.Close()
	return f.ReadStamp(bufio.NewReader(file))
}

// Existing lists the outputs of the article that exist, relative to the
// output folder and slash-separated, as the index names them.
func (s *Store) Existing(a *Article) []string {
	out := []string{}
	if a.ToStdout() {
		return out
	}
	root, done, err := s.rootOf(a.dir, false)
	if err != nil {
		return out
	}
	defer done()
	for _, r := range a.rels {
		if _, err := root.Stat(r); err == nil {
			out = append(out, r)
		}
	}
	return out
}

// IndexEntry is the folder index's entry for an article that was not
// translated in this run, from its outputs: its JSON output when the run
// writes one, or when the one on disk was made from the same source
// bytes; else the stamp of another output; else nothing but the source.
func (s *Store) IndexEntry(a *Article, digest string) index.Entry {
	if a.ToStdout() {
		return index.Entry{}
	}
	root, done, err := s.rootOf(a.dir, false)
	if err != nil {
		return index.Entry{}
	}
	defer done()
	jsonFormat, _ := render.Named(render.NameJSON)
	ours := slices.ContainsFunc(s.cfg.Formats, func(f render.Format) bool { return f.Name == render.NameJSON })
	name := outputName(filepath.Base(a.Input.Path), jsonFormat)
	if s.cfg.Out != "" {
		if rel, err := cleanRel(a.Input.Rel); err == nil {
			name = outputRel(rel, jsonFormat)
		}
	}
	if f, err := root.Open(name); err == nil {
		doc, err := render.ReadDocument(bufio.NewReader(f))
		f.Close()
		if err == nil && (ours || (digest != "" && doc.Source.SHA256 == digest)) {
			return index.FromDocument(doc)
		}
	}
	for i, f := range s.cfg.Formats {
		if !f.HasStamp() {
			continue
		}
		if st, err := readStamp(root, a.rels[i], f); err == nil {
			return index.FromStamp(st)
		}
	}
	return index.Entry{}
}

// inOut reports whether p, a path as the caller names it, lies in the
// output folder, and gives it relative to the folder, slash-separated.
func (s *Store) inOut(p string) (string, bool) {
	if s.cfg.Out == "" {
		return "", false
	}
	rel, err := filepath.Rel(s.cfg.Out, p)
	if err != nil || rel == "." || filepath.IsAbs(rel) || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return "", false
	}
	return filepath.ToSlash(rel), true
}

// Owns reports whether the file at p is one nl2en writes, and so never
// an input: an output of any format, whatever its case, the files of a
// feed's folder, and the index of the output folder (an index.html
// elsewhere may well be an article).
func (s *Store) Owns(p string) bool {
	name := filepath.Base(p)
	if render.IsOutput(name) {
		return true
	}
	if s.cfg.Out != "" && isFeedFile(name) && isFeedFolder(filepath.Dir(p)) {
		return true // a feed's state and the English feed
	}
	if s.cfg.Out == "" || !slices.Contains(index.Names(), name) {
		return false
	}
	dir, err := os.Stat(filepath.Dir(p))
	if err != nil {
		return false
	}
	out, err := os.Stat(s.cfg.Out)
	return err == nil && os.SameFile(dir, out)
}
