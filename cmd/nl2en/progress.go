package main

import (
	"fmt"
	"io"
	"os"
	"sync"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/nl2en/nl2en/pipeline/runner"
)

// isTerminal reports whether w is a terminal, where a progress bar helps;
// under cron it is a file or a pipe, and logs stay plain lines.
func isTerminal(w io.Writer) bool {
	if l, ok := w.(*lockedWriter); ok {
		w = l.w
	}
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// progress prints each failed article as one line as it happens, and on a
// terminal keeps a bar of articles, requests and tokens with an ETA.
type progress struct {
	mu       sync.Mutex
	w        io.Writer
	bar      *progressbar.ProgressBar
	found    int
	requests int
	tokens   int
	// plans, in a dry run, gets a line for each article planned.
	plans io.Writer
}

func newProgress(w io.Writer, bar bool) *progress {
	p := &progress{w: w}
	if bar {
		p.bar = progressbar.NewOptions(-1,
			progressbar.OptionSetWriter(w),
			progressbar.OptionSetDescription("articles"),
			progressbar.OptionShowCount(),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionShowElapsedTimeOnFinish(),
			progressbar.OptionSetWidth(30),
			progressbar.OptionThrottle(100_000_000),
			progressbar.OptionClearOnFinish(),
		)
	}
	return p
}

func (p *progress) Found(n int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.found += n
	if p.bar != nil {
		p.bar.ChangeMax(p.found)
	}
}

func (p *progress) Finished(a runner.ArticleReport) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if a.Status == runner.StatusPlanned && p.plans != nil && a.Plan != nil {
		c := "unknown"
		if a.Plan.CostUSD != nil {
			c = fmt.Sprintf("$%.4f", *a.Plan.CostUSD)
		}
		cached := ""
		if a.Plan.Cached > 0 {
			cached = fmt.Sprintf(", %d from the cache", a.Plan.Cached)
		}
		fmt.Fprintf(p.plans, "%s: %s (%d to translate%s), %s, ~%d prompt + %d completion tokens, %s\n",
			runner.SafeName(a.File), runner.NOf(a.Plan.Segments, "segment"), a.Plan.Translated, cached, runner.NOf(a.Plan.Requests, "request"), a.Plan.PromptTokens, a.Plan.CompletionTokens, c)
	}
	if a.Status == runner.StatusFailed {
		if p.bar != nil {
			p.bar.Clear()
		}
		msg := a.Error
		if h := hint(a.Err()); h != "" {
			msg += ": " + h
		}
		fmt.Fprintf(p.w, "nl2en: %s\n", msg)
	}
	if p.bar == nil {
		return
	}
	p.requests += a.Requests
	for _, u := range a.Usage {
		p.tokens += u.PromptTokens + u.CompletionTokens
	}
	p.bar.Describe(fmt.Sprintf("articles (%d requests, %d tokens)", p.requests, p.tokens))
	p.bar.Add(1)
}

func (p *progress) done() {
	if p.bar != nil {
		p.bar.Finish()
	}
}
