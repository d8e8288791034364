package check

import (
	"fmt"
	"unicode"

	"github.com/nl2en/nl2en/pipeline/lang"
)

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

// measure computes the quality signals of a translation of source, whose
// counts are c.
func measure(source, translation string, c lang.Counts) Signals {
	var sig Signals
	sl, tl := visibleLen(source), visibleLen(translation)
	if sl > 0 {
		sig.Ratio = float64(tl) / float64(sl)
	}
	if sl >= MinRatioChars && (sig.Ratio < MinRatio || sig.Ratio > MaxRatio) {
		sig.RatioOff = true
	}
	sig.StillDutch = c.ReadsDutch()
	sig.NotEnglish = sig.StillDutch || c.MostlyForeignScript() || c.ReadsOther()
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
