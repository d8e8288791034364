package main

import (
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/nl2en/nl2en/pipeline/cliargs"
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
				t.Errorf("Hoist(%q) = %q, want %q", tt.args, got[1:], want[1:])
			}
		})
	}
}
