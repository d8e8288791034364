package split

import (
	"regexp"
	"strings"
)

var rxMarkdownItem = regexp.MustCompile(`^(?:[-*+]|\d{1,9}[.)])[ \t]+`)

// mdState is what the Markdown parser knows beyond the current block.
type mdState struct {
	spans []span
	// headings is set by "#" and setext headings, h1 by a level-one one.
	headings, h1 bool
	// open are the HTML or JSX elements opened on lines of their own
	// and not yet closed ("Blockquote", "figure"), innermost last.
	open []string
}

// context is the hint the innermost open element gives the plain
// paragraphs inside it: the text of a <Blockquote> is a quote.
func (st *mdState) context() hint {
	for i := len(st.open) - 1; i >= 0; i-- {
		if h := elementHint(st.open[i]); h != hintPlain {
			return h
		}
	}
	return hintPlain
}

// parseMarkdown splits a Markdown file into units, reading the block
// structure line by line: ATX ("## ") and setext headings, list items
// ("- ", "* ", "+ ", "1. ", "1) "), blockquotes ("> "), fenced code
// blocks, thematic breaks and paragraphs. Markers go to the Lead; inline
// markup (emphasis, links) stays in the Text. Continuation lines of a
// list item or a quotation are part of its unit, which must be one
// stretch of the file for the article to be rebuilt from its segments;
// a quotation's Text loses the "> " of its later lines, which its raw
// text keeps.
//
// YAML front matter is metadata: it is returned as fields, and its title
// becomes the title unit when the body has no level-one heading. HTML
// comments, MDX import and export statements and lines of nothing but
// HTML or JSX tags are markup that marks no text; a paragraph inside a
// quote-like element (<blockquote>, <Blockquote>, <PullQuote>) is a
// quote, inside a caption element a caption.
func parseMarkdown(src string) ([]unit, map[string]any) {
	fm, hasFM := readFrontMatter(src)
	lines := splitLines(src)
	st := &mdState{}
	i := 0
	for hasFM && i < len(lines) && lines[i].start < fm.end {
		i++
	}
	for i < len(lines) {
		i = markdownBlock(src, lines, i, st)
	}
	spans := st.spans
	if fm.title.end > fm.title.start && !st.h1 {
		spans = append([]span{fm.title}, spans...)
	}
	units := unitsFromSpans(src, spans, func(u *unit) {
		u.firstTitle = true
		u.shape = !st.headings
	})
	return units, fm.fields
}

// markdownBlock reads the block that starts at lines[i] and returns the
// index of the line after it.
func markdownBlock(src string, lines []line, i int, st *mdState) int {
	l := lines[i]
	a, b := l.trimmed(src)
	if a == b {
		return i + 1
	}
	content := src[a:b]
	top := a-l.start <= 3
	if top {
		if end, ok := esmBlock(src, lines, i); ok {
			return end
		}
		if end, textAt, ok := leadingMarkup(src, a, st); ok {
			if textAt < 0 {
				return lineAfter(lines, i, end)
			}
			// Text after block tags on the same line, as in
			// "<figcaption>Tekst</figcaption>", starts a paragraph.
			return markdownParagraph(src, lines, lineAfter(lines, i, end)-1, textAt, st)
		}
	}
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
		st.spans = append(st.spans, span{start: a, end: end, hint: hintVerbatim})
		return j + 1
	case top && thematicBreak(content):
		return i + 1
	case top && strings.HasPrefix(content, "#"):
		cs, ce, ok := atxHeading(content)
		switch {
		case !ok:
			return markdownParagraph(src, lines, i, a, st)
		case ce > cs:
			st.spans = append(st.spans, span{start: a + cs, end: a + ce, hint: hintHeading})
			st.headings = true
			st.h1 = st.h1 || strings.HasPrefix(content, "# ") || strings.HasPrefix(content, "#\t")
		default:
			// An empty heading marks no text; its "#" is kept
			// as text so that nothing of the article is lost.
			st.spans = append(st.spans, span{start: a, end: b})
		}
		return i + 1
	case top && content[0] == '>':
		return markdownQuote(src, lines, i, st)
	case rxMarkdownItem.MatchString(content) && len(rxMarkdownItem.FindString(content)) < len(content):
		marker := rxMarkdownItem.FindString(content)
		start := a + len(marker)
		end := b
		i++
		for i < len(lines) && !lines[i].blank(src) && !startsMarkdownBlock(src, lines[i]) {
			_, end = lines[i].trimmed(src)
			i++
		}
		st.spans = append(st.spans, span{start: start, end: end, hint: hintListItem, marker: marker})
		return i
	}
	return markdownParagraph(src, lines, i, a, st)
}

// lineAfter returns the index of the first line that starts after
// offset end, which lies on lines[i] or a later line.
func lineAfter(lines []line, i, end int) int {
	for i < len(lines) && lines[i].start < end {
		i++
	}
	return i
}

// markdownParagraph reads a paragraph whose first line is lines[i], its
// text starting at offset start, or a setext heading when its last line
// is underlined with "=" or "-". A first line that is all bold and reads
// like a heading ("**3. Wat als ik niet wil?**") is a run-in heading,
// and the paragraph goes on after it; so does the text under a first
// line that is only an image. Closing block tags at the end of
// the paragraph ("…</figcaption>") are markup, left to the next Lead.
func markdownParagraph(src string, lines []line, i, start int, st *mdState) int {
	_, end := lines[i].trimmed(src)
	if end < start {
		end = start
	}
	first := i
	i++
	for i < len(lines) && !lines[i].blank(src) {
		a, b := lines[i].trimmed(src)
		c := src[a:b]
		if a-lines[i].start <= 3 && (strings.Trim(c, "=") == "" || (len(c) >= 2 && strings.Trim(c, "-") == "")) {
			st.spans = append(st.spans, span{start: start, end: end, hint: hintHeading})
			st.headings = true
			st.h1 = st.h1 || c[0] == '='
			return i + 1
		}
		if startsMarkdownBlock(src, lines[i]) {
			break
		}
		if i == first+1 {
			switch {
			case boldHeadingLine(src[start:end]):
				st.spans = append(st.spans, boldSpan(src, start, end))
				start = a
			case isImageOnly(src[start:end]):
				// An image with its caption, or the text it belongs
				// to, under it.
				st.spans = append(st.spans, mediaSpans(src, start, end)...)
				start = a
			}
		}
		end = b
		i++
	}
	if i == first+1 && boldHeadingLine(src[start:end]) {
		st.spans = append(st.spans, boldSpan(src, start, end))
		return i
	}
	if i == first+1 && isImageOnly(src[start:end]) {
		st.spans = append(st.spans, mediaSpans(src, start, end)...)
		return i
	}
	ctx := st.context()
	end = trailingMarkup(src, start, end, st)
	if end > start {
		st.spans = append(st.spans, span{start: start, end: end, hint: ctx})
	}
	return i
}

// rxBoldLine is a line that is all bold: "**…**" or "__…__".
var rxBoldLine = regexp.MustCompile(`^(?:\*\*[^\n]+\*\*|__[^\n]+__)$`)

// boldHeadingLine reports whether s is one bold line shaped like a
// subheading.
func boldHeadingLine(s string) bool {
	if !rxBoldLine.MatchString(s) || strings.Contains(s[2:len(s)-2], s[:2]) {
		return false
	}
	return isHeadingShape(stripInline(s))
}

// boldSpan is the run-in heading of a bold line: the text inside the
// "**", which are markup, as a heading's "##" is.
func boldSpan(src string, start, end int) span {
	start, end = start+2, end-2
	for start < end && (src[start] == ' ' || src[start] == '\t') {
		start++
	}
	for end > start && (src[end-1] == ' ' || src[end-1] == '\t') {
		end--
	}
	return span{start: start, end: end, hint: hintRunIn}
}

// markdownQuote reads a blockquote starting at lines[i]: each paragraph
// of it (separated by empty ">" lines) is a unit.
func markdownQuote(src string, lines []line, i int, st *mdState) int {
	start, end := -1, -1
	flush := func() {
		if start >= 0 {
			st.spans = append(st.spans, span{start: start, end: end, hint: hintQuote, quoted: true})
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
			cs = a + len(quoteMarker(src[a:b]))
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

// quoteMarker returns the quotation markers that open a line: ">",
// "> > ", ">  ".
func quoteMarker(c string) string {
	cs := 0
	for cs < len(c) && c[cs] == '>' {
		cs++
		if cs < len(c) && (c[cs] == ' ' || c[cs] == '\t') {
			cs++
		}
		for cs < len(c) && (c[cs] == ' ' || c[cs] == '\t') && cs+1 < len(c) && c[cs+1] == '>' {
			cs++
		}
	}
	for cs < len(c) && (c[cs] == ' ' || c[cs] == '\t') {
		cs++
	}
	return c[:cs]
}

// unquote removes the indentation and quotation markers that open the
// lines after the first of a quotation's raw text.
func unquote(raw string) string {
	lines := strings.Split(raw, "\n")
	for k := 1; k < len(lines); k++ {
		l := strings.TrimLeft(lines[k], " \t")
		lines[k] = l[len(quoteMarker(l)):]
	}
	return strings.Join(lines, "\n")
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
		if c[0] == '<' || c[0] == '{' {
			if end, ok := markupItems(src, a, nil); ok && blankUntilEOL(src, end) {
				return true
			}
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

// rxESM is the first line of an MDX import or export statement.
var rxESM = regexp.MustCompile(`^(?:import(?:\s+[\w$*{][^\n]*?\s+from\s*["'][^"'\n]+["'];?|\s*["'][^"'\n]+["'];?|\s*\{[^\n]*|\s+\*\s+as\s+[\w$]+[^\n]*)\s*$|export\s+(?:const|let|var|function|async|class|default|type|interface)\b|export\s*[{*])`)

// esmBlock reports whether lines[i] starts MDX import or export
// statements at the margin, and returns the line after them. A statement
// runs on while its brackets are open, and statements follow each other
// up to a blank line; a line after a finished statement that starts no
// other is text, so that a stray "export …" line cannot hide the article
// under it.
func esmBlock(src string, lines []line, i int) (int, bool) {
	a, b := lines[i].trimmed(src)
	if a != lines[i].start || (src[a] != 'i' && src[a] != 'e') || !rxESM.MatchString(src[a:b]) {
		return 0, false
	}
	var js jsScan
	for first := true; i < len(lines) && !lines[i].blank(src); first = false {
		a, b := lines[i].trimmed(src)
		if !first && js.closed() && (a != lines[i].start || !rxESM.MatchString(src[a:b])) {
			break
		}
		js.line(src[lines[i].start:lines[i].end])
		i++
	}
	return i, true
}

// jsScan follows the brackets, strings and comments of JavaScript line by
// line, enough to tell where a statement ends.
type jsScan struct {
	depth            int
	template, inNote bool // inside `…` or /* … */, which span lines
}

func (j *jsScan) closed() bool { return j.depth <= 0 && !j.template && !j.inNote }

func (j *jsScan) line(l string) {
	for k := 0; k < len(l); k++ {
		c := l[k]
		switch {
		case j.inNote:
			if c == '*' && k+1 < len(l) && l[k+1] == '/' {
				j.inNote = false
				k++
			}
		case j.template:
			if c == '\\' {
				k++
			} else if c == '`' {
				j.template = false
			}
		case c == '/' && k+1 < len(l) && l[k+1] == '/':
			return
		case c == '/' && k+1 < len(l) && l[k+1] == '*':
			j.inNote = true
			k++
		case c == '`':
			j.template = true
		case c == '"' || c == '\'':
			for k++; k < len(l) && l[k] != c; k++ {
				if l[k] == '\\' {
					k++
				}
			}
		case c == '{' || c == '(' || c == '[':
			j.depth++
		case c == '}' || c == ')' || c == ']':
			j.depth--
		}
	}
}

// tagItem is one HTML or JSX tag, or a comment (name "", comment true).
type tagItem struct {
	name                          string
	closing, selfClosing, comment bool
}

// leadingMarkup reads the comments and tags that open the line at offset
// a. When nothing but whitespace follows them on their last line, they
// are markup lines: textAt is -1. When text follows block-level tags,
// as in "<figcaption>Tekst", textAt is where it starts. Either way the
// elements opened and closed are tracked in st. ok is false when the
// line does not start with markup, or starts with inline tags ("<em>"),
// which belong to the paragraph's text.
func leadingMarkup(src string, a int, st *mdState) (end, textAt int, ok bool) {
	if src[a] != '<' && src[a] != '{' {
		return 0, 0, false
	}
	var items []tagItem
	end, ok = markupItems(src, a, func(t tagItem) { items = append(items, t) })
	if !ok {
		return 0, 0, false
	}
	textAt = -1
	if !blankUntilEOL(src, end) {
		for _, t := range items {
			if !blockItem(t) {
				return 0, 0, false
			}
		}
		textAt = end
		for textAt < len(src) && (src[textAt] == ' ' || src[textAt] == '\t') {
			textAt++
		}
	}
	st.track(items)
	return end, textAt, true
}

// trailingMarkup returns where the text of a paragraph ending at end
// stops when block-level closing tags or comments end its last line
// ("…</figcaption>"), and tracks the elements they close.
func trailingMarkup(src string, start, end int, st *mdState) int {
	from := max(start, strings.LastIndexByte(src[:end], '\n')+1)
	for p := from; p < end; p++ {
		if src[p] != '<' && src[p] != '{' {
			continue
		}
		var items []tagItem
		e, ok := markupItems(src, p, func(t tagItem) { items = append(items, t) })
		if !ok || e != end {
			continue
		}
		block := true
		for _, t := range items {
			block = block && blockItem(t)
		}
		if !block {
			continue
		}
		st.track(items)
		return start + len(strings.TrimRight(src[start:p], " \t\n"))
	}
	return end
}

// track opens and closes the elements of tags read on a line.
func (st *mdState) track(items []tagItem) {
	for _, t := range items {
		switch {
		case t.comment || t.selfClosing || t.name == "" || voidElements[strings.ToLower(t.name)]:
		case t.closing:
			for k := len(st.open) - 1; k >= 0; k-- {
				if strings.EqualFold(st.open[k], t.name) {
					st.open = st.open[:k]
					break
				}
			}
		case len(st.open) < 64:
			st.open = append(st.open, t.name)
		}
	}
}

// markupItems reads comments and tags from offset at, separated by
// spaces or tabs, and returns the offset after the last; ok is false
// when there is none.
func markupItems(src string, at int, record func(tagItem)) (end int, ok bool) {
	end = at
	for {
		p := end
		for p < len(src) && (src[p] == ' ' || src[p] == '\t') {
			p++
		}
		e, t, found := markupItem(src, p)
		if !found {
			return end, ok
		}
		if record != nil {
			record(t)
		}
		end, ok = e, true
	}
}

// maxTag bounds how far a tag or comment is looked for: a "<" that is
// not closed soon is text.
const maxTag = 4096

// markupItem reads one comment ("<!-- … -->", MDX "{/* … */}") or one
// HTML or JSX tag ("<Blockquote author=\"X\">", "</div>", "<br/>", "<>")
// starting at offset at.
func markupItem(src string, at int) (end int, t tagItem, ok bool) {
	limit := min(len(src), at+maxTag)
	for _, c := range [][2]string{{"<!--", "-->"}, {"{/*", "*/}"}} {
		if strings.HasPrefix(src[at:], c[0]) {
			j := strings.Index(src[at+len(c[0]):limit], c[1])
			if j < 0 {
				return 0, t, false
			}
			return at + len(c[0]) + j + len(c[1]), tagItem{comment: true}, true
		}
	}
	if at >= len(src) || src[at] != '<' {
		return 0, t, false
	}
	i := at + 1
	if i < limit && src[i] == '/' {
		t.closing = true
		i++
	}
	ns := i
	for i < limit && (isASCIILetter(src[i]) || (i > ns && (src[i] >= '0' && src[i] <= '9' || src[i] == '.' || src[i] == '-' || src[i] == '_'))) {
		i++
	}
	t.name = src[ns:i]
	if i >= limit || !strings.ContainsRune(" \t\n>/", rune(src[i])) || (t.name == "" && src[i] != '>') {
		return 0, t, false
	}
	if t.closing {
		// "</div >": a closing tag holds nothing but its name.
		for i < limit && (src[i] == ' ' || src[i] == '\t') {
			i++
		}
		if i < limit && src[i] == '>' {
			return i + 1, t, true
		}
		return 0, t, false
	}
	for i < limit {
		switch c := src[i]; c {
		case '>':
			return i + 1, t, true
		case '/':
			if i+1 < limit && src[i+1] == '>' {
				t.selfClosing = true
				return i + 2, t, true
			}
			i++
		case '"', '\'':
			j := strings.IndexByte(src[i+1:limit], c)
			if j < 0 {
				return 0, t, false
			}
			i += j + 2
		case '{':
			// A JSX expression: braces nest, strings may hold any.
			depth := 0
			for i < limit {
				switch src[i] {
				case '{':
					depth++
				case '}':
					depth--
				case '"', '\'', '`':
					q := src[i]
					j := strings.IndexByte(src[i+1:limit], q)
					if j < 0 {
						return 0, t, false
					}
					i += j + 1
				}
				i++
				if depth == 0 {
					break
				}
			}
			if depth != 0 {
				return 0, t, false
			}
		case '<':
			return 0, t, false
		case '\n':
			if i+1 < limit && (src[i+1] == '\n' || strings.HasPrefix(src[i+1:], " \n")) {
				// A blank line ends any tag: this was text.
				return 0, t, false
			}
			i++
		default:
			i++
		}
	}
	return 0, t, false
}

func isASCIILetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// blankUntilEOL reports whether only spaces and tabs follow offset at on
// its line.
func blankUntilEOL(src string, at int) bool {
	for at < len(src) && src[at] != '\n' {
		if src[at] != ' ' && src[at] != '\t' {
			return false
		}
		at++
	}
	return true
}

// blockItem reports whether a tag stands for a block of its own, so that
// text after it on its line is a paragraph: a comment, a JSX component
// (capitalised) or fragment, or an HTML block element.
func blockItem(t tagItem) bool {
	if t.comment || t.name == "" {
		return true
	}
	if c := t.name[0]; c >= 'A' && c <= 'Z' {
		return true
	}
	return blockElements[strings.ToLower(t.name)]
}

// elementHint is the hint an element gives the paragraphs inside it.
func elementHint(name string) hint {
	n := strings.ToLower(name)
	switch {
	case strings.Contains(n, "quote"):
		return hintQuote
	case strings.Contains(n, "caption"):
		return hintCaption
	case len(n) == 2 && n[0] == 'h' && n[1] >= '1' && n[1] <= '6':
		return hintHeading
	}
	return hintPlain
}

var blockElements = map[string]bool{
	"address": true, "article": true, "aside": true, "blockquote": true, "center": true,
	"details": true, "dialog": true, "dd": true, "div": true, "dl": true, "dt": true,
	"fieldset": true, "figcaption": true, "figure": true, "footer": true, "form": true,
	"h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true, "header": true,
	"hr": true, "li": true, "main": true, "nav": true, "ol": true, "p": true, "pre": true,
	"section": true, "summary": true, "table": true, "tbody": true, "td": true, "tfoot": true,
	"th": true, "thead": true, "tr": true, "ul": true, "img": true, "picture": true,
	"source": true, "iframe": true, "video": true, "audio": true, "br": true,
}

var voidElements = map[string]bool{
	"area": true, "base": true, "br": true, "col": true, "embed": true, "hr": true,
	"img": true, "input": true, "link": true, "meta": true, "source": true, "track": true,
	"wbr": true,
}

// rxImage is one image of a line of images: "![alt](link "title")",
// perhaps inside a link, "[![alt](link)](target)". Its groups are the
// alternative text and the link.
var rxImage = regexp.MustCompile(`\[?!\[([^\]\n]*)\]\(([^)\s]*)(?:[ \t]+"[^"\n]*")?\)(?:\]\([^)\n]*\))?`)

// mediaSpans returns a media span for each image of src[start:end], a
// line that holds nothing but images. An image whose link says it is a
// tracking pixel is markup that marks nothing: its span is left out.
func mediaSpans(src string, start, end int) []span {
	var out []span
	for _, m := range rxImage.FindAllStringSubmatchIndex(src[start:end], -1) {
		link := src[start+m[4] : start+m[5]]
		if trackingPixel(link) {
			continue
		}
		out = append(out, span{start: start + m[0], end: start + m[1], hint: hintMedia,
			altStart: start + m[2], altEnd: start + m[3], link: link})
	}
	return out
}
