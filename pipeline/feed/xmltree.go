package feed

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"html"
	"io"
	"net/url"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// node is an XML element read loosely: elements are matched by their
// local name only, so a feed whose namespace prefixes are bound to the
// wrong URIs (or not bound at all) reads as its author meant.
type node struct {
	name     string // local name, lowercased
	attrs    map[string]string
	text     strings.Builder
	children []*node
	// mixed lists text and child elements in order, for elements whose
	// content is markup (an RSS description holding unescaped HTML, Atom
	// type="xhtml").
	mixed []any // string or *node
	base  *url.URL
	lang  string
}

// attr returns an attribute by local name ("base" for xml:base).
func (n *node) attr(name string) string { return n.attrs[name] }

// child returns the first child with one of the local names.
func (n *node) child(names ...string) *node {
	for _, c := range n.children {
		for _, name := range names {
			if c.name == name {
				return c
			}
		}
	}
	return nil
}

// all returns the children with the local name.
func (n *node) all(name string) []*node {
	var out []*node
	for _, c := range n.children {
		if c.name == name {
			out = append(out, c)
		}
	}
	return out
}

// value is the trimmed text of the first child with one of the names.
func (n *node) value(names ...string) string {
	if c := n.child(names...); c != nil {
		return strings.TrimSpace(c.text.String())
	}
	return ""
}

// inner is the element's content as markup: its text when it has no
// child elements (an escaped or CDATA HTML string comes out as the HTML),
// else text and elements serialised again.
func (n *node) inner() string {
	if len(n.children) == 0 {
		return n.text.String()
	}
	var b strings.Builder
	for _, m := range n.mixed {
		switch m := m.(type) {
		case string:
			b.WriteString(html.EscapeString(m))
		case *node:
			m.outer(&b)
		}
	}
	return b.String()
}

func (n *node) outer(b *strings.Builder) {
	b.WriteString("<" + n.name)
	for k, v := range n.attrs {
		if k == "xmlns" || strings.HasPrefix(k, "xmlns:") {
			continue
		}
		fmt.Fprintf(b, " %s=\"%s\"", k, html.EscapeString(v))
	}
	b.WriteString(">")
	b.WriteString(n.inner())
	b.WriteString("</" + n.name + ">")
}

// autoClose are the void elements of HTML written unclosed inside
// descriptions ("<br>"); xml.HTMLAutoClose without "link", which in a
// feed holds the item's address.
var autoClose = []string{"br", "img", "hr", "area", "base", "basefont", "col", "frame", "input", "isindex", "meta", "param", "wbr", "source", "track"}

// maxDepth bounds how deep elements may nest: a feed is shallow, and a
// hostile one must not exhaust the stack.
const maxDepth = 256

// parseXML reads a document into a tree. base is the document's URL, the
// root of xml:base.
func parseXML(data []byte, base *url.URL) (*node, error) {
	data = toUTF8(data)
	root, err := decodeTree(data, base)
	var se *xml.SyntaxError
	if err != nil && errors.As(err, &se) && strings.Contains(se.Msg, "UTF-8") {
		// Declared UTF-8 but written in Windows-1252, as some CMSs do.
		root, err = decodeTree(latin1Fix(data), base)
	}
	return root, err
}

func decodeTree(data []byte, base *url.URL) (*node, error) {
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = false
	d.AutoClose = autoClose
	d.Entity = xml.HTMLEntity
	d.CharsetReader = charsetReader
	var stack []*node
	var root *node
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			if root != nil && len(stack) == 0 {
				break // trailing garbage after the document
			}
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if len(stack) >= maxDepth {
				return nil, fmt.Errorf("elements nested deeper than %d", maxDepth)
			}
			n := &node{name: strings.ToLower(t.Name.Local), attrs: map[string]string{}}
			for _, a := range t.Attr {
				key := strings.ToLower(a.Name.Local)
				if a.Name.Space != "" && a.Name.Space != "xmlns" && key != "base" && key != "lang" {
					// media:url and url are the same to a loose reader,
					// but an unprefixed attribute wins.
					if _, ok := n.attrs[key]; ok {
						continue
					}
				}
				if a.Name.Space == "xmlns" {
					key = "xmlns:" + key
				}
				n.attrs[key] = a.Value
			}
			if len(stack) > 0 {
				parent := stack[len(stack)-1]
				n.base, n.lang = parent.base, parent.lang
				parent.children = append(parent.children, n)
				parent.mixed = append(parent.mixed, n)
			} else {
				n.base = base
				root = n
			}
			if b := strings.TrimSpace(n.attrs["base"]); b != "" {
				if u, err := resolve(n.base, b); err == nil {
					n.base = u
				}
			}
			if l := strings.TrimSpace(n.attrs["lang"]); l != "" {
				n.lang = l
			}
			stack = append(stack, n)
		case xml.EndElement:
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
		case xml.CharData:
			if len(stack) > 0 {
				n := stack[len(stack)-1]
				n.text.Write(t)
				n.mixed = append(n.mixed, string(t))
			}
		}
	}
	if root == nil {
		return nil, errors.New("no XML element")
	}
	return root, nil
}

// resolve resolves ref against base, which may be nil.
func resolve(base *url.URL, ref string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(ref))
	if err != nil {
		return nil, err
	}
	if base == nil {
		return u, nil
	}
	return base.ResolveReference(u), nil
}

// charsetReader decodes the encodings Dutch and Belgian feeds declare
// besides UTF-8. ISO-8859-1 is read as Windows-1252, as browsers do:
// feeds that declare it write curly quotes and the euro sign in the
// bytes Windows-1252 gives them.
func charsetReader(charset string, input io.Reader) (io.Reader, error) {
	switch strings.ToLower(strings.TrimSpace(charset)) {
	case "utf-8", "utf8", "us-ascii", "ascii", "utf-16", "utf-16le", "utf-16be":
		return input, nil // UTF-16 was turned into UTF-8 before parsing
	case "iso-8859-1", "iso8859-1", "iso_8859-1", "latin1", "latin-1", "l1", "windows-1252", "cp1252", "x-cp1252":
		return transform.NewReader(input, charmap.Windows1252.NewDecoder()), nil
	case "iso-8859-15", "iso8859-15", "latin9", "latin-9":
		return transform.NewReader(input, charmap.ISO8859_15.NewDecoder()), nil
	}
	return nil, fmt.Errorf("unsupported character set %q", charset)
}

// toUTF8 turns a UTF-16 document (told by its byte-order mark) into
// UTF-8, and drops a UTF-8 byte-order mark.
func toUTF8(data []byte) []byte {
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		return data[3:]
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}), bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		out, _, err := transform.Bytes(unicode.UTF16(unicode.BigEndian, unicode.UseBOM).NewDecoder(), data)
		if err == nil {
			return out
		}
	}
	return data
}

// latin1Fix reads bytes that are not valid UTF-8 as Windows-1252.
func latin1Fix(data []byte) []byte {
	var b bytes.Buffer
	b.Grow(len(data))
	for len(data) > 0 {
		r, size := utf8.DecodeRune(data)
		if r == utf8.RuneError && size <= 1 {
			s, _ := charmap.Windows1252.NewDecoder().Bytes(data[:1])
			b.Write(s)
			data = data[1:]
			continue
		}
		b.Write(data[:size])
		data = data[size:]
	}
	return b.Bytes()
}
