package main

import (
	"fmt"
	"io"
	"log/slog"

	"github.com/urfave/cli/v2"

	"github.com/nl2en/nl2en/pipeline/inputs"
	"github.com/nl2en/nl2en/pipeline/job"
	"github.com/nl2en/nl2en/pipeline/render"
	"github.com/nl2en/nl2en/prompts"
)

func inspectCommand(s *streams) *cli.Command {
	return &cli.Command{
		Name:      "inspect",
		Usage:     "show how articles split into segments and request batches, without calling any API",
		ArgsUsage: "FILE… | -",
		Flags:     flags("input-format", "max-bytes", "model", "token-budget", "inspect:concurrency", "inspect:format", "env-file"),
		Action: func(c *cli.Context) error {
			if err := s.readEnvFile(c); err != nil {
				return err
			}
			set, err := readSettings(c)
			if err != nil {
				return err
			}
			in := c.Args().Slice()
			if err := inputs.Check(inputs.Inspect, in, "", 0); err != nil {
				return fmt.Errorf("inspect: %w", err)
			}
			if err := job.WriteInspections(io.Discard, nil, c.String("format")); err != nil {
				return err // a format it does not know, before reading anything
			}
			var errs []error
			all, err := job.Inspect(c.Context, set, in, s.stdin, func(err error) {
				if errs = append(errs, err); len(in) > 1 {
					s.say(slog.LevelError, "%s", explain(err))
				}
			})
			switch {
			case err != nil:
				return err
			case len(in) == 1 && len(errs) == 1:
				return errs[0]
			}
			err = job.WriteInspections(s.stdout, all, c.String("format"))
			if err == nil && len(errs) > 0 {
				return errReported
			}
			return err
		},
	}
}

func promptsCommand(s *streams) *cli.Command {
	return &cli.Command{
		Name:  "prompts",
		Usage: "work with the prompt files",
		Subcommands: []*cli.Command{{
			Name:      "export",
			Usage:     "write the built-in prompt files into DIR for editing; use them with --prompts DIR",
			ArgsUsage: "DIR",
			Flags:     []cli.Flag{&cli.BoolFlag{Name: "force", Usage: "overwrite files that exist"}},
			Action: func(c *cli.Context) error {
				if c.NArg() != 1 {
					return usagef("prompts export: give one folder, e.g. nl2en prompts export my-prompts")
				}
				written, err := prompts.Export(c.Args().First(), c.Bool("force"))
				for _, w := range written {
					fmt.Fprintln(s.stdout, w)
				}
				return err
			},
		}},
	}
}

func schemaCommand(s *streams) *cli.Command {
	return &cli.Command{
		Name:  "schema",
		Usage: "print the JSON Schema (2020-12) of the article JSON (NAME.en.json)",
		Action: func(c *cli.Context) error {
			if c.Args().Len() > 0 {
				return usagef("schema takes no arguments")
			}
			_, err := fmt.Fprint(s.stdout, render.Schema())
			return err
		},
	}
}
