package split

import (
	"fmt"
	"strconv"
	"strings"

	readability "codeberg.org/readeck/go-readability/v2"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
	"golang.org/x/text/unicode/norm"
)

// parseHTML extracts the article from a web page and splits it into
// units, one per block element. See extractArticle for what counts as
// the article. Each unit's text is the element's visible text with
// whitespace collapsed; its Lead is a blank line ("" for the first), as
// the page's markup cannot be rebuilt from segments anyway.
func parseHTML(src string) ([]unit, error) {
	doc, err := parseDocument(src)
	if err != nil {
		return nil, err
	}
	ex := extractArticle(doc)
	if ex.empty {
		return nil, errNoArticleText
	}
	w := &htmlWalker{}
	if ex.root != nil {
		w.walk(ex.root)
		w.flush()
	}
	units := w.units
	var header []unit
	if ex.readability {
		first := ""
		for _, u := range units {
			if u.text != ex.title {
				first = u.text
				break
			}
		}
		header = headerUnits(doc, ex.title, first)
	}
	if ex.title != "" {
		switch {
		case len(units) > 0 && units[0].text == ex.title:
			units[0].hint = hintTitle
		default:
			units = append([]unit{{text: ex.title, hint: hintTitle}}, units...)
		}
	}
	if ex.byline != "" && !hasText(units, ex.byline) {
		at := 0
		if ex.title != "" {
			at = 1
		}
		units = append(units[:at], append([]unit{{text: ex.byline, hint: hintByline}}, units[at:]...)...)
	}
	if len(header) > 0 {
		at := 0
		for at < len(units) && (units[at].hint == hintTitle || units[at].hint == hintByline) {
			at++
		}
		var keep []unit
		for _, u := range header {
			if !hasText(units, u.text) && !hasText(keep, u.text) {
				keep = append(keep, u)
			}
		}
		units = append(units[:at], append(keep, units[at:]...)...)
	}
	for i := range units {
		if i > 0 {
			units[i].lead = "\n\n"
		}
	}
	return units, nil
}

func parseDocument(src string) (*html.Node, error) {
	doc, err := html.Parse(strings.NewReader(src))
	if err != nil {
		return nil, fmt.Errorf("parse html: %w", err)
	}
	return doc, nil
}

func hasText(units []unit, text string) bool {
	for _, u := range units {
		if u.text == text {
			return true
		}
	}
	return false
}

// extracted is the part of a page that is the article.
type extracted struct {
	root *html.Node
	// title and byline are set when readability found them outside
	// root; "" otherwise.
	title, byline string
	// readability is set when readability found root.
	readability bool
	// empty is set when the page marks its article with <article> and
	// no such element holds text: the story is missing, and whatever
	// else the page holds (its footer, a cookie notice) is not it.
	empty bool
}

// errNoArticleText is a page whose article holds no text.
var errNoArticleText = fmt.Errorf("%w: no article text found", ErrEmpty)

// extractArticle finds the article in a page. When the page has an
// <article> element with text, only it counts (the one with the most
// text, if there are several): news sites mark their story that way, and
// their own markup is more exact than any guess. An <article> with less
// than 500 bytes of text and less than 30% of the page's text does not
// count: that is a teaser for another story. A page whose <article>
// elements hold no text at all (whitespace and images aside) has lost its
// story, and has no article text. Otherwise readability
// (codeberg.org/readeck/go-readability) picks the main content, and its
// title and byline, which it takes out of the content, are kept.
// Failing both, the <body> is used.
func extractArticle(doc *html.Node) extracted {
	var best *html.Node
	bestLen, articles := 0, 0
	var find func(*html.Node)
	find = func(n *html.Node) {
		if n.Type == html.ElementNode && dropped(n) {
			return
		}
		if n.Type == html.ElementNode && n.DataAtom == atom.Article {
			articles++
			if l := len(visibleText(n)); l > bestLen {
				best, bestLen = n, l
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			find(c)
		}
	}
	find(doc)
	if articles > 0 && best == nil {
		return extracted{empty: true}
	}
	// An <article> that holds little of the page's text is a teaser
	// card, not the story.
	if best != nil && (bestLen >= 500 || 10*bestLen >= 3*len(visibleText(doc))) {
		return extracted{root: best}
	}
	if ex, ok := readable(doc); ok {
		return ex
	}
	return extracted{root: findElement(doc, atom.Body)}
}

// readable runs readability on a copy of doc. Readability is a large
// heuristic parser run on untrusted pages; should it panic, the page is
// read without it rather than bringing the program down.
func readable(doc *html.Node) (ex extracted, ok bool) {
	defer func() {
		if recover() != nil {
			ex, ok = extracted{}, false
		}
	}()
	p := readability.NewParser()
	// Keep classes: they tell tweets, bylines and captions apart.
	p.KeepClasses = true
	art, err := p.ParseDocument(doc, nil)
	if err != nil || art.Node == nil || visibleText(art.Node) == "" {
		return extracted{}, false
	}
	return extracted{
		root:        art.Node,
		title:       collapse(art.Title()),
		byline:      collapse(art.Byline()),
		readability: true,
	}, true
}

func findElement(n *html.Node, a atom.Atom) *html.Node {
	if n.Type == html.ElementNode && n.DataAtom == a {
		return n
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if f := findElement(c, a); f != nil {
			return f
		}
	}
	return nil
}

// visibleText returns the text of n that a reader sees, whitespace
// collapsed: without scripts, styles, navigation, ads and hidden
// elements.
func visibleText(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			b.WriteString(n.Data)
			return
		case html.ElementNode:
			if dropped(n) {
				return
			}
		}
		block := n.Type == html.ElementNode && (blockTags[n.DataAtom] || n.DataAtom == atom.Br)
		if block {
			b.WriteByte(' ')
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
		if block {
			b.WriteByte(' ')
		}
	}
	walk(n)
	return collapse(b.String())
}

// collapse cleans text from a page as Normalize cleans a file, and
// collapses its whitespace to single spaces.
func collapse(s string) string {
	s = strings.Map(func(r rune) rune {
		if r != '\n' && r != '\t' && removable(r) {
			return -1
		}
		return r
	}, s)
	return norm.NFC.String(strings.Join(strings.Fields(s), " "))
}

// droppedTags hold no article text.
var droppedTags = map[atom.Atom]bool{
	atom.Head: true, atom.Script: true, atom.Style: true, atom.Noscript: true,
	atom.Template: true, atom.Iframe: true, atom.Object: true, atom.Embed: true,
	atom.Svg: true, atom.Math: true, atom.Canvas: true, atom.Video: true, atom.Audio: true,
	atom.Nav: true, atom.Aside: true, atom.Button: true, atom.Input: true,
	atom.Select: true, atom.Textarea: true, atom.Dialog: true, atom.Menu: true,
}

// adWords, as a word of an element's class or id ("ad-slot",
// "cookie_banner"), mark ads, cookie banners, share bars and lists of
// related articles.
var adWords = map[string]bool{
	"ad": true, "ads": true, "adv": true, "advert": true, "adverts": true,
	"advertisement": true, "advertentie": true, "adslot": true, "dfp": true,
	"cookie": true, "cookies": true, "consent": true, "gdpr": true,
	"share": true, "sharing": true, "sharebar": true, "related": true,
	"promo": true, "sponsored": true, "newsletter": true, "paywall": true,
	"outbrain": true, "taboola": true,
}

// hiddenClasses hide an element from sight ("hidden", "d-none") or show it
// to screen readers only ("sr-only", "element-invisible"): either way it
// is no text of the article as a reader sees it, often a label such as
// "Delen" or "(opent in een nieuw venster)".
var hiddenClasses = map[string]bool{
	"hidden": true, "is-hidden": true, "u-hidden": true, "hide": true, "d-none": true,
	"invisible": true, "element-invisible": true, "element-hidden": true,
	"sr-only": true, "visually-hidden": true, "visuallyhidden": true,
	"screen-reader-text": true, "screen-reader-only": true, "screenreader-only": true,
	"a11y-hidden": true, "offscreen": true,
}

// hiddenByClass reports whether a class attribute hides its element. A
// responsive class beside it ("hidden md:block", "d-none d-lg-block")
// shows the element on some screens, so then it counts as visible.
func hiddenByClass(class string) bool {
	hidden := false
	for _, c := range strings.Fields(strings.ToLower(class)) {
		switch {
		case strings.Contains(c, ":"):
			return false
		case strings.HasPrefix(c, "d-") && strings.Count(c, "-") == 2 && !strings.HasSuffix(c, "-none"):
			return false
		case hiddenClasses[c]:
			hidden = true
		}
	}
	return hidden
}

// dropped reports whether an element and all it holds are left out: not
// text, not visible, navigation, or an ad. A class or id that names an
// ad, a share bar or related articles counts only for an element with
// little text, or whose text is mostly links, so that a wrapper such as
// <div class="content has-ads"> around the story is kept.
func dropped(n *html.Node) bool {
	if droppedByTag(n) {
		return true
	}
	switch n.DataAtom {
	case atom.Html, atom.Body, atom.Main, atom.Article:
		return false
	}
	for _, a := range n.Attr {
		if a.Key != "class" && a.Key != "id" {
			continue
		}
		for _, word := range strings.FieldsFunc(strings.ToLower(a.Val), func(r rune) bool {
			return r == ' ' || r == '-' || r == '_' || r == '\t' || r == '\n'
		}) {
			if adWords[word] {
				total, linked := textAmount(n)
				return total < 300 || 2*linked > total
			}
		}
	}
	return false
}

// droppedByTag reports whether an element is left out whatever its
// class: by its tag, or because it is hidden.
func droppedByTag(n *html.Node) bool {
	if droppedTags[n.DataAtom] {
		return true
	}
	switch n.DataAtom {
	case atom.Html, atom.Body:
		return false
	}
	for _, a := range n.Attr {
		switch a.Key {
		case "hidden":
			return true
		case "class":
			if hiddenByClass(a.Val) {
				return true
			}
		case "aria-hidden":
			if a.Val == "true" {
				return true
			}
		case "style":
			v := strings.ReplaceAll(strings.ToLower(a.Val), " ", "")
			if strings.Contains(v, "display:none") || strings.Contains(v, "visibility:hidden") {
				return true
			}
		}
	}
	return false
}

// textAmount counts the bytes of text in n, and of those inside links,
// leaving out elements dropped by tag; it stops counting at 5000.
func textAmount(n *html.Node) (total, linked int) {
	var walk func(n *html.Node, inLink bool)
	walk = func(n *html.Node, inLink bool) {
		if total >= 5000 {
			return
		}
		switch n.Type {
		case html.TextNode:
			l := len(strings.TrimSpace(n.Data))
			total += l
			if inLink {
				linked += l
			}
			return
		case html.ElementNode:
			if droppedByTag(n) {
				return
			}
			inLink = inLink || n.DataAtom == atom.A
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, inLink)
		}
	}
	walk(n, false)
	return total, linked
}

// blockTags end the text before them and start a new unit.
var blockTags = map[atom.Atom]bool{
	atom.Address: true, atom.Article: true, atom.Blockquote: true, atom.Body: true,
	atom.Caption: true, atom.Center: true, atom.Dd: true, atom.Details: true,
	atom.Div: true, atom.Dl: true, atom.Dt: true, atom.Fieldset: true,
	atom.Figcaption: true, atom.Figure: true, atom.Footer: true, atom.Form: true,
	atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true,
	atom.H6: true, atom.Header: true, atom.Hgroup: true, atom.Hr: true, atom.Html: true,
	atom.Legend: true, atom.Li: true, atom.Main: true, atom.Ol: true, atom.P: true,
	atom.Pre: true, atom.Section: true, atom.Summary: true, atom.Table: true,
	atom.Tbody: true, atom.Td: true, atom.Tfoot: true, atom.Th: true, atom.Thead: true,
	atom.Tr: true, atom.Ul: true,
}

// htmlWalker turns the block elements of an article into units.
type htmlWalker struct {
	units []unit
	buf   strings.Builder
	// context is the hint each enclosing block gives its text.
	context []hint
	// bold counts the letters of buf inside <strong> or <b>, all the
	// letters; a paragraph that is all bold may be a subheading.
	bold, all int
	inBold    int
	seenTitle bool
	// lists are the <ol> and <ul> around the walk, innermost last: the
	// next number of an <ol>, 0 for a <ul>.
	lists []int
	// number is the number of the <li> being read, 0 if none.
	number int
	// header reads a page's header outside the article, where a class
	// "author" marks the byline.
	header bool
}

func (w *htmlWalker) hint() hint {
	if len(w.context) == 0 {
		return hintPlain
	}
	return w.context[len(w.context)-1]
}

func (w *htmlWalker) flush() { w.flushAs(w.hint()) }

func (w *htmlWalker) flushAs(h hint) {
	text := collapse(w.buf.String())
	w.buf.Reset()
	bold, all := w.bold, w.all
	w.bold, w.all = 0, 0
	if text == "" {
		return
	}
	u := unit{
		text:  text,
		hint:  h,
		shape: h == hintPlain && bold == all,
	}
	if h == hintListItem {
		u.number, w.number = w.number, 0
	}
	w.units = append(w.units, u)
}

// runIn reports whether the text before a <br> is a run-in subheading:
// all bold, in a plain paragraph, and shaped like a heading, as in
// "<p><strong>2. De gevolgen</strong><br>Na het besluit …".
func (w *htmlWalker) runIn() bool {
	return w.hint() == hintPlain && w.all > 0 && w.bold == w.all && isHeadingShape(collapse(w.buf.String()))
}

func (w *htmlWalker) walk(n *html.Node) {
	switch n.Type {
	case html.TextNode:
		w.buf.WriteString(n.Data)
		letters := 0
		for _, r := range n.Data {
			if r > ' ' {
				letters++
			}
		}
		w.all += letters
		if w.inBold > 0 {
			w.bold += letters
		}
		return
	case html.ElementNode:
	default:
		w.children(n)
		return
	}
	if dropped(n) {
		return
	}
	switch n.DataAtom {
	case atom.Br:
		if w.runIn() {
			w.flushAs(hintRunIn)
			return
		}
		w.buf.WriteByte(' ')
		return
	case atom.Img:
		if link, alt, ok := imageOf(n); ok && !w.header {
			w.flush()
			w.units = append(w.units, unit{text: alt, hint: hintMedia, media: link})
		}
		return
	case atom.Strong, atom.B:
		w.inBold++
		w.children(n)
		w.inBold--
		return
	}
	if !blockTags[n.DataAtom] && !(w.header && headerBlock(n)) {
		w.children(n)
		return
	}
	w.flush()
	pushed := true
	switch n.DataAtom {
	case atom.H1:
		if w.seenTitle {
			w.context = append(w.context, hintHeading)
		} else {
			w.context = append(w.context, hintTitle)
			w.seenTitle = true
		}
	case atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		w.context = append(w.context, hintHeading)
	case atom.Li:
		w.context = append(w.context, hintListItem)
		w.number = 0
		if k := len(w.lists) - 1; k >= 0 && w.lists[k] > 0 {
			w.number = w.lists[k]
			if v, ok := intAttr(n, "value"); ok && v > 0 {
				w.number = v
			}
			w.lists[k] = w.number + 1
		}
	case atom.Ol, atom.Ul:
		next := 0
		if n.DataAtom == atom.Ol {
			next = 1
			if v, ok := intAttr(n, "start"); ok && v > 0 {
				next = v
			}
		}
		w.lists = append(w.lists, next)
		w.children(n)
		w.flush()
		w.lists = w.lists[:len(w.lists)-1]
		return
	case atom.Figcaption:
		w.context = append(w.context, hintCaption)
	case atom.Blockquote:
		if embedBlockquote(n) {
			if text := visibleText(n); text != "" {
				w.units = append(w.units, unit{text: text, hint: hintEmbed})
			}
			return
		}
		w.context = append(w.context, hintQuote)
	default:
		switch {
		case hasClassWord(n, "byline"), w.header && (hasClassWord(n, "author") || hasClassWord(n, "auteur")):
			w.context = append(w.context, hintByline)
		case hasClassWord(n, "caption"):
			w.context = append(w.context, hintCaption)
		default:
			pushed = false
		}
	}
	w.children(n)
	w.flush()
	if pushed {
		w.context = w.context[:len(w.context)-1]
	}
}

func (w *htmlWalker) children(n *html.Node) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		w.walk(c)
	}
}

// embedClasses mark a blockquote (or its wrapper) as an embedded post.
var embedClasses = []string{
	"twitter-tweet", "twitter-video", "instagram-media", "tiktok-embed",
	"bluesky-embed", "text-post-media", "fb-post", "fb-xfbml-parse-ignore",
	"reddit-embed", "mastodon-embed",
}

// embedBlockquote reports whether a blockquote is an embedded post: by
// the class the platform's embed code gives it, or by its text.
func embedBlockquote(n *html.Node) bool {
	for _, a := range n.Attr {
		if strings.HasPrefix(a.Key, "data-instgrm") || strings.HasPrefix(a.Key, "data-tweet") {
			return true
		}
		if a.Key == "class" {
			for _, c := range strings.Fields(a.Val) {
				for _, e := range embedClasses {
					if c == e {
						return true
					}
				}
			}
		}
	}
	return isEmbed(visibleText(n))
}

// hasClassWord reports whether a class of n contains word, as in
// "article-byline".
func hasClassWord(n *html.Node, word string) bool {
	for _, a := range n.Attr {
		if a.Key == "class" && strings.Contains(strings.ToLower(a.Val), word) {
			return true
		}
	}
	return false
}

// headerBlock reports whether an inline element of a page's header
// holds a line of its own: the author's name or the date, as in
// <span class="author">, <time>.
func headerBlock(n *html.Node) bool {
	if n.DataAtom == atom.Time {
		return true
	}
	for _, w := range []string{"author", "auteur", "byline", "date", "datum", "time", "published"} {
		if hasClassWord(n, w) {
			return true
		}
	}
	return false
}

// intAttr returns the value of an integer attribute of n.
func intAttr(n *html.Node, key string) (int, bool) {
	for _, a := range n.Attr {
		if a.Key == key {
			v, err := strconv.Atoi(strings.TrimSpace(a.Val))
			return v, err == nil && v < 1e8
		}
	}
	return 0, false
}

// headerUnits reads the header of a page whose content readability
// found, which readability leaves out: what stands between the <h1> that
// holds the title and the first text of the content. Only a byline, a
// date line and a caption (of the lead photo) are kept from it, so that
// labels and buttons stay out.
func headerUnits(doc *html.Node, title, firstText string) []unit {
	h1 := findTitle(doc, title)
	if h1 == nil {
		return nil
	}
	to := findTextNode(h1, firstText)
	w := &htmlWalker{header: true}
	following(h1, to, func(n *html.Node) bool {
		w.walk(n)
		w.flush()
		return len(w.units) < 12
	})
	var out []unit
	for _, u := range w.units {
		switch {
		case u.hint == hintByline, u.hint == hintCaption:
		case u.hint == hintPlain && (isByline(u.text) || isDateLine(u.text) || isCaption(u.text) || isNameLine(u.text)):
		default:
			continue
		}
		out = append(out, u)
	}
	return out
}

// findTitle finds the <h1> whose text is title, or the first <h1> when
// title is "".
func findTitle(doc *html.Node, title string) *html.Node {
	var found *html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if found != nil {
			return
		}
		if n.Type == html.ElementNode {
			if dropped(n) {
				return
			}
			if n.DataAtom == atom.H1 && (title == "" || visibleText(n) == title) {
				found = n
				return
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return found
}

// findTextNode finds the first text node after from, in document order,
// with which text begins (and at least eight bytes of it, so that a stray
// "De" is not taken for it), or nil.
func findTextNode(from *html.Node, text string) *html.Node {
	if text == "" {
		return nil
	}
	for n := nextNode(from, true); n != nil; n = nextNode(n, false) {
		if n.Type != html.TextNode {
			continue
		}
		t := collapse(n.Data)
		if t != "" && strings.HasPrefix(text, t) && (len(t) >= 8 || t == text) {
			return n
		}
	}
	return nil
}

// nextNode returns the node after n in document order; skip leaves out
// n's own children.
func nextNode(n *html.Node, skip bool) *html.Node {
	if !skip && n.FirstChild != nil {
		return n.FirstChild
	}
	for ; n != nil; n = n.Parent {
		if n.NextSibling != nil {
			return n.NextSibling
		}
	}
	return nil
}

// following calls visit with each subtree that follows from and precedes
// to in document order, outermost first, until visit returns false. A
// nil to means the end of the document.
func following(from, to *html.Node, visit func(*html.Node) bool) {
	var inside func(n *html.Node) bool
	// inside visits the children of n, an ancestor of to, that come
	// before to; it reports whether the walk is over.
	inside = func(n *html.Node) bool {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c == to {
				return true
			}
			if descends(to, c) {
				inside(c)
				return true
			}
			if !visit(c) {
				return true
			}
		}
		return false
	}
	for n := from; n != nil; n = n.Parent {
		for s := n.NextSibling; s != nil; s = s.NextSibling {
			if s == to {
				return
			}
			if to != nil && descends(to, s) {
				inside(s)
				return
			}
			if !visit(s) {
				return
			}
		}
	}
}

// descends reports whether d is n or inside it.
func descends(d, n *html.Node) bool {
	for p := d; p != nil; p = p.Parent {
		if p == n {
			return true
		}
	}
	return false
}
