package redact_test

import (
	"fmt"

	"github.com/nl2en/nl2en/pipeline/redact"
)

func ExampleURL() {
	fmt.Println(redact.URL("https://jan:geheim@kust.example.nl/feed?token=abc&cat=zee"))
	// Output:
	// https://REDACTED@kust.example.nl/feed?token=REDACTED&cat=zee
}
