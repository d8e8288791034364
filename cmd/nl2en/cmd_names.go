package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"text/tabwriter"

	"github.com/urfave/cli/v2"

	"github.com/nl2en/nl2en/pipeline/job"
	"github.com/nl2en/nl2en/pipeline/names"
	"github.com/nl2en/nl2en/pipeline/runner"
)

func namesCommand(s *streams) *cli.Command {
	return &cli.Command{
		Name:      "names",
		Usage:     "show an output folder's names memory (names.tsv) and the name conflicts of its articles; exit 1 when there are conflicts",
		ArgsUsage: "DIR",
		Flags:     flags("names:format"),
		Action: func(c *cli.Context) error {
			if c.NArg() != 1 {
				return usagef("names: give the output folder, e.g. nl2en names english/")
			}
			asJSON := false
			switch c.String("format") {
			case "table", "":
			case "json":
				asJSON = true
			default:
				return usagef("--format %q: use table or json", c.String("format"))
			}
			return runNames(c.Args().First(), asJSON, s)
		},
	}
}

// runNames prints the names memory of the output folder dir and its
// conflicts; it ends with exit 1 when there are conflicts, so a script or
// cron can tell that a name needs a look.
func runNames(dir string, asJSON bool, s *streams) error {
	l, err := job.Names(dir)
	if errors.Is(err, job.ErrNotFolder) {
		return usagef("names: %s is not a folder: give the output folder of a translate run (--out)", dir)
	}
	if err != nil {
		var le *names.LineError
		if errors.As(err, &le) {
			return fmt.Errorf("%w: fix the line; its columns are dutch, english, seen, first_seen_in, separated by tabs", err)
		}
		return err
	}
	if asJSON {
		enc := json.NewEncoder(s.stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(l); err != nil {
			return err
		}
	} else {
		printNames(s.stdout, l)
	}
	if !l.Memory && !asJSON {
		s.say(slog.LevelInfo, "%s has no names memory yet: a translate run with --out %s learns one", dir, dir)
	}
	if len(l.Conflicts) > 0 {
		return errReported
	}
	return nil
}

func printNames(w io.Writer, l *job.NamesListing) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "DUTCH\tENGLISH\tSEEN\tFIRST SEEN IN")
	for _, e := range l.Names {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\n", e.Dutch, e.English, e.Seen, e.FirstSeenIn)
	}
	tw.Flush()
	if len(l.Conflicts) == 0 {
		fmt.Fprintf(w, "\n%s, no conflicts\n", runner.NOf(len(l.Names), "name"))
		return
	}
	fmt.Fprintf(w, "\n%s; %s:\n", runner.NOf(len(l.Names), "name"), runner.NOf(len(l.Conflicts), "conflict"))
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "DUTCH\tKEPT\tOTHER\tFROM\tARTICLE")
	for _, c := range l.Conflicts {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", c.Dutch, c.English, c.Other, c.From, c.Source)
	}
	tw.Flush()
}
