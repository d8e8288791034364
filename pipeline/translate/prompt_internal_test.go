package translate

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/nl2en/nl2en/pipeline"
	"github.com/nl2en/nl2en/pipeline/check"
	"github.com/nl2en/nl2en/pipeline/split"
	"github.com/nl2en/nl2en/pipeline/tokens"
	"github.com/nl2en/nl2en/prompts"
)

// TestPromptCountedByParts: the prompt counted by its parts, which paces
// the run and tells a cut prompt, is within 5% of counting each request
// whole, on the sample and the corpus, for translation, repair and
// summary requests.
func TestPromptCountedByParts(t *testing.T) {
	g, err := check.Load(prompts.Default(), "glossary.tsv")
	if err != nil {
		t.Fatal(err)
	}
	count := tokens.ForModel("gpt-4.1-mini").Count
	cfg := Config{Model: "gpt-4.1-mini", Tokens: CountFunc(count)}
	cfg.Judge = check.NewChecker(g)
	tr, err := New(nil, cfg)
	if err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob("../split/testdata/corpus/*.*")
	files = append(files, "../../samples/bachmoet.txt")
	within := func(name string, parts, whole int) {
		t.Helper()
		if d := float64(parts-whole) / float64(whole); d > 0.05 || d < -0.05 {
			t.Errorf("%s: %d by parts, %d counted whole (%+.1f%%)", name, parts, whole, 100*d)
		}
	}
	for _, f := range files {
		if ext := filepath.Ext(f); ext != ".txt" && ext != ".md" && ext != ".html" || filepath.Base(f) == "README.md" {
			continue
		}
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		art, err := split.New().Split(context.Background(), f, data, split.Options{})
		if err != nil {
			t.Fatal(err)
		}
		for _, b := range append(Plan(art, 300, count), Spread(art, DefaultTokenBudget, count, 3)...) {
			problems := map[string]string{b.Units[0].ID: "the text came back unchanged, still in Dutch; translate it into English"}
			for _, kind := range []pipeline.RequestKind{pipeline.RequestTranslate, pipeline.RequestRepair} {
				var p map[string]string
				if kind == pipeline.RequestRepair {
					p = problems
				}
				in := tr.translationInput(art, b.Units, p)
				whole := tokens.CountMessages(count, tr.buildTranslation(in, b.Units, kind, ModeJSONSchema).Messages)
				within(filepath.Base(f)+" "+string(kind), tr.translationPrompt(in, b.Units, kind), whole)
			}
		}
		in := tr.summaryInput(art, summaryInputTokens)
		within(filepath.Base(f)+" summary", tr.summaryPrompt(in), tokens.CountMessages(count, tr.summaryRequest(in, ModeJSONSchema).Messages))
	}
}
