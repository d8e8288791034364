package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
)

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

func usagef(format string, args ...any) error {
	return usageError{fmt.Errorf(format, args...)}
}

// reportedError has been told to the user already; only its exit code is
// left to give.
type reportedError struct{ code int }

func (e reportedError) Error() string { return fmt.Sprintf("exit %d", e.code) }

// exitCode prints err as one line on stderr and returns the exit code.
func exitCode(err error, stderr io.Writer) int {
	if err == nil {
		return exitOK
	}
	var rep reportedError
	if errors.As(err, &rep) {
		return rep.code
	}
	if errors.Is(err, context.Canceled) {
		fmt.Fprintln(stderr, "nl2en: interrupted; nothing partial was written")
		return exitCanceled
	}
	msg := strings.TrimSpace(err.Error())
	msg = strings.ReplaceAll(msg, "\n", " ")
	fmt.Fprintf(stderr, "nl2en: %s\n", msg)
	var ue usageError
	if errors.As(err, &ue) {
		return exitUsage
	}
	return exitFailure
}
