// Command nl2en-bench measures how close a translation run comes to the
// fastest the API's rate limits allow, and what a run costs in requests
// and tokens.
//
//	go run ./cmd/nl2en-bench            # 200 articles, in under a minute
//	go run ./cmd/nl2en-bench -json      # the same figures for programs
//	go run ./cmd/nl2en-bench -check     # exit 1 when a target is missed
//
// It writes -articles invented Dutch news articles (3 to 20 paragraphs,
// headings, a byline, a photo caption, figures; the same -seed gives the
// same files) into a temporary folder, starts the fake OpenAI server of
// pipeline/openaitest with a latency of -latency plus -per-token for each
// completion token and a limit of -rpm requests and -tpm tokens a minute,
// and runs the folder through the pipeline wired as `nl2en translate --out`
// wires it: one scheduler, the retrying client paced by it, the
// translator, the segment cache and the runner. Then it runs the folder
// again, when every output is up to date, and a third time as with
// --force, the cache kept.
//
// # Time scale
//
// The API's minute would make a realistic run take minutes, so the run is
// played -scale times faster: the server's rate window is a minute divided
// by -scale and its latencies are divided by -scale, and the scheduler
// runs on a clock -scale times as fast as the wall clock, reading the
// server's wait times converted to it, so that its own durations (a burst
// of one second of the rate, backoffs, the recovery after a 429) keep
// their proportion to the API's minute. Every time printed is bench time;
// multiplied by -scale it is the time at real speed. -scale 1 wires the
// scheduler exactly as nl2en does, on the wall clock.
//
// # Reading the figures
//
// The ideal time is the longest of three lower bounds, computed from the
// work the server saw in the first run: the requests it admitted over the
// RPM limit, the tokens it counted against the TPM limit over that limit,
// and the latency of every admitted request spread over -concurrency. The
// fake server counts a request's prompt plus the completion it allows
// (max_tokens) against its token limit, so that is the token count of the
// TPM bound. The longest bound is named as binding: with the defaults it
// is the tokens, as in a real nightly run, with the latency bound well
// under half of it. wall / ideal is the first run's time over the ideal: 1.00
// is perfect pacing, and the target is 1.15 or less. The ideal assumes the
// limit spread evenly; the server's sliding window would admit a whole
// window's worth at once at the start, which the scheduler does not try to
// use.
//
// Requests per article counts every request sent, 429s included. Prompt
// and completion tokens per source token are the usage the server
// reported over the tokens (counted with the model's tokenizer) of the
// segments sent for translation: the cost of the system prompts, the
// context around each batch, the JSON, and the summary. The re-runs must
// make no request at all: the first finds every output up to date and
// skips it, the second (--force) finds every segment and summary in the
// cache.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/nl2en/nl2en/pipeline/translate"
)

const (
	exitOK       = 0
	exitFailure  = 1 // the bench failed, or with -check a target was missed
	exitUsage    = 2
	exitCanceled = 130
)

func main() {
	maybeMeasure()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

// run is main without the process.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("nl2en-bench", flag.ContinueOnError)
	fl.SetOutput(stderr)
	cfg := config{Model: "gpt-4.1-mini"}
	fl.IntVar(&cfg.Articles, "articles", 200, "articles to generate and translate")
	fl.Uint64Var(&cfg.Seed, "seed", 1, "seed of the article generator")
	fl.IntVar(&cfg.RPM, "rpm", 500, "requests per minute the fake API allows")
	fl.IntVar(&cfg.TPM, "tpm", 200_000, "tokens per minute the fake API allows (prompt + max_tokens)")
	fl.DurationVar(&cfg.Latency, "latency", 200*time.Millisecond, "base latency of a reply, at real speed")
	fl.DurationVar(&cfg.PerToken, "per-token", 2*time.Millisecond, "latency per completion token, at real speed")
	fl.IntVar(&cfg.Scale, "scale", 10, "play the run this many times faster than real time")
	fl.IntVar(&cfg.Concurrency, "concurrency", 4, "API requests in flight at once (nl2en --concurrency)")
	fl.IntVar(&cfg.Workers, "workers", 0, "articles in flight (0: as nl2en, max(concurrency, 2))")
	fl.IntVar(&cfg.TokenBudget, "token-budget", translate.DefaultTokenBudget, "most source tokens in one translation request (nl2en --token-budget)")
	fl.StringVar(&cfg.Model, "model", cfg.Model, "model name sent, and whose tokenizer counts")
	fl.StringVar(&cfg.Dir, "dir", "", "keep the articles, outputs and cache in this new or empty folder (default: a temporary folder, removed)")
	fl.StringVar(&cfg.Trace, "trace", "", "write a CSV line per request of the first run to this file")
	fl.BoolVar(&cfg.Process.Run, "process", true, "also measure the nl2en binary as a process: size, inspect, the sample alone, a folder, and CPU per article")
	fl.StringVar(&cfg.Process.Bin, "bin", "", "the nl2en binary to measure (default: go build one)")
	fl.StringVar(&cfg.Process.Sample, "sample", "samples/bachmoet.txt", "the sample article")
	fl.DurationVar(&cfg.Process.Latency, "sample-latency", 200*time.Millisecond, "base latency of a reply in the sample run")
	fl.DurationVar(&cfg.Process.PerToken, "sample-per-token", 4*time.Millisecond, "latency per completion token in the sample run")
	fl.IntVar(&cfg.Process.Folder, "folder", 12, "copies of the sample in the folder run")
	fl.IntVar(&cfg.Process.Throughput, "throughput", 2000, "sample variants in the CPU run (no latency, --concurrency 16)")
	fl.IntVar(&cfg.Process.ThroughputRuns, "throughput-runs", 3, "times the CPU run is made: the median CPU and the largest peak are reported")
	asJSON := fl.Bool("json", false, "print the figures as JSON")
	check := fl.Bool("check", false, "exit 1 when a target is missed")
	maxRatio := fl.Float64("max-ratio", 1.15, "the wall / ideal target")
	verbose := fl.Bool("v", false, "log each article and every retry on stderr")
	if err := fl.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return exitOK
		}
		return exitUsage
	}
	if fl.NArg() > 0 {
		fmt.Fprintf(stderr, "nl2en-bench: unexpected argument %q: it takes only flags\n", fl.Arg(0))
		return exitUsage
	}
	if err := cfg.validate(); err != nil {
		fmt.Fprintf(stderr, "nl2en-bench: %v\n", err)
		return exitUsage
	}
	level := slog.LevelError
	if *verbose {
		level = slog.LevelInfo
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))

	res, err := bench(ctx, cfg, *maxRatio, log)
	if err != nil {
		if ctx.Err() != nil {
			fmt.Fprintln(stderr, "nl2en-bench: interrupted")
			return exitCanceled
		}
		fmt.Fprintf(stderr, "nl2en-bench: %v\n", err)
		return exitFailure
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(res); err != nil {
			fmt.Fprintf(stderr, "nl2en-bench: %v\n", err)
			return exitFailure
		}
	} else {
		printTable(stdout, res)
	}
	code := exitOK
	for _, c := range res.Targets {
		if !c.OK && *check {
			fmt.Fprintf(stderr, "nl2en-bench: target missed: %s is %s, want %s\n", c.Name, c.Got, c.Want)
			code = exitFailure
		}
	}
	return code
}
