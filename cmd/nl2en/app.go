package main

import (
	"io"
	"log/slog"

	"github.com/urfave/cli/v2"

	"github.com/nl2en/nl2en/pipeline"
	"github.com/nl2en/nl2en/pipeline/job"
	"github.com/nl2en/nl2en/pipeline/llm"
	"github.com/nl2en/nl2en/pipeline/local"
	"github.com/nl2en/nl2en/pipeline/split"
	"github.com/nl2en/nl2en/pipeline/translate"
	"github.com/nl2en/nl2en/pipeline/webrun"
)

// streams are the process's standard files, passed down so tests can
// replace them, the addresses where zero configuration looks for a
// local server (nil: local.Candidates), so tests can point it at their
// own, and the fetcher's clock, resolver and dialer.
type streams struct {
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	local  []local.Candidate
	// fetch, in tests, paces fetches without waiting and resolves and
	// dials as the test says; nil fields are the real ones.
	fetch webrun.Options
}

func newApp(s streams) *cli.App {
	app := &cli.App{
		Name:      "nl2en",
		Usage:     "translate Dutch news articles into English Markdown and JSON",
		Version:   version,
		Reader:    s.stdin,
		Writer:    s.stdout,
		ErrWriter: s.stderr,
		// Exit codes are decided in one place, exitCode; urfave must not exit.
		ExitErrHandler: func(*cli.Context, error) {},
		OnUsageError: func(_ *cli.Context, err error, _ bool) error {
			return usageError{err}
		},
		Flags: []cli.Flag{envFileFlag()},
		Commands: []*cli.Command{
			translateCommand(s),
			feedCommand(s),
			batchCommand(s),
			inspectCommand(s),
			doctorCommand(s),
			promptsCommand(s),
			schemaCommand(s),
			namesCommand(s),
		},
	}
	markUsageErrors(app.Commands)
	return app
}

// markUsageErrors makes flag errors of every command exit 2: urfave/cli
// does not pass the app's OnUsageError down to commands.
func markUsageErrors(cmds []*cli.Command) {
	for _, c := range cmds {
		c.OnUsageError = func(_ *cli.Context, err error, _ bool) error { return usageError{err} }
		markUsageErrors(c.Subcommands)
	}
}

// envFileFlag is read before parsing (see loadEnvFile); it is declared so
// that it is accepted and documented.
func envFileFlag() cli.Flag {
	return &cli.StringFlag{
		Name:    "env-file",
		Usage:   "load settings from this file instead of .env (the real environment wins over it)",
		EnvVars: []string{"NL2EN_ENV_FILE"},
	}
}

// modelFlag and tokenBudgetFlag are shared by the commands that plan
// requests without sending them.
func modelFlag() cli.Flag {
	return &cli.StringFlag{Name: "model", Usage: "model name (Azure: the deployment name)", Value: job.DefaultModel, EnvVars: []string{"NL2EN_MODEL"}}
}

func tokenBudgetFlag() cli.Flag {
	return &cli.IntFlag{Name: "token-budget", Usage: "most source tokens in one translation request", Value: translate.DefaultTokenBudget, EnvVars: []string{"NL2EN_TOKEN_BUDGET"}}
}

// apiFlags are the settings of the connection to the API and of what
// shapes a translation.
func apiFlags() []cli.Flag {
	return []cli.Flag{
		envFileFlag(),
		&cli.StringFlag{Name: "api-key", Usage: "API key (prefer the environment: flags show in ps)", EnvVars: []string{"OPENAI_API_KEY"}},
		&cli.StringFlag{Name: "base-url", Usage: "base URL of an OpenAI-compatible API, or auto to find a local server (Ollama, LM Studio, llama.cpp, vLLM)", Value: llm.DefaultBaseURL, EnvVars: []string{"OPENAI_BASE_URL"}},
		modelFlag(),
		&cli.BoolFlag{Name: "azure", Usage: "use Azure OpenAI (detected from an *.openai.azure.com base URL)", EnvVars: []string{"NL2EN_AZURE"}},
		&cli.StringFlag{Name: "azure-api-version", Usage: "Azure OpenAI API version (2024-08-01-preview or later for structured output)", Value: llm.DefaultAzureAPIVersion, EnvVars: []string{"OPENAI_API_VERSION"}},
		&cli.DurationFlag{Name: "timeout", Usage: "time limit for one API request", Value: job.DefaultTimeout, EnvVars: []string{"NL2EN_TIMEOUT"}},
		&cli.IntFlag{Name: "max-retries", Usage: "retries of a request after a transient failure", Value: job.DefaultMaxRetries, EnvVars: []string{"NL2EN_MAX_RETRIES"}},
		&cli.IntFlag{Name: "concurrency", Usage: "API requests in flight at once", Value: job.DefaultConcurrency, EnvVars: []string{"NL2EN_CONCURRENCY"}},
		tokenBudgetFlag(),
		&cli.StringFlag{Name: "prompts", Usage: "folder whose prompt files replace the built-in ones", EnvVars: []string{"NL2EN_PROMPTS"}},
		&cli.StringFlag{Name: "glossary", Usage: "CSV or TSV of Dutch term → English form, laid over the built-in glossary", EnvVars: []string{"NL2EN_GLOSSARY"}},
		&cli.BoolFlag{Name: "strict", Usage: "fail segments whose checks (numbers, names, quotes, glossary) still fail after a repair, instead of warning", EnvVars: []string{"NL2EN_STRICT"}},
		&cli.StringFlag{Name: "english", Usage: "the English to write: gb (1 December 2022, 7.15am) or us (December 1, 2022, 7:15 a.m.)", Value: string(pipeline.EnglishGB), EnvVars: []string{"NL2EN_ENGLISH"}},
		&cli.StringFlag{Name: "style", Usage: "house style file: lines of prefer<TAB>avoid[<TAB>note] (Kyiv<TAB>Kiev); it wins over --english", EnvVars: []string{"NL2EN_STYLE"}},
	}
}

// inputFlags are the settings of reading articles.
func inputFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "input-format", Usage: "force the input format: txt, md or html (default: from the extension or content)", EnvVars: []string{"NL2EN_INPUT_FORMAT"}},
		&cli.Int64Flag{Name: "max-bytes", Usage: "largest input file accepted", Value: split.DefaultMaxBytes, EnvVars: []string{"NL2EN_MAX_BYTES"}},
	}
}

// logFlags are the settings of diagnostics on stderr.
func logFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "log-format", Usage: "text or json", Value: "text", EnvVars: []string{"NL2EN_LOG_FORMAT"}},
		&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "print errors only"},
		&cli.BoolFlag{Name: "verbose", Aliases: []string{"v"}, Usage: "print debug detail"},
	}
}

// newLogger builds the logger on stderr from the log flags; a level other
// than the flags' own may be asked for (a progress bar lets only warnings
// through).
func newLogger(c *cli.Context, w io.Writer, level *slog.Level) (*slog.Logger, error) {
	l := slog.LevelInfo
	switch {
	case c.Bool("quiet"):
		l = slog.LevelError
	case c.Bool("verbose"):
		l = slog.LevelDebug
	}
	if level != nil {
		l = *level
	}
	opts := &slog.HandlerOptions{Level: l}
	switch c.String("log-format") {
	case "text", "":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	}
	return nil, usagef("--log-format %q: use text or json", c.String("log-format"))
}

// The help groups of the flags, so that translate --help is a few short
// lists instead of one long one.
const (
	catAPI     = "API"
	catInput   = "input"
	catOutput  = "output"
	catFolders = "folders and cron"
	catCost    = "cost"
	catChecks  = "checks"
	catFeeds   = "feeds and URLs"
)

// flagCategories puts each flag, by name, in its help group.
var flagCategories = map[string]string{
	"env-file": catAPI, "api-key": catAPI, "base-url": catAPI, "model": catAPI, "azure": catAPI,
	"azure-api-version": catAPI, "timeout": catAPI, "max-retries": catAPI, "concurrency": catAPI,
	"token-budget": catAPI, "rpm": catAPI, "tpm": catAPI, "offline": catAPI,

	"input-format": catInput, "max-bytes": catInput,

	"out": catOutput, "format": catOutput, "template": catOutput, "report": catOutput, "log-format": catOutput,
	"quiet": catOutput, "verbose": catOutput,

	"include": catFolders, "exclude": catFolders, "follow-symlinks": catFolders, "force": catFolders,
	"redo-stale": catFolders, "prune": catFolders, "wait": catFolders, "deadline": catFolders,
	"cache-dir": catFolders, "no-cache": catFolders, "resubmit": catFolders,

	"max-items": catFeeds, "feed-url": catFeeds, "allow-private": catFeeds,

	"dry-run": catCost, "max-cost": catCost, "price-in": catCost, "price-out": catCost, "prices": catCost,

	"prompts": catChecks, "glossary": catChecks, "strict": catChecks, "allow-partial": catChecks, "recheck": catChecks,
	"english": catChecks, "style": catChecks, "no-names": catChecks,
}

// categorize puts each of flags in its help group (see flagCategories).
func categorize(flags []cli.Flag) []cli.Flag {
	for _, f := range flags {
		cat := flagCategories[f.Names()[0]]
		switch f := f.(type) {
		case *cli.StringFlag:
			f.Category = cat
		case *cli.BoolFlag:
			f.Category = cat
		case *cli.IntFlag:
			f.Category = cat
		case *cli.Int64Flag:
			f.Category = cat
		case *cli.Float64Flag:
			f.Category = cat
		case *cli.DurationFlag:
			f.Category = cat
		case *cli.StringSliceFlag:
			f.Category = cat
		}
	}
	return flags
}
