package translate_test

import (
	"context"
	"math"
	"testing"

	"github.com/nl2en/nl2en/pipeline"
	"github.com/nl2en/nl2en/pipeline/openaitest"
	"github.com/nl2en/nl2en/pipeline/tokens"
	"github.com/nl2en/nl2en/pipeline/translate"
)

// TestEstimateMatchesUsage compares the estimate made before sending with
// the usage the server reports for the sample article.
func TestEstimateMatchesUsage(t *testing.T) {
	count := tokens.ForModel("gpt-4.1-mini").Count
	srv := openaitest.New(t, openaitest.WithTranslations(openaitest.SampleTranslations()), openaitest.WithTokenCounter(count))
	tr := newTranslator(t, srv, func(c *translate.Config) { c.Tokens = translate.CountFunc(count) })
	art := readArticle(t, "../../samples/bachmoet.txt")

	est := tr.Estimate(art)
	res, err := tr.Translate(context.Background(), art)
	if err != nil {
		t.Fatal(err)
	}
	var got pipeline.Usage
	for _, u := range res.Usage {
		got = got.Add(u)
	}
	t.Logf("estimate: %d requests, %d prompt, %d completion; actual: %d requests, %d prompt, %d completion",
		est.Requests, est.PromptTokens, est.CompletionTokens, got.Requests, got.PromptTokens, got.CompletionTokens)
	if est.Requests != got.Requests {
		t.Errorf("estimated %d requests, made %d", est.Requests, got.Requests)
	}
	if off := rel(est.PromptTokens, got.PromptTokens); off > 0.05 {
		t.Errorf("prompt tokens: estimated %d, reported %d (%.0f%% off, want ≤5%%)", est.PromptTokens, got.PromptTokens, off*100)
	}
	// The translations of the fake are the real English of the
	// sample, so completion tokens are a fair test of the length model.
	trEst, trGot := est.Usage[pipeline.RequestTranslate].CompletionTokens, res.Usage[pipeline.RequestTranslate].CompletionTokens
	if off := rel(trEst, trGot); off > 0.25 {
		t.Errorf("translation completion tokens: estimated %d, reported %d (%.0f%% off, want ≤25%%)", trEst, trGot, off*100)
	}
}

func rel(est, got int) float64 {
	return math.Abs(float64(est-got)) / float64(got)
}
