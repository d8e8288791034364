package check

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Entry is one glossary term: a Dutch spelling and the English form a
// translation must use for it.
type Entry struct {
	// Source is the term as Dutch news writes it: "Bachmoet", "Tweede Kamer".
	Source string
	// Target is the English form to use: "Bakhmut", "House of
	// Representatives". A target of the form "Statistics Netherlands (CBS)"
	// is also met by either of its parts alone.
	Target string
	// Note is for people. A note containing "also: A; B" names other
	// English forms that the checks accept ("also: Zelenskyy").
	Note string
}

// Also returns the other English forms the entry's note allows.
func (e Entry) Also() []string {
	i := strings.Index(strings.ToLower(e.Note), "also:")
	if i < 0 {
		return nil
	}
	var out []string
	for _, f := range strings.Split(e.Note[i+len("also:"):], ";") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// abbreviatedRE splits "Statistics Netherlands (CBS)" into its two parts.
var abbreviatedRE = regexp.MustCompile(`^(.+?)\s*\(([^()]+)\)$`)

// forms lists every English form that renders the entry.
func (e Entry) forms() []string {
	base := []string{e.Target}
	if m := abbreviatedRE.FindStringSubmatch(e.Target); m != nil {
		base = append(base, m[1], m[2])
	}
	base = append(base, e.Also()...)
	var out []string
	for _, f := range base {
		out = append(out, f)
		if strings.HasPrefix(f, "Saint ") {
			rest := strings.TrimPrefix(f, "Saint ")
			out = append(out, "St "+rest, "St. "+rest)
		}
	}
	return out
}

// RenderedIn reports whether translation uses the entry's English form (or
// one the entry accepts). Case and diacritics are ignored except for
// acronyms ("US" is not "us"), and the usual English derivations count:
// "Russia's" and "Russian" render Russia, "Ukrainian" renders Ukraine.
func (e Entry) RenderedIn(translation string) bool {
	return e.renderings().in(translation, fold(translation))
}

// renderings are the forms that render an entry, as RenderedIn matches
// them: acronyms as written, every other form folded, with its
// derivations.
type renderings struct {
	acronyms, folded []string
}

func (e Entry) renderings() renderings {
	var r renderings
	for _, f := range e.forms() {
		if isAcronym(f) {
			r.acronyms = append(r.acronyms, f)
			continue
		}
		r.folded = append(r.folded, derivations(fold(f))...)
	}
	return r
}

// in reports whether translation, whose fold is folded, has one of the
// renderings.
func (r renderings) in(translation, folded string) bool {
	for _, f := range r.acronyms {
		if hasWord(translation, f) {
			return true
		}
	}
	for _, v := range r.folded {
		if hasForm(folded, v) {
			return true
		}
	}
	return false
}

// isAcronym reports whether s is a short all-capitals abbreviation.
func isAcronym(s string) bool {
	if utf8.RuneCountInString(s) > 6 {
		return false
	}
	letters := 0
	for _, r := range s {
		switch {
		case unicode.IsUpper(r):
			letters++
		case unicode.IsDigit(r) || r == '.' || r == '&':
		default:
			return false
		}
	}
	return letters > 0
}

// derivations gives the adjective and demonym forms English builds from a
// one-word place name: "ukraine" → "ukrainian", "belgium" → "belgian".
func derivations(f string) []string {
	out := []string{f}
	if strings.ContainsAny(f, " -") || utf8.RuneCountInString(f) < 4 {
		return out
	}
	switch {
	case strings.HasSuffix(f, "e"), strings.HasSuffix(f, "y"):
		out = append(out, f[:len(f)-1]+"ian")
	case strings.HasSuffix(f, "um"):
		out = append(out, f[:len(f)-2]+"an")
	case strings.HasSuffix(f, "o"):
		out = append(out, f[:len(f)-1]+"an")
	}
	return out
}

// formSuffixes are the letters English may add to a name and still be
// using it: plurals, genitives without apostrophe, demonyms.
var formSuffixes = map[string]bool{"": true, "s": true, "n": true, "ns": true, "an": true, "ans": true, "ian": true, "ians": true}

// hasForm reports whether the folded form occurs in the folded text,
// starting at a word boundary and followed by a boundary or one of
// formSuffixes.
func hasForm(text, form string) bool {
	if form == "" {
		return false
	}
	for off := 0; off < len(text); {
		i := strings.Index(text[off:], form)
		if i < 0 {
			return false
		}
		i += off
		if !isWordRune(runeBefore(text, i)) {
			j := i + len(form)
			k := j
			for k < len(text) {
				r, size := utf8.DecodeRuneInString(text[k:])
				if !unicode.IsLetter(r) {
					break
				}
				k += size
			}
			if formSuffixes[text[j:k]] {
				return true
			}
		}
		_, size := utf8.DecodeRuneInString(text[i:])
		off = i + size
	}
	return false
}

// Glossary is a list of terms with fixed English forms. The zero value is
// an empty glossary. A Glossary is never changed after it is made, so it
// may be shared between goroutines.
type Glossary struct {
	entries []Entry
	// terms are the spellings find looks for, and renderings the forms
	// that render each entry, worked out once: see newGlossary.
	terms      termIndex
	renderings []renderings
	bySource   map[string]int
}

// termIndex finds which of many terms start at a place in a text without
// searching the text for each: the terms are filed under their first
// bytes (all of them, for a term shorter than termKey).
type termIndex struct {
	byKey map[string][]term
	short bool // some term is shorter than termKey
	// first marks the bytes a term starts with: most places in a text
	// start none, and are passed over without a lookup.
	first [256]bool
}

// termKey is how many of a term's first bytes file it.
const termKey = 3

// term is one spelling of a glossary entry.
type term struct {
	text  string
	entry int
}

func (x *termIndex) add(t term) {
	if t.text == "" {
		return // never found
	}
	if x.byKey == nil {
		x.byKey = make(map[string][]term)
	}
	k := t.text[:min(len(t.text), termKey)]
	x.byKey[k] = append(x.byKey[k], t)
	x.short = x.short || len(t.text) < termKey
	x.first[t.text[0]] = true
}

// at appends to all the terms found at text[i:] that end as a term ends.
func (x *termIndex) at(text string, i int, all []match) []match {
	if !x.first[text[i]] {
		return all
	}
	shortest := termKey
	if x.short {
		shortest = 1
	}
	for n := min(termKey, len(text)-i); n >= shortest; n-- {
		for _, t := range x.byKey[text[i:i+n]] {
			j := i + len(t.text)
			if strings.HasPrefix(text[i:], t.text) && termEnds(text, j, t.text) {
				all = append(all, match{i, j, t.entry})
			}
		}
	}
	return all
}

// newGlossary makes a glossary of entries, with the spellings each is
// found by: as written; a lower-case term ("ministerie van Defensie") also
// capitalised, as it may open a sentence; a term of more than three
// letters also in capitals, as datelines shout ("DEN HAAG -", "MOSKOU
// (AP) -").
func newGlossary(entries []Entry) Glossary {
	g := Glossary{entries: entries, renderings: make([]renderings, len(entries)), bySource: make(map[string]int, len(entries))}
	for i, e := range entries {
		g.bySource[e.Source] = i
		for _, v := range spellings(e.Source) {
			g.terms.add(term{v, i})
		}
		g.renderings[i] = e.renderings()
	}
	return g
}

func spellings(term string) []string {
	out := []string{term}
	if r, size := utf8.DecodeRuneInString(term); unicode.IsLower(r) {
		out = append(out, string(unicode.ToUpper(r))+term[size:])
	}
	if up := strings.ToUpper(term); up != term && utf8.RuneCountInString(term) > 3 {
		out = append(out, up)
	}
	return out
}

// Entries returns a copy of the entries, in the order they were given.
func (g Glossary) Entries() []Entry {
	return append([]Entry(nil), g.entries...)
}

// Lookup returns the entry of a Dutch term, as the glossary writes it.
func (g Glossary) Lookup(term string) (Entry, bool) {
	i, ok := g.bySource[term]
	if !ok {
		return Entry{}, false
	}
	return g.entries[i], true
}

// Len returns the number of entries.
func (g Glossary) Len() int { return len(g.entries) }

// LineError is a line of a glossary or style file that could not be
// read.
type LineError struct {
	// What names the kind of file: "" for a glossary, "style file".
	What string
	File string // the file's name as given
	Line int    // 1-based
	Msg  string
}

func (e *LineError) Error() string {
	what := e.What
	if what == "" {
		what = "glossary"
	}
	return fmt.Sprintf("%s %s line %d: %s", what, e.File, e.Line, e.Msg)
}

// Load reads the glossary file name from fsys, such as the built-in
// prompts/glossary.tsv.
func Load(fsys fs.FS, name string) (Glossary, error) {
	b, err := fs.ReadFile(fsys, name)
	if err != nil {
		return Glossary{}, fmt.Errorf("read glossary: %w", err)
	}
	return Parse(bytes.NewReader(b), name)
}

// LoadFile reads a user's glossary, in CSV or TSV.
func LoadFile(path string) (Glossary, error) {
	f, err := os.Open(path)
	if err != nil {
		return Glossary{}, fmt.Errorf("read glossary: %w", err)
	}
	defer f.Close()
	return Parse(f, path)
}

// Parse reads a glossary of lines "source, target, note" (note optional).
// The format follows name's extension (.tsv or .tab: tabs; .csv: commas,
// or semicolons when the first line has them and no commas); for any
// other name it is told from the first line, tabs winning. An optional
// first line "source, target, note" is a header. Blank lines and lines
// starting with # are skipped. Errors name the file and line, as a
// [*LineError] when a line is at fault.
func Parse(r io.Reader, name string) (Glossary, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return Glossary{}, fmt.Errorf("read glossary %s: %w", name, err)
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	sep := separator(data, name)
	var recs []record
	if sep == '\t' {
		recs = splitTSV(data)
	} else {
		recs, err = splitCSV(data, sep, name)
		if err != nil {
			return Glossary{}, err
		}
	}
	var entries []Entry
	firstLine := make(map[string]int)
	for i, rec := range recs {
		fields := rec.fields
		for len(fields) > 2 && strings.TrimSpace(fields[len(fields)-1]) == "" {
			fields = fields[:len(fields)-1]
		}
		for j := range fields {
			fields[j] = strings.TrimSpace(fields[j])
		}
		if i == 0 && isHeader(fields) {
			continue
		}
		bad := func(format string, args ...any) error {
			return &LineError{File: name, Line: rec.line, Msg: fmt.Sprintf(format, args...)}
		}
		switch {
		case len(fields) < 2:
			return Glossary{}, bad("want source and target separated by %s, got %q", sepName(sep), strings.Join(rec.fields, string(sep)))
		case len(fields) > 3:
			return Glossary{}, bad("want at most 3 columns (source, target, note), got %d", len(fields))
		case fields[0] == "":
			return Glossary{}, bad("source term is empty")
		case fields[1] == "":
			return Glossary{}, bad("target for %q is empty", fields[0])
		}
		if first, dup := firstLine[fields[0]]; dup {
			return Glossary{}, bad("%q is already on line %d", fields[0], first)
		}
		firstLine[fields[0]] = rec.line
		e := Entry{Source: fields[0], Target: fields[1]}
		if len(fields) == 3 {
			e.Note = fields[2]
		}
		entries = append(entries, e)
	}
	return newGlossary(entries), nil
}

type record struct {
	line   int
	fields []string
}

func sepName(sep rune) string {
	switch sep {
	case '\t':
		return "a tab"
	case ';':
		return "a semicolon"
	}
	return "a comma"
}

// separator decides between tab, comma and semicolon.
func separator(data []byte, name string) rune {
	ext := strings.ToLower(filepath.Ext(name))
	if ext == ".tsv" || ext == ".tab" {
		return '\t'
	}
	var first string
	for _, line := range strings.Split(string(data), "\n") {
		t := strings.TrimSpace(line)
		if t != "" && !strings.HasPrefix(t, "#") {
			first = line
			break
		}
	}
	if ext != ".csv" && strings.Contains(first, "\t") {
		return '\t'
	}
	if strings.Contains(first, ";") && !strings.Contains(first, ",") {
		return ';'
	}
	return ','
}

func splitTSV(data []byte) []record {
	var out []record
	for i, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSuffix(line, "\r")
		t := strings.TrimSpace(line)
		if t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		out = append(out, record{line: i + 1, fields: strings.Split(line, "\t")})
	}
	return out
}

func splitCSV(data []byte, sep rune, name string) ([]record, error) {
	cr := csv.NewReader(bytes.NewReader(data))
	cr.Comma = sep
	cr.Comment = '#'
	cr.FieldsPerRecord = -1
	var out []record
	for {
		fields, err := cr.Read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, &LineError{File: name, Line: pe.StartLine, Msg: pe.Err.Error()}
			}
			return nil, fmt.Errorf("read glossary %s: %w", name, err)
		}
		line, _ := cr.FieldPos(0)
		if len(fields) == 1 && strings.TrimSpace(fields[0]) == "" {
			continue
		}
		out = append(out, record{line: line, fields: fields})
	}
}

func isHeader(fields []string) bool {
	if len(fields) < 2 {
		return false
	}
	a, b := strings.ToLower(fields[0]), strings.ToLower(fields[1])
	return (a == "source" || a == "dutch" || a == "nl") && (b == "target" || b == "english" || b == "en")
}

// Merge returns base with user's entries added; where both have the same
// source term, the user's entry wins and keeps base's position.
func Merge(base, user Glossary) Glossary {
	out := make([]Entry, 0, len(base.entries)+len(user.entries))
	at := make(map[string]int, len(base.entries))
	for _, e := range base.entries {
		at[e.Source] = len(out)
		out = append(out, e)
	}
	for _, e := range user.entries {
		if i, ok := at[e.Source]; ok {
			out[i] = e
			continue
		}
		at[e.Source] = len(out)
		out = append(out, e)
	}
	return newGlossary(out)
}

// match is one occurrence of an entry's source term in a text.
type match struct {
	start, end int // byte offsets of the term, without inflection
	entry      int // index into the glossary's entries
}

// find returns the occurrences of the glossary's terms in text, in text
// order. Where terms overlap the one starting first wins, and of those
// the longest, so "Sint-Petersburg" is not also "Petersburg".
func (g Glossary) find(text string) []match {
	var all []match
	for i := 0; i < len(text); {
		_, size := utf8.DecodeRuneInString(text[i:])
		if g.terms.first[text[i]] && !isWordRune(runeBefore(text, i)) {
			all = g.terms.at(text, i, all)
		}
		i += size
	}
	// Leftmost-longest: at each place the longest term wins, and a term
	// starting inside one already taken is dropped.
	sort.Slice(all, func(a, b int) bool {
		if all[a].start != all[b].start {
			return all[a].start < all[b].start
		}
		if all[a].end != all[b].end {
			return all[a].end > all[b].end
		}
		return all[a].entry < all[b].entry
	})
	var kept []match
	for _, m := range all {
		if len(kept) > 0 && m.start < kept[len(kept)-1].end {
			continue
		}
		kept = append(kept, m)
	}
	return kept
}

// termEnds reports whether a term found at text[:j] ends there as Dutch
// writes it: at a word boundary, before a hyphenated compound
// ("Loehansk-regio") or apostrophe, or with a genitive s ("Ruslands",
// "Bachmoets").
func termEnds(text string, j int, term string) bool {
	r := runeAt(text, j)
	if !isWordRune(r) {
		return true
	}
	if r == 's' && !strings.HasSuffix(term, "s") && !isWordRune(runeAt(text, j+1)) {
		last, _ := utf8.DecodeLastRuneInString(term)
		return unicode.IsLetter(last) && !unicode.IsUpper(last)
	}
	return false
}

// Matching returns the entries whose source term occurs in text, in the
// order they first occur, each once. Terms are matched case-sensitively
// at word boundaries, also inside hyphenated compounds and with a
// genitive s; a term written in lower case also matches with a capital
// at the start of a sentence. Links, @handles and hashtags are not
// searched, since they are never translated.
func (g Glossary) Matching(text string) []Entry {
	var out []Entry
	seen := make(map[int]bool)
	for _, m := range g.find(blankLinks(text)) {
		if !seen[m.entry] {
			seen[m.entry] = true
			out = append(out, g.entries[m.entry])
		}
	}
	return out
}
