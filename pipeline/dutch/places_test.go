package dutch

import (
	"strings"
	"testing"
)

// iso3166 lists the officially assigned ISO 3166-1 alpha-2 codes.
const iso3166 = `AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ
CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF
GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW
KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL
NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST
SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW`

// TestPlaces: the table parses, has every country of ISO 3166-1 once,
// and the regions the checks need.
func TestPlaces(t *testing.T) {
	if _, err := parsePlaces(placesTSV); err != nil {
		t.Fatal(err)
	}
	seen := map[string]int{}
	for _, p := range Places() {
		seen[p.Code]++
	}
	codes := strings.Fields(iso3166)
	if len(codes) != 249 {
		t.Fatalf("the list has %d codes, want 249", len(codes))
	}
	for _, c := range append(codes, "XK", "eu", "vl", "wa", "fy") {
		if seen[c] != 1 {
			t.Errorf("%s is in the table %d times, want once", c, seen[c])
		}
	}
}

func TestPlacesOf(t *testing.T) {
	tests := []struct {
		dutch, english string // forms of the same place
	}{
		{"Zweedse", "Swedish"},
		{"Zweden", "Sweden"},
		{"Zweed", "Swedes"},
		{"Duitse", "German"},
		{"Vlaamse", "Flemish"},
		{"Vlamingen", "Fleming"},
		{"Waalse", "Walloon"},
		{"Friese", "Frisian"},
		{"Europese", "European"},
		{"Verenigde Staten", "US"},
		{"VS", "American"},
		{"Oekraïners", "Ukrainian"},
		{"Saoedi-Arabië", "Saudi"},
	}
	for _, tt := range tests {
		nl, en := PlacesOf(tt.dutch), EnglishPlacesOf(tt.english)
		if len(nl) == 0 || len(en) == 0 || !shares(nl, en) {
			t.Errorf("PlacesOf(%q) = %v, EnglishPlacesOf(%q) = %v, want the same place", tt.dutch, codesOf(nl), tt.english, codesOf(en))
		}
	}
	for _, w := range []string{"vs", "De", "Kamer", "us"} {
		if ps := append(PlacesOf(w), EnglishPlacesOf(w)...); len(ps) > 0 {
			t.Errorf("%q names %v, want no place", w, codesOf(ps))
		}
	}
}

func shares(a, b []*Place) bool {
	for _, p := range a {
		for _, q := range b {
			if p == q {
				return true
			}
		}
	}
	return false
}

func codesOf(ps []*Place) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Code)
	}
	return out
}
