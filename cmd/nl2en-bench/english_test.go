package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/nl2en/nl2en/pipeline/check"
	"github.com/nl2en/nl2en/pipeline/split"
	"github.com/nl2en/nl2en/prompts"
)

// TestFakeModelPassesChecks: the bench's fake model writes English that
// nl2en takes for a translation of every segment it generates, so the
// figures measure a run without repairs, as with a good model.
func TestFakeModelPassesChecks(t *testing.T) {
	paths, err := writeArticles(filepath.Join(t.TempDir(), "a"), 200, 1)
	if err != nil {
		t.Fatal(err)
	}
	g, err := check.Load(prompts.Default(), "glossary.tsv")
	if err != nil {
		t.Fatal(err)
	}
	m := fakeModel{gloss: g}
	sp := split.New()
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		art, err := sp.Split(t.Context(), p, data, split.Options{})
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range art.Segments {
			if !s.NeedsTranslation() {
				continue
			}
			en := m.translate(s.ID, s.Text)
			if why := check.Reject(s.Text, en, g); why != "" {
				t.Errorf("%s %s: %q → %q rejected: %s", filepath.Base(p), s.ID, s.Text, en, why)
			}
		}
	}
}
