package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/nl2en/nl2en/pipeline/doctor"
	"github.com/nl2en/nl2en/pipeline/job"
	"github.com/nl2en/nl2en/pipeline/llm"
	"github.com/nl2en/nl2en/pipeline/local"
)

func doctorCommand(s streams) *cli.Command {
	flags := append(apiFlags(), logFlags()...)
	flags = append(flags, flagsNamed(translateFlags(), "out", "cache-dir", "no-cache", "rpm", "tpm", "price-in", "price-out", "prices")...)
	flags = append(flags, &cli.BoolFlag{Name: "offline", Usage: "send nothing: check only what needs no server (key set, price, folders)"})
	return &cli.Command{
		Name:  "doctor",
		Usage: "check the setup (server, key, model, structured output, context window, limits, price, folders) and print a checklist",
		Description: "Sends one translation request of one sentence to check structured output (said on stderr before it goes); " +
			"--offline sends nothing. Exits 0 when no check failed, 1 otherwise.",
		Flags: categorize(flags),
		Action: func(c *cli.Context) error {
			if c.NArg() > 0 {
				return usagef("doctor takes no arguments, only flags")
			}
			set, err := readSettings(c)
			if err != nil {
				return err
			}
			offline := c.Bool("offline")
			auto := isAuto(set.BaseURL)
			if auto {
				set.BaseURL = ""
			}
			set = set.Defaults()
			if err := set.Validate(); err != nil {
				return err
			}
			log, err := newLogger(c, s.stderr, nil)
			if err != nil {
				return err
			}
			quiet := c.Bool("quiet")
			var notFound error
			if !offline && wantsLocal(c, s, set, auto) {
				set, err = useLocalServer(c, s, set, auto, quiet)
				var le *localError
				switch {
				case errors.As(err, &le):
					notFound = le
				case err != nil:
					return err
				}
			}
			return runDoctor(c.Context, set, doctor.Options{Offline: offline, NotFound: notFound, Log: log}, s, quiet)
		},
	}
}

// flagsNamed picks flags out of a list by their names, so that a command
// shares another's flags without defining them twice.
func flagsNamed(all []cli.Flag, names ...string) []cli.Flag {
	var out []cli.Flag
	for _, n := range names {
		for _, f := range all {
			if f.Names()[0] == n {
				out = append(out, f)
			}
		}
	}
	return out
}

// runDoctor checks the setup and prints the checklist on stdout.
func runDoctor(ctx context.Context, set job.Settings, o doctor.Options, s streams, quiet bool) error {
	if !quiet {
		o.Sending = func(base, model string) {
			fmt.Fprintf(s.stderr, "nl2en: sending one translation request of one sentence to %s, model %s, to check structured output\n", base, model)
		}
	}
	rep, err := doctor.Run(ctx, set, o)
	if err != nil {
		return err
	}
	printDoctor(s.stdout, rep)
	if rep.Count(doctor.Failed) > 0 {
		return reportedError{exitFailure}
	}
	return nil
}

func printDoctor(w io.Writer, rep *doctor.Report) {
	kind := ""
	if rep.Kind != local.Unknown {
		kind = " (" + rep.Kind.String() + ")"
	}
	if rep.BaseURL == "" {
		fmt.Fprintln(w, "nl2en doctor: no server found")
	} else {
		fmt.Fprintf(w, "nl2en doctor: %s%s, model %s\n", rep.BaseURL, kind, rep.Model)
	}
	for _, r := range rep.Results {
		line := fmt.Sprintf("%-8s %-18s %s", r.Status, r.Check.String(), r.Detail)
		if f := doctorFix(rep, r); f != "" {
			line += "; " + f
		}
		fmt.Fprintln(w, line)
	}
	warnings := "warnings"
	if rep.Count(doctor.Warning) == 1 {
		warnings = "warning"
	}
	fmt.Fprintf(w, "nl2en doctor: %d ok, %d %s, %d failed, %d skipped\n",
		rep.Count(doctor.OK), rep.Count(doctor.Warning), warnings, rep.Count(doctor.Failed), rep.Count(doctor.Skipped))
}

// doctorFix says what to do about a check that is not ok, naming flags
// and variables; "" when there is nothing to do.
func doctorFix(rep *doctor.Report, r doctor.Result) string {
	switch r.Problem {
	case doctor.NoServerFound:
		var le *localError
		if errors.As(r.Err, &le) {
			return le.fix()
		}
		return "set OPENAI_API_KEY for OpenAI, or OPENAI_BASE_URL for a local server"
	case doctor.Unreachable, doctor.RequestFailed:
		return hint(r.Err)
	case doctor.NotAnAPI:
		return apiHints[llm.KindNotFound]
	case doctor.NoKey:
		return "set OPENAI_API_KEY in .env or the environment, or pass --api-key"
	case doctor.PlaceholderKey:
		return "set OPENAI_API_KEY to your real key"
	case doctor.KeyRejected:
		return apiHints[llm.KindUnauthorized]
	case doctor.ModelMissing:
		if len(r.Models) == 0 {
			return apiHints[llm.KindModelNotFound]
		}
		return "set NL2EN_MODEL (--model) to one it serves: " + listed(r.Models, 6)
	case doctor.ModelUnlisted:
		return "set NL2EN_MODEL (--model) to one it lists to be sure which translates: " + listed(r.Models, 6)
	case doctor.FormatRejected:
		return apiHints[llm.KindResponseFormat]
	case doctor.BadReply:
		return "use a model that follows the schema (NL2EN_MODEL), or a server that enforces json_schema"
	case doctor.ContextTooSmall:
		return contextFix(rep.Kind, r) + ", or lower --token-budget (NL2EN_TOKEN_BUDGET)"
	case doctor.SummaryCut, doctor.ContextUnsure:
		return contextFix(rep.Kind, r)
	case doctor.NoRateHeaders:
		return "set --rpm and --tpm (NL2EN_RPM, NL2EN_TPM) to the account's limits"
	case doctor.NoPrice:
		return "give --price-in and --price-out (NL2EN_PRICE_IN, NL2EN_PRICE_OUT), or --prices FILE"
	case doctor.NotWritable:
		if r.Check == doctor.CheckCache {
			return "set --cache-dir (NL2EN_CACHE_DIR) to a folder you can write, or pass --no-cache"
		}
		return "set --out (NL2EN_OUT) to a folder you can write"
	}
	return ""
}

// contextFix says how to give requests the context they need: the
// smallest power of two that holds the largest request.
func contextFix(k local.Kind, r doctor.Result) string {
	n := 4096
	for n < r.Needs.Summary {
		n *= 2
	}
	if r.Trained > 0 && r.Trained < n {
		if r.Trained < r.Needs.Translate || r.Window >= r.Trained {
			return fmt.Sprintf("the model allows at most %d tokens: use a model with a longer context", r.Trained)
		}
		n = r.Trained // the most it can give
	}
	switch k {
	case local.Ollama:
		return fmt.Sprintf("start Ollama with OLLAMA_CONTEXT_LENGTH=%d (or set PARAMETER num_ctx %d in the model's Modelfile)", n, n)
	case local.LlamaCpp:
		return fmt.Sprintf("start llama-server with -c %d per parallel slot (-c is shared among the -np slots)", n)
	case local.VLLM:
		return fmt.Sprintf("start vLLM with --max-model-len %d", n)
	}
	return fmt.Sprintf("give the server a context of %d tokens", n)
}

func listed(models []string, n int) string {
	if len(models) <= n {
		return strings.Join(models, ", ")
	}
	return strings.Join(models[:n], ", ") + fmt.Sprintf(" and %d more", len(models)-n)
}
