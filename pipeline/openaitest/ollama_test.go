package openaitest_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/nl2en/nl2en/pipeline/openaitest"
)

// ollamaCall calls the native API of s at path (POST with body when body
// is not empty) and decodes the reply into v.
func ollamaCall(t *testing.T, s *openaitest.Server, path, body string, v any) int {
	t.Helper()
	root := strings.TrimSuffix(s.BaseURL(), "/v1")
	var resp *http.Response
	var err error
	if body == "" {
		resp, err = http.Get(root + path)
	} else {
		resp, err = http.Post(root+path, "application/json", strings.NewReader(body))
	}
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %q: %v", path, b, err)
	}
	return resp.StatusCode
}

type showReply struct {
	Parameters string         `json:"parameters"`
	ModelInfo  map[string]any `json:"model_info"`
	Error      string         `json:"error"`
}

type psReply struct {
	Models []struct {
		Name          string `json:"name"`
		ContextLength int    `json:"context_length"`
	} `json:"models"`
}

func TestOllamaShow(t *testing.T) {
	tests := []struct {
		name       string
		opts       []openaitest.Option
		wantNumCtx bool
		wantLoaded int
	}{
		{"default context", []openaitest.Option{openaitest.WithOllamaShow(32768)}, false, 4096},
		{"OLLAMA_CONTEXT_LENGTH", []openaitest.Option{openaitest.WithOllamaShow(32768), openaitest.WithOllamaContextLength(16384)}, false, 16384},
		{"num_ctx wins", []openaitest.Option{openaitest.WithOllamaShow(32768), openaitest.WithOllamaContextLength(16384), openaitest.WithOllamaNumCtx(8192)}, true, 8192},
		{"capped at the trained context", []openaitest.Option{openaitest.WithOllamaShow(2048), openaitest.WithOllamaContextLength(16384)}, false, 2048},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := append([]openaitest.Option{openaitest.WithAPIKey("k"), openaitest.WithModels("qwen2.5:7b-instruct")}, tt.opts...)
			s := openaitest.New(t, opts...)
			var show showReply
			if code := ollamaCall(t, s, "/api/show", `{"model":"qwen2.5:7b-instruct"}`, &show); code != 200 {
				t.Fatalf("/api/show: got %d, want 200", code)
			}
			if got := show.ModelInfo["general.architecture"]; got != "llama" {
				t.Errorf("general.architecture: got %v, want llama", got)
			}
			if _, ok := show.ModelInfo["llama.context_length"].(float64); !ok {
				t.Errorf("model_info lacks llama.context_length: %v", show.ModelInfo)
			}
			if got := strings.Contains(show.Parameters, "num_ctx"); got != tt.wantNumCtx {
				t.Errorf("parameters %q: num_ctx shown %v, want %v", show.Parameters, got, tt.wantNumCtx)
			}

			var ps psReply
			ollamaCall(t, s, "/api/ps", "", &ps)
			if len(ps.Models) != 0 {
				t.Errorf("/api/ps before any request: got %v, want no model loaded", ps.Models)
			}
			req := translateRequest(t, threeSegs...)
			req.Model = "qwen2.5:7b-instruct"
			if _, err := complete(t, s, req); err != nil {
				t.Fatal(err)
			}
			ollamaCall(t, s, "/api/ps", "", &ps)
			if len(ps.Models) != 1 || ps.Models[0].Name != "qwen2.5:7b-instruct" || ps.Models[0].ContextLength != tt.wantLoaded {
				t.Errorf("/api/ps after a request: got %+v, want qwen2.5:7b-instruct with context_length %d", ps.Models, tt.wantLoaded)
			}
		})
	}
}

func TestOllamaShowUnknownModel(t *testing.T) {
	s := openaitest.New(t, openaitest.WithOllamaShow(8192), openaitest.WithModels("tiny"))
	var show showReply
	if code := ollamaCall(t, s, "/api/show", `{"model":"llama3"}`, &show); code != 404 || show.Error != "model 'llama3' not found" {
		t.Errorf("/api/show of an unknown model: got %d %q, want 404 \"model 'llama3' not found\"", code, show.Error)
	}
	list, err := s.Client().ListModels(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if got := list.Models[0].OwnedBy; got != "library" {
		t.Errorf("owned_by: got %q, want library, as Ollama lists its models", got)
	}
}

func TestOllamaPathsOnlyWhenAsked(t *testing.T) {
	s := openaitest.New(t, openaitest.WithAPIKey(""))
	var body map[string]any
	if code := ollamaCall(t, s, "/api/ps", "", &body); code != 404 {
		t.Errorf("/api/ps without WithOllamaShow: got %d, want 404", code)
	}
}

func TestServedModel(t *testing.T) {
	s := openaitest.New(t, openaitest.WithServedModel("gpt-4.1-mini", "gpt-4.1-mini-2025-04-14"))
	tests := []struct{ model, want string }{
		{"gpt-4.1-mini", "gpt-4.1-mini-2025-04-14"},
		{"gpt-4.1", "gpt-4.1"},
	}
	for _, tt := range tests {
		t.Run(tt.model, func(t *testing.T) {
			req := translateRequest(t, threeSegs...)
			req.Model = tt.model
			resp, err := complete(t, s, req)
			if err != nil {
				t.Fatal(err)
			}
			if resp.Model != tt.want {
				t.Errorf("reply model: got %q, want %q", resp.Model, tt.want)
			}
		})
	}
}
