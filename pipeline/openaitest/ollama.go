package openaitest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
)

// ollamaDefaultContext is the context Ollama (v0.17) loads a model with
// unless OLLAMA_CONTEXT_LENGTH or the model's num_ctx says otherwise.
const ollamaDefaultContext = 4096

// Ollama's native API, served with [WithOllamaShow] at the root of the
// server, beside the OpenAI-compatible API under /v1.
const (
	ollamaShowPath = "/api/show"
	ollamaPSPath   = "/api/ps"
)

// WithOllamaShow makes the server play Ollama: its model list names the
// owner "library", as Ollama's does for its official models, and it serves
// Ollama's native /api/show and /api/ps. /api/show ({"model": …}) answers
// for every model the server knows, with contextLength as the most the
// model was trained for (model_info "llama.context_length") and, with
// [WithOllamaNumCtx], num_ctx among its parameters; it answers 404
// {"error": "model 'x' not found"} for others. /api/ps lists the models
// that have answered a chat completion, as loaded, with the context_length
// they were loaded with (see [WithOllamaContextLength]). Like Ollama's,
// the native API asks for no key.
func WithOllamaShow(contextLength int) Option {
	return func(o *options) { o.ollama = &ollamaOptions{trained: contextLength, loadWith: ollamaDefaultContext} }
}

// WithOllamaContextLength sets the context that [WithOllamaShow]'s server
// loads models with, as OLLAMA_CONTEXT_LENGTH does for Ollama: it shows in
// /api/ps only. The default is 4096, as in Ollama v0.17. Give it after
// WithOllamaShow. Prompts longer than it are cut to it silently, as Ollama
// cuts them (see WithContextWindow).
func WithOllamaContextLength(n int) Option {
	return func(o *options) {
		if o.ollama != nil {
			o.ollama.loadWith = n
		}
	}
}

// WithOllamaNumCtx sets num_ctx among the parameters of every model of
// [WithOllamaShow]'s server, as a Modelfile's "PARAMETER num_ctx n" does:
// it shows in /api/show and, winning over [WithOllamaContextLength], in
// /api/ps. Give it after WithOllamaShow.
func WithOllamaNumCtx(n int) Option {
	return func(o *options) {
		if o.ollama != nil {
			o.ollama.numCtx = n
		}
	}
}

type ollamaOptions struct {
	trained  int // model_info context_length
	loadWith int // OLLAMA_CONTEXT_LENGTH
	numCtx   int // PARAMETER num_ctx, 0 when not set
}

// loaded is the context a model is loaded with.
func (o *ollamaOptions) loaded() int {
	n := o.loadWith
	if o.numCtx > 0 {
		n = o.numCtx
	}
	if o.trained > 0 {
		n = min(n, o.trained)
	}
	return n
}

func (s *Server) isOllamaPath(p string) bool {
	return s.opts.ollama != nil && (p == ollamaShowPath || p == ollamaPSPath)
}

// markLoaded records that a model has answered, for /api/ps.
func (s *Server) markLoaded(model string) {
	if s.opts.ollama == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if !slices.Contains(s.loaded, model) {
		s.loaded = append(s.loaded, model)
	}
}

func (s *Server) serveOllama(w http.ResponseWriter, c *call) {
	o := s.opts.ollama
	switch {
	case c.r.URL.Path == ollamaShowPath && c.r.Method == http.MethodPost:
		var req struct {
			Model string `json:"model"`
		}
		if json.Unmarshal(c.body, &req) != nil || req.Model == "" {
			writeJSON(w, http.StatusBadRequest, marshal(map[string]string{"error": "model is required"}))
			return
		}
		if !s.knowsModel(req.Model) {
			writeJSON(w, http.StatusNotFound, marshal(map[string]string{"error": fmt.Sprintf("model '%s' not found", req.Model)}))
			return
		}
		params := "stop                           \"<|im_start|>\"\nstop                           \"<|im_end|>\""
		if o.numCtx > 0 {
			params = fmt.Sprintf("num_ctx                        %d\n", o.numCtx) + params
		}
		writeJSON(w, http.StatusOK, marshal(map[string]any{
			"modelfile":  "FROM " + req.Model,
			"parameters": params,
			"details":    map[string]any{"format": "gguf", "family": "llama"},
			"model_info": map[string]any{
				"general.architecture": "llama",
				"llama.context_length": o.trained,
				"llama.block_count":    2,
			},
		}))
	case c.r.URL.Path == ollamaPSPath && c.r.Method == http.MethodGet:
		type running struct {
			Name          string `json:"name"`
			Model         string `json:"model"`
			ContextLength int    `json:"context_length"`
		}
		list := struct {
			Models []running `json:"models"`
		}{Models: []running{}}
		s.mu.Lock()
		for _, m := range s.loaded {
			list.Models = append(list.Models, running{Name: m, Model: m, ContextLength: o.loaded()})
		}
		s.mu.Unlock()
		writeJSON(w, http.StatusOK, marshal(list))
	default:
		w.Header().Set("Content-Type", "text/plain")
		w.WriteHeader(http.StatusMethodNotAllowed)
		_, _ = w.Write([]byte("405 method not allowed"))
	}
}
