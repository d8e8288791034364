package dutch

import (
	_ "embed"
	"fmt"
	"strings"
	"sync"
	"unicode"
)

//go:embed places.tsv
var placesTSV string

// Place is a country or region with the forms Dutch and English news
// give it: its names, the adjectives made from it, and what its people
// are called. Every country of ISO 3166-1 is one (and Kosovo), and so are
// regions news names as often: Flanders, Wallonia, Friesland, Europe,
// Scandinavia, the Middle East.
type Place struct {
	// Code is the ISO 3166-1 alpha-2 code of a country ("SE"); a region
	// has a code of its own in lower case ("vl" for Flanders).
	Code    string
	Dutch   Forms
	English Forms
}

// Forms are the ways one language names a place.
type Forms struct {
	Names      []string // "Zweden"; "Sweden"
	Adjectives []string // "Zweeds", "Zweedse"; "Swedish"
	People     []string // "Zweed", "Zweden"; "Swede", "Swedes"
}

// All returns every form.
func (f Forms) All() []string {
	out := make([]string, 0, len(f.Names)+len(f.Adjectives)+len(f.People))
	out = append(out, f.Names...)
	out = append(out, f.Adjectives...)
	return append(out, f.People...)
}

// places is the table, read once.
type places struct {
	list            []*Place
	dutch, english  map[string][]*Place // by lower-case form
	longest         int                 // words in the longest form
	dutchAcronyms   map[string][]*Place // forms in capitals, by their case: "VS"
	englishAcronyms map[string][]*Place
}

var table = sync.OnceValue(func() *places {
	t, err := parsePlaces(placesTSV)
	if err != nil {
		panic(fmt.Sprintf("dutch: places.tsv: %v", err)) // embedded; TestPlaces reads it
	}
	return t
})

func parsePlaces(src string) (*places, error) {
	t := &places{
		dutch: map[string][]*Place{}, english: map[string][]*Place{},
		dutchAcronyms: map[string][]*Place{}, englishAcronyms: map[string][]*Place{},
	}
	for n, line := range strings.Split(src, "\n") {
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 7 {
			return nil, fmt.Errorf("line %d: %d columns, want 7", n+1, len(f))
		}
		p := &Place{
			Code:    f[0],
			Dutch:   Forms{Names: alternatives(f[1]), Adjectives: alternatives(f[2]), People: alternatives(f[3])},
			English: Forms{Names: alternatives(f[4]), Adjectives: alternatives(f[5]), People: alternatives(f[6])},
		}
		if len(p.Dutch.Names) == 0 || len(p.English.Names) == 0 {
			return nil, fmt.Errorf("line %d: %s has no name", n+1, p.Code)
		}
		t.list = append(t.list, p)
		t.index(p.Dutch.All(), p, t.dutch, t.dutchAcronyms)
		t.index(p.English.All(), p, t.english, t.englishAcronyms)
	}
	return t, nil
}

func (t *places) index(forms []string, p *Place, m, acronyms map[string][]*Place) {
	for _, f := range forms {
		t.longest = max(t.longest, len(strings.Fields(f)))
		if isAcronym(f) {
			acronyms[f] = appendOnce(acronyms[f], p)
			continue
		}
		k := strings.ToLower(f)
		m[k] = appendOnce(m[k], p)
	}
}

func appendOnce(ps []*Place, p *Place) []*Place {
	for _, q := range ps {
		if q == p {
			return ps
		}
	}
	return append(ps, p)
}

// alternatives splits a column of the table; "-" is none.
func alternatives(col string) []string {
	if col == "-" || col == "" {
		return nil
	}
	var out []string
	for _, a := range strings.Split(col, "/") {
		if a = strings.TrimSpace(a); a != "" {
			out = append(out, a)
		}
	}
	return out
}

// isAcronym reports whether s is written in capitals ("VS", "UAE",
// "U.S."), which must match as written: "vs" is no country.
func isAcronym(s string) bool {
	letters := 0
	for _, r := range s {
		switch {
		case unicode.IsUpper(r):
			letters++
		case unicode.IsLetter(r):
			return false
		}
	}
	return letters >= 2
}

// Places returns every place of the table.
func Places() []*Place { return table().list }

// PlacesOf returns the places a Dutch form names, as written in a text:
// "Zweden" (Sweden, and the Swedes), "Zweedse", "Verenigde Staten", "VS".
// A form some places share ("Congolese") gives them all; one no place
// has, none.
func PlacesOf(dutch string) []*Place {
	t := table()
	if isAcronym(dutch) {
		if ps := t.dutchAcronyms[dutch]; ps != nil {
			return ps
		}
	}
	return t.dutch[strings.ToLower(dutch)]
}

// EnglishPlacesOf returns the places an English form names: "Sweden",
// "Swedish", "Swedes", "United States", "US".
func EnglishPlacesOf(english string) []*Place {
	t := table()
	if isAcronym(english) {
		if ps := t.englishAcronyms[english]; ps != nil {
			return ps
		}
	}
	return t.english[strings.ToLower(english)]
}

// LongestPlaceForm is the number of words in the longest form of the
// table, for callers that look up runs of words.
func LongestPlaceForm() int { return table().longest }
