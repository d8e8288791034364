package pipeline

import "time"

// Summary is the English headline, summary and key points of an article,
// written from the Dutch source.
type Summary struct {
	Title     string   `json:"title"`
	Summary   string   `json:"summary"`
	KeyPoints []string `json:"key_points"`
	// Warnings are what the summary's checks still found after a repair:
	// a figure or name the article does not give, a title too long,
	// repeated key points (dropped).
	Warnings []string `json:"warnings,omitempty"`
}

// Status says how a segment's English text came about.
type Status string

const (
	StatusTranslated Status = "translated" // the model translated it
	StatusKept       Status = "kept"       // passed through verbatim (English already, or furniture)
	StatusFailed     Status = "failed"     // no usable translation; English text is the source, marked
)

// Cause says why a segment was kept as it is, or failed.
type Cause string

// The causes, in the order the README lists them.
const (
	CauseEnglish    Cause = "english"     // kept: the source is English already
	CauseFurniture  Cause = "furniture"   // kept: page furniture
	CauseNoText     Cause = "no_text"     // kept: nothing to translate (an image without alternative text)
	CauseUnchanged  Cause = "unchanged"   // failed: the reply was the Dutch source
	CauseGarbage    Cause = "garbage"     // failed: the reply was not readable text
	CauseNotEnglish Cause = "not_english" // failed: the reply was Dutch or another language
	CauseLength     Cause = "length"      // failed: the reply was far shorter or longer than the source
	CauseMissing    Cause = "missing"     // failed: no usable reply held the segment (missing, repeated, empty, not JSON)
	CauseRefused    Cause = "refused"     // failed: the model refused
	CauseTooLong    Cause = "too_long"    // failed: too long for the model even alone, cut at its sentences
	CauseStrict     Cause = "strict"      // failed: checks still failed after a repair, in strict mode
)

// Causes lists every cause.
var Causes = []Cause{
	CauseEnglish, CauseFurniture, CauseNoText, CauseUnchanged, CauseGarbage, CauseNotEnglish,
	CauseLength, CauseMissing, CauseRefused, CauseTooLong, CauseStrict,
}

// Translation is the English text of one segment.
type Translation struct {
	ID     string
	Text   string
	Status Status
	// Reason says why a segment failed or was kept, for people; empty
	// when translated. It never holds what was asked of the model.
	Reason string
	// Cause is the reason as a value programs branch on.
	Cause Cause
	// Warnings are checks the translation did not pass (numbers, names,
	// quotes, glossary terms) that were not serious enough to fail it.
	Warnings []string
	// Quality holds cheap measures of a translated segment; nil when the
	// segment was not translated or not measured.
	Quality *Quality
}

// Quality is what can be measured of a translation without knowing what
// was said.
type Quality struct {
	// LengthRatio is the English length in characters over the Dutch.
	LengthRatio float64 `json:"length_ratio"`
	// RatioOff: the ratio is outside the usual range for a text long enough
	// to tell, a sign of something left out or made up.
	RatioOff bool `json:"ratio_off"`
	// StillDutch: the output reads as Dutch.
	StillDutch bool `json:"still_dutch"`
	// NotEnglish: the output does not read as English.
	NotEnglish bool `json:"not_english"`
}

// RequestKind names what a request to the API was for, to account usage.
type RequestKind string

const (
	RequestTranslate RequestKind = "translate"
	RequestSummary   RequestKind = "summary"
	RequestRepair    RequestKind = "repair"
	// RequestBatch is requests answered through the Batch API, at its
	// price.
	RequestBatch RequestKind = "batch"
)

// Usage counts what the API reported for a set of requests.
type Usage struct {
	Requests         int `json:"requests"`
	PromptTokens     int `json:"prompt_tokens"`
	CachedTokens     int `json:"cached_prompt_tokens"`
	CompletionTokens int `json:"completion_tokens"`
}

// Add returns the sum of two usages.
func (u Usage) Add(v Usage) Usage {
	return Usage{
		Requests:         u.Requests + v.Requests,
		PromptTokens:     u.PromptTokens + v.PromptTokens,
		CachedTokens:     u.CachedTokens + v.CachedTokens,
		CompletionTokens: u.CompletionTokens + v.CompletionTokens,
	}
}

// Timings are the wall-clock durations of the stages of one article.
type Timings struct {
	Split     time.Duration
	Translate time.Duration
	Summary   time.Duration
	Total     time.Duration
}

// Name is a proper name as a translation renders it: its form in the
// Dutch source and the English form the translation gives it ("Zelenski",
// "Zelensky").
type Name struct {
	Dutch   string `json:"dutch"`
	English string `json:"english"`
}

// ArticleName is a name of a translated article, with the one English
// form its translation gives it.
type ArticleName struct {
	Name
	// Segments counts the segments that render it.
	Segments int
	// Learn is set when the names memory may learn it: a segment that
	// renders it in that form passed every check with no warning, and
	// it is no glossary term (the glossary is a layer above the memory,
	// never copied in).
	Learn bool
}

// NameConflict is a name an article rendered otherwise than the names
// memory, or another article of the same run, has it.
type NameConflict struct {
	// Dutch is the name; English the form kept (the memory's, or the
	// one the memory learned); Other the form the article gave.
	Dutch   string `json:"dutch"`
	English string `json:"english"`
	Other   string `json:"other"`
	// From says where English comes from: ConflictMemory or ConflictRun.
	From ConflictFrom `json:"from"`
	// Source is the article, as the run report names it; left out where
	// the article is plain (an index line's own).
	Source string `json:"source,omitempty"`
}

// ConflictFrom says what a name's rendering conflicts with.
type ConflictFrom string

const (
	// ConflictMemory: the names memory had the name in another form
	// before the article was translated; the article was repaired to
	// it, or warned about where the repair failed.
	ConflictMemory ConflictFrom = "memory"
	// ConflictRun: articles translated side by side in one run rendered
	// the name differently; the memory learned one form, which applies
	// from the next run on.
	ConflictRun ConflictFrom = "run"
)

// Result is a translated article: everything the renderers need.
type Result struct {
	Article      *Article
	Translations []Translation // one per segment, in the article's order
	Summary      Summary
	// English is the variety of English the translation is written in.
	English English
	// Names are the article's names, each with the English form its
	// translation gives it, in the order they first occur; empty when
	// the replies listed none.
	Names []ArticleName
	// NameConflicts are the names the article rendered otherwise than
	// the names memory has them.
	NameConflicts []NameConflict
	Model         string
	// ServedModel is the model the server's first reply named: the
	// snapshot behind an alias ("gpt-4.1-mini-2025-04-14"), or what a
	// local server loaded. Empty when no request was sent (everything came
	// from the cache).
	ServedModel string
	BaseURL     string
	Usage       map[RequestKind]Usage
	// CachedSegments counts segments whose English came from the cache
	// instead of a request; SummaryCached says the same of the summary.
	CachedSegments int
	SummaryCached  bool
	Timings        Timings
	// Finished is when the translation completed; rendered as the date.
	Finished time.Time
}
