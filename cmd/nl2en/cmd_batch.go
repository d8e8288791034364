package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/nl2en/nl2en/pipeline/batchrun"
	"github.com/nl2en/nl2en/pipeline/job"
	"github.com/nl2en/nl2en/pipeline/outputs"
	"github.com/nl2en/nl2en/pipeline/redact"
	"github.com/nl2en/nl2en/pipeline/runner"
	"github.com/nl2en/nl2en/pipeline/webrun"
)

// The Batch API path: submit plans articles as the live path would and
// sends their requests as batches; collect finishes the articles from the
// replies exactly as the live path finishes them; run does both. The work
// is package batchrun's; these commands read flags and print.

func batchCommand(s streams) *cli.Command {
	resubmit := &cli.BoolFlag{Name: "resubmit", Usage: "leave articles with failed requests for the next submit instead of finishing them live", Category: catFolders}
	return &cli.Command{
		Name:  "batch",
		Usage: "translate through the OpenAI Batch API: half the price, results within 24 hours",
		Subcommands: []*cli.Command{
			{
				Name: "submit", Usage: "plan the articles that are not up to date and submit their requests as batches",
				ArgsUsage: "DIR|FILE… --out OUT", Flags: translateFlags(),
				Action: batchAction(s, batchSubmit),
			},
			{
				Name: "status", Usage: "show each recorded batch with its status and counts",
				ArgsUsage: "OUT", Flags: translateFlags(),
				Action: batchAction(s, batchStatus),
			},
			{
				Name: "collect", Usage: "download finished batches and write every article whose requests are all back",
				ArgsUsage: "OUT", Flags: append(translateFlags(), resubmit),
				Action: batchAction(s, batchCollect),
			},
			{
				Name: "run", Usage: "collect what has finished, then submit what is new: one command for cron",
				ArgsUsage: "DIR|FILE… --out OUT", Flags: append(translateFlags(), resubmit),
				Action: batchAction(s, batchRun),
			},
		},
	}
}

// batchVerb is one of the batch commands.
type batchVerb int

const (
	batchSubmit batchVerb = iota
	batchStatus
	batchCollect
	batchRun
)

// takesInputs: submit and run take inputs and --out; status and collect
// take the output folder as their argument.
func (v batchVerb) takesInputs() bool { return v == batchSubmit || v == batchRun }

// collects: collect and run finish articles, with the settings their
// batches were submitted with.
func (v batchVerb) collects() bool { return v == batchCollect || v == batchRun }

// batchCmd is one batch command at work, in an open session.
type batchCmd struct {
	o        translateOptions
	sess     *batchrun.Session
	job      *job.Job
	s        streams
	log      *slog.Logger
	resubmit bool
	// collected says, in batch run, that its collect finished articles;
	// idle, that it found nothing to collect: then one line says both.
	inRun, idle bool
}

// batchAction reads the flags of a batch command, adopts the settings
// the batches in flight were submitted with (for collect and run), opens
// the session of the output folder under its lock, runs the command, and
// records what it did.
func batchAction(s streams, verb batchVerb) cli.ActionFunc {
	return func(c *cli.Context) error {
		name := commandName(c)
		inputs := c.Args().Slice()
		if !verb.takesInputs() {
			if c.NArg() != 1 {
				return usagef("%s: give the output folder, e.g. nl2en %s english/", name, name)
			}
			if err := c.Set("out", c.Args().First()); err != nil {
				return err
			}
		}
		o, log, err := readTranslateCommand(c, s, inputs, false)
		if err != nil {
			return err
		}
		if o.Out == "" {
			return usagef("%s: give --out: the batch state lives in the output folder", name)
		}
		if job.IsStdin(o.Inputs) {
			return usagef("%s: stdin cannot be batched: give files or folders", name)
		}
		if verb.takesInputs() {
			// The Batch API's replies come back hours later, and collect
			// reads each article again from its file: a page or a feed
			// item has none, and a feed's state and English feed would
			// wait a day. Feeds are nightly work of a few items: live.
			for _, in := range o.Inputs {
				switch {
				case outputs.IsWeb(in):
					return usagef("%s: %s is a web address: the Batch API path takes article files and folders; translate pages live (nl2en translate URL) and feeds with nl2en feed", name, redact.URL(in))
				case webrun.IsFeedFile(in):
					return usagef("%s: %s is a feed: the Batch API path takes article files and folders; nl2en feed %s --out DIR translates its new items live", name, runner.SafeName(in), runner.SafeName(in))
				}
			}
		}
		if !verb.takesInputs() {
			if info, err := os.Stat(o.Out); err != nil || !info.IsDir() {
				return usagef("%s: %s is not a folder: give the output folder the batches were submitted for (nl2en batch submit DIR --out %s)", name, o.Out, o.Out)
			}
		}
		if verb.collects() {
			var notes []string
			o.Settings, notes, err = batchrun.Adopt(o.Out, o.Settings, func(st job.Setting) bool { return c.IsSet(settingFlags[st].flag) })
			if err != nil {
				return err
			}
			for _, n := range notes {
				if !o.Quiet {
					fmt.Fprintf(s.stderr, "nl2en: %s: %s\n", name, n)
				}
			}
		}
		// The deadline starts with the run: waiting for the lock counts.
		ctx, cancel := withDeadline(c.Context, o.Deadline)
		defer cancel()
		j, err := job.Open(o.Settings, s.env(log))
		if err != nil {
			return err
		}
		sess, err := batchrun.Open(ctx, j)
		var held *outputs.HeldError
		if errors.As(err, &held) {
			reportHeld(s.stderr, held, o.Quiet, time.Now())
			return nil
		}
		if err != nil {
			return startOutcome(ctx, err, o.Deadline)
		}
		defer sess.Close()
		b := &batchCmd{o: o, sess: sess, job: j, s: s, log: log, resubmit: c.Bool("resubmit")}
		switch verb {
		case batchStatus:
			return b.status(ctx)
		case batchSubmit:
			rep := runner.NewReport(j.Now())
			err := b.submit(ctx, rep)
			return b.record(ctx, rep, err)
		case batchCollect:
			rep, err := b.collect(ctx)
			return b.record(ctx, rep, err)
		}
		b.inRun = true
		rep, err := b.collect(ctx)
		if err == nil || errors.Is(err, errReported) {
			err = errors.Join(err, b.submit(ctx, rep))
		}
		return b.record(ctx, rep, err)
	}
}

// errReported is a batch step that failed for some articles, each told
// as it happened: the command exits 1 after the other steps ran.
var errReported = reportedError{exitFailure}

// record closes the report of a batch command that did something, writes
// it and its line of runs.jsonl, and returns err.
func (b *batchCmd) record(ctx context.Context, rep *runner.Report, err error) error {
	if rep == nil {
		return err
	}
	rep.BatchAPIRequests = b.sess.Changes()
	if err != nil && rep.Error == "" && !errors.Is(err, errReported) {
		rep.Error = oneLine(err.Error())
	}
	rep.Finish(b.job.Now())
	if errors.Is(err, errReported) {
		err = errReported // joined with nil
	}
	b.job.Record([]string{b.o.Out}, rep, codeOf(err), b.o.inv)
	return err
}

func (b *batchCmd) submit(ctx context.Context, rep *runner.Report) error {
	sum, err := b.sess.Submit(ctx, b.o.Inputs, func(err error) {
		fmt.Fprintf(b.s.stderr, "nl2en: %s\n", explain(err))
	})
	rep.Submitted = sum
	if err != nil {
		return err
	}
	found := []string{}
	if sum.UpToDate > 0 {
		found = append(found, fmt.Sprintf("%d up to date", sum.UpToDate))
	}
	if sum.InBatch > 0 {
		found = append(found, fmt.Sprintf("%d already in a batch", sum.InBatch))
	}
	if sum.FromCache > 0 && sum.DryRun {
		found = append(found, fmt.Sprintf("%d to write from the segment cache", sum.FromCache))
	} else if sum.FromCache > 0 {
		found = append(found, fmt.Sprintf("%d written from the segment cache", sum.FromCache))
	}
	if sum.English > 0 && sum.DryRun {
		found = append(found, fmt.Sprintf("%d already in English, to write as %s", sum.English, itThem(sum.English)))
	} else if sum.English > 0 {
		found = append(found, fmt.Sprintf("%d already in English, written as %s", sum.English, itThem(sum.English)))
	}
	besides := ""
	if len(found) > 0 {
		besides = " (" + strings.Join(found, ", ") + ")"
	}
	switch {
	case sum.DryRun:
		fmt.Fprintf(b.s.stdout, "dry run: %s to submit%s, %s in %s, estimated cost %s at batch prices; nothing was sent\n",
			runner.NOf(sum.Articles, "article"), besides, runner.NOf(sum.Requests, "request"), runner.NOf(sum.Batches, "batch"), sum.Cost())
	case sum.Articles == 0 && len(sum.LeftOut) > 0:
	case sum.Articles == 0 && b.idle && !b.o.Quiet:
		fmt.Fprintf(b.s.stderr, "nl2en: nothing to collect%s, and nothing new to submit%s\n", b.running(" (", ")"), besides)
	case sum.Articles == 0 && !b.o.Quiet:
		fmt.Fprintf(b.s.stderr, "nl2en: nothing new to submit%s\n", besides)
	case !b.o.Quiet:
		fmt.Fprintf(b.s.stderr, "nl2en: submitted %s for %s in %s, estimated cost %s at batch prices; collect them with nl2en batch collect %s\n",
			runner.NOf(sum.Requests, "request"), runner.NOf(sum.Articles, "article"), runner.NOf(sum.Batches, "batch"), sum.Cost(), b.o.Out)
	}
	if n := len(sum.LeftOut); n > 0 {
		fmt.Fprintf(b.s.stderr, "nl2en: --max-cost %s reached: %s left out of the batches (%s); raise --max-cost or submit again later\n",
			runner.Dollars(b.o.MaxCost), runner.NOf(n, "article"), someNames(sum.LeftOut, 3))
	}
	if sum.Failed > 0 || len(sum.LeftOut) > 0 {
		return errReported
	}
	return nil
}

// running says how many batches are still running, between before and
// after; "" when none is.
func (b *batchCmd) running(before, after string) string {
	if n := b.sess.Running(); n > 0 {
		return before + runner.NOf(n, "batch") + " still running" + after
	}
	return ""
}

func (b *batchCmd) status(ctx context.Context) error {
	if b.sess.Empty() {
		return fmt.Errorf("no batch was submitted for %s: submit with nl2en batch submit DIR --out %s", b.o.Out, b.o.Out)
	}
	recs, refreshErr := b.sess.Status(ctx)
	tw := tabwriter.NewWriter(b.s.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tBATCH\tSTATUS\tREQUESTS\tCOMPLETED\tFAILED\tCREATED\tCOLLECTED")
	for _, r := range recs {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%d\t%d\t%s\t%v\n", r.ID, r.BatchID, r.Status, r.Requests,
			r.Counts.Completed, r.Counts.Failed, r.Created.Format("2006-01-02 15:04"), r.Collected)
	}
	tw.Flush()
	return refreshErr
}

func (b *batchCmd) collect(ctx context.Context) (*runner.Report, error) {
	prog := newProgress(b.s.stderr, b.o.showBar)
	if b.o.DryRun {
		prog.plans = b.s.stdout
	}
	rep, runErr := b.sess.Collect(ctx, b.resubmit, prog)
	prog.done()
	switch {
	case b.o.DryRun && rep.Plan != nil:
		p := rep.Plan
		fmt.Fprintf(b.s.stdout, "dry run: %s to collect from their batches, %s to send live beside the replies, about %d prompt + %d completion tokens, estimated cost %s; nothing was sent or written\n",
			runner.NOf(rep.Articles.Planned, "article"), runner.NOf(p.Requests, "request"), p.PromptTokens, p.CompletionTokens, runner.PlanCost(p))
	case b.o.DryRun:
		fmt.Fprintln(b.s.stdout, "dry run: nothing to collect; nothing was sent or written")
	case rep.Articles.Found == 0 && runErr == nil:
		b.idle = true
		if !b.o.Quiet && !b.inRun {
			fmt.Fprintf(b.s.stderr, "nl2en: nothing to collect in %s%s\n", b.o.Out, b.running(": ", ""))
		}
	case !b.o.Quiet || rep.Articles.NotDone > 0:
		fmt.Fprintf(b.s.stderr, "nl2en: collected: %s\n", rep.Summary())
	}
	if len(rep.NotStarted) > 0 {
		fmt.Fprintf(b.s.stderr, "nl2en: --max-cost %s reached: %s not collected (their live requests would pass it); they stay for the next collect\n",
			runner.Dollars(b.o.MaxCost), runner.NOf(len(rep.NotStarted), "article"))
	}
	return rep, runOutcome(ctx, runErr, rep, b.o.Deadline)
}

// itThem is "it is" for one and "they are" for more.
func itThem(n int) string {
	if n == 1 {
		return "it is"
	}
	return "they are"
}
