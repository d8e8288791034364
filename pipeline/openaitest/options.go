package openaitest

import (
	"strings"
	"time"
)

// An Option configures a [Server] when it is created.
type Option func(*options)

type options struct {
	apiKey       string
	models       []string
	translations map[string]string
	translator   func(id, text string) string
	summary      *summaryReply // nil: by article (see Server.summaryOf)
	summarizer   func(SummaryRequest) Summary
	tokens       func(string) int

	latencyBase     time.Duration
	latencyPerToken time.Duration

	rpm, tpm   int
	rateWindow time.Duration

	faultRate float64
	faultSeed int64

	azure           bool
	azureDeployment string
	azureVersion    string

	contextWindow int // 0: no limit; else prompts are cut to it silently
	formats       map[string]bool
	batchLimits   batchLimits // WithBatchLimits, in batch.go

	served    map[string]string   // WithServedModel
	nameForms map[string][]string // WithNameForms, in names.go
	ollama    *ollamaOptions      // WithOllamaShow, in ollama.go
}

func defaultOptions() options {
	return options{
		apiKey:       "test-key",
		models:       []string{"gpt-4.1-mini", "gpt-4.1", "gpt-4o-mini", "gpt-4o", "gpt-5-mini", "gpt-5"},
		translations: map[string]string{},
		translator:   DefaultTranslator,
		tokens:       EstimateTokens,
		rateWindow:   time.Minute,
	}
}

// WithAPIKey sets the key the server expects, as "Authorization: Bearer
// key" (or the "api-key" header in Azure mode). The default is "test-key".
// An empty key turns authentication off, like a local server (LM Studio,
// Ollama, vLLM without --api-key).
func WithAPIKey(key string) Option {
	return func(o *options) { o.apiKey = key }
}

// WithModels replaces the models the server knows. A request for any other
// model fails with 404 "model_not_found". The default list holds
// "gpt-4.1-mini", "gpt-4.1", "gpt-4o-mini", "gpt-4o", "gpt-5-mini" and
// "gpt-5".
func WithModels(names ...string) Option {
	return func(o *options) { o.models = append([]string(nil), names...) }
}

// WithTranslations adds fixed translations, keyed by the exact source text
// of a segment (surrounding white space ignored). They take precedence over
// the translator. The option may be given more than once; later maps win.
// [SampleTranslations] is meant to be passed here.
func WithTranslations(m map[string]string) Option {
	return func(o *options) {
		for k, v := range m {
			o.translations[strings.TrimSpace(k)] = v
		}
	}
}

// WithTranslator sets the function that translates a segment whose text is
// not among the fixed translations. The default is [DefaultTranslator]. The
// server calls it from concurrent requests.
func WithTranslator(f func(id, text string) string) Option {
	return func(o *options) { o.translator = f }
}

// WithSummary replaces the summary the server returns for every summary
// request. The default is a fixed summary of the sample article when the
// article is the sample, and a plain summary that names nothing and gives
// no figure for any other.
func WithSummary(title, summary string, keyPoints ...string) Option {
	return func(o *options) {
		o.summary = &summaryReply{Title: title, Summary: summary, KeyPoints: append([]string{}, keyPoints...)}
	}
}

// Summary is a summary as the server answers a summary request.
type Summary struct {
	Title     string   `json:"title"`
	Summary   string   `json:"summary"`
	KeyPoints []string `json:"key_points"`
}

// SummaryRequest is what a summary request asks: the Dutch article, one
// part a line, and for a repair, the earlier summary and what was wrong
// with it.
type SummaryRequest struct {
	Article  string
	Previous *Summary
	Problems []string
}

// WithSummarizer makes the server answer each summary request with what
// f returns for it, to serve a reference summary of the article asked
// about, or a fault a test plants. It takes precedence over
// [WithSummary]. The server calls it from concurrent requests.
func WithSummarizer(f func(SummaryRequest) Summary) Option {
	return func(o *options) { o.summarizer = f }
}

// WithTokenCounter replaces [EstimateTokens] as the token estimator behind
// the usage of every reply and the token rate limit.
func WithTokenCounter(f func(string) int) Option {
	return func(o *options) { o.tokens = f }
}

// WithLatency delays every chat completion by base plus perOutputToken for
// each completion token, as a model would. A streamed reply spends base
// before its first chunk and the rest between chunks. A client that cancels
// its request stops the wait.
func WithLatency(base, perOutputToken time.Duration) Option {
	return func(o *options) { o.latencyBase, o.latencyPerToken = base, perOutputToken }
}

// WithRateLimit limits chat completions to rpm requests and tpm tokens per
// minute in a sliding window; 0 means no limit of that kind. A request
// counts its prompt tokens plus max_completion_tokens (or max_tokens) when
// set, else the completion tokens of its reply. A request over a limit gets
// 429 "rate_limit_exceeded" with retry-after-ms, retry-after and the
// x-ratelimit-* headers; successful replies carry the x-ratelimit-* headers
// too. A single request larger than tpm gets 429 "Request too large" with no
// retry-after, since waiting does not help it. Without this option no
// x-ratelimit-* headers are sent.
func WithRateLimit(rpm, tpm int) Option {
	return func(o *options) { o.rpm, o.tpm = rpm, tpm }
}

// WithRateWindow shortens the one-minute window of [WithRateLimit], so that
// tests of waiting and retrying run in milliseconds: WithRateLimit(2, 0)
// with WithRateWindow(100*time.Millisecond) admits 2 requests per 100ms.
func WithRateWindow(d time.Duration) Option {
	return func(o *options) { o.rateWindow = d }
}

// WithFaultRate makes each chat completion that has no scripted fault fail
// with probability p, with a fault drawn from a 429 with retry-after-ms 20,
// a 500, a 502, a 503 and a reset connection. The draws come from a
// generator seeded with seed, so a soak test can be replayed; with
// concurrent requests the order in which they draw still varies.
func WithFaultRate(p float64, seed int64) Option {
	return func(o *options) { o.faultRate, o.faultSeed = p, seed }
}

// WithAzure makes the server an Azure OpenAI resource with one deployment:
// chat completions are served at
// {BaseURL}/openai/deployments/{deployment}/chat/completions?api-version=…,
// the key is checked in the "api-key" header (or as a bearer token, as
// Entra ID clients send it) and errors take Azure's shapes. The model in
// the body is not checked: the deployment decides.
//
// apiVersion is the newest api-version the resource knows; a request with a
// newer, a malformed or no api-version gets 404 "Resource not found". An
// empty apiVersion accepts any well-formed version. Independently, a
// request using json_schema with an api-version older than
// "2024-08-01-preview" gets 400, as Azure answers.
func WithAzure(deployment, apiVersion string) Option {
	return func(o *options) {
		o.azure, o.azureDeployment, o.azureVersion = true, deployment, apiVersion
	}
}

// WithResponseFormats limits the response_format types the server accepts
// to those given ("json_schema", "json_object", "text"), to play a server
// or model without structured outputs. A request with another type gets
// 400 with param "response_format"; a request without response_format is
// always accepted. By default all three are accepted.
func WithResponseFormats(types ...string) Option {
	return func(o *options) {
		o.formats = map[string]bool{}
		for _, t := range types {
			o.formats[t] = true
		}
	}
}

// WithContextWindow makes the server read at most n prompt tokens of a
// request and answer as if that were all, as Ollama does with a prompt
// longer than its context (4096 tokens unless OLLAMA_CONTEXT_LENGTH says
// otherwise): no error, only "truncating input prompt" in its own log and
// usage.prompt_tokens of n.
func WithContextWindow(n int) Option {
	return func(o *options) { o.contextWindow = n }
}

// WithServedModel makes the server answer a request for model requested
// with model served in the reply's "model" field, as OpenAI answers a
// request for "gpt-4.1-mini" with the snapshot "gpt-4.1-mini-2025-04-14".
// By default a reply names the model requested. The option may be given
// more than once.
func WithServedModel(requested, served string) Option {
	return func(o *options) {
		if o.served == nil {
			o.served = map[string]string{}
		}
		o.served[requested] = served
	}
}
