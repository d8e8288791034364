package local_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/nl2en/nl2en/pipeline/local"
	"github.com/nl2en/nl2en/pipeline/openaitest"
)

func TestOllamaContext(t *testing.T) {
	const model = "qwen2.5:7b-instruct"
	tests := []struct {
		name string
		opts []openaitest.Option
		load bool // send a chat completion first, which loads the model
		want local.OllamaWindow
	}{
		{"not loaded", []openaitest.Option{openaitest.WithOllamaShow(32768)}, false, local.OllamaWindow{Trained: 32768}},
		{"loaded with the default", []openaitest.Option{openaitest.WithOllamaShow(32768)}, true, local.OllamaWindow{Loaded: 4096, Trained: 32768}},
		{"OLLAMA_CONTEXT_LENGTH", []openaitest.Option{openaitest.WithOllamaShow(32768), openaitest.WithOllamaContextLength(16384)}, true, local.OllamaWindow{Loaded: 16384, Trained: 32768}},
		{"num_ctx, not loaded", []openaitest.Option{openaitest.WithOllamaShow(32768), openaitest.WithOllamaNumCtx(8192)}, false, local.OllamaWindow{NumCtx: 8192, Trained: 32768}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := openaitest.New(t, append([]openaitest.Option{openaitest.WithAPIKey(""), openaitest.WithModels(model)}, tt.opts...)...)
			if tt.load {
				if _, err := s.Client().CreateChatCompletion(context.Background(), chatRequest(model)); err != nil {
					t.Fatal(err)
				}
			}
			got, err := local.OllamaContext(context.Background(), http.DefaultClient, s.BaseURL(), model)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
			wantWindow := tt.want.Loaded
			if wantWindow == 0 {
				wantWindow = tt.want.NumCtx
			}
			if got.Window() != wantWindow {
				t.Errorf("window: got %d, want %d", got.Window(), wantWindow)
			}
		})
	}
}

func TestOllamaContextUnknownModel(t *testing.T) {
	s := openaitest.New(t, openaitest.WithAPIKey(""), openaitest.WithModels("tiny"), openaitest.WithOllamaShow(8192))
	if _, err := local.OllamaContext(context.Background(), http.DefaultClient, s.BaseURL(), "llama3"); err == nil {
		t.Error("got no error for a model Ollama does not have")
	}
}

func TestOllamaContextNotOllama(t *testing.T) {
	s := openaitest.New(t, openaitest.WithAPIKey(""))
	if _, err := local.OllamaContext(context.Background(), http.DefaultClient, s.BaseURL(), "gpt-4.1-mini"); err == nil {
		t.Error("got no error from a server without Ollama's API")
	}
}
