package lang

import (
	"math"

	"github.com/abadojack/whatlanggo"
)

// Language is a language as an ISO 639-1 code: "nl", "en", "de"…
// Unknown, the empty string, means too little to tell.
type Language string

// The languages [Detect] tells apart in Latin script. Text in another
// script gets the code of the language the trigram profiles find for it
// ("ru", "uk", "ar"…).
const (
	Unknown    Language = ""
	Dutch      Language = "nl"
	English    Language = "en"
	German     Language = "de"
	French     Language = "fr"
	Spanish    Language = "es"
	Italian    Language = "it"
	Portuguese Language = "pt"
)

// MinConfidence is the confidence below which [Detect] says Unknown: the
// evidence does not favour one language over the others enough to name
// it.
const MinConfidence = 0.5

// Result is what [Detect] finds.
type Result struct {
	// Lang is the most likely language, or Unknown when the text has no
	// word outside names, links and numbers, or when no language reaches
	// MinConfidence.
	Lang Language
	// Confidence is the probability of Lang, 0 to 1 (for a text in
	// another script, the trigram detector's confidence); 0 when Lang is
	// Unknown.
	Confidence float64
	// Counts is what the text is made of.
	Counts Counts

	probs [len(scored)]float64 // of the Latin languages, in scored order
}

// Prob returns the probability that the text is in l, one of the Latin
// languages Detect scores; 0 for others and for a text in another
// script. Without evidence for any language, each has the same: 1/7.
func (r Result) Prob(l Language) float64 {
	for i, s := range scored {
		if s == l {
			return r.probs[i]
		}
	}
	return 0
}

// The weights of the evidence, as log-odds: a frequent word of a
// language, and the trigram detector's confidence (0 to 1) in the
// language it finds, in a text of trigramWords words or more besides
// names; in a shorter one the trigrams say less, and weigh less.
const (
	stopwordWeight = 2.0
	trigramWeight  = 2.0
	trigramWords   = 3
)

// scored are the languages [Detect] weighs, in the order of its scores.
var scored = [...]Language{Dutch, English, German, French, Spanish, Italian, Portuguese}

// latinOptions restrict the trigram detector to the languages scored: on
// short texts it would otherwise find Afrikaans, Danish or Tagalog in
// Dutch and English.
var latinOptions = whatlanggo.Options{Whitelist: map[whatlanggo.Lang]bool{
	whatlanggo.Nld: true, whatlanggo.Eng: true, whatlanggo.Deu: true, whatlanggo.Fra: true,
	whatlanggo.Spa: true, whatlanggo.Ita: true, whatlanggo.Por: true,
}}

// Detect tells the language of a short text: a heading, a paragraph, a
// quotation, a post. Names, links, handles and numbers say nothing about
// the language ("Mees van Leeuwen", "De Kuip", "@EuromaidanPress") and
// are set aside first. The frequent words of each language (see
// [Counts]) and the text's character trigrams are then weighed together
// into a probability for each language.
//
// Detect keeps no state; it is safe for concurrent use and takes tens of
// microseconds for a paragraph.
func Detect(text string) Result {
	c, toks := scan(text)
	res := Result{Counts: c}
	switch {
	case c.Words == 0:
		return res
	case c.Foreign*2 > c.Words:
		// Mostly another script: the trigram profiles know it; the word
		// lists do not.
		info := whatlanggo.Detect(sample(c, toks))
		if info.Lang >= 0 && info.Confidence >= MinConfidence {
			res.Lang = Language(info.Lang.Iso6391())
			res.Confidence = info.Confidence
		}
		return res
	case c.Plain() == 0:
		// Names only ("ROTTERDAM", "Mees van Leeuwen"): they may hint at
		// a language, but a name is the same in every language.
		return res
	}
	var score [len(scored)]float64
	score[0] = stopwordWeight * float64(c.Dutch+c.dutchOpening)
	score[1] = stopwordWeight * float64(c.English)
	for i := range otherLanguages {
		score[2+i] = stopwordWeight * float64(c.other[i])
	}
	if !decisive(score) {
		info := whatlanggo.DetectWithOptions(sample(c, toks), latinOptions)
		l := Language(info.Lang.Iso6391())
		for i, s := range scored {
			if info.Lang >= 0 && s == l {
				score[i] += trigramWeight * info.Confidence * min(1, float64(c.Plain())/trigramWords)
			}
		}
	}
	best, sum := 0, 0.0
	for i, s := range score {
		if s > score[best] {
			best = i
		}
		sum += math.Exp(s)
	}
	for i, s := range score {
		res.probs[i] = math.Exp(s) / sum
	}
	if p := res.probs[best]; p >= MinConfidence {
		res.Lang, res.Confidence = scored[best], p
	}
	return res
}

// decisive reports whether the words alone leave no doubt: the likeliest
// language leads the next by four words or more, which the trigrams
// could not overturn and would move its probability by less than 0.005.
// Most paragraphs are decided so, and the trigrams, which cost several
// times what the words do, are skipped.
func decisive(score [len(scored)]float64) bool {
	first, second := math.Inf(-1), math.Inf(-1)
	for _, s := range score {
		switch {
		case s > first:
			first, second = s, first
		case s > second:
			second = s
		}
	}
	return first-second >= 4*stopwordWeight
}
