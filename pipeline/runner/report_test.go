package runner_test

import (
	"strings"
	"testing"
	"time"

	"github.com/nl2en/nl2en/pipeline/cost"
	"github.com/nl2en/nl2en/pipeline/runner"
)

// TestWords guards the words of the run's lines: counts agree with their
// number, and amounts have the precision they need.
func TestWords(t *testing.T) {
	for _, tt := range []struct{ got, want string }{
		{runner.NOf(1, "article"), "1 article"},
		{runner.NOf(2, "article"), "2 articles"},
		{runner.NOf(0, "request"), "0 requests"},
		{runner.NOf(1, "batch"), "1 batch"},
		{runner.NOf(3, "batch"), "3 batches"},
		{runner.NOf(2, "summary warning"), "2 summary warnings"},
		{runner.Dollars(0.004), "$0.004"},
		{runner.Dollars(0), "$0"},
		{runner.Money(cost.USD(0)), "$0"},
		{runner.Money(cost.USD(0.004)), "$0.004"},
		{runner.Money(cost.USD(0.007221)), "$0.00722"},
		{runner.Money(cost.USD(0.5)), "$0.50"},
		{runner.Money(cost.USD(12.345)), "$12.35"},
		{runner.Money(cost.Amount{}), "unknown"},
		{runner.Dollars(2.5), "$2.50"},
		{runner.Dollars(1), "$1.00"},
		{runner.Dollars(0.000001), "$0.000001"},
		{runner.Dollars(12.345), "$12.345"},
	} {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
}

// TestSummarySkipped guards how the summary line counts skipped articles
// and those made with other settings among them, in a run and in a dry
// run.
func TestSummarySkipped(t *testing.T) {
	for _, tt := range []struct {
		counts runner.Counts
		plan   *runner.Plan
		want   string
	}{
		{runner.Counts{Found: 5, Planned: 1, Skipped: 4, Stale: 4}, &runner.Plan{Translated: 3, Cached: 2, Requests: 1},
			"dry run: 1 article to translate (4 skipped: made with other settings), 3 segments to translate (2 from the cache), 1 request,"},
		{runner.Counts{Found: 6, Planned: 1, Skipped: 5, Stale: 4}, &runner.Plan{Translated: 1, Requests: 2},
			"dry run: 1 article to translate (1 skipped as up to date, 4 skipped: made with other settings), 1 segment to translate, 2 requests,"},
		{runner.Counts{Found: 3, Done: 1, Skipped: 2}, nil, "1 done, 2 skipped, 0 failed"},
		{runner.Counts{Found: 4, Skipped: 4, Stale: 4}, nil, "0 done, 4 skipped (made with other settings), 0 failed"},
		{runner.Counts{Found: 5, Skipped: 5, Stale: 4}, nil, "0 done, 5 skipped (4 made with other settings), 0 failed"},
		{runner.Counts{Found: 1, Done: 1}, nil, "1 done, 0 skipped, 0 failed; 0 requests"},
	} {
		rep := runner.NewReport(time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC))
		rep.Articles, rep.Plan = tt.counts, tt.plan
		if got := rep.Summary(); !strings.HasPrefix(got, tt.want) {
			t.Errorf("summary %q, want it to start %q", got, tt.want)
		}
	}
}
