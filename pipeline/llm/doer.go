package llm

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// Pacer shares one API budget among all the requests of a run. Wait is
// called before every attempt; Observe after every response, so that a 429
// slows the whole run rather than only the request that got it.
type Pacer interface {
	Wait(ctx context.Context) error
	Observe(status int, header http.Header)
}

// ErrTimeout is returned when an attempt gets no complete reply in time.
var ErrTimeout = errors.New("no reply in time")

// Backoff limits, as in the official OpenAI clients.
const (
	initialBackoff   = 500 * time.Millisecond
	maxBackoffFactor = 16 // 500ms doubles up to 8s
	// maxRetryAfter caps how long a server may ask us to wait; past it the
	// request fails rather than hanging a nightly run.
	maxRetryAfter = 60 * time.Second
	maxReplyBytes = 32 << 20
	maxFileBytes  = 1 << 30
)

// Doer is an [openai.HTTPDoer] that retries transient failures: connection
// errors, timeouts, 408, 409, 429 and 5xx, with exponential backoff and
// jitter, honouring retry-after-ms, Retry-After and x-should-retry. A 429
// that will not clear by waiting (insufficient_quota, "Request too large")
// is returned at once.
//
// Until the server has answered once, a refused connection or a host that
// DNS says does not exist is returned at once too: waiting does not make a
// mistyped URL or a stopped server answer, and a run that has not started
// should say so now rather than after its retries. Once the server has
// answered, the same errors mean it is restarting or the network is
// flapping, and are retried; so is a DNS lookup that failed for now. One
// Doer serves a whole run, so "once" is once in the run.
//
// Each attempt has its own deadline covering the whole reply, which Do reads
// into memory before returning, so go-openai never reads from a cancelled
// connection.
type Doer struct {
	client     *http.Client
	timeout    time.Duration
	maxRetries int
	log        *slog.Logger
	pacer      Pacer
	backoff    time.Duration
	// key is the configured API key, removed from every reply before
	// anything reads it; nil when there is none worth hiding.
	key []byte
	// answered is set by the first reply from the server, whatever it
	// says.
	answered atomic.Bool
	// sleep waits between attempts; tests replace it to run instantly.
	sleep func(ctx context.Context, d time.Duration) error
}

// NewDoer returns a Doer with its own HTTP client.
func NewDoer(cfg Config) *Doer {
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Doer{
		client:     newHTTPClient(cfg),
		timeout:    cfg.Timeout,
		maxRetries: cfg.MaxRetries,
		log:        log,
		pacer:      cfg.Pacer,
		backoff:    cmp.Or(cfg.InitialBackoff, initialBackoff),
		key:        secretKey(cfg.APIKey),
		sleep:      sleepCtx,
	}
}

// minSecretKey is the shortest key removed from replies: a local server
// takes any key ("x"), and replacing so short a string would spoil the
// replies while hiding nothing.
const minSecretKey = 8

func secretKey(key string) []byte {
	if len(key) < minSecretKey {
		return nil
	}
	return []byte(key)
}

// RedactedKey stands for the API key where a server echoed it.
const RedactedKey = "[redacted API key]"

// Counter counts what a server saw of the requests made under a context
// (see [WithCounter]): every attempt it answered, whatever the answer (an
// error, a cut-off body, a reply that turned out unusable: providers bill
// those too), and every retry. Replies that parsed count only part of it.
type Counter struct {
	answered, retries atomic.Int64
}

// Answered is the number of attempts the server answered.
func (c *Counter) Answered() int { return int(c.answered.Load()) }

// Retries is the number of attempts after the first of a request.
func (c *Counter) Retries() int { return int(c.retries.Load()) }

type counterKey struct{}

// WithCounter returns ctx with c counting the requests made under it.
func WithCounter(ctx context.Context, c *Counter) context.Context {
	return context.WithValue(ctx, counterKey{}, c)
}

func counterOf(ctx context.Context) *Counter {
	c, _ := ctx.Value(counterKey{}).(*Counter)
	return c
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// Do sends req, retrying as described on [Doer].
func (d *Doer) Do(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	var body []byte
	if req.Body != nil {
		b, err := io.ReadAll(req.Body)
		req.Body.Close()
		if err != nil {
			return nil, fmt.Errorf("read request body: %w", err)
		}
		body = b
	}
	count := counterOf(ctx)
	for attempt := 0; ; attempt++ {
		if attempt > 0 && count != nil {
			count.retries.Add(1)
		}
		if d.pacer != nil {
			if err := d.pacer.Wait(ctx); err != nil {
				return nil, err
			}
		}
		resp, err := d.attempt(ctx, req, body, count)
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if d.pacer != nil && resp != nil {
			d.pacer.Observe(resp.StatusCode, resp.Header)
		}
		if err != nil && !d.answered.Load() && (refused(err) || unknownHost(err)) {
			return nil, err
		}
		retry, why := shouldRetry(resp, err, attempt)
		if !retry || attempt >= d.maxRetries {
			return resp, err
		}
		wait := retryDelay(resp, attempt, d.backoff)
		d.log.Warn("retrying request", "url", RedactURL(req.URL.String()), "reason", why,
			"attempt", attempt+2, "of", d.maxRetries+1, "wait", wait.Round(time.Millisecond))
		if err := d.sleep(ctx, wait); err != nil {
			return nil, err
		}
	}
}

// attempt sends one try and reads its whole reply under the attempt's
// deadline.
func (d *Doer) attempt(ctx context.Context, req *http.Request, body []byte, count *Counter) (*http.Response, error) {
	actx, cancel := ctx, context.CancelFunc(func() {})
	if d.timeout > 0 {
		actx, cancel = context.WithTimeout(ctx, d.timeout)
	}
	defer cancel()
	r := req.Clone(actx)
	if body != nil {
		r.Body = io.NopCloser(bytes.NewReader(body))
		r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
		r.ContentLength = int64(len(body))
	}
	resp, err := d.client.Do(r)
	if err != nil {
		return nil, d.attemptError(ctx, actx, r, err)
	}
	d.answered.Store(true)
	if count != nil {
		count.answered.Add(1)
	}
	limit := int64(maxReplyBytes)
	if strings.Contains(r.URL.Path, "/files/") {
		limit = maxFileBytes // Batch API output files
	}
	reply, err := io.ReadAll(io.LimitReader(resp.Body, limit))
	resp.Body.Close()
	if err != nil {
		return nil, d.attemptError(ctx, actx, r, fmt.Errorf("read reply: %w", err))
	}
	if d.key != nil {
		// A server or proxy that echoes the key in an error body must not
		// put it into messages, logs and reports.
		reply = bytes.ReplaceAll(reply, d.key, []byte(RedactedKey))
	}
	resp.Body = io.NopCloser(bytes.NewReader(reply))
	resp.ContentLength = int64(len(reply))
	return resp, nil
}

// attemptError is the error of an attempt that got no complete reply, as a
// *url.Error that names the URL tried (as the HTTP client's own are).
func (d *Doer) attemptError(ctx, actx context.Context, r *http.Request, err error) error {
	if ctx.Err() == nil && errors.Is(actx.Err(), context.DeadlineExceeded) {
		err = fmt.Errorf("%w (request timeout %s)", ErrTimeout, d.timeout)
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		return err
	}
	return &url.Error{Op: r.Method[:1] + strings.ToLower(r.Method[1:]), URL: r.URL.String(), Err: err}
}

// shouldRetry decides whether a reply or error is worth another attempt
// after attempt (0 for the first), and says why for the log.
func shouldRetry(resp *http.Response, err error, attempt int) (bool, string) {
	if err != nil {
		if errors.Is(err, ErrTimeout) {
			return true, "timeout"
		}
		return true, describeNetError(err)
	}
	switch resp.Header.Get("x-should-retry") {
	case "true":
		return true, "server asked to retry"
	case "false":
		return false, ""
	}
	code := resp.StatusCode
	if code >= 200 && code < 300 && strings.HasSuffix(resp.Request.URL.Path, "/chat/completions") && malformedJSON(resp) {
		return true, "malformed reply body"
	}
	switch {
	case code == http.StatusTooManyRequests:
		if kind, _ := peekError(resp); kind == KindQuota || kind == KindTooLarge {
			return false, ""
		}
		return true, "429 rate limited"
	case code >= 500 && attempt >= 1:
		// A server that cannot parse its own model's output will most
		// likely fail the same way again: one retry, not four.
		if kind, _ := peekError(resp); kind == KindOutputFormat {
			return false, ""
		}
		return true, strconv.Itoa(code) + " " + http.StatusText(code)
	case code == http.StatusRequestTimeout, code == http.StatusConflict, code >= 500:
		return true, strconv.Itoa(code) + " " + http.StatusText(code)
	}
	return false, ""
}

// malformedJSON reports a successful reply that claims to be JSON but is
// not: a body cut off by a proxy or a crashed server, worth another try.
func malformedJSON(resp *http.Response) bool {
	if !strings.Contains(resp.Header.Get("Content-Type"), "json") || resp.Body == nil {
		return false
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body = io.NopCloser(bytes.NewReader(b))
	return !json.Valid(b)
}

// retryDelay is the server's Retry-After when it gives a sane one, else
// exponential backoff with jitter.
func retryDelay(resp *http.Response, attempt int, initial time.Duration) time.Duration {
	if resp != nil {
		if d, ok := RetryAfter(resp.Header, time.Now()); ok && d <= maxRetryAfter {
			return d
		}
	}
	back := min(initial<<min(attempt, 10), initial*maxBackoffFactor)
	jitter := 1 - 0.25*rand.Float64()
	return time.Duration(float64(back) * jitter)
}

// RetryAfter reads how long a server asks a client to wait: the
// retry-after-ms header, then Retry-After as seconds or an HTTP date (a
// date in the past is no wait). Absurd values are capped rather than
// overflowing; the caller decides how long it is willing to wait.
func RetryAfter(h http.Header, now time.Time) (time.Duration, bool) {
	if v := strings.TrimSpace(h.Get("retry-after-ms")); v != "" {
		if ms, err := strconv.ParseFloat(v, 64); err == nil && ms >= 0 {
			return seconds(ms / 1000), true
		}
	}
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0, false
	}
	if s, err := strconv.ParseFloat(v, 64); err == nil && s >= 0 {
		return seconds(s), true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0), true
	}
	return 0, false
}

// seconds converts without overflowing on absurd values.
func seconds(s float64) time.Duration {
	const maxSeconds = float64(math.MaxInt64) / 1e9
	if s >= maxSeconds {
		return time.Duration(math.MaxInt64)
	}
	return time.Duration(s * 1e9)
}

// peekError reads the error body of a reply without consuming it, and
// classifies it whatever shape the server used: OpenAI's error object, the
// same with a string code (Azure) or a number (llama.cpp), vLLM's flat
// object, or a bare string (LM Studio, Ollama).
func peekError(resp *http.Response) (Kind, string) {
	if resp.Body == nil {
		return kindOf(resp.StatusCode, errorBody{}), ""
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body = io.NopCloser(bytes.NewReader(b))
	body := parseErrorBody(b)
	return kindOf(resp.StatusCode, body), body.Message
}

// errorBody is what an error reply says, whatever its shape.
type errorBody struct {
	Code    string // a string, or a number written out: "rate_limit_exceeded", "429", "400"
	Type    string // "invalid_request_error", "exceed_context_size_error"
	Message string
}

// parseErrorBody reads the code, type and message of any common error
// shape.
func parseErrorBody(b []byte) errorBody {
	var shapes struct {
		Error   json.RawMessage `json:"error"`
		Message string          `json:"message"`
		Code    any             `json:"code"`
		Type    string          `json:"type"`
		Detail  any             `json:"detail"`
	}
	if json.Unmarshal(b, &shapes) != nil {
		return errorBody{Message: strings.TrimSpace(string(b))}
	}
	if len(shapes.Error) > 0 {
		var obj struct {
			Message string `json:"message"`
			Code    any    `json:"code"`
			Type    string `json:"type"`
		}
		if json.Unmarshal(shapes.Error, &obj) == nil && (obj.Message != "" || obj.Code != nil) {
			return errorBody{Code: anyString(obj.Code), Type: obj.Type, Message: obj.Message}
		}
		var s string
		if json.Unmarshal(shapes.Error, &s) == nil {
			// {"error": "SyntaxError", "message": "Unexpected token …"}:
			// the string names the error, the message says what it is.
			if shapes.Message != "" && shapes.Message != s {
				s += ": " + shapes.Message
			}
			return errorBody{Code: anyString(shapes.Code), Type: shapes.Type, Message: s}
		}
	}
	if shapes.Message != "" {
		return errorBody{Code: anyString(shapes.Code), Type: shapes.Type, Message: shapes.Message}
	}
	if shapes.Detail != nil {
		return errorBody{Message: anyString(shapes.Detail)}
	}
	return errorBody{Message: strings.TrimSpace(string(b))}
}

func anyString(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	default:
		b, _ := json.Marshal(x)
		return string(b)
	}
}
