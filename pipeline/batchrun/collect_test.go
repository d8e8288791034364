package batchrun_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/nl2en/nl2en/pipeline/batchapi"
	"github.com/nl2en/nl2en/pipeline/batchrun"
	"github.com/nl2en/nl2en/pipeline/index"
	"github.com/nl2en/nl2en/pipeline/job"
	"github.com/nl2en/nl2en/pipeline/openaitest"
	"github.com/nl2en/nl2en/pipeline/outputs"
	"github.com/nl2en/nl2en/pipeline/runner"
)

// sampleVariants writes n variants of the sample article into a new
// folder: each leaves out another paragraph, so each is an article of
// its own whose every segment the fake translates as the sample, passing
// every check: a collect of them sends nothing live.
func sampleVariants(t *testing.T, n int) string {
	t.Helper()
	data, err := os.ReadFile("../../samples/bachmoet.txt")
	if err != nil {
		t.Fatal(err)
	}
	paras := strings.Split(strings.TrimSpace(string(data)), "\n\n")
	dir := t.TempDir()
	for i := range n {
		v := slices.Delete(slices.Clone(paras), 11+i, 12+i) // paragraphs 12, 13, …: plain text
		if err := os.WriteFile(filepath.Join(dir, "artikel-"+string(rune('a'+i))+".txt"), []byte(strings.Join(v, "\n\n")+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// batchFixture is a folder of articles, submitted to a fake API whose
// batches have finished.
type batchFixture struct {
	srv      *openaitest.Server
	in, out  string
	settings job.Settings
}

func newBatchFixture(t *testing.T, n int, formats ...string) *batchFixture {
	t.Helper()
	f := &batchFixture{
		srv: openaitest.New(t, openaitest.WithAPIKey(testKey), openaitest.WithTranslations(openaitest.SampleTranslations())),
		in:  sampleVariants(t, n),
		out: t.TempDir(),
	}
	f.settings = job.Settings{APIKey: testKey, BaseURL: f.srv.BaseURL(), Model: "gpt-4.1-mini", MaxRetries: 0,
		NoCache: true, Out: f.out, Version: "test", Formats: formats, Concurrency: 1}
	sess := f.open(t, f.settings)
	sum, err := sess.Submit(t.Context(), []string{f.in}, func(err error) { t.Error(err) })
	sess.Close()
	if err != nil || sum.Articles != n {
		t.Fatalf("submit: %v, %+v", err, sum)
	}
	f.srv.FinishBatches()
	return f
}

func (f *batchFixture) open(t *testing.T, s job.Settings) *batchrun.Session {
	t.Helper()
	j, err := job.Open(s, job.Env{})
	if err != nil {
		t.Fatal(err)
	}
	sess, err := batchrun.Open(t.Context(), j)
	if err != nil {
		t.Fatal(err)
	}
	return sess
}

// count counts the requests to a method and path.
func (f *batchFixture) count(method, path string) int {
	n := 0
	for _, r := range f.srv.Requests() {
		if r.Method == method && strings.HasPrefix(r.Path, path) {
			n++
		}
	}
	return n
}

func (f *batchFixture) state(t *testing.T) *batchapi.State {
	t.Helper()
	st, err := batchapi.OpenState(outputs.New(outputs.Config{Out: f.out, DryRun: true}))
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// cancelAfter is a runner.Progress that cancels its context once n
// articles have finished: a Ctrl-C or a deadline between articles.
type cancelAfter struct {
	n      int
	cancel context.CancelFunc
	mu     sync.Mutex
	done   int
}

func (c *cancelAfter) Found(int) {}

func (c *cancelAfter) Finished(runner.ArticleReport) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.done++; c.done == c.n {
		c.cancel()
	}
}

// TestCollectInterrupted stops a collect at each of its steps and runs it
// again: whatever the step, nothing is paid twice (no batch submitted
// again, no request sent live, no article written twice) and nothing is
// lost (every article written, the batch collected, its files deleted).
func TestCollectInterrupted(t *testing.T) {
	crash := errors.New("killed")
	tests := []struct {
		name string
		stop func(*batchrun.Session) (context.Context, runner.Progress, context.CancelFunc)
	}{
		{"after the results download", func(s *batchrun.Session) (context.Context, runner.Progress, context.CancelFunc) {
			s.StopAfterDownload(crash)
			return context.Background(), nil, func() {}
		}},
		{"between articles", func(*batchrun.Session) (context.Context, runner.Progress, context.CancelFunc) {
			ctx, cancel := context.WithCancel(context.Background())
			return ctx, &cancelAfter{n: 1, cancel: cancel}, cancel
		}},
		{"before the state is saved", func(s *batchrun.Session) (context.Context, runner.Progress, context.CancelFunc) {
			s.StopBeforeSave(crash)
			return context.Background(), nil, func() {}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newBatchFixture(t, 3)
			lines := len(f.srv.BatchLines())

			sess := f.open(t, f.settings)
			ctx, p, cancel := tt.stop(sess)
			_, err := sess.Collect(ctx, false, p)
			cancel()
			sess.Close()
			if err == nil {
				t.Fatal("the collect was not stopped")
			}
			written := map[string]os.FileInfo{}
			docs, _ := filepath.Glob(filepath.Join(f.out, "*.en.json"))
			for _, d := range docs {
				info, _ := os.Stat(d)
				written[d] = info
			}
			if st := f.state(t); st.Records[0].Collected {
				t.Errorf("the batch is marked collected with %d of its 3 articles written", len(docs))
			}
			// As if killed before the folder index was merged.
			os.Remove(filepath.Join(f.out, index.JSONL))

			sess = f.open(t, f.settings)
			rep, err := sess.Collect(t.Context(), false, nil)
			sess.Close()
			if err != nil {
				t.Fatalf("collect again: %v", err)
			}
			docs, _ = filepath.Glob(filepath.Join(f.out, "*.en.json"))
			if len(docs) != 3 {
				t.Fatalf("%d articles written, want 3: %s", len(docs), rep.Summary())
			}
			for d, before := range written {
				if after, _ := os.Stat(d); !os.SameFile(before, after) {
					t.Errorf("%s was written again", filepath.Base(d))
				}
			}
			if rep.Articles.Done != 3-len(written) {
				t.Errorf("the second collect did %d articles, want the %d the first left", rep.Articles.Done, 3-len(written))
			}
			if n := f.count(http.MethodPost, "/v1/chat/completions"); n != 0 {
				t.Errorf("%d live requests, want 0: every reply came back", n)
			}
			if n := f.count(http.MethodPost, "/v1/batches"); n != 1 {
				t.Errorf("%d batches created, want the one submitted", n)
			}
			if n := len(f.srv.BatchLines()); n != lines {
				t.Errorf("%d batch lines run, want %d", n, lines)
			}
			st := f.state(t)
			if !st.Records[0].Collected {
				t.Error("the batch is not collected after every article was written")
			}
			if n := f.count(http.MethodDelete, "/v1/files"); n != 2 {
				t.Errorf("%d files deleted, want the batch's input and output", n)
			}
			if entries, err := index.Read(filepath.Join(f.out, index.JSONL)); err != nil || len(entries) != 3 {
				t.Errorf("the folder index holds %d articles (%v), want the 3 written by both collects", len(entries), err)
			}
			// And no submit pays for them again.
			sess = f.open(t, f.settings)
			sum, err := sess.Submit(t.Context(), []string{f.in}, nil)
			sess.Close()
			if err != nil || sum.Articles != 0 || sum.UpToDate != 3 {
				t.Errorf("submit after the collect: %v, %+v; want the 3 up to date", err, sum)
			}
		})
	}
}

// TestCollectWritesSubmittedFormats guards that the formats asked for at
// submit are the ones collect writes, with the folder index, whatever
// collect is given; and that only --format and --template may differ.
func TestCollectWritesSubmittedFormats(t *testing.T) {
	f := newBatchFixture(t, 2, "md", "json", "html", "bilingual")
	given := func(job.Setting) bool { return false }
	s, notes, err := batchrun.Adopt(f.out, job.Settings{Model: "gpt-4.1-mini", BaseURL: f.srv.BaseURL(), APIKey: testKey, Out: f.out, Version: "test", NoCache: true}.Defaults(), given)
	if err != nil || len(notes) != 0 {
		t.Fatalf("Adopt: %v, %q", err, notes)
	}
	if !slices.Equal(s.Formats, []string{"md", "json", "html", "bilingual"}) {
		t.Fatalf("formats to collect %q, want the four submitted", s.Formats)
	}
	// Another model given at collect is refused, naming the setting;
	// another format is taken, with a note.
	model := func(st job.Setting) bool { return st == job.SettingModel }
	_, _, err = batchrun.Adopt(f.out, job.Settings{Model: "gpt-4o", BaseURL: f.srv.BaseURL()}.Defaults(), model)
	var se *job.SettingError
	if !errors.As(err, &se) || se.Setting != job.SettingModel || !strings.Contains(err.Error(), "gpt-4.1-mini") {
		t.Errorf("another model at collect: %v, want a *job.SettingError naming the model submitted", err)
	}
	format := func(st job.Setting) bool { return st == job.SettingFormat }
	o, notes, err := batchrun.Adopt(f.out, job.Settings{Model: "gpt-4.1-mini", BaseURL: f.srv.BaseURL(), Formats: []string{"json"}}.Defaults(), format)
	if err != nil || !slices.Equal(o.Formats, []string{"json"}) || len(notes) != 1 {
		t.Errorf("another format at collect: %v, formats %q, notes %q; want it taken with one note", err, o.Formats, notes)
	}
	sess := f.open(t, s)
	rep, err := sess.Collect(t.Context(), false, nil)
	sess.Close()
	if err != nil || rep.Articles.Done != 2 {
		t.Fatalf("collect: %v, %s", err, rep.Summary())
	}
	for _, suffix := range []string{".en.md", ".en.json", ".en.html", ".nl-en.md"} {
		if got, _ := filepath.Glob(filepath.Join(f.out, "*"+suffix)); len(got) != 2 {
			t.Errorf("%d *%s outputs, want 2", len(got), suffix)
		}
	}
	entries, err := index.Read(filepath.Join(f.out, index.JSONL))
	if err != nil || len(entries) != 2 || entries[0].Status != "done" || len(entries[0].Outputs) != 4 {
		t.Errorf("index %+v (%v), want both articles done with their four outputs", entries, err)
	}

}

// TestSubmitEnglishArticle: an article already in English is not put in a
// batch: submit writes it as it is, at once, with nothing sent, and says
// so apart from the articles the segment cache held.
func TestSubmitEnglishArticle(t *testing.T) {
	english, err := os.ReadFile(filepath.Join("..", "split", "testdata", "english", "bridge-closure.txt"))
	if err != nil {
		t.Fatal(err)
	}
	in := sampleVariants(t, 1)
	if err := os.WriteFile(filepath.Join(in, "bridge.txt"), english, 0o644); err != nil {
		t.Fatal(err)
	}
	srv := openaitest.New(t, openaitest.WithAPIKey(testKey), openaitest.WithTranslations(openaitest.SampleTranslations()))
	out := t.TempDir()
	f := &batchFixture{srv: srv, in: in, out: out}
	s := job.Settings{APIKey: testKey, BaseURL: srv.BaseURL(), Model: "gpt-4.1-mini", MaxRetries: 0,
		NoCache: true, Out: out, Version: "test", Concurrency: 1}
	sess := f.open(t, s)
	sum, err := sess.Submit(t.Context(), []string{in}, func(err error) { t.Error(err) })
	sess.Close()
	if err != nil {
		t.Fatal(err)
	}
	if sum.Articles != 1 || sum.English != 1 || sum.FromCache != 0 {
		t.Errorf("submitted %d articles, %d English, %d from the cache; want 1, 1, 0", sum.Articles, sum.English, sum.FromCache)
	}
	if n := f.count(http.MethodPost, "/v1/chat/completions"); n != 0 {
		t.Errorf("%d live requests for an English article", n)
	}
	doc, err := os.ReadFile(filepath.Join(out, "bridge.en.json"))
	if err != nil {
		t.Fatalf("the English article was not written at submit: %v", err)
	}
	if !strings.Contains(string(doc), `"english_only": true`) {
		t.Errorf("the JSON does not say the article was already English:\n%.400s", doc)
	}
}

// TestRunSharesTheCap: batch run's collect and submit are one run under
// one cost cap: what the collect paid live (here a whole article, its
// batch having failed) is not available to the submit after it.
func TestRunSharesTheCap(t *testing.T) {
	srv := openaitest.New(t, openaitest.WithAPIKey(testKey), openaitest.WithTranslations(openaitest.SampleTranslations()))
	srv.ScriptBatches(openaitest.FailBatch("server_error", "the batch could not run"))
	f := &batchFixture{srv: srv, in: sampleVariants(t, 2), out: t.TempDir()}
	first := filepath.Join(f.in, "artikel-a.txt")
	s := job.Settings{APIKey: testKey, BaseURL: srv.BaseURL(), Model: "gpt-4.1-mini", MaxRetries: 0,
		NoCache: true, Out: f.out, Version: "test", Concurrency: 1}
	sess := f.open(t, s)
	if _, err := sess.Submit(t.Context(), []string{first}, func(err error) { t.Error(err) }); err != nil {
		t.Fatal(err)
	}
	sess.Close()
	srv.FinishBatches()

	// What the second article costs at batch prices, from a dry run.
	dry := s
	dry.DryRun = true
	sess = f.open(t, dry)
	plan, err := sess.Submit(t.Context(), []string{filepath.Join(f.in, "artikel-b.txt")}, nil)
	sess.Close()
	if err != nil || plan.Articles != 1 {
		t.Fatalf("dry run: %v, %+v", err, plan)
	}
	price := plan.Cost().USD

	capped := s
	capped.MaxCost = 1
	sess = f.open(t, capped)
	defer sess.Close()
	rep, err := sess.Collect(t.Context(), false, nil)
	if err != nil || rep.Articles.Done != 1 {
		t.Fatalf("collect: %v, %s", err, rep.Summary())
	}
	live := rep.Cost().USD
	if live <= 0 || sess.Spent() != live {
		t.Fatalf("the collect paid $%g live and the session counts $%g: want the same, above 0", live, sess.Spent())
	}
	// A cap the collect has all but used leaves no room for the second
	// article's batch, which alone would fit it.
	if price >= capped.MaxCost {
		t.Fatalf("the second article's batch price $%g does not fit $%g alone", price, capped.MaxCost)
	}
	sess.SetSpent(capped.MaxCost - price/2)
	sum, err := sess.Submit(t.Context(), []string{f.in}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Articles != 0 || len(sum.LeftOut) != 1 {
		t.Errorf("submitted %d articles, left out %q: want the second article left out", sum.Articles, sum.LeftOut)
	}
}

// TestCollectFromElsewhere: files given to submit by relative paths
// (a glossary, a template) are the same files for a collect that cron
// runs from another folder, given or not.
func TestCollectFromElsewhere(t *testing.T) {
	srv := openaitest.New(t, openaitest.WithAPIKey(testKey), openaitest.WithTranslations(openaitest.SampleTranslations()))
	f := &batchFixture{srv: srv, in: sampleVariants(t, 1), out: t.TempDir()}
	work, elsewhere := t.TempDir(), t.TempDir()
	if err := os.WriteFile(filepath.Join(work, "g.tsv"), []byte("source\ttarget\tnote\nfietsenstalling\tbicycle shed\t\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(work, "card.tmpl"), []byte("{{.title}}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	s := job.Settings{APIKey: testKey, BaseURL: srv.BaseURL(), Model: "gpt-4.1-mini", MaxRetries: 0,
		NoCache: true, Out: f.out, Version: "test", Concurrency: 1}
	t.Chdir(work)
	sub := s
	sub.GlossaryFile, sub.Template = "g.tsv", "card.tmpl"
	sess := f.open(t, sub)
	if _, err := sess.Submit(t.Context(), []string{f.in}, func(err error) { t.Error(err) }); err != nil {
		t.Fatal(err)
	}
	sess.Close()
	srv.FinishBatches()

	t.Chdir(elsewhere)
	glossary := filepath.Join(work, "g.tsv")
	for _, tt := range []struct {
		name  string
		given string
	}{
		{"not given", ""},
		{"given by its absolute path", glossary},
	} {
		c := s
		c.GlossaryFile = tt.given
		got, _, err := batchrun.Adopt(f.out, c, func(st job.Setting) bool { return st == job.SettingGlossaryFile && tt.given != "" })
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if got.GlossaryFile != glossary || got.Template != filepath.Join(work, "card.tmpl") {
			t.Errorf("%s: collect from another folder reads %q and %q, want the files submit read", tt.name, got.GlossaryFile, got.Template)
		}
	}
	// Another file of the same name, in the folder collect runs in, is
	// another glossary.
	c := s
	c.GlossaryFile = "g.tsv"
	if _, _, err := batchrun.Adopt(f.out, c, func(st job.Setting) bool { return st == job.SettingGlossaryFile }); err == nil {
		t.Error("a g.tsv in another folder was taken for the glossary submit read")
	}
	// The same relative path, in the folder submit ran in, is the same
	// file.
	t.Chdir(work)
	if _, _, err := batchrun.Adopt(f.out, c, func(st job.Setting) bool { return st == job.SettingGlossaryFile }); err != nil {
		t.Errorf("the glossary submit read, given again by the same relative path: %v", err)
	}
	t.Chdir(elsewhere)
	got, _, err := batchrun.Adopt(f.out, s, func(job.Setting) bool { return false })
	if err != nil {
		t.Fatal(err)
	}
	sess = f.open(t, got)
	rep, err := sess.Collect(t.Context(), false, nil)
	sess.Close()
	if err != nil || rep.Articles.Done != 1 {
		t.Fatalf("collect from another folder: %v, %s", err, rep.Summary())
	}
}

// TestCollectResultsUnreadable: a finished batch whose results cannot be
// downloaded is an error of the collect (exit 1 from the command), not
// "nothing to collect"; the batch stays for the next collect.
func TestCollectResultsUnreadable(t *testing.T) {
	f := newBatchFixture(t, 1)
	// The batch's output file is gone from the server.
	batchID := f.state(t).Records[0].BatchID
	var b struct {
		OutputFileID string `json:"output_file_id"`
	}
	call := func(method, path string, v any) {
		req, _ := http.NewRequest(method, f.srv.BaseURL()+path, nil)
		req.Header.Set("Authorization", "Bearer "+testKey)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s %s: %s", method, path, resp.Status)
		}
		if v != nil {
			if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
				t.Fatal(err)
			}
		}
	}
	call(http.MethodGet, "/batches/"+batchID, &b)
	if b.OutputFileID == "" {
		t.Fatal("the finished batch has no output file")
	}
	call(http.MethodDelete, "/files/"+b.OutputFileID, nil)

	sess := f.open(t, f.settings)
	rep, err := sess.Collect(t.Context(), false, nil)
	sess.Close()
	if err == nil || !strings.Contains(err.Error(), "could not download the results of 1 batch") {
		t.Errorf("collect: %v, want an error saying the results could not be downloaded", err)
	}
	if rep.Error == "" {
		t.Error("the report does not say why the collect failed")
	}
	if f.state(t).Records[0].Collected {
		t.Error("a batch whose results were never read is marked collected")
	}
}
