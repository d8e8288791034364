// Command nl2en translates Dutch news articles into English through any
// OpenAI-compatible API, writing Markdown and JSON.
//
// This file wires the process: a context cancelled by Ctrl-C or SIGTERM,
// the command tree, and the one mapping from errors to exit codes. The
// output rules: diagnostics go to stderr, one line each, "nl2en: " and
// lowercase without a final period (a JSON line each with --log-format
// json); the pipeline's errors say what happened, hints.go adds what to
// do, naming the flags and variables that fix it.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/nl2en/nl2en/pipeline/cliargs"
	"github.com/nl2en/nl2en/pipeline/httpenv"
	"github.com/nl2en/nl2en/pipeline/inputs"
	"github.com/nl2en/nl2en/pipeline/job"
	"github.com/nl2en/nl2en/pipeline/local"
	"github.com/nl2en/nl2en/pipeline/progress"
	"github.com/nl2en/nl2en/pipeline/webrun"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "0.1.0-dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(runStreams(ctx, os.Args, streams{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr}))
}

// streams are the process's standard files and what the commands learn
// of them, passed down so that tests can replace them.
type streams struct {
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	// tty says stderr is a terminal, where a person watches: a progress
	// bar, and zero configuration. Tests may say so of a buffer.
	tty bool
	// local are where zero configuration looks for a local server (nil:
	// local.Candidates); tests point it at their own servers.
	local []local.Candidate
	// fetch, in tests, paces fetches without waiting and resolves and
	// dials as the test says; nil fields are the real ones.
	fetch webrun.Options

	con       *progress.Console // stderr
	args      []string          // the command line, as typed
	transport httpenv.Transport // from the settings file
	unknown   error             // an unknown command
}

// runStreams runs the command line args over s and returns the exit code.
func runStreams(ctx context.Context, args []string, s streams) int {
	s.tty = s.tty || progress.IsTerminal(s.stderr)
	s.con = progress.NewConsole(s.stderr)
	s.stderr, s.args = s.con, args
	app := newApp(&s)
	err := app.RunContext(ctx, cliargs.Hoist(app, args))
	if err == nil {
		err = s.unknown
	}
	switch {
	case err == nil || errors.Is(err, errReported):
	case errors.Is(err, context.Canceled):
		s.say(slog.LevelError, "interrupted; nothing partial was written")
	default:
		s.say(slog.LevelError, "%s", explain(err))
	}
	return codeOf(err)
}

// Exit codes, documented in the README.
const (
	exitOK       = 0
	exitFailure  = 1   // an article failed, or the API or configuration is wrong
	exitUsage    = 2   // the command line is wrong
	exitCanceled = 130 // interrupted by Ctrl-C or SIGTERM
)

// usageError is a mistake in the command line.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func usagef(format string, args ...any) error { return usageError{fmt.Errorf(format, args...)} }

// errReported is a run whose failures were told as they happened: only
// the exit code is left to give.
var errReported = job.ErrFailed

// codeOf is the exit code err ends the command with; runs.jsonl records it.
func codeOf(err error) int {
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, context.Canceled):
		return exitCanceled
	case is[usageError](err) || is[*job.SettingError](err) || is[*inputs.Error](err):
		return exitUsage
	}
	return exitFailure
}
