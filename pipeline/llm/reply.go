package llm

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"

	openai "github.com/sashabaranov/go-openai"

	"github.com/nl2en/nl2en/pipeline/local"
)

// clientDoer is the HTTP layer of the client [NewClient] builds: the
// retrying [Doer], and what only the client knows when a reply fails for
// good. go-openai turns such a reply into an error that has lost the URL
// and cannot know whether a key was sent or what the server serves, so
// clientDoer makes that error itself, the way go-openai does, and wraps
// it in a [*replyError] that [Classify] reads.
type clientDoer struct {
	*Doer
	base  string
	azure bool
	key   string // "" when none is sent

	served sync.Mutex
	listed bool           // the model list was asked for
	models *local.Listing // its answer; nil when it gave none
}

// replyError is a reply that failed for good, with what the client knows
// about it. It unwraps to go-openai's own error (*openai.APIError or
// *openai.RequestError), so callers that look for those still find them.
type replyError struct {
	url     string         // the URL tried, redacted
	noKey   bool           // no key was sent, for a 401
	suggest string         // the base URL meant, for a 404
	models  *local.Listing // the server's models, for a model not found
	err     error
}

func (e *replyError) Error() string { return e.err.Error() }
func (e *replyError) Unwrap() error { return e.err }

// Do sends req through the Doer; a reply with a failure status comes back
// as a *replyError, everything else as it is.
func (c *clientDoer) Do(req *http.Request) (*http.Response, error) {
	resp, err := c.Doer.Do(req)
	if err != nil || resp.StatusCode >= http.StatusOK && resp.StatusCode < http.StatusBadRequest {
		return resp, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	e := &replyError{url: RedactURL(req.URL.String()), noKey: c.key == "", err: openaiError(resp, body)}
	switch kindOf(resp.StatusCode, parseErrorBody(body)) {
	case KindNotFound:
		e.suggest = c.suggestBase(req.URL)
	case KindModelNotFound:
		if isChat(req.URL) && !c.azure {
			// Azure lists models, not the deployments a request names.
			e.models = c.modelList(req.Context())
		}
	}
	return nil, e
}

// openaiError is the error go-openai makes of a failed reply
// (Client.handleErrorResp): its error object when the body holds one,
// else a RequestError with the raw body.
func openaiError(resp *http.Response, body []byte) error {
	var er openai.ErrorResponse
	err := json.Unmarshal(body, &er)
	if err != nil || er.Error == nil {
		re := &openai.RequestError{HTTPStatus: resp.Status, HTTPStatusCode: resp.StatusCode, Err: err, Body: body}
		if er.Error != nil {
			re.Err = er.Error
		}
		return re
	}
	er.Error.HTTPStatus = resp.Status
	er.Error.HTTPStatusCode = resp.StatusCode
	return er.Error
}

func isChat(u *url.URL) bool { return strings.HasSuffix(u.Path, "/chat/completions") }

// suggestBase is the base URL that a 404 for u suggests was meant: the
// base without the endpoint's path when it already ends in it (the path
// was doubled), or with /v1 when it has no path at all, where
// OpenAI-compatible servers do not answer. "" when neither holds.
func (c *clientDoer) suggestBase(u *url.URL) string {
	if c.azure || !isChat(u) {
		return ""
	}
	if b, ok := endpointBase(c.base); ok {
		return RedactURL(b)
	}
	if p, err := url.Parse(c.base); err == nil && strings.Trim(p.Path, "/") == "" {
		return RedactURL(strings.TrimRight(c.base, "/") + "/v1")
	}
	return ""
}

// EndpointError is a base URL that is the URL of the chat completions
// endpoint: the client adds /chat/completions to the base URL itself, so
// every request would go to a path that does not exist.
type EndpointError struct {
	URL string // as given, redacted
	// BaseURL is the base URL meant, redacted.
	BaseURL string
}

func (e *EndpointError) Error() string {
	return fmt.Sprintf("base URL %s ends in /chat/completions, the path nl2en adds to it", e.URL)
}

// CheckBaseURL returns an [*EndpointError] when base is the URL of the
// chat completions endpoint (http://localhost:1234/v1/chat/completions)
// rather than the API's base URL (http://localhost:1234/v1).
func CheckBaseURL(base string) error {
	if b, ok := endpointBase(base); ok {
		return &EndpointError{URL: RedactURL(base), BaseURL: RedactURL(b)}
	}
	return nil
}

// endpointBase returns the base URL that a URL of the chat completions
// endpoint stands for; ok is false when base does not end in its path.
func endpointBase(base string) (string, bool) {
	u, err := url.Parse(strings.TrimSpace(base))
	if err != nil {
		return "", false
	}
	p := strings.TrimRight(u.Path, "/")
	if !strings.HasSuffix(p, "/chat/completions") {
		return "", false
	}
	u.Path = strings.TrimSuffix(p, "/chat/completions")
	u.RawPath = ""
	return u.String(), true
}

// modelList asks the server once for its model list, with the run's key;
// later calls get the same answer.
func (c *clientDoer) modelList(ctx context.Context) *local.Listing {
	c.served.Lock()
	defer c.served.Unlock()
	if c.listed {
		return c.models
	}
	// The list is no request of the run's: it is not counted.
	l, err := local.List(WithCounter(ctx, nil), c.Doer, c.base, c.key, local.KindAt(c.base))
	if ctx.Err() != nil {
		return nil // asked again by the next request that fails so
	}
	c.listed = true
	if err == nil {
		c.models = &l
	}
	return c.models
}
