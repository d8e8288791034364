package job

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"time"

	openai "github.com/sashabaranov/go-openai"

	"github.com/nl2en/nl2en/pipeline"
	"github.com/nl2en/nl2en/pipeline/cache"
	"github.com/nl2en/nl2en/pipeline/check"
	"github.com/nl2en/nl2en/pipeline/cost"
	"github.com/nl2en/nl2en/pipeline/httpenv"
	"github.com/nl2en/nl2en/pipeline/llm"
	"github.com/nl2en/nl2en/pipeline/names"
	"github.com/nl2en/nl2en/pipeline/outputs"
	"github.com/nl2en/nl2en/pipeline/render"
	"github.com/nl2en/nl2en/pipeline/runner"
	"github.com/nl2en/nl2en/pipeline/schedule"
	"github.com/nl2en/nl2en/pipeline/split"
	"github.com/nl2en/nl2en/pipeline/tokens"
	"github.com/nl2en/nl2en/pipeline/translate"
	"github.com/nl2en/nl2en/pipeline/walk"
	"github.com/nl2en/nl2en/prompts"
)

// Env is what the process gives a job besides its settings.
type Env struct {
	Log *slog.Logger
	// Stdin and Stdout serve the "-" input.
	Stdin  io.Reader
	Stdout io.Writer
	// Now is the runner's clock; nil is time.Now.
	Now func() time.Time
	// Schedule are options of the run's scheduler, such as a clock.
	Schedule []schedule.Option
	// Pace, when set, turns the scheduler into the client's pacer (the
	// benchmark converts the server's wait times to its own clock); nil
	// paces with the scheduler as it is.
	Pace func(*schedule.Scheduler) llm.Pacer
	// Cache, when set, is used instead of the cache the settings name.
	Cache translate.Cache
	// Transport is the proxy and TLS roots of the API's connections, as
	// the environment and the settings file say; zero is Go's own.
	Transport httpenv.Transport
}

// Job is one run, wired: everything the commands that translate share.
type Job struct {
	Settings Settings
	Log      *slog.Logger
	// Client talks to the API, paced by Scheduler; the Batch API path
	// uses it directly.
	Client     *openai.Client
	Scheduler  *schedule.Scheduler
	Translator *translate.Translator
	Splitter   *split.Splitter
	Prices     cost.Table
	// Fingerprint identifies the settings that shape a translation; it is
	// stamped into every output.
	Fingerprint string
	// Formats are the outputs to write, a template's in the Markdown's
	// place.
	Formats []render.Format
	// Digests are the sha256 of the files that shaped the settings: the
	// prompt files as loaded, the user's glossary and template files
	// ("" for none). The Batch API path records them with the batches it
	// submits.
	Digests Digests
	// Store is the run's outputs: the one writer of the output folder
	// (or of the outputs beside the inputs), and the judge of whether an
	// article's outputs are up to date.
	Store *outputs.Store
	// Names is the names memory of the output folder as read at the
	// start; nil without an output folder, or with NoNames.
	Names *names.Memory
	env   Env
}

// Open validates the settings and wires a run from them. Nothing is sent.
func Open(s Settings, env Env) (*Job, error) {
	s = s.Defaults()
	if err := s.Validate(); err != nil {
		return nil, err
	}
	if env.Log == nil {
		env.Log = slog.New(slog.DiscardHandler)
	}
	key := s.APIKey
	if llm.IsPlaceholderKey(key) {
		// A key copied from .env.example unchanged is no key: local
		// servers take none, and others must not get it.
		key = ""
	}
	if key == "" && !s.DryRun && llm.NeedsKey(s.BaseURL, s.Azure) {
		return nil, &KeyError{Server: llm.Host(s.BaseURL), Placeholder: placeholder(s.APIKey)}
	}
	formats, err := outputFormats(s)
	if err != nil {
		return nil, err
	}
	fsys, err := prompts.Load(s.PromptsDir)
	if err != nil {
		return nil, &SettingError{Setting: SettingPromptsDir, Err: err}
	}
	gloss, err := loadGlossary(fsys, s.GlossaryFile)
	if err != nil {
		return nil, err
	}
	style, err := loadStyle(s.StyleFile)
	if err != nil {
		return nil, err
	}
	fp, err := fingerprint(s, fsys, gloss, style)
	if err != nil {
		return nil, err
	}
	prices, err := loadPrices(s)
	if err != nil {
		return nil, err
	}
	if _, ok := prices.Lookup(s.Model); !ok && s.MaxCost > 0 {
		return nil, &SettingError{Setting: SettingMaxCost, Value: fmt.Sprint(s.MaxCost), Problem: fmt.Sprintf("needs a price for model %q", s.Model), Err: ErrNoPrice}
	}
	log := env.Log
	sched := schedule.New(schedule.Under(schedule.Limits{Concurrency: s.Concurrency, RPM: s.RPM, TPM: s.TPM}),
		append([]schedule.Option{schedule.WithLogger(log)}, env.Schedule...)...)
	var pacer llm.Pacer = sched
	if env.Pace != nil {
		pacer = env.Pace(sched)
	}
	client := llm.NewClient(llm.Config{
		APIKey:          key,
		BaseURL:         s.BaseURL,
		Azure:           s.Azure,
		AzureAPIVersion: s.AzureAPIVersion,
		Timeout:         s.Timeout,
		MaxRetries:      s.MaxRetries,
		MaxConns:        s.Concurrency,
		Logger:          log,
		Pacer:           pacer,
		Proxy:           env.Transport.Proxy,
		RootCAs:         env.Transport.RootCAs,
	})
	// The tokenizer's encoding loads while the first request (the
	// summary, which needs no count) is on its way.
	counter := tokens.ForModel(s.Model)
	counter.Warm()
	cfg := translate.Config{
		Model:        s.Model,
		BaseURL:      s.BaseURL,
		TokenBudget:  s.TokenBudget,
		Concurrency:  s.Concurrency,
		Prompts:      fsys,
		AllowPartial: s.AllowPartial,
		Tokens:       counter,
		Judge:        check.NewChecker(gloss, check.WithEnglish(s.English), check.WithStyle(style)),
		English:      s.English,
		Logger:       log,
		Limiter:      sched,
		Strict:       s.Strict,
		Spread:       s.Spread,
		Cache:        env.Cache,
		Recheck:      s.Recheck,
	}
	if cfg.Cache == nil && !s.NoCache {
		if c, err := openCache(s.CacheDir, s.DryRun); err != nil {
			log.Warn("segment cache unavailable; going on without it", "error", err.Error())
		} else {
			cfg.Cache = c
		}
	}
	store := outputs.New(outputs.Config{Out: s.Out, Formats: formats, Fingerprint: fp, DryRun: s.DryRun, Log: log})
	mem, err := readNames(s, store)
	if err != nil {
		return nil, err
	}
	cfg.Names = mem
	tr, err := translate.New(client, cfg)
	if err != nil {
		return nil, err
	}
	digests, err := digestsOf(s, fsys)
	if err != nil {
		return nil, err
	}
	return &Job{
		Names:       mem,
		Settings:    s,
		Store:       store,
		Digests:     digests,
		Log:         log,
		Client:      client,
		Scheduler:   sched,
		Translator:  tr,
		Splitter:    split.New(),
		Prices:      prices,
		Fingerprint: fp,
		Formats:     formats,
		env:         env,
	}, nil
}

// RunnerConfig is the configuration of the job's runner, for callers that
// change a field or two (the Batch API path sets Replies).
func (j *Job) RunnerConfig(p runner.Progress) runner.Config {
	s := j.Settings
	return runner.Config{
		Out:         s.Out,
		Store:       j.Store,
		Formats:     j.Formats,
		Force:       s.Force || s.Recheck,
		RedoStale:   s.RedoStale,
		Prune:       s.Prune,
		Walk:        walk.Options{Include: s.Include, Exclude: s.Exclude, Out: s.Out, FollowSymlinks: s.FollowSymlinks, Skip: j.Store.Owns},
		Split:       split.Options{Format: s.InputFormat, MaxBytes: s.MaxBytes},
		Workers:     max(s.Concurrency, 2),
		Version:     s.Version,
		Fingerprint: j.Fingerprint,
		Log:         j.Log,
		Progress:    p,
		Now:         j.env.Now,
		Stdin:       j.env.Stdin,
		Stdout:      j.env.Stdout,
		Estimate:    j.Translator.Estimate,
		Price:       j.Price,
		PricesFrom:  pricesFrom(j.Prices),
		DryRun:      s.DryRun,
		MaxCost:     s.MaxCost,
		Names:       j.Names,
		LearnNames:  s.Out != "" && !s.NoNames && !s.DryRun,
	}
}

// Runner returns the job's runner, telling p of its progress.
func (j *Job) Runner(p runner.Progress) *runner.Runner {
	return runner.New(j.Translator, j.Splitter, j.RunnerConfig(p))
}

// Price prices usage of the job's model, Batch API requests at their own
// price; an unpriced model gives an unknown amount.
func (j *Job) Price(kind pipeline.RequestKind, u pipeline.Usage) cost.Amount {
	p, ok := j.Prices.Lookup(j.Settings.Model)
	if !ok {
		return cost.Amount{}
	}
	if kind == pipeline.RequestBatch {
		p = p.Batch()
	}
	return cost.USD(cost.Cost(p, u))
}

// outputFormats are the formats the settings name; with a template, the
// template in the Markdown's place (first when Markdown was not asked
// for, as stdin's one output goes to stdout) and the JSON output, whose
// stamp the template's output relies on.
func outputFormats(s Settings) ([]render.Format, error) {
	var formats []render.Format
	for _, name := range s.Formats {
		f, _ := render.Named(name) // known: Validate checked
		if !slices.ContainsFunc(formats, func(g render.Format) bool { return g.Name == f.Name }) {
			formats = append(formats, f)
		}
	}
	if s.Template == "" {
		return formats, nil
	}
	text, err := os.ReadFile(s.Template)
	if err != nil {
		return nil, &SettingError{Setting: SettingTemplate, Value: s.Template, Err: err}
	}
	tmpl, err := render.TemplateFormat(filepath.Base(s.Template), string(text))
	if err != nil {
		return nil, &SettingError{Setting: SettingTemplate, Value: s.Template, Err: err}
	}
	if i := slices.IndexFunc(formats, func(f render.Format) bool { return f.Name == render.NameMarkdown }); i >= 0 {
		formats[i] = tmpl
	} else {
		formats = append([]render.Format{tmpl}, formats...)
	}
	if !slices.ContainsFunc(formats, func(f render.Format) bool { return f.Name == render.NameJSON }) {
		json, _ := render.Named(render.NameJSON)
		formats = append(formats, json)
	}
	return formats, nil
}

// Digests are the sha256, in hex, of the files behind some settings.
type Digests struct {
	Prompts, Glossary, Template, Style string
}

// digestsOf reads the digests of the prompt files in fsys and of the
// user's glossary and template files.
func digestsOf(s Settings, fsys fs.FS) (Digests, error) {
	var d Digests
	names, err := prompts.Names()
	if err != nil {
		return d, err
	}
	h := sha256.New()
	for _, n := range names {
		b, err := fs.ReadFile(fsys, n)
		if err != nil {
			return d, &SettingError{Setting: SettingPromptsDir, Err: fmt.Errorf("read prompt %s: %w", n, err)}
		}
		fmt.Fprintf(h, "%s %d\x00", n, len(b))
		h.Write(b)
	}
	d.Prompts = hex.EncodeToString(h.Sum(nil))
	file := func(path string, setting Setting) (string, error) {
		if path == "" {
			return "", nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return "", &SettingError{Setting: setting, Value: path, Err: err}
		}
		sum := sha256.Sum256(b)
		return hex.EncodeToString(sum[:]), nil
	}
	if d.Glossary, err = file(s.GlossaryFile, SettingGlossaryFile); err != nil {
		return d, err
	}
	if d.Style, err = file(s.StyleFile, SettingStyleFile); err != nil {
		return d, err
	}
	d.Template, err = file(s.Template, SettingTemplate)
	return d, err
}

// fingerprint identifies the settings that shape a translation: outputs
// made under another are redone. The key is not part of it, nor is the
// names memory: learning a name makes no output stale.
func fingerprint(s Settings, fsys fs.FS, gloss check.Glossary, style check.Style) (string, error) {
	settings := fmt.Sprintf("nl2en %s\x00model %s\x00server %s\x00strict %v\x00english %s", s.Version, s.Model, llm.Host(s.BaseURL), s.Strict, s.English.Or())
	if style.Len() > 0 {
		h := sha256.New()
		for _, l := range style.Lines() {
			fmt.Fprintf(h, "%s\t%s\t%s\n", l.Prefer, l.Avoid, l.Note)
		}
		settings += "\x00style " + hex.EncodeToString(h.Sum(nil))
	}
	return runner.Fingerprint(settings, fsys, gloss)
}

// loadStyle reads the house style file, if there is one.
func loadStyle(file string) (check.Style, error) {
	if file == "" {
		return check.Style{}, nil
	}
	st, err := check.LoadStyle(file)
	var le *check.LineError
	switch {
	case errors.As(err, &le):
		return check.Style{}, &SettingError{Setting: SettingStyleFile, Err: err}
	case err != nil:
		return check.Style{}, &SettingError{Setting: SettingStyleFile, Value: file, Err: err}
	}
	return st, nil
}

// readNames reads the names memory of the output folder, when the run
// keeps one: it has an output folder and the memory is not turned off.
// A folder without one yet has an empty memory; a file that cannot be
// read is an error naming its line.
func readNames(s Settings, store *outputs.Store) (*names.Memory, error) {
	if s.Out == "" || s.NoNames {
		return nil, nil
	}
	if info, err := os.Stat(s.Out); err != nil || !info.IsDir() {
		return nil, nil // no folder yet; or one in the way, which the run reports
	}
	data, err := store.ReadNames()
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	path := filepath.Join(s.Out, names.File)
	if err != nil {
		return nil, &SettingError{Setting: SettingNames, Err: fmt.Errorf("read names memory %s: %w", path, err)}
	}
	m, err := names.Parse(bytes.NewReader(data), path)
	if err != nil {
		return nil, &SettingError{Setting: SettingNames, Err: err}
	}
	return m, nil
}

// loadPrices reads the built-in price table, the prices file over it, and
// the flat input and output prices for the model over both.
func loadPrices(s Settings) (cost.Table, error) {
	t := cost.Default()
	if s.PricesFile != "" {
		var err error
		if t, err = cost.LoadFile(s.PricesFile); err != nil {
			return t, &SettingError{Setting: SettingPricesFile, Err: err}
		}
	}
	if s.PriceIn > 0 {
		t = t.With(s.Model, cost.Flat(s.PriceIn, s.PriceOut))
	}
	return t, nil
}

func pricesFrom(t cost.Table) string {
	if t.Date.IsZero() {
		return t.Source
	}
	return fmt.Sprintf("%s, %s", t.Source, t.Date.Format("2006-01-02"))
}

// loadGlossary reads the built-in glossary (or the one in the prompts
// folder) and lays the user's file over it: the user's entries win.
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
		return check.Glossary{}, &SettingError{Setting: SettingGlossaryFile, Err: err}
	}
	return check.Merge(g, user), nil
}

// openCache opens the segment cache in dir (default: the user's cache
// folder); a dry run's only reads it, and makes nothing.
func openCache(dir string, dryRun bool) (*cache.Cache, error) {
	if dir == "" {
		d, err := cache.DefaultDir()
		if err != nil {
			return nil, err
		}
		dir = d
	}
	if dryRun {
		return cache.OpenReadOnly(dir)
	}
	return cache.Open(dir)
}
