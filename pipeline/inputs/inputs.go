// Package inputs decides whether a command can read what it was given:
// article files and folders, "-" for standard input, web addresses, and
// feeds (URLs or files). It is asked once, before anything is read,
// fetched or sent, and answers with an [*Error] whose [Problem] the
// command words, naming its own flags and commands.
package inputs

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"regexp"
	"strings"

	"github.com/nl2en/nl2en/pipeline/outputs"
	"github.com/nl2en/nl2en/pipeline/redact"
	"github.com/nl2en/nl2en/pipeline/runner"
	"github.com/nl2en/nl2en/pipeline/webrun"
)

// Use is what a command does with its inputs.
type Use int

// The uses.
const (
	Translate Use = iota // articles: files, folders, pages, or stdin
	Feed                 // feeds: URLs or feed files
	Batch                // the Batch API: article files and folders only
	Inspect              // splitting only: files or stdin
	None                 // no inputs at all (doctor)
	Folder               // the output folder of batches, which must exist
)

// Problem is what is wrong with the inputs.
type Problem int

// The problems.
const (
	NoInput        Problem = iota + 1 // nothing given
	StdinMixed                        // "-" among other inputs
	StdinOneOut                       // stdin to stdout, with more than one output format
	FeedNotArticle                    // a feed given to translate
	WebForBatch                       // a web address given to the Batch API path
	FeedForBatch                      // a feed given to the Batch API path
	StdinForBatch                     // stdin given to the Batch API path
	StdinNotFeed                      // "-" given as a feed
	BadURL                            // an http(s) URL that does not parse
	OtherScheme                       // a URL of a scheme other than http and https
	NoSource                          // a feed source that is neither a URL nor a file
	FolderNotFeed                     // a folder given as a feed
	NotTaken                          // an input given to a command that takes none
	NoOut                             // no output folder, where the use needs one (feeds, batches)
	OneFolder                         // not one folder given where one is needed
	NotAFolder                        // a folder needed, and the input is none
)

// Error is inputs a command cannot read.
type Error struct {
	Problem Problem
	// Input is the input at fault, as given ("" for NoInput).
	Input string
	// Err is what the file system said, for NoSource.
	Err error
}

func (e *Error) Error() string {
	in := runner.SafeName(e.Input)
	if outputs.IsWeb(e.Input) || strings.Contains(e.Input, "://") {
		in = redact.URL(e.Input)
	}
	switch e.Problem {
	case NoInput:
		return "no input"
	case StdinMixed:
		return "- (stdin) cannot be mixed with other inputs"
	case StdinOneOut:
		return "stdin to stdout takes one output format"
	case FeedNotArticle, FeedForBatch:
		return in + " is a feed, not an article"
	case WebForBatch:
		return in + " is a web address: the Batch API path takes article files and folders"
	case StdinForBatch:
		return "stdin cannot be batched"
	case StdinNotFeed:
		return "- (stdin) is not a feed source"
	case BadURL:
		return in + " is not a valid URL"
	case OtherScheme:
		return in + ": only http and https are fetched"
	case NoSource:
		return fmt.Sprintf("%s is neither an http(s) URL nor a file: %v", in, e.Err)
	case FolderNotFeed:
		return in + " is a folder, not a feed"
	case NotTaken:
		return "takes no inputs, and was given " + in
	case NoOut:
		return "no output folder"
	case OneFolder:
		return "needs one folder"
	case NotAFolder:
		return in + " is not a folder"
	}
	return fmt.Sprintf("input %s: problem %d", in, e.Problem)
}

func (e *Error) Unwrap() error { return e.Err }

// Check checks inputs for a use: every input of the use's kind, stdin
// alone, an output folder where the use needs one (out), and, for stdin
// to stdout, a single output format.
func Check(use Use, in []string, out string, formats int) error {
	switch {
	case use == None && len(in) > 0:
		return &Error{Problem: NotTaken, Input: in[0]}
	case use == None:
		return nil
	case use == Folder && len(in) != 1:
		return &Error{Problem: OneFolder}
	case use == Folder:
		if info, err := os.Stat(in[0]); err != nil || !info.IsDir() {
			return &Error{Problem: NotAFolder, Input: in[0]}
		}
		return nil
	case len(in) == 0:
		return &Error{Problem: NoInput}
	}
	for _, p := range in {
		if p == "-" && len(in) > 1 {
			return &Error{Problem: StdinMixed, Input: p}
		}
		if err := check(use, p); err != nil {
			return err
		}
	}
	if out == "" && (use == Feed || use == Batch) {
		return &Error{Problem: NoOut}
	}
	if in[0] == "-" && out == "" && formats > 1 {
		return &Error{Problem: StdinOneOut, Input: "-"}
	}
	return nil
}

func check(use Use, p string) error {
	bad := func(pr Problem) error { return &Error{Problem: pr, Input: p} }
	if use != Feed && otherScheme(p) {
		return bad(OtherScheme)
	}
	switch use {
	case Translate:
		if webrun.IsFeedFile(p) {
			return bad(FeedNotArticle)
		}
	case Batch:
		switch {
		case p == "-":
			return bad(StdinForBatch)
		case outputs.IsWeb(p):
			// The replies come back hours later and collect reads each
			// article again from its file, which a page lacks.
			return bad(WebForBatch)
		case webrun.IsFeedFile(p):
			return bad(FeedForBatch)
		}
	case Feed:
		return checkFeed(p)
	}
	return nil
}

// scheme is how a URL begins (RFC 3986): "ftp://", "file://".
var scheme = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9+.-]*://`)

// otherScheme reports whether p is the address of another scheme than
// http and https, and not a file that happens to look like one.
func otherScheme(p string) bool {
	if !scheme.MatchString(p) || outputs.IsWeb(p) {
		return false
	}
	_, err := os.Stat(p)
	return err != nil
}

func checkFeed(p string) error {
	bad := func(pr Problem) error { return &Error{Problem: pr, Input: p} }
	switch {
	case p == "-":
		return bad(StdinNotFeed)
	case outputs.IsWeb(p):
		if u, err := url.Parse(p); err != nil || u.Host == "" {
			return bad(BadURL)
		}
		return nil
	case strings.Contains(p, "://"):
		return bad(OtherScheme)
	}
	info, err := os.Stat(p)
	switch {
	case err != nil:
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return &Error{Problem: NoSource, Input: p, Err: err}
	case info.IsDir():
		return bad(FolderNotFeed)
	}
	return nil
}
