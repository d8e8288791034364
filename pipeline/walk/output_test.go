//go:build unix

package walk

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestOutputPath(t *testing.T) {
	outside := t.TempDir()
	base := t.TempDir()
	out := filepath.Join(base, "out")
	for _, d := range []string{"out/2024/real", "elsewhere"} {
		if err := os.MkdirAll(filepath.Join(base, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	symlink(t, outside, filepath.Join(out, "evil"))                                      // absolute, leads out
	symlink(t, "../elsewhere", filepath.Join(out, "sneaky"))                             // relative, leads out
	symlink(t, "2024/real", filepath.Join(out, "alias"))                                 // stays inside
	symlink(t, filepath.Join(outside, "x.en.md"), filepath.Join(out, "2024", "a.en.md")) // dangling, leads out
	symlink(t, "real/ok.en.md", filepath.Join(out, "2024", "ok.en.md"))                  // dangling, stays inside
	symlink(t, "self", filepath.Join(out, "self"))                                       // a loop
	linkedOut := filepath.Join(base, "linked-out")
	symlink(t, "out", linkedOut)

	tests := []struct {
		name   string
		outDir string
		in     Input
		suffix string
		want   string // relative to base, or "" for an error
		unsafe bool   // the error is ErrUnsafePath
	}{
		{"mirrored", out, Input{Rel: "2024/03/a.txt"}, ".en.md", "out/2024/03/a.en.md", false},
		{"json sidecar", out, Input{Rel: "2024/03/a.txt"}, ".en.json", "out/2024/03/a.en.json", false},
		{"plain file", out, Input{Rel: "a.html"}, ".en.md", "out/a.en.md", false},
		{"no extension", out, Input{Rel: "README"}, ".en.md", "out/README.en.md", false},
		{"two dots", out, Input{Rel: "a.b.txt"}, ".en.md", "out/a.b.en.md", false},
		{"dot component", out, Input{Rel: "./2024//b.txt"}, ".en.md", "out/2024/b.en.md", false},
		{"through a link inside", out, Input{Rel: "alias/a.txt"}, ".en.md", "out/alias/a.en.md", false},
		{"dangling link inside", out, Input{Rel: "2024/ok.txt"}, ".en.md", "out/2024/ok.en.md", false},
		{"out dir is a link", linkedOut, Input{Rel: "2024/b.txt"}, ".en.md", "linked-out/2024/b.en.md", false},
		{"out dir is a link, dangling link outside", linkedOut, Input{Rel: "2024/a.txt"}, ".en.md", "", true},
		{"beside the input", "", Input{Path: filepath.Join(base, "in", "a.txt"), Rel: "a.txt"}, ".en.md", "in/a.en.md", false},
		{"dotdot", out, Input{Rel: "../a.txt"}, ".en.md", "", true},
		{"dotdot inside", out, Input{Rel: "2024/../../a.txt"}, ".en.md", "", true},
		{"dotdot beside the input", "", Input{Path: "a.txt", Rel: "../a.txt"}, ".en.md", "", true},
		{"absolute", out, Input{Rel: "/etc/passwd"}, ".en.md", "", true},
		{"empty", out, Input{Rel: ""}, ".en.md", "", true},
		{"only dots", out, Input{Rel: "."}, ".en.md", "", true},
		{"NUL", out, Input{Rel: "a\x00.txt"}, ".en.md", "", true},
		{"link to an absolute path outside", out, Input{Rel: "evil/a.txt"}, ".en.md", "", true},
		{"relative link outside", out, Input{Rel: "sneaky/a.txt"}, ".en.md", "", true},
		{"dangling link outside", out, Input{Rel: "2024/a.txt"}, ".en.md", "", true},
		{"link loop", out, Input{Rel: "self/a.txt"}, ".en.md", "", false},
		{"suffix with a slash", out, Input{Rel: "a.txt"}, "/../x.md", "", false},
		{"empty suffix", out, Input{Rel: "a.txt"}, "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := OutputPath(tt.outDir, tt.in, tt.suffix)
			if tt.want == "" {
				if err == nil {
					t.Fatalf("OutputPath = %q, want an error", got)
				}
				if errors.Is(err, ErrUnsafePath) != tt.unsafe {
					t.Errorf("OutputPath: %v; ErrUnsafePath %v, want %v", err, !tt.unsafe, tt.unsafe)
				}
				return
			}
			if err != nil {
				t.Fatalf("OutputPath: %v", err)
			}
			if want := filepath.Join(base, filepath.FromSlash(tt.want)); got != want {
				t.Errorf("OutputPath = %q, want %q", got, want)
			}
		})
	}
}

// TestOutputsMirrorTree walks a tree and maps every input, as the command
// does: the outputs mirror the tree, and none lands outside.
func TestOutputsMirrorTree(t *testing.T) {
	root := tree(t, "a.txt", "2024/03/b.md", "2024/04/c.html", "x/y/z/d.htm")
	out := filepath.Join(t.TempDir(), "en")
	var got []string
	err := Walk(t.Context(), []string{root}, Options{Out: out}, func(in Input) error {
		p, err := OutputPath(out, in, ".en.md")
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(out, p)
		got = append(got, filepath.ToSlash(rel))
		return err
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"2024/03/b.en.md", "2024/04/c.en.md", "a.en.md", "x/y/z/d.en.md"}
	if len(got) != len(want) {
		t.Fatalf("got %q, want %q", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("output %d: got %q, want %q", i, got[i], want[i])
		}
	}
}

func TestResolve(t *testing.T) {
	base := t.TempDir()
	real, err := filepath.EvalSymlinks(base)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(real, "d", "e"), 0o755); err != nil {
		t.Fatal(err)
	}
	symlink(t, "d/e", filepath.Join(real, "rel"))
	symlink(t, filepath.Join(real, "d"), filepath.Join(real, "abs"))
	symlink(t, "../../d", filepath.Join(real, "d", "e", "up"))
	symlink(t, "missing/deeper", filepath.Join(real, "dangling"))
	tests := []struct{ in, want string }{
		{"d/e/f", "d/e/f"},
		{"rel/f", "d/e/f"},
		{"abs/e/f", "d/e/f"},
		{"rel/up/e", "d/e"},
		{"dangling/f", "missing/deeper/f"},
		{"d/../d/e", "d/e"},
		{"new/dirs/f", "new/dirs/f"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := resolve(filepath.Join(real, tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if want := filepath.Join(real, tt.want); got != want {
				t.Errorf("resolve = %q, want %q", got, want)
			}
		})
	}
}
