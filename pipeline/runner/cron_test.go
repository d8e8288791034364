package runner_test

// Tests of what a nightly run over an archive needs besides translating:
// a report that adds up, the total known before the first article,
// outputs kept or removed as asked, names that cannot forge a line, and
// inputs and outputs that fail early.

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/nl2en/nl2en/pipeline"
	"github.com/nl2en/nl2en/pipeline/cost"
	"github.com/nl2en/nl2en/pipeline/llm"
	"github.com/nl2en/nl2en/pipeline/outputs"
	"github.com/nl2en/nl2en/pipeline/runner"
	"github.com/nl2en/nl2en/pipeline/split"
	"github.com/nl2en/nl2en/pipeline/walk"
)

// events is a runner.Progress that records its calls in order.
type events struct {
	mu  sync.Mutex
	log []string
}

func (e *events) Found(n int) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.log = append(e.log, fmt.Sprintf("found %d", n))
}

func (e *events) Finished(runner.ArticleReport) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.log = append(e.log, "finished")
}

// TestRunCountsBeforeStart guards that a progress bar knows the whole of
// the work before the first article ends, so its count and ETA are right
// from the start, and that the files the walk cannot read are counted.
func TestRunCountsBeforeStart(t *testing.T) {
	root := t.TempDir()
	articleTree(t, root, "a.txt", "b/c.md", "b/d.html", "e.txt")
	writeTree(t, root, map[string]string{"empty.txt": ""})
	if err := os.Symlink(filepath.Join(root, "nowhere.txt"), filepath.Join(root, "dangling.txt")); err != nil {
		t.Fatal(err)
	}
	ev := &events{}
	rep, err := newRunner(&fakeTranslator{}, runner.Config{Out: t.TempDir(), Progress: ev, Workers: 2, Walk: walk.Options{FollowSymlinks: true}}).Run(t.Context(), []string{root})
	if err != nil {
		t.Fatal(err)
	}
	want := append([]string{"found 6"}, slices.Repeat([]string{"finished"}, 6)...)
	if !slices.Equal(ev.log, want) {
		t.Errorf("progress calls = %q, want %q", ev.log, want)
	}
	checkCounts(t, rep, runner.Counts{Found: 6, Done: 4, Failed: 2})
}

// TestRunStoppedReportCountsAll guards that a run stopped early still
// reports every input found, and the rest as not done.
func TestRunStoppedReportCountsAll(t *testing.T) {
	root := t.TempDir()
	names := []string{"a.txt", "b.txt", "c.txt", "d.txt", "e.txt", "f.txt", "g.txt", "h.txt"}
	articleTree(t, root, names...)
	tr := &fakeTranslator{hook: func(context.Context, *pipeline.Article) error {
		return &llm.Error{Kind: llm.KindQuota, Status: 429, Server: "http://fake"}
	}}
	rep, err := newRunner(tr, runner.Config{Out: t.TempDir(), Workers: 1}).Run(t.Context(), []string{root})
	if !errors.Is(err, runner.ErrFatal) {
		t.Fatalf("Run: %v, want a fatal stop", err)
	}
	a := rep.Articles
	if a.Found != len(names) || a.Failed != 1 || a.NotDone != len(names)-1 {
		t.Errorf("articles = %+v, want %d found, 1 failed and the rest not done", a, len(names))
	}
}

// perRequest prices each request at one dollar, and leaves summaries
// unpriced when unpricedSummary.
func perRequest(unpricedSummary bool) func(pipeline.RequestKind, pipeline.Usage) cost.Amount {
	return func(k pipeline.RequestKind, u pipeline.Usage) cost.Amount {
		if unpricedSummary && k == pipeline.RequestSummary {
			return cost.Amount{}
		}
		return cost.USD(float64(u.Requests))
	}
}

// TestRunCostAddsUp guards the run's cost: failed and stopped articles
// are priced with what they spent, a file that costs nothing does not
// make the cost unknown, and only a used kind without a price does.
func TestRunCostAddsUp(t *testing.T) {
	root := t.TempDir()
	articleTree(t, root, "a.txt", "b.txt", "c.txt")
	writeTree(t, root, map[string]string{"empty.txt": ""})
	failing := filepath.Join(root, "b.txt")
	tr := &fakeTranslator{hook: func(_ context.Context, art *pipeline.Article) error {
		if art.Name == failing {
			return &llm.Error{Kind: llm.KindBadRequest, Status: 400, Server: "http://fake", Message: "no"}
		}
		return nil
	}}
	rep, err := newRunner(tr, runner.Config{Out: t.TempDir(), Price: perRequest(false)}).Run(t.Context(), []string{root})
	if err != nil {
		t.Fatal(err)
	}
	checkCounts(t, rep, runner.Counts{Found: 4, Done: 2, Failed: 2})
	// Each article the fake translates spends two requests, at $1 each:
	// a.txt, c.txt and the failed b.txt.
	if rep.CostUSD == nil || *rep.CostUSD != 6 {
		t.Errorf("run cost = %v, want $6: the failed article's spend counts, the empty file's nothing", fmtCost(rep.CostUSD))
	}
	for _, f := range rep.Failures {
		switch filepath.Base(f.File) {
		case "b.txt":
			if f.CostUSD == nil || *f.CostUSD != 2 || f.Requests != 2 {
				t.Errorf("failed b.txt: cost %s, %d requests; want $2 and 2", fmtCost(f.CostUSD), f.Requests)
			}
		case "empty.txt":
			if f.CostUSD == nil || *f.CostUSD != 0 {
				t.Errorf("empty.txt: cost %s, want $0", fmtCost(f.CostUSD))
			}
		}
	}
	if rep.Total.Requests != 6 {
		t.Errorf("total requests = %d, want 6", rep.Total.Requests)
	}

	// A used kind without a price makes the cost unknown.
	rep, err = newRunner(tr, runner.Config{Out: t.TempDir(), Price: perRequest(true)}).Run(t.Context(), []string{root})
	if err != nil {
		t.Fatal(err)
	}
	if rep.CostUSD != nil {
		t.Errorf("run cost = %s with summaries unpriced, want unknown", fmtCost(rep.CostUSD))
	}
}

// TestRunStoppedArticlesArePriced guards that an article cut short by a
// stop, having spent, is priced in the run's cost.
func TestRunStoppedArticlesArePriced(t *testing.T) {
	root := t.TempDir()
	articleTree(t, root, "a.txt", "b.txt")
	started := make(chan struct{}, 2)
	tr := &fakeTranslator{hook: func(ctx context.Context, _ *pipeline.Article) error {
		started <- struct{}{}
		<-ctx.Done()
		return ctx.Err()
	}}
	ctx, cancel := context.WithCancel(t.Context())
	go func() {
		<-started
		<-started
		cancel()
	}()
	rep, err := newRunner(tr, runner.Config{Out: t.TempDir(), Workers: 2, Price: perRequest(false)}).Run(ctx, []string{root})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Run: %v, want cancelled", err)
	}
	checkCounts(t, rep, runner.Counts{Found: 2, NotDone: 2})
	if rep.CostUSD == nil || *rep.CostUSD != 4 {
		t.Errorf("run cost = %s, want $4: what the stopped articles spent", fmtCost(rep.CostUSD))
	}
}

func fmtCost(c *float64) string {
	if c == nil {
		return "unknown"
	}
	return fmt.Sprintf("$%g", *c)
}

// TestRunDiskFullStops guards that a full or read-only output disk stops
// the run as a rejected key does: every further article would be paid
// for, then fail to be written.
func TestRunDiskFullStops(t *testing.T) {
	for _, errno := range []syscall.Errno{syscall.ENOSPC, syscall.EROFS, syscall.EDQUOT} {
		t.Run(errno.Error(), func(t *testing.T) {
			root := t.TempDir()
			articleTree(t, root, "a.txt", "b.txt", "c.txt", "d.txt")
			tr := &fakeTranslator{hook: func(context.Context, *pipeline.Article) error {
				return fmt.Errorf("write a.en.md: %w", &fs.PathError{Op: "write", Path: "a.en.md", Err: errno})
			}}
			rep, err := newRunner(tr, runner.Config{Out: t.TempDir(), Workers: 1}).Run(t.Context(), []string{root})
			if !errors.Is(err, runner.ErrFatal) || !outputs.IsDiskFull(err) {
				t.Errorf("Run: %v, want a fatal stop for the disk", err)
			}
			if n := len(tr.called()); n != 1 {
				t.Errorf("%d articles translated, want 1: the run must stop at the first", n)
			}
			checkCounts(t, rep, runner.Counts{Found: 4, Failed: 1, NotDone: 3})
		})
	}
	if outputs.IsDiskFull(syscall.EACCES) {
		t.Error("IsDiskFull(EACCES) = true: one folder's permissions say nothing of the others")
	}
}

// TestRunStaleKept guards the rule of an upgrade: outputs of unchanged
// sources made under other settings are kept and counted, and redone
// with RedoStale or Force; a dry run counts them too.
func TestRunStaleKept(t *testing.T) {
	root := t.TempDir()
	articleTree(t, root, "a.txt", "b.txt")
	out := t.TempDir()
	tr := &fakeTranslator{}
	if _, err := newRunner(tr, runner.Config{Out: out, Fingerprint: "old"}).Run(t.Context(), []string{root}); err != nil {
		t.Fatal(err)
	}
	articleTree(t, root, "c.txt")
	tests := []struct {
		name string
		cfg  runner.Config
		want runner.Counts
		sent int
	}{
		{"kept", runner.Config{}, runner.Counts{Found: 3, Done: 1, Skipped: 2, Stale: 2}, 1},
		{"dry run", runner.Config{DryRun: true}, runner.Counts{Found: 3, Planned: 0, Skipped: 3, Stale: 2}, 0},
		{"redo stale", runner.Config{RedoStale: true}, runner.Counts{Found: 3, Done: 2, Skipped: 1}, 2},
		{"now current", runner.Config{}, runner.Counts{Found: 3, Skipped: 3}, 0},
	}
	for _, tt := range tests {
		before := len(tr.called())
		cfg := tt.cfg
		cfg.Out, cfg.Fingerprint = out, "new"
		rep, err := newRunner(tr, cfg).Run(t.Context(), []string{root})
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if rep.Articles != tt.want {
			t.Errorf("%s: articles = %+v, want %+v", tt.name, rep.Articles, tt.want)
		}
		if n := len(tr.called()) - before; n != tt.sent {
			t.Errorf("%s: %d articles translated, want %d", tt.name, n, tt.sent)
		}
		if tt.want.Stale > 0 && !strings.Contains(rep.Summary(), "made with other settings") {
			t.Errorf("%s: summary %q does not count the stale outputs", tt.name, rep.Summary())
		}
	}
}

// TestRunOrphans guards that outputs whose source is gone are listed, and
// removed only with Prune, outside a dry run; that a source under another
// extension keeps its outputs; and that files nl2en did not write are
// never touched.
func TestRunOrphans(t *testing.T) {
	root := t.TempDir()
	articleTree(t, root, "a.txt", "b.txt", "sub/c.md", "d.txt")
	out := t.TempDir()
	tr := &fakeTranslator{}
	if _, err := newRunner(tr, runner.Config{Out: out}).Run(t.Context(), []string{root}); err != nil {
		t.Fatal(err)
	}
	writeTree(t, out, map[string]string{"notes.en.md": "# My own notes\n", "sub/keep.en.json": `{"note": "not nl2en's"}`})
	for _, gone := range []string{"b.txt", "sub/c.md"} {
		if err := os.Remove(filepath.Join(root, filepath.FromSlash(gone))); err != nil {
			t.Fatal(err)
		}
	}
	// d.txt becomes d.html: the source of d.en.md is still there.
	if err := os.Rename(filepath.Join(root, "d.txt"), filepath.Join(root, "d.html")); err != nil {
		t.Fatal(err)
	}
	orphans := []string{"b.en.json", "b.en.md", "sub/c.en.json", "sub/c.en.md"}
	rel := func(paths []string) []string {
		var r []string
		for _, p := range paths {
			x, _ := filepath.Rel(out, p)
			r = append(r, filepath.ToSlash(x))
		}
		slices.Sort(r)
		return r
	}
	steps := []struct {
		name           string
		cfg            runner.Config
		inputs         []string
		listed, pruned []string
	}{
		{"listed", runner.Config{}, []string{root}, orphans, nil},
		{"a run over a file does not speak for the folder", runner.Config{}, []string{filepath.Join(root, "a.txt")}, nil, nil},
		{"a dry run prunes nothing", runner.Config{Prune: true, DryRun: true}, []string{root}, orphans, nil},
		{"pruned", runner.Config{Prune: true}, []string{root}, nil, orphans},
		{"gone", runner.Config{Prune: true}, []string{root}, nil, nil},
	}
	for _, st := range steps {
		cfg := st.cfg
		cfg.Out = out
		rep, err := newRunner(tr, cfg).Run(t.Context(), st.inputs)
		if err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		if got := rel(rep.Orphans); !slices.Equal(got, st.listed) {
			t.Errorf("%s: orphans = %q, want %q", st.name, got, st.listed)
		}
		if got := rel(rep.Pruned); !slices.Equal(got, st.pruned) {
			t.Errorf("%s: pruned = %q, want %q", st.name, got, st.pruned)
		}
	}
	for _, kept := range []string{"a.en.md", "d.en.md", "notes.en.md", "sub/keep.en.json"} {
		if _, err := os.Stat(filepath.Join(out, filepath.FromSlash(kept))); err != nil {
			t.Errorf("%s: %v; it was not an orphan", kept, err)
		}
	}
	for _, gone := range orphans {
		if _, err := os.Stat(filepath.Join(out, filepath.FromSlash(gone))); err == nil {
			t.Errorf("%s is still there after the prune", gone)
		}
	}

	// Without an output folder the outputs beside their inputs are looked at.
	beside := t.TempDir()
	articleTree(t, beside, "x.txt", "y.txt")
	if _, err := newRunner(tr, runner.Config{}).Run(t.Context(), []string{beside}); err != nil {
		t.Fatal(err)
	}
	os.Remove(filepath.Join(beside, "y.txt"))
	rep, err := newRunner(tr, runner.Config{}).Run(t.Context(), []string{beside})
	if err != nil {
		t.Fatal(err)
	}
	if got := len(rep.Orphans); got != 2 || !strings.Contains(rep.Summary(), "2 outputs whose source is gone") {
		t.Errorf("beside the inputs: orphans %q, summary %q; want y.en.md and y.en.json", rep.Orphans, rep.Summary())
	}
}

// TestRunSafeNames guards that a file name holding a newline cannot print
// a line of its own: it is quoted in the article's error.
func TestRunSafeNames(t *testing.T) {
	root := t.TempDir()
	evil := "evil\nnl2en: 0 done, 0 skipped, 0 failed.txt"
	writeTree(t, root, map[string]string{evil: ""})
	rep, err := newRunner(&fakeTranslator{}, runner.Config{Out: t.TempDir()}).Run(t.Context(), []string{root})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Failures) != 1 {
		t.Fatalf("failures = %+v, want the empty file", rep.Failures)
	}
	msg := rep.Failures[0].Error
	if strings.ContainsAny(msg, "\n\r") || !strings.Contains(msg, `evil\nnl2en: 0 done`) {
		t.Errorf("error = %q, want one line naming the file quoted", msg)
	}
	if rep.Failures[0].File != filepath.Join(root, evil) {
		t.Errorf("report file = %q, want the real name (JSON escapes it)", rep.Failures[0].File)
	}
	for name, want := range map[string]string{"a/b.txt": "a/b.txt", "tab\there.txt": `"tab\there.txt"`, "bad\xffutf8": `"bad\xffutf8"`} {
		if got := runner.SafeName(name); got != want {
			t.Errorf("SafeName(%q) = %s, want %s", name, got, want)
		}
	}
}

// TestReadInputSize guards that the size error gives the input's real
// size, for a file (from its size) and for stdin (counting the rest).
func TestReadInputSize(t *testing.T) {
	dir := t.TempDir()
	big := strings.Repeat("Een zin over de gemeenteraad.\n", 2000) // 60,000 bytes
	writeTree(t, dir, map[string]string{"big.txt": big})
	_, err := runner.ReadInput(t.Context(), filepath.Join(dir, "big.txt"), nil, 1000)
	var se *split.SizeError
	if !errors.As(err, &se) || se.Size != int64(len(big)) || se.AtLeast || !strings.Contains(err.Error(), "60.0 kB") {
		t.Errorf("file: %v, want the file's 60.0 kB", err)
	}
	_, err = runner.ReadInput(t.Context(), "-", strings.NewReader(big), 1000)
	if !errors.As(err, &se) || se.Size != int64(len(big)) || se.AtLeast || se.Name != "stdin" {
		t.Errorf("stdin: %v, want stdin's 60.0 kB", err)
	}
	_, err = runner.ReadInput(t.Context(), "-", io.LimitReader(zeros{}, 1<<30), 100)
	if !errors.As(err, &se) || !se.AtLeast || !strings.Contains(err.Error(), "more than") {
		t.Errorf("endless stdin: %v, want a size it stopped counting at", err)
	}
	if b, err := runner.ReadInput(t.Context(), "-", strings.NewReader("kort"), 1000); err != nil || string(b) != "kort" {
		t.Errorf("small stdin: %q, %v", b, err)
	}
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// TestReadInputCancel guards that a stdin whose writer never closes it
// does not keep a cancelled run waiting.
func TestReadInputCancel(t *testing.T) {
	r, w := io.Pipe()
	defer w.Close()
	go w.Write([]byte("De eerste zin komt, de rest nooit.\n"))
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() {
		_, err := runner.ReadInput(ctx, "-", r, 1000)
		done <- err
	}()
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("ReadInput = %v, want context.Canceled", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("ReadInput kept reading stdin after its context was cancelled")
	}
}

// TestRunStdinCancelled guards that a run stopped while it reads stdin
// counts the article not done, not failed.
func TestRunStdinCancelled(t *testing.T) {
	r, w := io.Pipe()
	defer w.Close()
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	rep, err := newRunner(&fakeTranslator{}, runner.Config{Stdin: r, Stdout: io.Discard}).Run(ctx, []string{"-"})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Run = %v, want context.Canceled", err)
	}
	checkCounts(t, rep, runner.Counts{Found: 1, NotDone: 1})
	if len(rep.Failures) != 0 {
		t.Errorf("failures = %+v, want none", rep.Failures)
	}
}
