package tokens

import (
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/sashabaranov/go-openai"
)

const samplePath = "../../samples/bachmoet.txt"

func readSample(tb testing.TB) string {
	tb.Helper()
	b, err := os.ReadFile(samplePath)
	if err != nil {
		tb.Fatalf("read sample: %v", err)
	}
	return string(b)
}

// The want counts come from OpenAI's tiktoken (the npm package tiktoken
// 1.0.22, its Rust core built to WebAssembly), encode_ordinary.
func TestCount(t *testing.T) {
	sample := readSample(t)
	tests := []struct {
		name  string
		text  string
		o200k int
	}{
		{"hello", "hello world", 2},
		{"tiktoken", "tiktoken is great!", 6},
		{"empty", "", 0},
		{"dutch sentence", "Het Russische leger probeert al een half jaar een klein stadje in te nemen: Bachmoet.", 20},
		{"punctuation and digits", "Oekraïne, 80 duizend inwoners — ‘Wagner’ 2023\n\n  end  ", 21},
		{"special token as text", "<|endoftext|> is text", 9},
		{"long piece", strings.Repeat("a", 200), 25},
		{"url", "https://nos.nl/artikel/2466921-bachmoet-al-een-half-jaar-het-symbool-van-russisch-militair-falen-in-oekraine", 39},
		{"replacement char", "\uFFFD", 1},
		{"digits", "1234567", 3},
		{"contraction and whitespace", "Mariupol's  \t\r\nend", 7},
		{"sample article", sample, 1193},
	}
	o200k := ForModel("gpt-4o")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := o200k.Count(tt.text); got != tt.o200k {
				t.Errorf("o200k_base Count = %d, want %d", got, tt.o200k)
			}
		})
	}
}

// An article read from a Windows-1252 file reaches the API with each bad
// byte escaped by encoding/json as U+FFFD; the count must match that.
func TestCountInvalidUTF8(t *testing.T) {
	c := ForModel("gpt-4.1")
	got := c.Count("Oekra\xefne \xff\xfe")
	want := c.Count("Oekra\uFFFDne \uFFFD\uFFFD")
	if got != want {
		t.Errorf("Count of invalid UTF-8 = %d, want %d (as U+FFFD per byte)", got, want)
	}
}

func TestForModel(t *testing.T) {
	tests := []struct {
		model string
		exact bool
	}{
		{"gpt-4o", true},
		{"gpt-4o-mini-2024-07-18", true},
		{"chatgpt-4o-latest", true},
		{"gpt-4.1", true},
		{"gpt-4.1-nano-2025-04-14", true},
		{"gpt-4.5-preview", true},
		{"gpt-5", true},
		{"gpt-5-mini", true},
		{"gpt-5.1", true},
		{"o1", true},
		{"o1-mini", true},
		{"o3", true},
		{"o3-mini-2025-01-31", true},
		{"o4-mini", true},
		{"openai/gpt-4o", true},
		{"OpenAI/GPT-4.1-Mini", true},
		{" gpt-5-nano ", true},
		{"ft:gpt-4o-mini-2024-07-18:acme::abc123", true},
		{"gpt-4", false},
		{"gpt-4-0613", false},
		{"gpt-4-turbo", false},
		{"gpt-3.5-turbo", false},
		{"gpt-35-turbo", false},
		{"openai/gpt-3.5-turbo-0125", false},
		{"text-embedding-3-small", false},
		{"text-embedding-ada-002", false},
		{"llama3.1:8b", false},
		{"meta-llama/Llama-3.3-70B-Instruct", false},
		{"qwen2.5:14b", false},
		{"mistral-small-latest", false},
		{"my-translator-deployment", false},
		{"o1x", false},
		{"gpt-40", false},
		{"", false},
	}
	for _, tt := range tests {
		t.Run(tt.model, func(t *testing.T) {
			c := ForModel(tt.model)
			if got := c.Exact(); got != tt.exact {
				t.Errorf("Exact() = %v, want %v", got, tt.exact)
			}
		})
	}
}

// An estimate counts with o200k_base, the same numbers as an exact o200k
// model: only Exact tells them apart.
func TestEstimateCountsWithO200k(t *testing.T) {
	text := readSample(t)
	got := ForModel("llama3.1:8b").Count(text)
	want := ForModel("gpt-4o").Count(text)
	if got != want {
		t.Errorf("estimate Count = %d, want %d", got, want)
	}
}

// The want counts follow OpenAI's cookbook num_tokens_from_messages, run
// with OpenAI's tiktoken.
func TestCountMessages(t *testing.T) {
	msgs := []openai.ChatCompletionMessage{
		{Role: openai.ChatMessageRoleSystem, Content: "You translate Dutch news articles into English."},
		{Role: openai.ChatMessageRoleUser, Name: "editor", Content: "Het Russische leger probeert al een half jaar een klein stadje in te nemen: Bachmoet."},
	}
	multi := []openai.ChatCompletionMessage{
		msgs[0],
		{Role: openai.ChatMessageRoleUser, Name: "editor", MultiContent: []openai.ChatMessagePart{
			{Type: openai.ChatMessagePartTypeText, Text: "Het Russische leger probeert al een half jaar een klein stadje in te nemen: Bachmoet."},
			{Type: openai.ChatMessagePartTypeImageURL, ImageURL: &openai.ChatMessageImageURL{URL: "https://example.com/bachmoet.jpg"}},
		}},
	}
	tests := []struct {
		name  string
		model string
		msgs  []openai.ChatCompletionMessage
		want  int
	}{
		{"o200k", "gpt-4o", msgs, 41},
		{"multi-part content", "gpt-4o", multi, 41},
		{"no messages", "gpt-4o", nil, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := CountMessages(ForModel(tt.model).Count, tt.msgs); got != tt.want {
				t.Errorf("CountMessages = %d, want %d", got, tt.want)
			}
		})
	}
}

// Many translation workers share one Counter, starting together so the
// first Count, which loads the encoding, races too. Run with -race.
func TestCountConcurrent(t *testing.T) {
	text := readSample(t)
	for _, model := range []string{"gpt-4o", "gpt-4"} {
		c := ForModel(model)
		want := ForModel(model).Count(text)
		var wg sync.WaitGroup
		got := make([]int, 8)
		for i := range got {
			wg.Go(func() { got[i] = c.Count(text) })
		}
		wg.Wait()
		for i, n := range got {
			if n != want {
				t.Errorf("%s: goroutine %d counted %d, want %d", model, i, n, want)
			}
		}
	}
}

func BenchmarkCount(b *testing.B) {
	text := readSample(b)
	c := ForModel("gpt-4o")
	c.Count(text) // load outside the timing
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		c.Count(text)
	}
}

func BenchmarkCountParallel(b *testing.B) {
	text := readSample(b)
	c := ForModel("gpt-4o")
	c.Count(text)
	b.SetBytes(int64(len(text)))
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			c.Count(text)
		}
	})
}
