package job

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/nl2en/nl2en/pipeline"
	"github.com/nl2en/nl2en/pipeline/outputs"
	"github.com/nl2en/nl2en/pipeline/redact"
	"github.com/nl2en/nl2en/pipeline/runner"
	"github.com/nl2en/nl2en/pipeline/walk"
)

// IsStdin reports whether inputs are the one input "-", standard input.
func IsStdin(inputs []string) bool {
	return len(inputs) == 1 && inputs[0] == "-"
}

// OneArticle reports whether inputs are one article: stdin, a single
// path that is not a folder, or one address of a page. Such a run has
// the request slots to itself, and spreads its article over them
// (Settings.Spread).
func OneArticle(inputs []string) bool {
	if IsStdin(inputs) {
		return true
	}
	if len(inputs) != 1 {
		return false
	}
	if outputs.IsWeb(inputs[0]) {
		return true
	}
	info, err := os.Stat(inputs[0])
	return err == nil && !info.IsDir()
}

// Run is one run over inputs, begun: its output folder checked, its run
// lock held. Translate does the work, Record writes what the run did
// (report.json and a line of runs.jsonl), End releases the lock.
type Run struct {
	job    *Job
	inputs []string
	lock   *outputs.Lock
}

// Begin begins a run over inputs (files, folders, or "-" alone for
// stdin): it makes the output folder and checks that it can be written
// (a [*outputs.FolderError] if not: found before the first request is
// paid for), then takes the run lock of the folder the run writes into
// (a [*outputs.HeldError] when another run holds it), which also clears
// away what a killed run left there. A dry run does neither: it makes and
// writes nothing. A run from stdin to stdout writes no folder and takes
// no lock.
func (j *Job) Begin(ctx context.Context, inputs []string) (*Run, error) {
	r := &Run{job: j, inputs: inputs}
	if j.Settings.DryRun || (IsStdin(inputs) && j.Settings.Out == "") {
		return r, nil
	}
	if err := j.Store.Prepare(); err != nil {
		return nil, err
	}
	if j.Settings.Out == "" {
		if _, err := os.Stat(j.LockDir(inputs)); errors.Is(err, fs.ErrNotExist) {
			// The first input's folder does not exist: nothing is
			// written there, and the run says so of the input; the lock
			// would make the folder.
			return r, nil
		}
	}
	lk, err := j.Lock(ctx, inputs)
	if err != nil {
		return nil, err
	}
	r.lock = lk
	return r, nil
}

// Translate translates the inputs and writes every output. The report is
// complete even when the run stops early (its Error then says why); the
// error is non-nil when it did (a fatal API error, a full disk, or ctx
// ended).
func (r *Run) Translate(ctx context.Context, p runner.Progress) (*runner.Report, error) {
	return r.TranslateFrom(ctx, p, r.inputs, nil, nil)
}

// TranslateFrom is Translate over files (files, folders, or "-"), and
// articles prepared before the run (pages fetched from the web), in one
// run: a run whose inputs are addresses or feeds prepares them and
// passes the files among its inputs, if any. written, when set, is told
// of each article once its outputs are written (runner.Config.Written).
func (r *Run) TranslateFrom(ctx context.Context, p runner.Progress, files []string, prepared []runner.Prepared, written func(walk.Input, *pipeline.Result)) (*runner.Report, error) {
	cfg := r.job.RunnerConfig(p)
	cfg.Written = written
	rep, err := runner.New(r.job.Translator, r.job.Splitter, cfg).RunWith(ctx, files, prepared)
	if err != nil {
		rep.Error = err.Error()
	}
	return rep, err
}

// Job is the job the run is of.
func (r *Run) Job() *Job { return r.job }

// Record writes what the run did, under its lock: see [Job.Record].
func (r *Run) Record(rep *runner.Report, exitCode int, inv Invocation) {
	r.job.Record(r.inputs, rep, exitCode, inv)
}

// End releases the run lock and the output folder.
func (r *Run) End() {
	if r.lock != nil {
		if err := r.lock.Unlock(); err != nil {
			r.job.Log.Warn("could not release the run lock", "file", r.lock.Path(), "error", err.Error())
		}
	}
	r.job.Store.Close()
}

// LockDir is the folder whose lock a run over inputs takes: the output
// folder, or without one the folder of the first input (the current
// folder for an address).
func (j *Job) LockDir(inputs []string) string {
	if j.Settings.Out != "" {
		return j.Settings.Out
	}
	if outputs.IsWeb(inputs[0]) {
		return "." // its outputs go into the current folder
	}
	dir := inputs[0]
	if info, err := os.Stat(dir); err != nil || !info.IsDir() {
		dir = filepath.Dir(dir)
	}
	return dir
}

// Lock takes the run lock for inputs, waiting for it when the settings
// say so.
func (j *Job) Lock(ctx context.Context, inputs []string) (*outputs.Lock, error) {
	dir := j.LockDir(inputs)
	if j.Settings.Wait {
		j.Log.Info("waiting for the run lock", "file", filepath.Join(dir, outputs.LockFile))
	}
	return j.Store.Lock(ctx, dir, j.Settings.Wait, j.Now())
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
	if j.Settings.Out != "" {
		return filepath.Join(j.Settings.Out, outputs.ReportFile)
	}
	return ""
}

// Invocation is the command line of a run, as its line of runs.jsonl
// records it.
type Invocation struct {
	// Command is "translate", "batch collect", …
	Command string
	// Flags are the flags given, on the command line or in the
	// environment, by name; the value of any key is redacted.
	Flags map[string]string
	// Args are the inputs, or the folder a batch command names.
	Args []string
}

// NewInvocation is a command line as runs.jsonl records it: the value of
// any setting whose name holds "key" is "[redacted]", and URLs, the
// arguments' and the settings', lose their credentials.
func NewInvocation(command string, flags map[string]string, args []string) Invocation {
	inv := Invocation{Command: command, Flags: map[string]string{}, Args: []string{}}
	for _, a := range args {
		inv.Args = append(inv.Args, redact.URL(a))
	}
	for name, v := range flags {
		switch {
		case strings.Contains(name, "key"):
			v = "[redacted]"
		case outputs.IsWeb(v):
			v = redact.URL(v)
		}
		inv.Flags[name] = v
	}
	return inv
}

// Worth reports whether a run is recorded: it sent a request that
// creates or costs something, wrote or removed a file, found outputs
// newly orphaned, or exits non-zero. A run that exits 0 having done
// nothing (everything up to date, the lock held, nothing to collect)
// leaves the report of the last run that did something, and the history,
// as they were.
func (j *Job) Worth(inputs []string, rep *runner.Report, exitCode int) bool {
	sent := rep.Total.LiveRequests + rep.BatchAPIRequests
	return exitCode != 0 || sent > 0 || j.Store.Wrote() > 0 || j.Store.Removed() > 0 ||
		outputs.NewOrphans(j.ReportPath(inputs), rep.Orphans)
}

// Record writes what a run did: the report where ReportPath says, and
// with an output folder one line of runs.jsonl ([RunLine]), when the run
// is [Job.Worth] recording. A dry run writes its plan to the report file
// the user named and nothing else. A failure to write is logged: the
// outputs are what matters, the record only describes them.
func (j *Job) Record(inputs []string, rep *runner.Report, exitCode int, inv Invocation) {
	path := j.ReportPath(inputs)
	if j.Settings.DryRun {
		if j.Settings.Report == "" {
			return
		}
		if err := writeJSON(path, rep, outputs.WriteReportFile); err != nil {
			j.Log.Error("could not write the plan", "file", path, "error", err.Error())
		}
		return
	}
	if !j.Worth(inputs, rep, exitCode) {
		return
	}
	if path != "" {
		if err := writeJSON(path, rep, j.Store.WriteReport); err != nil {
			j.Log.Error("could not write the report", "file", path, "error", err.Error())
		} else {
			j.Log.Info("wrote report", "file", path)
		}
	}
	if j.Settings.Out == "" {
		return
	}
	files := FileCounts{Written: j.Store.Wrote(), Removed: j.Store.Removed()}
	line, err := json.Marshal(newRunLine(rep, files, exitCode, inv))
	if err == nil {
		err = j.Store.AppendRun(line)
	}
	if err != nil {
		j.Log.Error("could not add the run to the history", "file", filepath.Join(j.Settings.Out, outputs.RunsFile), "error", err.Error())
	}
}

// encodeJSON writes v to w as a program reads it: indented, with <, >
// and & as they are.
func encodeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

func writeJSON(path string, v any, write func(string, []byte) error) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return write(path, append(b, '\n'))
}
