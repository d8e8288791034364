package fetch

import (
	"context"
	"time"
)

// Clock is the time the fetcher paces itself by. Tests pass a clock that
// records the waits instead of sleeping.
type Clock interface {
	Now() time.Time
	// Sleep waits for d, or until ctx is done, and then returns ctx's
	// error.
	Sleep(ctx context.Context, d time.Duration) error
}

type realClock struct{}

func (realClock) Now() time.Time { return time.Now() }

func (realClock) Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
