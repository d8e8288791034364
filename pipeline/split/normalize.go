package split

import (
	"bytes"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/unicode/norm"
)

// Normalize decodes an article and cleans its characters, so that every
// later rule sees one spelling of the same text:
//
//   - a UTF-8 byte-order mark is dropped, and UTF-16 with a byte-order
//     mark is decoded;
//   - input that is not valid UTF-8 is read as Windows-1252, the superset
//     of Latin-1 that Dutch Windows editors save;
//   - CRLF and lone CR become LF, and Unicode line and paragraph
//     separators become LF;
//   - non-breaking spaces (U+00A0, U+202F, U+2007) become plain spaces;
//   - zero-width spaces, word joiners, stray byte-order marks, soft
//     hyphens and control characters other than tab and LF are removed;
//   - the text is put in Unicode normal form C, so that an "ë" typed as
//     "e" plus a combining diaeresis matches the precomposed one.
//
// Typographic quotes, dashes and all other characters are kept.
//
// Normalize returns an error wrapping [ErrBinary] when the data has NUL
// bytes or many control characters, and one wrapping [ErrEmpty] when
// nothing but whitespace is left.
func Normalize(data []byte) (string, error) {
	data, err := decode(data)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	b.Grow(len(data))
	s := string(data)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == '\r':
			b.WriteByte('\n')
			if i < len(s) && s[i] == '\n' {
				i++
			}
		case r == '\u2028' || r == '\u2029':
			b.WriteByte('\n')
		case r == '\u00a0' || r == '\u202f' || r == '\u2007':
			b.WriteByte(' ')
		case removable(r):
		default:
			b.WriteRune(r)
		}
	}
	out := norm.NFC.String(b.String())
	if strings.TrimSpace(out) == "" {
		return "", ErrEmpty
	}
	return out, nil
}

// removable reports whether r is invisible noise that Normalize drops.
func removable(r rune) bool {
	switch r {
	case '\t', '\n':
		return false
	case '\u200b', '\u2060', '\ufeff', '\u00ad':
		return true
	}
	return r < 0x20 || r == 0x7f
}

// decode turns the raw bytes into UTF-8 and rejects binary data.
func decode(data []byte) ([]byte, error) {
	switch {
	case bytes.HasPrefix(data, []byte{0xef, 0xbb, 0xbf}):
		data = data[3:]
	case bytes.HasPrefix(data, []byte{0xff, 0xfe}), bytes.HasPrefix(data, []byte{0xfe, 0xff}):
		// The BOM tells the byte order; the decoder consumes it.
		u, err := unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM).NewDecoder().Bytes(data)
		if err != nil {
			return nil, ErrBinary
		}
		data = u
	}
	if looksBinary(data) {
		return nil, ErrBinary
	}
	if !utf8.Valid(data) {
		u, err := charmap.Windows1252.NewDecoder().Bytes(data)
		if err != nil {
			return nil, ErrBinary
		}
		data = u
	}
	return data, nil
}

// looksBinary reports whether data is not text: it has a NUL byte, or
// more than 2% control characters (other than tab, LF, CR, form feed and
// vertical tab). A few stray control characters in a text file are not
// enough; Normalize removes those.
func looksBinary(data []byte) bool {
	controls := 0
	for _, c := range data {
		switch {
		case c == 0:
			return true
		case c == '\t', c == '\n', c == '\r', c == '\f', c == '\v':
		case c < 0x20, c == 0x7f:
			controls++
		}
	}
	return controls > 2 && controls*50 > len(data)
}
