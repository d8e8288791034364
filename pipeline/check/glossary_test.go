package check

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"testing/fstest"
	"unicode/utf8"

	"github.com/nl2en/nl2en/prompts"
)

func TestBuiltinGlossary(t *testing.T) {
	g := builtinGlossary(t)
	if g.Len() < 100 {
		t.Errorf("built-in glossary has %d entries, want at least 100", g.Len())
	}
	targets := make(map[string]string)
	for _, e := range g.Entries() {
		targets[e.Source] = e.Target
	}
	for _, tt := range []struct{ source, target string }{
		{"Bachmoet", "Bakhmut"}, {"Loehansk", "Luhansk"}, {"Charkiv", "Kharkiv"},
		{"Cherson", "Kherson"}, {"Slovjansk", "Sloviansk"}, {"Severodonetsk", "Sievierodonetsk"},
		{"Moskou", "Moscow"}, {"Kiev", "Kyiv"}, {"Odessa", "Odesa"}, {"Zaporizja", "Zaporizhzhia"},
		{"Marioepol", "Mariupol"}, {"Krim", "Crimea"}, {"Sint-Petersburg", "Saint Petersburg"},
		{"Wit-Rusland", "Belarus"}, {"Oekraïne", "Ukraine"}, {"Rusland", "Russia"},
		{"Tweede Kamer", "House of Representatives"}, {"Eerste Kamer", "Senate"},
		{"Raad van State", "Council of State"}, {"Openbaar Ministerie", "Public Prosecution Service"},
		{"KNMI", "Royal Netherlands Meteorological Institute (KNMI)"},
		{"CBS", "Statistics Netherlands (CBS)"}, {"De Nederlandsche Bank", "Dutch central bank (DNB)"},
		{"Den Haag", "The Hague"}, {"Brussel", "Brussels"}, {"Antwerpen", "Antwerp"},
		{"Keulen", "Cologne"}, {"Parijs", "Paris"}, {"Londen", "London"}, {"Noord-Holland", "North Holland"},
	} {
		if got, ok := targets[tt.source]; !ok || got != tt.target {
			t.Errorf("built-in %q → %q, want %q", tt.source, got, tt.target)
		}
	}
	// Every target must render itself, or the check could never pass.
	for _, e := range g.Entries() {
		if !e.RenderedIn("In English: " + e.Target + ".") {
			t.Errorf("entry %q: its own target %q does not render it", e.Source, e.Target)
		}
	}
}

func TestParse(t *testing.T) {
	tests := []struct {
		name string
		file string
		data string
		want []Entry
	}{
		{"tsv with header", "g.tsv", "source\ttarget\tnote\nBachmoet\tBakhmut\tUkraine\n",
			[]Entry{{"Bachmoet", "Bakhmut", "Ukraine"}}},
		{"tsv without note", "g.tsv", "Bachmoet\tBakhmut\n", []Entry{{"Bachmoet", "Bakhmut", ""}}},
		{"csv without header", "g.csv", "Bachmoet,Bakhmut\nMoskou,Moscow,capital\n",
			[]Entry{{"Bachmoet", "Bakhmut", ""}, {"Moskou", "Moscow", "capital"}}},
		{"csv with quotes", "g.csv", "source,target,note\n\"Autoriteit Consument & Markt\",\"Authority for Consumers and Markets\",\"watchdog, also: ACM\"\n",
			[]Entry{{"Autoriteit Consument & Markt", "Authority for Consumers and Markets", "watchdog, also: ACM"}}},
		{"semicolon csv", "g.csv", "bron;doel\nBachmoet;Bakhmut\n", []Entry{{"bron", "doel", ""}, {"Bachmoet", "Bakhmut", ""}}},
		{"comments, blank lines, CRLF, BOM", "g.csv", "\ufeff# mine\r\n\r\nsource,target\r\n  Bachmoet , Bakhmut \r\n# end\r\n",
			[]Entry{{"Bachmoet", "Bakhmut", ""}}},
		{"tabs detected without extension", "glossary", "Bachmoet\tBakhmut, the town\n",
			[]Entry{{"Bachmoet", "Bakhmut, the town", ""}}},
		{"trailing empty columns", "g.csv", "Bachmoet,Bakhmut,,\n", []Entry{{"Bachmoet", "Bakhmut", ""}}},
		{"empty", "g.tsv", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g, err := Parse(strings.NewReader(tt.data), tt.file)
			if err != nil {
				t.Fatal(err)
			}
			got := g.Entries()
			if len(got) != len(tt.want) {
				t.Fatalf("got %d entries %v, want %v", len(got), got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("entry %d = %+v, want %+v", i, got[i], tt.want[i])
				}
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name     string
		file     string
		data     string
		wantLine int
	}{
		{"no target", "g.tsv", "source\ttarget\nBachmoet\tBakhmut\nMoskou\n", 3},
		{"empty target", "g.csv", "Bachmoet,\n", 1},
		{"empty source", "g.csv", "# c\n,Bakhmut\n", 2},
		{"too many columns", "g.tsv", "a\tb\tc\td\n", 1},
		{"duplicate", "g.tsv", "Bachmoet\tBakhmut\n\nBachmoet\tBakhmoet\n", 3},
		{"bad csv quoting", "g.csv", "Bachmoet,\"Bakh\"mut\"\n", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(strings.NewReader(tt.data), tt.file)
			var le *LineError
			if !errors.As(err, &le) {
				t.Fatalf("Parse error = %v, want a *LineError", err)
			}
			if le.File != tt.file || le.Line != tt.wantLine {
				t.Errorf("error at %s line %d, want %s line %d (%v)", le.File, le.Line, tt.file, tt.wantLine, err)
			}
		})
	}
}

func TestLoadFile(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "mine.csv")
	if err := os.WriteFile(good, []byte("source,target\nBachmoet,Bachmut\nHengelo,Hengelo\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	g, err := LoadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	if g.Len() != 2 {
		t.Errorf("Len() = %d, want 2", g.Len())
	}

	bad := filepath.Join(dir, "bad.tsv")
	if err := os.WriteFile(bad, []byte("Bachmoet\tBakhmut\nMoskou\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = LoadFile(bad)
	var le *LineError
	if !errors.As(err, &le) || le.File != bad || le.Line != 2 {
		t.Errorf("LoadFile(bad) error = %v, want a *LineError at %s line 2", err, bad)
	}

	if _, err := LoadFile(filepath.Join(dir, "missing.csv")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("LoadFile(missing) error = %v, want os.ErrNotExist", err)
	}
}

func TestLoad(t *testing.T) {
	fsys := fstest.MapFS{"glossary.tsv": {Data: []byte("source\ttarget\tnote\nBachmoet\tBakhmut\t\n")}}
	g, err := Load(fsys, "glossary.tsv")
	if err != nil || g.Len() != 1 {
		t.Fatalf("Load = %v, %v; want 1 entry", g.Entries(), err)
	}
	if _, err := Load(fsys, "other.tsv"); err == nil {
		t.Error("Load of a missing file succeeded")
	}
}

func TestMerge(t *testing.T) {
	base, _ := NewGlossary(Entry{Source: "Bachmoet", Target: "Bakhmut"}, Entry{Source: "Moskou", Target: "Moscow"})
	user, _ := NewGlossary(Entry{Source: "Bachmoet", Target: "Artemivsk", Note: "mine"}, Entry{Source: "Hengelo", Target: "Hengelo"})
	got := Merge(base, user).Entries()
	want := []Entry{{"Bachmoet", "Artemivsk", "mine"}, {"Moskou", "Moscow", ""}, {"Hengelo", "Hengelo", ""}}
	if len(got) != len(want) {
		t.Fatalf("Merge = %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("entry %d = %+v, want %+v", i, got[i], want[i])
		}
	}
	if base.Entries()[0].Target != "Bakhmut" {
		t.Error("Merge changed its base")
	}
}

func TestNewGlossary(t *testing.T) {
	if _, err := NewGlossary(Entry{Source: "Bachmoet"}); err == nil {
		t.Error("entry without target accepted")
	}
	if _, err := NewGlossary(Entry{Source: "A", Target: "B"}, Entry{Source: "A", Target: "C"}); err == nil {
		t.Error("duplicate source accepted")
	}
}

func TestMatching(t *testing.T) {
	g := builtinGlossary(t)
	tests := []struct {
		text string
		want []string // sources, in order
	}{
		{"De strijd om Bachmoet en Loehansk.", []string{"Bachmoet", "Loehansk"}},
		{"de hele Loehansk-regio", []string{"Loehansk"}},
		{"Ruslands militaire falen en Bachmoets val", []string{"Rusland", "Bachmoet"}},
		{"in Oost-Oekraïne", []string{"Oekraïne"}},
		{"het Oekraïense leger en de Russische troepen", nil},
		{"Krimpen aan den IJssel", nil},
		{"de Krim", []string{"Krim"}},
		{"naar Sint-Petersburg", []string{"Sint-Petersburg"}},
		{"Bachmoet, Moskou en weer Bachmoet", []string{"Bachmoet", "Moskou"}},
		{"Het Oekraïense ministerie van Defensie meldt", []string{"ministerie van Defensie"}},
		{"Ministerie van Defensie: geen commentaar", []string{"ministerie van Defensie"}},
		{"het OM eist, om vijf uur", []string{"OM"}},
		{"DEN HAAG - Het kabinet", []string{"Den Haag"}},
		{"de Tweede Kamer en Tweede Kamerleden", []string{"Tweede Kamer"}},
		{"#Bachmoet en https://example.nl/Moskou", nil},
		{"[de stad](https://example.nl/Bachmoet) Bachmoet", []string{"Bachmoet"}},
		{"de VN-Veiligheidsraad", []string{"VN", "Veiligheidsraad"}},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			var got []string
			for _, e := range g.Matching(tt.text) {
				got = append(got, e.Source)
			}
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("Matching(%q) = %q, want %q", tt.text, got, tt.want)
			}
		})
	}
}

func TestRenderedIn(t *testing.T) {
	tests := []struct {
		entry       Entry
		translation string
		want        bool
	}{
		{Entry{Source: "Rusland", Target: "Russia"}, "Russia's failure", true},
		{Entry{Source: "Rusland", Target: "Russia"}, "the Russian army", true},
		{Entry{Source: "Oekraïne", Target: "Ukraine"}, "Ukrainian soldiers", true},
		{Entry{Source: "België", Target: "Belgium"}, "a Belgian firm", true},
		{Entry{Source: "Bachmoet", Target: "Bakhmut"}, "Bachmoet", false},
		{Entry{Source: "Bachmoet", Target: "Bakhmut"}, "Bakhmuts", true},
		{Entry{Source: "Bachmoet", Target: "Bakhmut"}, "Bakhmutovka", false},
		{Entry{Source: "Den Haag", Target: "The Hague"}, "in the Hague", true},
		{Entry{Source: "Luik", Target: "Liège"}, "in Liege", true},
		{Entry{Source: "VS", Target: "US"}, "let us go", false},
		{Entry{Source: "VS", Target: "US"}, "the US said", true},
		{Entry{Source: "CBS", Target: "Statistics Netherlands (CBS)"}, "statistics office CBS", true},
		{Entry{Source: "CBS", Target: "Statistics Netherlands (CBS)"}, "Statistics Netherlands said", true},
		{Entry{Source: "CBS", Target: "Statistics Netherlands (CBS)"}, "the statistics office said", false},
		{Entry{Source: "Zelenski", Target: "Zelensky", Note: "also: Zelenskyy; Zelenskiy"}, "President Zelenskyy", true},
		{Entry{Source: "Sint-Petersburg", Target: "Saint Petersburg"}, "in St Petersburg", true},
		{Entry{Source: "Sint-Petersburg", Target: "Saint Petersburg"}, "in St. Petersburg", true},
	}
	for _, tt := range tests {
		if got := tt.entry.RenderedIn(tt.translation); got != tt.want {
			t.Errorf("%q.RenderedIn(%q) = %v, want %v", tt.entry.Target, tt.translation, got, tt.want)
		}
	}
}

func TestAlso(t *testing.T) {
	e := Entry{Note: "river; also a surname; Also: Rijn;  Rhein ;"}
	if got := strings.Join(e.Also(), "|"); got != "Rijn|Rhein" {
		t.Errorf("Also() = %q, want %q", got, "Rijn|Rhein")
	}
}

// NewGlossary makes a glossary of entries, which must have a source and a
// target and no source twice: glossaries in tests, without a file.
func NewGlossary(entries ...Entry) (Glossary, error) {
	seen := make(map[string]bool, len(entries))
	out := make([]Entry, 0, len(entries))
	for _, e := range entries {
		e.Source = strings.TrimSpace(e.Source)
		e.Target = strings.TrimSpace(e.Target)
		e.Note = strings.TrimSpace(e.Note)
		if e.Source == "" || e.Target == "" {
			return Glossary{}, fmt.Errorf("glossary entry %q → %q: source and target are both required", e.Source, e.Target)
		}
		if seen[e.Source] {
			return Glossary{}, fmt.Errorf("glossary entry %q appears twice", e.Source)
		}
		seen[e.Source] = true
		out = append(out, e)
	}
	return newGlossary(out), nil
}

// findBySearch is find as it was first written, searching the text for
// every spelling of every entry: what the term index must find.
func findBySearch(g Glossary, text string) []match {
	var all []match
	for idx, e := range g.entries {
		for _, v := range spellings(e.Source) {
			for off := 0; off < len(text); {
				i := strings.Index(text[off:], v)
				if i < 0 {
					break
				}
				i += off
				j := i + len(v)
				if !isWordRune(runeBefore(text, i)) && termEnds(text, j, v) {
					all = append(all, match{i, j, idx})
				}
				_, size := utf8.DecodeRuneInString(text[i:])
				off = i + size
			}
		}
	}
	sort.Slice(all, func(a, b int) bool {
		if all[a].start != all[b].start {
			return all[a].start < all[b].start
		}
		if all[a].end != all[b].end {
			return all[a].end > all[b].end
		}
		return all[a].entry < all[b].entry
	})
	var kept []match
	for _, m := range all {
		if len(kept) > 0 && m.start < kept[len(kept)-1].end {
			continue
		}
		kept = append(kept, m)
	}
	return kept
}

// FuzzFind: the term index finds what searching for every term finds, in
// the built-in glossary plus short terms (the index files terms shorter
// than its key apart).
func FuzzFind(f *testing.F) {
	builtin, err := Load(prompts.Default(), "glossary.tsv")
	if err != nil {
		f.Fatal(err)
	}
	g := Merge(builtin, newGlossary([]Entry{{Source: "VS", Target: "US"}, {Source: "é", Target: "e"}, {Source: "'s-Hertogenbosch", Target: "'s-Hertogenbosch"}}))
	for _, s := range []string{
		"De Tweede Kamer debatteerde over Bachmoet en Ruslands aanval, in de VS en 's-Hertogenbosch.",
		"DEN HAAG - Het ministerie van Defensie; Loehansk-regio, Sint-Petersburg, Petersburg.",
		"é", "xVS VSs Oekraïne's", "\xe2VS \xffKyiv",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := g.find(s), findBySearch(g, s); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("find(%q) = %v, want %v", s, got, want)
		}
	})
}
