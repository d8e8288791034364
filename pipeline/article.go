package pipeline

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
)

// Kinds lists every kind, in the order the README documents them.
var Kinds = []Kind{
	KindTitle, KindHeading, KindParagraph, KindCaption, KindEmbed,
	KindQuote, KindListItem, KindByline, KindDateline, KindFurniture,
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
}

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
	// Leads and Texts of all segments, concatenated, followed by the
	// article's trailing whitespace, give back the normalised article.
	Lead string
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
