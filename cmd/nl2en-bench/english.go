package main

import (
	"hash/fnv"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/nl2en/nl2en/pipeline/check"
	"github.com/nl2en/nl2en/pipeline/dutch"
	"github.com/nl2en/nl2en/pipeline/openaitest"
	"github.com/nl2en/nl2en/pipeline/split"
)

// englishWords stand in for the words of a translation.
var englishWords = strings.Fields(`
	the council said on plan would housing city new year people million euros
	residents work many more than last per cent this that will have been from
	with about project cost costs local region province traffic school water
	energy care waiting list according to spokesperson decided again meeting
	evening town hall critics fear noise green space budget government report
	figures shows increased decreased start expected first second before after
	support majority opposition decision agreement money safety children jobs
	farmers land solar park road ring swimming pool stadium teachers classes
	week month months weeks still not yet enough far too long waited
`)

// dictionary holds the words whose English the checks look for: the
// multipliers and units of amounts, months and days; and Dutch function
// words, so that the English reads as English to nl2en's language checks
// (a run of English nouns with no "the", "of" or "that" is no language).
var dictionary = map[string]string{
	"de": "the", "het": "the", "een": "a", "en": "and", "van": "of", "dat": "that",
	"met": "with", "voor": "for", "op": "on", "te": "to", "is": "is", "zijn": "are",
	"wordt": "is", "niet": "not", "maar": "but", "ook": "also", "nog": "still",
	"bij": "at", "naar": "to", "over": "about", "door": "by", "er": "there",
	"duizend": "thousand", "miljoen": "million", "miljard": "billion",
	"procent": "per cent", "euro": "euros",
	"januari": "January", "februari": "February", "maart": "March", "april": "April",
	"mei": "May", "juni": "June", "juli": "July", "augustus": "August",
	"september": "September", "oktober": "October", "november": "November", "december": "December",
	"maandag": "Monday", "dinsdag": "Tuesday", "woensdag": "Wednesday", "donderdag": "Thursday",
	"vrijdag": "Friday", "zaterdag": "Saturday", "zondag": "Sunday",
}

// fakeModel translates for the fake server the way a good model would as
// far as nl2en's checks can tell, at the length of a real translation:
// each Dutch word becomes a word of English, numbers are written the
// English way, names, quotation marks and punctuation are kept, and
// glossary terms take their English form. The same Dutch word always
// gives the same English one, so a run can be repeated exactly.
type fakeModel struct {
	gloss check.Glossary
}

// translate has the signature of openaitest.WithTranslator.
func (m fakeModel) translate(_, text string) string {
	// Glossary terms may span words: put a placeholder in their place
	// first, so the word-by-word pass leaves them alone.
	var terms []string
	for _, e := range m.gloss.Matching(text) {
		if strings.Contains(text, e.Source) {
			text = strings.ReplaceAll(text, e.Source, "\x00"+strconv.Itoa(len(terms))+"\x00")
			terms = append(terms, e.Target)
		}
	}
	words := strings.Fields(text)
	sentenceStart := true
	for i, w := range words {
		starts := sentenceStart
		sentenceStart = strings.ContainsAny(w[len(w)-1:], ".!?:")
		if strings.Contains(w, "\x00") {
			continue
		}
		start := strings.IndexFunc(w, isWordRune)
		if start < 0 {
			continue
		}
		end := strings.LastIndexFunc(w, isWordRune)
		_, size := utf8.DecodeRuneInString(w[end:])
		end += size
		core := w[start:end]
		first, _ := utf8.DecodeRuneInString(core)
		var en string
		switch {
		case strings.ContainsFunc(core, unicode.IsDigit):
			en = englishNumber(core)
		case len(dutch.PlacesOf(core)) > 0 && len(dutch.EnglishPlacesOf(core)) == 0:
			en = englishPlace(core) // "Russische" is Russian, as a model writes it
		case unicode.IsUpper(first) && !starts:
			continue // a name
		case dictionary[strings.ToLower(core)] != "":
			en = dictionary[strings.ToLower(core)]
			if unicode.IsUpper(first) {
				en = strings.ToUpper(en[:1]) + en[1:] // a sentence starts with a capital
			}
		default:
			h := fnv.New32a()
			h.Write([]byte(strings.ToLower(core)))
			en = englishWords[h.Sum32()%uint32(len(englishWords))]
			if unicode.IsUpper(first) {
				en = strings.ToUpper(en[:1]) + en[1:]
			}
		}
		words[i] = w[:start] + en + w[end:]
	}
	out := strings.Join(words, " ")
	for i, t := range terms {
		out = strings.ReplaceAll(out, "\x00"+strconv.Itoa(i)+"\x00", t)
	}
	return out
}

// englishNumber writes a Dutch number the English way: 18.925 → 18,925
// and 4,5 → 4.5. Anything else stays as written.
func englishNumber(s string) string {
	if strings.Count(s, ",") == 1 && !strings.Contains(s, ".") {
		return strings.Replace(s, ",", ".", 1)
	}
	if strings.Contains(s, ".") && !strings.Contains(s, ",") {
		parts := strings.Split(s, ".")
		for _, p := range parts[1:] {
			if len(p) != 3 {
				return s
			}
		}
		return strings.Join(parts, ",")
	}
	return s
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// summarize has the signature of openaitest.WithSummarizer: a summary
// made of the article's own sentences as translate renders them, as a
// faithful summary is made of the article's facts and words, so that the
// summary's checks find nothing to repair: its first line as the title,
// its first sentence of six words or more as the summary, and the next
// three, each once, as key points.
func (m fakeModel) summarize(req openaitest.SummaryRequest) openaitest.Summary {
	var lines []string
	for _, l := range strings.Split(req.Article, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, l)
		}
	}
	var sentences []string
	seen := map[string]bool{}
	for _, l := range lines[min(1, len(lines)):] {
		for _, sent := range split.Sentences(l) {
			if sent = strings.TrimSpace(sent); len(strings.Fields(sent)) >= 6 && !seen[sent] {
				seen[sent] = true
				sentences = append(sentences, strings.TrimSpace(m.translate("", sent)))
			}
		}
	}
	var s openaitest.Summary
	if len(lines) > 0 {
		s.Title = m.translate("", lines[0])
	}
	for _, sent := range sentences {
		switch {
		case s.Summary == "":
			s.Summary = sent
		case len(s.KeyPoints) < 3:
			s.KeyPoints = append(s.KeyPoints, sent)
		}
	}
	if s.Summary == "" {
		s.Summary = s.Title
	}
	if len(s.KeyPoints) == 0 {
		s.KeyPoints = []string{s.Summary}
	}
	return s
}

// englishPlace is the English of a Dutch place's name, adjective or
// people: its first English adjective for a Dutch adjective, else its
// first English name.
func englishPlace(dutchForm string) string {
	p := dutch.PlacesOf(dutchForm)[0]
	for _, a := range p.Dutch.Adjectives {
		if a == dutchForm && len(p.English.Adjectives) > 0 {
			return p.English.Adjectives[0]
		}
	}
	return p.English.Names[0]
}
