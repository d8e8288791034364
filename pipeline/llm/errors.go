package llm

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	openai "github.com/sashabaranov/go-openai"
)

// Kind says what went wrong with a request, in terms of what to do about it.
type Kind int

const (
	KindOther          Kind = iota
	KindUnreachable         // no connection to the server
	KindTimeout             // no reply in time, after retries
	KindUnauthorized        // 401: bad or missing key
	KindForbidden           // 403: key lacks permission, or region blocked
	KindModelNotFound       // 404 for the model, or an unknown deployment
	KindNotFound            // 404 for the path: wrong base URL
	KindQuota               // 429 insufficient_quota: billing, not waiting
	KindRateLimited         // 429 that outlasted the retries
	KindTooLarge            // the request is over a size or TPM limit: split it
	KindContextLength       // the prompt plus reply exceed the model's context: split it
	KindResponseFormat      // the server does not support the response_format asked for
	KindBadRequest          // any other 400
	KindServer              // 5xx that outlasted the retries
	KindOutputFormat        // the server could not parse its own model's output into the format asked for
)

// Error is a failed API call, classified. Its message says what happened
// and names the server; what to do about it depends on how the program
// was configured, so the command adds that from the Kind and the fields
// that say more about some kinds.
type Error struct {
	Kind    Kind
	Status  int    // HTTP status, 0 when there was no reply
	Server  string // scheme://host of the API
	Model   string
	Message string // the server's own message, if any
	// URL is the URL tried, without credentials or query, when known.
	URL string
	// NoKey says, for KindUnauthorized, that no key was sent: none was
	// set, or the one set is a placeholder.
	NoKey bool
	// BaseURL is, for KindNotFound, the base URL the URL tried suggests
	// was meant: without a doubled /chat/completions, or with the /v1
	// that a base URL without a path lacks; "" when it suggests none.
	BaseURL string
	// Served are, for KindModelNotFound, the models the server lists,
	// when it lists them and not the model asked for; nil when unknown.
	Served []string
	Err    error
}

// maxServed is how many of the models a server serves a message names.
const maxServed = 10

func (e *Error) Error() string {
	s := e.Server
	at := cmp.Or(e.URL, s) // where a connection went, as exactly as known
	switch e.Kind {
	case KindUnreachable:
		return fmt.Sprintf("cannot reach the API at %s: %s", at, describeNetError(e.Err))
	case KindTimeout:
		return fmt.Sprintf("the API at %s did not answer in time", at)
	case KindUnauthorized:
		if e.NoKey {
			return fmt.Sprintf("the API at %s needs an API key, and none was sent (%d%s)", s, e.Status, colon(e.Message))
		}
		return fmt.Sprintf("the API at %s rejected the API key (401%s)", s, colon(e.Message))
	case KindForbidden:
		return fmt.Sprintf("the API at %s refused access to model %q (403%s)", s, e.Model, colon(e.Message))
	case KindModelNotFound:
		return fmt.Sprintf("the API at %s does not know model %q (%d)%s", s, e.Model, cmp.Or(e.Status, http.StatusNotFound), served(e.Served))
	case KindNotFound:
		msg := fmt.Sprintf("the API at %s has no endpoint at %s (404)", s, at)
		if e.BaseURL != "" {
			msg += ": the base URL should be " + e.BaseURL
		}
		return msg
	case KindQuota:
		return fmt.Sprintf("the API at %s says the account is out of quota (429 insufficient_quota)", s)
	case KindRateLimited:
		return fmt.Sprintf("the API at %s kept answering 429 rate limited", s)
	case KindTooLarge:
		return fmt.Sprintf("the API at %s says the request is too large%s", s, colon(e.Message))
	case KindContextLength:
		return fmt.Sprintf("the request is longer than model %q accepts at %s%s", e.Model, s, colon(e.Message))
	case KindResponseFormat:
		return fmt.Sprintf("the API at %s does not support the structured output nl2en asks for%s", s, colon(e.Message))
	case KindBadRequest:
		return fmt.Sprintf("the API at %s rejected the request (400%s)", s, colon(e.Message))
	case KindServer:
		return fmt.Sprintf("the API at %s kept failing (%d%s)", s, e.Status, colon(e.Message))
	case KindOutputFormat:
		return fmt.Sprintf("the API at %s could not turn model %q's reply into the JSON asked for (%d%s)", s, e.Model, e.Status, colon(e.Message))
	}
	if e.Status != 0 {
		return fmt.Sprintf("the API at %s answered %d%s", s, e.Status, colon(e.Message))
	}
	return fmt.Sprintf("request to %s: %v", s, e.Err)
}

func (e *Error) Unwrap() error { return e.Err }

// served names the models a server serves, the first maxServed of them.
func served(models []string) string {
	switch {
	case models == nil:
		return ""
	case len(models) == 0:
		return "; it lists no models"
	}
	return "; it serves " + Listed(models)
}

// Listed names models for a message: the first ten, and how many more.
func Listed(models []string) string {
	if len(models) <= maxServed {
		return strings.Join(models, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(models[:maxServed], ", "), len(models)-maxServed)
}

func colon(msg string) string {
	msg = strings.TrimSpace(msg)
	if msg == "" {
		return ""
	}
	if i := strings.IndexByte(msg, '\n'); i >= 0 {
		msg = msg[:i]
	}
	if len(msg) > 200 {
		msg = msg[:200] + "…"
	}
	return ": " + msg
}

// Classify turns an error from go-openai into an [*Error]. It returns err
// unchanged when it is nil, a cancellation, or already classified.
func Classify(err error, baseURL, model string) error {
	if err == nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	var e *Error
	if errors.As(err, &e) {
		return err
	}
	e = &Error{Server: Host(baseURL), Model: model, Err: err}
	var ue *url.Error
	if errors.As(err, &ue) {
		e.URL = RedactURL(ue.URL)
	}
	var re *replyError
	if errors.As(err, &re) {
		e.URL = re.url
	}
	var apiErr *openai.APIError
	var reqErr *openai.RequestError
	switch {
	// A RequestError may wrap a half-parsed APIError with no status, so it
	// is looked at first, through its raw body.
	case errors.As(err, &reqErr):
		e.Status = reqErr.HTTPStatusCode
		body := parseErrorBody(reqErr.Body)
		e.Message = body.Message
		e.Kind = kindOf(e.Status, body)
	case errors.As(err, &apiErr):
		e.Status = apiErr.HTTPStatusCode
		e.Message = apiErr.Message
		e.Kind = kindOf(e.Status, errorBody{Code: anyString(apiErr.Code), Type: apiErr.Type, Message: apiErr.Message})
	case errors.Is(err, ErrTimeout):
		e.Kind = KindTimeout
	case isNetError(err):
		e.Kind = KindUnreachable
	default:
		e.Kind = KindOther
	}
	if re != nil {
		switch e.Kind {
		case KindUnauthorized:
			e.NoKey = re.noKey
		case KindNotFound:
			e.BaseURL = re.suggest
		case KindModelNotFound:
			if _, listed := re.models.Find(model); re.models != nil && !listed {
				e.Served = re.models.IDs()
			}
		}
	}
	return e
}

// kindOf classifies an HTTP error by its status and what its body says.
// The code may be a string or a number turned into a string (Azure sends
// "429", llama.cpp 400 with the kind in the type), so both are read.
func kindOf(status int, b errorBody) Kind {
	lc := strings.ToLower(b.Code)
	lt := strings.ToLower(b.Type)
	lm := strings.ToLower(b.Message)
	is := func(names ...string) bool {
		for _, n := range names {
			if lc == n || lt == n {
				return true
			}
		}
		return false
	}
	switch {
	case is("insufficient_quota") || strings.Contains(lm, "exceeded your current quota"):
		return KindQuota
	case is("context_length_exceeded", "exceed_context_size_error") || strings.Contains(lm, "maximum context length") ||
		strings.Contains(lm, "context length") || strings.Contains(lm, "context window") ||
		strings.Contains(lm, "context size"):
		return KindContextLength
	case strings.Contains(lm, "request too large") || status == http.StatusRequestEntityTooLarge:
		return KindTooLarge
	case status >= 500 && isOutputFormatFailure(lm):
		return KindOutputFormat
	case strings.Contains(lm, "response_format") || strings.Contains(lm, "json_schema") ||
		strings.Contains(lm, "response format") || strings.Contains(lm, "structured output"):
		if status == http.StatusBadRequest || status == http.StatusUnprocessableEntity {
			return KindResponseFormat
		}
	}
	switch {
	case status == http.StatusUnauthorized || is("invalid_api_key"):
		return KindUnauthorized
	case status == http.StatusForbidden:
		return KindForbidden
	case status == http.StatusNotFound:
		if is("model_not_found", "deploymentnotfound") || strings.Contains(lm, "model") || strings.Contains(lm, "deployment") {
			return KindModelNotFound
		}
		return KindNotFound
	case status == http.StatusTooManyRequests:
		return KindRateLimited
	case status == http.StatusBadRequest || status == http.StatusUnprocessableEntity:
		if strings.Contains(lm, "model") && (strings.Contains(lm, "not found") || strings.Contains(lm, "does not exist")) {
			return KindModelNotFound
		}
		return KindBadRequest
	case status >= 500:
		return KindServer
	}
	return KindOther
}

// isOutputFormatFailure reports a server's own parser failing on what its
// model wrote: llama.cpp answers 500 "The model produced output that does
// not match the expected … format" when grammar-constrained output is cut
// short. It repeats with the same model and request, so it is not worth
// more than one retry.
func isOutputFormatFailure(lowerMsg string) bool {
	return strings.Contains(lowerMsg, "does not match the expected") ||
		strings.Contains(lowerMsg, "failed to parse") && strings.Contains(lowerMsg, "output")
}

// RefusesAll reports an error every request of the run would meet: the
// server cannot be reached, refuses the key, serves no such model or
// endpoint, or the account has no quota left.
func RefusesAll(err error) bool {
	return IsKind(err, KindUnreachable, KindUnauthorized, KindForbidden, KindModelNotFound, KindNotFound, KindQuota)
}

// IsKind reports whether err is an [*Error] of one of the given kinds.
func IsKind(err error, kinds ...Kind) bool {
	var e *Error
	if !errors.As(err, &e) {
		return false
	}
	for _, k := range kinds {
		if e.Kind == k {
			return true
		}
	}
	return false
}
