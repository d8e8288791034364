package check

import (
	"math"
	"testing"

	"github.com/nl2en/nl2en/pipeline/lang"
)

func TestLooksDutch(t *testing.T) {
	tests := []struct {
		text string
		want bool
	}{
		{"Scholen in de stad blijven maandag dicht.", true},
		{"Het is de laagste inflatie sinds de zomer van 2021.", true},
		{"Energie goedkoper, boodschappen duurder", true},
		{"Weinig tijd om te reageren", true},
		{"De Russen claimen dat ze oprukken in de oostelijke Donbas, de Oekraïners melden dat ze standhouden.", true},
		{"Schools in the city will remain closed on Monday.", false},
		{"It is the lowest inflation since the summer of 2021.", false},
		{"Now and then Bakhmut is world news, as recently when the Dutch photographer Eddy van Wessel captured a wounded couple.", false},
		{"Two co-defendants, a woman from Schiedam and a man from Capelle aan den IJssel, were sentenced.", false},
		{"Rijkswaterstaat warns drivers", false},
		{"Substitute Van Leeuwen gives ten-man Feyenoord late win over AZ", false},
		{"Slijtageslag", false}, // one word: too little to tell
		{"", false},
	}
	for _, tt := range tests {
		if got := looksDutch(tt.text); got != tt.want {
			t.Errorf("looksDutch(%q) = %v, want %v (%+v)", tt.text, got, tt.want, lang.Count(tt.text))
		}
	}
}

func TestMeasure(t *testing.T) {
	nl := "De strijd in en rond het stadje Bachmoet, dat ooit 80 duizend inwoners telde, wordt steeds genoemd in de militaire bulletins."
	en := "The fighting in and around the town of Bakhmut, which once had 80,000 inhabitants, is mentioned again and again in the military bulletins."
	tests := []struct {
		name                        string
		source, translation         string
		ratioOff, dutch, notEnglish bool
	}{
		{"correct", nl, en, false, false, false},
		{"untranslated", nl, nl, false, true, true},
		{"half", nl, en[:60], true, false, false},
		{"short source not judged", "Slijtageslag", "The war of attrition that has gone on for months now", false, false, false},
		{"Cyrillic", nl, "Бои в городе Бахмут и вокруг него, где когда-то проживало 80 000 человек, постоянно упоминаются.", false, false, true},
		{"French", nl, "Les combats dans et autour de la ville de Bakhmout, qui comptait autrefois 80 000 habitants, sont mentionnés dans les bulletins et pour les armées.", false, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sig := measurePair(tt.source, tt.translation)
			if sig.RatioOff != tt.ratioOff || sig.StillDutch != tt.dutch || sig.NotEnglish != tt.notEnglish {
				t.Errorf("Measure = %+v, want RatioOff %v, StillDutch %v, NotEnglish %v", sig, tt.ratioOff, tt.dutch, tt.notEnglish)
			}
		})
	}
	if sig := measurePair(nl, en); math.Abs(sig.Ratio-float64(visibleLen(en))/float64(visibleLen(nl))) > 1e-9 {
		t.Errorf("Ratio = %v", sig.Ratio)
	}
	if sig := measurePair("", "x"); sig.Ratio != 0 || sig.RatioOff {
		t.Errorf("Measure of empty source = %+v", sig)
	}
}

func TestVisibleLen(t *testing.T) {
	for _, tt := range []struct {
		s    string
		want int
	}{{"", 0}, {"  a  b  ", 3}, {"één", 3}, {"a\n\nb", 3}} {
		if got := visibleLen(tt.s); got != tt.want {
			t.Errorf("visibleLen(%q) = %d, want %d", tt.s, got, tt.want)
		}
	}
}
