package check

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
)

// nameTokenRE is what nameTokens must find.
var nameTokenRE = regexp.MustCompile(`(?:\p{Lu}\.){1,4}|[\p{L}\p{M}\p{N}]+(?:['’\-][\p{L}\p{M}\p{N}]+)*|&`)

func TestCheckNames(t *testing.T) {
	tests := []struct {
		name        string
		source      string
		translation string
		want        []string // names reported missing
	}{
		{"kept", "toen de Nederlandse fotograaf Eddy van Wessel een foto maakte",
			"when the Dutch photographer Eddy van Wessel took a photo", nil},
		{"possessive", "de foto van fotograaf Eddy van Wessel", "photographer Eddy van Wessel's photo", nil},
		{"dropped", "toen de Nederlandse fotograaf Eddy van Wessel een foto maakte",
			"when a Dutch photographer took a photo", []string{"Eddy van Wessel"}},
		{"misspelt", "toen de Nederlandse fotograaf Eddy van Wessel een foto maakte",
			"when the Dutch photographer Eddie van Wessel took a photo", []string{"Eddy van Wessel"}},
		{"wrong person", "president Volodymyr Zelensky sprak", "President Vladimir Putin spoke", []string{"Volodymyr Zelensky"}},
		{"other transliteration", "president Volodymyr Zelensky sprak", "President Volodymyr Zelenskyy spoke", nil},
		{"English name", "aldus de denktank Institute for the Study of War over",
			"according to the think tank Institute for the Study of War", nil},
		{"English name garbled", "aldus de denktank Institute for the Study of War over",
			"according to the think tank Institute for War Research", []string{"Institute for the Study of War"}},
		{"Dutch institution words translated", "de soldaten van de Nationale Garde en de eerste Presidentiële Brigade",
			"the soldiers of the National Guard and the First Presidential Brigade", nil},
		{"sentence start word dropped", "Hoofdeconoom Fleur Mulder van Noordkust Capital ziet het somber in.",
			"Chief economist Fleur Mulder of Noordkust Capital is gloomy.", nil},
		{"Slavic name respelt", "Volgens woordvoerder Andrij Kovaltsjoek gaat het door.",
			"According to spokesman Andriy Kovalchuk it continues.", nil},
		{"Slavic name respelt mid-sentence", "zei Natalja Bondarenko (62)", "said Natalia Bondarenko (62)", nil},
		{"Russian names respelt", "de weduwe van Aleksej Navalny, Joelia Navalnaja", "the widow of Alexei Navalny, Yulia Navalnaya", nil},
		{"Dutch spelling of Netanyahu", "premier Benjamin Netanjahoe", "Prime Minister Benjamin Netanyahu", nil},
		{"historical name in English", "de begrafenis van paus Johannes Paulus", "the funeral of Pope John Paul", nil},
		{"compound with a glossary place", "een vakantie in Zuid-Frankrijk en Oost-Europa", "a holiday in southern France and eastern Europe", nil},
		{"river after article", "De Rijn treedt buiten haar oevers.", "The Rhine is bursting its banks.", nil},
		{"dateline in capitals", "DEN HAAG -", "THE HAGUE -", nil},
		{"common noun compound", "AZ-doelman Bram Zwartjes redde", "AZ goalkeeper Bram Zwartjes saved", nil},
		{"initials after a title", "aldus dr. H.J. Verbeek van Agrimark", "said Dr H.J. Verbeek of Agrimark", nil},
		{"initial ends a sentence", "de partner van K. Van de opbrengst kocht hij auto's.",
			"K.'s partner. With the proceeds he bought cars.", nil},
		{"missing full stop", "Bekijk deze post op Instagram Een bericht gedeeld door Mees van Leeuwen",
			"View this post on Instagram A post shared by Mees van Leeuwen", nil},
		{"particle name", "de negentienjarige Van Leeuwen scoorde", "19-year-old Van Leeuwen scored", nil},
		{"particle name lost", "de negentienjarige Van Leeuwen scoorde", "the 19-year-old scored", []string{"Van Leeuwen"}},
		{"single words are not checked", "In Kramatorsk en Slovjansk", "In Kramatorsk and Sloviansk", nil},
		{"list of places", "tussen Leiden en Haarlem", "between Leiden and Haarlem", nil},
		{"Dutch demonyms", "De Russen en de Oekraïners", "The Russians and the Ukrainians", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, p := range checkPair(tt.source, tt.translation, builtinGlossary(t)) {
				if p.Kind == KindName {
					got = append(got, p.Source)
				}
			}
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("names missing from %q: got %q, want %q", tt.translation, got, tt.want)
			}
		})
	}
}

func TestDutchTranslit(t *testing.T) {
	for _, tt := range []struct{ dutch, english string }{
		{"kovaltsjoek", "kovalchuk"}, {"charkiv", "kharkiv"}, {"bachmoet", "bakhmut"},
		{"zjytomyr", "zhytomyr"}, {"chroesjtsjov", "khrushchov"},
	} {
		if got := dutchTranslit(tt.dutch); got != tt.english {
			t.Errorf("dutchTranslit(%q) = %q, want %q", tt.dutch, got, tt.english)
		}
	}
}

// FuzzNameTokens: the hand-written tokenizer finds what nameTokenRE finds.
func FuzzNameTokens(f *testing.F) {
	for _, s := range []string{
		"dr. H.J. Verbeek en Mees van Leeuwen, Willem-Alexander, O'Brien, Autoriteit Consument & Markt",
		"A.B.C.D.E. X. y. Ü. 3.000 L’Oréal re-", "É. — ‘Kyiv’ 19-jarige",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, want := nameTokens(s), nameTokenRE.FindAllStringIndex(s, -1)
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("nameTokens(%q) = %v, want %v", s, got, want)
		}
	})
}
