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

// Result is a translated article: everything the renderers need.
type Result struct {
	Article      *Article
	Translations []Translation // one per segment, in the article's order
	Summary      Summary
	Model        string
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
