package outputs_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/nl2en/nl2en/pipeline"
	"github.com/nl2en/nl2en/pipeline/index"
	"github.com/nl2en/nl2en/pipeline/outputs"
	"github.com/nl2en/nl2en/pipeline/render"
	"github.com/nl2en/nl2en/pipeline/walk"
)

func symlink(t *testing.T, target, link string) {
	t.Helper()
	if err := os.Symlink(target, link); err != nil {
		t.Skipf("cannot make a symbolic link here: %v", err)
	}
}

func mkdirs(t *testing.T, base string, dirs ...string) {
	t.Helper()
	for _, d := range dirs {
		if err := os.MkdirAll(filepath.Join(base, filepath.FromSlash(d)), 0o755); err != nil {
			t.Fatal(err)
		}
	}
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func formats(t *testing.T, names ...string) []render.Format {
	t.Helper()
	f, err := render.FormatsNamed(names...)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// TestLocate guards where outputs go: mirrored under the output folder,
// or beside the input, their names portable; and that a path leading out
// of the folder (by "..", or by a symbolic link already there, dangling
// or not) is refused before anything is paid for.
func TestLocate(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("symbolic links need privileges on Windows")
	}
	outside := t.TempDir()
	base := t.TempDir()
	out := filepath.Join(base, "out")
	mkdirs(t, base, "out/2024/real", "elsewhere")
	symlink(t, outside, filepath.Join(out, "evil"))                                      // absolute, leads out
	symlink(t, "../elsewhere", filepath.Join(out, "sneaky"))                             // relative, leads out
	symlink(t, "2024/real", filepath.Join(out, "alias"))                                 // stays inside
	symlink(t, filepath.Join(outside, "x.en.md"), filepath.Join(out, "2024", "a.en.md")) // dangling, at the output itself
	symlink(t, "missing/deeper", filepath.Join(out, "dangling"))                         // dangling folder inside
	symlink(t, filepath.Join(outside, "gone"), filepath.Join(out, "gone"))               // dangling folder outside
	linkedOut := filepath.Join(base, "linked-out")
	symlink(t, "out", linkedOut)
	writeFile(t, filepath.Join(out, "file"), "not a folder")

	tests := []struct {
		name   string
		out    string
		in     walk.Input
		want   string // the Markdown output, relative to base; "" for an error
		unsafe bool   // the error is ErrUnsafePath
	}{
		{"mirrored", out, walk.Input{Rel: "2024/03/a.txt"}, "out/2024/03/a.en.md", false},
		{"plain file", out, walk.Input{Rel: "a.html"}, "out/a.en.md", false},
		{"no extension", out, walk.Input{Rel: "README"}, "out/README.en.md", false},
		{"two dots", out, walk.Input{Rel: "a.b.txt"}, "out/a.b.en.md", false},
		{"dot component", out, walk.Input{Rel: "./2024//b.txt"}, "out/2024/b.en.md", false},
		{"through a link inside", out, walk.Input{Rel: "alias/a.txt"}, "out/alias/a.en.md", false},
		{"a link at the output itself", out, walk.Input{Rel: "2024/a.txt"}, "out/2024/a.en.md", false},
		{"out is a link", linkedOut, walk.Input{Rel: "2024/b.txt"}, "linked-out/2024/b.en.md", false},
		{"beside the input", "", walk.Input{Path: filepath.Join(base, "elsewhere", "a.txt"), Rel: "a.txt"}, "elsewhere/a.en.md", false},
		{"stdin into out", out, walk.Input{Path: "-", Rel: "stdin.txt"}, "out/stdin.en.md", false},
		{"reserved name", out, walk.Input{Rel: "con/nul.txt"}, "out/con_/nul_.en.md", false},
		{"colon", out, walk.Input{Rel: "14:30 update.txt"}, "out/14_30 update.en.md", false},
		{"dotdot", out, walk.Input{Rel: "../a.txt"}, "", true},
		{"dotdot inside", out, walk.Input{Rel: "2024/../../a.txt"}, "", true},
		{"absolute", out, walk.Input{Rel: "/etc/passwd"}, "", true},
		{"empty", out, walk.Input{Rel: ""}, "", true},
		{"only dots", out, walk.Input{Rel: "."}, "", true},
		{"NUL", out, walk.Input{Rel: "a\x00.txt"}, "", true},
		{"link to an absolute path outside", out, walk.Input{Rel: "evil/a.txt"}, "", true},
		{"relative link outside", out, walk.Input{Rel: "sneaky/a.txt"}, "", true},
		{"dangling link outside", out, walk.Input{Rel: "gone/a.txt"}, "", true},
		{"dangling link inside", out, walk.Input{Rel: "dangling/a.txt"}, "out/dangling/a.en.md", false},
		{"a file where a folder goes", out, walk.Input{Rel: "file/a.txt"}, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := outputs.New(outputs.Config{Out: tt.out, Formats: formats(t, "md", "json")})
			defer s.Close()
			a, err := s.Locate(tt.in)
			if tt.want == "" {
				if err == nil {
					t.Fatalf("Locate = %q, want an error", a.Paths)
				}
				if errors.Is(err, outputs.ErrUnsafePath) != tt.unsafe {
					t.Errorf("Locate: %v; ErrUnsafePath %v, want %v", err, !tt.unsafe, tt.unsafe)
				}
				return
			}
			if err != nil {
				t.Fatalf("Locate: %v", err)
			}
			if want := filepath.Join(base, filepath.FromSlash(tt.want)); a.Paths[0] != want {
				t.Errorf("Locate = %q, want %q", a.Paths[0], want)
			}
			if !strings.HasSuffix(a.Paths[1], ".en.json") {
				t.Errorf("the second format's output is %q, want the JSON", a.Paths[1])
			}
		})
	}
	if ents, _ := os.ReadDir(outside); len(ents) != 0 {
		t.Errorf("Locate wrote %d files outside", len(ents))
	}
}

// TestCommitStaysInside guards the write itself: a link made into the
// output folder after Locate (the race a check cannot close) still cannot
// lead a write out of it, as every write goes through os.Root.
func TestCommitStaysInside(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("symbolic links need privileges on Windows")
	}
	out, outside := t.TempDir(), t.TempDir()
	s := outputs.New(outputs.Config{Out: out, Formats: formats(t, "md")})
	defer s.Close()
	a, err := s.Locate(walk.Input{Path: "x", Rel: "late/a.txt"})
	if err != nil {
		t.Fatal(err)
	}
	symlink(t, outside, filepath.Join(out, "late"))
	if err := s.Commit(a, [][]byte{[]byte("x")}); err == nil {
		t.Error("Commit wrote through a link that leads out")
	}
	if ents, _ := os.ReadDir(outside); len(ents) != 0 {
		t.Errorf("Commit wrote %d files outside", len(ents))
	}
	if s.Committed("x") {
		t.Error("an article whose outputs were not written counts as committed")
	}
}

// TestPortable guards the names every system takes.
func TestPortable(t *testing.T) {
	s := outputs.New(outputs.Config{Out: t.TempDir(), Formats: formats(t, "md")})
	defer s.Close()
	for in, want := range map[string]string{
		"a.txt":         "a.en.md",
		"CON.txt":       "CON_.en.md",
		"aux":           "aux_.en.md",
		"Com1.md":       "Com1_.en.md",
		"lpt9.html":     "lpt9_.en.md",
		"console.txt":   "console.en.md",
		"a<b>c.txt":     "a_b_c.en.md",
		`q"?*|.txt`:     "q____.en.md",
		"tab\there.txt": "tab_here.en.md",
		"nul/a.txt":     "nul_/a.en.md",
		"dots./a.txt":   "dots_/a.en.md",
	} {
		a, err := s.Locate(walk.Input{Path: in, Rel: in})
		if err != nil {
			t.Errorf("%q: %v", in, err)
			continue
		}
		if got, _ := filepath.Rel(s.Out(), a.Paths[0]); filepath.ToSlash(got) != want {
			t.Errorf("%q → %q, want %q", in, filepath.ToSlash(got), want)
		}
	}
}

// result is a translated article of one segment, made from data.
func result(data string, untranslated bool) *pipeline.Result {
	art := &pipeline.Article{Name: "a.txt", Format: pipeline.FormatText, SHA256: digest(data),
		Segments: []pipeline.Segment{{ID: "s1", Kind: pipeline.KindTitle, Text: "Een kop", Lang: "nl"}}}
	tr := pipeline.Translation{ID: "s1", Text: "A headline", Status: pipeline.StatusTranslated}
	if untranslated {
		tr = pipeline.Translation{ID: "s1", Text: "Een kop", Status: pipeline.StatusFailed, Reason: "no"}
	}
	return &pipeline.Result{Article: art, Model: "m", Translations: []pipeline.Translation{tr},
		Summary: pipeline.Summary{Title: "A headline", Summary: "S."}, Finished: time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)}
}

// render renders res in each of the store's formats.
func renderAll(t *testing.T, fs []render.Format, res *pipeline.Result, fingerprint string) [][]byte {
	t.Helper()
	var out [][]byte
	for _, f := range fs {
		var b bytes.Buffer
		if err := f.Render(&b, res, render.Meta{Version: "test", Fingerprint: fingerprint}); err != nil {
			t.Fatal(err)
		}
		out = append(out, b.Bytes())
	}
	return out
}

// TestStatus guards the one answer to "is this article up to date?":
// every format's output there, made from these bytes, with nothing left
// in Dutch, under these settings; the worst output decides.
func TestStatus(t *testing.T) {
	all := formats(t, "md", "json", "html", "bilingual")
	in := walk.Input{Path: "a.txt", Rel: "a.txt"}
	data := "Een kop\n"
	tests := []struct {
		name        string
		write       func(t *testing.T, s *outputs.Store, a *outputs.Article)
		fingerprint string
		want        outputs.State
	}{
		{"nothing written", func(*testing.T, *outputs.Store, *outputs.Article) {}, "fp", outputs.Missing},
		{"written", func(t *testing.T, s *outputs.Store, a *outputs.Article) {
			if err := s.Commit(a, renderAll(t, all, result(data, false), "fp")); err != nil {
				t.Fatal(err)
			}
		}, "fp", outputs.Current},
		{"other settings", func(t *testing.T, s *outputs.Store, a *outputs.Article) {
			if err := s.Commit(a, renderAll(t, all, result(data, false), "old")); err != nil {
				t.Fatal(err)
			}
		}, "fp", outputs.Stale},
		{"untranslated", func(t *testing.T, s *outputs.Store, a *outputs.Article) {
			if err := s.Commit(a, renderAll(t, all, result(data, true), "fp")); err != nil {
				t.Fatal(err)
			}
		}, "fp", outputs.Incomplete},
		{"other bytes", func(t *testing.T, s *outputs.Store, a *outputs.Article) {
			if err := s.Commit(a, renderAll(t, all, result("Een andere kop\n", false), "fp")); err != nil {
				t.Fatal(err)
			}
		}, "fp", outputs.Missing},
		{"one output gone", func(t *testing.T, s *outputs.Store, a *outputs.Article) {
			if err := s.Commit(a, renderAll(t, all, result(data, false), "fp")); err != nil {
				t.Fatal(err)
			}
			os.Remove(a.Paths[2])
		}, "fp", outputs.Missing},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := outputs.New(outputs.Config{Out: t.TempDir(), Formats: all, Fingerprint: tt.fingerprint})
			defer s.Close()
			a, err := s.Locate(in)
			if err != nil {
				t.Fatal(err)
			}
			tt.write(t, s, a)
			st := s.Status(a, digest(data))
			if st.State != tt.want {
				t.Errorf("state %s, want %s", st.State, tt.want)
			}
			if st.State >= outputs.Stale && !st.Created.Equal(time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)) {
				t.Errorf("created %v, want the outputs' date", st.Created)
			}
		})
	}
	for _, tt := range []struct {
		st                     outputs.State
		force, redoStale, want bool
	}{
		{outputs.Missing, false, false, true},
		{outputs.Incomplete, false, false, true},
		{outputs.Stale, false, false, false},
		{outputs.Stale, false, true, true},
		{outputs.Current, false, true, false},
		{outputs.Current, true, false, true},
	} {
		if got := outputs.Redo(tt.st, tt.force, tt.redoStale); got != tt.want {
			t.Errorf("Redo(%s, force %v, redo stale %v) = %v, want %v", tt.st, tt.force, tt.redoStale, got, tt.want)
		}
	}
}

// TestCompatStatus guards that outputs the release before this package
// wrote (cmd/nl2en/testdata/compat) are read unchanged: with the
// fingerprint they were stamped with, every article is stale (their
// schema_version 1 is older than today's), never missing, so moving to
// this package re-translates nothing unless --redo-stale asks.
func TestCompatStatus(t *testing.T) {
	root := filepath.Join("..", "..", "cmd", "nl2en", "testdata", "compat")
	articles := filepath.Join(root, "articles")
	var fingerprint string
	n := 0
	err := walk.Walk(t.Context(), []string{articles}, walk.Options{}, func(in walk.Input) error {
		data, err := os.ReadFile(in.Path)
		if err != nil {
			return err
		}
		doc, err := os.ReadFile(filepath.Join(root, "english", strings.TrimSuffix(in.Rel, filepath.Ext(in.Rel))+".en.json"))
		if err != nil {
			return err
		}
		if fingerprint == "" {
			i := bytes.Index(doc, []byte(`"fingerprint": "`))
			fingerprint = string(doc[i+16 : i+32])
		}
		s := outputs.New(outputs.Config{Out: filepath.Join(root, "english"), Formats: formats(t, "md", "json", "html", "bilingual"), Fingerprint: fingerprint, DryRun: true})
		defer s.Close()
		a, err := s.Locate(in)
		if err != nil {
			return err
		}
		if st := s.Status(a, digest(string(data))); st.State != outputs.Stale {
			t.Errorf("%s: %s, want stale", in.Rel, st.State)
		}
		n++
		return nil
	}, nil)
	if err != nil || n != 3 {
		t.Fatalf("walked %d articles (%v), want 3", n, err)
	}
}

// TestPrepare guards the check of the output folder before the first
// request: made when missing, left empty, and a folder that cannot be
// made is a FolderError; a dry run makes nothing.
func TestPrepare(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "new", "english")
	if err := outputs.New(outputs.Config{Out: dir, DryRun: true}).Prepare(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(dir); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a dry run's Prepare made the folder: %v", err)
	}
	s := outputs.New(outputs.Config{Out: dir})
	defer s.Close()
	if err := s.Prepare(); err != nil {
		t.Fatalf("Prepare(a new folder) = %v", err)
	}
	if ents, err := os.ReadDir(dir); err != nil || len(ents) != 0 {
		t.Errorf("Prepare left %d files, error %v; want the folder, empty", len(ents), err)
	}
	file := filepath.Join(t.TempDir(), "a-file")
	writeFile(t, file, "x")
	err := outputs.New(outputs.Config{Out: filepath.Join(file, "english")}).Prepare()
	var fe *outputs.FolderError
	if !errors.As(err, &fe) || !errors.Is(err, syscall.ENOTDIR) {
		t.Errorf("Prepare(below a file) = %v, want a *FolderError for ENOTDIR", err)
	}
}

// TestDryRunWritesNothing guards a dry run's store: it reads, and refuses
// every write.
func TestDryRunWritesNothing(t *testing.T) {
	out := filepath.Join(t.TempDir(), "english")
	s := outputs.New(outputs.Config{Out: out, Formats: formats(t, "md"), DryRun: true})
	defer s.Close()
	a, err := s.Locate(walk.Input{Path: "a.txt", Rel: "a.txt"})
	if err != nil {
		t.Fatal(err)
	}
	if st := s.Status(a, digest("x")); st.State != outputs.Missing {
		t.Errorf("state %s of nothing, want missing", st.State)
	}
	for name, err := range map[string]error{
		"commit":  s.Commit(a, [][]byte{[]byte("x")}),
		"report":  s.WriteReport(filepath.Join(out, outputs.ReportFile), []byte("{}")),
		"history": s.AppendRun([]byte("{}")),
		"index":   s.WriteIndex(nil, time.Now()),
	} {
		if err == nil {
			t.Errorf("a dry run's %s wrote", name)
		}
	}
	if err := s.WriteBatchState([]byte("{}")); err != nil {
		t.Errorf("a dry run's batch state: %v, want it kept in memory without an error", err)
	}
	if _, err := s.Lock(t.Context(), out, false, time.Now()); !errors.Is(err, outputs.ErrDryRun) {
		t.Errorf("a dry run took the lock: %v", err)
	}
	if _, err := os.Stat(out); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a dry run made the output folder: %v", err)
	}
}

// TestLeftoversCleared guards what a run under the lock clears away: the
// temporary files killed runs left (this package's, and those the
// releases before it named after their target and a number), in every
// folder of the output folder, and nothing else.
func TestLeftoversCleared(t *testing.T) {
	out := t.TempDir()
	gone := []string{
		".a.en.md.nl2en-tmp-0a1b2c3d4e5f", "2024/.b.en.json.nl2en-tmp-ffffffffffff",
		".a.en.md7543219876543210987", "2024/.b.nl-en.md42", ".c.en.html123456",
		".index.jsonl88", ".index.html9", ".report.json31", "..nl2en-batches.json17", ".nl2en-check-123456", ".nl2en-check",
	}
	kept := []string{
		"a.en.md", "2024/b.en.json", ".keep", ".a.txt123", "notes.en.md123", ".a.en.md", ".a.en.mdx1",
		"2024/.hidden-notes", ".nl2en-batches.json", "report.json",
	}
	for _, n := range append(slices.Clone(gone), kept...) {
		writeFile(t, filepath.Join(out, filepath.FromSlash(n)), "x")
	}
	s := outputs.New(outputs.Config{Out: out})
	defer s.Close()
	lk, err := s.Lock(t.Context(), out, false, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	defer lk.Unlock()
	for _, n := range gone {
		if _, err := os.Stat(filepath.Join(out, filepath.FromSlash(n))); err == nil {
			t.Errorf("%s was left", n)
		}
	}
	for _, n := range kept {
		if _, err := os.Stat(filepath.Join(out, filepath.FromSlash(n))); err != nil {
			t.Errorf("%s was removed: %v", n, err)
		}
	}
	if s.Removed() != len(gone) {
		t.Errorf("Removed() = %d, want %d", s.Removed(), len(gone))
	}
}

// TestWriteIndexMerges guards the folder index across runs: a run's
// entries replace those of the same articles, the others stay, and an
// entry whose outputs were all pruned goes.
func TestWriteIndexMerges(t *testing.T) {
	root, out := t.TempDir(), t.TempDir()
	writeFile(t, filepath.Join(root, "c.txt"), "Een kop\n")
	first := []index.Entry{
		{Source: "in/a.txt", Outputs: []string{"a.en.md"}, Status: "done", Title: "A"},
		{Source: "in/b.txt", Outputs: []string{"b.en.md"}, Status: "done", Title: "B"},
		{Source: filepath.Join(root, "c.txt"), Status: "failed", Error: "c failed"},
		{Source: filepath.Join(root, "gone.txt"), Status: "failed", Error: "gone failed"},
	}
	s := outputs.New(outputs.Config{Out: out})
	if err := s.WriteIndex(first, time.Now()); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s = outputs.New(outputs.Config{Out: out})
	defer s.Close()
	second := []index.Entry{{Source: "./in/a.txt", Outputs: []string{"a.en.md"}, Status: "done", Title: "A again"}}
	if err := s.WriteIndex(second, time.Now()); err != nil {
		t.Fatal(err)
	}
	got, err := index.Read(filepath.Join(out, index.JSONL))
	if err != nil {
		t.Fatal(err)
	}
	var titles []string
	for _, e := range got {
		titles = append(titles, e.Source+"="+e.Title)
	}
	want := []string{"./in/a.txt=A again", filepath.Join(root, "c.txt") + "=", "in/b.txt=B"}
	slices.Sort(want)
	if !slices.Equal(titles, want) {
		t.Errorf("index %q, want %q: the article named another way replaced, the others kept, the failure whose source is gone dropped", titles, want)
	}
	if _, err := os.Stat(filepath.Join(out, index.HTML)); err != nil {
		t.Errorf("no index page: %v", err)
	}
}

// TestAppendRun guards the run history: one whole line per call, the
// earlier ones kept.
func TestAppendRun(t *testing.T) {
	out := t.TempDir()
	s := outputs.New(outputs.Config{Out: out})
	defer s.Close()
	for _, l := range []string{`{"n":1}`, `{"n":2}`} {
		if err := s.AppendRun([]byte(l)); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.AppendRun([]byte("two\nlines")); err == nil {
		t.Error("a line with a newline was appended")
	}
	b, err := os.ReadFile(filepath.Join(out, outputs.RunsFile))
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != "{\"n\":1}\n{\"n\":2}\n" {
		t.Errorf("runs.jsonl = %q", b)
	}
}

// TestNewOrphans guards the rule that a run finding outputs newly
// orphaned is recorded, and one finding the same ones again is not.
func TestNewOrphans(t *testing.T) {
	report := filepath.Join(t.TempDir(), "report.json")
	if !outputs.NewOrphans(report, []string{"a.en.md"}) {
		t.Error("orphans without a last report are not new")
	}
	writeFile(t, report, `{"orphans": ["a.en.md", "a.en.json"]}`)
	if outputs.NewOrphans(report, []string{"a.en.json"}) || outputs.NewOrphans(report, nil) {
		t.Error("orphans the last report lists count as new")
	}
	if !outputs.NewOrphans(report, []string{"b.en.md"}) {
		t.Error("an orphan the last report lacks is not new")
	}
}

func digest(data string) string {
	sum := sha256.Sum256([]byte(data))
	return hex.EncodeToString(sum[:])
}

// TestBatchStateUnchangedNotRewritten: saving the batch state as it is
// (a collect with nothing to collect) leaves the file alone.
func TestBatchStateUnchangedNotRewritten(t *testing.T) {
	out := t.TempDir()
	s := outputs.New(outputs.Config{Out: out})
	defer s.Close()
	state := []byte("{\"version\": 2}\n")
	if err := s.WriteBatchState(state); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(out, outputs.BatchStateFile)
	long := time.Now().Add(-time.Hour).Truncate(time.Second)
	if err := os.Chtimes(path, long, long); err != nil {
		t.Fatal(err)
	}
	if err := s.WriteBatchState(state); err != nil {
		t.Fatal(err)
	}
	if info, err := os.Stat(path); err != nil || !info.ModTime().Equal(long) {
		t.Errorf("the same state was written again (%v)", err)
	}
	if err := s.WriteBatchState([]byte("{\"version\": 2, \"records\": []}\n")); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(path); !strings.Contains(string(b), "records") {
		t.Errorf("another state was not written: %s", b)
	}
}
