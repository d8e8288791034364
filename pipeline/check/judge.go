package check

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/nl2en/nl2en/pipeline"
	"github.com/nl2en/nl2en/pipeline/dutch"
	"github.com/nl2en/nl2en/pipeline/lang"
)

// minSureWords is the fewest words (names not counted) a text needs for
// its language to be told with confidence. Below it, "even", "over" or
// "die" decide too much: a three-word English heading can read as Dutch.
const minSureWords = 6

// Rejection says why a reply cannot count as a translation at all.
type Rejection struct {
	// Cause is the reason as a value.
	Cause pipeline.Cause
	// Reason says what was wrong, for people: why a segment failed.
	Reason string
	// Instruction says what to do about it, for the model asked to
	// repair the translation. It is never shown to people.
	Instruction string
}

// reject says why a reply cannot count as a translation of a segment of
// kind at all, or nil when it can: it is not readable text (symbols, no
// letters, words of no language's shape); it came back unchanged (after
// normalising space, quotes and case) where the source is more than
// names, numbers, links and handles; it is far shorter or longer than a
// translation can be; or it is long enough to tell and reads as Dutch,
// or as neither English nor Dutch. A byline or dateline echoed back is
// not rejected: one that is only names, an agency and places is right
// as it is, and a Dutch word left in one is a warning of [Article.Check].
//
// Shorter replies that merely look Dutch are not rejected: the language
// of a few words is a guess, so the checks report them as a warning.
func reject(kind pipeline.Kind, source, translation string, g Glossary, c lang.Counts) *Rejection {
	credit := kind == pipeline.KindByline || kind == pipeline.KindDateline
	switch {
	case garbage(measureSource(source), translation, c):
		return &Rejection{Cause: pipeline.CauseGarbage, Reason: "the reply was not readable text",
			Instruction: "the reply is not readable text; write the segment's English translation"}
	case !credit && sameText(source, translation) && !namesOnly(source, g):
		return &Rejection{Cause: pipeline.CauseUnchanged, Reason: "the reply was the Dutch text, unchanged",
			Instruction: "the text came back unchanged, still in Dutch; translate it into English"}
	}
	if r := lengthOff(source, translation); r != nil {
		return r
	}
	if c.Plain() < minSureWords {
		return nil
	}
	switch {
	case c.ReadsDutch():
		return &Rejection{Cause: pipeline.CauseNotEnglish, Reason: "the reply was still in Dutch",
			Instruction: "the text was left in Dutch; translate it into English"}
	case c.MostlyForeignScript() || c.ReadsOther():
		return &Rejection{Cause: pipeline.CauseNotEnglish, Reason: "the reply was not in English",
			Instruction: "the text is not in English; translate it into English"}
	}
	return nil
}

// isGarbage reports whether text is not readable text where source is:
// mostly symbols; letters of scripts the source does not use (a tiny
// model's output mixes Latin, Greek, Cyrillic, Arabic and CJK in one
// word); control characters or code points no text uses; no word of two
// letters or more; or, for a text long enough to tell, no frequent word
// of any language at all.
func isGarbage(source, text string) bool {
	return garbage(measureSource(source), text, lang.Count(text))
}

// sourceShape is what garbage compares a reply with, measured once for
// a source that several replies are judged against (a summary's parts).
type sourceShape struct {
	shape
	text  string
	empty bool
}

func measureSource(s string) sourceShape {
	return sourceShape{shape: shapeOf(s), text: s, empty: strings.TrimSpace(s) == ""}
}

// garbage is isGarbage with the source measured and text's counts taken.
func garbage(src sourceShape, text string, c lang.Counts) bool {
	sh := shapeOf(text)
	letters, other := sh.letters, sh.symbols
	if letters == 0 {
		return !src.empty && src.letters > 0
	}
	// Symbols outnumber letters where the source is words: "{]]{Mer4{".
	if other > letters && src.letters > src.symbols {
		return true
	}
	if sh.strange > src.strange {
		return true
	}
	if letters >= 3 && sh.foreignShare() > src.foreignShare()+0.15 {
		return true
	}
	if c.Words == 0 {
		// Nothing but numbers, links and handles, where the source has
		// words to translate.
		return lang.Count(src.text).Plain() >= 2
	}
	// Random letters make words, but not words of any language's
	// shape. A telegraphic headline without a function word is still
	// made of words.
	return implausible(text)
}

// lengthOff says why a translation's length cannot be a translation of
// source's, or nil: under a third or over four times as long, for a
// source long enough to tell. A faithful English translation of Dutch
// news runs at 0.8 to 1.25 times its length.
func lengthOff(source, translation string) *Rejection {
	sl, tl := visibleLen(source), visibleLen(translation)
	switch {
	case sl < 30:
		return nil
	case tl*3 < sl:
		return &Rejection{Cause: pipeline.CauseLength, Reason: "the reply was far shorter than the segment",
			Instruction: "the reply is far shorter than the segment; translate all of it"}
	case tl > 4*sl:
		return &Rejection{Cause: pipeline.CauseLength, Reason: "the reply was far longer than the segment",
			Instruction: "the reply is far longer than the segment; translate only the segment"}
	}
	return nil
}

// implausible reports a text of three words or more (of three letters
// or more, acronyms aside) of which two in five or more are not shaped
// like words of a language written in Latin letters: no vowel, a letter
// three times in a row, six consonants in a row, or a doubled consonant
// to start ("Xqv zrt qqwe vvuk"). It reads letters and their order, never
// which words are there: a headline of nouns and verbs is words.
func implausible(text string) bool {
	words, bad := 0, 0
	for _, f := range strings.FieldsFunc(text, func(r rune) bool { return !unicode.IsLetter(r) }) {
		if utf8.RuneCountInString(f) < 3 || isAllUpper(f) {
			continue
		}
		words++
		if !wordShaped(strings.ToLower(f)) {
			bad++
		}
	}
	return words >= 3 && bad*5 >= words*2
}

// wordShaped reports whether a lower-case word is shaped like a word:
// see implausible.
func wordShaped(w string) bool {
	vowels, consonants, same := 0, 0, 0
	var prev rune = -1
	for i, r := range w {
		if r == prev {
			same++
			if same >= 2 {
				return false // "zzz"
			}
		} else {
			same = 0
		}
		if isVowel(r) {
			vowels++
			consonants = 0
		} else {
			consonants++
			if consonants >= 6 {
				return false
			}
			if r == prev && i == utf8.RuneLen(prev) && r != 'l' {
				return false // "qqwe", "vvuk"; "Lloyd" is a name
			}
		}
		prev = r
	}
	return vowels > 0
}

// isVowel reports whether r is a vowel, in either case.
func isVowel(r rune) bool {
	return strings.ContainsRune("aeiouyàáâäèéêëìíîïòóôöùúûüý", unicode.ToLower(r))
}

// shape is what garbage reads of a text's characters.
type shape struct {
	// letters and symbols count the letters and the visible characters
	// other than digits and punctuation.
	letters, symbols int
	// strange counts what no written text holds: control characters
	// other than line breaks and tabs, private-use and unassigned code
	// points, replacement characters.
	strange int
	// foreign counts the letters that are not of the Latin script as
	// Dutch and English write it (with the accents of names): Greek,
	// Cyrillic, Arabic, CJK, IPA and modifier letters.
	foreign int
}

// foreignShare is the share of the letters that are foreign.
func (sh shape) foreignShare() float64 {
	if sh.letters == 0 {
		return 0
	}
	return float64(sh.foreign) / float64(sh.letters)
}

// asciiClass is how shapeOf counts each ASCII character, worked out
// by the rules for every rune.
var asciiClass = func() (t [utf8.RuneSelf]uint8) {
	for c := range rune(utf8.RuneSelf) {
		t[c] = runeClass(c)
	}
	return t
}()

// The bits of a rune's class.
const (
	classLetter  = 1 << iota // a letter
	classForeign             // a letter of another script
	classSymbol              // visible, and neither digit nor punctuation
	classStrange             // no written text holds it
)

func runeClass(r rune) uint8 {
	var c uint8
	switch {
	case unicode.IsLetter(r):
		c = classLetter
		if !(r < 0x250 && unicode.Is(unicode.Latin, r)) {
			c |= classForeign
		}
	case unicode.IsSpace(r), unicode.IsDigit(r), strings.ContainsRune(".,;:!?'\"‘’“”()-–—/%€$£&", r):
	default:
		c = classSymbol
	}
	switch {
	case r == '\n' || r == '\r' || r == '\t':
	case r == utf8.RuneError, unicode.IsControl(r), unicode.Is(unicode.Co, r),
		!unicode.IsGraphic(r) && !unicode.IsSpace(r):
		c |= classStrange
	}
	return c
}

// shapeOf measures s in one pass, ASCII by table.
func shapeOf(s string) shape {
	var sh shape
	for i := 0; i < len(s); {
		var c uint8
		if b := s[i]; b < utf8.RuneSelf {
			c = asciiClass[b]
			i++
		} else {
			r, size := utf8.DecodeRuneInString(s[i:])
			c = runeClass(r)
			i += size
		}
		if c&classLetter != 0 {
			sh.letters++
		}
		if c&classForeign != 0 {
			sh.foreign++
		}
		if c&classSymbol != 0 {
			sh.symbols++
		}
		if c&classStrange != 0 {
			sh.strange++
		}
	}
	return sh
}

// sameText reports whether two texts are the same once spaces, quotation
// marks, case and final punctuation are set aside.
func sameText(a, b string) bool {
	if !sameLetters(a, b) {
		return false
	}
	na, nb := normalizeText(a), normalizeText(b)
	return na != "" && na == nb
}

// sameLetters reports whether a and b have the same letters and digits,
// case aside, in the same order: what texts that normalizeText makes the
// same must have, found different at once for a translation and its
// source, which differ in their first word.
func sameLetters(a, b string) bool {
	i, j := 0, 0
	for {
		ra, na := nextLetter(a, i)
		rb, nb := nextLetter(b, j)
		if ra != rb {
			return false
		}
		if ra < 0 {
			return true
		}
		i, j = na, nb
	}
}

// nextLetter returns the next letter or digit of s from byte i on, lower
// case, and the offset after it; -1 at the end.
func nextLetter(s string, i int) (rune, int) {
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return unicode.ToLower(r), i
		}
	}
	return -1, i
}

var quoteFolder = strings.NewReplacer("‘", "'", "’", "'", "‚", "'", "‛", "'", "“", `"`, "”", `"`, "„", `"`, "«", `"`, "»", `"`, "`", "'")

func normalizeText(s string) string {
	s = strings.Join(strings.Fields(quoteFolder.Replace(s)), " ")
	s = strings.TrimRight(s, ".!?…")
	return strings.ToLower(s)
}

// nameJoiner reports whether a lower-case word may stand between the
// parts of a name: "Mees van Leeuwen", "Institute for the Study of War",
// "Raad van het Openbaar Bestuur".
func nameJoiner(w string) bool { return dutch.IsConnector(w) || w == "het" }

// alike are the lower-case words a headline may hold between names that
// Dutch and English spell and mean alike: "Rutte in Washington", "Ajax
// vs PSV" are English as they stand.
var alike = map[string]bool{"in": true, "vs": true, "v": true}

// namesOnly reports whether text is only names, numbers, links and
// handles, which a translation rightly leaves as they are ("Willem-
// Alexander", "Kyiv", "@EuromaidanPress", "2-1"). A name is a
// capitalised word not spelt the Dutch way (so "Slijtageslag" is a Dutch
// word, not a name), an acronym, a particle or a word alike in both
// languages between names, or a term the glossary maps to itself.
func namesOnly(text string, g Glossary) bool {
	t := strings.TrimSpace(text)
	if t == "" {
		return false
	}
	for _, e := range g.entries {
		if strings.EqualFold(e.Source, e.Target) && strings.EqualFold(strings.TrimRight(t, ".!?"), e.Source) {
			return true
		}
	}
	fields := strings.Fields(t)
	for i, f := range fields {
		core := strings.TrimFunc(f, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '@' && r != '#' })
		switch {
		case core == "":
			continue // a dash or a bullet
		case strings.ContainsFunc(core, unicode.IsDigit),
			strings.HasPrefix(core, "@"), strings.HasPrefix(core, "#"),
			strings.Contains(core, "://"), strings.HasPrefix(strings.ToLower(core), "www."):
			continue
		case (nameJoiner(strings.ToLower(core)) || alike[core]) && i > 0 && i < len(fields)-1:
			continue
		}
		for _, part := range strings.FieldsFunc(core, func(r rune) bool { return r == '-' || r == '\'' || r == '’' }) {
			if !isNameWord(part) {
				return false
			}
		}
	}
	return true
}

// isNameWord reports whether w looks like (part of) a name rather than a
// Dutch word: capitalised or in capitals, and not spelt the Dutch way.
func isNameWord(w string) bool {
	rs := []rune(w)
	if len(rs) == 0 || !unicode.IsUpper(rs[0]) {
		return false
	}
	if len(rs) > 1 && isAllUpper(w) {
		return true // an acronym: EU, NAVO is in the glossary
	}
	return lang.Count(strings.ToLower(w)).Dutch == 0
}

func isAllUpper(w string) bool {
	for _, r := range w {
		if unicode.IsLetter(r) && !unicode.IsUpper(r) {
			return false
		}
	}
	return true
}

// String is the reason for people; "" for no rejection.
func (r *Rejection) String() string {
	if r == nil {
		return ""
	}
	return r.Reason
}
