package schedule

import (
	"context"
	"log/slog"
	"math"
	"net/http"
	"sync"
	"time"

	"github.com/nl2en/nl2en/pipeline/llm"
)

// DefaultConcurrency is the number of requests in flight when
// Limits.Concurrency is not set.
const DefaultConcurrency = 4

const (
	// burst is how much of the rate the buckets may save up: OpenAI
	// enforces a per-minute limit over shorter windows as well.
	burst = time.Second
	// decreaseFactor multiplies the rate on a 429; minFactor is its floor.
	decreaseFactor = 0.5
	minFactor      = 1.0 / 16
	// decreaseGap keeps the 429s of requests that were already in flight
	// from cutting the rate again and again for one overload.
	decreaseGap = time.Second
	// recovery is how long the rate takes to climb back, linearly, from
	// where a 429 cut it to the full limit, while no further 429 comes.
	// It is time, not a count of successes: a run bound by tokens makes
	// few requests a minute and would otherwise crawl for many minutes.
	recovery = time.Minute

	// Backoff when a 429 names no wait, and the longest cooldown a server
	// can impose (the HTTP layer fails a request asked to wait longer).
	initialBackoff = time.Second
	maxBackoff     = 30 * time.Second
	maxCooldown    = 60 * time.Second
	// eps absorbs float rounding in bucket levels, in requests or tokens.
	eps = 1e-6
)

// Under returns limits one part in 61 under l: the buckets start with one
// second of budget, so a server that counts any sixty seconds would see a
// run paced at exactly l go one second's worth over it in the first
// minute.
func Under(l Limits) Limits {
	l.RPM = l.RPM * 60 / 61
	l.TPM = l.TPM * 60 / 61
	return l
}

// Limits are the budget of a run. RPM and TPM of 0 mean unlimited;
// negative values are taken as 0. A Concurrency below 1 means
// [DefaultConcurrency].
type Limits struct {
	// Concurrency is the most requests in flight at once.
	Concurrency int
	// RPM is requests per minute.
	RPM int
	// TPM is tokens per minute, counted from the estimates given to
	// Acquire.
	TPM int
}

// Clock is the time source of a [Scheduler]. The system clock is used
// unless [WithClock] gives another, as tests do.
type Clock interface {
	Now() time.Time
	// AfterFunc calls f in its own goroutine once d has passed.
	AfterFunc(d time.Duration, f func()) Timer
}

// Timer is a pending call from [Clock.AfterFunc]; *time.Timer is one.
type Timer interface {
	// Stop prevents the call if it has not started, reporting whether it
	// did.
	Stop() bool
}

type systemClock struct{}

func (systemClock) Now() time.Time { return time.Now() }

func (systemClock) AfterFunc(d time.Duration, f func()) Timer { return time.AfterFunc(d, f) }

// Option configures a [Scheduler].
type Option func(*Scheduler)

// WithClock sets the clock; nil keeps the system clock.
func WithClock(c Clock) Option {
	return func(s *Scheduler) {
		if c != nil {
			s.clock = c
		}
	}
}

// WithLogger sets where cooldowns and slowdowns are reported; nil discards
// them.
func WithLogger(l *slog.Logger) Option {
	return func(s *Scheduler) {
		if l != nil {
			s.log = l
		}
	}
}

// Stats describes what a [Scheduler] has done so far.
type Stats struct {
	// Started counts the requests Acquire admitted.
	Started int
	// Responses counts the responses Observe saw, retries included, and
	// RateLimited those with status 429.
	Responses   int
	RateLimited int
	// Cooldowns counts the run-wide pauses, and CoolingDown adds up their
	// length.
	Cooldowns   int
	CoolingDown time.Duration
	// EstimatedTokens adds up the estimates of the started requests.
	EstimatedTokens int64
	// RateFactor is the share of the configured rate the run is held to
	// now: 1 normally, less for a while after a 429.
	RateFactor float64
}

// Scheduler admits the requests of a run within its [Limits]. It is safe
// for concurrent use, and implements llm.Pacer.
type Scheduler struct {
	limits Limits
	clock  Clock
	log    *slog.Logger

	mu       sync.Mutex
	queue    []*waiter // in arrival order; only the head may be admitted
	inflight int
	factor   float64 // share of the configured rate, after 429s
	reqs     bucket
	toks     bucket
	srvReqs  serverView
	srvToks  serverView
	// coolUntil is the end of the run-wide cooldown. It only ever moves
	// later, so a Wait that wakes at the old end need only look again.
	coolUntil    time.Time
	lastDecrease time.Time
	cutFactor    float64 // the rate factor the last 429 left
	streak       int     // cooldowns since the last success
	timer        Timer
	timerAt      time.Time
	timerGen     uint64
	stats        Stats
}

type waiter struct {
	tokens  int
	granted chan struct{} // closed on admission
	done    bool          // admitted; guarded by Scheduler.mu
}

// New returns a Scheduler with the given limits.
func New(l Limits, opts ...Option) *Scheduler {
	if l.Concurrency < 1 {
		l.Concurrency = DefaultConcurrency
	}
	l.RPM, l.TPM = max(l.RPM, 0), max(l.TPM, 0)
	s := &Scheduler{
		limits: l,
		clock:  systemClock{},
		log:    slog.New(slog.DiscardHandler),
		factor: 1,
	}
	for _, o := range opts {
		o(s)
	}
	now := s.clock.Now()
	s.reqs = newBucket(float64(l.RPM), now)
	s.toks = newBucket(float64(l.TPM), now)
	return s
}

// Acquire blocks until a request estimated at tokens (prompt plus the
// most the reply may hold) may start, or ctx is done. The caller must call
// release once the request is over; later calls do nothing. Release frees
// the request's slot but gives back none of its tokens: a rate-limited API
// charges the prompt and max_tokens when the request arrives and keeps
// them whatever the reply turns out to use, so the run's pacing keeps
// them too.
func (s *Scheduler) Acquire(ctx context.Context, tokens int) (release func(), err error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	w := &waiter{tokens: max(tokens, 0), granted: make(chan struct{})}
	s.mu.Lock()
	s.queue = append(s.queue, w)
	s.dispatchLocked()
	s.mu.Unlock()

	select {
	case <-w.granted:
	case <-ctx.Done():
		s.mu.Lock()
		if w.done {
			s.undoLocked(w)
		} else {
			s.removeLocked(w)
		}
		s.dispatchLocked()
		s.mu.Unlock()
		return nil, ctx.Err()
	}
	var once sync.Once
	return func() {
		once.Do(s.release)
	}, nil
}

// Wait blocks while a run-wide cooldown is in force, or until ctx is done.
func (s *Scheduler) Wait(ctx context.Context) error {
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		s.mu.Lock()
		now := s.clock.Now()
		until := s.coolUntil
		s.mu.Unlock()
		if !now.Before(until) {
			return nil
		}
		fired := make(chan struct{})
		t := s.clock.AfterFunc(until.Sub(now), func() { close(fired) })
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-fired:
		}
	}
}

// Observe takes note of a response: its x-ratelimit-* headers, and whether
// it was a success (the rate recovers a step) or a 429 (the run cools down
// and slows).
func (s *Scheduler) Observe(status int, h http.Header) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.clock.Now()
	s.refillLocked(now)
	s.stats.Responses++

	reqs := readLimit(h, "requests", now)
	toks := readLimit(h, "tokens", now)
	if reqs.ok {
		s.srvReqs = newServerView(reqs, now)
	}
	if toks.ok {
		s.srvToks = newServerView(toks, now)
	}

	switch {
	case status == http.StatusTooManyRequests:
		s.stats.RateLimited++
		s.rateLimitedLocked(now, h, reqs, toks)
	case status >= 200 && status < 300:
		s.streak = 0
		if s.factor < 1 {
			climbed := float64(now.Sub(s.lastDecrease)) / float64(recovery)
			s.factor = min(1, s.cutFactor+(1-s.cutFactor)*climbed)
			if s.factor == 1 {
				s.log.Info("request rate back to the configured limits")
			}
		}
	}
	s.dispatchLocked()
}

// Stats returns what the Scheduler has done so far.
func (s *Scheduler) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.stats
	st.RateFactor = s.factor
	return st
}

// rateLimitedLocked starts or extends the run-wide cooldown after a 429,
// and cuts the rate unless this 429 belongs to an overload already acted
// on.
func (s *Scheduler) rateLimitedLocked(now time.Time, h http.Header, reqs, toks limitHeaders) {
	cooling := now.Before(s.coolUntil)
	d, why := llm.RetryAfter(h, now)
	reason := "server asked"
	if !why {
		for _, l := range []limitHeaders{reqs, toks} {
			if l.ok && l.remaining < 1 && l.reset > 0 {
				d, why = max(d, l.reset), true
				reason = "until the server's limit resets"
			}
		}
	}
	if !why {
		if cooling {
			return // a 429 from a request sent before the pause: already handled
		}
		d = min(initialBackoff<<min(s.streak, 16), maxBackoff)
		reason = "backoff"
	}
	d = min(d, maxCooldown)

	if !cooling {
		s.streak++
		s.stats.Cooldowns++
	}
	if !cooling && (s.lastDecrease.IsZero() || now.Sub(s.lastDecrease) >= decreaseGap) {
		s.lastDecrease = now
		s.factor = max(minFactor, s.factor*decreaseFactor)
		s.cutFactor = s.factor
		// Start again from empty buckets, so that the end of the cooldown
		// is not a burst.
		s.reqs.level = min(s.reqs.level, 0)
		s.toks.level = min(s.toks.level, 0)
	}
	until := now.Add(d)
	if !until.After(s.coolUntil) {
		return
	}
	s.stats.CoolingDown += until.Sub(maxTime(now, s.coolUntil))
	s.coolUntil = until
	s.log.Warn("rate limited by the server; pausing every request",
		"for", d.Round(time.Millisecond), "why", reason,
		"rate", math.Round(s.factor*100)/100, "in_flight", s.inflight, "queued", len(s.queue))
}

func (s *Scheduler) release() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.inflight--
	s.dispatchLocked()
}

// undoLocked takes back an admission whose caller gave up before seeing
// it.
func (s *Scheduler) undoLocked(w *waiter) {
	s.refillLocked(s.clock.Now())
	s.inflight--
	s.reqs.give(1, s.factor)
	s.toks.give(float64(w.tokens), s.factor)
	s.srvReqs.spent--
	s.srvToks.spent -= float64(w.tokens)
	s.stats.Started--
	s.stats.EstimatedTokens -= int64(w.tokens)
}

func (s *Scheduler) removeLocked(w *waiter) {
	for i, q := range s.queue {
		if q == w {
			copy(s.queue[i:], s.queue[i+1:])
			s.queue[len(s.queue)-1] = nil
			s.queue = s.queue[:len(s.queue)-1]
			return
		}
	}
}

func (s *Scheduler) refillLocked(now time.Time) {
	s.reqs.refill(now, s.factor)
	s.toks.refill(now, s.factor)
}

func (s *Scheduler) concurrencyLocked() int {
	return max(1, int(math.Ceil(float64(s.limits.Concurrency)*s.factor-eps)))
}

// dispatchLocked admits queued requests, head first, for as long as the
// budget allows, and sets the timer for when the head may go next.
func (s *Scheduler) dispatchLocked() {
	now := s.clock.Now()
	s.refillLocked(now)
	var wake time.Duration
	for len(s.queue) > 0 {
		w := s.queue[0]
		if s.inflight >= s.concurrencyLocked() {
			break // a release will dispatch again
		}
		wake = max(
			s.coolUntil.Sub(now),
			s.reqs.wait(1, s.factor),
			s.toks.wait(float64(w.tokens), s.factor),
			s.srvReqs.wait(now, 1),
			s.srvToks.wait(now, float64(w.tokens)),
		)
		if wake > 0 {
			break
		}
		s.inflight++
		s.reqs.take(1)
		s.toks.take(float64(w.tokens))
		s.srvReqs.spent++
		s.srvToks.spent += float64(w.tokens)
		s.stats.Started++
		s.stats.EstimatedTokens += int64(w.tokens)
		w.done = true
		close(w.granted)
		s.queue[0] = nil
		s.queue = s.queue[1:]
	}
	if len(s.queue) == 0 {
		s.queue = nil // let the backing array go
	}
	s.armLocked(now, wake)
}

// armLocked makes sure dispatch runs again after d, or stops the timer
// when d is 0.
func (s *Scheduler) armLocked(now time.Time, d time.Duration) {
	at := now.Add(d)
	if s.timer != nil {
		if d > 0 && s.timerAt.Equal(at) {
			return
		}
		s.timer.Stop()
		s.timer = nil
	}
	if d <= 0 {
		return
	}
	s.timerGen++
	gen := s.timerGen
	s.timerAt = at
	s.timer = s.clock.AfterFunc(d, func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		if s.timerGen == gen {
			s.timer = nil
		}
		s.dispatchLocked()
	})
}

// bucket is a token bucket refilling continuously at perMinute times the
// run's rate factor, holding at most one burst of it. Its level may go
// below zero: a request larger than the bucket leaves a debt for the next
// ones to wait out.
type bucket struct {
	perMinute float64 // 0: unlimited
	level     float64
	last      time.Time
}

func newBucket(perMinute float64, now time.Time) bucket {
	b := bucket{perMinute: perMinute, last: now}
	b.level = b.capacity(1)
	return b
}

func (b *bucket) rate(factor float64) float64 { return b.perMinute * factor / 60 }

func (b *bucket) capacity(factor float64) float64 {
	return max(1, b.rate(factor)*burst.Seconds())
}

func (b *bucket) refill(now time.Time, factor float64) {
	if !now.After(b.last) {
		return
	}
	if b.perMinute > 0 {
		b.level = min(b.capacity(factor), b.level+b.rate(factor)*now.Sub(b.last).Seconds())
	}
	b.last = now
}

// wait is how long until the bucket holds n, or its capacity if n is more.
func (b *bucket) wait(n, factor float64) time.Duration {
	if b.perMinute == 0 {
		return 0
	}
	need := min(n, b.capacity(factor))
	if b.level >= need-eps {
		return 0
	}
	return ceilSeconds((need - b.level) / b.rate(factor))
}

func (b *bucket) take(n float64) {
	if b.perMinute > 0 {
		b.level -= n
	}
}

// give returns n (or takes it, if negative), never beyond capacity.
func (b *bucket) give(n, factor float64) {
	if b.perMinute > 0 {
		b.level = min(b.capacity(factor), b.level+n)
	}
}

// serverView is the server's last word on one dimension of its limit:
// remaining at the time of the response, full again at resetAt, with what
// this run has started since taken off.
type serverView struct {
	known     bool
	remaining float64
	limit     float64 // 0 when not sent
	at        time.Time
	resetAt   time.Time
	// lapseAt is when the view stops holding requests back: at the reset,
	// whatever was spent since, since the server said it would be full by
	// then; and no later than maxCooldown, so that a daily limit cannot
	// stall a run for hours without a word (the requests sent then fail
	// with a 429 that says what happened).
	lapseAt time.Time
	spent   float64
}

func newServerView(l limitHeaders, now time.Time) serverView {
	return serverView{
		known:     true,
		remaining: l.remaining,
		limit:     l.limit,
		at:        now,
		resetAt:   now.Add(l.reset),
		lapseAt:   now.Add(min(l.reset, maxCooldown)),
	}
}

// wait is how long until the server should have room for n more.
func (v *serverView) wait(now time.Time, n float64) time.Duration {
	if !v.known || !now.Before(v.lapseAt) || n <= 0 {
		return 0
	}
	if v.limit > 0 {
		n = min(n, v.limit)
	}
	avail := v.remaining - v.spent
	var rate float64 // per second, when the limit says how fast it refills
	if v.limit > v.remaining && v.resetAt.After(v.at) {
		rate = (v.limit - v.remaining) / v.resetAt.Sub(v.at).Seconds()
		avail = min(v.limit, v.remaining+rate*now.Sub(v.at).Seconds()) - v.spent
	}
	if avail >= n-eps {
		return 0
	}
	untilLapse := v.lapseAt.Sub(now)
	if rate == 0 {
		return untilLapse
	}
	// Solve remaining + rate·t − spent = n for the time t after the
	// response.
	t := (n + v.spent - v.remaining) / rate
	return min(untilLapse, max(ceilSeconds(t)-now.Sub(v.at), 1))
}

// ceilSeconds rounds up, so that a timer set for it never fires a hair
// before the bucket holds enough.
func ceilSeconds(s float64) time.Duration {
	if s <= 0 {
		return 0
	}
	ns := math.Ceil(s * 1e9)
	if ns >= math.MaxInt64 {
		return time.Duration(math.MaxInt64)
	}
	return time.Duration(ns)
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
