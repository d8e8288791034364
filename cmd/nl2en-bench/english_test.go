package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nl2en/nl2en/pipeline"
	"github.com/nl2en/nl2en/pipeline/check"
	"github.com/nl2en/nl2en/pipeline/openaitest"
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
		ck := check.NewChecker(g)
		segs := make([]check.Segment, len(art.Segments))
		var lines []string
		for i, s := range art.Segments {
			segs[i] = check.Segment{Kind: s.Kind, Source: s.Text, English: s.Text}
			if !s.NeedsTranslation() {
				continue
			}
			lines = append(lines, s.Text)
			en := m.translate(s.ID, s.Text)
			segs[i].English = en
			if r := ck.Reject(s.Kind, s.Text, en); r != nil {
				t.Errorf("%s %s: %q → %q rejected: %s", filepath.Base(p), s.ID, s.Text, en, r.Reason)
			}
		}
		a := ck.Article(segs)
		for i, s := range art.Segments {
			for _, pr := range a.Check(i) {
				t.Errorf("%s %s: %q → %q: %s", filepath.Base(p), s.ID, s.Text, segs[i].English, pr.Message)
			}
		}
		sum := m.summarize(openaitest.SummaryRequest{Article: strings.Join(lines, "\n")})
		for _, pr := range a.ReviewSummary(pipeline.Summary{Title: sum.Title, Summary: sum.Summary, KeyPoints: sum.KeyPoints}).Problems {
			t.Errorf("%s summary %+v: %s", filepath.Base(p), sum, pr.Message)
		}
	}
}

// TestFakeModelOnTheSample: a variant of the sample, as the folder run
// has them, gets no repair either: the segment not among the sample's
// translations is the fake model's.
func TestFakeModelOnTheSample(t *testing.T) {
	g, err := check.Load(prompts.Default(), "glossary.tsv")
	if err != nil {
		t.Fatal(err)
	}
	sample, err := os.ReadFile("../../samples/bachmoet.txt")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if _, err := writeVariants(dir, sample, 1); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(dir, "versie-0001.txt"))
	if err != nil {
		t.Fatal(err)
	}
	art, err := split.New().Split(t.Context(), "versie-0001.txt", data, split.Options{})
	if err != nil {
		t.Fatal(err)
	}
	m, known := fakeModel{gloss: g}, openaitest.SampleTranslations()
	segs := make([]check.Segment, len(art.Segments))
	for i, s := range art.Segments {
		segs[i] = check.Segment{Kind: s.Kind, Source: s.Text, English: s.Text}
		if s.NeedsTranslation() {
			if en, ok := known[s.Text]; ok {
				segs[i].English = en
			} else {
				segs[i].English = m.translate(s.ID, s.Text)
			}
		}
	}
	a := check.NewChecker(g).Article(segs)
	for i := range segs {
		for _, p := range a.Check(i) {
			t.Errorf("%s: %q → %q: %s", art.Segments[i].ID, segs[i].Source, segs[i].English, p.Message)
		}
	}
}
