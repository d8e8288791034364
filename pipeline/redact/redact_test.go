package redact

import (
	"strings"
	"testing"
)

func TestURL(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://example.nl/rss", "https://example.nl/rss"},
		{"https://user:geheim@example.nl/rss", "https://REDACTED@example.nl/rss"},
		{"https://abcdef123@example.nl/rss", "https://REDACTED@example.nl/rss"},
		{"https://example.nl/rss?token=geheim&cat=sport", "https://example.nl/rss?token=REDACTED&cat=sport"},
		{"https://example.nl/rss?cat=sport&api_key=x1&Key=x2&feed-token=x3", "https://example.nl/rss?cat=sport&api_key=REDACTED&Key=REDACTED&feed-token=REDACTED"},
		{"https://example.nl/cb#access_token=abc&state=1", "https://example.nl/cb#access_token=REDACTED&state=1"},
		{"https://example.nl/rss?keyword=storm", "https://example.nl/rss?keyword=storm"},
		{"%zz://user:pw@host/x?token=abc", "%zz://REDACTED@host/x?token=REDACTED"},
	}
	for _, tt := range tests {
		if got := URL(tt.in); got != tt.want {
			t.Errorf("URL(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestText(t *testing.T) {
	in := `Get "https://user:geheim@example.nl/rss?token=abc": dial tcp: lookup example.nl: no such host; also http://x.nl/?sig=1`
	got := Text(in)
	for _, secret := range []string{"geheim", "abc", "sig=1"} {
		if strings.Contains(got, secret) {
			t.Errorf("Text kept %q: %s", secret, got)
		}
	}
	if !strings.Contains(got, "no such host") || !strings.Contains(got, "example.nl/rss") {
		t.Errorf("Text lost the message: %s", got)
	}
	if plain := "nothing to hide"; Text(plain) != plain {
		t.Errorf("Text(%q) = %q", plain, Text(plain))
	}
}

func FuzzURL(f *testing.F) {
	f.Add("https://user:secret@example.nl/rss?token=secret")
	f.Add("http://example.nl/?a=1&key=secret#x")
	f.Fuzz(func(t *testing.T, s string) {
		got := URL(s)
		if strings.Contains(s, "token=secret") && strings.Contains(got, "token=secret") {
			t.Errorf("URL(%q) = %q keeps the token", s, got)
		}
		_ = Text(s)
	})
}

func TestBaseURL(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://user:secret@example.com/v1?api-key=sk-123", "https://example.com/v1"},
		{"https://myres.openai.azure.com/openai?api-version=2024-10-21#x", "https://myres.openai.azure.com/openai"},
		{"http://127.0.0.1:11434/v1", "http://127.0.0.1:11434/v1"},
		{"%zz", ""},
	}
	for _, tt := range tests {
		if got := BaseURL(tt.in); got != tt.want {
			t.Errorf("BaseURL(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
