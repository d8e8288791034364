package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/urfave/cli/v2"

	"github.com/nl2en/nl2en/pipeline"
	"github.com/nl2en/nl2en/pipeline/runner"
	"github.com/nl2en/nl2en/pipeline/split"
	"github.com/nl2en/nl2en/pipeline/tokens"
	"github.com/nl2en/nl2en/pipeline/translate"
)

type inspectOptions struct {
	Inputs      []string
	Model       string
	TokenBudget int
	InputFormat pipeline.Format
	MaxBytes    int64
	JSON        bool
}

func inspectCommand(s streams) *cli.Command {
	flags := append(inputFlags(),
		&cli.StringFlag{Name: "model", Usage: "model whose tokenizer counts the tokens", Value: defaultModel, EnvVars: []string{"NL2EN_MODEL"}},
		&cli.IntFlag{Name: "token-budget", Usage: "most source tokens in one translation request", Value: translate.DefaultTokenBudget, EnvVars: []string{"NL2EN_TOKEN_BUDGET"}},
		&cli.StringFlag{Name: "format", Aliases: []string{"f"}, Usage: "table or json", Value: "table"},
	)
	return &cli.Command{
		Name:      "inspect",
		Usage:     "show how articles split into segments and request batches, without calling any API",
		ArgsUsage: "FILE… | -",
		Flags:     flags,
		Action: func(c *cli.Context) error {
			o := inspectOptions{
				Inputs:      c.Args().Slice(),
				Model:       c.String("model"),
				TokenBudget: c.Int("token-budget"),
				MaxBytes:    c.Int64("max-bytes"),
			}
			if len(o.Inputs) == 0 {
				return usagef("inspect: no input: give article files, or - to read stdin")
			}
			var err error
			if o.InputFormat, err = parseInputFormat(c.String("input-format")); err != nil {
				return err
			}
			switch c.String("format") {
			case "table", "":
			case "json":
				o.JSON = true
			default:
				return usagef("--format %q: use table or json", c.String("format"))
			}
			if o.TokenBudget < 50 {
				return usagef("--token-budget %d: must be at least 50", o.TokenBudget)
			}
			return runInspect(c.Context, o, s)
		},
	}
}

// inspectSegment is one row of the inspect output.
type inspectSegment struct {
	ID             string  `json:"id"`
	Kind           string  `json:"kind"`
	Lang           string  `json:"lang"`
	LangConfidence float64 `json:"lang_confidence"`
	Tokens         int     `json:"tokens"`
	Batch          []int   `json:"batch"` // request batches; empty when not sent
	Text           string  `json:"text"`
}

type inspectArticle struct {
	File      string           `json:"file"`
	Format    string           `json:"format"`
	SHA256    string           `json:"sha256"`
	Batches   int              `json:"batches"`
	Tokens    int              `json:"tokens"`
	Estimated bool             `json:"tokens_estimated"`
	Segments  []inspectSegment `json:"segments"`
}

func runInspect(ctx context.Context, o inspectOptions, s streams) error {
	sp := split.New()
	count, exact := tokenCounter(o.Model)
	var all []inspectArticle
	failed := 0
	for _, in := range o.Inputs {
		data, err := runner.ReadInput(in, s.stdin, o.MaxBytes)
		if err == nil {
			var art *pipeline.Article
			art, err = sp.Split(ctx, in, data, split.Options{Format: o.InputFormat, MaxBytes: o.MaxBytes})
			if err == nil {
				all = append(all, describe(art, translate.Plan(art, o.TokenBudget, count), count, exact))
				continue
			}
		}
		if len(o.Inputs) == 1 {
			return err
		}
		failed++
		fmt.Fprintf(s.stderr, "nl2en: %v\n", err)
	}
	if o.JSON {
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
	if failed > 0 {
		return reportedError{exitFailure}
	}
	return nil
}

func describe(art *pipeline.Article, batches []translate.Batch, count func(string) int, exact bool) inspectArticle {
	where := map[string][]int{}
	for _, b := range batches {
		for _, u := range b.Units {
			w := where[u.SegmentID]
			if len(w) == 0 || w[len(w)-1] != b.Index {
				where[u.SegmentID] = append(w, b.Index)
			}
		}
	}
	a := inspectArticle{File: art.Name, Format: string(art.Format), SHA256: art.SHA256, Batches: len(batches), Estimated: !exact}
	for _, seg := range art.Segments {
		n := count(seg.Text)
		a.Tokens += n
		b := where[seg.ID]
		if b == nil {
			b = []int{}
		}
		a.Segments = append(a.Segments, inspectSegment{
			ID: seg.ID, Kind: string(seg.Kind), Lang: seg.Lang, LangConfidence: seg.LangConfidence,
			Tokens: n, Batch: b, Text: seg.Text,
		})
	}
	return a
}

func printInspectTable(w io.Writer, a inspectArticle) {
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

// tokenCounter returns the token counter of a model and whether its counts
// are exact.
func tokenCounter(model string) (func(string) int, bool) {
	c := tokens.ForModel(model)
	return c.Count, c.Exact()
}
