// Package llm connects nl2en to an OpenAI-compatible chat API: it builds the
// go-openai client for OpenAI, Azure OpenAI and self-hosted servers (Ollama,
// vLLM, llama.cpp, LM Studio), retries transient failures at the HTTP layer
// the way the official OpenAI clients do, and turns the errors that remain
// into [*Error] values that say, in one line, what the user should fix.
//
// Retries live below go-openai, in an [openai.HTTPDoer], because only there
// are the response headers (Retry-After, retry-after-ms, x-should-retry) and
// the raw error bodies of every server visible: go-openai drops headers on
// most errors and parses only OpenAI's own error shape.
package llm
