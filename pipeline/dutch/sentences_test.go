package dutch

import (
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestSentences(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []string
	}{
		{"empty", "", nil},
		{"one", "Het regent.", []string{"Het regent."}},
		{"two", "Het regent. Het waait.", []string{"Het regent. ", "Het waait."}},
		{"question and exclamation", "Regent het? Ja! Nee.", []string{"Regent het? ", "Ja! ", "Nee."}},
		{"whitespace stays with the sentence", "Een.  \n Twee.\n", []string{"Een.  \n ", "Twee.\n"}},
		{"leading whitespace", "  Een. Twee.", []string{"  Een. ", "Twee."}},
		{"o.a.", "Er kwamen o.a. Britten. Ook Fransen.", []string{"Er kwamen o.a. Britten. ", "Ook Fransen."}},
		{"bijv. before a name", "Dat geldt bijv. Amsterdam. Daar ook.", []string{"Dat geldt bijv. Amsterdam. ", "Daar ook."}},
		{"d.w.z.", "Het is laat, d.w.z. Na middernacht.", []string{"Het is laat, d.w.z. Na middernacht."}},
		{"m.b.t.", "Regels m.b.t. Verkeer gelden.", []string{"Regels m.b.t. Verkeer gelden."}},
		{"mr. and initials", "De rechter, mr. W. Hermans, sprak. Daarna niet.", []string{"De rechter, mr. W. Hermans, sprak. ", "Daarna niet."}},
		{"dr. with double initials", "Volgens dr. H.J. Verbeek stijgt het. Dat klopt.", []string{"Volgens dr. H.J. Verbeek stijgt het. ", "Dat klopt."}},
		{"Mr. capitalised", "Mr. Jansen kwam. Hij bleef.", []string{"Mr. Jansen kwam. ", "Hij bleef."}},
		{"ca. before a number", "Er waren ca. 40 mensen. Niet meer.", []string{"Er waren ca. 40 mensen. ", "Niet meer."}},
		{"jl. before a date word", "Op 14 februari jl. Verklaarde hij dat.", []string{"Op 14 februari jl. Verklaarde hij dat."}},
		{"blz. and nr.", "Zie blz. 12 en nr. 5. Klaar.", []string{"Zie blz. 12 en nr. 5. ", "Klaar."}},
		{"enz.", "Appels, peren enz. Die zijn duur.", []string{"Appels, peren enz. Die zijn duur."}},
		{"e.d.", "Stoelen e.d. Tafels ook.", []string{"Stoelen e.d. Tafels ook."}},
		{"i.p.v.", "Hij nam de bus i.p.v. De trein.", []string{"Hij nam de bus i.p.v. De trein."}},
		{"z.g.a.n.", "Te koop: fiets, z.g.a.n. Prijs n.o.t.k.", []string{"Te koop: fiets, z.g.a.n. Prijs n.o.t.k."}},
		{"decimal comma", "Het kost 1,5 miljoen. Duur.", []string{"Het kost 1,5 miljoen. ", "Duur."}},
		{"thousands stop", "Er kwamen 3.000 mensen. Veel.", []string{"Er kwamen 3.000 mensen. ", "Veel."}},
		{"time", "Om 14.30 uur begon het. Om 15.00 uur niet meer.", []string{"Om 14.30 uur begon het. ", "Om 15.00 uur niet meer."}},
		{"number at the end", "Het was 2024. Daarna 2025.", []string{"Het was 2024. ", "Daarna 2025."}},
		{"single quote after stop", "‘Prijzen dalen zelden.’ Het onderzoek laat meer zien.", []string{"‘Prijzen dalen zelden.’ ", "Het onderzoek laat meer zien."}},
		{"double quote after stop", "„We gaan in beroep.” Dat zei hij.", []string{"„We gaan in beroep.” ", "Dat zei hij."}},
		{"quote with attribution", "‘Het is klaar’, zei hij. ‘Echt.’", []string{"‘Het is klaar’, zei hij. ", "‘Echt.’"}},
		{"question inside a quote", "‘Waarom?’, vroeg zij. Niemand wist het.", []string{"‘Waarom?’, vroeg zij. ", "Niemand wist het."}},
		{"lowercase after stop", "Het was 5 p.m. toen hij kwam.", []string{"Het was 5 p.m. toen hij kwam."}},
		{"bracket", "Het kwam (zie boven.) Daarna niet.", []string{"Het kwam (zie boven.) ", "Daarna niet."}},
		{"ellipsis", "Het was stil… Toen knalde het.", []string{"Het was stil… ", "Toen knalde het."}},
		{"three stops", "Het was stil... Toen knalde het.", []string{"Het was stil... ", "Toen knalde het."}},
		{"url", "Zie example.nl/a.b voor meer. Dank.", []string{"Zie example.nl/a.b voor meer. ", "Dank."}},
		{"no final stop", "Een zin. En nog een", []string{"Een zin. ", "En nog een"}},
		{"only whitespace", " \n", []string{" \n"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Sentences(tt.text)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Sentences(%q)\n got  %q\n want %q", tt.text, got, tt.want)
			}
			if j := strings.Join(got, ""); j != tt.text {
				t.Errorf("joined: got %q, want %q", j, tt.text)
			}
		})
	}
}

func FuzzSentences(f *testing.F) {
	for _, s := range []string{"", "a. B", "o.a. De", "‘a.’ B", "… A", "x.\n\nY", "1.5. 2", "\xff. A", "?!’ „A"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		got := Sentences(text)
		if j := strings.Join(got, ""); j != text {
			t.Fatalf("joined: got %q, want %q", j, text)
		}
		for _, s := range got {
			if s == "" {
				t.Fatalf("empty sentence in %q", got)
			}
		}
		if utf8.ValidString(text) {
			for _, s := range got {
				if !utf8.ValidString(s) {
					t.Fatalf("sentence %q splits a character", s)
				}
			}
		}
	})
}
