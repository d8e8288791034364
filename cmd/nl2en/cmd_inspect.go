package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/urfave/cli/v2"

	"github.com/nl2en/nl2en/pipeline/job"
)

func inspectCommand(s streams) *cli.Command {
	flags := categorize(append(inputFlags(), modelFlag(), tokenBudgetFlag(),
		&cli.IntFlag{Name: "concurrency", Usage: "API requests in flight at once: one article is planned over them as translate would", Value: job.DefaultConcurrency, EnvVars: []string{"NL2EN_CONCURRENCY"}},
		&cli.StringFlag{Name: "format", Aliases: []string{"f"}, Usage: "table or json", Value: "table"},
	))
	return &cli.Command{
		Name:      "inspect",
		Usage:     "show how articles split into segments and request batches, without calling any API",
		ArgsUsage: "FILE… | -",
		Flags:     flags,
		Action: func(c *cli.Context) error {
			set, err := readSettings(c)
			if err != nil {
				return err
			}
			inputs := c.Args().Slice()
			if len(inputs) == 0 {
				return usagef("inspect: no input: give article files, or - to read stdin")
			}
			asJSON := false
			switch c.String("format") {
			case "table", "":
			case "json":
				asJSON = true
			default:
				return usagef("--format %q: use table or json", c.String("format"))
			}
			return runInspect(c.Context, set, inputs, asJSON, s)
		},
	}
}

func runInspect(ctx context.Context, set job.Settings, inputs []string, asJSON bool, s streams) error {
	var errs []error
	all, err := job.Inspect(ctx, set, inputs, s.stdin, func(err error) {
		errs = append(errs, err)
		if len(inputs) > 1 {
			fmt.Fprintf(s.stderr, "nl2en: %s\n", explain(err))
		}
	})
	if err != nil {
		return err
	}
	if len(inputs) == 1 && len(errs) == 1 {
		return errs[0]
	}
	if asJSON {
		enc := json.NewEncoder(s.stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(all); err != nil {
			return err
		}
	} else {
		for _, a := range all {
			printInspectTable(s.stdout, a)
		}
	}
	if len(errs) > 0 {
		return reportedError{exitFailure}
	}
	return nil
}

func printInspectTable(w io.Writer, a job.Inspection) {
	est := ""
	if a.Estimated {
		est = " (estimated)"
	}
	fmt.Fprintf(w, "%s  %s  %d segments, %d tokens%s, %d request batches\n", a.File, a.Format, len(a.Segments), a.Tokens, est, a.Batches)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tKIND\tLANG\tTOKENS\tBATCH\tTEXT")
	for _, s := range a.Segments {
		batch := "kept"
		if len(s.Batch) > 0 {
			batch = fmt.Sprint(s.Batch[0])
			for _, b := range s.Batch[1:] {
				batch += fmt.Sprintf(",%d", b)
			}
		}
		lang := s.Lang
		if lang != "" {
			lang = fmt.Sprintf("%s %.2f", s.Lang, s.LangConfidence)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\t%s\n", s.ID, s.Kind, lang, s.Tokens, batch, preview(s.Text, 60))
	}
	tw.Flush()
	fmt.Fprintln(w)
}

func preview(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
