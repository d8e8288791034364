package main

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"

	"github.com/nl2en/nl2en/pipeline/doctor"
	"github.com/nl2en/nl2en/pipeline/fetch"
	"github.com/nl2en/nl2en/pipeline/inputs"
	"github.com/nl2en/nl2en/pipeline/job"
	"github.com/nl2en/nl2en/pipeline/llm"
	"github.com/nl2en/nl2en/pipeline/local"
	"github.com/nl2en/nl2en/pipeline/names"
	"github.com/nl2en/nl2en/pipeline/outputs"
	"github.com/nl2en/nl2en/pipeline/runner"
	"github.com/nl2en/nl2en/pipeline/serverchoice"
	"github.com/nl2en/nl2en/pipeline/split"
	"github.com/nl2en/nl2en/pipeline/translate"
	"github.com/nl2en/nl2en/pipeline/webrun"
)

// The fixes that more than one error needs, one wording each.
const (
	fixKey      = "set OPENAI_API_KEY in .env or the environment, or pass --api-key"
	fixValidKey = "set OPENAI_API_KEY (--api-key) to a valid key for this server"
	fixBaseURL  = "check OPENAI_BASE_URL (--base-url) and that the server is running"
	fixModel    = "set NL2EN_MODEL (--model) to a model it serves"
	fixLocal    = "set OPENAI_API_KEY for OpenAI, or OPENAI_BASE_URL for a local server (e.g. http://localhost:11434/v1)"
	fixChoose   = "; choose with --model or NL2EN_MODEL)"
	fixPartial  = "--allow-partial keeps the Dutch text instead"
)

// apiHints say what to do about each kind of API failure.
var apiHints = map[llm.Kind]string{
	llm.KindUnreachable:    fixBaseURL,
	llm.KindTimeout:        "raise --timeout (NL2EN_TIMEOUT) or try a smaller --token-budget",
	llm.KindUnauthorized:   fixValidKey,
	llm.KindForbidden:      "check the key's permissions for the model",
	llm.KindModelNotFound:  fixModel,
	llm.KindNotFound:       "check OPENAI_BASE_URL (--base-url); it usually ends in /v1",
	llm.KindQuota:          "check the plan and billing details",
	llm.KindRateLimited:    "lower --concurrency or raise --max-retries",
	llm.KindTooLarge:       "lower --token-budget",
	llm.KindContextLength:  "lower --token-budget, or give the server a larger context (Ollama: OLLAMA_CONTEXT_LENGTH)",
	llm.KindOutputFormat:   "a smaller --token-budget makes the replies shorter; else try another model (--model)",
	llm.KindResponseFormat: "use a model or server with structured output",
	llm.KindServer:         "try again later",
}

// inputHints say what to do about inputs a command cannot read.
var inputHints = map[inputs.Problem]string{
	inputs.NoInput:        "give article files, folders or URLs, or - to read stdin",
	inputs.StdinOneOut:    "give --out for more than one --format",
	inputs.FeedNotArticle: "nl2en feed %s --out DIR translates its new items and writes an English feed",
	inputs.WebForBatch:    "translate pages live (nl2en translate URL) and feeds with nl2en feed",
	inputs.FeedForBatch:   "the Batch API path takes article files and folders; nl2en feed %s --out DIR translates its new items live",
	inputs.StdinForBatch:  "give files or folders",
	inputs.StdinNotFeed:   "give feed URLs or files",
	inputs.FolderNotFeed:  "give feed URLs or feed files (nl2en translate reads folders of articles)",
	inputs.NotTaken:       "it takes only flags",
	inputs.NoOut:          "give --out: feeds and batches keep their state there",
	inputs.OneFolder:      "give the output folder the batches were submitted for",
	inputs.NotAFolder:     "give the output folder the batches were submitted for (nl2en batch submit DIR --out OUT)",
}

// explain is err as the one line the user reads: what happened and, when
// a setting would fix it, which.
func explain(err error) string {
	var se *job.SettingError
	if errors.As(err, &se) {
		return explainSetting(se)
	}
	return withHint(oneLine(err.Error()), err)
}

// withHint is msg, the words of err, and what fixes err, if anything.
func withHint(msg string, err error) string {
	if h := hint(err); h != "" {
		return msg + ": " + h
	}
	return msg
}

// hints say what fixes an error, in one table asked in order: the first
// row err passes gives the fix, one wording each (built from the error
// where it names something: the base URL to use, the input).
var hints = []struct {
	is  func(error) bool
	fix func(error) string
}{
	{as(func(e *llm.Error) bool { return e.NoKey }), say(fixKey)},
	{as(func(e *llm.Error) bool { return e.BaseURL != "" }), func(err error) string {
		return "set OPENAI_BASE_URL (--base-url) to " + errAs[*llm.Error](err).BaseURL
	}},
	{as(func(e *llm.Error) bool { return len(e.Served) > 0 }), say(fixModel)}, // the message names them
	{is[*llm.Error], func(err error) string { return apiHints[errAs[*llm.Error](err).Kind] }},
	{as(func(e *job.KeyError) bool { return e.Server == llm.Host(llm.DefaultBaseURL) }),
		say(fixKey + "; for a local server set OPENAI_BASE_URL, or pass --base-url auto to find one")},
	{is[*job.KeyError], say(fixKey)},
	{is[*inputs.Error], func(err error) string {
		ie := errAs[*inputs.Error](err)
		return strings.ReplaceAll(inputHints[ie.Problem], "%s", runner.SafeName(ie.Input))
	}},
	{is[*serverchoice.NotFoundError], func(err error) string { return localFix(errAs[*serverchoice.NotFoundError](err)) }},
	{is[*serverchoice.NoModelError], func(err error) string { return errAs[*serverchoice.NoModelError](err).Server.Kind.ModelFix() }},
	{as(func(e *translate.SegmentError) bool { return e.TooLong }), say(apiHints[llm.KindContextLength] + "; " + fixPartial)},
	{is[*translate.SegmentError], say(fixPartial)},
	{as(func(e *webrun.NotFeedError) bool { return len(e.Feeds) > 0 }), say("give the feed's URL instead")},
	{as(func(e *fetch.Error) bool { return e.Kind == fetch.KindTooLarge && e.Limit != fetch.DefaultMaxBytes }), say("raise --max-bytes (NL2EN_MAX_BYTES)")},
	{is[*translate.SummaryError], say("the model does not write usable English summaries: try another model (--model)")},
	{is[*outputs.HeldError], say("use --wait to wait for it")},
	{is[*job.DeadlineError], say("raise --deadline (NL2EN_DEADLINE)")},
	{is[*outputs.FolderError], say("give --out (NL2EN_OUT) a folder you can write to")},
	{is[*webrun.StateError], say("move the file away to read the feed afresh (its items then count as new, and its newest are translated again)")},
	{isErr(outputs.ErrLockLink), say("remove it; nl2en neither wrote into nor emptied the file it leads to")},
	{isErr(split.ErrTooLarge), say("raise --max-bytes or split the file")},
	{isErr(fs.ErrExist), say("use --force to overwrite")},
	{outputs.IsDiskFull, say("free space on the output disk or make it writable (or give --out another folder), then run again: what is done is kept")},
	{isFetch(fetch.KindRefused), say("pass --allow-private if you mean to fetch from that network")},
	{isFetch(fetch.KindDisallowed), say("nl2en honours robots.txt; save the page and translate the file, if the site allows it")},
	{isFetch(fetch.KindScheme), say("give an http or https URL")},
}

func is[T error](err error) bool { return errors.As(err, new(T)) }

// as is a row's test: err is a T for which ok holds.
func as[T error](ok func(T) bool) func(error) bool {
	return func(err error) bool {
		var e T
		return errors.As(err, &e) && ok(e)
	}
}

func errAs[T error](err error) (e T) { errors.As(err, &e); return e }

func say(fix string) func(error) string { return func(error) string { return fix } }
func isErr(target error) func(error) bool {
	return func(err error) bool { return errors.Is(err, target) }
}
func isFetch(k fetch.Kind) func(error) bool {
	return func(err error) bool { return fetch.IsKind(err, k) }
}

// hint says what fixes err, naming flags and environment variables; ""
// when there is nothing to say.
func hint(err error) string {
	for _, h := range hints {
		if h.is(err) {
			return h.fix(err)
		}
	}
	return ""
}

// explainSetting names the flag of a setting the pipeline found wrong.
func explainSetting(se *job.SettingError) string {
	name, env := settingFlag(se.Setting)
	flag := "--" + name
	if env != "" {
		flag += " (" + env + ")"
	}
	var ee *llm.EndpointError
	switch {
	case errors.As(se, &ee):
		return ee.Error() + ": set OPENAI_BASE_URL (--base-url) to " + ee.BaseURL
	case se.Setting == job.SettingBaseURL:
		return fmt.Sprintf("base URL %s %s: set OPENAI_BASE_URL (--base-url) to the API's base URL, such as http://localhost:11434/v1, or auto", se.Value, se.Problem)
	case se.Setting == job.SettingModel && se.Value == "":
		return "no model: " + fixModel
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
	case se.Value == "":
		return fmt.Sprintf("%s: %s", flag, se.Problem)
	case strings.HasPrefix(se.Problem, "is "):
		return fmt.Sprintf("%s: %s %s", flag, se.Value, se.Problem)
	}
	return fmt.Sprintf("%s %s: %s", flag, se.Value, se.Problem)
}

// localFix says what to set or do when no local server could be used.
func localFix(nf *serverchoice.NotFoundError) string {
	a, answered := nf.Answered()
	switch {
	case answered && a.Problem == local.NeedsKey:
		return "set OPENAI_API_KEY to its key and OPENAI_BASE_URL=" + a.BaseURL
	case answered:
		return a.Fix()
	case nf.Auto:
		return "start a local server (Ollama, LM Studio, llama.cpp, vLLM), or set OPENAI_BASE_URL to its address"
	}
	return fixLocal
}

// choiceNote says how the model of a local server was chosen, when it was
// not the only one.
func choiceNote(c serverchoice.Choice) string {
	how := c.Model.How()
	switch {
	case how == "":
		return ""
	case c.Model.Reason == local.ReasonSet:
		return " (" + how + ")"
	}
	return " (" + how + fixChoose
}

// doctorFixes say what to do about a check that is not ok, where the
// words are the same for every setup.
var doctorFixes = map[doctor.Problem]string{
	doctor.NotAnAPI:       apiHints[llm.KindNotFound],
	doctor.NoKey:          fixKey,
	doctor.PlaceholderKey: fixValidKey,
	doctor.KeyRejected:    fixValidKey,
	doctor.FormatRejected: apiHints[llm.KindResponseFormat],
	doctor.BadReply:       "use a model that follows the schema (NL2EN_MODEL), or a server that enforces json_schema",
	doctor.NoRateHeaders:  "set --rpm and --tpm (NL2EN_RPM, NL2EN_TPM) to the account's limits",
	doctor.NoPrice:        "give --price-in and --price-out (NL2EN_PRICE_IN, NL2EN_PRICE_OUT), or --prices FILE",
}

// doctorFix says what to do about a check that is not ok, naming flags
// and variables; "" when there is nothing to do.
func doctorFix(rep *doctor.Report, r doctor.Result) string {
	var nf *serverchoice.NotFoundError
	switch r.Problem {
	case doctor.NoServerFound:
		if errors.As(r.Err, &nf) {
			return localFix(nf)
		}
		return fixLocal
	case doctor.Unreachable, doctor.RequestFailed:
		return hint(r.Err)
	case doctor.ModelMissing:
		if len(r.Models) == 0 {
			return fixModel
		}
		return fixModel + ": " + llm.Listed(r.Models)
	case doctor.ModelUnlisted:
		return fixModel + ": " + llm.Listed(r.Models)
	case doctor.ContextTooSmall:
		return contextFix(rep.Kind, r) + ", or lower --token-budget (NL2EN_TOKEN_BUDGET)"
	case doctor.SummaryCut, doctor.ContextUnsure:
		return contextFix(rep.Kind, r)
	case doctor.NotWritable:
		if r.Check == doctor.CheckCache {
			return "set --cache-dir (NL2EN_CACHE_DIR) to a folder you can write, or pass --no-cache"
		}
		return "set --out (NL2EN_OUT) to a folder you can write"
	}
	return doctorFixes[r.Problem]
}

// contextFix says how to give requests the context doctor advises.
func contextFix(k local.Kind, r doctor.Result) string {
	if n, tooSmall := r.Context(); !tooSmall {
		return k.ContextFix(n)
	}
	n, _ := r.Context()
	return fmt.Sprintf("the model allows at most %d tokens: use a model with a longer context", n)
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
