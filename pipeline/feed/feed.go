package feed

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/nl2en/nl2en/pipeline/redact"
)

// Format is a kind of feed nl2en reads.
type Format int

// The formats, in the order [Parse] tells them apart.
const (
	RSS Format = iota + 1
	Atom
	JSONFeed
)

func (f Format) String() string {
	switch f {
	case RSS:
		return "RSS"
	case Atom:
		return "Atom"
	case JSONFeed:
		return "JSON Feed"
	}
	return "unknown"
}

// ErrNotFeed is returned, wrapped with what the document is instead,
// when a document is not an RSS, Atom or JSON feed.
var ErrNotFeed = errors.New("not a feed")

// Feed is a parsed feed.
type Feed struct {
	Format Format
	Title  string
	// Link is the site's home page, absolute.
	Link string
	// Language is the language the feed says it is in (<language>,
	// xml:lang, "language"), tidied ("nl_be" → "nl-BE") but not checked:
	// feeds often say it wrongly or not at all, and the text's language
	// is decided from the text.
	Language string
	Items    []Item
}

// Item is one entry of a feed.
type Item struct {
	// ID identifies the item within its feed: its GUID, else its link,
	// else "sha256:" and the hash of its title and text. An ID that
	// another item of the feed already has falls back the same way.
	ID   string
	GUID string
	// Link is the article's address: absolute (resolved against
	// xml:base or the feed's URL), trimmed, without utm_ and other
	// tracking parameters. A GUID is the link only when it is an
	// http(s) URL and not marked isPermaLink="false".
	Link  string
	Title string
	// HTML is the item's body as HTML, with links made absolute and
	// tracking images, scripts and styles removed; Text is its visible
	// text, paragraphs separated by blank lines. The body is the longer
	// of the item's full content (content:encoded, Atom content, JSON
	// content_html) and its description or summary.
	HTML string
	Text string
	// Published is when the item was published, else when updated; zero
	// when the feed gives no date it can be read from.
	Published time.Time
	Updated   time.Time
	Authors   []string
	// Language is the item's own language where the feed gives one,
	// else the feed's; as written, as [Feed.Language].
	Language   string
	Categories []string
	// Media are the item's enclosures, media:content and media:thumbnail,
	// and images that stood where its content should be.
	Media []Media
	// Position is the item's place in the feed, from 0.
	Position int
}

// Media is an image, audio or video file of an item.
type Media struct {
	URL  string
	Type string // MIME type, when given
	// Medium is "image", "audio" or "video" where the feed or the type
	// says so.
	Medium string
	// Length is the size in bytes the feed gives; 0 when it gives none
	// or 0, as many do for enclosures.
	Length        int64
	Width, Height int
	Thumbnail     bool
}

// Date is when the item was published, else updated; zero when undated.
func (it Item) Date() time.Time {
	if !it.Published.IsZero() {
		return it.Published
	}
	return it.Updated
}

// Hash is the SHA-256, in hex, of what the item says: its title, link
// and text. A changed hash under the same ID is a changed item. Markup
// and whitespace do not count, so a feed that rewrites its HTML does not
// make every item new; nor does a rotated token in the link.
func (it Item) Hash() string {
	h := sha256.New()
	for _, s := range []string{it.Title, redact.URL(it.Link), it.Text} {
		h.Write([]byte(strings.Join(strings.Fields(s), " ")))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Words counts the words of the item's text.
func (it Item) Words() int { return countWords(it.Text) }

// Parse reads a feed: RSS 2.0 (and 0.9x, 1.0), Atom 1.0 or JSON Feed 1.x,
// told apart by content. base is the URL the feed was fetched from (its
// final URL after redirects), against which relative links are resolved;
// it may be "" for a feed read from a file. A document that is none of
// these (an HTML page, other XML or JSON) gives an error wrapping
// [ErrNotFeed].
func Parse(data []byte, base string) (*Feed, error) {
	var bu *url.URL
	if base != "" {
		u, err := url.Parse(strings.TrimSpace(base))
		if err == nil {
			bu = u
		}
	}
	trimmed := bytes.TrimLeft(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")), " \t\r\n")
	if len(trimmed) == 0 {
		return nil, fmt.Errorf("%w: the document is empty", ErrNotFeed)
	}
	var f *Feed
	var err error
	if trimmed[0] == '{' {
		f, err = parseJSON(trimmed, bu)
	} else {
		f, err = parseXMLFeed(data, bu)
	}
	if err != nil {
		return nil, err
	}
	finish(f)
	return f, nil
}

func parseXMLFeed(data []byte, base *url.URL) (*Feed, error) {
	root, err := parseXML(data, base)
	if err != nil {
		if looksLikeHTML(data) {
			return nil, fmt.Errorf("%w: it is a web page (HTML)", ErrNotFeed)
		}
		return nil, fmt.Errorf("%w: not well-formed XML or JSON (%v)", ErrNotFeed, err)
	}
	switch root.name {
	case "rss", "rdf":
		return readRSS(root), nil
	case "feed":
		return readAtom(root), nil
	case "html":
		return nil, fmt.Errorf("%w: it is a web page (HTML)", ErrNotFeed)
	}
	return nil, fmt.Errorf("%w: an XML document whose root is <%s>", ErrNotFeed, root.name)
}

func looksLikeHTML(data []byte) bool {
	head := strings.ToLower(string(data[:min(len(data), 1024)]))
	return strings.Contains(head, "<!doctype html") || strings.Contains(head, "<html")
}

// finish gives every item its ID, its language and its position, and
// tidies the feed's language.
func finish(f *Feed) {
	f.Language = tidyLanguage(f.Language)
	seen := map[string]bool{}
	for i := range f.Items {
		it := &f.Items[i]
		it.Position = i
		it.Language = tidyLanguage(it.Language)
		if it.Language == "" {
			it.Language = f.Language
		}
		for _, id := range []string{it.GUID, it.Link, "sha256:" + it.Hash()} {
			if id != "" && !seen[id] {
				it.ID = id
				break
			}
		}
		if it.ID == "" {
			it.ID = fmt.Sprintf("sha256:%s-%d", it.Hash(), i) // the same item twice
		}
		seen[it.ID] = true
	}
}

// tidyLanguage writes a language tag the usual way: "NL" → "nl",
// "nl_be" → "nl-BE". It does not check it.
func tidyLanguage(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == '-' || r == '_' })
	for i, p := range parts {
		switch {
		case i == 0:
			parts[i] = strings.ToLower(p)
		case len(p) == 2:
			parts[i] = strings.ToUpper(p)
		case len(p) == 4:
			parts[i] = strings.ToUpper(p[:1]) + strings.ToLower(p[1:])
		default:
			parts[i] = strings.ToLower(p)
		}
	}
	return strings.Join(parts, "-")
}

// countWords counts the words of a text: runs of characters with a
// letter or digit in them.
func countWords(s string) int {
	n := 0
	for _, w := range strings.Fields(s) {
		for _, r := range w {
			if isWordRune(r) {
				n++
				break
			}
		}
	}
	return n
}
