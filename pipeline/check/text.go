package check

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/nl2en/nl2en/pipeline/dutch"
)

// blankLinks replaces the links, handles and hashtags of s by spaces
// (see [dutch.BlankLinks]): "#Bachmoet" is no place name to translate,
// and the digits of a URL are no number.
func blankLinks(s string) string {
	b, _ := dutch.BlankLinks(s)
	return b
}

// isWordRune reports whether r is part of a word: a letter, digit or mark.
func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

// runeBefore returns the rune ending at byte offset i, or -1 at the start.
func runeBefore(s string, i int) rune {
	if i <= 0 {
		return -1
	}
	r, _ := utf8.DecodeLastRuneInString(s[:i])
	return r
}

// runeAt returns the rune starting at byte offset i, or -1 at the end.
func runeAt(s string, i int) rune {
	if i >= len(s) {
		return -1
	}
	r, _ := utf8.DecodeRuneInString(s[i:])
	return r
}

// foldMap takes the diacritics off the letters news text uses.
var foldMap = map[rune]string{
	'à': "a", 'á': "a", 'â': "a", 'ã': "a", 'ä': "a", 'å': "a", 'ā': "a", 'ă': "a", 'ą': "a",
	'ç': "c", 'ć': "c", 'č': "c",
	'ď': "d", 'đ': "d",
	'è': "e", 'é': "e", 'ê': "e", 'ë': "e", 'ē': "e", 'ė': "e", 'ę': "e", 'ě': "e",
	'ğ': "g",
	'ì': "i", 'í': "i", 'î': "i", 'ï': "i", 'ī': "i", 'ı': "i", 'į': "i",
	'ł': "l", 'ľ': "l",
	'ñ': "n", 'ń': "n", 'ň': "n",
	'ò': "o", 'ó': "o", 'ô': "o", 'õ': "o", 'ö': "o", 'ø': "o", 'ō': "o", 'ő': "o",
	'ř': "r",
	'ś': "s", 'š': "s", 'ş': "s", 'ș': "s", 'ß': "ss",
	'ť': "t", 'ț': "t",
	'ù': "u", 'ú': "u", 'û': "u", 'ü': "u", 'ū': "u", 'ů': "u", 'ű': "u", 'ų': "u",
	'ý': "y", 'ÿ': "y",
	'ź': "z", 'ż': "z", 'ž': "z",
	'æ': "ae", 'œ': "oe",
	'’': "'", '‘': "'",
}

// fold lowercases s and takes the diacritics off, so that "Liège" and
// "liege" compare equal. Combining marks are dropped.
func fold(s string) string {
	ascii, upper := true, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			ascii = false
			break
		}
		upper = upper || 'A' <= c && c <= 'Z'
	}
	switch {
	case ascii && !upper:
		return s
	case ascii:
		return strings.ToLower(s)
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		r = unicode.ToLower(r)
		if f, ok := foldMap[r]; ok {
			b.WriteString(f)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// word is a run of letters (and digits) in a text, with its byte offsets.
type word struct {
	text       string
	start, end int
}

// words splits s into runs of word runes. Apostrophes and hyphens end a
// word: "Bakhmut's" gives "Bakhmut" and "s", "twenty-four" two words.
func words(s string) []word {
	var out []word
	start := -1
	for i, r := range s {
		if isWordRune(r) {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			out = append(out, word{s[start:i], start, i})
			start = -1
		}
	}
	if start >= 0 {
		out = append(out, word{s[start:], start, len(s)})
	}
	return out
}

// isUpperInitial reports whether s starts with an upper-case letter.
func isUpperInitial(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsUpper(r)
}

// hasWord reports whether needle occurs in haystack with a word boundary on
// both sides. Both are taken as they are: fold them first to compare
// without case.
// HasWord reports whether text holds w with no letter or digit just
// before or after it.
func HasWord(text, w string) bool { return hasWord(text, w) }

// UsesOutside reports whether text holds form (as a word, where form is
// one) anywhere but inside an occurrence of kept: "Zelensky" is not
// used inside "Zelenskyy" where that is kept, nor "Kyiv" in "Kyiv
// Oblast". The house style checks its forms so, and translate a name's
// other forms.
func UsesOutside(text, form, kept string) bool { return usesForm(text, form, kept) }

func hasWord(haystack, needle string) bool {
	if needle == "" {
		return false
	}
	for off := 0; off < len(haystack); {
		i := strings.Index(haystack[off:], needle)
		if i < 0 {
			return false
		}
		i += off
		j := i + len(needle)
		if !isWordRune(runeBefore(haystack, i)) && !isWordRune(runeAt(haystack, j)) {
			return true
		}
		_, size := utf8.DecodeRuneInString(haystack[i:])
		off = i + size
	}
	return false
}
