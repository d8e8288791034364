package names

import (
	"errors"
	"strings"
	"testing"

	"github.com/nl2en/nl2en/pipeline"
)

const memoryFile = "dutch\tenglish\tseen\tfirst_seen_in\n" +
	"# kept by the desk\n" +
	"Zelenski\tZelensky\t3\tarticles/a.txt\n" +
	"Jan de Vries\tJan de Vries\t1\tarticles/b.txt\n" +
	"Jan\tJan\n" +
	"Charkiv\tKharkiv\t2\tarticles/c.txt\n"

func mustParse(t *testing.T, s string) *Memory {
	t.Helper()
	m, err := Parse(strings.NewReader(s), "names.tsv")
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestParse(t *testing.T) {
	m := mustParse(t, memoryFile)
	if m.Len() != 4 {
		t.Fatalf("%d names, want 4", m.Len())
	}
	if e, ok := m.Lookup("Zelenski"); !ok || e != "Zelensky" {
		t.Errorf("Lookup(Zelenski) = %q, %v", e, ok)
	}
	if got := m.Entries()[0]; got.Seen != 3 || got.FirstSeenIn != "articles/a.txt" {
		t.Errorf("first entry %+v", got)
	}
	if m := mustParse(t, ""); m.Len() != 0 {
		t.Error("an empty file holds names")
	}
	var none *Memory
	if _, ok := none.Lookup("x"); ok || none.Len() != 0 || none.Matching("x") != nil {
		t.Error("a nil memory holds names")
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		text string
		line int
		msg  string
	}{
		{Header + "\nZelenski\n", 2, "separated by a tab"},
		{Header + "\nZelenski\tZelensky\t1\ta\tb\n", 2, "at most 4 columns"},
		{Header + "\n\tZelensky\n", 2, "Dutch form is empty"},
		{Header + "\nZelenski\t\n", 2, "English form of \"Zelenski\" is empty"},
		{Header + "\nZelenski\tZelensky\tmany\n", 2, "not a count"},
		{Header + "\nZelenski\tZelensky\n# x\nZelenski\tZelenskyy\n", 4, "already on line 2"},
	}
	for _, tt := range tests {
		_, err := Parse(strings.NewReader(tt.text), "out/names.tsv")
		var le *LineError
		if !errors.As(err, &le) || le.Line != tt.line || !strings.Contains(err.Error(), tt.msg) ||
			!strings.HasPrefix(err.Error(), "names memory out/names.tsv line ") {
			t.Errorf("%q: got %v, want line %d saying %q", tt.text, err, tt.line, tt.msg)
		}
	}
}

func TestMatching(t *testing.T) {
	m := mustParse(t, memoryFile)
	tests := []struct {
		text string
		want []string
	}{
		{"Zelenski sprak met Jan de Vries over Charkiv.", []string{"Zelenski", "Jan de Vries", "Charkiv"}},
		{"Jan zag Zelenski's rede; Zelenski zweeg.", []string{"Jan", "Zelenski"}},
		{"De Zelenskiregering en Jans fiets.", nil},
		{"Charkiv-regio", []string{"Charkiv"}},
	}
	for _, tt := range tests {
		var got []string
		for _, e := range m.Matching(tt.text) {
			got = append(got, e.Dutch)
		}
		if strings.Join(got, "|") != strings.Join(tt.want, "|") {
			t.Errorf("Matching(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

type style map[string]string // avoid → prefer

func (s style) Preferred(f string) (string, bool) { p, ok := s[f]; return p, ok }
func (s style) Prefers(f string) bool {
	for _, p := range s {
		if p == f {
			return true
		}
	}
	return false
}

func TestChoose(t *testing.T) {
	mem := mustParse(t, memoryFile)
	glossary := func(d string) (string, bool) {
		if d == "Kiev" {
			return "Kyiv", true
		}
		return "", false
	}
	layers := Layers{Style: style{"Zelenskiy": "Zelenskyy"}, Glossary: glossary, Memory: mem}
	tests := []struct {
		name   string
		dutch  string
		forms  []Form
		want   Choice
		repair []bool // for each form
	}{
		{"style avoids one form", "Zelenski", []Form{{"Zelensky", 3}, {"Zelenskiy", 1}}, Choice{"Zelenskyy", LayerStyle}, []bool{true, true}},
		{"style writes one form", "Zelenski", []Form{{"Zelensky", 3}, {"Zelenskyy", 1}}, Choice{"Zelenskyy", LayerStyle}, []bool{true, false}},
		{"glossary over memory and count", "Kiev", []Form{{"Kiev", 3}, {"Kyiv", 1}}, Choice{"Kyiv", LayerGlossary}, []bool{true, false}},
		{"glossary, one form: checked as a term", "Kiev", []Form{{"Kiev", 3}}, Choice{"Kyiv", LayerGlossary}, []bool{false}},
		{"memory over count", "Charkiv", []Form{{"Charkiv", 3}, {"Kharkiv", 1}}, Choice{"Kharkiv", LayerMemory}, []bool{true, false}},
		{"memory, one form", "Charkiv", []Form{{"Kharkov", 2}}, Choice{"Kharkiv", LayerMemory}, []bool{true}},
		{"most segments", "Bachmoet", []Form{{"Bakhmut", 1}, {"Bachmut", 2}}, Choice{"Bachmut", LayerArticle}, []bool{true, false}},
		{"first of as many", "Bachmoet", []Form{{"Bakhmut", 2}, {"Bachmut", 2}}, Choice{"Bakhmut", LayerFirst}, []bool{false, true}},
		{"one form, nothing above", "Bachmoet", []Form{{"Bakhmut", 2}}, Choice{"Bakhmut", LayerArticle}, []bool{false}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := layers.Choose(tt.dutch, tt.forms)
			if got != tt.want {
				t.Errorf("Choose = %+v, want %+v", got, tt.want)
			}
			for i, f := range tt.forms {
				if r := Repair(tt.forms, got, f.English); r != tt.repair[i] {
					t.Errorf("Repair(%q) = %v, want %v", f.English, r, tt.repair[i])
				}
			}
		})
	}
}

func name(d, e string, learn bool) pipeline.ArticleName {
	return pipeline.ArticleName{Name: pipeline.Name{Dutch: d, English: e}, Segments: 1, Learn: learn}
}

// TestRunPass: names the memory lacked that articles of one run rendered
// differently are conflicts; the memory learns the form most articles
// gave, from clean segments only.
func TestRunPass(t *testing.T) {
	mem := mustParse(t, memoryFile)
	var run Run
	// As the articles of a run end: in any order.
	run.Add("c.txt", []pipeline.ArticleName{name("Oleksandr Syrski", "Oleksandr Syrskyi", true)})
	run.Add("a.txt", []pipeline.ArticleName{name("Oleksandr Syrski", "Oleksandr Syrsky", true), name("Zelenski", "Zelensky", true)})
	run.Add("b.txt", []pipeline.ArticleName{name("Oleksandr Syrski", "Oleksandr Syrsky", false), name("Kuleba", "Kuleba", false)})
	learned, conflicts := run.Pass(mem)
	var got []string
	for _, l := range learned {
		got = append(got, l.Dutch+"="+l.English+"@"+strings.Join(l.Sources, ","))
	}
	if want := "Oleksandr Syrski=Oleksandr Syrsky@a.txt|Zelenski=Zelensky@a.txt"; strings.Join(got, "|") != want {
		t.Errorf("learned %q, want %q", got, want)
	}
	if len(conflicts) != 1 {
		t.Fatalf("conflicts %+v, want one", conflicts)
	}
	want := pipeline.NameConflict{Dutch: "Oleksandr Syrski", English: "Oleksandr Syrsky", Other: "Oleksandr Syrskyi", From: pipeline.ConflictRun, Source: "c.txt"}
	if conflicts[0] != want {
		t.Errorf("conflict %+v, want %+v", conflicts[0], want)
	}
}

// TestMerge: what a run learned is laid over the file as it is now: new
// names added, known ones counted, edits and comments kept, and a name
// the file has in another form never overwritten but a conflict.
func TestMerge(t *testing.T) {
	// Edited during the run: Charkiv's form changed by hand, a comment
	// and a name added.
	now := strings.Replace(memoryFile, "Charkiv\tKharkiv\t2\tarticles/c.txt", "Charkiv\tKharkov\t2\tarticles/c.txt\n# added by hand\nKuleba\tKuleba", 1)
	data, added, conflicts, err := Merge([]byte(now), "names.tsv", []Learned{
		{Dutch: "Zelenski", English: "Zelensky", Sources: []string{"d.txt", "e.txt"}},
		{Dutch: "Charkiv", English: "Kharkiv", Sources: []string{"d.txt"}},
		{Dutch: "Oleksandr Syrski", English: "Oleksandr Syrsky", Sources: []string{"e.txt"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := "dutch\tenglish\tseen\tfirst_seen_in\n" +
		"# kept by the desk\n" +
		"Zelenski\tZelensky\t5\tarticles/a.txt\n" +
		"Jan de Vries\tJan de Vries\t1\tarticles/b.txt\n" +
		"Jan\tJan\n" +
		"Charkiv\tKharkov\t2\tarticles/c.txt\n" +
		"# added by hand\n" +
		"Kuleba\tKuleba\n" +
		"Oleksandr Syrski\tOleksandr Syrsky\t1\te.txt\n"
	if string(data) != want {
		t.Errorf("merged file:\n%s\nwant:\n%s", data, want)
	}
	if added != 1 {
		t.Errorf("added %d, want 1", added)
	}
	wantC := pipeline.NameConflict{Dutch: "Charkiv", English: "Kharkov", Other: "Kharkiv", From: pipeline.ConflictMemory, Source: "d.txt"}
	if len(conflicts) != 1 || conflicts[0] != wantC {
		t.Errorf("conflicts %+v, want %+v", conflicts, wantC)
	}
	if _, _, _, err := Merge([]byte(Header+"\nbroken\n"), "names.tsv", nil); err == nil {
		t.Error("a file that cannot be read was merged over")
	}
	// A file that does not exist yet gets the header and the names.
	data, _, _, err = Merge(nil, "names.tsv", []Learned{{Dutch: "Kuleba", English: "Kuleba", Sources: []string{"a.txt"}}})
	if err != nil || string(data) != Header+"\nKuleba\tKuleba\t1\ta.txt\n" {
		t.Errorf("new file %q, %v", data, err)
	}
}
