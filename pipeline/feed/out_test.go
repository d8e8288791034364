package feed

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/nl2en/nl2en/pipeline"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

func sampleOut(prefix string) Out {
	return Out{
		Title:       "Het Kustnieuws in English",
		Description: "Het Kustnieuws, translated from Dutch by nl2en",
		Source:      "https://kust.example.nl/feeds/nieuws.rss?token=geheim",
		SourceTitle: "Het Kustnieuws",
		HomePage:    "https://kust.example.nl/",
		Prefix:      prefix,
		Updated:     time.Date(2025, 3, 2, 2, 20, 0, 0, time.UTC),
		Version:     "1.2.3",
		Entries: []Entry{
			{
				SourceID: "https://kust.example.nl/artikel/veerdienst-ligt-stil", Title: "Vlissingen-Breskens ferry suspended by storm",
				Summary:     "The ferry does not sail on Saturday as a code orange storm hits the coast.",
				ContentHTML: "<p>The ferry between Vlissingen and Breskens does not sail all day on Saturday.</p>\n",
				Original:    "https://kust.example.nl/artikel/veerdienst-ligt-stil", Review: "veerdienst-ligt-stil.en.html",
				Published: time.Date(2025, 3, 1, 8, 15, 0, 0, time.FixedZone("", 3600)), Updated: time.Date(2025, 3, 2, 2, 18, 0, 0, time.UTC),
				SourceLanguage: "nl", Authors: []string{"Marieke de Wit"},
			},
			{
				SourceID: "kustnieuws-2025-0301-003", Title: "Beach pavilions may stay open longer",
				Summary:   "Zeeland lets beach pavilions stay open until midnight.",
				Original:  "https://kust.example.nl/artikel/strandpaviljoens-langer-open",
				Published: time.Date(2025, 3, 1, 10, 5, 0, 0, time.FixedZone("", 7200)), Updated: time.Date(2025, 3, 2, 2, 19, 0, 0, time.UTC),
				SourceLanguage: "nl-BE", Teaser: true,
			},
		},
	}
}

// atomDoc is Atom read back by the standard library, to check what RFC
// 4287 requires.
type atomDoc struct {
	XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
	ID      string   `xml:"id"`
	Title   string   `xml:"title"`
	Updated string   `xml:"updated"`
	Authors []struct {
		Name string `xml:"name"`
	} `xml:"author"`
	Links   []atomLink `xml:"link"`
	Entries []struct {
		ID         string         `xml:"id"`
		Title      string         `xml:"title"`
		Updated    string         `xml:"updated"`
		Published  string         `xml:"published"`
		Links      []atomLink     `xml:"link"`
		Categories []atomCategory `xml:"category"`
		Summary    string         `xml:"summary"`
		Content    atomText       `xml:"content"`
	} `xml:"entry"`
}

func rel(links []atomLink, r string) string {
	for _, l := range links {
		if l.Rel == r {
			return l.Href
		}
	}
	return ""
}

var uuidURN = regexp.MustCompile(`^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

func TestWriteAtom(t *testing.T) {
	for _, prefix := range []string{"", "https://example.org/nl2en/kust/"} {
		t.Run("prefix="+prefix, func(t *testing.T) {
			var b bytes.Buffer
			if err := WriteAtom(&b, sampleOut(prefix)); err != nil {
				t.Fatal(err)
			}
			var d atomDoc
			if err := xml.Unmarshal(b.Bytes(), &d); err != nil {
				t.Fatalf("Atom does not parse: %v\n%s", err, b.String())
			}
			if !uuidURN.MatchString(d.ID) || d.Title == "" || len(d.Authors) == 0 || d.Authors[0].Name == "" || rel(d.Links, "alternate") == "" {
				t.Errorf("feed lacks a required element: id %q title %q authors %v links %v", d.ID, d.Title, d.Authors, d.Links)
			}
			if _, err := time.Parse(time.RFC3339, d.Updated); err != nil {
				t.Errorf("feed updated %q: %v", d.Updated, err)
			}
			if len(d.Entries) != 2 {
				t.Fatalf("%d entries, want 2", len(d.Entries))
			}
			for i, e := range d.Entries {
				if !uuidURN.MatchString(e.ID) || e.Title == "" || rel(e.Links, "alternate") == "" {
					t.Errorf("entry %d lacks a required element: %+v", i, e)
				}
				if _, err := time.Parse(time.RFC3339, e.Updated); err != nil {
					t.Errorf("entry %d updated %q: %v", i, e.Updated, err)
				}
			}
			first, second := d.Entries[0], d.Entries[1]
			wantReview := prefix + "veerdienst-ligt-stil.en.html"
			if rel(first.Links, "alternate") != wantReview || rel(first.Links, "via") != "https://kust.example.nl/artikel/veerdienst-ligt-stil" {
				t.Errorf("links %+v, want the review page %q and the original", first.Links, wantReview)
			}
			if first.Content.Type != "html" || !strings.Contains(first.Content.Text, "<p>The ferry") || first.Summary == "" || first.Published != "2025-03-01T07:15:00Z" {
				t.Errorf("content %+v summary %q published %q", first.Content, first.Summary, first.Published)
			}
			if rel(second.Links, "alternate") != "https://kust.example.nl/artikel/strandpaviljoens-langer-open" {
				t.Errorf("an entry without review page links %+v, want the original", second.Links)
			}
			var teaser, lang bool
			for _, c := range second.Categories {
				teaser = teaser || c.Term == "teaser"
				lang = lang || c.Term == "nl-BE" && c.Scheme == sourceLanguageScheme
			}
			if !teaser || !lang || len(first.Categories) != 1 {
				t.Errorf("categories %+v / %+v: want teaser and source language on the teaser, language only on the other", second.Categories, first.Categories)
			}
			if self := rel(d.Links, "self"); (prefix == "") != (self == "") || prefix != "" && self != prefix+"feed.xml" {
				t.Errorf("self link %q with prefix %q", self, prefix)
			}
			if strings.Contains(b.String(), "geheim") {
				t.Error("the source's token is in the feed")
			}
			// nl2en reads its own feed back.
			f, err := Parse(b.Bytes(), "")
			if err != nil || len(f.Items) != 2 || f.Items[0].Title != "Vlissingen-Breskens ferry suspended by storm" {
				t.Errorf("our parser reads it back as %+v, %v", f, err)
			}
		})
	}
}

func TestWriteJSON(t *testing.T) {
	var b bytes.Buffer
	if err := WriteJSON(&b, sampleOut("")); err != nil {
		t.Fatal(err)
	}
	var d map[string]any
	if err := json.Unmarshal(b.Bytes(), &d); err != nil {
		t.Fatal(err)
	}
	if d["version"] != "https://jsonfeed.org/version/1.1" || d["title"] == "" {
		t.Errorf("version %v title %v", d["version"], d["title"])
	}
	if _, ok := d["feed_url"]; ok {
		t.Error("feed_url without a prefix")
	}
	items := d["items"].([]any)
	if len(items) != 2 {
		t.Fatalf("%d items", len(items))
	}
	for i, raw := range items {
		it := raw.(map[string]any)
		if !uuidURN.MatchString(it["id"].(string)) || it["content_html"] == "" || it["url"] == "" || it["language"] != "en" {
			t.Errorf("item %d lacks a field: %v", i, it)
		}
	}
	first, second := items[0].(map[string]any), items[1].(map[string]any)
	if first["url"] != "veerdienst-ligt-stil.en.html" || first["external_url"] != "https://kust.example.nl/artikel/veerdienst-ligt-stil" || first["date_published"] != "2025-03-01T07:15:00Z" {
		t.Errorf("first item %v", first)
	}
	if tags, _ := second["tags"].([]any); len(tags) != 1 || tags[0] != "teaser" || second["_nl2en"].(map[string]any)["teaser"] != true {
		t.Errorf("teaser item %v", second)
	}
	if second["content_html"] != "<p>Zeeland lets beach pavilions stay open until midnight.</p>" {
		t.Errorf("an item without article: content_html %q, want its summary", second["content_html"])
	}
	// nl2en's parser reads it as a JSON Feed, and ReadJSON back as an Out.
	if f, err := Parse(b.Bytes(), ""); err != nil || f.Format != JSONFeed || len(f.Items) != 2 {
		t.Errorf("Parse: %v %v", f, err)
	}
	back, err := ReadJSON(b.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	want := sampleOut("")
	if len(back.Entries) != 2 || back.Entries[0].Review != want.Entries[0].Review || back.Entries[1].SourceID != want.Entries[1].SourceID ||
		!back.Entries[0].Published.Equal(want.Entries[0].Published) || !back.Entries[1].Teaser || back.Entries[1].SourceLanguage != "nl-BE" {
		t.Errorf("ReadJSON: %+v", back.Entries)
	}
	if _, err := ReadJSON([]byte(`{"version":"https://jsonfeed.org/version/1.1","title":"x","items":[]}`)); err == nil {
		t.Error("ReadJSON took a feed nl2en did not write")
	}
}

func TestOutGolden(t *testing.T) {
	for _, f := range OutFormats() {
		var b bytes.Buffer
		if err := f.Write(&b, sampleOut("https://example.org/nl2en/kust/")); err != nil {
			t.Fatal(err)
		}
		path := filepath.Join("testdata", f.File)
		if *update {
			if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(b.Bytes(), want) {
			t.Errorf("%s differs from %s (go test -update to accept):\n%s", f.Name, path, b.String())
		}
	}
}

func TestEntryIDsStable(t *testing.T) {
	a := EntryID("https://e.nl/feed", "g1")
	if a != EntryID("https://e.nl/feed", "g1") || a == EntryID("https://e.nl/feed", "g2") || a == EntryID("https://f.nl/feed", "g1") {
		t.Error("entry ids are not stable and distinct")
	}
	if EntryID("https://e.nl/feed?token=1", "g1") != EntryID("https://e.nl/feed?token=2", "g1") {
		t.Error("a rotated token changed the entry ids")
	}
	if FeedID("https://e.nl/feed") == FeedID("https://f.nl/feed") {
		t.Error("two feeds share an id")
	}
}

func TestMerge(t *testing.T) {
	e := func(id string, day int, title string) Entry {
		return Entry{SourceID: id, Title: title, Published: time.Date(2025, 2, day, 0, 0, 0, 0, time.UTC)}
	}
	old := []Entry{e("a", 1, "A"), e("b", 2, "B"), e("c", 3, "C")}
	fresh := []Entry{e("b", 2, "B2"), e("d", 4, "D")}
	got := Merge(old, fresh, 3)
	var s []string
	for _, x := range got {
		s = append(s, x.SourceID+":"+x.Title)
	}
	if strings.Join(s, " ") != "d:D c:C b:B2" {
		t.Errorf("Merge = %v, want d:D c:C b:B2", s)
	}
	if len(Merge(old, fresh, 0)) != 4 {
		t.Error("Merge with no cap dropped entries")
	}
}

func TestArticleHTML(t *testing.T) {
	res := &pipeline.Result{
		Article: &pipeline.Article{Segments: []pipeline.Segment{
			{ID: "s1", Kind: pipeline.KindTitle, Text: "Kop"},
			{ID: "s2", Kind: pipeline.KindParagraph, Text: "Alinea"},
			{ID: "s3", Kind: pipeline.KindHeading, Text: "Tussenkop"},
			{ID: "s4", Kind: pipeline.KindListItem, Text: "een"},
			{ID: "s5", Kind: pipeline.KindListItem, Text: "twee"},
			{ID: "s6", Kind: pipeline.KindQuote, Text: "‘Citaat’"},
			{ID: "s7", Kind: pipeline.KindFurniture, Text: "Lees ook:"},
			{ID: "s8", Kind: pipeline.KindCaption, Text: "Foto: ANP"},
		}},
		Translations: []pipeline.Translation{
			{ID: "s1", Text: "Headline"}, {ID: "s2", Text: "A <paragraph> & more"}, {ID: "s3", Text: "Subheading"},
			{ID: "s4", Text: "one"}, {ID: "s5", Text: "two"}, {ID: "s6", Text: "‘Quote’"}, {ID: "s7", Text: "Lees ook:"}, {ID: "s8", Text: "Photo: ANP"},
		},
	}
	want := "<p>A &lt;paragraph&gt; &amp; more</p>\n<h2>Subheading</h2>\n<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n<blockquote><p>‘Quote’</p></blockquote>\n<p><em>Photo: ANP</em></p>\n"
	if got := ArticleHTML(res); got != want {
		t.Errorf("ArticleHTML =\n%s\nwant\n%s", got, want)
	}
}

// TestOutReadBack: a feed read back from its feed.json, with no new entry,
// is written byte for byte as it was, in both formats, so that a run that
// adds nothing rewrites nothing (and is not recorded as having written).
func TestOutReadBack(t *testing.T) {
	o := sampleOut("")
	o.Entries[0].ContentHTML = "\n<p>The ferry does not sail.</p>\n<p>Not on\r\nSaturday.</p>\n"
	o.Entries = Merge(o.Entries, nil, 0) // as a run writes them
	for _, f := range OutFormats() {
		var first, js, again bytes.Buffer
		if err := f.Write(&first, o); err != nil {
			t.Fatal(err)
		}
		if err := WriteJSON(&js, o); err != nil {
			t.Fatal(err)
		}
		back, err := ReadJSON(js.Bytes())
		if err != nil {
			t.Fatal(err)
		}
		back.Title, back.Updated, back.Prefix = o.Title, o.Updated, o.Prefix
		back.Entries = Merge(back.Entries, nil, 0)
		if err := f.Write(&again, *back); err != nil {
			t.Fatal(err)
		}
		if first.String() != again.String() {
			t.Errorf("%s read back and written again differs:\n%s\n---\n%s", f.File, first.String(), again.String())
		}
	}
}
