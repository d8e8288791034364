package job

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/nl2en/nl2en/pipeline/runner"
)

// errDeadline is the cause of a context ended by a run's deadline.
var errDeadline = errors.New("run deadline reached")

// WithDeadline bounds ctx by a run's deadline d, counted from now, the
// start of the run: waiting for the run lock and reading stdin count. A
// d of 0 is no deadline.
func WithDeadline(ctx context.Context, d time.Duration) (context.Context, context.CancelFunc) {
	if d <= 0 {
		return ctx, func() {}
	}
	return context.WithTimeoutCause(ctx, d, errDeadline)
}

// DeadlinePassed reports whether ctx ended by the deadline of
// [WithDeadline].
func DeadlinePassed(ctx context.Context) bool { return errors.Is(context.Cause(ctx), errDeadline) }

// DeadlineError is a run its deadline stopped: while it waited for the run
// lock, or with NotDone of Found articles not done.
type DeadlineError struct {
	Deadline       time.Duration
	Waiting        bool
	NotDone, Found int
}

func (e *DeadlineError) Error() string {
	if e.Waiting {
		return fmt.Sprintf("the deadline of %s passed while waiting for the run lock; nothing was done", e.Deadline)
	}
	return fmt.Sprintf("the deadline of %s passed with %d of %s not done; nothing partial was written", e.Deadline, e.NotDone, runner.NOf(e.Found, "article"))
}

// ErrFailed is a run in which some of the work failed (an article, a
// feed, a check), each failure told as it happened: nothing is left to
// say but that the run did not go well.
var ErrFailed = errors.New("some of the run's work failed")

// Outcome is the error a run over articles ends with, given how it went:
// a [*DeadlineError] when its deadline (d) stopped it, ctx's error when
// ctx ended otherwise, the error that stopped it unless that error was an
// article's (runner.ErrFatal, told with the article), and ErrFailed when
// an article failed.
func Outcome(ctx context.Context, runErr error, rep *runner.Report, d time.Duration) error {
	switch {
	case runErr != nil && DeadlinePassed(ctx):
		return &DeadlineError{Deadline: d, NotDone: rep.Articles.NotDone, Found: rep.Articles.Found}
	case runErr != nil && ctx.Err() != nil:
		return ctx.Err()
	case runErr != nil && !errors.Is(runErr, runner.ErrFatal):
		return runErr
	case !rep.OK():
		return ErrFailed
	}
	return nil
}
