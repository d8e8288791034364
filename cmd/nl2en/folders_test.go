package main

// Tests of "nl2en translate DIR…": walking folders, incremental runs, the
// segment cache, the run lock and the run report.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gofrs/flock"

	"github.com/nl2en/nl2en/pipeline/openaitest"
	"github.com/nl2en/nl2en/pipeline/runner"
)

// translateArgs is "translate", the API arguments for srv, then extra. With
// a cacheDir the segment cache is kept there instead of turned off.
func translateArgs(srv *openaitest.Server, cacheDir string, extra ...string) []string {
	args := []string{"translate"}
	for _, a := range apiArgs(srv) {
		if a == "--no-cache" && cacheDir != "" {
			args = append(args, "--cache-dir", cacheDir)
			continue
		}
		args = append(args, a)
	}
	return append(args, extra...)
}

// folderArticle is a short Dutch news article (a headline and two
// paragraphs, no names or numbers, so the checks find nothing to repair) in
// the format name's extension says. word makes each of its segments unique
// to it.
func folderArticle(name, word string) string {
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

var folderWords = []string{"rode", "blauwe", "groene", "gele", "witte", "zwarte", "paarse", "grijze"}

// writeArticles writes one folderArticle per slash-separated name under
// root, each with its own word, and returns root.
func writeArticles(t *testing.T, root string, names ...string) string {
	t.Helper()
	for i, n := range names {
		writeFileAt(t, filepath.Join(root, filepath.FromSlash(n)), folderArticle(n, folderWords[i%len(folderWords)]))
	}
	return root
}

func writeFileAt(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// filesUnder lists the regular files under dir, slash-separated and
// sorted, leaving out the run lock and its note of when it was first
// found held.
func filesUnder(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() && d.Name() != ".nl2en.lock" && d.Name() != ".nl2en.lock-seen" {
			rel, _ := filepath.Rel(dir, p)
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}

// readRunReport reads a report.json.
func readRunReport(t *testing.T, path string) *runner.Report {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("run report: %v", err)
	}
	rep := new(runner.Report)
	if err := json.Unmarshal(b, rep); err != nil {
		t.Fatalf("run report %s is not valid JSON: %v\n%s", path, err, b)
	}
	return rep
}

// linesWith returns the lines of s that contain sub.
func linesWith(s, sub string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			out = append(out, l)
		}
	}
	return out
}

// newRequests returns the requests srv received after the first n.
func newRequests(srv *openaitest.Server, n int) []openaitest.Request {
	return srv.Requests()[n:]
}

func countKind(reqs []openaitest.Request, kind string) int {
	n := 0
	for _, r := range reqs {
		if r.Kind == kind {
			n++
		}
	}
	return n
}

// TestFolderMirrorsTree guards that a folder is walked recursively, with
// --include and --exclude, that the tree is mirrored under --out, and that
// outputs of an earlier run, hidden folders and other files are not inputs.
func TestFolderMirrorsTree(t *testing.T) {
	srv := sampleServer(t)
	root := writeArticles(t, t.TempDir(), "a/b/x.txt", "a/y.md", "c.html", "drafts/w.txt", ".hidden/z.txt")
	writeFileAt(t, filepath.Join(root, "notes.pdf"), "%PDF-1.4")
	writeFileAt(t, filepath.Join(root, "a", "b", "old.en.md"), folderArticle("old.md", "oude")) // an earlier run's output
	writeFileAt(t, filepath.Join(root, "a", "b", "old.en.json"), `{"schema_version": 1}`)

	pair := func(base string) []string { return []string{base + ".en.json", base + ".en.md"} }
	tests := []struct {
		name  string
		flags []string
		want  []string // files under --out, report, history and index aside
	}{
		{"default", nil, slices.Concat(pair("a/b/x"), pair("a/y"), pair("c"), pair("drafts/w"))},
		{"include", []string{"--include", "**/*.md"}, pair("a/y")},
		{"include with a folder", []string{"--include", "a/**/*.txt", "--include", "*.html"}, slices.Concat(pair("a/b/x"), pair("c"))},
		{"exclude", []string{"--exclude", "drafts", "--exclude", "*.html"}, slices.Concat(pair("a/b/x"), pair("a/y"))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "english")
			args := translateArgs(srv, "", append(append([]string{"--out", out}, tt.flags...), root)...)
			r := runCLI(t, nil, args...)
			if r.code != 0 {
				t.Fatalf("exit %d, want 0; stderr:\n%s", r.code, r.stderr)
			}
			got := slices.DeleteFunc(filesUnder(t, out), func(s string) bool {
				return s == "report.json" || s == "runs.jsonl" || s == "index.jsonl" || s == "index.html"
			})
			want := slices.Sorted(slices.Values(tt.want))
			if !slices.Equal(got, want) {
				t.Errorf("files under --out = %q, want %q", got, want)
			}
			rep := readRunReport(t, filepath.Join(out, "report.json"))
			if n := len(want) / 2; rep.Articles.Found != n || rep.Articles.Done != n {
				t.Errorf("report articles = %+v, want %d found and done", rep.Articles, n)
			}
			if r.stdout != "" {
				t.Errorf("a folder run printed to stdout: %.200s", r.stdout)
			}
		})
	}
	// The inputs are untouched and nothing was written into the input tree.
	got := filesUnder(t, root)
	want := []string{".hidden/z.txt", "a/b/old.en.json", "a/b/old.en.md", "a/b/x.txt", "a/y.md", "c.html", "drafts/w.txt", "notes.pdf"}
	if !slices.Equal(got, want) {
		t.Errorf("files in the input tree = %q, want %q", got, want)
	}
}

// TestFolderBesideInputs guards that without --out the outputs go beside
// their inputs, and that a second run does not take them as inputs.
func TestFolderBesideInputs(t *testing.T) {
	srv := sampleServer(t)
	root := writeArticles(t, t.TempDir(), "x.txt", "sub/y.md", "sub/deeper/z.html")
	report := filepath.Join(t.TempDir(), "report.json")
	r := runCLI(t, nil, translateArgs(srv, "", "--report", report, root)...)
	if r.code != 0 {
		t.Fatalf("exit %d; stderr:\n%s", r.code, r.stderr)
	}
	want := []string{"sub/deeper/z.en.json", "sub/deeper/z.en.md", "sub/deeper/z.html", "sub/y.en.json", "sub/y.en.md", "sub/y.md", "x.en.json", "x.en.md", "x.txt"}
	if got := filesUnder(t, root); !slices.Equal(got, want) {
		t.Errorf("files = %q, want %q", got, want)
	}
	// --force redoes every article: the outputs of the first run must not
	// be found as articles of their own.
	r = runCLI(t, nil, translateArgs(srv, "", "--force", "--report", report, root)...)
	if r.code != 0 {
		t.Fatalf("second run: exit %d; stderr:\n%s", r.code, r.stderr)
	}
	rep := readRunReport(t, report)
	if rep.Articles.Found != 3 || rep.Articles.Done != 3 {
		t.Errorf("second run articles = %+v, want 3 found and done: earlier outputs were taken as inputs", rep.Articles)
	}
	if got := filesUnder(t, root); !slices.Equal(got, want) {
		t.Errorf("after the second run, files = %q, want %q", got, want)
	}
}

// TestFolderBadFiles guards that an unreadable, empty, binary or too large
// file is reported in one line naming it while the rest is translated, that
// the exit code is 1 then and 0 when all went well, and what the run report
// and the summary line say.
func TestFolderBadFiles(t *testing.T) {
	srv := sampleServer(t)
	root := writeArticles(t, t.TempDir(), "good1.txt", "sub/good2.md")
	bad := map[string]string{
		"empty.txt":      "",
		"sub/binary.txt": "PK\x03\x04\x14\x00\x00\x00\x08\x00\x00\x00!\x00\xff\xfe\x00\x00\x01\x02",
		"big.txt":        folderArticle("big.txt", "lange") + strings.Repeat("Nog een zin over de fietsenstalling bij het station.\n", 80),
	}
	for n, c := range bad {
		writeFileAt(t, filepath.Join(root, filepath.FromSlash(n)), c)
	}
	// Unreadable: a dangling link (chmod 000 does not stop root), which
	// is read since links are followed.
	if err := os.Symlink(filepath.Join(root, "gone.txt"), filepath.Join(root, "dangling.txt")); err != nil {
		t.Fatal(err)
	}
	badNames := []string{"empty.txt", "binary.txt", "big.txt", "dangling.txt"}
	out := t.TempDir()
	args := translateArgs(srv, "", "--out", out, "--max-bytes", "3000", "--follow-symlinks", root)

	r := runCron(t, args...)
	if r.code != 1 {
		t.Fatalf("exit %d, want 1 (some articles failed); stderr:\n%s", r.code, r.stderr)
	}
	for _, name := range badNames {
		lines := linesWith(r.stderr, name)
		if len(lines) != 1 || !strings.HasPrefix(lines[0], "nl2en: ") {
			t.Errorf("stderr lines naming %s = %q, want one starting with \"nl2en: \"", name, lines)
		}
	}
	if got, want := filesUnder(t, out), []string{"good1.en.json", "good1.en.md", "index.html", "index.jsonl", "report.json", "runs.jsonl", "sub/good2.en.json", "sub/good2.en.md"}; !slices.Equal(got, want) {
		t.Errorf("files under --out = %q, want %q", got, want)
	}
	rep := readRunReport(t, filepath.Join(out, "report.json"))
	if want := (runner.Counts{Found: 6, Done: 2, Failed: 4}); rep.Articles != want {
		t.Errorf("report articles = %+v, want %+v", rep.Articles, want)
	}
	var failed []string
	for _, f := range rep.Failures {
		failed = append(failed, filepath.Base(f.File))
		if f.Error == "" || f.Status != runner.StatusFailed {
			t.Errorf("failure %+v lacks an error or the failed status", f)
		}
	}
	slices.Sort(failed)
	if want := slices.Sorted(slices.Values(badNames)); !slices.Equal(failed, want) {
		t.Errorf("report failures = %q, want %q", failed, want)
	}
	if got, want := rep.Total.Requests, srv.Count(openaitest.KindAny); got != want || got == 0 {
		t.Errorf("report total requests = %d, want %d (what the server saw), not 0", got, want)
	}
	if rep.Total.PromptTokens == 0 || rep.Total.CompletionTokens == 0 || rep.Usage["translate"].Requests == 0 || rep.Usage["summary"].Requests != 2 {
		t.Errorf("report usage = %+v, total %+v: want tokens, translate requests and 2 summaries", rep.Usage, rep.Total)
	}
	summary := linesWith(r.stderr, "2 done, 0 skipped, 4 failed")
	if len(summary) != 1 || !strings.HasPrefix(summary[0], "nl2en: ") {
		t.Errorf("stderr lacks the one-line summary \"nl2en: 2 done, 0 skipped, 4 failed…\":\n%s", r.stderr)
	}

	// --quiet: the failures still, but no summary and no log lines.
	r = runCron(t, append([]string{"translate", "--quiet"}, args[1:]...)...)
	if r.code != 1 {
		t.Errorf("--quiet: exit %d, want 1", r.code)
	}
	lines := strings.Split(strings.TrimSpace(r.stderr), "\n")
	if len(lines) != len(badNames) || strings.Contains(r.stderr, "skipped") {
		t.Errorf("--quiet stderr = %q, want only the %d failures", lines, len(badNames))
	}

	// Without the bad files, all goes well: exit 0, having done nothing,
	// so the report of the last run that did something (the failures)
	// stays, and so does the history.
	for _, n := range append(slices.Collect(maps.Keys(bad)), "dangling.txt") {
		if err := os.Remove(filepath.Join(root, filepath.FromSlash(n))); err != nil {
			t.Fatal(err)
		}
	}
	before := snapshot(t, out)
	r = runCLI(t, nil, args...)
	if r.code != 0 {
		t.Errorf("exit %d, want 0 when every article is done or skipped; stderr:\n%s", r.code, r.stderr)
	}
	if !strings.Contains(r.stderr, "0 done, 2 skipped, 0 failed") {
		t.Errorf("stderr lacks the summary of a run with nothing to do:\n%s", r.stderr)
	}
	for name, b := range snapshot(t, out) {
		if !bytes.Equal(before[name], b) && name != ".nl2en.lock" {
			t.Errorf("a run that did nothing changed %s", name)
		}
	}
}

// TestFolderIncremental guards that a run over a folder already done makes
// no requests, that an edited file alone is redone, and what --force, a
// change of model and --no-cache do with the segment cache.
func TestFolderIncremental(t *testing.T) {
	srv := sampleServer(t)
	root := writeArticles(t, t.TempDir(), "a.txt", "b.txt", "sub/c.md")
	out := t.TempDir()
	cacheDir := t.TempDir()
	reportPath := filepath.Join(out, "report.json")
	segments := 9 // three per article, all translated

	steps := []struct {
		name      string
		edit      func()
		cacheDir  string // "" for --no-cache
		flags     []string
		want      runner.Counts
		requests  int
		why       string   // why that many requests
		sent      []string // ids of the segments sent for translation, if checked
		fromCache int      // the report's cached_segments
	}{
		{name: "first run", cacheDir: cacheDir, want: runner.Counts{Found: 3, Done: 3},
			requests: 6, why: "a translation and a summary per article"},
		{name: "nothing changed", cacheDir: cacheDir, want: runner.Counts{Found: 3, Skipped: 3},
			requests: 0, why: "every output is up to date"},
		{name: "nothing changed, no cache", want: runner.Counts{Found: 3, Skipped: 3},
			requests: 0, why: "the outputs, not the cache, say an article is done"},
		{name: "one file edited",
			edit: func() {
				p := filepath.Join(root, "b.txt")
				b, err := os.ReadFile(p)
				if err != nil {
					t.Fatal(err)
				}
				writeFileAt(t, p, strings.Replace(string(b), "te weinig plek", "veel te weinig plek", 1))
			},
			cacheDir: cacheDir, want: runner.Counts{Found: 3, Done: 1, Skipped: 2},
			requests: 2, why: "the edited paragraph and the summary of its article", sent: []string{"s3"}, fromCache: 2},
		{name: "force", cacheDir: cacheDir, flags: []string{"--force"}, want: runner.Counts{Found: 3, Done: 3},
			requests: 0, why: "every segment and summary comes from the cache", fromCache: segments},
		{name: "other model", cacheDir: cacheDir, flags: []string{"--model", "gpt-4o-mini"}, want: runner.Counts{Found: 3, Skipped: 3, Stale: 3},
			requests: 0, why: "outputs made under other settings are kept"},
		{name: "other model, stale redone", cacheDir: cacheDir, flags: []string{"--model", "gpt-4o-mini", "--redo-stale"}, want: runner.Counts{Found: 3, Done: 3},
			requests: 6, why: "the fingerprint and the cache keys hold the model"},
		{name: "same model again", cacheDir: cacheDir, flags: []string{"--model", "gpt-4o-mini"}, want: runner.Counts{Found: 3, Skipped: 3},
			requests: 0, why: "every output is up to date"},
		{name: "force without cache", flags: []string{"--force"}, want: runner.Counts{Found: 3, Done: 3},
			requests: 6, why: "--no-cache asks for everything again"},
		{name: "recheck", cacheDir: cacheDir, flags: []string{"--recheck"}, want: runner.Counts{Found: 3, Done: 3},
			requests: 6, why: "--recheck redoes every article and asks again for what the cache holds"},
		{name: "force after a recheck", cacheDir: cacheDir, flags: []string{"--force"}, want: runner.Counts{Found: 3, Done: 3},
			requests: 0, why: "the recheck's answers were cached", fromCache: segments},
	}
	for _, st := range steps {
		if st.edit != nil {
			st.edit()
		}
		before := srv.Count(openaitest.KindAny)
		lastReport, _ := os.ReadFile(reportPath)
		r := runCLI(t, nil, translateArgs(srv, st.cacheDir, append(append([]string{"--out", out}, st.flags...), root)...)...)
		if r.code != 0 {
			t.Fatalf("%s: exit %d; stderr:\n%s", st.name, r.code, r.stderr)
		}
		reqs := newRequests(srv, before)
		if len(reqs) != st.requests {
			t.Errorf("%s: %d requests, want %d: %s", st.name, len(reqs), st.requests, st.why)
		}
		if st.sent != nil {
			var sent []string
			for _, q := range reqs {
				if q.Kind == openaitest.KindTranslate {
					sent = append(sent, q.SegmentIDs...)
				}
			}
			if !slices.Equal(sent, st.sent) {
				t.Errorf("%s: segments sent for translation = %v, want %v", st.name, sent, st.sent)
			}
		}
		if now, _ := os.ReadFile(reportPath); st.want.Done == 0 && !bytes.Equal(now, lastReport) {
			t.Errorf("%s: a run that did nothing rewrote the report of the last run that did something", st.name)
		} else if st.want.Done > 0 {
			rep := readRunReport(t, reportPath)
			if rep.Articles != st.want {
				t.Errorf("%s: report articles = %+v, want %+v", st.name, rep.Articles, st.want)
			}
			if rep.Total.Requests != len(reqs) {
				t.Errorf("%s: the report counts %d requests, the server saw %d", st.name, rep.Total.Requests, len(reqs))
			}
			if rep.CachedSegments != st.fromCache {
				t.Errorf("%s: report cached_segments = %d, want %d", st.name, rep.CachedSegments, st.fromCache)
			}
		}
		skipped := fmt.Sprintf("%d skipped", st.want.Skipped)
		if st.want.Stale > 0 {
			skipped += " (made with other settings)"
		}
		if want := fmt.Sprintf("nl2en: %d done, %s, 0 failed", st.want.Done, skipped); len(linesWith(r.stderr, want)) != 1 {
			t.Errorf("%s: stderr lacks the summary %q:\n%s", st.name, want, r.stderr)
		}
		stale := linesWith(r.stderr, "--redo-stale redoes them")
		if want := fmt.Sprintf("nl2en: %d outputs were made with other settings", st.want.Stale); st.want.Stale > 0 && (len(stale) != 1 || !strings.HasPrefix(stale[0], want)) || st.want.Stale == 0 && len(stale) != 0 {
			t.Errorf("%s: stderr lines about stale outputs = %q, want one starting %q when there are any", st.name, stale, want)
		}
	}
	doc := readDoc(t, filepath.Join(out, "b.en.json"))
	if want := "Volgens de wethouder is er al jaren veel te weinig plek voor blauwe fietsen in de binnenstad en staan veel fietsen op de stoep."; doc.Segments[2].Source != want {
		t.Errorf("b.en.json s3 source = %q, want the edited paragraph %q", doc.Segments[2].Source, want)
	}
}

// TestSegmentCacheEditedParagraph guards that re-translating the sample
// article with one paragraph changed pays for that paragraph alone: one
// translation request carrying its segment, and the summary.
func TestSegmentCacheEditedParagraph(t *testing.T) {
	oldPara := "Maar de aanvallen verzandden een slijtageslag die nu al maanden duurt."
	newPara := "De aanvallen liepen vast in een lange strijd waarin beide legers weinig vooruitgang boekten."
	newEnglish := "The attacks bogged down in a long fight in which both armies made little progress."
	srv := openaitest.New(t, openaitest.WithAPIKey(testKey),
		openaitest.WithTranslations(openaitest.SampleTranslations()),
		openaitest.WithTranslations(map[string]string{newPara: newEnglish}))
	dir := t.TempDir()
	in := copySample(t, dir)
	cacheDir := t.TempDir()
	args := translateArgs(srv, cacheDir, "--format", "json", in)

	if r := runCLI(t, nil, args...); r.code != 0 {
		t.Fatalf("first run: exit %d; stderr:\n%s", r.code, r.stderr)
	}
	first := srv.Requests()
	if countKind(first, openaitest.KindTranslate) < 2 {
		t.Fatalf("the first run sent %d translation requests; the test needs the article in several batches", countKind(first, openaitest.KindTranslate))
	}

	// Replace one paragraph with a new one.
	data, err := os.ReadFile(in)
	if err != nil {
		t.Fatal(err)
	}
	var edited []string
	for _, p := range strings.Split(string(data), "\n\n") {
		if strings.HasPrefix(p, oldPara) {
			p = newPara
		}
		edited = append(edited, p)
	}
	if strings.Join(edited, "\n\n") == string(data) {
		t.Fatal("the paragraph to edit is not in the sample")
	}
	writeFileAt(t, in, strings.Join(edited, "\n\n"))

	r := runCLI(t, nil, args...)
	if r.code != 0 {
		t.Fatalf("second run: exit %d; stderr:\n%s", r.code, r.stderr)
	}
	doc := readDoc(t, filepath.Join(dir, "bachmoet.en.json"))
	wantID := ""
	for _, s := range doc.Segments {
		if s.Source == newPara {
			wantID = s.ID
			if s.Text != newEnglish {
				t.Errorf("%s text = %q, want %q", s.ID, s.Text, newEnglish)
			}
		}
	}
	if wantID == "" {
		t.Fatal("the edited paragraph is not in the output")
	}
	second := newRequests(srv, len(first))
	var sent []string
	for _, q := range second {
		if q.Kind == openaitest.KindTranslate {
			sent = append(sent, q.SegmentIDs...)
		}
	}
	if got := countKind(second, openaitest.KindTranslate); got != 1 {
		t.Errorf("%d translation requests, want 1", got)
	}
	if !slices.Equal(sent, []string{wantID}) {
		t.Errorf("segments sent = %v, want [%s] (the edited paragraph alone)", sent, wantID)
	}
	if got := countKind(second, openaitest.KindSummary); got != 1 {
		t.Errorf("%d summary requests, want 1 (the article changed)", got)
	}
	if len(second) != 2 {
		t.Errorf("%d requests in all, want 2", len(second))
	}
	if got, want := doc.Usage.Total.Requests, 2; got != want {
		t.Errorf("the JSON's usage counts %d requests, want %d", got, want)
	}
}

// syncWriter is a stderr that a running command and the test may use at
// once; it closes seen when the text written first contains want.
type syncWriter struct {
	mu   sync.Mutex
	buf  bytes.Buffer
	want string
	seen chan struct{}
	once sync.Once
}

func (w *syncWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	n, err := w.buf.Write(p)
	if w.want != "" && strings.Contains(w.buf.String(), w.want) {
		w.once.Do(func() { close(w.seen) })
	}
	return n, err
}

func (w *syncWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

// TestFolderLock guards the run lock in the output folder: while another
// run holds it, a run says so and exits 0 without translating anything,
// and with --wait it waits for the lock and then runs.
func TestFolderLock(t *testing.T) {
	srv := sampleServer(t)
	root := writeArticles(t, t.TempDir(), "a.txt", "b.txt")
	out := t.TempDir()
	lk := flock.New(filepath.Join(out, ".nl2en.lock"))
	ok, err := lk.TryLock()
	if err != nil || !ok {
		t.Fatalf("take the lock: %v, %v", ok, err)
	}
	defer lk.Unlock()
	args := translateArgs(srv, "", "--out", out, root)

	r := runCLI(t, nil, args...)
	if r.code != 0 {
		t.Errorf("exit %d, want 0 while another run holds the lock", r.code)
	}
	if lines := linesWith(r.stderr, "another nl2en run"); len(lines) != 1 || !strings.HasPrefix(lines[0], "nl2en: ") || !strings.Contains(lines[0], "--wait") {
		t.Errorf("stderr = %q, want one line saying another run holds the lock and naming --wait", r.stderr)
	}
	if n := srv.Count(openaitest.KindAny); n != 0 {
		t.Errorf("%d requests while the lock was held, want 0", n)
	}
	if got := filesUnder(t, out); len(got) != 0 {
		t.Errorf("wrote %q while the lock was held", got)
	}

	// --wait: the run waits until the lock is released, then translates.
	stderr := &syncWriter{want: "waiting for the run lock", seen: make(chan struct{})}
	done := make(chan int, 1)
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		var stdout bytes.Buffer
		done <- run(context.Background(), append([]string{"nl2en"}, append([]string{"translate", "--wait"}, args[1:]...)...), failingReader{t}, &stdout, stderr)
	}()
	t.Cleanup(func() {
		// Let a run still waiting after a failed check end with the test.
		lk.Unlock()
		<-finished
	})
	select {
	case <-stderr.seen:
	case code := <-done:
		t.Fatalf("--wait: the run ended (exit %d) while the lock was held; stderr:\n%s", code, stderr.String())
	case <-time.After(20 * time.Second):
		t.Fatalf("--wait: the run never said it was waiting; stderr:\n%s", stderr.String())
	}
	select {
	case code := <-done:
		t.Fatalf("--wait: the run ended (exit %d) while the lock was held; stderr:\n%s", code, stderr.String())
	default:
	}
	if n := srv.Count(openaitest.KindAny); n != 0 {
		t.Errorf("--wait: %d requests while the lock was held, want 0", n)
	}
	if err := lk.Unlock(); err != nil {
		t.Fatal(err)
	}
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("--wait: exit %d after the lock was released, want 0; stderr:\n%s", code, stderr.String())
		}
	case <-time.After(20 * time.Second):
		t.Fatalf("--wait: the run did not go on after the lock was released; stderr:\n%s", stderr.String())
	}
	if rep := readRunReport(t, filepath.Join(out, "report.json")); rep.Articles.Done != 2 {
		t.Errorf("--wait: report articles = %+v, want 2 done", rep.Articles)
	}
	if srv.Count(openaitest.KindAny) == 0 {
		t.Error("--wait: no requests after the lock was released")
	}
}

// runCron runs the command as cron would, with stderr an ordinary file
// rather than a terminal. Runs in which articles fail use it: the command
// then writes to stderr from several goroutines at once, which a file
// takes and runCLI's bytes.Buffer does not (see
// TestStderrTakesConcurrentWrites).
func runCron(t *testing.T, args ...string) result {
	t.Helper()
	f, err := os.CreateTemp(t.TempDir(), "stderr")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var stdout bytes.Buffer
	code := run(context.Background(), append([]string{"nl2en"}, args...), failingReader{t}, &stdout, f)
	b, err := os.ReadFile(f.Name())
	if err != nil {
		t.Fatal(err)
	}
	return result{code, stdout.String(), string(b)}
}

// overlapWriter counts Writes that begin while another is under way. It
// has no lock of its own, like a bytes.Buffer; each Write lingers a little
// so that overlapping calls are caught.
type overlapWriter struct {
	busy, overlaps atomic.Int32
	lines          atomic.Int32
}

func (w *overlapWriter) Write(p []byte) (int, error) {
	if w.busy.Add(1) > 1 {
		w.overlaps.Add(1)
	}
	time.Sleep(2 * time.Millisecond)
	w.lines.Add(int32(bytes.Count(p, []byte("\n"))))
	w.busy.Add(-1)
	return len(p), nil
}

// TestStderrTakesConcurrentWrites guards that the command never writes to
// the stderr it is given from two goroutines at once: run takes any
// io.Writer, and the tests give it a bytes.Buffer.
func TestStderrTakesConcurrentWrites(t *testing.T) {
	srv := sampleServer(t)
	root := writeArticles(t, t.TempDir(), "a.txt", "b.txt", "c.txt", "d.txt", "e.txt", "f.txt")
	for _, n := range []string{"x1.txt", "x2.txt", "x3.txt", "x4.txt", "x5.txt", "x6.txt"} {
		writeFileAt(t, filepath.Join(root, n), "")
	}
	w := &overlapWriter{}
	var stdout bytes.Buffer
	code := run(context.Background(), append([]string{"nl2en"}, translateArgs(srv, "", "--out", t.TempDir(), root)...), failingReader{t}, &stdout, w)
	if code != 1 || w.lines.Load() < 6 {
		t.Fatalf("exit %d with %d stderr lines, want 1 and a line per failure", code, w.lines.Load())
	}
	if n := w.overlaps.Load(); n != 0 {
		t.Errorf("%d writes to stderr began while another was under way, want 0", n)
	}
}

// TestFolderFatalAPIError guards that a rejected key stops a folder run
// early instead of failing every article against the server one by one.
func TestFolderFatalAPIError(t *testing.T) {
	srv := sampleServer(t)
	root := writeArticles(t, t.TempDir(), "a.txt", "b.txt", "c.txt", "d.txt", "e.txt")
	out := t.TempDir()
	r := runCron(t, "translate", "--no-cache", "--base-url", srv.BaseURL(), "--api-key", "sk-wrong-key-0000000000", "--max-retries", "1",
		"--concurrency", "1", "--out", out, root)
	if r.code != 1 {
		t.Errorf("exit %d, want 1; stderr:\n%s", r.code, r.stderr)
	}
	// Failing each article would take 10 requests (a translation and a
	// summary each). With --concurrency 1 two articles are in flight, so
	// stopping at the first rejection leaves at most their 4 requests.
	if n := srv.Count(openaitest.KindAny); n > 4 || n == 0 {
		t.Errorf("the server saw %d requests, want 1 to 4: the run must stop at the rejected key", n)
	}
	if len(linesWith(r.stderr, "rejected the API key")) == 0 {
		t.Errorf("stderr does not say the key was rejected:\n%s", r.stderr)
	}
	rep := readRunReport(t, filepath.Join(out, "report.json"))
	if rep.Articles.Found == 0 || rep.Articles.Done != 0 || rep.Articles.Failed+rep.Articles.NotDone != rep.Articles.Found {
		t.Errorf("report articles = %+v, want none done", rep.Articles)
	}
	if !strings.Contains(rep.Error, "rejected the API key") {
		t.Errorf("report error = %q, want why the run stopped", rep.Error)
	}
	if got := slices.DeleteFunc(filesUnder(t, out), func(s string) bool { return s == "report.json" || s == "runs.jsonl" }); len(got) != 0 {
		t.Errorf("a stopped run wrote %q", got)
	}
}

// TestFatalErrorDoesNotBlameMaxCost guards that a run stopped by a rejected
// key says nothing about a --max-cost it was never given.
func TestFatalErrorDoesNotBlameMaxCost(t *testing.T) {
	srv := sampleServer(t)
	root := writeArticles(t, t.TempDir(), "a.txt", "b.txt", "c.txt", "d.txt", "e.txt")
	r := runCron(t, "translate", "--no-cache", "--base-url", srv.BaseURL(), "--api-key", "sk-wrong-key-0000000000", "--max-retries", "0", "--out", t.TempDir(), root)
	if !strings.Contains(r.stderr, "rejected the API key") || !strings.Contains(r.stderr, "not done") {
		t.Fatalf("the run was not stopped with articles left over; stderr:\n%s", r.stderr)
	}
	if lines := linesWith(r.stderr, "--max-cost"); len(lines) != 0 {
		t.Errorf("stderr blames --max-cost, which was not given: %q", lines)
	}
}

// TestFolderOutputStaysInOut guards that a symbolic link inside --out that
// leads outside it makes that article fail instead of writing outside.
func TestFolderOutputStaysInOut(t *testing.T) {
	srv := sampleServer(t)
	root := writeArticles(t, t.TempDir(), "ok.txt", "evil/a.txt")
	out, outside := t.TempDir(), t.TempDir()
	if err := os.Symlink(outside, filepath.Join(out, "evil")); err != nil {
		t.Fatal(err)
	}
	r := runCron(t, translateArgs(srv, "", "--out", out, root)...)
	if r.code != 1 {
		t.Errorf("exit %d, want 1; stderr:\n%s", r.code, r.stderr)
	}
	if got := filesUnder(t, outside); len(got) != 0 {
		t.Errorf("wrote %q outside --out", got)
	}
	if lines := linesWith(r.stderr, filepath.Join("evil", "a.txt")); len(lines) != 1 || !strings.HasPrefix(lines[0], "nl2en: ") {
		t.Errorf("stderr lines naming evil/a.txt = %q, want one failure line", lines)
	}
	if _, err := os.Stat(filepath.Join(out, "ok.en.md")); err != nil {
		t.Errorf("the other article was not done: %v", err)
	}
}

// TestStdinWithFolderFlags guards that "-" still reads stdin with the
// folder flags given, and cannot be mixed with files.
func TestStdinWithFolderFlags(t *testing.T) {
	srv := sampleServer(t)
	dir := t.TempDir()
	in := copySample(t, dir)
	data, err := os.ReadFile(in)
	if err != nil {
		t.Fatal(err)
	}
	r := runCLI(t, bytes.NewReader(data), translateArgs(srv, t.TempDir(), "--include", "**/*.md", "--exclude", "*.txt", "--force", "--wait", "-")...)
	if r.code != 0 {
		t.Fatalf("exit %d; stderr:\n%s", r.code, r.stderr)
	}
	if !strings.HasPrefix(r.stdout, "---\n") || !strings.Contains(r.stdout, "## War of attrition") {
		t.Errorf("stdout is not the Markdown translation:\n%.300s", r.stdout)
	}
	if strings.Contains(r.stderr, " done, ") {
		t.Errorf("a one-article run printed the run summary:\n%s", r.stderr)
	}

	for _, args := range [][]string{{"-", in}, {in, "-"}, {"-", dir}, {"-", "-"}} {
		r := runCLI(t, nil, translateArgs(srv, "", args...)...)
		if r.code != 2 || !strings.Contains(r.stderr, "cannot be mixed") {
			t.Errorf("translate %q: exit %d, stderr %q; want 2 saying - cannot be mixed with files", args, r.code, r.stderr)
		}
	}
	if n := srv.Count(openaitest.KindAny); n == 0 {
		t.Error("the stdin run sent no requests")
	}
	if got, want := filesUnder(t, dir), []string{"bachmoet.txt"}; !slices.Equal(got, want) {
		t.Errorf("files beside the input = %q, want %q", got, want)
	}
}
