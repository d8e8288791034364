package check

import (
	"fmt"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/nl2en/nl2en/pipeline"
	"github.com/nl2en/nl2en/pipeline/dutch"
	"github.com/nl2en/nl2en/pipeline/lang"
)

// Bounds of a summary's title.
const (
	MaxTitleWords = 20
	MaxTitleChars = 160
)

// MinOverlap is the least share of a summary's content words that its
// article's English must have for the summary to be about the article.
// The evaluation set's reference summaries share 0.75 or more with their
// own articles, and 0.48 at most with another article of the set (two
// stories of Belgian politics); the corpus's, 0.81 and 0.33.
const MinOverlap = 0.6

// SummaryReview is what [Article.ReviewSummary] found in a summary.
type SummaryReview struct {
	// KeyPoints are the key points with duplicates dropped, in order.
	KeyPoints []string
	// Problems are what a repair request should fix.
	Problems []Problem
	// Unusable is set when the summary must not become the summary of
	// the article at all: not English text (garbage, Dutch, another
	// language), or about something else.
	Unusable bool
}

// ReviewSummary checks an English summary of the article: its title,
// text and key points must be readable English; the title of a sane
// length; the key points distinct (duplicates are dropped and reported);
// the summary about the article (most of its content words are the
// article's); and grounded: every figure it gives and every name of
// several words must be the article's, as the Dutch source gives it or
// as the English translation renders it (12,345 for 12.345, 7.15am for
// 07.15 uur, Charkiv for Kharkiv, the Senate for de Eerste Kamer, Swedish
// for Zweedse). It is lenient where a faithful summary may differ, since
// a false alarm costs a repair request.
func (a *Article) ReviewSummary(s pipeline.Summary) SummaryReview {
	var r SummaryReview
	seen := map[string]bool{}
	add := func(p Problem) {
		if !seen[p.Message] {
			seen[p.Message] = true
			r.Problems = append(r.Problems, p)
		}
	}
	parts := append([]string{s.Title, s.Summary}, s.KeyPoints...)
	if p := unusable(a.sourceText(), parts); p != nil {
		r.Unusable = true
		add(*p)
	}
	if n := len(strings.Fields(s.Title)); n > MaxTitleWords || utf8.RuneCountInString(s.Title) > MaxTitleChars {
		add(Problem{Kind: KindLength, Message: fmt.Sprintf("the title is %d words long", n),
			Instruction: fmt.Sprintf("the title is %d words long; write a headline of at most %d", n, MaxTitleWords)})
	}
	dropped := 0
	for _, p := range s.KeyPoints {
		k := normalizeText(p)
		if seen["point:"+k] {
			dropped++
			continue
		}
		seen["point:"+k] = true
		r.KeyPoints = append(r.KeyPoints, p)
	}
	if dropped > 0 {
		add(Problem{Kind: KindDuplicate, Message: fmt.Sprintf("%d key point(s) repeated another and were dropped", dropped),
			Instruction: fmt.Sprintf("%d key point(s) repeated another; give distinct key points", dropped)})
	}
	if r.Unusable {
		return r
	}
	facts := a.grounding()
	if share, ok := facts.overlap(parts); ok && share < MinOverlap {
		r.Unusable = true
		add(Problem{Kind: KindUnrelated,
			Message:     fmt.Sprintf("the summary is not about the article: %.0f%% of its words are the article's", 100*share),
			Instruction: "the summary is not about this article; summarise the article given, and only it"})
	}
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
// its source and its translation state, the digits they write, their
// names and places, and the content words of the translation. Each is
// read the first time a summary needs it, and once; reviews may run at
// the same time.
type grounding struct {
	a *Article

	numbersOnce, namesOnce, wordsOnce, placesOnce sync.Once
	mentions                                      []mention
	occurrences                                   []occurrence
	digits                                        map[string]bool
	words                                         *articleWords
	content                                       map[string]bool
	places                                        map[*dutch.Place]bool
}

func (a *Article) grounding() *grounding {
	a.once.facts.Do(func() { a.facts = &grounding{a: a} })
	return a.facts
}

func (g *grounding) numbers() {
	g.numbersOnce.Do(func() {
		src, en := g.a.sourceText(), g.a.englishText()
		g.mentions = dutchMentions(src)
		g.occurrences = englishOccurrences(en)
		g.digits = digitsOf(src)
		for d := range digitsOf(en) {
			g.digits[d] = true
		}
	})
}

// unusable says why a summary (its title, text and key points) is not
// English text, or nil.
func unusable(article string, parts []string) *Problem {
	src := measureSource(article)
	counts := make([]lang.Counts, len(parts))
	for i, p := range parts {
		counts[i] = lang.Count(p)
		if garbage(src, p, counts[i]) {
			return &Problem{Kind: KindLanguage, Message: "the summary is not readable English text",
				Instruction: "the summary is not readable English text; write it in English from the article"}
		}
	}
	for _, c := range counts {
		switch {
		case c.Plain() >= minSureWords && c.ReadsDutch():
			return &Problem{Kind: KindLanguage, Message: "the summary is in Dutch",
				Instruction: "the summary is in Dutch; write it in English"}
		case c.Plain() >= minSureWords && (c.ReadsOther() || c.MostlyForeignScript()):
			return &Problem{Kind: KindLanguage, Message: "the summary is not in English",
				Instruction: "the summary is not in English; write it in English"}
		}
	}
	return nil
}

// ungroundedNumbers reports the figures written in digits in text that
// the article does not give: not its digits, and no value its source
// states or its translation renders, read the same way the translation
// is ("7.15am" is 07.15 uur, "1.5 million" is 1,5 miljoen). Numbers
// written as words ("six months" for "een half jaar") are not checked.
func (g *grounding) ungroundedNumbers(text string) []Problem {
	var out []Problem
	s := blankLinks(text)
	for _, o := range englishOccurrences(text) {
		if !o.digits {
			continue
		}
		g.numbers()
		if g.grounded(s, o) {
			continue
		}
		n := s[o.start:o.end]
		out = append(out, Problem{Kind: KindNumber, Source: n,
			Message:     fmt.Sprintf("the summary gives %q, which the article does not", n),
			Instruction: fmt.Sprintf("the summary gives %q, which the article does not; use only the article's facts", n)})
	}
	return out
}

// grounded reports whether an occurrence of the summary is one of the
// article's: the same digits, or a value the source or the translation
// states.
func (g *grounding) grounded(s string, o occurrence) bool {
	if g.digits[onlyDigits(s[o.start:o.end])] {
		return true
	}
	for _, m := range g.mentions {
		if m.fits(occurrence{values: o.values}) {
			return true
		}
	}
	for _, t := range g.occurrences {
		if t.loose {
			continue
		}
		for _, v := range o.values {
			if v.kind != qNumber && v.kind != qTime && v.kind != qDate {
				continue
			}
			if t.has(v) {
				return true
			}
		}
	}
	return false
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
	service services forces force guard national international central federal royal
	republic kingdom state states united north south east west northern southern eastern western
	new old city town province region county district airport station street square church
	museum hospital prize cup league club committee commission parliament house senate assembly
	chamber navy air defence defense foreign affairs interior justice health finance economic
	economy affairs security intelligence general's president's mr mrs ms dr sir saint st
	king queen prince princess pope chancellor mayor governor secretary spokesman spokeswoman
	public authority authorities tax customs office administration board inspectorate
	the of and for`)

// homePlaces are the places Dutch news is written from and about:
// a summary may say "Dutch" or "Belgian" of any article.
var homePlaces = map[string]bool{"NL": true, "BE": true, "vl": true, "wa": true, "bru": true, "ho": true, "eu": true}

// ungroundedNames reports the names of several words in text that the
// article does not mention: each of their telling words must be in the
// article's source, in its Dutch or another spelling ("Slovjansk" for
// Slovyansk), or in its translation, as it renders it; a place's name,
// adjective or people ("Swedish") must name a place the article names in
// any form ("Zweedse", "Sweden").
func (g *grounding) ungroundedNames(text string) []Problem {
	var out []Problem
	for _, n := range sourceNames(blankLinks(text), nil) {
		for _, w := range n.checked {
			lw := strings.ToLower(w)
			if genericNameWords[lw] || dutch.IsTitle(w) {
				continue
			}
			if ps := dutch.EnglishPlacesOf(w); len(ps) > 0 {
				if g.mentionsPlace(ps) {
					continue
				}
			} else if hasWord(g.a.sourceText(), w) || g.names().has(w) || hasWord(g.englishFolded(), fold(w)) {
				// A word the article has as it is needs no index.
				continue
			}
			out = append(out, Problem{Kind: KindName, Source: n.text,
				Message:     fmt.Sprintf("the summary names %q, which the article does not mention", n.text),
				Instruction: fmt.Sprintf("the summary names %q, which the article does not mention; use only the article's facts", n.text)})
			break
		}
	}
	return out
}

func (g *grounding) englishFolded() string {
	g.a.englishText()
	return g.a.englishFolded
}

func (g *grounding) names() *articleWords {
	g.namesOnce.Do(func() {
		idx := indexArticle(g.a.sourceText(), g.a.c.g)
		g.words = &idx
	})
	return g.words
}

// mentionsPlace reports whether the article names one of ps in any form,
// in Dutch or in English, or one is a home place.
func (g *grounding) mentionsPlace(ps []*dutch.Place) bool {
	g.placesOnce.Do(func() {
		g.places = map[*dutch.Place]bool{}
		g.collectPlaces(g.a.sourceText(), dutch.PlacesOf)
		g.collectPlaces(g.a.englishText(), dutch.EnglishPlacesOf)
	})
	for _, p := range ps {
		if g.places[p] || homePlaces[p.Code] {
			return true
		}
	}
	return false
}

// collectPlaces adds the places named in text, one, two or three words
// at a time ("Zweden", "Verenigde Staten", "United Arab Emirates").
func (g *grounding) collectPlaces(text string, of func(string) []*dutch.Place) {
	toks := nameTokens(text)
	for i := range toks {
		if !isUpperInitial(text[toks[i][0]:toks[i][1]]) {
			continue
		}
		for n := 1; n <= 3 && i+n <= len(toks); n++ {
			for _, p := range of(text[toks[i][0]:toks[i+n-1][1]]) {
				g.places[p] = true
			}
		}
	}
}

// overlap returns the share of the summary's content words (parts) that
// the article has, and whether there are enough on both sides to tell: a
// summary of six content words or more, an article whose translation has
// thirty or more. A translation made of few words (a news flash, a
// test's stand-in English) cannot tell what its summary is about.
func (g *grounding) overlap(parts []string) (float64, bool) {
	g.wordsOnce.Do(func() {
		g.content = contentWords(g.a.englishText())
	})
	if len(g.content) < 30 {
		return 0, false
	}
	sum := contentWords(strings.Join(parts, "\n"))
	if len(sum) < 6 {
		return 0, false
	}
	have := 0
	for w := range sum {
		if g.content[w] {
			have++
		}
	}
	return float64(have) / float64(len(sum)), true
}

// contentStop are frequent English words that say nothing of what a text
// is about.
var contentStop = wordSet(`that this with from have has had were been being will would could
	should they their them there these those which what when where while about after before
	more most than into over also such some said says told year years week weeks month months
	other only because very just many much each both between under during against among
	still even however according make made take took first last people time times news
	report reports reported here then well said told says would`)

// contentWords returns the content words of an English text as keys
// that tolerate inflection: lower case, four letters or more, not a
// frequent function word, cut to their first five letters.
func contentWords(text string) map[string]bool {
	out := map[string]bool{}
	for _, f := range strings.FieldsFunc(fold(text), func(r rune) bool { return !unicode.IsLetter(r) }) {
		if utf8.RuneCountInString(f) < 4 || contentStop[f] {
			continue
		}
		out[contentKey(f)] = true
	}
	return out
}

// contentKey cuts a folded word to what its inflections share.
func contentKey(w string) string {
	r := []rune(w)
	if len(r) > 5 {
		r = r[:5]
	}
	return string(r)
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
