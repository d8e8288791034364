package feed

import (
	"bytes"
	"net/url"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Discover returns the feeds a web page names in its head (<link
// rel="alternate" type="application/rss+xml" href="…">, Atom and JSON
// Feed alike), absolute against base, in the page's order: what to
// suggest when a page was given where a feed was expected.
func Discover(page []byte, base string) []string {
	bu, _ := url.Parse(base)
	z := html.NewTokenizer(bytes.NewReader(page))
	var out []string
	seen := map[string]bool{}
	for {
		switch z.Next() {
		case html.ErrorToken:
			return out
		case html.EndTagToken:
			if name, _ := z.TagName(); atom.Lookup(name) == atom.Head {
				return out
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			name, more := z.TagName()
			if atom.Lookup(name) != atom.Link || !more {
				continue
			}
			var rel, typ, href string
			for more {
				var k, v []byte
				k, v, more = z.TagAttr()
				switch string(k) {
				case "rel":
					rel = strings.ToLower(string(v))
				case "type":
					typ = strings.ToLower(strings.TrimSpace(string(v)))
				case "href":
					href = string(v)
				}
			}
			if !strings.Contains(" "+rel+" ", " alternate ") || href == "" {
				continue
			}
			switch typ {
			case "application/rss+xml", "application/atom+xml", "application/feed+json", "application/json":
				if u := absolute(bu, href); !seen[u] {
					seen[u] = true
					out = append(out, u)
				}
			}
		}
	}
}
