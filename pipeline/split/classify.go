package split

import (
	"strings"

	"github.com/nl2en/nl2en/pipeline"
)

// hint is what the markup says about a unit before its text is read.
type hint int

const (
	hintPlain    hint = iota // nothing: the text decides
	hintTitle                // HTML <h1>
	hintHeading              // Markdown "#", HTML <h2>…<h6>
	hintListItem             // a bullet or number, <li>
	hintQuote                // Markdown ">", <blockquote>
	hintEmbed                // a tweet or Instagram <blockquote>
	hintCaption              // <figcaption>
	hintByline               // <p class="byline">
	hintVerbatim             // a fenced code block: a paragraph, whatever its text
)

// unit is one block of an article as a parser found it: the text of a
// future segment and what precedes it.
type unit struct {
	lead, text string
	hint       hint
	// shape lets a plain unit become a title or a heading by its shape
	// (one short line without final punctuation). Text files have no
	// other way to mark headings; Markdown files that use "#" and HTML
	// do, so there it is off, but for bold-only HTML paragraphs.
	shape bool
	// firstTitle lets a plain first unit become the title by its shape.
	firstTitle bool
}

// classify turns parsed units into segments with kinds. IDs, languages
// and Keep are filled in later.
func classify(units []unit, format pipeline.Format) []pipeline.Segment {
	segs := make([]pipeline.Segment, 0, len(units)+4)
	add := func(lead, text string, kind pipeline.Kind) {
		segs = append(segs, pipeline.Segment{Lead: lead, Text: text, Kind: kind})
	}
	plainOf := func(s string) string {
		if format == pipeline.FormatMarkdown {
			return stripInline(s)
		}
		return s
	}
	for i, u := range units {
		plain := plainOf(u.text)
		first := true
		for _, s := range segs {
			if s.Kind != pipeline.KindFurniture {
				first = false
				break
			}
		}
		last := i == len(units)-1

		// A post's signature in a block of its own completes the post
		// before it.
		if len(segs) > 0 && isAttributionOnly(plain) && strings.Count(u.lead, "\n") <= 3 {
			prev := &segs[len(segs)-1]
			switch prev.Kind {
			case pipeline.KindParagraph, pipeline.KindQuote, pipeline.KindEmbed:
				sep := u.lead
				if format == pipeline.FormatHTML {
					sep = " "
				}
				prev.Text += sep + u.text
				prev.Kind = pipeline.KindEmbed
				continue
			}
		}

		switch u.hint {
		case hintTitle:
			add(u.lead, u.text, pipeline.KindTitle)
		case hintHeading:
			switch {
			case isFurniture(plain):
				add(u.lead, u.text, pipeline.KindFurniture)
			case first:
				add(u.lead, u.text, pipeline.KindTitle)
			default:
				add(u.lead, u.text, pipeline.KindHeading)
			}
		case hintListItem:
			add(u.lead, u.text, pipeline.KindListItem)
		case hintQuote:
			if isEmbed(plain) {
				add(u.lead, u.text, pipeline.KindEmbed)
			} else {
				add(u.lead, u.text, pipeline.KindQuote)
			}
		case hintEmbed:
			add(u.lead, u.text, pipeline.KindEmbed)
		case hintCaption:
			add(u.lead, u.text, pipeline.KindCaption)
		case hintByline:
			add(u.lead, u.text, pipeline.KindByline)
		case hintVerbatim:
			add(u.lead, u.text, pipeline.KindParagraph)
		default:
			oneLine := !strings.Contains(strings.TrimSpace(plain), "\n")
			switch {
			case isEmbed(plain):
				add(u.lead, u.text, pipeline.KindEmbed)
			case oneLine && isFurniture(plain):
				add(u.lead, u.text, pipeline.KindFurniture)
			case isCaption(plain):
				add(u.lead, u.text, pipeline.KindCaption)
			case oneLine && isByline(plain):
				add(u.lead, u.text, pipeline.KindByline)
			case oneLine && isDateLine(plain):
				add(u.lead, u.text, pipeline.KindDateline)
			case (u.shape || u.firstTitle) && first && !last && isTitleShape(plain):
				add(u.lead, u.text, pipeline.KindTitle)
			case u.shape && !first && !last && isHeadingShape(plain):
				add(u.lead, u.text, pipeline.KindHeading)
			default:
				kind := pipeline.KindParagraph
				lead, text := u.lead, u.text
				if place, space, rest, ok := splitDateline(text); ok {
					add(lead, place, pipeline.KindDateline)
					lead, text = space, rest
				}
				if isWholeQuote(plainOf(text)) {
					kind = pipeline.KindQuote
				}
				add(lead, text, kind)
			}
		}
	}
	return segs
}
