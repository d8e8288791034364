package llm

import (
	"errors"
	"math"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestRetryAfter(t *testing.T) {
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		header map[string]string
		want   time.Duration
		ok     bool
	}{
		{"none", nil, 0, false},
		{"ms wins", map[string]string{"retry-after-ms": "150", "Retry-After": "9"}, 150 * time.Millisecond, true},
		{"fractional ms", map[string]string{"retry-after-ms": "12.5"}, 12500 * time.Microsecond, true},
		{"seconds", map[string]string{"Retry-After": "2"}, 2 * time.Second, true},
		{"http date", map[string]string{"Retry-After": now.Add(3 * time.Second).Format(http.TimeFormat)}, 3 * time.Second, true},
		{"date in the past", map[string]string{"Retry-After": now.Add(-time.Minute).Format(http.TimeFormat)}, 0, true},
		{"garbage", map[string]string{"Retry-After": "soon"}, 0, false},
		{"negative ms ignored", map[string]string{"retry-after-ms": "-5"}, 0, false},
		{"negative seconds ignored", map[string]string{"Retry-After": "-5"}, 0, false},
		{"bad ms fall back", map[string]string{"retry-after-ms": "x", "Retry-After": "3"}, 3 * time.Second, true},
		{"spaces", map[string]string{"Retry-After": " 3 "}, 3 * time.Second, true},
		{"absurd seconds capped", map[string]string{"Retry-After": "1e300"}, time.Duration(math.MaxInt64), true},
		{"absurd ms capped", map[string]string{"retry-after-ms": "1e300"}, time.Duration(math.MaxInt64), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{}
			for k, v := range tt.header {
				h.Set(k, v)
			}
			got, ok := RetryAfter(h, now)
			if got != tt.want || ok != tt.ok {
				t.Errorf("RetryAfter = %v, %v; want %v, %v", got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestRetryDelayBackoff(t *testing.T) {
	for attempt := 0; attempt < 8; attempt++ {
		got := retryDelay(nil, attempt, initialBackoff)
		ceiling := min(initialBackoff<<attempt, 8*time.Second)
		if got > ceiling || got < ceiling*3/4 {
			t.Errorf("attempt %d: delay %v outside [%v, %v]", attempt, got, ceiling*3/4, ceiling)
		}
	}
	long := &http.Response{Header: http.Header{"Retry-After": []string{"3600"}}}
	if got := retryDelay(long, 0, initialBackoff); got > initialBackoff {
		t.Errorf("an hour's Retry-After: delay %v, want plain backoff at most %v", got, initialBackoff)
	}
}

func TestParseErrorBody(t *testing.T) {
	tests := []struct {
		name, body, code, msg string
	}{
		{"openai", `{"error":{"message":"Rate limit reached","type":"requests","param":null,"code":"rate_limit_exceeded"}}`, "rate_limit_exceeded", "Rate limit reached"},
		{"azure string code", `{"error":{"code":"429","message":"Requests have exceeded the call rate limit."}}`, "429", "Requests have exceeded the call rate limit."},
		{"type only", `{"error":{"message":"bad","type":"invalid_request_error"}}`, "", "bad"},
		{"old vllm", `{"object":"error","message":"model is not found","type":"NotFoundError","param":null,"code":404}`, "404", "model is not found"},
		{"lm studio", `{"error":"Model unloaded."}`, "", "Model unloaded."},
		{"ollama", `{"error":"model \"llama9\" not found, try pulling it first"}`, "", `model "llama9" not found, try pulling it first`},
		{"fastapi detail", `{"detail":"Not Found"}`, "", "Not Found"},
		{"plain text", "Bad Gateway\n", "", "Bad Gateway"},
		{"llama.cpp number code", `{"error":{"code":400,"type":"exceed_context_size_error","message":"request (5612 tokens) exceeds the available context size (4096 tokens), try increasing it"}}`, "400", "request (5612 tokens) exceeds the available context size (4096 tokens), try increasing it"},
		{"string error with message", `{"error":"SyntaxError","message":"Unexpected token 'D', \"Dit is\" is not valid JSON"}`, "", `SyntaxError: Unexpected token 'D', "Dit is" is not valid JSON`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := parseErrorBody([]byte(tt.body))
			if b.Code != tt.code || b.Message != tt.msg {
				t.Errorf("parseErrorBody = %q, %q; want %q, %q", b.Code, b.Message, tt.code, tt.msg)
			}
		})
	}
}

func TestKindForStatus(t *testing.T) {
	tests := []struct {
		status    int
		code, msg string
		want      Kind
		typ       string
	}{
		{401, "invalid_api_key", "Incorrect API key provided", KindUnauthorized, ""},
		{403, "", "Country not supported", KindForbidden, ""},
		{404, "model_not_found", "The model `x` does not exist", KindModelNotFound, ""},
		{404, "DeploymentNotFound", "The API deployment for this resource does not exist.", KindModelNotFound, ""},
		{404, "", `model "llama9" not found, try pulling it first`, KindModelNotFound, ""},
		{404, "", "Not Found", KindNotFound, ""},
		{429, "insufficient_quota", "You exceeded your current quota", KindQuota, ""},
		{429, "rate_limit_exceeded", "Request too large for gpt-4o on tokens per min (TPM)", KindTooLarge, ""},
		{429, "rate_limit_exceeded", "Rate limit reached", KindRateLimited, ""},
		{429, "429", "Requests have exceeded the call rate limit", KindRateLimited, ""},
		{400, "context_length_exceeded", "This model's maximum context length is 8192 tokens", KindContextLength, ""},
		{400, "", "'response_format' of type 'json_schema' is not supported with this model", KindResponseFormat, ""},
		{400, "", "Invalid value for messages", KindBadRequest, ""},
		{503, "", "overloaded", KindServer, ""},
		{400, "400", "request (5612 tokens) exceeds the available context size (4096 tokens), try increasing it", KindContextLength, "exceed_context_size_error"},
		{400, "400", "something else", KindContextLength, "exceed_context_size_error"},
		{500, "500", "The model produced output that does not match the expected peg-native format", KindOutputFormat, "server_error"},
	}
	for _, tt := range tests {
		if got := kindOf(tt.status, errorBody{Code: tt.code, Type: tt.typ, Message: tt.msg}); got != tt.want {
			t.Errorf("kindOf(%d, %q, %q, %q) = %v, want %v", tt.status, tt.code, tt.typ, tt.msg, got, tt.want)
		}
	}
}

func TestRedactURL(t *testing.T) {
	got := RedactURL("https://user:secret@example.com/v1?api-key=sk-123")
	if want := "https://example.com/v1"; got != want {
		t.Errorf("RedactURL = %q, want %q", got, want)
	}
}

func TestIsAzureURL(t *testing.T) {
	for url, want := range map[string]bool{
		"https://myres.openai.azure.com":             true,
		"https://myres.cognitiveservices.azure.com/": true,
		"https://api.openai.com/v1":                  false,
		"http://localhost:11434/v1":                  false,
	} {
		if got := IsAzureURL(url); got != want {
			t.Errorf("IsAzureURL(%q) = %v, want %v", url, got, want)
		}
	}
}

func TestNeedsKey(t *testing.T) {
	tests := []struct {
		base  string
		azure bool
		want  bool
	}{
		{"https://api.openai.com/v1", false, true},
		{"https://eu.api.openai.com/v1", false, true},
		{"https://API.OpenAI.com:443/v1", false, true},
		{"https://myres.openai.azure.com", false, true},
		{"https://my-gateway.example.com/openai", true, true},
		{"https://openrouter.ai/api/v1", false, true},
		{"https://api.groq.com/openai/v1", false, true},
		{"https://generativelanguage.googleapis.com/v1beta/openai", false, true},
		{"http://localhost:11434/v1", false, false},
		{"http://127.0.0.1:8000/v1", false, false},
		{"http://gpu-box.lan:8000/v1", false, false},
		{"https://notopenai.com/v1", false, false},
		{"https://llm.example.com/v1", false, false},
	}
	for _, tt := range tests {
		if got := NeedsKey(tt.base, tt.azure); got != tt.want {
			t.Errorf("NeedsKey(%q, %v) = %v, want %v", tt.base, tt.azure, got, tt.want)
		}
	}
}

func TestCheckBaseURL(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"http://localhost:1234/v1/chat/completions", "http://localhost:1234/v1", true},
		{"http://localhost:1234/v1/chat/completions/", "http://localhost:1234/v1", true},
		{"https://openrouter.ai/api/v1/chat/completions", "https://openrouter.ai/api/v1", true},
		{"http://localhost:8080/chat/completions", "http://localhost:8080", true},
		{"http://localhost:1234/v1", "", false},
		{"http://localhost:1234/v1/completions", "", false},
		{"http://localhost:1234/v1/chat", "", false},
	}
	for _, tt := range tests {
		got, ok := endpointBase(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("endpointBase(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
		var ee *EndpointError
		if err := CheckBaseURL(tt.in); errors.As(err, &ee) != tt.ok || ee != nil && ee.BaseURL != tt.want {
			t.Errorf("CheckBaseURL(%q) = %v, want an EndpointError %v for %q", tt.in, err, tt.ok, tt.want)
		}
	}
	var ee *EndpointError
	err := CheckBaseURL("https://user:secret@llm.example.com/v1/chat/completions")
	if !errors.As(err, &ee) || ee.BaseURL != "https://llm.example.com/v1" || strings.Contains(err.Error(), "secret") {
		t.Errorf("with credentials: got %v (base URL %q), want them left out", err, ee.BaseURL)
	}
}
