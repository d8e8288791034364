package job

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/google/renameio/v2"

	"github.com/nl2en/nl2en/pipeline/lock"
	"github.com/nl2en/nl2en/pipeline/runner"
)

// IsStdin reports whether inputs are the one input "-", standard input.
func IsStdin(inputs []string) bool {
	return len(inputs) == 1 && inputs[0] == "-"
}

// OneArticle reports whether inputs are one article: stdin, or a single
// path that is not a folder. Such a run has the request slots to itself,
// and spreads its article over them (Settings.Spread).
func OneArticle(inputs []string) bool {
	if IsStdin(inputs) {
		return true
	}
	if len(inputs) != 1 {
		return false
	}
	info, err := os.Stat(inputs[0])
	return err == nil && !info.IsDir()
}

// Run translates the inputs (files, folders, or "-" alone for stdin)
// under the run lock, writes every output, and writes the run report. The
// report is complete even when the run stops early; the error is non-nil
// when the run could not start (the output folder cannot be written:
// [*runner.OutError]; the lock is held: [*lock.HeldError]) or stopped
// early (a fatal API error, a full disk, or ctx ended).
func (j *Job) Run(ctx context.Context, inputs []string, p runner.Progress) (*runner.Report, error) {
	if j.Settings.Out != "" && !j.Settings.DryRun {
		if err := runner.CheckOut(j.Settings.Out); err != nil {
			return nil, err
		}
	}
	if !IsStdin(inputs) && !j.Settings.DryRun {
		lk, err := j.Lock(ctx, inputs)
		if err != nil {
			return nil, err
		}
		defer lk.Unlock()
	}
	rep, runErr := j.Runner(p).Run(ctx, inputs)
	if runErr != nil {
		rep.Error = runErr.Error()
	}
	j.SaveReport(inputs, rep)
	return rep, runErr
}

// LockDir is the folder whose lock a run over inputs takes: the output
// folder, or without one the folder of the first input.
func (j *Job) LockDir(inputs []string) string {
	if j.Settings.Out != "" {
		return j.Settings.Out
	}
	dir := inputs[0]
	if info, err := os.Stat(dir); err != nil || !info.IsDir() {
		dir = filepath.Dir(dir)
	}
	return dir
}

// Lock takes the run lock for inputs, waiting for it when the settings
// say so.
func (j *Job) Lock(ctx context.Context, inputs []string) (*lock.Lock, error) {
	dir := j.LockDir(inputs)
	if j.Settings.Wait {
		j.Log.Info("waiting for the run lock", "file", filepath.Join(dir, lock.File))
	}
	return lock.Take(ctx, dir, j.Settings.Wait, j.Now())
}

// Now is the job's clock.
func (j *Job) Now() time.Time {
	if j.env.Now != nil {
		return j.env.Now()
	}
	return time.Now()
}

// ReportPath is where the report of a run over inputs goes: the report
// setting, or report.json in the output folder of a run that has one; ""
// for none.
func (j *Job) ReportPath(inputs []string) string {
	if j.Settings.Report != "" {
		return j.Settings.Report
	}
	if j.Settings.Out != "" && !IsStdin(inputs) {
		return filepath.Join(j.Settings.Out, "report.json")
	}
	return ""
}

// SaveReport writes the run report where ReportPath says, logging a
// failure: the outputs are what matters, the report only describes them.
func (j *Job) SaveReport(inputs []string, rep *runner.Report) {
	path := j.ReportPath(inputs)
	if path == "" {
		return
	}
	if err := WriteReport(path, rep); err != nil {
		j.Log.Error("could not write the report", "file", path, "error", err.Error())
		return
	}
	j.Log.Info("wrote report", "file", path)
}

// WriteReport writes rep to path as indented JSON, atomically.
func WriteReport(path string, rep *runner.Report) error {
	b, err := json.MarshalIndent(rep, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("create folder for %s: %w", path, err)
	}
	return renameio.WriteFile(path, append(b, '\n'), 0o644, renameio.WithTempDir(filepath.Dir(path)))
}
