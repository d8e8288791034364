package local

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"
)

// DefaultTimeout bounds the probe of one candidate. A local server answers
// its model list in milliseconds; nothing listening is refused at once.
const DefaultTimeout = 300 * time.Millisecond

// Server is a server found by [Probe].
type Server struct {
	Listing
	BaseURL string
}

// Options tune [Probe].
type Options struct {
	// Timeout bounds the probe of each candidate; 0 is DefaultTimeout.
	Timeout time.Duration
	// APIKey is sent as a bearer token when it is not empty, for a local
	// server started with a key.
	APIKey string
}

// Problem says why a server that answered cannot be used.
type Problem int

// The problems of a server that answered.
const (
	NeedsKey Problem = iota + 1 // it refused the list: 401 or 403
	NoModels                    // its list is empty
	Loading                     // it is still loading its model (503)
)

// Answer is a candidate that answered but cannot be used.
type Answer struct {
	Kind    Kind
	BaseURL string
	Problem Problem
}

// Fix says what makes the server usable, when nothing need be set for it:
// a model to load, or time to load it; "" for a server that needs a key.
func (a Answer) Fix() string {
	switch a.Problem {
	case NoModels:
		return a.Kind.ModelFix()
	case Loading:
		return "try again when it is ready"
	}
	return ""
}

func (a Answer) String() string {
	what := map[Problem]string{
		NeedsKey: "needs an API key",
		NoModels: "serves no model",
		Loading:  "is still loading its model",
	}[a.Problem]
	return fmt.Sprintf("the %s at %s %s", serverName(a.Kind), a.BaseURL, what)
}

// NotFoundError is returned by [Probe] when no candidate is usable.
type NotFoundError struct {
	Tried []Candidate
	// Answered are the candidates that answered but cannot be used, in
	// the candidates' order.
	Answered []Answer
}

func (e *NotFoundError) Error() string {
	if len(e.Answered) > 0 {
		return e.Answered[0].String()
	}
	addrs := make([]string, len(e.Tried))
	for i, c := range e.Tried {
		addrs[i] = c.Addr
	}
	return "no local server answered at " + strings.Join(addrs, ", ")
}

// serverName is how messages name a server of a kind.
func serverName(k Kind) string {
	if k == Unknown {
		return "server"
	}
	return k.String() + " server"
}

// Name is how a message names the server: "the Ollama server", "the server".
func (s Server) Name() string { return "the " + serverName(s.Kind) }

// outcome is what one candidate answered.
type outcome struct {
	server Server
	answer *Answer // a server that cannot be used
	ok     bool
}

// Probe asks every candidate for its model list at once and returns the
// first, in the candidates' order, that lists at least one model. It
// returns as soon as that one is known, without waiting for the
// candidates after it.
func Probe(ctx context.Context, cands []Candidate, o Options) (Server, error) {
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	// Loopback only: no proxy, no connections kept for later.
	client := &http.Client{Transport: &http.Transport{
		Proxy:             nil,
		DialContext:       (&net.Dialer{Timeout: o.Timeout}).DialContext,
		DisableKeepAlives: true,
	}}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	results := make([]chan outcome, len(cands))
	for i, c := range cands {
		results[i] = make(chan outcome, 1)
		go func() { results[i] <- probeOne(ctx, client, c, o) }()
	}
	nf := &NotFoundError{Tried: cands}
	for _, ch := range results {
		r := <-ch
		switch {
		case r.ok:
			return r.server, nil
		case r.answer != nil:
			nf.Answered = append(nf.Answered, *r.answer)
		}
	}
	if err := ctx.Err(); err != nil {
		return Server{}, err
	}
	return Server{}, nf
}

func probeOne(ctx context.Context, client *http.Client, c Candidate, o Options) outcome {
	ctx, cancel := context.WithTimeout(ctx, o.Timeout)
	defer cancel()
	base := c.BaseURL()
	l, err := List(ctx, client, base, o.APIKey, c.Kind)
	if se, ok := err.(*StatusError); ok {
		a := &Answer{Kind: c.Kind, BaseURL: base}
		switch {
		case se.NeedsKey():
			a.Problem = NeedsKey
		case se.Loading():
			a.Problem = Loading
		default:
			return outcome{} // some other web server
		}
		return outcome{answer: a}
	}
	if err != nil {
		return outcome{}
	}
	if len(l.Models) == 0 {
		return outcome{answer: &Answer{Kind: l.Kind, BaseURL: base, Problem: NoModels}}
	}
	return outcome{server: Server{Listing: l, BaseURL: base}, ok: true}
}
