package translate_test

import (
	"context"
	"testing"

	"github.com/nl2en/nl2en/pipeline/cache"
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
