package job

import (
	"time"

	"github.com/nl2en/nl2en/pipeline/runner"
)

// RunLineVersion is the schema_version of a line of runs.jsonl. Fields
// are only added within a version.
const RunLineVersion = 1

// RunLine is one line of runs.jsonl, the history of the runs of an output
// folder: one line for each run that did something (see [Job.Worth]),
// written whole or not at all.
type RunLine struct {
	SchemaVersion int       `json:"schema_version"`
	Started       time.Time `json:"started"`
	Finished      time.Time `json:"finished"`
	// Command, Flags and Args are the command line (see [Invocation]).
	Command string            `json:"command"`
	Flags   map[string]string `json:"flags"`
	Args    []string          `json:"args"`
	// Articles are the counts of the run's report.
	Articles runner.Counts `json:"articles"`
	// Submitted is what a batch submit sent, when it did.
	Submitted *SubmittedLine `json:"submitted,omitempty"`
	Requests  RequestCounts  `json:"requests"`
	Tokens    TokenCounts    `json:"tokens"`
	// Files counts the files the run wrote and removed in the output
	// folder: outputs, the index, pruned outputs, leftovers of killed
	// runs (the report and this history aside).
	Files FileCounts `json:"files"`
	// Feeds counts the feeds of a feed run by how they went, and Fetched
	// what it fetched from the web; both absent for other runs.
	Feeds   *FeedCounts         `json:"feeds,omitempty"`
	Fetched *runner.FetchCounts `json:"fetched,omitempty"`
	// CostUSD is what the run's requests cost (the Batch API replies it
	// used at their batch price); null when a model used has no price.
	CostUSD  *float64 `json:"cost_usd"`
	ExitCode int      `json:"exit_code"`
	// Error is why the run stopped early, if it did.
	Error string `json:"error,omitempty"`
}

// SubmittedLine is what a batch submit sent.
type SubmittedLine struct {
	Articles int      `json:"articles"`
	Requests int      `json:"requests"`
	Batches  int      `json:"batches"`
	CostUSD  *float64 `json:"estimated_cost_usd"`
	LeftOut  int      `json:"left_out"`
}

// RequestCounts splits a run's requests: the chat completions it sent
// (Live), the Batch API replies it used (Batch), and the requests to the
// Files and Batch APIs that uploaded, created or deleted something
// (BatchAPI).
type RequestCounts struct {
	Live     int `json:"live"`
	Batch    int `json:"batch"`
	BatchAPI int `json:"batch_api"`
	Retries  int `json:"retries"`
}

// FileCounts are the files a run wrote and removed.
type FileCounts struct {
	Written int `json:"written"`
	Removed int `json:"removed"`
}

// FeedCounts are the feeds of a feed run by how they went: read, not
// modified since the last run (a 304), or failed; Failing counts those
// that failed on each of their last runs (see runner.Report).
type FeedCounts struct {
	Read        int `json:"read"`
	NotModified int `json:"not_modified"`
	Failed      int `json:"failed"`
	Failing     int `json:"failing"`
}

// TokenCounts are the tokens of a run's requests.
type TokenCounts struct {
	Prompt       int `json:"prompt"`
	CachedPrompt int `json:"cached_prompt"`
	Completion   int `json:"completion"`
}

func newRunLine(rep *runner.Report, files FileCounts, exitCode int, inv Invocation) RunLine {
	l := RunLine{
		SchemaVersion: RunLineVersion,
		Started:       rep.Started,
		Finished:      rep.Finished,
		Command:       inv.Command,
		Flags:         inv.Flags,
		Args:          inv.Args,
		Articles:      rep.Articles,
		Requests: RequestCounts{
			Live: rep.Total.LiveRequests, Batch: rep.Total.BatchRequests,
			BatchAPI: rep.BatchAPIRequests, Retries: rep.Total.Retries,
		},
		Tokens: TokenCounts{
			Prompt: rep.Total.PromptTokens, CachedPrompt: rep.Total.CachedTokens, Completion: rep.Total.CompletionTokens,
		},
		Files:    files,
		CostUSD:  rep.CostUSD,
		ExitCode: exitCode,
		Error:    rep.Error,
	}
	if l.Flags == nil {
		l.Flags = map[string]string{}
	}
	if l.Args == nil {
		l.Args = []string{}
	}
	if len(rep.Feeds) > 0 {
		l.Feeds = &FeedCounts{Failing: rep.FeedsFailing}
		for _, f := range rep.Feeds {
			switch f.Status {
			case runner.FeedRead:
				l.Feeds.Read++
			case runner.FeedNotModified:
				l.Feeds.NotModified++
			case runner.FeedFailed:
				l.Feeds.Failed++
			}
		}
	}
	l.Fetched = rep.Fetched
	if s := rep.Submitted; s != nil && !s.DryRun {
		l.Submitted = &SubmittedLine{Articles: s.Articles, Requests: s.Requests, Batches: s.Batches, CostUSD: s.CostUSD, LeftOut: len(s.LeftOut)}
	}
	return l
}
