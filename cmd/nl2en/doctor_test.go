package main

import (
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/nl2en/nl2en/pipeline/local"
	"github.com/nl2en/nl2en/pipeline/openaitest"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// doctorArgs point doctor at srv with folders of the test's own.
func doctorArgs(t *testing.T, srv *openaitest.Server, extra ...string) []string {
	dir := t.TempDir()
	return append([]string{"doctor", "--base-url", srv.BaseURL(), "--model", "qwen2.5:7b-instruct", "--timeout", "10s", "--max-retries", "0",
		"--cache-dir", filepath.Join(dir, "cache"), "--out", filepath.Join(dir, "out")}, extra...)
}

// checklist is doctor's output with what changes from run to run (the
// server's port, the test's folders) replaced.
func checklist(out string) string {
	out = regexp.MustCompile(`http://127\.0\.0\.1:\d+`).ReplaceAllString(out, "http://127.0.0.1:PORT")
	return regexp.MustCompile(`/tmp/\S+/(cache|out)\b`).ReplaceAllString(out, "TMP/$1")
}

// line returns the line of check name in doctor's output.
func line(t *testing.T, out, name string) string {
	t.Helper()
	for _, l := range strings.Split(out, "\n") {
		if len(l) > 9 && strings.HasPrefix(l[9:], name+"  ") {
			return l
		}
	}
	t.Fatalf("no line for %s in:\n%s", name, out)
	return ""
}

func TestDoctorGolden(t *testing.T) {
	tests := []struct {
		name string
		opts []openaitest.Option
		code int
	}{
		{"doctor-ok", []openaitest.Option{openaitest.WithOllamaShow(32768), openaitest.WithOllamaContextLength(16384)}, 0},
		{"doctor-ollama-default", []openaitest.Option{openaitest.WithOllamaShow(32768)}, 0},
		{"doctor-small-context", []openaitest.Option{openaitest.WithOllamaShow(32768), openaitest.WithOllamaContextLength(2048), openaitest.WithResponseFormats("json_object", "text")}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path, err := filepath.Abs(filepath.Join("testdata", tt.name+".txt"))
			if err != nil {
				t.Fatal(err)
			}
			freshMachine(t)
			srv := localServer(t, append([]openaitest.Option{openaitest.WithModels("qwen2.5:7b-instruct", "llama3.2:latest")}, tt.opts...)...)
			r := runCLILocal(t, nil, doctorArgs(t, srv)...)
			if r.code != tt.code {
				t.Errorf("exit %d, want %d; stderr:\n%s", r.code, tt.code, r.stderr)
			}
			if want := "nl2en: sending one translation request of one sentence to " + srv.BaseURL() + ", model qwen2.5:7b-instruct, to check structured output\n"; r.stderr != want {
				t.Errorf("stderr:\n got %q\nwant %q", r.stderr, want)
			}
			got := checklist(r.stdout)
			if *update {
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if got != string(want) {
				t.Errorf("checklist differs from %s; got:\n%s", path, got)
			}
		})
	}
}

func TestDoctorChecks(t *testing.T) {
	tests := []struct {
		name  string
		opts  []openaitest.Option
		extra []string
		code  int
		check string // the line of this check …
		want  string // … holds this
	}{
		{"needs a key", []openaitest.Option{openaitest.WithAPIKey("s3cret")}, nil, 1, "key", "failed   key                the server needs one, and none is set (401 Unauthorized); set OPENAI_API_KEY (--api-key) to a valid key"},
		{"a wrong key", []openaitest.Option{openaitest.WithAPIKey("s3cret")}, []string{"--api-key", "sk-wrong-0123456789"}, 1, "key", "failed   key                the server refused it (401 Unauthorized)"},
		{"an unknown model", []openaitest.Option{openaitest.WithModels("llama3.2:latest", "mistral:latest")}, nil, 1, "model",
			`failed   model              "qwen2.5:7b-instruct" is not among the 2 models the server lists; set NL2EN_MODEL (--model) to a model it serves: llama3.2:latest, mistral:latest`},
		{"structured output refused", []openaitest.Option{openaitest.WithResponseFormats("json_object", "text")}, nil, 0, "structured output", "warning  structured output  the server refuses json_schema"},
		{"a garbled reply", []openaitest.Option{}, []string{"--strict"}, 1, "structured output", "failed   structured output  json_schema accepted, but the reply is not the JSON asked for"},
		{"an output folder in the way", nil, []string{"--out", "/dev/null"}, 1, "output folder", "failed   output folder      /dev/null is not a folder; set --out (NL2EN_OUT)"},
		{"no cache", nil, []string{"--no-cache"}, 0, "cache folder", "skipped  cache folder       the cache is off"},
		{"a model with a short context", []openaitest.Option{openaitest.WithOllamaShow(2048)}, nil, 1, "context window",
			"failed   context window     2,048 tokens, and a translation request needs about 3,679; the model allows at most 2048 tokens"},
		{"a smaller token budget", []openaitest.Option{openaitest.WithOllamaShow(2048)}, []string{"--token-budget", "300"}, 0, "context window", "warning  context window     2,048 tokens: enough for translation requests (about 994)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			freshMachine(t)
			srv := localServer(t, append([]openaitest.Option{openaitest.WithModels("qwen2.5:7b-instruct")}, tt.opts...)...)
			if tt.name == "a garbled reply" {
				srv.Script(openaitest.KindTranslate, openaitest.ReplaceContent("Good morning."))
			}
			r := runCLILocal(t, nil, doctorArgs(t, srv, tt.extra...)...)
			if r.code != tt.code {
				t.Errorf("exit %d, want %d; stdout:\n%s\nstderr:\n%s", r.code, tt.code, r.stdout, r.stderr)
			}
			if got := line(t, r.stdout, tt.check); !strings.HasPrefix(got, tt.want) {
				t.Errorf("line:\n got %q\nwant %q…", got, tt.want)
			}
			if n := srv.Count(openaitest.KindTranslate); n > 1 {
				t.Errorf("%d translation requests, want at most one", n)
			}
		})
	}
}

func TestDoctorOffline(t *testing.T) {
	freshMachine(t)
	srv := localServer(t, openaitest.WithModels("qwen2.5:7b-instruct"))
	r := runCLILocal(t, []local.Candidate{candidate(t, local.Ollama, srv)}, doctorArgs(t, srv, "--offline")...)
	if r.code != 0 {
		t.Errorf("exit %d, want 0; stdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}
	if r.stderr != "" {
		t.Errorf("stderr %q, want nothing: nothing is sent offline", r.stderr)
	}
	for _, c := range []string{"server", "key", "model", "structured output", "context window", "rate limits"} {
		if l := line(t, r.stdout, c); !strings.HasPrefix(l, "skipped") {
			t.Errorf("offline: %q, want skipped", l)
		}
	}
	if n := srv.Count(openaitest.KindAny); n != 0 {
		t.Errorf("%d requests sent offline", n)
	}
}

func TestDoctorZeroConfig(t *testing.T) {
	srv := localServer(t, openaitest.WithModels("qwen2.5:7b-instruct"), openaitest.WithOllamaShow(32768), openaitest.WithOllamaContextLength(16384))
	tests := []struct {
		name     string
		args     []string
		cands    []local.Candidate
		code     int
		stderr   string // the first stderr line starts with it
		line     string // the line of the server check starts with it
		requests bool
	}{
		{"found with auto", []string{"doctor", "--base-url", "auto"}, []local.Candidate{nowhere(t), candidate(t, local.Ollama, srv)}, 0,
			"nl2en: using the Ollama server at " + srv.BaseURL() + ", model qwen2.5:7b-instruct", "ok       server             " + srv.BaseURL() + " answers (Ollama), 1 model", true},
		{"nothing found with auto", []string{"doctor", "--base-url", "auto"}, []local.Candidate{nowhere(t)}, 1,
			"", "failed   server             no local server answered at 127.0.0.1:", false},
		{"never without a terminal", []string{"doctor"}, []local.Candidate{candidate(t, local.Ollama, srv)}, 1,
			"", "skipped  server             not checked: no key", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			freshMachine(t)
			before := srv.Count(openaitest.KindAny)
			r := runCLILocal(t, tt.cands, append(tt.args, "--no-cache")...)
			if r.code != tt.code {
				t.Errorf("exit %d, want %d; stdout:\n%s\nstderr:\n%s", r.code, tt.code, r.stdout, r.stderr)
			}
			if first := strings.SplitN(r.stderr, "\n", 2)[0]; !strings.HasPrefix(first, tt.stderr) {
				t.Errorf("stderr %q, want it to start %q", first, tt.stderr)
			}
			if tt.name == "nothing found with auto" && !strings.HasPrefix(r.stdout, "nl2en doctor: no server found\n") {
				t.Errorf("header: %q, want no server named", strings.SplitN(r.stdout, "\n", 2)[0])
			}
			if l := line(t, r.stdout, "server"); !strings.HasPrefix(l, tt.line) {
				t.Errorf("server line:\n got %q\nwant %q…", l, tt.line)
			}
			if got := srv.Count(openaitest.KindAny) > before; got != tt.requests {
				t.Errorf("requests sent: %v, want %v", got, tt.requests)
			}
		})
	}
}
