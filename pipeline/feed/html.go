package feed

import (
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// body is an item's text in one of its forms: the feed's HTML made safe
// to pass on, and its visible text.
type body struct {
	html   string
	text   string
	images []Media // images of an HTML that holds no text
}

var (
	// escapedTag is markup that shows as text: HTML escaped once more
	// than it should be.
	escapedTag = regexp.MustCompile(`(?i)</?(p|br|div|span|a|b|i|em|strong|img|h[1-6]|ul|ol|li|blockquote|figure|figcaption|table|tr|td)\b[^<>]*>`)
	// entity is an HTML character reference left in visible text.
	entity  = regexp.MustCompile(`&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{1,31});`)
	onlyURL = regexp.MustCompile(`^https?://[^\s<>"]+$`)
)

// readHTML reads a feed field holding HTML (an RSS description,
// content:encoded, Atom type="html"). A field escaped twice, whose text
// still shows tags or character references after one reading, is read
// again, at most twice. Links and image sources are made absolute
// against base; 1×1 tracking images, scripts and styles are dropped.
func readHTML(src string, base *url.URL) body {
	var b body
	for round := 0; ; round++ {
		b = parseFragment(src, base)
		if round == 2 || !(escapedTag.MatchString(b.text) || hasEntity(b.text)) {
			break
		}
		src = b.text
		if !escapedTag.MatchString(src) {
			// Only references left ("&eacute;"): unescape them, keep
			// the markup read so far.
			b.text = html.UnescapeString(b.text)
			b.html = html.UnescapeString(b.html)
			break
		}
	}
	if t := strings.TrimSpace(b.text); onlyURL.MatchString(t) {
		// content:encoded holding nothing but an image's address.
		return body{images: []Media{{URL: absolute(base, t), Medium: "image"}}}
	}
	return b
}

func hasEntity(s string) bool {
	for _, m := range entity.FindAllString(s, 8) {
		if html.UnescapeString(m) != m {
			return true
		}
	}
	return false
}

// readText reads a field that is plain text (Atom type="text", JSON
// Feed content_text): its paragraphs become <p> elements.
func readText(src string) body {
	text := normaliseText(src)
	var h strings.Builder
	for _, p := range strings.Split(text, "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			h.WriteString("<p>" + html.EscapeString(p) + "</p>\n")
		}
	}
	return body{html: h.String(), text: text}
}

func parseFragment(src string, base *url.URL) body {
	wrap := &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div}
	nodes, err := html.ParseFragment(strings.NewReader(src), wrap)
	if err != nil {
		return readText(src)
	}
	for _, n := range nodes {
		wrap.AppendChild(n)
	}
	var out body
	clean(wrap, base, &out.images)
	var h strings.Builder
	var t textWriter
	for n := wrap.FirstChild; n != nil; n = n.NextSibling {
		_ = html.Render(&h, n)
		t.node(n)
	}
	out.html = strings.TrimSpace(h.String())
	out.text = normaliseText(t.String())
	if out.text != "" {
		out.images = nil
	}
	return out
}

// clean drops what must not be passed on (scripts, styles, tracking
// pixels), makes links and sources absolute, and collects the images.
func clean(n *html.Node, base *url.URL, images *[]Media) {
	for c := n.FirstChild; c != nil; {
		next := c.NextSibling
		if c.Type == html.ElementNode {
			switch c.DataAtom {
			case atom.Script, atom.Style, atom.Noscript, atom.Template, atom.Object, atom.Embed:
				n.RemoveChild(c)
				c = next
				continue
			case atom.Img:
				if tracking(c) {
					n.RemoveChild(c)
					c = next
					continue
				}
			}
		}
		clean(c, base, images)
		c = next
	}
	if n.Type != html.ElementNode {
		return
	}
	for i, a := range n.Attr {
		switch a.Key {
		case "href", "src", "poster":
			n.Attr[i].Val = absolute(base, a.Val)
		case "srcset":
			n.Attr[i].Val = "" // relative candidates cannot be resolved one by one cheaply; src is kept
		}
	}
	if n.DataAtom == atom.Img {
		if src := attrOf(n, "src"); src != "" {
			*images = append(*images, Media{URL: src, Medium: "image", Width: atoi(attrOf(n, "width")), Height: atoi(attrOf(n, "height"))})
		}
	}
}

var trackerURL = regexp.MustCompile(`(?i)(feeds\.feedburner\.com/~r/|/~r/|//pixel\.|//stats\.wp\.com|//pixel\.wp\.com|/pixel(\.gif|\.png|/|\?)|/tracking?/|/beacon|/1x1\.|spacer\.gif|/open\.gif|piwik\.php|matomo\.php|/count(er)?\.gif)`)

// tracking reports a tracking image: 1×1 (or 0) by its attributes or its
// style, or at a known tracker's address.
func tracking(n *html.Node) bool {
	w, h := attrOf(n, "width"), attrOf(n, "height")
	tiny := func(s string) bool {
		s = strings.TrimSuffix(strings.TrimSpace(s), "px")
		v, err := strconv.Atoi(s)
		return err == nil && v <= 1
	}
	if tiny(w) && tiny(h) || (tiny(w) || tiny(h)) && (w == "" || h == "") {
		return true
	}
	style := strings.ToLower(strings.ReplaceAll(attrOf(n, "style"), " ", ""))
	if strings.Contains(style, "width:1px") && strings.Contains(style, "height:1px") || strings.Contains(style, "display:none") {
		return true
	}
	return trackerURL.MatchString(attrOf(n, "src"))
}

func attrOf(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return strings.TrimSpace(a.Val)
		}
	}
	return ""
}

func atoi(s string) int {
	v, _ := strconv.Atoi(strings.TrimSuffix(s, "px"))
	return v
}

// absolute resolves a link against base; a link that does not parse is
// kept as written.
func absolute(base *url.URL, ref string) string {
	ref = strings.TrimSpace(ref)
	if ref == "" || base == nil {
		return ref
	}
	u, err := resolve(base, ref)
	if err != nil {
		return ref
	}
	return u.String()
}

// textWriter writes the visible text of HTML, a blank line between
// blocks.
type textWriter struct {
	b strings.Builder
}

func (t *textWriter) String() string { return t.b.String() }

func (t *textWriter) node(n *html.Node) {
	switch n.Type {
	case html.TextNode:
		t.b.WriteString(n.Data)
		return
	case html.ElementNode, html.DocumentNode:
	default:
		return
	}
	block := isBlock(n.DataAtom)
	if n.DataAtom == atom.Br {
		t.b.WriteString("\n")
		return
	}
	if block {
		t.b.WriteString("\n\n")
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		t.node(c)
	}
	if block {
		t.b.WriteString("\n\n")
	}
}

func isBlock(a atom.Atom) bool {
	switch a {
	case atom.P, atom.Div, atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.Li, atom.Ul, atom.Ol,
		atom.Blockquote, atom.Figure, atom.Figcaption, atom.Table, atom.Tr, atom.Section, atom.Article,
		atom.Header, atom.Footer, atom.Pre, atom.Hr, atom.Dl, atom.Dt, atom.Dd, atom.Aside, atom.Main:
		return true
	}
	return false
}

var (
	spaces     = regexp.MustCompile(`[ \t\f\v\x{00a0}\x{2007}\x{202f}]+`)
	blankLines = regexp.MustCompile(`\n[ \t]*\n[\s]*`)
)

// normaliseText collapses spaces, keeps single line breaks and makes
// every run of blank lines one, so that paragraphs are separated by
// "\n\n".
func normaliseText(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	s = strings.NewReplacer("\u200b", "", "\u00ad", "", "\ufeff", "").Replace(s)
	s = spaces.ReplaceAllString(s, " ")
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSpace(l)
	}
	s = strings.Join(lines, "\n")
	s = blankLines.ReplaceAllString(s, "\n\n")
	return strings.TrimSpace(s)
}
