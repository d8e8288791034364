package check

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/nl2en/nl2en/pipeline/dutch"
	"github.com/nl2en/nl2en/pipeline/lang"
)

// nameTokens returns where the words a name is built of are in s, as
// [start, end) pairs: initials ("H.J.", up to four), words with inner
// hyphens or apostrophes ("Willem-Alexander", "O'Brien"), and the "&" of
// "Autoriteit Consument & Markt". It finds what the regexp
// `(?:\p{Lu}\.){1,4}|[\p{L}\p{M}\p{N}]+(?:['’\-][\p{L}\p{M}\p{N}]+)*|&`
// finds (FuzzNameTokens holds it to that), without the regexp: sourceNames
// runs on every segment, and the regexp was a good part of the checks' cost.
func nameTokens(s string) [][]int {
	var out [][]int
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case unicode.IsUpper(r) && i+size < len(s) && s[i+size] == '.':
			j := i
			for n := 0; n < 4; n++ {
				r, size := utf8.DecodeRuneInString(s[j:])
				if !unicode.IsUpper(r) || j+size >= len(s) || s[j+size] != '.' {
					break
				}
				j += size + 1
			}
			out = append(out, []int{i, j})
			i = j
		case isNameRune(r):
			j := i + size
			for {
				j = skipNameRunes(s, j)
				if j >= len(s) {
					break
				}
				sep, sepSize := utf8.DecodeRuneInString(s[j:])
				if sep != '\'' && sep != '’' && sep != '-' {
					break
				}
				if next, _ := utf8.DecodeRuneInString(s[j+sepSize:]); j+sepSize >= len(s) || !isNameRune(next) {
					break
				}
				j += sepSize
			}
			out = append(out, []int{i, j})
			i = j
		case r == '&':
			out = append(out, []int{i, i + 1})
			i++
		default:
			i += size
		}
	}
	return out
}

func isNameRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.Is(unicode.M, r) || unicode.IsNumber(r)
}

// skipNameRunes returns the end of the run of name runes at i.
func skipNameRunes(s string, i int) int {
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if !isNameRune(r) {
			break
		}
		i += size
	}
	return i
}

// dutchAdjectiveEndings mark capitalised Dutch adjectives inside names
// ("Nationale Garde", "Europese Centrale Bank", "Presidentiële Brigade"),
// which a translation renders in English.
// "-se" counts after the consonants that end adjectives of places
// ("Europese", "Haagse", "Amsterdamse", "Franse"), not after "t" or "i",
// where given names end too ("Sietse", "Elise"): "Duitse" and "Britse"
// are the table of places' (see isDutchNameWord).
var dutchAdjectiveEndings = []string{"ese", "dse", "gse", "mse", "nse", "kse", "rse", "sche", "isch", "ale", "ele", "iële", "ijke", "ige", "ieke", "aire", "ieve", "ene", "aal"}

// creditWords open a photo credit or a prompt, not an institution's name.
var creditWords = wordSet(`Beeld Foto Video Lees Bekijk Deel`)

// dutchNameHeads end the capitalised Dutch compounds that names of
// institutions, parties and programmes are made of, and that a
// translation renders by their meaning ("Belastingdienst",
// "Kinderbescherming", "Warenautoriteit", "Persoonsgegevens"): a name
// with such a word is an institution's, not a person's. Dutch compounds
// end in their head, so only the end is looked at.
var dutchNameHeads = []string{
	"raad", "dienst", "autoriteit", "ministerie", "commissie", "kamer", "bank", "bureau",
	"inspectie", "rechtbank", "gemeente", "provincie", "politie", "stichting", "vereniging",
	"bond", "fonds", "instituut", "centrum", "college", "agentschap", "directie", "waterschap",
	"universiteit", "ziekenhuis", "omroep", "partij", "beweging", "belang", "unie", "zaken",
	"regeling", "toeslag", "akkoord", "ombudsman", "bescherming", "gegevens", "zorg",
	"veiligheid", "onderzoek", "wetenschap", "gezondheid", "verkeer", "vervoer", "waterstaat",
	"heid", "schap", "ing", "baar", "erij", "atie", "iteit", "isme",
}

// dutchNameOpenings start such compounds: "Rijkswaterstaat",
// "Staatsbosbeheer", "Volkskrant".
var dutchNameOpenings = []string{"rijks", "staats", "volks", "lands", "gemeente", "provinciaal", "nationaal", "openbaar", "algemeen"}

// dutchNameWords are capitalised Dutch words that names of institutions,
// places and events are made of, and that a translation renders in
// English: adjectives without a telling ending, nouns, and demonyms.
var dutchNameWords = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`
		Noordoost Noordwest Zuidoost Zuidwest Midden Binnenland Buitenland
		Eerste Tweede Derde Vierde Vijfde Rode Zwarte Witte Grote Kleine Nieuwe Oude
		Hoge Lage Vrije Verenigde Korte Lange Heilige Brede Gouden Groene Blauwe Gele
		Kamer Raad Hof Bank Garde Ministerie Rechtbank Gemeente Provincie Universiteit
		Hogeschool Stichting Vereniging Partij Bond Dienst Politie Brandweer Inspectie
		Autoriteit Leger Marine Luchtmacht Landmacht Staten Kerk Kruis Zee Meer Rivier
		Eiland Eilanden Straat Plein Weg Kanaal Paleis Huis Noord Zuid Oost West Centraal
		Station Markt Haven Gracht Dijk Kabinet Koning Koningin Prins Prinses Keizer Paus
		President Minister Premier Commissie Parlement Unie Federatie Republiek Koninkrijk
		Staat Rijk Bureau Instituut Centrum Museum Ziekenhuis School Fonds Omroep
		Burgemeester Wethouder Generaal Kolonel Majoor Kapitein Oorlog Wereldoorlog
		Verdrag Akkoord Wet Grondwet Zaken Defensie Justitie Financiën Onderwijs
		Veiligheid Volksgezondheid Welzijn Werkgelegenheid Waterstaat Infrastructuur
		Klimaat Energie Landbouw Natuur Cultuur Wetenschap Handel Asiel Migratie
		Gezondheidszorg Jeugd Zorg Spoorwegen Luchthaven Hofstad Kust Golf Bocht Baai
		Gebergte Berg Bergen Bos Woud Vlakte Woestijn Oceaan Kaap Tempel Moskee Synagoge
		Kathedraal Stadhuis Tweede-Kamerlid Kamerlid Kamerleden Senaat Congres Huis
		Beeld Foto Video Lees Bekijk Deel`) {
		dutchNameWords[w] = true
	}
}

// isDutchNameWord reports whether a capitalised word is Dutch vocabulary
// that a translation may render in English: a word that names of
// institutions, places and events are made of, a Dutch adjective, a
// title, a minister's portfolio, the name, adjective or people of a
// place ("Zweedse", "Vlamingen"), or a word Dutch spells its own way.
func isDutchNameWord(w string) bool {
	if dutchNameWords[w] || dutch.IsTitle(w) || dutch.IsPortfolio(w) || len(dutch.PlacesOf(w)) > 0 {
		return true
	}
	lw := strings.ToLower(w)
	if lang.DutchWord(lw) {
		return true
	}
	if utf8.RuneCountInString(lw) < 5 {
		return false
	}
	for _, e := range dutchAdjectiveEndings {
		if strings.HasSuffix(lw, e) {
			return true
		}
	}
	return false
}

// isInstitutionWord reports whether a capitalised word is made of the
// parts of institutions' names ("Belastingdienst", "Persoonsgegevens"),
// or is Dutch vocabulary of names (see isDutchNameWord) but for a title
// or a credit: a name with such a word is rendered by its meaning.
func isInstitutionWord(w string) bool {
	if dutch.IsTitle(w) || creditWords[w] {
		return false // "Koning Willem-Alexander", "Beeld Marieke Brandsma" are people
	}
	if isDutchNameWord(w) {
		return true
	}
	lw := strings.ToLower(w)
	if utf8.RuneCountInString(lw) < 5 {
		return false
	}
	for _, h := range dutchNameHeads {
		if strings.HasSuffix(lw, h) {
			return true
		}
	}
	for _, o := range dutchNameOpenings {
		if strings.HasPrefix(lw, o) {
			return true
		}
	}
	return false
}

// isInitials reports whether w is "K." or "H.J.".
func isInitials(w string) bool {
	return strings.HasSuffix(w, ".") && utf8.RuneCountInString(w) <= 8 && !strings.ContainsFunc(w, unicode.IsLower)
}

// isCapitalised reports whether w is written as a name: a capital first,
// no lower-case part after a hyphen ("AZ-doelman" is a common noun), and
// not a Dutch function word that a missing full stop left mid-sentence
// ("… op Instagram Een bericht gedeeld door …").
func isCapitalised(w string) bool {
	if !isUpperInitial(w) {
		return false
	}
	if lang.DutchWord(strings.ToLower(w)) && !dutch.IsCapitalParticle(w) {
		return false
	}
	for _, part := range strings.Split(w, "-")[1:] {
		if !isUpperInitial(part) {
			return false
		}
	}
	return true
}

// nameStartAt is sentenceStartAt with Dutch abbreviations and initials
// taken into account: "dr. H.J. Verbeek" has no sentence break.
func nameStartAt(s string, i int) bool {
	t := strings.TrimRightFunc(s[:i], func(r rune) bool {
		return unicode.IsSpace(r) || strings.ContainsRune("‘'„\"“«*_([", r)
	})
	if t == "" {
		return true
	}
	if !strings.HasSuffix(t, ".") {
		return sentenceStartAt(s, i)
	}
	before := strings.TrimSuffix(t, ".")
	k := strings.LastIndexFunc(before, func(r rune) bool { return unicode.IsSpace(r) || r == '(' })
	last := before[k+1:]
	return !dutch.IsAbbreviation(last)
}

// afterTitle reports whether a title such as "dr." or "mr." stands just
// before offset i.
func afterTitle(s string, i int) bool {
	t := strings.TrimRightFunc(s[:i], unicode.IsSpace)
	before, ok := strings.CutSuffix(t, ".")
	if !ok {
		return false
	}
	k := strings.LastIndexFunc(before, func(r rune) bool { return unicode.IsSpace(r) || r == '(' })
	return dutch.IsAbbreviation(before[k+1:])
}

// mostlyUpper reports whether s is written in capitals, like a dateline
// or a shouted heading, where capitals say nothing about names.
func mostlyUpper(s string) bool {
	upper, letters := 0, 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			letters++
			if unicode.IsUpper(r) {
				upper++
			}
		}
	}
	return letters > 0 && upper*10 > letters*6
}

// sourceName is a name found in the source, and the words of it that the
// translation must contain.
type sourceName struct {
	text    string
	checked []string
	// institution is set for a name made with Dutch words that a
	// translation renders by their meaning ("Openbaar Ministerie",
	// "Nieuw Sociaal Contract"), rather than a person's.
	institution bool
}

// trimPossessive takes an English possessive off a word: "Inspectorate's"
// is the Inspectorate.
func trimPossessive(w string) string {
	for _, p := range []string{"'s", "’s", "'", "’"} {
		if t, ok := strings.CutSuffix(w, p); ok && t != "" {
			return t
		}
	}
	return w
}

// portfolioFollows reports whether the words of s from token j on are a
// minister's portfolio: capitalised portfolio words, perhaps joined by
// "en" ("Infrastructuur en Waterstaat").
func portfolioFollows(s string, locs [][]int, j int) bool {
	n := 0
	for ; j < len(locs); j++ {
		if j > 0 && strings.TrimSpace(strings.Trim(s[locs[j-1][1]:locs[j][0]], ",")) != "" {
			break
		}
		t := s[locs[j][0]:locs[j][1]]
		switch {
		case dutch.IsPortfolio(t):
			n++
		case t == "en" && n > 0:
		default:
			return n > 0
		}
	}
	return n > 0
}

// sourceNames finds the capitalised multi-word names of a Dutch text:
// runs of two or more capitalised words, possibly joined by particles and
// connectors, inside a sentence. A run that opens a sentence loses its
// first word, which may be capitalised only for that. Words inside a
// glossary term, initials, particles and Dutch vocabulary are not checked
// (the glossary check and translation take care of those).
func sourceNames(s string, spans []match) []sourceName {
	if mostlyUpper(s) {
		return nil
	}
	locs := nameTokens(s)
	// spans are sorted and do not overlap.
	inGlossary := func(start, end int) bool {
		k := sort.Search(len(spans), func(k int) bool { return spans[k].end > start })
		return k < len(spans) && spans[k].start <= start && end <= spans[k].end
	}
	var out []sourceName
	for i := 0; i < len(locs); {
		tok := s[locs[i][0]:locs[i][1]]
		if !isCapitalised(tok) {
			i++
			continue
		}
		// Extend the run while words are separated by spaces only.
		j := i + 1
		last := i
		titled := isInitials(tok) && afterTitle(s, locs[i][0])
		for j < len(locs) {
			if strings.TrimSpace(s[locs[j-1][1]:locs[j][0]]) != "" {
				break
			}
			// After an initial a sentence may end ("de partner van K.
			// Van de opbrengst kocht hij …"), unless a title announced
			// the initials ("dr. H.J. Verbeek").
			if isInitials(s[locs[j-1][0]:locs[j-1][1]]) && !titled {
				break
			}
			t := s[locs[j][0]:locs[j][1]]
			titled = titled && isInitials(t)
			if t == "van" && portfolioFollows(s, locs, j+1) {
				// "minister Eelco Heinen van Financiën": the portfolio
				// is not part of the name.
				break
			}
			if isCapitalised(t) {
				last = j
			} else if !dutch.IsConnector(t) {
				break
			}
			j++
		}
		run := locs[i : last+1]
		next := last + 1
		caps := 0
		for _, l := range run {
			if isCapitalised(s[l[0]:l[1]]) {
				caps++
			}
		}
		if caps < 2 {
			i = next
			continue
		}
		if nameStartAt(s, run[0][0]) {
			article := dutch.IsCapitalParticle(s[run[0][0]:run[0][1]])
			run = run[1:]
			for len(run) > 0 && !isCapitalised(s[run[0][0]:run[0][1]]) {
				run = run[1:]
			}
			if article && caps <= 2 {
				// "De Rijn", "Het Parool": one capitalised word after
				// an article, not a name of several words.
				i = next
				continue
			}
		}
		if len(run) == 0 {
			i = next
			continue
		}
		n := sourceName{text: s[run[0][0]:run[len(run)-1][1]]}
		// A word that opens the sentence is left out of the name, but
		// still tells an institution's ("Ondernemersvereniging Binnenstad
		// Harderwijk").
		for _, l := range locs[i : last+1] {
			if t := s[l[0]:l[1]]; isCapitalised(t) && !dutch.IsCapitalParticle(t) {
				for _, part := range strings.Split(t, "-") {
					n.institution = n.institution || isInstitutionWord(part)
				}
			}
		}
		for _, l := range run {
			t := trimPossessive(s[l[0]:l[1]])
			switch {
			case !isCapitalised(t), dutch.IsCapitalParticle(t), isInitials(t), inGlossary(l[0], l[1]):
			case strings.ContainsFunc(t, unicode.IsDigit):
			default:
				off := l[0]
				for _, part := range strings.Split(t, "-") {
					// "Zuid-Frankrijk": Frankrijk is the glossary's.
					if !isDutchNameWord(part) && utf8.RuneCountInString(part) > 1 && !inGlossary(off, off+len(part)) {
						n.checked = append(n.checked, part)
					}
					off += len(part) + 1
				}
			}
		}
		if len(n.checked) > 0 {
			out = append(out, n)
		}
		i = next
	}
	return out
}

// translationWords indexes an English text for finding names in it.
type translationWords struct {
	folded string
	words  []string // folded
	// translit says the words are Dutch: Slavic names are looked for in
	// their English spelling too ("Slovjansk" as Slovyansk).
	translit bool
	// keys are the nameKey of each word (after them, with translit, of
	// each word's English spelling), worked out when first needed (see
	// wordKeys): most names are found as they are.
	keys []string
}

func indexTranslation(t string) translationWords {
	tw := translationWords{folded: fold(blankLinks(t))}
	for _, w := range words(tw.folded) {
		tw.words = append(tw.words, w.text)
	}
	return tw
}

// wordKeys returns the nameKey of each word.
func (tw *translationWords) wordKeys() []string {
	if tw.keys == nil && len(tw.words) > 0 {
		for _, w := range tw.words {
			tw.keys = append(tw.keys, nameKey(w))
		}
		if tw.translit {
			for _, w := range tw.words {
				tw.keys = append(tw.keys, nameKey(dutchTranslit(w)))
			}
		}
	}
	return tw.keys
}

// dutchGivenNames are Dutch forms of names that English writes its own
// way when they belong to popes, saints, royals and figures of history:
// "paus Johannes Paulus" is Pope John Paul. Either form is accepted.
var dutchGivenNames = map[string][]string{
	"Johannes": {"John"}, "Paulus": {"Paul"}, "Petrus": {"Peter"}, "Karel": {"Charles"},
	"Hendrik": {"Henry"}, "Lodewijk": {"Louis"}, "Filips": {"Philip"}, "Frederik": {"Frederick"},
	"Jozef": {"Joseph"}, "Benedictus": {"Benedict"}, "Franciscus": {"Francis"},
	"Willem": {"William"}, "Elisabeth": {"Elizabeth"}, "Catharina": {"Catherine"},
	"Nicolaas": {"Nicholas"}, "Sint": {"Saint", "St"}, "Jezus": {"Jesus"},
	"Mozes": {"Moses"}, "Mohammed": {"Muhammad"}, "Alexander": {"Alexander"},
	"Maria": {"Mary"}, "Jacobus": {"James"}, "Gregorius": {"Gregory"}, "Pius": {"Pius"},
	"Leo": {"Leo"}, "Augustinus": {"Augustine"}, "Constantijn": {"Constantine"},
}

// has reports whether the translation contains the name word w: as it is,
// in another transliteration ("Kovaltsjoek" as Kovalchuk, "Andrij" as
// Andriy), or as an English cognate ("Inspectie" as Inspectorate).
func (tw *translationWords) has(w string) bool {
	fw := fold(w)
	if hasWord(tw.folded, fw) {
		return true
	}
	for _, e := range dutchGivenNames[w] {
		if hasWord(tw.folded, fold(e)) {
			return true
		}
	}
	keys := []string{nameKey(fw), nameKey(dutchTranslit(fw))}
	for i, tk := range tw.wordKeys() {
		for _, k := range keys {
			if k == tk || cognate(k, tk) {
				return true
			}
		}
		if cognate(fw, tw.words[i%len(tw.words)]) {
			return true
		}
	}
	return false
}

// cognate reports whether a and b share a long enough beginning to be the
// same word in two languages or spellings: at least five letters and 60%
// of a.
func cognate(a, b string) bool {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return n >= 5 && n*10 >= len(a)*6
}

// dutchTranslitPairs turn Dutch spellings of Slavic names into English
// ones, longest first.
var dutchTranslitPairs = []struct{ from, to string }{
	{"sjtsj", "shch"}, {"tsj", "ch"}, {"sj", "sh"}, {"zj", "zh"}, {"ch", "kh"},
	{"oe", "u"}, {"j", "y"}, {"w", "v"},
}

// dutchTranslit rewrites a folded Dutch spelling the English way:
// "kovaltsjoek" → "kovalchuk", "charkiv" → "kharkiv".
func dutchTranslit(s string) string {
	var b strings.Builder
outer:
	for i := 0; i < len(s); {
		for _, p := range dutchTranslitPairs {
			if strings.HasPrefix(s[i:], p.from) {
				b.WriteString(p.to)
				i += len(p.from)
				continue outer
			}
		}
		b.WriteByte(s[i])
		i++
	}
	return b.String()
}

// nameKeyReplacer is built once: a Replacer is costly to make and free to
// share.
var nameKeyReplacer = strings.NewReplacer("kh", "h", "ck", "k", "c", "k", "x", "ks", "y", "i", "j", "i", "w", "v", "'", "")

// nameKey reduces a folded spelling to what transliterations agree on:
// y, j and i are one letter, kh is h, c is k, x is ks, w is v, doubled
// letters are single.
func nameKey(s string) string {
	s = nameKeyReplacer.Replace(s)
	var b strings.Builder
	var prev rune = -1
	for _, r := range s {
		if r != prev {
			b.WriteRune(r)
		}
		prev = r
	}
	return b.String()
}
