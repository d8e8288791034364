package main

// Tests of "nl2en translate DIR…" that need Go-level control: the run
// lock held by another run, and concurrent writes to stderr. Walking
// folders, bad files, outputs beside the inputs or kept in --out, a run
// stopped by a rejected key and stdin among the folder flags are
// testdata/script/folder_runs.txtar; incremental runs and the segment
// cache are incremental.txtar and segment_cache.txtar.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
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

func countKind(reqs []openaitest.Request, kind string) int {
	n := 0
	for _, r := range reqs {
		if r.Kind == kind {
			n++
		}
	}
	return n
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
