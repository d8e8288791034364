package dutch

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Sentences splits a paragraph at sentence boundaries. Whitespace after a
// sentence stays attached to it, so strings.Join(Sentences(text), "") ==
// text, and no element is empty.
//
// A sentence ends at '.', '!', '?' or '…' (possibly repeated, and
// followed by closing quotes or brackets such as ’ ” » ")"), when
// whitespace follows and the next sentence starts with a capital, a digit
// or an opening quote or bracket. A full stop does not end a sentence
// after a Dutch abbreviation ("o.a.", "d.w.z.", "mr.", "ca.", …), after
// a word with inner stops ("H.J.", "i.p.v."), or after a single capital
// (initials: "W. Hermans"), or after a number that numbers a list item
// ("1. In elke gemeente …"). Stops inside numbers ("3.000", "14.30 uur")
// are never followed by whitespace and so never end a sentence. A
// sentence may start with an amount ("€ 45 miljoen …").
func Sentences(text string) []string {
	var out []string
	start := 0
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		if !isTerminal(r) {
			i += size
			continue
		}
		// Take the whole run of terminal marks and closing quotes.
		end := i + size
		for end < len(text) {
			r2, s2 := utf8.DecodeRuneInString(text[end:])
			if !isTerminal(r2) && !IsCloser(r2) {
				break
			}
			end += s2
		}
		next := end
		for next < len(text) {
			r2, s2 := utf8.DecodeRuneInString(text[next:])
			if !unicode.IsSpace(r2) {
				break
			}
			next += s2
		}
		if next > end && next < len(text) && startsSentence(text[next:]) &&
			!(r == '.' && (isAbbreviation(text[:i+1]) || listNumber(text[start:i]))) {
			out = append(out, text[start:next])
			start = next
		}
		i = next
	}
	if start < len(text) {
		out = append(out, text[start:])
	}
	return out
}

// listNumber reports whether a sentence so far is only a number: "1."
// numbering a list item or a subheading ends no sentence.
func listNumber(s string) bool {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 3 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func isTerminal(r rune) bool {
	return r == '.' || r == '!' || r == '?' || r == '…'
}

// isCloser reports whether r closes a quotation or a bracket.
func IsCloser(r rune) bool {
	switch r {
	case '’', '”', '»', '"', '\'', ')', ']', '“':
		return true
	}
	return false
}

// startsSentence reports whether s begins like a new sentence.
func startsSentence(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	switch r {
	case '‘', '“', '„', '"', '\'', '«', '(', '[', '‚', '—', '–', '-', '€', '$', '£':
		return true
	}
	return unicode.IsUpper(r) || unicode.IsDigit(r) || unicode.IsTitle(r)
}

// isAbbreviation reports whether the word ending at the final full stop
// of s is an abbreviation ([IsAbbreviation]) or an initial.
func isAbbreviation(s string) bool {
	j := strings.LastIndexFunc(s[:len(s)-1], func(r rune) bool {
		return unicode.IsSpace(r) || strings.ContainsRune("(‘“„\"'[«/", r)
	})
	word := s[j+1:]
	if j >= 0 {
		_, size := utf8.DecodeRuneInString(s[j:])
		word = s[j+size:]
	}
	body := strings.TrimSuffix(word, ".")
	if IsAbbreviation(body) {
		return true
	}
	if body == "" {
		return false
	}
	// "H.J.", "i.p.v.", "V.S.": letters separated by stops.
	if strings.Contains(body, ".") && allShortParts(body) {
		return true
	}
	// An initial: one capital letter.
	if utf8.RuneCountInString(body) == 1 {
		r, _ := utf8.DecodeRuneInString(body)
		return unicode.IsUpper(r)
	}
	return false
}

// allShortParts reports whether every part of s between stops is one or
// two letters, as in "H.J" or "i.p.v".
func allShortParts(s string) bool {
	for _, p := range strings.Split(s, ".") {
		n := utf8.RuneCountInString(p)
		if n == 0 || n > 2 {
			return false
		}
		for _, r := range p {
			if !unicode.IsLetter(r) {
				return false
			}
		}
	}
	return true
}
