package schedule

import (
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// epochThreshold separates a reset given as seconds from now (OpenAI, Groq)
// from one given as a Unix time (some proxies): no limit resets more than
// 30 years from now.
const epochThreshold = 1e9

// maxDays bounds a day count so that it fits a time.Duration.
const maxDays = 100_000

// limitHeaders is what a response says about one dimension (requests or
// tokens) of the server's rate limit.
type limitHeaders struct {
	limit     float64 // 0 when not sent
	remaining float64
	reset     time.Duration
	ok        bool // remaining and reset were both sent and valid
}

// readLimit reads the x-ratelimit-{limit,remaining,reset}-<dim> headers.
func readLimit(h http.Header, dim string, now time.Time) limitHeaders {
	var l limitHeaders
	if v, ok := parseCount(h.Get("x-ratelimit-limit-" + dim)); ok {
		l.limit = v
	}
	rem, okRem := parseCount(h.Get("x-ratelimit-remaining-" + dim))
	reset, okReset := parseReset(h.Get("x-ratelimit-reset-"+dim), now)
	if okRem && okReset {
		l.remaining, l.reset, l.ok = rem, reset, true
	}
	return l
}

// parseCount reads a non-negative count, tolerating a fractional one.
func parseCount(v string) (float64, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || f < 0 || f != f { // f != f: NaN
		return 0, false
	}
	return f, true
}

// parseReset reads the time until a rate limit is replenished, in every
// form servers use: Go-style durations as OpenAI sends them ("1s", "6m0s",
// "20ms", "0.5s", "2m59.56s"), with an optional leading day count ("1d2h"),
// plain seconds ("12", "0.5"), a Unix time, or an RFC 3339 time.
func parseReset(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if f, err := strconv.ParseFloat(v, 64); err == nil {
		if f != f || f < 0 {
			return 0, false
		}
		if f >= epochThreshold {
			return untilTime(time.Unix(0, int64(f*1e9)), now), true
		}
		return seconds(f), true
	}
	if t, err := time.Parse(time.RFC3339Nano, v); err == nil {
		return untilTime(t, now), true
	}
	var days time.Duration
	if i := strings.IndexByte(v, 'd'); i > 0 {
		n, err := strconv.Atoi(v[:i])
		if err != nil || n < 0 || n > maxDays {
			return 0, false
		}
		days, v = time.Duration(n)*24*time.Hour, v[i+1:]
		if v == "" {
			return days, true
		}
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < 0 {
		return 0, false
	}
	if d > math.MaxInt64-days {
		return math.MaxInt64, true
	}
	return days + d, true
}

func untilTime(t, now time.Time) time.Duration {
	return max(t.Sub(now), 0)
}

// seconds converts without overflowing on absurd values.
func seconds(s float64) time.Duration {
	const maxSeconds = float64(1<<63-1) / 1e9
	if s >= maxSeconds {
		return time.Duration(1<<63 - 1)
	}
	return time.Duration(s * 1e9)
}
