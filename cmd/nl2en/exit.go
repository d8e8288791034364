package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"

	"github.com/nl2en/nl2en/pipeline/fetch"
	"github.com/nl2en/nl2en/pipeline/job"
	"github.com/nl2en/nl2en/pipeline/llm"
	"github.com/nl2en/nl2en/pipeline/names"
	"github.com/nl2en/nl2en/pipeline/outputs"
	"github.com/nl2en/nl2en/pipeline/split"
	"github.com/nl2en/nl2en/pipeline/translate"
	"github.com/nl2en/nl2en/pipeline/webrun"
)

// The output rules of the command: diagnostics go to stderr, one line
// each, prefixed "nl2en: ", lowercase, without a final period. The
// pipeline's errors say what happened; this file adds what to do about
// it, naming the flags and variables that fix it, and decides the exit
// code.

// Exit codes, documented in the README.
const (
	exitOK       = 0
	exitFailure  = 1   // an article failed, or the API or configuration is wrong
	exitUsage    = 2   // the command line is wrong
	exitCanceled = 130 // interrupted by Ctrl-C or SIGTERM
)

// usageError is a mistake in the command line.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func usagef(format string, args ...any) error {
	return usageError{fmt.Errorf(format, args...)}
}

// reportedError has been told to the user already; only its exit code is
// left to give.
type reportedError struct{ code int }

func (e reportedError) Error() string { return fmt.Sprintf("exit %d", e.code) }

// exitCode prints err as one line on stderr and returns the exit code.
func exitCode(err error, stderr io.Writer) int {
	var rep reportedError
	switch {
	case err == nil || errors.As(err, &rep):
	case errors.Is(err, context.Canceled):
		fmt.Fprintln(stderr, "nl2en: interrupted; nothing partial was written")
	default:
		fmt.Fprintf(stderr, "nl2en: %s\n", explain(err))
	}
	return codeOf(err)
}

// codeOf is the exit code err ends the command with, as exitCode decides
// it; runs.jsonl records it.
func codeOf(err error) int {
	var rep reportedError
	var ue usageError
	var se *job.SettingError
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &rep):
		return rep.code
	case errors.Is(err, context.Canceled):
		return exitCanceled
	case errors.As(err, &ue) || errors.As(err, &se):
		return exitUsage
	}
	return exitFailure
}

// explain is err as the one line the user reads: what happened and, when
// a setting would fix it, which.
func explain(err error) string {
	var se *job.SettingError
	if errors.As(err, &se) {
		return explainSetting(se)
	}
	msg := oneLine(err.Error())
	if h := hint(err); h != "" {
		msg += ": " + h
	}
	return msg
}

// hint says what fixes err, naming flags and environment variables; ""
// when there is nothing to say.
func hint(err error) string {
	var le *llm.Error
	var ke *job.KeyError
	var seg *translate.SegmentError
	var sum *translate.SummaryError
	var held *outputs.HeldError
	var out *outputs.FolderError
	var notFeed *webrun.NotFeedError
	var state *webrun.StateError
	var fe *fetch.Error
	switch {
	case errors.As(err, &le) && le.NoKey:
		return "set OPENAI_API_KEY in .env or the environment, or pass --api-key"
	case errors.As(err, &le) && le.BaseURL != "":
		return "set OPENAI_BASE_URL (--base-url) to " + le.BaseURL
	case errors.As(err, &le) && len(le.Served) > 0:
		return "set NL2EN_MODEL (--model) to one of them"
	case errors.As(err, &le):
		return apiHints[le.Kind]
	case errors.As(err, &ke) && ke.Server == llm.Host(llm.DefaultBaseURL):
		return "set OPENAI_API_KEY in .env or the environment, or pass --api-key; for a local server set OPENAI_BASE_URL, or pass --base-url auto to find one"
	case errors.As(err, &ke):
		return "set OPENAI_API_KEY in .env or the environment, or pass --api-key"
	case errors.As(err, &seg) && seg.TooLong:
		return apiHints[llm.KindContextLength] + "; --allow-partial keeps the Dutch text instead"
	case errors.As(err, &seg):
		return "--allow-partial keeps the Dutch text instead"
	case errors.As(err, &sum):
		return "the model does not write usable English summaries: try another model (--model)"
	case errors.As(err, &held):
		return "use --wait to wait for it"
	case errors.Is(err, outputs.ErrLockLink):
		return "remove it; nl2en neither wrote into nor emptied the file it leads to"
	case errors.Is(err, split.ErrTooLarge):
		return "raise --max-bytes or split the file"
	case errors.Is(err, fs.ErrExist):
		return "use --force to overwrite"
	case outputs.IsDiskFull(err):
		return "free space on the output disk or make it writable (or give --out another folder), then run again: what is done is kept"
	case errors.As(err, &out):
		return "give --out (NL2EN_OUT) a folder you can write to"
	case errors.As(err, &notFeed) && len(notFeed.Feeds) > 0:
		return "give the feed's URL instead"
	case errors.As(err, &state):
		return "move the file away to read the feed afresh (its items then count as new, and its newest are translated again)"
	case fetch.IsKind(err, fetch.KindRefused):
		return "pass --allow-private if you mean to fetch from that network"
	case fetch.IsKind(err, fetch.KindDisallowed):
		return "nl2en honours robots.txt; save the page and translate the file, if the site allows it"
	case fetch.IsKind(err, fetch.KindTooLarge) && errors.As(err, &fe) && fe.Limit != fetch.DefaultMaxBytes:
		return "raise --max-bytes (NL2EN_MAX_BYTES)"
	case fetch.IsKind(err, fetch.KindScheme):
		return "give an http or https URL"
	}
	return ""
}

// apiHints say what to do about each kind of API failure.
var apiHints = map[llm.Kind]string{
	llm.KindUnreachable:    "check OPENAI_BASE_URL (--base-url) and that the server is running",
	llm.KindTimeout:        "raise --timeout (NL2EN_TIMEOUT) or try a smaller --token-budget",
	llm.KindUnauthorized:   "set OPENAI_API_KEY (--api-key) to a valid key for this server",
	llm.KindForbidden:      "check the key's permissions for the model",
	llm.KindModelNotFound:  "set NL2EN_MODEL (--model) to a model it serves",
	llm.KindNotFound:       "check OPENAI_BASE_URL (--base-url); it usually ends in /v1",
	llm.KindQuota:          "check the plan and billing details",
	llm.KindRateLimited:    "lower --concurrency or raise --max-retries",
	llm.KindTooLarge:       "lower --token-budget",
	llm.KindContextLength:  "lower --token-budget, or give the server a larger context (Ollama: OLLAMA_CONTEXT_LENGTH)",
	llm.KindOutputFormat:   "a smaller --token-budget makes the replies shorter; else try another model (--model)",
	llm.KindResponseFormat: "use a model or server with structured output",
	llm.KindServer:         "try again later",
}

// settingFlags names the flag, and its environment variable, of each
// setting the pipeline may find wrong.
var settingFlags = map[job.Setting]struct{ flag, env string }{
	job.SettingBaseURL:      {"base-url", "OPENAI_BASE_URL"},
	job.SettingModel:        {"model", "NL2EN_MODEL"},
	job.SettingTimeout:      {"timeout", "NL2EN_TIMEOUT"},
	job.SettingMaxRetries:   {"max-retries", "NL2EN_MAX_RETRIES"},
	job.SettingConcurrency:  {"concurrency", "NL2EN_CONCURRENCY"},
	job.SettingTokenBudget:  {"token-budget", "NL2EN_TOKEN_BUDGET"},
	job.SettingRPM:          {"rpm", "NL2EN_RPM"},
	job.SettingTPM:          {"tpm", "NL2EN_TPM"},
	job.SettingMaxBytes:     {"max-bytes", "NL2EN_MAX_BYTES"},
	job.SettingInclude:      {"include", ""},
	job.SettingExclude:      {"exclude", ""},
	job.SettingMaxCost:      {"max-cost", "NL2EN_MAX_COST"},
	job.SettingPriceIn:      {"price-in", "NL2EN_PRICE_IN"},
	job.SettingPriceOut:     {"price-out", "NL2EN_PRICE_OUT"},
	job.SettingPricesFile:   {"prices", "NL2EN_PRICES"},
	job.SettingPromptsDir:   {"prompts", "NL2EN_PROMPTS"},
	job.SettingGlossaryFile: {"glossary", "NL2EN_GLOSSARY"},
	job.SettingOut:          {"out", "NL2EN_OUT"},
	job.SettingReport:       {"report", "NL2EN_REPORT"},
	job.SettingFormat:       {"format", ""},
	job.SettingTemplate:     {"template", "NL2EN_TEMPLATE"},
	job.SettingStrict:       {"strict", "NL2EN_STRICT"},
	job.SettingAllowPartial: {"allow-partial", ""},
	job.SettingEnglish:      {"english", "NL2EN_ENGLISH"},
	job.SettingStyleFile:    {"style", "NL2EN_STYLE"},
	job.SettingNames:        {"no-names", ""},
}

// explainSetting names the flag of a setting the pipeline found wrong.
func explainSetting(se *job.SettingError) string {
	f := settingFlags[se.Setting]
	flag := "--" + f.flag
	if f.env != "" {
		flag += " (" + f.env + ")"
	}
	var ee *llm.EndpointError
	switch {
	case errors.As(se, &ee):
		return ee.Error() + ": set OPENAI_BASE_URL (--base-url) to " + ee.BaseURL
	case se.Setting == job.SettingBaseURL:
		return fmt.Sprintf("base URL %s %s: set OPENAI_BASE_URL or --base-url, e.g. http://localhost:11434/v1", se.Value, se.Problem)
	case se.Setting == job.SettingModel && se.Value == "":
		return "no model: set NL2EN_MODEL or --model"
	case errors.Is(se, job.ErrNoPrice):
		return fmt.Sprintf("--max-cost %s %s: give --price-in and --price-out, or --prices FILE", se.Value, se.Problem)
	case se.Setting == job.SettingGlossaryFile || se.Setting == job.SettingPricesFile || se.Setting == job.SettingStyleFile && se.Value == "":
		return oneLine(se.Error()) + ": fix the line, or see the README for the file's format (" + flag + ")"
	case se.Setting == job.SettingNames:
		return oneLine(se.Error()) + ": fix the line (the header is " + strings.ReplaceAll(names.Header, "\t", " TAB ") + "), or pass --no-names to run without the names memory"
	case se.Setting == job.SettingPromptsDir:
		return oneLine(se.Error()) + ": fix " + flag
	case se.Problem == "" && se.Err != nil:
		return fmt.Sprintf("%s %s: %s", flag, se.Value, oneLine(se.Err.Error()))
	}
	if se.Value == "" {
		return fmt.Sprintf("%s: %s", flag, se.Problem)
	}
	return fmt.Sprintf("%s %s: %s", flag, se.Value, se.Problem)
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
