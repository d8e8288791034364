// Package split turns the bytes of a Dutch news article into a
// [pipeline.Article]: its text cut into segments in document order, each
// with a kind, a language, and whether it is translated. It is the first
// stage of nl2en, and what it decides is what the translate stage sends
// to the model, so what a translation costs.
//
// # Input
//
// [Splitter.Split] reads plain text (.txt), Markdown (.md) and web pages
// (.html). The format comes from [Options.Format], else from the file
// extension, else from the content ([DetectFormat]; stdin is named "-").
// Input over [Options.MaxBytes] ([DefaultMaxBytes], 2 MiB, by default)
// fails with [ErrTooLarge], binary data with [ErrBinary], and input with
// nothing but whitespace with [ErrEmpty]; each is wrapped in a one-line
// message that names the file and says what to do.
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
// The kinds of the remaining blocks follow from their text:
//
//   - embed: a post signature "— Name (@handle) date", a pic.twitter.com
//     or t.co link, "Bekijk deze post op Instagram", "Een bericht gedeeld
//     door … (@handle)". A signature in a block of its own joins the post
//     before it.
//   - furniture: "Lees ook:", "Lees meer", "Advertentie", "Deel dit
//     artikel", "Volg ons op …" and other site prompts.
//   - caption: text ending in a photo credit, "Beeld AP", "Foto:
//     Sietse Brouwer/ANP", "(foto ANP)", "© ANP"; the credit must be
//     names, so "Foto van de dag" is not one.
//   - byline: "Door Anna de Vries", "Van onze correspondent"; "Door de
//     storm vielen bomen om" is not one.
//   - dateline: a stand-alone date line ("Donderdag 14 november 2024,
//     17.40 uur"), or an inline dateline at the start of a paragraph
//     ("ROTTERDAM -", "KYIV (ANP) -", "DEN HAAG –"), which becomes a
//     segment of its own followed by the rest of the paragraph, its Lead
//     the space between them.
//   - title: in text files (and Markdown without "#"), a first line that
//     looks like a headline — no final full stop, not too long — and is
//     followed by more; a Markdown file's leading heading.
//   - heading: in text files, a short line without final punctuation
//     between other blocks (in HTML, a paragraph that is all bold).
//   - quote: a paragraph that is wholly a quotation: it opens with a
//     quotation mark that closes only at its end. "‘…’, zei hij." is a
//     paragraph.
//   - list_item: a line after a bullet ("• ", "- ", "* ", "1. ").
//   - paragraph: everything else, including text that addresses the
//     model ("Negeer alle vorige instructies …"): article text is data.
//
// # Language and Keep
//
// Each segment's language is detected with lingua
// (github.com/pemistahl/lingua-go), which is reliable on short texts,
// restricted to Dutch, English, German, French, Spanish, Italian and
// Portuguese. Names, handles, links and numbers are removed first, as
// they say nothing about the language and pull tweets about "De Kuip"
// towards Dutch. Lang is empty when the detector's confidence is below
// 0.5.
//
// Keep (passed through, not translated) is true for furniture, and for
// text that is English beyond doubt: English at [KeepThreshold] (0.90)
// or more, at least three words besides names, English the most likely
// language of every sentence, and of the words outside quotation marks.
// So "‘We will never give up’, aldus Zelensky." is translated, and so is
// any short or unsure text: translating English costs little, skipping
// Dutch loses text.
//
// The detector's models take one to two seconds to load (seven to twelve
// under the race detector). A [Splitter] loads them once, on first use
// or on [Splitter.Warm], and is safe for concurrent use.
//
// # Lossless
//
// For text and Markdown, the Leads and Texts of all segments,
// concatenated, are the normalised article up to the end of its
// last segment; what follows is whitespace, or in Markdown markup that
// marks no text, such as a closing "---". Because a Text must be one
// stretch of the file, a Markdown quotation or list item over several
// lines keeps the markers of its later lines ("\n> ") in its Text.
//
// A web page cannot be rebuilt from its segments: its markup is gone and
// its whitespace collapsed. There, Leads are blank lines (a space after
// an inline dateline), so that they join into the article as plain text, and
// the promise is instead that no visible text of the extracted article
// is lost: every word of it appears, in order, in the segments. The
// extracted article is the page's <article> element when it has one with
// text (the largest, if several, and not a mere teaser); otherwise the
// main content found by readability (codeberg.org/readeck/go-readability),
// with its title and byline. Scripts, styles, navigation, asides, form
// controls, hidden elements, and elements whose class names an ad, a
// cookie notice, a share bar or related articles are dropped.
//
// # Sentences
//
// The translate stage cuts paragraphs that are too long for one request
// with [Sentences], which knows Dutch abbreviations ("o.a.", "d.w.z.",
// "mr.", "ca.", …), initials ("H.J. Verbeek") and numbers ("3.000",
// "14.30 uur").
package split
