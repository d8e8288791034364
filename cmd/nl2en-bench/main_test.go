package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestMain lets the test binary be the measuring wrapper, as the bench
// binary is, when TestBench measures the nl2en binary through it.
func TestMain(m *testing.M) {
	maybeMeasure()
	os.Exit(m.Run())
}

// TestBench runs a small bench end to end through run, as CI would with
// -json: every article gets both outputs, the fake model's English passes
// every check (so the figures hold no repair requests a good model would
// not cause), and neither re-run sends a request. Timing is not checked:
// it depends on the machine.
func TestBench(t *testing.T) {
	dir := t.TempDir()
	var stdout, stderr bytes.Buffer
	args := []string{
		"-articles", "10", "-dir", dir, "-json",
		"-rpm", "100000", "-tpm", "100000000", "-latency", "1ms", "-per-token", "0", "-scale", "1",
		"-sample", "../../samples/bachmoet.txt", "-sample-latency", "1ms", "-sample-per-token", "0",
		"-folder", "2", "-throughput", "6", "-throughput-runs", "2",
	}
	if code := run(context.Background(), args, &stdout, &stderr); code != exitOK {
		t.Fatalf("exit code %d, want %d; stderr:\n%s", code, exitOK, stderr.String())
	}
	var res result
	if err := json.Unmarshal(stdout.Bytes(), &res); err != nil {
		t.Fatalf("stdout is not the JSON result: %v\n%s", err, stdout.String())
	}

	if got, want := res.First.Report.Done, 10; got != want {
		t.Errorf("first run: %d articles done, want %d", got, want)
	}
	if res.First.OK == 0 || res.First.Server["translate"] == 0 || res.First.Server["summary"] == 0 {
		t.Errorf("first run: requests by kind %v: want translations and summaries", res.First.Server)
	}
	if got := res.First.Server["repair"]; got != 0 {
		t.Errorf("first run: %d repair requests, want 0: the fake model's English should pass the checks", got)
	}
	if got := res.First.Warnings; got != 0 {
		t.Errorf("first run: %d warnings, want 0", got)
	}
	if got := res.Rerun.Sent; got != 0 {
		t.Errorf("re-run: %d requests, want 0", got)
	}
	if got, want := res.Rerun.Report.Skipped, 10; got != want {
		t.Errorf("re-run: %d articles skipped, want %d", got, want)
	}
	if p := res.Process; p == nil || p.BinaryBytes == 0 || p.InspectCPU <= 0 || p.Sample.Requests < 2 ||
		p.Sample.PromptPerSource <= 0 || p.FolderPromptPerSource <= 0 || p.Throughput.Articles != 6 || p.Throughput.Runs != 2 || p.Throughput.CPUPerArticle <= 0 {
		t.Errorf("process figures %+v: want every one measured", p)
	}
	if got := res.Forced.Sent; got != 0 {
		t.Errorf("forced re-run: %d requests, want 0", got)
	}
	if got, want := res.Forced.CachedSegments, res.Workload.ToTranslate; got != want {
		t.Errorf("forced re-run: %d segments from the cache, want all %d", got, want)
	}

	arts, err := filepath.Glob(filepath.Join(dir, "articles", "artikel-*"))
	if err != nil || len(arts) != 10 {
		t.Fatalf("found %d articles (%v), want 10", len(arts), err)
	}
	for _, a := range arts {
		base := strings.TrimSuffix(filepath.Base(a), filepath.Ext(a))
		for _, ext := range []string{".en.md", ".en.json"} {
			if _, err := os.Stat(filepath.Join(dir, "english", base+ext)); err != nil {
				t.Errorf("output of %s: %v", filepath.Base(a), err)
			}
		}
	}
	for _, c := range res.Targets {
		if !c.OK && !c.Figure { // figures depend on the machine and workload: the bench reports them
			t.Errorf("target %s: got %s, want %s", c.Name, c.Got, c.Want)
		}
	}
}

// TestArticlesRepeat guards the promise of -seed: the same seed writes the
// same bytes, and article i does not depend on how many are written.
func TestArticlesRepeat(t *testing.T) {
	read := func(paths []string) []string {
		t.Helper()
		var out []string
		for _, p := range paths {
			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, string(b))
		}
		return out
	}
	write := func(n int, seed uint64) []string {
		t.Helper()
		dir := t.TempDir()
		paths, err := writeArticles(dir, n, seed)
		if err != nil {
			t.Fatal(err)
		}
		return read(paths)
	}
	a, b, c := write(5, 7), write(3, 7), write(5, 8)
	for i := range b {
		if a[i] != b[i] {
			t.Errorf("article %d differs between two runs with seed 7", i+1)
		}
	}
	if a[0] == c[0] {
		t.Error("seeds 7 and 8 wrote the same first article")
	}
	for i, text := range a {
		if n := strings.Count(text, "\n\n") + 1; n < 4 {
			t.Errorf("article %d has %d blocks, want a title and at least 3 paragraphs", i+1, n)
		}
	}
}

func TestIdealTime(t *testing.T) {
	cfg := config{RPM: 60, TPM: 6000, Scale: 1, Concurrency: 2}
	tests := []struct {
		name    string
		cfg     config
		ph      phase
		want    float64
		binding string
	}{
		{"requests", cfg, phase{OK: 120, RateTokens: 6000}, 120, "requests (RPM)"},
		{"tokens", cfg, phase{OK: 60, RateTokens: 18000}, 180, "tokens (TPM)"},
		{"latency", config{RPM: 60, TPM: 6000, Scale: 1, Concurrency: 2, Latency: 10e9}, phase{OK: 60, RateTokens: 6000}, 300, "latency (concurrency)"},
		{"scaled", config{RPM: 60, TPM: 6000, Scale: 10, Concurrency: 2}, phase{OK: 120}, 12, "requests (RPM)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := idealTime(tt.cfg, tt.ph)
			if diff := got.Ideal - tt.want; diff > 1e-9 || diff < -1e-9 || got.Binding != tt.binding {
				t.Errorf("got %.3fs bound by %s, want %.3fs bound by %s", got.Ideal, got.Binding, tt.want, tt.binding)
			}
		})
	}
}

func TestSchedulerTokens(t *testing.T) {
	tests := []struct {
		ph   phase
		want string
	}{
		{phase{Scheduler: schedStats{EstimatedTokens: 148_500}, RateTokens: 150_000},
			"148,500 admitted (nl2en's count of prompt + max_tokens); the server counted 150,000, so nl2en counts 0.99 of it"},
		{phase{}, "0 admitted (nl2en's count of prompt + max_tokens); the server counted 0"},
	}
	for _, tt := range tests {
		if got := schedulerTokens(tt.ph); got != tt.want {
			t.Errorf("got %q\nwant %q", got, tt.want)
		}
	}
}

func TestFlags(t *testing.T) {
	tests := []struct {
		args []string
		want int
	}{
		{[]string{"-articles", "0"}, exitUsage},
		{[]string{"-rpm", "0"}, exitUsage},
		{[]string{"-scale", "0"}, exitUsage},
		{[]string{"-throughput", "0"}, exitUsage},
		{[]string{"-throughput-runs", "0"}, exitUsage},
		{[]string{"-folder", "0"}, exitUsage},
		{[]string{"-nope"}, exitUsage},
		{[]string{"extra"}, exitUsage},
		{[]string{"-h"}, exitOK},
	}
	for _, tt := range tests {
		var stdout, stderr bytes.Buffer
		if got := run(context.Background(), tt.args, &stdout, &stderr); got != tt.want {
			t.Errorf("run %q: exit code %d, want %d; stderr: %s", tt.args, got, tt.want, stderr.String())
		}
	}
}
