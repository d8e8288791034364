package translate

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/nl2en/nl2en/pipeline"
	"github.com/nl2en/nl2en/pipeline/check"
	"github.com/nl2en/nl2en/pipeline/names"
)

// One form per name. Each reply lists the names its English renders
// (Dutch form → English form); once every segment of an article is back
// and checked, holdNames makes sure each Dutch name has one English form
// in the whole article, and the memory's form where the names memory has
// one (see names.Layers for which form wins).

// listedNames are the names a reply lists for a unit, tidied, that the
// unit's Dutch and the reply's English really hold: a list is the
// model's word, and a name it did not write is no reason to repair.
func listedNames(source, english string, ws []wireName) []pipeline.Name {
	if len(ws) == 0 {
		return nil
	}
	src, en := oneSpaced(source), oneSpaced(english)
	var out []pipeline.Name
	for _, w := range ws {
		d, e := tidyName(w.NL), tidyName(w.EN)
		if d == "" || e == "" || !check.HasWord(src, d) || !check.HasWord(en, e) {
			continue
		}
		out = addNames(out, []pipeline.Name{{Dutch: d, English: e}})
	}
	return out
}

// tidyName is a name as a list gives it, without the space, quotation
// marks and final punctuation around it and a genitive "'s" after it.
func tidyName(s string) string {
	s = oneSpaced(s)
	s = strings.Trim(s, " \"'“”„‘’«».,;:!?()")
	for _, g := range []string{"'s", "’s"} {
		if t := strings.TrimSuffix(s, g); t != s && t != "" {
			s = t
		}
	}
	return s
}

func oneSpaced(s string) string { return strings.Join(strings.Fields(s), " ") }

// addNames adds to dst the names of src it does not hold yet.
func addNames(dst, src []pipeline.Name) []pipeline.Name {
	for _, n := range src {
		if !slices.Contains(dst, n) {
			dst = append(dst, n)
		}
	}
	return dst
}

// layers are what decides a name's form above the article's renderings:
// the house style, the glossary and the names memory.
func (t *Translator) layers() names.Layers {
	l := names.Layers{Memory: t.cfg.Names}
	if j := t.cfg.Judge; j != nil {
		if st := j.Style(); st.Len() > 0 {
			l.Style = st
		}
		l.Glossary = func(d string) (string, bool) {
			e, ok := j.Term(d)
			return e.Target, ok
		}
	}
	return l
}

// nameAsk is what one segment is asked to change: the forms it gives
// names (Dutch → the form it gives) that are to take the chosen form.
type nameAsk struct {
	dutch, english, chosen string
	from                   names.Layer
}

func (a nameAsk) warning() string {
	if a.from == names.LayerMemory {
		return fmt.Sprintf("name %q is written %q here; the names memory has %q", a.dutch, a.english, a.chosen)
	}
	return fmt.Sprintf("name %q is written %q here and %q elsewhere in the article", a.dutch, a.english, a.chosen)
}

func (a nameAsk) instruction() string {
	return fmt.Sprintf("write the name %q as %q, as the rest of the article does, never %q", a.dutch, a.chosen, a.english)
}

// holdNames gives every name one English form in the article, segments
// from the cache included: where the segments give a Dutch name more
// than one form, or one the names memory has otherwise, the form chosen
// (see names.Layers.Choose) is asked for in one repair request for the
// segments that give another; a repair that does not take (or, with
// AllowPartial, none sent) leaves a warning on the segment. It returns
// the article's names with their forms, and the names it rendered
// otherwise than the memory has them. Only an error no retry can mend
// is returned.
func (t *Translator) holdNames(ctx context.Context, art *pipeline.Article, segs []segmentResult, usage *usageLog) (heldNames, error) {
	type rendering struct {
		forms []names.Form
		segs  map[string][]int // form → segments giving it
	}
	byName := map[string]*rendering{}
	var order []string
	for i, s := range art.Segments {
		if !s.NeedsTranslation() || segs[i].failed != nil {
			continue
		}
		for _, n := range segs[i].names {
			r := byName[n.Dutch]
			if r == nil {
				r = &rendering{segs: map[string][]int{}}
				byName[n.Dutch] = r
				order = append(order, n.Dutch)
			}
			k := slices.IndexFunc(r.forms, func(f names.Form) bool { return f.English == n.English })
			if k < 0 {
				r.forms = append(r.forms, names.Form{English: n.English})
				k = len(r.forms) - 1
			}
			if !slices.Contains(r.segs[n.English], i) {
				r.forms[k].Segments++
				r.segs[n.English] = append(r.segs[n.English], i)
			}
		}
	}
	var held heldNames
	if len(order) == 0 {
		return held, nil
	}
	layers := t.layers()
	chosen := map[string]names.Choice{}
	asks := map[int][]nameAsk{}
	for _, d := range order {
		r := byName[d]
		c := layers.Choose(d, r.forms)
		chosen[d] = c
		for _, f := range r.forms {
			if !names.Repair(r.forms, c, f.English) {
				continue
			}
			if c.From == names.LayerMemory {
				held.conflicts = append(held.conflicts, pipeline.NameConflict{Dutch: d, English: c.English, Other: f.English, From: pipeline.ConflictMemory})
			}
			held.others = append(held.others, nameAsk{dutch: d, english: f.English, chosen: c.English, from: c.From})
			for _, i := range r.segs[f.English] {
				asks[i] = append(asks[i], nameAsk{dutch: d, english: f.English, chosen: c.English, from: c.From})
			}
		}
	}
	if len(asks) > 0 {
		if err := t.repairNames(ctx, art, segs, asks, usage); err != nil {
			return held, err
		}
	}
	// The article's names, each in the form it now has: the chosen one,
	// which the memory may learn from the segments that give it with no
	// warning left.
	for _, d := range order {
		c := chosen[d]
		n := pipeline.ArticleName{Name: pipeline.Name{Dutch: d, English: c.English}}
		for _, s := range segs {
			if s.failed != nil || !slices.Contains(s.names, n.Name) {
				continue
			}
			n.Segments++
			n.Learn = n.Learn || len(s.warnings) == 0
		}
		if n.Segments == 0 {
			continue
		}
		if c.From == names.LayerGlossary {
			n.Learn = false // the glossary is never copied into the memory
		}
		held.names = append(held.names, n)
	}
	return held, nil
}

// heldNames is what holdNames made of an article's names: each with its
// one form, the conflicts with the names memory, and the other forms
// given to names in the article, which its summary must not use either.
type heldNames struct {
	names     []pipeline.ArticleName
	conflicts []pipeline.NameConflict
	others    []nameAsk
}

// summaryProblems are the names a summary writes in a form other than
// the one the article was held to.
func (h heldNames) summaryProblems(s pipeline.Summary) []check.Problem {
	text := strings.Join(append([]string{s.Title, s.Summary}, s.KeyPoints...), "\n")
	var out []check.Problem
	for _, o := range h.others {
		if !check.UsesOutside(text, o.english, o.chosen) {
			continue
		}
		out = append(out, check.Problem{Kind: check.KindName, Source: o.dutch, Want: o.chosen,
			Message:     fmt.Sprintf("name %q is written %q in the summary and %q in the article", o.dutch, o.english, o.chosen),
			Instruction: fmt.Sprintf("write the name %q as %q, as the article does, never %q", o.dutch, o.chosen, o.english)})
	}
	return out
}

// repairNames asks again, in one request (more only past the token
// budget), for the segments whose names are to take another form, and
// keeps each answer that gives every name its chosen form without more
// problems than the segment had; the rest keep their English, with a
// warning for each name. With AllowPartial nothing is sent: the
// segments are warned about.
func (t *Translator) repairNames(ctx context.Context, art *pipeline.Article, segs []segmentResult, asks map[int][]nameAsk, usage *usageLog) error {
	warn := func(i int) {
		for _, a := range asks[i] {
			segs[i].warnings = append(segs[i].warnings, a.warning())
		}
	}
	idx := slices.Sorted(func(yield func(int) bool) {
		for i := range asks {
			if !yield(i) {
				return
			}
		}
	})
	if t.cfg.AllowPartial {
		for _, i := range idx {
			warn(i)
		}
		return nil
	}
	var retry []Unit
	problems := map[string]string{}
	forms := map[string]string{} // Dutch → the chosen form, for the request's names
	for _, i := range idx {
		s := art.Segments[i]
		us := segs[i].units
		if len(us) == 0 {
			// A segment from the cache is asked for whole.
			us = []Unit{{ID: s.ID, SegmentID: s.ID, Kind: s.Kind, Text: s.Text, Tokens: t.count(s.Text)}}
		}
		var ask []string
		for _, a := range asks[i] {
			ask = append(ask, a.instruction())
			forms[a.dutch] = a.chosen
		}
		picked := false
		for _, u := range us {
			if slices.ContainsFunc(asks[i], func(a nameAsk) bool { return strings.Contains(u.Text, a.dutch) }) {
				retry, picked = append(retry, u), true
				problems[u.ID] = strings.Join(ask, "; ")
			}
		}
		if !picked {
			for _, u := range us {
				retry = append(retry, u)
				problems[u.ID] = strings.Join(ask, "; ")
			}
		}
		for _, a := range asks[i] {
			t.log.Info("repairing a name's form", "article", art.Name, "id", s.ID, "name", a.dutch, "form", a.english, "to", a.chosen)
		}
	}
	fixed, err := t.repairUnits(ctx, art, retry, problems, func(text string) string {
		return chosenLines(forms, text, t.memoryNames(text))
	}, usage)
	if err != nil {
		return err
	}
	for _, i := range idx {
		if !t.takeNames(art, segs, i, asks[i], fixed) {
			warn(i)
		}
	}
	return nil
}

// chosenLines are the names a name repair's request carries: the forms
// chosen for the names its text holds, kept ones included (a memory's
// "Zelenski = Zelenski" is what the model is to write), and the
// memory's other names.
func chosenLines(forms map[string]string, text string, memory []pipeline.Name) string {
	var b strings.Builder
	ds := slices.Sorted(func(yield func(string) bool) {
		for d := range forms {
			if !yield(d) {
				return
			}
		}
	})
	for _, d := range ds {
		if strings.Contains(text, d) {
			b.WriteString(d + " = " + forms[d] + "\n")
		}
	}
	for _, n := range memory {
		if _, ok := forms[n.Dutch]; !ok && n.Dutch != n.English {
			b.WriteString(n.Dutch + " = " + n.English + "\n")
		}
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// takeNames puts the repaired English of segment i together from fixed
// and keeps it when every name asked about has its chosen form in it,
// and no other, and the checks find no more in it than they did: it
// reports whether it did.
func (t *Translator) takeNames(art *pipeline.Article, segs []segmentResult, i int, asks []nameAsk, fixed map[string]answer) bool {
	r := &segs[i]
	s := art.Segments[i]
	pieces := slices.Clone(r.pieces)
	pieceNames := slices.Clone(r.pieceNames)
	changed := false
	if len(r.units) == 0 {
		if a, ok := fixed[s.ID]; ok {
			pieces, pieceNames, changed = []string{a.english}, [][]pipeline.Name{a.names}, true
		}
	}
	for k, u := range r.units {
		if a, ok := fixed[u.ID]; ok {
			pieces[k], pieceNames[k], changed = a.english, a.names, true
		}
	}
	if !changed {
		return false
	}
	candidate := joinPieces(slices.Clone(pieces))
	for _, a := range asks {
		if !check.HasWord(candidate, a.chosen) || check.UsesOutside(candidate, a.english, a.chosen) {
			return false
		}
	}
	if j := t.cfg.Judge; j != nil {
		try := checkSegments(art, segs)
		try[i].English = candidate
		if left := j.Article(try).Check(i); len(left) > len(r.warnings) {
			return false
		}
	}
	r.english, r.pieces, r.pieceNames = candidate, pieces, pieceNames
	r.names = nil
	for _, ns := range pieceNames {
		r.names = addNames(r.names, ns)
	}
	// The reply's list may lack a name it was asked about: its English,
	// checked above, is what counts.
	for _, a := range asks {
		r.names = slices.DeleteFunc(r.names, func(n pipeline.Name) bool { return n.Dutch == a.dutch })
		r.names = append(r.names, pipeline.Name{Dutch: a.dutch, English: a.chosen})
	}
	r.renamed = true
	return true
}
