package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/gofrs/flock"
	"github.com/google/renameio/v2"
	openai "github.com/sashabaranov/go-openai"
	"github.com/urfave/cli/v2"

	"github.com/nl2en/nl2en/pipeline"
	"github.com/nl2en/nl2en/pipeline/cache"
	"github.com/nl2en/nl2en/pipeline/check"
	"github.com/nl2en/nl2en/pipeline/cost"
	"github.com/nl2en/nl2en/pipeline/llm"
	"github.com/nl2en/nl2en/pipeline/runner"
	"github.com/nl2en/nl2en/pipeline/schedule"
	"github.com/nl2en/nl2en/pipeline/split"
	"github.com/nl2en/nl2en/pipeline/tokens"
	"github.com/nl2en/nl2en/pipeline/translate"
	"github.com/nl2en/nl2en/pipeline/walk"
	"github.com/nl2en/nl2en/prompts"
)

// apiOptions are the settings of the connection to the API.
type apiOptions struct {
	APIKey          string
	BaseURL         string
	Model           string
	Azure           bool
	AzureAPIVersion string
	Timeout         time.Duration
	MaxRetries      int
	Concurrency     int
	TokenBudget     int
	PromptsDir      string
	GlossaryFile    string
	Strict          bool
}

// translateOptions are the settings of one translate run.
type translateOptions struct {
	API          apiOptions
	Inputs       []string
	Out          string
	Formats      []string // "md", "json"
	formatsSet   bool     // --format was given: only those are written
	InputFormat  pipeline.Format
	MaxBytes     int64
	AllowPartial bool
	Deadline     time.Duration

	Include, Exclude []string
	FollowSymlinks   bool
	Force            bool
	CacheDir         string
	NoCache          bool
	RPM, TPM         int
	Wait             bool
	Report           string
	DryRun           bool
	MaxCost          float64
	PriceIn          float64
	PriceOut         float64
	PricesFile       string
	Quiet            bool
	showBar          bool
	stderr           io.Writer
}

func translateCommand(s streams) *cli.Command {
	return &cli.Command{
		Name:      "translate",
		Usage:     "translate articles (files, or - for stdin) into English Markdown and JSON",
		ArgsUsage: "FILE… | -",
		Flags:     translateFlags(),
		Action: func(c *cli.Context) error {
			opts, log, err := readTranslateCommand(c, s)
			if err != nil {
				return err
			}
			return runTranslate(c.Context, opts, s, log)
		},
	}
}

// readTranslateCommand reads the options and logger of a command that
// takes the translate flags.
func readTranslateCommand(c *cli.Context, s streams) (translateOptions, *slog.Logger, error) {
	return readTranslateCommandWith(c, s, c.Args().Slice())
}

// readTranslateCommandWith is readTranslateCommand with the inputs given.
func readTranslateCommandWith(c *cli.Context, s streams, inputs []string) (translateOptions, *slog.Logger, error) {
	opts, err := readTranslateOptions(c, inputs)
	if err != nil {
		return opts, nil, err
	}
	log, err := newLogger(c, s.stderr)
	if err != nil {
		return opts, nil, err
	}
	opts.stderr = s.stderr
	opts.showBar = isTerminal(s.stderr) && !opts.Quiet && c.String("log-format") != "json" && !c.Bool("verbose")
	if opts.showBar {
		// The bar shows progress; only warnings and errors interrupt it.
		log, _ = newLoggerAt(c, s.stderr, slog.LevelWarn)
	}
	return opts, log, nil
}

// translateFlags are the flags of translate, and of the batch commands.
func translateFlags() []cli.Flag {
	flags := append(apiFlags(), inputFlags()...)
	flags = append(flags, logFlags()...)
	flags = append(flags,
		&cli.StringFlag{Name: "out", Aliases: []string{"o"}, Usage: "write outputs into this folder instead of beside each input", EnvVars: []string{"NL2EN_OUT"}},
		&cli.StringFlag{Name: "format", Aliases: []string{"f"}, Usage: "outputs to write: md, json or md,json (stdin: md to stdout unless --out)"},
		&cli.BoolFlag{Name: "allow-partial", Usage: "render segments that could not be translated in Dutch, marked, instead of failing the article"},
		&cli.DurationFlag{Name: "deadline", Usage: "time limit for the whole run (0: none); articles not done by then fail", EnvVars: []string{"NL2EN_DEADLINE"}},
		&cli.StringSliceFlag{Name: "include", Usage: "glob of files to take from folders (repeatable; default **/*.txt, **/*.md, **/*.html)"},
		&cli.StringSliceFlag{Name: "exclude", Usage: "glob of files or folders to leave out (repeatable)"},
		&cli.BoolFlag{Name: "follow-symlinks", Usage: "walk into symbolic links to folders"},
		&cli.BoolFlag{Name: "force", Usage: "redo articles whose outputs are up to date"},
		&cli.StringFlag{Name: "cache-dir", Usage: "segment cache folder (default: nl2en/segments-v1 in the user cache folder)", EnvVars: []string{"NL2EN_CACHE_DIR"}},
		&cli.BoolFlag{Name: "no-cache", Usage: "neither read nor write the segment cache", EnvVars: []string{"NL2EN_NO_CACHE"}},
		&cli.IntFlag{Name: "rpm", Usage: "requests per minute the API allows (0: no limit but the server's 429s)", EnvVars: []string{"NL2EN_RPM"}},
		&cli.IntFlag{Name: "tpm", Usage: "tokens per minute the API allows (0: no limit but the server's 429s)", EnvVars: []string{"NL2EN_TPM"}},
		&cli.BoolFlag{Name: "wait", Usage: "wait for another run's lock instead of exiting"},
		&cli.StringFlag{Name: "report", Usage: "write the run report here (default: report.json in --out)", EnvVars: []string{"NL2EN_REPORT"}},
		&cli.BoolFlag{Name: "dry-run", Aliases: []string{"n"}, Usage: "print the plan (articles, segments, requests, tokens, cost) and send nothing"},
		&cli.Float64Flag{Name: "max-cost", Usage: "most US dollars the run may spend; no article starts once its estimate would pass it", EnvVars: []string{"NL2EN_MAX_COST"}},
		&cli.Float64Flag{Name: "price-in", Usage: "input price in USD per million tokens, for a model the price table lacks or to override it", EnvVars: []string{"NL2EN_PRICE_IN"}},
		&cli.Float64Flag{Name: "price-out", Usage: "output price in USD per million tokens", EnvVars: []string{"NL2EN_PRICE_OUT"}},
		&cli.StringFlag{Name: "prices", Usage: "CSV of prices (model,input,cached_input,output per million tokens) laid over the built-in table", EnvVars: []string{"NL2EN_PRICES"}},
	)
	return flags
}

// readAPIOptions reads and checks the connection settings.
func readAPIOptions(c *cli.Context) (apiOptions, error) {
	o := apiOptions{
		APIKey:          strings.TrimSpace(c.String("api-key")),
		BaseURL:         strings.TrimRight(strings.TrimSpace(c.String("base-url")), "/"),
		Model:           strings.TrimSpace(c.String("model")),
		Azure:           c.Bool("azure"),
		AzureAPIVersion: c.String("azure-api-version"),
		Timeout:         c.Duration("timeout"),
		MaxRetries:      c.Int("max-retries"),
		Concurrency:     c.Int("concurrency"),
		TokenBudget:     c.Int("token-budget"),
		PromptsDir:      c.String("prompts"),
		GlossaryFile:    c.String("glossary"),
		Strict:          c.Bool("strict"),
	}
	u, err := url.Parse(o.BaseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return o, usagef("base URL %q is not an http(s) URL: set OPENAI_BASE_URL or --base-url, e.g. http://localhost:11434/v1", o.BaseURL)
	}
	if llm.IsAzureURL(o.BaseURL) {
		o.Azure = true
	}
	switch {
	case o.Model == "":
		return o, usagef("no model: set NL2EN_MODEL or --model")
	case o.Timeout <= 0:
		return o, usagef("--timeout %s: must be positive", o.Timeout)
	case o.MaxRetries < 0:
		return o, usagef("--max-retries %d: must be 0 or more", o.MaxRetries)
	case o.Concurrency < 1:
		return o, usagef("--concurrency %d: must be 1 or more", o.Concurrency)
	case o.TokenBudget < 50:
		return o, usagef("--token-budget %d: must be at least 50", o.TokenBudget)
	}
	return o, nil
}

// needsKey reports whether the server cannot work without a key: OpenAI
// and Azure can't, while local servers (Ollama, llama.cpp, LM Studio)
// accept any or none.
func (o apiOptions) needsKey() bool {
	u, _ := url.Parse(o.BaseURL)
	return o.Azure || strings.EqualFold(u.Hostname(), "api.openai.com") || strings.HasSuffix(strings.ToLower(u.Hostname()), "openrouter.ai")
}

func readTranslateOptions(c *cli.Context, inputs []string) (translateOptions, error) {
	api, err := readAPIOptions(c)
	if err != nil {
		return translateOptions{}, err
	}
	o := translateOptions{
		API:          api,
		Inputs:       inputs,
		Out:          c.String("out"),
		MaxBytes:     c.Int64("max-bytes"),
		AllowPartial: c.Bool("allow-partial"),
		Deadline:     c.Duration("deadline"),

		Include:        c.StringSlice("include"),
		Exclude:        c.StringSlice("exclude"),
		FollowSymlinks: c.Bool("follow-symlinks"),
		Force:          c.Bool("force"),
		CacheDir:       c.String("cache-dir"),
		NoCache:        c.Bool("no-cache"),
		RPM:            c.Int("rpm"),
		TPM:            c.Int("tpm"),
		Wait:           c.Bool("wait"),
		Report:         c.String("report"),
		Quiet:          c.Bool("quiet"),
		DryRun:         c.Bool("dry-run"),
		MaxCost:        c.Float64("max-cost"),
		PriceIn:        c.Float64("price-in"),
		PriceOut:       c.Float64("price-out"),
		PricesFile:     c.String("prices"),
	}
	if o.MaxCost < 0 || o.PriceIn < 0 || o.PriceOut < 0 {
		return o, usagef("--max-cost, --price-in and --price-out cannot be negative")
	}
	if (o.PriceIn > 0) != (o.PriceOut > 0) {
		return o, usagef("--price-in and --price-out go together: give both")
	}
	if o.RPM < 0 || o.TPM < 0 {
		return o, usagef("--rpm and --tpm must be 0 (no limit) or more")
	}
	if err := (walk.Options{Include: o.Include, Exclude: o.Exclude}).Validate(); err != nil {
		return o, usageError{err}
	}
	if o.Deadline < 0 {
		return o, usagef("--deadline %s: must be positive, or 0 for none", o.Deadline)
	}
	if len(o.Inputs) == 0 {
		return o, usagef("translate: no input: give article files, or - to read stdin")
	}
	stdinCount := 0
	for _, in := range o.Inputs {
		if in == "-" {
			stdinCount++
		}
	}
	if stdinCount > 0 && len(o.Inputs) > 1 {
		return o, usagef("translate: - (stdin) cannot be mixed with files")
	}
	if o.InputFormat, err = parseInputFormat(c.String("input-format")); err != nil {
		return o, err
	}
	if o.MaxBytes <= 0 {
		return o, usagef("--max-bytes %d: must be positive", o.MaxBytes)
	}
	o.Formats = []string{"md", "json"}
	if f := c.String("format"); f != "" {
		o.formatsSet = true
		o.Formats = nil
		for _, p := range strings.Split(f, ",") {
			p = strings.ToLower(strings.TrimSpace(p))
			switch p {
			case "md", "markdown":
				o.Formats = append(o.Formats, "md")
			case "json":
				o.Formats = append(o.Formats, "json")
			default:
				return o, usagef("--format %q: use md, json or md,json", f)
			}
		}
	}
	if stdinCount > 0 && o.Out == "" && len(o.Formats) > 1 && o.formatsSet {
		return o, usagef("--format %s with stdin needs --out: stdout takes one format", c.String("format"))
	}
	return o, nil
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

// newTranslator connects to the API through the run's scheduler and loads
// the prompts.
func newTranslator(api apiOptions, fsys fs.FS, gloss check.Glossary, sched *schedule.Scheduler, segCache translate.Cache, allowPartial bool, log *slog.Logger) (*translate.Translator, *openai.Client, error) {
	if api.APIKey == "" && api.needsKey() {
		return nil, nil, errors.New("no API key: set OPENAI_API_KEY (in the environment or .env) or pass --api-key")
	}
	client := llm.NewClient(llm.Config{
		APIKey:          api.APIKey,
		BaseURL:         api.BaseURL,
		Azure:           api.Azure,
		AzureAPIVersion: api.AzureAPIVersion,
		Timeout:         api.Timeout,
		MaxRetries:      api.MaxRetries,
		MaxConns:        api.Concurrency,
		Logger:          log,
		Pacer:           sched,
	})
	cfg := translate.Config{
		Model:        api.Model,
		BaseURL:      api.BaseURL,
		TokenBudget:  api.TokenBudget,
		Concurrency:  api.Concurrency,
		Prompts:      fsys,
		AllowPartial: allowPartial,
		Count:        tokens.ForModel(api.Model).Count,
		Logger:       log,
		Limiter:      sched,
		Strict:       api.Strict,
	}
	cfg.UseChecks(gloss)
	if segCache != nil {
		cfg.Cache = segCache
	}
	tr, err := translate.New(client, cfg)
	return tr, client, err
}

// fingerprint identifies the settings that shape a translation: outputs
// made under another are redone. The key is not part of it.
func fingerprint(api apiOptions, fsys fs.FS, gloss check.Glossary) (string, error) {
	settings := fmt.Sprintf("nl2en %s\x00model %s\x00server %s\x00strict %v", version, api.Model, llm.Host(api.BaseURL), api.Strict)
	return runner.Fingerprint(settings, fsys, gloss)
}

// runTranslate translates every input and writes its outputs. An article
// that fails is reported and the rest go on.
// setup is what a run is made of: the translator, the client it talks
// through, and the runner configuration, wired the same for live and
// Batch API runs.
type setup struct {
	tr     *translate.Translator
	client *openai.Client
	cfg    runner.Config
}

// newSetup loads prompts, glossary, cache and prices, and wires the
// scheduler, client, translator and runner configuration.
func newSetup(o translateOptions, s streams, log *slog.Logger) (*setup, error) {
	fsys, err := prompts.Load(o.API.PromptsDir)
	if err != nil {
		return nil, usageError{err}
	}
	gloss, err := loadGlossary(fsys, o.API.GlossaryFile)
	if err != nil {
		return nil, err
	}
	fp, err := fingerprint(o.API, fsys, gloss)
	if err != nil {
		return nil, err
	}
	sched := schedule.New(schedule.Under(schedule.Limits{Concurrency: o.API.Concurrency, RPM: o.RPM, TPM: o.TPM}), schedule.WithLogger(log))
	var segCache translate.Cache
	if !o.NoCache {
		c, err := openCache(o.CacheDir)
		if err != nil {
			log.Warn("segment cache unavailable; going on without it", "error", err.Error())
		} else {
			segCache = c
		}
	}
	prices, err := loadPrices(o)
	if err != nil {
		return nil, err
	}
	if _, ok := prices.Lookup(o.API.Model); !ok && o.MaxCost > 0 {
		return nil, usagef("--max-cost needs a price for model %q: give --price-in and --price-out, or --prices FILE", o.API.Model)
	}
	if o.DryRun && o.API.APIKey == "" {
		o.API.APIKey = "dry-run" // nothing is sent: no key is needed to plan
	}
	tr, client, err := newTranslator(o.API, fsys, gloss, sched, segCache, o.AllowPartial, log)
	if err != nil {
		return nil, err
	}
	return &setup{tr: tr, client: client, cfg: runner.Config{
		Out:         o.Out,
		Formats:     o.Formats,
		Force:       o.Force,
		Walk:        walk.Options{Include: o.Include, Exclude: o.Exclude, Out: o.Out, FollowSymlinks: o.FollowSymlinks},
		Split:       split.Options{Format: o.InputFormat, MaxBytes: o.MaxBytes},
		Workers:     max(o.API.Concurrency, 2),
		Version:     version,
		Fingerprint: fp,
		Log:         log,
		Stdin:       s.stdin,
		Stdout:      s.stdout,
		Estimate:    tr.Estimate,
		Price:       priceFunc(prices, o.API.Model),
		PricesFrom:  pricesFrom(prices),
		DryRun:      o.DryRun,
		MaxCost:     o.MaxCost,
	}}, nil
}

// runTranslate translates every input and writes its outputs. An article
// that fails is reported and the rest go on.
func runTranslate(ctx context.Context, o translateOptions, s streams, log *slog.Logger) error {
	su, err := newSetup(o, s, log)
	if err != nil {
		return err
	}
	stdin := len(o.Inputs) == 1 && o.Inputs[0] == "-"
	if !stdin && !o.DryRun {
		unlock, err := lockRun(ctx, o, log)
		if err != nil {
			return err
		}
		if unlock == nil {
			return nil // another run holds the lock: said so, exit 0
		}
		defer unlock()
	}
	if o.Deadline > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeoutCause(ctx, o.Deadline, errDeadline)
		defer cancel()
	}
	prog := newProgress(s.stderr, o.showBar && !o.DryRun)
	if o.DryRun {
		prog.plans = s.stdout
	}
	su.cfg.Progress = prog
	rep, runErr := runner.New(su.tr, split.New(), su.cfg).Run(ctx, o.Inputs)
	prog.done()
	if runErr != nil {
		rep.Error = runErr.Error()
	}
	saveReport(o, rep, log)
	if o.DryRun {
		fmt.Fprintln(s.stdout, rep.Summary())
	} else if rep.Articles.Found > 1 && !o.Quiet || rep.Articles.NotDone > 0 {
		fmt.Fprintf(s.stderr, "nl2en: %s\n", rep.Summary())
	}
	if len(rep.NotStarted) > 0 {
		fmt.Fprintf(s.stderr, "nl2en: --max-cost $%.2f reached: %d articles not started; raise --max-cost or run again later\n", o.MaxCost, len(rep.NotStarted))
	}
	switch {
	case runErr != nil && errors.Is(context.Cause(ctx), errDeadline):
		return fmt.Errorf("--deadline %s reached with %d of %d articles not done; nothing partial was written: raise --deadline (NL2EN_DEADLINE)",
			o.Deadline, rep.Articles.NotDone, rep.Articles.Found)
	case runErr != nil && ctx.Err() != nil:
		return ctx.Err()
	case !rep.OK():
		return reportedError{exitFailure} // each failure was printed as it happened
	}
	return nil
}

// loadPrices reads the built-in price table, the --prices file over it,
// and --price-in/--price-out for the model over both.
func loadPrices(o translateOptions) (cost.Table, error) {
	t := cost.Default()
	if o.PricesFile != "" {
		var err error
		if t, err = cost.LoadFile(o.PricesFile); err != nil {
			return t, usageError{err}
		}
	}
	if o.PriceIn > 0 {
		t = t.With(o.API.Model, cost.Flat(o.PriceIn, o.PriceOut))
	}
	return t, nil
}

// priceFunc prices usage of the model, Batch API requests at their own
// price.
func priceFunc(t cost.Table, model string) func(pipeline.RequestKind, pipeline.Usage) cost.Amount {
	return func(kind pipeline.RequestKind, u pipeline.Usage) cost.Amount {
		p, ok := t.Lookup(model)
		if !ok {
			return cost.Amount{}
		}
		if kind == pipeline.RequestBatch {
			p = p.Batch()
		}
		return cost.USD(cost.Cost(p, u))
	}
}

func pricesFrom(t cost.Table) string {
	if t.Date.IsZero() {
		return t.Source
	}
	return fmt.Sprintf("%s, %s", t.Source, t.Date.Format("2006-01-02"))
}

// loadGlossary reads the built-in glossary (or the one in --prompts) and
// lays the user's --glossary file over it: the user's entries win.
func loadGlossary(fsys fs.FS, file string) (check.Glossary, error) {
	g, err := check.Load(fsys, "glossary.tsv")
	if err != nil {
		return check.Glossary{}, fmt.Errorf("built-in glossary: %w", err)
	}
	if file == "" {
		return g, nil
	}
	user, err := check.LoadFile(file)
	if err != nil {
		return check.Glossary{}, usageError{fmt.Errorf("%w: fix the line or see the README for the glossary format", err)}
	}
	return check.Merge(g, user), nil
}

func openCache(dir string) (*cache.Cache, error) {
	if dir == "" {
		d, err := cache.DefaultDir()
		if err != nil {
			return nil, err
		}
		dir = d
	}
	return cache.Open(dir)
}

// reportPath is where the run report goes: --report, or report.json in the
// output folder of a run that has one.
func (o translateOptions) reportPath() string {
	if o.Report != "" {
		return o.Report
	}
	if o.Out != "" && !(len(o.Inputs) == 1 && o.Inputs[0] == "-") {
		return filepath.Join(o.Out, "report.json")
	}
	return ""
}

// saveReport writes the run report where o says, logging a failure: the
// outputs are what matters, the report only describes them.
func saveReport(o translateOptions, rep *runner.Report, log *slog.Logger) {
	path := o.reportPath()
	if path == "" {
		return
	}
	if err := writeReport(path, rep); err != nil {
		log.Error("could not write the report", "file", path, "error", err.Error())
		return
	}
	log.Info("wrote report", "file", path)
}

func writeReport(path string, rep *runner.Report) error {
	b, err := json.MarshalIndent(rep, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return renameio.WriteFile(path, append(b, '\n'), 0o644)
}

// lockRun takes the run lock in the output folder (or the folder of the
// first input), so two runs from cron never work on the same outputs. It
// returns a nil unlock func when another run holds the lock and --wait was
// not given.
func lockRun(ctx context.Context, o translateOptions, log *slog.Logger) (func(), error) {
	dir := o.Out
	if dir == "" {
		dir = o.Inputs[0]
		if info, err := os.Stat(dir); err != nil || !info.IsDir() {
			dir = filepath.Dir(dir)
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("output folder %s: %w", dir, err)
	}
	path := filepath.Join(dir, ".nl2en.lock")
	lk := flock.New(path)
	var ok bool
	var err error
	if o.Wait {
		log.Info("waiting for the run lock", "file", path)
		ok, err = lk.TryLockContext(ctx, 500*time.Millisecond)
	} else {
		ok, err = lk.TryLock()
	}
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	if !ok {
		if !o.Quiet {
			fmt.Fprintf(o.stderr, "nl2en: another nl2en run is working in %s (lock %s); not starting a second one (use --wait to wait for it)\n", dir, path)
		}
		return nil, nil
	}
	return func() { lk.Unlock() }, nil
}

// errDeadline is the cause of a run stopped by --deadline.
var errDeadline = errors.New("run deadline reached")
