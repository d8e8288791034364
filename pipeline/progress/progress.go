// Package progress shows a run on stderr while it goes: lines, one each,
// as text ("nl2en: …") or as JSON; on a terminal a bar of articles,
// requests and tokens with an ETA, which every line clears first, so that
// no line shares the bar's; and, in a dry run, each article's plan on
// stdout. The command decides what the lines say.
package progress

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"sync"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/nl2en/nl2en/pipeline/runner"
)

// IsTerminal reports whether w is a terminal, where a bar helps; under
// cron it is a file or a pipe, and lines stay plain.
func IsTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// Console is stderr: one lock keeps the lines of the logger, the bar and
// the command whole, and a line clears the bar first.
type Console struct {
	mu   sync.Mutex
	w    io.Writer
	bar  *progressbar.ProgressBar
	json *slog.Logger
}

// NewConsole returns the console writing to w.
func NewConsole(w io.Writer) *Console { return &Console{w: w} }

func (c *Console) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.bar != nil {
		io.WriteString(c.w, "\r\x1b[K") // the bar's line, cleared
	}
	return c.w.Write(p)
}

// Logger returns the logger of the console in format "text" (or "") or
// "json" (with "json", every line from then on is a JSON object, the
// console's own too), at the level a run asks for: errors only when
// quiet, debug detail when verbose, and beside a bar only warnings and
// errors, which interrupt it. ok is false for another format.
func (c *Console) Logger(format string, quiet, verbose, bar bool) (l *slog.Logger, ok bool) {
	level := slog.LevelInfo
	switch {
	case bar:
		level = slog.LevelWarn
	case quiet:
		level = slog.LevelError
	case verbose:
		level = slog.LevelDebug
	}
	opts := &slog.HandlerOptions{Level: level}
	switch format {
	case "text", "":
		return slog.New(slog.NewTextHandler(c, opts)), true
	case "json":
		c.json = slog.New(slog.NewJSONHandler(c, nil))
		return slog.New(slog.NewJSONHandler(c, opts)), true
	}
	return nil, false
}

// Say writes one line: "nl2en: msg", or a JSON object of the level and msg.
func (c *Console) Say(level slog.Level, msg string) {
	if c.json != nil {
		c.json.Log(context.Background(), level, msg)
		return
	}
	fmt.Fprintf(c, "nl2en: %s\n", msg)
}

// barWriter is the console as the bar writes to it: without clearing.
type barWriter struct{ c *Console }

func (b barWriter) Write(p []byte) (int, error) {
	b.c.mu.Lock()
	defer b.c.mu.Unlock()
	return b.c.w.Write(p)
}

// Run is the progress of one run: a [runner.Progress].
type Run struct {
	mu       sync.Mutex
	c        *Console
	bar      *progressbar.ProgressBar
	found    int
	requests int
	tokens   int
	plans    io.Writer
	failed   func(runner.ArticleReport)
}

// Start starts the progress of a run: a bar when bar is set, each
// planned article on plans when it is not nil (a dry run), and each
// failed article told to failed as it happens.
func (c *Console) Start(bar bool, plans io.Writer, failed func(runner.ArticleReport)) *Run {
	r := &Run{c: c, plans: plans, failed: failed}
	if bar {
		r.bar = progressbar.NewOptions(-1,
			progressbar.OptionSetWriter(barWriter{c}),
			progressbar.OptionSetDescription("articles"),
			progressbar.OptionShowCount(),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionSetWidth(30),
			progressbar.OptionThrottle(100_000_000),
			progressbar.OptionClearOnFinish(),
		)
		c.mu.Lock()
		c.bar = r.bar
		c.mu.Unlock()
	}
	return r
}

// Found counts n more articles found.
func (r *Run) Found(n int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.found += n
	if r.bar != nil {
		r.bar.ChangeMax(r.found)
	}
}

// Finished counts an article done, planned or failed.
func (r *Run) Finished(a runner.ArticleReport) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if p := a.Plan; a.Status == runner.StatusPlanned && r.plans != nil && p != nil {
		cached := ""
		if p.Cached > 0 {
			cached = fmt.Sprintf(", %d from the cache", p.Cached)
		}
		fmt.Fprintf(r.plans, "%s: %s (%d to translate%s), %s, ~%d prompt + %d completion tokens, %s\n",
			runner.SafeName(a.File), runner.NOf(p.Segments, "segment"), p.Translated, cached,
			runner.NOf(p.Requests, "request"), p.PromptTokens, p.CompletionTokens, runner.Money(runner.PlanCost(p)))
	}
	if a.Status == runner.StatusFailed && r.failed != nil {
		r.failed(a)
	}
	if r.bar == nil {
		return
	}
	r.requests += a.Requests
	for _, u := range a.Usage {
		r.tokens += u.PromptTokens + u.CompletionTokens
	}
	r.bar.Describe(fmt.Sprintf("articles (%s, %s)", runner.NOf(r.requests, "request"), runner.NOf(r.tokens, "token")))
	r.bar.Add(1)
}

// Done takes the bar away.
func (r *Run) Done() {
	if r.bar == nil {
		return
	}
	r.bar.Finish()
	r.c.mu.Lock()
	r.c.bar = nil
	r.c.mu.Unlock()
}
