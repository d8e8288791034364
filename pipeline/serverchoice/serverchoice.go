// Package serverchoice decides which API server a run talks to when the
// user did not say: nl2en's zero configuration.
//
// A run with neither a key nor a base URL (a placeholder key such as
// "sk-..." counts as none) whose stderr is a terminal, or any run given
// the base URL [Auto], looks for a local server with [local.Probe] and
// uses it, with the model the user set or the one [local.Pick] chooses.
// A run without a terminal and without Auto never looks: a cron job that
// lost its environment must not switch to whatever listens on a local
// port. A dry run never looks either: it sends nothing and needs no
// server.
//
// [Choose] returns the settings to run with, and errors that say what
// happened ([*NotFoundError], [*NoModelError]); the command words the
// fix, naming its flags and variables.
package serverchoice

import (
	"context"
	"fmt"
	"strings"

	"github.com/nl2en/nl2en/pipeline/job"
	"github.com/nl2en/nl2en/pipeline/llm"
	"github.com/nl2en/nl2en/pipeline/local"
)

// Auto is the base URL that asks for a local server to be found.
const Auto = "auto"

// IsAuto reports whether a base URL asks for a local server.
func IsAuto(baseURL string) bool { return strings.EqualFold(strings.TrimSpace(baseURL), Auto) }

// Request is what the choice rests on.
type Request struct {
	// Settings are the settings as read; their BaseURL may be Auto.
	Settings job.Settings
	// BaseURLGiven and ModelGiven say whether the user set the base URL
	// and the model (by flag, environment or settings file).
	BaseURLGiven, ModelGiven bool
	// Terminal says that stderr is a terminal: someone is watching.
	Terminal bool
	// Candidates are where to look; nil is [local.Candidates]. Tests
	// point it at their own servers: nothing else may probe real ports.
	Candidates []local.Candidate
}

// Choice is what [Choose] decided.
type Choice struct {
	// Settings are the settings to run with: the local server's base URL
	// and model when one was chosen, else those given.
	Settings job.Settings
	// Server is the local server chosen; nil when none was looked for.
	Server *local.Server
	// Model says how its model was chosen.
	Model local.Choice
	// Auto says that the base URL Auto asked for the search.
	Auto bool
}

// Validate checks settings once, as job.Settings.Validate does; when the
// run may use a local server (live), the base URL may be Auto, which the
// server found replaces.
func Validate(s job.Settings, live bool) error {
	if live && IsAuto(s.BaseURL) {
		s.BaseURL = ""
	}
	return s.Defaults().Validate()
}

// Looks reports whether a run of r looks for a local server.
func Looks(r Request) bool {
	s := r.Settings
	switch {
	case s.DryRun:
		return false
	case IsAuto(s.BaseURL):
		return true
	}
	baseSet := r.BaseURLGiven && strings.TrimSpace(s.BaseURL) != ""
	return llm.IsPlaceholderKey(s.APIKey) && !baseSet && r.Terminal
}

// Choose returns the settings a run uses: a local server when the run
// looks for one (see [Looks]), else the settings given, with Auto
// replaced by the default base URL (a dry run with Auto needs no server).
func Choose(ctx context.Context, r Request) (Choice, error) {
	c := Choice{Settings: r.Settings, Auto: IsAuto(r.Settings.BaseURL)}
	looks := Looks(r)
	if c.Auto {
		c.Settings.BaseURL = "" // the default, until a server is found
	}
	if !looks {
		return c, nil
	}
	cands := r.Candidates
	if cands == nil {
		cands = local.Candidates()
	}
	key := ""
	if !llm.IsPlaceholderKey(r.Settings.APIKey) {
		key = r.Settings.APIKey // with Auto, for a local server started with a key
	}
	srv, err := local.Probe(ctx, cands, local.Options{APIKey: key})
	if nf, ok := err.(*local.NotFoundError); ok {
		return c, &NotFoundError{Err: nf, Auto: c.Auto}
	}
	if err != nil {
		return c, err
	}
	want := ""
	if r.ModelGiven {
		want = r.Settings.Model
	}
	choice, err := local.Pick(srv.IDs(), want)
	if err != nil {
		return c, &NoModelError{Server: srv, Err: err}
	}
	c.Settings.BaseURL, c.Settings.Model = srv.BaseURL, choice.Model
	c.Server, c.Model = &srv, choice
	return c, nil
}

// NotFoundError is a search that found no usable local server.
type NotFoundError struct {
	Err *local.NotFoundError
	// Auto says that the base URL Auto asked for the search; otherwise
	// nothing was configured.
	Auto bool
}

func (e *NotFoundError) Error() string {
	switch {
	case len(e.Err.Answered) > 0:
		return e.Err.Error()
	case e.Auto:
		return "base URL auto: " + e.Err.Error()
	}
	return "no API is configured, and " + e.Err.Error()
}

func (e *NotFoundError) Unwrap() error { return e.Err }

// Answered is the first server that answered but cannot be used, if any.
func (e *NotFoundError) Answered() (local.Answer, bool) {
	if len(e.Err.Answered) == 0 {
		return local.Answer{}, false
	}
	return e.Err.Answered[0], true
}

// NoModelError is a local server whose list holds no model that can
// chat.
type NoModelError struct {
	Server local.Server
	Err    error
}

func (e *NoModelError) Error() string {
	return fmt.Sprintf("%s at %s: %v", e.Server.Name(), e.Server.BaseURL, e.Err)
}

func (e *NoModelError) Unwrap() error { return e.Err }
