package render

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"time"

	"github.com/nl2en/nl2en/pipeline"
	"github.com/nl2en/nl2en/pipeline/cost"
)

// SchemaVersion is the version of the JSON output format. Version 2 added
// the media kind to a segment's closed list of kinds (with a segment's
// media link), a kept or failed segment's cause, and english_only; a
// reader of version 1 documents reads version 2 ones but for a kind it
// does not know.
const SchemaVersion = 2

// OldestSchemaVersion is the oldest version [ReadDocument] reads: an
// output of an older version than SchemaVersion is read, and counts as
// made under other settings (kept, and redone on request), never as
// missing, so that an upgrade does not pay for an archive again.
const OldestSchemaVersion = 1

// Document is the JSON output for one article.
type Document struct {
	SchemaVersion int       `json:"schema_version"`
	Program       Program   `json:"program"`
	Fingerprint   string    `json:"fingerprint"`
	Source        Source    `json:"source"`
	Model         string    `json:"model"`
	ServedModel   string    `json:"served_model,omitempty"`
	BaseURL       string    `json:"base_url"`
	Created       time.Time `json:"created"`
	// EnglishOnly says the article was already in English and was
	// written as it is: nothing was sent, the summary is empty and every
	// segment is kept.
	EnglishOnly bool `json:"english_only,omitempty"`
	// TargetLanguage is the variety of English the translation is
	// written in: "en-GB" or "en-US"; absent in older outputs, which
	// are British English.
	TargetLanguage string `json:"target_language,omitempty"`
	// Names are the article's names, each with the English form its
	// translation gives it.
	Names     []pipeline.Name `json:"names,omitempty"`
	Summary   Summary         `json:"summary"`
	Segments  []Segment       `json:"segments"`
	Usage     UsageTable      `json:"usage"`
	Cost      CostTable       `json:"cost_usd"`
	TimingsMS Timings         `json:"timings_ms"`
}

// CostTable is the cost of the usage in US dollars, per request kind and in
// total; null where the model's price is unknown.
type CostTable struct {
	Translate *float64 `json:"translate"`
	Summary   *float64 `json:"summary"`
	Repair    *float64 `json:"repair"`
	Batch     *float64 `json:"batch"`
	Total     *float64 `json:"total"`
	// PricesFrom says where the prices came from and when they were taken.
	PricesFrom string `json:"prices_from,omitempty"`
}

// Program names the program and version that wrote the document.
type Program struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// Source describes the input article.
type Source struct {
	File   string `json:"file"`
	Format string `json:"format"`
	SHA256 string `json:"sha256"`
	// FrontMatter holds the fields of a Markdown article's front matter;
	// left out when it has none.
	FrontMatter map[string]any `json:"front_matter,omitempty"`

	// The fields of an article fetched from the web (translate URL, or
	// a feed's item), left out for files: see [pipeline.WebSource]. File
	// is then the address as given, SHA256 the digest of the article's
	// extracted text.
	URL          string    `json:"url,omitempty"`
	Fetched      time.Time `json:"fetched,omitzero"`
	Feed         string    `json:"feed,omitempty"`
	FeedTitle    string    `json:"feed_title,omitempty"`
	GUID         string    `json:"guid,omitempty"`
	Published    time.Time `json:"published,omitzero"`
	TextFrom     string    `json:"text_from,omitempty"`
	Teaser       bool      `json:"teaser,omitempty"`
	TeaserReason string    `json:"teaser_reason,omitempty"`
}

// sourceOf is the document's source: the input, and where an article
// fetched from the web came from.
func sourceOf(art *pipeline.Article) Source {
	src := Source{File: art.Name, Format: string(art.Format), SHA256: art.SHA256, FrontMatter: art.FrontMatter}
	if w := art.Web; w != nil {
		src.URL, src.Feed, src.FeedTitle, src.GUID = w.URL, w.Feed, w.FeedTitle, w.GUID
		src.Fetched, src.Published = w.Fetched.UTC().Truncate(time.Second), w.Published.UTC()
		src.TextFrom, src.Teaser, src.TeaserReason = w.TextFrom, w.Teaser, w.TeaserReason
		if w.Fetched.IsZero() {
			src.Fetched = time.Time{}
		}
		if w.Published.IsZero() {
			src.Published = time.Time{}
		}
	}
	return src
}

// Summary is the article's English headline, summary and key points.
type Summary struct {
	Title     string   `json:"title"`
	Summary   string   `json:"summary"`
	KeyPoints []string `json:"key_points"`
	// Warnings are what the summary's checks still found after a
	// repair; absent when there are none.
	Warnings []string `json:"warnings,omitempty"`
}

// Segment is one part of the article in both languages. ListNumber is
// the number of a numbered list item in the source, left out for bullets
// and other kinds; Media is a media segment's link, as the source gives
// it; Cause is why a segment was kept or failed, as a value.
type Segment struct {
	ID             string            `json:"id"`
	Kind           string            `json:"kind"`
	Lang           string            `json:"lang"`
	LangConfidence float64           `json:"lang_confidence"`
	Status         string            `json:"status"`
	Reason         string            `json:"reason,omitempty"`
	Cause          string            `json:"cause,omitempty"`
	Source         string            `json:"source"`
	Text           string            `json:"text"`
	ListNumber     int               `json:"list_number,omitempty"`
	Media          string            `json:"media,omitempty"`
	Warnings       []string          `json:"warnings,omitempty"`
	Quality        *pipeline.Quality `json:"quality,omitempty"`
}

// UsageTable is token usage per request kind and in total.
type UsageTable struct {
	Translate pipeline.Usage `json:"translate"`
	Summary   pipeline.Usage `json:"summary"`
	Repair    pipeline.Usage `json:"repair"`
	Batch     pipeline.Usage `json:"batch"`
	Total     pipeline.Usage `json:"total"`
}

// Timings are stage durations in milliseconds.
type Timings struct {
	Split     int64 `json:"split"`
	Translate int64 `json:"translate"`
	Summary   int64 `json:"summary"`
	Total     int64 `json:"total"`
}

// Meta is what a document says about the run that made it.
type Meta struct {
	Version string
	// Fingerprint identifies the settings that shaped the translation, so a
	// later run can tell whether the output is up to date.
	Fingerprint string
	// Price prices the usage of one kind of request; nil leaves every
	// cost unknown.
	Price func(pipeline.RequestKind, pipeline.Usage) cost.Amount
	// PricesFrom says where the prices came from, for the document.
	PricesFrom string
}

// NewDocument builds the JSON document of a result.
func NewDocument(res *pipeline.Result, m Meta) Document {
	art := res.Article
	d := Document{
		SchemaVersion:  SchemaVersion,
		Program:        Program{Name: "nl2en", Version: m.Version},
		Fingerprint:    m.Fingerprint,
		Source:         sourceOf(art),
		Model:          res.Model,
		ServedModel:    res.ServedModel,
		BaseURL:        res.BaseURL,
		Created:        res.Finished.UTC().Truncate(time.Second),
		EnglishOnly:    art.EnglishOnly,
		TargetLanguage: res.English.Tag(),
		Summary: Summary{
			Title:     res.Summary.Title,
			Summary:   res.Summary.Summary,
			KeyPoints: nonNil(res.Summary.KeyPoints),
			Warnings:  res.Summary.Warnings,
		},
		Segments: make([]Segment, len(art.Segments)),
		Usage: UsageTable{
			Translate: res.Usage[pipeline.RequestTranslate],
			Summary:   res.Usage[pipeline.RequestSummary],
			Repair:    res.Usage[pipeline.RequestRepair],
			Batch:     res.Usage[pipeline.RequestBatch],
		},
		TimingsMS: Timings{
			Split:     res.Timings.Split.Milliseconds(),
			Translate: res.Timings.Translate.Milliseconds(),
			Summary:   res.Timings.Summary.Milliseconds(),
			Total:     res.Timings.Total.Milliseconds(),
		},
	}
	d.Usage.Total = d.Usage.Translate.Add(d.Usage.Summary).Add(d.Usage.Repair).Add(d.Usage.Batch)
	if m.Price != nil {
		tr := m.Price(pipeline.RequestTranslate, d.Usage.Translate)
		su := m.Price(pipeline.RequestSummary, d.Usage.Summary)
		re := m.Price(pipeline.RequestRepair, d.Usage.Repair)
		ba := m.Price(pipeline.RequestBatch, d.Usage.Batch)
		d.Cost = CostTable{
			Translate:  usd(tr),
			Summary:    usd(su),
			Repair:     usd(re),
			Batch:      usd(ba),
			Total:      usd(tr.Add(su).Add(re).Add(ba)),
			PricesFrom: m.PricesFrom,
		}
	}
	for _, n := range res.Names {
		d.Names = append(d.Names, n.Name)
	}
	for i, s := range art.Segments {
		seg := Segment{
			ID: s.ID, Kind: string(s.Kind), Lang: s.Lang, LangConfidence: s.LangConfidence,
			Source: s.Text, ListNumber: s.ListNumber, Media: s.Media,
		}
		if i < len(res.Translations) {
			tr := res.Translations[i]
			seg.Status, seg.Reason, seg.Text, seg.Warnings, seg.Quality = string(tr.Status), tr.Reason, tr.Text, tr.Warnings, tr.Quality
			seg.Cause = string(tr.Cause)
		}
		d.Segments[i] = seg
	}
	return d
}

func usd(a cost.Amount) *float64 {
	if !a.Known {
		return nil
	}
	v := math.Round(a.USD*1e6) / 1e6
	return &v
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// JSON writes the result as an indented [Document].
func JSON(w io.Writer, res *pipeline.Result, m Meta) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(NewDocument(res, m))
}

// Headline is the document's English title as a reader sees it first:
// the translation of the article's own title, else the summary's.
func (d Document) Headline() string {
	for _, s := range d.Segments {
		if s.Kind == string(pipeline.KindTitle) {
			return s.Text
		}
	}
	return d.Summary.Title
}

// Untranslated counts the segments left in Dutch.
func (d Document) Untranslated() int {
	n := 0
	for _, s := range d.Segments {
		if s.Status == string(pipeline.StatusFailed) {
			n++
		}
	}
	return n
}

// ReadDocument reads a JSON output of schema version
// OldestSchemaVersion to SchemaVersion: a newer version's meaning is not
// known.
func ReadDocument(r io.Reader) (Document, error) {
	var d Document
	if err := json.NewDecoder(r).Decode(&d); err != nil {
		return d, fmt.Errorf("read JSON output: %w", err)
	}
	if d.SchemaVersion < OldestSchemaVersion || d.SchemaVersion > SchemaVersion {
		return d, fmt.Errorf("JSON output has schema_version %d, want %d to %d", d.SchemaVersion, OldestSchemaVersion, SchemaVersion)
	}
	return d, nil
}

// readJSONStamp reads the stamp of a JSON output: its source digest,
// fingerprint and failed segments.
func readJSONStamp(r io.Reader) (Stamp, error) {
	d, err := ReadDocument(r)
	if err != nil {
		return Stamp{}, err
	}
	return Stamp{
		SHA256: d.Source.SHA256, Fingerprint: d.Fingerprint, Untranslated: d.Untranslated(),
		Title: d.Headline(), Model: d.Model, Created: d.Created, Source: d.Source.File,
		Older: d.SchemaVersion < SchemaVersion,
	}, nil
}
