package check

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/nl2en/nl2en/pipeline/lang"
)

// Bounds of a summary's title.
const (
	MaxTitleWords = 20
	MaxTitleChars = 160
)

// SummaryReview is what [ReviewSummary] found in a summary.
type SummaryReview struct {
	// KeyPoints are the key points with duplicates dropped, in order.
	KeyPoints []string
	// Problems are what a repair request should fix: each Message is
	// written for the model and for the person reading the warnings.
	Problems []Problem
	// Unusable is set when the summary is not English text at all
	// (garbage, Dutch, another language): it must not become the title
	// of an English article.
	Unusable bool
}

// ReviewSummary checks an English summary of a Dutch article: its title,
// text and key points must be readable English; the title of a sane
// length; the key points distinct (duplicates are dropped and reported);
// and the summary grounded: every number written in digits and every
// name of several words it gives must be in the article, in its Dutch
// form (12.345 for 12,345, Charkiv for Kharkiv, a glossary term for its
// English form). It is lenient where a faithful summary may differ, since
// a false alarm costs a repair request.
func ReviewSummary(article, title, summary string, keyPoints []string, g Glossary) SummaryReview {
	var r SummaryReview
	seen := map[string]bool{}
	add := func(p Problem) {
		if !seen[p.Message] {
			seen[p.Message] = true
			r.Problems = append(r.Problems, p)
		}
	}
	parts := append([]string{title, summary}, keyPoints...)
	if why := unusable(article, parts); why != "" {
		r.Unusable = true
		add(Problem{Kind: KindLanguage, Message: why})
	}
	if n := len(strings.Fields(title)); n > MaxTitleWords || utf8.RuneCountInString(title) > MaxTitleChars {
		add(Problem{Kind: KindLength, Message: fmt.Sprintf("the title is %d words long; write a headline of at most %d", n, MaxTitleWords)})
	}
	dropped := 0
	for _, p := range keyPoints {
		k := normalizeText(p)
		if seen["point:"+k] {
			dropped++
			continue
		}
		seen["point:"+k] = true
		r.KeyPoints = append(r.KeyPoints, p)
	}
	if dropped > 0 {
		add(Problem{Kind: KindDuplicate, Message: fmt.Sprintf("%d key point(s) repeated another and were dropped; give distinct key points", dropped)})
	}
	if r.Unusable {
		return r
	}
	facts := newGrounding(article, g)
	for _, part := range parts {
		for _, p := range facts.ungroundedNumbers(part) {
			add(p)
		}
		for _, p := range facts.ungroundedNames(part) {
			add(p)
		}
	}
	return r
}

// grounding is what a summary may take from its article: the quantities
// it states, the digits it writes, and its names. Each is read from the
// article the first time a part of the summary needs it, and once.
type grounding struct {
	src      string // the article, links blanked
	g        Glossary
	mentions []mention
	digits   map[string]bool // nil until read
	words    *articleWords   // nil until indexed
}

func newGrounding(article string, g Glossary) *grounding {
	return &grounding{src: blankLinks(article), g: g}
}

func (a *grounding) numbers() ([]mention, map[string]bool) {
	if a.digits == nil {
		a.mentions, a.digits = dutchMentions(a.src), digitsOf(a.src)
	}
	return a.mentions, a.digits
}

func (a *grounding) names() *articleWords {
	if a.words == nil {
		idx := indexArticle(a.src, a.g)
		a.words = &idx
	}
	return a.words
}

// unusable says why a summary (its title, text and key points) is not
// English text, or "".
func unusable(article string, parts []string) string {
	src := measureSource(article)
	counts := make([]lang.Counts, len(parts))
	for i, p := range parts {
		counts[i] = lang.Count(p)
		if garbage(src, p, counts[i]) {
			return "the summary is not readable English text; write it in English from the article"
		}
	}
	for _, c := range counts {
		switch {
		case c.Plain() >= minSureWords && c.ReadsDutch():
			return "the summary is in Dutch; write it in English"
		case c.Plain() >= minSureWords && (c.ReadsOther() || c.MostlyForeignScript()):
			return "the summary is not in English; write it in English"
		}
	}
	return ""
}

// ungroundedNumbers reports the numbers written in digits in text that
// the article does not give, in any notation: a summary must not invent
// a figure. Numbers written as words ("six months" for "een half jaar")
// are not checked.
func (a *grounding) ungroundedNumbers(text string) []Problem {
	var out []Problem
	s := blankLinks(text)
	scanNumbers(s, func(n numberSpan) int {
		mentions, digits := a.numbers()
		if numberGrounded(n, s, mentions, digits) {
			return n.end
		}
		out = append(out, Problem{Kind: KindNumber, Source: n.text,
			Message: fmt.Sprintf("the summary gives %q, which the article does not; use only the article's facts", n.text)})
		return n.end
	})
	return out
}

// numberGrounded reports whether a number of the summary is one of the
// article's: the same digits, or the same value as a quantity the article
// states ("80,000" for "80 duizend", "1.5 million" for "1,5 miljoen").
func numberGrounded(n numberSpan, s string, mentions []mention, articleDigits map[string]bool) bool {
	if articleDigits[onlyDigits(n.text)] {
		return true
	}
	var values []float64
	if v, ok := englishValue(n.text); ok {
		values = append(values, v)
		addMultiplied(s, n.end, v, func(_ qkind, x float64) { values = append(values, x) })
	}
	for _, v := range values {
		for _, m := range mentions {
			if m.q.kind != qNumber {
				continue
			}
			if (quantity{qNumber, v}).equal(m.q) {
				return true
			}
			for _, a := range m.alt {
				if (quantity{qNumber, v}).equal(a) {
					return true
				}
			}
		}
	}
	return false
}

// englishValue reads a number in English notation: "12,345", "1.5", "80".
func englishValue(run string) (float64, bool) {
	var v float64
	switch {
	case englishGroupedRE.MatchString(run):
		run = strings.ReplaceAll(run, ",", "")
	case englishPlainRE.MatchString(run):
	default:
		return 0, false
	}
	_, err := fmt.Sscan(run, &v)
	return v, err == nil
}

// digitsOf returns the digit strings of the numbers in s, separators
// left out: "12.345" and "12,345" are both "12345".
func digitsOf(s string) map[string]bool {
	out := map[string]bool{}
	scanNumbers(s, func(n numberSpan) int {
		out[onlyDigits(n.text)] = true
		return n.end
	})
	return out
}

func onlyDigits(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
}

// genericNameWords are English words that names are built of, which a
// summary writes in English where the article has Dutch ("Ministry of
// Defence" for "ministerie van Defensie", "Wagner Group" for
// "Wagner-leger"): they say nothing of whether a name is the article's.
var genericNameWords = wordSet(`ministry minister prime president general army group party council
	institute court police university bank company union government department agency office
	service services forces force guard national international european central federal royal
	republic kingdom state states united north south east west northern southern eastern western
	new old city town province region county district airport station street square church
	museum hospital prize cup league club committee commission parliament house senate assembly
	chamber navy air defence defense foreign affairs interior justice health finance economic
	economy affairs security intelligence general's president's mr mrs ms dr sir saint st
	king queen prince princess pope chancellor mayor governor secretary spokesman spokeswoman
	dutch russian ukrainian american british german french european chinese belgian polish`)

// ungroundedNames reports the names of several words in text that the
// article does not mention: each of their telling words must be in the
// article, in its Dutch or another spelling ("Slovjansk" for Slovyansk),
// as a cognate ("Defensie" for Defence), or as the English form of a
// glossary term the article uses.
func (a *grounding) ungroundedNames(text string) []Problem {
	var out []Problem
	for _, n := range sourceNames(blankLinks(text), nil) {
		for _, w := range n.checked {
			if genericNameWords[strings.ToLower(w)] || strings.HasSuffix(strings.ToLower(w), "ian") {
				continue
			}
			// A word the article has as it is needs no index.
			if !hasWord(a.src, w) && !a.names().has(w) {
				out = append(out, Problem{Kind: KindName, Source: n.text,
					Message: fmt.Sprintf("the summary names %q, which the article does not mention; use only the article's facts", n.text)})
				break
			}
		}
	}
	return out
}

// articleWords indexes a Dutch article, with the English forms of the
// glossary terms it uses, for finding an English name's words in it.
type articleWords struct {
	translationWords
}

func indexArticle(src string, g Glossary) articleWords {
	var b strings.Builder
	// A name in the summary is a capitalised word in the article: only
	// those are indexed, a fifth of its words.
	for _, w := range strings.Fields(src) {
		if r, _ := utf8.DecodeRuneInString(strings.TrimLeftFunc(w, func(r rune) bool { return !unicode.IsLetter(r) })); unicode.IsUpper(r) {
			b.WriteString(w)
			b.WriteByte(' ')
		}
	}
	for _, e := range g.Matching(src) {
		b.WriteString("\n")
		b.WriteString(e.Target)
	}
	idx := articleWords{indexTranslation(b.String())}
	idx.translit = true
	return idx
}

func wordSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}
