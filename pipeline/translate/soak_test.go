package translate_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/nl2en/nl2en/pipeline"
	"github.com/nl2en/nl2en/pipeline/llm"
	"github.com/nl2en/nl2en/pipeline/openaitest"
	"github.com/nl2en/nl2en/pipeline/translate"
)

// TestSoak sends a run of articles through a server that fails 30% of
// requests at random (429, 500, 502, 503, reset connections). Every article
// must come out complete and correct, and the requests made must stay
// within twice the requests a faultless server would need: with p = 0.3 the
// expected attempts per request are 1/(1-p) ≈ 1.43.
func TestSoak(t *testing.T) {
	const articles, paragraphs = 12, 6
	srv := openaitest.New(t, openaitest.WithFaultRate(0.3, 7))
	client := llm.NewClient(llm.Config{
		APIKey: "test-key", BaseURL: srv.BaseURL(), Timeout: 5 * time.Second,
		MaxRetries: 8, InitialBackoff: time.Millisecond,
	})
	tr, err := translate.New(client, translate.Config{
		Model: "gpt-4.1-mini", BaseURL: srv.BaseURL(), TokenBudget: 60, Concurrency: 8,
	})
	if err != nil {
		t.Fatal(err)
	}
	arts := make([]*pipeline.Article, articles)
	for i := range arts {
		texts := make([]string, paragraphs)
		for j := range texts {
			texts[j] = fmt.Sprintf("Artikel %d, alinea %d: de gemeenteraad besprak %d,5 miljoen euro aan plannen voor de binnenstad.", i, j, j)
		}
		arts[i] = articleOf(texts...)
		arts[i].Name = fmt.Sprintf("soak-%02d.txt", i)
	}
	results := make([]*pipeline.Result, articles)
	var g errgroup.Group
	for i, art := range arts {
		g.Go(func() error {
			res, err := tr.Translate(context.Background(), art)
			results[i] = res
			return err
		})
	}
	if err := g.Wait(); err != nil {
		t.Fatalf("an article failed under 30%% faults: %v", err)
	}
	needed := 0
	for i, res := range results {
		for j, tr := range res.Translations {
			want := openaitest.DefaultTranslator(tr.ID, arts[i].Segments[j].Text)
			if tr.Status != pipeline.StatusTranslated || tr.Text != want {
				t.Errorf("%s %s: got %s %q, want %q", arts[i].Name, tr.ID, tr.Status, tr.Text, want)
			}
		}
		for _, u := range res.Usage {
			needed += u.Requests
		}
	}
	total := srv.Count(openaitest.KindAny)
	faults := 0
	for _, r := range srv.Requests() {
		if r.Fault != "" {
			faults++
		}
	}
	t.Logf("%d articles: %d requests needed, %d sent, %d faults served", articles, needed, total, faults)
	if faults == 0 {
		t.Fatal("the server injected no faults: the soak proves nothing")
	}
	if total > 2*needed {
		t.Errorf("%d requests sent for %d needed: over the bound of 2×", total, needed)
	}
}
