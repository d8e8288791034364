package dutch

import "strings"

// abbreviations end in a full stop that does not end a sentence: Dutch
// abbreviations, titles and ranks, and months as dates shorten them
// ("14 nov. 2024"). They are written without their final stop.
var abbreviations = setOf(`
	o.a bijv d.w.z m.b.t mr dr ca jl blz nr enz e.d i.p.v z.g.a.n
	prof drs ir ing dhr mevr mw st sr jr gen kol lt ds mgr
	bv resp evt incl excl max min ong zgn vgl etc e.a a.s vs t.o.v t.a.v
	i.v.m m.a.w o.b.v n.a.v m.u.v p pag art tel afb fig vz z.s.m tzt
	vnl gem mln mld mrd
	jan feb mrt apr jun jul aug sep sept okt nov dec`)

// IsAbbreviation reports whether word, without its final full stop, is a
// Dutch abbreviation whose stop ends no sentence: "o.a", "mr", "ca",
// "nov". Case does not matter ("Mr").
func IsAbbreviation(word string) bool {
	return abbreviations[strings.ToLower(word)]
}

// setOf makes a set of the words of s.
func setOf(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}
