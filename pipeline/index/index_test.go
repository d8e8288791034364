package index_test

import (
	"bytes"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/nl2en/nl2en/pipeline"
	"github.com/nl2en/nl2en/pipeline/index"
)

func entries() []index.Entry {
	usd := 0.0021
	day := func(d int) time.Time { return time.Date(2026, 11, d, 12, 0, 0, 0, time.UTC) }
	return []index.Entry{
		{Source: "in/b.txt", Outputs: []string{"b.en.md", "b.en.json", "b.en.html"}, Title: "Older <b>news</b>", Summary: "Old.", Status: "skipped", Tokens: pipeline.Usage{Requests: 2, PromptTokens: 900, CompletionTokens: 400}, Cost: &usd, Model: "m", Created: day(1)},
		{Source: "in/a.txt", Outputs: []string{"a.en.md", "a.en.json"}, Title: "Newest", Summary: "New.", Status: "done", Warnings: 2, Model: "m", Created: day(3)},
		{Source: "in/c.txt", Status: "failed", Error: "in/c.txt: empty file"},
		{Source: "in/d.txt", Outputs: []string{"sub dir/d.en.md"}, Title: "Middle", Status: "done", Untranslated: 1, Created: day(2)},
	}
}

// TestRender guards both files: the lines sorted by source with every
// field, the page newest first with what needs a look marked, links
// relative to the folder, and article text escaped.
func TestRender(t *testing.T) {
	raw, page, err := index.Render(entries(), time.Date(2026, 11, 3, 13, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	got, err := index.Parse(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	var sources []string
	for _, e := range got {
		sources = append(sources, e.Source)
	}
	if want := []string{"in/a.txt", "in/b.txt", "in/c.txt", "in/d.txt"}; !slices.Equal(sources, want) {
		t.Errorf("got index lines for %q, want %q", sources, want)
	}
	want := entries()[0]
	if b := got[1]; b.Title != want.Title || b.Tokens != want.Tokens || *b.Cost != *want.Cost || !b.Created.Equal(want.Created) || !slices.Equal(b.Outputs, want.Outputs) {
		t.Errorf("got %+v, want %+v", b, want)
	}
	lines := strings.Split(strings.TrimSpace(string(raw)), "\n")
	for _, field := range []string{`"source":`, `"outputs":`, `"title":`, `"summary":`, `"status":`, `"warnings":`, `"tokens":`, `"cost":`} {
		for i, l := range lines {
			if !strings.Contains(l, field) {
				t.Errorf("line %d lacks %s: %s", i+1, field, l)
			}
		}
	}
	if !strings.Contains(lines[2], `"outputs":[]`) || !strings.Contains(lines[2], `"cost":null`) || strings.Contains(lines[2], "created") {
		t.Errorf("failed article's line = %s, want no outputs, a null cost and no date", lines[2])
	}

	html := string(page)
	order := []string{"in/c.txt", "Newest", "Middle", "Older"}
	last := -1
	for _, s := range order {
		i := strings.Index(html, s)
		if i < last {
			t.Errorf("%q comes before the article listed before it: want %q, failures first then newest first", s, order)
		}
		last = i
	}
	for _, w := range []string{
		`<a href="b.en.html">Older &lt;b&gt;news&lt;/b&gt;</a>`,
		`<a href="a.en.md">Newest</a>`,
		`<a href="sub%20dir/d.en.md">md</a>`,
		`<li class="st-done look">`,
		`<span class="badge warn">2 warnings</span>`,
		`<span class="badge warn">1 untranslated</span>`,
		`<p class="error">in/c.txt: empty file</p>`,
		`<span class="badge skipped">up to date</span>`,
		`4 articles: 2 translated this run, 1 up to date, 1 failed · <strong>3 need a look</strong>`,
		`900 + 400 tokens · $0.0021`,
	} {
		if !strings.Contains(html, w) {
			t.Errorf("index.html lacks %q", w)
		}
	}
}

func TestNames(t *testing.T) {
	if got := index.Names(); !slices.Equal(got, []string{"index.jsonl", "index.html"}) {
		t.Errorf("got %q", got)
	}
}
