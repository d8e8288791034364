package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/urfave/cli/v2"

	"github.com/nl2en/nl2en/pipeline/batchrun"
	"github.com/nl2en/nl2en/pipeline/cliargs"
	"github.com/nl2en/nl2en/pipeline/inputs"
	"github.com/nl2en/nl2en/pipeline/job"
	"github.com/nl2en/nl2en/pipeline/runner"
)

// The Batch API path: the work is package batchrun's; these commands read
// flags and print.

func batchCommand(s *streams) *cli.Command {
	sub := func(name, usage, args string, extra ...string) *cli.Command {
		return &cli.Command{Name: name, Usage: usage, ArgsUsage: args, Flags: flags(append(translateNames, extra...)...), Action: s.batchAction}
	}
	return &cli.Command{
		Name:  "batch",
		Usage: "translate through the OpenAI Batch API: half the price, results within 24 hours",
		Subcommands: []*cli.Command{
			sub("submit", "plan the articles that are not up to date and submit their requests as batches", "DIR|FILE… --out OUT"),
			sub("status", "show each recorded batch with its status and counts", "OUT"),
			sub("collect", "download finished batches and write every article whose requests are all back", "OUT", "resubmit"),
			sub("run", "collect what has finished, then submit what is new: one command for cron", "DIR|FILE… --out OUT", "resubmit"),
		},
	}
}

// batchCmd is one batch command at work, in an open session.
type batchCmd struct {
	o        runOptions
	sess     *batchrun.Session
	job      *job.Job
	s        *streams
	resubmit bool
	// inRun: a batch run, whose collect found nothing to collect (idle):
	// then one line says that and what submit found.
	inRun, idle bool
}

// batchAction reads the flags of a batch command, adopts the settings
// the batches in flight were submitted with (collect and run), opens the
// session of the output folder under its lock, runs the command, and
// records what it did.
func (s *streams) batchAction(c *cli.Context) error {
	verb, name, use, in := c.Command.Name, cliargs.Command(c), inputs.Batch, c.Args().Slice()
	if verb == "status" || verb == "collect" {
		if use = inputs.Folder; len(in) == 1 {
			if err := c.Set("out", in[0]); err != nil {
				return err
			}
		}
	}
	o, err := s.readRun(c, use, in)
	if err != nil {
		return err
	}
	if verb == "collect" || verb == "run" {
		var notes []string
		given := func(st job.Setting) bool { f, _ := settingFlag(st); return c.IsSet(f) }
		if o.Settings, notes, err = batchrun.Adopt(o.Out, o.Settings, given); err != nil {
			return err
		}
		for _, n := range notes {
			if !o.quiet {
				s.say(slog.LevelInfo, "%s: %s", name, n)
			}
		}
	}
	ctx, cancel := job.WithDeadline(c.Context, o.deadline)
	defer cancel()
	j, err := job.Open(o.Settings, job.Env{Log: o.log, Stdin: s.stdin, Stdout: s.stdout, Transport: s.transport})
	if err != nil {
		return err
	}
	sess, err := batchrun.Open(ctx, j)
	if err != nil {
		return s.startOutcome(ctx, err, o)
	}
	defer sess.Close()
	b := &batchCmd{o: o, sess: sess, job: j, s: s, resubmit: c.Bool("resubmit"), inRun: verb == "run"}
	var rep *runner.Report
	switch verb {
	case "status":
		return b.status(ctx)
	case "submit":
		rep = runner.NewReport(j.Now())
		err = b.submit(ctx, rep)
	default:
		rep, err = b.collect(ctx)
		if verb == "run" && (err == nil || errors.Is(err, errReported)) {
			err = errors.Join(err, b.submit(ctx, rep))
		}
	}
	if rep == nil {
		return err
	}
	// The report of a batch command, and its line of runs.jsonl when it
	// did something.
	rep.BatchAPIRequests = sess.Changes()
	if err != nil && rep.Error == "" && !errors.Is(err, errReported) {
		rep.Error = oneLine(err.Error())
	}
	rep.Finish(j.Now())
	j.Record([]string{o.Out}, rep, codeOf(err), o.inv)
	return err
}

func (b *batchCmd) submit(ctx context.Context, rep *runner.Report) error {
	sum, err := b.sess.Submit(ctx, b.o.inputs, func(err error) { b.s.say(slog.LevelError, "%s", explain(err)) })
	rep.Submitted = sum
	if err != nil {
		return err
	}
	if line := sum.Line(b.o.Out, b.idle, b.running(" (", ")")); sum.DryRun {
		fmt.Fprintln(b.s.stdout, line)
	} else if line != "" && !b.o.quiet {
		b.s.say(slog.LevelInfo, "%s", line)
	}
	if n := len(sum.LeftOut); n > 0 {
		b.s.say(slog.LevelError, "--max-cost %s reached: %s left out of the batches (%s); raise --max-cost or submit again later",
			runner.Dollars(b.o.MaxCost), runner.NOf(n, "article"), runner.SomeNames(sum.LeftOut, 3))
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
	return errors.Join(batchrun.WriteStatus(b.s.stdout, recs), refreshErr)
}

func (b *batchCmd) collect(ctx context.Context) (*runner.Report, error) {
	prog := b.s.progress(b.o)
	rep, runErr := b.sess.Collect(ctx, b.resubmit, prog)
	prog.Done()
	switch {
	case b.o.DryRun:
		fmt.Fprintln(b.s.stdout, rep.CollectPlan())
	case rep.Articles.Found == 0 && runErr == nil:
		b.idle = true
		if !b.o.quiet && !b.inRun {
			b.s.say(slog.LevelInfo, "nothing to collect in %s%s", b.o.Out, b.running(": ", ""))
		}
	case !b.o.quiet || rep.Articles.NotDone > 0:
		b.s.say(slog.LevelInfo, "collected: %s", rep.Summary())
	}
	if n := len(rep.NotStarted); n > 0 {
		b.s.say(slog.LevelError, "--max-cost %s reached: %s not collected; they stay for the next collect",
			runner.Dollars(b.o.MaxCost), runner.NOf(n, "article"))
	}
	return rep, job.Outcome(ctx, runErr, rep, b.o.deadline)
}
