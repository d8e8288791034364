package split

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/nl2en/nl2en/pipeline"
)

func TestHTML(t *testing.T) {
	tests := []struct {
		name string
		page string
		want []string // kind:text
	}{
		{
			"images: a figure, an inline image, lazy loading; tracking pixels dropped",
			`<article><h1>Kop</h1><figure><img src="/img/stalling.jpg" alt="Fietsenstalling  bij het station"><figcaption>De stalling bij nacht. (foto ANP)</figcaption></figure>
			<p>Voor <img src="data:image/gif;base64,R0lG" data-src="/img/lazy.jpg" alt="Een fiets"> na.</p>
			<p>Tekst.<img src="https://t.example.nl/p?id=1" width="1" height="1" alt=""><img src="/pixel.gif"></p><picture><source srcset="a.webp"><img src="a.jpg" alt=""></picture></article>`,
			[]string{"title:Kop", "media:Fietsenstalling bij het station", "caption:De stalling bij nacht. (foto ANP)",
				"paragraph:Voor", "media:Een fiets", "paragraph:na.", "paragraph:Tekst.", "media:"},
		},
		{
			"only the article counts",
			`<nav><p>Home</p></nav><div class="ad">Advertentie</div><article><h1>Kop</h1><p>Tekst.</p></article><footer><p>Colofon</p></footer>`,
			[]string{"title:Kop", "paragraph:Tekst."},
		},
		{
			"the longest article",
			`<article><p>Kort.</p></article><article><h1>Kop</h1><p>Een veel langere tekst dan de andere.</p></article>`,
			[]string{"title:Kop", "paragraph:Een veel langere tekst dan de andere."},
		},
		{
			"blocks",
			`<article><h1>Kop</h1><p class="byline">Door  Anna
			de Vries</p><h2>Tussenkop</h2><h3>Nog een</h3><figure><img alt="x"><figcaption>Een boom. (foto ANP)</figcaption></figure>
			<ul><li>Een</li><li>Twee <ul><li>Half</li></ul></li></ul><blockquote><p>‘Ja.’</p><p>Nee.</p></blockquote></article>`,
			[]string{"title:Kop", "byline:Door Anna de Vries", "heading:Tussenkop", "heading:Nog een", "caption:Een boom. (foto ANP)",
				"list_item:Een", "list_item:Twee", "list_item:Half", "quote:‘Ja.’", "quote:Nee."},
		},
		{
			"inline markup joins, blocks separate",
			`<article><p>Am<b>ster</b>dam<br>en <a href="#">Rotterdam</a>&nbsp;&shy;zijn&#8203; steden.</p><div>Los<p>Binnen.</p>Na</div></article>`,
			[]string{"paragraph:Amsterdam en Rotterdam zijn steden.", "paragraph:Los", "paragraph:Binnen.", "paragraph:Na"},
		},
		{
			"dropped elements",
			`<article><p>Tekst.</p><script>x()</script><style>p{}</style><p hidden>Verborgen</p><p style="display: none">Weg</p>
			<aside><p>Kader</p></aside><div class="share-bar">Deel dit artikel</div><div class="cookie-consent">Cookies</div><p aria-hidden="true">Niet</p><span class="sr-only">Lezer</span></article>`,
			[]string{"paragraph:Tekst."},
		},
		{
			"tweet embed is one segment",
			`<article><p>Tekst.</p><blockquote class="twitter-tweet"><p lang="en">Big news today. <a href="https://t.co/a">pic.twitter.com/a</a></p>&mdash; Jane (@jane) <a href="#">3 maart 2024</a></blockquote></article>`,
			[]string{"paragraph:Tekst.", "embed:Big news today. pic.twitter.com/a — Jane (@jane) 3 maart 2024"},
		},
		{
			"bold paragraph as heading",
			`<article><p>Tekst.</p><p><strong>Tussenkop</strong></p><p>Meer <strong>vet</strong> tekst.</p><p><b>Zin in vet.</b></p></article>`,
			[]string{"paragraph:Tekst.", "heading:Tussenkop", "paragraph:Meer vet tekst.", "paragraph:Zin in vet."},
		},
		{
			"text rules apply to paragraphs",
			`<article><p>ROTTERDAM - Het begon.</p><p>Lees ook: <a href="#">Meer</a></p><p>„Heel de tekst.”</p><p>Donderdag 14 november 2024</p></article>`,
			[]string{"dateline:ROTTERDAM -", "paragraph:Het begon.", "furniture:Lees ook: Meer", "quote:„Heel de tekst.”", "dateline:Donderdag 14 november 2024"},
		},
		{
			"hidden by class",
			`<article><h2 class="element-invisible">Delen</h2><p>Tekst.</p><p>Ook <span class="sr-only">(opent nieuw venster)</span>dit.</p>
			<div class="visually-hidden"><h2>Menu</h2></div><p class="hidden">Voorlezen</p><p class="d-none">Weg</p><p class="invisible">Niet</p>
			<p class="screen-reader-text">Lezer</p></article>`,
			[]string{"paragraph:Tekst.", "paragraph:Ook dit."},
		},
		{
			"responsive classes show the element",
			`<article><p class="hidden md:block">Breed scherm.</p><p class="d-none d-lg-block">Groot scherm.</p><p class="sr-only md:not-sr-only">Ook te zien.</p><p class="hidden-xs">Klein.</p></article>`,
			[]string{"paragraph:Breed scherm.", "paragraph:Groot scherm.", "paragraph:Ook te zien.", "paragraph:Klein."},
		},
		{
			"run-in bold heading",
			`<article><p>Tekst.</p><p><strong>2. De gevolgen</strong><br>Na het besluit ging het mis.</p><p><b>Let op:</b><br>dit blijft één alinea.</p>
			<p><strong>Alles vet</strong> en niet<br>vet.</p><ul><li><strong>Punt</strong><br>uitleg</li></ul></article>`,
			[]string{"paragraph:Tekst.", "heading:2. De gevolgen", "paragraph:Na het besluit ging het mis.", "paragraph:Let op: dit blijft één alinea.",
				"paragraph:Alles vet en niet vet.", "list_item:Punt uitleg"},
		},
		{
			"numbered paragraphs as headings",
			`<article><p>Tekst.</p><p>1. Wat is er gebeurd?</p><p>Een brand.</p><p>2. Wat nu?</p><p>Herstel.</p><p>1. Een</p><p>2. Twee</p></article>`,
			[]string{"paragraph:Tekst.", "heading:1. Wat is er gebeurd?", "paragraph:Een brand.", "heading:2. Wat nu?", "paragraph:Herstel.", "paragraph:1. Een", "paragraph:2. Twee"},
		},
		{
			"name under the title",
			`<article><h1>Kop</h1><p>Marieke de Vries</p><p>Tekst.</p><h2>Willem-Alexander</h2><p>Meer.</p><p>Jan de Boer</p><p>Meer.</p></article>`,
			[]string{"title:Kop", "byline:Marieke de Vries", "paragraph:Tekst.", "heading:Willem-Alexander", "paragraph:Meer.", "paragraph:Jan de Boer", "paragraph:Meer."},
		},
		{
			"class with ad in a big wrapper is kept",
			`<article><div class="body has-ads"><p>` + longDutch + `</p></div></article>`,
			[]string{"paragraph:" + longDutch},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			units, err := parseHTML(tt.page)
			if err != nil {
				t.Fatal(err)
			}
			segs := classify(units, pipeline.FormatHTML)
			var got []string
			for _, s := range segs {
				got = append(got, string(s.Kind)+":"+s.Text)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("segment %d: got %q, want %q", i+1, got[i], tt.want[i])
				}
			}
		})
	}
}

const longDutch = "De gemeenteraad heeft dinsdagavond ingestemd met het plan om de binnenstad autoluw te maken. " +
	"Het plan kost ongeveer vijf miljoen euro en wordt deels betaald uit een provinciale subsidie. " +
	"Ondernemers reageren verdeeld: winkeliers vrezen dat klanten wegblijven, de horeca hoopt op meer terrassen. " +
	"Een ruime meerderheid van de raad vond dat de gemeente lang genoeg had gewacht met een besluit. " +
	"De eerste borden gaan in januari omhoog, de pendelbus rijdt vanaf maart. " +
	"Bewoners krijgen een ontheffing, bezoekers parkeren in de garages aan de rand van de stad. " +
	"Een motie om het plan eerst een jaar te testen, haalde het niet. " +
	"De oppositie sprak van een gok met de toekomst van de winkels in het centrum. " +
	"De wethouder noemde het besluit een keerpunt voor de stad. " +
	"Volgend jaar volgt een eerste evaluatie van de maatregelen."

// TestHTMLWithoutArticle checks that readability finds the story of a
// page without <article> and leaves the rest of the page out.
func TestHTMLWithoutArticle(t *testing.T) {
	art, _ := splitFile(t, "testdata/articles/brand-moerdijk-zonder-article.html")
	for _, s := range art.Segments {
		for _, junk := range []string{"cookies", "Voorpagina", "Advertentie", "Meest gelezen", "Meer nieuws", "Alle rechten", "Deel dit artikel", "adSlots"} {
			if contains(s.Text, junk) {
				t.Errorf("%s %q holds page furniture %q", s.ID, s.Text, junk)
			}
		}
	}
	if got := art.Segments[0]; got.Kind != pipeline.KindTitle || got.Text != "Grote brand in loods op industrieterrein Moerdijk onder controle" {
		t.Errorf("got first segment %s %q, want the title without the site name", got.Kind, got.Text)
	}
	if n := len(art.Segments); n < 14 {
		t.Errorf("got %d segments, want the whole story (15)", n)
	}
}

func TestHTMLListNumbers(t *testing.T) {
	page := `<article><p>Tekst.</p><ol><li>Een</li><li>Twee<ul><li>Half</li></ul></li><li value="7">Zeven</li><li>Acht</li></ol>
	<ol start="3"><li><p>Drie</p></li></ol><ul><li>Los</li></ul></article>`
	units, err := parseHTML(page)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range classify(units, pipeline.FormatHTML) {
		got = append(got, s.Text+":"+strconv.Itoa(s.ListNumber))
	}
	want := []string{"Tekst.:0", "Een:1", "Twee:2", "Half:0", "Zeven:7", "Acht:8", "Drie:3", "Los:0"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("got %q, want %q", got, want)
	}
}

// TestHTMLHeaderOutsideContent checks that a page whose header stands
// outside the content readability finds keeps its byline, date line and
// lead photo caption, and nothing else of the header.
func TestHTMLHeaderOutsideContent(t *testing.T) {
	art, _ := splitFile(t, "testdata/articles/havens-rotterdam-zonder-article.html")
	var got []string
	for _, s := range art.Segments[:5] {
		got = append(got, string(s.Kind)+":"+s.Text)
	}
	want := []string{
		"title:Overslag in Rotterdamse haven daalt voor het tweede jaar op rij",
		"byline:Door Redactie Economie",
		"dateline:3 maart 2025, 14:12",
		"caption:Een containerschip wordt gelost aan de Maasvlakte. Foto: Joris van Leeuwen/ANP",
		"paragraph:De overslag in de haven van Rotterdam is vorig jaar opnieuw gedaald. Er werd 435 miljoen ton aan goederen overgeslagen, 1,2 procent minder dan een jaar eerder. Dat maakte het Havenbedrijf Rotterdam vanochtend bekend bij de presentatie van de jaarcijfers.",
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("segment %d: got %q, want %q", i+1, got[i], want[i])
		}
	}
	for _, s := range art.Segments {
		if s.Text == "Economie" || contains(s.Text, "Meer over de haven") {
			t.Errorf("%s %q: page furniture from outside the article", s.ID, s.Text)
		}
	}
}

func contains(s, sub string) bool {
	return len(sub) > 0 && len(s) >= len(sub) && indexOf(s, sub) >= 0
}

func indexOf(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return i
		}
	}
	return -1
}

// TestHTMLMedia: an image's link is kept as the page gives it, and an
// image without alternative text has nothing to translate.
func TestHTMLMedia(t *testing.T) {
	page := `<article><h1>Stalling open</h1><figure><img src="/img/stalling.jpg?w=800&amp;h=600" alt="Fietsenstalling"></figure>
	<p>De nieuwe stalling bij het station is open.</p><p><img src="/img/leeg.jpg"></p></article>`
	art, err := New().Split(context.Background(), "stalling.html", []byte(page), Options{})
	if err != nil {
		t.Fatal(err)
	}
	var media []pipeline.Segment
	for _, s := range art.Segments {
		if s.Kind == pipeline.KindMedia {
			media = append(media, s)
		}
	}
	if len(media) != 2 || media[0].Media != "/img/stalling.jpg?w=800&h=600" || media[0].Text != "Fietsenstalling" || media[0].Keep ||
		media[1].Media != "/img/leeg.jpg" || media[1].Text != "" || !media[1].Keep {
		t.Errorf("media segments %+v, want the figure's link and alt text, translated, and the bare image kept", media)
	}
}

// TestHTMLEmptyArticle: a page whose <article> holds no text has no
// article text, whatever else it holds: its footer is not the story.
func TestHTMLEmptyArticle(t *testing.T) {
	page := `<html><body><nav><a href="/">Voorpagina</a></nav><article>
	  <img src="/img/foto.jpg" alt="Een foto">  </article>
	<footer><p>Deze krant is een uitgave van Mediahuis. Neem contact op met de redactie via het formulier of bel ons op werkdagen tussen 9 en 17 uur.</p></footer></body></html>`
	_, err := New().Split(context.Background(), "leeg.html", []byte(page), Options{})
	if !errors.Is(err, ErrEmpty) || !strings.Contains(err.Error(), "leeg.html") || !strings.Contains(err.Error(), "no article text found") {
		t.Errorf("err = %v, want ErrEmpty naming the file: no article text found", err)
	}
}
