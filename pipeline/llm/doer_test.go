package llm_test

import (
	"context"
	"strings"
	"testing"
	"time"

	openai "github.com/sashabaranov/go-openai"

	"github.com/nl2en/nl2en/pipeline/llm"
	"github.com/nl2en/nl2en/pipeline/openaitest"
)

const key = "sk-proj-3f9a1c7e5b2d8f4a6c0e1b3d5f7a9c2e"

func ask(ctx context.Context, c *openai.Client) error {
	_, err := c.CreateChatCompletion(ctx, openai.ChatCompletionRequest{
		Model:    "gpt-4.1-mini",
		Messages: []openai.ChatCompletionMessage{{Role: openai.ChatMessageRoleUser, Content: "Hallo"}},
	})
	return err
}

// TestKeyEchoedIsRemoved guards that a server echoing the key in its
// error body does not get it into the error's message.
func TestKeyEchoedIsRemoved(t *testing.T) {
	for _, azure := range []bool{false, true} {
		opts := []openaitest.Option{openaitest.WithAPIKey(key)}
		if azure {
			opts = append(opts, openaitest.WithAzure("gpt-4.1-mini", ""))
		}
		srv := openaitest.New(t, opts...)
		srv.Script(openaitest.KindAny, openaitest.KeyEchoed())
		c := llm.NewClient(llm.Config{APIKey: key, BaseURL: srv.BaseURL(), Azure: azure, Timeout: 10 * time.Second})
		err := llm.Classify(ask(t.Context(), c), srv.BaseURL(), "gpt-4.1-mini")
		if !llm.IsKind(err, llm.KindUnauthorized) {
			t.Fatalf("azure %v: got %v, want a 401", azure, err)
		}
		if msg := err.Error(); strings.Contains(msg, key) || strings.Contains(msg, key[8:]) || !strings.Contains(msg, llm.RedactedKey) {
			t.Errorf("azure %v: message %q holds the key, or does not say it was removed", azure, msg)
		}
	}
}

// TestCounter guards that every attempt the server answered is counted,
// failed ones too, and every retry, whether answered or not.
func TestCounter(t *testing.T) {
	tests := []struct {
		name              string
		faults            []openaitest.Fault
		maxRetries        int
		answered, retries int
		fails             bool
	}{
		{"first try", nil, 3, 1, 0, false},
		{"two 5xx then a reply", []openaitest.Fault{openaitest.HTTPError(500), openaitest.HTTPError(503)}, 3, 3, 2, false},
		{"a reset is a retry the server never answered", []openaitest.Fault{openaitest.Reset()}, 3, 1, 1, false},
		{"a cut-off body is answered and retried", []openaitest.Fault{openaitest.TruncatedBody()}, 3, 2, 1, false},
		{"out of retries", []openaitest.Fault{openaitest.HTTPError(500), openaitest.HTTPError(500)}, 1, 2, 1, true},
		{"not retried", []openaitest.Fault{openaitest.QuotaExceeded()}, 3, 1, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := openaitest.New(t, openaitest.WithAPIKey(key))
			srv.Script(openaitest.KindAny, tt.faults...)
			c := llm.NewClient(llm.Config{APIKey: key, BaseURL: srv.BaseURL(), MaxRetries: tt.maxRetries, Timeout: 10 * time.Second, InitialBackoff: time.Millisecond})
			var n llm.Counter
			err := ask(llm.WithCounter(t.Context(), &n), c)
			if (err != nil) != tt.fails {
				t.Fatalf("got error %v, want failure %v", err, tt.fails)
			}
			if n.Answered() != tt.answered || n.Retries() != tt.retries {
				t.Errorf("got %d answered, %d retries; want %d, %d", n.Answered(), n.Retries(), tt.answered, tt.retries)
			}
		})
	}
}
