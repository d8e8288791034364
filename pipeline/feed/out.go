package feed

import (
	"crypto/sha1"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"html"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/nl2en/nl2en/pipeline"
	"github.com/nl2en/nl2en/pipeline/redact"
)

// Out is the English feed nl2en writes beside a source feed's outputs:
// one [Entry] per translated item, newest first.
type Out struct {
	// Title is the English feed's title; Description says what it is.
	Title       string
	Description string
	// Source is the source feed's URL (redacted when written), SourceTitle
	// its title, HomePage its site.
	Source      string
	SourceTitle string
	HomePage    string
	// Prefix is the URL under which the feed's folder is published
	// ("https://example.org/nl2en/nos/"): links to the review pages and
	// the feed's own address are absolute under it. Without it, they
	// are relative to the feed's folder.
	Prefix string
	// Updated is when the feed was last written; the newest entry's time
	// when zero.
	Updated time.Time
	// Version is nl2en's version, named as the generator.
	Version string
	Entries []Entry
}

// Entry is one translated item.
type Entry struct {
	// SourceID is the item's ID in the source feed ([Item.ID]); the
	// entry's own id is derived from it, so it stays the same across
	// runs and a changed item replaces its entry.
	SourceID string
	Title    string // English
	Summary  string // English, plain text
	// ContentHTML is the English article as HTML ([ArticleHTML]).
	ContentHTML string
	// Original is the address of the Dutch article.
	Original string
	// Review is the review page's file name in the feed's folder
	// ("storm-code-oranje.en.html"); "" when none is written.
	Review    string
	Published time.Time // the source item's publication time
	Updated   time.Time // when the translation was made
	// SourceLanguage is the language of the source text ("nl").
	SourceLanguage string
	// Teaser marks an entry translated from the feed's text only.
	Teaser  bool
	Authors []string
}

// OutFormat is one file of the English feed.
type OutFormat struct {
	Name      string // "atom", "jsonfeed"
	File      string // the file's name in the feed's folder
	MediaType string
	Write     func(w io.Writer, o Out) error
}

// OutFormats are the files of the English feed: Atom feed.xml and JSON
// Feed feed.json.
func OutFormats() []OutFormat {
	return []OutFormat{
		{Name: "atom", File: "feed.xml", MediaType: "application/atom+xml", Write: WriteAtom},
		{Name: "jsonfeed", File: "feed.json", MediaType: "application/feed+json", Write: WriteJSON},
	}
}

// uuidNamespace is the namespace of nl2en's name-based (version 5) UUIDs.
var uuidNamespace = [16]byte{0x6b, 0x1f, 0x0e, 0x52, 0x7c, 0x9d, 0x4e, 0x1a, 0x9a, 0x43, 0x2d, 0x51, 0x6f, 0x80, 0x3c, 0x11}

// uuid5 is the RFC 9562 version 5 UUID of a name, as a URN: a valid,
// stable Atom id that says nothing it should not.
func uuid5(name string) string {
	h := sha1.New()
	h.Write(uuidNamespace[:])
	h.Write([]byte(name))
	b := h.Sum(nil)[:16]
	b[6] = b[6]&0x0f | 0x50
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("urn:uuid:%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// FeedID is the English feed's id: derived from the source feed's URL
// (credentials left out), the same on every run.
func FeedID(source string) string { return uuid5("feed\x00" + redact.URL(source)) }

// EntryID is an entry's id: derived from the source feed and the item's
// source ID.
func EntryID(source, sourceID string) string {
	return uuid5("entry\x00" + redact.URL(source) + "\x00" + sourceID)
}

// Merge joins the entries of earlier runs with this run's, a fresh
// entry replacing an old one of the same SourceID, and keeps the newest
// n (all when n <= 0), newest first by publication time.
func Merge(old, fresh []Entry, n int) []Entry {
	byID := map[string]int{}
	var out []Entry
	for _, set := range [][]Entry{old, fresh} {
		for _, e := range set {
			if i, ok := byID[e.SourceID]; ok {
				out[i] = e
				continue
			}
			byID[e.SourceID] = len(out)
			out = append(out, e)
		}
	}
	sort.SliceStable(out, func(a, b int) bool { return entryTime(out[a]).After(entryTime(out[b])) })
	if n > 0 && len(out) > n {
		out = out[:n]
	}
	return out
}

func entryTime(e Entry) time.Time {
	if !e.Published.IsZero() {
		return e.Published
	}
	return e.Updated
}

// link makes a link to a file of the feed's folder: relative, or
// absolute under the prefix.
func (o Out) link(file string) string {
	if o.Prefix == "" {
		return file
	}
	return strings.TrimSuffix(o.Prefix, "/") + "/" + file
}

func (o Out) updated() time.Time {
	t := o.Updated
	for _, e := range o.Entries {
		if u := entryUpdated(e); u.After(t) {
			t = u
		}
	}
	if t.IsZero() {
		t = time.Unix(0, 0)
	}
	return t.UTC()
}

func entryUpdated(e Entry) time.Time {
	if !e.Updated.IsZero() {
		return e.Updated
	}
	return e.Published
}

func (o Out) author() string {
	if o.SourceTitle != "" {
		return o.SourceTitle + " (translated by nl2en)"
	}
	return "nl2en"
}

// sourceLanguageScheme is the scheme of the category naming an entry's
// source language.
const sourceLanguageScheme = "https://github.com/nl2en/nl2en#source-language"

type atomFeed struct {
	XMLName   xml.Name       `xml:"http://www.w3.org/2005/Atom feed"`
	Lang      string         `xml:"xml:lang,attr"`
	ID        string         `xml:"id"`
	Title     atomText       `xml:"title"`
	Subtitle  *atomText      `xml:"subtitle,omitempty"`
	Updated   string         `xml:"updated"`
	Authors   []atomPerson   `xml:"author"`
	Links     []atomLink     `xml:"link"`
	Generator *atomGenerator `xml:"generator,omitempty"`
	Entries   []atomEntry    `xml:"entry"`
}

type atomText struct {
	Type string `xml:"type,attr,omitempty"`
	Text string `xml:",chardata"`
}

type atomPerson struct {
	Name string `xml:"name"`
}

type atomLink struct {
	Href     string `xml:"href,attr"`
	Rel      string `xml:"rel,attr,omitempty"`
	Type     string `xml:"type,attr,omitempty"`
	Hreflang string `xml:"hreflang,attr,omitempty"`
	Title    string `xml:"title,attr,omitempty"`
}

type atomGenerator struct {
	URI     string `xml:"uri,attr,omitempty"`
	Version string `xml:"version,attr,omitempty"`
	Text    string `xml:",chardata"`
}

type atomCategory struct {
	Term   string `xml:"term,attr"`
	Scheme string `xml:"scheme,attr,omitempty"`
	Label  string `xml:"label,attr,omitempty"`
}

type atomEntry struct {
	ID         string         `xml:"id"`
	Title      atomText       `xml:"title"`
	Updated    string         `xml:"updated"`
	Published  string         `xml:"published,omitempty"`
	Authors    []atomPerson   `xml:"author"`
	Links      []atomLink     `xml:"link"`
	Categories []atomCategory `xml:"category"`
	Summary    *atomText      `xml:"summary,omitempty"`
	Content    *atomText      `xml:"content,omitempty"`
}

func rfc3339(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// WriteAtom writes the feed as Atom 1.0 (RFC 4287): feed and entries
// each with id, title, updated, an author and a rel="alternate" link.
// An entry's alternate link is its review page when it has one (its
// rel="via" link is then the original), else the original; its content
// is the English article as HTML, its summary the English summary.
func WriteAtom(w io.Writer, o Out) error {
	title := o.Title
	if title == "" {
		title = "nl2en"
	}
	f := atomFeed{
		Lang:      "en",
		ID:        FeedID(o.Source),
		Title:     atomText{Type: "text", Text: title},
		Updated:   rfc3339(o.updated()),
		Authors:   []atomPerson{{Name: o.author()}},
		Generator: &atomGenerator{URI: "https://github.com/nl2en/nl2en", Version: o.Version, Text: "nl2en"},
	}
	if o.Description != "" {
		f.Subtitle = &atomText{Type: "text", Text: o.Description}
	}
	if o.Prefix != "" {
		f.Links = append(f.Links, atomLink{Href: o.link("feed.xml"), Rel: "self", Type: "application/atom+xml"})
	}
	home := firstOf(o.HomePage, redact.URL(o.Source))
	if home != "" {
		f.Links = append(f.Links, atomLink{Href: home, Rel: "alternate", Type: "text/html"})
	} else {
		f.Links = append(f.Links, atomLink{Href: o.link("feed.xml"), Rel: "alternate"})
	}
	for _, e := range o.Entries {
		ae := atomEntry{
			ID:      EntryID(o.Source, e.SourceID),
			Title:   atomText{Type: "text", Text: firstOf(e.Title, "(untitled)")},
			Updated: rfc3339(firstTime(entryUpdated(e), o.updated())),
		}
		if !e.Published.IsZero() {
			ae.Published = rfc3339(e.Published)
		}
		for _, a := range e.Authors {
			ae.Authors = append(ae.Authors, atomPerson{Name: a})
		}
		switch {
		case e.Review != "":
			ae.Links = append(ae.Links, atomLink{Href: o.link(e.Review), Rel: "alternate", Type: "text/html", Hreflang: "en"})
			if e.Original != "" {
				ae.Links = append(ae.Links, atomLink{Href: e.Original, Rel: "via", Type: "text/html", Hreflang: e.SourceLanguage, Title: "original article"})
			}
		case e.Original != "":
			ae.Links = append(ae.Links, atomLink{Href: e.Original, Rel: "alternate", Type: "text/html", Hreflang: e.SourceLanguage})
		default:
			ae.Links = append(ae.Links, atomLink{Href: o.link("feed.xml"), Rel: "alternate"})
		}
		if e.SourceLanguage != "" {
			ae.Categories = append(ae.Categories, atomCategory{Term: e.SourceLanguage, Scheme: sourceLanguageScheme, Label: "translated from " + e.SourceLanguage})
		}
		if e.Teaser {
			ae.Categories = append(ae.Categories, atomCategory{Term: "teaser", Label: "translated from the feed's teaser, not the whole article"})
		}
		if e.Summary != "" {
			ae.Summary = &atomText{Type: "text", Text: e.Summary}
		}
		if c := entryHTML(e); c != "" {
			ae.Content = &atomText{Type: "html", Text: c}
		}
		f.Entries = append(f.Entries, ae)
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(f); err != nil {
		return fmt.Errorf("write Atom feed: %w", err)
	}
	_, err := io.WriteString(w, "\n")
	return err
}

func firstTime(ts ...time.Time) time.Time {
	for _, t := range ts {
		if !t.IsZero() {
			return t
		}
	}
	return time.Time{}
}

// entryHTML is an entry's content: the article, else its summary as a
// paragraph, so that no entry is empty. Space around it is dropped, as
// feed.json keeps it, so that a feed read back writes the same bytes.
func entryHTML(e Entry) string {
	if c := strings.TrimSpace(e.ContentHTML); c != "" {
		return c
	}
	if e.Summary != "" {
		return "<p>" + html.EscapeString(e.Summary) + "</p>"
	}
	return ""
}

// JSONFeedVersion is the version of JSON Feed written.
const JSONFeedVersion = "https://jsonfeed.org/version/1.1"

type jsonOut struct {
	Version     string            `json:"version"`
	Title       string            `json:"title"`
	HomePageURL string            `json:"home_page_url,omitempty"`
	FeedURL     string            `json:"feed_url,omitempty"`
	Description string            `json:"description,omitempty"`
	Language    string            `json:"language"`
	Authors     []jsonAuthor      `json:"authors,omitempty"`
	NL2EN       jsonFeedNL2EN     `json:"_nl2en"`
	Items       []jsonOutItem     `json:"items"`
	Expired     *bool             `json:"expired,omitempty"`
	Hubs        []json.RawMessage `json:"hubs,omitempty"`
}

// jsonFeedNL2EN is the feed's extension object: what nl2en needs to read
// its own feed back, and what a program may want to know.
type jsonFeedNL2EN struct {
	ID          string `json:"id"`
	Source      string `json:"source,omitempty"`
	SourceTitle string `json:"source_title,omitempty"`
	Version     string `json:"version,omitempty"`
}

type jsonOutItem struct {
	ID            string        `json:"id"`
	URL           string        `json:"url,omitempty"`
	ExternalURL   string        `json:"external_url,omitempty"`
	Title         string        `json:"title,omitempty"`
	ContentHTML   string        `json:"content_html"`
	Summary       string        `json:"summary,omitempty"`
	DatePublished string        `json:"date_published,omitempty"`
	DateModified  string        `json:"date_modified,omitempty"`
	Authors       []jsonAuthor  `json:"authors,omitempty"`
	Tags          []string      `json:"tags,omitempty"`
	Language      string        `json:"language"`
	NL2EN         jsonItemNL2EN `json:"_nl2en"`
}

// jsonItemNL2EN is an item's extension object.
type jsonItemNL2EN struct {
	SourceID       string `json:"source_id"`
	SourceLanguage string `json:"source_language,omitempty"`
	Original       string `json:"original,omitempty"`
	Review         string `json:"review,omitempty"`
	Teaser         bool   `json:"teaser"`
}

// WriteJSON writes the feed as JSON Feed 1.1: version, title and items,
// each with id and content_html; url is the review page (else the
// original) and external_url the original; a teaser is tagged "teaser".
// The "_nl2en" extension objects hold the source ids and relative links
// that [ReadJSON] reads back.
func WriteJSON(w io.Writer, o Out) error {
	jf := jsonOut{
		Version:     JSONFeedVersion,
		Title:       firstOf(o.Title, "nl2en"),
		HomePageURL: o.HomePage,
		Description: o.Description,
		Language:    "en",
		Authors:     []jsonAuthor{{Name: o.author()}},
		NL2EN:       jsonFeedNL2EN{ID: FeedID(o.Source), Source: redact.URL(o.Source), SourceTitle: o.SourceTitle, Version: o.Version},
		Items:       []jsonOutItem{},
	}
	if o.Prefix != "" {
		jf.FeedURL = o.link("feed.json")
	}
	for _, e := range o.Entries {
		it := jsonOutItem{
			ID:          EntryID(o.Source, e.SourceID),
			Title:       e.Title,
			ContentHTML: firstOf(entryHTML(e), "<p></p>"),
			Summary:     e.Summary,
			Language:    "en",
			NL2EN:       jsonItemNL2EN{SourceID: e.SourceID, SourceLanguage: e.SourceLanguage, Original: e.Original, Review: e.Review, Teaser: e.Teaser},
		}
		if e.Review != "" {
			it.URL, it.ExternalURL = o.link(e.Review), e.Original
		} else {
			it.URL = e.Original
		}
		if !e.Published.IsZero() {
			it.DatePublished = rfc3339(e.Published)
		}
		if u := entryUpdated(e); !u.IsZero() {
			it.DateModified = rfc3339(u)
		}
		for _, a := range e.Authors {
			it.Authors = append(it.Authors, jsonAuthor{Name: a})
		}
		if e.Teaser {
			it.Tags = []string{"teaser"}
		}
		jf.Items = append(jf.Items, it)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(jf); err != nil {
		return fmt.Errorf("write JSON Feed: %w", err)
	}
	return nil
}

// ReadJSON reads back a feed.json that [WriteJSON] wrote, so that a run
// can merge its new entries into the entries of earlier runs ([Merge]).
func ReadJSON(data []byte) (*Out, error) {
	var jf jsonOut
	if err := json.Unmarshal(data, &jf); err != nil {
		return nil, fmt.Errorf("read English feed: %w", err)
	}
	if jf.NL2EN.ID == "" {
		return nil, fmt.Errorf("read English feed: %w: no _nl2en object, not written by nl2en", ErrNotFeed)
	}
	o := &Out{Title: jf.Title, Description: jf.Description, Source: jf.NL2EN.Source, SourceTitle: jf.NL2EN.SourceTitle,
		HomePage: jf.HomePageURL, Version: jf.NL2EN.Version}
	for _, it := range jf.Items {
		e := Entry{
			SourceID: it.NL2EN.SourceID, Title: it.Title, Summary: it.Summary, ContentHTML: it.ContentHTML,
			Original: it.NL2EN.Original, Review: it.NL2EN.Review, SourceLanguage: it.NL2EN.SourceLanguage,
			Teaser: it.NL2EN.Teaser, Published: parseDate(it.DatePublished), Updated: parseDate(it.DateModified),
		}
		for _, a := range it.Authors {
			e.Authors = append(e.Authors, a.Name)
		}
		if e.SourceID == "" {
			continue
		}
		o.Entries = append(o.Entries, e)
	}
	return o, nil
}

// ArticleHTML renders a translated article's English as HTML for a feed
// entry's content: headings, paragraphs, quotes, lists and captions in
// document order. The title is left out (it is the entry's title), and
// so is page furniture ("Lees ook:").
func ArticleHTML(res *pipeline.Result) string {
	if res == nil || res.Article == nil {
		return ""
	}
	var b strings.Builder
	inList := ""
	closeList := func() {
		if inList != "" {
			b.WriteString("</" + inList + ">\n")
			inList = ""
		}
	}
	for i, s := range res.Article.Segments {
		text := s.Text
		if i < len(res.Translations) && res.Translations[i].Text != "" {
			text = res.Translations[i].Text
		}
		esc := html.EscapeString(strings.TrimSpace(text))
		if s.Kind != pipeline.KindListItem {
			closeList()
		}
		switch s.Kind {
		case pipeline.KindTitle, pipeline.KindFurniture:
		case pipeline.KindHeading:
			b.WriteString("<h2>" + esc + "</h2>\n")
		case pipeline.KindQuote, pipeline.KindEmbed:
			b.WriteString("<blockquote><p>" + esc + "</p></blockquote>\n")
		case pipeline.KindCaption:
			b.WriteString("<p><em>" + esc + "</em></p>\n")
		case pipeline.KindListItem:
			tag := "ul"
			if s.ListNumber > 0 {
				tag = "ol"
			}
			if inList != tag {
				closeList()
				b.WriteString("<" + tag + ">\n")
				inList = tag
			}
			b.WriteString("<li>" + esc + "</li>\n")
		default:
			b.WriteString("<p>" + esc + "</p>\n")
		}
	}
	closeList()
	return b.String()
}
