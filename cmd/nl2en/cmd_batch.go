package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"text/tabwriter"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/nl2en/nl2en/pipeline/batchrun"
	"github.com/nl2en/nl2en/pipeline/job"
	"github.com/nl2en/nl2en/pipeline/lock"
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
				Action: batchAction(s, true, func(ctx context.Context, b *batchCmd) error { return b.submit(ctx) }),
			},
			{
				Name: "status", Usage: "show each recorded batch with its status and counts",
				ArgsUsage: "OUT", Flags: translateFlags(),
				Action: batchAction(s, false, func(ctx context.Context, b *batchCmd) error { return b.status(ctx) }),
			},
			{
				Name: "collect", Usage: "download finished batches and write every article whose requests are all back",
				ArgsUsage: "OUT", Flags: append(translateFlags(), resubmit),
				Action: batchAction(s, false, func(ctx context.Context, b *batchCmd) error { return b.collect(ctx) }),
			},
			{
				Name: "run", Usage: "collect what has finished, then submit what is new: one command for cron",
				ArgsUsage: "DIR|FILE… --out OUT", Flags: append(translateFlags(), resubmit),
				Action: batchAction(s, true, func(ctx context.Context, b *batchCmd) error {
					if err := b.collect(ctx); err != nil {
						return err
					}
					return b.submit(ctx)
				}),
			},
		},
	}
}

// batchCmd is one batch command at work, in an open session.
type batchCmd struct {
	o        translateOptions
	sess     *batchrun.Session
	s        streams
	log      *slog.Logger
	resubmit bool
}

// batchAction reads the flags of a batch command, opens the session of
// the output folder under its lock, and runs do in it. Submit and run
// take inputs and --out; the others take the output folder as their
// argument.
func batchAction(s streams, needInputs bool, do func(context.Context, *batchCmd) error) cli.ActionFunc {
	return func(c *cli.Context) error {
		name := c.Command.FullName()
		inputs := c.Args().Slice()
		if !needInputs {
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
		// The deadline starts with the run: waiting for the lock counts.
		ctx, cancel := withDeadline(c.Context, o.Deadline)
		defer cancel()
		j, err := job.Open(o.Settings, s.env(log))
		if err != nil {
			return err
		}
		sess, err := batchrun.Open(ctx, j)
		var held *lock.HeldError
		if errors.As(err, &held) {
			reportHeld(s.stderr, held, o.Quiet, time.Now())
			return nil
		}
		if err != nil {
			return startOutcome(ctx, err, o.Deadline)
		}
		defer sess.Close()
		return do(ctx, &batchCmd{o: o, sess: sess, s: s, log: log, resubmit: c.Bool("resubmit")})
	}
}

func (b *batchCmd) submit(ctx context.Context) error {
	sum, err := b.sess.Submit(ctx, b.o.Inputs, func(err error) {
		fmt.Fprintf(b.s.stderr, "nl2en: %s\n", explain(err))
	})
	if err != nil {
		return err
	}
	if !b.o.Quiet {
		fmt.Fprintf(b.s.stderr, "nl2en: submitted %d requests for %d articles in batches; collect them with nl2en batch collect %s\n", sum.Requests, sum.Articles, b.o.Out)
	}
	if sum.Failed > 0 {
		return reportedError{exitFailure}
	}
	return nil
}

func (b *batchCmd) status(ctx context.Context) error {
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

func (b *batchCmd) collect(ctx context.Context) error {
	prog := newProgress(b.s.stderr, b.o.showBar)
	rep, runErr := b.sess.Collect(ctx, b.resubmit, prog)
	prog.done()
	if !b.o.Quiet {
		fmt.Fprintf(b.s.stderr, "nl2en: collected: %s\n", rep.Summary())
	}
	return runOutcome(ctx, runErr, rep, b.o.Deadline)
}
