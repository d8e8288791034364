package cliargs

import (
	"errors"
	"slices"
	"testing"

	"github.com/urfave/cli/v2"
)

func TestNearest(t *testing.T) {
	names := []string{"out", "format", "dry-run", "deadline", "translate", "feed", "batch"}
	for _, tt := range []struct{ typed, want string }{
		{"ouT", "out"},
		{"dryrun", "dry-run"},
		{"fromat", "format"},
		{"transalte", "translate"},
		{"frobnicate", ""},
		{"x", ""},
	} {
		if got := Nearest(tt.typed, names); got != tt.want {
			t.Errorf("Nearest(%q) = %q, want %q", tt.typed, got, tt.want)
		}
	}
}

func TestTyped(t *testing.T) {
	args := []string{"nl2en", "translate", "a.txt", "--ouT", "x", "-dryrun", "--max-cost=2"}
	for name, want := range map[string]string{"ouT": "--ouT", "dryrun": "-dryrun", "max-cost": "--max-cost", "absent": "--absent"} {
		if got := Typed(args, name); got != want {
			t.Errorf("Typed(%q) = %q, want %q", name, got, want)
		}
	}
}

// TestSeed guards the order of the settings: a flag, then the
// environment, then the file's values.
func TestSeed(t *testing.T) {
	t.Setenv("TEST_CLIARGS_MODEL", "from-env")
	var got map[string]string
	app := &cli.App{Name: "x", Commands: []*cli.Command{{
		Name: "run",
		Flags: []cli.Flag{
			Def{Name: "model", Env: "TEST_CLIARGS_MODEL", Value: "default"}.Flag(),
			Def{Name: "out", Env: "TEST_CLIARGS_OUT", Value: ""}.Flag(),
			Def{Name: "budget", Env: "TEST_CLIARGS_BUDGET", Value: 0}.Flag(),
			Def{Name: "quiet", Value: false}.Flag(),
		},
		Action: func(c *cli.Context) error {
			if env, err := Seed(c, map[string]string{"TEST_CLIARGS_MODEL": "from-file", "TEST_CLIARGS_OUT": "file-out", "TEST_CLIARGS_BUDGET": "7"}); err != nil {
				t.Errorf("Seed: %s: %v", env, err)
			}
			got = Given(c)
			return nil
		},
	}}}
	if err := app.Run([]string{"x", "run", "--budget", "9"}); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"model": "from-env", "out": "file-out", "budget": "9"}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %q, want %q (all: %v)", k, got[k], v, got)
		}
	}
	if _, ok := got["quiet"]; ok {
		t.Error("a flag nobody set is given")
	}
}

func TestFlagError(t *testing.T) {
	app := &cli.App{Name: "nl2en", Commands: []*cli.Command{{Name: "translate", Flags: []cli.Flag{Def{Name: "out", Value: ""}.Flag()}, Action: func(*cli.Context) error { return nil }}}}
	var msgs []string
	var unknown error
	Guard(app, []string{"nl2en", "translate", "--ouT", "x"}, func(m string) error { msgs = append(msgs, m); return errors.New(m) }, &unknown)
	_ = app.Run([]string{"nl2en", "translate", "--ouT", "x"})
	_ = app.Run([]string{"nl2en", "transalte"})
	want := []string{"unknown flag --ouT: did you mean --out? (nl2en translate --help lists the flags)"}
	if !slices.Equal(msgs[:1], want) || unknown == nil || unknown.Error() != `unknown command "transalte": did you mean "translate"?` {
		t.Errorf("messages %q, unknown %v", msgs, unknown)
	}
}
