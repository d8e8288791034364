package main

import (
	"io"

	"github.com/urfave/cli/v2"

	"github.com/nl2en/nl2en/pipeline/render"
)

func schemaCommand(s streams) *cli.Command {
	return &cli.Command{
		Name:  "schema",
		Usage: "print the JSON Schema (2020-12) of the article JSON (NAME.en.json)",
		Action: func(c *cli.Context) error {
			if c.Args().Len() > 0 {
				return usagef("schema takes no arguments")
			}
			return runSchema(s.stdout)
		},
	}
}

// runSchema prints the schema embedded in the binary: the one its JSON
// outputs follow.
func runSchema(w io.Writer) error {
	_, err := io.WriteString(w, render.Schema())
	return err
}
