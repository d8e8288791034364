package main

import (
	"fmt"

	"github.com/urfave/cli/v2"

	"github.com/nl2en/nl2en/prompts"
)

func promptsCommand(s streams) *cli.Command {
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
				if err != nil {
					return err
				}
				for _, w := range written {
					fmt.Fprintln(s.stdout, w)
				}
				return nil
			},
		}},
	}
}
