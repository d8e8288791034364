package render

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/nl2en/nl2en/pipeline"
)

// Names of the built-in formats, as the command line gives them.
const (
	NameMarkdown  = "md"
	NameJSON      = "json"
	NameHTML      = "html"
	NameBilingual = "bilingual"
)

// Format is one kind of output file: the name the command line calls it,
// the suffix that takes the place of an input's extension, how it is
// rendered, and how the stamp it carries is read back. Everything that
// chooses between outputs (the runner's rendering, the output folder's
// up-to-date checks and "is this an output?", the command's --format)
// asks the list [Formats], so that a new format is one entry here and not
// a hunt through packages.
type Format struct {
	// Name is what the command line calls the format.
	Name string
	// Suffix replaces the input's extension: "a.txt" gets "a" + Suffix.
	Suffix string
	render func(w io.Writer, res *pipeline.Result, m Meta) error
	// stamp reads back the stamp the output was written with; nil for a
	// format that carries none (a user's template), whose output is up to
	// date when it exists and the stamped outputs beside it are.
	stamp func(r io.Reader) (Stamp, error)
}

// Formats returns the built-in formats, in the order the README lists them.
func Formats() []Format {
	return []Format{
		{Name: NameMarkdown, Suffix: ".en.md", render: markdownFormat, stamp: readFrontMatterStamp},
		{Name: NameJSON, Suffix: ".en.json", render: JSON, stamp: readJSONStamp},
		{Name: NameHTML, Suffix: ".en.html", render: HTML, stamp: readHTMLStamp},
		{Name: NameBilingual, Suffix: ".nl-en.md", render: Bilingual, stamp: readFrontMatterStamp},
	}
}

// DefaultFormats are the outputs written when none are asked for.
func DefaultFormats() []Format {
	f, _ := FormatsNamed(NameMarkdown, NameJSON)
	return f
}

// Named returns the built-in format called name ("markdown" is "md"),
// whatever its case.
func Named(name string) (Format, bool) {
	name = strings.ToLower(strings.TrimSpace(name))
	if name == "markdown" {
		name = NameMarkdown
	}
	for _, f := range Formats() {
		if f.Name == name {
			return f, true
		}
	}
	return Format{}, false
}

// FormatsNamed returns the built-in formats with the given names, in that
// order, or an error naming the first unknown one.
func FormatsNamed(names ...string) ([]Format, error) {
	out := make([]Format, 0, len(names))
	for _, n := range names {
		f, ok := Named(n)
		if !ok {
			return nil, fmt.Errorf("unknown output format %q (known: %s)", n, strings.Join(FormatNames(), ", "))
		}
		out = append(out, f)
	}
	return out, nil
}

// FormatNames lists the names of the built-in formats.
func FormatNames() []string {
	var names []string
	for _, f := range Formats() {
		names = append(names, f.Name)
	}
	return names
}

// IsOutput reports whether a file name ends the way one of the formats'
// outputs does, whatever its case: such a file is never an input.
func IsOutput(name string) bool {
	lower := strings.ToLower(name)
	for _, f := range Formats() {
		if strings.HasSuffix(lower, f.Suffix) {
			return true
		}
	}
	return false
}

// Render writes the output of res in the format.
func (f Format) Render(w io.Writer, res *pipeline.Result, m Meta) error {
	return f.render(w, res, m)
}

// HasStamp reports whether the format's outputs carry a stamp.
func (f Format) HasStamp() bool { return f.stamp != nil }

// ReadStamp reads the stamp of an output of the format.
func (f Format) ReadStamp(r io.Reader) (Stamp, error) {
	if f.stamp == nil {
		return Stamp{}, fmt.Errorf("%s outputs carry no stamp", f.Name)
	}
	return f.stamp(r)
}

// Stamp is what an output says about how it was made: from which source
// bytes, under which settings, and whether anything was left in Dutch.
// Title, Model and Created describe it, for the folder index of an
// article whose JSON is not at hand. Whether an output is up to date is
// decided from its stamp in one place, package outputs (Store.Status),
// for every path that writes.
type Stamp struct {
	SHA256       string
	Fingerprint  string
	Untranslated int
	Title        string
	Model        string
	Created      time.Time
	// Older is set for an output of an older schema version: made under
	// other settings, so stale, and kept.
	Older bool
	// Source is the input as the output names it: a path, "-", or for
	// an article fetched from the web its address ([Stamp.FromWeb]).
	// Review pages older than this field carry none.
	Source string
}

// FromWeb reports whether the output is of an article fetched from the
// web (a URL given to translate, or a feed's item): its source is an
// address, not a file whose absence would make the output an orphan.
func (st Stamp) FromWeb() bool {
	s := strings.ToLower(st.Source)
	return strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://")
}

func markdownFormat(w io.Writer, res *pipeline.Result, m Meta) error {
	return Markdown(w, res, m.Fingerprint)
}

// headlineOf is the article's own English title, when it has one, else the
// summary's: the title a reader of the output sees first.
func headlineOf(res *pipeline.Result) (text string, segment int) {
	for i, s := range res.Article.Segments {
		if s.Kind == pipeline.KindTitle && i < len(res.Translations) {
			return res.Translations[i].Text, i
		}
	}
	return res.Summary.Title, -1
}

func untranslated(res *pipeline.Result) int {
	n := 0
	for _, t := range res.Translations {
		if t.Status == pipeline.StatusFailed {
			n++
		}
	}
	return n
}
