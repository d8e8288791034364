package check

import (
	"fmt"
	"strings"
	"unicode"
)

// dutchStopwords are frequent Dutch words that are not English words (or
// are rare in English): "in", "is", "was" and "of" are in neither list.
var dutchStopwords = setOf(`de het een en van niet zijn wordt worden werd werden dat die deze dit
	met voor op te aan uit bij naar ook maar nog om er hij ze zij wij ik jij hun haar heeft
	hebben kan kunnen moet moeten zou zouden zal zullen dan als wel geen meer nu hoe wat
	wie waar omdat toen tot tegen onder zo ons onze mijn welke waarin daar hier alle veel
	zonder tussen sinds volgens na echter heel al niets iets waren ben bent door doordat
	terwijl zich gaat komt kwam zei zegt nadat waardoor waarbij inmiddels steeds maar
	vandaag gisteren morgen jaar uur procent miljoen miljard duizend ongeveer bijna
	ruim zeker alleen weer eerst vooral daarna daarom daarmee waarvan hem mij jullie
	wordt geworden gedaan gemaakt zegt heb hadden nooit altijd misschien omdat tijdens
	dus toch even nieuwe grote andere eigen ervan erop ermee erin stad blijven blijft
	maandag dinsdag woensdag donderdag vrijdag zaterdag zondag januari februari maart
	mei juni juli augustus oktober mensen twee drie vier vijf zes zeven acht negen tien
	dag dagen weken maand maanden jaren minuten staat ligt krijgt maakt laat blijkt
	gaan komen laten maken goed groot klein eerste tweede zeer erg boven achter naast
	binnen buiten langs rond vanaf zowel reeds meest minder waarom omdat wanneer
	hoewel zodat nieuw oude heeft hadden moest kon konden mocht wilde willen zien
	gezien zeggen gezegd hele geleden volgende vorige afgelopen`)

// englishOnlyWithDutchSpelling are English words that have the letter
// groups dutchSpelling looks for.
var englishOnlyWithDutchSpelling = setOf(`does goes shoe shoes toe toes poem poems poet poets
	whoever canoe oboe foe foes aloe school schools scheme schemes schedule schedules
	scheduled scholar scholars scholarship bazaar vacuum continuum`)

// dutchSpelling reports whether a lower-case word is spelt the Dutch way:
// with ij, aa, uu, oe or sch, or as a past participle (ge…d, ge…t,
// ge…en).
func dutchSpelling(w string) bool {
	if englishOnlyWithDutchSpelling[w] {
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

// englishStopwords are frequent English words that are not Dutch words.
var englishStopwords = setOf(`the and to a an are not were be been has have with for that this it
	its on at by from as which who will would can could should they their there he she
	his her our you but or also after than into about these those what when where how no
	all only still said says if because while before more most other such some any each
	between during through since until we us them him my your very just now then so up
	out do does did being made make first year years people new last says told against
	per cent percent million billion thousand however although around according`)

// otherStopwords are frequent German, French and Spanish words, to tell
// a translation into the wrong language.
var otherStopwords = setOf(`und ist nicht eine einen einem auf für sich wir sie sind wird
	les est et une dans pour qui pas avec sont aux ces leur
	los las y del por para una con está son pero muy`)

func setOf(s string) map[string]bool {
	m := make(map[string]bool)
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

// langCounts tallies Dutch and English stopwords in a text. Capitalised
// words count only at the start of a sentence, and a lower-case particle
// before a capital ("van Wessel", "de Vries") not at all, so that Dutch
// names in English text do not make it look Dutch.
type langCounts struct {
	dutch, english, other, words, foreign int
}

func countLang(text string) langCounts {
	s := blankLinks(text)
	var c langCounts
	ws := words(s)
	for i, w := range ws {
		if strings.ContainsFunc(w.text, unicode.IsDigit) {
			continue
		}
		c.words++
		for _, r := range w.text {
			if r > 0x24F && unicode.IsLetter(r) {
				c.foreign++ // Cyrillic, Greek, Arabic, CJK…
				break
			}
		}
		lw := strings.ToLower(w.text)
		if !isLowerWord(w.text) && !sentenceStartAt(s, w.start) {
			continue
		}
		if nameConnectors[lw] && i+1 < len(ws) && isUpperInitial(ws[i+1].text) &&
			strings.TrimSpace(s[w.end:ws[i+1].start]) == "" {
			continue
		}
		if dutchStopwords[lw] || (isLowerWord(w.text) && dutchSpelling(lw)) {
			c.dutch++
		}
		if englishStopwords[lw] {
			c.english++
		}
		if otherStopwords[lw] {
			c.other++
		}
	}
	return c
}

// LooksDutch reports whether text reads as Dutch: Dutch function words
// clearly outnumber English ones. Short texts with no telling words, such
// as a heading of two nouns, do not look Dutch.
func LooksDutch(text string) bool {
	c := countLang(text)
	return looksDutch(c)
}

func looksDutch(c langCounts) bool {
	switch {
	case c.dutch >= 3:
		return c.dutch > 2*c.english
	case c.dutch == 2:
		return c.english == 0
	case c.dutch == 1:
		return c.english == 0 && c.words <= 4
	}
	return false
}

// LooksEnglish reports whether text reads as English: English function
// words clearly outnumber Dutch ones.
func LooksEnglish(text string) bool {
	c := countLang(text)
	return c.english >= 2 && c.english > 2*c.dutch
}

// Bounds of the length ratio (characters of English per character of
// Dutch). Correct translations of the sample and corpus paragraphs of 80
// characters or more measure 0.83 to 1.22; the bounds leave room for
// style, and a dropped sentence in a paragraph of three still shows.
const (
	MinRatio      = 0.7
	MaxRatio      = 1.6
	MinRatioChars = 80 // shorter sources vary too much to judge
)

// Signals are cheap measures of a translation's quality that need no
// knowledge of what was said.
type Signals struct {
	// Ratio is the translation's length in characters over the source's.
	Ratio float64
	// RatioOff is set when Ratio is outside MinRatio–MaxRatio for a source
	// of at least MinRatioChars characters: a sign of something left out
	// or made up.
	RatioOff bool
	// StillDutch is set when the translation reads as Dutch.
	StillDutch bool
	// NotEnglish is set when the translation reads as Dutch or is mostly
	// in another script or language.
	NotEnglish bool
}

// Measure computes the quality signals of a translation of source.
func Measure(source, translation string) Signals {
	var sig Signals
	sl, tl := visibleLen(source), visibleLen(translation)
	if sl > 0 {
		sig.Ratio = float64(tl) / float64(sl)
	}
	if sl >= MinRatioChars && (sig.Ratio < MinRatio || sig.Ratio > MaxRatio) {
		sig.RatioOff = true
	}
	c := countLang(translation)
	sig.StillDutch = looksDutch(c)
	sig.NotEnglish = sig.StillDutch ||
		(c.words >= 3 && c.foreign*2 > c.words) ||
		(c.other >= 3 && c.other > 2*c.english)
	return sig
}

// visibleLen counts the characters of s with runs of white space as one.
func visibleLen(s string) int {
	n := 0
	space := true
	for _, r := range s {
		if unicode.IsSpace(r) {
			if !space {
				n++
			}
			space = true
			continue
		}
		space = false
		n++
	}
	if n > 0 && space {
		n--
	}
	return n
}

// Problems turns the signals into problems for a translation's warnings.
func (sig Signals) Problems() []Problem {
	var out []Problem
	switch {
	case sig.StillDutch:
		out = append(out, Problem{Kind: KindLanguage, Message: "translation is still in Dutch"})
	case sig.NotEnglish:
		out = append(out, Problem{Kind: KindLanguage, Message: "translation is not in English"})
	}
	if sig.RatioOff {
		out = append(out, Problem{Kind: KindLength, Message: fmt.Sprintf(
			"translation is %.2f times as long as the source (usual: %.1f–%.1f)", sig.Ratio, MinRatio, MaxRatio)})
	}
	return out
}
