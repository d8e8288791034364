package doctor

import (
	"context"
	"net/http"
	"strings"
	"sync"

	"github.com/nl2en/nl2en/pipeline/llm"
)

// headerLog is an [llm.Pacer] that keeps the rate-limit headers the
// server sends, passing everything on to the run's own pacer, if any.
type headerLog struct {
	mu   sync.Mutex
	seen http.Header
	next llm.Pacer
}

func (h *headerLog) Wait(ctx context.Context) error {
	if h.next != nil {
		return h.next.Wait(ctx)
	}
	return nil
}

func (h *headerLog) Observe(status int, header http.Header) {
	if h.next != nil {
		h.next.Observe(status, header)
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.seen != nil {
		return
	}
	for k := range header {
		if strings.HasPrefix(strings.ToLower(k), "x-ratelimit-limit-") {
			h.seen = header.Clone()
			return
		}
	}
}

// limits names the limits seen, "" when none were: "500 requests, 200000
// tokens".
func (h *headerLog) limits() string {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.seen == nil {
		return ""
	}
	var parts []string
	for _, dim := range []string{"requests", "tokens"} {
		if v := h.seen.Get("x-ratelimit-limit-" + dim); v != "" {
			parts = append(parts, v+" "+dim)
		}
	}
	return strings.Join(parts, ", ")
}
