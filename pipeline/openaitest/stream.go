package openaitest

import (
	"encoding/json"
	"net/http"
	"time"
	"unicode/utf8"
)

type chunk struct {
	ID                string          `json:"id"`
	Object            string          `json:"object"`
	Created           int64           `json:"created"`
	Model             string          `json:"model"`
	ServiceTier       string          `json:"service_tier,omitempty"`
	SystemFingerprint string          `json:"system_fingerprint"`
	Choices           []chunkChoice   `json:"choices"`
	Usage             json.RawMessage `json:"usage,omitempty"`
}

type chunkChoice struct {
	Index        int       `json:"index"`
	Delta        delta     `json:"delta"`
	Logprobs     *struct{} `json:"logprobs"`
	FinishReason *string   `json:"finish_reason"`
}

type delta struct {
	Role    string  `json:"role,omitempty"`
	Content *string `json:"content,omitempty"`
	Refusal *string `json:"refusal,omitempty"`
}

// chunkBytes is how much content goes in one chunk: about four tokens.
const chunkBytes = 16

// writeStream sends the reply as server-sent events, as OpenAI does for
// "stream": true: a first chunk with the role, the content in pieces, a
// chunk with the finish reason, a usage chunk when the request asked for
// stream_options.include_usage, then "data: [DONE]".
func (s *Server) writeStream(w http.ResponseWriter, c *call, r *reply, u usage) {
	includeUsage := c.chat.StreamOptions != nil && c.chat.StreamOptions.IncludeUsage
	base := chunk{
		ID:                c.completionID(),
		Object:            "chat.completion.chunk",
		Created:           c.start.Unix(),
		Model:             c.responseModel(),
		ServiceTier:       "default",
		SystemFingerprint: systemFingerprint,
	}
	if s.opts.azure {
		base.ServiceTier = ""
	}
	if includeUsage {
		base.Usage = json.RawMessage("null")
	}
	event := func(d delta, finish *string) []byte {
		ch := base
		ch.Choices = []chunkChoice{{Delta: d, FinishReason: finish}}
		return append(append([]byte("data: "), marshal(ch)...), '\n', '\n')
	}

	empty := ""
	events := [][]byte{event(delta{Role: "assistant", Content: &empty}, nil)}
	text, isRefusal := r.content, false
	if r.refusal != "" {
		text, isRefusal = r.refusal, true
		events[0] = event(delta{Role: "assistant"}, nil)
	}
	pieces := split(text, chunkBytes)
	for _, p := range pieces {
		if isRefusal {
			events = append(events, event(delta{Refusal: &p}, nil))
		} else {
			events = append(events, event(delta{Content: &p}, nil))
		}
	}
	events = append(events, event(delta{}, &r.finish))
	if includeUsage {
		ch := base
		ch.Choices = []chunkChoice{}
		ch.Usage = marshal(u)
		events = append(events, append(append([]byte("data: "), marshal(ch)...), '\n', '\n'))
	}
	events = append(events, []byte("data: [DONE]\n\n"))
	if r.truncateBody {
		// Break off in the middle of an event, as a dropped connection
		// would.
		half := events[len(events)/2]
		events = append(events[:len(events)/2:len(events)/2], half[:len(half)/2])
	}

	h := w.Header()
	h.Set("Content-Type", "text/event-stream; charset=utf-8")
	h.Set("Cache-Control", "no-cache")
	s.setProcessingTime(w, c)
	w.WriteHeader(http.StatusOK)
	rc := http.NewResponseController(w)
	for i, e := range events {
		// Content pieces are events 1..len(pieces).
		if i >= 1 && i <= len(pieces) {
			if !s.sleep(c, time.Duration(s.opts.tokens(pieces[i-1]))*s.opts.latencyPerToken) {
				return
			}
		}
		if _, err := w.Write(e); err != nil {
			return
		}
		_ = rc.Flush()
	}
}

// split cuts s into pieces of about n bytes, never inside a character.
func split(s string, n int) []string {
	var out []string
	for len(s) > 0 {
		i := min(n, len(s))
		for i < len(s) && !utf8.RuneStart(s[i]) {
			i++
		}
		out = append(out, s[:i])
		s = s[i:]
	}
	return out
}
