package split

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
)

func TestReadFrontMatter(t *testing.T) {
	tests := []struct {
		name   string
		src    string
		ok     bool
		fields string // as JSON
		title  string // the text of the title range
	}{
		{"fields as they read", "---\ntitle: \"Kop\"\ndate: 2025-03-04\nweight: 3\nratio: 0.5\ndraft: false\nnone: ~\nodd: .nan\ntags: [a, b]\nauthors:\n  - name: Femke\n---\nTekst.",
			true, `{"authors":[{"name":"Femke"}],"date":"2025-03-04","draft":false,"none":null,"odd":".nan","ratio":0.5,"tags":["a","b"],"title":"Kop","weight":3}`, "Kop"},
		{"plain title", "---\ntitle:   Een kop  \n...\n", true, `{"title":"Een kop"}`, "Een kop"},
		{"single-quoted title", "---\ntitle: 'Zo’n dag'\n---\n", true, `{"title":"Zo’n dag"}`, "Zo’n dag"},
		{"title after wide characters", "---\nauteur: é\ntitle: \"Één kop\"\n---\n", true, `{"auteur":"é","title":"Één kop"}`, "Één kop"},
		{"escaped title is only metadata", "---\ntitle: \"Een \\\"kop\\\"\"\n---\n", true, `{"title":"Een \"kop\""}`, ""},
		{"folded title is only metadata", "---\ntitle: >\n  Een\n  kop\n---\n", true, `{"title":"Een kop\n"}`, ""},
		{"title over two lines is only metadata", "---\ntitle: Een\n  kop\n---\n", true, `{"title":"Een kop"}`, ""},
		{"empty", "---\n---\nTekst.", true, `null`, ""},
		{"aliases are bounded", "---\na: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n---\n", true, "", ""},
		{"not closed", "---\ntitle: Kop\n\nTekst.", false, "", ""},
		{"not at the start", "\n---\ntitle: Kop\n---\n", false, "", ""},
		{"not a mapping", "---\nEen zin.\n---\n", false, "", ""},
		{"keys with spaces are prose", "---\nLet op: dit.\n---\n", false, "", ""},
		{"not yaml", "---\ntitle: [\n---\n", false, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fm, ok := readFrontMatter(tt.src)
			if ok != tt.ok {
				t.Fatalf("got ok %v, want %v", ok, tt.ok)
			}
			if !ok {
				return
			}
			if !strings.HasPrefix(tt.src[fm.end:], "\n") && fm.end != len(tt.src) {
				t.Errorf("end %d is not the end of the closing line: %q", fm.end, tt.src[fm.end:])
			}
			b, err := json.Marshal(fm.fields)
			if err != nil {
				t.Fatalf("fields do not encode as JSON: %v", err)
			}
			if tt.fields != "" && string(b) != tt.fields {
				t.Errorf("got fields %s, want %s", b, tt.fields)
			}
			if got := tt.src[fm.title.start:fm.title.end]; got != tt.title {
				t.Errorf("got title %q, want %q", got, tt.title)
			}
		})
	}
}

func TestSplitFrontMatter(t *testing.T) {
	art, _ := splitFile(t, "testdata/articles/blog-warmtenet-zuidoost.mdx")
	if got, want := art.FrontMatter["title"], "Warmtenet Zuidoost: wat er verandert voor huurders"; got != want {
		t.Errorf("got front matter title %q, want %q", got, want)
	}
	if got := art.FrontMatter["tags"]; len(got.([]any)) != 3 {
		t.Errorf("got tags %v, want three", got)
	}
	// The body's "# " heading is the title; the front matter's is not
	// a segment.
	if s := art.Segments[0]; s.Kind != "title" || s.Text != "Huurders in Zuidoost krijgen vanaf 2026 warmte uit het net" {
		t.Errorf("got first segment %s %q, want the body's heading as title", s.Kind, s.Text)
	}
	for _, s := range art.Segments {
		for _, markup := range []string{"slug:", "import", "truncate", "Blockquote", "export", "**"} {
			if strings.Contains(s.Text, markup) {
				t.Errorf("%s %s %q holds markup %q", s.ID, s.Kind, s.Text, markup)
			}
		}
	}

	art, _ = splitFile(t, "testdata/articles/stalling-zwolle-frontmatter.md")
	if s := art.Segments[0]; s.Kind != "title" || s.Text != "Zwolle opent grootste fietsenstalling van Overijssel" {
		t.Errorf("got first segment %s %q, want the front matter title", s.Kind, s.Text)
	}

	// Front matter belongs to Markdown; a text file keeps its lines.
	plain, err := splitter(t).Split(context.Background(), "a.txt", []byte("---\ntitle: Kop\n---\n\nTekst."), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if plain.FrontMatter != nil {
		t.Errorf("got front matter %v for a text file, want none", plain.FrontMatter)
	}
}
