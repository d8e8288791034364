package main

import (
	"errors"
	"log/slog"

	"github.com/urfave/cli/v2"

	"github.com/nl2en/nl2en/pipeline/doctor"
	"github.com/nl2en/nl2en/pipeline/inputs"
	"github.com/nl2en/nl2en/pipeline/serverchoice"
)

func doctorCommand(s *streams) *cli.Command {
	return &cli.Command{
		Name:  "doctor",
		Usage: "check the setup (server, key, model, structured output, context window, limits, price, folders) and print a checklist",
		Description: "Sends one translation request of one sentence to check structured output (said on stderr before it goes); " +
			"--offline sends nothing. Exits 0 when no check failed, 1 otherwise.",
		Flags: flags(append(apiNames, "log-format", "quiet", "verbose", "out", "cache-dir", "no-cache", "rpm", "tpm",
			"price-in", "price-out", "prices", "offline")...),
		Action: func(c *cli.Context) error {
			o, err := s.readRun(c, inputs.None, c.Args().Slice())
			var nf *serverchoice.NotFoundError
			if err != nil && !errors.As(err, &nf) {
				return err
			}
			opts := doctor.Options{Offline: c.Bool("offline"), Log: o.log, Transport: s.transport}
			if nf != nil {
				opts.NotFound = nf // a failed check, not an error
			}
			if !o.quiet {
				opts.Sending = func(base, model string) {
					s.say(slog.LevelInfo, "sending one translation request of one sentence to %s, model %s, to check structured output", base, model)
				}
			}
			rep, err := doctor.Run(c.Context, o.Settings, opts)
			if err == nil {
				err = rep.Write(s.stdout, func(r doctor.Result) string { return doctorFix(rep, r) })
			}
			if err == nil && rep.Count(doctor.Failed) > 0 {
				return errReported
			}
			return err
		},
	}
}
