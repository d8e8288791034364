package render_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/nl2en/nl2en/pipeline"
	"github.com/nl2en/nl2en/pipeline/cost"
	"github.com/nl2en/nl2en/pipeline/render"
	"github.com/nl2en/nl2en/pipeline/render/rendertest"
)

func meta() render.Meta {
	return render.Meta{Version: "test", Fingerprint: "fp-test", Price: func(_ pipeline.RequestKind, u pipeline.Usage) cost.Amount {
		p, _ := cost.Default().Lookup("gpt-4.1-mini")
		return cost.USD(cost.Cost(p, u))
	}, PricesFrom: "test prices"}
}

func format(t *testing.T, name string) render.Format {
	t.Helper()
	f, ok := render.Named(name)
	if !ok {
		t.Fatalf("no format %q", name)
	}
	return f
}

func renderAs(t *testing.T, f render.Format, res *pipeline.Result) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := f.Render(&b, res, meta()); err != nil {
		t.Fatalf("render %s: %v", f.Name, err)
	}
	return b.Bytes()
}

func TestHTMLGolden(t *testing.T) {
	golden(t, "storm.en.html", renderAs(t, format(t, "html"), fixture()))
}

func TestBilingualGolden(t *testing.T) {
	golden(t, "storm.nl-en.md", renderAs(t, format(t, "bilingual"), fixture()))
}

// TestFormatList guards the one list of formats: names, aliases,
// suffixes, and what counts as an output.
func TestFormatList(t *testing.T) {
	var suffixes []string
	for _, f := range render.Formats() {
		if !strings.HasPrefix(f.Suffix, ".") || slices.Contains(suffixes, f.Suffix) {
			t.Errorf("format %s: suffix %q is not a fresh file name ending", f.Name, f.Suffix)
		}
		suffixes = append(suffixes, f.Suffix)
		if !f.HasStamp() {
			t.Errorf("built-in format %s carries no stamp: its outputs would never be up to date", f.Name)
		}
	}
	if got, want := render.FormatNames(), []string{"md", "json", "html", "bilingual"}; !slices.Equal(got, want) {
		t.Errorf("got formats %q, want %q", got, want)
	}
	for _, tt := range []struct {
		name, want string
	}{{"md", "md"}, {"Markdown", "md"}, {" JSON ", "json"}, {"html", "html"}, {"bilingual", "bilingual"}, {"pdf", ""}, {"", ""}} {
		f, ok := render.Named(tt.name)
		if ok != (tt.want != "") || f.Name != tt.want {
			t.Errorf("Named(%q) = %q, %v; want %q", tt.name, f.Name, ok, tt.want)
		}
	}
	if _, err := render.FormatsNamed("md", "pdf"); err == nil || !strings.Contains(err.Error(), `"pdf"`) {
		t.Errorf("FormatsNamed(md, pdf): got %v, want an error naming pdf", err)
	}
	for _, tt := range []struct {
		name string
		want bool
	}{
		{"a.en.md", true}, {"a.EN.JSON", true}, {"a.en.html", true}, {"a.nl-en.md", true},
		{"a.md", false}, {"a.html", false}, {"en.txt", false}, {"a.nl.md", false}, {"index.html", false},
	} {
		if got := render.IsOutput(tt.name); got != tt.want {
			t.Errorf("IsOutput(%q) = %v, want %v", tt.name, got, tt.want)
		}
	}
}

// complete is the fixture with every segment translated or kept.
func complete() *pipeline.Result {
	res := fixture()
	for i := range res.Translations {
		if res.Translations[i].Status == pipeline.StatusFailed {
			res.Translations[i] = pipeline.Translation{ID: res.Translations[i].ID, Text: "This did not work.", Status: pipeline.StatusTranslated}
		}
	}
	return res
}

// TestStampRoundTrip guards that each format's stamp reader reads back
// what its writer wrote: the source's sha256, the fingerprint and the
// segments left in Dutch, which package outputs judges an output by.
func TestStampRoundTrip(t *testing.T) {
	for _, f := range render.Formats() {
		t.Run(f.Name, func(t *testing.T) {
			st, err := f.ReadStamp(bytes.NewReader(renderAs(t, f, fixture())))
			if err != nil {
				t.Fatal(err)
			}
			want := render.Stamp{
				SHA256: strings.Repeat("ab", 32), Fingerprint: "fp-test", Untranslated: 1,
				Title: "Storm paralyses the coast", Model: "gpt-4.1-mini", Created: fixture().Finished, Source: "storm.txt",
			}
			if !st.Created.Equal(want.Created) {
				t.Errorf("got created %v, want %v", st.Created, want.Created)
			}
			st.Created = want.Created
			if st != want {
				t.Errorf("got stamp %+v, want %+v", st, want)
			}
			st, err = f.ReadStamp(bytes.NewReader(renderAs(t, f, complete())))
			if err != nil {
				t.Fatal(err)
			}
			if st.SHA256 != want.SHA256 || st.Fingerprint != "fp-test" || st.Untranslated != 0 {
				t.Errorf("stamp %+v of a complete output, want its source, fp-test and nothing untranslated", st)
			}
			if _, err := f.ReadStamp(strings.NewReader("Gewoon een artikel.\n")); err == nil {
				t.Error("read a stamp from a file that has none")
			}
		})
	}
}

// hostile is an article whose text tries markup and template syntax.
func hostile() *pipeline.Result {
	res := complete()
	res.Article.Segments[0].Text = `Kop </title><script>alert("nl")</script>`
	res.Translations[0].Text = `Headline </title><script>alert("en")</script> {{.summary.title}}`
	res.Article.Segments[3].Text = `Zie <img src=x onerror=alert(1)> en "quotes" & <b>vet</b>`
	res.Translations[3].Text = `See <a href="javascript:alert(1)">this</a> {{range .segments}}x{{end}}`
	res.Translations[3].Warnings = []string{`<iframe src="https://example.org"></iframe>`}
	res.Summary.KeyPoints = []string{`<style>body{display:none}</style>`}
	return res
}

// TestHTMLEscapes guards that nothing of an article's text reaches the
// page as markup: it is untrusted input.
func TestHTMLEscapes(t *testing.T) {
	page := string(renderAs(t, format(t, "html"), hostile()))
	for _, bad := range []string{"<script", "<img", "<iframe", "<a href=\"javascript", "<b>", "</title><", "<style>body"} {
		if strings.Contains(page, bad) {
			t.Errorf("the page holds %q from the article as markup", bad)
		}
	}
	for _, want := range []string{"&lt;script&gt;alert(&#34;en&#34;)&lt;/script&gt;", "&lt;img src=x onerror=alert(1)&gt;", "&amp; &lt;b&gt;vet&lt;/b&gt;", "{{.summary.title}}"} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks the escaped text %q", want)
		}
	}
	if n := strings.Count(page, "<style>"); n != 1 {
		t.Errorf("the page has %d style elements, want its own one", n)
	}
	st, err := format(t, "html").ReadStamp(strings.NewReader(page))
	if err != nil || st.Title != hostile().Translations[0].Text {
		t.Errorf("stamp of the hostile page: %+v, %v; want the title read back as text", st, err)
	}
}

// TestHTMLDetails guards what the review page shows besides the text.
func TestHTMLDetails(t *testing.T) {
	page := string(renderAs(t, format(t, "html"), fixture()))
	for _, want := range []string{
		`<h1>Storm paralyses the coast</h1>`,
		`<strong>Summary title:</strong> Storm shuts down the Dutch coast`,
		`<li>Code orange issued.</li>`,
		`<strong>Summary warnings:</strong>`,
		`the summary names 112, which the article gives only as a phone number`,
		`<section class="seg k-paragraph warned st-translated" id="sd">`,
		`<span class="badge warn">warning</span> glossary: KNMI should read as the Dutch weather service (KNMI)`,
		`<span class="badge fail">untranslated</span> not translated: the replies lacked this segment`,
		`<span class="badge">kept</span> kept as it is: already in en`,
		`<h3>Trains are not running</h3>`,
		`<p class="li"><span class="n">4.</span>Help the neighbours</p>`,
		`<p class="li"><span class="n">•</span>Stay indoors</p>`,
		`<p class="cap">A tree on a car. Photo: ANP</p>`,
		`<blockquote class="embed">Wild day on the Dutch coast.`,
		`Needs a look: <a href="#sd">sd</a> <a href="#sl">sl</a>`,
		`Translated with gpt-4.1-mini at api.openai.com on 25 November 2026, 12:30 UTC · cost $0.0013 (prices: test prices)`,
		`<div class="nl" lang="nl">`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	for _, bad := range []string{"<script", "http://", "https://", "@import", "url("} {
		if strings.Contains(strings.ReplaceAll(page, "https://api.openai.com", ""), bad) {
			t.Errorf("the page holds %q: it must stand alone", bad)
		}
	}
}

// TestBilingualDetails guards that each segment's Dutch stands with its
// English.
func TestBilingualDetails(t *testing.T) {
	md := string(renderAs(t, format(t, "bilingual"), fixture()))
	for _, want := range []string{
		"---\ntitle: \"Storm paralyses the coast\"\n",
		"\nnl2en_fingerprint: fp-test\n---\n",
		"**Summary warnings:**\n\n* the summary names 112",
		"<!-- sd · paragraph -->\n> Het KNMI gaf code oranje af.\n\nThe KNMI issued code orange.\n\n* **Warning:** glossary: KNMI",
		"<!-- se · heading -->\n> Treinen rijden niet\n\n## Trains are not running\n",
		"<!-- sr · list_item -->\n> 4\\. Buren helpen\n\n4. Help the neighbours\n",
		"<!-- sf · list_item -->\n> Blijf binnen\n\n- Stay indoors\n",
		"<!-- sj · embed -->\n> Wild day on the Dutch coast. — Jan (@jan) 2 maart 2024\n\n*(kept as it is: already in en)*\n",
		"<!-- sl · paragraph -->\n> Dit lukte niet.\n\n*[untranslated: the replies lacked this segment]* Dit lukte niet.\n",
		"<!-- sk · paragraph -->\n> \\# Geen kop, maar tekst.\n\n\\# Not a heading, but text.\n",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("bilingual Markdown lacks %q", want)
		}
	}
}

// TestTemplateFormat guards --template: the JSON's keys as data, article
// text never run as template syntax, and execution errors returned.
func TestTemplateFormat(t *testing.T) {
	const text = `{{.summary.title}} ({{.source.file}}, schema {{.schema_version}})
{{range .segments}}{{.id}} {{.kind}}{{with .list_number}} #{{.}}{{end}}: {{.text}}
{{end}}`
	f, err := render.TemplateFormat("card.tmpl", text)
	if err != nil {
		t.Fatal(err)
	}
	if f.Name != render.NameTemplate || f.Suffix != format(t, "md").Suffix || f.HasStamp() {
		t.Errorf("template format %+v: want the Markdown's suffix and no stamp", f)
	}
	out := string(renderAs(t, f, hostile()))
	for _, want := range []string{
		"Storm shuts down the Dutch coast (storm.txt, schema 2)\n",
		"sa title: Headline </title><script>alert(\"en\")</script> {{.summary.title}}\n",
		"sd paragraph: See <a href=\"javascript:alert(1)\">this</a> {{range .segments}}x{{end}}\n",
		"sr list_item #4: Help the neighbours\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("template output lacks %q:\n%s", want, out)
		}
	}

	if _, err := render.TemplateFormat("bad.tmpl", "{{.summary.title"); err == nil || !strings.Contains(err.Error(), "bad.tmpl") {
		t.Errorf("parse error: got %v, want one naming bad.tmpl", err)
	}
	f, err = render.TemplateFormat("exec.tmpl", "{{index .segments 99}}")
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Render(&bytes.Buffer{}, fixture(), meta()); err == nil || !strings.Contains(err.Error(), "exec.tmpl") {
		t.Errorf("execution error: got %v, want one naming exec.tmpl", err)
	}
}

// TestSchema guards that the schema is strict where it must be, that it
// takes the fields another branch adds, and that its enums are the
// pipeline's values.
func TestSchema(t *testing.T) {
	var b bytes.Buffer
	if err := render.JSON(&b, fixture(), meta()); err != nil {
		t.Fatal(err)
	}
	edit := func(f func(doc map[string]any)) []byte {
		var doc map[string]any
		if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
			t.Fatal(err)
		}
		f(doc)
		out, err := json.Marshal(doc)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	seg := func(doc map[string]any) map[string]any { return doc["segments"].([]any)[0].(map[string]any) }
	tests := []struct {
		name string
		edit func(doc map[string]any)
		ok   bool
	}{
		{"as written", func(map[string]any) {}, true},
		{"served model", func(d map[string]any) { d["served_model"] = "gpt-4.1-mini-2025-04-14" }, true},
		{"served model not a string", func(d map[string]any) { d["served_model"] = 4 }, false},
		{"unknown field", func(d map[string]any) { d["translator"] = "x" }, false},
		{"unknown segment field", func(d map[string]any) { seg(d)["colour"] = "red" }, false},
		{"unknown kind", func(d map[string]any) { seg(d)["kind"] = "sidebar" }, false},
		{"list number zero", func(d map[string]any) { seg(d)["list_number"] = 0 }, false},
		{"missing summary", func(d map[string]any) { delete(d, "summary") }, false},
		{"empty warnings", func(d map[string]any) { seg(d)["warnings"] = []any{} }, false},
		{"unknown cost", func(d map[string]any) { d["cost_usd"].(map[string]any)["total"] = nil }, true},
		{"bad date", func(d map[string]any) { d["created"] = "gisteren" }, false},
		{"other schema version", func(d map[string]any) { d["schema_version"] = 1 }, false},
		{"media kind", func(d map[string]any) { seg(d)["kind"] = "media"; seg(d)["media"] = "a.jpg" }, true},
		{"unknown cause", func(d map[string]any) { seg(d)["cause"] = "tired" }, false},
		{"english only", func(d map[string]any) { d["english_only"] = true }, true},
		{"American English", func(d map[string]any) { d["target_language"] = "en-US" }, true},
		{"no target language (older outputs)", func(d map[string]any) { delete(d, "target_language") }, true},
		{"other target language", func(d map[string]any) { d["target_language"] = "en-AU" }, false},
		{"names", func(d map[string]any) { d["names"] = []any{map[string]any{"dutch": "Charkiv", "english": "Kharkiv"}} }, true},
		{"a name without its English", func(d map[string]any) { d["names"] = []any{map[string]any{"dutch": "Charkiv"}} }, false},
		{"empty names", func(d map[string]any) { d["names"] = []any{} }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := rendertest.Validate(edit(tt.edit))
			if (err == nil) != tt.ok {
				t.Errorf("got %v, want valid %v", err, tt.ok)
			}
		})
	}

	var schema struct {
		Defs struct {
			Segment struct {
				Properties struct {
					Kind   struct{ Enum []string } `json:"kind"`
					Status struct{ Enum []string } `json:"status"`
					Cause  struct{ Enum []string } `json:"cause"`
				} `json:"properties"`
			} `json:"segment"`
		} `json:"$defs"`
	}
	if err := json.Unmarshal([]byte(render.Schema()), &schema); err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, k := range pipeline.Kinds {
		kinds = append(kinds, string(k))
	}
	if got := schema.Defs.Segment.Properties.Kind.Enum; !slices.Equal(got, kinds) {
		t.Errorf("schema kinds %q, want pipeline.Kinds %q", got, kinds)
	}
	var causes []string
	for _, c := range pipeline.Causes {
		causes = append(causes, string(c))
	}
	if got := schema.Defs.Segment.Properties.Cause.Enum; !slices.Equal(got, causes) {
		t.Errorf("schema causes %q, want pipeline.Causes %q", got, causes)
	}
	statuses := []string{string(pipeline.StatusTranslated), string(pipeline.StatusKept), string(pipeline.StatusFailed)}
	if got := schema.Defs.Segment.Properties.Status.Enum; !slices.Equal(got, statuses) {
		t.Errorf("schema statuses %q, want %q", got, statuses)
	}
}

// TestReviewPageInBrowser opens the fixture's review page, which has
// every kind, warnings, a failed and kept segments, in headless Chromium.
func TestReviewPageInBrowser(t *testing.T) {
	path := filepath.Join(t.TempDir(), "storm.en.html")
	if err := os.WriteFile(path, renderAs(t, format(t, "html"), fixture()), 0o644); err != nil {
		t.Fatal(err)
	}
	rendertest.CheckPage(t, path, render.NewDocument(fixture(), meta()), "storm")
}

// FuzzStamp guards the stamp readers, which parse files a user may have
// edited: they never panic on any input, and whatever the headline holds,
// each format's stamp gives back the source digest, the fingerprint and
// the headline its writer wrote.
func FuzzStamp(f *testing.F) {
	f.Add("Storm legt kust plat", []byte("---\ntitle: x\n---\n"))
	f.Add("---\nsource_sha256: 00\n---", []byte(`<meta name="nl2en-source-sha256" content="x"></head>`))
	f.Add(`</title><meta name="nl2en-fingerprint" content="evil">`, []byte("<title>\x00</title></head>"))
	f.Add("untranslated: 3\nnl2en_fingerprint: evil", []byte("{\"schema_version\": 1}"))
	f.Fuzz(func(t *testing.T, title string, junk []byte) {
		res := complete()
		res.Translations[0].Text = title
		for _, format := range render.Formats() {
			_, _ = format.ReadStamp(bytes.NewReader(junk))
			var b bytes.Buffer
			if err := format.Render(&b, res, meta()); err != nil {
				t.Fatalf("%s: %v", format.Name, err)
			}
			st, err := format.ReadStamp(&b)
			if err != nil {
				t.Fatalf("%s: %v", format.Name, err)
			}
			if st.SHA256 != res.Article.SHA256 || st.Fingerprint != "fp-test" || st.Untranslated != 0 {
				t.Errorf("%s: stamp %+v of a complete output under fp-test, want its source and settings back", format.Name, st)
			}
			want := title
			if format.Name == render.NameHTML {
				// One line, and NUL as HTML has it: U+FFFD.
				want = strings.ReplaceAll(strings.Join(strings.Fields(title), " "), "\x00", "\uFFFD")
			}
			// Article text is valid UTF-8 by the time it is rendered: the
			// splitter converts what is not.
			if utf8.ValidString(title) && st.Title != want {
				t.Errorf("%s: title read back %q, want %q", format.Name, st.Title, want)
			}
		}
	})
}

// TestOlderSchemaIsRead: an output of schema version 1 is read, and says
// so (pipeline/outputs counts it stale: kept, never missing or current).
func TestOlderSchemaIsRead(t *testing.T) {
	var d map[string]any
	if err := json.Unmarshal(renderAs(t, format(t, "json"), complete()), &d); err != nil {
		t.Fatal(err)
	}
	d["schema_version"] = 1
	b, _ := json.Marshal(d)
	st, err := format(t, "json").ReadStamp(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("a version 1 output is not read: %v", err)
	}
	if !st.Older || st.SHA256 != complete().Article.SHA256 {
		t.Errorf("stamp %+v of a version 1 output: want it read, and older", st)
	}
	d["schema_version"] = render.SchemaVersion + 1
	b, _ = json.Marshal(d)
	if _, err := format(t, "json").ReadStamp(bytes.NewReader(b)); err == nil {
		t.Error("an output of a schema version to come is read")
	}
}

// TestWebSource guards the fields an article fetched from the web adds
// to its outputs: within schema_version 2, only where there is a web
// source, with the stamp naming the address, so that the output is
// never taken for an orphan of a missing file.
func TestWebSource(t *testing.T) {
	res := complete()
	res.Article.Name = "https://kust.example.nl/artikel/zwembad?token=REDACTED"
	res.Article.Web = &pipeline.WebSource{
		URL:       "https://kust.example.nl/artikelen/zwembad",
		Fetched:   time.Date(2026, 12, 8, 2, 15, 3, 500, time.UTC),
		Feed:      "https://kust.example.nl/feeds/nieuws.rss",
		FeedTitle: "Het Kustnieuws",
		GUID:      "4711 at https://kust.example.nl",
		Published: time.Date(2026, 12, 7, 22, 40, 0, 0, time.FixedZone("CET", 3600)),
		TextFrom:  pipeline.TextFromFeed, Teaser: true, TeaserReason: "the page is a cookie or subscription wall",
	}
	js := renderAs(t, format(t, "json"), res)
	rendertest.ValidateJSON(t, js)
	var doc render.Document
	if err := json.Unmarshal(js, &doc); err != nil {
		t.Fatal(err)
	}
	src := doc.Source
	if src.URL != res.Article.Web.URL || src.Feed == "" || src.GUID == "" || !src.Teaser || src.TextFrom != "feed" ||
		src.Fetched.Nanosecond() != 0 || src.Published.Location() != time.UTC || src.Published.Hour() != 21 {
		t.Errorf("source = %+v", src)
	}
	md := string(renderAs(t, format(t, "md"), res))
	for _, want := range []string{"source_url: \"https://kust.example.nl/artikelen/zwembad\"", "published: 2026-12-07T21:40:00Z", "teaser: true"} {
		if !strings.Contains(md, want) {
			t.Errorf("Markdown front matter lacks %q", want)
		}
	}
	page := string(renderAs(t, format(t, "html"), res))
	if !strings.Contains(page, `<a href="https://kust.example.nl/artikelen/zwembad">`) || !strings.Contains(page, "only the feed's text was translated") {
		t.Error("the review page neither links the original nor says it is a teaser")
	}
	for _, f := range render.Formats() {
		st, err := f.ReadStamp(bytes.NewReader(renderAs(t, f, res)))
		if err != nil {
			t.Fatal(err)
		}
		if !st.FromWeb() || st.Source != res.Article.Name {
			t.Errorf("%s: stamp source %q, from the web %v", f.Name, st.Source, st.FromWeb())
		}
	}

	// A file's outputs carry none of it.
	js = renderAs(t, format(t, "json"), complete())
	for _, field := range []string{`"url"`, `"fetched"`, `"feed"`, `"teaser"`, `"text_from"`} {
		if bytes.Contains(js, []byte(field)) {
			t.Errorf("a file's JSON has %s", field)
		}
	}
	if st, _ := format(t, "md").ReadStamp(bytes.NewReader(renderAs(t, format(t, "md"), complete()))); st.FromWeb() {
		t.Error("a file's output counts as from the web")
	}
}
