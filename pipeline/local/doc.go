// Package local finds an OpenAI-compatible server running on this machine,
// so that a first run needs no configuration, and reads what such servers
// tell about themselves: their models and, where they say it, the context
// window a request gets.
//
// # Finding a server
//
// [Probe] asks each [Candidate] for its model list (GET /v1/models) in
// parallel, each under a short timeout, and returns the first in the
// candidates' order that answers with a model list holding at least one
// model. [Candidates] is the default list, in order of preference: Ollama
// on 127.0.0.1:11434, LM Studio on 1234, llama.cpp's server on 8080, vLLM
// on 8000. Nothing listening costs a refused connection, so the whole probe
// takes a few milliseconds then; a port that accepts but does not answer
// costs at most the timeout, the same for all since they run at once. When
// no candidate is usable, [*NotFoundError] lists the servers that did
// answer and why each cannot be used (one needs a key, one serves no
// model, one is still loading it).
//
// # Telling servers apart
//
// The [Kind] of a server is read from its model list first, where each
// kind leaves a mark: llama.cpp sends the header "Server: llama.cpp" and
// owned_by "llamacpp", vLLM owned_by "vllm", LM Studio owned_by
// "organization_owner", Ollama owned_by "library" (the namespace of its
// official models). A list without such a mark (an Ollama serving only
// models from another namespace) is taken to be the kind that listens on
// its port by default, and a port none uses by default gives [Unknown].
//
// # Choosing a model
//
// [Pick] chooses the model to use from a server's list: the model the user
// set, when there is one, whether listed or not (the server will say if it
// cannot serve it); else the only model listed; else, of several, the
// first in the server's own order (Ollama lists the most recently pulled
// first) whose name marks an instruction-tuned or chat model ("instruct",
// "chat", "-it"), or the first of all when none does. Models that cannot
// chat (embedding and reranking models, by name) are never picked.
//
// # Context windows
//
// Where a server tells the context window a request gets, [List] and
// [OllamaContext] read it: llama.cpp's model list gives meta.n_ctx (per
// parallel slot), vLLM's gives max_model_len, and Ollama tells it in its
// native API: /api/ps gives the context_length of a loaded model, which is
// what requests get (set by OLLAMA_CONTEXT_LENGTH, or num_ctx in the
// model's Modelfile); /api/show gives num_ctx among the model's parameters
// when the Modelfile sets it, and "<architecture>.context_length" in
// model_info, the most the model was trained for, which Ollama does not
// use unless told to.
package local
