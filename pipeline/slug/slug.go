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

// windowsReserved are the device names Windows keeps for itself, with
// any extension: a file called "CON.en.md" (or "con.txt", "COM¹.md")
// cannot be made there.
var windowsReserved = map[string]bool{
	"CON": true, "PRN": true, "AUX": true, "NUL": true,
	"COM0": true, "COM1": true, "COM2": true, "COM3": true, "COM4": true, "COM5": true, "COM6": true, "COM7": true, "COM8": true, "COM9": true,
	"LPT0": true, "LPT1": true, "LPT2": true, "LPT3": true, "LPT4": true, "LPT5": true, "LPT6": true, "LPT7": true, "LPT8": true, "LPT9": true,
	"COM¹": true, "COM²": true, "COM³": true, "LPT¹": true, "LPT²": true, "LPT³": true,
}

// Reserved reports whether Windows refuses a file or folder called name:
// its part before the first dot, trailing spaces aside and whatever its
// case, is a device name (CON, NUL, COM1, …).
func Reserved(name string) bool {
	base, _, _ := strings.Cut(name, ".")
	return windowsReserved[strings.ToUpper(strings.TrimRight(base, " "))]
}

// reserved gives a name [Make] made that Windows reserves ("con") a
// suffix that keeps it a name of letters, digits and hyphens ("con-1").
func reserved(s string) string {
	if Reserved(s) {
		return s + "-1"
	}
	return s
}

// Portable is a file or folder name as it can be made on every system
// nl2en runs on, Windows included, so that an output folder can be
// copied or served anywhere: the characters Windows refuses (<>:"\|?*
// and control characters) become "_", as does a trailing dot or space,
// and a reserved device name ([Reserved]) gets "_" after it ("CON.txt"
// → "CON_.txt"). Names that need none of this, which is nearly all, are
// kept as they are; the names [Make] makes always are. Package outputs
// makes every name it writes portable with it.
func Portable(name string) string {
	var b strings.Builder
	for _, r := range name {
		if strings.ContainsRune(`<>:"\|?*`, r) || unicode.IsControl(r) {
			b.WriteByte('_')
			continue
		}
		b.WriteRune(r)
	}
	s := b.String()
	if t := strings.TrimRight(s, ". "); len(t) < len(s) {
		s = t + strings.Repeat("_", len(s)-len(t))
	}
	if Reserved(s) {
		base, rest, dotted := strings.Cut(s, ".")
		if dotted {
			return base + "_." + rest
		}
		return base + "_"
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
