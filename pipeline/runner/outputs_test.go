package runner_test

// Tests of what a run writes besides Markdown and JSON: every format, the
// folder index, and a user's template.

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/nl2en/nl2en/pipeline"
	"github.com/nl2en/nl2en/pipeline/index"
	"github.com/nl2en/nl2en/pipeline/llm"
	"github.com/nl2en/nl2en/pipeline/render"
	"github.com/nl2en/nl2en/pipeline/render/rendertest"
	"github.com/nl2en/nl2en/pipeline/runner"
	"github.com/nl2en/nl2en/pipeline/translate"
)

// validateJSONOutputs validates every JSON output under dir against the
// schema, and returns how many there were.
func validateJSONOutputs(t *testing.T, dir string) int {
	t.Helper()
	n := 0
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !strings.HasSuffix(p, ".en.json") {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rendertest.ValidateJSON(t, b)
		n++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func readIndex(t *testing.T, out string) map[string]index.Entry {
	t.Helper()
	list, err := index.Read(filepath.Join(out, index.JSONL))
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]index.Entry{}
	for _, e := range list {
		m[filepath.Base(e.Source)] = e
	}
	return m
}

// TestRunWritesIndex guards the folder index: one line per article,
// merged by every run with an output folder that wrote an output (the
// lines of articles it did not visit stay), articles skipped as up to
// date read back from their JSON, and left as it was by a run that wrote
// nothing: a dry run, a run with nothing to do, one stopped before it
// wrote.
func TestRunWritesIndex(t *testing.T) {
	root := t.TempDir()
	articleTree(t, root, "a.txt", "b.md", "sub/c.html")
	writeTree(t, root, map[string]string{"empty.txt": ""})
	out := t.TempDir()
	all := formats("md", "json", "html", "bilingual")
	tr := &fakeTranslator{}

	rep, err := newRunner(tr, runner.Config{Out: out, Formats: all}).Run(t.Context(), []string{root})
	if err != nil {
		t.Fatal(err)
	}
	checkCounts(t, rep, runner.Counts{Found: 4, Done: 3, Failed: 1})
	first := readIndex(t, out)
	if len(first) != 4 {
		t.Fatalf("index has %d lines, want 4: %+v", len(first), first)
	}
	c := first["c.html"]
	if c.Status != "done" || c.Title != "EN(c.html) s1" || c.Summary != "A summary." || c.Tokens.Requests != 2 || c.Model != "fake-model" {
		t.Errorf("index line of a done article = %+v", c)
	}
	if want := []string{"sub/c.en.md", "sub/c.en.json", "sub/c.en.html", "sub/c.nl-en.md"}; !slices.Equal(c.Outputs, want) {
		t.Errorf("outputs = %q, want %q (relative to the output folder)", c.Outputs, want)
	}
	if e := first["empty.txt"]; e.Status != "failed" || e.Error == "" || len(e.Outputs) != 0 {
		t.Errorf("index line of a failed article = %+v", e)
	}
	if n := validateJSONOutputs(t, out); n != 3 {
		t.Errorf("%d JSON outputs, want 3", n)
	}

	// A run that writes nothing leaves the index as it was.
	before, err := os.ReadFile(filepath.Join(out, index.JSONL))
	if err != nil {
		t.Fatal(err)
	}
	runs := []struct {
		name string
		tr   runner.Translator
		cfg  runner.Config
	}{
		{"nothing to do", tr, runner.Config{Out: out, Formats: all}},
		{"dry run", tr, runner.Config{Out: out, Formats: all, DryRun: true, Estimate: estimate, Force: true}},
		{"stopped", translatorFunc(func(ctx context.Context, art *pipeline.Article) (*pipeline.Result, error) {
			return nil, &llm.Error{Kind: llm.KindUnauthorized, Message: "no"}
		}), runner.Config{Out: out, Formats: all, Force: true}},
	}
	for _, rn := range runs {
		_, err := newRunner(rn.tr, rn.cfg).Run(t.Context(), []string{root})
		if rn.name == "stopped" != (err != nil) {
			t.Errorf("%s: run error %v", rn.name, err)
		}
		after, err := os.ReadFile(filepath.Join(out, index.JSONL))
		if err != nil {
			t.Fatal(err)
		}
		if string(after) != string(before) {
			t.Errorf("%s: the index changed:\n%s", rn.name, after)
		}
	}

	// Markdown alone, with a new article: the others are read back from
	// the JSON of the first run, and list the outputs of the run's
	// formats; the failed article whose source is gone goes.
	if err := os.Remove(filepath.Join(root, "empty.txt")); err != nil {
		t.Fatal(err)
	}
	articleTree(t, root, "d.txt")
	if _, err := newRunner(tr, runner.Config{Out: out, Formats: formats("md")}).Run(t.Context(), []string{root}); err != nil {
		t.Fatal(err)
	}
	third := readIndex(t, out)
	if len(third) != 4 || third["a.txt"].Summary != "A summary." || third["a.txt"].Status != "skipped" ||
		!slices.Equal(third["a.txt"].Outputs, []string{"a.en.md"}) || third["d.txt"].Status != "done" {
		t.Errorf("index after a Markdown-only run = %+v, want a, b, c skipped with summaries read from their JSON and the outputs of the run's formats, d done", third)
	}

	// A run over one file merges its article; the others' lines stay.
	articleTree(t, root, "e.txt")
	if _, err := newRunner(tr, runner.Config{Out: out}).Run(t.Context(), []string{filepath.Join(root, "e.txt")}); err != nil {
		t.Fatal(err)
	}
	fourth := readIndex(t, out)
	if len(fourth) != 5 || fourth["e.txt"].Status != "done" || fourth["a.txt"].Status != "skipped" {
		t.Errorf("index after a run over one file = %+v, want its line added to the four", fourth)
	}
}

// TestRunOwnOutputsAreNotInputs guards that a folder holding its own
// outputs of every format, and its index, is up to date on the next run:
// nothing is taken for an input, nothing is translated again.
func TestRunOwnOutputsAreNotInputs(t *testing.T) {
	for _, tt := range []struct {
		name string
		out  func(root string) string
	}{
		{"beside the inputs", func(string) string { return "" }},
		{"out is the input folder", func(root string) string { return root }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			articleTree(t, root, "a.txt", "b.md", "sub/c.html", "sub/index.html")
			cfg := runner.Config{Out: tt.out(root), Formats: formats("md", "json", "html", "bilingual")}
			tr := &fakeTranslator{}
			rep, err := newRunner(tr, cfg).Run(t.Context(), []string{root})
			if err != nil {
				t.Fatal(err)
			}
			checkCounts(t, rep, runner.Counts{Found: 4, Done: 4})
			validateJSONOutputs(t, root)
			calls := len(tr.called())
			rep, err = newRunner(tr, cfg).Run(t.Context(), []string{root})
			if err != nil {
				t.Fatal(err)
			}
			checkCounts(t, rep, runner.Counts{Found: 4, Skipped: 4})
			if got := tr.called()[calls:]; len(got) != 0 {
				t.Errorf("the second run translated %q, want nothing", got)
			}
		})
	}
}

// TestRunTemplate guards a user's template in the Markdown's place: its
// output is up to date by the JSON's stamp, and one that fails on an
// article fails that article and writes nothing of it.
func TestRunTemplate(t *testing.T) {
	root := t.TempDir()
	articleTree(t, root, "a.txt", "b.txt")
	out := t.TempDir()
	tmpl, err := render.TemplateFormat("card.tmpl", `{{.summary.title}}|{{(index .segments 2).text}}`)
	if err != nil {
		t.Fatal(err)
	}
	json, _ := render.Named("json")
	cfg := runner.Config{Out: out, Formats: []render.Format{tmpl, json}}
	tr := &fakeTranslator{}
	rep, err := newRunner(tr, cfg).Run(t.Context(), []string{root})
	if err != nil {
		t.Fatal(err)
	}
	checkCounts(t, rep, runner.Counts{Found: 2, Done: 2})
	b, err := os.ReadFile(filepath.Join(out, "a.en.md"))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(b), "Title of a.txt|EN(a.txt) s3"; got != want {
		t.Errorf("a.en.md = %q, want %q", got, want)
	}
	validateJSONOutputs(t, out)
	if rep, _ := newRunner(tr, cfg).Run(t.Context(), []string{root}); rep.Articles != (runner.Counts{Found: 2, Skipped: 2}) {
		t.Errorf("second run: %+v, want both skipped by the JSON's stamp", rep.Articles)
	}
	if err := os.Remove(filepath.Join(out, "b.en.md")); err != nil {
		t.Fatal(err)
	}
	if rep, _ := newRunner(tr, cfg).Run(t.Context(), []string{root}); rep.Articles != (runner.Counts{Found: 2, Done: 1, Skipped: 1}) {
		t.Errorf("after removing b's template output: %+v, want b redone", rep.Articles)
	}

	bad, err := render.TemplateFormat("bad.tmpl", `{{index .segments 99}}`)
	if err != nil {
		t.Fatal(err)
	}
	out2 := t.TempDir()
	rep, err = newRunner(tr, runner.Config{Out: out2, Formats: []render.Format{bad, json}}).Run(t.Context(), []string{root})
	if err != nil {
		t.Fatal(err)
	}
	checkCounts(t, rep, runner.Counts{Found: 2, Failed: 2})
	if len(rep.Failures) != 2 || !strings.Contains(rep.Failures[0].Error, "bad.tmpl") {
		t.Errorf("failures = %+v, want each naming the template", rep.Failures)
	}
	if ents, err := os.ReadDir(out2); err != nil || slices.ContainsFunc(ents, func(e fs.DirEntry) bool { return strings.Contains(e.Name(), ".en.") }) {
		t.Errorf("a failed template left outputs: %v %v", ents, err)
	}
}

// estimate is a dry run's forecast: one request per article.
func estimate(*pipeline.Article) translate.Estimate {
	return translate.Estimate{Requests: 1, PromptTokens: 100, CompletionTokens: 90}
}
