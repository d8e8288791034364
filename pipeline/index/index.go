package index

import (
	"bufio"
	"bytes"
	"cmp"
	_ "embed"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/nl2en/nl2en/pipeline"
	"github.com/nl2en/nl2en/pipeline/cost"
	"github.com/nl2en/nl2en/pipeline/render"
)

// The files of the index, in the output folder.
const (
	JSONL = "index.jsonl"
	HTML  = "index.html"
)

// Names are the files of the index.
func Names() []string { return []string{JSONL, HTML} }

// Entry is one article of the index, one line of index.jsonl.
type Entry struct {
	// Source is the input as the run report names it.
	Source string `json:"source"`
	// Outputs are the article's output files, relative to the output
	// folder, slash-separated.
	Outputs []string `json:"outputs"`
	// Title is the English headline; Summary the English summary.
	Title   string `json:"title"`
	Summary string `json:"summary"`
	// Status is how the article fared in the run that wrote the index:
	// done, skipped (up to date), failed or not_done.
	Status string `json:"status"`
	// Warnings counts the warnings of the segments and the summary.
	Warnings int `json:"warnings"`
	// Untranslated counts the segments left in Dutch.
	Untranslated int `json:"untranslated"`
	// Tokens is the usage of the requests that made the outputs.
	Tokens pipeline.Usage `json:"tokens"`
	// Cost is what they cost in US dollars; null when unknown.
	Cost *float64 `json:"cost"`
	// Model is the model that translated the article.
	Model string `json:"model,omitempty"`
	// Created is when the translation finished; absent when there is no
	// output.
	Created time.Time `json:"created,omitzero"`
	// Error is why the article failed or was not done.
	Error string `json:"error,omitempty"`
	// NameConflicts are the names the article rendered otherwise than
	// the names memory had them, or than another article translated in
	// the same run (see pipeline.NameConflict); absent when none. They
	// stand until the article is translated again.
	NameConflicts []pipeline.NameConflict `json:"name_conflicts,omitempty"`
}

// FromDocument is the entry of an article whose JSON output is d.
func FromDocument(d render.Document) Entry {
	e := Entry{
		Title:        d.Headline(),
		Summary:      d.Summary.Summary,
		Warnings:     len(d.Summary.Warnings),
		Untranslated: d.Untranslated(),
		Tokens:       d.Usage.Total,
		Cost:         d.Cost.Total,
		Model:        d.Model,
		Created:      d.Created,
	}
	for _, s := range d.Segments {
		e.Warnings += len(s.Warnings)
	}
	return e
}

// FromStamp is the entry of an article of which only the stamp of an
// output is at hand: its title, model and date, but no summary, warnings
// or usage.
func FromStamp(st render.Stamp) Entry {
	return Entry{Title: st.Title, Model: st.Model, Created: st.Created, Untranslated: st.Untranslated}
}

// NeedsLook reports whether a person should look at the article: it
// failed, has warnings, or has segments left in Dutch.
func (e Entry) NeedsLook() bool {
	return e.Status == "failed" || e.Warnings > 0 || e.Untranslated > 0 || len(e.NameConflicts) > 0
}

// Render renders index.jsonl and index.html from the entries: the lines
// in the order of their sources, the page newest first. now is when the
// run ended, shown on the page. Writing them is the output folder's
// business (package outputs), which merges a run's entries into the ones
// already there.
func Render(entries []Entry, now time.Time) (jsonl, html []byte, err error) {
	entries = slices.Clone(entries)
	for i := range entries {
		if entries[i].Outputs == nil {
			entries[i].Outputs = []string{}
		}
	}
	slices.SortFunc(entries, func(a, b Entry) int { return cmp.Compare(a.Source, b.Source) })
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	for _, e := range entries {
		if err := enc.Encode(e); err != nil {
			return nil, nil, fmt.Errorf("encode the index entry of %s: %w", e.Source, err)
		}
	}
	var p bytes.Buffer
	if err := page(&p, entries, now); err != nil {
		return nil, nil, fmt.Errorf("render the index page: %w", err)
	}
	return b.Bytes(), p.Bytes(), nil
}

// Read reads an index.jsonl.
func Read(path string) ([]Entry, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	out, err := Parse(f)
	if err != nil {
		return out, fmt.Errorf("read %s: %w", path, err)
	}
	return out, nil
}

// Parse reads the lines of an index.jsonl, up to the first that is not an
// entry; it returns those before it with the error.
func Parse(r io.Reader) ([]Entry, error) {
	var out []Entry
	dec := json.NewDecoder(bufio.NewReader(r))
	for dec.More() {
		var e Entry
		if err := dec.Decode(&e); err != nil {
			return out, err
		}
		out = append(out, e)
	}
	return out, nil
}

//go:embed index.html.tmpl
var pageTemplate string

type pageData struct {
	Articles                       []pageEntry
	Done, Skipped, Failed, NotDone int
	Look                           int
	Written                        string
}

type pageEntry struct {
	Entry
	StatusLabel string
	Link        string // the review page, else the first output
	Links       []pageLink
	Date        string
	CostStr     string
	Look        bool
}

type pageLink struct{ Label, Href string }

// page writes index.html: every article, newest first; articles without
// an output (failed before any was written) come first, as they are this
// run's and need a look.
func page(w *bytes.Buffer, entries []Entry, now time.Time) error {
	t, err := template.New("index").Parse(pageTemplate)
	if err != nil {
		return err
	}
	entries = slices.Clone(entries)
	slices.SortStableFunc(entries, func(a, b Entry) int {
		if a.Created.IsZero() != b.Created.IsZero() {
			if a.Created.IsZero() {
				return -1
			}
			return 1
		}
		return cmp.Or(b.Created.Compare(a.Created), cmp.Compare(a.Source, b.Source))
	})
	d := pageData{Written: now.UTC().Format("2 January 2006, 15:04 MST")}
	for _, e := range entries {
		switch e.Status {
		case "done":
			d.Done++
		case "skipped":
			d.Skipped++
		case "failed":
			d.Failed++
		default:
			d.NotDone++
		}
		pe := pageEntry{Entry: e, StatusLabel: statusLabels[e.Status], Look: e.NeedsLook(), CostStr: cost.Format(amount(e.Cost))}
		if pe.StatusLabel == "" {
			pe.StatusLabel = e.Status
		}
		if !e.Created.IsZero() {
			pe.Date = e.Created.UTC().Format("2006-01-02 15:04")
		}
		if pe.Look {
			d.Look++
		}
		for _, o := range e.Outputs {
			l := pageLink{Label: label(o), Href: o}
			pe.Links = append(pe.Links, l)
			if l.Label == render.NameHTML {
				pe.Link = o
			}
		}
		if pe.Link == "" && len(e.Outputs) > 0 {
			pe.Link = e.Outputs[0]
		}
		if pe.Title == "" {
			pe.Title = path.Base(filepath.ToSlash(e.Source))
		}
		d.Articles = append(d.Articles, pe)
	}
	return t.Execute(w, d)
}

// statusLabels say on the page what the statuses of the lines mean.
var statusLabels = map[string]string{"done": "translated", "skipped": "up to date", "failed": "failed", "not_done": "not done"}

// label names an output by its format.
func label(output string) string {
	for _, f := range render.Formats() {
		if strings.HasSuffix(strings.ToLower(output), f.Suffix) {
			return f.Name
		}
	}
	return path.Ext(output)
}

func amount(usd *float64) cost.Amount {
	if usd == nil {
		return cost.Amount{}
	}
	return cost.USD(*usd)
}
