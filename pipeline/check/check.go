package check

import (
	"fmt"
	"strings"

	"github.com/nl2en/nl2en/pipeline/lang"
)

// Kind names what a check looked at.
type Kind string

const (
	KindGlossary  Kind = "glossary"  // a glossary term without its English form
	KindNumber    Kind = "number"    // a number, amount, percentage, date or time missing
	KindQuote     Kind = "quote"     // quotations lost
	KindName      Kind = "name"      // a proper name missing
	KindLength    Kind = "length"    // translation much shorter or longer than usual
	KindLanguage  Kind = "language"  // translation not in English
	KindDuplicate Kind = "duplicate" // a summary's key point given twice
)

// Problem is one thing a translation got wrong, or may have.
type Problem struct {
	Kind Kind
	// Source is the source text concerned, as written: the term, number
	// or name; empty for quotations, length and language.
	Source string
	// Want is the English form expected, when there is one.
	Want string
	// Message says what is wrong in one line, for a person reading the
	// warnings and for the model asked to repair the translation:
	// `number "80 duizend" should appear as 80,000`.
	Message string
}

func (p Problem) String() string { return p.Message }

// Check compares a translation with its Dutch source and returns what is
// missing from it: the English form of each glossary term in the source,
// each number, amount, percentage, date and time (in any usual English
// notation), the proper names, and the quotations; and, for a text too
// short for [Reject] to be sure of its language, that it may still be
// Dutch. It is lenient where
// English legitimately varies, because a false alarm costs a repair
// request; a nil result means nothing was found wrong.
func Check(source, translation string, g Glossary) []Problem {
	return check(source, translation, g, lang.Count(translation))
}

// check is Check with translation's counts taken.
func check(source, translation string, g Glossary, counts lang.Counts) []Problem {
	var out []Problem
	seen := make(map[string]bool)
	add := func(p Problem) {
		if !seen[p.Message] {
			seen[p.Message] = true
			out = append(out, p)
		}
	}
	src := blankLinks(source)
	spans := g.find(src)

	checked := make(map[int]bool)
	folded := ""
	for _, m := range spans {
		if checked[m.entry] {
			continue
		}
		checked[m.entry] = true
		e := g.entries[m.entry]
		if folded == "" {
			folded = fold(translation)
		}
		if !g.renderings[m.entry].in(translation, folded) {
			add(Problem{Kind: KindGlossary, Source: e.Source, Want: e.Target,
				Message: fmt.Sprintf("glossary term %q should appear as %s", e.Source, e.Target)})
		}
	}

	for _, p := range checkNumbers(source, translation) {
		add(p)
	}

	var tw *translationWords // indexed when there is a name to look for
	for _, n := range sourceNames(src, spans) {
		if tw == nil {
			idx := indexTranslation(translation)
			tw = &idx
		}
		for _, w := range n.checked {
			if !tw.has(w) {
				add(Problem{Kind: KindName, Source: n.text, Want: n.text,
					Message: fmt.Sprintf("name %q is missing", n.text)})
				break
			}
		}
	}

	// The source's quotations are counted top-level only, the
	// translation's all: nesting may be flattened, not quotations lost.
	// With three or more, one may merge into another.
	if sq := countTopLevelQuotations(src); sq > 0 {
		tq := countQuotations(blankLinks(translation))
		if tq < sq-sq/3 {
			msg := "the quotation in the source is missing"
			if sq > 1 {
				msg = fmt.Sprintf("the source has %d quotations, the translation %d", sq, tq)
			}
			add(Problem{Kind: KindQuote, Message: msg})
		}
	}
	if p := mayBeDutch(counts); p != nil {
		add(*p)
	}
	return out
}

// checkNumbers reports the source's quantities that the translation does
// not state.
func checkNumbers(source, translation string) []Problem {
	ms := dutchMentions(source)
	if len(ms) == 0 {
		return nil
	}
	qs := englishQuantities(translation)
	has := func(q quantity) bool {
		for _, o := range qs {
			if o.equal(q) {
				return true
			}
		}
		return false
	}
	lt := fold(blankLinks(translation))
	var out []Problem
	for _, m := range ms {
		found := has(m.q)
		for _, a := range m.alt {
			found = found || has(a)
		}
		if found && m.currency != "" {
			found = hasCurrency(translation, lt, m.currency)
		}
		if found && m.percent {
			found = strings.Contains(lt, "%") || hasForm(lt, "per cent") || hasForm(lt, "percent") ||
				hasForm(lt, "percentage") || hasForm(lt, "pct") || hasForm(lt, "basis point")
		}
		if !found {
			out = append(out, Problem{Kind: KindNumber, Source: m.text, Want: m.want,
				Message: fmt.Sprintf("%s %q should appear as %s", m.label, m.text, m.want)})
		}
	}
	return out
}

// hasCurrency reports whether a translation names the currency an amount
// is in: "€" or "euro" for the euro.
func hasCurrency(translation, folded, cur string) bool {
	switch cur {
	case "€":
		return strings.Contains(translation, "€") || hasForm(folded, "euro") || hasWord(translation, "EUR")
	case "$":
		return strings.Contains(translation, "$") || hasForm(folded, "dollar") || hasWord(translation, "USD")
	case "£":
		return strings.Contains(translation, "£") || hasForm(folded, "pound") || hasWord(translation, "GBP")
	}
	return true
}
