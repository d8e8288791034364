package outputs

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/nl2en/nl2en/pipeline/index"
)

// The files of the output folder besides the outputs: the index, the
// report, the run history, the batch state, and the leftovers of killed
// runs.

// WriteIndex merges the entries of the articles a run visited into the
// output folder's index and rewrites index.jsonl and index.html, each
// whole or not at all. An entry replaces the one of the same source, and
// any other that names one of its outputs (the same article named another
// way); entries the run did not visit stay, without the outputs this run
// pruned, and go when none of their outputs is left (or, for a failure
// that wrote nothing, when its source is gone).
func (s *Store) WriteIndex(entries []index.Entry, now time.Time) error {
	if s.cfg.Out == "" {
		return errors.New("write the index: no output folder")
	}
	root, err := s.outRoot(true)
	if err != nil {
		return fmt.Errorf("write the index: %w", err)
	}
	var old []index.Entry
	if b, err := root.ReadFile(index.JSONL); err == nil {
		old, err = index.Parse(bytes.NewReader(b))
		if err != nil {
			s.cfg.Log.Warn("the folder index has a line that cannot be read; the entries after it are rebuilt from the next runs", "file", filepath.Join(s.cfg.Out, index.JSONL), "error", err.Error())
		}
	}
	s.mu.Lock()
	pruned := slices.Clone(s.pruned)
	s.mu.Unlock()
	visited := map[string]bool{}
	outputs := map[string]bool{}
	for _, e := range entries {
		visited[e.Source] = true
		for _, o := range e.Outputs {
			outputs[o] = true
		}
	}
	merged := slices.Clone(entries)
	// An article skipped as up to date keeps the name conflicts of the
	// run that translated it: they stand until it is translated again.
	for i, e := range merged {
		if e.Status != "skipped" || len(e.NameConflicts) > 0 {
			continue
		}
		for _, o := range old {
			if o.Source == e.Source {
				merged[i].NameConflicts = o.NameConflicts
			}
		}
	}
	for _, e := range old {
		if visited[e.Source] || slices.ContainsFunc(e.Outputs, func(o string) bool { return outputs[o] }) {
			continue
		}
		if len(e.Outputs) == 0 {
			// A failure with nothing written: kept while its source is
			// there to be tried again.
			if _, err := os.Stat(e.Source); err != nil {
				continue
			}
		} else {
			e.Outputs = slices.DeleteFunc(e.Outputs, func(o string) bool { return slices.Contains(pruned, o) })
			if len(e.Outputs) == 0 {
				continue
			}
		}
		merged = append(merged, e)
	}
	jsonl, html, err := index.Render(merged, now)
	if err != nil {
		return err
	}
	if err := writeIn(root, index.JSONL, "", jsonl, 0o644); err != nil {
		return fmt.Errorf("write the index: %w", unwrapPath(err))
	}
	if err := writeIn(root, index.HTML, "", html, 0o644); err != nil {
		return fmt.Errorf("write the index page: %w", unwrapPath(err))
	}
	s.wrote.Add(2)
	return nil
}

// WriteReport writes a run's report to path, whole or not at all: through
// the output folder when it lies there, else with [WriteReportFile]. A
// dry run's store writes no report: a dry run's plan goes only to a report
// file the user named, with WriteReportFile.
func (s *Store) WriteReport(path string, data []byte) error {
	if s.cfg.DryRun {
		return ErrDryRun
	}
	if rel, ok := s.inOut(path); ok {
		root, err := s.outRoot(true)
		if err != nil {
			return err
		}
		if d := filepath.Dir(filepath.FromSlash(rel)); d != "." {
			if err := root.MkdirAll(filepath.ToSlash(d), 0o755); err != nil {
				return fmt.Errorf("create folder for %s: %w", path, unwrapPath(err))
			}
		}
		if err := writeIn(root, rel, "", data, 0o644); err != nil {
			return fmt.Errorf("write %s: %w", path, unwrapPath(err))
		}
		return nil
	}
	return WriteReportFile(path, data)
}

// WriteReportFile writes a report to a file the user named, wherever it
// is, whole or not at all, making its folder when needed.
func WriteReportFile(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("create folder for %s: %w", path, unwrapPath(err))
	}
	return WriteFile(filepath.Dir(path), filepath.Base(path), "", data, 0o644)
}

// AppendRun adds one line to the output folder's run history
// (runs.jsonl). The file is rewritten whole with the line added, so that
// the line is there whole or not at all, whatever stops the run.
func (s *Store) AppendRun(line []byte) error {
	if s.cfg.DryRun {
		return ErrDryRun
	}
	if s.cfg.Out == "" {
		return errors.New("append to the run history: no output folder")
	}
	if bytes.ContainsRune(line, '\n') {
		return errors.New("append to the run history: the line holds a newline")
	}
	root, err := s.outRoot(true)
	if err != nil {
		return err
	}
	old, err := root.ReadFile(RunsFile)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("read %s: %w", filepath.Join(s.cfg.Out, RunsFile), unwrapPath(err))
	}
	if len(old) > 0 && old[len(old)-1] != '\n' {
		old = append(old, '\n')
	}
	data := append(append(old, line...), '\n')
	if err := writeIn(root, RunsFile, "", data, 0o644); err != nil {
		return fmt.Errorf("write %s: %w", filepath.Join(s.cfg.Out, RunsFile), unwrapPath(err))
	}
	return nil
}

// NewOrphans reports whether any of orphans is not among those the
// report at path (the last run's) lists: a run that finds outputs newly
// orphaned has something to report although it did nothing else.
func NewOrphans(path string, orphans []string) bool {
	if len(orphans) == 0 {
		return false
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return true
	}
	var last struct {
		Orphans []string `json:"orphans"`
	}
	if json.Unmarshal(b, &last) != nil {
		return true
	}
	for _, o := range orphans {
		if !slices.Contains(last.Orphans, o) {
			return true
		}
	}
	return false
}

// ReadBatchState reads the output folder's batch state file; a folder
// without one gives fs.ErrNotExist.
func (s *Store) ReadBatchState() ([]byte, error) {
	root, err := s.outRoot(false)
	if err != nil {
		return nil, err
	}
	return root.ReadFile(BatchStateFile)
}

// WriteBatchState replaces the batch state file, whole or not at all. A
// dry run's store writes nothing and reports no error: the state's
// changes (statuses refreshed) live for the run alone.
func (s *Store) WriteBatchState(data []byte) error {
	if s.cfg.DryRun {
		return nil
	}
	root, err := s.outRoot(true)
	if err != nil {
		return err
	}
	if old, err := root.ReadFile(BatchStateFile); err == nil && bytes.Equal(old, data) {
		return nil // a run that changed nothing leaves the file as it was
	}
	if err := writeIn(root, BatchStateFile, "", data, 0o644); err != nil {
		return fmt.Errorf("save batch state %s: %w", filepath.Join(s.cfg.Out, BatchStateFile), unwrapPath(err))
	}
	return nil
}

// clean removes the temporary files killed runs left in the output
// folder (see isLeftover), and nothing else. It runs under the lock, so
// no other run is writing them.
func (s *Store) clean() {
	if s.cfg.Out == "" || s.cfg.DryRun {
		return
	}
	root, err := s.outRoot(false)
	if err != nil {
		return
	}
	fs.WalkDir(root.FS(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if p != "." && d.IsDir() && strings.HasPrefix(d.Name(), ".") {
			return fs.SkipDir
		}
		if !d.Type().IsRegular() || !isLeftover(d.Name()) {
			return nil
		}
		if err := root.Remove(p); err != nil {
			s.cfg.Log.Warn("could not remove a temporary file a killed run left", "file", filepath.Join(s.cfg.Out, filepath.FromSlash(p)), "error", unwrapPath(err).Error())
			return nil
		}
		s.removed.Add(1)
		s.cfg.Log.Info("removed a temporary file a killed run left", "file", filepath.Join(s.cfg.Out, filepath.FromSlash(p)))
		return nil
	})
}
