package openaitest

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// A Fault replaces or spoils the server's answer to one chat completion
// request. Faults are made by the functions of this file and queued with
// [Server.Script], or drawn at random with [WithFaultRate].
//
// There are four sorts:
//
//   - error responses, sent instead of the completion: [HTTPError],
//     [OpenAIError], [RateLimited], [QuotaExceeded], [ContextLengthExceeded],
//     [ResponseFormatUnsupported], [RequestTooLarge], and the shapes of other
//     servers: [LMStudioError], [AzureRateLimited], [HTMLError],
//     [RawResponse];
//   - connection faults: [Hang], [Reset], [TruncatedBody];
//   - content faults, which spoil the assistant message of an otherwise
//     valid 200 reply: [InvalidJSONContent], [Fenced], [Chatter],
//     [MissingSegment], [DuplicateSegment], [ReorderSegments],
//     [UnknownSegment], [EmptyText], [Untranslated], [Refusal], [Truncated],
//     [ReplaceContent].
//
// The segment faults act on translation and repair replies only; on other
// replies they change nothing (but are still used up).
type Fault struct {
	name   string
	sort   faultSort
	header http.Header

	// error responses
	status      int
	contentType string
	body        func(c *call) []byte

	// content faults: first segs, then the content is rendered, then edit
	segs func(out, src []segment) []segment
	edit func(r *reply)
}

type faultSort int

const (
	sortResponse faultSort = iota + 1
	sortHang
	sortReset
	sortTruncatedBody
	sortContent
)

// String names the fault, as recorded in [Request.Fault].
func (f Fault) String() string { return f.name }

// apply serves the fault; it reports whether the (possibly spoilt) reply
// should still be sent.
func (f Fault) apply(s *Server, w http.ResponseWriter, c *call, r *reply) bool {
	s.mu.Lock()
	s.requests[c.index].Fault = f.name
	s.mu.Unlock()
	for k, v := range f.header {
		w.Header()[k] = v
	}
	switch f.sort {
	case sortResponse:
		w.Header().Set("Content-Type", f.contentType)
		s.setProcessingTime(w, c)
		w.WriteHeader(f.status)
		_, _ = w.Write(f.body(c))
		return false
	case sortHang:
		select {
		case <-c.r.Context().Done():
		case <-s.done:
		}
		return false
	case sortReset:
		conn, _, err := http.NewResponseController(w).Hijack()
		if err != nil {
			return false
		}
		if tc, ok := conn.(*net.TCPConn); ok {
			// Close with RST instead of FIN, as a crashed proxy does.
			_ = tc.SetLinger(0)
		}
		_ = conn.Close()
		return false
	case sortTruncatedBody:
		r.truncateBody = true
		return true
	case sortContent:
		if f.segs != nil && r.hasSegs {
			r.segs = f.segs(r.segs, c.user.segments)
		}
		r.render()
		if f.edit != nil {
			f.edit(r)
		}
		return true
	}
	return true
}

type scripted struct {
	kind  string
	fault Fault
}

// Script queues faults for requests of the kind (KindAny for any kind):
// each later chat completion request of that kind takes the first fault
// queued for it, in the order queued, and once the queue holds none for it
// the request is served normally. Requests refused before a fault could
// apply (bad key, unknown model, rate limit) do not take one.
func (s *Server) Script(kind string, faults ...Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, f := range faults {
		s.script = append(s.script, scripted{kind: kind, fault: f})
	}
}

// Pending returns how many scripted faults no request has taken yet.
func (s *Server) Pending() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.script)
}

// randomFaults are what WithFaultRate draws from: the transient failures
// a client must retry.
var randomFaults = []Fault{RateLimited(20 * time.Millisecond), HTTPError(500), HTTPError(502), HTTPError(503), Reset()}

func (s *Server) nextFault(c *call) (Fault, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, e := range s.script {
		if e.kind == KindAny || e.kind == c.kind {
			s.script = slices.Delete(s.script, i, i+1)
			return e.fault, true
		}
	}
	if s.rng != nil && s.rng.Float64() < s.opts.faultRate {
		return randomFaults[s.rng.IntN(len(randomFaults))], true
	}
	return Fault{}, false
}

// response makes an error-response fault with a JSON body.
func response(name string, status int, body func(c *call) []byte) Fault {
	return Fault{name: name, sort: sortResponse, status: status, contentType: "application/json", body: body}
}

func fixed(b []byte) func(*call) []byte { return func(*call) []byte { return b } }

// OpenAIError answers with status and an OpenAI error object
// {"error":{"message":…,"type":…,"param":null,"code":…}}; an empty code
// is sent as null.
func OpenAIError(status int, typ, code, message string) Fault {
	var c any
	if code != "" {
		c = code
	}
	return response(fmt.Sprintf("OpenAIError(%d, %q, %q)", status, typ, code), status, fixed(apiError(message, typ, "", c)))
}

// HTTPError answers with status and the OpenAI error object OpenAI sends
// with it: for 429 a rate_limit_exceeded without retry headers, for 5xx a
// "server_error", for others an "invalid_request_error".
func HTTPError(status int) Fault {
	typ, code, msg := "invalid_request_error", "", http.StatusText(status)+"."
	switch status {
	case http.StatusBadRequest:
		msg = "Invalid request."
	case http.StatusUnauthorized:
		code, msg = "invalid_api_key", "Incorrect API key provided."
	case http.StatusForbidden:
		typ, code, msg = "request_forbidden", "unsupported_country_region_territory", "Country, region, or territory not supported"
	case http.StatusRequestTimeout:
		typ, msg = "timeout", "Request timed out."
	case http.StatusConflict:
		typ, msg = "server_error", "The request conflicted with another request. Please try again."
	case http.StatusTooManyRequests:
		typ, code, msg = "requests", "rate_limit_exceeded", "Rate limit reached for requests. Please try again later."
	case http.StatusInternalServerError:
		typ, msg = "server_error", "The server had an error while processing your request. Sorry about that!"
	case http.StatusBadGateway:
		typ, msg = "server_error", "Bad gateway."
	case http.StatusServiceUnavailable:
		typ, msg = "server_error", "The engine is currently overloaded, please try again later."
	case http.StatusGatewayTimeout:
		typ, msg = "server_error", "Gateway timeout."
	default:
		if status >= 500 {
			typ = "server_error"
		}
	}
	f := OpenAIError(status, typ, code, msg)
	f.name = fmt.Sprintf("HTTPError(%d)", status)
	return f
}

// RateLimited answers 429 "rate_limit_exceeded" (type "requests") with
// retry-after-ms and retry-after (whole seconds, rounded up) set from
// retryAfter, and x-ratelimit-remaining-requests 0; a retryAfter of 0
// sends no retry headers.
func RateLimited(retryAfter time.Duration) Fault {
	f := response(fmt.Sprintf("RateLimited(%v)", retryAfter), http.StatusTooManyRequests, func(c *call) []byte {
		return apiError(fmt.Sprintf("Rate limit reached for %s in organization org-nl2entest on requests per min (RPM): Limit 500, Used 500, Requested 1. Please try again in %s. Visit https://platform.openai.com/account/rate-limits to learn more.", c.model, formatReset(retryAfter)), "requests", "", "rate_limit_exceeded")
	})
	f.header = http.Header{}
	if retryAfter > 0 {
		setRetryAfter(f.header, retryAfter)
	}
	f.header.Set("X-Ratelimit-Limit-Requests", "500")
	f.header.Set("X-Ratelimit-Remaining-Requests", "0")
	f.header.Set("X-Ratelimit-Reset-Requests", formatReset(retryAfter))
	return f
}

// QuotaExceeded answers 429 "insufficient_quota", which, unlike a rate
// limit, does not pass by waiting.
func QuotaExceeded() Fault {
	return response("QuotaExceeded()", http.StatusTooManyRequests, fixed(apiError("You exceeded your current quota, please check your plan and billing details. For more information on this error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.", "insufficient_quota", "", "insufficient_quota")))
}

// KeyEchoed answers 401 "invalid_api_key" with the whole key the request
// carried (bearer token or Azure api-key header) in the message, as some
// proxies and test servers do: a client must keep it out of its logs,
// messages and files.
func KeyEchoed() Fault {
	return response("KeyEchoed()", http.StatusUnauthorized, func(c *call) []byte {
		key, _ := strings.CutPrefix(c.r.Header.Get("Authorization"), "Bearer ")
		if k := c.r.Header.Get("api-key"); k != "" {
			key = k
		}
		return apiError("Incorrect API key provided: "+key+". You can find your API key at https://platform.openai.com/account/api-keys.", "invalid_request_error", "", "invalid_api_key")
	})
}

// ContextLengthExceeded answers 400 "context_length_exceeded" for a model
// whose context holds maxTokens: "This model's maximum context length is
// … tokens. However, your messages resulted in … tokens. …".
func ContextLengthExceeded(maxTokens int) Fault {
	return response(fmt.Sprintf("ContextLengthExceeded(%d)", maxTokens), http.StatusBadRequest, func(c *call) []byte {
		return apiError(fmt.Sprintf("This model's maximum context length is %d tokens. However, your messages resulted in %d tokens. Please reduce the length of the messages.", maxTokens, max(c.promptTokens, maxTokens+1)), "invalid_request_error", "messages", "context_length_exceeded")
	})
}

// ResponseFormatUnsupported answers 400 with param "response_format", as
// OpenAI does when the model lacks the requested response_format type:
// "Invalid parameter: 'response_format' of type 'json_schema' is not
// supported with this model." To refuse a type on every request, use
// [WithResponseFormats] instead.
func ResponseFormatUnsupported() Fault {
	return response("ResponseFormatUnsupported()", http.StatusBadRequest, func(c *call) []byte {
		t := "json_schema"
		if rf := c.chat.ResponseFormat; rf != nil && rf.Type != "" {
			t = string(rf.Type)
		}
		return formatUnsupported(t)
	})
}

// RequestTooLarge answers that the request is too large. With 429 it is
// OpenAI's tokens-per-minute refusal (type "tokens", code
// "rate_limit_exceeded", no retry-after: waiting does not help); with 413
// or 400 it is an "invalid_request_error" with code "request_too_large".
func RequestTooLarge(status int) Fault {
	return response(fmt.Sprintf("RequestTooLarge(%d)", status), status, func(c *call) []byte {
		if status == http.StatusTooManyRequests {
			return apiError(fmt.Sprintf("Request too large for %s in organization org-nl2entest on tokens per min (TPM): Limit 30000, Requested %d. The input or output tokens must be reduced in order to run successfully. Visit https://platform.openai.com/account/rate-limits to learn more.", c.model, max(c.promptTokens, 30001)), "tokens", "", "rate_limit_exceeded")
		}
		return apiError(fmt.Sprintf("Request too large for %s: the request of %d bytes exceeds the maximum size. Reduce the input and try again.", c.model, len(c.body)), "invalid_request_error", "", "request_too_large")
	})
}

// LMStudioError answers in LM Studio's shape, {"error": "…"}, whose error
// is a string; go-openai returns an *openai.RequestError.
func LMStudioError(status int, message string) Fault {
	return response(fmt.Sprintf("LMStudioError(%d)", status), status, fixed(marshal(map[string]string{"error": message})))
}

// AzureRateLimited answers 429 as Azure does, in Azure's error shape
// ({"error":{"code":"429","message":…}}: a string code and no type), with
// a message saying when to retry, and retry-after and retry-after-ms
// headers.
func AzureRateLimited(retryAfter time.Duration) Fault {
	secs := max(int64((retryAfter+time.Second-1)/time.Second), 1)
	f := response("", http.StatusTooManyRequests, fixed(azureError("429", fmt.Sprintf("Requests to the ChatCompletions_Create Operation under Azure OpenAI API version 2024-10-21 have exceeded token rate limit of your current OpenAI S0 pricing tier. Please retry after %d seconds. Please go here: https://aka.ms/oai/quotaincrease if you would like to further increase the default rate limit.", secs))))
	f.name = fmt.Sprintf("AzureRateLimited(%v)", retryAfter)
	f.header = http.Header{}
	setRetryAfter(f.header, retryAfter)
	return f
}

// HTMLError answers with status and an HTML page, as a proxy or load
// balancer in front of the API does (OpenAI's 502s come from Cloudflare);
// go-openai returns an *openai.RequestError.
func HTMLError(status int) Fault {
	text := fmt.Sprintf("%d %s", status, http.StatusText(status))
	body := fmt.Sprintf("<html>\r\n<head><title>%s</title></head>\r\n<body>\r\n<center><h1>%s</h1></center>\r\n<hr><center>cloudflare</center>\r\n</body>\r\n</html>\r\n", text, text)
	f := response(fmt.Sprintf("HTMLError(%d)", status), status, fixed([]byte(body)))
	f.contentType = "text/html"
	return f
}

// RawResponse answers with exactly this status, content type and body.
func RawResponse(status int, contentType, body string) Fault {
	f := response(fmt.Sprintf("RawResponse(%d)", status), status, fixed([]byte(body)))
	f.contentType = contentType
	return f
}

// Hang sends nothing until the client cancels its request (or the server
// closes), to test timeouts and cancellation.
func Hang() Fault { return Fault{name: "Hang()", sort: sortHang} }

// Reset closes the connection without a response, with a TCP reset; the
// client's Do fails with a transport error (*url.Error), not an API error.
func Reset() Fault { return Fault{name: "Reset()", sort: sortReset} }

// TruncatedBody sends status 200 and only the first half of the body, as
// a dropped connection leaves it: invalid JSON (go-openai returns
// io.ErrUnexpectedEOF), or a stream that stops in the middle of an event
// without "data: [DONE]".
func TruncatedBody() Fault { return Fault{name: "TruncatedBody()", sort: sortTruncatedBody} }

func contentFault(name string, segs func(out, src []segment) []segment, edit func(r *reply)) Fault {
	return Fault{name: name, sort: sortContent, segs: segs, edit: edit}
}

// InvalidJSONContent makes the message content invalid JSON: a trailing
// comma before the final brace.
func InvalidJSONContent() Fault {
	return contentFault("InvalidJSONContent()", nil, func(r *reply) {
		if i := strings.LastIndex(r.content, "}"); i >= 0 {
			r.content = r.content[:i] + ",}" + r.content[i+1:]
		} else {
			r.content += ","
		}
	})
}

// Fenced wraps the content in a Markdown code fence, "```json\n…\n```", as
// models without structured outputs often do.
func Fenced() Fault {
	return contentFault("Fenced()", nil, func(r *reply) { r.content = "```json\n" + r.content + "\n```" })
}

// Chatter puts a sentence before and after the JSON content.
func Chatter() Fault {
	return contentFault("Chatter()", nil, func(r *reply) {
		r.content = "Sure! Here is the requested JSON:\n\n" + r.content + "\n\nLet me know if you would like any changes."
	})
}

// quoteIDs writes ids as they appear in a call: "s1", "s2".
func quoteIDs(ids []string) string {
	q := make([]string, len(ids))
	for i, id := range ids {
		q[i] = fmt.Sprintf("%q", id)
	}
	return strings.Join(q, ", ")
}

// pick returns the indexes of out whose ids are among ids, or with no ids
// the index of the first segment.
func pick(out []segment, ids []string) []bool {
	hit := make([]bool, len(out))
	if len(ids) == 0 {
		if len(out) > 0 {
			hit[0] = true
		}
		return hit
	}
	for i, s := range out {
		hit[i] = slices.Contains(ids, s.id())
	}
	return hit
}

// MissingSegment leaves the segments with these ids out of the reply, or
// with no ids the first segment.
func MissingSegment(ids ...string) Fault {
	return contentFault("MissingSegment("+quoteIDs(ids)+")", func(out, _ []segment) []segment {
		hit := pick(out, ids)
		var kept []segment
		for i, s := range out {
			if !hit[i] {
				kept = append(kept, s)
			}
		}
		return append([]segment{}, kept...)
	}, nil)
}

// DuplicateSegment sends the segments with these ids twice in a row, or
// with no ids the first segment.
func DuplicateSegment(ids ...string) Fault {
	return contentFault("DuplicateSegment("+quoteIDs(ids)+")", func(out, _ []segment) []segment {
		hit := pick(out, ids)
		var dup []segment
		for i, s := range out {
			dup = append(dup, s)
			if hit[i] {
				dup = append(dup, s)
			}
		}
		return dup
	}, nil)
}

// ReorderSegments sends the segments in reverse order (a reply with one
// segment is unchanged).
func ReorderSegments() Fault {
	return contentFault("ReorderSegments()", func(out, _ []segment) []segment {
		rev := slices.Clone(out)
		slices.Reverse(rev)
		return rev
	}, nil)
}

// UnknownSegment adds a segment with an id that was not asked for; an
// empty id means "s999".
func UnknownSegment(id string) Fault {
	if id == "" {
		id = "s999"
	}
	raw, _ := json.Marshal(id)
	return contentFault(fmt.Sprintf("UnknownSegment(%q)", id), func(out, _ []segment) []segment {
		return append(slices.Clone(out), segment{ID: raw, Text: "This text belongs to no segment."})
	}, nil)
}

// EmptyText sends an empty text for the segments with these ids, or with
// no ids the first segment.
func EmptyText(ids ...string) Fault {
	return contentFault("EmptyText("+quoteIDs(ids)+")", func(out, _ []segment) []segment {
		hit := pick(out, ids)
		out = slices.Clone(out)
		for i := range out {
			if hit[i] {
				out[i].Text = ""
			}
		}
		return out
	}, nil)
}

// Untranslated echoes the Dutch source text for the segments with these
// ids, or with no ids for every segment.
func Untranslated(ids ...string) Fault {
	return contentFault("Untranslated("+quoteIDs(ids)+")", func(out, src []segment) []segment {
		source := map[string]string{}
		for _, s := range src {
			source[s.id()] = s.Text
		}
		out = slices.Clone(out)
		for i, s := range out {
			if len(ids) == 0 || slices.Contains(ids, s.id()) {
				out[i].Text = source[s.id()]
			}
		}
		return out
	}, nil)
}

// Refusal makes the model refuse: message.refusal is set, content is null
// and finish_reason is "stop", as with structured outputs.
func Refusal() Fault {
	return contentFault("Refusal()", nil, func(r *reply) {
		r.content, r.nullContent = "", true
		r.refusal = "I'm sorry, but I can't help with that request."
	})
}

// Truncated cuts the content in the middle, inside the JSON, and sets
// finish_reason "length", as when the model runs out of output tokens;
// usage.completion_tokens is then max_completion_tokens (or max_tokens)
// when the request set it.
func Truncated() Fault {
	return contentFault("Truncated()", nil, func(r *reply) {
		i := len(r.content) / 2
		for i > 0 && !utf8.RuneStart(r.content[i]) {
			i--
		}
		r.content = r.content[:i]
		r.finish = "length"
	})
}

// ReplaceContent sends content as the assistant message, whatever was
// asked.
func ReplaceContent(content string) Fault {
	return contentFault(fmt.Sprintf("ReplaceContent(%.20q)", content), nil, func(r *reply) { r.content = content })
}
