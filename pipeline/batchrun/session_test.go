package batchrun_test

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nl2en/nl2en/pipeline/batchrun"
	"github.com/nl2en/nl2en/pipeline/job"
	"github.com/nl2en/nl2en/pipeline/openaitest"
	"github.com/nl2en/nl2en/pipeline/render"
	"github.com/nl2en/nl2en/pipeline/render/rendertest"
	"github.com/nl2en/nl2en/pipeline/split"
	"github.com/nl2en/nl2en/pipeline/translate"
	"github.com/nl2en/nl2en/pipeline/walk"
)

const testKey = "sk-test-batchrun-0123456789"

// longParagraph is twelve sentences, each too long to share a request
// with another under a token budget of 50: the paragraph goes in twelve
// pieces, s2.1 to s2.12.
func longParagraph() string {
	towns := []string{"Amersfoort", "Zwolle", "Deventer", "Leeuwarden", "Haarlem", "Tilburg",
		"Nijmegen", "Groningen", "Enschede", "Maastricht", "Apeldoorn", "Dordrecht"}
	var b strings.Builder
	for i, town := range towns {
		if i > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "In %s besprak de gemeenteraad gisteravond opnieuw de plannen voor het nieuwe zwembad aan de rand van de stad, waarbij verschillende partijen hun zorgen uitten over de stijgende kosten.", town)
	}
	return b.String()
}

// TestCollectKeepsPiecesInOrder guards the Batch API path against
// reordering the pieces of a long segment: the paragraph is split into
// twelve pieces, three of their batch lines fail and go live, and the
// English must still read s2.1 to s2.12 in order (it once came back as
// 1–8, 10, 12, 11, 9: replies were assembled in the order they came, and
// the live leftovers were sorted as strings, "s2.10" before "s2.9").
func TestCollectKeepsPiecesInOrder(t *testing.T) {
	srv := openaitest.New(t, openaitest.WithAPIKey(testKey))
	root := t.TempDir()
	data := "Gemeenteraden bespreken zwembaden\n\n" + longParagraph() + "\n"
	if err := os.WriteFile(filepath.Join(root, "a.txt"), []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256([]byte(data))
	digest := hex.EncodeToString(sum[:])
	in := walk.Input{Root: root, Rel: "a.txt", Path: filepath.Join(root, "a.txt")}
	failing := func(unit string) string {
		return batchrun.NewID(digest, in, translate.Planned{Units: []string{unit}}).String()
	}
	srv.ScriptBatches(openaitest.CompleteBatch().
		WithLineFault(failing("s2.9"), openaitest.HTTPError(500)).
		WithLineFault(failing("s2.11"), openaitest.HTTPError(500)).
		WithLineFault(failing("s2.12"), openaitest.HTTPError(500)))

	out := t.TempDir()
	j, err := job.Open(job.Settings{
		APIKey: testKey, BaseURL: srv.BaseURL(), Model: "gpt-4.1-mini",
		TokenBudget: 50, MaxRetries: 0, NoCache: true, Out: out, Version: "test",
	}, job.Env{})
	if err != nil {
		t.Fatal(err)
	}
	sess, err := batchrun.Open(t.Context(), j)
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Close()
	sub, err := sess.Submit(t.Context(), []string{root}, func(err error) { t.Error(err) })
	if err != nil {
		t.Fatal(err)
	}
	if sub.Articles != 1 || sub.Requests != 13 {
		t.Fatalf("submitted %d requests for %d articles, want 13 (twelve pieces and the summary) for 1", sub.Requests, sub.Articles)
	}
	srv.FinishBatches()
	rep, err := sess.Collect(t.Context(), false, nil)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Articles.Done != 1 {
		t.Fatalf("collect: %s", rep.Summary())
	}
	if got := srv.Count(openaitest.KindTranslate); got != 1 {
		t.Errorf("%d live translation requests, want 1 for the three failed pieces", got)
	}

	b, err := os.ReadFile(filepath.Join(out, "a.en.json"))
	if err != nil {
		t.Fatal(err)
	}
	rendertest.ValidateJSON(t, b)
	var doc render.Document
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	got := doc.Segments[1].Text
	var want []string
	sentences := split.Sentences(longParagraph())
	for i := 1; i <= 12; i++ {
		want = append(want, openaitest.DefaultTranslator(fmt.Sprintf("s2.%d", i), strings.TrimSpace(sentences[i-1])))
	}
	if got != strings.Join(want, " ") {
		t.Errorf("the paragraph's pieces are out of order:\ngot  %s\nwant %s", got, strings.Join(want, " "))
	}
}

func TestIDRoundTrip(t *testing.T) {
	in := walk.Input{Root: "articles", Rel: "2024/03/a b.txt", Path: filepath.Join("articles", "2024", "03", "a b.txt")}
	digest := strings.Repeat("ab", 32)
	tests := []struct {
		name  string
		units []string
		want  string
	}{
		{"summary", nil, "abababababababab|articles|2024/03/a b.txt|summary"},
		{"one unit", []string{"s3"}, "abababababababab|articles|2024/03/a b.txt|s3-s3"},
		{"pieces", []string{"s2.10", "s2.11", "s2.12"}, "abababababababab|articles|2024/03/a b.txt|s2.10-s2.12"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id := batchrun.NewID(digest, in, translate.Planned{Units: tt.units})
			if got := id.String(); got != tt.want {
				t.Fatalf("String() = %q, want %q", got, tt.want)
			}
			back, ok := batchrun.ParseID(id.String())
			if !ok {
				t.Fatalf("ParseID(%q) failed", id.String())
			}
			if back != id {
				t.Errorf("ParseID(%q) = %+v, want %+v", id.String(), back, id)
			}
		})
	}
	for _, bad := range []string{"", "summary", "abababababababab|x", "abababababababab|r|a.txt|s1-", "abababababababab|r|a.txt|s1"} {
		if _, ok := batchrun.ParseID(bad); ok {
			t.Errorf("ParseID(%q) succeeded, want it refused", bad)
		}
	}
}

// FuzzParseID: custom ids come back from files on a server; whatever they
// hold, ParseID must not panic, and what it accepts must print back as
// it came.
func FuzzParseID(f *testing.F) {
	for _, s := range []string{
		"abababababababab|articles|2024/03/a b.txt|summary",
		"abababababababab|articles|a.txt|s2.10-s2.12",
		"abababababababab|x", "|||", "abababababababab||",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		id, ok := batchrun.ParseID(s)
		if !ok {
			return
		}
		if got := id.String(); got != s {
			t.Errorf("ParseID(%q).String() = %q", s, got)
		}
	})
}
