package feed

import (
	"bytes"
	"regexp"
	"strings"
	"sync"
	"unicode"

	"golang.org/x/net/html"
)

// MinArticleWords is the fewest words a feed's text needs to be taken
// for the whole article. Dutch news articles run from 250 words up, a
// short news item to about 150; feed teasers to 60.
const MinArticleWords = 150

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// The two expressions are compiled on first use: their counted repeats
// make them thousands of instructions, which every nl2en command would
// otherwise pay for at start, feeds or not.
var (
	// cutMark is how feeds end a text they cut short.
	cutMark = lazyRegexp(`(?i)(\.\.\.|…|\[\s*(\.\.\.|…)\s*\]|\(\s*(\.\.\.|…)\s*\)|\blees (verder|meer|het hele artikel|het volledige artikel|het artikel)\b.{0,20}|\bverder lezen\b.{0,20}|\bread (more|on|the full (article|story))\b.{0,20}|\bcontinue reading\b.{0,40}|\(meer\)|\bmeer lezen\b.{0,20})\s*[\]\)»›→>.:]*\s*$`)
	// postFooter is the line WordPress adds under every item's text:
	// it says nothing about whether the text is whole.
	postFooter = lazyRegexp(`(?is)\s*(the post .{1,300} appeared first on .{1,200}|het bericht .{1,300} verscheen eerst op .{1,200})$`)
)

// lazyRegexp is an expression compiled when first asked for.
func lazyRegexp(expr string) func() *regexp.Regexp {
	return sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(expr) })
}

// IsCut reports whether a text ends in a mark of a text cut short: "...",
// "…", "[…]", "Lees verder", "Lees meer", "Read more" (a trailing
// WordPress "The post … appeared first on …" line is looked past).
func IsCut(text string) bool {
	t := strings.TrimSpace(postFooter().ReplaceAllString(strings.TrimSpace(text), ""))
	return cutMark().MatchString(t)
}

// IsWhole reports whether an item's feed text is its whole article: it has
// [MinArticleWords] words or more and does not end in a cut mark
// ([IsCut]). Otherwise the item's link must be fetched for the article.
func IsWhole(text string) bool {
	return countWords(text) >= MinArticleWords && !IsCut(text)
}

// Choice says where an item's article text comes from, and why.
type Choice int

// The choices.
const (
	// UseFeed: the feed's text is the whole article.
	UseFeed Choice = iota + 1
	// UsePage: the page behind the link holds the article.
	UsePage
	// TeaserShorter: the page holds less of the article than the feed.
	TeaserShorter
	// TeaserWall: the page is a cookie or subscription wall.
	TeaserWall
	// TeaserDisallowed: robots.txt disallows the page.
	TeaserDisallowed
	// TeaserUnavailable: the page could not be fetched or read.
	TeaserUnavailable
)

// Teaser reports whether the feed's text is used though it is not the
// whole article: the item is marked teaser in its outputs.
func (c Choice) Teaser() bool { return c >= TeaserShorter }

// Page reports whether the page's text is used.
func (c Choice) Page() bool { return c == UsePage }

func (c Choice) String() string {
	switch c {
	case UseFeed:
		return "the feed holds the whole article"
	case UsePage:
		return "the article is read from its page"
	case TeaserShorter:
		return "the page holds less of the article than the feed"
	case TeaserWall:
		return "the page is a cookie or subscription wall"
	case TeaserDisallowed:
		return "robots.txt disallows the page"
	case TeaserUnavailable:
		return "the page could not be read"
	}
	return "undecided"
}

// Page is what fetching an item's link gave, for [Choose].
type Page struct {
	// Text is the article text extracted from the page.
	Text string
	// Disallowed: robots.txt disallows the page (it was not fetched).
	Disallowed bool
	// Failed: the page could not be fetched or its article extracted.
	Failed bool
	// Wall is a wall the page's markup shows beside its article (see
	// [WallInHTML]), which the extracted text no longer holds.
	Wall Wall
}

// Choose decides between an item's feed text and the text of its page,
// once the page was fetched because the feed's text is not whole
// ([IsWhole]). The page wins when it holds more of the article: more
// words than the feed's text, and it is no wall ([DetectWall]). Otherwise
// the feed's text is used, marked teaser; a feed text that is empty
// leaves nothing to use, which the caller reports.
func Choose(feedText string, page Page) Choice {
	switch {
	case page.Disallowed:
		return TeaserDisallowed
	case page.Failed:
		return TeaserUnavailable
	case page.Wall != NoWall || DetectWall(page.Text) != NoWall:
		return TeaserWall
	case countWords(page.Text) <= countWords(strings.TrimSpace(cutMark().ReplaceAllString(feedText, ""))):
		return TeaserShorter
	}
	return UsePage
}

// Wall is a kind of page that stands in front of an article.
type Wall int

// The walls.
const (
	NoWall Wall = iota
	CookieWall
	SubscriptionWall
)

func (w Wall) String() string {
	switch w {
	case CookieWall:
		return "cookie wall"
	case SubscriptionWall:
		return "subscription wall"
	}
	return "no wall"
}

// The wordings of walls on Dutch, Flemish and English news sites. Each is
// a phrase an article rarely holds; a wall is told by how many of them a
// text has for its length.
var (
	cookiePhrases = []string{
		"cookies accepteren", "accepteer cookies", "accepteer alle cookies", "alle cookies accepteren",
		"akkoord met cookies", "akkoord gaan met cookies", "toestemming voor cookies", "cookie-instellingen",
		"cookie instellingen", "cookievoorkeuren", "cookiebeleid", "privacy gate", "wij en onze partners",
		"wij en derde partijen", "ga akkoord", "akkoord en doorgaan", "instellingen beheren", "voorkeuren beheren",
		"om deze inhoud te bekijken", "om deze content te bekijken", "om dit artikel te lezen moet je",
		"we use cookies", "accept cookies", "accept all cookies", "cookie settings", "cookie preferences",
		"manage preferences", "manage cookies", "we and our partners", "consent to the use", "by clicking accept",
		"your privacy choices", "reject all",
	}
	subscriptionPhrases = []string{
		"word abonnee", "neem een abonnement", "sluit een abonnement af", "alleen voor abonnees",
		"exclusief voor abonnees", "voor abonnees", "al abonnee?", "ben je al abonnee", "bent u al abonnee",
		"log in om verder te lezen", "log in om dit artikel te lezen", "lees verder met", "lees dit artikel met",
		"dit is een plus-artikel", "plusartikel", "premium artikel", "dit artikel is voor abonnees",
		"onbeperkt toegang", "onbeperkt lezen", "eerste maand gratis", "probeer gratis", "per maand opzegbaar",
		"maandelijks opzegbaar", "subscribe to continue", "subscribe to read", "subscribers only",
		"for subscribers", "already a subscriber", "sign in to continue reading", "log in to continue reading",
		"become a subscriber", "start your subscription", "this article is for subscribers", "unlimited access",
	}
)

// DetectWall tells a cookie or subscription wall from an article by its
// wording, in Dutch and English: a short text with one wall phrase, or a
// text with several for its length. An article about cookies or
// subscriptions uses few such phrases among many words, and is no wall.
func DetectWall(text string) Wall {
	lower := strings.ToLower(strings.Join(strings.Fields(text), " "))
	words := countWords(lower)
	count := func(phrases []string) int {
		n := 0
		for _, p := range phrases {
			if strings.Contains(lower, p) {
				n++
			}
		}
		return n
	}
	cookies, subs := count(cookiePhrases), count(subscriptionPhrases)
	wall := func(n int) bool {
		return n >= 1 && words < 120 || n >= 2 && words < 400 || n >= 3 && n*150 >= words
	}
	switch {
	case words == 0:
		return NoWall
	case wall(subs) && subs >= cookies:
		return SubscriptionWall
	case wall(cookies):
		return CookieWall
	case wall(subs):
		return SubscriptionWall
	}
	return NoWall
}

// wallMarks are what the class or id of a paywall's box holds on news
// sites' pages, in lower case.
var wallMarks = []string{"paywall", "pay-wall", "regwall", "subscriber-only", "subscription-wall", "premium-wall", "plus-wall", "abonnee"}

// WallInHTML finds a subscription wall in a page's markup: a box whose
// class or id names a paywall and whose text asks for a subscription
// ("Word abonnee", "Al abonnee?"). A page that shows the first
// paragraphs of an article above such a box holds only part of it, though
// the extracted article, from which the box is dropped, reads whole. A
// link to subscribe in the navigation is no wall: it is in no such box.
func WallInHTML(page []byte) Wall {
	doc, err := html.Parse(bytes.NewReader(page))
	if err != nil {
		return NoWall
	}
	var found Wall
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if found != NoWall {
			return
		}
		if n.Type == html.ElementNode && markedWall(n) {
			var tw textWriter
			tw.node(n)
			lower := strings.ToLower(strings.Join(strings.Fields(tw.String()), " "))
			for _, p := range subscriptionPhrases {
				if strings.Contains(lower, p) {
					found = SubscriptionWall
					return
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return found
}

// markedWall reports whether an element's class or id names a paywall.
func markedWall(n *html.Node) bool {
	for _, a := range n.Attr {
		if a.Key != "class" && a.Key != "id" {
			continue
		}
		v := strings.ToLower(a.Val)
		for _, m := range wallMarks {
			if strings.Contains(v, m) {
				return true
			}
		}
	}
	return false
}
