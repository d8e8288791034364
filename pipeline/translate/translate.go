package translate

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	openai "github.com/sashabaranov/go-openai"
	"golang.org/x/sync/errgroup"

	"github.com/nl2en/nl2en/pipeline"
	"github.com/nl2en/nl2en/pipeline/cache"
	"github.com/nl2en/nl2en/pipeline/check"
	"github.com/nl2en/nl2en/pipeline/llm"
	"github.com/nl2en/nl2en/pipeline/memo"
	"github.com/nl2en/nl2en/pipeline/names"
	"github.com/nl2en/nl2en/pipeline/tokens"
	"github.com/nl2en/nl2en/prompts"
)

// DefaultTokenBudget is the default maximum of source tokens per
// translation request. In a folder run an article goes in as few requests
// as it allows, since every extra one repeats the system prompt: most news
// articles (the sample is about 1,100 tokens of Dutch in o200k) go in one.
// A request of that size, with its reply, still fits the 4,096-token
// context Ollama gives a model by default. A single article is spread over
// the request slots for speed whatever the budget (Config.Spread).
const DefaultTokenBudget = 1200

// countMemory is how many texts' token counts a translator remembers.
const countMemory = 1 << 14

const (
	// reasoningAllowance is added to a reasoning model's reply budget for
	// the tokens it thinks in.
	reasoningAllowance = 4096
	// maxRepairRounds is how often the ids still wrong after a reply are
	// sent again.
	maxRepairRounds = 2
	// summaryInputTokens caps the Dutch text a summary is written from.
	summaryInputTokens = 12000
	// contextChars is how much Dutch around a batch it is given: the
	// sentence before and after it, about 50 tokens each.
	contextChars = 200
)

// Chat is what the stage needs of the API: *openai.Client has it, and so do
// test fakes.
type Chat interface {
	CreateChatCompletion(ctx context.Context, req openai.ChatCompletionRequest) (openai.ChatCompletionResponse, error)
}

// Config holds the settings of the stage.
type Config struct {
	Model   string
	BaseURL string // recorded in results, without credentials
	// TokenBudget is the most source tokens in one translation request.
	TokenBudget int
	// Concurrency is the most requests in flight across every article the
	// Translator handles.
	Concurrency int
	// Spread spreads an article's segments over the request slots in
	// batches of near-equal size, for the fastest result when one article
	// has the slots to itself (a single file, a pipe); otherwise batches
	// are as few as TokenBudget allows, which costs fewer tokens.
	Spread bool
	// Prompts holds the prompt files (see package prompts).
	Prompts fs.FS
	// Tokens counts tokens with the model's tokenizer; nil uses
	// tokens.ForModel(Model). While its encoding is still loading at
	// start (Loaded is false), a request's tokens are estimated from its
	// length for pacing, so that the first request leaves without
	// waiting for it.
	Tokens Tokens
	// AllowPartial renders segments that could not be translated in Dutch,
	// marked, instead of failing the article.
	AllowPartial bool
	// Judge judges every reply, every translated article and every
	// summary (see [Judge]); nil judges nothing.
	Judge Judge
	// Strict fails segments whose problems remain after the repair,
	// instead of keeping them as warnings.
	Strict bool
	// ContextWindow is the context, in tokens, the server gives a
	// request, when the caller knows it (0 when not): a prompt the server
	// reports reading in full up to it is one the server cut.
	ContextWindow int
	Logger        *slog.Logger
	// Now is the clock; nil is time.Now.
	Now func() time.Time
	// Limiter admits requests; one Limiter shared by a run keeps the whole
	// run under the API's limits. Nil limits requests in flight to
	// Concurrency.
	Limiter Limiter
	// Cache keeps translated segments and summaries across runs; nil for
	// none.
	Cache Cache
	// Recheck asks the model again for what the cache holds (a segment
	// kept with its warnings would otherwise be reused as it is); the new
	// answers are still written to the cache.
	Recheck bool
	// English is the variety of English the prompts ask for; "" is
	// British English. The checks' own variety is the Judge's.
	English pipeline.English
	// Names is the names memory: the English forms learned for Dutch
	// names in earlier runs. Requests carry the ones their text holds,
	// and an article is held to them; nil for none. Like the article
	// context, it is in no cache key: learning a name never makes a
	// cached segment miss, the names pass holds it to the memory.
	Names *names.Memory
}

// Tokens counts tokens the way the model's tokenizer does:
// *tokens.Counter has it.
type Tokens interface {
	Count(text string) int
	// Loaded reports whether Count answers at once.
	Loaded() bool
}

// CountFunc is a token counter that answers at once: Tokens of a plain
// function.
type CountFunc func(text string) int

// Count calls f.
func (f CountFunc) Count(text string) int { return f(text) }

// Loaded reports true: a function needs nothing loaded.
func (CountFunc) Loaded() bool { return true }

// Judge is what the stage needs of the checks; *check.Checker has it.
// Every reply is judged by Reject as it arrives (and every translation
// the cache serves, again); once all of an article's segments are back,
// the article's Check gives each segment's problems, for one repair
// request and then warnings, and its ReviewSummary the summary's;
// Measure gives each translated segment's quality signals. Terms are
// the glossary entries a batch's text uses, sent with it.
type Judge interface {
	Terms(text string) []check.Entry
	Reject(kind pipeline.Kind, source, english string) *check.Rejection
	Article(segs []check.Segment) *check.Article
	Measure(source, english string) check.Signals
	// StyleLines are the lines of the house style a batch's text may
	// need, sent with it; Style is the whole house style, and Term the
	// glossary's entry of a Dutch term: with the names memory, they
	// decide a name's one form in an article.
	StyleLines(text string) []check.StyleLine
	Style() check.Style
	Term(dutch string) (check.Entry, bool)
}

// Limiter admits a request estimated at tokens (prompt plus expected
// reply) when the run's limits allow, and is told when it is done.
type Limiter interface {
	Acquire(ctx context.Context, tokens int) (release func(), err error)
}

// Cache stores the English of segments by a key of what was asked.
type Cache interface {
	Get(key string) (cache.Entry, bool, error)
	Put(key string, e cache.Entry) error
}

// semaphore is the Limiter used when none is given: it caps requests in
// flight and nothing else.
type semaphore chan struct{}

func (s semaphore) Acquire(ctx context.Context, _ int) (func(), error) {
	select {
	case s <- struct{}{}:
		return func() { <-s }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// Translator runs the translation stage. One Translator serves a whole run:
// its concurrency limit and the JSON mode the server accepts are shared by
// every article.
type Translator struct {
	chat       Chat
	cfg        Config
	sysTrans   string
	sysSummary string
	sysRepair  string
	// sysTokens are the system prompts' tokens, by request kind, counted
	// the first time they are needed.
	sysTokens func() map[pipeline.RequestKind]int
	limiter   Limiter
	mode      atomic.Int32
	modeOnce  sync.Mutex
	log       *slog.Logger
	// count counts tokens, remembering the texts asked about last;
	// ready reports whether it answers at once.
	count func(string) int
	ready func() bool
	// cutOnce says once per run that the server cut a prompt; cuts
	// keeps what the server's counts tell about cuts (see promptCut).
	cutOnce sync.Once
	cuts    cutWatch
}

// New loads the prompts and returns a Translator.
func New(chat Chat, cfg Config) (*Translator, error) {
	if cfg.Prompts == nil {
		cfg.Prompts = prompts.Default()
	}
	if cfg.TokenBudget <= 0 {
		cfg.TokenBudget = DefaultTokenBudget
	}
	if cfg.Concurrency <= 0 {
		cfg.Concurrency = 4
	}
	if cfg.Tokens == nil {
		cfg.Tokens = tokens.ForModel(cfg.Model)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Recheck && cfg.Cache != nil {
		cfg.Cache = writeOnly{cfg.Cache}
	}
	t := &Translator{chat: chat, cfg: cfg, limiter: cfg.Limiter, log: cfg.Logger, ready: cfg.Tokens.Loaded,
		// A segment is counted for its batch and again for its article's
		// summary; counting is most of what a request costs nl2en. The
		// memo holds a run's articles' parts as they pass through.
		count: memo.New(cfg.Tokens.Count, countMemory).Get}
	if t.limiter == nil {
		t.limiter = make(semaphore, cfg.Concurrency)
	}
	if t.log == nil {
		t.log = slog.New(slog.DiscardHandler)
	}
	t.cfg.English = cfg.English.Or()
	variety := prompts.EnglishGB
	if t.cfg.English == pipeline.EnglishUS {
		variety = prompts.EnglishUS
	}
	english, err := prompts.Read(cfg.Prompts, variety)
	if err != nil {
		return nil, err
	}
	for _, p := range []struct {
		to   *string
		name string
	}{{&t.sysTrans, prompts.Translate}, {&t.sysSummary, prompts.Summary}, {&t.sysRepair, prompts.Repair}} {
		text, err := prompts.Read(cfg.Prompts, p.name)
		if err != nil {
			return nil, err
		}
		*p.to = prompts.WithEnglish(text, english)
	}
	t.sysTokens = sync.OnceValue(func() map[pipeline.RequestKind]int {
		return map[pipeline.RequestKind]int{
			pipeline.RequestTranslate: t.count(t.sysTrans),
			pipeline.RequestSummary:   t.count(t.sysSummary),
			pipeline.RequestRepair:    t.count(t.sysRepair),
		}
	})
	return t, nil
}

// Plan returns the batches an article would be sent in: spread over the
// request slots when the Translator spreads (Config.Spread), else as few
// as the budget allows.
func (t *Translator) Plan(art *pipeline.Article) []Batch {
	if t.cfg.Spread {
		// One slot is the summary's.
		return Spread(art, t.cfg.TokenBudget, t.count, max(t.cfg.Concurrency-1, 1))
	}
	return Plan(art, t.cfg.TokenBudget, t.count)
}

// usageLog adds up API usage per request kind from parallel requests.
type usageLog struct {
	mu sync.Mutex
	m  map[pipeline.RequestKind]pipeline.Usage
	// served is the model the first reply named.
	served string
}

func (u *usageLog) add(kind pipeline.RequestKind, r openai.Usage) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.m == nil {
		u.m = map[pipeline.RequestKind]pipeline.Usage{}
	}
	x := pipeline.Usage{Requests: 1, PromptTokens: r.PromptTokens, CompletionTokens: r.CompletionTokens}
	if r.PromptTokensDetails != nil {
		x.CachedTokens = r.PromptTokensDetails.CachedTokens
	}
	u.m[kind] = u.m[kind].Add(x)
}

// servedBy records the model a reply names, when it is the first.
func (u *usageLog) servedBy(model string) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.served == "" {
		u.served = model
	}
}

// SegmentError is returned when segments could not be translated and
// partial output was not allowed.
type SegmentError struct {
	Article string
	Failed  []pipeline.Translation
	// TooLong is set when a segment failed because even alone, cut at
	// its sentences, it was more than the model or server would take.
	TooLong bool
}

func (e *SegmentError) Error() string {
	ids := make([]string, len(e.Failed))
	for i, f := range e.Failed {
		ids[i] = f.ID
	}
	first := e.Failed[0]
	n := "1 segment"
	if len(e.Failed) != 1 {
		n = fmt.Sprintf("%d segments", len(e.Failed))
	}
	return fmt.Sprintf("%s: %s not translated (%s): %s: %s",
		e.Article, n, strings.Join(ids, ", "), first.ID, first.Reason)
}

// Translate translates an article and writes its summary, in parallel.
func (t *Translator) Translate(ctx context.Context, art *pipeline.Article) (*pipeline.Result, error) {
	return t.Complete(ctx, art, nil)
}

// Complete is Translate given replies already obtained, through the Batch
// API: each is checked exactly as a live reply is (repairs and splits go
// live), and what no usable reply covers is translated live.
//
// An article already in English (see [pipeline.Article.EnglishOnly]) is
// written as it is: no request leaves, and one line says so.
//
// The summary's request leaves first; each batch's replies are judged as
// they come ([Judge.Reject]). Once every segment is back, the article is
// checked as a whole: each segment's problems get one repair request,
// what remains becomes its warnings, and the summary is checked against
// the article's Dutch and its English, with a repair of its own.
func (t *Translator) Complete(ctx context.Context, art *pipeline.Article, replies []Reply) (*pipeline.Result, error) {
	start := t.cfg.Now()
	res := &pipeline.Result{
		Article: art,
		English: t.cfg.English,
		Model:   t.cfg.Model,
		BaseURL: llm.RedactURL(t.cfg.BaseURL),
	}
	if art.EnglishOnly {
		t.log.Warn("already in English: written as it is; nothing was sent", "file", art.Name)
		res.Translations = assemble(art, nil, nil, nil)
		res.Finished = t.cfg.Now()
		res.Timings.Total = res.Finished.Sub(start)
		return res, nil
	}
	var usage usageLog
	for _, r := range replies {
		if r.Response != nil {
			usage.add(pipeline.RequestBatch, r.Response.Usage)
		}
	}
	g, gctx := errgroup.WithContext(ctx)
	// The summary needs nothing but the article: it leaves first, before
	// the cache is read and the batches are planned. It is checked once
	// the translation is done.
	var draft summaryDraft
	g.Go(func() error {
		s0 := t.cfg.Now()
		d, err := t.draftSummary(gctx, art, summaryReply(replies), &usage)
		if err != nil {
			return stepError("summarise", art.Name, err)
		}
		draft = d
		res.Timings.Summary = t.cfg.Now().Sub(s0)
		return nil
	})

	units := map[string]unitResult{} // unit id → what became of it
	cached := t.fromCache(art)
	todo := withoutCached(art, cached)
	res.CachedSegments = len(cached)
	offline, todo := t.matchReplies(art, todo, replies)
	batches := append(offline, t.Plan(todo)...)
	for i := range batches {
		batches[i].Index = i + 1
	}
	var mu sync.Mutex
	t0 := t.cfg.Now()
	for _, b := range batches {
		g.Go(func() error {
			var got map[string]unitResult
			var err error
			if b.reply != nil {
				got, err = t.acceptAndRepair(gctx, art, b.Units, *b.reply, &usage)
			} else {
				got, err = t.translateUnits(gctx, art, b.Units, &usage)
			}
			if err != nil {
				return stepError(fmt.Sprintf("translate batch %d (%s) of", b.Index, unitRange(b.Units)), art.Name, err)
			}
			mu.Lock()
			defer mu.Unlock()
			for id, r := range got {
				units[id] = r
			}
			return nil
		})
	}
	err := g.Wait()
	res.Usage = usage.m
	res.ServedModel = usage.served
	if err != nil {
		return res, err
	}
	segs := joinUnits(art, batches, units, cached)
	if err := t.review(ctx, art, segs, &usage); err != nil {
		res.Usage = usage.m
		return res, err
	}
	held, err := t.holdNames(ctx, art, segs, &usage)
	res.Names, res.NameConflicts = held.names, held.conflicts
	if err != nil {
		res.Usage = usage.m
		return res, err
	}
	res.Timings.Translate = t.cfg.Now().Sub(t0)
	t.store(art, segs)
	sum, err := t.finishSummary(ctx, art, draft, segs, held, &usage)
	res.Usage = usage.m
	res.ServedModel = usage.served
	if err != nil {
		return res, stepError("summarise", art.Name, err)
	}
	res.Summary, res.SummaryCached = sum, draft.cached
	res.Translations = assemble(art, segs, t.cfg.Judge, t.strict)
	res.Finished = t.cfg.Now()
	res.Timings.Total = res.Finished.Sub(start)

	var bad []pipeline.Translation
	for _, tr := range res.Translations {
		if tr.Status == pipeline.StatusFailed {
			bad = append(bad, tr)
		}
	}
	if len(bad) > 0 && !t.cfg.AllowPartial {
		se := &SegmentError{Article: art.Name, Failed: bad}
		for _, f := range bad {
			se.TooLong = se.TooLong || f.Cause == pipeline.CauseTooLong
		}
		return res, se
	}
	return res, nil
}

func unitRange(us []Unit) string {
	if len(us) == 1 {
		return us[0].ID
	}
	return us[0].ID + "–" + us[len(us)-1].ID
}

// assemble makes the translations of an article's segments from what
// became of them (segs, nil for an article kept whole), measuring each
// translated one with judge (when not nil) and passing it to finish.
func assemble(art *pipeline.Article, segs []segmentResult, judge Judge, finish func(tr *pipeline.Translation, source string)) []pipeline.Translation {
	out := make([]pipeline.Translation, len(art.Segments))
	for i, s := range art.Segments {
		tr := pipeline.Translation{ID: s.ID}
		switch {
		case segs == nil || !s.NeedsTranslation():
			tr.Text, tr.Status = s.Text, pipeline.StatusKept
			tr.Cause, tr.Reason = keptReason(art, s)
		case segs[i].failed != nil:
			f := segs[i].failed
			tr.Text, tr.Status, tr.Cause, tr.Reason = s.Text, pipeline.StatusFailed, f.cause, f.reason
		default:
			r := segs[i]
			tr.Text, tr.Status = r.english, pipeline.StatusTranslated
			tr.Warnings = r.warnings
			if judge != nil {
				q := judge.Measure(s.Text, tr.Text)
				tr.Quality = &pipeline.Quality{LengthRatio: q.Ratio, RatioOff: q.RatioOff, StillDutch: q.StillDutch, NotEnglish: q.NotEnglish}
			}
			if finish != nil {
				finish(&tr, s.Text)
			}
		}
		out[i] = tr
	}
	return out
}

// strict fails a translated segment with warnings left, in strict mode:
// its text is the Dutch source again, marked.
func (t *Translator) strict(tr *pipeline.Translation, source string) {
	if !t.cfg.Strict || len(tr.Warnings) == 0 {
		return
	}
	tr.Status, tr.Cause, tr.Text = pipeline.StatusFailed, pipeline.CauseStrict, source
	tr.Reason = "checks failed (strict): " + strings.Join(tr.Warnings, "; ")
}

// keptReason says why a segment is passed through as it is.
func keptReason(art *pipeline.Article, s pipeline.Segment) (pipeline.Cause, string) {
	switch {
	case s.Kind == pipeline.KindFurniture:
		return pipeline.CauseFurniture, "page furniture"
	case s.Kind == pipeline.KindMedia && strings.TrimSpace(s.Text) == "":
		return pipeline.CauseNoText, "an image without alternative text"
	case art.EnglishOnly:
		return pipeline.CauseEnglish, "the article is already in English"
	case s.Lang != "":
		return pipeline.CauseEnglish, "already in " + s.Lang
	}
	return pipeline.CauseEnglish, "kept verbatim"
}

// call sends one request under the run's concurrency limit, downgrading the
// JSON mode when the server rejects it, and records usage.
// prompt tells about what the request's prompt counts (translationPrompt,
// summaryPrompt).
func (t *Translator) call(ctx context.Context, kind pipeline.RequestKind, build func(Mode) openai.ChatCompletionRequest, prompt func() int, usage *usageLog) (openai.ChatCompletionResponse, error) {
	for {
		mode := Mode(t.mode.Load())
		req := build(mode)
		release, err := t.limiter.Acquire(ctx, t.paceTokens(req, prompt)+replyLimit(req))
		if err != nil {
			return openai.ChatCompletionResponse{}, err
		}
		resp, err := t.chat.CreateChatCompletion(ctx, req)
		// The server's limiter keeps what it charged on arrival, so the
		// estimate stands; correcting it down to the usage would make the
		// run's pacing run ahead of the server's and earn 429s.
		release()
		err = llm.Classify(err, t.cfg.BaseURL, t.cfg.Model)
		if err == nil {
			usage.add(kind, resp.Usage)
			usage.servedBy(resp.Model)
			return resp, t.promptCut(prompt(), resp)
		}
		if llm.IsKind(err, llm.KindResponseFormat) && mode < ModePrompt {
			t.downgrade(mode, err)
			continue
		}
		return resp, err
	}
}

// paceTokens is the prompt's tokens as the run's pacing reckons them: the
// count, or while the encoding is still loading, an estimate from the
// messages' length, so that no request waits for it.
func (t *Translator) paceTokens(req openai.ChatCompletionRequest, prompt func() int) int {
	if t.ready() {
		return prompt()
	}
	n := promptFraming
	for _, m := range req.Messages {
		n += tokens.Approx(m.Content)
	}
	return n
}

// cutShare is the share of the prompt nl2en counts below which a
// server's own count may mean it read only part of the prompt, before
// the server has shown how it counts: nl2en counts with o200k_base,
// which is at least as frugal as the tokenizers of the models servers
// run (Llama, Qwen, Gemma and Mistral count Dutch news 10–40% higher).
const cutShare = 0.85

// wellBelow is how far under the ratio a server showed on small
// requests its count of a large one must fall to be a cut: a server
// that counts 15% fewer tokens than nl2en does so on every request.
const wellBelow = 0.8

// farUnder is the most tokens (nl2en's count) of a request that is far
// under the context of any server that runs a chat model, so that its
// count shows how the server counts, cut or not.
const farUnder = 1024

// minContext is the smallest context window a server that cuts prompts
// is taken to have: no one runs a chat model with less, while mock
// servers report made-up usage (100 prompt tokens, whatever was sent)
// that must not read as a cut.
const minContext = 512

// cutWatch learns how a server counts prompts from the usage it
// reports.
type cutWatch struct {
	mu sync.Mutex
	// ratio is the highest ratio of the server's count to nl2en's seen
	// on a request far under its context; 0 before one.
	ratio float64
	// low are the requests whose count was low, before a ratio was seen:
	// two prompts of different lengths the server counts the same are
	// both cut, at its context.
	low [][2]int // {sent, got}
}

// ceiling reports whether the server counted another prompt of another
// length as it counted this one (got for sent): its context is got. It
// remembers this one.
func (w *cutWatch) ceiling(sent, got int) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	hit := false
	for _, o := range w.low {
		if abs(o[1]-got)*100 <= got && abs(o[0]-sent)*20 > sent {
			hit = true
		}
	}
	if len(w.low) < 16 {
		w.low = append(w.low, [2]int{sent, got})
	}
	return hit
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

func (w *cutWatch) learn(r float64) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.ratio = max(w.ratio, r)
}

func (w *cutWatch) seen() float64 {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.ratio
}

// promptCut reports a server that answered although it read only part of
// the prompt: Ollama cuts a prompt longer than its context (4096 tokens
// by default) without an error, and says so only in its own log and in
// the usage it reports; sent is nl2en's count of the prompt. The reply
// then answers a prompt without its instructions or its first segments,
// so it is an error of the kind a smaller request mends.
//
// A low count is a cut only when it is at or near the server's context
// (the one the caller knows, else a size contexts are set to, a power
// of two, or a count the server gave another prompt of another length),
// or well below the ratio the same server showed on requests far under
// its context: a server whose tokenizer counts fewer tokens than
// nl2en's does so on small requests too, and cuts nothing.
func (t *Translator) promptCut(sent int, resp openai.ChatCompletionResponse) error {
	got := resp.Usage.PromptTokens
	if cut, _ := t.judgeCut(sent, got); !cut {
		return nil
	}
	return t.cutError(sent, got)
}

// judgeCut says whether a server that counted got prompt tokens where
// nl2en counted sent cut the prompt, and, when it did not, whether that
// may change once the server has shown how it counts (see promptCut):
// a large first request, the summary's, is judged again after the
// batches.
func (t *Translator) judgeCut(sent, got int) (cut, unsure bool) {
	if got <= 0 || sent <= 0 {
		return false, false
	}
	ratio := float64(got) / float64(sent)
	ctxKnown := t.cfg.ContextWindow
	if sent <= farUnder && (ctxKnown == 0 || 2*got <= ctxKnown) {
		t.cuts.learn(ratio)
		return false, false
	}
	if got < minContext {
		return false, false
	}
	switch base := t.cuts.seen(); {
	case base > 0:
		return ratio < wellBelow*base, false
	case ctxKnown > 0:
		return ratio < cutShare && got*100 >= ctxKnown*97, false
	case ratio >= cutShare:
		return false, false
	default:
		cut := atContextSize(got) || t.cuts.ceiling(sent, got)
		return cut, !cut
	}
}

// cutError is the error of a prompt the server cut, said once per run.
func (t *Translator) cutError(sent, got int) error {
	t.cutOnce.Do(func() {
		t.log.Warn("the server cut a prompt to fit its context window and answered the rest: asking again in smaller parts; "+
			"to avoid this, give the server a larger context (Ollama: OLLAMA_CONTEXT_LENGTH) or use a model with one",
			"read_tokens", got, "sent_tokens", sent)
	})
	return &llm.Error{Kind: llm.KindContextLength, Server: llm.Host(t.cfg.BaseURL), Model: t.cfg.Model,
		Message: fmt.Sprintf("the server read %d of about %d prompt tokens: it cut the prompt to fit its context window", got, sent)}
}

// atContextSize reports whether a count of prompt tokens is at or just
// under a size servers set contexts to: 2048, 4096, … 131072.
func atContextSize(n int) bool {
	for size := 2048; size <= 1<<17; size *= 2 {
		if n <= size && n*100 >= size*98 {
			return true
		}
	}
	return false
}

// estimate is what a request counts against a tokens-per-minute limit:
// OpenAI's limiter charges the prompt plus the whole reply allowance
// (max_tokens) when the request arrives, whatever the reply then uses.
func (t *Translator) estimate(req openai.ChatCompletionRequest) int {
	return tokens.CountMessages(t.count, req.Messages) + replyLimit(req)
}

// downgrade moves the run to the next JSON mode, once per mode, however
// many requests hit the rejection at the same time.
func (t *Translator) downgrade(from Mode, why error) {
	t.modeOnce.Lock()
	defer t.modeOnce.Unlock()
	if Mode(t.mode.Load()) != from {
		return
	}
	t.mode.Store(int32(from + 1))
	t.log.Warn("server rejected structured output; falling back", "from", from.String(), "to", (from + 1).String(), "reason", why.Error())
}

func (t *Translator) messages(system string, input any) []openai.ChatCompletionMessage {
	// Article text as it is: "&" and "<" escaped for HTML would cost
	// tokens and tell the model nothing.
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(input) // plain strings and maps: cannot fail
	b := bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
	return []openai.ChatCompletionMessage{
		{Role: openai.ChatMessageRoleSystem, Content: system},
		{Role: openai.ChatMessageRoleUser, Content: string(b)},
	}
}

// errTruncated is a reply cut off at the length limit.
var errTruncated = errors.New("reply cut off at the length limit")

// stepError is err of the step of article name, saying the step ("summarise
// NAME: …"), unless every request would meet err (the API unreachable, a
// key refused): then which request met it first says nothing, and only the
// article is named.
func stepError(step, name string, err error) error {
	if llm.RefusesAll(err) {
		return fmt.Errorf("%s: %w", name, err)
	}
	return fmt.Errorf("%s %s: %w", step, name, err)
}
