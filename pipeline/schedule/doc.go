// Package schedule shares one API budget among every request of a run, so
// that nl2en can translate hundreds of articles at the speed the server
// allows without tripping its rate limits.
//
// One [Scheduler] serves the whole run. The translate stage calls
// [Scheduler.Acquire] before each chat request with the tokens the server
// will count against its limit (the prompt plus max_tokens, the most the
// reply may hold), and calls the returned release func when the request
// is over. The same Scheduler is given to the HTTP layer as an llm.Pacer:
// [Scheduler.Wait] runs before every attempt, retries included, and
// [Scheduler.Observe] sees every response.
//
// # Pacing
//
// Acquire admits requests in arrival order (a large request is never
// starved by small ones) once four things hold:
//
//   - an in-flight slot is free (Limits.Concurrency);
//   - the request bucket holds one request and the token bucket holds the
//     estimate (Limits.RPM, Limits.TPM);
//   - the server's own last word on its budget, read from the
//     x-ratelimit-remaining-* and x-ratelimit-reset-* headers, leaves room;
//   - no run-wide cooldown is in force.
//
// The buckets refill continuously at the configured rate and hold at most
// one second of it (and at least one request): OpenAI enforces per-minute
// limits over shorter windows too, so a minute's budget spent in one burst
// earns a 429 even when the minute's total is within the limit. Over a long
// run the buckets are never idle, so throughput converges on the limit. A
// request larger than the token bucket waits for a full bucket and leaves it
// in debt, which later requests wait out. Releasing a request frees its
// slot, not its tokens: OpenAI charges the prompt and max_tokens when a
// request arrives and keeps them whatever the reply uses, and a run that
// took back what its replies did not use would pace itself ahead of the
// server and earn 429s.
//
// # Rate limits
//
// A 429 stops the whole run, not only the request that got it: every
// Acquire and Wait blocks until the cooldown ends. The cooldown lasts as
// long as retry-after-ms or Retry-After asks; without them, until the reset
// of the exhausted x-ratelimit dimension; without those, 1s doubling with
// each 429 that follows a cooldown without a success in between, up to 30s.
// No cooldown is longer than a minute.
//
// A 429 also halves the rate the run is held to (RPM, TPM and concurrency
// alike, down to a sixteenth), at most once a second so that a volley of
// 429s from requests already in flight counts as one signal. Each success
// then adds back a small step, so the run is back at full rate after about
// a minute without 429s: additive increase, multiplicative decrease, as TCP
// does with its window.
//
// When x-ratelimit-limit-* is sent as well, the server's remaining budget
// is assumed to refill evenly until the reset (OpenAI's limits replenish
// continuously), so a request may start as soon as its share has come
// back rather than at the full reset.
package schedule
