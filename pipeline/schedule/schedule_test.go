package schedule

import (
	"context"
	"errors"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nl2en/nl2en/pipeline/llm"
)

var _ llm.Pacer = (*Scheduler)(nil)

// run is a set of Acquire calls made in the background, for tests that
// watch how the Scheduler admits them.
type run struct {
	t      *testing.T
	s      *Scheduler
	ctx    context.Context
	wg     sync.WaitGroup
	mu     sync.Mutex
	rels   []func()
	errs   []error
	called atomic.Int64
}

// startRun returns a run whose calls are abandoned when the test ends.
func startRun(t *testing.T, s *Scheduler) *run {
	ctx, cancel := context.WithCancel(t.Context())
	r := &run{t: t, s: s, ctx: ctx}
	t.Cleanup(func() {
		cancel()
		r.wg.Wait()
	})
	return r
}

// acquire starts n Acquire calls of the given size and waits until each has
// been admitted or queued.
func (r *run) acquire(n, tokens int) {
	r.t.Helper()
	base := int64(r.s.Stats().Started + r.s.queued())
	before := r.called.Load()
	for range n {
		r.wg.Add(1)
		go func() {
			defer r.wg.Done()
			r.called.Add(1)
			rel, err := r.s.Acquire(r.ctx, tokens)
			r.mu.Lock()
			defer r.mu.Unlock()
			if err != nil {
				r.errs = append(r.errs, err)
				return
			}
			r.rels = append(r.rels, rel)
		}()
	}
	eventually(r.t, "every Acquire call is admitted or queued", func() bool {
		return r.called.Load() == before+int64(n) && int64(r.s.Stats().Started+r.s.queued()) == base+int64(n)
	})
}

// releaseOne releases one admitted request, once its goroutine has it.
func (r *run) releaseOne() {
	r.t.Helper()
	var rel func()
	eventually(r.t, "an admitted request is handed over", func() bool {
		r.mu.Lock()
		defer r.mu.Unlock()
		if len(r.rels) == 0 {
			return false
		}
		rel, r.rels = r.rels[0], r.rels[1:]
		return true
	})
	rel()
}

func started(t *testing.T, s *Scheduler, want int, when string) {
	t.Helper()
	if got := s.Stats().Started; got != want {
		t.Errorf("%s: started %d requests, want %d", when, got, want)
	}
}

type step struct {
	advance time.Duration
	started int
}

func TestPacing(t *testing.T) {
	tests := []struct {
		name   string
		limits Limits
		n      int
		tokens int
		steps  []step
	}{
		{
			name:   "60 rpm is one a second",
			limits: Limits{Concurrency: 100, RPM: 60},
			n:      4,
			steps:  []step{{0, 1}, {999 * time.Millisecond, 1}, {time.Millisecond, 2}, {time.Second, 3}, {time.Second, 4}},
		},
		{
			name:   "120 rpm bursts at most a second's worth",
			limits: Limits{Concurrency: 100, RPM: 120},
			n:      5,
			steps:  []step{{0, 2}, {499 * time.Millisecond, 2}, {time.Millisecond, 3}, {500 * time.Millisecond, 4}, {500 * time.Millisecond, 5}},
		},
		{
			name:   "3 rpm is one every 20 seconds",
			limits: Limits{Concurrency: 100, RPM: 3},
			n:      2,
			steps:  []step{{0, 1}, {19 * time.Second, 1}, {time.Second, 2}},
		},
		{
			name:   "6000 tpm takes 50-token requests two a second",
			limits: Limits{Concurrency: 100, TPM: 6000},
			n:      4,
			tokens: 50,
			steps:  []step{{0, 2}, {499 * time.Millisecond, 2}, {time.Millisecond, 3}, {500 * time.Millisecond, 4}},
		},
		{
			name:   "a request larger than the bucket leaves a debt",
			limits: Limits{Concurrency: 100, TPM: 6000},
			n:      3,
			tokens: 300,
			steps:  []step{{0, 1}, {2999 * time.Millisecond, 1}, {time.Millisecond, 2}, {3 * time.Second, 3}},
		},
		{
			name:   "the tighter of rpm and tpm wins",
			limits: Limits{Concurrency: 100, RPM: 60, TPM: 6000},
			n:      3,
			tokens: 200,
			steps:  []step{{0, 1}, {time.Second, 1}, {time.Second, 2}, {time.Second, 2}, {time.Second, 3}},
		},
		{
			name:   "unlimited rates leave only the concurrency cap",
			limits: Limits{Concurrency: 3},
			n:      5,
			tokens: 1e6,
			steps:  []step{{0, 3}, {time.Hour, 3}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clk := newFakeClock()
			s := New(tt.limits, WithClock(clk))
			r := startRun(t, s)
			r.acquire(tt.n, tt.tokens)
			var elapsed time.Duration
			for _, st := range tt.steps {
				clk.Advance(st.advance)
				elapsed += st.advance
				started(t, s, st.started, "after "+elapsed.String())
			}
			if got, want := s.Stats().EstimatedTokens, int64(s.Stats().Started*tt.tokens); got != want {
				t.Errorf("estimated tokens %d, want %d", got, want)
			}
		})
	}
}

// TestReleaseKeepsTokensSpent guards that a released request's tokens
// stay spent, as the server keeps what it charged on arrival: the next
// request waits for the bucket to refill all the same.
func TestReleaseKeepsTokensSpent(t *testing.T) {
	clk := newFakeClock()
	s := New(Limits{Concurrency: 10, TPM: 6000}, WithClock(clk)) // 100 tokens a second
	rel, err := s.Acquire(t.Context(), 300)
	if err != nil {
		t.Fatal(err)
	}
	rel()
	r := startRun(t, s)
	r.acquire(1, 300)
	clk.Advance(3*time.Second - time.Millisecond)
	started(t, s, 1, "just before the debt is paid")
	clk.Advance(time.Millisecond)
	started(t, s, 2, "once the debt is paid")
}

func TestConcurrencyCap(t *testing.T) {
	for _, limit := range []int{1, 3, 8} {
		t.Run(strconv.Itoa(limit), func(t *testing.T) {
			s := New(Limits{Concurrency: limit, RPM: 1e7, TPM: 1e9})
			var inFlight, most atomic.Int64
			var wg sync.WaitGroup
			for i := range 50 {
				wg.Go(func() {
					rel, err := s.Acquire(t.Context(), 100)
					if err != nil {
						t.Error(err)
						return
					}
					n := inFlight.Add(1)
					for {
						m := most.Load()
						if n <= m || most.CompareAndSwap(m, n) {
							break
						}
					}
					if err := s.Wait(t.Context()); err != nil {
						t.Error(err)
					}
					s.Observe(http.StatusOK, http.Header{})
					time.Sleep(time.Duration(i%3) * time.Millisecond)
					inFlight.Add(-1)
					rel()
				})
			}
			wg.Wait()
			if got := most.Load(); got > int64(limit) {
				t.Errorf("%d requests in flight at once, want at most %d", got, limit)
			}
			st := s.Stats()
			if st.Started != 50 || st.Responses != 50 || st.EstimatedTokens != 5000 {
				t.Errorf("stats %+v, want 50 started and responses, 5000 tokens estimated", st)
			}
		})
	}
}

func TestConcurrencySlots(t *testing.T) {
	s := New(Limits{Concurrency: 3}, WithClock(newFakeClock()))
	r := startRun(t, s)
	r.acquire(7, 10)
	started(t, s, 3, "at first")
	r.releaseOne()
	started(t, s, 4, "after a release")
	r.releaseOne()
	r.releaseOne()
	started(t, s, 6, "after three releases")
}

func TestReleaseTwiceFreesOneSlot(t *testing.T) {
	s := New(Limits{Concurrency: 1}, WithClock(newFakeClock()))
	rel, err := s.Acquire(t.Context(), 0)
	if err != nil {
		t.Fatal(err)
	}
	rel()
	rel()
	r := startRun(t, s)
	r.acquire(2, 0)
	started(t, s, 2, "after one release called twice")
	if got := s.queued(); got != 1 {
		t.Errorf("%d queued, want 1", got)
	}
}

func header(kv ...string) http.Header {
	h := http.Header{}
	for i := 0; i < len(kv); i += 2 {
		h.Set(kv[i], kv[i+1])
	}
	return h
}

func TestRateLimitPausesRun(t *testing.T) {
	tests := []struct {
		name   string
		header http.Header
		pause  time.Duration
	}{
		{"retry-after seconds", header("Retry-After", "2"), 2 * time.Second},
		{"retry-after-ms wins", header("retry-after-ms", "1500", "Retry-After", "2"), 1500 * time.Millisecond},
		{"retry-after as a date", header("Retry-After", "Fri, 01 Mar 2024 02:00:07 GMT"), 7 * time.Second},
		{"exhausted requests reset", header("x-ratelimit-remaining-requests", "0", "x-ratelimit-reset-requests", "3s",
			"x-ratelimit-remaining-tokens", "5000", "x-ratelimit-reset-tokens", "40s"), 3 * time.Second},
		{"exhausted tokens reset", header("x-ratelimit-remaining-tokens", "0", "x-ratelimit-reset-tokens", "6m0s"), maxCooldown},
		{"no hint backs off", http.Header{}, initialBackoff},
		{"capped", header("Retry-After", "3600"), maxCooldown},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clk := newFakeClock()
			s := New(Limits{Concurrency: 10}, WithClock(clk))
			s.Observe(http.StatusTooManyRequests, tt.header)

			r := startRun(t, s)
			waits := make(chan error, 3)
			for range 3 {
				r.wg.Go(func() { waits <- s.Wait(r.ctx) })
			}
			r.acquire(3, 10)
			eventually(t, "every Wait call has its timer", func() bool { return clk.pending() == 3+1 })
			started(t, s, 0, "during the pause")

			clk.Advance(tt.pause - time.Nanosecond)
			started(t, s, 0, "just before the pause ends")
			select {
			case err := <-waits:
				t.Fatalf("Wait returned %v during the pause", err)
			default:
			}

			clk.Advance(time.Nanosecond)
			started(t, s, 3, "once the pause ends")
			for range 3 {
				if err := <-waits; err != nil {
					t.Errorf("Wait: %v", err)
				}
			}
			st := s.Stats()
			if st.RateLimited != 1 || st.Cooldowns != 1 || st.CoolingDown != tt.pause {
				t.Errorf("stats %+v, want one 429, one cooldown of %s", st, tt.pause)
			}
		})
	}
}

func TestLaterRateLimitExtendsPause(t *testing.T) {
	clk := newFakeClock()
	s := New(Limits{}, WithClock(clk))
	s.Observe(429, header("Retry-After", "2"))
	r := startRun(t, s)
	waits := make(chan error, 1)
	r.wg.Go(func() { waits <- s.Wait(r.ctx) })
	eventually(t, "Wait has its timer", func() bool { return clk.pending() == 1 })
	clk.Advance(time.Second)
	s.Observe(429, header("Retry-After", "3")) // the pause now ends at 4s
	clk.Advance(time.Second)
	eventually(t, "Wait has looked again", func() bool { return clk.pending() == 1 })
	clk.Advance(time.Second + 999*time.Millisecond)
	select {
	case err := <-waits:
		t.Fatalf("Wait returned %v before the extended pause ended", err)
	default:
	}
	clk.Advance(time.Millisecond)
	if err := <-waits; err != nil {
		t.Error(err)
	}
	if got := s.Stats().CoolingDown; got != 4*time.Second {
		t.Errorf("cooled down %s, want 4s", got)
	}
}

func TestBackoffGrowsUntilSuccess(t *testing.T) {
	clk := newFakeClock()
	s := New(Limits{}, WithClock(clk))
	pauses := []struct {
		status int
		want   time.Duration // cooldown this response adds
	}{
		{429, time.Second},
		{429, 2 * time.Second},
		{429, 4 * time.Second},
		{200, 0},
		{429, time.Second},
	}
	for i, p := range pauses {
		before := s.Stats().CoolingDown
		s.Observe(p.status, http.Header{})
		got := s.Stats().CoolingDown - before
		if got != p.want {
			t.Errorf("response %d (%d): cooldown %s, want %s", i, p.status, got, p.want)
		}
		if p.want > 0 {
			// A 429 from a request sent before the pause changes nothing.
			s.Observe(429, http.Header{})
			if again := s.Stats().CoolingDown - before; again != got {
				t.Errorf("response %d: a 429 during the pause added %s", i, again-got)
			}
		}
		clk.Advance(got)
	}
	if st := s.Stats(); st.Cooldowns != 4 || st.RateLimited != 8 {
		t.Errorf("stats %+v, want 4 cooldowns and 8 429s", st)
	}
}

func TestRateAdapts(t *testing.T) {
	clk := newFakeClock()
	s := New(Limits{Concurrency: 4, RPM: 60}, WithClock(clk))
	factor := func(want float64, when string) {
		t.Helper()
		if got := s.Stats().RateFactor; math.Abs(got-want) > 1e-9 {
			t.Errorf("%s: rate factor %v, want %v", when, got, want)
		}
	}
	factor(1, "at first")
	s.Observe(429, header("retry-after-ms", "100"))
	factor(0.5, "after a 429")
	clk.Advance(200 * time.Millisecond)
	s.Observe(429, header("retry-after-ms", "100"))
	factor(0.5, "after a 429 within a second of the last cut")
	clk.Advance(time.Second)
	s.Observe(429, header("retry-after-ms", "100"))
	factor(0.25, "after a 429 a second later")
	clk.Advance(recovery / 2)
	s.Observe(200, http.Header{})
	factor(0.625, "half the recovery time after the last cut")
	clk.Advance(recovery / 2)
	s.Observe(200, http.Header{})
	factor(1, "the recovery time after the last cut")
	for range 10 {
		clk.Advance(2 * time.Second)
		s.Observe(429, header("retry-after-ms", "100"))
	}
	factor(minFactor, "after many 429s")
}

func TestRateCutHalvesConcurrency(t *testing.T) {
	clk := newFakeClock()
	s := New(Limits{Concurrency: 4}, WithClock(clk))
	s.Observe(429, header("Retry-After", "1"))
	r := startRun(t, s)
	r.acquire(4, 0)
	clk.Advance(time.Second)
	started(t, s, 2, "after the pause, at half rate")
}

func TestServerHeadersPace(t *testing.T) {
	tests := []struct {
		name   string
		header http.Header
		n      int
		tokens int
		steps  []step
	}{
		{
			name:   "no requests left waits for the reset",
			header: header("x-ratelimit-remaining-requests", "0", "x-ratelimit-reset-requests", "2s"),
			n:      2,
			steps:  []step{{0, 0}, {1999 * time.Millisecond, 0}, {time.Millisecond, 2}},
		},
		{
			name:   "one request left",
			header: header("x-ratelimit-remaining-requests", "1", "x-ratelimit-reset-requests", "0.5s"),
			n:      3,
			steps:  []step{{0, 1}, {499 * time.Millisecond, 1}, {time.Millisecond, 3}},
		},
		{
			name: "tokens refill evenly when the limit is known",
			header: header("x-ratelimit-limit-tokens", "1000", "x-ratelimit-remaining-tokens", "100",
				"x-ratelimit-reset-tokens", "9s"), // 100 tokens a second
			n:      2,
			tokens: 300,
			steps:  []step{{0, 0}, {1999 * time.Millisecond, 0}, {time.Millisecond, 1}, {2999 * time.Millisecond, 1}, {time.Millisecond, 2}},
		},
		{
			name:   "enough left starts at once",
			header: header("x-ratelimit-remaining-tokens", "1000", "x-ratelimit-reset-tokens", "20ms"),
			n:      3,
			tokens: 300,
			steps:  []step{{0, 3}},
		},
		{
			name:   "a reset in the past lapses",
			header: header("x-ratelimit-remaining-requests", "0", "x-ratelimit-reset-requests", "0s"),
			n:      2,
			steps:  []step{{0, 2}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clk := newFakeClock()
			s := New(Limits{Concurrency: 10}, WithClock(clk))
			s.Observe(http.StatusOK, tt.header)
			r := startRun(t, s)
			r.acquire(tt.n, tt.tokens)
			var elapsed time.Duration
			for _, st := range tt.steps {
				clk.Advance(st.advance)
				elapsed += st.advance
				started(t, s, st.started, "after "+elapsed.String())
			}
		})
	}
}

func TestCancel(t *testing.T) {
	t.Run("queued for a slot", func(t *testing.T) {
		s := New(Limits{Concurrency: 1}, WithClock(newFakeClock()))
		rel, err := s.Acquire(t.Context(), 0)
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(t.Context())
		done := make(chan error)
		go func() {
			_, err := s.Acquire(ctx, 0)
			done <- err
		}()
		eventually(t, "the call is queued", func() bool { return s.queued() == 1 })
		cancel()
		if err := <-done; !errors.Is(err, context.Canceled) {
			t.Errorf("Acquire: %v, want context.Canceled", err)
		}
		if got := s.queued(); got != 0 {
			t.Errorf("%d still queued", got)
		}
		rel()
		if _, err := s.Acquire(t.Context(), 0); err != nil {
			t.Errorf("Acquire after the slot came back: %v", err)
		}
	})
	t.Run("queued behind a cooldown", func(t *testing.T) {
		s := New(Limits{}, WithClock(newFakeClock()))
		s.Observe(429, header("Retry-After", "30"))
		ctx, cancel := context.WithCancel(t.Context())
		acq, wait := make(chan error), make(chan error)
		go func() {
			_, err := s.Acquire(ctx, 10)
			acq <- err
		}()
		go func() { wait <- s.Wait(ctx) }()
		eventually(t, "the call is queued", func() bool { return s.queued() == 1 })
		cancel()
		if err := <-acq; !errors.Is(err, context.Canceled) {
			t.Errorf("Acquire: %v, want context.Canceled", err)
		}
		if err := <-wait; !errors.Is(err, context.Canceled) {
			t.Errorf("Wait: %v, want context.Canceled", err)
		}
	})
	t.Run("done before the call", func(t *testing.T) {
		s := New(Limits{})
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		if _, err := s.Acquire(ctx, 10); !errors.Is(err, context.Canceled) {
			t.Errorf("Acquire: %v, want context.Canceled", err)
		}
		if err := s.Wait(ctx); !errors.Is(err, context.Canceled) {
			t.Errorf("Wait: %v, want context.Canceled", err)
		}
		if got := s.Stats().Started; got != 0 {
			t.Errorf("started %d", got)
		}
	})
	t.Run("the head gives up and the next goes", func(t *testing.T) {
		clk := newFakeClock()
		s := New(Limits{Concurrency: 10, TPM: 6000}, WithClock(clk)) // 100 tokens a second
		if _, err := s.Acquire(t.Context(), 100); err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(t.Context())
		done := make(chan error)
		go func() {
			_, err := s.Acquire(ctx, 1000) // waits for a full bucket and then some
			done <- err
		}()
		eventually(t, "the big request heads the queue", func() bool { return s.queued() == 1 })
		r := startRun(t, s)
		r.acquire(1, 50)
		cancel()
		<-done
		clk.Advance(500 * time.Millisecond)
		started(t, s, 2, "after the head left")
	})
}

// TestWithDoer runs the Scheduler as the pacer of the real HTTP layer: a
// 429 is seen, pauses the run, and the retry goes through.
func TestWithDoer(t *testing.T) {
	var calls atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			w.Header().Set("retry-after-ms", "20")
			w.Header().Set("x-ratelimit-remaining-requests", "0")
			w.Header().Set("x-ratelimit-reset-requests", "20ms")
			w.WriteHeader(http.StatusTooManyRequests)
			w.Write([]byte(`{"error":{"message":"Rate limit reached","type":"requests","code":"rate_limit_exceeded"}}`))
			return
		}
		w.Header().Set("x-ratelimit-remaining-requests", "99")
		w.Header().Set("x-ratelimit-reset-requests", "600ms")
		w.Write([]byte(`{}`))
	}))
	defer srv.Close()

	s := New(Limits{Concurrency: 2, RPM: 6000})
	d := llm.NewDoer(llm.Config{Timeout: 10 * time.Second, MaxRetries: 2, MaxConns: 2, Pacer: s})
	rel, err := s.Acquire(t.Context(), 10)
	if err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, srv.URL+"/v1/chat/completions", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := d.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	rel()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("status %d, want 200", resp.StatusCode)
	}
	st := s.Stats()
	if st.Responses != 2 || st.RateLimited != 1 || st.Cooldowns != 1 || st.CoolingDown != 20*time.Millisecond {
		t.Errorf("stats %+v, want 2 responses, one 429 and a 20ms cooldown", st)
	}
}

// TestCancelRacingAdmission cancels a queued call just as a release admits
// it: whichever wins, the books must balance.
func TestCancelRacingAdmission(t *testing.T) {
	for i := range 300 {
		s := New(Limits{Concurrency: 1, RPM: 1e6, TPM: 1e9}, WithClock(newFakeClock()))
		relA, err := s.Acquire(t.Context(), 5)
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(t.Context())
		type result struct {
			rel func()
			err error
		}
		done := make(chan result)
		go func() {
			rel, err := s.Acquire(ctx, 7)
			done <- result{rel, err}
		}()
		eventually(t, "the call is queued", func() bool { return s.queued() == 1 })
		cancel()
		relA() // admits the call unless it has seen ctx end first
		r := <-done
		want := Stats{Started: 1, EstimatedTokens: 5, RateFactor: 1}
		if r.err == nil {
			r.rel()
			want = Stats{Started: 2, EstimatedTokens: 12, RateFactor: 1}
		}
		if got := s.Stats(); got != want {
			t.Fatalf("round %d (err %v): stats %+v, want %+v", i, r.err, got, want)
		}
		s.mu.Lock()
		inflight := s.inflight
		s.mu.Unlock()
		if inflight != 0 {
			t.Fatalf("round %d: %d in flight after every release", i, inflight)
		}
	}
}

func TestLogsPause(t *testing.T) {
	var buf strings.Builder
	s := New(Limits{}, WithClock(newFakeClock()), WithLogger(slog.New(slog.NewTextHandler(&buf, nil))))
	s.Observe(429, header("Retry-After", "2"))
	if got := buf.String(); !strings.Contains(got, "level=WARN") || !strings.Contains(got, "for=2s") {
		t.Errorf("log %q, want a warning with the pause", got)
	}
}
