package translate_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
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

// usReferences serves the American references of the articles that
// have them, and returns those articles.
func usReferences(t *testing.T, arts []evalArticle) (*openaitest.References, []evalArticle) {
	t.Helper()
	refs := openaitest.NewReferences()
	var us []evalArticle
	for _, a := range arts {
		if a.US == nil {
			continue
		}
		for _, b := range a.US.Blocks {
			refs.Add(b.NL, b.EN)
			for _, s := range b.Sentences {
				refs.Add(s.NL, s.EN)
			}
		}
		var sum openaitest.Summary
		if err := json.Unmarshal(a.US.Summary, &sum); err != nil {
			t.Fatalf("%s: US summary: %v", a.Article, err)
		}
		refs.AddSummary(a.US.Blocks[0].NL, sum)
		us = append(us, a)
	}
	return refs, us
}

// evalRun is what translating the set found.
type evalRun struct {
	failed, warnings, summaryWarnings, repairs int
	// names counts the names the articles' replies listed, held to one
	// form each: the names pass had them to judge.
	names  int
	report []string
}

func (r *evalRun) String() string {
	return fmt.Sprintf("%d failed articles, %d segment warnings, %d summary warnings, %d repair requests (%d names listed)",
		r.failed, r.warnings, r.summaryWarnings, r.repairs, r.names)
}

// translateEval translates every article of the set through the fake,
// which answers with the references, with nl2en's checks.
func translateEval(t *testing.T, arts []evalArticle, srv *openaitest.Server, mod func(*translate.Config)) *evalRun {
	t.Helper()
	tr := checked(t, srv, mod)
	run := &evalRun{}
	for _, a := range arts {
		art := readArticle(t, a.path)
		if art.EnglishOnly {
			t.Errorf("%s: a Dutch article taken for an English one", a.Article)
		}
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
		run.names += len(res.Names)
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
			if run.names == 0 {
				t.Error("the replies listed no names: the names pass judged nothing")
			}
		})
	}
}

// TestEvaluationUS: correct American English raises no warning and
// fails no article when the run asks for American English (--english
// us), at both budgets: the six articles of the set with American
// references.
func TestEvaluationUS(t *testing.T) {
	all := loadEval(t)
	for _, tt := range []struct {
		name   string
		budget int
	}{{"default budget", translate.DefaultTokenBudget}, {"budget 60", 60}} {
		t.Run(tt.name, func(t *testing.T) {
			refs, arts := usReferences(t, all)
			if len(arts) < 5 {
				t.Fatalf("%d articles with American references, want 5 at least", len(arts))
			}
			srv := openaitest.New(t, openaitest.WithTranslator(refs.Translate), openaitest.WithSummarizer(refs.Summarize))
			run := translateEval(t, arts, srv, func(c *translate.Config) {
				c.TokenBudget, c.Concurrency = tt.budget, 4
				c.English = pipeline.EnglishUS
				c.Judge = check.NewChecker(glossary(t), check.WithEnglish(pipeline.EnglishUS))
			})
			for _, m := range refs.Misses() {
				t.Errorf("no reference covers %q", m)
			}
			t.Logf("%d articles: %s", len(arts), run)
			for _, r := range run.report {
				t.Log(r)
			}
			if run.failed+run.warnings+run.summaryWarnings+run.repairs > 0 {
				t.Errorf("correct American English: %s, want none", run)
			}
			for _, r := range srv.Requests() {
				if !strings.Contains(r.Chat.Messages[0].Content, "American English") {
					t.Errorf("a %s request does not ask for American English", r.Kind)
					break
				}
			}
		})
	}
}

// fault is a fault planted in the replies of a reference article: in the
// English of one segment, or in the summary.
type fault struct {
	name    string
	article string // of the set, by its number: "01"
	// segment picks the segment the fault is planted in; nil for a
	// fault of the summary.
	segment func(art *pipeline.Article) int
	// spoil returns the faulty English of the segment's Dutch, given its
	// reference, or the faulty summary of the article, given the
	// references' summaries of the set.
	spoil        func(nl, en string) string
	spoilSummary func(own openaitest.Summary, all []evalArticle) openaitest.Summary
	// warning is a word of the warning left when the fake repeats the
	// fault; "" when it fails the segment or the article instead.
	warning string
	// failure is a word of the failure when the fake repeats it: always,
	// or only in strict mode (for a fault that is warned about).
	failure string
}

// plantedFaults are the faults a translation from a model has, one of
// each kind the checks must catch.
func plantedFaults() []fault {
	paragraph := func(min int) func(*pipeline.Article) int {
		return func(art *pipeline.Article) int {
			for i, s := range art.Segments {
				if s.Kind == pipeline.KindParagraph && len(strings.Split(s.Text, ". ")) >= min && strings.ContainsAny(s.Text, "0123456789") {
					return i
				}
			}
			return -1
		}
	}
	kind := func(k pipeline.Kind) func(*pipeline.Article) int {
		return func(art *pipeline.Article) int {
			for i, s := range art.Segments {
				if s.Kind == k {
					return i
				}
			}
			return -1
		}
	}
	return []fault{
		{name: "a dropped sentence", article: "01", segment: paragraph(3),
			spoil: func(_, en string) string {
				ss := strings.SplitAfter(en, ". ")
				return strings.TrimSpace(strings.Join(ss[:len(ss)-1], ""))
			},
			warning: "sentence may be missing", failure: "strict"},
		{name: "a changed number", article: "04", segment: paragraph(2),
			spoil: func(_, en string) string {
				i := strings.IndexAny(en, "0123456789")
				return en[:i] + string('0'+(en[i]-'0'+3)%10) + en[i+1:]
			},
			warning: "should appear as", failure: "strict"},
		{name: "an untranslated segment", article: "12", segment: paragraph(2),
			spoil:   func(nl, _ string) string { return nl },
			failure: "the reply was the Dutch text, unchanged"},
		{name: "an echoed byline", article: "02", segment: kind(pipeline.KindByline),
			spoil:   func(nl, _ string) string { return nl },
			warning: "byline is still in Dutch", failure: "strict"},
		{name: "a name invented in the summary", article: "20",
			spoilSummary: func(own openaitest.Summary, _ []evalArticle) openaitest.Summary {
				own.KeyPoints = append(append([]string(nil), own.KeyPoints...), "Finance Minister Joost Verkerk welcomed the figures.")
				return own
			},
			warning: "Joost Verkerk", failure: "Joost Verkerk"},
		{name: "another article's summary", article: "14",
			spoilSummary: func(_ openaitest.Summary, all []evalArticle) openaitest.Summary {
				for _, a := range all {
					if strings.HasPrefix(a.Article, "17") {
						return a.summary
					}
				}
				panic("article 17 is missing from the set")
			},
			failure: "not about the article"},
	}
}

// TestPlantedFaults: each fault planted in the references is caught. A
// model that mends it when asked gets one repair and leaves no trace; one
// that repeats it leaves a warning naming it (a failure in strict mode),
// or, for a segment left in Dutch or a summary of another article, fails
// the article.
func TestPlantedFaults(t *testing.T) {
	all := loadEval(t)
	for _, f := range plantedFaults() {
		var a evalArticle
		for _, x := range all {
			if strings.HasPrefix(x.Article, f.article) {
				a = x
			}
		}
		art := readArticle(t, a.path)
		target := ""
		if f.segment != nil {
			i := f.segment(art)
			if i < 0 {
				t.Fatalf("%s: no segment of %s to plant it in", f.name, a.Article)
			}
			target = art.Segments[i].Text
		}
		for _, mode := range []struct {
			name           string
			repeat, strict bool
		}{{"mended", false, false}, {"repeated", true, false}, {"repeated, strict", true, true}} {
			t.Run(f.name+", "+mode.name, func(t *testing.T) {
				refs := evalReferences(all)
				var mu sync.Mutex
				calls := 0
				spoilt := func() bool {
					mu.Lock()
					defer mu.Unlock()
					calls++
					return calls == 1 || mode.repeat
				}
				translator := func(id, text string) string {
					en := refs.Translate(id, text)
					if f.spoil != nil && strings.TrimSpace(text) == target && spoilt() {
						return f.spoil(text, en)
					}
					return en
				}
				summarizer := func(req openaitest.SummaryRequest) openaitest.Summary {
					own := refs.Summarize(req)
					if f.spoilSummary != nil && spoilt() {
						return f.spoilSummary(own, all)
					}
					return own
				}
				srv := openaitest.New(t, openaitest.WithTranslator(translator), openaitest.WithSummarizer(summarizer))
				res, err := checked(t, srv, func(c *translate.Config) { c.Strict = mode.strict }).Translate(context.Background(), art)
				if calls == 0 {
					t.Fatal("the fault was never planted")
				}
				repairs := srv.Count(openaitest.KindRepair)
				if f.spoilSummary != nil {
					repairs = srv.Count(openaitest.KindSummary) - 1
				}
				if repairs < 1 {
					t.Errorf("%d repair requests, want one at least", repairs)
				}
				var warnings []string
				if res != nil {
					warnings = append(warnings, res.Summary.Warnings...)
					for _, x := range res.Translations {
						warnings = append(warnings, x.Warnings...)
					}
				}
				switch {
				case !mode.repeat:
					if err != nil || len(warnings) > 0 {
						t.Errorf("mended: err %v, warnings %q, want neither", err, warnings)
					}
				case f.warning != "" && !mode.strict:
					if err != nil || !strings.Contains(strings.Join(warnings, "\n"), f.warning) {
						t.Errorf("repeated: err %v, warnings %q, want a warning saying %q", err, warnings, f.warning)
					}
				default:
					if err == nil || !strings.Contains(err.Error(), f.failure) {
						t.Errorf("repeated: err %v, want a failure saying %q", err, f.failure)
					}
					for _, w := range []string{"translate it", "use only", "write it"} {
						if err != nil && strings.Contains(err.Error(), w) {
							t.Errorf("the failure %q tells the model what to do (%q)", err, w)
						}
					}
				}
			})
		}
	}
}
