package main

// Tests of one English form per name across an output folder (the names
// memory, names.tsv, and nl2en names), of --english and of --style, run
// as a user runs them.

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nl2en/nl2en/pipeline/index"
	"github.com/nl2en/nl2en/pipeline/job"
	"github.com/nl2en/nl2en/pipeline/openaitest"
)

// namedArticle is a short Dutch article that names a man in two of its
// paragraphs, with nothing else for the checks to find.
func namedArticle(name, word string) string {
	return "Nieuwe " + word + " fietsenstalling bij het station\n\n" +
		"De gemeente opent volgende week een " + word + " fietsenstalling, zei wethouder " + name + " dinsdag.\n\n" +
		"Volgens " + name + " is er al jaren te weinig plek voor fietsen in de binnenstad.\n"
}

// keepNames translates as a model that keeps names as the Dutch writes
// them: the server renders them as it is told or as an option says.
func keepNames(id, text string) string {
	switch {
	case strings.Contains(text, "zei wethouder"):
		name := strings.TrimSuffix(text[strings.Index(text, "zei wethouder ")+len("zei wethouder "):], " dinsdag.")
		return "The council opens a new bicycle shed next week, alderman " + name + " said on Tuesday."
	case strings.HasPrefix(text, "Volgens "):
		name := strings.TrimSuffix(strings.TrimPrefix(text, "Volgens "), " is er al jaren te weinig plek voor fietsen in de binnenstad.")
		return "According to " + name + ", there has been too little room for bicycles in the town centre for years."
	}
	return "A new bicycle shed at the station."
}

func namesServer(t *testing.T, opts ...openaitest.Option) *openaitest.Server {
	return openaitest.New(t, append([]openaitest.Option{openaitest.WithAPIKey(testKey), openaitest.WithTranslator(keepNames)}, opts...)...)
}

func readNamesFile(t *testing.T, out string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(out, "names.tsv"))
	if err != nil {
		t.Fatalf("names memory: %v", err)
	}
	return string(b)
}

func indexEntries(t *testing.T, out string) map[string]index.Entry {
	t.Helper()
	es, err := index.Read(filepath.Join(out, index.JSONL))
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]index.Entry{}
	for _, e := range es {
		m[filepath.Base(e.Source)] = e
	}
	return m
}

// TestNamesMemoryAcrossRuns: a folder run writes names.tsv; a later run
// tells the model those names and renders them by it; a different
// rendering planted in a later run is repaired to the memory's form and
// reported as a conflict in the report, the index and nl2en names (exit
// 1); articles rendered side by side that disagree are a conflict too,
// and the memory learns one form.
func TestNamesMemoryAcrossRuns(t *testing.T) {
	dir, out := t.TempDir(), filepath.Join(t.TempDir(), "english")
	writeFileAt(t, filepath.Join(dir, "a.txt"), namedArticle("Jermak", "rode"))
	writeFileAt(t, filepath.Join(dir, "b.txt"), namedArticle("Jermak", "blauwe"))
	translate := func(srv *openaitest.Server) result {
		t.Helper()
		r := runCLI(t, nil, append(translateArgs(srv, ""), dir, "--out", out)...)
		if r.code != 0 {
			t.Fatalf("translate: exit %d\n%s", r.code, r.stderr)
		}
		return r
	}

	// 1. The model writes Yermak; the memory learns it from both articles.
	translate(namesServer(t, openaitest.WithNameForms("Jermak", "Yermak")))
	mem := readNamesFile(t, out)
	if want := "dutch\tenglish\tseen\tfirst_seen_in\nJermak\tYermak\t2\t" + filepath.Join(dir, "a.txt") + "\n"; mem != want {
		t.Fatalf("names.tsv:\n%q\nwant\n%q", mem, want)
	}
	if r := runCLI(t, nil, "names", out); r.code != 0 || !strings.Contains(r.stdout, "Jermak") || !strings.Contains(r.stdout, "no conflicts") {
		t.Errorf("nl2en names: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}

	// 2. A new article: the request tells the model the memory's form,
	// and the output holds it.
	writeFileAt(t, filepath.Join(dir, "c.txt"), namedArticle("Jermak", "groene"))
	srv := namesServer(t)
	translate(srv)
	told := 0
	for _, r := range srv.Requests() {
		if r.Kind == openaitest.KindTranslate && strings.Contains(r.Chat.Messages[len(r.Chat.Messages)-1].Content, `"names":"Jermak = Yermak"`) {
			told++
		}
	}
	if told == 0 {
		t.Error("no translation request told the model the memory's form of Jermak")
	}
	if md, _ := os.ReadFile(filepath.Join(out, "c.en.md")); !strings.Contains(string(md), "alderman Yermak") || strings.Contains(string(md), "Jermak said") {
		t.Errorf("c.en.md does not render the name by the memory:\n%s", md)
	}
	if n := srv.Count(openaitest.KindRepair); n != 0 {
		t.Errorf("%d repairs, want none", n)
	}
	if mem := readNamesFile(t, out); !strings.Contains(mem, "Jermak\tYermak\t3\t") {
		t.Errorf("names.tsv does not count the third article:\n%s", mem)
	}

	// 3. A model that writes the name otherwise: repaired to the
	// memory's form, and a conflict everywhere it is reported.
	writeFileAt(t, filepath.Join(dir, "d.txt"), namedArticle("Jermak", "gele"))
	srv = namesServer(t, openaitest.WithNameForms("Jermak", "Iermak"))
	translate(srv)
	if md, _ := os.ReadFile(filepath.Join(out, "d.en.md")); !strings.Contains(string(md), "Yermak") || strings.Contains(string(md), "Iermak") {
		t.Errorf("d.en.md is not held to the memory's form:\n%s", md)
	}
	rep := readRunReport(t, filepath.Join(out, "report.json"))
	if rep.Names == nil || len(rep.Names.Conflicts) != 1 {
		t.Fatalf("report names %+v, want one conflict", rep.Names)
	}
	if c := rep.Names.Conflicts[0]; c.Dutch != "Jermak" || c.English != "Yermak" || c.Other != "Iermak" || c.From != "memory" || filepath.Base(c.Source) != "d.txt" {
		t.Errorf("report conflict %+v", c)
	}
	if e := indexEntries(t, out)["d.txt"]; len(e.NameConflicts) != 1 || e.NameConflicts[0].Other != "Iermak" {
		t.Errorf("index line of d.txt: conflicts %+v", e.NameConflicts)
	}
	if mem := readNamesFile(t, out); !strings.Contains(mem, "Jermak\tYermak\t") {
		t.Errorf("a learned entry was overwritten:\n%s", mem)
	}
	r := runCLI(t, nil, "names", out)
	if r.code != 1 || len(linesWith(r.stdout, "Iermak")) != 1 || !strings.Contains(r.stdout, "1 conflict:") {
		t.Errorf("nl2en names with a conflict: exit %d, want 1\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = runCLI(t, nil, "names", "--format", "json", out)
	var listing job.NamesListing
	if err := json.Unmarshal([]byte(r.stdout), &listing); err != nil || r.code != 1 || len(listing.Conflicts) != 1 || len(listing.Names) != 1 {
		t.Errorf("nl2en names --format json: exit %d, %v\n%s", r.code, err, r.stdout)
	}

	// 4. Two articles side by side that render a new name differently:
	// neither can learn from the other; the memory learns one form and
	// the other article's is a conflict.
	writeFileAt(t, filepath.Join(dir, "e.txt"), strings.Replace(namedArticle("Boedanov", "witte"), "Volgens Boedanov", "Volgens hem", 1))
	writeFileAt(t, filepath.Join(dir, "f.txt"), strings.Replace(namedArticle("Boedanov", "zwarte"), "Volgens Boedanov", "Volgens hem", 1))
	translate(namesServer(t, openaitest.WithNameForms("Boedanov", "Budanov", "Budanow")))
	form := func(name string) string {
		md, _ := os.ReadFile(filepath.Join(out, name))
		if strings.Contains(string(md), "Budanow") {
			return "Budanow"
		}
		return "Budanov"
	}
	e, f := form("e.en.md"), form("f.en.md")
	if e == f {
		t.Fatalf("both articles have %s: the fake did not render the name two ways", e)
	}
	if mem := readNamesFile(t, out); !strings.Contains(mem, "Boedanov\t"+e+"\t1\t") {
		t.Errorf("names.tsv did not learn e.txt's form %s:\n%s", e, mem)
	}
	rep = readRunReport(t, filepath.Join(out, "report.json"))
	if rep.Names == nil || len(rep.Names.Conflicts) != 1 {
		t.Fatalf("report names %+v, want one conflict", rep.Names)
	}
	if c := rep.Names.Conflicts[0]; c.From != "run" || c.English != e || c.Other != f || filepath.Base(c.Source) != "f.txt" {
		t.Errorf("run conflict %+v", c)
	}
	// The conflict of d.txt stands while it is up to date.
	if e := indexEntries(t, out)["d.txt"]; e.Status != "skipped" || len(e.NameConflicts) != 1 {
		t.Errorf("skipped d.txt lost its conflict: %+v", e)
	}
	if r := runCLI(t, nil, "names", out); r.code != 1 || len(linesWith(r.stdout, "Boedanov")) != 2 || len(linesWith(r.stdout, "Iermak")) != 1 {
		t.Errorf("nl2en names: exit %d\n%s", r.code, r.stdout)
	}
}

// TestNoNames: --no-names neither reads nor writes the memory, and
// requests carry no names from it.
func TestNoNames(t *testing.T) {
	dir, out := t.TempDir(), t.TempDir()
	writeFileAt(t, filepath.Join(out, "names.tsv"), "dutch\tenglish\tseen\tfirst_seen_in\nJermak\tYermak\t1\tx.txt\n")
	writeFileAt(t, filepath.Join(dir, "a.txt"), namedArticle("Jermak", "rode"))
	srv := namesServer(t)
	r := runCLI(t, nil, append(translateArgs(srv, ""), dir, "--out", out, "--no-names")...)
	if r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	for _, req := range srv.Requests() {
		if strings.Contains(req.Chat.Messages[len(req.Chat.Messages)-1].Content, `"names":`) {
			t.Errorf("a request carries names with --no-names")
		}
	}
	if mem := readNamesFile(t, out); mem != "dutch\tenglish\tseen\tfirst_seen_in\nJermak\tYermak\t1\tx.txt\n" {
		t.Errorf("names.tsv changed with --no-names:\n%s", mem)
	}
}

// TestNamesFileErrors: a names memory that cannot be read stops the run
// before anything is sent, naming the file and line.
func TestNamesFileErrors(t *testing.T) {
	dir, out := t.TempDir(), t.TempDir()
	writeFileAt(t, filepath.Join(out, "names.tsv"), "dutch\tenglish\tseen\tfirst_seen_in\nJermak\n")
	writeFileAt(t, filepath.Join(dir, "a.txt"), namedArticle("Jermak", "rode"))
	srv := namesServer(t)
	r := runCLI(t, nil, append(translateArgs(srv, ""), dir, "--out", out)...)
	want := "nl2en: names memory " + filepath.Join(out, "names.tsv") + " line 2: "
	if r.code != 2 || !strings.HasPrefix(r.stderr, want) || !strings.Contains(r.stderr, "--no-names") || strings.Count(r.stderr, "\n") != 1 {
		t.Errorf("exit %d, stderr %q; want 2 and one line starting %q", r.code, r.stderr, want)
	}
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("%d requests sent", n)
	}
	if r := runCLI(t, nil, "names", out); r.code != 2 || !strings.Contains(r.stderr, "line 2") {
		t.Errorf("nl2en names of a memory with a bad line: exit %d, want 2 as for translate\n%s", r.code, r.stderr)
	}
	if r := runCLI(t, nil, "names", filepath.Join(out, "nothing")); r.code != 2 {
		t.Errorf("nl2en names of no folder: exit %d, want 2\n%s", r.code, r.stderr)
	}
}

// TestNamesBatch: through the Batch API, an article whose replies write
// a name two ways is repaired live at collect, counted as live, and the
// memory is learned at collect.
func TestNamesBatch(t *testing.T) {
	dir, out := t.TempDir(), t.TempDir()
	writeFileAt(t, filepath.Join(dir, "a.txt"), namedArticle("Jermak", "rode"))
	srv := namesServer(t, openaitest.WithNameForms("Jermak", "Yermak", "Iermak"))
	args := append(apiArgs(srv), "--out", out)
	if r := runCLI(t, nil, append(append([]string{"batch", "submit"}, args...), dir)...); r.code != 0 {
		t.Fatalf("submit: exit %d\n%s", r.code, r.stderr)
	}
	if _, err := os.Stat(filepath.Join(out, "names.tsv")); err == nil {
		t.Error("submit wrote a names memory before anything was collected")
	}
	srv.FinishBatches()
	r := runCLI(t, nil, append([]string{"batch", "collect"}, append(apiArgs(srv), out)...)...)
	if r.code != 0 {
		t.Fatalf("collect: exit %d\n%s", r.code, r.stderr)
	}
	md := string(mustRead(t, filepath.Join(out, "a.en.md")))
	if strings.Contains(md, "Yermak") == strings.Contains(md, "Iermak") {
		t.Errorf("a.en.md does not hold one form of the name:\n%s", md)
	}
	rep := readRunReport(t, filepath.Join(out, "report.json"))
	if rep.Total.LiveRequests != 1 || rep.Usage["repair"].Requests != 1 || len(rep.Live) != 1 || !strings.Contains(rep.Live[0].Reason, "repair") {
		t.Errorf("collect: %d live requests, repairs %+v, live %+v: want the name's repair, sent live", rep.Total.LiveRequests, rep.Usage["repair"], rep.Live)
	}
	if mem := readNamesFile(t, out); !strings.Contains(mem, "Jermak\tYermak\t1\t") {
		t.Errorf("names.tsv after collect:\n%s", mem)
	}
}
