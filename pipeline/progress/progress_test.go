package progress

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"

	"github.com/nl2en/nl2en/pipeline/runner"
)

// TestLineClearsBar guards that on a terminal a line never shares the
// bar's line: each starts with the bar's line cleared.
func TestLineClearsBar(t *testing.T) {
	var out bytes.Buffer
	c := NewConsole(&out)
	run := c.Start(true, nil, func(a runner.ArticleReport) { c.Say(slog.LevelError, a.Error) })
	run.Found(2)
	run.Finished(runner.ArticleReport{File: "a.txt", Status: runner.StatusDone})
	log, _ := c.Logger("text", false, false, true)
	log.Warn("rate limited")
	run.Finished(runner.ArticleReport{File: "b.txt", Status: runner.StatusFailed, Error: "b.txt: input is empty"})
	run.Done()
	c.Say(slog.LevelInfo, "1 done, 0 skipped, 1 failed")
	for _, want := range []string{"\r\x1b[Ktime=", "\r\x1b[Knl2en: b.txt: input is empty\n"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%q", want, out.String())
		}
	}
	if !strings.HasSuffix(out.String(), "\rnl2en: 1 done, 0 skipped, 1 failed\n") || strings.Contains(out.String(), "\x1b[Knl2en: 1 done") {
		t.Errorf("after the bar is done, a line is written as it is:\n%q", out.String())
	}
}

// TestJSONLines guards that with JSON every line is a JSON object: the
// logger's and the console's own.
func TestJSONLines(t *testing.T) {
	var out bytes.Buffer
	c := NewConsole(&out)
	log, ok := c.Logger("json", false, false, false)
	if !ok {
		t.Fatal("json is a log format")
	}
	log.Info("translating", "file", "a.txt")
	c.Say(slog.LevelError, "a.txt: input is empty")
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("%d lines, want 2:\n%s", len(lines), out.String())
	}
	for _, l := range lines {
		var rec map[string]any
		if err := json.Unmarshal([]byte(l), &rec); err != nil || rec["msg"] == nil || rec["level"] == nil {
			t.Errorf("not a JSON log line: %s", l)
		}
	}
	if _, ok := c.Logger("yaml", false, false, false); ok {
		t.Error("yaml taken for a log format")
	}
}

// TestPlans guards a dry run's line per planned article.
func TestPlans(t *testing.T) {
	var plans bytes.Buffer
	run := NewConsole(&bytes.Buffer{}).Start(false, &plans, nil)
	run.Finished(runner.ArticleReport{File: "a.txt", Status: runner.StatusPlanned, Plan: &runner.Plan{Segments: 1, Translated: 1, Requests: 2}})
	if got, want := plans.String(), "a.txt: 1 segment (1 to translate), 2 requests, ~0 prompt + 0 completion tokens, unknown\n"; got != want {
		t.Errorf("plan line:\n got %q\nwant %q", got, want)
	}
}
