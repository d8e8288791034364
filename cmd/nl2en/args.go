package main

import (
	"strings"

	"github.com/urfave/cli/v2"
)

// urfave/cli v2 stops parsing flags at a command's first argument
// (urfave/cli #427, #976, #1177): "nl2en translate article.txt --dry-run"
// would take --dry-run for a file, after translating the article for
// real. People put flags after their arguments all the time (ls dir -l,
// rsync src dst --dry-run), and with a tool that spends money that is the
// worst trap there is. So the arguments are put in the order urfave/cli
// reads before it reads them: each command's flags, with their values,
// before its arguments.

// hoistFlags returns args (the program name first) with the flags of the
// command they run moved before its arguments. Which flags take a value is
// read from the commands' own flag definitions, so a boolean flag never
// swallows the argument after it. "--flag=value" stays one argument; "--"
// ends the flags, and what follows it stays an argument even when it
// starts with "-". A word that names no subcommand (such as "help") is
// left where it is, with everything after it.
func hoistFlags(app *cli.App, args []string) []string {
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
