package check

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/nl2en/nl2en/pipeline"
)

// The evaluation set (../testdata/eval): Dutch articles translated, block
// by block, by people who never read these checks. These tests judge the
// references with the checks alone, block by block, as the translate
// stage's eval test judges them through the fake server.

type evalRefs struct {
	Article string      `json:"article"`
	Blocks  []evalBlock `json:"blocks"`
	Summary evalSummary `json:"summary"`
	US      *struct {
		Blocks  []evalBlock `json:"blocks"`
		Summary evalSummary `json:"summary"`
	} `json:"us"`
}

type evalBlock struct{ Kind, NL, EN string }

type evalSummary struct {
	Title     string   `json:"title"`
	Summary   string   `json:"summary"`
	KeyPoints []string `json:"key_points"`
}

func (s evalSummary) pipeline() pipeline.Summary {
	return pipeline.Summary{Title: s.Title, Summary: s.Summary, KeyPoints: s.KeyPoints}
}

func loadEvalRefs(t *testing.T) []evalRefs {
	t.Helper()
	files, err := filepath.Glob("../testdata/eval/*.ref.json")
	if err != nil || len(files) < 20 {
		t.Fatalf("evaluation set: %v, %v", files, err)
	}
	sort.Strings(files)
	var out []evalRefs
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var r evalRefs
		if err := json.Unmarshal(b, &r); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		out = append(out, r)
	}
	return out
}

// segmentsOf is an article of blocks as the checks see it. Page
// furniture is kept untranslated by nl2en, and an English post is passed
// through: their English is their text.
func segmentsOf(blocks []evalBlock) []Segment {
	out := make([]Segment, len(blocks))
	for i, b := range blocks {
		out[i] = Segment{Kind: pipeline.Kind(b.Kind), Source: b.NL, English: b.EN}
		if b.Kind == string(pipeline.KindFurniture) {
			out[i].English = b.NL
		}
	}
	return out
}

// TestEvalReferencesPass: every reference block, British and American,
// is a translation by every check, and every reference summary is about
// its article and holds only its facts.
func TestEvalReferencesPass(t *testing.T) {
	ck := NewChecker(builtinGlossary(t))
	for _, r := range loadEvalRefs(t) {
		versions := []struct {
			name    string
			blocks  []evalBlock
			summary evalSummary
		}{{"GB", r.Blocks, r.Summary}}
		if r.US != nil {
			versions = append(versions, struct {
				name    string
				blocks  []evalBlock
				summary evalSummary
			}{"US", r.US.Blocks, r.US.Summary})
		}
		for _, v := range versions {
			segs := segmentsOf(v.blocks)
			a := ck.Article(segs)
			for i, s := range segs {
				if s.Kind == pipeline.KindFurniture {
					continue // kept as it is, never judged
				}
				if rj := ck.Reject(s.Kind, s.Source, s.English); rj != nil {
					t.Errorf("%s %s %s %.50q: rejected: %s", r.Article, v.name, s.Kind, s.English, rj.Reason)
				}
				for _, p := range a.Check(i) {
					t.Errorf("%s %s %s: %s\n  nl %q\n  en %q", r.Article, v.name, s.Kind, p.Message, s.Source, s.English)
				}
			}
			rv := a.ReviewSummary(v.summary.pipeline())
			for _, p := range rv.Problems {
				t.Errorf("%s %s summary: %s", r.Article, v.name, p.Message)
			}
		}
	}
}

// TestEvalSummaryOverlap: a reference summary shares more of its content
// words with its own article than MinOverlap, and with every other
// article of the set less: the threshold parts them.
func TestEvalSummaryOverlap(t *testing.T) {
	ck := NewChecker(builtinGlossary(t))
	refs := loadEvalRefs(t)
	ownMin, otherMax := 1.0, 0.0
	var ownArt, otherPair string
	for _, r := range refs {
		g := ck.Article(segmentsOf(r.Blocks)).grounding()
		for _, o := range refs {
			s := o.Summary
			share, ok := g.overlap(append([]string{s.Title, s.Summary}, s.KeyPoints...))
			if !ok {
				t.Errorf("%s with the summary of %s: too few words to tell", r.Article, o.Article)
				continue
			}
			if o.Article == r.Article && share < ownMin {
				ownMin, ownArt = share, r.Article
			}
			if o.Article != r.Article && share > otherMax {
				otherMax, otherPair = share, fmt.Sprintf("%s with the summary of %s", r.Article, o.Article)
			}
		}
	}
	t.Logf("own summaries share %.2f at least (%s); other articles' %.2f at most (%s); MinOverlap %.2f",
		ownMin, ownArt, otherMax, otherPair, MinOverlap)
	if ownMin < MinOverlap || otherMax >= MinOverlap {
		t.Errorf("MinOverlap %.2f does not part own summaries (%.2f at least) from others (%.2f at most)", MinOverlap, ownMin, otherMax)
	}
}
