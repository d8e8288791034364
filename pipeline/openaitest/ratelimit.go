package openaitest

import (
	"fmt"
	"net/http"
	"strconv"
	"time"
)

// limiter counts requests and tokens in a sliding window. The Server's
// mutex guards it.
type limiter struct {
	rpm, tpm int
	window   time.Duration
	events   []rateEvent // oldest first
}

type rateEvent struct {
	at     time.Time
	tokens int
}

// rateState is the outcome of one take, and what the x-ratelimit-* headers
// say after it.
type rateState struct {
	ok       bool
	tooLarge bool          // the request alone exceeds tpm
	byTokens bool          // denied by the token limit, else by the request limit
	wait     time.Duration // until the request would be admitted

	rpm, tpm                 int
	usedRequests, usedTokens int // in the window, before this request
	requested                int // tokens
	resetRequests            time.Duration
	resetTokens              time.Duration
}

func (l *limiter) take(now time.Time, tokens int) rateState {
	cut := now.Add(-l.window)
	i := 0
	for i < len(l.events) && !l.events[i].at.After(cut) {
		i++
	}
	l.events = l.events[i:]
	used := 0
	for _, e := range l.events {
		used += e.tokens
	}
	st := rateState{rpm: l.rpm, tpm: l.tpm, usedRequests: len(l.events), usedTokens: used, requested: tokens}
	leaves := func(e rateEvent) time.Duration { return e.at.Add(l.window).Sub(now) }

	denied := false
	if l.tpm > 0 && tokens > l.tpm {
		st.tooLarge, st.byTokens = true, true
		denied = true
	}
	if !denied && l.rpm > 0 && len(l.events) >= l.rpm {
		denied = true
		st.wait = leaves(l.events[len(l.events)-l.rpm])
	}
	if !denied && l.tpm > 0 && used+tokens > l.tpm {
		denied, st.byTokens = true, true
		freed := 0
		for _, e := range l.events {
			freed += e.tokens
			if used-freed+tokens <= l.tpm {
				st.wait = leaves(e)
				break
			}
		}
	}
	if !denied {
		st.ok = true
		l.events = append(l.events, rateEvent{at: now, tokens: tokens})
	}

	st.usedRequests, st.usedTokens = 0, 0
	for _, e := range l.events {
		st.usedRequests++
		st.usedTokens += e.tokens
		if st.resetRequests == 0 {
			st.resetRequests = leaves(e)
		}
		if st.resetTokens == 0 && e.tokens > 0 {
			st.resetTokens = leaves(e)
		}
	}
	if !st.ok {
		// Report what was counted before this request.
		st.usedTokens = used
	}
	return st
}

// setHeaders sets OpenAI's x-ratelimit-* headers for the limits in force.
func (st rateState) setHeaders(h http.Header) {
	if st.rpm > 0 {
		h.Set("X-Ratelimit-Limit-Requests", strconv.Itoa(st.rpm))
		h.Set("X-Ratelimit-Remaining-Requests", strconv.Itoa(max(st.rpm-st.usedRequests, 0)))
		h.Set("X-Ratelimit-Reset-Requests", formatReset(st.resetRequests))
	}
	if st.tpm > 0 {
		h.Set("X-Ratelimit-Limit-Tokens", strconv.Itoa(st.tpm))
		h.Set("X-Ratelimit-Remaining-Tokens", strconv.Itoa(max(st.tpm-st.usedTokens, 0)))
		h.Set("X-Ratelimit-Reset-Tokens", formatReset(st.resetTokens))
	}
}

// formatReset writes a duration the way OpenAI's reset headers do ("1s",
// "6m0s", "120ms"), which time.ParseDuration reads back.
func formatReset(d time.Duration) string {
	if d <= 0 {
		return "0s"
	}
	return d.Round(time.Millisecond).String()
}

// setRetryAfter sets retry-after-ms, and retry-after in whole seconds
// rounded up.
func setRetryAfter(h http.Header, d time.Duration) {
	ms := (d + time.Millisecond - 1) / time.Millisecond
	h.Set("Retry-After-Ms", strconv.FormatInt(int64(ms), 10))
	h.Set("Retry-After", strconv.FormatInt(int64((d+time.Second-1)/time.Second), 10))
}

func (s *Server) writeRateLimited(w http.ResponseWriter, c *call, st rateState) {
	h := w.Header()
	if !st.tooLarge {
		setRetryAfter(h, st.wait)
	}
	if s.opts.azure {
		what := "call"
		if st.byTokens {
			what = "token"
		}
		msg := fmt.Sprintf("Requests to the ChatCompletions_Create Operation under Azure OpenAI API version %s have exceeded %s rate limit of your current OpenAI S0 pricing tier. Please retry after %d seconds. Please go here: https://aka.ms/oai/quotaincrease if you would like to further increase the default rate limit.",
			c.r.URL.Query().Get("api-version"), what, max(int64((st.wait+time.Second-1)/time.Second), 1))
		writeJSON(w, http.StatusTooManyRequests, azureError("429", msg))
		return
	}
	var msg, typ string
	switch {
	case st.tooLarge:
		msg = fmt.Sprintf("Request too large for %s in organization org-nl2entest on tokens per min (TPM): Limit %d, Requested %d. The input or output tokens must be reduced in order to run successfully. Visit https://platform.openai.com/account/rate-limits to learn more.", c.model, st.tpm, st.requested)
		typ = "tokens"
	case st.byTokens:
		msg = fmt.Sprintf("Rate limit reached for %s in organization org-nl2entest on tokens per min (TPM): Limit %d, Used %d, Requested %d. Please try again in %s. Visit https://platform.openai.com/account/rate-limits to learn more.", c.model, st.tpm, st.usedTokens, st.requested, formatReset(st.wait))
		typ = "tokens"
	default:
		msg = fmt.Sprintf("Rate limit reached for %s in organization org-nl2entest on requests per min (RPM): Limit %d, Used %d, Requested 1. Please try again in %s. Visit https://platform.openai.com/account/rate-limits to learn more.", c.model, st.rpm, st.usedRequests, formatReset(st.wait))
		typ = "requests"
	}
	writeJSON(w, http.StatusTooManyRequests, apiError(msg, typ, "", "rate_limit_exceeded"))
}
