package split

import (
	"strconv"
	"strings"

	"golang.org/x/net/html"
)

// trackingPixel reports whether an image's link says it is a tracking
// pixel or a spacer, which shows nothing: it is dropped, not a media
// segment.
func trackingPixel(link string) bool {
	l := strings.ToLower(link)
	for _, w := range []string{"pixel", "tracking", "tracker", "beacon", "spacer.gif", "blank.gif", "1x1", "/p.gif", "/t.gif"} {
		if strings.Contains(l, w) {
			return true
		}
	}
	return false
}

// imageOf returns the link and alternative text of an <img>, and whether
// it shows anything: a tracking pixel (1×1, hidden, or named so) and an
// image without a link do not. Lazy-loading pages put the link in
// data-src and a placeholder in src.
func imageOf(n *html.Node) (link, alt string, ok bool) {
	var src, lazy string
	for _, a := range n.Attr {
		v := strings.TrimSpace(a.Val)
		switch a.Key {
		case "src":
			src = v
		case "data-src", "data-lazy-src", "data-original":
			lazy = v
		case "alt":
			alt = collapse(a.Val)
		case "width", "height":
			if px, err := strconv.Atoi(strings.TrimSuffix(v, "px")); err == nil && px <= 1 {
				return "", "", false
			}
		}
	}
	link = src
	if lazy != "" && (src == "" || strings.HasPrefix(src, "data:")) {
		link = lazy
	}
	if link == "" || trackingPixel(link) {
		return "", "", false
	}
	return link, alt, true
}
