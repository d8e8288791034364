package runner

import (
	"bytes"
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/nl2en/nl2en/pipeline"
	"github.com/nl2en/nl2en/pipeline/cost"
	"github.com/nl2en/nl2en/pipeline/index"
	"github.com/nl2en/nl2en/pipeline/llm"
	"github.com/nl2en/nl2en/pipeline/names"
	"github.com/nl2en/nl2en/pipeline/outputs"
	"github.com/nl2en/nl2en/pipeline/render"
	"github.com/nl2en/nl2en/pipeline/split"
	"github.com/nl2en/nl2en/pipeline/translate"
	"github.com/nl2en/nl2en/pipeline/walk"
)

// Translator is the translation stage as the runner uses it. Complete
// translates an article, finishing it from replies already obtained
// through the Batch API when there are any: those are checked as live
// replies are, and only what they lack is sent live. With no replies it
// translates the article live; see translate.Translator.Complete.
type Translator interface {
	Complete(ctx context.Context, art *pipeline.Article, replies []translate.Reply) (*pipeline.Result, error)
}

// Splitter is the splitting stage as the runner uses it.
type Splitter interface {
	Split(ctx context.Context, name string, data []byte, opts split.Options) (*pipeline.Article, error)
}

// Progress is told what the run does, for a progress bar; nil for none.
type Progress interface {
	// Found is called with the number of inputs once they are counted,
	// before any is started, and again for any the walk finds beyond them.
	Found(n int)
	// Finished is called as each article ends, with its outcome.
	Finished(a ArticleReport)
}

// Config holds the settings of a run.
type Config struct {
	// Out is the output folder; "" writes outputs beside their inputs.
	Out string
	// Store is the output folder's store, through which every output is
	// judged and written; nil makes one from Out, Formats, Fingerprint and
	// DryRun.
	Store *outputs.Store
	// Formats are the outputs to write; none means render.DefaultFormats.
	// An article is up to date when every output exists and each that
	// carries a stamp says so.
	Formats []render.Format
	// Force redoes articles whose outputs are up to date, or stale.
	Force bool
	// RedoStale redoes articles whose outputs were made from the same
	// source under other settings (another fingerprint); without it they
	// are kept, and counted as stale.
	RedoStale bool
	// Prune removes the outputs whose source is gone (see
	// [Report.Orphans]) once a run over folders has walked them all.
	Prune bool
	Walk  walk.Options
	Split split.Options
	// Workers is the most articles in flight; their requests still go
	// through the translator's one limiter.
	Workers int
	// Version is the program version written into the JSON.
	Version string
	// Fingerprint identifies the settings that shape a translation (model,
	// prompts, glossary, program version); outputs made with another are
	// not up to date.
	Fingerprint string
	Log         *slog.Logger
	Progress    Progress
	Now         func() time.Time
	// Stdin and Stdout serve the "-" input: read from Stdin, and when Out
	// is "" the first format goes to Stdout.
	Stdin  io.Reader
	Stdout io.Writer

	// Estimate forecasts an article's usage before anything is sent; it
	// is needed by DryRun and MaxCost. With Replies, it forecasts what
	// is sent live beside the replies.
	Estimate func(art *pipeline.Article) translate.Estimate
	// Price turns the usage of one kind of request into dollars; nil or an
	// unpriced model gives unknown costs.
	Price func(pipeline.RequestKind, pipeline.Usage) cost.Amount
	// PricesFrom says where the prices came from.
	PricesFrom string
	// DryRun plans every article that is not up to date and sends nothing.
	DryRun bool
	// MaxCost, when above zero, is the most dollars a run may spend on
	// requests it sends: no article starts once its estimate would take
	// the run past it. Replies already obtained through the Batch API were
	// paid for when they were submitted and do not count.
	MaxCost float64
	// Written, when set, is told of each article whose outputs were all
	// written, with its result (a feed run builds its English feed's
	// entries from them). It is called from the run's workers.
	Written func(in walk.Input, res *pipeline.Result)
	// Replies, when set, gives replies already obtained for an article
	// (through the Batch API), by the article and the sha256 of its
	// bytes, and why what they lack goes live ("s3–s9: its batch request
	// failed (http_500)"); the article is then finished from them, and
	// only what they lack is sent live.
	Replies func(art *pipeline.Article, sha256 string) ([]translate.Reply, []string)
	// Names is the names memory as read at the run's start; with
	// LearnNames, a run that writes its outputs into Out learns the
	// names of the articles it translated at its end (see names.Run.Pass)
	// and merges them into the memory file, through the store.
	Names      *names.Memory
	LearnNames bool
}

// Runner runs translations of many articles.
type Runner struct {
	cfg    Config
	tr     Translator
	sp     Splitter
	store  *outputs.Store
	budget budget
}

// budget keeps a run under MaxCost: the actual cost of finished articles
// plus the estimates of those in flight.
type budget struct {
	mu       sync.Mutex
	max      float64
	spent    float64
	reserved float64
	stopped  bool
}

// reserve admits an article estimated at est dollars, or refuses it and
// every article after it once the cap would be passed.
func (b *budget) reserve(est float64) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.stopped || b.spent+b.reserved+est > b.max {
		b.stopped = true
		return false
	}
	b.reserved += est
	return true
}

func (b *budget) settle(est, actual float64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.reserved -= est
	b.spent += actual
}

// New returns a Runner.
func New(tr Translator, sp Splitter, cfg Config) *Runner {
	if cfg.Workers < 1 {
		cfg.Workers = 1
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if len(cfg.Formats) == 0 {
		cfg.Formats = render.DefaultFormats()
	}
	store := cfg.Store
	if store == nil {
		store = outputs.New(outputs.Config{Out: cfg.Out, Formats: cfg.Formats, Fingerprint: cfg.Fingerprint, DryRun: cfg.DryRun, Log: cfg.Log})
	}
	// The walk leaves out what the run writes: the outputs, and the
	// output folder with its index.
	if cfg.Walk.Out == "" {
		cfg.Walk.Out = cfg.Out
	}
	if cfg.Walk.Skip == nil {
		cfg.Walk.Skip = store.Owns
	}
	return &Runner{cfg: cfg, tr: tr, sp: sp, store: store, budget: budget{max: cfg.MaxCost}}
}

// ErrFatal wraps the error that stopped a run early.
var ErrFatal = errors.New("run stopped")

// Prepared is an article read and split before the run, such as a page
// fetched from the web: the run translates it as it would a file, without
// reading Input.Path, which only names it. Its outputs go where Input
// says (its Rel under the output folder), and are up to date when they
// were made from Article.SHA256, the digest its outputs are stamped
// with. Err, when set, is why the article could not be prepared: it is
// reported as failed, and nothing is sent for it.
type Prepared struct {
	Input   walk.Input
	Article *pipeline.Article
	Err     error
}

// RunInputs is Run for inputs already found, such as the articles whose
// Batch API replies are in. With an output folder, the articles are
// merged into its index when any was written.
func (r *Runner) RunInputs(ctx context.Context, inputs []walk.Input) (*Report, error) {
	idx := r.indexing()
	rep, err := r.run(ctx, len(inputs), func(ctx context.Context, yield func(walk.Input) error, _ func(string, error)) error {
		for _, in := range inputs {
			if err := yield(in); err != nil {
				return err
			}
		}
		return nil
	}, idx, nil)
	r.learnNames(rep, idx)
	r.writeIndex(rep, idx)
	return rep, err
}

// Run translates the inputs: files, folders, or "-" for stdin alone. The
// report is complete even when the run stops early; the error is non-nil
// only when it did (a fatal API error, or ctx ended). With an output
// folder, a run that wrote an output (or pruned one) merges the articles
// it met into the folder's index, even when it stopped early: the entries
// of the articles it did not meet stay.
func (r *Runner) Run(ctx context.Context, inputs []string) (*Report, error) {
	return r.RunWith(ctx, inputs, nil)
}

// RunWith is Run over the inputs and, after them, articles prepared
// before the run (see [Prepared]), all in one run with one report, one
// budget and one index.
func (r *Runner) RunWith(ctx context.Context, inputs []string, prepared []Prepared) (*Report, error) {
	walkInputs := func(ctx context.Context, yield func(walk.Input) error, onError func(string, error)) error {
		if len(inputs) == 0 {
			return nil
		}
		return walk.Walk(ctx, inputs, r.cfg.Walk, yield, onError)
	}
	if len(inputs) == 1 && inputs[0] == "-" {
		walkInputs = func(ctx context.Context, yield func(walk.Input) error, _ func(string, error)) error {
			return yield(walk.Input{Path: "-", Rel: "stdin.txt"})
		}
	}
	given := make(map[string]*Prepared, len(prepared))
	for i := range prepared {
		given[prepared[i].Input.Path] = &prepared[i]
	}
	produce := func(ctx context.Context, yield func(walk.Input) error, onError func(string, error)) error {
		if err := walkInputs(ctx, yield, onError); err != nil {
			return err
		}
		for _, p := range prepared {
			if err := yield(p.Input); err != nil {
				return err
			}
		}
		return nil
	}
	idx := r.indexing()
	rep, err := r.run(ctx, count(ctx, produce), produce, idx, given)
	if err == nil && len(inputs) > 0 {
		r.tidy(ctx, rep, inputs)
	}
	r.learnNames(rep, idx)
	r.writeIndex(rep, idx)
	return rep, err
}

// indexing returns where a run that writes the folder index collects its
// entries: a run with an output folder that is not a dry run.
func (r *Runner) indexing() *entries {
	if r.cfg.Out == "" || r.cfg.DryRun {
		return nil
	}
	return &entries{}
}

// writeIndex merges the run's entries into the folder index, when it
// wrote or pruned an output.
func (r *Runner) writeIndex(rep *Report, idx *entries) {
	if idx == nil || (rep.Articles.Done == 0 && len(rep.Pruned) == 0) {
		return
	}
	if err := r.store.WriteIndex(idx.list, r.cfg.Now()); err != nil {
		r.cfg.Log.Error("could not write the folder index", "folder", r.cfg.Out, "error", err.Error())
		return
	}
	r.cfg.Log.Info("wrote the folder index", "file", filepath.Join(r.cfg.Out, index.JSONL), "articles", len(idx.list))
}

// IndexWritten merges into the folder index the articles of ins, whose
// outputs an earlier run that was cut short before its index (a collect
// killed between articles) wrote from the source whose sha256 digests
// gives, as its outputs say them.
func (r *Runner) IndexWritten(ins []walk.Input, digests []string) error {
	if r.cfg.Out == "" || r.cfg.DryRun || len(ins) == 0 {
		return nil
	}
	list := make([]index.Entry, 0, len(ins))
	for i, in := range ins {
		list = append(list, r.indexEntry(in, ArticleReport{File: in.Path, Status: StatusDone, digest: digests[i]}))
	}
	if err := r.store.WriteIndex(list, r.cfg.Now()); err != nil {
		return fmt.Errorf("folder index in %s: %w", r.cfg.Out, err)
	}
	return nil
}

// count counts the inputs produce yields, and what it cannot read, by
// walking them once without reading a file: it is cheap, and it lets the
// progress bar and a stopped run's report know the whole of the work.
func count(ctx context.Context, produce func(context.Context, func(walk.Input) error, func(string, error)) error) int {
	n := 0
	produce(ctx, func(walk.Input) error { n++; return nil }, func(string, error) { n++ })
	return n
}

// entries collects the folder index of a run as its articles end, and
// the names of the articles it translated.
type entries struct {
	mu    sync.Mutex
	list  []index.Entry
	names names.Run
}

func (e *entries) add(x index.Entry) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.list = append(e.list, x)
}

// run translates the inputs that produce yields, a few at a time; total is
// how many it is expected to yield. Each article is added to idx when it
// is not nil. An input whose path given holds was prepared before the
// run.
func (r *Runner) run(ctx context.Context, total int, produce func(context.Context, func(walk.Input) error, func(string, error)) error, idx *entries, given map[string]*Prepared) (*Report, error) {
	rep := newReport(r.cfg.Now())
	rep.dryRun = r.cfg.DryRun
	defer func() { rep.finish(r.cfg.Now()) }()
	rep.expect(total)
	if r.cfg.Progress != nil {
		r.cfg.Progress.Found(total)
	}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	work := make(chan walk.Input)
	var wg sync.WaitGroup
	for range r.cfg.Workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for in := range work {
				a := r.article(ctx, in, given[in.Path], idx != nil)
				if a.err != nil && ctx.Err() != nil {
					a.Status, a.Error = StatusNotDone, "not done: the run was stopped"
				}
				if idx != nil {
					idx.add(r.indexEntry(in, a))
					idx.names.Add(displayName(a.File), a.names)
				}
				rep.add(a)
				if r.cfg.Progress != nil {
					r.cfg.Progress.Finished(a)
				}
				if a.err != nil && fatal(a.err) {
					cancel(fmt.Errorf("%w: %w", ErrFatal, a.err))
				}
			}
		}()
	}
	walkErr := produce(ctx, func(in walk.Input) error {
		if rep.found(1) && r.cfg.Progress != nil {
			r.cfg.Progress.Found(1)
		}
		select {
		case work <- in:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}, func(path string, err error) {
		if rep.found(1) && r.cfg.Progress != nil {
			r.cfg.Progress.Found(1)
		}
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = fmt.Errorf("%s: %w", path, pe.Err)
		}
		a := ArticleReport{File: path, Status: StatusFailed, Error: safeMessage(err, path), err: err}
		if idx != nil {
			idx.add(index.Entry{Source: path, Status: string(a.Status), Error: a.Error})
		}
		rep.add(a)
		if r.cfg.Progress != nil {
			r.cfg.Progress.Finished(a)
		}
	})
	close(work)
	wg.Wait()
	rep.walked(walkErr == nil && ctx.Err() == nil)
	if cause := context.Cause(ctx); cause != nil {
		return rep, cause
	}
	if walkErr != nil && !errors.Is(walkErr, context.Canceled) {
		return rep, walkErr
	}
	return rep, nil
}

// Pending reads an input and reports whether its outputs are missing or
// out of date (always, with Force; stale, with RedoStale), with its bytes
// and their sha256: the Batch API path plans only the articles a live run
// would translate. An input whose output path is unsafe fails here, before
// anything is paid for.
func (r *Runner) Pending(ctx context.Context, in walk.Input) (data []byte, digest string, pending bool, err error) {
	src, err := r.open(ctx, in, nil, false)
	if err != nil {
		return nil, "", false, err
	}
	return src.data, src.digest, outputs.Redo(src.status.State, r.cfg.Force, r.cfg.RedoStale), nil
}

// source is an input read, with where its outputs go.
type source struct {
	data   []byte
	digest string // hex sha256 of data
	loc    *outputs.Article
	status outputs.Status
}

// open reads an input and works out where its outputs go and how they
// stand. With claim, the outputs are claimed for in, so that two inputs
// of one run that map to the same output fail instead of overwriting each
// other. A prepared article is not read: its digest is its article's.
func (r *Runner) open(ctx context.Context, in walk.Input, pre *Prepared, claim bool) (source, error) {
	var src source
	var err error
	if pre != nil && pre.Err != nil {
		return src, pre.Err
	}
	if src.loc, err = r.store.Locate(in); err != nil {
		return src, err
	}
	if claim {
		if err := r.store.Claim(src.loc); err != nil {
			return src, err
		}
	}
	if pre != nil {
		src.digest = pre.Article.SHA256
	} else {
		if src.data, err = r.read(ctx, in.Path); err != nil {
			return src, err
		}
		sum := sha256.Sum256(src.data)
		src.digest = hex.EncodeToString(sum[:])
	}
	src.status = r.store.Status(src.loc, src.digest)
	return src, nil
}

// fatal reports errors that every further article would hit too: the
// API refusing the run, or an output disk that is full or read-only
// (each further article would be paid for, then fail to be written).
func fatal(err error) bool {
	return llm.RefusesAll(err) || outputs.IsDiskFull(err)
}

// article handles one input from reading to writing, and says how it went.
// With indexing, a done article's report carries its document for the
// folder index. pre is the article when it was prepared before the run.
func (r *Runner) article(ctx context.Context, in walk.Input, pre *Prepared, indexing bool) ArticleReport {
	start := r.cfg.Now()
	a := ArticleReport{File: in.Path}
	// Every request of the article is counted as the server saw it.
	var requests llm.Counter
	ctx = llm.WithCounter(ctx, &requests)
	fail := func(err error) ArticleReport {
		msg := safeMessage(err, in.Path)
		if name := displayName(in.Path); !strings.Contains(msg, name) {
			msg = name + ": " + msg
		}
		a.Status, a.Error, a.err = StatusFailed, msg, err
		a.Seconds = r.cfg.Now().Sub(start).Seconds()
		r.spent(&a, &requests)
		return a
	}
	src, err := r.open(ctx, in, pre, true)
	a.loc = src.loc
	if err != nil {
		return fail(err)
	}
	a.digest = src.digest
	if !outputs.Redo(src.status.State, r.cfg.Force, r.cfg.RedoStale) {
		a.Status = StatusSkipped
		if src.status.State == outputs.Stale {
			a.stale = true
			r.cfg.Log.Info("made with other settings; kept", "file", in.Path)
		} else {
			r.cfg.Log.Info("up to date; skipped", "file", in.Path)
		}
		return a
	}
	var art *pipeline.Article
	if pre != nil {
		art = pre.Article
	} else if art, err = r.sp.Split(ctx, in.Path, src.data, r.cfg.Split); err != nil {
		return fail(err)
	}
	splitTime := r.cfg.Now().Sub(start)
	if r.cfg.DryRun || r.cfg.MaxCost > 0 {
		est := r.cfg.Estimate(art)
		a.Plan = r.plan(art, est)
		price := r.price(est.Usage)
		if r.cfg.DryRun {
			// The plan says what the cap would keep from starting.
			a.Status = StatusPlanned
			a.overBudget = r.cfg.MaxCost > 0 && !r.budget.reserve(price.USD)
			return a
		}
		if !r.budget.reserve(price.USD) {
			a.Status, a.overBudget = StatusNotDone, true
			a.Error = fmt.Sprintf("%s: not started: its estimated %s would take the run past its cost cap of %s", displayName(in.Path), Money(price), Dollars(r.cfg.MaxCost))
			return a
		}
		defer func() { r.budget.settle(price.USD, r.livePrice(a.Usage).USD) }()
	}
	r.cfg.Log.Info("translating", "file", in.Path, "segments", len(art.Segments))
	var replies []translate.Reply
	var notes []string
	if r.cfg.Replies != nil {
		replies, notes = r.cfg.Replies(art, src.digest)
	}
	res, err := r.tr.Complete(ctx, art, replies)
	if res != nil {
		a.addUsage(res)
	}
	if err != nil {
		return fail(err)
	}
	res.Timings.Split = splitTime
	res.Timings.Total += splitTime
	rendered, err := r.render(res)
	if err != nil {
		return fail(err)
	}
	if src.loc.ToStdout() {
		if _, err := r.cfg.Stdout.Write(rendered[0]); err != nil {
			return fail(fmt.Errorf("write stdout: %w", err))
		}
	} else {
		// The one way an article becomes done: every output committed.
		if err := r.store.Commit(src.loc, rendered); err != nil {
			return fail(err)
		}
		a.Outputs = src.loc.Paths
		if r.cfg.Written != nil {
			r.cfg.Written(in, res)
		}
	}
	if indexing {
		doc := render.NewDocument(res, r.meta())
		a.doc = &doc
	}
	a.names = res.Names
	for _, c := range res.NameConflicts {
		c.Source = displayName(in.Path)
		a.NameConflicts = append(a.NameConflicts, c)
	}
	a.Status = StatusDone
	a.Seconds = r.cfg.Now().Sub(start).Seconds()
	a.SummaryWarnings = len(res.Summary.Warnings)
	for _, t := range res.Translations {
		a.Warnings += len(t.Warnings)
		if len(t.Warnings) > 0 {
			a.WarnedSegments++
		}
		if t.Status == pipeline.StatusFailed {
			a.Untranslated++
		}
		if q := t.Quality; q != nil {
			a.Quality.add(QualitySum{RatioOff: b2i(q.RatioOff), StillDutch: b2i(q.StillDutch), NotEnglish: b2i(q.NotEnglish)})
		}
	}
	r.spent(&a, &requests)
	if replies != nil && a.LiveRequests > 0 {
		a.LiveReason = liveReason(a, notes)
	}
	u := a.Usage.total()
	attrs := []any{"file", in.Path, "segments", len(res.Translations), "requests", a.Requests, "prompt_tokens", u.PromptTokens,
		"completion_tokens", u.CompletionTokens, "cached_segments", a.CachedSegments, "seconds", round(a.Seconds)}
	if replies != nil {
		attrs = append(attrs, "batch_requests", a.BatchRequests, "live_requests", a.LiveRequests)
	}
	if a.LiveReason != "" {
		attrs = append(attrs, "live", a.LiveReason)
	}
	// What needs a look is said on the line itself: nobody should have
	// to open report.json to learn that half an article is still Dutch.
	if a.WarnedSegments > 0 {
		attrs = append(attrs, "warned_segments", a.WarnedSegments)
	}
	if a.Untranslated > 0 {
		attrs = append(attrs, "untranslated", a.Untranslated)
	}
	if a.SummaryWarnings > 0 {
		attrs = append(attrs, "summary_warnings", a.SummaryWarnings)
	}
	if n := len(a.NameConflicts); n > 0 {
		attrs = append(attrs, "name_conflicts", n)
	}
	level := slog.LevelInfo
	if a.Untranslated > 0 {
		level = slog.LevelWarn
	}
	r.cfg.Log.Log(ctx, level, "done", attrs...)
	return a
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func round(s float64) float64 { return float64(int64(s*1000)) / 1000 }

// price prices usage of every kind together: nothing used costs nothing,
// and the sum is unknown only when a kind used has no price.
func (r *Runner) price(u UsageTable) cost.Amount {
	sum := cost.USD(0)
	for k, x := range u {
		if r.cfg.Price == nil {
			return cost.Amount{}
		}
		sum = sum.Add(r.cfg.Price(k, x))
	}
	return sum
}

// livePrice prices the usage of the requests a run sent itself: replies
// obtained through the Batch API were paid for at submit.
func (r *Runner) livePrice(u UsageTable) cost.Amount {
	live := UsageTable{}
	for k, x := range u {
		if k != pipeline.RequestBatch {
			live[k] = x
		}
	}
	return r.price(live)
}

// spent records what an article cost, however it ended: the requests
// the server answered (or, for a translator that does not go through
// package llm, the replies it reports), the retries, and the price of
// the usage.
func (r *Runner) spent(a *ArticleReport, n *llm.Counter) {
	live, batch := 0, 0
	for k, u := range a.Usage {
		if k == pipeline.RequestBatch {
			batch += u.Requests // answered by the Batch API, not over HTTP here
		} else {
			live += u.Requests
		}
	}
	a.LiveRequests = max(n.Answered(), live)
	a.BatchRequests = batch
	a.Requests = a.LiveRequests + batch
	a.Retries = n.Retries()
	a.cost = r.price(a.Usage)
	a.CostUSD = costPtr(a.cost)
}

func (r *Runner) plan(art *pipeline.Article, est translate.Estimate) *Plan {
	p := &Plan{Requests: est.Requests, PromptTokens: est.PromptTokens, CompletionTokens: est.CompletionTokens, Cached: est.CachedSegments}
	for _, s := range art.Segments {
		p.Segments++
		if s.NeedsTranslation() {
			p.Translated++
		}
	}
	p.cost = r.price(est.Usage)
	p.CostUSD = costPtr(p.cost)
	return p
}

// read reads an input under the run's size limit.
func (r *Runner) read(ctx context.Context, path string) ([]byte, error) {
	return ReadInput(ctx, path, r.cfg.Stdin, cmp.Or(r.cfg.Split.MaxBytes, split.DefaultMaxBytes))
}

// ReadInput reads a file, or stdin for "-", refusing to read more than
// max+1 bytes, so that an oversized input is caught without being read
// whole; the error then gives its real size (a *split.SizeError): the
// file's, or for stdin what the rest counts to. Stdin is read in a
// goroutine that is left behind when ctx ends, so that a writer that
// never closes the pipe cannot keep an interrupted run waiting.
func ReadInput(ctx context.Context, path string, stdin io.Reader, max int64) ([]byte, error) {
	if path == "-" {
		return readStdin(ctx, stdin, max)
	}
	f, err := os.Open(path)
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err == nil && info.IsDir() {
		return nil, fmt.Errorf("%s is a folder: give the article files inside it", path)
	}
	if err == nil && info.Mode().IsRegular() && info.Size() > max {
		return nil, &split.SizeError{Name: path, Size: info.Size(), Limit: max}
	}
	b, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if int64(len(b)) > max {
		// Not a regular file, or one that grew since it was looked at.
		return nil, &split.SizeError{Name: path, Size: int64(len(b)), AtLeast: true, Limit: max}
	}
	return b, nil
}

// drainFactor bounds how far past the size limit stdin is counted, so
// that an endless stream is refused rather than counted for ever.
const drainFactor = 256

func readStdin(ctx context.Context, stdin io.Reader, max int64) ([]byte, error) {
	type result struct {
		data    []byte
		size    int64
		atLeast bool // the count stopped before the end
		err     error
	}
	got := make(chan result, 1)
	go func() {
		b, err := io.ReadAll(io.LimitReader(stdin, max+1))
		size, atLeast := int64(len(b)), false
		if err == nil && size > max {
			var n int64
			n, err = io.Copy(io.Discard, io.LimitReader(stdin, max*drainFactor))
			size, atLeast = size+n, n == max*drainFactor
		}
		got <- result{b, size, atLeast, err}
	}()
	select {
	case <-ctx.Done():
		return nil, ctx.Err()
	case r := <-got:
		switch {
		case r.err != nil:
			return nil, fmt.Errorf("read stdin: %w", r.err)
		case r.size > max:
			return nil, &split.SizeError{Name: "stdin", Size: r.size, AtLeast: r.atLeast, Limit: max}
		}
		return r.data, nil
	}
}

// render renders every format into memory first, so that a rendering
// error (a user's template that fails) writes nothing.
func (r *Runner) render(res *pipeline.Result) ([][]byte, error) {
	out := make([][]byte, len(r.cfg.Formats))
	for i, f := range r.cfg.Formats {
		var b bytes.Buffer
		if err := f.Render(&b, res, r.meta()); err != nil {
			return nil, fmt.Errorf("render %s of %s: %w", f.Name, res.Article.Name, err)
		}
		out[i] = b.Bytes()
	}
	return out, nil
}

// meta is what the outputs say about the run.
func (r *Runner) meta() render.Meta {
	return render.Meta{Version: r.cfg.Version, Fingerprint: r.cfg.Fingerprint, Price: r.cfg.Price, PricesFrom: r.cfg.PricesFrom}
}

// indexEntry is the folder index's line for the article in, which ended
// as a says: a done article's document, else what its outputs on disk
// say, if it has any.
func (r *Runner) indexEntry(in walk.Input, a ArticleReport) index.Entry {
	var e index.Entry
	loc := a.loc
	if loc == nil {
		var err error
		if loc, err = r.store.Locate(in); err != nil {
			return index.Entry{Source: displayName(a.File), Status: string(a.Status), Error: a.Error, Outputs: []string{}}
		}
	}
	if a.doc != nil {
		e = index.FromDocument(*a.doc)
	} else {
		e = r.store.IndexEntry(loc, a.digest)
	}
	e.Source, e.Status, e.Error = displayName(a.File), string(a.Status), a.Error
	e.Outputs = r.store.Existing(loc)
	for _, c := range a.NameConflicts {
		c.Source = ""
		e.NameConflicts = append(e.NameConflicts, c)
	}
	return e
}

// displayName is how messages name a file: "stdin" for "-", and a name
// that holds a control character (a newline in it could forge a line of
// its own on stderr) quoted.
func displayName(path string) string {
	if path == "-" {
		return "stdin"
	}
	return SafeName(path)
}

// SafeName is path as it may be printed in a line of text: quoted, as Go
// quotes strings, when it holds a control character or is not UTF-8.
func SafeName(path string) string {
	if !utf8.ValidString(path) || strings.ContainsFunc(path, unicode.IsControl) {
		return strconv.Quote(path)
	}
	return path
}

// safeMessage is err in one line, with the file at path named as
// displayName names it.
func safeMessage(err error, path string) string {
	msg := err.Error()
	if name := displayName(path); name != path && path != "-" {
		msg = strings.ReplaceAll(msg, path, name)
	}
	return oneLine(msg)
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
