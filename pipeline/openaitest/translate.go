package openaitest

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
)

//go:embed testdata/bachmoet.en.json
var bachmoetJSON []byte

// SampleTranslations returns the English of the sample article
// samples/bachmoet.txt, keyed by the Dutch text of each paragraph, for
// [WithTranslations]. Each call returns a new map.
func SampleTranslations() map[string]string {
	m := map[string]string{}
	if err := json.Unmarshal(bachmoetJSON, &m); err != nil {
		// The file is embedded; the package's tests decode it.
		panic(fmt.Sprintf("openaitest: testdata/bachmoet.en.json: %v", err))
	}
	return m
}

// EstimateTokens is the default token estimator: one token per four bytes,
// rounded up, which is close enough to OpenAI's tokenizers for English.
// A prompt counts the tokens of all its message contents together plus 3
// per message; a completion counts the tokens of its content.
func EstimateTokens(s string) int { return (len(s) + 3) / 4 }

// dutchNumber matches a number as Dutch writes it ("80", "3.000", "1,5")
// and an optional multiplier word after it.
var dutchNumber = regexp.MustCompile(`(\d+(?:[.,]\d+)*)(\s+(?:duizend|miljoen|miljard))?`)

// DefaultTranslator is the translator of a server without
// [WithTranslator]: it returns plausible English that is clearly not
// Dutch, "This is the English text of segment s3.", and when the source
// holds numbers appends them, in order and written the English way as the
// translation prompt asks: "It mentions 80,000, 1.5 and 2022." for a
// source with "80 duizend", "1,5" and "2022". The conversion is: a decimal
// comma becomes a point (1,5 → 1.5), thousands dots become commas
// (3.000 → 3,000), "duizend" multiplies by a thousand (80 duizend →
// 80,000), "miljoen" and "miljard" become "million" and "billion"; plain
// integers ("2022") and ambiguous tokens ("14.30") are kept as written.
// A long source gets sentences of filler after that, "It goes on to say
// more.", until the English is about as long as a translation of it would
// be, four fifths of the Dutch or more: nl2en takes a reply a third of its
// source's length for a failed one.
func DefaultTranslator(id, text string) string {
	var nums []string
	for _, m := range dutchNumber.FindAllStringSubmatch(text, -1) {
		nums = append(nums, englishNumber(m[1], strings.TrimSpace(m[2])))
	}
	out := "This is the English text of segment " + id + "."
	switch n := len(nums); n {
	case 0:
	case 1:
		out += " It mentions " + nums[0] + "."
	default:
		out += " It mentions " + strings.Join(nums[:n-1], ", ") + " and " + nums[n-1] + "."
	}
	for len(out) < len(text)*4/5 {
		out += " It goes on to say more."
	}
	return out
}

// englishNumber writes a Dutch number token, with its multiplier word,
// the English way.
func englishNumber(tok, word string) string {
	var intPart, frac string
	grouped := false
	switch commas := strings.Count(tok, ","); {
	case commas == 1:
		intPart, frac, _ = strings.Cut(tok, ",")
		if strings.Contains(intPart, ".") {
			if !thousandsDots(intPart) {
				return tok + englishWord(word)
			}
			grouped = true
		}
	case commas == 0 && strings.Contains(tok, "."):
		if !thousandsDots(tok) {
			return tok + englishWord(word)
		}
		intPart, grouped = tok, true
	case commas == 0:
		intPart = tok
	default:
		return tok + englishWord(word)
	}
	intPart = strings.ReplaceAll(intPart, ".", "")
	if word == "duizend" && len(frac) <= 3 {
		intPart += frac + strings.Repeat("0", 3-len(frac))
		frac, word, grouped = "", "", true
	}
	if grouped {
		intPart = groupThousands(intPart)
	}
	if frac != "" {
		intPart += "." + frac
	}
	return intPart + englishWord(word)
}

// thousandsDots reports whether s is digits grouped by dots in threes.
func thousandsDots(s string) bool {
	parts := strings.Split(s, ".")
	if len(parts[0]) == 0 || len(parts[0]) > 3 {
		return false
	}
	for _, p := range parts[1:] {
		if len(p) != 3 {
			return false
		}
	}
	return true
}

func groupThousands(digits string) string {
	var b strings.Builder
	for i, r := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return b.String()
}

func englishWord(word string) string {
	switch word {
	case "duizend":
		return " thousand"
	case "miljoen":
		return " million"
	case "miljard":
		return " billion"
	}
	return ""
}

// plainSummary is a summary true of any article: it names no one and
// gives no figure, so that no check of a summary's facts can fault it.
var plainSummary = summaryReply{
	Title:   "What happened, and what comes next",
	Summary: "The article reports what happened, who was involved and why it matters. It also says what is expected to happen next.",
	KeyPoints: []string{
		"The article describes what happened.",
		"It quotes the people involved.",
		"It says what is expected to happen next.",
	},
}

// defaultSummary is a faithful summary of the sample article.
var defaultSummary = summaryReply{
	Title:   "Russia's costly and failing battle for Bakhmut",
	Summary: "For half a year the Russian army has tried to capture the small Ukrainian town of Bakhmut, at a heavy cost in lives on both sides. The drawn-out battle has become another example of Russia's military failure in Ukraine.",
	KeyPoints: []string{
		"Russian forces have attacked Bakhmut for six months without taking it.",
		"Reports speak of hundreds of dead and wounded a day on both sides.",
		"Taking the town would let Russia disrupt Ukrainian supply lines towards Slovyansk and Kramatorsk.",
	},
}
