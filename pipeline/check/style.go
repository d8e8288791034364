package check

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode"

	"github.com/nl2en/nl2en/pipeline/dutch"
)

// StyleLine is one rule of a newsroom's house style, in English: the form
// it writes, the form it avoids, and why ("Kyiv", "Kiev", "the city's own
// spelling").
type StyleLine struct {
	Prefer string
	Avoid  string
	Note   string
}

// Style is a house style: English forms a newsroom writes in place of
// others ("per cent" for "percent", "the Netherlands" for "Holland").
// Where a style and the variety of English disagree, the style wins. The
// zero value is no style. A Style is never changed after it is made.
type Style struct {
	lines []StyleLine
	// avoid and prefer are the lines' forms folded, as a translation
	// and a text's vocabulary are searched for them.
	avoid, prefer []string
}

// Lines returns a copy of the style's lines, in the file's order.
func (s Style) Lines() []StyleLine { return append([]StyleLine(nil), s.lines...) }

// Len returns the number of lines.
func (s Style) Len() int { return len(s.lines) }

// LoadStyle reads a house style file.
func LoadStyle(path string) (Style, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return Style{}, err
	}
	return ParseStyle(bytes.NewReader(b), path)
}

// ParseStyle reads a house style of lines "prefer<TAB>avoid[<TAB>note]",
// in English: "Kyiv	Kiev", "per cent	percent". Blank lines and lines
// starting with # are skipped, and a first line "prefer	avoid[	note]" is
// a header. A line that cannot be read is a [*LineError] naming the file
// (name) and the line.
func ParseStyle(r io.Reader, name string) (Style, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return Style{}, fmt.Errorf("read style file %s: %w", name, err)
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	var st Style
	avoided := map[string]int{}
	first := true
	for i, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSuffix(line, "\r")
		t := strings.TrimSpace(line)
		if t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		fields := strings.Split(line, "\t")
		for len(fields) > 2 && strings.TrimSpace(fields[len(fields)-1]) == "" {
			fields = fields[:len(fields)-1]
		}
		for j := range fields {
			fields[j] = strings.TrimSpace(fields[j])
		}
		header := first && len(fields) >= 2 && strings.EqualFold(fields[0], "prefer") && strings.EqualFold(fields[1], "avoid")
		first = false
		if header {
			continue
		}
		bad := func(format string, args ...any) error {
			return &LineError{What: "style file", File: name, Line: i + 1, Msg: fmt.Sprintf(format, args...)}
		}
		switch {
		case len(fields) < 2:
			return Style{}, bad("want the form to write and the form to avoid, separated by a tab, got %q", t)
		case len(fields) > 3:
			return Style{}, bad("want at most 3 columns (prefer, avoid, note), got %d", len(fields))
		case fields[0] == "":
			return Style{}, bad("the form to write is empty")
		case fields[1] == "":
			return Style{}, bad("the form to avoid is empty")
		case strings.EqualFold(fields[0], fields[1]):
			return Style{}, bad("%q is both the form to write and the one to avoid", fields[0])
		}
		key := fold(fields[1])
		if at, dup := avoided[key]; dup {
			return Style{}, bad("%q is already avoided on line %d", fields[1], at)
		}
		avoided[key] = i + 1
		l := StyleLine{Prefer: fields[0], Avoid: fields[1]}
		if len(fields) == 3 {
			l.Note = fields[2]
		}
		st.lines = append(st.lines, l)
		st.prefer = append(st.prefer, fold(l.Prefer))
		st.avoid = append(st.avoid, fold(l.Avoid))
	}
	return st, nil
}

// Preferred returns the form the style writes in place of form, and
// whether it avoids form at all.
func (s Style) Preferred(form string) (string, bool) {
	f := fold(strings.TrimSpace(form))
	for i, a := range s.avoid {
		if a == f {
			return s.lines[i].Prefer, true
		}
	}
	return "", false
}

// Prefers reports whether the style writes form.
func (s Style) Prefers(form string) bool {
	f := fold(strings.TrimSpace(form))
	for _, p := range s.prefer {
		if p == f {
			return true
		}
	}
	return false
}

// StyleLines returns the lines of the house style a request carrying
// the Dutch text must tell the model: those whose form to write or to
// avoid is a word of the text, or of the English it is expected to
// hold: its glossary terms' and places' English forms, and the words
// English writes its percentages and times with ("per cent", "a.m.").
func (c *Checker) StyleLines(text string) []StyleLine {
	if len(c.style.lines) == 0 {
		return nil
	}
	vocab := c.vocabulary(text)
	var out []StyleLine
	for i, l := range c.style.lines {
		if inVocabulary(vocab, c.style.prefer[i]) || inVocabulary(vocab, c.style.avoid[i]) {
			out = append(out, l)
		}
	}
	return out
}

// vocabulary is what a translation of the Dutch text may be expected to
// say, folded: the text itself, the English of its glossary terms and
// places, and the words of its percentages and times.
func (c *Checker) vocabulary(text string) string {
	var b strings.Builder
	b.WriteString(text)
	for _, e := range c.g.Matching(text) {
		b.WriteString("\n" + e.Target)
	}
	src := blankLinks(text)
	for _, w := range nameTokens(src) {
		t := src[w[0]:w[1]]
		if r := []rune(t); len(r) < 4 || !unicode.IsUpper(r[0]) {
			continue
		}
		for _, p := range dutch.PlacesOf(t) {
			b.WriteString("\n" + strings.Join(p.English.Names, "\n"))
			b.WriteString("\n" + strings.Join(p.English.Adjectives, "\n"))
		}
	}
	percent, clock := false, false
	for _, m := range dutchMentions(text) {
		percent = percent || m.percent
		clock = clock || m.q.kind == qTime
	}
	if percent {
		b.WriteString("\n% per cent percent percentage pct")
	}
	if clock {
		b.WriteString("\nam pm a.m. p.m. noon midnight o'clock")
	}
	return fold(b.String())
}

// inVocabulary reports whether the folded form is in the folded
// vocabulary: at word boundaries, for a form that starts and ends with
// letters.
func inVocabulary(vocab, form string) bool {
	if form == "" {
		return false
	}
	r := []rune(form)
	if !isWordRune(r[0]) || !isWordRune(r[len(r)-1]) {
		return strings.Contains(vocab, form)
	}
	return hasWord(vocab, form)
}

// styleProblems reports the forms the house style avoids that the
// translation uses, but for those inside a form it writes ("Kyiv Oblast"
// is no "Kyiv" to avoid where "Kyiv Oblast" is the style's).
func (c *Checker) styleProblems(translation string) []Problem { return c.style.Breaches(translation) }

// Breaches are the problems of an English text that writes forms the
// style avoids, one for each line it breaks.
func (s Style) Breaches(english string) []Problem {
	if len(s.lines) == 0 {
		return nil
	}
	ft := fold(blankLinks(english))
	var out []Problem
	for i, l := range s.lines {
		if !usesForm(ft, s.avoid[i], s.prefer[i]) {
			continue
		}
		out = append(out, Problem{Kind: KindStyle, Source: l.Avoid, Want: l.Prefer,
			Message:     fmt.Sprintf("house style: %q should be %s", l.Avoid, l.Prefer),
			Instruction: fmt.Sprintf("the newsroom's house style writes %q, never %q: use %q", l.Prefer, l.Avoid, l.Prefer)})
	}
	return out
}

// usesForm reports whether the folded text has the folded form avoid at
// word boundaries outside every occurrence of prefer.
func usesForm(text, avoid, prefer string) bool {
	word := func(s string) bool {
		r := []rune(s)
		return len(r) > 0 && isWordRune(r[0]) && isWordRune(r[len(r)-1])
	}
	for off := 0; off < len(text); {
		i := strings.Index(text[off:], avoid)
		if i < 0 {
			return false
		}
		i += off
		j := i + len(avoid)
		off = i + 1
		if word(avoid) && (isWordRune(runeBefore(text, i)) || isWordRune(runeAt(text, j))) {
			continue
		}
		inside := false
		for k := max(0, i-len(prefer)); k <= i && !inside; k++ {
			inside = strings.HasPrefix(text[k:], prefer) && k+len(prefer) >= j
		}
		if !inside {
			return true
		}
	}
	return false
}
