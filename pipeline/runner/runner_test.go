package runner_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nl2en/nl2en/pipeline"
	"github.com/nl2en/nl2en/pipeline/llm"
	"github.com/nl2en/nl2en/pipeline/render"
	"github.com/nl2en/nl2en/pipeline/render/rendertest"
	"github.com/nl2en/nl2en/pipeline/runner"
	"github.com/nl2en/nl2en/pipeline/split"
	"github.com/nl2en/nl2en/pipeline/translate"
	"github.com/nl2en/nl2en/pipeline/walk"
)

// splitter is shared by every test: it loads its language models once,
// which takes seconds under the race detector.
var splitter = split.New()

// article is a short Dutch news article in the format its name's extension
// says. word makes every sentence of it unique to the article.
func article(name, word string) string {
	title := fmt.Sprintf("Nieuwe %s fietsenstalling bij het station", word)
	paras := []string{
		fmt.Sprintf("De gemeente opent volgende week een %s fietsenstalling bij het station, zodat reizigers hun fiets veilig kunnen neerzetten.", word),
		fmt.Sprintf("Volgens de wethouder is er al jaren te weinig plek voor %s fietsen in de binnenstad en staan veel fietsen op de stoep.", word),
	}
	switch filepath.Ext(name) {
	case ".html":
		return "<!DOCTYPE html><html><body><article><h1>" + title + "</h1><p>" + strings.Join(paras, "</p><p>") + "</p></article></body></html>\n"
	case ".md":
		return "# " + title + "\n\n" + strings.Join(paras, "\n\n") + "\n"
	}
	return title + "\n\n" + strings.Join(paras, "\n\n") + "\n"
}

// writeTree writes files (slash-separated path → content) under root.
func writeTree(t *testing.T, root string, files map[string]string) {
	t.Helper()
	for rel, content := range files {
		p := filepath.Join(root, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// articleTree writes one article per name, each with its own word.
func articleTree(t *testing.T, root string, names ...string) {
	t.Helper()
	words := []string{"rode", "blauwe", "groene", "gele", "witte", "zwarte", "paarse", "grijze"}
	files := map[string]string{}
	for i, n := range names {
		files[n] = article(n, words[i%len(words)])
	}
	writeTree(t, root, files)
}

// fakeTranslator translates every segment to "EN(<base name>) <id>", so an
// output shows which article it was made from, and counts its calls. hook,
// when set, runs first and may fail the article.
type fakeTranslator struct {
	hook func(ctx context.Context, art *pipeline.Article) error

	mu    sync.Mutex
	calls []string // article names, in call order
}

func (f *fakeTranslator) Complete(ctx context.Context, art *pipeline.Article, _ []translate.Reply) (*pipeline.Result, error) {
	f.mu.Lock()
	f.calls = append(f.calls, art.Name)
	f.mu.Unlock()
	usage := map[pipeline.RequestKind]pipeline.Usage{
		pipeline.RequestTranslate: {Requests: 1, PromptTokens: 100, CompletionTokens: 80},
		pipeline.RequestSummary:   {Requests: 1, PromptTokens: 50, CompletionTokens: 20},
	}
	res := &pipeline.Result{
		Article:  art,
		Model:    "fake-model",
		Summary:  pipeline.Summary{Title: "Title of " + filepath.Base(art.Name), Summary: "A summary.", KeyPoints: []string{"One point."}},
		Usage:    usage,
		Finished: time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC),
	}
	if f.hook != nil {
		if err := f.hook(ctx, art); err != nil {
			return res, err
		}
	}
	for _, s := range art.Segments {
		res.Translations = append(res.Translations, pipeline.Translation{
			ID: s.ID, Text: fmt.Sprintf("EN(%s) %s", filepath.Base(art.Name), s.ID), Status: pipeline.StatusTranslated,
		})
	}
	return res, nil
}

func (f *fakeTranslator) called() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.calls)
}

// recorder is a runner.Progress that remembers every call.
type recorder struct {
	mu       sync.Mutex
	found    int
	finished []runner.ArticleReport
	// second is closed once Found has added up to 2 or more.
	second     chan struct{}
	secondOnce sync.Once
	// ended gets a value for each Finished call, as long as it has room.
	ended chan struct{}
}

func newRecorder() *recorder {
	return &recorder{second: make(chan struct{}), ended: make(chan struct{}, 64)}
}

func (p *recorder) Found(n int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.found += n
	if p.found >= 2 {
		p.secondOnce.Do(func() { close(p.second) })
	}
}

func (p *recorder) Finished(a runner.ArticleReport) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.finished = append(p.finished, a)
	select {
	case p.ended <- struct{}{}:
	default:
	}
}

// finishedFiles counts the Finished calls per file.
func (p *recorder) finishedFiles() map[string]int {
	p.mu.Lock()
	defer p.mu.Unlock()
	m := map[string]int{}
	for _, a := range p.finished {
		m[a.File]++
	}
	return m
}

// checkCounts fails the test when the report's counts are not the ones
// wanted, or do not add up to the articles found.
func checkCounts(t *testing.T, rep *runner.Report, want runner.Counts) {
	t.Helper()
	got := rep.Articles
	if got != want {
		t.Errorf("articles = %+v, want %+v", got, want)
	}
	if sum := got.Done + got.Skipped + got.Failed + got.NotDone + got.Planned; sum != got.Found {
		t.Errorf("done+skipped+failed+not done = %d, want found = %d", sum, got.Found)
	}
}

// formats are the built-in formats of the names.
func formats(names ...string) []render.Format {
	f, err := render.FormatsNamed(names...)
	if err != nil {
		panic(err)
	}
	return f
}

func newRunner(tr runner.Translator, cfg runner.Config) *runner.Runner {
	if cfg.Fingerprint == "" {
		cfg.Fingerprint = "fp-1"
	}
	if cfg.Version == "" {
		cfg.Version = "test"
	}
	return runner.New(tr, splitter, cfg)
}

// TestRunMirrorsTreeInAnyOrder guards that outputs mirror the input tree
// under Out, that each output is made from its own article whatever order
// articles finish in, and that Progress hears of each article exactly once.
func TestRunMirrorsTreeInAnyOrder(t *testing.T) {
	root := t.TempDir()
	names := []string{"a.txt", "b/c.md", "b/d/e.html", "f.txt", "g/h.txt"}
	articleTree(t, root, names...)
	// Not inputs: an earlier output, a PDF, a hidden folder.
	writeTree(t, root, map[string]string{"a.en.md": "old output", "notes.pdf": "%PDF", ".git/x.txt": article("x.txt", "oude")})
	out := filepath.Join(t.TempDir(), "en")

	// The first article in walk order finishes last: its translation waits
	// until every other article has finished.
	first := filepath.Join(root, "a.txt")
	prog := newRecorder()
	tr := &fakeTranslator{hook: func(ctx context.Context, art *pipeline.Article) error {
		if art.Name != first {
			return nil
		}
		for range len(names) - 1 {
			select {
			case <-prog.ended:
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(30 * time.Second):
				return errors.New("the other articles never finished: are they run one at a time?")
			}
		}
		return nil
	}}
	rep, err := newRunner(tr, runner.Config{Out: out, Workers: 3, Progress: prog, Walk: walk.Options{Out: out}}).Run(t.Context(), []string{root})
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	checkCounts(t, rep, runner.Counts{Found: 5, Done: 5})
	if !rep.OK() {
		t.Errorf("OK() = false for a run where every article was done; report %+v", rep)
	}
	if got, want := rep.Total.Requests, 10; got != want {
		t.Errorf("total requests = %d, want %d (2 per article)", got, want)
	}
	if got, want := rep.Usage[pipeline.RequestTranslate].PromptTokens, 500; got != want {
		t.Errorf("translate prompt tokens = %d, want %d", got, want)
	}
	if len(rep.Failures) != 0 {
		t.Errorf("failures = %+v, want none", rep.Failures)
	}

	for _, n := range names {
		base := strings.TrimSuffix(n, filepath.Ext(n))
		md, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(base+".en.md")))
		if err != nil {
			t.Errorf("%s: %v", n, err)
			continue
		}
		if want := "EN(" + filepath.Base(n) + ")"; !strings.Contains(string(md), want) {
			t.Errorf("%s.en.md does not hold its own article's translation %q:\n%s", base, want, md)
		}
		var doc render.Document
		b, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(base+".en.json")))
		if err == nil {
			rendertest.ValidateJSON(t, b)
			err = json.Unmarshal(b, &doc)
		}
		if err != nil {
			t.Errorf("%s.en.json: %v", base, err)
		} else if want := filepath.Join(root, filepath.FromSlash(n)); doc.Source.File != want {
			t.Errorf("%s.en.json source = %q, want %q", base, doc.Source.File, want)
		}
	}
	for _, notOut := range []string{"notes.en.md", ".git", "a.en.en.md"} {
		if _, err := os.Stat(filepath.Join(out, notOut)); err == nil {
			t.Errorf("%s was written: it was not an input", notOut)
		}
	}

	if got := len(tr.called()); got != len(names) {
		t.Errorf("translator called %d times, want %d", got, len(names))
	}
	if prog.found != len(names) {
		t.Errorf("Progress.Found added up to %d, want %d", prog.found, len(names))
	}
	for file, n := range prog.finishedFiles() {
		if n != 1 {
			t.Errorf("Progress.Finished called %d times for %s, want 1", n, file)
		}
	}
	if got := len(prog.finished); got != len(names) {
		t.Errorf("Progress.Finished called %d times, want %d", got, len(names))
	}
	if last := prog.finished[len(prog.finished)-1]; last.File != first || last.Status != runner.StatusDone {
		t.Errorf("last finished = %s (%s), want %s done: the test did not make it finish last", last.File, last.Status, first)
	}
}

// TestRunReportsBadFilesAndGoesOn guards that a bad input (empty, binary,
// too large, unreadable, or failing to translate) is reported with its name
// and the rest of the run goes on.
func TestRunReportsBadFilesAndGoesOn(t *testing.T) {
	root := t.TempDir()
	articleTree(t, root, "good1.txt", "sub/good2.md", "sub/broken.txt")
	big := article("big.txt", "lange") + strings.Repeat("Nog een zin over de fietsenstalling bij het station.\n", 100)
	writeTree(t, root, map[string]string{
		"empty.txt":  "",
		"binary.txt": "\x00\x01\x02\x03PK\x03\x04\x00\x00\xff\xfe\x00\x00",
		"big.txt":    big,
	})
	if err := os.Symlink(filepath.Join(root, "nowhere.txt"), filepath.Join(root, "dangling.txt")); err != nil {
		t.Fatal(err)
	}
	broken := filepath.Join(root, "sub", "broken.txt")
	tr := &fakeTranslator{hook: func(_ context.Context, art *pipeline.Article) error {
		if art.Name == broken {
			return &llm.Error{Kind: llm.KindBadRequest, Status: 400, Server: "http://fake", Message: "no"}
		}
		return nil
	}}
	out := t.TempDir()
	prog := newRecorder()
	// Links are followed, so that the dangling one is an input to fail.
	cfg := runner.Config{Out: out, Workers: 2, Progress: prog, Split: split.Options{MaxBytes: 2000}, Walk: walk.Options{FollowSymlinks: true}}
	rep, err := newRunner(tr, cfg).Run(t.Context(), []string{root})
	if err != nil {
		t.Fatalf("Run: %v, want nil: bad files must not stop the run", err)
	}
	checkCounts(t, rep, runner.Counts{Found: 7, Done: 2, Failed: 5})
	if rep.OK() {
		t.Error("OK() = true for a run with failed articles")
	}
	failed := map[string]string{}
	for _, f := range rep.Failures {
		failed[filepath.Base(f.File)] = f.Error
		if f.Status != runner.StatusFailed {
			t.Errorf("failure %s has status %s, want failed", f.File, f.Status)
		}
	}
	for _, name := range []string{"empty.txt", "binary.txt", "big.txt", "dangling.txt", "broken.txt"} {
		msg, ok := failed[name]
		switch {
		case !ok:
			t.Errorf("%s is not among the failures %v", name, failed)
		case !strings.Contains(msg, name):
			t.Errorf("the error for %s does not name it: %q", name, msg)
		case strings.Contains(msg, "\n"):
			t.Errorf("the error for %s is not one line: %q", name, msg)
		}
	}
	for _, n := range []string{"good1.en.md", "sub/good2.en.json"} {
		if _, err := os.Stat(filepath.Join(out, filepath.FromSlash(n))); err != nil {
			t.Errorf("good article not written: %v", err)
		}
	}
	for _, n := range []string{"empty.en.md", "binary.en.md", "big.en.md", "sub/broken.en.md", "sub/broken.en.json"} {
		if _, err := os.Stat(filepath.Join(out, filepath.FromSlash(n))); err == nil {
			t.Errorf("%s was written for a failed article", n)
		}
	}
	// Only the articles that split well reach the translator.
	if got := len(tr.called()); got != 3 {
		t.Errorf("translator called %d times, want 3 (good1, good2, broken): %v", got, tr.called())
	}
	if got := len(prog.finished); got != 7 {
		t.Errorf("Progress.Finished called %d times, want 7", got)
	}
}

// TestRunProgressFoundMatchesFinished guards that a progress bar's total
// counts every article it is told has finished, including those the walk
// could not read.
func TestRunProgressFoundMatchesFinished(t *testing.T) {
	root := t.TempDir()
	articleTree(t, root, "a.txt")
	if err := os.Symlink(filepath.Join(root, "nowhere.txt"), filepath.Join(root, "dangling.txt")); err != nil {
		t.Fatal(err)
	}
	prog := newRecorder()
	rep, err := newRunner(&fakeTranslator{}, runner.Config{Out: t.TempDir(), Progress: prog, Walk: walk.Options{FollowSymlinks: true}}).Run(t.Context(), []string{root})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := prog.found, rep.Articles.Found; got != want {
		t.Errorf("Progress.Found added up to %d, want %d (the report's found)", got, want)
	}
	if got, want := len(prog.finished), prog.found; got != want {
		t.Errorf("Progress.Finished called %d times, Found added up to %d: want them equal", got, want)
	}
}

// TestRunSkipsUpToDate guards the incremental rule: an article is redone
// only when its source, a missing output or an untranslated segment says
// so, or with Force; outputs made under another settings fingerprint are
// kept and counted stale, unless RedoStale.
func TestRunSkipsUpToDate(t *testing.T) {
	root := t.TempDir()
	articleTree(t, root, "a.txt", "b.txt", "c/d.md")
	out := t.TempDir()
	partial := filepath.Join(root, "b.txt")
	firstRun := true
	tr := &fakeTranslator{}
	// The first run leaves one segment of b.txt untranslated, as
	// --allow-partial does: b.txt is not up to date afterwards.
	partialTr := &fakeTranslator{}
	partialTranslate := runner.Translator(translatorFunc(func(ctx context.Context, art *pipeline.Article) (*pipeline.Result, error) {
		res, err := partialTr.Complete(ctx, art, nil)
		if err == nil && firstRun && art.Name == partial {
			res.Translations[1].Status, res.Translations[1].Reason = pipeline.StatusFailed, "kept in Dutch"
		}
		return res, err
	}))

	rep, err := newRunner(partialTranslate, runner.Config{Out: out}).Run(t.Context(), []string{root})
	if err != nil {
		t.Fatal(err)
	}
	checkCounts(t, rep, runner.Counts{Found: 3, Done: 3})
	if rep.Untranslated != 1 {
		t.Errorf("untranslated = %d, want 1", rep.Untranslated)
	}
	firstRun = false

	steps := []struct {
		name   string
		edit   func()
		cfg    runner.Config
		want   runner.Counts
		called []string // base names of the articles translated
	}{
		{"untranslated segment is redone", nil, runner.Config{}, runner.Counts{Found: 3, Done: 1, Skipped: 2}, []string{"b.txt"}},
		{"all up to date", nil, runner.Config{}, runner.Counts{Found: 3, Skipped: 3}, nil},
		{"edited source", func() { writeTree(t, root, map[string]string{"c/d.md": article("d.md", "oranje")}) }, runner.Config{}, runner.Counts{Found: 3, Done: 1, Skipped: 2}, []string{"d.md"}},
		{"other fingerprint: kept, counted stale", nil, runner.Config{Fingerprint: "fp-2"}, runner.Counts{Found: 3, Skipped: 3, Stale: 3}, nil},
		{"other fingerprint, an output missing", func() { os.Remove(filepath.Join(out, "a.en.md")) }, runner.Config{Fingerprint: "fp-2"}, runner.Counts{Found: 3, Done: 1, Skipped: 2, Stale: 2}, []string{"a.txt"}},
		{"redo stale", nil, runner.Config{Fingerprint: "fp-2", RedoStale: true}, runner.Counts{Found: 3, Done: 2, Skipped: 1}, []string{"b.txt", "d.md"}},
		{"force", nil, runner.Config{Fingerprint: "fp-2", Force: true}, runner.Counts{Found: 3, Done: 3}, []string{"a.txt", "b.txt", "d.md"}},
		{"json output missing", func() { os.Remove(filepath.Join(out, "a.en.json")) }, runner.Config{Fingerprint: "fp-2"}, runner.Counts{Found: 3, Done: 1, Skipped: 2}, []string{"a.txt"}},
		{"new format asked for", nil, runner.Config{Fingerprint: "fp-2", Formats: formats("json")}, runner.Counts{Found: 3, Skipped: 3}, nil},
		{"review page asked for", nil, runner.Config{Fingerprint: "fp-2", Formats: formats("md", "json", "html", "bilingual")}, runner.Counts{Found: 3, Done: 3}, []string{"a.txt", "b.txt", "d.md"}},
		{"every format up to date", nil, runner.Config{Fingerprint: "fp-2", Formats: formats("bilingual", "html")}, runner.Counts{Found: 3, Skipped: 3}, nil},
		{"review page edited away", func() { os.Remove(filepath.Join(out, "c", "d.en.html")) }, runner.Config{Fingerprint: "fp-2", Formats: formats("html")}, runner.Counts{Found: 3, Done: 1, Skipped: 2}, []string{"d.md"}},
	}
	for _, st := range steps {
		if st.edit != nil {
			st.edit()
		}
		before := len(tr.called())
		cfg := st.cfg
		cfg.Out = out
		rep, err := newRunner(tr, cfg).Run(t.Context(), []string{root})
		if err != nil {
			t.Fatalf("%s: Run: %v", st.name, err)
		}
		if rep.Articles != st.want {
			t.Errorf("%s: articles = %+v, want %+v", st.name, rep.Articles, st.want)
		}
		var called []string
		for _, n := range tr.called()[before:] {
			called = append(called, filepath.Base(n))
		}
		slices.Sort(called)
		if !slices.Equal(called, st.called) {
			t.Errorf("%s: translated %v, want %v", st.name, called, st.called)
		}
		if st.want.Skipped == st.want.Found && rep.Total.Requests != 0 {
			t.Errorf("%s: %d requests counted for a run that skipped everything", st.name, rep.Total.Requests)
		}
	}
}

type translatorFunc func(ctx context.Context, art *pipeline.Article) (*pipeline.Result, error)

func (f translatorFunc) Complete(ctx context.Context, art *pipeline.Article, _ []translate.Reply) (*pipeline.Result, error) {
	return f(ctx, art)
}

// TestRunFatalErrorStops guards that an error every further article would
// hit too (a rejected key, no quota, an unknown model, no server) stops the
// run after the first article, while other API errors fail only their
// article.
func TestRunFatalErrorStops(t *testing.T) {
	tests := []struct {
		kind  llm.Kind
		fatal bool
	}{
		{llm.KindUnauthorized, true},
		{llm.KindForbidden, true},
		{llm.KindQuota, true},
		{llm.KindModelNotFound, true},
		{llm.KindNotFound, true},
		{llm.KindUnreachable, true},
		{llm.KindRateLimited, false},
		{llm.KindServer, false},
		{llm.KindBadRequest, false},
		{llm.KindTimeout, false},
	}
	root := t.TempDir()
	articleTree(t, root, "a.txt", "b.txt", "c.txt", "d.txt", "e.txt")
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.kind), func(t *testing.T) {
			apiErr := &llm.Error{Kind: tt.kind, Status: 401, Server: "http://fake", Err: errors.New("fake")}
			prog := newRecorder()
			tr := &fakeTranslator{hook: func(ctx context.Context, _ *pipeline.Article) error {
				// Fail only once the walk has found a second article, so
				// that there is one left for the stop to catch.
				select {
				case <-prog.second:
				case <-time.After(10 * time.Second):
					t.Error("the walk found no second article")
				}
				return apiErr
			}}
			out := t.TempDir()
			rep, err := newRunner(tr, runner.Config{Out: out, Workers: 1, Progress: prog}).Run(t.Context(), []string{root})
			calls := len(tr.called())
			if !tt.fatal {
				if err != nil {
					t.Errorf("Run: %v, want nil: this error fails one article only", err)
				}
				if calls != 5 {
					t.Errorf("translator called %d times, want 5", calls)
				}
				checkCounts(t, rep, runner.Counts{Found: 5, Failed: 5})
				return
			}
			if !errors.Is(err, runner.ErrFatal) {
				t.Errorf("Run error = %v, want one wrapping runner.ErrFatal", err)
			}
			if !llm.IsKind(err, tt.kind) {
				t.Errorf("Run error = %v, want it to wrap the API error", err)
			}
			if calls != 1 {
				t.Errorf("translator called %d times, want 1: the run must stop after the first fatal error", calls)
			}
			a := rep.Articles
			if a.Failed != 1 || a.Done != 0 || a.NotDone < 1 || a.Found > 5 {
				t.Errorf("articles = %+v, want 1 failed, 0 done and at least 1 not done", a)
			}
			if sum := a.Done + a.Skipped + a.Failed + a.NotDone; sum != a.Found {
				t.Errorf("done+skipped+failed+not done = %d, want found = %d", sum, a.Found)
			}
			if rep.OK() {
				t.Error("OK() = true for a stopped run")
			}
			if len(rep.Failures) != 1 {
				t.Errorf("failures = %+v, want the one article that hit the error", rep.Failures)
			}
			if ents, _ := os.ReadDir(out); len(ents) != 0 {
				t.Errorf("a stopped run wrote %d outputs", len(ents))
			}
		})
	}
}

// TestRunStoppedArticlesAreNotBudgetStops guards that articles left undone
// by a fatal error are not reported as kept from starting by --max-cost.
func TestRunStoppedArticlesAreNotBudgetStops(t *testing.T) {
	root := t.TempDir()
	articleTree(t, root, "a.txt", "b.txt", "c.txt")
	// The first article fails with a rejected key while the second is in
	// flight; the stop catches the second.
	secondStarted := make(chan struct{})
	var mu sync.Mutex
	calls := 0
	tr := &fakeTranslator{hook: func(ctx context.Context, _ *pipeline.Article) error {
		mu.Lock()
		calls++
		n := calls
		mu.Unlock()
		if n == 1 {
			<-secondStarted
			return &llm.Error{Kind: llm.KindUnauthorized, Status: 401, Server: "http://fake"}
		}
		if n == 2 {
			close(secondStarted)
		}
		<-ctx.Done()
		return ctx.Err()
	}}
	rep, err := newRunner(tr, runner.Config{Out: t.TempDir(), Workers: 2}).Run(t.Context(), []string{root})
	if !errors.Is(err, runner.ErrFatal) {
		t.Fatalf("Run error = %v, want runner.ErrFatal", err)
	}
	if rep.Articles.NotDone == 0 {
		t.Fatal("no article was left undone: the test did not stop the run")
	}
	if len(rep.NotStarted) != 0 {
		t.Errorf("NotStarted = %v, want none: there was no cost budget", rep.NotStarted)
	}
}

// TestRunCancel guards that cancelling the context stops the run, writes
// nothing for the articles in flight, and counts them as not done rather
// than failed.
func TestRunCancel(t *testing.T) {
	root := t.TempDir()
	articleTree(t, root, "a.txt", "b.txt", "c.txt", "d.txt")
	started := make(chan struct{}, 8)
	tr := &fakeTranslator{hook: func(ctx context.Context, _ *pipeline.Article) error {
		started <- struct{}{}
		<-ctx.Done()
		return ctx.Err()
	}}
	out := t.TempDir()
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	type ran struct {
		rep *runner.Report
		err error
	}
	done := make(chan ran, 1)
	go func() {
		rep, err := newRunner(tr, runner.Config{Out: out, Workers: 2}).Run(ctx, []string{root})
		done <- ran{rep, err}
	}()
	<-started
	<-started // both workers are busy
	cancel()
	var r ran
	select {
	case r = <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("Run did not return after its context was cancelled")
	}
	if !errors.Is(r.err, context.Canceled) {
		t.Errorf("Run error = %v, want context.Canceled", r.err)
	}
	a := r.rep.Articles
	if a.Done != 0 || a.Failed != 0 || a.NotDone != a.Found || a.Found < 2 {
		t.Errorf("articles = %+v, want every article found not done, none failed", a)
	}
	if r.rep.OK() {
		t.Error("OK() = true for a cancelled run")
	}
	if ents, _ := os.ReadDir(out); len(ents) != 0 {
		t.Errorf("a cancelled run wrote %d outputs", len(ents))
	}
}

// TestRunStdin guards the "-" input: read from Stdin, the first format to
// Stdout, or files named stdin.en.* under Out.
func TestRunStdin(t *testing.T) {
	src := article("x.txt", "bruine")
	var stdout bytes.Buffer
	tr := &fakeTranslator{}
	rep, err := newRunner(tr, runner.Config{Formats: formats("json", "md"), Stdin: strings.NewReader(src), Stdout: &stdout}).Run(t.Context(), []string{"-"})
	if err != nil {
		t.Fatal(err)
	}
	checkCounts(t, rep, runner.Counts{Found: 1, Done: 1})
	var doc render.Document
	if err := json.Unmarshal(stdout.Bytes(), &doc); err != nil {
		t.Fatalf("stdout is not the JSON output: %v\n%s", err, stdout.String())
	}
	rendertest.ValidateJSON(t, stdout.Bytes())
	if doc.Source.File != "-" || len(doc.Segments) != 3 {
		t.Errorf("stdout JSON: source %q, %d segments; want -, 3", doc.Source.File, len(doc.Segments))
	}

	out := t.TempDir()
	stdout.Reset()
	rep, err = newRunner(tr, runner.Config{Out: out, Stdin: strings.NewReader(src), Stdout: &stdout}).Run(t.Context(), []string{"-"})
	if err != nil {
		t.Fatal(err)
	}
	checkCounts(t, rep, runner.Counts{Found: 1, Done: 1})
	if stdout.Len() != 0 {
		t.Errorf("with Out set, stdin's translation went to stdout: %.100s", stdout.String())
	}
	for _, n := range []string{"stdin.en.md", "stdin.en.json"} {
		if _, err := os.Stat(filepath.Join(out, n)); err != nil {
			t.Error(err)
		}
	}

	// Stdin is never up to date: it has no outputs to compare with.
	rep, err = newRunner(tr, runner.Config{Stdin: strings.NewReader(""), Stdout: &stdout}).Run(t.Context(), []string{"-"})
	if err != nil {
		t.Fatalf("an empty stdin stopped the run: %v", err)
	}
	checkCounts(t, rep, runner.Counts{Found: 1, Failed: 1})
	if len(rep.Failures) != 1 || !strings.Contains(rep.Failures[0].Error, "stdin") {
		t.Errorf("failures = %+v, want one naming stdin", rep.Failures)
	}
}

// TestRunOutputStaysInOut guards that a symbolic link inside Out cannot
// make the runner write outside it: that article fails, the others do not.
func TestRunOutputStaysInOut(t *testing.T) {
	root := t.TempDir()
	articleTree(t, root, "ok.txt", "evil/a.txt")
	out, outside := t.TempDir(), t.TempDir()
	if err := os.Symlink(outside, filepath.Join(out, "evil")); err != nil {
		t.Fatal(err)
	}
	tr := &fakeTranslator{}
	rep, err := newRunner(tr, runner.Config{Out: out}).Run(t.Context(), []string{root})
	if err != nil {
		t.Fatal(err)
	}
	checkCounts(t, rep, runner.Counts{Found: 2, Done: 1, Failed: 1})
	if len(rep.Failures) != 1 || !strings.Contains(rep.Failures[0].Error, "outside") {
		t.Errorf("failures = %+v, want evil/a.txt failing as outside the output folder", rep.Failures)
	}
	if ents, _ := os.ReadDir(outside); len(ents) != 0 {
		t.Errorf("wrote %d files outside the output folder", len(ents))
	}
	if slices.ContainsFunc(tr.called(), func(n string) bool { return strings.Contains(n, "evil") }) {
		t.Error("the article was translated (and paid for) although its output could not be written")
	}
}

func TestRunOutputCollision(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"a.txt", "a.md"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("Een korte alinea over de gemeenteraad van Utrecht.\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out := t.TempDir()
	r := runner.New(collisionTranslator{}, split.New(), runner.Config{Out: out, Formats: formats("json")})
	rep, err := r.Run(context.Background(), []string{dir})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Articles.Done != 1 || rep.Articles.Failed != 1 || !strings.Contains(rep.Failures[0].Error, "rename one") {
		t.Errorf("articles %+v, failures %+v: want one written and one failed naming the clash", rep.Articles, rep.Failures)
	}
}

type collisionTranslator struct{}

func (collisionTranslator) Complete(_ context.Context, art *pipeline.Article, _ []translate.Reply) (*pipeline.Result, error) {
	res := &pipeline.Result{Article: art}
	for _, s := range art.Segments {
		res.Translations = append(res.Translations, pipeline.Translation{ID: s.ID, Text: "English.", Status: pipeline.StatusTranslated})
	}
	return res, nil
}
