// Package openaitest is the fake OpenAI-compatible chat API that every
// nl2en test talks to instead of the network. It runs in-process on
// net/http/httptest and speaks the wire format of the real API: JSON
// bodies, OpenAI error objects, rate-limit headers and server-sent events,
// so that the pipeline is tested through the real go-openai client and a
// real HTTP transport.
//
// # Use
//
//	s := openaitest.New(t, openaitest.WithTranslations(openaitest.SampleTranslations()))
//	client := openai.NewClientWithConfig(s.Config()) // or DefaultConfig with BaseURL = s.BaseURL()
//	s.Script(openaitest.KindTranslate, openaitest.RateLimited(10*time.Millisecond))
//	// … run the code under test with client …
//	if got, want := s.Count(openaitest.KindTranslate), 2; got != want { … }
//
// The API is mounted under "/v1" (not at the root, so that a client that
// builds absolute paths fails): POST /v1/chat/completions, GET /v1/models
// and GET /v1/models/{model}, and the Files and Batch APIs under /v1/files
// and /v1/batches (see batch.go: batches move through their statuses when
// a test calls [Server.AdvanceBatches] or [Server.FinishBatches]). Any
// other path gets 404 with an OpenAI error object. [WithAzure] serves
// Azure OpenAI's chat paths instead. [WithOllamaShow] makes the server
// play Ollama, adding Ollama's native /api/show and /api/ps at the root
// (the context windows a model was trained for and is loaded with).
//
// # What the server understands
//
// It follows the contract of nl2en's requests. A request is classified
// ([Request.Kind]) by the name of its json_schema response format
// ("translation", "repair", "summary"), or, when the client falls back to
// json_object or to no response_format, by the keys of the JSON object in
// its last user message: "segments" (with "problems": a repair) or
// "article".
//
//   - translate and repair: the last user message holds
//     {"segments":[{"id":…,"text":…}], …}; the reply content is
//     {"segments":[{"id":…,"text":…}]} with the same ids in the same order.
//     Each text is looked up in the translations of [WithTranslations],
//     else given to the translator of [WithTranslator], by default
//     [DefaultTranslator].
//     When the request asks for them (its json_schema's segment items
//     have "names", or its system prompt speaks of `names`), each reply
//     segment also lists the names its English renders, "names":
//     [{"nl":…,"en":…}], as a model that follows nl2en's prompt would
//     (see names.go); [WithNameForms] makes it render a name in turn in
//     several forms, as a model that writes a name two ways.
//   - summary: the reply content is {"title":…,"summary":…,"key_points":[…]},
//     a fixed summary of the sample article unless [WithSummary] is given.
//   - other: a short text, or {} when JSON was asked for.
//
// Requests are checked as OpenAI checks them: the key ([WithAPIKey]), the
// model ([WithModels]), the response_format type ([WithResponseFormats])
// and, for "strict": true, the json_schema itself (every object needs
// "additionalProperties": false and all its properties required).
//
// Every reply carries usage computed by a token estimator
// ([EstimateTokens], or [WithTokenCounter]), the fields of the real API
// (id "chatcmpl-…", object, created, model (the one requested, or the
// one [WithServedModel] names), system_fingerprint,
// finish_reason) and the headers x-request-id and openai-processing-ms.
// With "stream": true the reply is a stream of chat.completion.chunk
// events ending in "data: [DONE]", with a final usage chunk when
// stream_options.include_usage is set.
//
// # Faults
//
// [Server.Script] queues faults that replace or spoil the answers to the
// next requests of a kind: error responses of OpenAI and of other servers
// (LM Studio, Azure, an HTML proxy page), hung and reset
// connections, truncated bodies, and replies whose content is fenced,
// chatty, truncated, refused, or has missing, duplicated, reordered,
// unknown, empty or untranslated segments. See [Fault] for the list.
// [WithFaultRate] adds random transient faults for soak tests;
// [WithRateLimit] and [WithLatency] make the server behave like a busy
// API. Below HTTP, [Resolver] answers DNS in-process, so that a client
// can be shown an unknown host or a failing DNS server without a query
// leaving the test.
//
// # Inspecting requests
//
// [Server.Requests] returns every request received, with its kind, raw
// body, decoded openai.ChatCompletionRequest, headers, segment ids, the
// status answered and the fault served; [Server.Count] counts them by
// kind.
package openaitest
