package local

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// maxListBytes bounds a model list: a server with hundreds of models sends
// tens of kilobytes.
const maxListBytes = 4 << 20

// Doer sends HTTP requests: *http.Client has it, and so has the API
// client's retrying transport.
type Doer interface {
	Do(*http.Request) (*http.Response, error)
}

// Listing is what a server's model list says.
type Listing struct {
	Kind   Kind
	Models []Model
}

// IDs are the names of the models listed, in the server's order.
func (l Listing) IDs() []string {
	ids := make([]string, len(l.Models))
	for i, m := range l.Models {
		ids[i] = m.ID
	}
	return ids
}

// Find returns the listed model a name means: the same name, or for
// Ollama the same name with its implied ":latest" tag.
func (l *Listing) Find(name string) (Model, bool) {
	if l == nil {
		return Model{}, false
	}
	for _, m := range l.Models {
		if sameModel(m.ID, name) {
			return m, true
		}
	}
	return Model{}, false
}

// Model is one entry of a model list.
type Model struct {
	ID string
	// Context is the context window, in tokens, that a request to the
	// model gets, when the list tells it (llama.cpp's meta.n_ctx, vLLM's
	// max_model_len); 0 when it does not.
	Context int
}

// ErrNotModelList is the cause of an answer that is not a model list: a
// web page, another API, a server that is not OpenAI-compatible.
var ErrNotModelList = errors.New("the answer is not a model list")

// StatusError is a model list answered with an HTTP error.
type StatusError struct {
	Status int
	// Message is the server's own message, if any.
	Message string
}

func (e *StatusError) Error() string {
	if e.Message == "" {
		return fmt.Sprintf("the model list was answered with %d %s", e.Status, http.StatusText(e.Status))
	}
	return fmt.Sprintf("the model list was answered with %d %s: %s", e.Status, http.StatusText(e.Status), e.Message)
}

// NeedsKey reports whether the server refused the list for want of a
// (valid) key.
func (e *StatusError) NeedsKey() bool {
	return e.Status == http.StatusUnauthorized || e.Status == http.StatusForbidden
}

// Loading reports whether the server is up but not ready: llama.cpp
// answers 503 while it loads its model.
func (e *StatusError) Loading() bool { return e.Status == http.StatusServiceUnavailable }

// List asks the server at baseURL for its model list (GET baseURL/models),
// sending key as a bearer token when it is not empty. hint is the kind
// assumed when the list does not tell.
func List(ctx context.Context, d Doer, baseURL, key string, hint Kind) (Listing, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimRight(baseURL, "/")+"/models", nil)
	if err != nil {
		return Listing{}, err
	}
	req.Header.Set("Accept", "application/json")
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	resp, err := d.Do(req)
	if err != nil {
		return Listing{}, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxListBytes))
	if err != nil {
		return Listing{}, fmt.Errorf("read the model list: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		return Listing{}, &StatusError{Status: resp.StatusCode, Message: errorMessage(body)}
	}
	return parseList(body, resp.Header.Get("Server"), hint)
}

// modelList is the body of GET /v1/models, with the extras of the servers
// that tell a model's context.
type modelList struct {
	Data *[]struct {
		ID      string `json:"id"`
		OwnedBy string `json:"owned_by"`
		Meta    struct {
			NCtx int `json:"n_ctx"` // llama.cpp, per slot
		} `json:"meta"`
		MaxModelLen int `json:"max_model_len"` // vLLM
	} `json:"data"`
}

func parseList(body []byte, server string, hint Kind) (Listing, error) {
	var l modelList
	if err := json.Unmarshal(body, &l); err != nil {
		return Listing{}, ErrNotModelList
	}
	if l.Data == nil {
		// "data": null is how a Go server writes an empty list; no "data"
		// at all is some other JSON.
		if !strings.Contains(string(body), `"data"`) {
			return Listing{}, ErrNotModelList
		}
		return Listing{Kind: identify(server, nil, hint)}, nil
	}
	var out Listing
	var owners []string
	for _, m := range *l.Data {
		if m.ID == "" {
			return Listing{}, ErrNotModelList
		}
		out.Models = append(out.Models, Model{ID: m.ID, Context: max(m.Meta.NCtx, m.MaxModelLen, 0)})
		owners = append(owners, m.OwnedBy)
	}
	out.Kind = identify(server, owners, hint)
	return out, nil
}

// errorMessage is the message of an error body in the shapes servers use:
// {"error": {"message": …}}, {"error": "…"}, or plain text.
func errorMessage(body []byte) string {
	var obj struct {
		Error json.RawMessage `json:"error"`
	}
	if json.Unmarshal(body, &obj) == nil && len(obj.Error) > 0 {
		var s string
		if json.Unmarshal(obj.Error, &s) == nil {
			return oneLine(s)
		}
		var e struct {
			Message string `json:"message"`
		}
		if json.Unmarshal(obj.Error, &e) == nil {
			return oneLine(e.Message)
		}
	}
	if len(body) > 0 && body[0] != '<' && body[0] != '{' {
		return oneLine(string(body))
	}
	return ""
}

func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > 160 {
		s = string(r[:159]) + "…"
	}
	return s
}

// sameModel compares model names as Ollama does: a name without a tag
// means its ":latest".
func sameModel(a, b string) bool {
	return a == b || withTag(a) == withTag(b)
}

func withTag(name string) string {
	if i := strings.LastIndexByte(name, ':'); i >= 0 && !strings.Contains(name[i:], "/") {
		return name
	}
	return name + ":latest"
}
