package check

import (
	"fmt"
	"reflect"
	"sync"
	"testing"

	"github.com/nl2en/nl2en/pipeline"
	"github.com/nl2en/nl2en/prompts"
)

// TestChecker: a Checker says what the package's functions say, whether
// a translation is judged for the first time or again, from many
// goroutines at once, and it remembers no more than checkerMemory
// translations.
func TestChecker(t *testing.T) {
	g, err := Load(prompts.Default(), "glossary.tsv")
	if err != nil {
		t.Fatal(err)
	}
	pairs := []struct{ source, translation string }{
		{"De Russische troepen rukken op bij Bachmoet, zei het ministerie dinsdag.", "Russian troops are advancing near Bakhmut, the ministry said on Tuesday."},
		{"De Russische troepen rukken op bij Bachmoet, zei het ministerie dinsdag.", "De Russische troepen rukken op bij Bachmoet, zei het ministerie dinsdag."},
		{"Het kabinet wil 80 duizend woningen bouwen.", "The cabinet wants to build houses."},
		{"Volgens Eddy van Wessel is de stad verwoest.", "Volgens is de stad verwoest."},
		{"Een korte zin.", "Een korte zin van hem."},
		{"Hij zei: 'We gaan door.'", "{]]{Mer4{ ЖЖ ﷽"},
	}
	ck := NewChecker(g)
	var wg sync.WaitGroup
	for round := range 2 {
		for _, p := range pairs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if got, want := ck.Reject(pipeline.KindParagraph, p.source, p.translation).String(), rejectPair(p.source, p.translation, g); got != want {
					t.Errorf("round %d: Reject(%q) = %q, want %q", round, p.translation, got, want)
				}
				art := ck.Article([]Segment{{Kind: pipeline.KindParagraph, Source: p.source, English: p.translation}})
				if got, want := art.Check(0), checkPair(p.source, p.translation, g); !reflect.DeepEqual(got, want) {
					t.Errorf("round %d: Check(%q) = %v, want %v", round, p.translation, got, want)
				}
				if got, want := ck.Measure(p.source, p.translation), measurePair(p.source, p.translation); got != want {
					t.Errorf("round %d: Measure(%q) = %+v, want %+v", round, p.translation, got, want)
				}
			}()
		}
		wg.Wait()
	}
	for i := range checkerMemory + 10 {
		ck.Measure("Een zin.", fmt.Sprintf("A sentence, number %d.", i))
	}
	if n := ck.counts.Len(); n > checkerMemory {
		t.Errorf("the checker remembers %d translations, want at most %d", n, checkerMemory)
	}
}
