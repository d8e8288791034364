package check

import (
	"errors"
	"strings"
	"testing"

	"github.com/nl2en/nl2en/pipeline"
)

const houseStyle = "prefer\tavoid\tnote\n" +
	"# place names\n" +
	"Kyiv\tKiev\tthe city's own spelling\n" +
	"the Netherlands\tHolland\n" +
	"per cent\tpercent\n" +
	"\n" +
	"Zelensky\tZelenskiy\n"

func TestParseStyle(t *testing.T) {
	st, err := ParseStyle(strings.NewReader(houseStyle), "style.tsv")
	if err != nil {
		t.Fatal(err)
	}
	if st.Len() != 4 {
		t.Fatalf("%d lines, want 4: %+v", st.Len(), st.Lines())
	}
	if l := st.Lines()[0]; l.Prefer != "Kyiv" || l.Avoid != "Kiev" || l.Note != "the city's own spelling" {
		t.Errorf("first line %+v", l)
	}
	if p, ok := st.Preferred("kiev"); !ok || p != "Kyiv" {
		t.Errorf("Preferred(kiev) = %q, %v", p, ok)
	}
	if !st.Prefers("per cent") || st.Prefers("percent") {
		t.Error("Prefers wrong")
	}
}

func TestParseStyleErrors(t *testing.T) {
	tests := []struct {
		name, text string
		line       int
		msg        string
	}{
		{"one column", "Kyiv\tKiev\nKharkiv\n", 2, "separated by a tab"},
		{"four columns", "Kyiv\tKiev\ta\tb\n", 1, "at most 3 columns"},
		{"empty prefer", "\tKiev\n", 1, "form to write is empty"},
		{"empty avoid", "Kyiv\t\tnote\n", 1, "form to avoid is empty"},
		{"same", "Kyiv\tkyiv\n", 1, "both"},
		{"avoided twice", "# x\nKyiv\tKiev\nKyyiv\tKiev\n", 3, "already avoided on line 2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseStyle(strings.NewReader(tt.text), "house.tsv")
			var le *LineError
			if !errors.As(err, &le) {
				t.Fatalf("err %v, want a *LineError", err)
			}
			if le.Line != tt.line || !strings.Contains(err.Error(), tt.msg) || !strings.HasPrefix(err.Error(), "style file house.tsv line ") {
				t.Errorf("got %q (line %d), want line %d saying %q", err, le.Line, tt.line, tt.msg)
			}
		})
	}
}

// TestStyleLines: only the lines a batch's Dutch may need travel with it.
func TestStyleLines(t *testing.T) {
	st, err := ParseStyle(strings.NewReader(houseStyle), "style.tsv")
	if err != nil {
		t.Fatal(err)
	}
	c := NewChecker(builtinGlossary(t), WithStyle(st))
	tests := []struct {
		dutch string
		want  []string // the lines' forms to write
	}{
		{"De raketten troffen Kiev opnieuw.", []string{"Kyiv"}},
		{"De inflatie was 3,2 procent.", []string{"per cent"}},
		{"Nederland won met 2-1.", []string{"the Netherlands"}},
		{"President Zelenskiy sprak het parlement toe.", []string{"Zelensky"}},
		{"De gemeente bouwt nieuwe woningen.", nil},
	}
	for _, tt := range tests {
		var got []string
		for _, l := range c.StyleLines(tt.dutch) {
			got = append(got, l.Prefer)
		}
		if strings.Join(got, "|") != strings.Join(tt.want, "|") {
			t.Errorf("StyleLines(%q) = %q, want %q", tt.dutch, got, tt.want)
		}
	}
}

// TestStyleChecked: a translation that uses a form the style avoids has
// a problem naming the form to write; one that writes it has none.
func TestStyleChecked(t *testing.T) {
	st, err := ParseStyle(strings.NewReader(houseStyle), "style.tsv")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range pipeline.Englishes {
		c := NewChecker(builtinGlossary(t), WithStyle(st), WithEnglish(e))
		src := "De inflatie in Nederland was in februari 3,2 procent."
		for _, tt := range []struct {
			english string
			want    string
		}{
			{"Inflation in the Netherlands was 3.2 per cent in February.", ""},
			{"Inflation in the Netherlands was 3.2 percent in February.", `"percent" should be per cent`},
			{"Inflation in Holland was 3.2 per cent in February.", `"Holland" should be the Netherlands`},
		} {
			a := c.Article([]Segment{{Kind: pipeline.KindParagraph, Source: src, English: tt.english}})
			var msgs []string
			for _, p := range a.Check(0) {
				msgs = append(msgs, p.Message)
			}
			got := strings.Join(msgs, "; ")
			if (tt.want == "") != (got == "") || !strings.Contains(got, tt.want) {
				t.Errorf("%s %q: problems %q, want %q", e, tt.english, got, tt.want)
			}
		}
	}
}
