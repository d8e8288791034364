package split

import (
	"regexp"
	"strings"
)

var rxMarkdownItem = regexp.MustCompile(`^(?:[-*+]|\d{1,9}[.)])[ \t]+`)

// parseMarkdown splits a Markdown file into units, reading the block
// structure line by line: ATX ("## ") and setext headings, list items
// ("- ", "* ", "+ ", "1. ", "1) "), blockquotes ("> "), fenced code
// blocks, thematic breaks and paragraphs. Markers go to the Lead; inline
// markup (emphasis, links) stays in the Text. Continuation lines of a
// list item or a quotation are part of its Text, so the Text of a
// quotation over several lines holds the "> " of the lines after the
// first: the Text must be one stretch of the file for the article to be
// rebuilt from its segments.
func parseMarkdown(src string) []unit {
	lines := splitLines(src)
	var spans []span
	headings := false
	for i := 0; i < len(lines); {
		l := lines[i]
		a, b := l.trimmed(src)
		if a == b {
			i++
			continue
		}
		content := src[a:b]
		top := a-l.start <= 3
		switch {
		case top && fence(content) != "":
			marker := fence(content)
			j := i + 1
			for j < len(lines) && !closesFence(src, lines[j], marker) {
				j++
			}
			end := b
			if j < len(lines) {
				_, end = lines[j].trimmed(src)
			} else {
				for k := len(lines) - 1; k > i; k-- {
					if _, e := lines[k].trimmed(src); !lines[k].blank(src) {
						end = e
						break
					}
				}
			}
			spans = append(spans, span{start: a, end: end, hint: hintVerbatim})
			i = j + 1
		case top && thematicBreak(content):
			i++
		case top && strings.HasPrefix(content, "#"):
			cs, ce, ok := atxHeading(content)
			switch {
			case !ok:
				i = markdownParagraph(src, lines, i, &spans, &headings)
				continue
			case ce > cs:
				spans = append(spans, span{start: a + cs, end: a + ce, hint: hintHeading})
				headings = true
			default:
				// An empty heading marks no text; its "#" is kept
				// as text so that nothing of the article is lost.
				spans = append(spans, span{start: a, end: b})
			}
			i++
		case top && content[0] == '>':
			i = markdownQuote(src, lines, i, &spans)
		case rxMarkdownItem.MatchString(content) && len(rxMarkdownItem.FindString(content)) < len(content):
			start := a + len(rxMarkdownItem.FindString(content))
			end := b
			i++
			for i < len(lines) && !lines[i].blank(src) && !startsMarkdownBlock(src, lines[i]) {
				_, end = lines[i].trimmed(src)
				i++
			}
			spans = append(spans, span{start: start, end: end, hint: hintListItem})
		default:
			i = markdownParagraph(src, lines, i, &spans, &headings)
		}
	}
	return unitsFromSpans(src, spans, func(u *unit) {
		u.firstTitle = true
		u.shape = !headings
	})
}

// markdownParagraph reads a paragraph starting at lines[i], or a setext
// heading when its last line is underlined with "=" or "-".
func markdownParagraph(src string, lines []line, i int, spans *[]span, headings *bool) int {
	start, end := lines[i].trimmed(src)
	i++
	for i < len(lines) && !lines[i].blank(src) {
		a, b := lines[i].trimmed(src)
		c := src[a:b]
		if a-lines[i].start <= 3 && (strings.Trim(c, "=") == "" || (len(c) >= 2 && strings.Trim(c, "-") == "")) {
			*spans = append(*spans, span{start: start, end: end, hint: hintHeading})
			*headings = true
			return i + 1
		}
		if startsMarkdownBlock(src, lines[i]) {
			break
		}
		end = b
		i++
	}
	*spans = append(*spans, span{start: start, end: end})
	return i
}

// markdownQuote reads a blockquote starting at lines[i]: each paragraph
// of it (separated by empty ">" lines) is a unit.
func markdownQuote(src string, lines []line, i int, spans *[]span) int {
	start, end := -1, -1
	flush := func() {
		if start >= 0 {
			*spans = append(*spans, span{start: start, end: end, hint: hintQuote})
		}
		start, end = -1, -1
	}
	for i < len(lines) {
		l := lines[i]
		a, b := l.trimmed(src)
		if a == b {
			break
		}
		quoted := a-l.start <= 3 && src[a] == '>'
		if !quoted && (start < 0 || startsMarkdownBlock(src, l)) {
			// A lazy continuation line goes on a quoted paragraph;
			// anything else ends the quotation.
			break
		}
		cs := a
		if quoted {
			for cs < b && src[cs] == '>' {
				cs++
				if cs < b && (src[cs] == ' ' || src[cs] == '\t') {
					cs++
				}
				for cs < b && (src[cs] == ' ' || src[cs] == '\t') && cs+1 < b && src[cs+1] == '>' {
					cs++
				}
			}
			for cs < b && (src[cs] == ' ' || src[cs] == '\t') {
				cs++
			}
		}
		if cs == b {
			flush()
		} else {
			if start < 0 {
				start = cs
			}
			end = b
		}
		i++
	}
	flush()
	return i
}

// startsMarkdownBlock reports whether l starts a block that interrupts a
// paragraph.
func startsMarkdownBlock(src string, l line) bool {
	a, b := l.trimmed(src)
	if a == b {
		return false
	}
	c := src[a:b]
	if a-l.start <= 3 {
		if fence(c) != "" || thematicBreak(c) || c[0] == '>' {
			return true
		}
		if _, _, ok := atxHeading(c); ok {
			return true
		}
	}
	m := rxMarkdownItem.FindString(c)
	return m != "" && len(m) < len(c)
}

// fence returns the opening marker of a fenced code block ("```",
// "~~~~"), or "".
func fence(c string) string {
	for _, ch := range []string{"`", "~"} {
		n := len(c) - len(strings.TrimLeft(c, ch))
		if n >= 3 {
			if ch == "`" && strings.Contains(c[n:], "`") {
				return ""
			}
			return c[:n]
		}
	}
	return ""
}

func closesFence(src string, l line, marker string) bool {
	a, b := l.trimmed(src)
	c := src[a:b]
	return a-l.start <= 3 && strings.HasPrefix(c, marker) && strings.Trim(c, marker[:1]) == ""
}

// thematicBreak reports whether c is "---", "***", "___" or the like.
func thematicBreak(c string) bool {
	if c == "" {
		return false
	}
	ch := c[0]
	if ch != '-' && ch != '*' && ch != '_' {
		return false
	}
	n := 0
	for i := 0; i < len(c); i++ {
		switch c[i] {
		case ch:
			n++
		case ' ', '\t':
		default:
			return false
		}
	}
	return n >= 3
}

// atxHeading finds the text of an ATX heading line ("## Titel ##"): the
// byte range of the text inside c, and whether c is a heading at all.
func atxHeading(c string) (start, end int, ok bool) {
	n := len(c) - len(strings.TrimLeft(c, "#"))
	if n < 1 || n > 6 || (n < len(c) && c[n] != ' ' && c[n] != '\t') {
		return 0, 0, false
	}
	start = n
	for start < len(c) && (c[start] == ' ' || c[start] == '\t') {
		start++
	}
	end = len(c)
	// A closing sequence of "#" after a space is markup too.
	if trimmed := strings.TrimRight(c[start:end], "#"); len(trimmed) < end-start {
		if trimmed == "" {
			end = start
		} else if last := trimmed[len(trimmed)-1]; last == ' ' || last == '\t' {
			end = start + len(strings.TrimRight(trimmed, " \t"))
		}
	}
	return start, end, true
}
