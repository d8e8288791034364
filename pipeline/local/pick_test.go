package local_test

import (
	"errors"
	"testing"

	"github.com/nl2en/nl2en/pipeline/local"
)

func TestPick(t *testing.T) {
	tests := []struct {
		name       string
		models     []string
		set        string
		want       string
		wantReason local.Reason
		wantOf     int
		wantListed bool
		wantErr    error
	}{
		{"the only one", []string{"qwen2.5:7b-instruct"}, "", "qwen2.5:7b-instruct", local.ReasonOnly, 1, true, nil},
		{"the only one that chats", []string{"nomic-embed-text:latest", "llama3.2:latest"}, "", "llama3.2:latest", local.ReasonOnly, 1, true, nil},
		{"an instruct model first", []string{"llama3.2:latest", "qwen2.5:7b-instruct", "mistral:7b-instruct"}, "", "qwen2.5:7b-instruct", local.ReasonPreferred, 3, true, nil},
		{"a chat model", []string{"deepseek-llm:7b-base", "deepseek-llm:7b-chat"}, "", "deepseek-llm:7b-chat", local.ReasonPreferred, 2, true, nil},
		{"-it as a word", []string{"gemma-2-9b", "gemma-2-9b-it"}, "", "gemma-2-9b-it", local.ReasonPreferred, 2, true, nil},
		{"not -it inside a word", []string{"granite-base", "gemma-2-9b-italian"}, "", "granite-base", local.ReasonFirst, 2, true, nil},
		{"none marked: the first", []string{"llama3.2:latest", "mistral:latest"}, "", "llama3.2:latest", local.ReasonFirst, 2, true, nil},
		{"embedding models never", []string{"text-embedding-nomic-embed-text-v1.5", "bge-m3:latest", "all-minilm:latest", "jina-reranker-v2", "phi3:mini"}, "", "phi3:mini", local.ReasonOnly, 1, true, nil},
		{"a file path", []string{"/models/Qwen2.5-7B-Instruct-Q4_K_M.gguf", "/models/base.gguf"}, "", "/models/Qwen2.5-7B-Instruct-Q4_K_M.gguf", local.ReasonPreferred, 2, true, nil},
		{"set and listed", []string{"llama3.2:latest", "qwen2.5:7b-instruct"}, "llama3.2", "llama3.2", local.ReasonSet, 2, true, nil},
		{"set and not listed", []string{"qwen2.5:7b-instruct"}, "mistral", "mistral", local.ReasonSet, 1, false, nil},
		{"only embeddings", []string{"nomic-embed-text:latest"}, "", "", 0, 0, false, local.ErrNoChatModel},
		{"only embeddings, one set", []string{"nomic-embed-text:latest"}, "tiny", "tiny", local.ReasonSet, 0, false, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := local.Pick(tt.models, tt.set)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("error: got %v, want %v", err, tt.wantErr)
			}
			want := local.Choice{Model: tt.want, Reason: tt.wantReason, Of: tt.wantOf, Listed: tt.wantListed}
			if got != want {
				t.Errorf("got %+v, want %+v", got, want)
			}
		})
	}
}
