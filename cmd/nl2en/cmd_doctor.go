package main

import (
	"errors"
	"log/slog"

	"github.com/urfave/cli/v2"

	"github.com/nl2en/nl2en/pipeline/doctor"
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
			if c.NArg() > 0 {
				return usagef("doctor takes no arguments, only flags")
			}
			if err := s.readEnvFile(c); err != nil {
				return err
			}
			set, err := readSettings(c)
			if err != nil {
				return err
			}
			check := set
			if serverchoice.IsAuto(check.BaseURL) {
				check.BaseURL = ""
			}
			if err := check.Defaults().Validate(); err != nil {
				return err
			}
			log, err := s.newLogger(c, nil)
			if err != nil {
				return err
			}
			quiet, o := c.Bool("quiet"), doctor.Options{Offline: c.Bool("offline"), Log: log, Transport: s.transport}
			if !o.Offline {
				choice, err := serverchoice.Choose(c.Context, serverchoice.Request{Settings: set, BaseURLGiven: c.IsSet("base-url"),
					ModelGiven: c.IsSet("model"), Terminal: s.tty, Candidates: s.local})
				var nf *serverchoice.NotFoundError
				switch {
				case errors.As(err, &nf):
					o.NotFound = nf // a failed check, not an error
				case err != nil:
					return err
				case choice.Server != nil && !quiet:
					s.say(slog.LevelInfo, "using %s at %s, model %s%s", choice.Server.Name(), choice.Server.BaseURL, choice.Model.Model, choiceNote(choice))
				}
				set = choice.Settings
			}
			if !quiet {
				o.Sending = func(base, model string) {
					s.say(slog.LevelInfo, "sending one translation request of one sentence to %s, model %s, to check structured output", base, model)
				}
			}
			rep, err := doctor.Run(c.Context, set, o)
			if err != nil {
				return err
			}
			if err := rep.Write(s.stdout, func(r doctor.Result) string { return doctorFix(rep, r) }); err != nil {
				return err
			}
			if rep.Count(doctor.Failed) > 0 {
				return errReported
			}
			return nil
		},
	}
}
