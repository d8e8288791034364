package outputs

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"

	"github.com/nl2en/nl2en/pipeline/feed"
)

// The files of a feed's folder besides its articles' outputs: the feed's
// state (feed.StateFile), what a nightly run remembers of the feed, and
// the English feed (feed.OutFormats: feed.xml and feed.json). A feed's
// folder is a sub-folder of the output folder, named by the run (package
// slug), and its files are written under the run lock, each whole or not
// at all, like every other file there.

// FeedState is a feed's folder found in the output folder, with the
// bytes of its state file.
type FeedState struct {
	// Folder is the folder's name, directly under the output folder.
	Folder string
	Data   []byte
}

// feedFiles are the names a feed's folder holds besides outputs.
func feedFiles() []string {
	names := []string{feed.StateFile}
	for _, f := range feed.OutFormats() {
		names = append(names, f.File)
	}
	return names
}

// isFeedFile reports whether name is one of the files of a feed's
// folder.
func isFeedFile(name string) bool { return slices.Contains(feedFiles(), name) }

// feedPath checks a feed folder's name and a file's name, and gives the
// file's path under the output folder.
func (s *Store) feedPath(folder, name string) (string, error) {
	switch {
	case s.cfg.Out == "":
		return "", errors.New("a feed's folder needs an output folder")
	case folder == "" || folder == "." || folder == ".." || path.Base(folder) != folder || filepath.Base(folder) != folder || portable(folder) != folder:
		return "", fmt.Errorf("feed folder %q: %w", folder, ErrUnsafePath)
	case !isFeedFile(name):
		return "", fmt.Errorf("%s is not a file of a feed's folder", name)
	}
	return folder + "/" + name, nil
}

// FeedStates lists the feed folders in the output folder, those with a
// state file, sorted by name. An output folder that does not exist yet
// has none.
func (s *Store) FeedStates() ([]FeedState, error) {
	if s.cfg.Out == "" {
		return nil, nil
	}
	root, err := s.outRoot(false)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	ents, err := fs.ReadDir(root.FS(), ".")
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", s.cfg.Out, unwrapPath(err))
	}
	var out []FeedState
	for _, e := range ents {
		if !e.IsDir() {
			continue
		}
		data, err := root.ReadFile(e.Name() + "/" + feed.StateFile)
		if err != nil {
			continue
		}
		out = append(out, FeedState{Folder: e.Name(), Data: data})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Folder < out[j].Folder })
	return out, nil
}

// ReadFeedFile reads a file of a feed's folder (its state, or the
// English feed a run wrote); a file not there gives fs.ErrNotExist.
func (s *Store) ReadFeedFile(folder, name string) ([]byte, error) {
	rel, err := s.feedPath(folder, name)
	if err != nil {
		return nil, err
	}
	root, err := s.outRoot(false)
	if err != nil {
		return nil, err
	}
	data, err := root.ReadFile(rel)
	if err != nil {
		return nil, unwrapPath(err)
	}
	return data, nil
}

// WriteFeedState replaces a feed's state file, whole or not at all,
// making the feed's folder when needed. Like the batch state, it is the
// run's bookkeeping and not counted among the files a run wrote. A dry
// run's store writes nothing: [ErrDryRun].
func (s *Store) WriteFeedState(folder string, data []byte) error {
	_, err := s.writeFeed(folder, feed.StateFile, data, true)
	return err
}

// WriteFeedFile writes a file of the English feed (feed.xml, feed.json)
// into a feed's folder, whole or not at all, and reports whether it
// did: a file that already holds data is left as it is, so a run that
// changed nothing in the feed writes nothing. A dry run's store writes
// nothing: [ErrDryRun].
func (s *Store) WriteFeedFile(folder, name string, data []byte) (bool, error) {
	if name == feed.StateFile {
		return false, fmt.Errorf("%s is written with WriteFeedState", name)
	}
	return s.writeFeed(folder, name, data, false)
}

func (s *Store) writeFeed(folder, name string, data []byte, state bool) (bool, error) {
	if s.cfg.DryRun {
		return false, ErrDryRun
	}
	rel, err := s.feedPath(folder, name)
	if err != nil {
		return false, err
	}
	root, err := s.outRoot(true)
	if err != nil {
		return false, err
	}
	file := filepath.Join(s.cfg.Out, folder, name)
	if !state {
		if old, err := root.ReadFile(rel); err == nil && bytes.Equal(old, data) {
			return false, nil
		}
	}
	if err := root.MkdirAll(folder, 0o755); err != nil {
		return false, fmt.Errorf("create folder for %s: %w", file, unwrapPath(err))
	}
	if err := writeIn(root, rel, "", data, 0o644); err != nil {
		return false, fmt.Errorf("write %s: %w", file, unwrapPath(err))
	}
	if !state {
		s.wrote.Add(1)
	}
	return true, nil
}

// isFeedFolder reports whether the folder at dir is a feed's: it holds
// a state file. Its articles' sources are on the web, never orphans.
func isFeedFolder(dir string) bool {
	info, err := os.Stat(filepath.Join(dir, feed.StateFile))
	return err == nil && info.Mode().IsRegular()
}
