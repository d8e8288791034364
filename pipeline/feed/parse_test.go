package feed

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/nl2en/nl2en/pipeline/feed/feedtest"
)

const base = "http://127.0.0.1:9"

func parseFixture(t *testing.T, name string) *Feed {
	t.Helper()
	f, err := Parse(feedtest.Fixture(name, base), base+"/feeds/"+name)
	if err != nil {
		t.Fatalf("Parse(%s): %v", name, err)
	}
	return f
}

// item finds an item by the end of its link.
func item(t *testing.T, f *Feed, linkSuffix string) Item {
	t.Helper()
	for _, it := range f.Items {
		if strings.HasSuffix(it.Link, linkSuffix) {
			return it
		}
	}
	t.Fatalf("no item with a link ending in %q", linkSuffix)
	return Item{}
}

func TestParseFormats(t *testing.T) {
	tests := []struct {
		name   string
		format Format
		title  string
		items  int
	}{
		{"nieuws.rss", RSS, "Het Kustnieuws", 6},
		{"nieuws-crlf.rss", RSS, "Het Kustnieuws", 6},
		{"nieuws-eenregel.rss", RSS, "Het Kustnieuws", 6},
		{"nieuws.atom", Atom, "Kustnieuws Vlaanderen", 3},
		{"nieuws.json", JSONFeed, "Kustnieuws (JSON)", 2},
		{"escaped.rss", RSS, "Dubbel & dwars", 3},
		{"verkeerde-namespaces.rss", RSS, "Verkeerde namespaces", 1},
		{"latin1.rss", RSS, "Cafénieuws", 1},
		{"cp1252.rss", RSS, "Cafénieuws 1252", 1},
		{"zonder-taal.rss", RSS, "Zonder taal", 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := parseFixture(t, tt.name)
			if f.Format != tt.format || f.Title != tt.title || len(f.Items) != tt.items {
				t.Errorf("got %v %q with %d items, want %v %q with %d", f.Format, f.Title, len(f.Items), tt.format, tt.title, tt.items)
			}
		})
	}
}

// TestCRLFAndOneLine: the same feed with CRLF line ends, and on one
// line, reads as the original.
func TestCRLFAndOneLine(t *testing.T) {
	want := parseFixture(t, "nieuws.rss")
	for _, name := range []string{"nieuws-crlf.rss", "nieuws-eenregel.rss"} {
		got := parseFixture(t, name)
		for i := range want.Items {
			w, g := want.Items[i], got.Items[i]
			if g.ID != w.ID || g.Link != w.Link || g.Title != w.Title || g.Text != w.Text || !g.Published.Equal(w.Published) {
				t.Errorf("%s item %d: got %q %q %q, want %q %q %q", name, i, g.ID, g.Link, g.Title, w.ID, w.Link, w.Title)
			}
		}
	}
}

func TestQuirksRSS(t *testing.T) {
	f := parseFixture(t, "nieuws.rss")
	if f.Language != "nl-BE" {
		t.Errorf("language %q, want nl-BE", f.Language)
	}

	t.Run("HTML in CDATA, the description is the whole article", func(t *testing.T) {
		it := item(t, f, "/artikel/veerdienst-ligt-stil")
		if !strings.Contains(it.HTML, "<p>De rederij liet vrijdagavond") || strings.Contains(it.Text, "<p>") {
			t.Errorf("HTML %.80q / text %.80q: want the markup in HTML only", it.HTML, it.Text)
		}
		if !IsWhole(it.Text) || it.Words() < 200 {
			t.Errorf("%d words, whole %v: want the content:encoded article, whole", it.Words(), IsWhole(it.Text))
		}
		if strings.Count(it.Text, "\n\n") != 4 {
			t.Errorf("want 5 paragraphs, got text %q", it.Text)
		}
	})
	t.Run("1x1 tracking images are removed", func(t *testing.T) {
		for _, it := range f.Items {
			if strings.Contains(it.HTML, "pixel") || strings.Contains(it.HTML, "feedburner") || strings.Contains(it.HTML, "<img") {
				t.Errorf("%s keeps a tracking image: %q", it.Link, it.HTML)
			}
		}
	})
	t.Run("enclosure with length 0", func(t *testing.T) {
		it := item(t, f, "/artikel/veerdienst-ligt-stil")
		if len(it.Media) != 1 || it.Media[0].URL != base+"/beeld/veerboot.jpg" || it.Media[0].Length != 0 || it.Media[0].Medium != "image" {
			t.Errorf("media %+v, want the enclosure with length 0", it.Media)
		}
	})
	t.Run("entity-escaped teaser ending in ..., Drupal GUID, link with leading space and utm_", func(t *testing.T) {
		it := item(t, f, "/artikel/zwembad-middelburg?id=7")
		if it.GUID != "4711 at "+base || it.ID != it.GUID {
			t.Errorf("GUID %q ID %q, want the Drupal GUID as ID", it.GUID, it.ID)
		}
		if it.Link != base+"/artikel/zwembad-middelburg?id=7" {
			t.Errorf("link %q: want trimmed, utm_ gone, id kept", it.Link)
		}
		if !IsCut(it.Text) || IsWhole(it.Text) || !strings.HasPrefix(it.HTML, "<p>Na jaren") {
			t.Errorf("text %q: want an unescaped teaser that is cut", it.Text)
		}
		if !it.Published.Equal(time.Date(2025, 2, 28, 22, 40, 0, 0, time.UTC)) {
			t.Errorf("published %v, want 22:40 GMT", it.Published)
		}
	})
	t.Run("media:content and media:thumbnail", func(t *testing.T) {
		it := item(t, f, "/artikel/zwembad-middelburg?id=7")
		if len(it.Media) != 2 || it.Media[0].Width != 1200 || it.Media[0].Medium != "image" || !it.Media[1].Thumbnail || it.Media[1].URL != base+"/beeld/zwembad-klein.jpg" {
			t.Errorf("media %+v, want the content and its thumbnail", it.Media)
		}
	})
	t.Run("Lees verder, content:encoded holding only an image URL, isPermaLink=false, +0200", func(t *testing.T) {
		it := item(t, f, "/artikel/strandpaviljoens-langer-open")
		if it.ID != "kustnieuws-2025-0301-003" || it.Link != base+"/artikel/strandpaviljoens-langer-open" {
			t.Errorf("ID %q link %q: a GUID that is no permalink is the ID, not the link", it.ID, it.Link)
		}
		if !strings.HasPrefix(it.Text, "Strandpaviljoens in Zeeland") || !IsCut(it.Text) {
			t.Errorf("text %q: want the description, cut", it.Text)
		}
		if len(it.Media) != 1 || it.Media[0].URL != base+"/beeld/paviljoen.jpg" {
			t.Errorf("media %+v: want the image content:encoded held", it.Media)
		}
		if !it.Published.Equal(time.Date(2025, 3, 1, 8, 5, 0, 0, time.UTC)) {
			t.Errorf("published %v, want 08:05 UTC", it.Published)
		}
	})
	t.Run("empty description", func(t *testing.T) {
		it := item(t, f, "/artikel/zeehond-cadzand")
		if it.Text != "" || it.HTML != "" || it.ID != it.Link || IsWhole(it.Text) {
			t.Errorf("text %q ID %q: want no text, the link as ID", it.Text, it.ID)
		}
	})
	t.Run("missing description, GUID is the link, undated", func(t *testing.T) {
		it := item(t, f, "/artikel/munten-in-de-dijk")
		if it.Text != "" || !it.Date().IsZero() || it.ID != base+"/artikel/munten-in-de-dijk" {
			t.Errorf("text %q date %v ID %q", it.Text, it.Date(), it.ID)
		}
		if len(it.Media) != 1 || !it.Media[0].Thumbnail {
			t.Errorf("media %+v: want the thumbnail", it.Media)
		}
	})
	t.Run("one-digit day with +0100", func(t *testing.T) {
		it := item(t, f, "/artikel/veerdienst-ligt-stil")
		if !it.Published.Equal(time.Date(2025, 3, 1, 7, 15, 0, 0, time.UTC)) {
			t.Errorf("published %v, want 07:15 UTC", it.Published)
		}
	})
}

func TestQuirksEscaping(t *testing.T) {
	f := parseFixture(t, "escaped.rss")
	tests := []struct {
		link, title, text, html string
	}{
		{"/artikel/terrasregels", "Café & terras: gemeente ziet af van één regel",
			"Cafés in Goes hoeven hun terras niet meer om tien uur te sluiten.\n\nDe gemeente past de regels aan na klachten van ondernemers.",
			"<p>Cafés in Goes"},
		{"/artikel/eenmaal", "Eenmaal escaped: een vet kopje", "Tekst met een relatieve link en een € teken.",
			`<a href="` + base + `/artikel/ander">`},
		{"/artikel/ruw", "Ruwe HTML zonder CDATA", "Een alinea met nadruk.\n\nEn een tweede alinea.", "<strong>met nadruk</strong>"},
	}
	for _, tt := range tests {
		it := item(t, f, tt.link)
		if it.Title != tt.title || it.Text != tt.text || !strings.Contains(it.HTML, tt.html) {
			t.Errorf("%s:\n got title %q text %q html %q\nwant title %q text %q html containing %q", tt.link, it.Title, it.Text, it.HTML, tt.title, tt.text, tt.html)
		}
	}
}

func TestQuirksNamespacesAndLanguage(t *testing.T) {
	f := parseFixture(t, "verkeerde-namespaces.rss")
	it := f.Items[0]
	if !strings.HasPrefix(it.Text, "De provincie Zeeland") || len(it.Media) != 1 || len(it.Authors) != 1 {
		t.Errorf("prefixes bound to wrong URIs: text %q media %+v authors %v", it.Text, it.Media, it.Authors)
	}
	if !it.Published.Equal(time.Date(2025, 3, 1, 6, 30, 0, 0, time.UTC)) {
		t.Errorf("dc:date %v, want 06:30 UTC", it.Published)
	}
	// The feed says English; it is Dutch. The feed's word is kept, and
	// the language of the text is decided from the text, later.
	if f.Language != "en-US" || it.Language != "en-US" {
		t.Errorf("language %q / %q, want the feed's en-US kept", f.Language, it.Language)
	}
	if g := parseFixture(t, "zonder-taal.rss"); g.Language != "" || g.Items[0].Language != "" {
		t.Errorf("a feed without <language>: got %q", g.Language)
	}
}

func TestQuirksCharsets(t *testing.T) {
	for _, name := range []string{"latin1.rss", "cp1252.rss"} {
		it := parseFixture(t, name).Items[0]
		want := "Café in Kortgene vraagt € 5 voor een coöperatief biertje"
		if it.Title != want || !strings.Contains(it.Text, "“De Zeeuwse Knoop”") || !strings.Contains(it.Text, "Reünie") {
			t.Errorf("%s: title %q text %q, want %q and curly quotes", name, it.Title, it.Text, want)
		}
	}
	// UTF-8 declared, Windows-1252 written.
	bad := []byte("<?xml version=\"1.0\" encoding=\"utf-8\"?><rss><channel><title>Caf\xe9</title><item><title>\x93Zo\x94</title></item></channel></rss>")
	f, err := Parse(bad, "")
	if err != nil || f.Title != "Café" || f.Items[0].Title != "“Zo”" {
		t.Errorf("mislabelled Windows-1252: %v %+v", err, f)
	}
	// UTF-16 with a byte-order mark.
	u16 := []byte{0xFF, 0xFE}
	for _, r := range `<?xml version="1.0" encoding="UTF-16"?><rss><channel><title>Één</title></channel></rss>` {
		u16 = append(u16, byte(r), byte(r>>8))
	}
	if f, err := Parse(u16, ""); err != nil || f.Title != "Één" {
		t.Errorf("UTF-16: %v %+v", err, f)
	}
}

func TestQuirksAtom(t *testing.T) {
	f := parseFixture(t, "nieuws.atom")
	if f.Language != "nl-BE" || f.Link != base+"/vlaanderen/" {
		t.Errorf("feed language %q link %q", f.Language, f.Link)
	}
	tests := []struct {
		id, link, title, text, lang string
		published, updated          time.Time
	}{
		{"tag:kustnieuws.example,2025:artikel-101", base + "/vlaanderen/artikels/nieuwe-zeedijk-oostende", "Oostende krijgt nieuwe zeedijk",
			"De stad Oostende vernieuwt de zeedijk tussen het Kursaal en de Venetiaanse Gaanderijen. De werken duren twee jaar…", "nl-BE",
			time.Date(2025, 3, 1, 7, 0, 0, 0, time.UTC), time.Date(2025, 3, 1, 7, 30, 0, 0, time.UTC)},
		{"tag:kustnieuws.example,2025:artikel-102", base + "/vlaanderen/artikels/slim-parkeren", "Knokke-Heist test slimme parkeerplaatsen",
			"In Knokke-Heist meten sensoren voortaan of een parkeerplaats vrij is.\n\nAutomobilisten zien dat in een app. Meer over de app.", "fr-BE",
			time.Time{}, time.Date(2025, 2, 28, 17, 0, 0, 0, time.UTC)},
		{"tag:kustnieuws.example,2025:artikel-103", "https://kust.example.be/artikels/zonder-type", "Zonder type maar met HTML",
			"Een tekst met opmaak maar zonder type-attribuut.", "nl-BE", time.Time{}, time.Date(2025, 2, 27, 9, 0, 0, 0, time.UTC)},
	}
	for i, tt := range tests {
		it := f.Items[i]
		if it.ID != tt.id || it.Link != tt.link || it.Title != tt.title || it.Text != tt.text || it.Language != tt.lang ||
			!it.Published.Equal(tt.published) || !it.Updated.Equal(tt.updated) {
			t.Errorf("entry %d:\n got %q %q %q %q %q %v %v\nwant %q %q %q %q %q %v %v", i, it.ID, it.Link, it.Title, it.Text, it.Language, it.Published, it.Updated,
				tt.id, tt.link, tt.title, tt.text, tt.lang, tt.published, tt.updated)
		}
	}
	// xml:base applies to links inside xhtml content too.
	if !strings.Contains(f.Items[1].HTML, `href="`+base+`/info/app"`) {
		t.Errorf("relative link in content not resolved under xml:base: %q", f.Items[1].HTML)
	}
	if m := f.Items[0].Media; len(m) != 1 || m[0].URL != base+"/beeld/zeedijk.jpg" || m[0].Length != 0 {
		t.Errorf("enclosure link: %+v", m)
	}
}

func TestQuirksJSONFeed(t *testing.T) {
	f := parseFixture(t, "nieuws.json")
	a, b := f.Items[0], f.Items[1]
	if a.ID != "json-201" || a.Link != base+"/artikel/veerdienst-ligt-stil" || !IsCut(a.Text) || a.Authors[0] != "Marieke de Wit" {
		t.Errorf("first item: %+v", a)
	}
	if b.ID != "202" || b.Link != base+"/artikel/zeehond-cadzand" || b.Language != "nl-BE" || b.Text != "Bij Cadzand is vrijdag een jonge zeehond aangespoeld.\n\nHet dier is naar de opvang in Pieterburen gebracht." {
		t.Errorf("second item: %+v", b)
	}
	if len(b.Media) != 1 || b.Media[0].Medium != "audio" || b.Media[0].Length != 0 {
		t.Errorf("attachment: %+v", b.Media)
	}
}

func TestIDFallback(t *testing.T) {
	doc := `<rss><channel>
<item><title>A</title><guid>g1</guid><link>https://e.nl/a</link></item>
<item><title>B</title><guid>g1</guid><link>https://e.nl/b</link></item>
<item><title>C</title><description>Alleen tekst.</description></item>
<item><title>C</title><description>Alleen tekst.</description></item>
</channel></rss>`
	f, err := Parse([]byte(doc), "")
	if err != nil {
		t.Fatal(err)
	}
	ids := []string{f.Items[0].ID, f.Items[1].ID, f.Items[2].ID, f.Items[3].ID}
	if ids[0] != "g1" || ids[1] != "https://e.nl/b" || !strings.HasPrefix(ids[2], "sha256:") || ids[3] == ids[2] {
		t.Errorf("IDs %q: want GUID, then link for a repeated GUID, then hash, unique", ids)
	}
}

func TestNotFeed(t *testing.T) {
	tests := []struct{ name, doc string }{
		{"html page", "<!DOCTYPE html><html><head><title>x</title></head><body><p>Hallo</body></html>"},
		{"html without doctype", "<html><body>x</body></html>"},
		{"other xml", `<?xml version="1.0"?><sitemap><url>x</url></sitemap>`},
		{"other json", `{"name": "geen feed"}`},
		{"broken json", `{"version": `},
		{"empty", "   \n"},
		{"text", "Gewoon een tekst."},
	}
	for _, tt := range tests {
		if _, err := Parse([]byte(tt.doc), ""); !errors.Is(err, ErrNotFeed) {
			t.Errorf("%s: got %v, want ErrNotFeed", tt.name, err)
		}
	}
}

func TestParseDate(t *testing.T) {
	utc := func(y int, m time.Month, d, h, min int) time.Time { return time.Date(y, m, d, h, min, 0, 0, time.UTC) }
	tests := []struct {
		in   string
		want time.Time
	}{
		{"Sat, 01 Mar 2025 08:15:00 +0100", utc(2025, 3, 1, 7, 15)},
		{"Sat, 1 Mar 2025 08:15:00 +0100", utc(2025, 3, 1, 7, 15)},
		{"Sat, 1 Mar 2025 08:15:00 +0200", utc(2025, 3, 1, 6, 15)},
		{"Sat, 01 Mar 2025 08:15:00 GMT", utc(2025, 3, 1, 8, 15)},
		{"Sat, 01 Mar 2025 08:15:00 CET", utc(2025, 3, 1, 7, 15)},
		{"Sat, 01 Mar 2025 08:15:00 CEST", utc(2025, 3, 1, 6, 15)},
		{"Sat, 01 Mar 2025 08:15:00 +01:00", utc(2025, 3, 1, 7, 15)},
		{"01 Mar 2025 08:15 +0100", utc(2025, 3, 1, 7, 15)},
		{"Sat, 01 Mar 25 08:15:00 +0100", utc(2025, 3, 1, 7, 15)},
		{"Mon, 01 Mar 2025 08:15:00 +0100", utc(2025, 3, 1, 7, 15)}, // wrong weekday
		{"za, 1 mrt 2025 08:15:00 +0100", utc(2025, 3, 1, 7, 15)},
		{"zaterdag 1 maart 2025 08:15:00 +0100", utc(2025, 3, 1, 7, 15)},
		{"1 mei 2025 08:15:00 +0200", utc(2025, 5, 1, 6, 15)},
		{"  Sat,  1 Mar 2025\n 08:15:00 +0100 ", utc(2025, 3, 1, 7, 15)},
		{"2025-03-01T08:15:00+01:00", utc(2025, 3, 1, 7, 15)},
		{"2025-03-01T08:15:00.123Z", time.Date(2025, 3, 1, 8, 15, 0, 123e6, time.UTC)},
		{"2025-03-01T08:15:00", utc(2025, 3, 1, 8, 15)},
		{"2025-03-01 08:15:00", utc(2025, 3, 1, 8, 15)},
		{"2025-03-01", utc(2025, 3, 1, 0, 0)},
		{"1-3-2025 08:15", utc(2025, 3, 1, 8, 15)},
		{"March 1, 2025 08:15:00 +0100", time.Time{}},
		{"gisteren", time.Time{}},
		{"", time.Time{}},
	}
	for _, tt := range tests {
		if got := parseDate(tt.in); !got.Equal(tt.want) {
			t.Errorf("parseDate(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestCleanLink(t *testing.T) {
	b := mustURL(t, "https://news.example.be/vlaanderen/feed.xml")
	tests := []struct{ in, want string }{
		{" https://e.nl/a", "https://e.nl/a"},
		{"\n  https://e.nl/a?utm_source=rss&utm_medium=x\n", "https://e.nl/a"},
		{"https://e.nl/a?id=7&utm_campaign=x&fbclid=1", "https://e.nl/a?id=7"},
		{"https://e.nl/a#xtor=RSS-1", "https://e.nl/a"},
		{"https://e.nl/a#reacties", "https://e.nl/a#reacties"},
		{"artikels/x", "https://news.example.be/vlaanderen/artikels/x"},
		{"/x", "https://news.example.be/x"},
		{"//cdn.example.be/x", "https://cdn.example.be/x"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := cleanLink(b, tt.in); got != tt.want {
			t.Errorf("cleanLink(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, name := range feedtest.Fixtures() {
		f.Add(feedtest.Fixture(name, base))
	}
	f.Add([]byte(`<rss><channel><item><description>&amp;lt;p&amp;gt;x</description></item></channel></rss>`))
	f.Add([]byte(`<feed><entry><content type="xhtml"><div><p>x</p></div></content></entry></feed>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		feed, err := Parse(data, "https://e.nl/feed")
		if err != nil {
			return
		}
		ids := map[string]bool{}
		for _, it := range feed.Items {
			if it.ID == "" || ids[it.ID] {
				t.Fatalf("item %d has ID %q, empty or repeated", it.Position, it.ID)
			}
			ids[it.ID] = true
			_ = IsWhole(it.Text)
		}
	})
}

func FuzzParseDate(f *testing.F) {
	f.Add("Sat, 1 Mar 2025 08:15:00 +0100")
	f.Add("za, 1 mrt 2025 08:15:00 CEST")
	f.Fuzz(func(t *testing.T, s string) { parseDate(s) })
}

// TestDescriptionIsWholeArticle: a feed whose description holds the
// whole article, without content:encoded, needs no page.
func TestDescriptionIsWholeArticle(t *testing.T) {
	body := "&lt;p&gt;" + strings.Join(feedtest.Zwembad, "&lt;/p&gt;&lt;p&gt;") + "&lt;/p&gt;"
	doc := `<rss version="2.0"><channel><title>K</title><item><title>Zwembad</title><link>https://e.nl/zwembad</link><description>` + body + `</description></item></channel></rss>`
	f, err := Parse([]byte(doc), "")
	if err != nil {
		t.Fatal(err)
	}
	it := f.Items[0]
	if !IsWhole(it.Text) || strings.Count(it.Text, "\n\n") != len(feedtest.Zwembad)-1 {
		t.Errorf("%d words, whole %v, text %q: want the whole article in paragraphs", it.Words(), IsWhole(it.Text), it.Text)
	}
}

func TestRSSXMLBaseAndGUIDs(t *testing.T) {
	doc := `<rss version="2.0" xml:base="https://kust.example.nl/nieuws/"><channel><title>K</title>
<item xml:base="/regio/zeeland/"><title>A</title><link>storm</link><guid>12 at https://kust.example.nl</guid></item>
<item><title>B</title><link>../sport/uitslag</link></item>
<item><title>C</title><guid>https://kust.example.nl/c</guid></item>
<item><title>D</title><guid isPermaLink="false">https://kust.example.nl/d</guid></item>
</channel></rss>`
	f, err := Parse([]byte(doc), "https://feeds.example.nl/rss")
	if err != nil {
		t.Fatal(err)
	}
	want := []struct{ id, link string }{
		{"12 at https://kust.example.nl", "https://kust.example.nl/regio/zeeland/storm"},
		{"https://kust.example.nl/sport/uitslag", "https://kust.example.nl/sport/uitslag"},
		{"https://kust.example.nl/c", "https://kust.example.nl/c"},
		{"https://kust.example.nl/d", ""},
	}
	for i, w := range want {
		if it := f.Items[i]; it.ID != w.id || it.Link != w.link {
			t.Errorf("item %d: ID %q link %q, want %q %q", i, it.ID, it.Link, w.id, w.link)
		}
	}
}
