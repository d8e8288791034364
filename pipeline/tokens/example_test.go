package tokens_test

import (
	"fmt"

	"github.com/nl2en/nl2en/pipeline/tokens"
)

func ExampleForModel() {
	for _, model := range []string{"gpt-4.1-mini", "openai/gpt-4o", "llama3.1:8b"} {
		c := tokens.ForModel(model)
		fmt.Println(model, c.Exact(), c.Count("Het Russische leger probeert Bachmoet in te nemen."))
	}
	// Output:
	// gpt-4.1-mini true 11
	// openai/gpt-4o true 11
	// llama3.1:8b false 11
}
