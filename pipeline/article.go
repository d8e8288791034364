package pipeline

import "time"

// Format is the markup an article arrives in.
type Format string

const (
	FormatText     Format = "txt"
	FormatMarkdown Format = "md"
	FormatHTML     Format = "html"
)

// Kind says what part of an article a segment is. It decides whether the
// segment is translated and how it is rendered.
type Kind string

const (
	KindTitle     Kind = "title"     // the headline the article starts with
	KindHeading   Kind = "heading"   // a subheading
	KindParagraph Kind = "paragraph" // body text
	KindCaption   Kind = "caption"   // a photo caption, usually ending in a credit
	KindEmbed     Kind = "embed"     // an embedded social-media post
	KindQuote     Kind = "quote"     // a paragraph that is wholly a quotation
	KindListItem  Kind = "list_item" // one item of a bulleted or numbered list
	KindByline    Kind = "byline"    // "Door …"
	KindDateline  Kind = "dateline"  // "AMSTERDAM -", or a date line
	KindFurniture Kind = "furniture" // "Lees ook:", share prompts: kept, not translated
	KindMedia     Kind = "media"     // an image or figure: its link kept, its alternative text translated
)

// Kinds lists every kind, in the order the README documents them.
var Kinds = []Kind{
	KindTitle, KindHeading, KindParagraph, KindCaption, KindEmbed,
	KindQuote, KindListItem, KindByline, KindDateline, KindFurniture, KindMedia,
}

// Article is one source document after splitting.
type Article struct {
	// Name is the path the article was read from, or "-" for stdin.
	Name string
	// Format is the markup the article was parsed as.
	Format Format
	// SHA256 is the hex digest of the raw input bytes, before any
	// normalisation, so that a changed file is always noticed.
	SHA256 string
	// Segments are the article's parts in document order.
	Segments []Segment
	// FrontMatter holds the fields of a Markdown article's YAML front
	// matter ("title", "authors", "date", "tags", …) as values that
	// encode as JSON the way they read: strings (dates as written),
	// int64, float64, bool, nil, []any and map[string]any. Nil when the
	// article has none. Front matter is metadata, not a segment: its
	// bytes belong to the first segment's Lead, except for the title,
	// which is the title segment when the body has no "# " heading.
	FrontMatter map[string]any
	// EnglishOnly is set when the article is already in English: every
	// segment whose language can be told is English with high
	// confidence, and none reads as Dutch. Such an article is written as
	// it is, without a request.
	EnglishOnly bool
	// Web says where an article fetched from the web came from; nil for
	// a file or stdin. Such an article's Name is its address as given
	// (a feed item's link), credentials redacted, and its SHA256 the
	// digest of the article's text as extracted rather than of the
	// page's bytes, so that a page whose markup changes around an
	// unchanged article stays up to date.
	Web *WebSource
}

// WebSource is where an article fetched from the web came from: a page
// whose URL was given to translate, or an item of a feed. Every URL in
// it has its credentials redacted.
type WebSource struct {
	// URL is the address the article was read from, after redirects: the
	// page, or for an article the feed held whole, the item's link.
	URL string
	// Fetched is when the page (or the feed that held the article) was
	// read.
	Fetched time.Time
	// Feed and FeedTitle name the feed of an item; GUID is its id there
	// (the feed's guid or id, when it has one).
	Feed      string
	FeedTitle string
	GUID      string
	// Published is when the feed says the item was published.
	Published time.Time
	// TextFrom says where the text came from: TextFromPage or
	// TextFromFeed.
	TextFrom string
	// Teaser marks an article translated from the feed's text although
	// that is not the whole article (the page was shorter, a wall, or
	// disallowed by robots.txt); TeaserReason says which.
	Teaser       bool
	TeaserReason string
}

// Where a fetched article's text came from.
const (
	TextFromPage = "page"
	TextFromFeed = "feed"
)

// Segment is one translatable (or deliberately untranslated) part of an
// article.
type Segment struct {
	// ID is stable within the article: "s1", "s2", … in document order.
	ID string
	// Kind says what the segment is.
	Kind Kind
	// Text is the source text as it is sent for translation: markup that
	// only marks the kind (a leading "## ", "- ", "> ") is removed, inline
	// Markdown (emphasis, links) is kept.
	Text string
	// Lead is whatever of the normalised article precedes Text and belongs
	// to no segment: blank lines and the markers removed from Text. The
	// Leads and Texts (Raws, where set) of all segments, concatenated,
	// followed by the article's trailing whitespace, give back the
	// normalised article.
	Lead string
	// Raw is the segment's stretch of the normalised article when markup
	// inside it is not part of Text: a Markdown quotation over several
	// lines, whose later lines open with "> ". It is "" when the stretch
	// is Text itself.
	Raw string
	// Media is the link of a media segment's image as the source gives
	// it (a Markdown image's target, an <img>'s src), kept verbatim; its
	// Text is the image's alternative text. "" for every other kind.
	Media string
	// ListNumber is the number of a numbered list item ("3." gives 3),
	// so that a renderer can keep it; 0 for a bulleted item and for any
	// other kind.
	ListNumber int
	// Lang is the detected language as an ISO 639-1 code ("nl", "en"), or
	// "" when the text is too short or too ambiguous to tell.
	Lang string
	// LangConfidence is the detector's confidence in Lang, 0 to 1.
	LangConfidence float64
	// Keep is true when the segment is passed through verbatim instead of
	// being translated: page furniture, and text already in English.
	Keep bool
}

// NeedsTranslation reports whether the segment is sent to the model.
func (s Segment) NeedsTranslation() bool { return !s.Keep }
