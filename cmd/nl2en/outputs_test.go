package main

// A test of --template that needs a translator of its own: the rest of
// the outputs (every format, the folder index, --template, "nl2en
// schema", --format's error) is testdata/script/outputs.txtar.

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nl2en/nl2en/pipeline/openaitest"
)

// TestTemplateTextIsNotRun guards that template syntax in an article's
// English (the model's reply, set here) is printed as text through
// --template, never run.
func TestTemplateTextIsNotRun(t *testing.T) {
	dir := t.TempDir()
	hostile := filepath.Join(dir, "sjabloon.txt")
	writeFileAt(t, hostile, "Gemeente zet {{.model}} in bij de kust\n\nDe gemeente zegt dat {{range .segments}}{{.source}}{{end}} geen code is.\n")
	echo := openaitest.New(t, openaitest.WithAPIKey(testKey), openaitest.WithTranslator(func(id, text string) string {
		if id == "s1" {
			return "Council deploys {{.model}} on the coast"
		}
		return "The council says that {{range .segments}}{{.source}}{{end}} is not code."
	}))
	show := filepath.Join(dir, "show.tmpl")
	writeFileAt(t, show, "{{range .segments}}{{.text}}\n{{end}}")
	r := runCLI(t, strings.NewReader(mustRead(t, hostile)), append(append([]string{"translate", "--template", show}, apiArgs(echo)...), "-")...)
	if r.code != 0 {
		t.Fatalf("stdin: exit %d; stderr:\n%s", r.code, r.stderr)
	}
	if !strings.Contains(r.stdout, "{{.model}}") || !strings.Contains(r.stdout, "{{range .segments}}{{.source}}{{end}}") || strings.Contains(r.stdout, "gpt-4.1-mini") {
		t.Errorf("stdout = %q: want the article's template syntax printed as text", r.stdout)
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
