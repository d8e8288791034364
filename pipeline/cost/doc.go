// Package cost turns token usage into US dollars, so that nl2en can show
// what an article cost, or will cost, next to its translation.
//
// # Prices
//
// A [Price] is a model's rate per million tokens for input, cached input
// and output. [Default] returns OpenAI's list prices for the standard tier
// with the [Table.Date] they were taken; they go stale, and a user brings
// them up to date without a new release in two ways, applied in this order:
//
//   - a CSV file read by [LoadFile], laid over the defaults (format there);
//   - --price-in and --price-out, which the command applies last with
//     [Table.With] and [Flat].
//
// [Table.Lookup] finds a model by exact name, then without its dated
// snapshot suffix (gpt-4.1-mini-2025-04-14 → gpt-4.1-mini), ignoring case
// and OpenRouter's "openai/" prefix. [Price.Batch] gives Batch API prices
// ([BatchFactor] of the standard ones).
//
// # Unknown is not zero
//
// A model the table does not price, such as a local Llama or an Azure
// deployment named by its owner, has an unknown cost. [Amount] carries that:
// its zero value is unknown, sums with an unknown part are unknown, and
// [Format] writes "unknown", never "$0.0000".
//
// # Arithmetic
//
// [Cost] charges cached prompt tokens (a part of the prompt tokens in
// [pipeline.Usage]) at the cached rate, the rest of the prompt at the input
// rate, and completion tokens, reasoning included, at the output rate.
package cost
