package render_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nl2en/nl2en/pipeline"
	"github.com/nl2en/nl2en/pipeline/cost"
	"github.com/nl2en/nl2en/pipeline/render"
	"github.com/nl2en/nl2en/pipeline/render/rendertest"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// fixture is a result with every kind of segment and status.
func fixture() *pipeline.Result {
	segs := []struct {
		kind   pipeline.Kind
		nl, en string
		status pipeline.Status
		number int
	}{
		{pipeline.KindTitle, "Storm legt kust plat", "Storm paralyses the coast", pipeline.StatusTranslated, 0},
		{pipeline.KindByline, "Door Anna de Vries", "By Anna de Vries", pipeline.StatusTranslated, 0},
		{pipeline.KindDateline, "DEN HAAG -", "THE HAGUE -", pipeline.StatusTranslated, 0},
		{pipeline.KindParagraph, "Het KNMI gaf code oranje af.", "The KNMI issued code orange.", pipeline.StatusTranslated, 0},
		{pipeline.KindHeading, "Treinen rijden niet", "Trains are not running", pipeline.StatusTranslated, 0},
		{pipeline.KindListItem, "Blijf binnen", "Stay indoors", pipeline.StatusTranslated, 0},
		{pipeline.KindListItem, "Bel 112", "Call 112", pipeline.StatusTranslated, 0},
		{pipeline.KindCaption, "Een boom op een auto. Foto: ANP", "A tree on a car. Photo: ANP", pipeline.StatusTranslated, 0},
		{pipeline.KindQuote, "„Dit hebben we nooit gezien.”", "\"We have never seen this.\"", pipeline.StatusTranslated, 0},
		{pipeline.KindEmbed, "Wild day on the Dutch coast. — Jan (@jan) 2 maart 2024", "Wild day on the Dutch coast. — Jan (@jan) 2 maart 2024", pipeline.StatusKept, 0},
		{pipeline.KindParagraph, "# Geen kop, maar tekst.", "# Not a heading, but text.", pipeline.StatusTranslated, 0},
		{pipeline.KindParagraph, "Dit lukte niet.", "Dit lukte niet.", pipeline.StatusFailed, 0},
		{pipeline.KindFurniture, "Lees ook: -- meer storm", "Lees ook: -- meer storm", pipeline.StatusKept, 0},
		{pipeline.KindHeading, "1. Wat moet ik doen?", "1. What should I do?", pipeline.StatusTranslated, 0},
		{pipeline.KindListItem, "Ramen dicht", "Close the windows", pipeline.StatusTranslated, 1},
		{pipeline.KindListItem, "Tuin opruimen", "Tidy the garden", pipeline.StatusTranslated, 2},
		{pipeline.KindListItem, "Niet fietsen", "Do not cycle", pipeline.StatusTranslated, 0},
		{pipeline.KindListItem, "Buren helpen", "Help the neighbours", pipeline.StatusTranslated, 4},
		{pipeline.KindMedia, "Omgewaaide boom [archief]", "Fallen tree [archive]", pipeline.StatusTranslated, 0},
		{pipeline.KindMedia, "", "", pipeline.StatusKept, 0},
	}
	art := &pipeline.Article{Name: "storm.txt", Format: pipeline.FormatText, SHA256: strings.Repeat("ab", 32)}
	var trs []pipeline.Translation
	for i, s := range segs {
		id := "s" + string(rune('a'+i))
		seg := pipeline.Segment{ID: id, Kind: s.kind, Text: s.nl, Lang: "nl", LangConfidence: 0.98, ListNumber: s.number}
		if s.kind == pipeline.KindMedia {
			seg.Media = "img/boom (1).jpg"
			if s.nl == "" {
				seg.Media, seg.Lang, seg.LangConfidence, seg.Keep = "/img/kust.jpg", "", 0, true
			}
		}
		art.Segments = append(art.Segments, seg)
		tr := pipeline.Translation{ID: id, Text: s.en, Status: s.status}
		switch {
		case s.status == pipeline.StatusFailed:
			tr.Reason, tr.Cause = "the replies lacked this segment", pipeline.CauseMissing
		case s.kind == pipeline.KindMedia && s.status == pipeline.StatusKept:
			tr.Reason, tr.Cause = "an image without alternative text", pipeline.CauseNoText
		case s.status == pipeline.StatusKept:
			tr.Reason, tr.Cause = "already in en", pipeline.CauseEnglish
		}
		if s.nl == "Het KNMI gaf code oranje af." {
			tr.Warnings = []string{"glossary: KNMI should read as the Dutch weather service (KNMI)"}
			tr.Quality = &pipeline.Quality{LengthRatio: 0.96}
		}
		trs = append(trs, tr)
	}
	return &pipeline.Result{
		Article:      art,
		Translations: trs,
		Summary: pipeline.Summary{
			Title:     "Storm shuts down the Dutch coast",
			Summary:   "A storm brought code orange to the coast.\nTrains stopped.",
			KeyPoints: []string{"Code orange issued.", "Trains stopped."},
			Warnings:  []string{"the summary names 112, which the article gives only as a phone number"},
		},
		Model:   "gpt-4.1-mini",
		BaseURL: "https://api.openai.com/v1",
		Usage: map[pipeline.RequestKind]pipeline.Usage{
			pipeline.RequestTranslate: {Requests: 2, PromptTokens: 900, CompletionTokens: 400},
			pipeline.RequestSummary:   {Requests: 1, PromptTokens: 500, CachedTokens: 128, CompletionTokens: 90},
		},
		Timings:  pipeline.Timings{Split: 2 * time.Millisecond, Translate: 1500 * time.Millisecond, Summary: time.Second, Total: 1502 * time.Millisecond},
		Finished: time.Date(2026, 11, 25, 12, 30, 0, 0, time.UTC),
	}
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file; got:\n%s", name, got)
	}
}

func TestMarkdownGolden(t *testing.T) {
	var b bytes.Buffer
	if err := render.Markdown(&b, fixture(), "fp-test"); err != nil {
		t.Fatal(err)
	}
	golden(t, "storm.en.md", b.Bytes())
}

func TestJSONGolden(t *testing.T) {
	var b bytes.Buffer
	if err := render.JSON(&b, fixture(), render.Meta{Version: "test", Fingerprint: "fp-test", Price: func(_ pipeline.RequestKind, u pipeline.Usage) cost.Amount {
		p, _ := cost.Default().Lookup("gpt-4.1-mini")
		return cost.USD(cost.Cost(p, u))
	}, PricesFrom: "test prices"}); err != nil {
		t.Fatal(err)
	}
	golden(t, "storm.en.json", b.Bytes())
	rendertest.ValidateJSON(t, b.Bytes())

	var doc render.Document
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if got, want := doc.Usage.Total, (pipeline.Usage{Requests: 3, PromptTokens: 1400, CachedTokens: 128, CompletionTokens: 490}); got != want {
		t.Errorf("usage total = %+v, want %+v", got, want)
	}
	if doc.Cost.Total == nil || *doc.Cost.Total <= 0 {
		t.Errorf("cost = %+v, want a known total", doc.Cost)
	}
	if doc.Segments[11].Status != "failed" || doc.Segments[11].Reason == "" {
		t.Errorf("failed segment = %+v", doc.Segments[11])
	}
}

func TestMarkdownDetails(t *testing.T) {
	var b bytes.Buffer
	if err := render.Markdown(&b, fixture(), "fp-test"); err != nil {
		t.Fatal(err)
	}
	md := b.String()
	for _, want := range []string{
		"title: \"Storm paralyses the coast\"\n", // the article's own headline wins over the summary's
		"\n# Storm paralyses the coast\n",
		"THE HAGUE - The KNMI issued code orange.",
		"- Stay indoors\n- Call 112\n",
		"*A tree on a car. Photo: ANP*",
		"> Wild day on the Dutch coast.",
		"\\# Not a heading",
		"*[untranslated: the replies lacked this segment]* Dit lukte niet.",
		"<!-- Lees ook: - - meer storm -->",
		"## 1. What should I do?\n\n1. Close the windows\n2. Tidy the garden\n\n- Do not cycle\n\n4. Help the neighbours\n",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("Markdown lacks %q", want)
		}
	}
}

// TestJSONSourceFields checks the fields of the source that only some
// articles have: front matter, and the number of a numbered list item.
func TestJSONSourceFields(t *testing.T) {
	res := fixture()
	res.Article.Format = pipeline.FormatMarkdown
	res.Article.FrontMatter = map[string]any{"title": "Storm", "tags": []any{"weer", "kust"}, "draft": false}
	var b bytes.Buffer
	if err := render.JSON(&b, res, render.Meta{Version: "test"}); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Source struct {
			FrontMatter map[string]any `json:"front_matter"`
		} `json:"source"`
		Segments []map[string]any `json:"segments"`
	}
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	rendertest.ValidateJSON(t, b.Bytes())
	if got := doc.Source.FrontMatter["title"]; got != "Storm" {
		t.Errorf("got front matter title %v, want Storm", got)
	}
	if got := doc.Source.FrontMatter["tags"]; len(got.([]any)) != 2 {
		t.Errorf("got tags %v, want two", got)
	}
	var numbers []float64
	for _, s := range doc.Segments {
		if n, ok := s["list_number"]; ok {
			numbers = append(numbers, n.(float64))
		}
	}
	if fmt.Sprint(numbers) != "[1 2 4]" {
		t.Errorf("got list numbers %v, want [1 2 4] (none for bullets and other kinds)", numbers)
	}

	b.Reset()
	if err := render.JSON(&b, fixture(), render.Meta{Version: "test"}); err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(b.Bytes(), []byte("front_matter")) {
		t.Error("front_matter written for an article without front matter, want it left out")
	}
}

// TestJSONEnglishAndNames: the JSON says which English it is written in,
// and the names of the article with their one form.
func TestJSONEnglishAndNames(t *testing.T) {
	res := fixture()
	res.English = pipeline.EnglishUS
	res.Names = []pipeline.ArticleName{{Name: pipeline.Name{Dutch: "Den Helder", English: "Den Helder"}, Segments: 2, Learn: true}}
	var b bytes.Buffer
	if err := render.JSON(&b, res, render.Meta{Version: "test"}); err != nil {
		t.Fatal(err)
	}
	rendertest.ValidateJSON(t, b.Bytes())
	var doc render.Document
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.TargetLanguage != "en-US" {
		t.Errorf("target_language %q, want en-US", doc.TargetLanguage)
	}
	if len(doc.Names) != 1 || doc.Names[0] != (pipeline.Name{Dutch: "Den Helder", English: "Den Helder"}) {
		t.Errorf("names %+v", doc.Names)
	}
}

func TestJSONServedModel(t *testing.T) {
	tests := []struct {
		served string
		want   string // the line expected, "" for none
	}{
		{"gpt-4.1-mini-2025-04-14", `"served_model": "gpt-4.1-mini-2025-04-14",`},
		{"", ""},
	}
	for _, tt := range tests {
		t.Run(tt.served, func(t *testing.T) {
			res := fixture()
			res.ServedModel = tt.served
			var b bytes.Buffer
			if err := render.JSON(&b, res, render.Meta{Version: "test"}); err != nil {
				t.Fatal(err)
			}
			got := strings.Contains(b.String(), `"served_model"`)
			if got != (tt.want != "") {
				t.Fatalf("served_model present: got %v, want %v", got, tt.want != "")
			}
			if tt.want != "" && !strings.Contains(b.String(), tt.want) {
				t.Errorf("JSON lacks %s", tt.want)
			}
		})
	}
}
