package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/nl2en/nl2en/pipeline/check"
	"github.com/nl2en/nl2en/pipeline/openaitest"
	"github.com/nl2en/nl2en/prompts"
)

// The process figures are measured on the nl2en binary itself, run as a
// user runs it, against the fake API in this process: the binary's size,
// the cost of `nl2en inspect`, how soon a translation's first request
// leaves and how its time compares with its requests', what its prompts
// cost, and the CPU and memory a large run takes with the server's own
// work left out.

// processConfig says what the process figures run.
type processConfig struct {
	Bin        string // the nl2en binary; "" builds one
	Sample     string // the sample article
	Latency    time.Duration
	PerToken   time.Duration
	Folder     int // copies of the sample in the folder run
	Throughput int // sample variants in the CPU run
	// ThroughputRuns is how many times the CPU run is made.
	ThroughputRuns int
}

// processFigures are what the process figures measured.
type processFigures struct {
	BinaryBytes int64 `json:"binary_bytes"`
	// InspectCPU and InspectPeakMB are the median of five runs of
	// `nl2en inspect` on the sample: user + system CPU, and peak RSS.
	InspectCPU    float64   `json:"inspect_cpu_seconds"`
	InspectPeakMB float64   `json:"inspect_peak_mb"`
	Sample        sampleRun `json:"sample"`
	// FolderPromptPerSource is prompt tokens per source token (both as
	// the fake counts them: bytes / 4) of a folder of copies of the
	// sample, translated with --no-cache --concurrency 4.
	FolderArticles        int     `json:"folder_articles"`
	FolderPromptPerSource float64 `json:"folder_prompt_per_source"`
	// Throughput is a large run against a server with no latency.
	Throughput throughputRun `json:"throughput"`
}

// sampleRun is the sample translated alone, as `nl2en translate FILE`.
type sampleRun struct {
	// FirstRequest is from the process's start to the first request's
	// arrival at the server.
	FirstRequest float64 `json:"first_request_seconds"`
	Wall         float64 `json:"wall_seconds"`
	// Longest is the longest request, from arrival to reply.
	Longest float64 `json:"longest_request_seconds"`
	// Whole is what one request translating the whole article would
	// take at the server's latency: its base latency once, and the time
	// per token of every translation request's reply.
	Whole           float64 `json:"whole_article_request_seconds"`
	Requests        int     `json:"requests"`
	PromptPerSource float64 `json:"prompt_per_source"`
}

// throughputRun is many sample variants, --concurrency 16, no latency,
// translated Runs times: the median time and CPU, the largest peak.
type throughputRun struct {
	Articles      int     `json:"articles"`
	Runs          int     `json:"runs"`
	Seconds       float64 `json:"seconds"`
	CPUPerArticle float64 `json:"cpu_ms_per_article"`
	PeakMB        float64 `json:"peak_mb"`
}

// measureProcess runs the process figures in dir.
func measureProcess(ctx context.Context, cfg processConfig, dir string) (processFigures, error) {
	var f processFigures
	sample, err := os.ReadFile(cfg.Sample)
	if err != nil {
		return f, fmt.Errorf("the sample article: %w", err)
	}
	bin := cfg.Bin
	if bin == "" {
		bin = filepath.Join(dir, "nl2en")
		if err := build(ctx, bin); err != nil {
			return f, err
		}
	}
	info, err := os.Stat(bin)
	if err != nil {
		return f, err
	}
	f.BinaryBytes = info.Size()
	work := filepath.Join(dir, "work")
	if err := os.MkdirAll(work, 0o755); err != nil {
		return f, err
	}
	samplePath := filepath.Join(work, "bachmoet.txt")
	if err := os.WriteFile(samplePath, sample, 0o644); err != nil {
		return f, err
	}

	var cpus, peaks []float64
	for range 5 {
		u, err := runBinary(ctx, bin, work, nil, "inspect", samplePath)
		if err != nil {
			return f, err
		}
		cpus, peaks = append(cpus, u.cpu), append(peaks, u.peakMB)
	}
	f.InspectCPU, f.InspectPeakMB = median(cpus), median(peaks)

	gloss, err := check.Load(prompts.Default(), "glossary.tsv")
	if err != nil {
		return f, err
	}
	translator := openaitest.WithTranslator(fakeModel{gloss: gloss}.translate)
	english := openaitest.WithTranslations(openaitest.SampleTranslations())

	// The sample alone, at the server's latency: five runs, each figure
	// the median of them, as a single start on a shared machine may wait
	// for a core.
	var runs []sampleRun
	for i := range 5 {
		r, err := sampleAlone(ctx, cfg, bin, work, samplePath, len(sample), filepath.Join(work, fmt.Sprintf("sample-out-%d", i)), english, translator)
		if err != nil {
			return f, err
		}
		runs = append(runs, r)
	}
	f.Sample = medianRun(runs)

	// A folder of copies, as a nightly run does them.
	folder := filepath.Join(work, "folder")
	n, err := writeVariants(folder, sample, cfg.Folder)
	if err != nil {
		return f, err
	}
	f.FolderArticles = cfg.Folder
	srv := openaitest.NewServer(english, translator, openaitest.WithAPIKey(benchKey))
	folderOut := filepath.Join(work, "folder-out")
	_, err = runBinary(ctx, bin, work, serverEnv(srv, work), "translate", "--no-cache", "--concurrency", "4", "--out", folderOut, folder)
	srv.Close()
	if err != nil {
		return f, err
	}
	if f.FolderPromptPerSource, err = promptPerSource(filepath.Join(folderOut, "report.json"), n); err != nil {
		return f, err
	}

	// Many variants with no latency: what nl2en itself costs.
	many := filepath.Join(work, "many")
	if _, err := writeVariants(many, sample, cfg.Throughput); err != nil {
		return f, err
	}
	// The machine's other work shows in a single run's CPU time: the
	// figure is the median of the runs, the peak the largest.
	var perArticle, secs []float64
	var peak float64
	for run := range cfg.ThroughputRuns {
		srv := openaitest.NewServer(english, translator, openaitest.WithAPIKey(benchKey))
		start := time.Now()
		out := filepath.Join(work, fmt.Sprintf("many-out-%d", run))
		u, err := runBinary(ctx, bin, work, serverEnv(srv, work), "translate", "--no-cache", "--concurrency", "16", "--out", out, many)
		srv.Close()
		if err != nil {
			return f, err
		}
		secs = append(secs, time.Since(start).Seconds())
		perArticle = append(perArticle, u.cpu*1000/float64(cfg.Throughput))
		peak = max(peak, u.peakMB)
	}
	f.Throughput = throughputRun{
		Articles:      cfg.Throughput,
		Runs:          cfg.ThroughputRuns,
		Seconds:       median(secs),
		CPUPerArticle: median(perArticle),
		PeakMB:        peak,
	}
	return f, nil
}

const benchKey = "sk-bench-0123456789abcdef"

// serverEnv is the environment of a run against srv: nothing of the
// user's own settings, and a cache of its own.
func serverEnv(srv *openaitest.Server, work string) []string {
	return []string{
		"OPENAI_BASE_URL=" + srv.BaseURL(),
		"OPENAI_API_KEY=" + benchKey,
		"NL2EN_CACHE_DIR=" + filepath.Join(work, "cache"),
	}
}

// usage is what a process used.
type usage struct {
	cpu    float64 // user + system seconds
	peakMB float64
}

// runBinary runs the nl2en binary in dir with a clean environment plus
// env, through this program as its measuring wrapper (see measureEnv),
// and returns what it used.
func runBinary(ctx context.Context, bin, dir string, env []string, args ...string) (usage, error) {
	self, err := os.Executable()
	if err != nil {
		return usage{}, fmt.Errorf("find this program to measure nl2en with: %w", err)
	}
	r, w, err := os.Pipe()
	if err != nil {
		return usage{}, err
	}
	defer r.Close()
	cmd := exec.CommandContext(ctx, self, append([]string{bin}, args...)...)
	cmd.Dir = dir
	cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + dir, measureEnv + "=1"}, env...)
	cmd.ExtraFiles = []*os.File{w}
	var stderr bytes.Buffer
	cmd.Stdout = &bytes.Buffer{}
	cmd.Stderr = &stderr
	err = cmd.Start()
	w.Close()
	if err != nil {
		return usage{}, fmt.Errorf("nl2en %s: %w", strings.Join(args, " "), err)
	}
	var m measured
	decodeErr := json.NewDecoder(r).Decode(&m)
	if err := cmd.Wait(); err != nil {
		return usage{}, fmt.Errorf("nl2en %s: %w\n%s", strings.Join(args, " "), err, lastLines(stderr.String(), 5))
	}
	if decodeErr != nil {
		return usage{}, fmt.Errorf("nl2en %s: read what it used: %w", strings.Join(args, " "), decodeErr)
	}
	return usage{cpu: m.CPU, peakMB: float64(m.MaxRSSKB) / 1024}, nil
}

// build builds nl2en into bin with the go command, from the module this
// bench belongs to.
func build(ctx context.Context, bin string) error {
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, "github.com/nl2en/nl2en/cmd/nl2en")
	if b, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("build nl2en (give -bin to use a built one): %w\n%s", err, b)
	}
	return nil
}

// writeVariants writes n variants of the sample into dir, each with a
// sentence of its own after the first, and returns their bytes in all.
func writeVariants(dir string, sample []byte, n int) (int, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return 0, err
	}
	first := "Bachmoet. "
	total := 0
	for i := range n {
		v := strings.Replace(string(sample), first, fmt.Sprintf("Bachmoet. Dit is versie %d van het bericht. ", i+1), 1)
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("versie-%04d.txt", i+1)), []byte(v), 0o644); err != nil {
			return 0, err
		}
		total += len(v)
	}
	return total, nil
}

// promptPerSource reads the prompt tokens a run or an article used (from
// report.json's total, or an article JSON's usage total) over its source,
// counted as the fake server counts: bytes / 4.
func promptPerSource(path string, sourceBytes int) (float64, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, err
	}
	var doc struct {
		Total struct {
			PromptTokens int `json:"prompt_tokens"`
		} `json:"total"`
		Usage struct {
			Total struct {
				PromptTokens int `json:"prompt_tokens"`
			} `json:"total"`
		} `json:"usage"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		return 0, fmt.Errorf("%s: %w", path, err)
	}
	prompt := max(doc.Total.PromptTokens, doc.Usage.Total.PromptTokens)
	return float64(prompt) / (float64(sourceBytes) / 4), nil
}

// sampleAlone translates the sample alone, as `nl2en translate FILE`
// does, into out, against a fake at the configured latency.
func sampleAlone(ctx context.Context, cfg processConfig, bin, work, samplePath string, sourceBytes int, out string, opts ...openaitest.Option) (sampleRun, error) {
	var r sampleRun
	srv := openaitest.NewServer(append(opts, openaitest.WithAPIKey(benchKey), openaitest.WithLatency(cfg.Latency, cfg.PerToken))...)
	start := time.Now()
	if _, err := runBinary(ctx, bin, work, serverEnv(srv, work), "translate", "--no-cache", "--out", out, samplePath); err != nil {
		srv.Close()
		return r, err
	}
	r.Wall = time.Since(start).Seconds()
	reqs := settled(srv)
	srv.Close()
	if len(reqs) == 0 {
		return r, errors.New("the sample run sent no request")
	}
	r.Requests = len(reqs)
	first := reqs[0].Time
	var perToken time.Duration
	for _, q := range reqs {
		first = minTime(first, q.Time)
		d := q.Done.Sub(q.Time)
		r.Longest = max(r.Longest, d.Seconds())
		if q.Kind == openaitest.KindTranslate {
			perToken += max(d-cfg.Latency, 0)
		}
	}
	r.FirstRequest = first.Sub(start).Seconds()
	r.Whole = (cfg.Latency + perToken).Seconds()
	var err error
	r.PromptPerSource, err = promptPerSource(filepath.Join(out, "bachmoet.en.json"), sourceBytes)
	return r, err
}

// medianRun is the runs of the sample, each figure the median of theirs.
func medianRun(runs []sampleRun) sampleRun {
	of := func(field func(sampleRun) float64) float64 {
		var xs []float64
		for _, r := range runs {
			xs = append(xs, field(r))
		}
		return median(xs)
	}
	return sampleRun{
		FirstRequest:    of(func(r sampleRun) float64 { return r.FirstRequest }),
		Wall:            of(func(r sampleRun) float64 { return r.Wall }),
		Longest:         of(func(r sampleRun) float64 { return r.Longest }),
		Whole:           of(func(r sampleRun) float64 { return r.Whole }),
		Requests:        int(of(func(r sampleRun) float64 { return float64(r.Requests) })),
		PromptPerSource: of(func(r sampleRun) float64 { return r.PromptPerSource }),
	}
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[len(s)/2]
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.Join(lines[max(len(lines)-n, 0):], "\n")
}
