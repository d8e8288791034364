package outputs_test

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/nl2en/nl2en/pipeline"
	"github.com/nl2en/nl2en/pipeline/outputs"
	"github.com/nl2en/nl2en/pipeline/walk"
)

// TestFeedFiles guards the files of a feed's folder: written whole under
// the output folder, the English feed only when it changed, found again
// by the next run, never in a dry run, and never outside the folder.
func TestFeedFiles(t *testing.T) {
	out := filepath.Join(t.TempDir(), "english")
	s := outputs.New(outputs.Config{Out: out, Formats: formats(t, "md")})
	defer s.Close()
	if states, err := s.FeedStates(); err != nil || len(states) != 0 {
		t.Fatalf("states of a folder not made yet: %v, %v", states, err)
	}
	if err := s.WriteFeedState("kust-nl-rss", []byte(`{"version":1}`)); err != nil {
		t.Fatal(err)
	}
	if n := s.Wrote(); n != 0 {
		t.Errorf("the state counts as %d files written, want none: it is bookkeeping", n)
	}
	for i, want := range []bool{true, false} {
		wrote, err := s.WriteFeedFile("kust-nl-rss", "feed.xml", []byte("<feed/>"))
		if err != nil || wrote != want {
			t.Errorf("write %d: wrote %v, %v; want %v", i+1, wrote, err, want)
		}
	}
	if n := s.Wrote(); n != 1 {
		t.Errorf("%d files counted, want the feed once", n)
	}
	if _, err := s.WriteFeedFile("kust-nl-rss", "feed-state.json", nil); err == nil {
		t.Error("the state was written as a file of the English feed")
	}
	for _, bad := range [][2]string{{"..", "feed.xml"}, {"a/b", "feed.xml"}, {"", "feed.json"}, {"con", "feed.json"}, {"kust", "report.json"}} {
		if _, err := s.WriteFeedFile(bad[0], bad[1], []byte("x")); err == nil {
			t.Errorf("wrote %q in feed folder %q", bad[1], bad[0])
		}
	}
	writeFile(t, filepath.Join(out, "los", "a.en.md"), "x")
	states, err := s.FeedStates()
	if err != nil || len(states) != 1 || states[0].Folder != "kust-nl-rss" || string(states[0].Data) != `{"version":1}` {
		t.Errorf("states = %+v, %v", states, err)
	}
	if b, err := s.ReadFeedFile("kust-nl-rss", "feed.xml"); err != nil || string(b) != "<feed/>" {
		t.Errorf("read back %q, %v", b, err)
	}
	if _, err := s.ReadFeedFile("kust-nl-rss", "feed.json"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a feed file not written: %v, want not exist", err)
	}
	if !s.Owns(filepath.Join(out, "kust-nl-rss", "feed.json")) || s.Owns(filepath.Join(out, "los", "feed.json")) {
		t.Error("the files of a feed's folder, and only those, are owned")
	}

	dry := outputs.New(outputs.Config{Out: filepath.Join(t.TempDir(), "dry"), Formats: formats(t, "md"), DryRun: true})
	defer dry.Close()
	if err := dry.WriteFeedState("kust", []byte("{}")); !errors.Is(err, outputs.ErrDryRun) {
		t.Errorf("a dry run's state: %v", err)
	}
	if _, err := dry.WriteFeedFile("kust", "feed.json", []byte("{}")); !errors.Is(err, outputs.ErrDryRun) {
		t.Errorf("a dry run's feed: %v", err)
	}
	if _, err := os.Stat(dry.Out()); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a dry run made its folder: %v", err)
	}
}

// TestWebInputs guards where the outputs of an article fetched from the
// web go (the output folder, else the current folder, never a folder
// made of the URL), and that they are never orphans.
func TestWebInputs(t *testing.T) {
	cwd := t.TempDir()
	s := outputs.New(outputs.Config{Formats: formats(t, "md", "json")})
	defer s.Close()
	in := walk.Input{Path: "https://kust.example.nl/artikel/veerdienst", Root: cwd, Rel: "veerdienst.html"}
	a, err := s.Locate(in)
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(cwd, "veerdienst.en.md"); a.Paths[0] != want {
		t.Errorf("without --out: %s, want %s", a.Paths[0], want)
	}
	res := result("tekst", false)
	res.Article.Name = in.Path
	res.Article.Web = &pipeline.WebSource{URL: in.Path}
	if err := s.Commit(a, renderAll(t, formats(t, "md", "json"), res, "")); err != nil {
		t.Fatal(err)
	}
	if got := s.Source(a); got != in.Path {
		t.Errorf("source %q, want %q", got, in.Path)
	}

	// A folder run over the same output folder finds no orphans among
	// the outputs of addresses and feeds, and does find a file's.
	src, out := t.TempDir(), t.TempDir()
	o := outputs.New(outputs.Config{Out: out, Formats: formats(t, "md")})
	defer o.Close()
	md := formats(t, "md")
	for rel, name := range map[string]string{
		"veerdienst.html":     "https://kust.example.nl/artikel/veerdienst",
		"kust/zwembad.html":   "zwembad.txt", // in a feed's folder: never an orphan
		"gone.txt":            "gone.txt",
		"kust/../weg/oud.txt": "oud.txt",
	} {
		loc, err := o.Locate(walk.Input{Path: name, Rel: filepath.ToSlash(filepath.Clean(rel))})
		if err != nil {
			t.Fatal(err)
		}
		r := result(rel, false)
		r.Article.Name = name
		if err := o.Commit(loc, renderAll(t, md, r, "")); err != nil {
			t.Fatal(err)
		}
	}
	if err := o.WriteFeedState("kust", []byte(`{"version":1}`)); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, orphan := range o.Orphans(context.Background(), []string{src}) {
		rel, _ := filepath.Rel(out, orphan.Path)
		got = append(got, filepath.ToSlash(rel))
	}
	if len(got) != 2 || got[0] != "gone.en.md" || got[1] != "weg/oud.en.md" {
		t.Errorf("orphans %v, want only the files' outputs gone.en.md and weg/oud.en.md", got)
	}
}
