package main

// Tests of the outputs besides Markdown and JSON: --format html and
// bilingual, the folder index, --template and "nl2en schema".

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/nl2en/nl2en/pipeline/index"
	"github.com/nl2en/nl2en/pipeline/openaitest"
	"github.com/nl2en/nl2en/pipeline/render"
	"github.com/nl2en/nl2en/pipeline/runner"
)

const allFormats = "md,json,html,bilingual"

// TestSampleEveryFormat translates the sample into every format, and
// checks that a second run sends nothing: each format's stamp says it is
// up to date.
func TestSampleEveryFormat(t *testing.T) {
	srv := sampleServer(t)
	dir := t.TempDir()
	in := copySample(t, dir)
	args := append(append([]string{"translate", "--format", allFormats}, apiArgs(srv)...), in)
	r := runCLI(t, nil, args...)
	if r.code != 0 {
		t.Fatalf("exit %d; stderr:\n%s", r.code, r.stderr)
	}
	want := []string{"bachmoet.en.html", "bachmoet.en.json", "bachmoet.en.md", "bachmoet.nl-en.md", "bachmoet.txt"}
	if got := filesUnder(t, dir); !slices.Equal(got, want) {
		t.Errorf("files = %q, want %q", got, want)
	}
	doc := readDoc(t, filepath.Join(dir, "bachmoet.en.json"))

	bilingual, err := os.ReadFile(filepath.Join(dir, "bachmoet.nl-en.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range doc.Segments {
		nl := "> " + strings.TrimSpace(strings.Split(s.Source, "\n")[0])
		i := strings.Index(string(bilingual), nl)
		if i < 0 {
			t.Errorf("bilingual Markdown lacks %s's Dutch %q", s.ID, nl)
			continue
		}
		// The English follows its Dutch, before the next segment.
		rest := string(bilingual[i:])
		if next := strings.Index(rest[1:], "\n<!-- "); next > 0 {
			rest = rest[:next+1]
		}
		if en := strings.Fields(s.Text)[0]; !strings.Contains(rest, en) {
			t.Errorf("bilingual Markdown: %s's English does not follow its Dutch:\n%s", s.ID, rest)
		}
	}

	// The review page is opened in a browser once, by pipeline/render's
	// TestReviewPageInBrowser, on a fixture with every kind of segment.

	before := srv.Count(openaitest.KindAny)
	r = runCLI(t, nil, args...)
	if r.code != 0 {
		t.Fatalf("second run: exit %d; stderr:\n%s", r.code, r.stderr)
	}
	if n := srv.Count(openaitest.KindAny) - before; n != 0 {
		t.Errorf("the second run sent %d requests, want none: every output is up to date", n)
	}
}

// TestFolderEveryFormatAndIndex runs over a folder with --out, then
// beside the inputs, in every format: the index describes every article,
// each JSON output validates, and a second run over a folder holding its
// own outputs and index sends no request.
func TestFolderEveryFormatAndIndex(t *testing.T) {
	srv := sampleServer(t)
	root := writeArticles(t, t.TempDir(), "a.txt", "sub/b.md", "sub/c.html")
	copySample(t, root)
	out := t.TempDir()
	args := translateArgs(srv, "", "--format", allFormats, "--out", out, root)
	r := runCLI(t, nil, args...)
	if r.code != 0 {
		t.Fatalf("exit %d; stderr:\n%s", r.code, r.stderr)
	}
	entries, err := index.Read(filepath.Join(out, index.JSONL))
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 4 {
		t.Fatalf("index.jsonl has %d lines, want 4", len(entries))
	}
	for _, e := range entries {
		base := strings.TrimSuffix(filepath.ToSlash(mustRel(t, root, e.Source)), filepath.Ext(e.Source))
		wantOut := []string{base + ".en.md", base + ".en.json", base + ".en.html", base + ".nl-en.md"}
		if e.Status != "done" || e.Title == "" || e.Summary == "" || e.Tokens.Requests == 0 || e.Cost == nil || !slices.Equal(e.Outputs, wantOut) {
			t.Errorf("index line %+v: want done, a title, a summary, tokens, a cost and outputs %q", e, wantOut)
		}
		for _, o := range e.Outputs {
			if _, err := os.Stat(filepath.Join(out, filepath.FromSlash(o))); err != nil {
				t.Errorf("index names an output that is not there: %v", err)
			}
		}
		readDoc(t, filepath.Join(out, filepath.FromSlash(base+".en.json")))
	}
	page, err := os.ReadFile(filepath.Join(out, index.HTML))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`<a href="bachmoet.en.html">`, `<a href="sub/b.en.html">`, "4 articles: 4 translated this run"} {
		if !strings.Contains(string(page), want) {
			t.Errorf("index.html lacks %q", want)
		}
	}

	steps := []struct {
		name string
		args []string
	}{
		{"again into --out", args},
		{"beside the inputs", translateArgs(srv, "", "--format", allFormats, "--report", filepath.Join(t.TempDir(), "r.json"), root)},
		{"beside the inputs, again", translateArgs(srv, "", "--format", allFormats, "--report", filepath.Join(t.TempDir(), "r.json"), root)},
		{"into the input folder", translateArgs(srv, "", "--format", allFormats, "--out", root, root)},
		{"into the input folder, again", translateArgs(srv, "", "--format", allFormats, "--out", root, root)},
	}
	for _, st := range steps {
		before := srv.Count(openaitest.KindAny)
		r := runCLI(t, nil, st.args...)
		if r.code != 0 {
			t.Fatalf("%s: exit %d; stderr:\n%s", st.name, r.code, r.stderr)
		}
		n := srv.Count(openaitest.KindAny) - before
		if strings.HasSuffix(st.name, "again") || st.name == "again into --out" {
			if n != 0 {
				t.Errorf("%s: %d requests, want none: a folder holding its own outputs is up to date", st.name, n)
			}
			if !strings.Contains(r.stderr, "0 done, 4 skipped, 0 failed") {
				t.Errorf("%s: stderr lacks \"0 done, 4 skipped, 0 failed\": outputs were taken as inputs:\n%s", st.name, r.stderr)
			}
		}
	}
	if n := validateJSONUnder(t, root); n != 4 {
		t.Errorf("%d JSON outputs beside the inputs, want 4", n)
	}
	// A run that skipped everything wrote nothing: the index is the one
	// the run that translated wrote.
	skipped, err := index.Read(filepath.Join(out, index.JSONL))
	if err != nil {
		t.Fatal(err)
	}
	for i, e := range skipped {
		if e.Status != string(runner.StatusDone) || e.Title != entries[i].Title || e.Tokens != entries[i].Tokens {
			t.Errorf("after a run that skipped everything, index line %+v, want %+v as the first run wrote it", e, entries[i])
		}
	}
}

func mustRel(t *testing.T, base, p string) string {
	t.Helper()
	rel, err := filepath.Rel(base, p)
	if err != nil {
		t.Fatal(err)
	}
	return rel
}

// validateJSONUnder validates every JSON output under dir and counts them.
func validateJSONUnder(t *testing.T, dir string) int {
	t.Helper()
	n := 0
	for _, f := range filesUnder(t, dir) {
		if strings.HasSuffix(f, ".en.json") {
			readDoc(t, filepath.Join(dir, filepath.FromSlash(f)))
			n++
		}
	}
	return n
}

// TestTemplateFlag guards --template: the Markdown output rendered
// through the user's template, the JSON written with it, stdin's output
// on stdout, article text never run as template syntax, and errors that
// name the template.
func TestTemplateFlag(t *testing.T) {
	srv := sampleServer(t)
	dir := t.TempDir()
	in := copySample(t, dir)
	tmpl := filepath.Join(dir, "card.tmpl")
	writeFileAt(t, tmpl, "# {{.summary.title}}\n{{range .segments}}{{if eq .kind \"heading\"}}- {{.text}}\n{{end}}{{end}}model: {{.model}}\n")

	r := runCLI(t, nil, append(append([]string{"translate", "--format", "md", "--template", tmpl}, apiArgs(srv)...), in)...)
	if r.code != 0 {
		t.Fatalf("exit %d; stderr:\n%s", r.code, r.stderr)
	}
	md, err := os.ReadFile(filepath.Join(dir, "bachmoet.en.md"))
	if err != nil {
		t.Fatal(err)
	}
	doc := readDoc(t, filepath.Join(dir, "bachmoet.en.json"))
	want := "# " + doc.Summary.Title + "\n"
	for _, s := range doc.Segments {
		if s.Kind == "heading" {
			want += "- " + s.Text + "\n"
		}
	}
	want += "model: gpt-4.1-mini\n"
	if string(md) != want {
		t.Errorf("bachmoet.en.md =\n%s\nwant\n%s", md, want)
	}
	before := srv.Count(openaitest.KindAny)
	if r := runCLI(t, nil, append(append([]string{"translate", "--format", "md", "--template", tmpl}, apiArgs(srv)...), in)...); r.code != 0 || srv.Count(openaitest.KindAny) != before {
		t.Errorf("second run: exit %d, %d requests; want 0 and none: the JSON's stamp says it is up to date", r.code, srv.Count(openaitest.KindAny)-before)
	}

	// Template syntax in an article is text.
	hostile := filepath.Join(t.TempDir(), "sjabloon.txt")
	writeFileAt(t, hostile, "Gemeente zet {{.model}} in bij de kust\n\nDe gemeente zegt dat {{range .segments}}{{.source}}{{end}} geen code is.\n")
	echo := openaitest.New(t, openaitest.WithAPIKey(testKey), openaitest.WithTranslator(func(id, text string) string {
		if id == "s1" {
			return "Council deploys {{.model}} on the coast"
		}
		return "The council says that {{range .segments}}{{.source}}{{end}} is not code."
	}))
	show := filepath.Join(dir, "show.tmpl")
	writeFileAt(t, show, "{{range .segments}}{{.text}}\n{{end}}")
	r = runCLI(t, strings.NewReader(mustRead(t, hostile)), append(append([]string{"translate", "--template", show}, apiArgs(echo)...), "-")...)
	if r.code != 0 {
		t.Fatalf("stdin: exit %d; stderr:\n%s", r.code, r.stderr)
	}
	if !strings.Contains(r.stdout, "{{.model}}") || !strings.Contains(r.stdout, "{{range .segments}}{{.source}}{{end}}") || strings.Contains(r.stdout, "gpt-4.1-mini") {
		t.Errorf("stdout = %q: want the article's template syntax printed as text", r.stdout)
	}

	bad := filepath.Join(dir, "bad.tmpl")
	writeFileAt(t, bad, "{{.summary.title")
	r = runCLI(t, nil, append(append([]string{"translate", "--template", bad}, apiArgs(srv)...), in)...)
	if r.code != exitUsage || strings.Count(strings.TrimSpace(r.stderr), "\n") != 0 || !strings.Contains(r.stderr, "--template") || !strings.Contains(r.stderr, "bad.tmpl") {
		t.Errorf("bad template: exit %d, stderr %q; want exit 2 and one line naming --template and the file", r.code, r.stderr)
	}

	failing := filepath.Join(dir, "failing.tmpl")
	writeFileAt(t, failing, "{{index .segments 500}}")
	out := t.TempDir()
	r = runCLI(t, nil, append(append([]string{"translate", "--template", failing, "--out", out}, apiArgs(srv)...), in)...)
	if r.code != exitFailure || !strings.Contains(r.stderr, "failing.tmpl") {
		t.Errorf("failing template: exit %d, stderr %q; want exit 1 naming the template", r.code, r.stderr)
	}
	if got := filesUnder(t, out); !slices.Equal(got, []string{"report.json", "runs.jsonl"}) {
		t.Errorf("a failing template wrote %q, want the run report and history alone", got)
	}
}

func mustRead(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestSchemaCommand guards "nl2en schema": the schema the tests validate
// with, as valid JSON naming draft 2020-12.
func TestSchemaCommand(t *testing.T) {
	r := runCLI(t, nil, "schema")
	if r.code != 0 || r.stderr != "" {
		t.Fatalf("exit %d; stderr:\n%s", r.code, r.stderr)
	}
	if r.stdout != render.Schema() {
		t.Error("nl2en schema does not print the embedded schema")
	}
	var s struct {
		Schema string `json:"$schema"`
	}
	if err := json.NewDecoder(bytes.NewReader([]byte(r.stdout))).Decode(&s); err != nil || s.Schema != "https://json-schema.org/draft/2020-12/schema" {
		t.Errorf("schema: %v, $schema %q", err, s.Schema)
	}
	if r := runCLI(t, nil, "schema", "extra"); r.code != exitUsage {
		t.Errorf("schema with an argument: exit %d, want %d", r.code, exitUsage)
	}
}

// TestFormatFlag guards --format's names and its one-line error.
func TestFormatFlag(t *testing.T) {
	r := runCLI(t, nil, "translate", "--api-key", testKey, "--format", "md,pdf", "x.txt")
	if r.code != exitUsage || !strings.Contains(r.stderr, `--format: "pdf" is not an output format: use md, json, html, bilingual`) {
		t.Errorf("exit %d, stderr %q", r.code, r.stderr)
	}
}
