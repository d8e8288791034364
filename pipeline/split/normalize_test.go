package split

import (
	"errors"
	"testing"
)

func TestNormalize(t *testing.T) {
	tests := []struct {
		name string
		data string
		want string
	}{
		{"plain", "Hallo wereld.\n", "Hallo wereld.\n"},
		{"utf-8 bom", "\xef\xbb\xbfHallo", "Hallo"},
		{"crlf", "Een\r\nTwee\r\n", "Een\nTwee\n"},
		{"lone cr", "Een\rTwee\r\rDrie", "Een\nTwee\n\nDrie"},
		{"nbsp", "€\u00a01,5 miljoen en 5\u202f%", "€ 1,5 miljoen en 5 %"},
		{"zero-width space", "IJssel\u200bdijk", "IJsseldijk"},
		{"soft hyphen", "ver\u00adster\u00adking", "versterking"},
		{"word joiner and stray bom", "a\u2060b\ufeffc", "abc"},
		{"typographic quotes kept", "„Ja”, zei ze. ‘Nee’ – of “toch”?", "„Ja”, zei ze. ‘Nee’ – of “toch”?"},
		{"control characters", "a\x01b\x7fc\td", "abc\td"},
		{"line separator", "a\u2028b", "a\nb"},
		{"nfc", "Oekrai\u0308ne", "Oekraïne"},
		{"windows-1252", "\x84Caf\xe9\x94 kost \x80 5 \x96 \x91ja\x92", "„Café” kost € 5 – ‘ja’"},
		{"latin-1", "Ge\xefnteresseerd in Oekra\xefne", "Geïnteresseerd in Oekraïne"},
		{"utf-16le bom", "\xff\xfeH\x00a\x00l\x00l\x00o\x00\xeb\x00", "Hallo" + "ë"},
		{"utf-16be bom", "\xfe\xff\x00H\x00a\x00l\x00l\x00o", "Hallo"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Normalize([]byte(tt.data))
			if err != nil {
				t.Fatalf("Normalize(%q): %v", tt.data, err)
			}
			if got != tt.want {
				t.Errorf("Normalize(%q) = %q, want %q", tt.data, got, tt.want)
			}
		})
	}
}

func TestNormalizeErrors(t *testing.T) {
	tests := []struct {
		name string
		data string
		want error
	}{
		{"empty", "", ErrEmpty},
		{"whitespace", " \n\r\n\t", ErrEmpty},
		{"bom only", "\xef\xbb\xbf", ErrEmpty},
		{"invisible only", "\u200b\u00ad \u00a0", ErrEmpty},
		{"nul", "abc\x00def", ErrBinary},
		{"png", "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", ErrBinary},
		{"many controls", "\x01\x02\x03\x04 tekst", ErrBinary},
		{"utf-16 without bom", "H\x00a\x00l\x00", ErrBinary},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Normalize([]byte(tt.data))
			if !errors.Is(err, tt.want) {
				t.Errorf("Normalize(%q) = %q, %v; want error %v", tt.data, got, err, tt.want)
			}
		})
	}
}
