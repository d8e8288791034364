package check_test

import (
	"fmt"

	"github.com/nl2en/nl2en/pipeline/check"
	"github.com/nl2en/nl2en/prompts"
)

func ExampleCheck() {
	g, err := check.Load(prompts.Default(), "glossary.tsv")
	if err != nil {
		fmt.Println(err)
		return
	}
	source := "De strijd om Bachmoet, dat ooit 80 duizend inwoners telde. ‘Een slijtageslag’, aldus fotograaf Eddy van Wessel."
	translation := "The fight for Bachmoet, which once had 8,000 inhabitants. A war of attrition, says a photographer."
	for _, p := range check.Check(source, translation, g) {
		fmt.Printf("%s: %s\n", p.Kind, p.Message)
	}
	// Output:
	// glossary: glossary term "Bachmoet" should appear as Bakhmut
	// number: number "80 duizend" should appear as 80,000
	// name: name "Eddy van Wessel" is missing
	// quote: the quotation in the source is missing
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

func ExampleLooksDutch() {
	fmt.Println(check.LooksDutch("Scholen in de stad blijven maandag dicht."))
	fmt.Println(check.LooksDutch("Schools in the city will remain closed on Monday."))
	// Output:
	// true
	// false
}
