package slug_test

import (
	"fmt"

	"github.com/nl2en/nl2en/pipeline/slug"
)

func Example() {
	fmt.Println(slug.Name("https://kust.example.nl/artikel/veerdienst-ligt-stil", "Veerdienst ligt stil"))
	fmt.Println(slug.Name("https://kust.example.nl/nieuws/12345", "Één zwembad voor Middelburg"))
	fmt.Println(slug.Make("CON"))
	fmt.Println(slug.Folder("https://www.kust.example.nl/feeds/nieuws.rss?token=geheim"))
	// Output:
	// veerdienst-ligt-stil
	// een-zwembad-voor-middelburg
	// con-1
	// kust-example-nl-feeds-nieuws-rss
}
