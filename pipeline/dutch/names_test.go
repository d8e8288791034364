package dutch

import "testing"

func TestNameWords(t *testing.T) {
	for _, w := range []string{"van", "de", "der", "ter", "'t", "bin"} {
		if !IsParticle(w) || !IsConnector(w) {
			t.Errorf("%q: want a particle and a connector", w)
		}
	}
	for _, w := range []string{"of", "the", "for", "and", "&"} {
		if IsParticle(w) || !IsConnector(w) {
			t.Errorf("%q: want a connector, not a particle", w)
		}
	}
	for _, w := range []string{"het", "een", "Van", "Jan"} {
		if IsParticle(w) {
			t.Errorf("%q: want no particle", w)
		}
	}
	for _, w := range []string{"minister", "Kamerlid", "MP", "mr.", "Mayor", "premier", "staatssecretaris"} {
		if !IsTitle(w) {
			t.Errorf("IsTitle(%q) = false", w)
		}
	}
	for _, w := range []string{"Jan", "Vries", "Rutte"} {
		if IsTitle(w) {
			t.Errorf("IsTitle(%q) = true", w)
		}
	}
	for _, w := range []string{"Financiën", "Zaken", "Klimaat", "Volkshuisvesting", "Ordening"} {
		if !IsPortfolio(w) {
			t.Errorf("IsPortfolio(%q) = false", w)
		}
	}
	for _, w := range []string{"o.a", "Mr", "nov", "ca"} {
		if !IsAbbreviation(w) {
			t.Errorf("IsAbbreviation(%q) = false", w)
		}
	}
}
