package main

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/nl2en/nl2en/pipeline/cache"
	"github.com/nl2en/nl2en/pipeline/check"
	"github.com/nl2en/nl2en/pipeline/job"
	"github.com/nl2en/nl2en/pipeline/llm"
	"github.com/nl2en/nl2en/pipeline/openaitest"
	"github.com/nl2en/nl2en/pipeline/render"
	"github.com/nl2en/nl2en/pipeline/runner"
	"github.com/nl2en/nl2en/pipeline/schedule"
	"github.com/nl2en/nl2en/pipeline/split"
	"github.com/nl2en/nl2en/pipeline/tokens"
	"github.com/nl2en/nl2en/prompts"
)

// version is written into the outputs, as nl2en writes its own.
const version = "bench"

// config is what one benchmark runs. Rates and latencies are those of the
// real API; Scale plays them faster.
type config struct {
	Articles int
	Seed     uint64
	// RPM and TPM are the API's limits per minute.
	RPM, TPM int
	// Latency is the time to a reply's first token, PerToken the time for
	// each completion token after it.
	Latency, PerToken time.Duration
	// Scale plays the run that many times faster: latencies and the
	// minute of the rate limits are divided by it, and the scheduler runs
	// on a clock that much faster (see clock.go).
	Scale       int
	Concurrency int
	// Workers is the most articles in flight; 0 is what nl2en translate
	// uses, max(Concurrency, 2).
	Workers     int
	TokenBudget int
	Model       string
	// Dir holds the articles, outputs and cache; "" uses a temporary
	// folder, removed afterwards.
	Dir string
	// Trace, when set, gets one CSV line per request of the first run.
	Trace string
	// Process says whether and how to measure the binary as a process.
	Process struct {
		Run bool
		processConfig
	}
}

func (c config) validate() error {
	switch {
	case c.Articles < 1:
		return fmt.Errorf("-articles %d: must be 1 or more", c.Articles)
	case c.RPM < 1 || c.TPM < 1:
		return fmt.Errorf("-rpm %d, -tpm %d: both must be 1 or more, or there is no limit to measure against", c.RPM, c.TPM)
	case c.Latency < 0 || c.PerToken < 0:
		return errors.New("-latency and -per-token must not be negative")
	case c.Scale < 1:
		return fmt.Errorf("-scale %d: must be 1 or more", c.Scale)
	case c.Workers < 0:
		return fmt.Errorf("-workers %d: must be 0 (as nl2en) or more", c.Workers)
	case c.Process.Run && (c.Process.Folder < 1 || c.Process.Throughput < 1 || c.Process.ThroughputRuns < 1):
		return fmt.Errorf("-folder %d, -throughput %d, -throughput-runs %d: each must be 1 or more (or give -process=false)",
			c.Process.Folder, c.Process.Throughput, c.Process.ThroughputRuns)
	}
	// The rest are nl2en's own settings, checked as nl2en checks them.
	return c.settings("http://localhost/v1", "", false).Validate()
}

// settings are the nl2en settings a run of the bench is made of.
func (c config) settings(baseURL, out string, force bool) job.Settings {
	return job.Settings{
		APIKey:      "test-key",
		BaseURL:     baseURL,
		Model:       c.Model,
		Timeout:     120 * time.Second,
		MaxRetries:  3,
		Concurrency: c.Concurrency,
		TokenBudget: c.TokenBudget,
		Out:         out,
		Force:       force,
		Version:     version,
	}.Defaults()
}

func (c config) workers() int {
	if c.Workers > 0 {
		return c.Workers
	}
	return max(c.Concurrency, 2)
}

// Durations as the bench plays them.
func (c config) window() time.Duration   { return time.Minute / time.Duration(c.Scale) }
func (c config) latency() time.Duration  { return c.Latency / time.Duration(c.Scale) }
func (c config) perToken() time.Duration { return c.PerToken / time.Duration(c.Scale) }

// result is everything the bench measured; it is what -json prints.
type result struct {
	Params   params   `json:"params"`
	Workload workload `json:"workload"`
	First    phase    `json:"first_run"`
	Bounds   bounds   `json:"bounds"`
	// Ratio is the first run's wall time over the ideal time.
	Ratio  float64 `json:"wall_over_ideal"`
	Rerun  phase   `json:"rerun"`
	Forced phase   `json:"forced_rerun"`
	// Process holds the figures of the binary run as a process, when
	// measured.
	Process *processFigures `json:"process,omitempty"`
	Targets []target        `json:"targets"`
}

type params struct {
	Articles      int     `json:"articles"`
	Seed          uint64  `json:"seed"`
	Model         string  `json:"model"`
	RPM           int     `json:"rpm"`
	TPM           int     `json:"tpm"`
	LatencyMS     float64 `json:"latency_ms"`
	PerTokenMS    float64 `json:"per_output_token_ms"`
	Scale         int     `json:"scale"`
	WindowSeconds float64 `json:"rate_window_seconds"`
	Concurrency   int     `json:"concurrency"`
	Workers       int     `json:"workers"`
	TokenBudget   int     `json:"token_budget"`
	WarmUpSeconds float64 `json:"warm_up_seconds"`
}

type workload struct {
	Markdown     int `json:"markdown"`
	Text         int `json:"text"`
	Segments     int `json:"segments"`
	ToTranslate  int `json:"segments_to_translate"`
	SourceTokens int `json:"source_tokens"`
	Bytes        int `json:"bytes"`
}

// phase is one run of the folder.
type phase struct {
	Seconds float64        `json:"seconds"`
	Report  runner.Counts  `json:"articles"`
	Outputs int            `json:"outputs"`
	Sent    int            `json:"requests_sent"`
	OK      int            `json:"requests_ok"`
	Server  map[string]int `json:"requests_by_kind"`
	// Server429 counts the 429s the server answered; the scheduler's own
	// count is in Scheduler.
	Server429 int `json:"server_429s"`
	// RateTokens are the tokens the server counted against its limit:
	// prompt plus max_tokens of each admitted request.
	RateTokens       int        `json:"rate_tokens"`
	PromptTokens     int        `json:"prompt_tokens"`
	CompletionTokens int        `json:"completion_tokens"`
	CachedSegments   int        `json:"cached_segments"`
	Warnings         int        `json:"warnings"`
	Scheduler        schedStats `json:"scheduler"`
	PerArticle       float64    `json:"requests_per_article"`
	PromptPerSource  float64    `json:"prompt_tokens_per_source_token"`
	ComplPerSource   float64    `json:"completion_tokens_per_source_token"`
	// requests are the server's records of this phase.
	requests []openaitest.Request
}

type schedStats struct {
	Started         int     `json:"started"`
	RateLimited     int     `json:"rate_limited"`
	Cooldowns       int     `json:"cooldowns"`
	CoolingSeconds  float64 `json:"cooling_down_seconds"`
	EstimatedTokens int64   `json:"estimated_tokens"`
	RateFactor      float64 `json:"final_rate_factor"`
}

// bounds are the lower limits on the first run's time, in bench seconds.
type bounds struct {
	Requests float64 `json:"requests_over_rpm"`
	Tokens   float64 `json:"tokens_over_tpm"`
	Latency  float64 `json:"latency_over_concurrency"`
	Ideal    float64 `json:"ideal"`
	Binding  string  `json:"binding"`
}

type target struct {
	Name string `json:"name"`
	Got  string `json:"got"`
	Want string `json:"want"`
	OK   bool   `json:"ok"`
	// Figure is set for a performance target (time, CPU, memory, size,
	// tokens): reported, and held by -check, but not a test's to assert,
	// as it depends on the machine and the workload.
	Figure bool `json:"figure,omitempty"`
}

// bench generates the articles, starts the fake API and runs the folder
// three times: fresh, again (outputs up to date), and again with Force
// but the segment cache kept.
func bench(ctx context.Context, cfg config, maxRatio float64, log *slog.Logger) (*result, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	dir := cfg.Dir
	if dir != "" {
		// Outputs of an earlier bench would be up to date, and the first
		// run would measure nothing.
		if ents, err := os.ReadDir(dir); err == nil && len(ents) > 0 {
			return nil, fmt.Errorf("-dir %s is not empty: give a new or empty folder", dir)
		}
	} else {
		d, err := os.MkdirTemp("", "nl2en-bench-")
		if err != nil {
			return nil, err
		}
		defer os.RemoveAll(d)
		dir = d
	}
	in, out := filepath.Join(dir, "articles"), filepath.Join(dir, "english")
	paths, err := writeArticles(in, cfg.Articles, cfg.Seed)
	if err != nil {
		return nil, fmt.Errorf("write articles: %w", err)
	}
	segCache, err := cache.Open(filepath.Join(dir, "cache"))
	if err != nil {
		return nil, err
	}
	gloss, err := check.Load(prompts.Default(), "glossary.tsv")
	if err != nil {
		return nil, fmt.Errorf("built-in glossary: %w", err)
	}
	count := tokens.ForModel(cfg.Model)

	res := &result{Params: params{
		Articles: cfg.Articles, Seed: cfg.Seed, Model: cfg.Model, RPM: cfg.RPM, TPM: cfg.TPM,
		LatencyMS: ms(cfg.Latency), PerTokenMS: ms(cfg.PerToken), Scale: cfg.Scale,
		WindowSeconds: cfg.window().Seconds(), Concurrency: cfg.Concurrency, Workers: cfg.workers(),
		TokenBudget: cfg.TokenBudget,
	}}

	// Splitting every article first loads the language detector (seconds
	// of CPU that a real run spends once, before minutes of API time) and
	// counts the source tokens; it is not part of the timed run.
	sp := split.New()
	start := time.Now()
	if res.Workload, err = measure(ctx, sp, paths, count.Count); err != nil {
		return nil, err
	}
	res.Params.WarmUpSeconds = since(start)

	srv := openaitest.NewServer(
		openaitest.WithLatency(cfg.latency(), cfg.perToken()),
		openaitest.WithRateLimit(cfg.RPM, cfg.TPM),
		openaitest.WithRateWindow(cfg.window()),
		openaitest.WithTokenCounter(count.Count),
		openaitest.WithTranslator(fakeModel{gloss: gloss}.translate),
		openaitest.WithSummarizer(fakeModel{gloss: gloss}.summarize),
	)
	defer srv.Close()

	p := pipelineSetup{cfg: cfg, srv: srv, sp: sp, cache: segCache, count: count.Count, out: out, log: log}
	for _, x := range []struct {
		ph    *phase
		force bool
	}{{&res.First, false}, {&res.Rerun, false}, {&res.Forced, true}} {
		ph := x.ph
		if *ph, err = p.run(ctx, in, x.force); err != nil {
			return nil, err
		}
		if ph.Outputs, err = countOutputs(out, paths); err != nil {
			return nil, err
		}
		ph.PerArticle = float64(ph.Sent) / float64(cfg.Articles)
		ph.PromptPerSource = ratio(ph.PromptTokens, res.Workload.SourceTokens)
		ph.ComplPerSource = ratio(ph.CompletionTokens, res.Workload.SourceTokens)
	}

	if cfg.Process.Run {
		pf, err := measureProcess(ctx, cfg.Process.processConfig, dir)
		if err != nil {
			return nil, fmt.Errorf("process figures: %w", err)
		}
		res.Process = &pf
	}
	res.Bounds = idealTime(cfg, res.First)
	if res.Bounds.Ideal > 0 {
		res.Ratio = res.First.Seconds / res.Bounds.Ideal
	}
	res.Targets = targets(cfg, res, maxRatio)
	if cfg.Trace != "" {
		if err := writeTrace(cfg.Trace, res.First.requests, count.Count); err != nil {
			return nil, fmt.Errorf("write trace: %w", err)
		}
	}
	return res, nil
}

// pipelineSetup holds what every run shares: the server, the splitter
// with its detector loaded, and the segment cache.
type pipelineSetup struct {
	cfg   config
	srv   *openaitest.Server
	sp    *split.Splitter
	cache *cache.Cache
	count func(string) int
	out   string
	log   *slog.Logger
}

// run runs the folder once, wired by package job as nl2en translate is:
// a scheduler of its own (each run is a new process), the client paced by
// it, the translator admitted by it with the glossary and the checks, the
// segment cache, and the runner.
func (p pipelineSetup) run(ctx context.Context, in string, force bool) (phase, error) {
	cfg := p.cfg
	env := job.Env{Log: p.log, Cache: p.cache}
	if cfg.Scale > 1 {
		env.Schedule = []schedule.Option{schedule.WithClock(newAPIClock(cfg.Scale))}
		env.Pace = func(s *schedule.Scheduler) llm.Pacer { return apiPacer{s: s, scale: cfg.Scale} }
	}
	j, err := job.Open(cfg.settings(p.srv.BaseURL(), p.out, force), env)
	if err != nil {
		return phase{}, err
	}
	sched := j.Scheduler
	rcfg := j.RunnerConfig(nil)
	rcfg.Workers = cfg.workers()
	run := runner.New(j.Translator, p.sp, rcfg)

	before := len(p.srv.Requests())
	start := time.Now()
	rep, err := run.Run(ctx, []string{in})
	elapsed := since(start)
	if err != nil {
		return phase{}, fmt.Errorf("run: %w", err)
	}
	if !rep.OK() {
		return phase{}, fmt.Errorf("run: %s; first failure: %s", rep.Summary(), rep.Failures[0].Error)
	}
	reqs := settled(p.srv)[before:]

	st := sched.Stats()
	ph := phase{
		Seconds:          elapsed,
		Report:           rep.Articles,
		Sent:             len(reqs),
		Server:           map[string]int{},
		PromptTokens:     rep.Total.PromptTokens,
		CompletionTokens: rep.Total.CompletionTokens,
		CachedSegments:   rep.CachedSegments,
		Warnings:         rep.Warnings,
		Scheduler: schedStats{
			Started: st.Started, RateLimited: st.RateLimited, Cooldowns: st.Cooldowns,
			CoolingSeconds: st.CoolingDown.Seconds() / float64(cfg.Scale), EstimatedTokens: st.EstimatedTokens,
			RateFactor: st.RateFactor,
		},
		requests: reqs,
	}
	for _, r := range reqs {
		switch r.Status {
		case http.StatusOK:
			ph.OK++
			ph.Server[r.Kind]++
			ph.RateTokens += rateTokens(r, p.count)
		case http.StatusTooManyRequests:
			ph.Server429++
		}
	}
	return ph, nil
}

// settled returns the server's requests once every one has its status:
// the server records it just after the reply is written, so the client
// may have the reply a moment before.
func settled(srv *openaitest.Server) []openaitest.Request {
	deadline := time.Now().Add(2 * time.Second)
	for {
		reqs := srv.Requests()
		pending := false
		for _, r := range reqs {
			pending = pending || r.Status == 0
		}
		if !pending || time.Now().After(deadline) {
			return reqs
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// rateTokens is what the server counts against its token limit for a
// request: its prompt (the message texts with 3 tokens each around them)
// and the completion it allows.
func rateTokens(r openaitest.Request, count func(string) int) int {
	var prompt strings.Builder
	for _, m := range r.Chat.Messages {
		prompt.WriteString(m.Content)
		for _, p := range m.MultiContent {
			prompt.WriteString(p.Text)
		}
	}
	//lint:ignore SA1019 nl2en sends max_tokens to models that are not reasoning models
	return count(prompt.String()) + 3*len(r.Chat.Messages) + max(r.Chat.MaxTokens, r.Chat.MaxCompletionTokens)
}

// idealTime is the shortest the first run could have taken under the
// limits, for the work the server saw: each limit alone, at its full rate,
// and the latency of every request spread over the concurrency.
func idealTime(cfg config, ph phase) bounds {
	perMinute := cfg.window().Seconds() // a minute of the API, in bench seconds
	b := bounds{
		Requests: float64(ph.OK) / float64(cfg.RPM) * perMinute,
		Tokens:   float64(ph.RateTokens) / float64(cfg.TPM) * perMinute,
		Latency: (float64(ph.OK)*cfg.latency().Seconds() +
			float64(ph.CompletionTokens)*cfg.perToken().Seconds()) / float64(cfg.Concurrency),
	}
	b.Ideal, b.Binding = b.Requests, "requests (RPM)"
	if b.Tokens > b.Ideal {
		b.Ideal, b.Binding = b.Tokens, "tokens (TPM)"
	}
	if b.Latency > b.Ideal {
		b.Ideal, b.Binding = b.Latency, "latency (concurrency)"
	}
	return b
}

// targets are the figures the bench holds nl2en to. The first three are
// named by position in the table.
func targets(cfg config, res *result, maxRatio float64) []target {
	want := cfg.Articles * 2
	t := []target{
		{"wall / ideal", fmt.Sprintf("%.2f", res.Ratio), fmt.Sprintf("≤ %.2f", maxRatio), res.Ratio <= maxRatio, true},
		{"re-run requests", strconv.Itoa(res.Rerun.Sent), "0", res.Rerun.Sent == 0, false},
		{"forced re-run requests", strconv.Itoa(res.Forced.Sent), "0", res.Forced.Sent == 0, false},
		{"outputs written", strconv.Itoa(res.First.Outputs), strconv.Itoa(want), res.First.Outputs == want, false},
		atMost("prompt / source, the articles", res.First.PromptPerSource, 2.75, "%.2f", true),
		atMost("forced re-run wall time (s)", res.Forced.Seconds, 2, "%.2f", true),
	}
	if p := res.Process; p != nil {
		t = append(t,
			atMost("binary size (MB)", float64(p.BinaryBytes)/1e6, 30, "%.1f", true),
			atMost("inspect CPU (s)", p.InspectCPU, 0.15, "%.3f", true),
			atMost("inspect peak memory (MB)", p.InspectPeakMB, 60, "%.0f", true),
			atMost("sample: first request leaves (s)", p.Sample.FirstRequest, 0.1, "%.3f", true),
			atMost("sample: wall / longest request", p.Sample.Wall/p.Sample.Longest, 1.2, "%.2f", true),
			atMost("sample: wall / whole-article request", p.Sample.Wall/p.Sample.Whole, 0.5, "%.2f", true),
			atMost("sample: prompt / source", p.Sample.PromptPerSource, 3.0, "%.2f", true),
			atMost("folder: prompt / source", p.FolderPromptPerSource, 2.75, "%.2f", true),
			atMost("CPU per article (ms)", p.Throughput.CPUPerArticle, 10, "%.1f", true),
			atMost("peak memory of the large run (MB)", p.Throughput.PeakMB, 100, "%.0f", true),
		)
	}
	return t
}

func atMost(name string, got, most float64, format string, figure bool) target {
	return target{name, fmt.Sprintf(format, got), "≤ " + fmt.Sprintf(format, most), got <= most, figure}
}

// measure splits every article, as the run will, and adds up the segments
// and the source tokens the model is sent.
func measure(ctx context.Context, sp *split.Splitter, paths []string, count func(string) int) (workload, error) {
	var w workload
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			return w, err
		}
		art, err := sp.Split(ctx, p, data, split.Options{})
		if err != nil {
			return w, err
		}
		if strings.HasSuffix(p, ".md") {
			w.Markdown++
		} else {
			w.Text++
		}
		w.Bytes += len(data)
		w.Segments += len(art.Segments)
		for _, s := range art.Segments {
			if s.NeedsTranslation() {
				w.ToTranslate++
				w.SourceTokens += count(s.Text)
			}
		}
	}
	return w, nil
}

// countOutputs counts the outputs, in every default format, that exist
// for the articles.
func countOutputs(out string, paths []string) (int, error) {
	n := 0
	for _, p := range paths {
		base := strings.TrimSuffix(filepath.Base(p), filepath.Ext(p))
		for _, f := range render.DefaultFormats() {
			_, err := os.Stat(filepath.Join(out, base+f.Suffix))
			switch {
			case err == nil:
				n++
			case !errors.Is(err, fs.ErrNotExist):
				return n, err
			}
		}
	}
	return n, nil
}

// writeTrace writes one CSV line per request: when it arrived (seconds
// from the first), its kind, the status answered and the tokens the
// server counted against its limit.
func writeTrace(path string, reqs []openaitest.Request, count func(string) int) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := csv.NewWriter(f)
	w.Write([]string{"seconds", "kind", "status", "rate_tokens"})
	for _, r := range reqs {
		t := 0.0
		if len(reqs) > 0 {
			t = r.Time.Sub(reqs[0].Time).Seconds()
		}
		w.Write([]string{strconv.FormatFloat(t, 'f', 3, 64), r.Kind, strconv.Itoa(r.Status), strconv.Itoa(rateTokens(r, count))})
	}
	w.Flush()
	if err := w.Error(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func since(t time.Time) float64 { return time.Since(t).Seconds() }

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}
