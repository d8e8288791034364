package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/nl2en/nl2en/pipeline/feed"
	"github.com/nl2en/nl2en/pipeline/job"
	"github.com/nl2en/nl2en/pipeline/outputs"
	"github.com/nl2en/nl2en/pipeline/redact"
	"github.com/nl2en/nl2en/pipeline/render"
	"github.com/nl2en/nl2en/pipeline/runner"
	"github.com/nl2en/nl2en/pipeline/webrun"
)

// The feed command: a nightly run over news feeds. The work is package
// webrun's; this reads flags and prints.

// feedOptions are the settings of one feed run: translate's, with
// Web's item cap and feed URL.
type feedOptions = translateOptions

func feedCommand(s streams) *cli.Command {
	return &cli.Command{
		Name:      "feed",
		Usage:     "translate the new and changed items of news feeds (RSS, Atom, JSON Feed), and write an English feed of them",
		ArgsUsage: "FEED-URL|FEED-FILE… --out DIR",
		Flags:     feedFlags(),
		Action: func(c *cli.Context) error {
			o, log, err := readFeedCommand(c, s)
			if err != nil {
				return err
			}
			return runFeed(c.Context, o, s, log)
		},
	}
}

// feedFlags are translate's flags but those of walking folders, and the
// settings of fetching and of the English feed.
func feedFlags() []cli.Flag {
	var flags []cli.Flag
	for _, f := range translateFlags() {
		switch f.Names()[0] {
		case "include", "exclude", "follow-symlinks", "prune":
			continue
		case "out":
			f = &cli.StringFlag{Name: "out", Aliases: []string{"o"}, Usage: "the folder where each feed gets a folder of its own, with its outputs, state and English feed (required)", EnvVars: []string{"NL2EN_OUT"}}
		case "format":
			f = &cli.StringFlag{Name: "format", Aliases: []string{"f"}, Usage: "outputs to write, comma-separated: " + strings.Join(render.FormatNames(), ", ") + " (default md,json,html: the English feed links each entry to its review page)"}
		}
		flags = append(flags, f)
	}
	return categorize(append(flags,
		&cli.IntFlag{Name: "max-items", Usage: "most new and changed items one feed gives one run (newest first), and entries its English feed keeps", Value: webrun.DefaultMaxItems, EnvVars: []string{"NL2EN_MAX_ITEMS"}},
		&cli.StringFlag{Name: "feed-url", Usage: "URL under which --out is published: the English feeds' links become absolute under it (default: relative)", EnvVars: []string{"NL2EN_FEED_URL"}},
		allowPrivateFlag(),
	))
}

// allowPrivateFlag is the flag of fetching from non-public addresses.
func allowPrivateFlag() cli.Flag {
	return &cli.BoolFlag{Name: "allow-private", Usage: "fetch from loopback, private and link-local addresses too (refused by default: a feed's link must not reach your intranet or a cloud metadata service)"}
}

// readFeedCommand reads the options of a feed run.
func readFeedCommand(c *cli.Context, s streams) (feedOptions, *slog.Logger, error) {
	sources := c.Args().Slice()
	if len(sources) == 0 {
		return feedOptions{}, nil, usagef("feed: no feed: give feed URLs or files, e.g. nl2en feed https://example.org/rss --out english/")
	}
	for _, src := range sources {
		if err := checkSource(src); err != nil {
			return feedOptions{}, nil, err
		}
	}
	o, log, err := readTranslateCommand(c, s, sources, true)
	if err != nil {
		return o, nil, err
	}
	if o.Out == "" {
		return o, nil, usagef("feed: give --out: each feed gets a folder there, with its state and its English feed")
	}
	if c.String("format") == "" {
		// The English feed links each entry to its review page.
		o.Formats = []string{render.NameMarkdown, render.NameJSON, render.NameHTML}
	}
	o.Web.MaxItems, o.Web.FeedURL = c.Int("max-items"), c.String("feed-url")
	if o.Web.MaxItems < 1 {
		return o, nil, usagef("--max-items %d: must be 1 or more", o.Web.MaxItems)
	}
	if p := o.Web.FeedURL; p != "" {
		if u, err := url.Parse(p); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return o, nil, usagef("--feed-url %q: give the http(s) URL under which %s is published, e.g. https://example.org/english/", p, o.Out)
		}
	}
	return o, log, nil
}

// checkSource refuses a source that is neither an http(s) URL nor a file.
func checkSource(src string) error {
	if src == "-" {
		return usagef("feed: - (stdin) is not a feed source: give feed URLs or files")
	}
	if outputs.IsWeb(src) {
		if u, err := url.Parse(src); err != nil || u.Host == "" {
			return usagef("feed: %s is not a valid URL", redact.URL(src))
		}
		return nil
	}
	if strings.Contains(src, "://") {
		return usagef("feed: %s: only http and https feeds are fetched", redact.URL(src))
	}
	info, err := os.Stat(src)
	switch {
	case err != nil:
		return usagef("feed: %s is neither an http(s) URL nor a file: %v", runner.SafeName(src), unwrapPathError(err))
	case info.IsDir():
		return usagef("feed: %s is a folder: give feed URLs or feed files (nl2en translate reads folders of articles)", runner.SafeName(src))
	}
	return nil
}

func unwrapPathError(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// runFeed reads the feeds and translates their new and changed items.
func runFeed(ctx context.Context, o feedOptions, s streams, log *slog.Logger) error {
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
	web := o.Web
	web.Feed = func(f runner.FeedReport) { tellFeed(s, log, f) }
	rep, runErr := webrun.Feeds(ctx, run, o.Inputs, web, prog)
	prog.done()
	if rep == nil {
		return startOutcome(ctx, runErr, o.Deadline)
	}
	if o.DryRun {
		fmt.Fprintln(s.stdout, rep.Summary())
	} else if !o.Quiet || rep.Articles.NotDone > 0 {
		fmt.Fprintf(s.stderr, "nl2en: %s\n", rep.Summary())
	}
	if len(rep.NotStarted) > 0 {
		fmt.Fprintf(s.stderr, "nl2en: --max-cost %s reached: %s not started; they are taken again next run; raise --max-cost or run again later\n", runner.Dollars(o.MaxCost), runner.NOf(len(rep.NotStarted), "item"))
	}
	outErr := runOutcome(ctx, runErr, rep, o.Deadline)
	run.Record(rep, codeOf(outErr), o.inv)
	return outErr
}

// tellFeed says how a feed went as soon as it is known: a feed that
// failed in one line on stderr (under --quiet too), with how many runs in
// a row it has failed once that is worth a look.
func tellFeed(s streams, log *slog.Logger, f runner.FeedReport) {
	switch f.Status {
	case runner.FeedFailed:
		msg := "feed " + f.Feed + ": " + strings.TrimPrefix(f.Error, f.Feed+": ")
		if f.FailedRuns >= feed.FailureAlarm {
			msg += fmt.Sprintf("; it has failed on each of its last %d runs", f.FailedRuns)
		}
		if h := hint(f.Err()); h != "" {
			msg += ": " + h
		}
		fmt.Fprintf(s.stderr, "nl2en: %s\n", msg)
	case runner.FeedNotModified:
		log.Info("feed not modified since the last run (304); nothing to do", "feed", f.Feed, "folder", f.Folder)
	}
}
