package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/urfave/cli/v2"

	"github.com/nl2en/nl2en/pipeline/batchapi"
	"github.com/nl2en/nl2en/pipeline/runner"
	"github.com/nl2en/nl2en/pipeline/split"
	"github.com/nl2en/nl2en/pipeline/translate"
	"github.com/nl2en/nl2en/pipeline/walk"
)

// The Batch API path: submit plans articles as the live path would and
// sends their requests as batches; collect finishes the articles from the
// replies exactly as the live path finishes them; run does both.

func batchCommand(s streams) *cli.Command {
	resubmit := &cli.BoolFlag{Name: "resubmit", Usage: "leave articles with failed requests for the next submit instead of finishing them live"}
	return &cli.Command{
		Name:  "batch",
		Usage: "translate through the OpenAI Batch API: half the price, results within 24 hours",
		Subcommands: []*cli.Command{
			{
				Name: "submit", Usage: "plan the articles that are not up to date and submit their requests as batches",
				ArgsUsage: "DIR|FILE… --out OUT", Flags: translateFlags(),
				Action: func(c *cli.Context) error {
					o, log, err := readBatchOptions(c, s, true)
					if err != nil {
						return err
					}
					return runBatch(c.Context, o, s, log, func(j *batchJob) error { return j.submit(c.Context, o.Inputs) })
				},
			},
			{
				Name: "status", Usage: "show each recorded batch with its status and counts",
				ArgsUsage: "OUT", Flags: translateFlags(),
				Action: func(c *cli.Context) error {
					o, log, err := readBatchOptions(c, s, false)
					if err != nil {
						return err
					}
					return runBatch(c.Context, o, s, log, func(j *batchJob) error { return j.status(c.Context, s.stdout) })
				},
			},
			{
				Name: "collect", Usage: "download finished batches and write every article whose requests are all back",
				ArgsUsage: "OUT", Flags: append(translateFlags(), resubmit),
				Action: func(c *cli.Context) error {
					o, log, err := readBatchOptions(c, s, false)
					if err != nil {
						return err
					}
					return runBatch(c.Context, o, s, log, func(j *batchJob) error { return j.collect(c.Context, c.Bool("resubmit")) })
				},
			},
			{
				Name: "run", Usage: "collect what has finished, then submit what is new: one command for cron",
				ArgsUsage: "DIR|FILE… --out OUT", Flags: append(translateFlags(), resubmit),
				Action: func(c *cli.Context) error {
					o, log, err := readBatchOptions(c, s, true)
					if err != nil {
						return err
					}
					return runBatch(c.Context, o, s, log, func(j *batchJob) error {
						if err := j.collect(c.Context, c.Bool("resubmit")); err != nil {
							return err
						}
						return j.submit(c.Context, o.Inputs)
					})
				},
			},
		},
	}
}

// readBatchOptions reads the translate flags for a batch command: inputs
// and --out for submit and run, the OUT folder as the argument otherwise.
func readBatchOptions(c *cli.Context, s streams, needInputs bool) (translateOptions, *slog.Logger, error) {
	if !needInputs {
		if c.NArg() != 1 {
			return translateOptions{}, nil, usagef("batch %s: give the output folder, e.g. nl2en batch %s english/", c.Command.Name, c.Command.Name)
		}
		if err := c.Set("out", c.Args().First()); err != nil {
			return translateOptions{}, nil, err
		}
		// The folder stands in for the inputs, which come from the state.
		return readTranslateCommandWith(c, s, []string{c.Args().First()})
	}
	o, log, err := readTranslateCommand(c, s)
	if err != nil {
		return o, nil, err
	}
	if o.Out == "" {
		return o, nil, usagef("batch %s: give --out: the batch state lives in the output folder", c.Command.Name)
	}
	for _, in := range o.Inputs {
		if in == "-" {
			return o, nil, usagef("batch %s: stdin cannot be batched: give files or folders", c.Command.Name)
		}
	}
	return o, log, nil
}

// batchJob is one batch command at work, under the run lock.
type batchJob struct {
	o      translateOptions
	su     *setup
	client *batchapi.Client
	st     *batchapi.State
	log    *slog.Logger
	stderr io.Writer
	sp     *split.Splitter
}

func runBatch(ctx context.Context, o translateOptions, s streams, log *slog.Logger, do func(*batchJob) error) error {
	su, err := newSetup(o, s, log)
	if err != nil {
		return err
	}
	unlock, err := lockRun(ctx, o, log)
	if err != nil {
		return err
	}
	if unlock == nil {
		return nil // another run holds the lock: said so, exit 0
	}
	defer unlock()
	st, err := batchapi.LoadState(batchapi.StatePath(o.Out))
	if err != nil {
		return err
	}
	j := &batchJob{o: o, su: su, client: batchapi.New(su.client, log), st: st, log: log, stderr: s.stderr, sp: split.New()}
	// A submit that died midway is found and finished, never paid twice.
	if err := j.client.Recover(ctx, st); err != nil {
		return fmt.Errorf("batch state in %s: %w", o.Out, err)
	}
	return do(j)
}

// customID names an article and one of its requests: the first 16 hex
// digits of the article's sha256, its root and path under the root, and
// the request ("summary", or the range of units "s1-s9").
func customID(digest string, in walk.Input, p translate.Planned) string {
	name := "summary"
	if len(p.Units) > 0 {
		name = p.Units[0] + "-" + p.Units[len(p.Units)-1]
	}
	return articleKey(digest, in) + "|" + name
}

func articleKey(digest string, in walk.Input) string {
	return digest[:16] + "|" + in.Root + "|" + in.Rel
}

// parseCustomID splits a custom id into its article key, its input and its
// request name.
func parseCustomID(id string) (key string, in walk.Input, name string, ok bool) {
	last := strings.LastIndexByte(id, '|')
	if last < 0 || len(id) < 18 || id[16] != '|' {
		return "", walk.Input{}, "", false
	}
	key, name = id[:last], id[last+1:]
	root, rel, found := strings.Cut(key[17:], "|")
	if !found {
		return "", walk.Input{}, "", false
	}
	in = walk.Input{Root: root, Rel: rel, Path: filepath.Join(root, filepath.FromSlash(rel))}
	return key, in, name, true
}

// submit plans every input that is not up to date and not already in a
// batch, and submits the requests in as many batches as the limits need.
func (j *batchJob) submit(ctx context.Context, inputs []string) error {
	run := runner.New(j.su.tr, j.sp, j.su.cfg)
	inFlight := map[string]bool{}
	for id := range j.st.InFlight() {
		if key, _, _, ok := parseCustomID(id); ok {
			inFlight[key] = true
		}
	}
	var lines []batchapi.Line
	articles, failed := 0, 0
	err := walk.Walk(ctx, inputs, j.su.cfg.Walk, func(in walk.Input) error {
		data, digest, pending, err := run.Pending(in)
		if err != nil {
			failed++
			fmt.Fprintf(j.stderr, "nl2en: %v\n", err)
			return nil
		}
		if !pending || inFlight[articleKey(digest, in)] {
			return nil
		}
		art, err := j.sp.Split(ctx, in.Path, data, j.su.cfg.Split)
		if err != nil {
			failed++
			fmt.Fprintf(j.stderr, "nl2en: %v\n", err)
			return nil
		}
		articles++
		for _, p := range j.su.tr.Requests(art) {
			lines = append(lines, batchapi.Line{CustomID: customID(digest, in, p), Request: p.Request})
		}
		return nil
	}, func(path string, err error) {
		failed++
		fmt.Fprintf(j.stderr, "nl2en: %s: %v\n", path, err)
	})
	if err != nil {
		return err
	}
	if len(lines) == 0 {
		j.log.Info("nothing new to submit")
	} else {
		chunks, err := batchapi.Chunk(lines, 0, 0)
		if err != nil {
			return err
		}
		for _, ch := range chunks {
			rec, err := j.client.Submit(ctx, j.st, ch, map[string]string{"nl2en_out": filepath.Base(j.o.Out)})
			if err != nil {
				return fmt.Errorf("submit a batch of %d requests: %w", len(ch), err)
			}
			j.log.Info("submitted batch", "batch", rec.BatchID, "requests", rec.Requests)
		}
	}
	if !j.o.Quiet {
		fmt.Fprintf(j.stderr, "nl2en: submitted %d requests for %d articles in batches; collect them with nl2en batch collect %s\n", len(lines), articles, j.o.Out)
	}
	if failed > 0 {
		return reportedError{exitFailure}
	}
	return nil
}

// status refreshes and prints every recorded batch.
func (j *batchJob) status(ctx context.Context, w io.Writer) error {
	refreshErr := j.client.Refresh(ctx, j.st)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tBATCH\tSTATUS\tREQUESTS\tCOMPLETED\tFAILED\tCREATED\tCOLLECTED")
	for _, r := range j.st.Records {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%d\t%d\t%s\t%v\n", r.ID, r.BatchID, r.Status, r.Requests,
			r.Counts.Completed, r.Counts.Failed, r.Created.Format("2006-01-02 15:04"), r.Collected)
	}
	tw.Flush()
	return refreshErr
}

// collect finishes every article whose requests are all in finished
// batches: replies are checked as live ones are, and what failed is sent
// live (or, with resubmit, left for the next submit).
func (j *batchJob) collect(ctx context.Context, resubmit bool) error {
	if err := j.client.Refresh(ctx, j.st); err != nil {
		j.log.Warn("could not refresh every batch", "error", err.Error())
	}
	waiting := map[string]bool{} // articles with a request still running
	for _, rec := range j.st.Open() {
		for _, id := range rec.CustomIDs {
			if key, _, _, ok := parseCustomID(id); ok {
				waiting[key] = true
			}
		}
	}
	replies := map[string][]translate.Reply{}
	inputs := map[string]walk.Input{}
	failedLine := map[string]bool{}
	var ready []*batchapi.Record
	for _, rec := range j.st.Uncollected() {
		results, err := j.client.Results(ctx, rec)
		if err != nil {
			j.log.Error("could not download a batch's results; will try again", "batch", rec.BatchID, "error", err.Error())
			continue
		}
		ready = append(ready, rec)
		for _, r := range results {
			key, in, name, ok := parseCustomID(r.CustomID)
			if !ok {
				continue
			}
			inputs[key] = in
			rep := translate.Reply{Summary: name == "summary"}
			if !rep.Summary {
				rep.First, rep.Last, _ = strings.Cut(name, "-")
			}
			if r.OK() {
				rep.Response = r.Response
			} else {
				failedLine[key] = true
				j.log.Warn("batch request failed", "article", in.Path, "request", name, "code", r.Code, "error", r.Err)
			}
			replies[key] = append(replies[key], rep)
		}
	}
	var todo []walk.Input
	byPath := map[string][]translate.Reply{}
	done := map[string]bool{}
	for key, in := range inputs {
		switch {
		case waiting[key]:
			continue
		case resubmit && failedLine[key]:
			j.log.Info("leaving for the next submit", "article", in.Path)
		default:
			todo = append(todo, in)
			byPath[key[:16]+"|"+in.Path] = replies[key]
		}
		done[key] = true
	}
	cfg := j.su.cfg
	cfg.Force = true // the outputs are what the batch was for
	cfg.Replies = func(path, digest string) []translate.Reply {
		return byPath[digest[:16]+"|"+path]
	}
	prog := newProgress(j.stderr, j.o.showBar)
	cfg.Progress = prog
	rep, runErr := runner.New(j.su.tr, j.sp, cfg).RunInputs(ctx, todo)
	prog.done()
	if runErr != nil {
		rep.Error = runErr.Error()
	}
	// A record is collected once none of its articles waits for another.
	for _, rec := range ready {
		all := true
		for _, id := range rec.CustomIDs {
			if key, _, _, ok := parseCustomID(id); ok && !done[key] {
				all = false
			}
		}
		if all {
			rec.Collected = true
			if err := j.client.DeleteFiles(ctx, rec); err != nil {
				j.log.Warn("could not delete a batch's files", "batch", rec.BatchID, "error", err.Error())
			}
		}
	}
	if err := j.st.Save(); err != nil {
		return err
	}
	saveReport(j.o, rep, j.log)
	if !j.o.Quiet {
		fmt.Fprintf(j.stderr, "nl2en: collected: %s\n", rep.Summary())
	}
	if runErr != nil {
		return runErr
	}
	if !rep.OK() {
		return reportedError{exitFailure}
	}
	return nil
}
