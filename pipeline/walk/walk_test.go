//go:build unix

package walk

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"

	"github.com/bmatcuk/doublestar/v4"
)

// tree makes files (with content) and directories (ending in "/") under a
// new temporary directory, and returns it.
func tree(t *testing.T, paths ...string) string {
	t.Helper()
	root := t.TempDir()
	for _, p := range paths {
		full := filepath.Join(root, filepath.FromSlash(p))
		if strings.HasSuffix(p, "/") {
			if err := os.MkdirAll(full, 0o755); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte("Het kabinet is gevallen.\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

func symlink(t *testing.T, target, link string) {
	t.Helper()
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
}

// skipOutputs leaves out files named as nl2en's Markdown outputs, as the
// runner's store does (with every format's suffix).
func skipOutputs(p string) bool { return strings.HasSuffix(strings.ToLower(p), ".en.md") }

// collect walks and returns the Rels found and the paths reported, in
// order.
func collect(t *testing.T, roots []string, o Options) (rels []string, reported []string) {
	t.Helper()
	if o.Skip == nil {
		o.Skip = skipOutputs
	}
	err := Walk(t.Context(), roots, o, func(in Input) error {
		rels = append(rels, in.Rel)
		return nil
	}, func(path string, err error) {
		reported = append(reported, path)
	})
	if err != nil {
		t.Fatalf("Walk: %v", err)
	}
	return rels, reported
}

// corpus is a tree with something of every kind Walk must tell apart.
func corpus(t *testing.T) string {
	root := tree(t,
		"a.txt", "b.md", "c.html", "d.htm", "e.pdf", "LOUD.TXT", "README",
		"a.en.md", "a.en.json", "B.EN.MD",
		".hidden.txt", ".git/notes.txt",
		"2024/03/x.txt", "2024/03/y.md", "2024/03/x.en.md", "2024/04/z.html",
		"drafts/draft.txt", "drafts/deep/more.txt",
		"empty/",
		"out/old.txt", "out/2024/03/x.en.md",
	)
	symlink(t, ".", filepath.Join(root, "loop"))
	symlink(t, "2024", filepath.Join(root, "years"))
	symlink(t, "a.txt", filepath.Join(root, "alias.txt"))
	symlink(t, "nowhere.txt", filepath.Join(root, "dangling.txt"))
	symlink(t, "nowhere", filepath.Join(root, "dangling"))
	if err := syscall.Mkfifo(filepath.Join(root, "pipe.txt"), 0o644); err != nil {
		t.Fatal(err)
	}
	return root
}

func TestWalk(t *testing.T) {
	root := corpus(t)
	tests := []struct {
		name     string
		o        Options
		want     []string
		reported []string
	}{
		{
			name: "defaults: links are left alone",
			o:    Options{Out: filepath.Join(root, "out")},
			want: []string{
				"2024/03/x.txt", "2024/03/y.md", "2024/04/z.html",
				"LOUD.TXT", "a.txt", "b.md", "c.html", "d.htm",
				"drafts/deep/more.txt", "drafts/draft.txt",
			},
			reported: []string{"pipe.txt"},
		},
		{
			name: "following links walks each directory once",
			o:    Options{Out: filepath.Join(root, "out"), FollowSymlinks: true},
			want: []string{
				"2024/03/x.txt", "2024/03/y.md", "2024/04/z.html",
				"LOUD.TXT", "a.txt", "alias.txt", "b.md", "c.html", "d.htm",
				"drafts/deep/more.txt", "drafts/draft.txt",
			},
			reported: []string{"dangling.txt", "pipe.txt"},
		},
		{
			name: "out directory not inside the root",
			o:    Options{Out: t.TempDir(), Include: []string{"**/*.txt"}, Exclude: []string{"drafts", "*.pdf"}},
			// Case matters in a pattern the user gives: no LOUD.TXT.
			want:     []string{"2024/03/x.txt", "a.txt", "out/old.txt"},
			reported: []string{"pipe.txt"},
		},
		{
			name: "a pattern without a slash matches names at any depth",
			o:    Options{Out: filepath.Join(root, "out"), Include: []string{"*.md", "*.html"}},
			want: []string{"2024/03/y.md", "2024/04/z.html", "b.md", "c.html"},
		},
		{
			name: "a pattern with a slash matches the relative path",
			o:    Options{Out: filepath.Join(root, "out"), Include: []string{"2024/**"}, Exclude: []string{"2024/04/**"}},
			want: []string{"2024/03/x.txt", "2024/03/y.md"},
		},
		{
			name:     "excluding a directory prunes it",
			o:        Options{Out: filepath.Join(root, "out"), Exclude: []string{"drafts/**", "2024", "*.htm{,l}"}},
			want:     []string{"LOUD.TXT", "a.txt", "b.md"},
			reported: []string{"pipe.txt"},
		},
		{
			name: "braces and classes",
			o:    Options{Out: filepath.Join(root, "out"), Include: []string{"**/[xy].{txt,md}", "README"}},
			want: []string{"2024/03/x.txt", "2024/03/y.md", "README"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, reported := collect(t, []string{root}, tt.o)
			if !slices.Equal(got, tt.want) {
				t.Errorf("inputs:\n got %q\nwant %q", got, tt.want)
			}
			for i, p := range reported {
				reported[i], _ = filepath.Rel(root, p)
			}
			if !slices.Equal(reported, tt.reported) {
				t.Errorf("reported %q, want %q", reported, tt.reported)
			}
		})
	}
}

func TestWalkFollowsLinkedDirectory(t *testing.T) {
	articles := tree(t, "2024/a.txt", "2024/sub/b.txt")
	root := tree(t, "own.txt")
	symlink(t, articles, filepath.Join(root, "shared"))
	symlink(t, filepath.Join(articles, "2024"), filepath.Join(root, "twice")) // seen already through shared
	symlink(t, root, filepath.Join(articles, "2024", "back"))                 // a loop through two links

	got, _ := collect(t, []string{root}, Options{FollowSymlinks: true})
	want := []string{"own.txt", "shared/2024/a.txt", "shared/2024/sub/b.txt"}
	if !slices.Equal(got, want) {
		t.Errorf("with links followed: got %q, want %q", got, want)
	}
	got, _ = collect(t, []string{root}, Options{})
	if want := []string{"own.txt"}; !slices.Equal(got, want) {
		t.Errorf("without: got %q, want %q", got, want)
	}
}

// TestWalkFollowsLinkedFile guards that a link to a file follows the rule
// of links to directories: one leading out of the tree is not an input
// unless links are followed. A root given as a link is always followed.
func TestWalkFollowsLinkedFile(t *testing.T) {
	outside := tree(t, "secret.txt")
	root := tree(t, "own.txt")
	symlink(t, filepath.Join(outside, "secret.txt"), filepath.Join(root, "leak.txt"))
	symlink(t, "own.txt", filepath.Join(root, "same.txt"))

	got, reported := collect(t, []string{root}, Options{})
	if want := []string{"own.txt"}; !slices.Equal(got, want) || len(reported) != 0 {
		t.Errorf("without following: got %q, reported %q; want %q", got, reported, want)
	}
	got, _ = collect(t, []string{root}, Options{FollowSymlinks: true})
	if want := []string{"leak.txt", "own.txt", "same.txt"}; !slices.Equal(got, want) {
		t.Errorf("following: got %q, want %q", got, want)
	}
	got, _ = collect(t, []string{filepath.Join(root, "leak.txt")}, Options{})
	if want := []string{"leak.txt"}; !slices.Equal(got, want) {
		t.Errorf("a link given as a root: got %q, want %q", got, want)
	}
}

func TestWalkRoots(t *testing.T) {
	root := corpus(t)
	missing := filepath.Join(root, "missing")
	var got []Input
	var reported []string
	err := Walk(t.Context(),
		[]string{filepath.Join(root, "e.pdf"), missing, filepath.Join(root, "2024"), filepath.Join(root, "a.en.md"), filepath.Join(root, "pipe.txt")},
		Options{Skip: skipOutputs},
		func(in Input) error { got = append(got, in); return nil },
		func(path string, err error) { reported = append(reported, path) })
	if err != nil {
		t.Fatal(err)
	}
	want := []Input{
		{Path: filepath.Join(root, "e.pdf"), Root: root, Rel: "e.pdf"},
		{Path: filepath.Join(root, "2024", "03", "x.txt"), Root: filepath.Join(root, "2024"), Rel: "03/x.txt"},
		{Path: filepath.Join(root, "2024", "03", "y.md"), Root: filepath.Join(root, "2024"), Rel: "03/y.md"},
		{Path: filepath.Join(root, "2024", "04", "z.html"), Root: filepath.Join(root, "2024"), Rel: "04/z.html"},
		{Path: filepath.Join(root, "a.en.md"), Root: root, Rel: "a.en.md"},
	}
	if !slices.Equal(got, want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
	if want := []string{missing, filepath.Join(root, "pipe.txt")}; !slices.Equal(reported, want) {
		t.Errorf("reported %q, want %q", reported, want)
	}
}

func TestWalkErrorsWithoutCallback(t *testing.T) {
	root := corpus(t)
	var n int
	err := Walk(t.Context(), []string{root, filepath.Join(root, "missing")}, Options{Skip: skipOutputs},
		func(Input) error { n++; return nil }, nil)
	if !errors.Is(err, fs.ErrNotExist) || !errors.Is(err, errNotRegular) {
		t.Errorf("Walk: %v, want the missing root and the FIFO", err)
	}
	if n != 11 {
		t.Errorf("%d inputs, want 11: the errors must not stop the walk", n)
	}
}

func TestWalkUnreadableDirectory(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root reads any directory")
	}
	root := tree(t, "a/1.txt", "b/2.txt", "c/3.txt")
	locked := filepath.Join(root, "b")
	if err := os.Chmod(locked, 0); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(locked, 0o755) })
	got, reported := collect(t, []string{root}, Options{})
	if want := []string{"a/1.txt", "c/3.txt"}; !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
	if want := []string{locked}; !slices.Equal(reported, want) {
		t.Errorf("reported %q, want %q", reported, want)
	}
}

func TestWalkStops(t *testing.T) {
	root := tree(t, "a.txt", "b.txt", "c.txt")
	t.Run("fn error", func(t *testing.T) {
		boom := errors.New("boom")
		var n int
		err := Walk(t.Context(), []string{root, root}, Options{}, func(Input) error { n++; return boom }, nil)
		if !errors.Is(err, boom) || n != 1 {
			t.Errorf("Walk: %v after %d inputs, want boom after 1", err, n)
		}
	})
	t.Run("cancelled", func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		var n int
		err := Walk(ctx, []string{root, root}, Options{}, func(Input) error { n++; cancel(); return nil }, nil)
		if !errors.Is(err, context.Canceled) || n != 1 {
			t.Errorf("Walk: %v after %d inputs, want context.Canceled after 1", err, n)
		}
	})
	t.Run("bad pattern", func(t *testing.T) {
		for _, o := range []Options{{Include: []string{"[a"}}, {Exclude: []string{"{a"}}, {Include: []string{""}}} {
			err := Walk(t.Context(), []string{root}, o, func(Input) error {
				t.Error("fn called")
				return nil
			}, nil)
			if !errors.Is(err, doublestar.ErrBadPattern) {
				t.Errorf("Walk with %+v: %v, want ErrBadPattern", o, err)
			}
		}
	})
}

// TestWalkOutCreatedDuringWalk covers an output directory inside the root
// that the run creates as it goes, after the walk began.
func TestWalkOutCreatedDuringWalk(t *testing.T) {
	root := tree(t, "a.txt", "z/b.txt")
	out := filepath.Join(root, "z", "out")
	var got []string
	err := Walk(t.Context(), []string{root}, Options{Out: out}, func(in Input) error {
		got = append(got, in.Rel)
		if err := os.MkdirAll(out, 0o755); err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(out, "stray.txt"), nil, 0o644)
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"a.txt", "z/b.txt"}; !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

// TestWalkSkip guards that the files Skip names are left out, by their
// full path, and that nothing else is.
func TestWalkSkip(t *testing.T) {
	root := tree(t, "a.txt", "a.en.md", "sub/b.md", "sub/index.html")
	skip := func(p string) bool {
		return strings.HasSuffix(p, ".en.md") || p == filepath.Join(root, "sub", "index.html")
	}
	got, _ := collect(t, []string{root}, Options{Skip: skip})
	if want := []string{"a.txt", "sub/b.md"}; !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}
