package split

import (
	"math"
	"strings"
	"unicode"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// frontMatter is the YAML front matter at the top of a Markdown file.
type frontMatter struct {
	// end is the offset just after the closing "---" or "..." line.
	end int
	// fields are the front matter's values, ready for JSON.
	fields map[string]any
	// title is the byte range of the "title" value, when the value
	// stands in the file exactly as it reads (no escapes, one line), so
	// that it can be a segment's Text; start == end otherwise.
	title span
}

// maxFrontMatterNodes bounds the values read from front matter: YAML
// aliases can make a few lines stand for millions of values.
const maxFrontMatterNodes = 10000

// readFrontMatter reads YAML front matter from the start of src: a
// "---" line, a YAML mapping whose keys are single words, and a closing
// "---" or "..." line. Static site generators (Hugo, Jekyll, Docusaurus)
// write the title, authors, date and tags there. Anything else at the top
// of a file, such as a thematic break followed by text, is not front
// matter: ok is false.
func readFrontMatter(src string) (fm frontMatter, ok bool) {
	first, _, found := strings.Cut(src, "\n")
	if !found || strings.TrimRight(first, " \t") != "---" {
		return frontMatter{}, false
	}
	body := len(first) + 1
	closing := -1
	for at := body; at < len(src); {
		l, _, _ := strings.Cut(src[at:], "\n")
		if c := strings.TrimRight(l, " \t"); c == "---" || c == "..." {
			closing = at
			fm.end = at + len(l)
			break
		}
		at += len(l) + 1
	}
	if closing < 0 {
		return frontMatter{}, false
	}
	yamlText := src[body:closing]
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(yamlText), &doc); err != nil {
		return frontMatter{}, false
	}
	if doc.Kind == 0 {
		// Nothing between the lines: empty front matter.
		return fm, true
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 || doc.Content[0].Kind != yaml.MappingNode {
		return frontMatter{}, false
	}
	m := doc.Content[0]
	for i := 0; i+1 < len(m.Content); i += 2 {
		if k := m.Content[i]; k.Kind != yaml.ScalarNode || k.Value == "" || strings.ContainsFunc(k.Value, unicode.IsSpace) {
			return frontMatter{}, false
		}
	}
	budget := maxFrontMatterNodes
	fields, _ := yamlValue(m, &budget, 0).(map[string]any)
	if len(fields) > 0 {
		fm.fields = fields
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == "title" {
			if a, b, found := scalarRange(yamlText, m.Content[i+1]); found {
				fm.title = span{start: body + a, end: body + b, hint: hintTitle}
			}
		}
	}
	return fm, true
}

// scalarRange finds the text of a one-line scalar in the YAML it was read
// from, inside its quotes, trimmed. found is false when the value is not
// there as it reads: escaped, folded over lines, or empty.
func scalarRange(text string, n *yaml.Node) (start, end int, found bool) {
	if n.Kind != yaml.ScalarNode || n.Line < 1 || n.Column < 1 || n.Style&(yaml.LiteralStyle|yaml.FoldedStyle|yaml.TaggedStyle) != 0 {
		return 0, 0, false
	}
	at := 0
	for line := 1; line < n.Line; line++ {
		i := strings.IndexByte(text[at:], '\n')
		if i < 0 {
			return 0, 0, false
		}
		at += i + 1
	}
	// Columns count characters, not bytes.
	for col := 1; col < n.Column && at < len(text) && text[at] != '\n'; col++ {
		_, size := utf8.DecodeRuneInString(text[at:])
		at += size
	}
	if n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0 {
		if at >= len(text) || (text[at] != '"' && text[at] != '\'') {
			return 0, 0, false
		}
		at++
	}
	if !strings.HasPrefix(text[at:], n.Value) || strings.ContainsRune(n.Value, '\n') {
		return 0, 0, false
	}
	value := text[at : at+len(n.Value)]
	trimmed := strings.TrimSpace(value)
	if trimmed == "" {
		return 0, 0, false
	}
	start = at + strings.Index(value, trimmed)
	return start, start + len(trimmed), true
}

// yamlValue turns a YAML node into a value that encodes as JSON the way
// it reads: strings (dates and times as written), int64, float64, bool,
// nil, []any and map[string]any. Values past the budget or nested too
// deep are left out.
func yamlValue(n *yaml.Node, budget *int, depth int) any {
	if *budget <= 0 || depth > 32 {
		return nil
	}
	*budget--
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 1 {
			return yamlValue(n.Content[0], budget, depth+1)
		}
		return nil
	case yaml.AliasNode:
		if n.Alias == nil {
			return nil
		}
		return yamlValue(n.Alias, budget, depth+1)
	case yaml.SequenceNode:
		out := make([]any, 0, len(n.Content))
		for _, c := range n.Content {
			out = append(out, yamlValue(c, budget, depth+1))
		}
		return out
	case yaml.MappingNode:
		out := make(map[string]any, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			out[n.Content[i].Value] = yamlValue(n.Content[i+1], budget, depth+1)
		}
		return out
	case yaml.ScalarNode:
		switch n.ShortTag() {
		case "!!null":
			return nil
		case "!!bool":
			var b bool
			if n.Decode(&b) == nil {
				return b
			}
		case "!!int":
			var i int64
			if n.Decode(&i) == nil {
				return i
			}
		case "!!float":
			// JSON has no NaN or infinity: those stay as written.
			var f float64
			if n.Decode(&f) == nil && !math.IsNaN(f) && !math.IsInf(f, 0) {
				return f
			}
		}
		return n.Value
	}
	return nil
}
