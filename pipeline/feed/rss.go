package feed

import (
	"strconv"
	"strings"
)

// readRSS reads RSS 2.0, 0.9x and 1.0 (RDF), whose items are children of
// the channel or, in 1.0, of the root.
func readRSS(root *node) *Feed {
	ch := root.child("channel")
	if ch == nil {
		ch = root
	}
	f := &Feed{
		Format:   RSS,
		Title:    plainLine(ch.value("title"), ch),
		Link:     cleanLink(ch.base, ch.value("link")),
		Language: firstOf(ch.value("language"), ch.lang),
	}
	items := ch.all("item")
	if ch != root {
		items = append(items, root.all("item")...)
	}
	for _, n := range items {
		f.Items = append(f.Items, readRSSItem(n))
	}
	return f
}

func readRSSItem(n *node) Item {
	it := Item{Title: plainLine(n.value("title"), n)}
	permaLink := false
	if g := n.child("guid"); g != nil {
		it.GUID = strings.TrimSpace(g.text.String())
		permaLink = !strings.EqualFold(strings.TrimSpace(g.attr("ispermalink")), "false")
	}
	link := ""
	for _, l := range n.all("link") {
		if t := strings.TrimSpace(l.text.String()); t != "" {
			link = t
			break
		}
		// An atom:link inside an RSS item.
		if rel := l.attr("rel"); l.attr("href") != "" && (rel == "" || rel == "alternate") {
			link = l.attr("href")
			break
		}
	}
	linkBase := n.base
	if link == "" && permaLink && isWebURL(it.GUID) {
		link = it.GUID
	}
	if l := n.child("link"); l != nil {
		linkBase = l.base
	}
	it.Link = cleanLink(linkBase, link)

	var bodies []body
	for _, c := range n.children {
		switch c.name {
		case "encoded":
			bodies = append(bodies, readHTML(c.inner(), c.base))
		case "content":
			if c.attr("url") == "" && strings.TrimSpace(c.text.String()) != "" {
				bodies = append(bodies, readHTML(c.inner(), c.base))
			}
		}
	}
	for _, name := range []string{"description", "summary", "abstract"} {
		if c := n.child(name); c != nil {
			bodies = append(bodies, readHTML(c.inner(), c.base))
			break
		}
	}
	pickBody(&it, bodies)

	it.Published = parseDate(firstOf(n.value("pubdate"), n.value("published"), n.value("date"), n.value("issued")))
	it.Updated = parseDate(firstOf(n.value("updated"), n.value("modified")))
	for _, c := range n.children {
		switch c.name {
		case "author", "creator":
			if a := strings.TrimSpace(c.text.String()); a != "" {
				it.Authors = append(it.Authors, a)
			} else if a := c.value("name"); a != "" {
				it.Authors = append(it.Authors, a)
			}
		case "category", "subject":
			if cat := strings.TrimSpace(c.text.String()); cat != "" {
				it.Categories = append(it.Categories, cat)
			}
		}
	}
	it.Language = firstOf(n.value("language"), n.lang)
	it.Media = append(it.Media, readMedia(n)...)
	return it
}

// readMedia reads enclosures and Media RSS (media:content,
// media:thumbnail, also inside media:group) of an item or entry.
func readMedia(n *node) []Media {
	var out []Media
	for _, c := range n.children {
		switch c.name {
		case "enclosure":
			if u := c.attr("url"); u != "" {
				out = append(out, Media{URL: absolute(c.base, u), Type: c.attr("type"), Medium: medium("", c.attr("type")), Length: length(c.attr("length"))})
			}
		case "content":
			if u := c.attr("url"); u != "" {
				out = append(out, Media{URL: absolute(c.base, u), Type: c.attr("type"), Medium: medium(c.attr("medium"), c.attr("type")),
					Length: length(c.attr("filesize")), Width: atoi(c.attr("width")), Height: atoi(c.attr("height"))})
			}
			out = append(out, readMedia(c)...) // a thumbnail inside media:content
		case "thumbnail":
			u := c.attr("url")
			if u == "" {
				u = strings.TrimSpace(c.text.String())
			}
			if u != "" {
				out = append(out, Media{URL: absolute(c.base, u), Medium: "image", Width: atoi(c.attr("width")), Height: atoi(c.attr("height")), Thumbnail: true})
			}
		case "group":
			out = append(out, readMedia(c)...)
		case "link":
			if c.attr("rel") == "enclosure" && c.attr("href") != "" {
				out = append(out, Media{URL: absolute(c.base, c.attr("href")), Type: c.attr("type"), Medium: medium("", c.attr("type")), Length: length(c.attr("length"))})
			}
		}
	}
	return out
}

func medium(given, mime string) string {
	if given != "" {
		return strings.ToLower(given)
	}
	kind, _, _ := strings.Cut(strings.ToLower(mime), "/")
	switch kind {
	case "image", "audio", "video":
		return kind
	}
	return ""
}

// length reads an enclosure's length; feeds write 0, nothing, or words.
func length(s string) int64 {
	v, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil || v < 0 {
		return 0
	}
	return v
}

// pickBody sets the item's HTML and text from the longest of its bodies;
// images of a body with no text (content:encoded holding only an image)
// join its media.
func pickBody(it *Item, bodies []body) {
	best := -1
	for i, b := range bodies {
		it.Media = append(it.Media, b.images...)
		if b.text == "" {
			continue
		}
		if best < 0 || countWords(b.text) > countWords(bodies[best].text) {
			best = i
		}
	}
	if best >= 0 {
		it.HTML, it.Text = bodies[best].html, bodies[best].text
	}
}

// plainLine reads a title: HTML in it (entities, tags, escaped twice) is
// reduced to its text, on one line.
func plainLine(s string, n *node) string {
	if s == "" {
		return ""
	}
	b := readHTML(s, n.base)
	if b.text == "" {
		return strings.Join(strings.Fields(s), " ")
	}
	return strings.Join(strings.Fields(b.text), " ")
}

func firstOf(values ...string) string {
	for _, v := range values {
		if v = strings.TrimSpace(v); v != "" {
			return v
		}
	}
	return ""
}
