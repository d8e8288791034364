package main

import (
	"testing"

	"github.com/urfave/cli/v2"
)

// TestSettingFlags guards the table that turns the pipeline's settings
// into flags against drifting from the flags themselves.
func TestSettingFlags(t *testing.T) {
	flags := map[string]cli.Flag{}
	for _, f := range translateFlags() {
		for _, n := range f.Names() {
			flags[n] = f
		}
	}
	for setting, want := range settingFlags {
		f, ok := flags[want.flag]
		if !ok {
			t.Errorf("the %s names --%s, which translate does not have", setting, want.flag)
			continue
		}
		var env []string
		if d, ok := f.(cli.DocGenerationFlag); ok {
			env = d.GetEnvVars()
		}
		got := ""
		if len(env) > 0 {
			got = env[0]
		}
		if got != want.env {
			t.Errorf("--%s reads %q from the environment, the hint table says %q", want.flag, got, want.env)
		}
	}
}
