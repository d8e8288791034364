package translate_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/nl2en/nl2en/pipeline"
	"github.com/nl2en/nl2en/pipeline/cache"
	"github.com/nl2en/nl2en/pipeline/check"
	"github.com/nl2en/nl2en/pipeline/names"
	"github.com/nl2en/nl2en/pipeline/openaitest"
	"github.com/nl2en/nl2en/pipeline/translate"
)

// jermak is an article that names one man in every segment, and its
// English, which keeps the name as the Dutch writes it: the fake renders
// it (WithNameForms), or the names memory has it rendered. The glossary
// does not have the name, so that the article and the memory decide its
// form.
var jermak = []struct{ nl, en string }{
	{"Jermak spreekt Europees Parlement toe", "Jermak addresses the European Parliament"},
	{"Stafchef Jermak van Oekraïne sprak dinsdag in Straatsburg. Hij vroeg om meer steun.", "Chief of staff Jermak of Ukraine spoke in Strasbourg on Tuesday. He asked for more support."},
	{"Volgens Jermak is de situatie aan het front ernstig.", "According to Jermak, the situation at the front is serious."},
	{"Jermak bedankte de Europese leiders voor hun hulp.", "Jermak thanked the European leaders for their help."},
}

func jermakArticle() *pipeline.Article {
	var texts []string
	for _, p := range jermak {
		texts = append(texts, p.nl)
	}
	art := articleOf(texts...)
	art.Segments[0].Kind = pipeline.KindTitle
	return art
}

func jermakEnglish() map[string]string {
	m := map[string]string{}
	for _, p := range jermak {
		m[p.nl] = p.en
	}
	return m
}

func memoryOf(t *testing.T, lines ...string) *names.Memory {
	t.Helper()
	m, err := names.Parse(strings.NewReader(names.Header+"\n"+strings.Join(lines, "\n")+"\n"), "names.tsv")
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// forms counts the segments whose English holds each form of the name.
func forms(res *pipeline.Result, candidates ...string) map[string]int {
	out := map[string]int{}
	for _, tr := range res.Translations {
		for _, c := range candidates {
			for _, w := range strings.FieldsFunc(tr.Text, func(r rune) bool { return r == ' ' || r == ',' || r == '.' }) {
				if w == c {
					out[c]++
					break
				}
			}
		}
	}
	return out
}

func warningsOf(res *pipeline.Result) []string {
	var out []string
	for _, tr := range res.Translations {
		out = append(out, tr.Warnings...)
	}
	return out
}

func lastUser(r openaitest.Request) map[string]json.RawMessage {
	var m map[string]json.RawMessage
	_ = json.Unmarshal([]byte(r.Chat.Messages[len(r.Chat.Messages)-1].Content), &m)
	return m
}

// TestNamesOneForm: a model that writes a name two ways in one article
// gets one repair request, for the segments that give the other form,
// and the output holds one form.
func TestNamesOneForm(t *testing.T) {
	srv := openaitest.New(t, openaitest.WithTranslations(jermakEnglish()),
		openaitest.WithNameForms("Jermak", "Yermak", "Iermak"))
	res, err := checked(t, srv, nil).Translate(context.Background(), jermakArticle())
	if err != nil {
		t.Fatal(err)
	}
	got := forms(res, "Yermak", "Iermak", "Jermak")
	if len(got) != 1 || got["Yermak"] != 4 {
		t.Errorf("segments by form %v, want all 4 with Yermak (the first form, given as often as the other)", got)
	}
	if w := warningsOf(res); len(w) > 0 {
		t.Errorf("warnings %q, want none", w)
	}
	if n := srv.Count(openaitest.KindRepair); n != 1 {
		t.Errorf("%d repair requests, want 1", n)
	}
	for _, r := range srv.Requests() {
		if r.Kind != openaitest.KindRepair {
			continue
		}
		var nm string
		_ = json.Unmarshal(lastUser(r)["names"], &nm)
		if !strings.Contains(nm, "Jermak = Yermak") {
			t.Errorf("the repair request's names %q do not give the form chosen", nm)
		}
		if ids := r.SegmentIDs; !slices.Equal(ids, []string{"s2", "s4"}) {
			t.Errorf("repair asked for %v, want s2 and s4", ids)
		}
	}
	want := pipeline.ArticleName{Name: pipeline.Name{Dutch: "Jermak", English: "Yermak"}, Segments: 4, Learn: true}
	if !slices.Contains(res.Names, want) {
		t.Errorf("names %+v, want %+v among them", res.Names, want)
	}
	if len(res.NameConflicts) != 0 {
		t.Errorf("conflicts %+v without a names memory", res.NameConflicts)
	}
}

// TestNamesFallbackModes: a server without json_schema is asked for the
// names in the prompt, and the names pass works the same.
func TestNamesFallbackModes(t *testing.T) {
	for _, formats := range [][]string{{"json_object"}, {"text"}} {
		srv := openaitest.New(t, openaitest.WithResponseFormats(formats...), openaitest.WithTranslations(jermakEnglish()),
			openaitest.WithNameForms("Jermak", "Yermak", "Iermak"))
		res, err := checked(t, srv, nil).Translate(context.Background(), jermakArticle())
		if err != nil {
			t.Fatal(err)
		}
		if got := forms(res, "Yermak", "Iermak"); len(got) != 1 || got["Yermak"] != 4 {
			t.Errorf("%v: segments by form %v, want Yermak in all 4", formats, got)
		}
		if n := srv.Count(openaitest.KindRepair); n != 1 {
			t.Errorf("%v: %d repairs, want 1", formats, n)
		}
	}
}

// TestNamesWarnedNotRepaired: with --allow-partial, or when the repair
// does not take, the segments that give another form keep it, with a
// warning saying so; the memory may not learn from them.
func TestNamesWarnedNotRepaired(t *testing.T) {
	for _, tt := range []struct {
		name    string
		mod     func(*translate.Config)
		script  []openaitest.Fault
		repairs int
	}{
		{"allow-partial", allowPartial, nil, 0},
		{"repair not taken", nil, []openaitest.Fault{openaitest.ReplaceContent(`{"segments":[]}`)}, 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv := openaitest.New(t, openaitest.WithTranslations(jermakEnglish()),
				openaitest.WithNameForms("Jermak", "Yermak", "Iermak"))
			for _, f := range tt.script {
				srv.Script(openaitest.KindRepair, f)
			}
			res, err := checked(t, srv, tt.mod).Translate(context.Background(), jermakArticle())
			if err != nil {
				t.Fatal(err)
			}
			if n := srv.Count(openaitest.KindRepair); n != tt.repairs {
				t.Errorf("%d repair requests, want %d", n, tt.repairs)
			}
			for _, i := range []int{1, 3} {
				w := strings.Join(res.Translations[i].Warnings, "\n")
				if !strings.Contains(w, `name "Jermak" is written "Iermak" here and "Yermak" elsewhere`) {
					t.Errorf("%s warnings %q, want the name's other form", res.Translations[i].ID, w)
				}
			}
			for _, i := range []int{0, 2} {
				if w := res.Translations[i].Warnings; len(w) > 0 {
					t.Errorf("%s warnings %q, want none", res.Translations[i].ID, w)
				}
			}
		})
	}
}

// TestNamesMemory: a request carries the memory's forms of the names its
// batch holds, a model that heeds them renders them so, and one that
// writes a name otherwise is repaired to the memory's form, the
// difference a conflict.
func TestNamesMemory(t *testing.T) {
	mem := memoryOf(t, "Jermak\tYermak\t3\ta.txt", "Charkiv\tKharkiv\t1\ta.txt")
	t.Run("heeded", func(t *testing.T) {
		srv := openaitest.New(t, openaitest.WithTranslations(jermakEnglish()))
		res, err := checked(t, srv, func(c *translate.Config) { c.Names = mem }).Translate(context.Background(), jermakArticle())
		if err != nil {
			t.Fatal(err)
		}
		if got := forms(res, "Yermak", "Jermak"); got["Yermak"] != 4 || got["Jermak"] > 0 {
			t.Errorf("segments by form %v, want Yermak in all 4", got)
		}
		for _, r := range srv.Requests() {
			if r.Kind != openaitest.KindTranslate {
				continue
			}
			var nm string
			_ = json.Unmarshal(lastUser(r)["names"], &nm)
			if nm != "Jermak = Yermak" {
				t.Errorf("names %q, want the memory's form of the one name the batch holds", nm)
			}
		}
		if srv.Count(openaitest.KindRepair) != 0 || len(res.NameConflicts) != 0 {
			t.Errorf("%d repairs, conflicts %+v: want none", srv.Count(openaitest.KindRepair), res.NameConflicts)
		}
	})
	t.Run("rendered otherwise", func(t *testing.T) {
		srv := openaitest.New(t, openaitest.WithTranslations(jermakEnglish()), openaitest.WithNameForms("Jermak", "Iermak"))
		res, err := checked(t, srv, func(c *translate.Config) { c.Names = mem }).Translate(context.Background(), jermakArticle())
		if err != nil {
			t.Fatal(err)
		}
		if got := forms(res, "Yermak", "Iermak"); got["Yermak"] != 4 || got["Iermak"] > 0 {
			t.Errorf("segments by form %v, want the memory's Yermak in all 4", got)
		}
		want := []pipeline.NameConflict{{Dutch: "Jermak", English: "Yermak", Other: "Iermak", From: pipeline.ConflictMemory}}
		if !slices.Equal(res.NameConflicts, want) {
			t.Errorf("conflicts %+v, want %+v", res.NameConflicts, want)
		}
		if n := srv.Count(openaitest.KindRepair); n != 1 {
			t.Errorf("%d repair requests, want 1", n)
		}
	})
}

// TestNamesCached: segments from the cache keep the forms their replies
// listed and go through the same pass: a memory learned since holds
// them to its form, and the repaired ones are cached so, so the next run
// pays nothing.
func TestNamesCached(t *testing.T) {
	c, err := cache.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	// One server for every run: the cache serves a server's answers to
	// that server alone.
	srv := openaitest.New(t, openaitest.WithTranslations(jermakEnglish()), openaitest.WithNameForms("Jermak", "Yermak"))
	run := func(mem *names.Memory) (*pipeline.Result, map[string]int) {
		t.Helper()
		before := len(srv.Requests())
		res, err := checked(t, srv, func(cfg *translate.Config) { cfg.Cache, cfg.Names = c, mem }).Translate(context.Background(), jermakArticle())
		if err != nil {
			t.Fatal(err)
		}
		kinds := map[string]int{}
		for _, r := range srv.Requests()[before:] {
			kinds[r.Kind]++
		}
		return res, kinds
	}
	res, _ := run(nil)
	if got := forms(res, "Yermak"); got["Yermak"] != 4 {
		t.Fatalf("first run: %v", got)
	}
	mem := memoryOf(t, "Jermak\tIermak\t1\tother.txt")
	res, sent := run(mem)
	if sent[openaitest.KindTranslate] != 0 || sent[openaitest.KindRepair] != 1 {
		t.Errorf("second run sent %v, want one repair and no translation: the cache holds every segment", sent)
	}
	if got := forms(res, "Yermak", "Iermak"); got["Iermak"] != 4 {
		t.Errorf("second run: segments by form %v, want the memory's Iermak in all 4", got)
	}
	if len(res.NameConflicts) != 1 || res.NameConflicts[0].Other != "Yermak" {
		t.Errorf("second run: conflicts %+v, want Yermak against the memory", res.NameConflicts)
	}
	res, sent = run(mem)
	if len(sent) != 0 {
		t.Errorf("third run sent %v, want nothing", sent)
	}
	if got := forms(res, "Iermak"); got["Iermak"] != 4 || len(res.NameConflicts) != 0 {
		t.Errorf("third run: %v, conflicts %+v", got, res.NameConflicts)
	}
}

// TestStoryInEveryBatch: each translation request carries the article's
// headline and lead sentence, as they stand in Dutch, unless it holds
// them itself.
func TestStoryInEveryBatch(t *testing.T) {
	sample, err := os.ReadFile("../../samples/bachmoet.txt")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "bachmoet.txt")
	if err := os.WriteFile(path, append([]byte("Rusland komt bij Bachmoet niet vooruit\n\n"), sample...), 0o644); err != nil {
		t.Fatal(err)
	}
	art := readArticle(t, path)
	if art.Segments[0].Kind != pipeline.KindTitle {
		t.Fatalf("%s: want a title first", art.Segments[0].Kind)
	}
	srv := openaitest.New(t, openaitest.WithTranslations(openaitest.SampleTranslations()))
	tr := newTranslator(t, srv, func(c *translate.Config) { c.Spread, c.Concurrency = true, 4 })
	if _, err := tr.Translate(context.Background(), art); err != nil {
		t.Fatal(err)
	}
	title := art.Segments[0].Text
	batches := 0
	for _, r := range srv.Requests() {
		if r.Kind != openaitest.KindTranslate {
			continue
		}
		batches++
		var st struct{ Headline, Lead string }
		_ = json.Unmarshal(lastUser(r)["story"], &st)
		holdsTitle := slices.Contains(r.SegmentIDs, art.Segments[0].ID)
		switch {
		case holdsTitle && st.Headline != "":
			t.Errorf("batch %v holds the title and is told it again", r.SegmentIDs)
		case !holdsTitle && st.Headline != title:
			t.Errorf("batch %v: headline %q, want %q", r.SegmentIDs, st.Headline, title)
		case !slices.Contains(r.SegmentIDs, art.Segments[1].ID) && (st.Lead == "" || !strings.HasPrefix(art.Segments[1].Text, st.Lead)):
			t.Errorf("batch %v: lead %q, want the first sentence of the article", r.SegmentIDs, st.Lead)
		}
	}
	if batches < 2 {
		t.Fatalf("%d batches, want the sample spread over several", batches)
	}
}

// TestEnglishVariety: the prompts ask for the variety chosen, and the
// result says which it is.
func TestEnglishVariety(t *testing.T) {
	for _, tt := range []struct {
		e    pipeline.English
		want string
	}{{"", "British English"}, {pipeline.EnglishGB, "British English"}, {pipeline.EnglishUS, "American English"}} {
		srv := openaitest.New(t)
		res, err := newTranslator(t, srv, func(c *translate.Config) { c.English = tt.e }).Translate(context.Background(), articleOf("Het stadje telde ooit 80 duizend inwoners."))
		if err != nil {
			t.Fatal(err)
		}
		if res.English != tt.e.Or() {
			t.Errorf("%q: result in %q", tt.e, res.English)
		}
		for _, r := range srv.Requests() {
			if sys := r.Chat.Messages[0].Content; !strings.Contains(sys, tt.want) || strings.Contains(sys, "{{") {
				t.Errorf("%q: %s prompt %q, want it to ask for %s", tt.e, r.Kind, sys, tt.want)
			}
		}
	}
}

// TestStyleInRequests: a batch carries the house style's lines its text
// may need, and no others; a translation that uses a form the style
// avoids is repaired.
func TestStyleInRequests(t *testing.T) {
	st, err := check.ParseStyle(strings.NewReader("Kyiv\tKiev\nper cent\tpercent\nthe Netherlands\tHolland\n"), "style.tsv")
	if err != nil {
		t.Fatal(err)
	}
	srv := openaitest.New(t, openaitest.WithTranslator(func(_, text string) string {
		return "Inflation in Holland rose to 3.2 per cent in February."
	}))
	srv.Script(openaitest.KindRepair, openaitest.ReplaceContent(`{"segments":[{"id":"s1","text":"Inflation in the Netherlands rose to 3.2 per cent in February.","names":[]}]}`))
	tr := newTranslator(t, srv, func(c *translate.Config) { c.Judge = check.NewChecker(glossary(t), check.WithStyle(st)) })
	res, err := tr.Translate(context.Background(), articleOf("De inflatie in Nederland steeg in februari naar 3,2 procent."))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range srv.Requests() {
		if r.Kind != openaitest.KindTranslate {
			continue
		}
		var style string
		_ = json.Unmarshal(lastUser(r)["style"], &style)
		if style != "per cent, not percent\nthe Netherlands, not Holland" {
			t.Errorf("style %q, want the two lines the text may need", style)
		}
	}
	if got := res.Translations[0]; got.Text != "Inflation in the Netherlands rose to 3.2 per cent in February." || len(got.Warnings) > 0 {
		t.Errorf("got %q %q, want the house style's form after a repair", got.Text, got.Warnings)
	}
}

// TestNamesInSummary: a summary that writes a name in a form the article
// was held away from is asked again, naming the article's form.
func TestNamesInSummary(t *testing.T) {
	summarizer := func(r openaitest.SummaryRequest) openaitest.Summary {
		name := "Iermak"
		if r.Previous != nil && strings.Contains(strings.Join(r.Problems, " "), `as "Yermak"`) {
			name = "Yermak"
		}
		return openaitest.Summary{
			Title:     name + " addresses the European Parliament",
			Summary:   "Chief of staff " + name + " asked for more support in Strasbourg.",
			KeyPoints: []string{name + " spoke on Tuesday.", "He thanked the European leaders."},
		}
	}
	srv := openaitest.New(t, openaitest.WithTranslations(jermakEnglish()),
		openaitest.WithNameForms("Jermak", "Yermak", "Iermak"), openaitest.WithSummarizer(summarizer))
	res, err := checked(t, srv, nil).Translate(context.Background(), jermakArticle())
	if err != nil {
		t.Fatal(err)
	}
	all := res.Summary.Title + res.Summary.Summary + strings.Join(res.Summary.KeyPoints, " ")
	if strings.Contains(all, "Iermak") || !strings.Contains(all, "Yermak") || len(res.Summary.Warnings) > 0 {
		t.Errorf("summary %+v, want Yermak, as the article has it", res.Summary)
	}
	if n := srv.Count(openaitest.KindSummary); n != 2 {
		t.Errorf("%d summary requests, want 2", n)
	}
}
