// Package cliargs reads nl2en's command line as it was typed: where flags
// may stand ([Hoist]: anywhere), the flag as typed in a message
// ([Typed]), and the name nearest to a mistyped flag or command
// ([Nearest]).
//
// Flags stand anywhere. urfave/cli v2 stops parsing flags at a command's first
// argument (urfave/cli #427, #976, #1177): "nl2en translate article.txt
// --dry-run" would take --dry-run for a file, after translating the
// article for real. People put flags after their arguments all the time
// (ls dir -l, rsync src dst --dry-run), and with a tool that spends money
// that is the worst trap there is. So [Hoist] puts the arguments in the
// order urfave/cli reads before it reads them: each command's flags, with
// their values, before its arguments.
package cliargs

import (
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/joho/godotenv"
	"github.com/urfave/cli/v2"
	"github.com/xrash/smetrics"
)

// Hoist returns args (the program name first) with the flags of the
// command they run moved before its arguments. Which flags take a value is
// read from the commands' own flag definitions, so a boolean flag never
// swallows the argument after it. "--flag=value" stays one argument; "--"
// ends the flags, and what follows it stays an argument even when it
// starts with "-". A word that names no subcommand (such as "help") is
// left where it is, with everything after it.
func Hoist(app *cli.App, args []string) []string {
	if len(args) < 2 {
		return args
	}
	out := []string{args[0]}
	rest := args[1:]
	flags := append([]cli.Flag{cli.HelpFlag, cli.VersionFlag}, app.Flags...)
	cmds := app.Commands
	for {
		// This level's own flags come before the subcommand's name.
		n := leadingFlags(flags, rest)
		out = append(out, rest[:n]...)
		rest = rest[n:]
		if len(rest) == 0 || rest[0] == "--" {
			return append(out, rest...)
		}
		cmd := findCommand(cmds, rest[0])
		if cmd == nil {
			return append(out, rest...)
		}
		out = append(out, rest[0])
		rest = rest[1:]
		flags = append([]cli.Flag{cli.HelpFlag}, cmd.Flags...)
		if len(cmd.Subcommands) == 0 {
			return append(out, flagsFirst(flags, rest)...)
		}
		cmds = cmd.Subcommands
	}
}

// leadingFlags counts the arguments at the start of args that are flags
// or their values.
func leadingFlags(flags []cli.Flag, args []string) int {
	i := 0
	for i < len(args) && isFlag(args[i]) {
		if takesValue(flags, args[i]) && i+1 < len(args) {
			i++
		}
		i++
	}
	return i
}

// flagsFirst reorders a command's arguments: flags with their values, in
// the order given, then the other arguments, in the order given.
func flagsFirst(flags []cli.Flag, args []string) []string {
	var fl, pos []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			pos = append(pos, args[i+1:]...)
			i = len(args)
		case !isFlag(a):
			pos = append(pos, a)
		case takesValue(flags, a) && i+1 == len(args):
			// A flag missing its value goes last, alone with the other
			// flags, so that urfave/cli refuses it rather than taking the
			// first argument for its value.
			return append(fl, a)
		default:
			fl = append(fl, a)
			if takesValue(flags, a) {
				fl = append(fl, args[i+1])
				i++
			}
		}
	}
	for _, p := range pos {
		if isFlag(p) {
			// A file named "-x" must not be read as a flag.
			fl = append(fl, "--")
			break
		}
	}
	return append(fl, pos...)
}

// isFlag reports whether an argument is a flag: "-" alone is stdin, and
// "--" the end of the flags.
func isFlag(a string) bool {
	return len(a) > 1 && a[0] == '-' && a != "--"
}

// takesValue reports whether the flag a names takes its value from the
// next argument. A flag given as --name=value, a boolean flag, and a flag
// no command knows (urfave/cli will say so) do not.
func takesValue(flags []cli.Flag, a string) bool {
	name := strings.TrimLeft(a, "-")
	if strings.Contains(name, "=") {
		return false
	}
	for _, f := range flags {
		for _, n := range f.Names() {
			if n != name {
				continue
			}
			if d, ok := f.(cli.DocGenerationFlag); ok {
				return d.TakesValue()
			}
			return false
		}
	}
	return false
}

// findCommand returns the command of cmds named or aliased name.
func findCommand(cmds []*cli.Command, name string) *cli.Command {
	for _, c := range cmds {
		if c.HasName(name) {
			return c
		}
	}
	return nil
}

// Typed is the flag name as args give it, with its dashes: "--ouT",
// "-ouT"; "--name" when args do not hold it.
func Typed(args []string, name string) string {
	for _, a := range args {
		if n, _, _ := strings.Cut(strings.TrimLeft(a, "-"), "="); n == name && isFlag(a) {
			return strings.SplitN(a, "=", 2)[0]
		}
	}
	return "--" + name
}

// Nearest is the name most like typed (Jaro-Winkler, case aside), when
// it is like enough to be what was meant; "" otherwise.
func Nearest(typed string, names []string) string {
	best, score := "", 0.8
	for _, n := range names {
		if d := smetrics.JaroWinkler(strings.ToLower(typed), n, 0.7, 4); d > score {
			best, score = n, d
		}
	}
	return best
}

// Def is one flag: the type of its default Value is its kind (string,
// bool, int, int64, float64, time.Duration, or []string for a repeatable
// flag).
type Def struct {
	Name, Alias, Env, Category string
	Value                      any
	Usage                      string
}

// Flag makes the flag anew: a flag holds its command's value, so each
// command gets its own.
func (d Def) Flag() cli.Flag {
	var aliases, env []string
	if d.Alias != "" {
		aliases = []string{d.Alias}
	}
	if d.Env != "" {
		env = []string{d.Env}
	}
	switch v := d.Value.(type) {
	case string:
		return &cli.StringFlag{Name: d.Name, Aliases: aliases, EnvVars: env, Category: d.Category, Value: v, Usage: d.Usage}
	case bool:
		return &cli.BoolFlag{Name: d.Name, Aliases: aliases, EnvVars: env, Category: d.Category, Usage: d.Usage}
	case int:
		return &cli.IntFlag{Name: d.Name, Aliases: aliases, EnvVars: env, Category: d.Category, Value: v, Usage: d.Usage}
	case int64:
		return &cli.Int64Flag{Name: d.Name, Aliases: aliases, EnvVars: env, Category: d.Category, Value: v, Usage: d.Usage}
	case float64:
		return &cli.Float64Flag{Name: d.Name, Aliases: aliases, EnvVars: env, Category: d.Category, Value: v, Usage: d.Usage}
	case time.Duration:
		return &cli.DurationFlag{Name: d.Name, Aliases: aliases, EnvVars: env, Category: d.Category, Value: v, Usage: d.Usage}
	}
	return &cli.StringSliceFlag{Name: d.Name, Aliases: aliases, EnvVars: env, Category: d.Category, Usage: d.Usage}
}

// Seed sets each flag of c's command that neither the command line nor
// the environment set, and whose variable values holds (a settings
// file), to that value: a flag wins over the environment, which wins
// over the file. It returns the variable whose value does not fit.
func Seed(c *cli.Context, values map[string]string) (string, error) {
	for _, f := range c.Command.Flags {
		d, ok := f.(cli.DocGenerationFlag)
		if name := f.Names()[0]; ok && !c.IsSet(name) {
			for _, env := range d.GetEnvVars() {
				if v, ok := values[env]; ok {
					if err := c.Set(name, v); err != nil {
						return env, err
					}
					break
				}
			}
		}
	}
	return "", nil
}

// Given are the flags of c's command set on the command line, in the
// environment or by [Seed], by name, with their values as text.
func Given(c *cli.Context) map[string]string {
	given := map[string]string{}
	for _, f := range c.Command.Flags {
		name := f.Names()[0]
		switch g, _ := f.(cli.DocGenerationFlag); {
		case !c.IsSet(name):
		case g != nil && !g.TakesValue():
			given[name] = fmt.Sprint(c.Bool(name))
		default:
			given[name] = fmt.Sprint(c.Value(name))
		}
	}
	return given
}

// Command is c's command as it is typed after the program's name:
// "translate", "batch collect".
func Command(c *cli.Context) string {
	var names []string
	for _, l := range c.Lineage() {
		if l.Command != nil && l.Command.Name != "" && l.Command.Name != c.App.Name {
			names = append([]string{l.Command.Name}, names...)
		}
	}
	return strings.Join(names, " ")
}

// FlagError words the error urfave/cli (and package flag) gives for a
// command line c's command cannot parse: the flag as args typed it,
// with its dashes, and for an unknown one the nearest there is:
// "unknown flag --ouT: did you mean --out?", "flag --out needs a value".
func FlagError(c *cli.Context, err error, args []string) string {
	msg, fl := err.Error(), c.App.Flags
	if c.Command != nil && len(c.Command.Flags) > 0 {
		fl = c.Command.Flags
	}
	if name, ok := strings.CutPrefix(msg, "flag provided but not defined: -"); ok {
		var names []string
		for _, f := range fl {
			names = append(names, f.Names()...)
		}
		msg = "unknown flag " + Typed(args, name)
		if near := Nearest(name, names); near != "" {
			msg += ": did you mean --" + near + "?"
		}
		return msg
	}
	if name, ok := strings.CutPrefix(msg, "flag needs an argument: -"); ok {
		return "flag " + Typed(args, name) + " needs a value"
	}
	return strings.Replace(msg, " flag -", " flag --", 1)
}

// UnknownCommand words a command that is not among cmds: with the
// nearest that is, else the list of them.
func UnknownCommand(name string, cmds []*cli.Command) string {
	var names []string
	for _, c := range cmds {
		names = append(names, c.Name)
	}
	if name == "" {
		return "give a command: " + strings.Join(names, ", ")
	}
	if near := Nearest(name, names); near != "" {
		return fmt.Sprintf("unknown command %q: did you mean %q?", name, near)
	}
	return fmt.Sprintf("unknown command %q: use one of %s", name, strings.Join(names, ", "))
}

// Guard routes every mistake in a command line to fail: a flag app or
// one of its commands cannot parse (worded by [FlagError]), and a command
// or subcommand it does not have (worded by [UnknownCommand]); urfave/cli
// would print help instead, or, for a subcommand, nothing at all. The
// error of an unknown top-level command is returned through *unknown, as
// urfave/cli gives that handler no way to fail the run.
func Guard(app *cli.App, args []string, fail func(msg string) error, unknown *error) {
	onFlag := func(c *cli.Context, err error, _ bool) error {
		return fail(FlagError(c, err, args) + " (" + c.App.Name + " " + strings.TrimSpace(Command(c)+" --help") + " lists the flags)")
	}
	app.OnUsageError = onFlag
	app.CommandNotFound = func(c *cli.Context, name string) { *unknown = fail(UnknownCommand(name, c.App.Commands)) }
	var guard func([]*cli.Command)
	guard = func(cmds []*cli.Command) {
		for _, c := range cmds {
			c.OnUsageError = onFlag // urfave/cli does not pass the app's down
			if len(c.Subcommands) > 0 && c.Action == nil {
				c.Action = func(cc *cli.Context) error { return fail(UnknownCommand(cc.Args().First(), cc.Command.Subcommands)) }
			}
			guard(c.Subcommands)
		}
	}
	guard(app.Commands)
}

// ReadSettingsFile reads the settings file at path, a .env file read
// with godotenv, into the flags of c's command that the command line and
// the environment left unset ([Seed]), and returns its values. The
// process environment is not changed. A file that is not there is no
// error unless required.
func ReadSettingsFile(c *cli.Context, path string, required bool) (map[string]string, error) {
	if _, err := os.Stat(path); err != nil && !required {
		return nil, nil
	}
	file, err := godotenv.Read(path)
	if err == nil {
		var env string
		if env, err = Seed(c, file); env != "" {
			err = fmt.Errorf("%s=%s: %w", env, file[env], err)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("env file %s: %w", path, err)
	}
	return file, nil
}
