package main

// Tests of --english and --style that need a fake answering as the test
// says and a look at the prompts sent. Their errors on the command line
// are testdata/script/names_and_english.txtar.

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/nl2en/nl2en/pipeline/openaitest"
)

// evalRefs serves the references of an article of the evaluation set, in
// British English or, with us, American English.
func evalRefs(t *testing.T, name string, us bool) *openaitest.References {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("../../pipeline/testdata/eval", name+".ref.json"))
	if err != nil {
		t.Fatal(err)
	}
	type block struct {
		NL, EN    string
		Sentences []struct{ NL, EN string }
	}
	type version struct {
		Blocks  []block
		Summary openaitest.Summary
	}
	var ref struct {
		version
		US *version
	}
	if err := json.Unmarshal(b, &ref); err != nil {
		t.Fatal(err)
	}
	v := ref.version
	if us {
		v = *ref.US
	}
	refs := openaitest.NewReferences()
	for _, bl := range v.Blocks {
		refs.Add(bl.NL, bl.EN)
		for _, s := range bl.Sentences {
			refs.Add(s.NL, s.EN)
		}
	}
	refs.AddSummary(v.Blocks[0].NL, v.Summary)
	return refs
}

// TestEnglishUS: --english us asks for American English; an article
// full of dates and times, answered in American English, is written with
// the American forms, en-US in its JSON, and the checks silent. The same
// folder made in British English before is stale to an --english us run:
// kept, and redone with --redo-stale.
func TestEnglishUS(t *testing.T) {
	const article = "05-code-oranje-ijzel"
	dir, out := t.TempDir(), t.TempDir()
	src, err := os.ReadFile(filepath.Join("../../pipeline/testdata/eval", article+".txt"))
	if err != nil {
		t.Fatal(err)
	}
	writeFileAt(t, filepath.Join(dir, article+".txt"), string(src))
	// One server, answering as a model asked for British English, then
	// for American: another server would make the outputs stale by
	// itself.
	gbRefs, usRefs := evalRefs(t, article, false), evalRefs(t, article, true)
	var american atomic.Bool
	refs := func() *openaitest.References {
		if american.Load() {
			return usRefs
		}
		return gbRefs
	}
	srv := openaitest.New(t, openaitest.WithAPIKey(testKey),
		openaitest.WithTranslator(func(id, text string) string { return refs().Translate(id, text) }),
		openaitest.WithSummarizer(func(r openaitest.SummaryRequest) openaitest.Summary { return refs().Summarize(r) }))
	doc := filepath.Join(out, article+".en.json")

	if r := runCLI(t, nil, append(translateArgs(srv, ""), dir, "--out", out)...); r.code != 0 {
		t.Fatalf("GB run: exit %d\n%s", r.code, r.stderr)
	}
	d := readDoc(t, doc)
	if d.TargetLanguage != "en-GB" || !strings.Contains(mustRead(t, doc), "4am") {
		t.Errorf("GB run: target_language %q, or no 4am in the text", d.TargetLanguage)
	}
	if n := srv.Count(openaitest.KindRepair); n != 0 {
		t.Errorf("GB run: %d repairs, want none", n)
	}

	american.Store(true)
	before := len(srv.Requests())
	r := runCLI(t, nil, append(translateArgs(srv, ""), dir, "--out", out, "--english", "us")...)
	if r.code != 0 || len(srv.Requests()) != before || !strings.Contains(r.stderr, "other settings") {
		t.Fatalf("US run over the GB folder: exit %d, %d requests, want 0 and the output kept as stale\n%s", r.code, len(srv.Requests())-before, r.stderr)
	}
	if d := readDoc(t, doc); d.TargetLanguage != "en-GB" {
		t.Errorf("the stale output was rewritten: %s", d.TargetLanguage)
	}
	r = runCLI(t, nil, append(translateArgs(srv, ""), dir, "--out", out, "--redo-stale")...)
	if r.code != 0 || len(srv.Requests()) != before {
		t.Errorf("without --english (GB again): exit %d, %d requests, want the output up to date\n%s", r.code, len(srv.Requests())-before, r.stderr)
	}
	t.Setenv("NL2EN_ENGLISH", "us")
	r = runCLI(t, nil, append(translateArgs(srv, ""), dir, "--out", out, "--redo-stale")...)
	if r.code != 0 {
		t.Fatalf("US run with --redo-stale: exit %d\n%s", r.code, r.stderr)
	}
	d = readDoc(t, doc)
	text := mustRead(t, doc)
	if d.TargetLanguage != "en-US" {
		t.Errorf("target_language %q, want en-US", d.TargetLanguage)
	}
	for _, want := range []string{"4 a.m.", "11 a.m.", "February 11, 2025"} {
		if !strings.Contains(text, want) {
			t.Errorf("the American output lacks %q", want)
		}
	}
	for _, s := range d.Segments {
		if len(s.Warnings) > 0 {
			t.Errorf("%s: warnings %q", s.ID, s.Warnings)
		}
	}
	us := srv.Requests()[before:]
	if n := countKind(us, openaitest.KindRepair); n != 0 || len(d.Summary.Warnings) > 0 || len(us) == 0 {
		t.Errorf("%d requests, %d repairs, summary warnings %q: want the checks silent", len(us), n, d.Summary.Warnings)
	}
	for _, req := range us {
		if !strings.Contains(req.Chat.Messages[0].Content, "American English (December 1, 2022, 7:15 a.m.") {
			t.Errorf("a %s request does not ask for American English", req.Kind)
			break
		}
	}
}

// TestStyleFile: a house style is given to the prompts that need it,
// checked, and part of the settings: outputs made without it are stale.
func TestStyleFile(t *testing.T) {
	dir, out := t.TempDir(), t.TempDir()
	writeFileAt(t, filepath.Join(dir, "a.txt"), "Inflatie gestegen\n\nDe inflatie in Nederland steeg in februari naar 3,2 procent.\n")
	style := filepath.Join(t.TempDir(), "house.tsv")
	writeFileAt(t, style, "the Netherlands\tHolland\tour style\n")
	srv := openaitest.New(t, openaitest.WithAPIKey(testKey), openaitest.WithTranslator(func(_, text string) string {
		if strings.HasPrefix(text, "De inflatie") {
			return "Inflation in Holland rose to 3.2% in February."
		}
		return "Inflation up"
	}))
	if r := runCLI(t, nil, append(translateArgs(srv, ""), dir, "--out", out)...); r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	r := runCLI(t, nil, append(translateArgs(srv, ""), dir, "--out", out, "--style", style)...)
	if r.code != 0 || !strings.Contains(r.stderr, "other settings") {
		t.Errorf("a run with a style file over outputs made without: exit %d, want them stale\n%s", r.code, r.stderr)
	}
	before := len(srv.Requests())
	r = runCLI(t, nil, append(translateArgs(srv, ""), dir, "--out", out, "--style", style, "--redo-stale")...)
	if r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	sent := false
	for _, req := range srv.Requests()[before:] {
		if req.Kind == openaitest.KindTranslate {
			sent = sent || strings.Contains(req.Chat.Messages[len(req.Chat.Messages)-1].Content, `"style":"the Netherlands, not Holland"`)
		}
	}
	if !sent {
		t.Error("no translation request carried the style line its text needs")
	}
	d := readDoc(t, filepath.Join(out, "a.en.json"))
	if w := strings.Join(d.Segments[1].Warnings, "; "); !strings.Contains(w, `house style: "Holland" should be the Netherlands`) {
		t.Errorf("warnings %q, want the style's", w)
	}
}
