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

// run is main without the process, with the test's own streams. The Go
// tests that run the command in this process run one at a time:
// urfave/cli's help flag is one value for the whole process, and each run
// writes into it. The scripts (TestScripts) each run nl2en in a process of
// its own, in parallel.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return runStreams(ctx, args, streams{stdin: stdin, stdout: stdout, stderr: stderr})
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
