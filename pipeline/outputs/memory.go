package outputs

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"

	"github.com/nl2en/nl2en/pipeline"
	"github.com/nl2en/nl2en/pipeline/names"
)

// The names memory, names.tsv in the output folder (see package names):
// read at a run's start, and merged with what the run learned at its
// end, under the run's lock.

// ReadNames reads the output folder's names memory; a folder without
// one, or no folder yet, gives fs.ErrNotExist.
func (s *Store) ReadNames() ([]byte, error) {
	if s.cfg.Out == "" {
		return nil, fs.ErrNotExist
	}
	root, err := s.outRoot(false)
	if err != nil {
		return nil, err
	}
	return root.ReadFile(names.File)
}

// MergeNames lays what a run learned over the names memory as it is on
// disk now, so that edits made to it during the run are kept, and
// replaces the file whole or not at all (see names.Merge): nothing is
// overwritten, and a name the file has in another form comes back as a
// conflict. A file that can no longer be read (edited into a bad line
// meanwhile) is left as it is, with an error. A dry run's store writes
// nothing.
func (s *Store) MergeNames(learned []names.Learned) (added int, conflicts []pipeline.NameConflict, err error) {
	if s.cfg.DryRun {
		return 0, nil, ErrDryRun
	}
	if s.cfg.Out == "" {
		return 0, nil, errors.New("write the names memory: no output folder")
	}
	root, err := s.outRoot(true)
	if err != nil {
		return 0, nil, err
	}
	path := filepath.Join(s.cfg.Out, names.File)
	old, err := root.ReadFile(names.File)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return 0, nil, fmt.Errorf("read %s: %w", path, unwrapPath(err))
	}
	data, added, conflicts, err := names.Merge(old, path, learned)
	if err != nil {
		return 0, nil, err
	}
	if string(data) == string(old) {
		return added, conflicts, nil
	}
	if err := writeIn(root, names.File, "", data, 0o644); err != nil {
		return 0, nil, fmt.Errorf("write %s: %w", path, unwrapPath(err))
	}
	return added, conflicts, nil
}
