package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nl2en/nl2en/pipeline/job"
	"github.com/nl2en/nl2en/pipeline/openaitest"
	"github.com/nl2en/nl2en/pipeline/render"
	"github.com/nl2en/nl2en/pipeline/render/rendertest"
)

const testKey = "sk-test-6b1f0e2d9c8a7b6e5f4d3c2b1a0"

// result is what one run of the command printed and returned.
type result struct {
	code   int
	stdout string
	stderr string
}

// runCLI runs the command as a user would, with stdin given.
func runCLI(t *testing.T, stdin io.Reader, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	if stdin == nil {
		stdin = failingReader{t}
	}
	code := run(context.Background(), append([]string{"nl2en"}, args...), stdin, &out, &errb)
	return result{code, out.String(), errb.String()}
}

// failingReader fails the test if anything reads stdin.
type failingReader struct{ t *testing.T }

func (f failingReader) Read([]byte) (int, error) {
	f.t.Error("stdin was read although file arguments were given")
	return 0, io.EOF
}

func sampleServer(t *testing.T) *openaitest.Server {
	return openaitest.New(t, openaitest.WithAPIKey(testKey), openaitest.WithTranslations(openaitest.SampleTranslations()))
}

func apiArgs(srv *openaitest.Server) []string {
	return []string{"--base-url", srv.BaseURL(), "--api-key", testKey, "--max-retries", "1", "--timeout", "10s", "--no-cache"}
}

func copySample(t *testing.T, dir string) string {
	t.Helper()
	data, err := os.ReadFile("../../samples/bachmoet.txt")
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, "bachmoet.txt")
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// readDoc reads a JSON output, which must validate against the schema
// "nl2en schema" prints.
func readDoc(t *testing.T, path string) render.Document {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	rendertest.ValidateJSON(t, b)
	var d render.Document
	if err := json.Unmarshal(b, &d); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return d
}

func TestTranslateSampleFile(t *testing.T) {
	srv := sampleServer(t)
	dir := t.TempDir()
	in := copySample(t, dir)

	r := runCLI(t, nil, append([]string{"translate"}, append(apiArgs(srv), in)...)...)
	if r.code != 0 {
		t.Fatalf("exit %d, stderr:\n%s", r.code, r.stderr)
	}
	md, err := os.ReadFile(filepath.Join(dir, "bachmoet.en.md"))
	if err != nil {
		t.Fatal(err)
	}
	doc := readDoc(t, filepath.Join(dir, "bachmoet.en.json"))
	if got := len(doc.Segments); got != 19 {
		t.Fatalf("JSON has %d segments, want 19", got)
	}
	kinds := map[string]int{}
	for i, s := range doc.Segments {
		kinds[s.Kind]++
		if want := "s" + strconv.Itoa(i+1); s.ID != want {
			t.Errorf("segment %d has id %s, want %s", i, s.ID, want)
		}
		if s.Kind == "embed" && (s.Text != s.Source || s.Status != "kept") {
			t.Errorf("embed not kept verbatim: %+v", s)
		}
		if s.Text == "" {
			t.Errorf("%s has no English text", s.ID)
		}
	}
	if kinds["paragraph"] != 14 || kinds["heading"] != 3 || kinds["caption"] != 1 || kinds["embed"] != 1 {
		t.Errorf("kinds = %v, want 14 paragraphs, 3 headings, 1 caption, 1 embed", kinds)
	}
	if doc.SchemaVersion != render.SchemaVersion || doc.Source.SHA256 == "" || doc.Model != "gpt-4.1-mini" {
		t.Errorf("document header = %+v", doc)
	}
	if doc.Usage.Total.Requests < 2 {
		t.Errorf("usage total = %+v", doc.Usage.Total)
	}
	if doc.Usage.Repair.Requests != 0 {
		t.Errorf("%d repair requests for a correct translation", doc.Usage.Repair.Requests)
	}
	for _, s := range doc.Segments {
		if len(s.Warnings) > 0 {
			t.Errorf("%s: warnings %v on a correct translation", s.ID, s.Warnings)
		}
	}
	for _, want := range []string{"---\ntitle: ", "source_sha256: ", "## Disrupting supply lines", "*Ukrainian soldiers fire", "> Russia destroyed", "**Key points:**"} {
		if !strings.Contains(string(md), want) {
			t.Errorf("Markdown lacks %q", want)
		}
	}
	// The key must appear in no output and no log line.
	for name, text := range map[string]string{"markdown": string(md), "stderr": r.stderr, "stdout": r.stdout} {
		if strings.Contains(text, testKey) || strings.Contains(text, testKey[8:]) {
			t.Errorf("the API key appears in %s", name)
		}
	}
	js, _ := os.ReadFile(filepath.Join(dir, "bachmoet.en.json"))
	if strings.Contains(string(js), testKey) {
		t.Error("the API key appears in the JSON output")
	}
	for _, req := range srv.Requests() {
		body := string(req.Body)
		if strings.Contains(body, testKey) {
			t.Error("the API key was sent in a request body")
		}
	}
}

func TestTranslateStdin(t *testing.T) {
	srv := sampleServer(t)
	data, err := os.ReadFile("../../samples/bachmoet.txt")
	if err != nil {
		t.Fatal(err)
	}
	r := runCLI(t, bytes.NewReader(data), append(append([]string{"translate"}, apiArgs(srv)...), "-")...)
	if r.code != 0 {
		t.Fatalf("exit %d, stderr:\n%s", r.code, r.stderr)
	}
	if !strings.HasPrefix(r.stdout, "---\n") || !strings.Contains(r.stdout, "## War of attrition") {
		t.Errorf("stdout is not the Markdown translation:\n%.300s", r.stdout)
	}
	if strings.Contains(r.stderr, "---\ntitle") {
		t.Error("Markdown leaked to stderr")
	}

	r = runCLI(t, bytes.NewReader(data), append(append([]string{"translate", "--format", "json"}, apiArgs(srv)...), "-")...)
	if r.code != 0 {
		t.Fatalf("json: exit %d, stderr:\n%s", r.code, r.stderr)
	}
	var doc render.Document
	rendertest.ValidateJSON(t, []byte(r.stdout))
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil || len(doc.Segments) != 19 {
		t.Errorf("stdout JSON: err %v, %d segments", err, len(doc.Segments))
	}
	if doc.Source.File != "-" {
		t.Errorf("source file = %q, want -", doc.Source.File)
	}

	out := t.TempDir()
	r = runCLI(t, bytes.NewReader(data), append(append([]string{"translate", "--format", "md,json", "--out", out}, apiArgs(srv)...), "-")...)
	if r.code != 0 {
		t.Fatalf("--out: exit %d, stderr:\n%s", r.code, r.stderr)
	}
	for _, f := range []string{"stdin.en.md", "stdin.en.json"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("--out with stdin: %v", err)
		}
	}
	if r.stdout != "" {
		t.Errorf("--out with stdin printed to stdout: %.100s", r.stdout)
	}
}

func TestConfigurationErrors(t *testing.T) {
	srv := sampleServer(t)
	dir := t.TempDir()
	in := copySample(t, dir)
	tests := []struct {
		name     string
		args     []string
		code     int
		contains string
	}{
		{"missing key", []string{"translate", "--api-key", "", in}, 1, "OPENAI_API_KEY"},
		{"unreachable server", []string{"translate", "--no-cache", "--base-url", "http://127.0.0.1:9/v1", "--api-key", "x", "--max-retries", "0", in}, 1, "cannot reach the API at http://127.0.0.1:9"},
		{"rejected key", []string{"translate", "--no-cache", "--base-url", srv.BaseURL(), "--api-key", "sk-wrong", in}, 1, "api-keys.): set OPENAI_API_KEY (--api-key)"},
		{"unknown model", []string{"translate", "--no-cache", "--base-url", srv.BaseURL(), "--api-key", testKey, "--model", "gpt-9-turbo", in}, 1, `does not know model "gpt-9-turbo" (404); it serves gpt-4.1-mini, gpt-4.1, gpt-4o-mini, gpt-4o, gpt-5-mini, gpt-5: set NL2EN_MODEL (--model) to one of them`},
		{"placeholder key for a local server that needs one", []string{"translate", "--no-cache", "--base-url", srv.BaseURL(), "--api-key", "sk-...", in}, 1, "): set OPENAI_API_KEY in .env or the environment, or pass --api-key"},
		{"endpoint URL as the base URL", []string{"translate", "--base-url", "http://localhost:1234/v1/chat/completions", in}, 2, "base URL http://localhost:1234/v1/chat/completions ends in /chat/completions, the path nl2en adds to it: set OPENAI_BASE_URL (--base-url) to http://localhost:1234/v1"},
		{"base URL without /v1", []string{"translate", "--no-cache", "--base-url", strings.TrimSuffix(srv.BaseURL(), "/v1"), "--api-key", testKey, in}, 1, "(404): the base URL should be " + srv.BaseURL() + ": set OPENAI_BASE_URL (--base-url) to " + srv.BaseURL()},
		{"token budget too small", []string{"translate", "--token-budget", "20", in}, 2, "--token-budget (NL2EN_TOKEN_BUDGET) 20: must be at least 50"},
		{"placeholder key", []string{"translate", "--api-key", "sk-...", in}, 1, `the API key is the placeholder "sk-..."`},
		{"no input", []string{"translate", "--api-key", "x"}, 2, "no input"},
		{"bad format", []string{"translate", "--api-key", "x", "--format", "pdf", in}, 2, "--format"},
		{"unknown flag", []string{"translate", "--frobnicate", in}, 2, "frobnicate"},
		{"flag missing its value after the input", []string{"translate", in, "--out"}, 2, "flag --out needs a value"},
		{"bad base url", []string{"translate", "--base-url", "localhost:11434", in}, 2, "OPENAI_BASE_URL"},
		{"missing file", []string{"translate", "--base-url", srv.BaseURL(), "--api-key", testKey, filepath.Join(dir, "nope.txt")}, 1, "nope.txt"},
		{"missing prompts folder", []string{"translate", "--base-url", srv.BaseURL(), "--api-key", testKey, "--prompts", filepath.Join(dir, "nope"), in}, 2, "prompts folder"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("OPENAI_API_KEY", "")
			r := runCLI(t, nil, tt.args...)
			if r.code != tt.code {
				t.Errorf("exit %d, want %d; stderr:\n%s", r.code, tt.code, r.stderr)
			}
			lines := strings.Split(strings.TrimSpace(r.stderr), "\n")
			last := lines[len(lines)-1]
			if !strings.Contains(last, tt.contains) {
				t.Errorf("last stderr line %q does not mention %q", last, tt.contains)
			}
			if !strings.HasPrefix(last, "nl2en: ") && tt.code != 2 {
				t.Errorf("error line %q lacks the program prefix", last)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(dir, "bachmoet.en.md")); err == nil {
		t.Error("a failed run wrote output")
	}
}

func TestFailedRunKeepsEarlierOutput(t *testing.T) {
	srv := sampleServer(t)
	dir := t.TempDir()
	in := copySample(t, dir)
	if r := runCLI(t, nil, append(append([]string{"translate"}, apiArgs(srv)...), in)...); r.code != 0 {
		t.Fatalf("first run: exit %d\n%s", r.code, r.stderr)
	}
	before, _ := os.ReadFile(filepath.Join(dir, "bachmoet.en.md"))
	srv.Script(openaitest.KindAny, openaitest.QuotaExceeded())
	if r := runCLI(t, nil, append(append([]string{"translate", "--force"}, apiArgs(srv)...), in)...); r.code != 1 {
		t.Fatalf("second run: exit %d, want 1\n%s", r.code, r.stderr)
	}
	after, _ := os.ReadFile(filepath.Join(dir, "bachmoet.en.md"))
	if !bytes.Equal(before, after) {
		t.Error("a failed run changed the earlier good output")
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") && e.Name() != ".nl2en.lock" {
			t.Errorf("left a temporary file behind: %s", e.Name())
		}
	}
}

func TestPromptsExportAndOverride(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "prompts")
	r := runCLI(t, nil, "prompts", "export", dir)
	if r.code != 0 {
		t.Fatalf("export: exit %d\n%s", r.code, r.stderr)
	}
	if r := runCLI(t, nil, "prompts", "export", dir); r.code != 1 || !strings.Contains(r.stderr, "--force") {
		t.Errorf("second export: exit %d, stderr %q; want a refusal naming --force", r.code, r.stderr)
	}
	custom := "You translate Dutch into English. CUSTOM-PROMPT-MARKER. Reply with JSON {\"segments\": [...]}."
	if err := os.WriteFile(filepath.Join(dir, "translate.md"), []byte(custom), 0o644); err != nil {
		t.Fatal(err)
	}
	srv := sampleServer(t)
	in := copySample(t, t.TempDir())
	r = runCLI(t, nil, append(append([]string{"translate", "--prompts", dir}, apiArgs(srv)...), in)...)
	if r.code != 0 {
		t.Fatalf("translate --prompts: exit %d\n%s", r.code, r.stderr)
	}
	var used bool
	for _, req := range srv.Requests() {
		if req.Kind == openaitest.KindTranslate && strings.Contains(req.Chat.Messages[0].Content, "CUSTOM-PROMPT-MARKER") {
			used = true
		}
	}
	if !used {
		t.Error("the overriding translate.md was not used")
	}
}

func TestEnvPrecedence(t *testing.T) {
	srv := sampleServer(t)
	dir := t.TempDir()
	in := copySample(t, dir)
	envFile := filepath.Join(dir, "settings.env")
	// The file names a model the server does not know; the real environment
	// names a good one and must win.
	content := "OPENAI_API_KEY=" + testKey + "\nOPENAI_BASE_URL=" + srv.BaseURL() + "\nNL2EN_MODEL=from-file\n"
	if err := os.WriteFile(envFile, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("NL2EN_MODEL", "gpt-4o-mini")
	for _, k := range []string{"OPENAI_API_KEY", "OPENAI_BASE_URL"} {
		if v, ok := os.LookupEnv(k); ok {
			t.Setenv(k, v) // restored after the test, since loading .env sets it
			os.Unsetenv(k)
		} else {
			t.Setenv(k, "")
			os.Unsetenv(k)
		}
	}
	r := runCLI(t, nil, "translate", "--no-cache", "--env-file", envFile, "--max-retries", "0", in)
	if r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	doc := readDoc(t, filepath.Join(dir, "bachmoet.en.json"))
	if doc.Model != "gpt-4o-mini" {
		t.Errorf("model = %q: the environment should win over the env file", doc.Model)
	}
	// And a flag wins over both.
	r = runCLI(t, nil, "translate", "--no-cache", "--env-file", envFile, "--model", "gpt-5-mini", "--redo-stale", "--max-retries", "0", in)
	if r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	if doc := readDoc(t, filepath.Join(dir, "bachmoet.en.json")); doc.Model != "gpt-5-mini" {
		t.Errorf("model = %q: the flag should win", doc.Model)
	}
	if r := runCLI(t, nil, "translate", "--env-file", filepath.Join(dir, "missing.env"), in); r.code != 2 {
		t.Errorf("missing --env-file: exit %d, want 2", r.code)
	}
}

func TestInspect(t *testing.T) {
	r := runCLI(t, nil, "inspect", "--format", "json", "../../samples/bachmoet.txt")
	if r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	var arts []job.Inspection
	if err := json.Unmarshal([]byte(r.stdout), &arts); err != nil {
		t.Fatal(err)
	}
	a := arts[0]
	if len(a.Segments) != 19 || a.Batches < 1 || a.Batches > 3 || a.Estimated {
		t.Errorf("inspect: %d segments, %d batches, estimated %v", len(a.Segments), a.Batches, a.Estimated)
	}
	for _, s := range a.Segments {
		if s.Kind == "embed" && len(s.Batch) != 0 {
			t.Errorf("embed planned into batch %v", s.Batch)
		}
		if s.Kind != "embed" && len(s.Batch) == 0 {
			t.Errorf("%s not planned into any batch", s.ID)
		}
	}
	r = runCLI(t, nil, "inspect", "../../samples/bachmoet.txt")
	if r.code != 0 || !strings.Contains(r.stdout, "ID") || !strings.Contains(r.stdout, "kept") {
		t.Errorf("table output: exit %d\n%s", r.code, r.stdout)
	}
}

func TestInterruptWritesNothing(t *testing.T) {
	srv := sampleServer(t)
	srv.Script(openaitest.KindAny, openaitest.Hang(), openaitest.Hang(), openaitest.Hang())
	dir := t.TempDir()
	in := copySample(t, dir)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan result, 1)
	go func() {
		var out, errb bytes.Buffer
		code := run(ctx, append([]string{"nl2en", "translate"}, append(apiArgs(srv), in)...), failingReader{t}, &out, &errb)
		done <- result{code, out.String(), errb.String()}
	}()
	for srv.Count(openaitest.KindAny) < 2 {
		select {
		case r := <-done:
			t.Fatalf("the run ended before it was interrupted: exit %d\n%s", r.code, r.stderr)
		case <-time.After(5 * time.Millisecond):
		}
	}
	cancel()
	select {
	case r := <-done:
		if r.code != 130 {
			t.Errorf("exit %d, want 130; stderr:\n%s", r.code, r.stderr)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the run did not stop after the interrupt")
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if e.Name() != "bachmoet.txt" && e.Name() != ".nl2en.lock" {
			t.Errorf("the interrupted run left %s", e.Name())
		}
	}
}

func TestDeadline(t *testing.T) {
	srv := sampleServer(t)
	srv.Script(openaitest.KindAny, openaitest.Hang(), openaitest.Hang(), openaitest.Hang())
	dir := t.TempDir()
	in := copySample(t, dir)
	r := runCLI(t, nil, append(append([]string{"translate", "--deadline", "300ms"}, apiArgs(srv)...), in)...)
	if r.code != 1 || !strings.Contains(r.stderr, "the deadline of 300ms passed") {
		t.Errorf("exit %d, stderr:\n%s", r.code, r.stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "bachmoet.en.md")); err == nil {
		t.Error("a run past its deadline wrote output")
	}
}

func TestUserGlossaryWins(t *testing.T) {
	srv := sampleServer(t)
	dir := t.TempDir()
	in := copySample(t, dir)
	gl := filepath.Join(dir, "mine.csv")
	if err := os.WriteFile(gl, []byte("source,target\nBachmoet,Artemivsk\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := runCLI(t, nil, append(append([]string{"translate", "--glossary", gl, "--format", "json"}, apiArgs(srv)...), in)...)
	if r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	sent := false
	for _, req := range srv.Requests() {
		if req.Kind != openaitest.KindTranslate {
			continue
		}
		last := req.Chat.Messages[len(req.Chat.Messages)-1].Content
		if strings.Contains(last, "Bachmoet = Bakhmut") {
			t.Error("the built-in entry was sent although the user's glossary overrides it")
		}
		sent = sent || strings.Contains(last, "Bachmoet = Artemivsk")
	}
	if !sent {
		t.Error("the user's glossary entry was not sent")
	}
	bad := filepath.Join(dir, "bad.tsv")
	os.WriteFile(bad, []byte("source\ttarget\nonly-one-column\n"), 0o644)
	if r := runCLI(t, nil, append(append([]string{"translate", "--glossary", bad}, apiArgs(srv)...), in)...); r.code != 2 || !strings.Contains(r.stderr, "bad.tsv") {
		t.Errorf("bad glossary: exit %d, stderr %q; want 2 naming the file", r.code, r.stderr)
	}
}

func TestAzure(t *testing.T) {
	srv := openaitest.New(t, openaitest.WithAPIKey(testKey), openaitest.WithAzure("translator-prod", "2024-10-21"),
		openaitest.WithTranslations(openaitest.SampleTranslations()))
	dir := t.TempDir()
	in := copySample(t, dir)
	r := runCLI(t, nil, "translate", "--no-cache", "--azure", "--base-url", srv.BaseURL(), "--api-key", testKey,
		"--model", "translator-prod", "--max-retries", "0", in)
	if r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	for _, req := range srv.Requests() {
		if !strings.Contains(req.Path, "/openai/deployments/translator-prod/chat/completions") || req.Query.Get("api-version") != "2024-10-21" {
			t.Errorf("request went to %s?%s", req.Path, req.Query.Encode())
		}
		if req.Header.Get("api-key") != testKey {
			t.Error("the key was not sent in the api-key header")
		}
	}
	if doc := readDoc(t, filepath.Join(dir, "bachmoet.en.json")); len(doc.Segments) != 19 {
		t.Errorf("%d segments", len(doc.Segments))
	}
}
