package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nl2en/nl2en/pipeline/batchapi"
	"github.com/nl2en/nl2en/pipeline/openaitest"
	"github.com/nl2en/nl2en/pipeline/outputs"
)

// loadState reads the batch state of the output folder out, writing
// nothing.
func loadState(out string) (*batchapi.State, error) {
	return batchapi.OpenState(outputs.New(outputs.Config{Out: out, DryRun: true}))
}

func TestBatchSubmitStatusCollect(t *testing.T) {
	srv := sampleServer(t)
	dir := sampleFolder(t, 3)
	out := t.TempDir()
	args := func(cmd ...string) []string {
		return append(append([]string{"batch"}, cmd...), append(apiArgs(srv), "--out", out)...)
	}

	r := runCLI(t, nil, append(args("submit"), dir)...)
	if r.code != 0 {
		t.Fatalf("submit: exit %d\n%s", r.code, r.stderr)
	}
	st, err := loadState(out)
	if err != nil || len(st.Records) != 1 || st.Records[0].BatchID == "" {
		t.Fatalf("state after submit: %v, %+v", err, st)
	}
	if n := srv.Count(openaitest.KindTranslate) + srv.Count(openaitest.KindSummary); n != 0 {
		t.Errorf("submit made %d live requests", n)
	}

	// Submitting again while the batch runs pays for nothing twice.
	if r := runCLI(t, nil, append(args("submit"), dir)...); r.code != 0 || r.stderr != "nl2en: nothing new to submit (3 already in a batch)\n" {
		t.Errorf("second submit: exit %d\n%s", r.code, r.stderr)
	}
	// Collecting before the batch is done writes nothing.
	if r := runCLI(t, nil, "batch", "collect", "--no-cache", "--base-url", srv.BaseURL(), "--api-key", testKey, out); r.code != 0 {
		t.Errorf("early collect: exit %d\n%s", r.code, r.stderr)
	}
	if docs, _ := filepath.Glob(filepath.Join(out, "*.en.json")); len(docs) != 0 {
		t.Errorf("collect wrote %d outputs before the batch finished", len(docs))
	}

	srv.FinishBatches()
	r = runCLI(t, nil, "batch", "status", "--no-cache", "--base-url", srv.BaseURL(), "--api-key", testKey, out)
	if r.code != 0 || !strings.Contains(r.stdout, "completed") {
		t.Errorf("status: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	r = runCLI(t, nil, "batch", "collect", "--no-cache", "--base-url", srv.BaseURL(), "--api-key", testKey, out)
	if r.code != 0 {
		t.Fatalf("collect: exit %d\n%s", r.code, r.stderr)
	}
	docs, _ := filepath.Glob(filepath.Join(out, "*.en.json"))
	if len(docs) != 3 {
		t.Fatalf("collect wrote %d articles, want 3\n%s", len(docs), r.stderr)
	}
	doc := readDoc(t, docs[0])
	for _, d := range docs[1:] {
		readDoc(t, d)
	}
	if doc.Usage.Batch.Requests == 0 || doc.Usage.Translate.Requests != 0 || doc.Usage.Summary.Requests != 0 {
		t.Errorf("usage %+v: want everything through the batch", doc.Usage)
	}
	if len(doc.Segments) != 19 || doc.Segments[0].Status != "translated" {
		t.Errorf("collected article: %d segments, first %+v", len(doc.Segments), doc.Segments[0])
	}
	if n := srv.Count(openaitest.KindTranslate) + srv.Count(openaitest.KindSummary); n != 0 {
		t.Errorf("collect made %d live requests for replies that were all good", n)
	}
	// batch run is idempotent: nothing left to collect or submit, said
	// in one line.
	r = runCLI(t, nil, append(args("run"), dir)...)
	if r.code != 0 || r.stderr != "nl2en: nothing to collect, and nothing new to submit (3 up to date)\n" {
		t.Errorf("batch run after collect: exit %d\n%s", r.code, r.stderr)
	}
}

func TestBatchExpiredGoesLive(t *testing.T) {
	srv := sampleServer(t)
	dir := sampleFolder(t, 2)
	out := t.TempDir()
	srv.ScriptBatches(openaitest.ExpireBatch(2))
	base := append(apiArgs(srv), "--out", out)
	if r := runCLI(t, nil, append(append([]string{"batch", "submit"}, base...), dir)...); r.code != 0 {
		t.Fatalf("submit: exit %d\n%s", r.code, r.stderr)
	}
	srv.FinishBatches()
	r := runCLI(t, nil, append(append([]string{"batch", "run"}, base...), dir)...)
	if r.code != 0 {
		t.Fatalf("run: exit %d\n%s", r.code, r.stderr)
	}
	docs, _ := filepath.Glob(filepath.Join(out, "*.en.json"))
	if len(docs) != 2 {
		t.Fatalf("%d articles written, want 2", len(docs))
	}
	for _, d := range docs {
		readDoc(t, d)
	}
	if n := srv.Count(openaitest.KindTranslate) + srv.Count(openaitest.KindSummary); n == 0 {
		t.Error("the expired requests were not sent live")
	}
	if r := runCLI(t, nil, append(append([]string{"batch", "submit"}, base...), dir)...); !strings.Contains(r.stderr, "nothing new to submit") {
		t.Errorf("after collect nothing is pending, got:\n%s", r.stderr)
	}
}

// TestBatchIdenticalArticlesNoLiveRequests guards against collect paying
// live for replies that came back: with three copies of the sample and one
// other article in one batch, and the segment cache on, collect once sent
// whole-article live requests in three to five of five fresh cycles (the
// copies finished side by side, and a reply was dropped whole when
// another copy had cached one of its segments first).
func TestBatchIdenticalArticlesNoLiveRequests(t *testing.T) {
	for cycle := range 5 {
		t.Run(fmt.Sprint("cycle ", cycle+1), func(t *testing.T) {
			srv := sampleServer(t)
			dir := t.TempDir()
			sample, err := os.ReadFile("../../samples/bachmoet.txt")
			if err != nil {
				t.Fatal(err)
			}
			for _, name := range []string{"a.txt", "b.txt", "c.txt"} {
				writeFileAt(t, filepath.Join(dir, name), string(sample))
			}
			writeFileAt(t, filepath.Join(dir, "d.txt"), folderArticle("d.txt", "rode"))
			out, cache := t.TempDir(), t.TempDir()
			args := []string{"--base-url", srv.BaseURL(), "--api-key", testKey, "--cache-dir", cache}
			if r := runCLI(t, nil, append([]string{"batch", "submit", dir, "--out", out}, args...)...); r.code != 0 {
				t.Fatalf("submit: exit %d\n%s", r.code, r.stderr)
			}
			srv.FinishBatches()
			r := runCLI(t, nil, append([]string{"batch", "collect", out}, args...)...)
			if r.code != 0 {
				t.Fatalf("collect: exit %d\n%s", r.code, r.stderr)
			}
			for _, q := range srv.Requests() {
				if q.Path == "/v1/chat/completions" {
					t.Errorf("collect sent a live %s request for %v", q.Kind, q.SegmentIDs)
				}
			}
			docs, _ := filepath.Glob(filepath.Join(out, "*.en.json"))
			if len(docs) != 4 {
				t.Fatalf("%d articles written, want 4\n%s", len(docs), r.stderr)
			}
		})
	}
}

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
