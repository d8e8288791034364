package main

// Tests of the cases issue 13 found by running nl2en as cron and a new
// user would: a report that adds up, a key that never travels back out,
// names that cannot forge lines, fail-fast outputs, cancellation of every
// wait, a lock held too long, stale and orphaned outputs.

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gofrs/flock"

	"github.com/nl2en/nl2en/pipeline/openaitest"
)

// TestReportCountsWhatTheServerSaw guards that the report counts every
// request the server answered, retries and unusable replies included,
// with the retries beside them.
func TestReportCountsWhatTheServerSaw(t *testing.T) {
	srv := sampleServer(t)
	srv.Script(openaitest.KindTranslate, openaitest.HTTPError(500), openaitest.TruncatedBody(), openaitest.MissingSegment("s2"))
	root := writeArticles(t, t.TempDir(), "a.txt", "b.txt")
	out := t.TempDir()
	r := runCron(t, translateArgs(srv, "", "--out", out, "--concurrency", "1", "--max-retries", "3", root)...)
	if r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	rep := readRunReport(t, filepath.Join(out, "report.json"))
	if got, want := rep.Total.Requests, srv.Count(openaitest.KindAny); got != want {
		t.Errorf("report total requests = %d, the server answered %d", got, want)
	}
	if rep.Total.Retries != 2 {
		t.Errorf("report total retries = %d, want 2 (the 500 and the cut-off body)", rep.Total.Retries)
	}
	parsed := 0
	for _, u := range rep.Usage {
		parsed += u.Requests
	}
	if parsed >= rep.Total.Requests {
		t.Errorf("the replies that parsed (%d) are not fewer than the requests answered (%d): the test saw no retry", parsed, rep.Total.Requests)
	}
	if want := fmt.Sprintf("; %d requests (2 retries)", rep.Total.Requests); len(linesWith(r.stderr, want)) != 1 {
		t.Errorf("stderr summary lacks %q:\n%s", want, r.stderr)
	}
}

// TestKeyNeverTravelsBackOut guards that a server echoing the key in its
// 401 body gets it neither onto stderr nor into report.json.
func TestKeyNeverTravelsBackOut(t *testing.T) {
	root := writeArticles(t, t.TempDir(), "a.txt", "b.txt")
	out := t.TempDir()
	for _, format := range []string{"text", "json"} {
		srv := sampleServer(t)
		srv.Script(openaitest.KindAny, openaitest.KeyEchoed(), openaitest.KeyEchoed(), openaitest.KeyEchoed(), openaitest.KeyEchoed())
		r := runCron(t, translateArgs(srv, "", "--out", out, "--log-format", format, "--verbose", root)...)
		if r.code != 1 || !strings.Contains(r.stderr, "rejected the API key") {
			t.Fatalf("%s: exit %d, want 1 for the 401\n%s", format, r.code, r.stderr)
		}
		report, err := os.ReadFile(filepath.Join(out, "report.json"))
		if err != nil {
			t.Fatal(err)
		}
		for name, text := range map[string]string{"stderr": r.stderr, "report.json": string(report)} {
			if strings.Contains(text, testKey) || strings.Contains(text, testKey[8:]) {
				t.Errorf("%s: the key is in %s:\n%s", format, name, text)
			}
		}
		if !strings.Contains(string(report), "redacted API key") {
			t.Errorf("%s: report.json does not show where the key was removed:\n%s", format, report)
		}
	}
}

// TestNewlineInFileName guards that a file named to forge a summary line
// cannot: its name is quoted wherever a line names it.
func TestNewlineInFileName(t *testing.T) {
	srv := sampleServer(t)
	root := writeArticles(t, t.TempDir(), "good.txt")
	writeFileAt(t, filepath.Join(root, "evil\nnl2en: 0 done, 0 skipped, 0 failed.txt"), "")
	for _, quiet := range []bool{false, true} {
		args := translateArgs(srv, "", "--out", t.TempDir(), root)
		if quiet {
			args = append(args, "--quiet")
		}
		r := runCron(t, args...)
		if r.code != 1 {
			t.Errorf("exit %d, want 1 (the empty file failed)", r.code)
		}
		for _, line := range strings.Split(r.stderr, "\n") {
			if strings.HasPrefix(line, "nl2en: 0 done") || strings.HasPrefix(line, "0 skipped") {
				t.Errorf("quiet %v: a forged line on stderr: %q\n%s", quiet, line, r.stderr)
			}
		}
		if lines := linesWith(r.stderr, `evil\nnl2en: 0 done`); len(lines) == 0 {
			t.Errorf("quiet %v: no line names the file quoted:\n%s", quiet, r.stderr)
		}
	}
}

// TestUnwritableOut guards that an output folder that cannot be written
// is found before the first request is paid for.
func TestUnwritableOut(t *testing.T) {
	srv := sampleServer(t)
	root := writeArticles(t, t.TempDir(), "a.txt", "b.txt")
	file := filepath.Join(t.TempDir(), "english")
	writeFileAt(t, file, "a file where the folder should be")
	r := runCron(t, translateArgs(srv, "", "--out", filepath.Join(file, "2024"), root)...)
	if r.code != 1 {
		t.Errorf("exit %d, want 1", r.code)
	}
	if lines := strings.Split(strings.TrimSpace(r.stderr), "\n"); len(lines) != 1 || !strings.Contains(lines[0], "output folder") || !strings.Contains(lines[0], "--out") {
		t.Errorf("stderr = %q, want one line about the output folder naming --out", lines)
	}
	if n := srv.Count(openaitest.KindAny); n != 0 {
		t.Errorf("%d requests for outputs that cannot be written, want 0", n)
	}
}

// runAsync runs the command in a goroutine with ctx, stdin and a stderr
// the test can read while it runs.
func runAsync(ctx context.Context, t *testing.T, stdin io.Reader, stderr *syncWriter, args ...string) <-chan int {
	t.Helper()
	done := make(chan int, 1)
	go func() {
		var stdout bytes.Buffer
		done <- run(ctx, append([]string{"nl2en"}, args...), stdin, &stdout, stderr)
	}()
	return done
}

// waitExit waits for the command to end, failing the test if it does not
// within a generous bound (the bound guards against a hang; it measures
// nothing).
func waitExit(t *testing.T, done <-chan int, stderr *syncWriter) int {
	t.Helper()
	select {
	case code := <-done:
		return code
	case <-time.After(20 * time.Second):
		t.Fatalf("the run did not end; stderr:\n%s", stderr.String())
	}
	return 0
}

// TestStdinWaitIsCancelled guards that a run reading a pipe whose writer
// never closes it still ends at SIGINT (exit 130) and at --deadline.
func TestStdinWaitIsCancelled(t *testing.T) {
	srv := sampleServer(t)
	for _, deadline := range []bool{false, true} {
		pr, pw := io.Pipe()
		t.Cleanup(func() { pw.Close() })
		go pw.Write([]byte("Kop van een bericht dat nooit af komt\n\n"))
		ctx, cancel := context.WithCancel(context.Background())
		args := translateArgs(srv, "", "-")
		if deadline {
			args = append(args, "--deadline", "200ms")
		}
		stderr := &syncWriter{}
		done := runAsync(ctx, t, pr, stderr, args...)
		if !deadline {
			cancel()
		}
		code := waitExit(t, done, stderr)
		cancel()
		switch {
		case !deadline && code != exitCanceled:
			t.Errorf("interrupted: exit %d, want 130; stderr:\n%s", code, stderr.String())
		case deadline && (code != exitFailure || !strings.Contains(stderr.String(), "the deadline of 200ms passed")):
			t.Errorf("deadline: exit %d, want 1 naming the deadline; stderr:\n%s", code, stderr.String())
		}
	}
}

// holdLock takes the run lock of dir as another nl2en run would, writing
// in the details of a holder that took it at since.
func holdLock(t *testing.T, dir string, since time.Time) {
	t.Helper()
	path := filepath.Join(dir, ".nl2en.lock")
	lk := flock.New(path)
	if ok, err := lk.TryLock(); err != nil || !ok {
		t.Fatalf("take the lock: %v, %v", ok, err)
	}
	t.Cleanup(func() { lk.Unlock() })
	if err := os.WriteFile(path, []byte(fmt.Sprintf("pid 4242\nhost cronbox\nsince %s\n", since.UTC().Format(time.RFC3339))), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestWaitForLockIsCancelled guards that --wait honours --deadline, which
// starts with the run, not once the lock is taken, and an interrupt.
func TestWaitForLockIsCancelled(t *testing.T) {
	srv := sampleServer(t)
	root := writeArticles(t, t.TempDir(), "a.txt")
	out := t.TempDir()
	holdLock(t, out, time.Now())

	stderr := &syncWriter{}
	done := runAsync(context.Background(), t, nil, stderr, translateArgs(srv, "", "--out", out, "--wait", "--deadline", "300ms", root)...)
	if code := waitExit(t, done, stderr); code != exitFailure || !strings.Contains(stderr.String(), "the deadline of 300ms passed while waiting for the run lock") {
		t.Errorf("--wait --deadline: exit %d, want 1 naming the deadline and the lock; stderr:\n%s", code, stderr.String())
	}

	ctx, cancel := context.WithCancel(context.Background())
	stderr = &syncWriter{want: "waiting for the run lock", seen: make(chan struct{})}
	done = runAsync(ctx, t, nil, stderr, translateArgs(srv, "", "--out", out, "--wait", root)...)
	select {
	case <-stderr.seen:
	case code := <-done:
		t.Fatalf("--wait ended (exit %d) while the lock was held; stderr:\n%s", code, stderr.String())
	}
	cancel()
	if code := waitExit(t, done, stderr); code != exitCanceled {
		t.Errorf("--wait interrupted: exit %d, want 130; stderr:\n%s", code, stderr.String())
	}
	if n := srv.Count(openaitest.KindAny); n != 0 {
		t.Errorf("%d requests while the lock was held", n)
	}
}

// TestQuietLockHeldLong guards that cron hears of a lock held for more
// than an hour (a run that hangs), even under --quiet, and of none held
// briefly.
func TestQuietLockHeldLong(t *testing.T) {
	srv := sampleServer(t)
	root := writeArticles(t, t.TempDir(), "a.txt")
	for _, tt := range []struct {
		name  string
		since time.Duration
		lines int
	}{
		{"held briefly", 5 * time.Minute, 0},
		{"held for hours", 3*time.Hour + 10*time.Minute, 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			out := t.TempDir()
			holdLock(t, out, time.Now().Add(-tt.since))
			r := runCron(t, translateArgs(srv, "", "--quiet", "--out", out, root)...)
			if r.code != 0 {
				t.Errorf("exit %d, want 0", r.code)
			}
			lines := slices.DeleteFunc(strings.Split(r.stderr, "\n"), func(s string) bool { return s == "" })
			if len(lines) != tt.lines {
				t.Fatalf("stderr = %q, want %d lines", lines, tt.lines)
			}
			if tt.lines == 1 && (!strings.Contains(lines[0], "pid 4242 on cronbox") || !strings.Contains(lines[0], "3h10m")) {
				t.Errorf("stderr = %q, want who holds the lock and for how long", lines[0])
			}
		})
	}
}

// TestStaleAndOrphanedOutputs guards the two upgrades of an archive: a
// change of settings keeps the outputs of unchanged sources (the dry run
// and the run say how many, and --redo-stale redoes them), and outputs
// whose source is gone are listed, and removed with --prune alone.
func TestStaleAndOrphanedOutputs(t *testing.T) {
	srv := sampleServer(t)
	root := writeArticles(t, t.TempDir(), "a.txt", "b.txt", "c.txt")
	out := t.TempDir()
	if r := runCron(t, translateArgs(srv, "", "--out", out, root)...); r.code != 0 {
		t.Fatalf("first run: exit %d\n%s", r.code, r.stderr)
	}
	sent := srv.Count(openaitest.KindAny)

	r := runCLI(t, nil, translateArgs(srv, "", "--out", out, "--model", "gpt-4o-mini", "--dry-run", root)...)
	if r.code != 0 || !strings.Contains(r.stdout, "\n3 outputs were made with other settings") || !strings.Contains(r.stdout, "--redo-stale redoes them") {
		t.Errorf("dry run: exit %d, stdout lacks the stale outputs:\n%s", r.code, r.stdout)
	}
	r = runCron(t, translateArgs(srv, "", "--out", out, "--model", "gpt-4o-mini", root)...)
	if r.code != 0 || len(linesWith(r.stderr, "3 outputs were made with other settings")) != 1 || srv.Count(openaitest.KindAny) != sent {
		t.Errorf("other model: exit %d, %d requests; want 0 and the stale outputs said:\n%s", r.code, srv.Count(openaitest.KindAny)-sent, r.stderr)
	}
	if doc := readDoc(t, filepath.Join(out, "a.en.json")); doc.Model != "gpt-4.1-mini" {
		t.Errorf("a.en.json made with %s, want the old output kept", doc.Model)
	}
	r = runCron(t, translateArgs(srv, "", "--out", out, "--model", "gpt-4o-mini", "--redo-stale", root)...)
	if doc := readDoc(t, filepath.Join(out, "a.en.json")); r.code != 0 || doc.Model != "gpt-4o-mini" {
		t.Errorf("--redo-stale: exit %d, a.en.json made with %s; want it redone", r.code, doc.Model)
	}

	os.Remove(filepath.Join(root, "b.txt"))
	args := translateArgs(srv, "", "--out", out, "--model", "gpt-4o-mini", root)
	r = runCron(t, args...)
	if r.code != 0 || len(linesWith(r.stderr, "2 outputs whose source is gone")) != 2 || len(linesWith(r.stderr, "--prune removes them")) != 1 {
		t.Errorf("orphans: exit %d, want the summary and a line naming --prune:\n%s", r.code, r.stderr)
	}
	rep := readRunReport(t, filepath.Join(out, "report.json"))
	if len(rep.Orphans) != 2 || len(rep.Pruned) != 0 {
		t.Errorf("report orphans %q, pruned %q; want b's two outputs listed, none removed", rep.Orphans, rep.Pruned)
	}
	if _, err := os.Stat(filepath.Join(out, "b.en.md")); err != nil {
		t.Errorf("an orphan was removed without --prune: %v", err)
	}
	r = runCron(t, append(args, "--prune")...)
	if _, err := os.Stat(filepath.Join(out, "b.en.md")); r.code != 0 || err == nil {
		t.Errorf("--prune: exit %d, b.en.md still there (%v)", r.code, err)
	}
	if rep := readRunReport(t, filepath.Join(out, "report.json")); len(rep.Pruned) != 2 || len(rep.Orphans) != 0 {
		t.Errorf("--prune: report orphans %q, pruned %q; want both pruned", rep.Orphans, rep.Pruned)
	}
	if got, want := filesUnder(t, out), []string{"a.en.json", "a.en.md", "c.en.json", "c.en.md", "index.html", "index.jsonl", "report.json", "runs.jsonl"}; !slices.Equal(got, want) {
		t.Errorf("after --prune, files = %q, want %q", got, want)
	}
}
