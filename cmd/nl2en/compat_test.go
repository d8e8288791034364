package main

// Tests that this nl2en reads what an older release left on disk as that
// release did: its outputs are up to date (nothing is translated again),
// and its batch state, with a batch in flight, is collected. The files
// under testdata/compat were written by the nl2en of commit 21c94d6; see
// testdata/compat/README.md.

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	openai "github.com/sashabaranov/go-openai"

	"github.com/nl2en/nl2en/pipeline/openaitest"
)

// compatURL and compatKey are the API the fixture's outputs were made
// with: the server is part of their fingerprint. Nothing is sent there.
const (
	compatURL = "http://127.0.0.1:18765/v1"
	compatKey = "sk-test-fixture-0123456789"
)

// copyTree copies the folder src to dst.
func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// snapshot reads every file under dir, by its path relative to dir.
func snapshot(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		files[filepath.ToSlash(rel)] = b
		return nil
	})
	return files
}

// TestCompatOutputsUpToDate: the outputs an older release wrote are kept,
// in all four formats and in the default two: made in schema_version 1
// and with that release's prompts, they are stale (made with other
// settings), never missing, so nothing is sent, and nothing in the output
// folder changes (the run did nothing, so not even its report or index).
func TestCompatOutputsUpToDate(t *testing.T) {
	dir := t.TempDir()
	copyTree(t, filepath.Join("testdata", "compat", "articles"), filepath.Join(dir, "articles"))
	copyTree(t, filepath.Join("testdata", "compat", "english"), filepath.Join(dir, "english"))
	t.Chdir(dir)
	before := snapshot(t, "english")
	for _, formats := range []string{"md,json,html,bilingual", "md,json"} {
		t.Run(formats, func(t *testing.T) {
			r := runCLI(t, nil, "translate", "articles/", "--out", "english/", "--format", formats,
				"--base-url", compatURL, "--api-key", compatKey, "--no-cache", "--max-retries", "0", "--timeout", "2s")
			if r.code != 0 {
				t.Fatalf("exit %d\n%s", r.code, r.stderr)
			}
			if !strings.Contains(r.stderr, "0 done, 3 skipped (made with other settings), 0 failed") {
				t.Errorf("want every article kept as made with other settings, got:\n%s", r.stderr)
			}
			after := snapshot(t, "english")
			delete(after, ".nl2en.lock")
			for name, b := range before {
				if !bytes.Equal(after[name], b) {
					t.Errorf("%s changed", name)
				}
			}
			for name := range after {
				if _, ok := before[name]; !ok {
					t.Errorf("%s was written", name)
				}
			}
		})
	}
}

// TestCompatBatchCollect: a batch state an older release wrote, with its
// batch still validating, is collected: the articles are written from the
// batch's replies, no translation or summary is sent live (the checks'
// repairs are: the fake's English of these articles lacks their names and
// numbers), and the batch is marked collected.
func TestCompatBatchCollect(t *testing.T) {
	srv := sampleServer(t)
	dir := t.TempDir()
	copyTree(t, filepath.Join("testdata", "compat", "queued"), filepath.Join(dir, "queued"))
	copyTree(t, filepath.Join("testdata", "compat", "queued-out"), filepath.Join(dir, "queued-out"))
	input, err := os.ReadFile(filepath.Join("testdata", "compat", "queued-batch-input.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)

	// The fake numbers files and batches from 1, as the one the fixture
	// was made against did: the same batch is made again.
	c := srv.Client()
	f, err := c.CreateFileBytes(t.Context(), openai.FileBytesRequest{Name: "nl2en-63aa269a00c4-79af6d67.jsonl", Bytes: input, Purpose: openai.PurposeBatch})
	if err != nil || f.ID != "file-nl2entest0000000001" {
		t.Fatalf("upload: %v, %s", err, f.ID)
	}
	b, err := c.CreateBatch(t.Context(), openai.CreateBatchRequest{
		InputFileID: f.ID, Endpoint: openai.BatchEndpointChatCompletions, CompletionWindow: "24h",
		Metadata: map[string]any{"nl2en_id": "nl2en-63aa269a00c4-79af6d67", "nl2en_sha256": "63aa269a00c400656f8da71d58344b414faf5fb6377a2a03d409214c1c690a71", "nl2en_out": "queued-out"},
	})
	if err != nil || b.ID != "batch_nl2entest0000000001" {
		t.Fatalf("create batch: %v, %s", err, b.ID)
	}
	srv.FinishBatches()
	live := len(srv.Requests())

	r := runCLI(t, nil, "batch", "collect", "queued-out/", "--base-url", srv.BaseURL(), "--api-key", testKey, "--no-cache")
	if r.code != 0 {
		t.Fatalf("collect: exit %d\n%s", r.code, r.stderr)
	}
	for _, p := range []string{"queued-out/oorlog-oekraine-charkiv.en.json", "queued-out/2025/rechtszaak-zorgfraude-rotterdam.en.json"} {
		doc := readDoc(t, p)
		if doc.Usage.Batch.Requests != 2 || doc.Usage.Translate.Requests != 0 || doc.Usage.Summary.Requests != 0 {
			t.Errorf("%s: usage %+v, want the two requests of the batch and nothing live", p, doc.Usage)
		}
	}
	for _, q := range srv.Requests()[live:] {
		if q.Path == "/v1/chat/completions" && q.Kind != openaitest.KindRepair {
			t.Errorf("collect sent a live %s request for %v, whose reply came back in the batch", q.Kind, q.SegmentIDs)
		}
	}
	state, err := os.ReadFile("queued-out/.nl2en-batches.json")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(state), `"collected": true`) {
		t.Errorf("the batch is not marked collected:\n%s", state)
	}
}
