package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/nl2en/nl2en/pipeline"
	"github.com/nl2en/nl2en/pipeline/job"
	"github.com/nl2en/nl2en/pipeline/outputs"
	"github.com/nl2en/nl2en/pipeline/redact"
	"github.com/nl2en/nl2en/pipeline/render"
	"github.com/nl2en/nl2en/pipeline/runner"
	"github.com/nl2en/nl2en/pipeline/webrun"
)

// translateOptions are the settings of one translate run: what the job is
// built from, and what only the command cares about.
type translateOptions struct {
	job.Settings
	Inputs   []string
	Deadline time.Duration
	Quiet    bool
	// Web are the settings of fetching pages and feeds.
	Web     webrun.Options
	showBar bool
	// inv is the command line, for the run's line of runs.jsonl.
	inv job.Invocation
}

func translateCommand(s streams) *cli.Command {
	return &cli.Command{
		Name:      "translate",
		Usage:     "translate articles (files, folders, web pages by their URL, or - for stdin) into English Markdown and JSON",
		ArgsUsage: "FILE|DIR|URL… | -",
		Flags:     categorize(append(translateFlags(), allowPrivateFlag())),
		Action: func(c *cli.Context) error {
			opts, log, err := readTranslateCommand(c, s, c.Args().Slice(), true)
			if err != nil {
				return err
			}
			for _, in := range opts.Inputs {
				if webrun.IsFeedFile(in) {
					return usagef("translate: %s is a feed, not an article: nl2en feed %s --out DIR translates its new items and writes an English feed", runner.SafeName(in), runner.SafeName(in))
				}
			}
			return runTranslate(c.Context, opts, s, log)
		},
	}
}

// translateFlags are the flags of translate, and of the batch commands.
func translateFlags() []cli.Flag {
	flags := append(apiFlags(), inputFlags()...)
	flags = append(flags, logFlags()...)
	return categorize(append(flags,
		&cli.StringFlag{Name: "out", Aliases: []string{"o"}, Usage: "write outputs into this folder instead of beside each input", EnvVars: []string{"NL2EN_OUT"}},
		&cli.StringFlag{Name: "format", Aliases: []string{"f"}, Usage: "outputs to write, comma-separated: " + strings.Join(render.FormatNames(), ", ") + " (default md,json; stdin: the first to stdout unless --out)"},
		&cli.StringFlag{Name: "template", Usage: "render NAME.en.md (or stdout) through this Go text/template, whose data is the JSON document; the JSON is written too", EnvVars: []string{"NL2EN_TEMPLATE"}},
		&cli.BoolFlag{Name: "allow-partial", Usage: "render segments that could not be translated in Dutch, marked, instead of failing the article"},
		&cli.BoolFlag{Name: "no-names", Usage: "neither read nor learn the names memory (names.tsv in --out)"},
		&cli.DurationFlag{Name: "deadline", Usage: "time limit for the whole run (0: none); articles not done by then fail", EnvVars: []string{"NL2EN_DEADLINE"}},
		&cli.StringSliceFlag{Name: "include", Usage: "glob of files to take from folders (repeatable; default **/*.txt, **/*.md, **/*.html)"},
		&cli.StringSliceFlag{Name: "exclude", Usage: "glob of files or folders to leave out (repeatable)"},
		&cli.BoolFlag{Name: "follow-symlinks", Usage: "follow symbolic links found in folders, to folders and to files"},
		&cli.BoolFlag{Name: "force", Usage: "redo articles whose outputs are up to date"},
		&cli.BoolFlag{Name: "redo-stale", Usage: "redo articles whose outputs were made with other settings (another nl2en version, model, prompt or glossary) instead of keeping them"},
		&cli.BoolFlag{Name: "prune", Usage: "remove outputs whose source is gone (a run over folders lists them in its report)"},
		&cli.StringFlag{Name: "cache-dir", Usage: "segment cache folder (default: nl2en/segments-v1 in the user cache folder)", EnvVars: []string{"NL2EN_CACHE_DIR"}},
		&cli.BoolFlag{Name: "no-cache", Usage: "neither read nor write the segment cache", EnvVars: []string{"NL2EN_NO_CACHE"}},
		&cli.BoolFlag{Name: "recheck", Usage: "redo every article, asking the model again for segments the cache holds (kept warnings included); the answers are cached"},
		&cli.IntFlag{Name: "rpm", Usage: "requests per minute the API allows (0: no limit but the server's 429s)", EnvVars: []string{"NL2EN_RPM"}},
		&cli.IntFlag{Name: "tpm", Usage: "tokens per minute the API allows (0: no limit but the server's 429s)", EnvVars: []string{"NL2EN_TPM"}},
		&cli.BoolFlag{Name: "wait", Usage: "wait for another run's lock instead of exiting"},
		&cli.StringFlag{Name: "report", Usage: "write the run report here (default: report.json in --out)", EnvVars: []string{"NL2EN_REPORT"}},
		&cli.BoolFlag{Name: "dry-run", Aliases: []string{"n"}, Usage: "print the plan (articles, segments, requests, tokens, cost) and send nothing"},
		&cli.Float64Flag{Name: "max-cost", Usage: "most US dollars the run may spend; no article starts once its estimate would pass it", EnvVars: []string{"NL2EN_MAX_COST"}},
		&cli.Float64Flag{Name: "price-in", Usage: "input price in USD per million tokens, for a model the price table lacks or to override it", EnvVars: []string{"NL2EN_PRICE_IN"}},
		&cli.Float64Flag{Name: "price-out", Usage: "output price in USD per million tokens", EnvVars: []string{"NL2EN_PRICE_OUT"}},
		&cli.StringFlag{Name: "prices", Usage: "CSV of prices (model,input,cached_input,output per million tokens) laid over the built-in table", EnvVars: []string{"NL2EN_PRICES"}},
	))
}

// readSettings reads the flags a command has into job settings; flags it
// lacks read as unset.
func readSettings(c *cli.Context) (job.Settings, error) {
	s := job.Settings{
		APIKey:          c.String("api-key"),
		BaseURL:         c.String("base-url"),
		Model:           c.String("model"),
		Azure:           c.Bool("azure"),
		AzureAPIVersion: c.String("azure-api-version"),
		Timeout:         c.Duration("timeout"),
		MaxRetries:      c.Int("max-retries"),
		Concurrency:     c.Int("concurrency"),
		TokenBudget:     c.Int("token-budget"),
		RPM:             c.Int("rpm"),
		TPM:             c.Int("tpm"),
		PromptsDir:      c.String("prompts"),
		GlossaryFile:    c.String("glossary"),
		Strict:          c.Bool("strict"),
		AllowPartial:    c.Bool("allow-partial"),
		English:         pipeline.English(strings.ToLower(strings.TrimSpace(c.String("english")))),
		StyleFile:       c.String("style"),
		NoNames:         c.Bool("no-names"),
		MaxBytes:        c.Int64("max-bytes"),
		Include:         c.StringSlice("include"),
		Exclude:         c.StringSlice("exclude"),
		FollowSymlinks:  c.Bool("follow-symlinks"),
		Out:             c.String("out"),
		Template:        c.String("template"),
		Force:           c.Bool("force"),
		RedoStale:       c.Bool("redo-stale"),
		Prune:           c.Bool("prune"),
		Recheck:         c.Bool("recheck"),
		Report:          c.String("report"),
		CacheDir:        c.String("cache-dir"),
		NoCache:         c.Bool("no-cache"),
		DryRun:          c.Bool("dry-run"),
		MaxCost:         c.Float64("max-cost"),
		PriceIn:         c.Float64("price-in"),
		PriceOut:        c.Float64("price-out"),
		PricesFile:      c.String("prices"),
		Wait:            c.Bool("wait"),
		Version:         version,
	}
	var err error
	if s.InputFormat, err = parseInputFormat(c.String("input-format")); err != nil {
		return s, err
	}
	if c.IsSet("max-bytes") && s.MaxBytes <= 0 {
		return s, usagef("--max-bytes %d: must be positive", s.MaxBytes)
	}
	return s, nil
}

// readTranslateCommand reads the options and logger of a command that
// takes the translate flags, with inputs given. findLocal lets it use a
// local server when no API is configured (see useLocalServer).
func readTranslateCommand(c *cli.Context, s streams, inputs []string, findLocal bool) (translateOptions, *slog.Logger, error) {
	set, err := readSettings(c)
	if err != nil {
		return translateOptions{}, nil, err
	}
	auto := findLocal && isAuto(set.BaseURL)
	if auto {
		set.BaseURL = "" // the default, until a server is found
	}
	o := translateOptions{Settings: set.Defaults(), Inputs: inputs, Deadline: c.Duration("deadline"), Quiet: c.Bool("quiet"), inv: invocation(c),
		Web: webrun.Options{AllowPrivate: c.Bool("allow-private"), Clock: s.fetch.Clock, Resolver: s.fetch.Resolver, Dial: s.fetch.Dial}}
	o.Spread = job.OneArticle(inputs) && c.Command.Name == "translate"
	if err := o.Validate(); err != nil {
		return o, nil, err
	}
	if o.Deadline < 0 {
		return o, nil, usagef("--deadline %s: must be positive, or 0 for none", o.Deadline)
	}
	if len(o.Inputs) == 0 {
		return o, nil, usagef("%s: no input: give article files, or - to read stdin", commandName(c))
	}
	stdin := job.IsStdin(o.Inputs)
	for _, in := range o.Inputs {
		if in == "-" && !stdin {
			return o, nil, usagef("%s: - (stdin) cannot be mixed with files", commandName(c))
		}
	}
	if f := c.String("format"); f != "" {
		if o.Formats, err = parseFormats(f); err != nil {
			return o, nil, err
		}
		if stdin && o.Out == "" && len(o.Formats) > 1 {
			return o, nil, usagef("--format %s with stdin needs --out: stdout takes one format", f)
		}
	}
	log, err := newLogger(c, s.stderr, nil)
	if err != nil {
		return o, nil, err
	}
	if findLocal && wantsLocal(c, s, o.Settings, auto) {
		if o.Settings, err = useLocalServer(c, s, o.Settings, auto, o.Quiet); err != nil {
			return o, nil, err
		}
		if err := o.Validate(); err != nil {
			return o, nil, err
		}
	}
	o.showBar = isTerminal(s.stderr) && !o.Quiet && c.String("log-format") != "json" && !c.Bool("verbose") && !o.DryRun
	if o.showBar {
		// The bar shows progress; only warnings and errors interrupt it.
		warn := slog.LevelWarn
		log, _ = newLogger(c, s.stderr, &warn)
	}
	return o, log, nil
}

// parseFormats reads --format, a comma-separated list of the formats
// render knows.
func parseFormats(f string) ([]string, error) {
	var out []string
	for _, p := range strings.Split(f, ",") {
		format, ok := render.Named(p)
		if !ok {
			return nil, usagef("--format %q: %q is not an output format: use %s, comma-separated", f, strings.TrimSpace(p), strings.Join(render.FormatNames(), ", "))
		}
		out = append(out, format.Name)
	}
	return out, nil
}

func parseInputFormat(s string) (pipeline.Format, error) {
	switch strings.ToLower(strings.TrimPrefix(s, ".")) {
	case "":
		return "", nil
	case "txt", "text":
		return pipeline.FormatText, nil
	case "md", "markdown":
		return pipeline.FormatMarkdown, nil
	case "html", "htm":
		return pipeline.FormatHTML, nil
	}
	return "", usagef("--input-format %q: use txt, md or html", s)
}

// env is the job environment of a command run.
func (s streams) env(log *slog.Logger) job.Env {
	return job.Env{Log: log, Stdin: s.stdin, Stdout: s.stdout}
}

// runTranslate translates every input and writes its outputs. An article
// that fails is reported and the rest go on.
func runTranslate(ctx context.Context, o translateOptions, s streams, log *slog.Logger) error {
	// The deadline starts with the run: waiting for the lock counts.
	ctx, cancel := withDeadline(ctx, o.Deadline)
	defer cancel()
	j, err := job.Open(o.Settings, s.env(log))
	if err != nil {
		return err
	}
	run, err := j.Begin(ctx, o.Inputs)
	var held *outputs.HeldError
	if errors.As(err, &held) {
		reportHeld(s.stderr, held, o.Quiet, time.Now())
		return nil
	}
	if err != nil {
		return startOutcome(ctx, err, o.Deadline)
	}
	defer run.End()
	prog := newProgress(s.stderr, o.showBar)
	if o.DryRun {
		prog.plans = s.stdout
	}
	rep, runErr := webrun.Translate(ctx, run, o.Inputs, o.Web, prog)
	prog.done()
	if o.DryRun {
		fmt.Fprintln(s.stdout, rep.Summary())
	} else if rep.Articles.Found > 1 && !o.Quiet || rep.Articles.NotDone > 0 {
		fmt.Fprintf(s.stderr, "nl2en: %s\n", rep.Summary())
	}
	if len(rep.NotStarted) > 0 {
		fmt.Fprintf(s.stderr, "nl2en: --max-cost %s reached: %s not started; raise --max-cost or run again later\n", runner.Dollars(o.MaxCost), runner.NOf(len(rep.NotStarted), "article"))
	}
	tellOutputs(s, rep, o)
	outErr := runOutcome(ctx, runErr, rep, o.Deadline)
	run.Record(rep, codeOf(outErr), o.inv)
	return outErr
}

// commandName is the command as the user types it after "nl2en":
// "translate", "batch collect".
func commandName(c *cli.Context) string {
	var names []string
	for _, l := range c.Lineage() {
		if l.Command != nil && l.Command.Name != "" && l.Command.Name != c.App.Name {
			names = append(names, l.Command.Name)
		}
	}
	slices.Reverse(names)
	return strings.Join(names, " ")
}

// invocation is the command line of a command that takes the translate
// flags, for its line of runs.jsonl: the command, the flags given (on the
// command line or in the environment), with any key's value redacted and
// a base URL without its credentials, and the arguments.
func invocation(c *cli.Context) job.Invocation {
	inv := job.Invocation{Command: commandName(c), Flags: map[string]string{}, Args: []string{}}
	for _, a := range c.Args().Slice() {
		// A feed's URL may carry its token.
		inv.Args = append(inv.Args, redact.URL(a))
	}
	for _, f := range c.Command.Flags {
		name := f.Names()[0]
		if !c.IsSet(name) {
			continue
		}
		var v string
		switch {
		case strings.Contains(name, "key"):
			v = "[redacted]"
		case name == "base-url":
			v = redact.BaseURL(c.String(name))
		case name == "feed-url":
			v = redact.URL(c.String(name))
		default:
			if g, ok := f.(cli.DocGenerationFlag); ok && !g.TakesValue() {
				v = fmt.Sprint(c.Bool(name))
			} else {
				v = fmt.Sprint(c.Value(name))
			}
		}
		inv.Flags[name] = v
	}
	return inv
}

// runOutcome is the error a run over articles ends with, given how it
// went: the deadline, an interruption, a fatal error, or failed articles,
// each printed as it happened.
func runOutcome(ctx context.Context, runErr error, rep *runner.Report, deadline time.Duration) error {
	switch {
	case runErr != nil && errors.Is(context.Cause(ctx), errDeadline):
		return fmt.Errorf("--deadline %s reached with %d of %d articles not done; nothing partial was written: raise --deadline (NL2EN_DEADLINE)",
			deadline, rep.Articles.NotDone, rep.Articles.Found)
	case runErr != nil && ctx.Err() != nil:
		return ctx.Err()
	case runErr != nil && !errors.Is(runErr, runner.ErrFatal):
		return runErr
	case !rep.OK():
		return reportedError{exitFailure} // each failure was printed as it happened
	}
	return nil
}

// errDeadline is the cause of a run stopped by --deadline.
var errDeadline = errors.New("run deadline reached")
