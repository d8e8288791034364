package translate_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nl2en/nl2en/pipeline"
	"github.com/nl2en/nl2en/pipeline/cache"
	"github.com/nl2en/nl2en/pipeline/openaitest"
	"github.com/nl2en/nl2en/pipeline/tokens"
	"github.com/nl2en/nl2en/pipeline/translate"
)

// TestWarningsOnce: a segment's warnings are listed once, on a fresh
// translation as on a re-run from the cache.
func TestWarningsOnce(t *testing.T) {
	c, err := cache.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	art := articleOf("Het stadje telde ooit 80 duizend inwoners, zei burgemeester Eddy van Wessel.")
	srv := openaitest.New(t, openaitest.WithTranslator(func(_, _ string) string {
		return "The town once had many inhabitants, said the mayor." // a number and a name missing
	}))
	var counts []int
	for range 2 {
		res, err := checked(t, srv, func(cfg *translate.Config) { cfg.Cache = c }).Translate(context.Background(), art)
		if err != nil {
			t.Fatal(err)
		}
		w := res.Translations[0].Warnings
		seen := map[string]bool{}
		for _, x := range w {
			if seen[x] {
				t.Errorf("warning %q listed twice", x)
			}
			seen[x] = true
		}
		counts = append(counts, len(w))
	}
	if counts[0] != 2 || counts[1] != 2 {
		t.Errorf("warnings on a fresh run and from the cache: %v, want 2 and 2", counts)
	}
}

// TestQuotationOverPieces: a quotation that a small budget cuts over two
// pieces is one quotation of the segment, not two halves that lack
// their marks.
func TestQuotationOverPieces(t *testing.T) {
	nl := "‘Wij hebben de hele nacht doorgewerkt om de dijk te versterken. Het water stond tot aan de kruin. Niemand van ons had dit eerder meegemaakt.’"
	en := map[string]string{
		"‘Wij hebben de hele nacht doorgewerkt om de dijk te versterken.": "‘We worked through the night to strengthen the dyke.",
		"Het water stond tot aan de kruin.":                               "The water reached the crest.",
		"Niemand van ons had dit eerder meegemaakt.’":                     "None of us had seen anything like it.’",
	}
	refs := openaitest.NewReferences()
	for k, v := range en {
		refs.Add(k, v)
	}
	srv := openaitest.New(t, openaitest.WithTranslator(refs.Translate))
	art := articleOf(nl)
	art.Segments[0].Kind = pipeline.KindQuote
	res, err := checked(t, srv, func(c *translate.Config) { c.TokenBudget = 20 }).Translate(context.Background(), art)
	if err != nil {
		t.Fatal(err)
	}
	if n := srv.Count(openaitest.KindTranslate); n < 2 {
		t.Fatalf("%d translation requests: the budget did not cut the quotation", n)
	}
	if w := res.Translations[0].Warnings; len(w) > 0 || srv.Count(openaitest.KindRepair) > 0 {
		t.Errorf("warnings %q, %d repairs: want none for a quotation over pieces", w, srv.Count(openaitest.KindRepair))
	}
}

// TestSummaryAskedAgain: a refused summary, or one cut off, is asked for
// once more before the article fails.
func TestSummaryAskedAgain(t *testing.T) {
	for _, f := range []openaitest.Fault{openaitest.Refusal(), openaitest.Truncated()} {
		srv := openaitest.New(t, openaitest.WithTranslations(openaitest.SampleTranslations()))
		srv.Script(openaitest.KindSummary, f)
		res, err := checked(t, srv, nil).Translate(context.Background(), readArticle(t, "../../samples/bachmoet.txt"))
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if res.Summary.Title == "" || srv.Count(openaitest.KindSummary) != 2 {
			t.Errorf("%s: summary %q after %d requests, want one after 2", f, res.Summary.Title, srv.Count(openaitest.KindSummary))
		}
	}
}

// TestServerCountingFewerTokens: a server whose tokenizer counts 15%
// fewer tokens than nl2en's, and cuts nothing, is not taken for one that
// cut a prompt: no warning, no batch sent again in parts.
func TestServerCountingFewerTokens(t *testing.T) {
	count := tokens.ForModel("gpt-4.1-mini").Count
	for _, spread := range []bool{false, true} {
		srv := openaitest.New(t, openaitest.WithTranslations(openaitest.SampleTranslations()),
			openaitest.WithTokenCounter(func(s string) int { return count(s) * 85 / 100 }))
		var logs bytes.Buffer
		_, err := checked(t, srv, func(c *translate.Config) {
			c.Spread = spread
			c.Logger = slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelWarn}))
		}).Translate(context.Background(), readArticle(t, "../../samples/bachmoet.txt"))
		if err != nil {
			t.Fatal(err)
		}
		want := 2 // one batch and the summary
		if spread {
			want = 4
		}
		if strings.Contains(logs.String(), "cut a prompt") || srv.Count(openaitest.KindAny) != want {
			t.Errorf("spread %v: %d requests, logs:\n%s\nwant %d requests and no cut", spread, srv.Count(openaitest.KindAny), logs.String(), want)
		}
	}
}

// TestEnglishOnlyArticle: an article already in English is written as it
// is: no request, every segment kept, one line that says so; an estimate
// and the Batch API's requests are none too.
func TestEnglishOnlyArticle(t *testing.T) {
	art := readArticle(t, "../split/testdata/english/bridge-closure.txt")
	if !art.EnglishOnly {
		t.Fatal("the splitter did not tell the article is English")
	}
	srv := openaitest.New(t)
	var logs bytes.Buffer
	tr := checked(t, srv, func(c *translate.Config) {
		c.Logger = slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelInfo}))
	})
	res, err := tr.Translate(context.Background(), art)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("%d requests sent for an English article", n)
	}
	for i, x := range res.Translations {
		if x.Status != pipeline.StatusKept || x.Text != art.Segments[i].Text || x.Cause == "" {
			t.Errorf("%s: %s %q (cause %q), want kept as it is", x.ID, x.Status, x.Text, x.Cause)
		}
	}
	if n := strings.Count(logs.String(), "already in English"); n != 1 {
		t.Errorf("%d lines say it is English, want 1:\n%s", n, logs.String())
	}
	if e := tr.Estimate(art); e.Requests != 0 {
		t.Errorf("estimate: %d requests, want 0", e.Requests)
	}
	if r := tr.Requests(art); len(r) != 0 {
		t.Errorf("Batch API: %d requests, want 0", len(r))
	}
}

// TestCachedNonsenseTranslatedAnew: a well-formed cache entry that holds
// symbol soup or the Dutch itself is not served as a translation: the
// acceptance test runs on every hit.
func TestCachedNonsenseTranslatedAnew(t *testing.T) {
	dir := t.TempDir()
	c, err := cache.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	art := articleOf("De gemeenteraad van Utrecht besprak gisteren de begroting voor het komende jaar.",
		"Het college wil de onroerendezaakbelasting volgend jaar niet verhogen, zei de wethouder.")
	srv := openaitest.New(t)
	withCache := func(cfg *translate.Config) { cfg.Cache = c }
	if _, err := checked(t, srv, withCache).Translate(context.Background(), art); err != nil {
		t.Fatal(err)
	}
	// Spoil every segment entry, keeping it well-formed: one symbol soup,
	// one the Dutch.
	spoilt := 0
	err = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".json") {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		var e map[string]any
		if json.Unmarshal(b, &e) != nil || strings.HasPrefix(e["text"].(string), "{") {
			return nil // the summary's entry
		}
		e["text"] = "{]]{Mer4{Ǿ]]{]z]{{{{ ЖЖ ﷽"
		if spoilt == 1 {
			e["text"] = art.Segments[1].Text
		}
		spoilt++
		b, _ = json.Marshal(e)
		return os.WriteFile(path, b, 0o600)
	})
	if err != nil || spoilt != 2 {
		t.Fatalf("spoilt %d entries: %v", spoilt, err)
	}
	before := srv.Count(openaitest.KindTranslate)
	res, err := checked(t, srv, withCache).Translate(context.Background(), art)
	if err != nil {
		t.Fatal(err)
	}
	if res.CachedSegments != 0 || srv.Count(openaitest.KindTranslate) == before {
		t.Errorf("%d segments served from a spoilt cache", res.CachedSegments)
	}
	for _, x := range res.Translations {
		if !strings.HasPrefix(x.Text, "This is the English text") {
			t.Errorf("%s: %q, want a translation", x.ID, x.Text)
		}
	}
}

// TestFailureReasonsForPeople: a segment that failed says why in words
// for people, with a cause for programs; what was asked of the model is
// not in it.
func TestFailureReasonsForPeople(t *testing.T) {
	echo := func(_, text string) string { return text }
	srv := openaitest.New(t, openaitest.WithTranslator(echo))
	res, err := checked(t, srv, allowPartial).Translate(context.Background(), articleOf("Het kabinet is gevallen na een lang debat over de begroting."))
	if err != nil {
		t.Fatal(err)
	}
	x := res.Translations[0]
	if x.Status != pipeline.StatusFailed || x.Cause != pipeline.CauseUnchanged {
		t.Fatalf("%s %s (%s), want failed as unchanged", x.ID, x.Status, x.Cause)
	}
	if strings.Contains(x.Reason, "translate it") || x.Reason == "" {
		t.Errorf("reason %q: want words for people, not the model's instruction", x.Reason)
	}
	for _, r := range srv.Requests() {
		if r.Kind == openaitest.KindRepair && !strings.Contains(r.Chat.Messages[len(r.Chat.Messages)-1].Content, "translate it into English") {
			t.Errorf("the repair request does not tell the model what to do:\n%s", r.Chat.Messages[len(r.Chat.Messages)-1].Content)
		}
	}
}
