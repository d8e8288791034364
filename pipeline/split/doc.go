// Package split turns the bytes of a Dutch news article into a
// [pipeline.Article]: its text cut into segments in document order, each
// with a kind, a language, and whether it is translated. It is the first
// stage of nl2en, and what it decides is what the translate stage sends
// to the model, so what a translation costs.
//
// # Input
//
// [Splitter.Split] reads plain text (.txt), Markdown (.md, and MDX, .mdx)
// and web pages (.html). The format comes from [Options.Format], else
// from the file extension, else from the content ([DetectFormat]; stdin
// is named "-"; a file named .html that holds no tag is told by its
// content too).
// Input over [Options.MaxBytes] ([DefaultMaxBytes], 2 MiB, by default)
// fails with [ErrTooLarge] (a [*SizeError] giving the real size), binary
// data with [ErrBinary], and input with nothing but whitespace with
// [ErrEmpty]; each is wrapped in a one-line message that names the file.
//
// Before it is split, the text is decoded and cleaned by [Normalize]: the
// byte-order mark goes, CRLF and CR become LF, invalid UTF-8 is read as
// Windows-1252, non-breaking spaces become spaces, zero-width spaces and
// soft hyphens are removed, and the text is put in Unicode form NFC.
// Typographic quotes are kept.
//
// # Segments
//
// A text file is cut at blank lines, and inside a block at bullets and at
// line breaks the writer made by hand (a hard-wrapped paragraph stays
// whole). Markdown is read by its block structure: "#" and setext
// headings, "-", "*", "+", "1." and "1)" list items, ">" quotations,
// fenced code and thematic breaks; the markers go to the segment's Lead,
// inline emphasis and links stay in its Text. In HTML, each block element
// of the article is a segment: h1 is the title, h2–h6 headings,
// figcaption a caption, li a list item, p.byline the byline, a tweet or
// Instagram blockquote one embed, any other blockquote a quote. Its text
// is the element's visible text with whitespace collapsed.
//
// A Markdown file's YAML front matter ("---" lines at the top around a
// mapping) is metadata, never text: its fields go to
// [pipeline.Article.FrontMatter], and its title is the title segment when
// the body has no "# " heading and the value stands in the file as it
// reads (not escaped, on one line). HTML comments, MDX "import" and
// "export" statements and lines of nothing but HTML or JSX tags
// ("<Blockquote author=…>", "</figure>") mark no text either; a
// paragraph inside a quote-like element (<blockquote>, <Blockquote>,
// <PullQuote>) is a quote, inside a caption element a caption.
//
// An image is a media segment: a Markdown image line ("![Fietsenstalling]
// (stalling.jpg)", also inside a link), an HTML <img>, inside a <figure>
// or not. Its Text is the image's alternative text, which is translated,
// and its [pipeline.Segment.Media] the link as the source gives it, which
// is kept; an image without alternative text is kept as it is. Tracking
// pixels (1×1 images, links naming a pixel or a beacon) are no media
// segment. A caption under the image is a segment of its own.
//
// A numbered list item keeps its number in [pipeline.Segment.ListNumber]
// (an <ol>'s items count from its start), so that renderers can write
// "3." where the source did.
//
// The kinds of the remaining blocks follow from their text:
//
//   - embed: a post signature "— Name (@handle) date", a pic.twitter.com
//     or t.co link, "Bekijk deze post op Instagram", "Een bericht gedeeld
//     door … (@handle)". A signature in a block of its own joins the post
//     before it, and a post pasted from its page is one embed from its
//     opening line ("View this post on Instagram") through the post's
//     text to its closing line ("A post shared by …"). A line that
//     introduces a post ("Zij schreef op X:") is a paragraph, also when
//     the post follows on the next line of its block.
//   - furniture: "Lees ook:", "Lees meer", "Advertentie", "Deel dit
//     artikel", "Volg ons op …" and other site prompts.
//   - caption: text ending in a photo credit, "Beeld AP", "Foto:
//     Sietse Brouwer/ANP", "(foto ANP)", "© ANP"; the credit must be
//     names, so "Foto van de dag" is not one. In text and Markdown, the
//     line right under a credit of its own ("Foto: ANP") is a caption
//     too, and so is an italic line under a Markdown image.
//   - byline: "Door Anna de Vries", "Van onze correspondent"; "Door de
//     storm vielen bomen om" is not one. A name alone on the line under
//     the title, or under the date line after it ("Marieke de Vries"),
//     is a byline; the same name later in the article is not.
//   - dateline: a stand-alone date line ("Donderdag 14 november 2024,
//     17.40 uur", "Nieuwsbericht | 03-03-2025 | 09:30"), or an inline
//     dateline at the start of a paragraph ("ROTTERDAM -", "KYIV (ANP)
//     -", "DEN HAAG –"), which becomes a segment of its own followed by
//     the rest of the paragraph, its Lead the space between them.
//   - title: in text files (and Markdown without "#"), a first line that
//     looks like a headline — no final full stop, not too long — and is
//     followed by more; a Markdown file's leading heading. The first
//     line of a text file is the title also when it is one sentence of
//     four to 25 words standing alone in its block; a first block of
//     several sentences is a paragraph.
//   - heading: in text files, a short line without final punctuation
//     between other blocks (in HTML, a paragraph that is all bold); a
//     bold line that opens a paragraph ("**2. De gevolgen**" in Markdown,
//     "<strong>2. De gevolgen</strong><br>" in HTML), whose bold markers
//     stay out of its Text; a numbered line ("1. Wat is er gebeurd?")
//     that stands alone between blocks of text, its number kept in its
//     Text. Numbered items that stand together are a list.
//   - quote: a paragraph that is wholly a quotation: it opens with a
//     quotation mark that closes only at its end. "‘…’, zei hij." is a
//     paragraph.
//   - list_item: a line after a bullet ("• ", "- ", "* ", "1. ").
//   - paragraph: everything else, including text that addresses the
//     model ("Negeer alle vorige instructies …"): article text is data.
//
// # Language and Keep
//
// Each segment's language comes from [github.com/nl2en/nl2en/pipeline/lang],
// which weighs the frequent words of Dutch, English, German, French,
// Spanish, Italian and Portuguese and the text's character trigrams.
// Names, handles, links, numbers and a post's signature are set aside
// first, as they say nothing about the language and pull tweets about
// "De Kuip" towards Dutch. Lang is empty when the text is too short or
// too ambiguous to tell (confidence below 0.5): a byline "Door Anna de
// Vries", a dateline "ROTTERDAM -", a heading of two nouns.
//
// Keep (passed through, not translated) is true for furniture, and for
// text that is English beyond doubt: English at [KeepThreshold] (0.90)
// or more, at least three words besides names, two English function
// words or more ("the", "which") and no Dutch one ("het", "zei") nor
// any word spelt the Dutch way, no sentence that leans to Dutch or is
// another language, and the same of the words outside quotation marks.
// So "‘We will never give up’, aldus Zelensky." is translated, and so is
// any short or unsure text: translating English costs little, skipping
// Dutch loses text.
//
// An article is [pipeline.Article.EnglishOnly] when it is English as a
// whole: no segment has a Dutch word or is another language, and the
// segments that are English beyond doubt hold two thirds of its words,
// twenty at least. One Dutch sentence makes it Dutch.
//
// Detection takes tens of microseconds a segment and loads nothing: a
// [Splitter] holds no state and is safe for concurrent use.
//
// # Lossless
//
// For text and Markdown, the Leads and Texts of all segments,
// concatenated, are the normalised article up to the end of its last
// segment; what follows is whitespace, or in Markdown markup that marks
// no text, such as a closing "---" or "</Blockquote>". A Text is one
// stretch of the file, but for a Markdown quotation over several lines:
// its Text leaves out the "> " that open its later lines, and its
// [pipeline.Segment.Raw] holds the stretch, markers and all, for the
// join.
//
// A web page cannot be rebuilt from its segments: its markup is gone and
// its whitespace collapsed. There, Leads are blank lines (a space after
// an inline dateline), so that they join into the article as plain
// text, and the promise is instead that no visible text of the extracted
// article is lost: every word of it appears, in order, in the segments.
// The extracted article is the page's <article> element when it has one
// with text (the largest, if several, and not a mere teaser); a page whose
// <article> elements hold no text (whitespace and images aside) has "no
// article text found", never its footer; otherwise
// the main content found by readability
// (codeberg.org/readeck/go-readability), with its title and byline, and
// from the page header between the <h1> and that content, which
// readability leaves out, the byline, the date line and the lead photo's
// caption. Scripts, styles, navigation, asides, form controls, hidden
// elements (the hidden attribute, aria-hidden, display:none, classes
// such as "hidden", "sr-only", "visually-hidden", "element-invisible"),
// and elements whose class names an ad, a cookie notice, a share bar or
// related articles are dropped.
//
// # Sentences
//
// The translate stage cuts paragraphs that are too long for one request
// with [Sentences], which knows Dutch abbreviations ("o.a.", "d.w.z.",
// "mr.", "ca.", …), initials ("H.J. Verbeek") and numbers ("3.000",
// "14.30 uur").
package split
