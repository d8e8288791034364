package split_test

import (
	"context"
	"fmt"

	"github.com/nl2en/nl2en/pipeline/split"
)

func ExampleSentences() {
	for _, s := range split.Sentences("Volgens dr. H.J. Verbeek kost het ca. € 1.500 per jaar. ‘Dat gaat niet meer weg.’ Zo is het.") {
		fmt.Printf("%q\n", s)
	}
	// Output:
	// "Volgens dr. H.J. Verbeek kost het ca. € 1.500 per jaar. "
	// "‘Dat gaat niet meer weg.’ "
	// "Zo is het."
}

func ExampleSplitter_Split() {
	s := split.New()
	text := "Storm raast over het land\n\nDoor Anna de Vries\n\nROTTERDAM - Het KNMI heeft code oranje afgegeven voor de kust.\n\nLees ook: Wat betekent code oranje?\n"
	art, err := s.Split(context.Background(), "storm.txt", []byte(text), split.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, seg := range art.Segments {
		fmt.Printf("%s %-9s keep=%-5v %q\n", seg.ID, seg.Kind, seg.Keep, seg.Text)
	}
	// Output:
	// s1 title     keep=false "Storm raast over het land"
	// s2 byline    keep=false "Door Anna de Vries"
	// s3 dateline  keep=false "ROTTERDAM -"
	// s4 paragraph keep=false "Het KNMI heeft code oranje afgegeven voor de kust."
	// s5 furniture keep=true  "Lees ook: Wat betekent code oranje?"
}
