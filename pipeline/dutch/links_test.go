package dutch

import (
	"reflect"
	"regexp"
	"strings"
	"testing"
)

func TestLinks(t *testing.T) {
	tests := []struct {
		text string
		want []string
	}{
		{"Geen link hier.", nil},
		{"Zie [het rapport](https://example.nl/2024/a) en @EuromaidanPress #Bachmoet.",
			[]string{"](https://example.nl/2024/a)", "@EuromaidanPress", "#Bachmoet"}},
		{"Foto pic.twitter.com/Gch3x — Jan (@jan.de.vries) 3 maart 2025", []string{"pic.twitter.com/Gch3x", "@jan.de.vries"}},
		{"Lees www.nos.nl/a en t.co/xyz, niet at.co/y", []string{"www.nos.nl/a", "t.co/xyz,"}},
		{"mail jan@example.nl", []string{"@example.nl"}},
	}
	for _, tt := range tests {
		var got []string
		for _, l := range Links(tt.text) {
			got = append(got, tt.text[l.Start:l.End])
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Links(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

// rxLink is linkExpr as one expression over a whole text, with the word
// boundary before "t.co/" that the scan checks by itself.
var rxLink = regexp.MustCompile(strings.Replace(linkExpr, "|t\\.co/)", "|\\bt\\.co/)", 1))

// FuzzBlankLinks: trying the expression only where a link can start finds
// what rxLink.ReplaceAllStringFunc finds.
func FuzzBlankLinks(f *testing.F) {
	for _, s := range []string{
		"Zie [het rapport](https://example.nl/a) en @EuromaidanPress #Bachmoet.",
		"HTTPS://X.NL/a b WWW.nos.nl pic.twitter.com/Gch T.CO/x at.co/y ét.co/z _t.co/w",
		"httpſ://x ]( ](x) @ # @a. #b_ http www. t.co/",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := 0
		want := rxLink.ReplaceAllStringFunc(s, func(m string) string {
			n++
			if strings.HasPrefix(m, "](") {
				return "] "
			}
			return " "
		})
		if got, links := BlankLinks(s); got != want || links != n {
			t.Errorf("BlankLinks(%q) = %q, %d, want %q, %d", s, got, links, want, n)
		}
	})
}
