package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/nl2en/nl2en/pipeline/runner"
)

// sampleFolder writes n variants of the sample article into a folder.
func sampleFolder(t *testing.T, n int) string {
	t.Helper()
	data, err := os.ReadFile("../../samples/bachmoet.txt")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for i := range n {
		// A different first line makes each a different article.
		variant := strings.Replace(string(data), "een half jaar", strings.Repeat("bijna ", i+1)+"een half jaar", 1)
		if err := os.WriteFile(filepath.Join(dir, "artikel-"+string(rune('a'+i))+".txt"), []byte(variant), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestDryRunSendsNothing(t *testing.T) {
	srv := sampleServer(t)
	dir := sampleFolder(t, 3)
	r := runCLI(t, nil, append(append([]string{"translate", "--dry-run"}, apiArgs(srv)...), dir)...)
	if r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	if n := srv.Count(""); n != 0 {
		t.Errorf("a dry run sent %d requests", n)
	}
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if len(lines) != 4 || !strings.HasPrefix(lines[3], "dry run: 3 articles to translate") || !strings.Contains(lines[3], "$") {
		t.Errorf("plan output:\n%s", r.stdout)
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.Contains(e.Name(), ".en.") {
			t.Errorf("a dry run wrote %s", e.Name())
		}
	}
	// An unknown model's cost is unknown, never zero.
	r = runCLI(t, nil, append(append([]string{"translate", "--dry-run", "--model", "llama3.1:8b"}, apiArgs(srv)...), dir)...)
	if !strings.Contains(r.stdout, "estimated cost unknown") || strings.Contains(r.stdout, "$0.0000") {
		t.Errorf("unknown model's plan:\n%s", r.stdout)
	}
}

func TestMaxCostStopsRun(t *testing.T) {
	srv := sampleServer(t)
	dir := sampleFolder(t, 5)
	out := t.TempDir()
	// Prices chosen so one article costs about a cent: the cap admits two.
	args := []string{"translate", "--out", out, "--price-in", "2", "--price-out", "2", "--concurrency", "1"}
	plan := runCLI(t, nil, append(append(append([]string{}, args...), "--dry-run"), append(apiArgs(srv), dir)...)...)
	var per float64
	for _, line := range strings.Split(plan.stdout, "\n") {
		if i := strings.LastIndex(line, "$"); i > 0 && !strings.HasPrefix(line, "dry run") {
			var v float64
			if _, err := fmtSscan(line[i+1:], &v); err == nil && v > per {
				per = v
			}
		}
	}
	if per == 0 {
		t.Fatalf("no estimate in the plan:\n%s", plan.stdout)
	}
	capUSD := 2.5 * per
	r := runCLI(t, nil, append(append(append([]string{}, args...), "--max-cost", ftoa(capUSD)), append(apiArgs(srv), dir)...)...)
	if r.code != 1 {
		t.Fatalf("exit %d, want 1\n%s", r.code, r.stderr)
	}
	if !strings.Contains(r.stderr, "--max-cost") {
		t.Errorf("stderr does not say the cap stopped the run:\n%s", r.stderr)
	}
	b, err := os.ReadFile(filepath.Join(out, "report.json"))
	if err != nil {
		t.Fatal(err)
	}
	var rep runner.Report
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Articles.Done < 1 || rep.Articles.Done > 2 || len(rep.NotStarted) < 3 {
		t.Errorf("articles %+v, not started %v: want 1–2 done and the rest not started", rep.Articles, rep.NotStarted)
	}
	if rep.CostUSD == nil || *rep.CostUSD > capUSD {
		t.Errorf("spent %v, cap %.4f", rep.CostUSD, capUSD)
	}
	// What was finished is kept.
	docs, _ := filepath.Glob(filepath.Join(out, "*.en.json"))
	if len(docs) != rep.Articles.Done {
		t.Errorf("%d outputs for %d articles done", len(docs), rep.Articles.Done)
	}
	for _, d := range docs {
		readDoc(t, d)
	}
}

func fmtSscan(s string, v *float64) (int, error) { return fmt.Sscan(strings.TrimSpace(s), v) }

func ftoa(v float64) string { return strconv.FormatFloat(v, 'f', 6, 64) }
