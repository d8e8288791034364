package translate_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/nl2en/nl2en/pipeline/check"
	"github.com/nl2en/nl2en/pipeline/openaitest"
	"github.com/nl2en/nl2en/pipeline/translate"
	"github.com/nl2en/nl2en/prompts"
)

// withChecks wires the checks of package check as the command does.
func withChecks(t *testing.T, strict bool) func(*translate.Config) {
	g, err := check.Load(prompts.Default(), "glossary.tsv")
	if err != nil {
		t.Fatal(err)
	}
	return func(c *translate.Config) {
		c.Strict = strict
		c.Judge = check.NewChecker(g)
	}
}

const dutch = "Het stadje Bachmoet telde ooit 80 duizend inwoners."

// wrong is a fluent translation with a wrong number and a place left in
// Dutch spelling.
func wrong(id, text string) string { return "The town of Bachmoet once had 8,000 inhabitants." }

func TestCheckRepairFixes(t *testing.T) {
	srv := openaitest.New(t, openaitest.WithTranslator(wrong))
	srv.Script(openaitest.KindRepair, openaitest.ReplaceContent(`{"segments":[{"id":"s1","text":"The town of Bakhmut once had 80,000 inhabitants."}]}`))
	tr := newTranslator(t, srv, withChecks(t, false))
	res, err := tr.Translate(context.Background(), articleOf(dutch))
	if err != nil {
		t.Fatal(err)
	}
	got := res.Translations[0]
	if got.Text != "The town of Bakhmut once had 80,000 inhabitants." || len(got.Warnings) != 0 {
		t.Errorf("got %q with warnings %v, want the repaired text and none", got.Text, got.Warnings)
	}
	var repair *openaitest.Request
	for _, r := range srv.Requests() {
		if r.Kind == openaitest.KindRepair {
			repair = &r
		}
	}
	if repair == nil {
		t.Fatal("no repair request was sent")
	}
	last := repair.Chat.Messages[len(repair.Chat.Messages)-1].Content
	for _, want := range []string{"80 duizend", "Bakhmut"} {
		if !strings.Contains(last, want) {
			t.Errorf("repair request does not name the problem with %q:\n%s", want, last)
		}
	}
	if got.Quality == nil || got.Quality.StillDutch {
		t.Errorf("quality = %+v, want measured English", got.Quality)
	}
}

func TestCheckWarnsWhenRepairFails(t *testing.T) {
	srv := openaitest.New(t, openaitest.WithTranslator(wrong))
	tr := newTranslator(t, srv, withChecks(t, false))
	res, err := tr.Translate(context.Background(), articleOf(dutch))
	if err != nil {
		t.Fatal(err)
	}
	w := strings.Join(res.Translations[0].Warnings, "\n")
	if !strings.Contains(w, "80 duizend") || !strings.Contains(w, "Bakhmut") {
		t.Errorf("warnings = %q, want the number and the glossary term", w)
	}
	if n := srv.Count(openaitest.KindRepair); n != 1 {
		t.Errorf("%d repair requests, want exactly 1", n)
	}
}

func TestStrictFails(t *testing.T) {
	srv := openaitest.New(t, openaitest.WithTranslator(wrong),
		openaitest.WithSummary("Bakhmut once had 80,000 inhabitants", "The town of Bakhmut once had 80,000 inhabitants.", "Bakhmut had 80,000 inhabitants."))
	tr := newTranslator(t, srv, withChecks(t, true))
	_, err := tr.Translate(context.Background(), articleOf(dutch))
	var se *translate.SegmentError
	if !errors.As(err, &se) || !strings.Contains(se.Failed[0].Reason, "(strict)") {
		t.Errorf("err = %v, want a SegmentError naming strict mode", err)
	}
}

// TestSampleRaisesNoWarning: a correct translation of the sample article
// passes every check, so no repair is asked for.
func TestSampleRaisesNoWarning(t *testing.T) {
	srv := openaitest.New(t, openaitest.WithTranslations(openaitest.SampleTranslations()))
	tr := newTranslator(t, srv, withChecks(t, true))
	res, err := tr.Translate(context.Background(), readArticle(t, "../../samples/bachmoet.txt"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tr := range res.Translations {
		if len(tr.Warnings) > 0 {
			t.Errorf("%s: warnings %v on a correct translation", tr.ID, tr.Warnings)
		}
		if q := tr.Quality; q != nil && (q.RatioOff || q.StillDutch || q.NotEnglish) {
			t.Errorf("%s: quality signal %+v on a correct translation", tr.ID, q)
		}
	}
	if n := srv.Count(openaitest.KindRepair); n != 0 {
		t.Errorf("%d repair requests for a correct translation", n)
	}
}

// TestGlossaryInRequest: only the entries whose Dutch term occurs in a
// batch travel with it.
func TestGlossaryInRequest(t *testing.T) {
	g, err := check.Load(prompts.Default(), "glossary.tsv")
	if err != nil {
		t.Fatal(err)
	}
	srv := openaitest.New(t)
	tr := newTranslator(t, srv, func(c *translate.Config) { c.Judge = check.NewChecker(g) })
	if _, err := tr.Translate(context.Background(), articleOf("De Russen rukken op naar Bachmoet en Loehansk, zegt het Kremlin.")); err != nil {
		t.Fatal(err)
	}
	for _, r := range srv.Requests() {
		if r.Kind != openaitest.KindTranslate {
			continue
		}
		last := r.Chat.Messages[len(r.Chat.Messages)-1].Content
		if !strings.Contains(last, `"glossary":"Bachmoet = Bakhmut\nLoehansk = Luhansk"`) {
			t.Errorf("glossary missing from the request, or not as Dutch = English lines: %s", last)
		}
		if strings.Contains(last, "Kremlin =") {
			t.Errorf("an entry that maps a term to itself was sent: %s", last)
		}
		if strings.Contains(last, "Kharkiv") {
			t.Errorf("an entry not in the text was sent: %s", last)
		}
	}
}
