package slug

import (
	"crypto/sha256"
	"encoding/hex"
	"net/url"
	"path"
	"sort"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/nl2en/nl2en/pipeline/redact"
)

// MaxLen is the most bytes a name has.
const MaxLen = 80

// HashLen is the number of hexadecimal digits [WithHash] appends.
const HashLen = 8

// Make turns any text into a name: lowercase ASCII letters and digits,
// accents removed ("één" → "een", "Ĳsselmeer" → "ijsselmeer"), every other
// run of characters one hyphen, at most [MaxLen] bytes cut at a hyphen
// where one is near, no hyphen at either end. It returns "" when the text
// holds no letter or digit it can spell in ASCII. A name Windows reserves
// ("con", "nul", "com1") gets "-1" appended.
func Make(text string) string {
	return reserved(cut(spell(text), MaxLen))
}

// spell is [Make] without the limits: the whole text spelt as a name.
func spell(text string) string {
	var b strings.Builder
	hyphen := false
	for _, r := range norm.NFKD.String(text) {
		s := ascii(r)
		if s == "" {
			if unicode.Is(unicode.Mn, r) {
				continue // a combining accent: "é" is "e" and this
			}
			if r == '\'' || r == '’' || r == '‘' {
				continue // "zo'n" is "zon", not "zo-n"
			}
			hyphen = b.Len() > 0
			continue
		}
		if hyphen {
			b.WriteByte('-')
			hyphen = false
		}
		b.WriteString(s)
	}
	return b.String()
}

// ascii spells one character in lowercase ASCII, or returns "".
func ascii(r rune) string {
	switch {
	case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
		return string(r)
	case r >= 'A' && r <= 'Z':
		return string(r + 'a' - 'A')
	}
	switch r {
	case 'ß':
		return "ss"
	case 'æ', 'Æ':
		return "ae"
	case 'œ', 'Œ':
		return "oe"
	case 'ø', 'Ø':
		return "o"
	case 'đ', 'Đ', 'ð', 'Ð':
		return "d"
	case 'ł', 'Ł':
		return "l"
	case 'þ', 'Þ':
		return "th"
	case 'ı':
		return "i"
	}
	return ""
}

// cut shortens a name to at most n bytes, at its last hyphen when that
// keeps most of it.
func cut(s string, n int) string {
	if len(s) > n {
		s = s[:n]
		if i := strings.LastIndexByte(s, '-'); i >= n*2/3 {
			s = s[:i]
		}
	}
	return strings.Trim(s, "-")
}

// windowsReserved are the device names Windows refuses as a file's name,
// with any extension.
var windowsReserved = map[string]bool{
	"con": true, "prn": true, "aux": true, "nul": true,
	"com0": true, "com1": true, "com2": true, "com3": true, "com4": true,
	"com5": true, "com6": true, "com7": true, "com8": true, "com9": true,
	"lpt0": true, "lpt1": true, "lpt2": true, "lpt3": true, "lpt4": true,
	"lpt5": true, "lpt6": true, "lpt7": true, "lpt8": true, "lpt9": true,
}

func reserved(s string) string {
	if windowsReserved[s] {
		return s + "-1"
	}
	return s
}

// generic are last path segments that name a script or a section, not an
// article: a name made of them says nothing.
var generic = map[string]bool{
	"index": true, "default": true, "article": true, "artikel": true,
	"nieuws": true, "news": true, "item": true, "story": true, "page": true,
	"view": true, "post": true, "amp": true, "bericht": true, "detail": true,
	"show": true, "read": true, "lees": true, "home": true,
}

// Name names an article fetched from rawURL: the URL's last path segment
// without its extension, when that has a word in it (three letters or
// more, not a generic "index" or "artikel"); else the title; else the
// segment anyway; else the host; else "article".
func Name(rawURL, title string) string {
	seg := lastSegment(rawURL)
	if s := Make(seg); meaningful(s) {
		return s
	}
	if s := Make(title); s != "" {
		return s
	}
	if s := Make(seg); s != "" {
		return s
	}
	if u, err := url.Parse(strings.TrimSpace(rawURL)); err == nil {
		if s := Make(strings.TrimPrefix(u.Hostname(), "www.")); s != "" {
			return s
		}
	}
	return "article"
}

// lastSegment is the last non-empty segment of a URL's path, without
// its extension.
func lastSegment(rawURL string) string {
	u, err := url.Parse(strings.TrimSpace(rawURL))
	if err != nil {
		return ""
	}
	p := strings.TrimRight(u.Path, "/")
	seg := path.Base(p)
	if seg == "." || seg == "/" {
		return ""
	}
	if ext := path.Ext(seg); ext != "" && len(ext) <= 6 {
		seg = strings.TrimSuffix(seg, ext)
	}
	return seg
}

// meaningful reports whether a name made from a URL segment says what
// the article is: it has a run of three letters that is not a generic
// word.
func meaningful(s string) bool {
	if s == "" || generic[s] {
		return false
	}
	for _, w := range strings.Split(s, "-") {
		letters := 0
		for _, r := range w {
			if r >= 'a' && r <= 'z' {
				letters++
			}
		}
		if letters >= 3 && !generic[w] {
			return true
		}
	}
	return false
}

// Hash is the short hash of a URL that [WithHash] appends: the first
// [HashLen] hexadecimal digits of its SHA-256.
func Hash(rawURL string) string {
	sum := sha256.Sum256([]byte(strings.TrimSpace(rawURL)))
	return hex.EncodeToString(sum[:])[:HashLen]
}

// WithHash returns name with the short hash of rawURL appended, shortened
// so that the whole stays within [MaxLen] bytes: the name to use when
// name is taken by another article.
func WithHash(name, rawURL string) string {
	return cut(name, MaxLen-HashLen-1) + "-" + Hash(rawURL)
}

// Unique names an article fetched from rawURL with [Name], and with
// [WithHash] when taken reports the plain name is another article's.
func Unique(rawURL, title string, taken func(name string) bool) string {
	n := Name(rawURL, title)
	if taken == nil || !taken(n) {
		return n
	}
	return strings.TrimPrefix(WithHash(n, rawURL), "-")
}

// Folder names the folder of a feed from its URL: the host without
// "www." and the path, and the query's names and values other than
// credentials and utm_ tracking ("https://www.nu.nl/rss/Algemeen" gives
// "nu-nl-rss-algemeen"). The same feed URL always gives the same name;
// credentials in it (user:password@, ?token=) never reach the name, so a
// rotated token keeps the folder. A name longer than [MaxLen] is cut and
// ends in the URL's hash, so that two long URLs with the same beginning
// do not share a folder. A string that is not a URL with a host (a feed
// read from a file: pass its base name without extension) is made a
// name as it is.
func Folder(feedURL string) string {
	u, err := url.Parse(strings.TrimSpace(feedURL))
	if err != nil || u.Host == "" {
		if s := Make(feedURL); s != "" {
			return s
		}
		return "feed"
	}
	parts := []string{strings.TrimPrefix(strings.ToLower(u.Hostname()), "www."), u.Port(), u.Path}
	q := u.Query()
	keys := make([]string, 0, len(q))
	for k := range q {
		if !redact.IsCredential(k) && !strings.HasPrefix(strings.ToLower(k), "utm_") {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		parts = append(parts, k)
		parts = append(parts, q[k]...)
	}
	full := spell(strings.Join(parts, " "))
	switch {
	case full == "":
		return "feed"
	case len(full) <= MaxLen:
		return reserved(full)
	}
	return WithHash(full, redact.URL(strings.TrimSpace(feedURL)))
}
