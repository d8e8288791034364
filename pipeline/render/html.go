package render

import (
	"bufio"
	"cmp"
	_ "embed"
	"fmt"
	"html"
	"html/template"
	"io"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/nl2en/nl2en/pipeline"
	"github.com/nl2en/nl2en/pipeline/cost"
)

// pageTemplate is the review page: inline CSS, no scripts, no outside
// assets, so that it opens anywhere, from a mail attachment as from disk.
//
//go:embed page.html.tmpl
var pageTemplate string

// page is what the review page shows.
type page struct {
	Headline, SummaryTitle, Summary string
	KeyPoints, SummaryWarnings      []string
	Segments, Warned, Untranslated  int
	Kept                            int
	Look                            []string // ids of the segments that need a look
	Rows                            []pageRow
	Source, SHA256, Model, BaseHost string
	// Original links an article fetched from the web to its page;
	// TeaserReason says why only the feed's teaser was translated.
	Original, TeaserReason string
	Date, DateISO          string
	Cost, PricesFrom       string
	Version, Fingerprint   string
}

// pageRow is one segment, Dutch beside English.
type pageRow struct {
	ID, Kind, KindLabel string
	Lang                string
	Status              string
	Note                string // why a segment was kept, or failed
	Warnings            []string
	Dutch, English      pageCell
}

type pageCell struct {
	Kind   string
	Number int
	Text   string
	Media  string // a media segment's link, shown as text: the page fetches nothing
}

// HTML writes the result as a review page: the English headline, summary
// and key points on top, then one row per segment with the Dutch on the
// left and the English on the right (one above the other on a narrow
// screen), segments with warnings highlighted, failed and kept segments
// marked, and the model, date and cost at the foot. Every text is escaped:
// an article is untrusted input. The head carries the stamp in meta
// elements, which [readHTMLStamp] reads back.
func HTML(w io.Writer, res *pipeline.Result, m Meta) error {
	t, err := template.New("page").Parse(pageTemplate)
	if err != nil {
		return fmt.Errorf("parse the page template: %w", err)
	}
	doc := NewDocument(res, m)
	head, _ := headlineOf(res)
	p := page{
		Headline:        oneLine(head),
		SummaryTitle:    oneLine(res.Summary.Title),
		Summary:         oneLine(res.Summary.Summary),
		KeyPoints:       res.Summary.KeyPoints,
		SummaryWarnings: res.Summary.Warnings,
		Segments:        len(doc.Segments),
		Source:          res.Article.Name,
		SHA256:          res.Article.SHA256,
		Model:           res.Model,
		Date:            doc.Created.Format("2 January 2006, 15:04 MST"),
		DateISO:         doc.Created.Format(time.RFC3339),
		Cost:            cost.Format(amount(doc.Cost.Total)),
		PricesFrom:      doc.Cost.PricesFrom,
		Version:         m.Version,
		Fingerprint:     m.Fingerprint,
	}
	if u, err := url.Parse(res.BaseURL); err == nil {
		p.BaseHost = u.Host
	}
	if w := res.Article.Web; w != nil {
		p.Original = cmp.Or(w.URL, res.Article.Name)
		if w.Teaser {
			p.TeaserReason = cmp.Or(w.TeaserReason, "the page did not hold the article")
		}
	}
	for _, s := range doc.Segments {
		row := pageRow{
			ID: s.ID, Kind: s.Kind, Lang: cmp.Or(s.Lang, "nl"), Status: s.Status, Warnings: s.Warnings,
			Dutch:   pageCell{Kind: s.Kind, Number: s.ListNumber, Text: strings.TrimSpace(s.Source), Media: s.Media},
			English: pageCell{Kind: s.Kind, Number: s.ListNumber, Text: strings.TrimSpace(s.Text), Media: s.Media},
		}
		if s.Kind != string(pipeline.KindParagraph) {
			row.KindLabel = strings.ReplaceAll(s.Kind, "_", " ")
		}
		switch s.Status {
		case string(pipeline.StatusFailed):
			row.Note = "not translated: " + cmp.Or(s.Reason, "no usable translation") + "; the English column repeats the Dutch"
			p.Untranslated++
		case string(pipeline.StatusKept):
			row.Note = "kept as it is: " + cmp.Or(s.Reason, "not translated by design")
			p.Kept++
		}
		if len(s.Warnings) > 0 {
			p.Warned++
		}
		if len(s.Warnings) > 0 || s.Status == string(pipeline.StatusFailed) {
			p.Look = append(p.Look, s.ID)
		}
		p.Rows = append(p.Rows, row)
	}
	bw := bufio.NewWriter(w)
	if err := t.Execute(bw, p); err != nil {
		return err
	}
	return bw.Flush()
}

func amount(usd *float64) cost.Amount {
	if usd == nil {
		return cost.Amount{}
	}
	return cost.USD(*usd)
}

// stampMeta matches the meta elements of the page's head that HTML
// writes: name first, then content, both double-quoted.
var stampMeta = regexp.MustCompile(`<meta name="nl2en-([a-z0-9-]+)" content="([^"]*)">`)

var pageTitle = regexp.MustCompile(`<title>([^<]*)</title>`)

// readHTMLStamp reads the stamp from the meta elements of a review page's
// head.
func readHTMLStamp(r io.Reader) (Stamp, error) {
	var st Stamp
	head, err := readHead(r)
	if err != nil {
		return st, err
	}
	for _, m := range stampMeta.FindAllStringSubmatch(head, -1) {
		v := html.UnescapeString(m[2])
		switch m[1] {
		case "source":
			st.Source = v
		case "source-sha256":
			st.SHA256 = v
		case "fingerprint":
			st.Fingerprint = v
		case "model":
			st.Model = v
		case "date":
			st.Created, _ = time.Parse(time.RFC3339, v)
		case "untranslated":
			if st.Untranslated, err = strconv.Atoi(v); err != nil {
				return st, fmt.Errorf("untranslated: %q is not a count", v)
			}
		}
	}
	if m := pageTitle.FindStringSubmatch(head); m != nil {
		st.Title = html.UnescapeString(m[1])
	}
	if st.SHA256 == "" {
		return st, fmt.Errorf("no nl2en stamp in the page's head")
	}
	return st, nil
}

// readHead reads a page up to the end of its head, which is all a stamp
// needs; a page whose head does not end within 64 KiB is not one of ours.
func readHead(r io.Reader) (string, error) {
	b, err := io.ReadAll(io.LimitReader(r, 64<<10))
	if err != nil {
		return "", err
	}
	s := string(b)
	i := strings.Index(s, "</head>")
	if i < 0 {
		return "", fmt.Errorf("no end of the page's head")
	}
	return s[:i], nil
}
