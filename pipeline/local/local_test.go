package local_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"testing"
	"time"

	openai "github.com/sashabaranov/go-openai"

	"github.com/nl2en/nl2en/pipeline/local"
	"github.com/nl2en/nl2en/pipeline/openaitest"
)

// addrOf is the host:port a test server listens on.
func addrOf(t testing.TB, rawURL string) string {
	t.Helper()
	u, err := url.Parse(rawURL)
	if err != nil {
		t.Fatal(err)
	}
	return u.Host
}

// closedAddr is a loopback address where nothing listens: a port just
// taken and given back.
func closedAddr(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

// silentAddr accepts connections and never answers.
func silentAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var conns []net.Conn
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			conns = append(conns, c)
		}
	}()
	t.Cleanup(func() {
		l.Close()
		<-done
		for _, c := range conns {
			c.Close()
		}
	})
	return l.Addr().String()
}

// webServer answers every request with status and body.
func webServer(t *testing.T, status int, contentType, body string) string {
	t.Helper()
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", contentType)
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body))
	}))
	t.Cleanup(s.Close)
	return addrOf(t, s.URL)
}

func fake(t *testing.T, opts ...openaitest.Option) string {
	t.Helper()
	return addrOf(t, openaitest.New(t, opts...).BaseURL())
}

func TestProbe(t *testing.T) {
	noKey := openaitest.WithAPIKey("")
	one := fake(t, noKey, openaitest.WithModels("qwen2.5:7b-instruct"))
	two := fake(t, noKey, openaitest.WithModels("llama3.2", "mistral"))
	ollama := fake(t, noKey, openaitest.WithModels("tiny"), openaitest.WithOllamaShow(8192))
	locked := fake(t, openaitest.WithAPIKey("s3cret"), openaitest.WithModels("gemma"))
	empty := fake(t, noKey, openaitest.WithModels())
	html := webServer(t, 200, "text/html", "<html><body>It works!</body></html>")
	loading := webServer(t, 503, "application/json", `{"error":{"message":"Loading model","type":"unavailable_error","code":503}}`)
	missing := webServer(t, 404, "text/plain", "404 page not found")
	closed := closedAddr(t)
	silent := silentAddr(t)

	tests := []struct {
		name      string
		cands     []local.Candidate
		key       string
		wantAddr  string
		wantKind  local.Kind
		wantIDs   []string
		wantProbs []local.Problem // when nothing is usable
	}{
		{"nothing listening", []local.Candidate{{local.Ollama, closed}, {local.LMStudio, closedAddr(t)}}, "", "", 0, nil, []local.Problem{}},
		{"the first that answers", []local.Candidate{{local.Ollama, closed}, {local.LMStudio, one}, {local.LlamaCpp, two}}, "", one, local.LMStudio, []string{"qwen2.5:7b-instruct"}, nil},
		{"the first in order when several answer", []local.Candidate{{local.Ollama, two}, {local.LMStudio, one}}, "", two, local.Ollama, []string{"llama3.2", "mistral"}, nil},
		{"kind told by the list", []local.Candidate{{local.Unknown, ollama}}, "", ollama, local.Ollama, []string{"tiny"}, nil},
		{"a silent port is passed over", []local.Candidate{{local.Ollama, silent}, {local.VLLM, one}}, "", one, local.VLLM, []string{"qwen2.5:7b-instruct"}, nil},
		{"not a model list", []local.Candidate{{local.Ollama, html}, {local.LlamaCpp, missing}}, "", "", 0, nil, []local.Problem{}},
		{"needs a key", []local.Candidate{{local.LlamaCpp, locked}, {local.VLLM, closed}}, "", "", 0, nil, []local.Problem{local.NeedsKey}},
		{"the key given", []local.Candidate{{local.LlamaCpp, locked}}, "s3cret", locked, local.LlamaCpp, []string{"gemma"}, nil},
		{"no model", []local.Candidate{{local.Ollama, empty}}, "", "", 0, nil, []local.Problem{local.NoModels}},
		{"still loading", []local.Candidate{{local.LlamaCpp, loading}}, "", "", 0, nil, []local.Problem{local.Loading}},
		{"unusable ones in order", []local.Candidate{{local.Ollama, empty}, {local.LlamaCpp, loading}, {local.VLLM, locked}}, "", "", 0, nil, []local.Problem{local.NoModels, local.Loading, local.NeedsKey}},
		{"usable after unusable", []local.Candidate{{local.Ollama, empty}, {local.LlamaCpp, locked}, {local.VLLM, two}}, "", two, local.VLLM, []string{"llama3.2", "mistral"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, err := local.Probe(context.Background(), tt.cands, local.Options{Timeout: 200 * time.Millisecond, APIKey: tt.key})
			if tt.wantProbs != nil {
				var nf *local.NotFoundError
				if !errors.As(err, &nf) {
					t.Fatalf("got %+v, %v; want a *NotFoundError", srv, err)
				}
				probs := []local.Problem{}
				for _, a := range nf.Answered {
					probs = append(probs, a.Problem)
				}
				if !slices.Equal(probs, tt.wantProbs) {
					t.Errorf("problems: got %v, want %v", probs, tt.wantProbs)
				}
				if !slices.Equal(nf.Tried, tt.cands) {
					t.Errorf("tried: got %v, want %v", nf.Tried, tt.cands)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if want := "http://" + tt.wantAddr + "/v1"; srv.BaseURL != want {
				t.Errorf("base URL: got %s, want %s", srv.BaseURL, want)
			}
			if srv.Kind != tt.wantKind {
				t.Errorf("kind: got %v, want %v", srv.Kind, tt.wantKind)
			}
			if !slices.Equal(srv.IDs(), tt.wantIDs) {
				t.Errorf("models: got %v, want %v", srv.IDs(), tt.wantIDs)
			}
		})
	}
}

func TestProbeSendsOnlyModelList(t *testing.T) {
	s := openaitest.New(t, openaitest.WithAPIKey(""), openaitest.WithModels("m"))
	if _, err := local.Probe(context.Background(), []local.Candidate{{local.Ollama, addrOf(t, s.BaseURL())}}, local.Options{}); err != nil {
		t.Fatal(err)
	}
	reqs := s.Requests()
	if len(reqs) != 1 || reqs[0].Method != http.MethodGet || reqs[0].Path != "/v1/models" {
		t.Errorf("requests: got %+v, want one GET /v1/models", reqs)
	}
	if h := reqs[0].Header.Get("Authorization"); h != "" {
		t.Errorf("Authorization %q sent without a key", h)
	}
}

func TestProbeCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := local.Probe(ctx, []local.Candidate{{local.Ollama, silentAddr(t)}}, local.Options{})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("got %v, want context.Canceled", err)
	}
}

func TestNotFoundError(t *testing.T) {
	tests := []struct {
		err  *local.NotFoundError
		want string
	}{
		{&local.NotFoundError{Tried: local.Candidates()}, "no local server answered at 127.0.0.1:11434, 127.0.0.1:1234, 127.0.0.1:8080, 127.0.0.1:8000"},
		{&local.NotFoundError{Answered: []local.Answer{{local.Ollama, "http://127.0.0.1:11434/v1", local.NoModels}}}, "the Ollama server at http://127.0.0.1:11434/v1 serves no model"},
		{&local.NotFoundError{Answered: []local.Answer{{local.Unknown, "http://127.0.0.1:9/v1", local.NeedsKey}}}, "the server at http://127.0.0.1:9/v1 needs an API key"},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("got %q, want %q", got, tt.want)
		}
	}
}

func TestCandidates(t *testing.T) {
	got := local.Candidates()
	want := []local.Candidate{
		{local.Ollama, "127.0.0.1:11434"},
		{local.LMStudio, "127.0.0.1:1234"},
		{local.LlamaCpp, "127.0.0.1:8080"},
		{local.VLLM, "127.0.0.1:8000"},
	}
	if !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
	if got := got[0].BaseURL(); got != "http://127.0.0.1:11434/v1" {
		t.Errorf("base URL: got %s", got)
	}
}

func TestKindAt(t *testing.T) {
	tests := []struct {
		url  string
		want local.Kind
	}{
		{"http://localhost:11434/v1", local.Ollama},
		{"http://127.0.0.1:1234/v1", local.LMStudio},
		{"http://gpu-box:8080/v1", local.LlamaCpp},
		{"http://[::1]:8000/v1", local.VLLM},
		{"https://api.openai.com/v1", local.Unknown},
		{"http://127.0.0.1:18130/v1", local.Unknown},
		{"::", local.Unknown},
	}
	for _, tt := range tests {
		if got := local.KindAt(tt.url); got != tt.want {
			t.Errorf("KindAt(%s): got %v, want %v", tt.url, got, tt.want)
		}
	}
}

// BenchmarkProbeNothingListening measures the probe of four loopback
// ports where nothing listens: what a run without configuration and
// without a local server pays.
func BenchmarkProbeNothingListening(b *testing.B) {
	cands := make([]local.Candidate, 4)
	for i := range cands {
		cands[i] = local.Candidate{Kind: local.Ollama, Addr: closedAddr(b)}
	}
	for b.Loop() {
		if _, err := local.Probe(context.Background(), cands, local.Options{}); err == nil {
			b.Fatal("found a server where none listens")
		}
	}
}

// BenchmarkProbeFound measures finding a server on the second of four
// ports.
func BenchmarkProbeFound(b *testing.B) {
	s := openaitest.New(b, openaitest.WithAPIKey(""), openaitest.WithModels("m"))
	cands := []local.Candidate{{local.Ollama, closedAddr(b)}, {local.LMStudio, addrOf(b, s.BaseURL())}, {local.LlamaCpp, closedAddr(b)}, {local.VLLM, closedAddr(b)}}
	for b.Loop() {
		if _, err := local.Probe(context.Background(), cands, local.Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

func chatRequest(model string) openai.ChatCompletionRequest {
	return openai.ChatCompletionRequest{
		Model:    model,
		Messages: []openai.ChatCompletionMessage{{Role: openai.ChatMessageRoleUser, Content: "Hallo"}},
	}
}
