package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/nl2en/nl2en/pipeline"
	"github.com/nl2en/nl2en/pipeline/cliargs"
	"github.com/nl2en/nl2en/pipeline/feed"
	"github.com/nl2en/nl2en/pipeline/inputs"
	"github.com/nl2en/nl2en/pipeline/job"
	"github.com/nl2en/nl2en/pipeline/outputs"
	"github.com/nl2en/nl2en/pipeline/progress"
	"github.com/nl2en/nl2en/pipeline/render"
	"github.com/nl2en/nl2en/pipeline/runner"
	"github.com/nl2en/nl2en/pipeline/serverchoice"
	"github.com/nl2en/nl2en/pipeline/webrun"
)

// runOptions are the settings of one run over articles: what the job is
// built from, and what only the command cares about.
type runOptions struct {
	job.Settings
	inputs   []string
	deadline time.Duration
	quiet    bool
	bar      bool           // a progress bar on stderr
	web      webrun.Options // fetching pages and feeds
	inv      job.Invocation // the command line, for runs.jsonl
	log      *slog.Logger
}

func translateCommand(s *streams) *cli.Command {
	return &cli.Command{
		Name:      "translate",
		Usage:     "translate articles (files, folders, web pages by their URL, or - for stdin) into English Markdown and JSON",
		ArgsUsage: "FILE|DIR|URL… | -",
		Flags:     flags(append(translateNames, "allow-private")...),
		Action:    func(c *cli.Context) error { return s.runArticles(c, inputs.Translate) },
	}
}

func feedCommand(s *streams) *cli.Command {
	// A feed has no folders to walk, and its outputs are never orphans.
	names := slices.DeleteFunc(slices.Clone(translateNames), func(n string) bool {
		return slices.Contains([]string{"include", "exclude", "follow-symlinks", "prune"}, n)
	})
	names[slices.Index(names, "out")], names[slices.Index(names, "format")] = "feed:out", "feed:format"
	return &cli.Command{
		Name:      "feed",
		Usage:     "translate the new and changed items of news feeds (RSS, Atom, JSON Feed), and write an English feed of them",
		ArgsUsage: "FEED-URL|FEED-FILE… --out DIR",
		Flags:     flags(append(names, "max-items", "feed-url", "allow-private")...),
		Action:    func(c *cli.Context) error { return s.runArticles(c, inputs.Feed) },
	}
}

// readSettings reads the flags a command has into job settings; flags it
// lacks read as unset.
func readSettings(c *cli.Context) (job.Settings, error) {
	s := job.Settings{
		APIKey: c.String("api-key"), BaseURL: c.String("base-url"), Model: c.String("model"),
		Azure: c.Bool("azure"), AzureAPIVersion: c.String("azure-api-version"),
		Timeout: c.Duration("timeout"), MaxRetries: c.Int("max-retries"), Concurrency: c.Int("concurrency"),
		TokenBudget: c.Int("token-budget"), RPM: c.Int("rpm"), TPM: c.Int("tpm"),
		PromptsDir: c.String("prompts"), GlossaryFile: c.String("glossary"), Strict: c.Bool("strict"), AllowPartial: c.Bool("allow-partial"),
		English: pipeline.English(strings.ToLower(strings.TrimSpace(c.String("english")))), StyleFile: c.String("style"), NoNames: c.Bool("no-names"),
		MaxBytes: c.Int64("max-bytes"), Include: c.StringSlice("include"), Exclude: c.StringSlice("exclude"), FollowSymlinks: c.Bool("follow-symlinks"),
		Out: c.String("out"), Template: c.String("template"), Report: c.String("report"),
		Force: c.Bool("force"), RedoStale: c.Bool("redo-stale"), Prune: c.Bool("prune"), Recheck: c.Bool("recheck"),
		CacheDir: c.String("cache-dir"), NoCache: c.Bool("no-cache"), DryRun: c.Bool("dry-run"),
		MaxCost: c.Float64("max-cost"), PriceIn: c.Float64("price-in"), PriceOut: c.Float64("price-out"), PricesFile: c.String("prices"),
		Wait: c.Bool("wait"), Version: version,
	}
	if f := c.String("format"); f != "" {
		s.Formats = strings.Split(f, ",")
	}
	var err error
	if s.InputFormat, err = job.InputFormat(c.String("input-format")); err != nil {
		return s, err
	}
	if c.IsSet("max-bytes") && s.MaxBytes <= 0 {
		return s, usagef("--max-bytes %d: must be positive", s.MaxBytes)
	}
	return s, nil
}

// readRun reads the options of a command that runs over articles, after
// the settings file: its settings, checked once, and the inputs for use.
// translate and feed find a local server when nothing is configured.
func (s *streams) readRun(c *cli.Context, use inputs.Use, in []string) (runOptions, error) {
	s.newLogger(c, false) // JSON from here on, when the command line says so
	if err := s.readEnvFile(c); err != nil {
		return runOptions{}, err
	}
	set, err := readSettings(c)
	if err != nil {
		return runOptions{}, err
	}
	o := runOptions{inputs: in, deadline: c.Duration("deadline"), quiet: c.Bool("quiet"), inv: job.NewInvocation(cliargs.Command(c), cliargs.Given(c), c.Args().Slice()),
		web: webrun.Options{AllowPrivate: c.Bool("allow-private"), Clock: s.fetch.Clock, Resolver: s.fetch.Resolver, Dial: s.fetch.Dial}}
	if o.deadline < 0 {
		return o, usagef("--deadline %s: must be positive, or 0 for none", o.deadline)
	}
	if err := inputs.Check(use, in, set.Out, len(set.Formats)); err != nil {
		return o, fmt.Errorf("%s: %w", cliargs.Command(c), err)
	}
	set.Spread = use == inputs.Translate && job.OneArticle(in)
	live := use != inputs.Batch && use != inputs.Folder // the Batch API path knows no local server
	if err := serverchoice.Validate(set, live); err != nil {
		return o, err
	}
	// A progress bar shows how it goes: only warnings and errors interrupt it.
	o.bar = s.tty && !o.quiet && c.String("log-format") != "json" && !c.Bool("verbose") && !set.DryRun
	if o.log, err = s.newLogger(c, o.bar); err != nil {
		return o, err
	}
	o.Settings = set.Defaults()
	if live && !c.Bool("offline") {
		choice, err := serverchoice.Choose(c.Context, serverchoice.Request{Settings: set, BaseURLGiven: c.IsSet("base-url"),
			ModelGiven: c.IsSet("model"), Terminal: s.tty, Candidates: s.local})
		if o.Settings = choice.Settings.Defaults(); err != nil {
			return o, err
		}
		if choice.Server != nil && !o.quiet {
			s.say(slog.LevelInfo, "using %s at %s, model %s%s", choice.Server.Name(), choice.Server.BaseURL, choice.Model.Model, choiceNote(choice))
		}
	}
	return o, nil
}

// runArticles translates the inputs of translate, or the feeds of feed,
// and writes their outputs. An article that fails is told and the rest go on.
func (s *streams) runArticles(c *cli.Context, use inputs.Use) error {
	o, err := s.readRun(c, use, c.Args().Slice())
	if err != nil {
		return err
	}
	feeds := use == inputs.Feed
	if feeds {
		if c.String("format") == "" {
			// The English feed links each entry to its review page.
			o.Formats = []string{render.NameMarkdown, render.NameJSON, render.NameHTML}
		}
		o.web.MaxItems, o.web.FeedURL = c.Int("max-items"), c.String("feed-url")
		if err := o.web.Check(o.Out); err != nil {
			return err
		}
	}
	ctx, cancel := job.WithDeadline(c.Context, o.deadline)
	defer cancel()
	j, err := job.Open(o.Settings, job.Env{Log: o.log, Stdin: s.stdin, Stdout: s.stdout, Transport: s.transport})
	if err != nil {
		return err
	}
	run, err := j.Begin(ctx, o.inputs)
	if err != nil {
		return s.startOutcome(ctx, err, o)
	}
	defer run.End()
	prog := s.progress(o)
	var rep *runner.Report
	var runErr error
	item := "article"
	if feeds {
		web := o.web
		web.Feed = func(f runner.FeedReport) { s.tellFeed(o.log, f) }
		rep, runErr = webrun.Feeds(ctx, run, o.inputs, web, prog)
		item = "item"
	} else {
		rep, runErr = webrun.Translate(ctx, run, o.inputs, o.web, prog)
	}
	prog.Done()
	if rep == nil {
		return s.startOutcome(ctx, runErr, o)
	}
	switch {
	case o.DryRun:
		fmt.Fprintln(s.stdout, rep.Summary())
	case (rep.Articles.Found > 1 || feeds) && !o.quiet || rep.Articles.NotDone > 0:
		s.say(slog.LevelInfo, "%s", rep.Summary())
	}
	if n := len(rep.NotStarted); n > 0 && !o.DryRun { // a plan says it in its line
		s.say(slog.LevelError, "--max-cost %s reached: %s not started%s; raise --max-cost or run again later",
			runner.Dollars(o.MaxCost), runner.NOf(n, item), map[bool]string{true: "; they are taken again next run"}[feeds])
	}
	s.tellOutputs(rep, o)
	outErr := job.Outcome(ctx, runErr, rep, o.deadline)
	run.Record(rep, codeOf(outErr), o.inv)
	return outErr
}

// tellFeed says how a feed went as soon as it is known: a feed that
// failed in one line (under --quiet too), with how many runs in a row it
// has failed once that is worth a look.
func (s *streams) tellFeed(log *slog.Logger, f runner.FeedReport) {
	switch f.Status {
	case runner.FeedFailed:
		s.say(slog.LevelError, "%s", withHint(f.Failure(feed.FailureAlarm), f.Err()))
	case runner.FeedNotModified:
		log.Info("feed not modified since the last run (304); nothing to do", "feed", f.Feed, "folder", f.Folder)
	}
}

// tellOutputs says what a run found among the outputs besides its work:
// outputs kept although made under other settings, and outputs whose
// source is gone. They go with the summary: to stdout in a dry run.
func (s *streams) tellOutputs(rep *runner.Report, o runOptions) {
	say := func(format string, args ...any) { s.say(slog.LevelInfo, format, args...) }
	if o.DryRun {
		say = func(format string, args ...any) { fmt.Fprintf(s.stdout, format+"\n", args...) }
	}
	if n := rep.Articles.Stale; n > 0 && !o.quiet {
		were := map[bool]string{true: "output was", false: "outputs were"}[n == 1]
		say("%d %s made with other settings (another nl2en version, model, prompt, glossary, house style or English) and %s kept; --redo-stale redoes %s",
			n, were, were[strings.Index(were, " ")+1:], itThem(n))
	}
	if n := len(rep.Orphans); n > 0 && !o.quiet {
		say("%s whose source is gone (%s); --prune removes %s", runner.NOf(n, "output"), runner.SomeNames(rep.Orphans, 3), itThem(n))
	}
}

// progress starts the progress of a run: the bar, the plans of a dry
// run, each failed article in one line.
func (s *streams) progress(o runOptions) *progress.Run {
	var plans io.Writer
	if o.DryRun {
		plans = s.stdout
	}
	return s.con.Start(o.bar, plans, func(a runner.ArticleReport) { s.say(slog.LevelError, "%s", withHint(a.Error, a.Err())) })
}

// startOutcome is the error of a run that did not get to start: nil when
// another run holds the lock (said here), the deadline when it passed
// first (waiting for the lock), else err.
func (s *streams) startOutcome(ctx context.Context, err error, o runOptions) error {
	var held *outputs.HeldError
	switch {
	case errors.As(err, &held):
		if stuck := held.Stuck(time.Now()); stuck != "" {
			s.say(slog.LevelWarn, "%s", stuck) // under --quiet too
		} else if !o.quiet {
			s.say(slog.LevelInfo, "%s; not starting a second run: %s", held, hint(held))
		}
		return nil
	case job.DeadlinePassed(ctx):
		return &job.DeadlineError{Deadline: o.deadline, Waiting: true}
	}
	return err
}

// itThem is "it" for one and "them" for more.
func itThem(n int) string {
	if n == 1 {
		return "it"
	}
	return "them"
}
