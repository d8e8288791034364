package split

import (
	"strings"

	"github.com/nl2en/nl2en/pipeline"

	"github.com/nl2en/nl2en/pipeline/dutch"
	"github.com/nl2en/nl2en/pipeline/lang"
)

// KeepThreshold is the detector's confidence in English above which a
// segment is passed through untranslated. Confidence alone is not
// trusted: see judgeLanguage for the other conditions, which make sure
// that a Dutch sentence or attribution inside English text is never
// skipped.
const KeepThreshold = 0.90

// minKeepWords is the fewest words (names and numbers not counted) an
// English segment needs to be kept: shorter text is translated, which is
// cheap and never wrong.
const minKeepWords = 3

// verdict is what the detector says about a segment.
type verdict struct {
	lang       string  // ISO 639-1, "" when too little to tell
	confidence float64 // 0 when lang is ""
	english    bool    // English beyond doubt: keep verbatim
	counts     lang.Counts
}

// judgeLanguage detects the language of text and decides whether it is
// English beyond doubt. The detector sets names, links, handles and
// numbers aside ("Mees van Leeuwen", "De Kuip", "@EuromaidanPress").
// Text is English beyond doubt when
//
//   - it has at least minKeepWords words besides names,
//   - the detector gives English at least KeepThreshold, and the text has
//     two English function words or more ([lang.Counts.ReadsEnglish]),
//   - it has no Dutch word: no Dutch function word ("zei", "het",
//     "aldus") and no word spelt the Dutch way, so that "De minister zei
//     dinsdag: We are deeply concerned …" is translated,
//   - no sentence leans to Dutch or is surely another language, and
//   - in a text with quotation marks, neither do the words outside them,
//     so that "‘We will never give up’, aldus Zelensky." is translated.
//
// English text has hardly any Dutch word outside names: of the 104
// English translations of the corpus in pipeline/check's test data, one
// has one ("Capelle aan den IJssel"). So the rule costs little English,
// and every Dutch clause inside English text stops it.
func judgeLanguage(text string) verdict {
	r := lang.Detect(text)
	v := verdict{lang: string(r.Lang), confidence: r.Confidence, counts: r.Counts}
	if r.Lang != lang.English || r.Confidence < KeepThreshold || r.Counts.Plain() < minKeepWords ||
		!r.Counts.ReadsEnglish() || r.Counts.Dutch > 0 {
		return v
	}
	for _, s := range dutch.Sentences(text) {
		if notEnglish(lang.Detect(s)) {
			return v
		}
	}
	if outside, quoted := outsideQuotes(text); quoted && notEnglish(lang.Detect(outside)) {
		return v
	}
	v.english = true
	return v
}

// notEnglish reports whether a part of an English text may be Dutch, or
// is surely another language. A part without evidence either way, such
// as "Absolute scenes.", is not held against the text.
func notEnglish(r lang.Result) bool {
	if r.Counts.Plain() == 0 {
		return false
	}
	if r.Prob(lang.Dutch) > r.Prob(lang.English) {
		return true
	}
	return r.Lang != lang.Unknown && r.Lang != lang.English
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

// minEnglishOnlyWords is the fewest words (names not counted) an article
// needs, in segments told to be English, to be taken for an English
// article: a headline and a caption in English do not make one.
const minEnglishOnlyWords = 20

// englishOnly reports whether an article, whose segments got the
// verdicts vs, is already in English: no segment has a Dutch word or is
// told to be another language than English, and the segments that are
// English beyond doubt (those kept verbatim in a Dutch article) hold two
// thirds of its words or more, and at least minEnglishOnlyWords. A
// telegraphic English headline, whose language is a guess, may stand
// beside them; one Dutch word anywhere makes it a Dutch article.
func englishOnly(segs []pipeline.Segment, vs []verdict) bool {
	english, all := 0, 0
	for i, v := range vs {
		if segs[i].Kind == pipeline.KindFurniture {
			continue
		}
		plain := v.counts.Plain()
		all += plain
		switch {
		case v.counts.Dutch > 0 || v.counts.ReadsDutch():
			return false
		case v.english:
			english += plain
		case v.lang != "" && v.lang != string(lang.English):
			return false
		}
	}
	return english >= minEnglishOnlyWords && 3*english >= 2*all
}
