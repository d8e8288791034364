package dutch

import (
	"regexp"
	"strings"
)

// linkExpr matches what a text copies and never translates, and what
// says nothing of its language: the target of a Markdown link
// ("](https://…)"), URLs ("https://…", "www.…", "pic.twitter.com/…",
// "t.co/…"), @handles and #hashtags.
const linkExpr = `\]\([^)\s]*\)|(?i:https?://|www\.|pic\.twitter\.com/|t\.co/)[^\s)\]]+|[@#][\p{L}\p{N}_.]*[\p{L}\p{N}_]`

// linkAt matches linkExpr at the start of a text only: it is tried only
// where a link can start, since over a whole article the expression,
// which backtracks, would cost more than all the rest of the reading.
var linkAt = regexp.MustCompile(`^(?:` + linkExpr + `)`)

// linkTrigger marks the bytes a link can start with: the first letters
// of linkExpr's alternatives, in either case.
var linkTrigger = func() (t [256]bool) {
	for _, c := range []byte("]hHwWpPtT@#") {
		t[c] = true
	}
	return t
}()

// Link is a stretch of a text that is copied as it is: its byte offsets.
type Link struct{ Start, End int }

// Links finds the links, handles and hashtags of s, in order (see
// [BlankLinks]).
func Links(s string) []Link {
	var out []Link
	for i := 0; i < len(s); i++ {
		if n := linkLen(s, i); n > 0 {
			out = append(out, Link{i, i + n})
			i += n - 1
		}
	}
	return out
}

// linkLen returns the length of the link starting at byte i of s, or 0.
func linkLen(s string, i int) int {
	c := s[i]
	if !linkTrigger[c] {
		return 0
	}
	switch c {
	case 't', 'T':
		// "t.co/" only at a word boundary.
		if i > 0 && isASCIIWordByte(s[i-1]) || !hasPrefixFold(s[i:], "t.co/") {
			return 0
		}
	case 'h', 'H', 'w', 'W', 'p', 'P':
		rest := s[i:min(len(s), i+16)]
		if !hasPrefixFold(rest, "http") && !hasPrefixFold(rest, "www.") && !hasPrefixFold(rest, "pic.twitter.com/") {
			return 0
		}
	case ']':
		if !strings.HasPrefix(s[i:], "](") {
			return 0
		}
	}
	loc := linkAt.FindStringIndex(s[i:])
	if loc == nil {
		return 0
	}
	return loc[1]
}

// BlankLinks replaces each link, handle and hashtag of s with a space
// (the target of a Markdown link with "] ", so that its text stays a
// link's text), and says how many it replaced. What is left is what a
// translation translates: "#Bachmoet" is no place name to translate, and
// the digits of a URL are no number.
func BlankLinks(s string) (string, int) {
	var b strings.Builder
	last, links := 0, 0
	for i := 0; i < len(s); i++ {
		n := linkLen(s, i)
		if n == 0 {
			continue
		}
		if links == 0 {
			b.Grow(len(s))
		}
		links++
		b.WriteString(s[last:i])
		if s[i] == ']' {
			b.WriteString("] ")
		} else {
			b.WriteByte(' ')
		}
		last = i + n
		i = last - 1
	}
	if links == 0 {
		return s, 0
	}
	b.WriteString(s[last:])
	return b.String(), links
}

// isASCIIWordByte reports whether c is a word character as \b sees it.
func isASCIIWordByte(c byte) bool {
	return c == '_' || '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}
