package main

import (
	"cmp"
	"fmt"
	"log/slog"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/nl2en/nl2en/pipeline"
	"github.com/nl2en/nl2en/pipeline/cliargs"
	"github.com/nl2en/nl2en/pipeline/httpenv"
	"github.com/nl2en/nl2en/pipeline/job"
	"github.com/nl2en/nl2en/pipeline/llm"
	"github.com/nl2en/nl2en/pipeline/render"
	"github.com/nl2en/nl2en/pipeline/split"
	"github.com/nl2en/nl2en/pipeline/translate"
	"github.com/nl2en/nl2en/pipeline/webrun"
)

func newApp(s *streams) *cli.App {
	app := &cli.App{
		Name:      "nl2en",
		Usage:     "translate Dutch news articles into English Markdown and JSON",
		Version:   version,
		Reader:    s.stdin,
		Writer:    s.stdout,
		ErrWriter: s.stderr,
		// Exit codes are decided in one place, codeOf; urfave must not exit.
		ExitErrHandler: func(*cli.Context, error) {},
		Flags:          flags("env-file"),
		Commands: []*cli.Command{
			translateCommand(s), feedCommand(s), batchCommand(s), inspectCommand(s),
			doctorCommand(s), promptsCommand(s), schemaCommand(s), namesCommand(s),
		},
	}
	cliargs.Guard(app, s.args, func(msg string) error { return usagef("%s", msg) }, &s.unknown)
	return app
}

// flagDef is one flag: its help group (so that translate --help is a few
// short lists), and the pipeline's name for its setting when it has one.
// A name "cmd:flag" is the flag's variant for one command.
type flagDef struct {
	name, alias, env, cat string
	value                 any
	usage                 string
	setting               job.Setting
}

// flagDefs are every flag of every command, in one table.
var flagDefs = []flagDef{
	{"env-file", "", "NL2EN_ENV_FILE", "API", "", "read settings from this file instead of .env (the real environment wins over it)", 0},
	{"api-key", "", "OPENAI_API_KEY", "API", "", "API key (prefer the environment: flags show in ps)", 0},
	{"base-url", "", "OPENAI_BASE_URL", "API", llm.DefaultBaseURL, "base URL of an OpenAI-compatible API, or auto to find a local server (Ollama, LM Studio, llama.cpp, vLLM)", job.SettingBaseURL},
	{"model", "", "NL2EN_MODEL", "API", job.DefaultModel, "model name (Azure: the deployment name)", job.SettingModel},
	{"azure", "", "NL2EN_AZURE", "API", false, "use Azure OpenAI (detected from an *.openai.azure.com base URL)", 0},
	{"azure-api-version", "", "OPENAI_API_VERSION", "API", llm.DefaultAzureAPIVersion, "Azure OpenAI API version (2024-08-01-preview or later for structured output)", 0},
	{"timeout", "", "NL2EN_TIMEOUT", "API", job.DefaultTimeout, "time limit for one API request", job.SettingTimeout},
	{"max-retries", "", "NL2EN_MAX_RETRIES", "API", job.DefaultMaxRetries, "retries of a request after a transient failure", job.SettingMaxRetries},
	{"concurrency", "", "NL2EN_CONCURRENCY", "API", job.DefaultConcurrency, "API requests in flight at once", job.SettingConcurrency},
	{"inspect:concurrency", "", "NL2EN_CONCURRENCY", "API", job.DefaultConcurrency, "API requests in flight at once: one article is planned over them as translate would", 0},
	{"token-budget", "", "NL2EN_TOKEN_BUDGET", "API", translate.DefaultTokenBudget, "most source tokens in one translation request", job.SettingTokenBudget},
	{"rpm", "", "NL2EN_RPM", "API", 0, "requests per minute the API allows (0: no limit but the server's 429s)", job.SettingRPM},
	{"tpm", "", "NL2EN_TPM", "API", 0, "tokens per minute the API allows (0: no limit but the server's 429s)", job.SettingTPM},
	{"offline", "", "", "API", false, "send nothing: check only what needs no server (key set, price, folders)", 0},
	{"prompts", "", "NL2EN_PROMPTS", "checks", "", "folder whose prompt files replace the built-in ones", job.SettingPromptsDir},
	{"glossary", "", "NL2EN_GLOSSARY", "checks", "", "CSV or TSV of Dutch term → English form, laid over the built-in glossary", job.SettingGlossaryFile},
	{"strict", "", "NL2EN_STRICT", "checks", false, "fail segments whose checks (numbers, names, quotes, glossary) still fail after a repair, instead of warning", job.SettingStrict},
	{"english", "", "NL2EN_ENGLISH", "checks", string(pipeline.EnglishGB), "the English to write: gb (1 December 2022, 7.15am) or us (December 1, 2022, 7:15 a.m.)", job.SettingEnglish},
	{"style", "", "NL2EN_STYLE", "checks", "", "house style file: lines of prefer<TAB>avoid[<TAB>note] (Kyiv<TAB>Kiev); it wins over --english", job.SettingStyleFile},
	{"no-names", "", "", "checks", false, "neither read nor learn the names memory (names.tsv in --out)", job.SettingNames},
	{"allow-partial", "", "", "checks", false, "render segments that could not be translated in Dutch, marked, instead of failing the article", job.SettingAllowPartial},
	{"recheck", "", "", "checks", false, "redo every article, asking the model again for segments the cache holds (kept warnings included); the answers are cached", 0},
	{"input-format", "", "NL2EN_INPUT_FORMAT", "input", "", "force the input format: txt, md or html (default: from the extension or content)", job.SettingInputFormat},
	{"max-bytes", "", "NL2EN_MAX_BYTES", "input", int64(split.DefaultMaxBytes), "largest input file accepted", job.SettingMaxBytes},
	{"out", "o", "NL2EN_OUT", "output", "", "write outputs into this folder instead of beside each input", job.SettingOut},
	{"feed:out", "o", "NL2EN_OUT", "output", "", "the folder where each feed gets a folder of its own, with its outputs, state and English feed (required)", 0},
	{"format", "f", "", "output", "", "outputs to write, comma-separated: " + strings.Join(render.FormatNames(), ", ") + " (default md,json; stdin: the first to stdout unless --out)", job.SettingFormat},
	{"feed:format", "f", "", "output", "", "outputs to write, comma-separated: " + strings.Join(render.FormatNames(), ", ") + " (default md,json,html: the English feed links each entry to its review page)", 0},
	{"inspect:format", "f", "", "output", "table", "table or json", 0},
	{"names:format", "f", "", "output", "table", "table or json", 0},
	{"template", "", "NL2EN_TEMPLATE", "output", "", "render NAME.en.md (or stdout) through this Go text/template, whose data is the JSON document; the JSON is written too", job.SettingTemplate},
	{"report", "", "NL2EN_REPORT", "output", "", "write the run report here (default: report.json in --out)", job.SettingReport},
	{"log-format", "", "NL2EN_LOG_FORMAT", "output", "text", "text or json: every line on stderr", 0},
	{"quiet", "q", "", "output", false, "print errors only", 0},
	{"verbose", "v", "", "output", false, "print debug detail", 0},
	{"include", "", "", "folders and cron", []string(nil), "glob of files to take from folders (repeatable; default **/*.txt, **/*.md, **/*.html)", job.SettingInclude},
	{"exclude", "", "", "folders and cron", []string(nil), "glob of files or folders to leave out (repeatable)", job.SettingExclude},
	{"follow-symlinks", "", "", "folders and cron", false, "follow symbolic links found in folders, to folders and to files", 0},
	{"force", "", "", "folders and cron", false, "redo articles whose outputs are up to date", 0},
	{"redo-stale", "", "", "folders and cron", false, "redo articles whose outputs were made with other settings (another nl2en version, model, prompt, glossary, house style or English) instead of keeping them", 0},
	{"prune", "", "", "folders and cron", false, "remove outputs whose source is gone (a run over folders lists them in its report)", 0},
	{"wait", "", "", "folders and cron", false, "wait for another run's lock instead of exiting", 0},
	{"deadline", "", "NL2EN_DEADLINE", "folders and cron", time.Duration(0), "time limit for the whole run (0: none); articles not done by then fail", 0},
	{"cache-dir", "", "NL2EN_CACHE_DIR", "folders and cron", "", "segment cache folder (default: nl2en/segments-v1 in the user cache folder)", 0},
	{"no-cache", "", "NL2EN_NO_CACHE", "folders and cron", false, "neither read nor write the segment cache", 0},
	{"resubmit", "", "", "folders and cron", false, "leave articles with failed requests for the next submit instead of finishing them live", 0},
	{"dry-run", "n", "", "cost", false, "print the plan (articles, segments, requests, tokens, cost) and send nothing", 0},
	{"max-cost", "", "NL2EN_MAX_COST", "cost", 0.0, "most US dollars the run may spend; no article starts once its estimate would pass it", job.SettingMaxCost},
	{"price-in", "", "NL2EN_PRICE_IN", "cost", 0.0, "input price in USD per million tokens, for a model the price table lacks or to override it", job.SettingPriceIn},
	{"price-out", "", "NL2EN_PRICE_OUT", "cost", 0.0, "output price in USD per million tokens", job.SettingPriceOut},
	{"prices", "", "NL2EN_PRICES", "cost", "", "CSV of prices (model,input,cached_input,output per million tokens) laid over the built-in table", job.SettingPricesFile},
	{"max-items", "", "NL2EN_MAX_ITEMS", "feeds and URLs", webrun.DefaultMaxItems, "most new and changed items one feed gives one run (newest first), and entries its English feed keeps", job.SettingMaxItems},
	{"feed-url", "", "NL2EN_FEED_URL", "feeds and URLs", "", "URL under which --out is published: the English feeds' links become absolute under it (default: relative)", job.SettingFeedURL},
	{"allow-private", "", "", "feeds and URLs", false, "fetch from loopback, private and link-local addresses too (refused by default: a feed's link must not reach your intranet or a cloud metadata service)", 0},
}

// The flags of the commands, by name; clipped, so that a command that
// appends to them gets a list of its own.
var (
	apiNames       = []string{"env-file", "api-key", "base-url", "model", "azure", "azure-api-version", "timeout", "max-retries", "concurrency", "token-budget", "prompts", "glossary", "strict", "english", "style"}
	translateNames = slices.Clip(slices.Concat(apiNames, []string{"input-format", "max-bytes", "log-format", "quiet", "verbose",
		"out", "format", "template", "allow-partial", "no-names", "deadline", "include", "exclude", "follow-symlinks", "force", "redo-stale", "prune",
		"cache-dir", "no-cache", "recheck", "rpm", "tpm", "wait", "report", "dry-run", "max-cost", "price-in", "price-out", "prices"}))
)

// flags makes the named flags anew (a flag holds its command's value).
func flags(names ...string) []cli.Flag {
	var out []cli.Flag
	for _, n := range names {
		d := flagDefs[slices.IndexFunc(flagDefs, func(d flagDef) bool { return d.name == n })]
		_, name, ok := strings.Cut(d.name, ":")
		if !ok {
			name = d.name
		}
		out = append(out, cliargs.Def{Name: name, Alias: d.alias, Env: d.env, Category: d.cat, Value: d.value, Usage: d.usage}.Flag())
	}
	return out
}

// settingFlag is the flag, and its variable, of a setting the pipeline
// found wrong.
func settingFlag(st job.Setting) (flag, env string) {
	for _, d := range flagDefs {
		if d.setting == st {
			return d.name, d.env
		}
	}
	return "", ""
}

// readEnvFile reads .env, or the file --env-file or NL2EN_ENV_FILE names,
// into the flags the command line and the environment left unset. The
// process environment is not changed; the proxy and TLS variables the
// file sets reach the API's connections through s.transport.
func (s *streams) readEnvFile(c *cli.Context) error {
	path := cmp.Or(c.String("env-file"), ".env")
	file, err := cliargs.ReadSettingsFile(c, path, c.String("env-file") != "")
	if err == nil {
		if s.transport, err = httpenv.From(file, os.LookupEnv); err != nil {
			err = fmt.Errorf("env file %s: %w", path, err)
		}
	}
	if err != nil {
		return usagef("%v: fix it, or pass another with --env-file", err)
	}
	return nil
}

// newLogger builds the logger on stderr from the log flags; with
// --log-format json every line on stderr is JSON from then on.
func (s *streams) newLogger(c *cli.Context, bar bool) (*slog.Logger, error) {
	log, ok := s.con.Logger(c.String("log-format"), c.Bool("quiet"), c.Bool("verbose"), bar)
	if !ok {
		return nil, usagef("--log-format %q: use text or json", c.String("log-format"))
	}
	return log, nil
}

// say writes one line on stderr.
func (s *streams) say(level slog.Level, format string, args ...any) {
	s.con.Say(level, fmt.Sprintf(format, args...))
}
