// Package llm connects nl2en to an OpenAI-compatible chat API: it builds the
// go-openai client for OpenAI, Azure OpenAI and self-hosted servers (Ollama,
// vLLM, llama.cpp, LM Studio), retries transient failures at the HTTP layer
// the way the official OpenAI clients do, and turns the errors that remain
// into [*Error] values that say, in one line, what the user should fix.
//
// Retries live below go-openai, in an [openai.HTTPDoer], because only there
// are the response headers (Retry-After, retry-after-ms, x-should-retry) and
// the raw error bodies of every server visible: go-openai drops headers on
// most errors and parses only OpenAI's own error shape. One client, and so
// one [Doer], serves a run: a refused connection or an unknown host before
// the server's first answer in the run ends a request at once, and is
// retried after it.
//
// The same layer knows what go-openai's errors lose: the URL tried, and
// whether a key was sent. [Classify] puts them into the [*Error], with
// what the server can tell about a fix: the base URL meant after a 404
// ([Error.BaseURL]) and the models it serves after a model is refused
// ([Error.Served], from one look at its model list per run).
package llm
