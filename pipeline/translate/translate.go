package translate

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	openai "github.com/sashabaranov/go-openai"
	"golang.org/x/sync/errgroup"

	"github.com/nl2en/nl2en/pipeline"
	"github.com/nl2en/nl2en/pipeline/cache"
	"github.com/nl2en/nl2en/pipeline/llm"
	"github.com/nl2en/nl2en/pipeline/memo"
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
	// Count counts tokens with the model's tokenizer; nil uses
	// tokens.ForModel(Model).
	//
	// Ready, when set, reports whether Count answers at once; while it does
	// not (its encoding still loading at start), a request's tokens are
	// estimated from its length for pacing, so that the first request
	// leaves without waiting for the encoding.
	Count func(string) int
	Ready func() bool
	// AllowPartial renders segments that could not be translated in Dutch,
	// marked, instead of failing the article.
	AllowPartial bool
	// Glossary returns the entries that apply to a text; nil for none.
	Glossary func(text string) []GlossaryEntry
	// Reject says why a reply cannot count as a translation of source
	// at all (unchanged Dutch, garbage, another language), or "": such a
	// segment gets a repair request, then fails. Nil rejects nothing.
	Reject func(source, english string) string
	// ReviewSummary checks a summary of the article: it returns the
	// summary with duplicate key points dropped, its problems (one line
	// each, for a repair request and then warnings), and whether it is
	// unusable (not English text), which fails the article. Nil checks
	// nothing.
	ReviewSummary func(article string, s pipeline.Summary) (pipeline.Summary, []string, bool)
	// Check returns the problems of one segment's translation (numbers,
	// names, quotes, glossary terms), each as one line; nil skips the
	// checks. A segment with problems gets one repair request naming them;
	// what remains becomes warnings.
	Check func(source, english string) []string
	// Strict fails segments whose problems remain after the repair,
	// instead of keeping them as warnings.
	Strict bool
	// Measure gives quality signals of a translated segment; nil for none.
	Measure func(source, english string) pipeline.Quality
	Logger  *slog.Logger
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
	// cutOnce says once per run that the server cut a prompt.
	cutOnce sync.Once
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
	if cfg.Count == nil {
		cfg.Count = tokens.ForModel(cfg.Model).Count
	}
	// A segment is counted for its batch and again for its article's
	// summary; counting is most of what a request costs nl2en. The memo
	// holds a run's articles' parts as they pass through.
	cfg.Count = memo.New(cfg.Count, countMemory).Get
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Recheck && cfg.Cache != nil {
		cfg.Cache = writeOnly{cfg.Cache}
	}
	t := &Translator{chat: chat, cfg: cfg, limiter: cfg.Limiter, log: cfg.Logger}
	if t.limiter == nil {
		t.limiter = make(semaphore, cfg.Concurrency)
	}
	if t.log == nil {
		t.log = slog.New(slog.DiscardHandler)
	}
	var err error
	if t.sysTrans, err = prompts.Read(cfg.Prompts, prompts.Translate); err != nil {
		return nil, err
	}
	if t.sysSummary, err = prompts.Read(cfg.Prompts, prompts.Summary); err != nil {
		return nil, err
	}
	if t.sysRepair, err = prompts.Read(cfg.Prompts, prompts.Repair); err != nil {
		return nil, err
	}
	t.sysTokens = sync.OnceValue(func() map[pipeline.RequestKind]int {
		return map[pipeline.RequestKind]int{
			pipeline.RequestTranslate: cfg.Count(t.sysTrans),
			pipeline.RequestSummary:   cfg.Count(t.sysSummary),
			pipeline.RequestRepair:    cfg.Count(t.sysRepair),
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
		return Spread(art, t.cfg.TokenBudget, t.cfg.Count, max(t.cfg.Concurrency-1, 1))
	}
	return Plan(art, t.cfg.TokenBudget, t.cfg.Count)
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

// tooLong begins the reason of a segment too long for the model.
const tooLong = "too long for the model: "

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
func (t *Translator) Complete(ctx context.Context, art *pipeline.Article, replies []Reply) (*pipeline.Result, error) {
	start := t.cfg.Now()
	res := &pipeline.Result{
		Article: art,
		Model:   t.cfg.Model,
		BaseURL: llm.RedactURL(t.cfg.BaseURL),
	}
	var usage usageLog
	for _, r := range replies {
		if r.Response != nil {
			usage.add(pipeline.RequestBatch, r.Response.Usage)
		}
	}
	g, gctx := errgroup.WithContext(ctx)
	// The summary needs nothing but the article: it leaves first, before
	// the cache is read and the batches are planned.
	g.Go(func() error {
		s0 := t.cfg.Now()
		sum, cached, err := t.summarise(gctx, art, summaryReply(replies), &usage)
		if err != nil {
			return fmt.Errorf("summarise %s: %w", art.Name, err)
		}
		res.Summary, res.SummaryCached = sum, cached
		res.Timings.Summary = t.cfg.Now().Sub(s0)
		return nil
	})

	english := map[string]string{}    // unit id → English
	failed := map[string]string{}     // unit id → reason
	warnings := map[string][]string{} // unit id → problems left
	todo := t.fromCache(art, english, warnings)
	res.CachedSegments = len(english)
	offline, todo := t.matchReplies(art, todo, replies)
	batches := append(offline, t.Plan(todo)...)
	for i := range batches {
		batches[i].Index = i + 1
	}
	var mu sync.Mutex
	t0 := t.cfg.Now()
	for _, b := range batches {
		g.Go(func() error {
			var ok, bad map[string]string
			var warn map[string][]string
			var err error
			if b.reply != nil {
				ok, bad, warn, err = t.acceptAndRepair(gctx, art, b.Units, *b.reply, &usage)
			} else {
				ok, bad, warn, err = t.translateUnits(gctx, art, b.Units, &usage)
			}
			if err != nil {
				return fmt.Errorf("translate batch %d (%s) of %s: %w", b.Index, unitRange(b.Units), art.Name, err)
			}
			t.storeUnits(b.Units, ok, warn)
			mu.Lock()
			defer mu.Unlock()
			for id, w := range warn {
				warnings[id] = w
			}
			for id, s := range ok {
				english[id] = s
			}
			for id, why := range bad {
				failed[id] = why
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
	res.Timings.Translate = t.cfg.Now().Sub(t0)
	res.Translations = assemble(art, batches, english, failed, warnings)
	t.storePieced(art, batches, res.Translations)
	t.finish(res.Translations, art)
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
			se.TooLong = se.TooLong || strings.HasPrefix(f.Reason, tooLong)
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

// assemble puts the English of every unit back into segment order,
// rejoining the pieces of split segments by their place in the segment:
// batches may come in any order (replies through the Batch API first, the
// rest live), so the order of the batches says nothing.
func assemble(art *pipeline.Article, batches []Batch, english, failed map[string]string, warnings map[string][]string) []pipeline.Translation {
	type part struct {
		piece int
		text  string
	}
	parts := map[string][]part{}
	reasons := map[string]string{}
	warned := map[string][]string{}
	for id, en := range english {
		if isSegmentID(art, id) {
			parts[id] = []part{{0, en}} // from the cache: no batch carries it
			warned[id] = warnings[id]
		}
	}
	for _, b := range batches {
		for _, u := range b.Units {
			warned[u.SegmentID] = append(warned[u.SegmentID], warnings[u.ID]...)
			if why, ok := failed[u.ID]; ok {
				reasons[u.SegmentID] = why
				continue
			}
			if u.Piece == 0 {
				parts[u.SegmentID] = []part{{0, english[u.ID]}}
			} else {
				parts[u.SegmentID] = append(parts[u.SegmentID], part{u.Piece, english[u.ID]})
			}
		}
	}
	out := make([]pipeline.Translation, len(art.Segments))
	for i, s := range art.Segments {
		tr := pipeline.Translation{ID: s.ID}
		switch {
		case !s.NeedsTranslation():
			tr.Text, tr.Status = s.Text, pipeline.StatusKept
			tr.Reason = keptReason(s)
		case reasons[s.ID] != "":
			tr.Text, tr.Status, tr.Reason = s.Text, pipeline.StatusFailed, reasons[s.ID]
		default:
			ps := parts[s.ID]
			slices.SortStableFunc(ps, func(a, b part) int { return cmp.Compare(a.piece, b.piece) })
			texts := make([]string, len(ps))
			for j, p := range ps {
				texts[j] = p.text
			}
			tr.Text, tr.Status = joinPieces(texts), pipeline.StatusTranslated
			tr.Warnings = warned[s.ID]
		}
		out[i] = tr
	}
	return out
}

// finish measures each translated segment and, when strict, fails those
// with warnings left.
func (t *Translator) finish(trs []pipeline.Translation, art *pipeline.Article) {
	for i := range trs {
		tr := &trs[i]
		if tr.Status != pipeline.StatusTranslated {
			continue
		}
		src := art.Segments[i].Text
		if t.cfg.Measure != nil {
			q := t.cfg.Measure(src, tr.Text)
			tr.Quality = &q
		}
		if t.cfg.Strict && len(tr.Warnings) > 0 {
			tr.Status = pipeline.StatusFailed
			tr.Reason = "checks failed (strict): " + strings.Join(tr.Warnings, "; ")
			tr.Text = src
		}
	}
}

func keptReason(s pipeline.Segment) string {
	if s.Kind == pipeline.KindFurniture {
		return "page furniture"
	}
	if s.Lang != "" {
		return "already in " + s.Lang
	}
	return "kept verbatim"
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
	if t.cfg.Ready == nil || t.cfg.Ready() {
		return prompt()
	}
	n := promptFraming
	for _, m := range req.Messages {
		n += tokens.Approx(m.Content)
	}
	return n
}

// cutShare is the share of the prompt nl2en counts below which a server's
// own count means it read only part of the prompt. nl2en counts with
// o200k_base, which is at least as frugal as the tokenizers of the models
// servers run (Llama, Qwen, Gemma and Mistral count Dutch news 10–40%
// higher), so a count well under it is not a tokenizer's difference.
const cutShare = 0.85

// minContext is the smallest context window a server that cuts prompts
// is taken to have: no one runs a chat model with less, while mock
// servers report made-up usage (100 prompt tokens, whatever was sent)
// that must not read as a cut.
const minContext = 512

// promptCut reports a server that answered although it read only part of
// the prompt: Ollama cuts a prompt longer than its context (4096 tokens
// by default) without an error, and says so only in its own log and in
// the usage it reports; sent is nl2en's count of the prompt. The reply then answers a prompt without its
// instructions or its first segments, so it is an error of the kind a
// smaller request mends.
func (t *Translator) promptCut(sent int, resp openai.ChatCompletionResponse) error {
	got := resp.Usage.PromptTokens
	if got < minContext || float64(got) >= cutShare*float64(sent) {
		return nil
	}
	t.cutOnce.Do(func() {
		t.log.Warn("the server cut a prompt to fit its context window and answered the rest: asking again in smaller parts; "+
			"to avoid this, give the server a larger context (Ollama: OLLAMA_CONTEXT_LENGTH) or use a model with one",
			"read_tokens", got, "sent_tokens", sent)
	})
	return &llm.Error{Kind: llm.KindContextLength, Server: llm.Host(t.cfg.BaseURL), Model: t.cfg.Model,
		Message: fmt.Sprintf("the server read %d of about %d prompt tokens: it cut the prompt to fit its context window", got, sent)}
}

// estimate is what a request counts against a tokens-per-minute limit:
// OpenAI's limiter charges the prompt plus the whole reply allowance
// (max_tokens) when the request arrives, whatever the reply then uses.
func (t *Translator) estimate(req openai.ChatCompletionRequest) int {
	return tokens.CountMessages(t.cfg.Count, req.Messages) + replyLimit(req)
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
