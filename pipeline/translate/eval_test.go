package translate_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nl2en/nl2en/pipeline"
	"github.com/nl2en/nl2en/pipeline/check"
	"github.com/nl2en/nl2en/pipeline/openaitest"
	"github.com/nl2en/nl2en/pipeline/translate"
)

// The evaluation set (../testdata/eval, see its README.md): 22 Dutch
// news articles written for nl2en by two authors who never read its
// code, each with a professional British English translation aligned
// sentence by sentence and a reference summary (and six with an
// American English version too), reviewed for correctness before use.
// The checks were not tuned on them: where a check disagreed with a
// correct reference, the check changed.

// evalArticle is one article of the set and its references.
type evalArticle struct {
	Article string          `json:"article"`
	Topic   string          `json:"topic"`
	Blocks  []evalBlock     `json:"blocks"`
	Summary json.RawMessage `json:"summary"`
	US      *struct {
		Blocks  []evalBlock     `json:"blocks"`
		Summary json.RawMessage `json:"summary"`
	} `json:"us"`

	path    string // of the Dutch article
	summary openaitest.Summary
}

type evalBlock struct {
	Kind      string `json:"kind"`
	NL        string `json:"nl"`
	EN        string `json:"en"`
	Sentences []struct {
		NL string `json:"nl"`
		EN string `json:"en"`
	} `json:"sentences"`
}

const evalDir = "../testdata/eval"

func loadEval(t *testing.T) []evalArticle {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(evalDir, "*.ref.json"))
	if err != nil || len(files) < 20 {
		t.Fatalf("evaluation set: %d articles (%v), want at least 20", len(files), err)
	}
	var out []evalArticle
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var a evalArticle
		if err := json.Unmarshal(b, &a); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if err := json.Unmarshal(a.Summary, &a.summary); err != nil {
			t.Fatalf("%s: summary: %v", f, err)
		}
		a.path = filepath.Join(evalDir, a.Article)
		out = append(out, a)
	}
	return out
}

// evalReferences serves the British references of arts.
func evalReferences(arts []evalArticle) *openaitest.References {
	refs := openaitest.NewReferences()
	for _, a := range arts {
		for _, b := range a.Blocks {
			refs.Add(b.NL, b.EN)
			for _, s := range b.Sentences {
				refs.Add(s.NL, s.EN)
			}
		}
		refs.AddSummary(a.Blocks[0].NL, a.summary)
	}
	return refs
}

// evalRun is what translating the set found.
type evalRun struct {
	failed, warnings, summaryWarnings, repairs int
	report                                     []string
}

func (r *evalRun) String() string {
	return fmt.Sprintf("%d failed articles, %d segment warnings, %d summary warnings, %d repair requests",
		r.failed, r.warnings, r.summaryWarnings, r.repairs)
}

// translateEval translates every article of the set through the fake,
// which answers with the references, with nl2en's checks.
func translateEval(t *testing.T, arts []evalArticle, srv *openaitest.Server, mod func(*translate.Config)) *evalRun {
	t.Helper()
	tr := checked(t, srv, mod)
	run := &evalRun{}
	for _, a := range arts {
		art := readArticle(t, a.path)
		res, err := tr.Translate(context.Background(), art)
		if err != nil {
			run.failed++
			run.report = append(run.report, fmt.Sprintf("%s: failed: %v", a.Article, err))
			continue
		}
		for i, x := range res.Translations {
			for _, w := range x.Warnings {
				run.warnings++
				run.report = append(run.report, fmt.Sprintf("%s %s %s: %s\n    nl %q\n    en %q", a.Article, x.ID, art.Segments[i].Kind, w, art.Segments[i].Text, x.Text))
			}
		}
		for _, w := range res.Summary.Warnings {
			run.summaryWarnings++
			run.report = append(run.report, fmt.Sprintf("%s summary: %s", a.Article, w))
		}
	}
	run.repairs = srv.Count(openaitest.KindRepair)
	return run
}

// TestEvaluation: correct English raises no warning and fails no
// article, at the default token budget (articles packed, as in a folder
// run, or spread over the request slots, as for one file) and at a
// budget of 60 tokens, which cuts most paragraphs into pieces.
func TestEvaluation(t *testing.T) {
	arts := loadEval(t)
	for _, tt := range []struct {
		name   string
		budget int
		spread bool
	}{
		{"default budget, packed", translate.DefaultTokenBudget, false},
		{"default budget, spread", translate.DefaultTokenBudget, true},
		{"budget 60", 60, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			refs := evalReferences(arts)
			srv := openaitest.New(t, openaitest.WithTranslator(refs.Translate), openaitest.WithSummarizer(refs.Summarize))
			run := translateEval(t, arts, srv, func(c *translate.Config) {
				c.TokenBudget, c.Spread, c.Concurrency = tt.budget, tt.spread, 4
			})
			for _, m := range refs.Misses() {
				t.Errorf("no reference covers %q: the splitter cut the article where its author did not", m)
			}
			t.Logf("%d articles: %s", len(arts), run)
			for _, r := range run.report {
				t.Log(r)
			}
			if run.failed+run.warnings+run.summaryWarnings+run.repairs > 0 {
				t.Errorf("correct English: %s, want none", run)
			}
		})
	}
}

// judgeOnly is a checker over the built-in glossary, for tests that
// judge references without a server.
func judgeOnly(t *testing.T) *check.Checker {
	t.Helper()
	return check.NewChecker(glossary(t))
}

var _ = pipeline.KindMedia
var _ = strings.TrimSpace
