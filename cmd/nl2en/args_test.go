package main

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/urfave/cli/v2"

	"github.com/nl2en/nl2en/pipeline/cliargs"
	"github.com/nl2en/nl2en/pipeline/openaitest"
)

// TestHoistFlags guards that flags are read wherever they stand: before,
// between and after the arguments, with their values, for every command
// and subcommand.
func TestHoistFlags(t *testing.T) {
	app := newApp(&streams{stdin: strings.NewReader(""), stdout: io.Discard, stderr: io.Discard})
	tests := []struct {
		name string
		args string
		want string
	}{
		{"flags first already", "translate --dry-run --out en a.txt", "translate --dry-run --out en a.txt"},
		{"boolean after the input", "translate a.txt --dry-run", "translate --dry-run a.txt"},
		{"short boolean after the input", "translate a.txt -n", "translate -n a.txt"},
		{"value flag after the input", "translate articles/ --out english/", "translate --out english/ articles/"},
		{"short value flag after the input", "translate articles/ -o english/", "translate -o english/ articles/"},
		{"flag=value after the input", "translate a.txt --out=english/", "translate --out=english/ a.txt"},
		{"single-dash flag=value", "translate a.txt -out=english/", "translate -out=english/ a.txt"},
		{"between inputs", "translate a.txt --force b.txt --format json c.txt", "translate --force --format json a.txt b.txt c.txt"},
		{"a boolean does not take the next input", "translate --force a.txt", "translate --force a.txt"},
		{"a value that looks like a flag", "translate a.txt --api-key -secret-", "translate --api-key -secret- a.txt"},
		{"repeated slice flag", "translate dir --include *.md dir2 --include *.txt", "translate --include *.md --include *.txt dir dir2"},
		{"stdin", "translate - --format json", "translate --format json -"},
		{"-- ends the flags", "translate --dry-run -- -x.txt --out", "translate --dry-run -- -x.txt --out"},
		{"-- then a flag-like file after an input", "translate a.txt --quiet -- -b.txt", "translate --quiet -- a.txt -b.txt"},
		{"unknown flag is moved for urfave to refuse", "translate a.txt --frobnicate", "translate --frobnicate a.txt"},
		{"value flag missing its value", "translate a.txt --force --out", "translate --force --out"},
		{"help after the input", "translate a.txt --help", "translate --help a.txt"},
		{"app flag before the command", "--env-file x.env translate a.txt --dry-run", "--env-file x.env translate --dry-run a.txt"},
		{"batch submit", "batch submit articles/ --out english/ --quiet", "batch submit --out english/ --quiet articles/"},
		{"batch run", "batch run articles/ --out english/ --resubmit", "batch run --out english/ --resubmit articles/"},
		{"batch status", "batch status english/ --quiet", "batch status --quiet english/"},
		{"batch collect", "batch collect english/ --resubmit --format json", "batch collect --resubmit --format json english/"},
		{"inspect", "inspect a.txt --format json --token-budget 300", "inspect --format json --token-budget 300 a.txt"},
		{"prompts export", "prompts export mine --force", "prompts export --force mine"},
		{"help command is left alone", "help translate", "help translate"},
		{"unknown subcommand is left alone", "batch frob --out x", "batch frob --out x"},
		{"no arguments", "translate", "translate"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := cliargs.Hoist(app, append([]string{"nl2en"}, strings.Fields(tt.args)...))
			want := append([]string{"nl2en"}, strings.Fields(tt.want)...)
			if !slices.Equal(got, want) {
				t.Errorf("hoistFlags(%q) = %q, want %q", tt.args, got[1:], want[1:])
			}
		})
	}
}

// TestFlagsAfterInputs guards what issue 13 found: a flag after the inputs
// is a flag, so "translate article.txt --dry-run" sends nothing, and
// "--out" after a folder puts the outputs there.
func TestFlagsAfterInputs(t *testing.T) {
	srv := sampleServer(t)
	dir := t.TempDir()
	in := copySample(t, dir)

	r := runCLI(t, nil, append(append([]string{"translate", in}, apiArgs(srv)...), "--dry-run")...)
	if r.code != 0 {
		t.Fatalf("--dry-run after the input: exit %d; stderr:\n%s", r.code, r.stderr)
	}
	if n := srv.Count(openaitest.KindAny); n != 0 {
		t.Errorf("--dry-run after the input sent %d requests, want 0", n)
	}
	if !strings.Contains(r.stdout, "dry run:") {
		t.Errorf("stdout lacks the plan:\n%s", r.stdout)
	}
	if got := filesUnder(t, dir); !slices.Equal(got, []string{"bachmoet.txt"}) {
		t.Errorf("files after a dry run = %q, want the input alone", got)
	}

	root := writeArticles(t, t.TempDir(), "a.txt", "sub/b.md")
	out := filepath.Join(t.TempDir(), "english")
	r = runCLI(t, nil, append(append([]string{"translate", root}, apiArgs(srv)...), "--out", out, "-q")...)
	if r.code != 0 {
		t.Fatalf("--out after the folder: exit %d; stderr:\n%s", r.code, r.stderr)
	}
	if got, want := filesUnder(t, out), []string{"a.en.json", "a.en.md", "index.html", "index.jsonl", "report.json", "runs.jsonl", "sub/b.en.json", "sub/b.en.md"}; !slices.Equal(got, want) {
		t.Errorf("files under --out = %q, want %q", got, want)
	}
	if got := filesUnder(t, root); !slices.Equal(got, []string{"a.txt", "sub/b.md"}) {
		t.Errorf("outputs were written beside the inputs: %q", got)
	}

	// A file whose name starts with "-" is read after "--".
	dash := filepath.Join(dir, "-x.txt")
	if err := os.WriteFile(dash, []byte(folderArticle("x.txt", "rode")), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	r = runCLI(t, nil, append(append([]string{"translate"}, apiArgs(srv)...), "--format", "json", "--", "-x.txt")...)
	if r.code != 0 {
		t.Fatalf("translate -- -x.txt: exit %d; stderr:\n%s", r.code, r.stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "-x.en.json")); err != nil {
		t.Errorf("translate -- -x.txt: %v", err)
	}
}

// TestStdinFlagsAfterDash guards that "-" takes flags after it too.
func TestStdinFlagsAfterDash(t *testing.T) {
	srv := sampleServer(t)
	data, err := os.ReadFile("../../samples/bachmoet.txt")
	if err != nil {
		t.Fatal(err)
	}
	r := runCLI(t, bytes.NewReader(data), append([]string{"translate", "-"}, append(apiArgs(srv), "--format", "json")...)...)
	if r.code != 0 {
		t.Fatalf("exit %d; stderr:\n%s", r.code, r.stderr)
	}
	if !strings.HasPrefix(strings.TrimSpace(r.stdout), "{") {
		t.Errorf("stdout is not the JSON output: %.100s", r.stdout)
	}
}

// TestBatchFlagsAfterInputs guards "nl2en batch run articles/ --out
// english/", which said "give --out" when flags stopped at the folder.
func TestBatchFlagsAfterInputs(t *testing.T) {
	srv := sampleServer(t)
	dir := sampleFolder(t, 2)
	out := t.TempDir()
	r := runCLI(t, nil, append(append([]string{"batch", "run", dir}, apiArgs(srv)...), "--out", out)...)
	if r.code != 0 || !strings.Contains(r.stderr, "submitted") {
		t.Fatalf("batch run DIR --out OUT: exit %d\n%s", r.code, r.stderr)
	}
	st, err := loadState(out)
	if err != nil || len(st.Records) != 1 {
		t.Fatalf("state after batch run: %v, %+v", err, st)
	}
	r = runCLI(t, nil, append([]string{"batch", "status", out}, apiArgs(srv)...)...)
	if r.code != 0 || !strings.Contains(r.stdout, st.Records[0].BatchID) {
		t.Errorf("batch status OUT --flags: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
}

// TestFlagCategories guards that every flag of the commands with many
// flags is in a help group, and that translate --help shows the groups.
func TestFlagCategories(t *testing.T) {
	app := newApp(&streams{stdin: strings.NewReader(""), stdout: io.Discard, stderr: io.Discard})
	var check func(path string, cmds []*cli.Command)
	check = func(path string, cmds []*cli.Command) {
		for _, c := range cmds {
			name := strings.TrimSpace(path + " " + c.Name)
			check(name, c.Subcommands)
			if len(c.Flags) < 8 {
				continue // a short list needs no groups
			}
			for _, f := range c.Flags {
				cf, ok := f.(cli.CategorizableFlag)
				if !ok || cf.GetCategory() == "" {
					t.Errorf("%s --%s has no help group: add it to flagCategories", name, f.Names()[0])
				}
			}
		}
	}
	check("", app.Commands)

	r := runCLI(t, nil, "translate", "--help")
	for _, group := range []string{catAPI, catInput, catOutput, catFolders, catCost, catChecks} {
		if !slices.Contains(strings.Split(r.stdout, "\n"), "   "+group) {
			t.Errorf("translate --help lacks the group %q:\n%s", group, r.stdout)
		}
	}
}
