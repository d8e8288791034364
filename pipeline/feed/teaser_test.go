package feed

import (
	"strings"
	"testing"

	"github.com/nl2en/nl2en/pipeline/feed/feedtest"
)

func TestIsCut(t *testing.T) {
	tests := []struct {
		text string
		want bool
	}{
		{"De bouw moet volgend jaar beginnen...", true},
		{"De werken duren twee jaar…", true},
		{"De werken duren twee jaar …", true},
		{"Ondernemers zijn blij, omwonenden minder. Lees verder »", true},
		{"Ondernemers zijn blij. Lees verder", true},
		{"Ondernemers zijn blij. Lees meer >", true},
		{"Ondernemers zijn blij. Lees het hele artikel op onze site.", true},
		{"Ondernemers zijn blij [...]", true},
		{"Ondernemers zijn blij […]", true},
		{"Ondernemers zijn blij (meer)", true},
		{"Business owners are happy. Read more", true},
		{"Business owners are happy. Continue reading →", true},
		{"Ondernemers zijn blij […]\n\nHet bericht Strandpaviljoens mogen langer open verscheen eerst op Kustnieuws.", true},
		{"Ondernemers zijn blij.\n\nThe post Strandpaviljoens appeared first on Kustnieuws.", false},
		{"Ondernemers zijn blij.", false},
		{"Hij las verder in zijn boek.", false},
		{"Wat nu...? Niemand weet het.", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := IsCut(tt.text); got != tt.want {
			t.Errorf("IsCut(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}

func TestIsWhole(t *testing.T) {
	whole := strings.Join(feedtest.Veerdienst, "\n\n")
	if !IsWhole(whole) {
		t.Errorf("the ferry article (%d words) is not whole", countWords(whole))
	}
	if IsWhole(whole + " Lees verder") {
		t.Error("a long text ending in a cut mark is whole")
	}
	if IsWhole(feedtest.Zwembad[0]) {
		t.Error("one paragraph is whole")
	}
	if IsWhole("") {
		t.Error("an empty text is whole")
	}
}

// pageText is the visible text of a page, as extraction would give of a
// page that is all wall.
func pageText(page string) string { return readHTML(page, nil).text }

func TestDetectWall(t *testing.T) {
	tests := []struct {
		name string
		text string
		want Wall
	}{
		{"cookie wall", pageText(feedtest.CookieWall), CookieWall},
		{"paywall", pageText(feedtest.Paywall), SubscriptionWall},
		{"english paywall", "Subscribe to continue reading. Already a subscriber? Sign in.", SubscriptionWall},
		{"english cookie wall", "We use cookies to improve your experience. Accept all cookies or manage preferences.", CookieWall},
		{"an article about cookie walls", articleText(feedtest.CookieArticle), NoWall},
		{"a news article", strings.Join(feedtest.Zwembad, "\n\n"), NoWall},
		{"a news article with a subscription line at its end", strings.Join(feedtest.Veerdienst, "\n\n") + "\n\nWord abonnee van Het Kustnieuws.", NoWall},
		{"empty", "", NoWall},
	}
	for _, tt := range tests {
		if got := DetectWall(tt.text); got != tt.want {
			t.Errorf("%s: DetectWall = %v, want %v (%d words)", tt.name, got, tt.want, countWords(tt.text))
		}
	}
}

// articleText is the text of a news page's <article>, as extraction
// gives it.
func articleText(page string) string {
	start := strings.Index(page, "<article")
	end := strings.Index(page, "</article>")
	return readHTML(page[start:end], nil).text
}

func TestChoose(t *testing.T) {
	teaser := "Na jaren van discussie is de knoop doorgehakt: Middelburg krijgt een nieuw zwembad aan de rand van de stad. De bouw moet volgend jaar beginnen..."
	zeedijk := "De stad Oostende vernieuwt de zeedijk tussen het Kursaal en de Venetiaanse Gaanderijen. De werken duren twee jaar…"
	tests := []struct {
		name     string
		feedText string
		page     Page
		want     Choice
	}{
		{"the page holds the article", teaser, Page{Text: articleText(newsPageOf(feedtest.Zwembad))}, UsePage},
		{"the page holds less than the feed", zeedijk, Page{Text: articleText(feedtest.TeaserPage)}, TeaserShorter},
		{"a cookie wall", teaser, Page{Text: pageText(feedtest.CookieWall)}, TeaserWall},
		{"a paywall", teaser, Page{Text: articleText(feedtest.Paywall)}, TeaserWall},
		{"robots.txt disallows", teaser, Page{Disallowed: true}, TeaserDisallowed},
		{"the fetch failed", teaser, Page{Failed: true}, TeaserUnavailable},
		{"no feed text, a page", "", Page{Text: "Bij werkzaamheden aan de dijk zijn munten gevonden."}, UsePage},
		{"no feed text, an empty page", "", Page{Text: ""}, TeaserShorter},
	}
	for _, tt := range tests {
		got := Choose(tt.feedText, tt.page)
		if got != tt.want {
			t.Errorf("%s: Choose = %v, want %v", tt.name, got, tt.want)
		}
		if got.Teaser() != (tt.want >= TeaserShorter) || got.Page() != (tt.want == UsePage) {
			t.Errorf("%s: Teaser %v Page %v disagree with %v", tt.name, got.Teaser(), got.Page(), got)
		}
	}
}

func newsPageOf(paragraphs []string) string {
	return "<article><h1>Kop</h1><p>" + strings.Join(paragraphs, "</p><p>") + "</p></article>"
}

// paywallBox is the page of an article whose first paragraphs stand
// above a box asking for a subscription: the extraction drops the box,
// and what is left reads as a whole, short article.
const paywallBox = `<!DOCTYPE html>
<html lang="nl"><head><meta charset="utf-8"><title>Haven breidt uit | Het Kustnieuws</title></head>
<body>
<nav><a href="/">Home</a> <a href="/abonneren">Word abonnee</a></nav>
<article>
<h1>Haven van Vlissingen breidt uit</h1>
<p>De haven van Vlissingen krijgt een nieuwe kade voor containerschepen, heeft het havenbedrijf dinsdag bekendgemaakt.</p>
<p>De bouw begint volgend jaar en moet in 2029 klaar zijn. Er komen zo'n driehonderd banen bij.</p>
<div class="article-paywall premium"><h3>Lees verder?</h3><p>Word abonnee en lees onbeperkt alle artikelen.</p><p>Al abonnee? Log in.</p></div>
</article>
<footer>Het Kustnieuws</footer>
</body></html>
`

func TestWallInHTML(t *testing.T) {
	tests := []struct {
		name string
		page string
		want Wall
	}{
		{"a paywall box below the lead", paywallBox, SubscriptionWall},
		{"a news page with a subscribe link in its navigation", newsPageOf(feedtest.Zwembad) + `<nav><a href="/abonneren">Word abonnee</a></nav>`, NoWall},
		{"the feed site's article page", feedtest.Paywall, NoWall}, // its wall is in the article's text: DetectWall's
		{"an empty paywall container", `<article><p>Tekst.</p><div id="paywall"></div></article>`, NoWall},
		{"a paywall box in English", `<article><p>Text.</p><section class="regwall">Subscribe to continue reading.</section></article>`, SubscriptionWall},
	}
	for _, tt := range tests {
		if got := WallInHTML([]byte(tt.page)); got != tt.want {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
	// The article the extraction keeps is no wall by its text, but the
	// page is one: the item's feed text is used, marked teaser.
	teaser := "De haven van Vlissingen krijgt een nieuwe kade voor containerschepen..."
	kept := "Haven van Vlissingen breidt uit\n\nDe haven van Vlissingen krijgt een nieuwe kade voor containerschepen, heeft het havenbedrijf dinsdag bekendgemaakt.\n\nDe bouw begint volgend jaar en moet in 2029 klaar zijn. Er komen zo'n driehonderd banen bij."
	page := Page{Text: kept, Wall: WallInHTML([]byte(paywallBox))}
	if DetectWall(page.Text) != NoWall {
		t.Fatalf("the article's text alone reads as a wall: %q", page.Text)
	}
	if got := Choose(teaser, page); got != TeaserWall {
		t.Errorf("Choose = %v, want %v", got, TeaserWall)
	}
}
