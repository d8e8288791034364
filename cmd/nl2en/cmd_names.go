package main

import (
	"errors"
	"io"
	"log/slog"

	"github.com/urfave/cli/v2"

	"github.com/nl2en/nl2en/pipeline/job"
	"github.com/nl2en/nl2en/pipeline/names"
)

// namesCommand prints an output folder's names memory and the name
// conflicts of its articles; it ends with exit 1 when there are
// conflicts, so a script or cron can tell that a name needs a look.
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
			dir, format := c.Args().First(), c.String("format")
			if err := (&job.NamesListing{}).Write(io.Discard, format); err != nil {
				return err // a format it does not know, before reading anything
			}
			l, err := job.Names(dir)
			var le *names.LineError
			switch {
			case errors.Is(err, job.ErrNotFolder):
				return usagef("names: %s is not a folder: give the output folder of a translate run (--out)", dir)
			case errors.As(err, &le):
				return usagef("%w: fix the line; its columns are dutch, english, seen, first_seen_in, separated by tabs", err)
			case err != nil:
				return err
			}
			if err := l.Write(s.stdout, format); err != nil {
				return err
			}
			if !l.Memory && format != "json" {
				s.say(slog.LevelInfo, "%s has no names memory yet: a translate run with --out %s learns one", dir, dir)
			}
			if len(l.Conflicts) > 0 {
				return errReported
			}
			return nil
		},
	}
}
