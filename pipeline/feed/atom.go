package feed

import (
	"strings"
)

// readAtom reads an Atom 1.0 feed (and the 0.3 names of its dates).
func readAtom(root *node) *Feed {
	f := &Feed{
		Format:   Atom,
		Title:    plainLine(atomBody(root.child("title")).text, root),
		Link:     alternate(root),
		Language: root.lang,
	}
	for _, e := range root.all("entry") {
		it := Item{
			GUID:  e.value("id"),
			Link:  alternate(e),
			Title: plainLine(atomBody(e.child("title")).text, e),
		}
		var bodies []body
		for _, c := range e.all("content") {
			if c.attr("url") == "" && c.attr("src") == "" {
				bodies = append(bodies, atomBody(c))
			}
		}
		if s := e.child("summary"); s != nil {
			bodies = append(bodies, atomBody(s))
		}
		pickBody(&it, bodies)
		it.Published = parseDate(firstOf(e.value("published"), e.value("issued"), e.value("created")))
		it.Updated = parseDate(firstOf(e.value("updated"), e.value("modified")))
		for _, a := range e.all("author") {
			if name := firstOf(a.value("name"), a.text.String()); name != "" {
				it.Authors = append(it.Authors, name)
			}
		}
		for _, c := range e.all("category") {
			if t := firstOf(c.attr("label"), c.attr("term"), c.text.String()); t != "" {
				it.Categories = append(it.Categories, t)
			}
		}
		it.Language = e.lang
		it.Media = append(it.Media, readMedia(e)...)
		f.Items = append(f.Items, it)
	}
	return f
}

// atomBody reads an Atom text construct by its type: text, html, xhtml
// (or a MIME type). An untyped one that holds HTML tags is read as HTML,
// as feeds that leave out type="html" mean.
func atomBody(n *node) body {
	if n == nil {
		return body{}
	}
	switch t := strings.ToLower(strings.TrimSpace(n.attr("type"))); {
	case t == "html" || t == "text/html" || t == "xhtml" || strings.Contains(t, "xml"):
		return readHTML(n.inner(), n.base)
	case t == "" && (len(n.children) > 0 || escapedTag.MatchString(n.text.String())):
		return readHTML(n.inner(), n.base)
	}
	return readText(n.text.String())
}

// alternate is the URL of an element's link to its HTML page: rel
// "alternate" (or none), one of an HTML type (or none) first.
func alternate(n *node) string {
	var first, html *node
	for _, l := range n.all("link") {
		rel := strings.ToLower(strings.TrimSpace(l.attr("rel")))
		if href(l) == "" || (rel != "" && rel != "alternate") {
			continue
		}
		if first == nil {
			first = l
		}
		if typ := strings.ToLower(l.attr("type")); html == nil && (typ == "" || strings.Contains(typ, "html")) {
			html = l
		}
	}
	if html == nil {
		html = first
	}
	if html == nil {
		return ""
	}
	return cleanLink(html.base, href(html))
}

func href(l *node) string {
	if h := strings.TrimSpace(l.attr("href")); h != "" {
		return h
	}
	return strings.TrimSpace(l.text.String())
}
