package llm_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	openai "github.com/sashabaranov/go-openai"

	"github.com/nl2en/nl2en/pipeline/llm"
	"github.com/nl2en/nl2en/pipeline/openaitest"
)

// dialer counts the connections a client opens, and opens them with dial.
type dialer struct {
	n    atomic.Int64
	dial func(ctx context.Context, network, addr string) (net.Conn, error)
}

func (d *dialer) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	d.n.Add(1)
	return d.dial(ctx, network, addr)
}

// resolving dials as a net.Dialer does whose DNS answers every name with a.
func resolving(a openaitest.DNSAnswer) *dialer {
	return &dialer{dial: (&net.Dialer{Resolver: openaitest.Resolver(a)}).DialContext}
}

// closedPort returns a loopback address nothing listens on.
func closedPort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

// logBuffer is a logger's output, safe to read while requests log.
type logBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) retries() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Count(l.b.String(), `msg="retrying request"`)
}

func newClient(base string, d *dialer, log *logBuffer) *openai.Client {
	return llm.NewClient(llm.Config{
		APIKey: key, BaseURL: base, Timeout: 10 * time.Second, MaxRetries: 3,
		InitialBackoff: time.Millisecond, Dial: d.DialContext,
		Logger: slog.New(slog.NewTextHandler(log, nil)),
	})
}

// TestUnreachableBeforeFirstReply guards that a refused connection and an
// unknown host end a request at once, naming the URL, while a DNS lookup
// that failed for now is retried.
func TestUnreachableBeforeFirstReply(t *testing.T) {
	refused := closedPort(t)
	tests := []struct {
		name    string
		base    string
		dialer  *dialer
		dials   int
		retries int
		want    string
	}{
		{"connection refused", "http://" + refused + "/v1", &dialer{dial: (&net.Dialer{}).DialContext}, 1, 0,
			"cannot reach the API at http://" + refused + "/v1/chat/completions: connection refused"},
		{"unknown host", "http://api.nl2en.invalid/v1", resolving(openaitest.NoSuchHost), 1, 0,
			"cannot reach the API at http://api.nl2en.invalid/v1/chat/completions: unknown host api.nl2en.invalid"},
		{"a DNS failure for now is retried", "http://api.nl2en.invalid/v1", resolving(openaitest.ServerFailure), 4, 3,
			"cannot reach the API at http://api.nl2en.invalid/v1/chat/completions: cannot resolve host api.nl2en.invalid: server misbehaving"},
		{"credentials are not shown", "http://user:secret@" + refused + "/v1", &dialer{dial: (&net.Dialer{}).DialContext}, 1, 0,
			"cannot reach the API at http://" + refused + "/v1/chat/completions: connection refused"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var log logBuffer
			c := newClient(tt.base, tt.dialer, &log)
			err := llm.Classify(ask(t.Context(), c), tt.base, "gpt-4.1-mini")
			if !llm.IsKind(err, llm.KindUnreachable) {
				t.Fatalf("got %v, want the API unreachable", err)
			}
			if got := err.Error(); got != tt.want {
				t.Errorf("message\n got %q\nwant %q", got, tt.want)
			}
			if got := int(tt.dialer.n.Load()); got != tt.dials {
				t.Errorf("got %d connection attempts, want %d", got, tt.dials)
			}
			if got := log.retries(); got != tt.retries {
				t.Errorf("got %d retry warnings, want %d", got, tt.retries)
			}
		})
	}
}

// TestUnreachableAfterAReply guards that once the server has answered in
// a run, a refused connection or an unknown host is a server restarting
// or a network flapping, and is retried.
func TestUnreachableAfterAReply(t *testing.T) {
	for _, tt := range []struct {
		name  string
		after *dialer // how connections are opened once the server is gone
		want  string
	}{
		{"connection refused", nil, "connection refused"},
		{"unknown host", resolving(openaitest.NoSuchHost), "unknown host api.nl2en.invalid"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv := openaitest.New(t, openaitest.WithAPIKey(key))
			addr := strings.TrimSuffix(strings.TrimPrefix(srv.BaseURL(), "http://"), "/v1")
			var gone atomic.Bool
			d := &dialer{dial: func(ctx context.Context, network, a string) (net.Conn, error) {
				if gone.Load() && tt.after != nil {
					return tt.after.DialContext(ctx, network, a)
				}
				return (&net.Dialer{}).DialContext(ctx, network, addr)
			}}
			base := "http://api.nl2en.invalid:" + addr[strings.LastIndexByte(addr, ':')+1:] + "/v1"
			var log logBuffer
			c := newClient(base, d, &log)
			if err := ask(t.Context(), c); err != nil {
				t.Fatalf("first request: %v", err)
			}
			srv.Close()
			gone.Store(true)
			err := llm.Classify(ask(t.Context(), c), base, "gpt-4.1-mini")
			if !llm.IsKind(err, llm.KindUnreachable) || !strings.HasSuffix(err.Error(), ": "+tt.want) {
				t.Fatalf("got %v, want the API unreachable: %s", err, tt.want)
			}
			if got := log.retries(); got != 3 {
				t.Errorf("got %d retry warnings, want 3", got)
			}
		})
	}
}

// TestAnswerPerClient guards that "the server has answered" belongs to one
// client, which serves one run: another client starts afresh.
func TestAnswerPerClient(t *testing.T) {
	srv := openaitest.New(t, openaitest.WithAPIKey(key))
	var log logBuffer
	d := &dialer{dial: (&net.Dialer{}).DialContext}
	if err := ask(t.Context(), newClient(srv.BaseURL(), d, &log)); err != nil {
		t.Fatal(err)
	}
	srv.Close()
	err := ask(t.Context(), newClient(srv.BaseURL(), d, &log))
	if err == nil || log.retries() != 0 {
		t.Errorf("a new client after the server went: got %v and %d retry warnings, want an error at once", err, log.retries())
	}
}

// models returns n model names.
func models(n int) []string {
	var m []string
	for i := range n {
		m = append(m, fmt.Sprintf("model-%02d", i+1))
	}
	return m
}

// TestModelNotFoundNamesServed guards that a model the server does not
// serve is refused naming those it does, from one look at its list.
func TestModelNotFoundNamesServed(t *testing.T) {
	tests := []struct {
		name   string
		models []string
		served string
	}{
		{"a few", models(3), "; it serves model-01, model-02, model-03"},
		{"many", models(12), "; it serves model-01, model-02, model-03, model-04, model-05, model-06, model-07, model-08, model-09, model-10 and 2 more"},
		{"none", []string{}, "; it lists no models"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := openaitest.New(t, openaitest.WithAPIKey(key), openaitest.WithModels(tt.models...))
			c := llm.NewClient(llm.Config{APIKey: key, BaseURL: srv.BaseURL(), Timeout: 10 * time.Second})
			for range 2 {
				err := llm.Classify(ask(t.Context(), c), srv.BaseURL(), "gpt-4.1-mini")
				var le *llm.Error
				if !errors.As(err, &le) || le.Kind != llm.KindModelNotFound {
					t.Fatalf("got %v, want the model not found", err)
				}
				want := `the API at ` + llm.Host(srv.BaseURL()) + ` does not know model "gpt-4.1-mini" (404)` + tt.served
				if got := err.Error(); got != want {
					t.Errorf("message\n got %q\nwant %q", got, want)
				}
				if len(le.Served) != len(tt.models) {
					t.Errorf("Served holds %d models, want %d", len(le.Served), len(tt.models))
				}
			}
			lists := 0
			for _, r := range srv.Requests() {
				if r.Path == "/v1/models" {
					lists++
					if r.Header.Get("Authorization") != "Bearer "+key {
						t.Errorf("the model list was asked for without the key")
					}
				}
			}
			if lists != 1 {
				t.Errorf("the model list was asked for %d times, want once", lists)
			}
		})
	}
}

// TestModelNotFoundAzure guards that an unknown Azure deployment is not
// answered with the resource's models, which are not deployment names.
func TestModelNotFoundAzure(t *testing.T) {
	srv := openaitest.New(t, openaitest.WithAPIKey(key), openaitest.WithAzure("gpt-4.1-mini", ""))
	c := llm.NewClient(llm.Config{APIKey: key, BaseURL: srv.BaseURL(), Azure: true, Timeout: 10 * time.Second})
	_, err := c.CreateChatCompletion(t.Context(), openai.ChatCompletionRequest{
		Model:    "my-deployment",
		Messages: []openai.ChatCompletionMessage{{Role: openai.ChatMessageRoleUser, Content: "Hallo"}},
	})
	err = llm.Classify(err, srv.BaseURL(), "my-deployment")
	var le *llm.Error
	if !errors.As(err, &le) || le.Kind != llm.KindModelNotFound || le.Served != nil {
		t.Fatalf("got %v (served %q), want the deployment not found and no models named", err, le.Served)
	}
	for _, r := range srv.Requests() {
		if strings.HasSuffix(r.Path, "/models") {
			t.Errorf("the model list was asked for: %s", r.Path)
		}
	}
}

// TestNotFoundSuggestsBaseURL guards that a 404 for the endpoint shows
// the URL tried and, where it can tell, what the base URL should be.
func TestNotFoundSuggestsBaseURL(t *testing.T) {
	srv := openaitest.New(t, openaitest.WithAPIKey(key))
	root := strings.TrimSuffix(srv.BaseURL(), "/v1")
	tests := []struct {
		name, base, tried, suggest string
	}{
		{"the endpoint's URL as the base", root + "/v1/chat/completions", root + "/v1/chat/completions/chat/completions", root + "/v1"},
		{"the endpoint's URL with a slash", root + "/v1/chat/completions/", root + "/v1/chat/completions/chat/completions", root + "/v1"},
		{"no /v1", root, root + "/chat/completions", root + "/v1"},
		{"some other path", root + "/v2", root + "/v2/chat/completions", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := llm.NewClient(llm.Config{APIKey: key, BaseURL: tt.base, Timeout: 10 * time.Second})
			err := llm.Classify(ask(t.Context(), c), tt.base, "gpt-4.1-mini")
			var le *llm.Error
			if !errors.As(err, &le) || le.Kind != llm.KindNotFound {
				t.Fatalf("got %v, want the endpoint not found", err)
			}
			want := "the API at " + root + " has no endpoint at " + tt.tried + " (404)"
			if tt.suggest != "" {
				want += ": the base URL should be " + tt.suggest
			}
			if got := err.Error(); got != want || le.BaseURL != tt.suggest {
				t.Errorf("message\n got %q\nwant %q\nbase URL %q, want %q", got, want, le.BaseURL, tt.suggest)
			}
		})
	}
}

// TestNoKeySent guards that a 401 to a request sent without a key (none
// set, or a placeholder) says so, and is never "rejected the API key".
func TestNoKeySent(t *testing.T) {
	srv := openaitest.New(t, openaitest.WithAPIKey(key))
	host := llm.Host(srv.BaseURL())
	tests := []struct {
		name, key string
		noKey     bool
		want      string
	}{
		{"none", "", true, "the API at " + host + " needs an API key, and none was sent (401: You didn't provide an API key."},
		{"a placeholder", "sk-...", true, "the API at " + host + " needs an API key, and none was sent (401: You didn't provide an API key."},
		{"your-key", "your-key", true, "the API at " + host + " needs an API key, and none was sent (401: You didn't provide an API key."},
		{"a wrong key", "sk-proj-0000000000000000wrong", false, "the API at " + host + " rejected the API key (401: Incorrect API key provided"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := len(srv.Requests())
			c := llm.NewClient(llm.Config{APIKey: tt.key, BaseURL: srv.BaseURL(), Timeout: 10 * time.Second})
			err := llm.Classify(ask(t.Context(), c), srv.BaseURL(), "gpt-4.1-mini")
			var le *llm.Error
			if !errors.As(err, &le) || le.Kind != llm.KindUnauthorized || le.NoKey != tt.noKey {
				t.Fatalf("got %v, want a 401 with NoKey %v", err, tt.noKey)
			}
			if got := err.Error(); !strings.HasPrefix(got, tt.want) {
				t.Errorf("message\n got %q\nwant it to start %q", got, tt.want)
			}
			for _, r := range srv.Requests()[before:] {
				if a := r.Header.Get("Authorization"); tt.noKey && a != "" && a != "Bearer " {
					t.Errorf("sent Authorization %q, want no key", a)
				}
			}
		})
	}
}
