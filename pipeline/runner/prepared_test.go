package runner_test

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/nl2en/nl2en/pipeline"
	"github.com/nl2en/nl2en/pipeline/runner"
	"github.com/nl2en/nl2en/pipeline/split"
	"github.com/nl2en/nl2en/pipeline/walk"
)

// TestRunPrepared guards articles prepared before the run (pages fetched
// from the web): translated beside files in one run and one report,
// never read from their Path, judged up to date by their own digest, and
// told to Written once written; one that could not be prepared fails
// alone.
func TestRunPrepared(t *testing.T) {
	root, out := t.TempDir(), t.TempDir()
	articleTree(t, root, "a.txt")
	page := func(word string) *pipeline.Article {
		art, err := splitter.Split(t.Context(), "https://kust.example.nl/artikel/"+word, []byte(article("x.html", word)), runnerSplit)
		if err != nil {
			t.Fatal(err)
		}
		art.SHA256 = digestOf(word) // the digest of the extracted text, not of the page
		return art
	}
	prepared := func(word string) []runner.Prepared {
		return []runner.Prepared{
			{Input: walk.Input{Path: "https://kust.example.nl/artikel/" + word, Rel: "kust/" + word + ".html"}, Article: page(word)},
			{Input: walk.Input{Path: "https://kust.example.nl/artikel/kapot", Rel: "kust/kapot.html"}, Err: errors.New("fetch https://kust.example.nl/artikel/kapot: the server answered 500")},
		}
	}
	var mu sync.Mutex
	written := map[string]int{}
	tr := &fakeTranslator{}
	r := newRunner(tr, runner.Config{Out: out, Formats: formats("md", "json"), Written: func(in walk.Input, res *pipeline.Result) {
		mu.Lock()
		defer mu.Unlock()
		written[in.Path]++
		if fetched := in.Path != filepath.Join(root, "a.txt"); fetched && res.Article.SHA256 != digestOf("rode") {
			t.Errorf("written %s with digest %s", in.Path, res.Article.SHA256)
		}
	}})
	rep, err := r.RunWith(t.Context(), []string{root}, prepared("rode"))
	if err != nil {
		t.Fatal(err)
	}
	checkCounts(t, rep, runner.Counts{Found: 3, Done: 2, Failed: 1})
	if _, err := os.Stat(filepath.Join(out, "kust", "rode.en.json")); err != nil {
		t.Errorf("the prepared article's output: %v", err)
	}
	if written["https://kust.example.nl/artikel/rode"] != 1 || len(written) != 2 {
		t.Errorf("written = %v, want the page and the file once each", written)
	}
	if len(rep.Failures) != 1 || rep.Failures[0].File != "https://kust.example.nl/artikel/kapot" {
		t.Errorf("failures = %+v", rep.Failures)
	}

	// Again with the same digest: up to date, nothing sent.
	calls := len(tr.called())
	rep, err = r.RunWith(t.Context(), nil, prepared("rode")[:1])
	if err != nil {
		t.Fatal(err)
	}
	checkCounts(t, rep, runner.Counts{Found: 1, Skipped: 1})
	if len(tr.called()) != calls {
		t.Error("an up-to-date prepared article was translated again")
	}
}

var runnerSplit = split.Options{Format: pipeline.FormatHTML}

func digestOf(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}
