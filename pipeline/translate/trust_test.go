package translate_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"slices"
	"strings"
	"testing"

	"github.com/nl2en/nl2en/pipeline"
	"github.com/nl2en/nl2en/pipeline/cache"
	"github.com/nl2en/nl2en/pipeline/check"
	"github.com/nl2en/nl2en/pipeline/llm"
	"github.com/nl2en/nl2en/pipeline/openaitest"
	"github.com/nl2en/nl2en/pipeline/translate"
	"github.com/nl2en/nl2en/prompts"
)

// The tests of this file guard against wrong output getting through
// silently: each is a shape of reply seen from a real server (an echo, a
// tiny model's symbol soup, llama.cpp's and Ollama's ways of saying a
// prompt is too long) that must end in a correct output or a clear
// failure, never a segment marked translated that is Dutch or garbage.

func glossary(t *testing.T) check.Glossary {
	t.Helper()
	g, err := check.Load(prompts.Default(), "glossary.tsv")
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// checked is newTranslator with nl2en's checks, as every run has them.
func checked(t *testing.T, srv *openaitest.Server, mod func(*translate.Config)) *translate.Translator {
	t.Helper()
	g := glossary(t)
	return newTranslator(t, srv, func(c *translate.Config) {
		c.Judge = check.NewChecker(g)
		if mod != nil {
			mod(c)
		}
	})
}

func allowPartial(c *translate.Config) { c.AllowPartial = true }

// noneTranslatedBadly fails the test for any segment marked translated
// whose English is its Dutch, or not readable text.
func noneTranslatedBadly(t *testing.T, art *pipeline.Article, res *pipeline.Result) {
	t.Helper()
	g := glossary(t)
	for i, tr := range res.Translations {
		src := art.Segments[i].Text
		if tr.Status == pipeline.StatusTranslated && check.NewChecker(g).Reject(art.Segments[i].Kind, src, tr.Text) != nil {
			t.Errorf("%s marked translated: %q for %q", tr.ID, tr.Text, src)
		}
	}
}

func TestEchoIsNeverTranslated(t *testing.T) {
	echo := func(_, text string) string { return text }
	art := readArticle(t, "../../samples/bachmoet.txt")

	srv := openaitest.New(t, openaitest.WithTranslator(echo))
	res, err := checked(t, srv, allowPartial).Translate(context.Background(), art)
	if err != nil {
		t.Fatal(err)
	}
	noneTranslatedBadly(t, art, res)
	failed := map[string]bool{}
	for i, tr := range res.Translations {
		if tr.Status == pipeline.StatusFailed {
			failed[art.Segments[i].Text] = true
		}
	}
	for _, h := range []string{"Aanvoerlijnen verstoren", "Slijtageslag", "Prestigestrijd"} {
		if !failed[h] {
			t.Errorf("heading %q echoed back is not marked failed", h)
		}
	}

	// Without --allow-partial the article fails, naming every segment.
	srv2 := openaitest.New(t, openaitest.WithTranslator(echo))
	_, err = checked(t, srv2, nil).Translate(context.Background(), art)
	var se *translate.SegmentError
	if !errors.As(err, &se) {
		t.Fatalf("err = %v, want a SegmentError", err)
	}
	if got, want := len(se.Failed), 18; got != want {
		t.Errorf("%d segments named untranslated, want %d (every one sent)", got, want)
	}
}

func TestSymbolSoupIsNeverTranslated(t *testing.T) {
	soup := func(_, text string) string {
		if len(text) < 40 {
			return "{]]{Mer4{Ǿ]]{]z]{{{{"
		}
		return "]]{{}}]{]]}{]]]]{{]}]}]]]{]{{{]}}]]{]{]]{}}]]]{{{]]{{"
	}
	art := readArticle(t, "../../samples/bachmoet.txt")
	srv := openaitest.New(t, openaitest.WithTranslator(soup))
	res, err := checked(t, srv, allowPartial).Translate(context.Background(), art)
	if err != nil {
		t.Fatal(err)
	}
	noneTranslatedBadly(t, art, res)
	for _, tr := range res.Translations {
		if tr.Status == pipeline.StatusTranslated {
			t.Errorf("%s marked translated: %q", tr.ID, tr.Text)
		}
	}
}

// TestShortHeadingGuessWarns: a heading translated right that reads as
// Dutch to the language check (three words, one of them "even") is a
// warning, not a failed article.
func TestShortHeadingGuessWarns(t *testing.T) {
	art := articleOf("Even geen nieuws", "De gemeenteraad van Utrecht besprak gisteren de begroting voor het komende jaar.")
	art.Segments[0].Kind = pipeline.KindHeading
	srv := openaitest.New(t, openaitest.WithTranslations(map[string]string{
		"Even geen nieuws": "Hij zei niets",
		"De gemeenteraad van Utrecht besprak gisteren de begroting voor het komende jaar.": "Utrecht city council discussed the budget for the coming year yesterday.",
	}))
	res, err := checked(t, srv, nil).Translate(context.Background(), art)
	if err != nil {
		t.Fatalf("a short heading's language guess failed the article: %v", err)
	}
	tr := res.Translations[0]
	if tr.Status != pipeline.StatusTranslated || !strings.Contains(strings.Join(tr.Warnings, ";"), "may still be in Dutch") {
		t.Errorf("heading: status %s, warnings %q; want translated with a warning", tr.Status, tr.Warnings)
	}
}

func TestSummaryChecked(t *testing.T) {
	art := readArticle(t, "../../samples/bachmoet.txt")
	sample := openaitest.SampleTranslations()
	good := []string{"Russia's costly and failing battle for Bakhmut",
		"For half a year the Russian army has tried to capture the small Ukrainian town of Bakhmut, at a heavy cost in lives on both sides.",
		"Russian forces have attacked Bakhmut for six months without taking it.",
		"Reports speak of hundreds of dead and wounded a day on both sides."}
	tests := []struct {
		name     string
		summary  []string // title, summary, key points
		warning  string   // a word of a warning left; "" for none
		fails    bool
		requests int // summary requests, the repair included
	}{
		{"faithful", good, "", false, 1},
		{"invented figure", []string{good[0], good[1] + " Some 12,345 soldiers have died.", good[2], good[3]}, `"12,345"`, false, 2},
		{"invented name", []string{good[0], good[1], good[2], "General Sergei Markov leads the assault."}, "Sergei Markov", false, 2},
		{"duplicate key points", []string{good[0], good[1], good[2], good[3], good[2]}, "repeated", false, 2},
		{"garbage title", []string{"{]]{Mer4{Ǿ]]{]z]{{{{", good[1], good[2], good[3]}, "", true, 2},
		{"summary in Dutch", []string{good[0], "Het Russische leger probeert al een half jaar een klein stadje in te nemen, maar de inname is nog ver weg.", good[2], good[3]}, "", true, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := openaitest.New(t, openaitest.WithTranslations(sample), openaitest.WithSummary(tt.summary[0], tt.summary[1], tt.summary[2:]...))
			res, err := checked(t, srv, nil).Translate(context.Background(), art)
			var se *translate.SummaryError
			switch {
			case tt.fails && !errors.As(err, &se):
				t.Fatalf("err = %v, want a SummaryError", err)
			case tt.fails:
				if n := srv.Count(openaitest.KindSummary); n != tt.requests {
					t.Errorf("%d summary requests, want %d", n, tt.requests)
				}
				return
			case err != nil:
				t.Fatal(err)
			}
			if n := srv.Count(openaitest.KindSummary); n != tt.requests {
				t.Errorf("%d summary requests, want %d (one repair when something was found)", n, tt.requests)
			}
			got := strings.Join(res.Summary.Warnings, "\n")
			switch {
			case tt.warning == "" && got != "":
				t.Errorf("warnings %q, want none", got)
			case tt.warning != "" && !strings.Contains(got, tt.warning):
				t.Errorf("warnings %q, want one saying %q", got, tt.warning)
			}
			seen := map[string]bool{}
			for _, p := range res.Summary.KeyPoints {
				if seen[p] {
					t.Errorf("key point %q given twice", p)
				}
				seen[p] = true
			}
		})
	}
}

// llamaContextError is llama.cpp's answer to a request larger than a
// slot's context.
const llamaContextError = `{"error":{"code":400,"type":"exceed_context_size_error","message":"request (5612 tokens) exceeds the available context size (4096 tokens), try increasing it"}}`

func TestLlamaContextErrorSplits(t *testing.T) {
	art := readArticle(t, "../../samples/bachmoet.txt")
	srv := openaitest.New(t, openaitest.WithTranslations(openaitest.SampleTranslations()))
	srv.Script(openaitest.KindTranslate, openaitest.RawResponse(400, "application/json", llamaContextError))
	srv.Script(openaitest.KindSummary, openaitest.RawResponse(400, "application/json", llamaContextError))
	res, err := checked(t, srv, nil).Translate(context.Background(), art)
	if err != nil {
		t.Fatal(err)
	}
	noneTranslatedBadly(t, art, res)
	if res.Summary.Title == "" {
		t.Error("no summary after the context error")
	}
	reqs := srv.Requests()
	var summaries []int
	for _, r := range reqs {
		if r.Kind == openaitest.KindSummary {
			summaries = append(summaries, len(r.Chat.Messages[len(r.Chat.Messages)-1].Content))
		}
	}
	if len(summaries) != 2 || summaries[1] >= summaries[0] {
		t.Errorf("summary requests of %v bytes: want a second, shorter one after the context error", summaries)
	}

	// A single segment that does not fit is a context-length error the
	// command can hint at.
	one := articleOf("Het Russische leger probeert al een half jaar een klein stadje in te nemen.")
	srv2 := openaitest.New(t)
	for range 4 {
		srv2.Script(openaitest.KindTranslate, openaitest.RawResponse(400, "application/json", llamaContextError))
	}
	_, err = checked(t, srv2, nil).Translate(context.Background(), one)
	var se *translate.SegmentError
	if !errors.As(err, &se) || !strings.Contains(se.Failed[0].Reason, "context size") {
		t.Errorf("err = %v, want the segment failed with the server's words", err)
	}
}

// TestSilentPromptCut: a server that cuts a long prompt to its context
// without an error (Ollama) is caught by the prompt tokens it reports:
// the batch is split, the summary's input shortened, and one warning
// names the cause and the fix.
func TestSilentPromptCut(t *testing.T) {
	art := readArticle(t, "../../samples/bachmoet.txt")
	srv := openaitest.New(t, openaitest.WithTranslations(openaitest.SampleTranslations()), openaitest.WithContextWindow(1000))
	var logs bytes.Buffer
	res, err := checked(t, srv, func(c *translate.Config) {
		c.Logger = slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelWarn}))
	}).Translate(context.Background(), art)
	if err != nil {
		t.Fatal(err)
	}
	noneTranslatedBadly(t, art, res)
	if n := strings.Count(logs.String(), "cut a prompt"); n != 1 {
		t.Errorf("%d warnings about the cut prompt, want 1:\n%s", n, logs.String())
	}
	if !strings.Contains(logs.String(), "OLLAMA_CONTEXT_LENGTH") {
		t.Errorf("the warning does not name the fix:\n%s", logs.String())
	}
	want := openaitest.SampleTranslations()
	for i, s := range art.Segments {
		if s.NeedsTranslation() && res.Translations[i].Text != want[s.Text] {
			t.Errorf("%s: %q, want the sample's English", s.ID, res.Translations[i].Text)
		}
	}
}

// llamaParseError is llama.cpp's 500 when its own parser fails on the
// model's output.
const llamaParseError = `{"error":{"code":500,"message":"The model produced output that does not match the expected peg-native format","type":"server_error"}}`

func TestOutputFormatFailureRetriedOnce(t *testing.T) {
	srv := openaitest.New(t)
	for range 5 {
		srv.Script(openaitest.KindTranslate, openaitest.RawResponse(500, "application/json", llamaParseError))
	}
	_, err := checked(t, srv, nil).Translate(context.Background(), articleOf("Een korte zin over de gemeente."))
	if !llm.IsKind(err, llm.KindOutputFormat) || !strings.Contains(err.Error(), "does not match the expected peg-native format") {
		t.Fatalf("err = %v, want an output-format error in the server's words", err)
	}
	if n := srv.Count(openaitest.KindTranslate); n != 2 {
		t.Errorf("%d requests, want 2: the failure repeats, so it is retried once", n)
	}
}

func TestStringErrorBodyKeepsMessage(t *testing.T) {
	srv := openaitest.New(t)
	srv.Script(openaitest.KindTranslate, openaitest.RawResponse(400, "application/json", `{"error":"SyntaxError","message":"Unexpected token 'D', \"Dit is\" is not valid JSON"}`))
	_, err := checked(t, srv, nil).Translate(context.Background(), articleOf("Een korte zin over de gemeente."))
	if err == nil || !strings.Contains(err.Error(), "SyntaxError: Unexpected token") {
		t.Errorf("err = %v, want the body's message", err)
	}
}

// TestCacheKeyedByServer: two servers answering to the same model name
// are two models; one's answers are never served for the other's.
func TestCacheKeyedByServer(t *testing.T) {
	c, err := cache.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	art := articleOf("De gemeenteraad van Utrecht besprak gisteren de begroting voor het komende jaar.")
	first := openaitest.New(t, openaitest.WithTranslator(func(id, _ string) string { return "The first server's English of " + id + "." }))
	second := openaitest.New(t, openaitest.WithTranslator(func(id, _ string) string { return "The second server's English of " + id + "." }))
	withCache := func(cfg *translate.Config) { cfg.Cache = c }
	if _, err := checked(t, first, withCache).Translate(context.Background(), art); err != nil {
		t.Fatal(err)
	}
	res, err := checked(t, second, withCache).Translate(context.Background(), art)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(res.Translations[0].Text, "The second server's") || res.CachedSegments != 0 || res.SummaryCached {
		t.Errorf("second server: %q, %d cached segments, summary cached %v; want its own answers", res.Translations[0].Text, res.CachedSegments, res.SummaryCached)
	}
	// The same server again: everything from the cache.
	res, err = checked(t, second, withCache).Translate(context.Background(), art)
	if err != nil {
		t.Fatal(err)
	}
	if res.CachedSegments != 1 || !res.SummaryCached {
		t.Errorf("same server again: %d cached segments, summary cached %v; want both from the cache", res.CachedSegments, res.SummaryCached)
	}
}

// TestWarningsCachedWithSegment: a segment that passed with warnings is
// cached with them, so a re-run pays nothing and reports them again; one
// that failed is not cached.
func TestWarningsCachedWithSegment(t *testing.T) {
	c, err := cache.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	art := articleOf("Het stadje telde ooit 80 duizend inwoners.", "Aanvoerlijnen verstoren")
	srv := openaitest.New(t, openaitest.WithTranslator(func(_, text string) string {
		if strings.HasPrefix(text, "Het stadje") {
			return "The town once had many inhabitants." // the number is missing: a warning
		}
		return text // echoed: failed
	}))
	withCache := func(cfg *translate.Config) { cfg.Cache = c; cfg.AllowPartial = true }
	res, err := checked(t, srv, withCache).Translate(context.Background(), art)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Translations[0].Warnings) == 0 || res.Translations[1].Status != pipeline.StatusFailed {
		t.Fatalf("first run: %+v", res.Translations)
	}
	before := len(srv.Requests())
	res, err = checked(t, srv, withCache).Translate(context.Background(), art)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Translations[0].Warnings) == 0 {
		t.Error("re-run: the cached segment lost its warnings")
	}
	var sent []string
	for _, r := range srv.Requests()[before:] {
		if r.Kind == openaitest.KindTranslate {
			sent = append(sent, r.SegmentIDs...)
		}
	}
	if strings.Join(sent, ",") != "s2" {
		t.Errorf("re-run translated %v, want only s2, which failed and was not cached", sent)
	}

	// Recheck asks again for what the cache holds, and writes the answers.
	translated := func(from int) string {
		var ids []string
		for _, r := range srv.Requests()[from:] {
			if r.Kind == openaitest.KindTranslate {
				ids = append(ids, r.SegmentIDs...)
			}
		}
		slices.Sort(ids)
		return strings.Join(ids, ",")
	}
	before = len(srv.Requests())
	recheck := func(cfg *translate.Config) { withCache(cfg); cfg.Recheck = true }
	res, err = checked(t, srv, recheck).Translate(context.Background(), art)
	if err != nil {
		t.Fatal(err)
	}
	if got := translated(before); got != "s1,s2" || res.CachedSegments != 0 || res.SummaryCached {
		t.Errorf("recheck translated %s with %d segments and summary %v from the cache, want s1,s2 asked again and nothing from the cache",
			got, res.CachedSegments, res.SummaryCached)
	}
	c2, err := cache.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := checked(t, srv, func(cfg *translate.Config) { cfg.Cache, cfg.AllowPartial, cfg.Recheck = c2, true, true }).Translate(context.Background(), art); err != nil {
		t.Fatal(err)
	}
	before = len(srv.Requests())
	res, err = checked(t, srv, func(cfg *translate.Config) { cfg.Cache, cfg.AllowPartial = c2, true }).Translate(context.Background(), art)
	if err != nil {
		t.Fatal(err)
	}
	if got := translated(before); got != "s2" || len(res.Translations[0].Warnings) == 0 {
		t.Errorf("after a recheck into an empty cache, a run translated %s (warnings %v), want only s2: the recheck's answers were not cached",
			got, res.Translations[0].Warnings)
	}
}
