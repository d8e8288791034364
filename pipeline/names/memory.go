package names

import (
	"bytes"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// File is the names memory's file in an output folder.
const File = "names.tsv"

// Header is the memory file's first line.
const Header = "dutch\tenglish\tseen\tfirst_seen_in"

// Entry is one name of the memory: its Dutch form, the English form
// learned for it, in how many articles it was rendered so, and the
// article it was first learned from.
type Entry struct {
	Dutch       string `json:"dutch"`
	English     string `json:"english"`
	Seen        int    `json:"seen"`
	FirstSeenIn string `json:"first_seen_in"`
}

// Memory is the names memory as read from its file. It is never changed
// once read, so it may be shared between goroutines; the zero value and
// nil are an empty memory.
type Memory struct {
	// lines are the file's lines as read, each with the entry it holds
	// (-1 for a comment or a blank line), so that rewriting the file
	// keeps what people wrote in it.
	lines   []line
	entries []Entry
	byDutch map[string]int
	// byFirst files the entries by the first word of their Dutch form,
	// so that the names a text holds are found with one lookup a word.
	byFirst map[string][]int
}

type line struct {
	raw   string
	entry int
}

// LineError is a line of the memory file that could not be read.
type LineError struct {
	File string
	Line int
	Msg  string
}

func (e *LineError) Error() string {
	return fmt.Sprintf("names memory %s line %d: %s", e.File, e.Line, e.Msg)
}

// Parse reads a names memory file (name is its path, for errors): the
// header, then lines "dutch<TAB>english[<TAB>seen[<TAB>first_seen_in]]".
// Blank lines and lines starting with # are kept as they are and
// skipped. A line that cannot be read is a [*LineError].
func Parse(r io.Reader, name string) (*Memory, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("read names memory %s: %w", name, err)
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	m := &Memory{byDutch: map[string]int{}, byFirst: map[string][]int{}}
	text := strings.TrimSuffix(string(data), "\n")
	if text == "" {
		return m, nil
	}
	header := false
	for i, raw := range strings.Split(text, "\n") {
		raw = strings.TrimSuffix(raw, "\r")
		t := strings.TrimSpace(raw)
		if t == "" || strings.HasPrefix(t, "#") {
			m.lines = append(m.lines, line{raw: raw, entry: -1})
			continue
		}
		fields := strings.Split(raw, "\t")
		for j := range fields {
			fields[j] = strings.TrimSpace(fields[j])
		}
		if !header && len(m.entries) == 0 && strings.EqualFold(fields[0], "dutch") && len(fields) > 1 && strings.EqualFold(fields[1], "english") {
			header = true
			continue // written again on every rewrite
		}
		bad := func(format string, args ...any) error {
			return &LineError{File: name, Line: i + 1, Msg: fmt.Sprintf(format, args...)}
		}
		switch {
		case len(fields) < 2:
			return nil, bad("want the Dutch and the English form separated by a tab, got %q", t)
		case len(fields) > 4:
			return nil, bad("want at most 4 columns (%s), got %d", strings.ReplaceAll(Header, "\t", ", "), len(fields))
		case fields[0] == "":
			return nil, bad("the Dutch form is empty")
		case fields[1] == "":
			return nil, bad("the English form of %q is empty", fields[0])
		}
		e := Entry{Dutch: fields[0], English: fields[1]}
		if len(fields) > 2 && fields[2] != "" {
			n, err := strconv.Atoi(fields[2])
			if err != nil || n < 0 {
				return nil, bad("seen %q is not a count", fields[2])
			}
			e.Seen = n
		}
		if len(fields) > 3 {
			e.FirstSeenIn = fields[3]
		}
		if at, dup := m.byDutch[e.Dutch]; dup {
			return nil, bad("%q is already on line %d", e.Dutch, m.lineOf(at))
		}
		m.add(e, raw)
	}
	return m, nil
}

// lineOf is the 1-based line of entry k, counting the header.
func (m *Memory) lineOf(k int) int {
	for i, l := range m.lines {
		if l.entry == k {
			return i + 2
		}
	}
	return 0
}

func (m *Memory) add(e Entry, raw string) {
	k := len(m.entries)
	m.entries = append(m.entries, e)
	m.lines = append(m.lines, line{raw: raw, entry: k})
	m.byDutch[e.Dutch] = k
	w := firstWord(e.Dutch)
	m.byFirst[w] = append(m.byFirst[w], k)
}

// Len returns the number of names.
func (m *Memory) Len() int {
	if m == nil {
		return 0
	}
	return len(m.entries)
}

// Entries returns a copy of the names, in the file's order.
func (m *Memory) Entries() []Entry {
	if m == nil {
		return nil
	}
	return slices.Clone(m.entries)
}

// Lookup returns the English form learned for a Dutch name.
func (m *Memory) Lookup(dutch string) (string, bool) {
	if m == nil {
		return "", false
	}
	k, ok := m.byDutch[dutch]
	if !ok {
		return "", false
	}
	return m.entries[k].English, true
}

// Matching returns the names the memory has that text holds, each once,
// in the order they first occur: a name is found at a word's start and
// ends where a word ends (a genitive "'s" after it is no part of it);
// where two start at the same word, the longer wins ("Jan de Vries"
// over "Jan").
func (m *Memory) Matching(text string) []Entry {
	if m.Len() == 0 {
		return nil
	}
	var out []Entry
	seen := map[int]bool{}
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		if !isWordRune(r) || (i > 0 && isWordRune(lastRune(text[:i]))) {
			i += size
			continue
		}
		j := i + size
		for j < len(text) {
			r, s := utf8.DecodeRuneInString(text[j:])
			if !isWordRune(r) {
				break
			}
			j += s
		}
		best, bestLen := -1, 0
		for _, k := range m.byFirst[text[i:j]] {
			d := m.entries[k].Dutch
			if len(d) > bestLen && strings.HasPrefix(text[i:], d) && !isWordRune(firstRune(text[i+len(d):])) {
				best, bestLen = k, len(d)
			}
		}
		if best >= 0 {
			if !seen[best] {
				seen[best] = true
				out = append(out, m.entries[best])
			}
			j = i + bestLen
		}
		i = j
	}
	return out
}

// Format writes the memory file: the header, then every line as it was
// read (comments too), with entries changed since written anew, and the
// added entries after them.
func (m *Memory) format() []byte {
	var b bytes.Buffer
	b.WriteString(Header + "\n")
	for _, l := range m.lines {
		if l.entry < 0 {
			b.WriteString(l.raw + "\n")
			continue
		}
		if l.raw != "" {
			b.WriteString(l.raw + "\n")
			continue
		}
		e := m.entries[l.entry]
		fmt.Fprintf(&b, "%s\t%s\t%d\t%s\n", clean(e.Dutch), clean(e.English), e.Seen, clean(e.FirstSeenIn))
	}
	return b.Bytes()
}

// clean keeps tabs and line breaks out of a field.
func clean(s string) string {
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool { return r == '\t' || r == '\n' || r == '\r' }), " ")
}

func firstWord(s string) string {
	for i, r := range s {
		if !isWordRune(r) {
			return s[:i]
		}
	}
	return s
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.M, r)
}

func firstRune(s string) rune {
	if s == "" {
		return -1
	}
	r, _ := utf8.DecodeRuneInString(s)
	return r
}

func lastRune(s string) rune {
	if s == "" {
		return -1
	}
	r, _ := utf8.DecodeLastRuneInString(s)
	return r
}
