package local_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/nl2en/nl2en/pipeline/local"
	"github.com/nl2en/nl2en/pipeline/openaitest"
)

// Model lists as each kind of server sends them, cut to what matters. The
// llama.cpp one is what llama-server (node-llama-cpp 3.21.1's llama.cpp)
// answered for the tiny test model with -c 8192 -np 2.
const (
	llamaCppList = `{"models":[{"name":"/m/tiny.gguf","model":"/m/tiny.gguf"}],"object":"list","data":[{"id":"/m/tiny.gguf","aliases":["/m/tiny.gguf"],"tags":[],"object":"model","created":1796188643,"owned_by":"llamacpp","meta":{"vocab_type":true,"n_vocab":270,"n_ctx":4096,"n_ctx_train":65536}}]}`
	vllmList     = `{"object":"list","data":[{"id":"Qwen/Qwen2.5-7B-Instruct","object":"model","created":1700000000,"owned_by":"vllm","root":"Qwen/Qwen2.5-7B-Instruct","parent":null,"max_model_len":32768}]}`
	lmStudioList = `{"data":[{"id":"meta-llama-3.1-8b-instruct","object":"model","owned_by":"organization_owner"},{"id":"text-embedding-nomic-embed-text-v1.5","object":"model","owned_by":"organization_owner"}],"object":"list"}`
	ollamaList   = `{"object":"list","data":[{"id":"tiny:latest","object":"model","created":1796188508,"owned_by":"library"}]}`
)

func TestList(t *testing.T) {
	tests := []struct {
		name     string
		server   string // Server header
		status   int
		body     string
		hint     local.Kind
		wantKind local.Kind
		wantIDs  []string
		wantCtx  int // of the first model
		wantErr  error
	}{
		{"llama.cpp", "llama.cpp", 200, llamaCppList, local.Unknown, local.LlamaCpp, []string{"/m/tiny.gguf"}, 4096, nil},
		{"llama.cpp by header alone", "llama.cpp", 200, `{"object":"list","data":[{"id":"m","object":"model"}]}`, local.Ollama, local.LlamaCpp, []string{"m"}, 0, nil},
		{"vLLM", "uvicorn", 200, vllmList, local.Unknown, local.VLLM, []string{"Qwen/Qwen2.5-7B-Instruct"}, 32768, nil},
		{"LM Studio", "", 200, lmStudioList, local.Unknown, local.LMStudio, []string{"meta-llama-3.1-8b-instruct", "text-embedding-nomic-embed-text-v1.5"}, 0, nil},
		{"Ollama", "", 200, ollamaList, local.Unknown, local.Ollama, []string{"tiny:latest"}, 0, nil},
		{"no mark: the hint", "", 200, `{"object":"list","data":[{"id":"m","owned_by":"me"}]}`, local.VLLM, local.VLLM, []string{"m"}, 0, nil},
		{"empty", "", 200, `{"object":"list","data":[]}`, local.Ollama, local.Ollama, []string{}, 0, nil},
		{"null data", "", 200, `{"object":"list","data":null}`, local.Ollama, local.Ollama, []string{}, 0, nil},
		{"other JSON", "", 200, `{"status":"ok"}`, local.Ollama, 0, nil, 0, local.ErrNotModelList},
		{"entry without id", "", 200, `{"data":[{"object":"model"}]}`, local.Ollama, 0, nil, 0, local.ErrNotModelList},
		{"a web page", "", 200, `<!doctype html><title>Router</title>`, local.Ollama, 0, nil, 0, local.ErrNotModelList},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path != "/v1/models" {
					http.NotFound(w, r)
					return
				}
				if tt.server != "" {
					w.Header().Set("Server", tt.server)
				}
				w.WriteHeader(tt.status)
				_, _ = w.Write([]byte(tt.body))
			}))
			defer s.Close()
			l, err := local.List(context.Background(), s.Client(), s.URL+"/v1/", "", tt.hint)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("error: got %v, want %v", err, tt.wantErr)
			}
			if err != nil {
				return
			}
			if l.Kind != tt.wantKind {
				t.Errorf("kind: got %v, want %v", l.Kind, tt.wantKind)
			}
			if !slices.Equal(l.IDs(), tt.wantIDs) {
				t.Errorf("models: got %v, want %v", l.IDs(), tt.wantIDs)
			}
			if len(l.Models) > 0 && l.Models[0].Context != tt.wantCtx {
				t.Errorf("context: got %d, want %d", l.Models[0].Context, tt.wantCtx)
			}
		})
	}
}

func TestListStatus(t *testing.T) {
	s := openaitest.New(t, openaitest.WithAPIKey("right"))
	tests := []struct {
		key      string
		wantNeed bool
	}{
		{"", true},
		{"wrong", true},
		{"right", false},
	}
	for _, tt := range tests {
		t.Run("key "+tt.key, func(t *testing.T) {
			_, err := local.List(context.Background(), http.DefaultClient, s.BaseURL(), tt.key, local.Unknown)
			var se *local.StatusError
			if got := errors.As(err, &se) && se.NeedsKey(); got != tt.wantNeed {
				t.Errorf("needs key: got %v (%v), want %v", got, err, tt.wantNeed)
			}
			if se != nil && se.Message == "" {
				t.Error("the server's message was lost")
			}
		})
	}
}

func TestFind(t *testing.T) {
	l := local.Listing{Models: []local.Model{{ID: "tiny:latest"}, {ID: "qwen2.5:7b-instruct"}, {ID: "hf.co/org/model:Q4_K_M"}}}
	tests := []struct {
		name string
		want bool
	}{
		{"tiny", true},
		{"tiny:latest", true},
		{"tiny:1b", false},
		{"qwen2.5:7b-instruct", true},
		{"qwen2.5", false},
		{"hf.co/org/model:Q4_K_M", true},
		{"hf.co/org/model", false},
	}
	for _, tt := range tests {
		if _, got := l.Find(tt.name); got != tt.want {
			t.Errorf("Find(%s): got %v, want %v", tt.name, got, tt.want)
		}
	}
}

func FuzzList(f *testing.F) {
	for _, b := range []string{llamaCppList, vllmList, lmStudioList, ollamaList, `{"data":null}`, `{}`, `[]`, `null`, `{"data":[{"id":""}]}`} {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, body string) {
		l, err := local.List(context.Background(), replyWith(body), "http://127.0.0.1:1/v1", "", local.Unknown)
		if err != nil {
			return
		}
		for _, m := range l.Models {
			if m.ID == "" {
				t.Errorf("a model without a name from %q", body)
			}
			if m.Context < 0 {
				t.Errorf("negative context %d from %q", m.Context, body)
			}
		}
	})
}

// replyWith is a Doer that answers every request with 200 and body, in
// memory.
type replyWith string

func (r replyWith) Do(req *http.Request) (*http.Response, error) {
	return &http.Response{
		StatusCode: http.StatusOK,
		Header:     http.Header{"Content-Type": {"application/json"}},
		Body:       io.NopCloser(strings.NewReader(string(r))),
		Request:    req,
	}, nil
}
