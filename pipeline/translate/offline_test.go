package translate_test

import (
	"context"
	"testing"

	"github.com/nl2en/nl2en/pipeline"
	"github.com/nl2en/nl2en/pipeline/cache"
	"github.com/nl2en/nl2en/pipeline/openaitest"
	"github.com/nl2en/nl2en/pipeline/translate"
)

// TestCompleteWithReplies: replies obtained elsewhere (the Batch API) are
// checked like live ones, and only what they do not cover goes live.
func TestCompleteWithReplies(t *testing.T) {
	art := readArticle(t, "../../samples/bachmoet.txt")
	batchSrv := openaitest.New(t, openaitest.WithTranslations(openaitest.SampleTranslations()))
	batchSrv.Script(openaitest.KindTranslate, openaitest.MissingSegment("s2"))
	twoBatches := func(c *translate.Config) { c.TokenBudget = 800 }
	planner := newTranslator(t, batchSrv, twoBatches)
	planned := planner.Requests(art)
	if len(planned) < 2 || planned[len(planned)-1].Name != "summary" {
		t.Fatalf("planned %d requests, want translation batches and a summary", len(planned))
	}
	var replies []translate.Reply
	for i, p := range planned {
		if i == 1 {
			continue // this request failed in the batch: it must go live
		}
		resp, err := batchSrv.Client().CreateChatCompletion(context.Background(), p.Request)
		if err != nil {
			t.Fatal(err)
		}
		replies = append(replies, translate.Reply{Units: p.Units, Summary: p.Name == "summary", Response: &resp})
	}

	live := openaitest.New(t, openaitest.WithTranslations(openaitest.SampleTranslations()))
	tr := newTranslator(t, live, twoBatches)
	res, err := tr.Complete(context.Background(), art, replies)
	if err != nil {
		t.Fatal(err)
	}
	want := openaitest.SampleTranslations()
	for i, s := range art.Segments {
		if s.NeedsTranslation() && res.Translations[i].Text != want[s.Text] {
			t.Errorf("%s: got %q", s.ID, res.Translations[i].Text)
		}
	}
	// Live: the batch whose reply is missing, and a repair of s2, which the
	// first batch's reply left out. No summary: its reply was usable.
	if n := live.Count(openaitest.KindSummary); n != 0 {
		t.Errorf("%d live summary requests, want 0", n)
	}
	if n := live.Count(openaitest.KindTranslate); n != 1 {
		t.Errorf("%d live translation requests, want 1 (the batch with no reply)", n)
	}
	if n := live.Count(openaitest.KindRepair); n != 1 {
		t.Errorf("%d live repair requests, want 1 (for s2)", n)
	}
	if u := res.Usage[pipeline.RequestBatch]; u.Requests != len(replies) {
		t.Errorf("batch usage counts %d requests, want %d", u.Requests, len(replies))
	}
}

// TestCompleteRepliesPartlyCached: a reply whose units the cache partly
// holds by the time it is used (another copy of the article, collected
// alongside, cached them) is used for the rest, never dropped: collect
// once paid live for the whole reply's units.
func TestCompleteRepliesPartlyCached(t *testing.T) {
	art := readArticle(t, "../../samples/bachmoet.txt")
	batchSrv := openaitest.New(t, openaitest.WithTranslations(openaitest.SampleTranslations()))
	planner := newTranslator(t, batchSrv, nil)
	var replies []translate.Reply
	for _, p := range planner.Requests(art) {
		resp, err := batchSrv.Client().CreateChatCompletion(context.Background(), p.Request)
		if err != nil {
			t.Fatal(err)
		}
		replies = append(replies, translate.Reply{Units: p.Units, Summary: p.Name == "summary", Response: &resp})
	}

	live := openaitest.New(t, openaitest.WithTranslations(openaitest.SampleTranslations()))
	c, err := cache.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	tr := newTranslator(t, live, func(cfg *translate.Config) { cfg.Cache = c })
	// One segment of the first reply, cached before the reply is used.
	var third string
	for _, s := range art.Segments {
		if s.ID == "s3" {
			third = s.Text
		}
	}
	if _, err := tr.Translate(context.Background(), articleOf(third)); err != nil {
		t.Fatal(err)
	}
	before := live.Count(openaitest.KindAny)

	res, err := tr.Complete(context.Background(), art, replies)
	if err != nil {
		t.Fatal(err)
	}
	if n := live.Count(openaitest.KindAny) - before; n != 0 {
		t.Errorf("%d live requests, want 0: every unit is in a reply or the cache", n)
	}
	if res.CachedSegments != 1 {
		t.Errorf("%d segments from the cache, want 1 (s3)", res.CachedSegments)
	}
	want := openaitest.SampleTranslations()
	for i, s := range art.Segments {
		if s.NeedsTranslation() && res.Translations[i].Text != want[s.Text] {
			t.Errorf("%s: got %q", s.ID, res.Translations[i].Text)
		}
	}
}
