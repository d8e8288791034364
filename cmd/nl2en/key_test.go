package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nl2en/nl2en/pipeline/openaitest"
)

// TestPlaceholderKeyRefused guards the first run after "cp .env.example
// .env": a server that needs a key is not sent the placeholder (nor
// retried for seconds), and one line says where to set a real key.
func TestPlaceholderKeyRefused(t *testing.T) {
	example, err := os.ReadFile("../../.env.example")
	if err != nil {
		t.Fatal(err)
	}
	srv := openaitest.New(t, openaitest.WithAPIKey(testKey), openaitest.WithAzure("nl2en", ""))
	in := copySample(t, t.TempDir())
	for _, tt := range []struct{ name, key string }{
		{".env.example as it is", ""},
		{"your-key", "OPENAI_API_KEY=your-key\n"},
		{"blank", "OPENAI_API_KEY=   \n"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("OPENAI_API_KEY", "")
			os.Unsetenv("OPENAI_API_KEY") // as on a machine without it: .env decides
			env := filepath.Join(t.TempDir(), ".env")
			if err := os.WriteFile(env, append(example, tt.key...), 0o600); err != nil {
				t.Fatal(err)
			}
			r := runCLI(t, nil, "translate", in, "--env-file", env, "--base-url", srv.BaseURL(), "--azure", "--model", "nl2en", "--no-cache")
			if r.code != exitFailure {
				t.Errorf("exit %d, want %d", r.code, exitFailure)
			}
			lines := strings.Split(strings.TrimSpace(r.stderr), "\n")
			if len(lines) != 1 || !strings.HasPrefix(lines[0], "nl2en: ") || !strings.Contains(lines[0], "in .env or the environment") {
				t.Errorf("stderr = %q, want one line saying to set the key in .env or the environment", lines)
			}
			if n := srv.Count(openaitest.KindAny); n != 0 {
				t.Errorf("%d requests with a placeholder key, want 0", n)
			}
		})
	}

	// A local server needs no key: the placeholder is no reason to stop.
	local := openaitest.New(t, openaitest.WithAPIKey(""), openaitest.WithTranslations(openaitest.SampleTranslations()))
	env := filepath.Join(t.TempDir(), ".env")
	if err := os.WriteFile(env, example, 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("OPENAI_API_KEY", "")
	os.Unsetenv("OPENAI_API_KEY")
	r := runCLI(t, nil, "translate", in, "--env-file", env, "--base-url", local.BaseURL(), "--no-cache", "--format", "json")
	if r.code != 0 {
		t.Fatalf("local server with the placeholder key: exit %d\n%s", r.code, r.stderr)
	}
	for _, q := range local.Requests() {
		if strings.Contains(q.Header.Get("Authorization"), "sk-...") {
			t.Errorf("the placeholder was sent to the local server: %q", q.Header.Get("Authorization"))
		}
	}
}
