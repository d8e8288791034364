package main

// Tests of the cases issue 13 found by running nl2en as cron and a new
// user would, where a test needs Go-level control: a report that adds up
// under faults cut mid-reply, cancellation of every wait, a lock held by
// another run. The rest (a key that never travels back out, names that
// cannot forge lines, fail-fast outputs, stale and orphaned outputs) is
// testdata/script/cron_and_archives.txtar.

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
