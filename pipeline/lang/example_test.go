package lang_test

import (
	"fmt"

	"github.com/nl2en/nl2en/pipeline/lang"
)

func ExampleDetect() {
	for _, text := range []string{
		"Het Russische leger probeert al een half jaar een klein stadje in te nemen.",
		"What a finish at De Kuip! Ten-man Feyenoord win it in the 93rd minute.",
		"Nous ne pouvons pas gagner cette guerre sans nos alliés.",
		"ROTTERDAM -",
	} {
		r := lang.Detect(text)
		fmt.Printf("%q %.2f\n", r.Lang, r.Confidence)
	}
	// Output:
	// "nl" 1.00
	// "en" 1.00
	// "fr" 1.00
	// "" 0.00
}

func ExampleCount() {
	c := lang.Count("Dutch photographer @eddyvanwessel told their story to the world https://t.co/wekSxQ8U9p")
	fmt.Println(c.Words, c.Links, c.English, c.ReadsEnglish())
	// Output:
	// 8 2 4 true
}
