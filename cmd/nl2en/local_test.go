package main

import (
	"bytes"
	"context"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nl2en/nl2en/pipeline/local"
	"github.com/nl2en/nl2en/pipeline/openaitest"
)

// runCLILocal runs the command with zero configuration looking at cands
// instead of the usual ports.
func runCLILocal(t *testing.T, cands []local.Candidate, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	code := runStreams(context.Background(), append([]string{"nl2en"}, args...),
		streams{stdin: failingReader{t}, stdout: &out, stderr: &errb, local: cands})
	return result{code, out.String(), errb.String()}
}

// candidate is where srv listens, as a candidate of kind k.
func candidate(t *testing.T, k local.Kind, srv *openaitest.Server) local.Candidate {
	t.Helper()
	u, err := url.Parse(srv.BaseURL())
	if err != nil {
		t.Fatal(err)
	}
	return local.Candidate{Kind: k, Addr: u.Host}
}

// nowhere is a candidate where nothing listens.
func nowhere(t *testing.T) local.Candidate {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return local.Candidate{Kind: local.Ollama, Addr: l.Addr().String()}
}

// freshMachine unsets what would configure the API and moves to a folder
// without .env, as on a fresh machine; it returns a copy of the sample
// article in a folder of its own.
func freshMachine(t *testing.T) string {
	t.Helper()
	in := copySample(t, t.TempDir())
	for _, v := range []string{"OPENAI_API_KEY", "OPENAI_BASE_URL", "NL2EN_MODEL", "NL2EN_ENV_FILE"} {
		t.Setenv(v, "")
		os.Unsetenv(v)
	}
	t.Chdir(t.TempDir())
	return in
}

func localServer(t *testing.T, opts ...openaitest.Option) *openaitest.Server {
	return openaitest.New(t, append([]openaitest.Option{openaitest.WithAPIKey(""), openaitest.WithTranslations(openaitest.SampleTranslations())}, opts...)...)
}

func TestZeroConfig(t *testing.T) {
	tests := []struct {
		name      string
		models    []string
		env       map[string]string
		args      []string
		wantModel string
		wantNote  string // in the stderr line after the model
	}{
		{"--base-url auto", []string{"qwen2.5:7b-instruct"}, nil, []string{"--base-url", "auto"}, "qwen2.5:7b-instruct", ""},
		{"OPENAI_BASE_URL=auto", []string{"qwen2.5:7b-instruct"}, map[string]string{"OPENAI_BASE_URL": "auto"}, nil, "qwen2.5:7b-instruct", ""},
		{"several models", []string{"llama3.2:latest", "nomic-embed-text:latest", "qwen2.5:7b-instruct"}, nil, []string{"--base-url", "AUTO"}, "qwen2.5:7b-instruct",
			" (the first instruct or chat model of the 2 it lists; choose with --model or NL2EN_MODEL)"},
		{"the user's model wins", []string{"llama3.2:latest", "qwen2.5:7b-instruct"}, nil, []string{"--base-url", "auto", "--model", "llama3.2:latest"}, "llama3.2:latest", ""},
		{"the user's model from the environment", []string{"llama3.2:latest", "qwen2.5:7b-instruct"}, map[string]string{"NL2EN_MODEL": "llama3.2:latest"}, []string{"--base-url", "auto"}, "llama3.2:latest", ""},
		{"a placeholder key is no key", []string{"qwen2.5:7b-instruct"}, map[string]string{"OPENAI_API_KEY": "sk-..."}, []string{"--base-url", "auto"}, "qwen2.5:7b-instruct", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := freshMachine(t)
			dir := filepath.Dir(in)
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			srv := localServer(t, openaitest.WithModels(tt.models...), openaitest.WithServedModel(tt.wantModel, tt.wantModel+"-served"))
			args := append(append([]string{"translate", "--no-cache"}, tt.args...), in)
			r := runCLILocal(t, []local.Candidate{nowhere(t), candidate(t, local.LMStudio, srv)}, args...)
			if r.code != 0 {
				t.Fatalf("exit %d, stderr:\n%s", r.code, r.stderr)
			}
			first := strings.SplitN(r.stderr, "\n", 2)[0]
			if want := "nl2en: using the LM Studio server at " + srv.BaseURL() + ", model " + tt.wantModel + tt.wantNote; first != want {
				t.Errorf("stderr line:\n got %q\nwant %q", first, want)
			}
			doc := readDoc(t, filepath.Join(dir, "bachmoet.en.json"))
			if doc.Model != tt.wantModel || doc.ServedModel != tt.wantModel+"-served" || doc.BaseURL != srv.BaseURL() {
				t.Errorf("JSON model, served_model, base_url: got %q, %q, %q", doc.Model, doc.ServedModel, doc.BaseURL)
			}
			for _, req := range srv.Requests() {
				if h := req.Header.Get("Authorization"); h != "" && h != "Bearer" {
					t.Errorf("%s %s sent %q without a key set", req.Method, req.Path, h)
				}
			}
		})
	}
}

func TestZeroConfigNothingFound(t *testing.T) {
	locked := openaitest.New(t, openaitest.WithAPIKey("s3cret"), openaitest.WithModels("gemma"))
	empty := localServer(t, openaitest.WithModels())
	tests := []struct {
		name  string
		cands []local.Candidate
		want  string
	}{
		{"nothing listening", []local.Candidate{nowhere(t), nowhere(t)}, "nl2en: base URL auto: no local server answered at "},
		{"a server that needs a key", []local.Candidate{nowhere(t), candidate(t, local.LlamaCpp, locked)},
			"nl2en: the llama.cpp server at " + locked.BaseURL() + " needs an API key: set OPENAI_API_KEY to its key and OPENAI_BASE_URL=" + locked.BaseURL()},
		{"a server without models", []local.Candidate{candidate(t, local.Ollama, empty)},
			"nl2en: the Ollama server at " + empty.BaseURL() + " serves no model: pull one, e.g. ollama pull qwen2.5:7b-instruct"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := freshMachine(t)
			r := runCLILocal(t, tt.cands, "translate", "--base-url", "auto", "--no-cache", in)
			if r.code != 1 {
				t.Errorf("exit %d, want 1", r.code)
			}
			if lines := strings.Split(strings.TrimSpace(r.stderr), "\n"); len(lines) != 1 || !strings.HasPrefix(lines[0], tt.want) {
				t.Errorf("stderr:\n%s\nwant one line starting %q", r.stderr, tt.want)
			}
		})
	}
	if n := locked.Count(openaitest.KindAny); n != 1 {
		t.Errorf("the locked server got %d requests, want only the model list", n)
	}
}

func TestZeroConfigKeyForLocalServer(t *testing.T) {
	in := freshMachine(t)
	srv := openaitest.New(t, openaitest.WithAPIKey("s3cret"), openaitest.WithModels("gemma"), openaitest.WithTranslations(openaitest.SampleTranslations()))
	r := runCLILocal(t, []local.Candidate{candidate(t, local.LlamaCpp, srv)}, "translate", "--base-url", "auto", "--api-key", "s3cret", "--no-cache", in)
	if r.code != 0 {
		t.Fatalf("exit %d, stderr:\n%s", r.code, r.stderr)
	}
}

// TestNoProbeWithoutTerminal: tests are not terminals, so a run with
// nothing configured and without auto must not look at any port.
func TestNoProbeWithoutTerminal(t *testing.T) {
	srv := localServer(t, openaitest.WithModels("qwen2.5:7b-instruct"))
	cands := []local.Candidate{candidate(t, local.Ollama, srv)}
	tests := []struct {
		name string
		args []string
		code int
		want string // in the last stderr line
	}{
		{"translate", []string{"translate", "--no-cache"}, 1, "no API key, and the API at https://api.openai.com needs one: set OPENAI_API_KEY in .env or the environment, or pass --api-key; for a local server set OPENAI_BASE_URL, or pass --base-url auto to find one"},
		{"translate with a placeholder key", []string{"translate", "--no-cache", "--api-key", "sk-..."}, 1, `the API key is the placeholder "sk-..."`},
		{"dry run with auto", []string{"translate", "--no-cache", "--dry-run", "--base-url", "auto"}, 0, ""},
		{"dry run", []string{"translate", "--no-cache", "--dry-run"}, 0, ""},
		{"inspect", []string{"inspect"}, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := freshMachine(t)
			r := runCLILocal(t, cands, append(tt.args, in)...)
			if r.code != tt.code {
				t.Errorf("exit %d, want %d; stderr:\n%s", r.code, tt.code, r.stderr)
			}
			if tt.want != "" {
				lines := strings.Split(strings.TrimSpace(r.stderr), "\n")
				if last := lines[len(lines)-1]; !strings.Contains(last, tt.want) {
					t.Errorf("last stderr line %q lacks %q", last, tt.want)
				}
			}
			if strings.Contains(r.stderr, "using the") {
				t.Errorf("stderr says a server was used:\n%s", r.stderr)
			}
		})
	}
	if n := srv.Count(openaitest.KindAny); n != 0 {
		t.Errorf("the local server got %d requests; want none without a terminal and without auto", n)
	}
}

func TestAutoNotForBatch(t *testing.T) {
	in := freshMachine(t)
	srv := localServer(t, openaitest.WithModels("m"))
	r := runCLILocal(t, []local.Candidate{candidate(t, local.Ollama, srv)}, "batch", "submit", "--base-url", "auto", "--api-key", "x", "--out", t.TempDir(), in)
	if r.code != 2 || !strings.Contains(r.stderr, `"auto"`) {
		t.Errorf("exit %d, stderr %q; want 2 and a line about the base URL", r.code, r.stderr)
	}
	if n := srv.Count(openaitest.KindAny); n != 0 {
		t.Errorf("batch probed: %d requests", n)
	}
}
