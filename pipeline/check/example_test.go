package check_test

import (
	"fmt"

	"github.com/nl2en/nl2en/pipeline"
	"github.com/nl2en/nl2en/pipeline/check"
	"github.com/nl2en/nl2en/prompts"
)

func ExampleArticle_Check() {
	g, err := check.Load(prompts.Default(), "glossary.tsv")
	if err != nil {
		fmt.Println(err)
		return
	}
	art := check.NewChecker(g).Article([]check.Segment{{
		Kind:    pipeline.KindParagraph,
		Source:  "De strijd om Bachmoet, dat ooit 80 duizend inwoners telde. ‘Een slijtageslag’, aldus fotograaf Eddy van Wessel.",
		English: "The fight for Bachmoet, which once had 8,000 inhabitants. A war of attrition, says a photographer.",
	}})
	for _, p := range art.Check(0) {
		fmt.Printf("%s: %s\n", p.Kind, p.Message)
	}
	// Output:
	// glossary: glossary term "Bachmoet" should appear as Bakhmut
	// number: number "80 duizend" should appear as 80,000
	// name: name "Eddy van Wessel" is missing
	// quote: the quotation in the source is missing
}

func ExampleChecker_Reject() {
	ck := check.NewChecker(check.Glossary{})
	source := "Scholen in de stad blijven maandag dicht vanwege de storm."
	for _, reply := range []string{
		"Schools in the city will remain closed on Monday because of the storm.",
		"Scholen in de stad blijven maandag dicht vanwege de storm.",
		"{]]{Mer4{Ǿ]]{]z]{{{{",
	} {
		if r := ck.Reject(pipeline.KindParagraph, source, reply); r != nil {
			fmt.Printf("%s: %s\n", r.Cause, r.Reason)
		} else {
			fmt.Println("accepted")
		}
	}
	// Output:
	// accepted
	// unchanged: the reply was the Dutch text, unchanged
	// garbage: the reply was not readable text
}

func ExampleGlossary_Matching() {
	g, _ := check.Load(prompts.Default(), "glossary.tsv")
	for _, e := range g.Matching("De Russen veroverden de hele Loehansk-regio en rukken op naar Slovjansk.") {
		fmt.Printf("%s → %s\n", e.Source, e.Target)
	}
	// Output:
	// Loehansk → Luhansk
	// Slovjansk → Sloviansk
}
