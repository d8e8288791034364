package check

import (
	"github.com/nl2en/nl2en/pipeline"
	"github.com/nl2en/nl2en/pipeline/lang"
)

// checkPair checks the translation of one paragraph, as an article of
// that one segment.
func checkPair(source, translation string, g Glossary) []Problem {
	return NewChecker(g).Article([]Segment{{Kind: pipeline.KindParagraph, Source: source, English: translation}}).Check(0)
}

// rejectPair says for people why a reply cannot be a translation of a
// paragraph, or "".
func rejectPair(source, translation string, g Glossary) string {
	if r := reject(pipeline.KindParagraph, source, translation, g, lang.Count(translation)); r != nil {
		return r.Reason
	}
	return ""
}

func measurePair(source, translation string) Signals {
	return measure(source, translation, lang.Count(translation))
}

func looksDutch(text string) bool { return lang.Count(text).ReadsDutch() }
