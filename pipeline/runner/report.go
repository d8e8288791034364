package runner

import (
	"fmt"
	"sync"
	"time"

	"github.com/nl2en/nl2en/pipeline"
)

// Status is the outcome of one article.
type Status string

const (
	StatusDone    Status = "done"
	StatusSkipped Status = "skipped" // outputs up to date
	StatusFailed  Status = "failed"
	StatusNotDone Status = "not_done" // the run stopped before it finished
)

// ArticleReport is the outcome of one article.
type ArticleReport struct {
	File           string     `json:"file"`
	Status         Status     `json:"status"`
	Error          string     `json:"error,omitempty"`
	Outputs        []string   `json:"outputs,omitempty"`
	Usage          UsageTable `json:"usage"`
	CachedSegments int        `json:"cached_segments,omitempty"`
	Warnings       int        `json:"warnings,omitempty"`
	Untranslated   int        `json:"untranslated,omitempty"`
	Quality        QualitySum `json:"quality"`
	Seconds        float64    `json:"seconds"`
	err            error
}

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

// Counts are the number of articles by outcome.
type Counts struct {
	Found   int `json:"found"`
	Done    int `json:"done"`
	Skipped int `json:"skipped"`
	Failed  int `json:"failed"`
	NotDone int `json:"not_done"`
}

// Report sums up a run. Only failed articles are listed one by one, so its
// size does not grow with the number of articles that went well.
type Report struct {
	SchemaVersion  int             `json:"schema_version"`
	Started        time.Time       `json:"started"`
	Finished       time.Time       `json:"finished"`
	Seconds        float64         `json:"seconds"`
	Articles       Counts          `json:"articles"`
	Usage          UsageTable      `json:"usage"`
	Total          pipeline.Usage  `json:"total"`
	CachedSegments int             `json:"cached_segments"`
	Warnings       int             `json:"warnings"`
	Untranslated   int             `json:"untranslated"`
	Quality        QualitySum      `json:"quality"`
	Failures       []ArticleReport `json:"failures"`
	// Error is why the run stopped early, if it did.
	Error string `json:"error,omitempty"`

	mu sync.Mutex
}

func newReport(now time.Time) *Report {
	return &Report{SchemaVersion: 1, Started: now.UTC(), Usage: UsageTable{}, Failures: []ArticleReport{}}
}

func (r *Report) found(n int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.Articles.Found += n
}

func (r *Report) add(a ArticleReport) {
	r.mu.Lock()
	defer r.mu.Unlock()
	switch a.Status {
	case StatusDone:
		r.Articles.Done++
	case StatusSkipped:
		r.Articles.Skipped++
	case StatusNotDone:
		r.Articles.NotDone++
	default:
		r.Articles.Failed++
		r.Failures = append(r.Failures, a)
	}
	for k, v := range a.Usage {
		r.Usage[k] = r.Usage[k].Add(v)
	}
	r.Total = r.Usage.total()
	r.CachedSegments += a.CachedSegments
	r.Warnings += a.Warnings
	r.Untranslated += a.Untranslated
	r.Quality.add(a.Quality)
}

func (r *Report) finish(now time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.Finished = now.UTC()
	r.Seconds = round(r.Finished.Sub(r.Started).Seconds())
	// Articles the walk found but no worker took before a stop.
	r.Articles.NotDone = r.Articles.Found - r.Articles.Done - r.Articles.Skipped - r.Articles.Failed
}

// OK reports whether every article found was done or skipped.
func (r *Report) OK() bool {
	return r.Articles.Failed == 0 && r.Articles.NotDone == 0 && r.Error == ""
}

// Summary is the report in one line, for stderr.
func (r *Report) Summary() string {
	s := fmt.Sprintf("%d done, %d skipped, %d failed", r.Articles.Done, r.Articles.Skipped, r.Articles.Failed)
	if r.Articles.NotDone > 0 {
		s += fmt.Sprintf(", %d not done", r.Articles.NotDone)
	}
	s += fmt.Sprintf("; %d requests, %d prompt + %d completion tokens", r.Total.Requests, r.Total.PromptTokens, r.Total.CompletionTokens)
	if r.CachedSegments > 0 {
		s += fmt.Sprintf(", %d segments from cache", r.CachedSegments)
	}
	if r.Warnings > 0 {
		s += fmt.Sprintf(", %d warnings", r.Warnings)
	}
	return s + fmt.Sprintf("; %.1fs", r.Seconds)
}
