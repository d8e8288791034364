package split

import (
	"strings"

	"github.com/nl2en/nl2en/pipeline"
	"github.com/nl2en/nl2en/pipeline/dutch"
)

// hint is what the markup says about a unit before its text is read.
type hint int

const (
	hintPlain    hint = iota // nothing: the text decides
	hintTitle                // HTML <h1>, a Markdown front matter title
	hintHeading              // Markdown "#", HTML <h2>…<h6>
	hintListItem             // a bullet or number, <li>
	hintQuote                // Markdown ">", <blockquote>
	hintEmbed                // a tweet or Instagram <blockquote>
	hintCaption              // <figcaption>
	hintByline               // <p class="byline">
	hintVerbatim             // a fenced code block: a paragraph, whatever its text
	hintRunIn                // a bold line opening a paragraph: a heading, unless nothing follows
	hintMedia                // a Markdown image, an HTML <img>: its text is the alternative text
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
	// raw is the unit's stretch of the article when text leaves markup
	// out (a Markdown quotation's later "> "); "" when it is text.
	raw string
	// marker is a list item's bullet or number as written ("1. ", "- "):
	// the end of lead.
	marker string
	// number is the number of an item of an HTML <ol>.
	number int
	// media is the link of a media unit's image.
	media string
}

// source is the unit's stretch of the article.
func (u unit) source() string {
	if u.raw != "" {
		return u.raw
	}
	return u.text
}

// classify turns parsed units into segments with kinds. IDs, languages
// and Keep are filled in later.
func classify(units []unit, format pipeline.Format) []pipeline.Segment {
	segs := make([]pipeline.Segment, 0, len(units)+4)
	add := func(lead, text string, kind pipeline.Kind) *pipeline.Segment {
		segs = append(segs, pipeline.Segment{Lead: lead, Text: text, Kind: kind})
		return &segs[len(segs)-1]
	}
	addUnit := func(u unit, kind pipeline.Kind) *pipeline.Segment {
		s := add(u.lead, u.text, kind)
		s.Raw = u.raw
		return s
	}
	plainOf := func(s string) string {
		if format == pipeline.FormatMarkdown {
			return stripInline(s)
		}
		return s
	}
	// The rules read the text without inline markup, of a unit and of
	// its neighbours.
	plains := make([]string, len(units))
	for i, u := range units {
		plains[i] = plainOf(u.text)
	}
	first := true // no segment but furniture yet
	for i := 0; i < len(units); i++ {
		if len(segs) > 0 && segs[len(segs)-1].Kind != pipeline.KindFurniture {
			first = false
		}
		u := units[i]
		plain := plains[i]
		last := i == len(units)-1
		var prev *pipeline.Segment
		if len(segs) > 0 {
			prev = &segs[len(segs)-1]
		}

		// A pasted post is one embed from its opening line to its
		// closing line.
		if j := postEnd(units, plains, i); j > i {
			s := addUnit(u, pipeline.KindEmbed)
			for k := i + 1; k <= j; k++ {
				extend(s, units[k], units[k].lead, format, units[k-1].hint)
			}
			i = j
			continue
		}

		// A post's signature in a block of its own completes the post
		// before it.
		if prev != nil && isAttributionOnly(plain) && strings.Count(u.lead, "\n") <= 3 {
			switch prev.Kind {
			case pipeline.KindParagraph, pipeline.KindQuote, pipeline.KindEmbed:
				sep := u.lead
				if format == pipeline.FormatHTML {
					sep = " "
				}
				extend(prev, u, sep, format, units[i-1].hint)
				prev.Kind = pipeline.KindEmbed
				continue
			}
		}

		switch u.hint {
		case hintTitle:
			addUnit(u, pipeline.KindTitle)
		case hintHeading, hintRunIn:
			switch {
			case isFurniture(plain):
				addUnit(u, pipeline.KindFurniture)
			case u.hint == hintRunIn && last:
				addUnit(u, pipeline.KindParagraph)
			case first:
				addUnit(u, pipeline.KindTitle)
			default:
				addUnit(u, pipeline.KindHeading)
			}
		case hintListItem:
			if numberedHeading(units, plains, i) {
				// The number is part of the heading: "1. Wat is er
				// gebeurd?".
				add(u.lead[:len(u.lead)-len(u.marker)], u.marker+u.text, pipeline.KindHeading)
				break
			}
			s := addUnit(u, pipeline.KindListItem)
			s.ListNumber = listNumber(u)
		case hintQuote:
			if isEmbed(plain) {
				addUnit(u, pipeline.KindEmbed)
			} else {
				addUnit(u, pipeline.KindQuote)
			}
		case hintEmbed:
			addUnit(u, pipeline.KindEmbed)
		case hintCaption:
			addUnit(u, pipeline.KindCaption)
		case hintByline:
			addUnit(u, pipeline.KindByline)
		case hintVerbatim:
			addUnit(u, pipeline.KindParagraph)
		case hintMedia:
			s := addUnit(u, pipeline.KindMedia)
			s.Media = u.media
		default:
			oneLine := !strings.Contains(strings.TrimSpace(plain), "\n")
			switch {
			case isEmbed(plain):
				if intro, lead, post, ok := splitPostIntro(u.text, plainOf); ok && format != pipeline.FormatHTML && u.raw == "" {
					add(u.lead, intro, pipeline.KindParagraph)
					add(lead, post, pipeline.KindEmbed)
					break
				}
				addUnit(u, pipeline.KindEmbed)
			case oneLine && isFurniture(plain):
				addUnit(u, pipeline.KindFurniture)
			case isCaption(plain):
				addUnit(u, pipeline.KindCaption)
			case format != pipeline.FormatHTML && prev != nil && prev.Kind == pipeline.KindCaption &&
				isCreditOnly(plainOf(prev.Text)) && isPhotoDescription(plain) && strings.Count(u.lead, "\n") <= 2:
				// "Foto: ANP" on one line, and the photo's description
				// on the next, or in the next block.
				addUnit(u, pipeline.KindCaption)
			case oneLine && format == pipeline.FormatMarkdown && i > 0 && units[i-1].hint == hintMedia && isItalicLine(u.text):
				addUnit(u, pipeline.KindCaption)
			case oneLine && isByline(plain):
				addUnit(u, pipeline.KindByline)
			case oneLine && isDateLine(plain):
				addUnit(u, pipeline.KindDateline)
			case oneLine && prev != nil && (prev.Kind == pipeline.KindTitle || prev.Kind == pipeline.KindDateline) && isNameLine(plain):
				// A name alone under the title, or under the date
				// line that follows it, is the author's.
				addUnit(u, pipeline.KindByline)
			case (u.shape || u.firstTitle) && first && !last && isTitleShape(plain):
				addUnit(u, pipeline.KindTitle)
			case format == pipeline.FormatText && u.shape && first && !last &&
				strings.Contains(units[i+1].lead, "\n\n") && isSentenceTitle(plain):
				addUnit(u, pipeline.KindTitle)
			case !last && numberedHeading(units, plains, i):
				addUnit(u, pipeline.KindHeading)
			case u.shape && !first && !last && isHeadingShape(plain):
				addUnit(u, pipeline.KindHeading)
			default:
				kind := pipeline.KindParagraph
				lead, text := u.lead, u.text
				if place, space, rest, ok := splitDateline(text); ok && u.raw == "" {
					add(lead, place, pipeline.KindDateline)
					lead, text = space, rest
				}
				if isWholeQuote(plainOf(text)) {
					kind = pipeline.KindQuote
				}
				s := add(lead, text, kind)
				if text == u.text {
					s.Raw = u.raw
				}
			}
		}
	}
	return segs
}

// extend adds unit u to the end of segment s, sep between them. Between
// two Markdown quotations sep holds quotation markers, which Text leaves
// out and Raw keeps.
func extend(s *pipeline.Segment, u unit, sep string, format pipeline.Format, before hint) {
	textSep := sep
	if format == pipeline.FormatMarkdown && before == hintQuote && u.hint == hintQuote {
		textSep = unquote(sep)
	}
	if s.Raw != "" || u.raw != "" || textSep != sep {
		raw := s.Raw
		if raw == "" {
			raw = s.Text
		}
		s.Raw = raw + sep + u.source()
	}
	s.Text += textSep + u.text
}

// postEnd returns the index of the unit that closes a post pasted from a
// social network whose opening line ("View this post on Instagram")
// starts units[i], or i when units[i] opens none or its closing line
// ("A post shared by …") does not follow within six units. An opening
// line right above its closing line, with no text of a post between
// them, is left as it is: two embeds, as the corpus has them.
func postEnd(units []unit, plains []string, i int) int {
	if units[i].hint != hintPlain || !startsWithFold(plains[i], "view", "bekijk") ||
		!rxPostOpening.MatchString(plains[i]) || rxPostClosing.MatchString(plains[i]) {
		return i
	}
	for j := i + 1; j < len(units) && j <= i+6; j++ {
		switch units[j].hint {
		case hintPlain, hintQuote, hintEmbed, hintVerbatim:
		default:
			return i
		}
		if rxPostClosing.MatchString(plains[j]) {
			if j == i+1 {
				return i
			}
			return j
		}
	}
	return i
}

// splitPostIntro splits the sentence that introduces a post from the
// post, when a unit has both: "Zij schreef op X:" on one line and the
// tweet, ending in its signature, on the lines after it. lead is the
// line break between them.
func splitPostIntro(text string, plainOf func(string) string) (intro, lead, post string, ok bool) {
	k := strings.IndexByte(text, '\n')
	if k < 0 {
		return splitInlineIntro(text, plainOf)
	}
	intro = strings.TrimRight(text[:k], " \t")
	rest := text[len(intro):]
	post = strings.TrimLeft(rest, " \t\n")
	lead = rest[:len(rest)-len(post)]
	if intro == "" || post == "" || !isPostIntro(plainOf(intro)) || isEmbed(plainOf(intro)) || !isEmbed(plainOf(post)) {
		return "", "", "", false
	}
	return intro, lead, post, true
}

// numberedHeading reports whether units[i], a numbered list item ("1.
// Wat is er gebeurd?", "2. 14 maart: Stemming") or a paragraph that
// starts with a number, is a numbered subheading: one short line, a
// blank line before it, a blank line after it or its paragraph on the
// next line, no numbered item right before or after it, and text
// following. The items of a real numbered list stand together.
func numberedHeading(units []unit, plains []string, i int) bool {
	u := units[i]
	text := plains[i]
	switch u.hint {
	case hintListItem:
		if !numericMarker(u.marker) || !strings.HasSuffix(u.lead, u.marker) {
			return false
		}
		if lead := u.lead[:len(u.lead)-len(u.marker)]; i > 0 && !strings.HasSuffix(strings.TrimRight(lead, " \t"), "\n\n") {
			return false
		}
	case hintPlain:
		if !numericMarker(text) {
			return false
		}
		m := rxTextBullet.FindString(text)
		if !numericMarker(m) {
			return false
		}
		text = text[len(m):]
	default:
		return false
	}
	if i+1 >= len(units) || !isHeadingShape(text) {
		return false
	}
	next := units[i+1]
	// The text under it follows after a blank line, or on the next line
	// ("1. Stikstof" above its paragraph).
	if !strings.Contains(next.lead, "\n\n") && next.hint != hintPlain || numberedItem(next, plains[i+1]) {
		return false
	}
	switch next.hint {
	case hintTitle, hintHeading, hintRunIn:
		return false
	}
	return i == 0 || !numberedItem(units[i-1], plains[i-1])
}

// numberedItem reports whether u, whose text without inline markup is
// plain, is a numbered list item, or a paragraph that starts like one.
func numberedItem(u unit, plain string) bool {
	switch u.hint {
	case hintListItem:
		return u.number > 0 || numericMarker(u.marker)
	case hintPlain:
		return numericMarker(plain) && numericMarker(rxTextBullet.FindString(plain))
	}
	return false
}

// numericMarker reports whether a list marker is a number: "1. ", "2)".
func numericMarker(m string) bool {
	return m != "" && m[0] >= '0' && m[0] <= '9'
}

// listNumber is the number of a numbered list item, 0 for a bullet.
func listNumber(u unit) int {
	if u.number > 0 {
		return u.number
	}
	n := 0
	for i := 0; i < len(u.marker) && u.marker[i] >= '0' && u.marker[i] <= '9' && n < 1e8; i++ {
		n = 10*n + int(u.marker[i]-'0')
	}
	return n
}

// splitInlineIntro splits a one-line unit that opens with a sentence
// introducing the post after it: "De minister reageerde op X: „Wij gaan
// door.” pic.twitter.com/… — Jan (@jan) 3 maart 2025". The intro names
// the platform, and ends at a colon or at a sentence's end; a colon in
// the post itself ("IJzel is verraderlijk: …") is no intro.
func splitInlineIntro(text string, plainOf func(string) string) (intro, lead, post string, ok bool) {
	for _, sent := range dutch.Sentences(text) {
		cut := len(intro) + len(strings.TrimRight(sent, " \t"))
		if c := strings.Index(sent, ": "); c >= 0 {
			cut = len(intro) + c + 1
		}
		head := text[:cut]
		rest := strings.TrimLeft(text[cut:], " \t")
		if rest == "" {
			return "", "", "", false
		}
		if isPostIntro(plainOf(head)) && rxPostPlatform.MatchString(plainOf(head)) && !isEmbed(plainOf(head)) && isEmbed(plainOf(rest)) {
			return head, text[cut : len(text)-len(rest)], rest, true
		}
		intro += sent
	}
	return "", "", "", false
}
