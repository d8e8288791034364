package check

import (
	"github.com/nl2en/nl2en/pipeline/lang"
	"github.com/nl2en/nl2en/pipeline/memo"
)

// A Checker runs [Reject], [Check] and [Measure] with one glossary, as a
// run judges its translations: each translation by all three in turn. It
// counts a translation's words (what all three read) once, remembering
// the counts of the translations it judged last. It is safe for
// concurrent use.
type Checker struct {
	g      Glossary
	counts *memo.Func[lang.Counts]
}

// checkerMemory is how many translations' counts a Checker remembers:
// enough for every segment in flight, and the reply before it.
const checkerMemory = 512

// NewChecker returns a Checker that checks with glossary g.
func NewChecker(g Glossary) *Checker {
	return &Checker{g: g, counts: memo.New(lang.Count, checkerMemory)}
}

// Reject is [Reject] with the checker's glossary.
func (c *Checker) Reject(source, translation string) string {
	return reject(source, translation, c.g, c.count(translation))
}

// Check is [Check] with the checker's glossary.
func (c *Checker) Check(source, translation string) []Problem {
	return check(source, translation, c.g, c.count(translation))
}

// Measure is [Measure].
func (c *Checker) Measure(source, translation string) Signals {
	return measure(source, translation, c.count(translation))
}

func (c *Checker) count(text string) lang.Counts { return c.counts.Get(text) }
