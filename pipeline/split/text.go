package split

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// span is a unit's text as a byte range of the normalised article.
type span struct {
	start, end int
	hint       hint
	// marker is a list item's bullet or number as written ("1. ",
	// "- "), which ends just before start.
	marker string
	// quoted marks a Markdown quotation, whose later lines open with
	// markers that its Text leaves out.
	quoted bool
	// alt is the byte range of a media span's alternative text, and link
	// its image's link.
	altStart, altEnd int
	link             string
}

// line is one line of the article, without its LF.
type line struct{ start, end int }

func splitLines(s string) []line {
	var lines []line
	for start := 0; start <= len(s); {
		i := strings.IndexByte(s[start:], '\n')
		if i < 0 {
			if start < len(s) {
				lines = append(lines, line{start, len(s)})
			}
			break
		}
		lines = append(lines, line{start, start + i})
		start += i + 1
	}
	return lines
}

// trimmed returns the range of l without leading and trailing blanks.
func (l line) trimmed(s string) (int, int) {
	a, b := l.start, l.end
	for a < b && (s[a] == ' ' || s[a] == '\t') {
		a++
	}
	for b > a && (s[b-1] == ' ' || s[b-1] == '\t') {
		b--
	}
	return a, b
}

func (l line) blank(s string) bool {
	a, b := l.trimmed(s)
	return a == b
}

// rxTextBullet is a list marker in a text file: "• ", "- ", "* ", "– ",
// "1. ", "2) ".
var rxTextBullet = regexp.MustCompile(`^(?:[•·‣◦▪■●*+–-]|\d{1,2}[.)])[ \t]+`)

// parseText splits a text file into units. Blocks are separated by blank
// lines. Inside a block, a line starting with a bullet is a list item,
// and lines are joined into one unit unless the writer broke the line on
// purpose: when the next line's first word would have fitted on it
// within the block's widest line, the break was not made by a wrapping
// editor, and a new unit starts. A hard-wrapped paragraph thus stays one
// unit, while a title, byline and first paragraph on consecutive lines
// come apart.
func parseText(src string) []unit {
	lines := splitLines(src)
	var spans []span
	for i := 0; i < len(lines); {
		if lines[i].blank(src) {
			i++
			continue
		}
		j := i
		width := 0
		for j < len(lines) && !lines[j].blank(src) {
			_, b := lines[j].trimmed(src)
			width = max(width, utf8.RuneCountInString(src[lines[j].start:b]))
			j++
		}
		spans = append(spans, textBlock(src, lines[i:j], width)...)
		i = j
	}
	return unitsFromSpans(src, spans, func(u *unit) { u.shape = true })
}

func textBlock(src string, lines []line, width int) []span {
	var spans []span
	for k, l := range lines {
		a, b := l.trimmed(src)
		content := src[a:b]
		if m := rxTextBullet.FindStringIndex(content); m != nil && m[1] < len(content) && !isAttributionOnly(content) {
			spans = append(spans, span{start: a + m[1], end: b, hint: hintListItem, marker: content[:m[1]]})
			continue
		}
		if k == 0 {
			spans = append(spans, span{start: a, end: b})
			continue
		}
		cur := &spans[len(spans)-1]
		prev := lines[k-1]
		indented := a > l.start
		switch {
		case cur.hint == hintListItem && indented:
			cur.end = b
		case cur.hint == hintListItem, deliberateBreak(src, prev, content, width):
			spans = append(spans, span{start: a, end: b})
		default:
			cur.end = b
		}
	}
	return spans
}

// deliberateBreak reports whether the break after prev was made by hand:
// the first word of the next line would have fitted on prev.
func deliberateBreak(src string, prev line, next string, width int) bool {
	_, b := prev.trimmed(src)
	used := utf8.RuneCountInString(src[prev.start:b])
	word := next
	if i := strings.IndexFunc(next, unicode.IsSpace); i >= 0 {
		word = next[:i]
	}
	return used+1+utf8.RuneCountInString(word) <= width
}

// unitsFromSpans cuts the article at the spans: each unit's Lead is what
// lies between the previous span and its own.
func unitsFromSpans(src string, spans []span, set func(*unit)) []unit {
	units := make([]unit, 0, len(spans))
	end := 0
	for _, s := range spans {
		if s.start < end || s.end <= s.start {
			continue
		}
		u := unit{lead: src[end:s.start], text: src[s.start:s.end], hint: s.hint, marker: s.marker}
		if s.hint == hintMedia {
			u.raw, u.text, u.media = u.text, src[s.altStart:s.altEnd], s.link
		}
		if s.quoted && strings.Contains(u.text, "\n") {
			u.raw, u.text = u.text, unquote(u.text)
		}
		if set != nil {
			set(&u)
		}
		units = append(units, u)
		end = s.end
	}
	return units
}
