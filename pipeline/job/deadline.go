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
