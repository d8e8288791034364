package runner

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/nl2en/nl2en/pipeline"
	"github.com/nl2en/nl2en/pipeline/cost"
	"github.com/nl2en/nl2en/pipeline/outputs"
	"github.com/nl2en/nl2en/pipeline/render"
)

// Status is the outcome of one article.
type Status string

const (
	StatusDone    Status = "done"
	StatusSkipped Status = "skipped" // outputs up to date
	StatusFailed  Status = "failed"
	StatusNotDone Status = "not_done" // the run stopped, or the budget ran out, before it started or finished
	StatusPlanned Status = "planned"  // --dry-run: estimated, not sent
)

// Plan is the estimate for an article that a dry run would translate.
type Plan struct {
	Segments   int `json:"segments"`
	Translated int `json:"segments_to_translate"`
	// Cached counts the segments to translate that the segment cache
	// holds: they cost nothing.
	Cached           int      `json:"cached_segments"`
	Requests         int      `json:"requests"`
	PromptTokens     int      `json:"prompt_tokens"`
	CompletionTokens int      `json:"completion_tokens"`
	CostUSD          *float64 `json:"cost_usd"`
	cost             cost.Amount
}

func (p *Plan) add(q *Plan) {
	p.Segments += q.Segments
	p.Translated += q.Translated
	p.Cached += q.Cached
	p.Requests += q.Requests
	p.PromptTokens += q.PromptTokens
	p.CompletionTokens += q.CompletionTokens
	p.cost = p.cost.Add(q.cost)
	p.CostUSD = costPtr(p.cost)
}

func costPtr(a cost.Amount) *float64 {
	if !a.Known {
		return nil
	}
	v := math.Round(a.USD*1e6) / 1e6
	return &v
}

// ArticleReport is the outcome of one article.
type ArticleReport struct {
	File     string     `json:"file"`
	Status   Status     `json:"status"`
	Error    string     `json:"error,omitempty"`
	Outputs  []string   `json:"outputs,omitempty"`
	Usage    UsageTable `json:"usage"`
	Requests int        `json:"requests"` // every request the server answered, retries and unusable replies included
	// LiveRequests and BatchRequests split Requests: those sent by this
	// run, and the replies it used that came back through the Batch API.
	LiveRequests  int `json:"live_requests"`
	BatchRequests int `json:"batch_requests"`
	// LiveReason says, for an article finished from Batch API replies,
	// why it still sent requests live.
	LiveReason     string `json:"live_reason,omitempty"`
	Retries        int    `json:"retries"`
	CachedSegments int    `json:"cached_segments,omitempty"`
	Warnings       int    `json:"warnings,omitempty"`
	// WarnedSegments counts the segments with warnings.
	WarnedSegments int `json:"warned_segments,omitempty"`
	// Untranslated counts the segments that could not be translated and
	// were kept in Dutch, marked (with --allow-partial).
	Untranslated    int        `json:"untranslated,omitempty"`
	SummaryWarnings int        `json:"summary_warnings,omitempty"`
	Quality         QualitySum `json:"quality"`
	CostUSD         *float64   `json:"cost_usd"`
	Plan            *Plan      `json:"plan,omitempty"`
	Seconds         float64    `json:"seconds"`
	err             error
	cost            cost.Amount
	overBudget      bool // kept from starting by MaxCost
	stale           bool // skipped with outputs made under other settings
	// digest is the sha256 of the article's bytes, once read; loc where
	// its outputs go; doc its JSON document when it was done and the run
	// writes a folder index.
	digest string
	loc    *outputs.Article
	doc    *render.Document

	// NameConflicts are the names the article rendered otherwise than
	// the names memory had them (repaired to the memory's form, or
	// warned about); the report's names list them all.
	NameConflicts []pipeline.NameConflict `json:"name_conflicts,omitempty"`
	// names are the article's names with their forms, for the memory.
	names []pipeline.ArticleName
}

// Err is why the article failed or was not done; nil when it went well.
// Its text is in Error.
func (a ArticleReport) Err() error { return a.err }

// UsageTable is API usage per request kind.
type UsageTable map[pipeline.RequestKind]pipeline.Usage

func (u UsageTable) total() pipeline.Usage {
	var t pipeline.Usage
	for _, x := range u {
		t = t.Add(x)
	}
	return t
}

func (a *ArticleReport) addUsage(res *pipeline.Result) {
	if a.Usage == nil {
		a.Usage = UsageTable{}
	}
	for k, v := range res.Usage {
		a.Usage[k] = a.Usage[k].Add(v)
	}
	a.CachedSegments += res.CachedSegments
}

// QualitySum counts translated segments by quality signal.
type QualitySum struct {
	RatioOff   int `json:"ratio_off"`
	StillDutch int `json:"still_dutch"`
	NotEnglish int `json:"not_english"`
}

func (q *QualitySum) add(x QualitySum) {
	q.RatioOff += x.RatioOff
	q.StillDutch += x.StillDutch
	q.NotEnglish += x.NotEnglish
}

// Counts are the number of articles by outcome. Found is every input,
// also after a stop; it is Planned + Done + Skipped + Failed + NotDone.
type Counts struct {
	Found   int `json:"found"`
	Planned int `json:"planned,omitempty"`
	Done    int `json:"done"`
	Skipped int `json:"skipped"`
	// Stale counts the skipped articles whose outputs were made from the
	// same source under other settings, and were kept.
	Stale   int `json:"stale"`
	Failed  int `json:"failed"`
	NotDone int `json:"not_done"`
}

// Total is the usage of a whole run. Requests counts every request the
// server answered, retries and unusable replies included (the per-kind
// usage counts only the replies that parsed); Retries counts the retries.
type Total struct {
	pipeline.Usage
	// LiveRequests and BatchRequests split Requests: those the run sent,
	// and the Batch API replies it used.
	LiveRequests  int `json:"live_requests"`
	BatchRequests int `json:"batch_requests"`
	Retries       int `json:"retries"`
}

// LiveNote is an article finished from Batch API replies that still sent
// requests live, and why.
type LiveNote struct {
	File     string `json:"file"`
	Requests int    `json:"requests"`
	Reason   string `json:"reason"`
}

// Report sums up a run. Only failed articles are listed one by one, so its
// size does not grow with the number of articles that went well.
type Report struct {
	SchemaVersion int        `json:"schema_version"`
	Started       time.Time  `json:"started"`
	Finished      time.Time  `json:"finished"`
	Seconds       float64    `json:"seconds"`
	Articles      Counts     `json:"articles"`
	Usage         UsageTable `json:"usage"`
	Total         Total      `json:"total"`
	CostUSD       *float64   `json:"cost_usd"`
	PricesFrom    string     `json:"prices_from,omitempty"`
	// Plan adds up the estimates of a dry run, or under --max-cost.
	Plan *Plan `json:"plan,omitempty"`
	// NotStarted lists articles the budget kept from starting.
	NotStarted      []string        `json:"not_started,omitempty"`
	CachedSegments  int             `json:"cached_segments"`
	Warnings        int             `json:"warnings"`
	WarnedSegments  int             `json:"warned_segments"`
	Untranslated    int             `json:"untranslated"`
	SummaryWarnings int             `json:"summary_warnings"`
	Quality         QualitySum      `json:"quality"`
	Failures        []ArticleReport `json:"failures"`
	// Live lists the articles finished from Batch API replies that still
	// sent requests live, each with why.
	Live []LiveNote `json:"live,omitempty"`
	// Orphans are outputs whose source is gone, left in place; Pruned,
	// those removed (with Config.Prune).
	Orphans []string `json:"orphans,omitempty"`
	Pruned  []string `json:"pruned,omitempty"`
	// Submitted sums up what a batch submit sent.
	Submitted *Submitted `json:"submitted,omitempty"`
	// BatchAPIRequests counts the requests to the Files and Batch APIs
	// that uploaded, created, cancelled or deleted something.
	BatchAPIRequests int `json:"batch_api_requests,omitempty"`
	// Feeds are the feeds of a feed run, each with how it went; Fetched
	// counts what the run fetched from the web (feeds and pages).
	Feeds   []FeedReport `json:"feeds,omitempty"`
	Fetched *FetchCounts `json:"fetched,omitempty"`
	// FeedsFailing counts the feeds that failed on each of their last
	// runs, at least feed.FailureAlarm of them in a row.
	FeedsFailing int `json:"feeds_failing,omitempty"`
	// Names says what the names memory learned at the run's end, and
	// lists every name conflict the run found; absent for a run without
	// a names memory that found none.
	Names *NamesReport `json:"names,omitempty"`
	// Error is why the run stopped early, if it did.
	Error string `json:"error,omitempty"`

	mu   sync.Mutex
	cost cost.Amount
	// expected is how many inputs were counted before the run; seen, how
	// many the run has met.
	expected, seen int
	requests       int
	// dryRun: the report is a plan, also when nothing needs planning.
	dryRun bool
}

// NamesReport is what a run did with the names memory.
type NamesReport struct {
	// Learned counts the names added to the memory.
	Learned int `json:"learned"`
	// Conflicts are the names an article rendered otherwise than the
	// memory had them (From "memory": repaired to the memory's form,
	// or warned about), and those articles translated side by side
	// rendered differently (From "run": the memory learned one form,
	// which applies from the next run on), each with the article.
	Conflicts []pipeline.NameConflict `json:"conflicts"`
}

func newReport(now time.Time) *Report {
	return &Report{SchemaVersion: 1, Started: now.UTC(), Usage: UsageTable{}, Failures: []ArticleReport{}, cost: cost.USD(0)}
}

// expect records how many inputs a count found before the run.
func (r *Report) expect(n int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.expected = n
	r.Articles.Found = max(r.expected, r.seen)
}

// found records inputs met by the run, and reports whether they are more
// than were counted (files added since).
func (r *Report) found(n int) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.seen += n
	r.Articles.Found = max(r.expected, r.seen)
	return r.seen > r.expected
}

// walked settles Found once the run is over: what it met when it met
// every input, else what the count found.
func (r *Report) walked(complete bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if complete {
		r.Articles.Found = r.seen
	}
}

func (r *Report) add(a ArticleReport) {
	r.mu.Lock()
	defer r.mu.Unlock()
	switch a.Status {
	case StatusDone:
		r.Articles.Done++
	case StatusSkipped:
		r.Articles.Skipped++
		if a.stale {
			r.Articles.Stale++
		}
	case StatusNotDone:
		r.Articles.NotDone++
		if a.overBudget {
			r.NotStarted = append(r.NotStarted, a.File)
		}
	case StatusPlanned:
		r.Articles.Planned++
		if a.overBudget {
			r.NotStarted = append(r.NotStarted, a.File)
		}
	default:
		r.Articles.Failed++
		r.Failures = append(r.Failures, a)
	}
	for k, v := range a.Usage {
		r.Usage[k] = r.Usage[k].Add(v)
	}
	r.requests += a.Requests
	r.Total.Usage = r.Usage.total()
	r.Total.Requests = r.requests
	r.Total.LiveRequests += a.LiveRequests
	r.Total.BatchRequests += a.BatchRequests
	if a.LiveReason != "" {
		r.Live = append(r.Live, LiveNote{File: a.File, Requests: a.LiveRequests, Reason: a.LiveReason})
	}
	r.Total.Retries += a.Retries
	if len(a.Usage) > 0 {
		// Whatever became of the article, what it used was paid for.
		r.cost = r.cost.Add(a.cost)
	}
	if a.Plan != nil {
		if r.Plan == nil {
			r.Plan = &Plan{cost: cost.USD(0)}
		}
		r.Plan.add(a.Plan)
	}
	if len(a.NameConflicts) > 0 {
		r.nameConflicts(a.NameConflicts)
	}
	r.CachedSegments += a.CachedSegments
	r.Warnings += a.Warnings
	r.WarnedSegments += a.WarnedSegments
	r.Untranslated += a.Untranslated
	r.SummaryWarnings += a.SummaryWarnings
	r.Quality.add(a.Quality)
}

func (r *Report) finish(now time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.Finished = now.UTC()
	r.Seconds = round(r.Finished.Sub(r.Started).Seconds())
	// Articles the walk found but no worker took before a stop.
	r.Articles.NotDone = r.Articles.Found - r.Articles.Planned - r.Articles.Done - r.Articles.Skipped - r.Articles.Failed
	r.CostUSD = costPtr(r.cost)
}

// nameConflicts adds conflicts to the report's names; the caller holds
// r.mu.
func (r *Report) nameConflicts(cs []pipeline.NameConflict) {
	if r.Names == nil {
		r.Names = &NamesReport{Conflicts: []pipeline.NameConflict{}}
	}
	r.Names.Conflicts = append(r.Names.Conflicts, cs...)
}

// OK reports whether every article found was done or skipped, and every
// feed was read.
func (r *Report) OK() bool {
	for _, f := range r.Feeds {
		if f.Status == FeedFailed {
			return false
		}
	}
	return r.Articles.Failed == 0 && r.Articles.NotDone == 0 && r.Error == ""
}

// How a feed of a feed run went.
const (
	FeedRead        = "read"         // fetched and read; its new and changed items were taken
	FeedNotModified = "not_modified" // the server said nothing changed (304): no item was looked at
	FeedFailed      = "failed"       // could not be fetched or read
)

// FeedReport is how one feed of a feed run went.
type FeedReport struct {
	// Feed is the feed's URL (credentials redacted) or file; Folder its
	// folder under the output folder; MovedTo where a permanent redirect
	// now sends it.
	Feed    string `json:"feed"`
	Folder  string `json:"folder"`
	MovedTo string `json:"moved_to,omitempty"`
	Status  string `json:"status"`
	// Items counts the feed's items; New, Changed and Unchanged split
	// them by what the feed's state knew of them.
	Items     int `json:"items"`
	New       int `json:"new"`
	Changed   int `json:"changed"`
	Unchanged int `json:"unchanged"`
	// Taken counts the items this run translated (or, in a dry run,
	// planned), Teasers those of them translated from the feed's teaser;
	// Archived the older items a first run recorded without translating;
	// Waiting the items beyond --max-items left for the next run.
	Taken    int `json:"taken"`
	Teasers  int `json:"teasers"`
	Archived int `json:"archived"`
	Waiting  int `json:"waiting"`
	// FailedRuns counts the runs in a row, this one included, that could
	// not read the feed; Error is why this one could not.
	FailedRuns int    `json:"failed_runs,omitempty"`
	Error      string `json:"error,omitempty"`
	err        error
}

// Failure says why a feed could not be read, in one line, and once it
// has failed alarm runs in a row or more, that it has.
func (f FeedReport) Failure(alarm int) string {
	msg := "feed " + f.Feed + ": " + strings.TrimPrefix(f.Error, f.Feed+": ")
	if f.FailedRuns >= alarm {
		msg += fmt.Sprintf("; it has failed on each of its last %d runs", f.FailedRuns)
	}
	return msg
}

// Err is why the feed could not be read; nil when it was. Its text is in
// Error.
func (f FeedReport) Err() error { return f.err }

// Failed records that the feed could not be read, and why.
func (f *FeedReport) Failed(err error, message string) {
	f.Status, f.err, f.Error = FeedFailed, err, message
}

// FetchCounts are the requests a run sent to fetch feeds and pages.
type FetchCounts struct {
	// Feeds counts the requests for feeds, NotModified those answered
	// 304; Pages the article pages fetched; Failed the fetches of either
	// that failed.
	Feeds       int `json:"feeds"`
	NotModified int `json:"not_modified"`
	Pages       int `json:"pages"`
	Failed      int `json:"failed"`
}

// AddFeeds records the feeds of a feed run and what it fetched; alarm is
// the number of failed runs in a row that counts a feed as failing.
func (r *Report) AddFeeds(feeds []FeedReport, fetched FetchCounts, alarm int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.Feeds = append(r.Feeds, feeds...)
	r.Fetched = &fetched
	for _, f := range feeds {
		if f.Status == FeedFailed && f.FailedRuns >= alarm {
			r.FeedsFailing++
		}
	}
}

// Submitted sums up a batch submit: what it found, what it sent, and
// what the cost cap kept out.
type Submitted struct {
	// Found counts the inputs met; UpToDate those whose outputs are up to
	// date (or stale, and kept); InBatch those already in a batch not yet
	// collected; Failed those that could not be read or split.
	Found    int `json:"found"`
	UpToDate int `json:"up_to_date"`
	InBatch  int `json:"in_batch"`
	Failed   int `json:"failed"`
	// FromCache counts the articles the segment cache held whole: they
	// needed no request, and were written at once.
	FromCache int `json:"from_cache,omitempty"`
	// English counts the articles already in English: nothing is sent
	// for them, and they were written as they are.
	English int `json:"english,omitempty"`
	// Articles and Requests are what was submitted, in Batches batches.
	Articles int `json:"articles"`
	Requests int `json:"requests"`
	Batches  int `json:"batches"`
	// CostUSD is the estimate of what was submitted, at batch prices;
	// null when the model has no price.
	CostUSD *float64 `json:"estimated_cost_usd"`
	// LeftOut lists the articles the cost cap kept out of the batches.
	LeftOut []string `json:"left_out,omitempty"`
	// DryRun: nothing was submitted; the counts are the plan.
	DryRun bool `json:"dry_run,omitempty"`
	cost   cost.Amount
}

// SetCost records the estimated cost of what was submitted.
func (s *Submitted) SetCost(a cost.Amount) {
	s.cost = a
	s.CostUSD = costPtr(a)
}

// Besides says, in brackets, what a submit found besides what it
// submitted: " (2 up to date, 1 already in a batch, 1 written from the
// segment cache, 1 already in English, written as it is)"; "" for
// nothing.
func (s *Submitted) Besides() string {
	var found []string
	add := func(n int, what string) {
		if n > 0 {
			found = append(found, fmt.Sprintf("%d %s", n, what))
		}
	}
	add(s.UpToDate, "up to date")
	add(s.InBatch, "already in a batch")
	as := map[bool]string{true: "it is", false: "they are"}[s.English == 1]
	if s.DryRun {
		add(s.FromCache, "to write from the segment cache")
		add(s.English, "already in English, to write as "+as)
	} else {
		add(s.FromCache, "written from the segment cache")
		add(s.English, "already in English, written as "+as)
	}
	if len(found) == 0 {
		return ""
	}
	return " (" + strings.Join(found, ", ") + ")"
}

// Line is what a submit did, in one line: the plan of a dry run, what it
// submitted and how to collect it from the output folder out, or that
// there was nothing new (and, when idle, nothing to collect either, with
// running saying which batches still run). It is "" when the cost cap
// left out everything: that has a line of its own.
func (s *Submitted) Line(out string, idle bool, running string) string {
	switch {
	case s.DryRun:
		return fmt.Sprintf("dry run: %s to submit%s, %s in %s, estimated cost %s at batch prices; nothing was sent",
			NOf(s.Articles, "article"), s.Besides(), NOf(s.Requests, "request"), NOf(s.Batches, "batch"), Money(s.Cost()))
	case s.Articles == 0 && len(s.LeftOut) > 0:
		return ""
	case s.Articles == 0 && idle:
		return "nothing to collect" + running + ", and nothing new to submit" + s.Besides()
	case s.Articles == 0:
		return "nothing new to submit" + s.Besides()
	}
	return fmt.Sprintf("submitted %s for %s in %s, estimated cost %s at batch prices; collect them with nl2en batch collect %s",
		NOf(s.Requests, "request"), NOf(s.Articles, "article"), NOf(s.Batches, "batch"), Money(s.Cost()), out)
}

// Cost is the estimated cost of what was submitted.
func (s *Submitted) Cost() cost.Amount { return s.cost }

// NewReport returns an empty report of a run started at now, for a run
// that translates nothing (a batch submit).
func NewReport(now time.Time) *Report { return newReport(now) }

// Finish closes a report made with NewReport at now.
func (r *Report) Finish(now time.Time) { r.finish(now) }

// Cost is what the run's articles have cost so far: unknown when a
// request had no price.
func (r *Report) Cost() cost.Amount {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.cost
}

// nOf writes n things, in the singular for one: "1 article", "2
// articles", "2 batches".
func nOf(n int, thing string) string {
	if n == 1 {
		return "1 " + thing
	}
	if strings.HasSuffix(thing, "ch") || strings.HasSuffix(thing, "s") || strings.HasSuffix(thing, "x") {
		return fmt.Sprintf("%d %ses", n, thing)
	}
	return fmt.Sprintf("%d %ss", n, thing)
}

// PlanCost is the estimated cost of a plan.
func PlanCost(p *Plan) cost.Amount { return p.cost }

// SomeNames lists the first n of names, each safe to print (SafeName),
// and how many more there are: "a.txt, b.txt, 3 more".
func SomeNames(names []string, n int) string {
	var shown []string
	for _, p := range names[:min(n, len(names))] {
		shown = append(shown, SafeName(p))
	}
	if more := len(names) - len(shown); more > 0 {
		shown = append(shown, fmt.Sprintf("%d more", more))
	}
	return strings.Join(shown, ", ")
}

// NOf is nOf for the command: "1 article", "2 articles".
func NOf(n int, thing string) string { return nOf(n, thing) }

// Dollars writes an amount of US dollars a user gave (a cost cap) as it
// was given, with cents at least: $2.50, $0.004, $0.000001, and $0.
func Dollars(v float64) string {
	if v == 0 {
		return "$0"
	}
	s := strconv.FormatFloat(v, 'f', -1, 64)
	dot := strings.IndexByte(s, '.')
	switch {
	case dot < 0:
		s += ".00"
	case len(s)-dot-1 < 2:
		s += strings.Repeat("0", 2-(len(s)-dot-1))
	}
	return "$" + s
}

// Money writes an amount worked out (a cost, an estimate) with the
// precision it needs: three significant digits and cents at least
// ($0.00722, $0.004, $0.50, $12.35), $0 for nothing, "unknown" when a
// price is missing.
func Money(a cost.Amount) string {
	if !a.Known {
		return "unknown"
	}
	if a.USD == 0 {
		return "$0"
	}
	d := 2
	if v := math.Abs(a.USD); v < 1 {
		d = max(2, 2-int(math.Floor(math.Log10(v))))
	}
	s := strconv.FormatFloat(a.USD, 'f', d, 64)
	for strings.HasSuffix(s, "0") && len(s)-strings.IndexByte(s, '.') > 3 {
		s = strings.TrimSuffix(s, "0")
	}
	return "$" + s
}

// CollectPlan is the plan of a dry-run batch collect in one line: what
// it would write from the batches, and send live beside their replies.
func (r *Report) CollectPlan() string {
	p := r.Plan
	if p == nil {
		return "dry run: nothing to collect; nothing was sent or written"
	}
	return fmt.Sprintf("dry run: %s to collect from their batches, %s to send live beside the replies, about %d prompt + %d completion tokens, estimated cost %s; nothing was sent or written",
		NOf(r.Articles.Planned, "article"), NOf(p.Requests, "request"), p.PromptTokens, p.CompletionTokens, Money(PlanCost(p)))
}

// Summary is the report in one line, for stderr.
func (r *Report) Summary() string {
	if r.Articles.Planned > 0 && r.Plan != nil || r.dryRun {
		p := r.Plan
		if p == nil {
			p = &Plan{cost: cost.USD(0)} // nothing to plan: everything is up to date
		}
		s := fmt.Sprintf("dry run: %s to translate (%s), %s to translate", nOf(r.Articles.Planned, "article"), r.skipped(true), nOf(p.Translated, "segment"))
		if p.Cached > 0 {
			s += fmt.Sprintf(" (%d from the cache)", p.Cached)
		}
		s += fmt.Sprintf(", %s, about %d prompt + %d completion tokens, estimated cost %s; nothing was sent",
			nOf(p.Requests, "request"), p.PromptTokens, p.CompletionTokens, Money(p.cost))
		if n := len(r.NotStarted); n > 0 {
			s += fmt.Sprintf("; --max-cost would keep %s from starting", nOf(n, "article"))
		}
		if f := r.feeds(); f != "" {
			s += "; " + f
		}
		return s
	}
	s := fmt.Sprintf("%d done, %s, %d failed", r.Articles.Done, r.skipped(false), r.Articles.Failed)
	if r.Articles.NotDone > 0 {
		s += fmt.Sprintf(", %d not done", r.Articles.NotDone)
	}
	s += "; " + nOf(r.Total.Requests, "request")
	if r.Total.BatchRequests > 0 {
		s += fmt.Sprintf(" (%d through the Batch API, %d live)", r.Total.BatchRequests, r.Total.LiveRequests)
	}
	switch r.Total.Retries {
	case 0:
	case 1:
		s += " (1 retry)"
	default:
		s += fmt.Sprintf(" (%d retries)", r.Total.Retries)
	}
	s += fmt.Sprintf(", %d prompt + %d completion tokens", r.Total.PromptTokens, r.Total.CompletionTokens)
	if r.CachedSegments > 0 {
		s += ", " + nOf(r.CachedSegments, "segment") + " from the cache"
	}
	if r.Total.Requests > 0 {
		s += ", cost " + Money(r.cost)
	}
	if q := segmentCounts(r.WarnedSegments, r.Untranslated, r.SummaryWarnings); q != "" {
		s += "; " + q
	}
	if r.Names != nil && len(r.Names.Conflicts) > 0 {
		s += "; " + nOf(len(r.Names.Conflicts), "name conflict")
	}
	if n := len(r.Orphans); n > 0 {
		s += "; " + nOf(n, "output") + " whose source is gone"
	}
	if n := len(r.Pruned); n > 0 {
		s += "; " + nOf(n, "output") + " whose source was gone removed"
	}
	if f := r.feeds(); f != "" {
		s += "; " + f
	}
	return s + fmt.Sprintf("; %.1fs", r.Seconds)
}

// feeds says how the feeds of a feed run went: "2 feeds: 1 read, 1 not
// modified (304), 0 failed".
func (r *Report) feeds() string {
	if len(r.Feeds) == 0 {
		return ""
	}
	n := map[string]int{}
	for _, f := range r.Feeds {
		n[f.Status]++
	}
	s := fmt.Sprintf("%s: %d read, %d not modified (304), %d failed", nOf(len(r.Feeds), "feed"), n[FeedRead], n[FeedNotModified], n[FeedFailed])
	if r.FeedsFailing > 0 {
		s += fmt.Sprintf(" (%d failing run after run)", r.FeedsFailing)
	}
	return s
}

// skipped says how many articles were skipped, and how many of those
// have outputs made under other settings: "3 skipped", "4 skipped (made
// with other settings)", "5 skipped (4 made with other settings)"; for a
// dry run, "3 skipped as up to date", "4 skipped: made with other
// settings", "1 skipped as up to date, 4 skipped: made with other
// settings".
func (r *Report) skipped(dryRun bool) string {
	n, stale := r.Articles.Skipped, r.Articles.Stale
	if dryRun {
		var parts []string
		if n-stale > 0 || stale == 0 {
			parts = append(parts, fmt.Sprintf("%d skipped as up to date", n-stale))
		}
		if stale > 0 {
			parts = append(parts, fmt.Sprintf("%d skipped: made with other settings", stale))
		}
		return strings.Join(parts, ", ")
	}
	switch {
	case stale == 0:
		return fmt.Sprintf("%d skipped", n)
	case stale == n:
		return fmt.Sprintf("%d skipped (made with other settings)", n)
	}
	return fmt.Sprintf("%d skipped (%d made with other settings)", n, stale)
}

// segmentCounts says how many segments of the articles done need a look:
// those with warnings, those left in Dutch, and the summaries' warnings.
func segmentCounts(warned, untranslated, summary int) string {
	var parts []string
	if warned > 0 {
		parts = append(parts, nOf(warned, "segment")+" with warnings")
	}
	if untranslated > 0 {
		parts = append(parts, nOf(untranslated, "segment")+" left untranslated")
	}
	if summary > 0 {
		parts = append(parts, nOf(summary, "summary warning"))
	}
	return strings.Join(parts, ", ")
}
