package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/nl2en/nl2en/pipeline/outputs"
	"github.com/nl2en/nl2en/pipeline/runner"
)

// What the commands that run over articles say besides their summary:
// the lock found held, stale and orphaned outputs, a deadline passed
// before the run began.

// longHeld is how long another run may hold the lock before a run that
// finds it says so even under --quiet: cron mails what a job prints, and
// a nightly run still going after an hour has most likely hung.
const longHeld = time.Hour

// reportHeld says that another run holds the lock: in one line, unless
// quiet and the lock was taken less than longHeld ago. A lock held by a
// program that wrote no details counts from when a run first found it
// held, without a break.
func reportHeld(w io.Writer, held *outputs.HeldError, quiet bool, now time.Time) {
	since := held.Since()
	long := !since.IsZero() && now.Sub(since) > longHeld
	d := strings.TrimSuffix(now.Sub(since).Round(time.Minute).String(), "0s")
	switch {
	case long && held.Holder.PID != 0:
		fmt.Fprintf(w, "nl2en: %s, for %s now: not starting a second run; if that run hangs, stop pid %d on %s\n",
			held, d, held.Holder.PID, held.Holder.Host)
	case long:
		fmt.Fprintf(w, "nl2en: %s, for %s now at least (first found held %s): not starting a second run; if it hangs, find the program that holds it (fuser %s)\n",
			held, d, since.Local().Format("2006-01-02 15:04"), held.Path)
	case !quiet:
		fmt.Fprintf(w, "nl2en: %s; not starting a second run: %s\n", held, hint(held))
	}
}

// withDeadline bounds ctx by the run's --deadline, if it has one.
func withDeadline(ctx context.Context, d time.Duration) (context.Context, context.CancelFunc) {
	if d <= 0 {
		return ctx, func() {}
	}
	return context.WithTimeoutCause(ctx, d, errDeadline)
}

// startOutcome is the error of a run that did not get to start: err,
// unless the deadline passed first (waiting for the run lock).
func startOutcome(ctx context.Context, err error, deadline time.Duration) error {
	if errors.Is(context.Cause(ctx), errDeadline) {
		return fmt.Errorf("--deadline %s reached while waiting for the run lock; nothing was done: raise --deadline (NL2EN_DEADLINE)", deadline)
	}
	return err
}

// tellOutputs says what a run found among the outputs besides its work:
// outputs kept although made under other settings, and outputs whose
// source is gone. They go with the summary: to stdout in a dry run.
func tellOutputs(s streams, rep *runner.Report, o translateOptions) {
	if o.Quiet {
		return
	}
	w, prefix := s.stderr, "nl2en: "
	if o.DryRun {
		w, prefix = s.stdout, "" // beside the plan, which has no prefix
	}
	if n := rep.Articles.Stale; n == 1 {
		fmt.Fprintf(w, "%s1 output was made with other settings (another nl2en version, model, prompt or glossary) and was kept; --redo-stale redoes it\n", prefix)
	} else if n > 1 {
		fmt.Fprintf(w, "%s%d outputs were made with other settings (another nl2en version, model, prompt or glossary) and were kept; --redo-stale redoes them\n", prefix, n)
	}
	if n := len(rep.Orphans); n == 1 {
		fmt.Fprintf(w, "%s1 output whose source is gone (%s); --prune removes it\n", prefix, someNames(rep.Orphans, 3))
	} else if n > 1 {
		fmt.Fprintf(w, "%s%d outputs whose source is gone (%s); --prune removes them\n", prefix, n, someNames(rep.Orphans, 3))
	}
}

// someNames lists the first n names, safe to print, and how many more.
func someNames(names []string, n int) string {
	var shown []string
	for _, p := range names[:min(n, len(names))] {
		shown = append(shown, runner.SafeName(p))
	}
	if more := len(names) - len(shown); more > 0 {
		shown = append(shown, fmt.Sprintf("%d more", more))
	}
	return strings.Join(shown, ", ")
}
