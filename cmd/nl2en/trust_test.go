package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/nl2en/nl2en/pipeline/openaitest"
)

// TestEchoServerSaysWhatHappened: a server that echoes the Dutch back (a
// mock seen in the wild) gives articles whose segments are all marked
// failed under --allow-partial, and the per-article done line and the
// run's summary line say so: nobody has to open report.json to learn
// that an article is still Dutch.
func TestEchoServerSaysWhatHappened(t *testing.T) {
	srv := openaitest.New(t, openaitest.WithAPIKey(testKey), openaitest.WithTranslator(func(_, text string) string { return text }))
	root := writeArticles(t, t.TempDir(), "a.txt", "b.txt")
	out := t.TempDir()
	r := runCLI(t, nil, translateArgs(srv, "", "--allow-partial", "--out", out, root)...)
	if r.code != 0 {
		t.Fatalf("exit %d:\n%s", r.code, r.stderr)
	}
	if n := len(linesWith(r.stderr, "untranslated=3")); n != 2 {
		t.Errorf("%d done lines counting 3 untranslated segments, want 2:\n%s", n, r.stderr)
	}
	if lines := linesWith(r.stderr, "2 done, 0 skipped, 0 failed"); len(lines) != 1 || !strings.Contains(lines[0], "6 segments left untranslated") {
		t.Errorf("summary line %q, want it to count the 6 untranslated segments", lines)
	}
	doc := readDoc(t, filepath.Join(out, "a.en.json"))
	for _, s := range doc.Segments {
		if s.Status == "translated" {
			t.Errorf("%s marked translated: %q", s.ID, s.Text)
		}
	}
	rep := readRunReport(t, filepath.Join(out, "report.json"))
	if rep.Untranslated != 6 {
		t.Errorf("report: %d untranslated, want 6", rep.Untranslated)
	}

	// Without --allow-partial each article fails with the hint.
	r = runCLI(t, nil, translateArgs(srv, "", "--force", "--out", out, root)...)
	if r.code != 1 || len(linesWith(r.stderr, "3 segments not translated")) != 2 || len(linesWith(r.stderr, "--allow-partial")) != 2 {
		t.Errorf("exit %d, want 1 and a line per article naming --allow-partial:\n%s", r.code, r.stderr)
	}
}
