package cost_test

import (
	"fmt"

	"github.com/nl2en/nl2en/pipeline"
	"github.com/nl2en/nl2en/pipeline/cost"
)

func ExampleTable_Lookup() {
	prices := cost.Default()
	u := pipeline.Usage{Requests: 12, PromptTokens: 20000, CachedTokens: 8000, CompletionTokens: 5000}
	amount := func(model string) cost.Amount {
		p, ok := prices.Lookup(model)
		if !ok {
			return cost.Amount{} // unknown, never 0
		}
		return cost.USD(cost.Cost(p, u))
	}

	fmt.Println(amount("gpt-4.1-mini-2025-04-14"))
	fmt.Println(amount("llama3.1:8b"))

	// Flat input and output prices price a model the table lacks.
	prices = prices.With("llama3.1:8b", cost.Flat(0.03, 0.06))
	fmt.Println(amount("llama3.1:8b"))
	// Output:
	// $0.0136
	// unknown
	// $0.0009
}

func ExampleAmount_Add() {
	total := cost.USD(0)
	for _, a := range []cost.Amount{cost.USD(0.0125), cost.USD(0.0031)} {
		total = total.Add(a)
	}
	fmt.Println(total)
	fmt.Println(total.Add(cost.Amount{})) // one unknown part makes the sum unknown
	// Output:
	// $0.0156
	// unknown
}
