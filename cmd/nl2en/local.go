package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/nl2en/nl2en/pipeline/job"
	"github.com/nl2en/nl2en/pipeline/llm"
	"github.com/nl2en/nl2en/pipeline/local"
)

// Zero configuration: a run with neither a key nor a base URL, on a
// terminal, or one given --base-url auto, looks for a local server
// (package local) and uses it, saying so. A run without a terminal and
// without auto never looks: a cron job that lost its environment must not
// switch to whatever listens on a local port.

// autoBaseURL is the base URL that asks for a local server to be found.
const autoBaseURL = "auto"

func isAuto(baseURL string) bool { return strings.EqualFold(strings.TrimSpace(baseURL), autoBaseURL) }

// wantsLocal reports whether a command should look for a local server.
// auto is whether --base-url auto (or OPENAI_BASE_URL=auto) was given.
func wantsLocal(c *cli.Context, s streams, set job.Settings, auto bool) bool {
	if set.DryRun {
		return false // a dry run sends nothing and needs no server
	}
	if auto {
		return true
	}
	keySet := !llm.IsPlaceholderKey(c.String("api-key"))
	baseSet := c.IsSet("base-url") && strings.TrimSpace(c.String("base-url")) != ""
	return !keySet && !baseSet && isTerminal(s.stderr)
}

// useLocalServer finds a local server and returns the settings that use
// it, saying on stderr which server and model, unless quiet. The model
// set by the user, if any, wins over the server's list.
func useLocalServer(c *cli.Context, s streams, set job.Settings, auto, quiet bool) (job.Settings, error) {
	cands := s.local
	if cands == nil {
		cands = local.Candidates()
	}
	key := ""
	if !llm.IsPlaceholderKey(set.APIKey) {
		key = set.APIKey // asked for with auto, for a local server started with a key
	}
	srv, err := local.Probe(c.Context, cands, local.Options{APIKey: key})
	if err != nil {
		var nf *local.NotFoundError
		if errors.As(err, &nf) {
			return set, &localError{nf: nf, auto: auto}
		}
		return set, err
	}
	want := ""
	if c.IsSet("model") {
		want = set.Model
	}
	choice, err := local.Pick(srv.IDs(), want)
	if err != nil {
		return set, fmt.Errorf("%s at %s: %w: %s", srv.Name(), srv.BaseURL, err, pullHint(srv.Kind))
	}
	set.BaseURL, set.Model = srv.BaseURL, choice.Model
	if !quiet {
		fmt.Fprintf(s.stderr, "nl2en: using %s at %s, model %s%s\n", srv.Name(), srv.BaseURL, choice.Model, choiceNote(choice))
	}
	return set, nil
}

// choiceNote says how the model was chosen, when it was not the only one.
func choiceNote(c local.Choice) string {
	switch {
	case c.Reason == local.ReasonPreferred:
		return fmt.Sprintf(" (the first instruct or chat model of the %d it lists; choose with --model or NL2EN_MODEL)", c.Of)
	case c.Reason == local.ReasonFirst:
		return fmt.Sprintf(" (the first of the %d models it lists; choose with --model or NL2EN_MODEL)", c.Of)
	case c.Reason == local.ReasonSet && !c.Listed:
		return " (as set, though the server does not list it)"
	}
	return ""
}

// localError is a search for a local server that found none usable,
// worded with what to set.
type localError struct {
	nf   *local.NotFoundError
	auto bool
}

func (e *localError) Unwrap() error { return e.nf }

func (e *localError) Error() string {
	prefix := ""
	switch {
	case len(e.nf.Answered) > 0:
	case e.auto:
		prefix = "--base-url auto: "
	default:
		prefix = "no API is configured, and "
	}
	return prefix + e.nf.Error() + ": " + e.fix()
}

// fix says what to set or do.
func (e *localError) fix() string {
	if len(e.nf.Answered) > 0 {
		a := e.nf.Answered[0]
		switch a.Problem {
		case local.NeedsKey:
			return "set OPENAI_API_KEY to its key and OPENAI_BASE_URL=" + a.BaseURL
		case local.NoModels:
			return pullHint(a.Kind)
		case local.Loading:
			return "try again when it is ready"
		}
	}
	if e.auto {
		return "start a local server (Ollama, LM Studio, llama.cpp, vLLM), or set OPENAI_BASE_URL to its address"
	}
	return "set OPENAI_API_KEY for OpenAI, or OPENAI_BASE_URL for a local server (e.g. http://localhost:11434/v1)"
}

// pullHint says how to give a server a model that can chat.
func pullHint(k local.Kind) string {
	if k == local.Ollama {
		return "pull one, e.g. ollama pull qwen2.5:7b-instruct"
	}
	return "load a chat model in it"
}
