package main

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/nl2en/nl2en/pipeline/schedule"
)

// A run played -scale times faster must be faster for the scheduler too:
// its own durations (a burst of one second of the rate, a one-second gap
// between rate cuts, backoffs, the recovery after a 429) are set against
// the API's minute. So the scheduler gets a clock that runs scale times as
// fast as the wall clock, is told the limits per minute of that clock, and
// reads the server's rate-limit headers converted to it. The fake server
// and the HTTP layer stay on the wall clock, on which the server's window
// is a minute divided by scale.

// apiClock is a [schedule.Clock] running scale times as fast as the wall
// clock.
type apiClock struct {
	start time.Time
	scale time.Duration
}

func newAPIClock(scale int) apiClock {
	return apiClock{start: time.Now(), scale: time.Duration(scale)}
}

func (c apiClock) Now() time.Time { return c.start.Add(time.Since(c.start) * c.scale) }

func (c apiClock) AfterFunc(d time.Duration, f func()) schedule.Timer {
	// Rounded up: a timer must not fire before the scheduler's time.
	return time.AfterFunc((d+c.scale-1)/c.scale, f)
}

// apiPacer is the scheduler as the HTTP layer's pacer, with the wait
// times of every response's headers converted to the scheduler's clock.
type apiPacer struct {
	s     *schedule.Scheduler
	scale int
}

func (p apiPacer) Wait(ctx context.Context) error { return p.s.Wait(ctx) }

func (p apiPacer) Observe(status int, h http.Header) {
	p.s.Observe(status, scaleHeaders(h, p.scale))
}

// scaleHeaders returns h with retry-after-ms, Retry-After (as seconds) and
// the x-ratelimit-reset-* durations multiplied by scale.
func scaleHeaders(h http.Header, scale int) http.Header {
	h = h.Clone()
	k := float64(scale)
	if v, err := strconv.ParseFloat(h.Get("Retry-After-Ms"), 64); err == nil {
		h.Set("Retry-After-Ms", strconv.FormatFloat(v*k, 'f', -1, 64))
	}
	if v, err := strconv.ParseFloat(h.Get("Retry-After"), 64); err == nil {
		h.Set("Retry-After", strconv.FormatFloat(v*k, 'f', -1, 64))
	}
	for _, name := range []string{"X-Ratelimit-Reset-Requests", "X-Ratelimit-Reset-Tokens"} {
		if d, err := time.ParseDuration(h.Get(name)); err == nil {
			h.Set(name, (d * time.Duration(scale)).String())
		}
	}
	return h
}
