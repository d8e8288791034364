package lang

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/nl2en/nl2en/pipeline/dutch"
)

// Counts is what a text is made of once links and markup are set aside,
// and how many of its words are frequent words of a language. [Count]
// and [Detect] fill it.
type Counts struct {
	// Letters counts the letters of the text outside links and handles.
	Letters int
	// Words counts the runs of letters (joined by inner apostrophes, cut at
	// hyphens) that hold no digit, names included.
	Words int
	// Names counts the words that are part of a name: capitalised but not
	// at the start of a sentence or quotation ("Bachmoet", "de Kuip"),
	// acronyms ("ANP", "ROTTERDAM") and the lower-case particle before a
	// name ("van" in "Mees van Leeuwen").
	Names int
	// Numbers counts the runs of letters and digits that hold a digit
	// ("2022", "93ste", "19").
	Numbers int
	// Links counts the URLs, @handles and #hashtags.
	Links int
	// Foreign counts the words written in a script other than Latin:
	// Cyrillic, Greek, Arabic, CJK…
	Foreign int
	// Dutch, English and Other count the words outside names that are
	// frequent words of Dutch, of English, or of German, French, Spanish,
	// Italian or Portuguese and of neither Dutch nor English. A word
	// frequent in both Dutch and English ("die", "met", "we", "is") counts
	// for neither. Dutch also counts the words spelt the Dutch way: with
	// ij, aa, uu, oe or sch, or as a past participle ("gedaald").
	Dutch, English, Other int

	other [len(otherLanguages)]int // Other, per language
	// dutchOpening counts the capitalised words opening a sentence that
	// are spelt the Dutch way ("Aanvoerlijnen verstoren"): evidence for
	// Detect, but not in Dutch, as such a word is as often a name
	// ("Schiphol cancels flights").
	dutchOpening int
}

// Plain returns the number of words that are not names: the words that
// tell the language.
func (c Counts) Plain() int { return c.Words - c.Names }

// ReadsDutch reports whether the words read as Dutch: Dutch function
// words clearly outnumber English ones. Short texts with no telling
// words, such as a heading of two nouns, do not read as Dutch.
func (c Counts) ReadsDutch() bool {
	switch {
	case c.Dutch >= 3:
		return c.Dutch > 2*c.English
	case c.Dutch == 2:
		return c.English == 0
	case c.Dutch == 1:
		return c.English == 0 && c.Words <= 4
	}
	return false
}

// ReadsEnglish reports whether the words read as English: English
// function words clearly outnumber Dutch ones.
func (c Counts) ReadsEnglish() bool {
	return c.English >= 2 && c.English > 2*c.Dutch
}

// ReadsOther reports whether the words read as German, French, Spanish,
// Italian or Portuguese rather than English.
func (c Counts) ReadsOther() bool {
	return c.Other >= 3 && c.Other > 2*c.English
}

// MostlyForeignScript reports whether most words are in a script other
// than Latin.
func (c Counts) MostlyForeignScript() bool {
	return c.Words >= 3 && c.Foreign*2 > c.Words
}

// Count tallies the words of text: see [Counts]. It is cheaper than
// [Detect], which calls it, and enough to tell whether a text is plainly
// Dutch or English.
func Count(text string) Counts {
	c, _ := scan(text)
	return c
}

var (
	// rxSignature is the signature of an embedded post: "— Euromaidan
	// Press (@EuromaidanPress) 1 december 2022". Names and a date in a
	// language of their own.
	rxSignature = regexp.MustCompile(`\s*[—–-]\s*[^—–\n]{1,80}\(@[\p{L}\p{N}_.]{1,30}\)[^\n]{0,40}$`)
	// rxShortcode is an emoji shortcode as tweets copied as text have
	// them: ":point_down:".
	rxShortcode = regexp.MustCompile(`:[a-z0-9_+-]{2,30}:`)
)

// clean removes what is not language and counts the links it removes.
// The expressions are costly on long text, and most text has nothing for
// them: they run only where their marks are.
func clean(s string) (string, int) {
	links := 0
	if strings.Contains(s, "(@") {
		// A signature ends the text and is at most 160 runes long, or
		// 640 bytes: look only there.
		from := max(0, len(s)-640)
		for from > 0 && !utf8.RuneStart(s[from]) {
			from++
		}
		if loc := rxSignature.FindStringIndex(s[from:]); loc != nil {
			s = s[:from+loc[0]] + " "
			links++
		}
	}
	if strings.ContainsAny(s, "@#") || strings.Contains(s, "](") || strings.Contains(s, "://") ||
		strings.Contains(s, "www.") || strings.Contains(s, "t.co/") || strings.Contains(s, "pic.twitter.com/") {
		var n int
		s, n = dutch.BlankLinks(s)
		links += n
	}
	if strings.Count(s, ":") >= 2 {
		s = rxShortcode.ReplaceAllString(s, " ")
	}
	return s, links
}

// token is a run of word runes in a cleaned text.
type token struct {
	text   string
	kind   tokenKind
	start  bool // opens a sentence, quotation or parenthesis
	space  bool // only white space follows before the next token
	dotted bool // a full stop touches it: "o.a.", "A.M.", "a.s."
	joined bool // a hyphen joins it to the next or the last: "all-in"
}

// tokenKind is what scan found a token to be.
type tokenKind uint8

const (
	kindNone  tokenKind = iota // no letter, or a number
	kindName                   // part of a name
	kindPlain                  // a word that may tell the language
)

// tokens cuts s into runs of letters, digits and marks, joined by inner
// apostrophes ("don't", "zo'n"); hyphens and other marks cut them. A
// token opens a sentence when what precedes it, past spaces, is nothing,
// a mark that ends a sentence or a clause (".!?:;…"), a dash or bullet
// standing alone, or an opening quotation mark or bracket.
func tokens(s string) []token {
	out := make([]token, 0, len(s)/6)
	start := true
	end := 0 // of the last token
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if !isWordRune(r) {
			switch {
			case strings.ContainsRune(".!?:;…•|—–‘“„«\"([", r):
				start = true
			case r == '-' || r == '*':
				// A dash or a bullet standing alone: "ROTTERDAM - Het".
				start = start || spaceAround(s, i, i+size)
			case r == '\'':
				// A straight quote opening a quotation: "'We gaan'".
				next, _ := utf8.DecodeRuneInString(s[i+size:])
				start = start || (i == 0 || unicode.IsSpace(runeBefore(s, i))) && unicode.IsLetter(next)
			}
			i += size
			continue
		}
		j := i + size
		for j < len(s) {
			r, size := utf8.DecodeRuneInString(s[j:])
			if !isWordRune(r) && !isInnerApostrophe(s, j, r, size) {
				break
			}
			j += size
		}
		if len(out) > 0 {
			out[len(out)-1].space = strings.TrimSpace(s[end:i]) == ""
		}
		out = append(out, token{
			text:   s[i:j],
			start:  start,
			dotted: strings.HasPrefix(s[j:], ".") || strings.HasSuffix(s[:i], "."),
			joined: hyphenAt(s, j) || i > 0 && hyphenAt(s, i-1) && isWordRune(runeBefore(s, i-1)),
		})
		start = false
		i, end = j, j
	}
	return out
}

// isInnerApostrophe reports whether the apostrophe r at offset i, size
// bytes long, stands between letters: "don't", "zo'n", "Bakhmut's".
func isInnerApostrophe(s string, i int, r rune, size int) bool {
	if r != '\'' && r != '’' {
		return false
	}
	next, _ := utf8.DecodeRuneInString(s[i+size:])
	return unicode.IsLetter(next)
}

// hyphenAt reports whether a hyphen at offset i is followed by a word.
func hyphenAt(s string, i int) bool {
	if !strings.HasPrefix(s[i:], "-") {
		return false
	}
	r, _ := utf8.DecodeRuneInString(s[i+1:])
	return isWordRune(r)
}

// spaceAround reports whether s[i:j] has white space or an end of s on
// both sides.
func spaceAround(s string, i, j int) bool {
	after, _ := utf8.DecodeRuneInString(s[j:])
	return (i == 0 || unicode.IsSpace(runeBefore(s, i))) && (j == len(s) || unicode.IsSpace(after))
}

// runeBefore returns the rune that ends at offset i.
func runeBefore(s string, i int) rune {
	r, _ := utf8.DecodeLastRuneInString(s[:i])
	return r
}

// isWordRune reports whether r is part of a word: a letter, digit or mark.
func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

// scan counts the words of text and returns its tokens, each marked as
// a name, a plain word or neither.
func scan(text string) (Counts, []token) {
	s, links := clean(text)
	c := Counts{Links: links}
	toks := tokens(s)
	for i := range toks {
		t := &toks[i]
		letters, digits, foreign, upper := 0, 0, false, 0
		for _, r := range t.text {
			switch {
			case unicode.IsLetter(r):
				letters++
				if unicode.IsUpper(r) {
					upper++
				}
				if r > 0x24F {
					foreign = true
				}
			case unicode.IsDigit(r):
				digits++
			}
		}
		c.Letters += letters
		if digits > 0 {
			c.Numbers++
			continue
		}
		if letters == 0 {
			continue
		}
		c.Words++
		if foreign {
			c.Foreign++
		}
		first, _ := utf8.DecodeRuneInString(t.text)
		lower := strings.ToLower(t.text)
		acronym := upper > 1 && upper == letters // "ANP", "ROTTERDAM"
		if acronym || unicode.IsUpper(first) && !t.start && !isPronounI(t.text) || inName(toks, i) {
			c.Names++
			t.kind = kindName
			continue
		}
		t.kind = kindPlain
		if letters < 2 && (t.dotted || lower != "a" && lower != "i") {
			// A letter is a word only as "a" and "I"; "o.a." and "A.M."
			// are abbreviations and initials.
			continue
		}
		w := stopwords[lower]
		if t.joined {
			// Part of a compound: "all-in", "ten-man", "black-and-white"
			// are words of their own, whichever language they are used in.
			w = stopword{}
		}
		switch {
		case w.dutch:
			c.Dutch++
		case w.english:
			c.English++
		case w.other != 0:
			c.Other++
			for l := range otherLanguages {
				if w.other&(1<<l) != 0 {
					c.other[l]++
				}
			}
		case w.both:
		case dutchSpelling(lower):
			if lower == t.text {
				c.Dutch++
			} else {
				c.dutchOpening++
			}
		}
	}
	return c, toks
}

// sample returns the text to give the trigram detector: the plain words,
// or, when fewer than three are left, the names too, as they at least
// hint at the language.
func sample(c Counts, toks []token) string {
	var b strings.Builder
	for _, t := range toks {
		if t.kind == kindPlain || t.kind == kindName && c.Plain() < 3 {
			if b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(t.text)
		}
	}
	return b.String()
}

// inName reports whether the token at i, not itself a capitalised word
// inside a sentence, is part of a name all the same: a particle before a
// name ("van Leeuwen", "de Vries"), or English words inside or opening
// one ("Institute for the Study of War", "Gone with the Wind", "The
// Guardian", "New York"). English words count as names there so that
// English names do not make Dutch text look English; Dutch words between
// names ("Rusland en Oekraïne", "De Russen") still tell Dutch.
func inName(toks []token, i int) bool {
	t := toks[i]
	if t.start {
		return stopwords[strings.ToLower(t.text)].english && t.space && i+1 < len(toks) && isName(toks[i+1])
	}
	particles := true
	for j := i; ; j++ {
		if j-i == 3 || j+1 == len(toks) {
			return false
		}
		w := toks[j]
		first, _ := utf8.DecodeRuneInString(w.text)
		lower := strings.ToLower(w.text)
		sw := stopwords[lower]
		if !unicode.IsLower(first) || !w.space || !dutch.IsConnector(lower) && !sw.english && !sw.both {
			return false
		}
		particles = particles && dutch.IsConnector(lower)
		if isName(toks[j+1]) {
			break
		}
	}
	return particles || i > 0 && isName(toks[i-1]) && toks[i-1].space
}

// isName reports whether t is a capitalised word inside a sentence.
func isName(t token) bool {
	r, _ := utf8.DecodeRuneInString(t.text)
	return unicode.IsUpper(r) && !t.start && !isPronounI(t.text)
}

func isPronounI(w string) bool {
	return w == "I" || strings.HasPrefix(w, "I'") || strings.HasPrefix(w, "I’")
}

// englishWithDutchSpelling are English words that have the letter
// groups dutchSpelling looks for.
var englishWithDutchSpelling = setOf(`does goes shoe shoes toe toes poem poems poet poets
	whoever canoe oboe foe foes aloe school schools scheme schemes schedule schedules
	scheduled scholar scholars scholarship bazaar vacuum continuum`)

// dutchSpelling reports whether a lower-case word is spelt the Dutch way:
// with ij, aa, uu, oe or sch, or as a past participle (ge…d, ge…t,
// ge…en).
func dutchSpelling(w string) bool {
	if englishWithDutchSpelling[w] {
		return false
	}
	for _, g := range []string{"ij", "aa", "uu", "oe", "sch"} {
		if strings.Contains(w, g) {
			return true
		}
	}
	if len(w) >= 7 && strings.HasPrefix(w, "ge") && !strings.HasPrefix(w, "gen") && !strings.HasPrefix(w, "geo") &&
		(strings.HasSuffix(w, "d") || strings.HasSuffix(w, "t") || strings.HasSuffix(w, "en")) {
		return true
	}
	return false
}
