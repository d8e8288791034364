package doctor

import (
	"fmt"
	"io"

	"github.com/nl2en/nl2en/pipeline/local"
)

// Context is the context the context check advises giving the server:
// Tokens, the smallest power of two from 4,096 that holds the largest
// request (the model's own most when that is less), or, when ModelTooSmall,
// the most the model allows, too little for a translation request or
// already given.
func (r Result) Context() (tokens int, modelTooSmall bool) {
	n := 4096
	for n < r.Needs.Summary {
		n *= 2
	}
	if r.Trained > 0 && r.Trained < n {
		if r.Trained < r.Needs.Translate || r.Window >= r.Trained {
			return r.Trained, true
		}
		n = r.Trained // the most it can give
	}
	return n, false
}

// Write writes the checklist: a head line naming the setup, one line a
// check, each that is not ok followed by fix's words (fix names the
// caller's flags), and the counts.
func (r *Report) Write(w io.Writer, fix func(Result) string) error {
	kind := ""
	if r.Kind != local.Unknown {
		kind = " (" + r.Kind.String() + ")"
	}
	if r.BaseURL == "" {
		fmt.Fprintln(w, "nl2en doctor: no server found")
	} else {
		fmt.Fprintf(w, "nl2en doctor: %s%s, model %s\n", r.BaseURL, kind, r.Model)
	}
	for _, x := range r.Results {
		line := fmt.Sprintf("%-8s %-18s %s", x.Status, x.Check.String(), x.Detail)
		if f := fix(x); f != "" {
			line += "; " + f
		}
		fmt.Fprintln(w, line)
	}
	warnings := "warnings"
	if r.Count(Warning) == 1 {
		warnings = "warning"
	}
	_, err := fmt.Fprintf(w, "nl2en doctor: %d ok, %d %s, %d failed, %d skipped\n",
		r.Count(OK), r.Count(Warning), warnings, r.Count(Failed), r.Count(Skipped))
	return err
}
