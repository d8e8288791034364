package translate

import (
	"github.com/nl2en/nl2en/pipeline"
	"github.com/nl2en/nl2en/pipeline/check"
)

// UseChecks sets the glossary, the content checks, the untranslated test
// and the quality measure of c from package check, with glossary g: how
// every nl2en run checks its translations.
func (c *Config) UseChecks(g check.Glossary) {
	c.Glossary = func(text string) []GlossaryEntry {
		var out []GlossaryEntry
		for _, e := range g.Matching(text) {
			out = append(out, GlossaryEntry{Dutch: e.Source, English: e.Target})
		}
		return out
	}
	// One checker judges every reply, so that what Reject, Check and
	// Measure all read of a reply is worked out once.
	ck := check.NewChecker(g)
	c.Check = func(src, en string) []string {
		var out []string
		for _, p := range ck.Check(src, en) {
			out = append(out, p.Message)
		}
		return out
	}
	c.Reject = ck.Reject
	c.ReviewSummary = func(article string, s pipeline.Summary) (pipeline.Summary, []string, bool) {
		r := check.ReviewSummary(article, s.Title, s.Summary, s.KeyPoints, g)
		s.KeyPoints = r.KeyPoints
		var problems []string
		for _, p := range r.Problems {
			problems = append(problems, p.Message)
		}
		return s, problems, r.Unusable
	}
	c.Measure = func(src, en string) pipeline.Quality {
		s := ck.Measure(src, en)
		return pipeline.Quality{LengthRatio: s.Ratio, RatioOff: s.RatioOff, StillDutch: s.StillDutch, NotEnglish: s.NotEnglish}
	}
}
