package main

// Tests of the contract every path keeps (translate on files, stdin and
// folders; batch submit, run, collect and status): what --dry-run sends
// and writes, when report.json and runs.jsonl are written, --max-cost,
// the settings a batch carries, and the lock.

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gofrs/flock"

	"github.com/nl2en/nl2en/pipeline/job"
	"github.com/nl2en/nl2en/pipeline/openaitest"
	"github.com/nl2en/nl2en/pipeline/runner"
)

// posts counts the POST requests srv received after the first n: the
// requests that create or cost something.
func posts(srv *openaitest.Server, n int) int {
	c := 0
	for _, r := range srv.Requests()[n:] {
		if r.Method == http.MethodPost || r.Method == http.MethodDelete {
			c++
		}
	}
	return c
}

// submitted submits the folder in for the output folder out, and returns
// the arguments the batch commands take for the server.
func submitted(t *testing.T, srv *openaitest.Server, in, out string, extra ...string) {
	t.Helper()
	r := runCLI(t, nil, append(append([]string{"batch", "submit", in, "--out", out}, apiArgs(srv)...), extra...)...)
	if r.code != 0 {
		t.Fatalf("submit: exit %d\n%s", r.code, r.stderr)
	}
}

// TestDryRunEveryCommand guards --dry-run on every path: no request that
// creates or costs anything (read-only GETs are allowed), no file
// written, not even the output folder made; the plan on stdout, and with
// --report FILE in FILE alone.
func TestDryRunEveryCommand(t *testing.T) {
	srv := sampleServer(t)
	dir := sampleFolder(t, 2)
	one := filepath.Join(dir, "artikel-a.txt")
	sample, err := os.ReadFile(one)
	if err != nil {
		t.Fatal(err)
	}
	// A folder with batches in flight, for the commands that read one.
	inFlight := t.TempDir()
	submitted(t, srv, dir, inFlight)
	for _, finish := range []bool{false, true} {
		if finish {
			srv.FinishBatches()
		}
		before := snapshot(t, inFlight)
		for _, tt := range []struct {
			name  string
			stdin []byte
			args  []string
			plan  string // on stdout
		}{
			{"translate a file", nil, []string{"translate", one}, "dry run: 1 article to translate"},
			{"translate stdin", sample, []string{"translate", "-"}, "dry run: 1 article to translate"},
			{"translate a folder", nil, []string{"translate", dir}, "dry run: 2 articles to translate"},
			{"batch submit", nil, []string{"batch", "submit", dir}, "dry run: 2 articles to submit"},
			{"batch run", nil, []string{"batch", "run", dir}, "dry run: 2 articles to submit"},
		} {
			t.Run(tt.name, func(t *testing.T) {
				out := filepath.Join(t.TempDir(), "english")
				report := filepath.Join(t.TempDir(), "plans", "plan.json")
				for _, withReport := range []bool{false, true} {
					n := len(srv.Requests())
					args := append(append(slices.Clone(tt.args), "--dry-run", "--out", out), apiArgs(srv)...)
					if withReport {
						args = append(args, "--report", report)
					}
					var stdin *bytes.Reader
					if tt.stdin != nil {
						stdin = bytes.NewReader(tt.stdin)
					}
					var r result
					if stdin != nil {
						r = runCLI(t, stdin, args...)
					} else {
						r = runCLI(t, nil, args...)
					}
					if r.code != 0 || !strings.Contains(r.stdout, tt.plan) {
						t.Errorf("exit %d, stdout %q, want 0 and %q\n%s", r.code, r.stdout, tt.plan, r.stderr)
					}
					if p := posts(srv, n); p != 0 {
						t.Errorf("a dry run sent %d requests that create or cost something", p)
					}
					if _, err := os.Stat(out); !errors.Is(err, fs.ErrNotExist) {
						t.Errorf("a dry run made the output folder: %v", err)
					}
					if got := filesUnder(t, dir); len(got) != 2 {
						t.Errorf("a dry run wrote beside the inputs: %q", got)
					}
					if _, err := os.Stat(report); withReport != (err == nil) {
						t.Errorf("with --report %v, the plan file: %v", withReport, err)
					}
				}
			})
		}
		for _, cmd := range []string{"collect", "status", "run"} {
			n := len(srv.Requests())
			args := append([]string{"batch", cmd, "--dry-run"}, apiArgs(srv)...)
			if cmd == "run" {
				args = append(args, dir, "--out", inFlight)
			} else {
				args = append(args, inFlight)
			}
			r := runCLI(t, nil, args...)
			if r.code != 0 {
				t.Errorf("batch %s --dry-run (batches finished %v): exit %d\n%s", cmd, finish, r.code, r.stderr)
			}
			if p := posts(srv, n); p != 0 {
				t.Errorf("batch %s --dry-run sent %d requests that create or cost something", cmd, p)
			}
			after := snapshot(t, inFlight)
			for name, b := range before {
				if !bytes.Equal(after[name], b) {
					t.Errorf("batch %s --dry-run changed %s", cmd, name)
				}
			}
			if len(after) != len(before) {
				t.Errorf("batch %s --dry-run wrote files: %d before, %d after", cmd, len(before), len(after))
			}
			if cmd == "collect" && finish && !strings.Contains(r.stdout, "dry run: 2 articles to collect") {
				t.Errorf("batch collect --dry-run printed %q, want the plan", r.stdout)
			}
		}
	}
}

// TestNoOpRunsLeaveTheRecord guards report.json and runs.jsonl: written by
// a run that did something, and left as they were by one that exits 0
// having done nothing: everything up to date, the lock held, nothing to
// collect, nothing new to submit.
func TestNoOpRunsLeaveTheRecord(t *testing.T) {
	srv := sampleServer(t)
	dir := sampleFolder(t, 2)
	out := t.TempDir()
	if r := runCLI(t, nil, append([]string{"translate", dir, "--out", out}, apiArgs(srv)...)...); r.code != 0 {
		t.Fatalf("first run: exit %d\n%s", r.code, r.stderr)
	}
	record := func() (string, string) {
		return mustRead(t, filepath.Join(out, "report.json")), mustRead(t, filepath.Join(out, "runs.jsonl"))
	}
	report, runs := record()
	if strings.Count(runs, "\n") != 1 {
		t.Fatalf("runs.jsonl after one run:\n%s", runs)
	}
	batch := t.TempDir()
	submitted(t, srv, dir, batch)
	batchReport := mustRead(t, filepath.Join(batch, "report.json"))

	steps := []struct {
		name string
		args []string
		hold bool
		dir  string
	}{
		{"up to date", []string{"translate", dir, "--out", out}, false, out},
		{"lock held", []string{"translate", dir, "--out", out, "--force"}, true, out},
		{"nothing to collect", []string{"batch", "collect", batch}, false, batch},
		{"nothing new to submit", []string{"batch", "submit", dir, "--out", batch}, false, batch},
		{"batch run with nothing to do", []string{"batch", "run", dir, "--out", batch}, false, batch},
	}
	for _, st := range steps {
		if st.hold {
			holdLock(t, out, time.Now())
		}
		n := len(srv.Requests())
		r := runCLI(t, nil, append(st.args, apiArgs(srv)...)...)
		if r.code != 0 {
			t.Errorf("%s: exit %d\n%s", st.name, r.code, r.stderr)
		}
		if p := posts(srv, n); p != 0 {
			t.Errorf("%s: %d requests that create or cost something", st.name, p)
		}
		if st.dir == out {
			if rep, h := record(); rep != report || h != runs {
				t.Errorf("%s: a run that did nothing rewrote the report or the history", st.name)
			}
		} else if got := mustRead(t, filepath.Join(batch, "report.json")); got != batchReport || strings.Count(mustRead(t, filepath.Join(batch, "runs.jsonl")), "\n") != 1 {
			t.Errorf("%s: a run that did nothing rewrote the report or the history of the batch folder", st.name)
		}
	}
}

// TestRunsHistory guards the lines of runs.jsonl: one per run that did
// something, whole, with the schema version, the command, its flags (a
// key redacted), the counts and the exit code.
func TestRunsHistory(t *testing.T) {
	srv := sampleServer(t)
	dir := sampleFolder(t, 1)
	writeFileAt(t, filepath.Join(dir, "empty.txt"), "")
	out := t.TempDir()
	r := runCLI(t, nil, append([]string{"translate", dir, "--out", out, "--format", "md,json", "--base-url", "http://user:secret@" + strings.TrimPrefix(srv.BaseURL(), "http://")}, apiArgs(srv)[2:]...)...)
	if r.code != 1 {
		t.Fatalf("exit %d, want 1 (an empty file)\n%s", r.code, r.stderr)
	}
	raw := mustRead(t, filepath.Join(out, "runs.jsonl"))
	if strings.Contains(raw, testKey) || strings.Contains(raw, "secret") {
		t.Errorf("runs.jsonl holds the key or the base URL's password:\n%s", raw)
	}
	var line job.RunLine
	if err := json.Unmarshal([]byte(raw), &line); err != nil {
		t.Fatalf("runs.jsonl is not one JSON line: %v\n%s", err, raw)
	}
	want := runner.Counts{Found: 2, Done: 1, Failed: 1}
	if line.SchemaVersion != 1 || line.Command != "translate" || line.ExitCode != 1 || line.Articles != want ||
		line.Flags["api-key"] != "[redacted]" || line.Flags["format"] != "md,json" || !slices.Equal(line.Args, []string{dir}) ||
		line.Requests.Live == 0 || line.Tokens.Prompt == 0 || line.CostUSD == nil || line.Started.IsZero() {
		t.Errorf("runs.jsonl line %+v", line)
	}
}

// TestLockLinkRefused guards the run lock against a link planted in its
// place: the run is refused with one line, and the file the link leads
// to is neither written into nor emptied.
func TestLockLinkRefused(t *testing.T) {
	srv := sampleServer(t)
	dir := sampleFolder(t, 1)
	out := t.TempDir()
	target := filepath.Join(t.TempDir(), "crontab")
	writeFileAt(t, target, "15 2 * * * important\n")
	if err := os.Symlink(target, filepath.Join(out, ".nl2en.lock")); err != nil {
		t.Skip(err)
	}
	for _, args := range [][]string{{"translate", dir, "--out", out}, {"batch", "submit", dir, "--out", out}} {
		r := runCLI(t, nil, append(args, apiArgs(srv)...)...)
		if r.code != 1 || len(linesWith(r.stderr, "is a link")) != 1 {
			t.Errorf("%s: exit %d, stderr %q; want 1 and a line saying the lock is a link", args[0], r.code, r.stderr)
		}
		if got := mustRead(t, target); got != "15 2 * * * important\n" {
			t.Errorf("%s: the link's target now holds %q", args[0], got)
		}
	}
	if n := srv.Count(openaitest.KindAny); n != 0 {
		t.Errorf("%d requests sent with the lock refused", n)
	}
}

// TestMaxCost guards --max-cost on the live and the Batch API paths: an
// amount said with the precision it needs, articles left out named, exit
// 1, and on the Batch API path only what fits submitted, at batch prices.
func TestMaxCost(t *testing.T) {
	srv := sampleServer(t)
	dir := sampleFolder(t, 3)
	r := runCLI(t, nil, append([]string{"translate", dir, "--out", t.TempDir(), "--max-cost", "0.004"}, apiArgs(srv)...)...)
	if r.code != 1 || len(linesWith(r.stderr, "--max-cost $0.004 reached")) != 1 {
		t.Errorf("translate --max-cost 0.004: exit %d, stderr:\n%s", r.code, r.stderr)
	}
	out := t.TempDir()
	n := len(srv.Requests())
	r = runCLI(t, nil, append([]string{"batch", "submit", dir, "--out", out, "--max-cost", "0.004"}, apiArgs(srv)...)...)
	if r.code != 1 || len(linesWith(r.stderr, "--max-cost $0.004 reached: 1 article left out")) != 1 || !strings.Contains(r.stderr, "submitted 4 requests for 2 articles") {
		t.Errorf("batch submit --max-cost 0.004: exit %d, stderr:\n%s", r.code, r.stderr)
	}
	st, err := loadState(out)
	if err != nil || len(st.Records) != 1 || st.Records[0].Requests != 4 || posts(srv, n) != 2 {
		t.Errorf("state %+v (%v), %d uploads and creates; want one batch of the two articles that fit", st, err, posts(srv, n))
	}
}

// TestCollectSaysWhyLive guards a collect that must go live: the article
// whose batch request failed says why in one line, and the report counts
// live and batch requests apart.
func TestCollectSaysWhyLive(t *testing.T) {
	srv := sampleServer(t)
	dir := t.TempDir()
	copySample(t, dir)
	out := t.TempDir()
	srv.ScriptBatches(openaitest.CompleteBatch().WithLineFault(customIDOf(t, dir, "summary"), openaitest.HTTPError(500)))
	submitted(t, srv, dir, out)
	srv.FinishBatches()
	r := runCLI(t, nil, append([]string{"batch", "collect", out}, apiArgs(srv)...)...)
	if r.code != 0 {
		t.Fatalf("collect: exit %d\n%s", r.code, r.stderr)
	}
	why := linesWith(r.stderr, "sent 1 request live: the summary: its batch request failed (server_error)")
	if len(why) != 1 {
		t.Errorf("stderr does not say in one line why the article went live:\n%s", r.stderr)
	}
	if !strings.Contains(r.stderr, "(1 through the Batch API, 1 live)") {
		t.Errorf("the summary does not count batch and live requests apart:\n%s", r.stderr)
	}
	rep := readRunReport(t, filepath.Join(out, "report.json"))
	if rep.Total.LiveRequests != 1 || rep.Total.BatchRequests != 1 || len(rep.Live) != 1 || !strings.Contains(rep.Live[0].Reason, "server_error") {
		t.Errorf("report total %+v, live %+v", rep.Total, rep.Live)
	}
}

// customIDOf is the custom id of a request of the one article in dir.
func customIDOf(t *testing.T, dir, request string) string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil || len(ents) != 1 {
		t.Fatalf("%s holds %d files (%v), want one article", dir, len(ents), err)
	}
	data := mustRead(t, filepath.Join(dir, ents[0].Name()))
	return digestOf(data)[:16] + "|" + filepath.Clean(dir) + "|" + ents[0].Name() + "|" + request
}

// TestCollectSettings guards the settings a batch carries: collect uses
// those of the submit, refuses another value of one that shaped the
// requests (exit 2, naming the flag), and takes another --format with a
// line saying so.
func TestCollectSettings(t *testing.T) {
	srv := sampleServer(t)
	dir := t.TempDir()
	copySample(t, dir)
	out := t.TempDir()
	submitted(t, srv, dir, out, "--format", "md,json,html,bilingual")
	writeFileAt(t, filepath.Join(dir, "other.txt"), folderArticle("other.txt", "rode"))
	r := runCLI(t, nil, append([]string{"batch", "submit", dir, "--out", out, "--token-budget", "600"}, apiArgs(srv)...)...)
	if r.code != 2 || !strings.Contains(r.stderr, "--token-budget") || !strings.Contains(r.stderr, "nl2en batch collect") {
		t.Errorf("submit with another token budget while batches are in flight: exit %d, stderr %q; want 2 naming the flag and collect", r.code, r.stderr)
	}
	os.Remove(filepath.Join(dir, "other.txt"))
	srv.FinishBatches()
	r = runCLI(t, nil, append([]string{"batch", "collect", out, "--model", "gpt-4o-mini"}, apiArgs(srv)...)...)
	if r.code != 2 || !strings.Contains(r.stderr, "--model") || !strings.Contains(r.stderr, "gpt-4.1-mini") {
		t.Errorf("collect with another model: exit %d, stderr %q; want 2 naming --model and the model submitted", r.code, r.stderr)
	}
	r = runCLI(t, nil, append([]string{"batch", "collect", out, "--format", "json"}, apiArgs(srv)...)...)
	if r.code != 0 || len(linesWith(r.stderr, "writing json, not the md,json,html,bilingual the batches were submitted with")) != 1 {
		t.Errorf("collect with another format: exit %d, stderr:\n%s", r.code, r.stderr)
	}
	if got := filesUnder(t, out); !slices.Contains(got, "bachmoet.en.json") || slices.Contains(got, "bachmoet.en.md") {
		t.Errorf("files %q, want the JSON alone", got)
	}
}

func digestOf(data string) string {
	sum := sha256.Sum256([]byte(data))
	return hex.EncodeToString(sum[:])
}

// TestQuietLockHeldWithoutDetails guards cron's view of a lock another
// program holds without saying who (flock(1) writes nothing into it):
// under --quiet nothing is said while it has been held for less than an
// hour, as far as nl2en has seen, and one line once it has been held
// longer without a break.
func TestQuietLockHeldWithoutDetails(t *testing.T) {
	srv := sampleServer(t)
	dir := sampleFolder(t, 1)
	out := t.TempDir()
	other := flock.New(filepath.Join(out, ".nl2en.lock"))
	if ok, err := other.TryLock(); !ok || err != nil {
		t.Fatalf("take the lock: %v, %v", ok, err)
	}
	defer other.Unlock()
	args := append([]string{"translate", dir, "--out", out, "--quiet"}, apiArgs(srv)...)
	if r := runCron(t, args...); r.code != 0 || r.stderr != "" {
		t.Errorf("first found held: exit %d, stderr %q; want 0 and nothing", r.code, r.stderr)
	}
	// The first run noted when it found the lock held; say that was two
	// hours ago.
	note := filepath.Join(out, ".nl2en.lock-seen")
	writeFileAt(t, note, time.Now().Add(-2*time.Hour).UTC().Format(time.RFC3339)+"\n")
	r := runCron(t, args...)
	if lines := linesWith(r.stderr, "for 2h0m now at least"); r.code != 0 || len(lines) != 1 || !strings.Contains(lines[0], "another nl2en run or tool holds the lock") {
		t.Errorf("held for two hours: exit %d, stderr %q; want one line saying for how long", r.code, r.stderr)
	}
	if n := srv.Count(openaitest.KindAny); n != 0 {
		t.Errorf("%d requests while the lock was held", n)
	}
	other.Unlock()
	if r := runCron(t, args...); r.code != 0 {
		t.Fatalf("with the lock free: exit %d\n%s", r.code, r.stderr)
	}
	if _, err := os.Stat(note); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the run that took the lock left the note of when it was first found held: %v", err)
	}
}

// TestSubmitFromCache guards an article the segment cache holds whole:
// it needs no request, so batch submit writes it at once instead of
// counting it submitted with no request, run after run.
func TestSubmitFromCache(t *testing.T) {
	srv := sampleServer(t)
	dir := t.TempDir()
	copySample(t, dir)
	cache := t.TempDir()
	if r := runCLI(t, nil, translateArgs(srv, cache, "--out", t.TempDir(), dir)...); r.code != 0 {
		t.Fatalf("translate: exit %d\n%s", r.code, r.stderr)
	}
	out := t.TempDir()
	n := len(srv.Requests())
	args := []string{"batch", "submit", dir, "--out", out, "--base-url", srv.BaseURL(), "--api-key", testKey, "--cache-dir", cache}
	r := runCLI(t, nil, args...)
	if r.code != 0 || !strings.Contains(r.stderr, "nothing new to submit (1 written from the segment cache)") {
		t.Errorf("submit: exit %d\n%s", r.code, r.stderr)
	}
	if p := posts(srv, n); p != 0 {
		t.Errorf("%d requests for an article the cache holds", p)
	}
	readDoc(t, filepath.Join(out, "bachmoet.en.json"))
	if r := runCLI(t, nil, args...); r.code != 0 || !strings.Contains(r.stderr, "nothing new to submit (1 up to date)") {
		t.Errorf("second submit: exit %d\n%s", r.code, r.stderr)
	}
}

// TestCollectMaxCost guards --max-cost at collect: it covers the live
// requests a collect would send; an article whose would pass it is not
// started, and its batch waits for the next collect, which may pay.
func TestCollectMaxCost(t *testing.T) {
	srv := sampleServer(t)
	dir := t.TempDir()
	copySample(t, dir)
	out := t.TempDir()
	srv.ScriptBatches(openaitest.CompleteBatch().WithLineFault(customIDOf(t, dir, "summary"), openaitest.HTTPError(500)))
	submitted(t, srv, dir, out)
	srv.FinishBatches()
	n := len(srv.Requests())
	r := runCLI(t, nil, append([]string{"batch", "collect", out, "--max-cost", "0.00001"}, apiArgs(srv)...)...)
	if r.code != 1 || len(linesWith(r.stderr, "--max-cost $0.00001 reached: 1 article not collected")) != 1 {
		t.Errorf("collect under a cap below the live summary: exit %d\n%s", r.code, r.stderr)
	}
	if p := posts(srv, n); p != 0 {
		t.Errorf("%d requests sent past the cap", p)
	}
	if st, _ := loadState(out); st == nil || st.Records[0].Collected {
		t.Error("the batch was collected with its article not written")
	}
	r = runCLI(t, nil, append([]string{"batch", "collect", out}, apiArgs(srv)...)...)
	if r.code != 0 {
		t.Fatalf("collect without the cap: exit %d\n%s", r.code, r.stderr)
	}
	readDoc(t, filepath.Join(out, "bachmoet.en.json"))
}
