package translate_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/nl2en/nl2en/pipeline"
	"github.com/nl2en/nl2en/pipeline/cache"
	"github.com/nl2en/nl2en/pipeline/check"
	"github.com/nl2en/nl2en/pipeline/openaitest"
	"github.com/nl2en/nl2en/pipeline/translate"
)

func TestCachePaysOnlyForWhatChanged(t *testing.T) {
	srv := openaitest.New(t)
	c, err := cache.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	tr := newTranslator(t, srv, func(cfg *translate.Config) {
		cfg.Cache = c
		cfg.TokenBudget = 60 // one paragraph a batch
	})
	texts := []string{
		"De gemeente Utrecht bouwt 3.000 nieuwe woningen in Merwede.",
		"Volgens de wethouder zijn de eerste huizen in 2027 klaar.",
		"Bewoners van de wijk maken zich zorgen over het verkeer.",
	}
	first, err := tr.Translate(context.Background(), articleOf(texts...))
	if err != nil {
		t.Fatal(err)
	}
	sent := srv.Count(openaitest.KindAny)

	again, err := tr.Translate(context.Background(), articleOf(texts...))
	if err != nil {
		t.Fatal(err)
	}
	if n := srv.Count(openaitest.KindAny) - sent; n != 0 {
		t.Errorf("unchanged article: %d requests, want 0", n)
	}
	if again.CachedSegments != 3 || !again.SummaryCached {
		t.Errorf("unchanged article: %d segments and summary %v from the cache, want 3 and true", again.CachedSegments, again.SummaryCached)
	}
	for i := range first.Translations {
		if first.Translations[i].Text != again.Translations[i].Text {
			t.Errorf("%s: cached %q, first %q", first.Translations[i].ID, again.Translations[i].Text, first.Translations[i].Text)
		}
	}

	sent = srv.Count(openaitest.KindAny)
	before := srv.Count(openaitest.KindTranslate)
	texts[1] = "Volgens de wethouder zijn de eerste huizen in 2028 klaar."
	if _, err := tr.Translate(context.Background(), articleOf(texts...)); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, r := range srv.Requests()[sent:] {
		ids = append(ids, r.SegmentIDs...)
	}
	if got := srv.Count(openaitest.KindTranslate) - before; got != 1 || len(ids) != 1 || ids[0] != "s2" {
		t.Errorf("one edited paragraph: %d translation requests for %v, want 1 for [s2]", got, ids)
	}
}

// TestCachedSegmentsKeepTheStyle: a cached translation that writes a
// form the house style avoids, where the Dutch did not make the style's
// line likely (so the cache key does not hold it), is translated anew
// and checked, as it would be uncached; once cached with the style's
// warning, it is served with it, and nothing is paid again.
func TestCachedSegmentsKeepTheStyle(t *testing.T) {
	srv := openaitest.New(t, openaitest.WithTranslator(func(_, text string) string {
		return "MPs tear into the cabinet's housing plan."
	}))
	c, err := cache.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	// The cache was filled under a house style without the line; then
	// the line was added.
	before, err := check.ParseStyle(strings.NewReader("per cent\tpercent\n"), "style.tsv")
	if err != nil {
		t.Fatal(err)
	}
	st, err := check.ParseStyle(strings.NewReader("per cent\tpercent\nlawmakers\tMPs\n"), "style.tsv")
	if err != nil {
		t.Fatal(err)
	}
	art := func() *pipeline.Article {
		return articleOf("De volksvertegenwoordigers kraken het woningplan van het kabinet.")
	}
	plain := newTranslator(t, srv, func(cfg *translate.Config) {
		cfg.Cache = c
		cfg.Judge = check.NewChecker(glossary(t), check.WithStyle(before))
	})
	if _, err := plain.Translate(t.Context(), art()); err != nil {
		t.Fatal(err)
	}
	styled := newTranslator(t, srv, func(cfg *translate.Config) {
		cfg.Cache = c
		cfg.Judge = check.NewChecker(glossary(t), check.WithStyle(st))
	})
	want := `house style: "MPs" should be lawmakers`
	for run, pays := range []bool{true, false} {
		before := srv.Count(openaitest.KindTranslate) + srv.Count(openaitest.KindRepair)
		res, err := styled.Translate(t.Context(), art())
		if err != nil {
			t.Fatal(err)
		}
		sent := srv.Count(openaitest.KindTranslate) + srv.Count(openaitest.KindRepair) - before
		if (sent > 0) != pays {
			t.Errorf("run %d: %d requests; want requests %v", run+1, sent, pays)
		}
		if got := res.Translations[0].Warnings; !slices.Contains(got, want) {
			t.Errorf("run %d: warnings %q, want %q", run+1, got, want)
		}
	}
}
