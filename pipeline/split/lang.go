package split

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/pemistahl/lingua-go"
)

// KeepThreshold is the detector's confidence in English above which a
// segment is passed through untranslated. Confidence alone is not
// trusted: see judgeLanguage for the other conditions, which make sure
// that a Dutch sentence or attribution inside English text is never
// skipped.
const KeepThreshold = 0.90

const (
	// minLangConfidence is the confidence below which Lang is left empty:
	// too ambiguous to tell.
	minLangConfidence = 0.5
	// minKeepWords is the fewest words (names and numbers not counted)
	// an English segment needs to be kept: shorter text is translated,
	// which is cheap and never wrong.
	minKeepWords = 3
)

// detectLanguages are the languages the detector chooses from: Dutch,
// English, and the languages quotes in Dutch news are most often in, so
// that a French or German quote is not mistaken for English and kept.
var detectLanguages = []lingua.Language{
	lingua.Dutch, lingua.English, lingua.German, lingua.French,
	lingua.Spanish, lingua.Italian, lingua.Portuguese,
}

// newDetector builds the detector with its models loaded, which takes a
// few seconds; lingua keeps the models for the life of the process.
func newDetector() lingua.LanguageDetector {
	return lingua.NewLanguageDetectorBuilder().
		FromLanguages(detectLanguages...).
		WithPreloadedLanguageModels().
		Build()
}

// verdict is what the detector says about a segment.
type verdict struct {
	lang       string  // ISO 639-1, "" when unsure
	confidence float64 // 0 when lang is ""
	english    bool    // English beyond doubt: keep verbatim
}

// judgeLanguage detects the language of text and decides whether it is
// English beyond doubt. Names, links, handles and numbers say nothing
// about the language ("Mees van Leeuwen", "De Kuip", "@EuromaidanPress")
// and are removed first. Text is English beyond doubt when
//
//   - it has at least minKeepWords words once names are removed,
//   - the detector gives English at least KeepThreshold,
//   - English is the most likely language of every sentence, and
//   - in a text with quotation marks, English is the most likely language
//     of the words outside them too, so that "‘We will never give up’,
//     aldus Zelensky." is translated.
func judgeLanguage(det lingua.LanguageDetector, text string) verdict {
	clean := cleanForDetection(text)
	words := stripNames(clean)
	sample := words
	if countWords(words) < minKeepWords {
		// Too little is left; the names at least hint at the language.
		sample = clean
	}
	if countWords(sample) == 0 {
		return verdict{}
	}
	lang, conf := topLanguage(det, sample)
	v := verdict{lang: lang, confidence: conf}
	if conf < minLangConfidence {
		v = verdict{}
	}
	if lang != "en" || conf < KeepThreshold || countWords(words) < minKeepWords {
		return v
	}
	for _, s := range Sentences(words) {
		if countWords(s) == 0 {
			continue
		}
		if l, _ := topLanguage(det, s); l != "en" {
			return v
		}
	}
	if outside, quoted := outsideQuotes(clean); quoted {
		outside = stripNames(outside)
		if countWords(outside) > 0 {
			if l, _ := topLanguage(det, outside); l != "en" {
				return v
			}
		}
	}
	v.english = true
	return v
}

// topLanguage returns the most likely language of s and its confidence.
func topLanguage(det lingua.LanguageDetector, s string) (string, float64) {
	values := det.ComputeLanguageConfidenceValues(s)
	if len(values) == 0 || values[0].Value() <= 0 {
		return "", 0
	}
	top := values[0]
	return strings.ToLower(top.Language().IsoCode639_1().String()), top.Value()
}

var (
	rxURL        = regexp.MustCompile(`(?i)\b(?:https?://|www\.)\S+|\bpic\.twitter\.com/\S+|\bt\.co/\S+`)
	rxHandle     = regexp.MustCompile(`@[\p{L}\p{N}_.]+`)
	rxShortcode  = regexp.MustCompile(`:[a-z0-9_+-]{2,30}:`)
	rxSignature  = regexp.MustCompile(`\s*[—–-]\s*[^—–\n]{1,80}\(@[\p{L}\p{N}_.]{1,30}\)[^\n]{0,40}$`)
	rxMarkupChar = regexp.MustCompile("[#*_`|>]+")
)

// cleanForDetection removes what is not language: a post's signature,
// links, handles, emoji shortcodes and markup characters.
func cleanForDetection(s string) string {
	s = rxSignature.ReplaceAllString(s, "")
	s = rxURL.ReplaceAllString(s, " ")
	s = rxHandle.ReplaceAllString(s, " ")
	s = rxShortcode.ReplaceAllString(s, " ")
	s = rxMarkupChar.ReplaceAllString(s, " ")
	return strings.Join(strings.Fields(s), " ")
}

// nameParticles go with the name that follows them: "van Leeuwen".
var nameParticles = map[string]bool{
	"van": true, "de": true, "der": true, "den": true, "von": true, "ter": true,
	"ten": true, "te": true, "het": true, "'t": true, "’t": true, "la": true, "le": true,
	"du": true, "da": true, "di": true, "dos": true, "el": true, "al": true, "bin": true,
}

// stripNames removes capitalised words that do not start a sentence
// (names, places, acronyms), the particles before them, and words without
// letters. Dutch and English capitalise alike, so this removes no
// evidence of the language, only names that pull towards the wrong one.
func stripNames(s string) string {
	fields := strings.Fields(s)
	out := make([]string, 0, len(fields))
	start := true
	for _, f := range fields {
		core := strings.TrimLeftFunc(f, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
		first, _ := utf8.DecodeRuneInString(core)
		opensQuote := core != f
		switch {
		case !strings.ContainsFunc(core, unicode.IsLetter):
			// A number or a dash: keep any punctuation that ends a
			// sentence, drop the rest.
			if strings.ContainsAny(f, ".!?") && len(out) > 0 {
				out[len(out)-1] += "."
			}
		case !start && !opensQuote && unicode.IsUpper(first) && !isPronounI(core):
			// Lowercase only: "Het" starting the sentence stays.
			for len(out) > 0 && nameParticles[out[len(out)-1]] {
				out = out[:len(out)-1]
			}
			if strings.ContainsAny(f, ".!?") && len(out) > 0 {
				out[len(out)-1] += "."
			}
		default:
			out = append(out, f)
		}
		last, _ := utf8.DecodeLastRuneInString(strings.TrimRightFunc(f, isCloser))
		start = strings.ContainsRune(".!?:;…", last)
	}
	return strings.Join(out, " ")
}

func isPronounI(w string) bool {
	return w == "I" || strings.HasPrefix(w, "I'") || strings.HasPrefix(w, "I’")
}

// countWords counts the words with at least two letters.
func countWords(s string) int {
	n := 0
	for _, f := range strings.Fields(s) {
		letters := 0
		for _, r := range f {
			if unicode.IsLetter(r) {
				letters++
			}
		}
		if letters >= 2 {
			n++
		}
	}
	return n
}

// outsideQuotes returns the text of s outside quotation marks, and
// whether s has any quotation at all.
func outsideQuotes(s string) (string, bool) {
	rs := []rune(s)
	var b strings.Builder
	var stack []rune
	quoted := false
	for i, r := range rs {
		switch {
		case isCloseQuote(rs, i, stack):
			stack = stack[:len(stack)-1]
			continue
		case isOpenQuote(rs, i):
			stack = append(stack, r)
			quoted = true
			continue
		}
		if len(stack) == 0 {
			b.WriteRune(r)
		}
	}
	if len(stack) > 0 {
		// An unclosed quotation: judge the whole text instead.
		return s, quoted
	}
	return b.String(), quoted
}
