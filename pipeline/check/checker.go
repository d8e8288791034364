package check

import (
	"github.com/nl2en/nl2en/pipeline"
	"github.com/nl2en/nl2en/pipeline/lang"
	"github.com/nl2en/nl2en/pipeline/memo"
)

// A Checker judges the translations of a run with one glossary: each
// reply by [Checker.Reject] as it arrives, each translated article by
// [Article.Check] and [Article.ReviewSummary], each segment by
// [Checker.Measure]. It counts a translation's words (what all of them
// read) once, remembering the counts of the translations it judged last.
// It is safe for concurrent use.
type Checker struct {
	g       Glossary
	english pipeline.English
	style   Style
	counts  *memo.Func[lang.Counts]
}

// An Option sets how a [Checker] judges.
type Option func(*Checker)

// WithEnglish makes a Checker ask for the figures a translation lacks in
// the forms of variety e ("December 1, 2022", "7:15 a.m." for American
// English); either variety's forms are accepted whatever e is. The
// default is British English.
func WithEnglish(e pipeline.English) Option {
	return func(c *Checker) { c.english = e.Or() }
}

// WithStyle makes a Checker hold translations to a house style: an
// English form the style avoids is a problem, as a glossary term without
// its English form is (see [Style]).
func WithStyle(s Style) Option {
	return func(c *Checker) { c.style = s }
}

// checkerMemory is how many translations' counts a Checker remembers:
// enough for every segment in flight, and the reply before it.
const checkerMemory = 512

// NewChecker returns a Checker that checks with glossary g, in British
// English unless an option says otherwise.
func NewChecker(g Glossary, opts ...Option) *Checker {
	c := &Checker{g: g, english: pipeline.EnglishGB, counts: memo.New(lang.Count, checkerMemory)}
	for _, o := range opts {
		o(c)
	}
	return c
}

// English is the variety of English the Checker asks for.
func (c *Checker) English() pipeline.English { return c.english }

// Glossary is the Checker's glossary.
func (c *Checker) Glossary() Glossary { return c.g }

// Style is the Checker's house style.
func (c *Checker) Style() Style { return c.style }

// Term returns the glossary entry of a Dutch term as the glossary (the
// user's over the built-in one) writes it.
func (c *Checker) Term(dutch string) (Entry, bool) { return c.g.Lookup(dutch) }

// Terms returns the glossary entries whose Dutch term text uses, in the
// order they first occur: what a request carrying text must tell the
// model (see [Glossary.Matching]).
func (c *Checker) Terms(text string) []Entry { return c.g.Matching(text) }

// Reject says why a reply cannot count as a translation of a segment of
// kind with Dutch source at all (garbage, the Dutch unchanged, far too
// short or long, another language), or nil when it can. Such a reply
// gets a repair request, then fails the segment. It is cheap enough to
// run again on every translation the cache serves.
func (c *Checker) Reject(kind pipeline.Kind, source, english string) *Rejection {
	return reject(kind, source, english, c.g, c.count(english))
}

// Measure computes the quality signals of a translation of source.
func (c *Checker) Measure(source, english string) Signals {
	return measure(source, english, c.count(english))
}

func (c *Checker) count(text string) lang.Counts { return c.counts.Get(text) }
