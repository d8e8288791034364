package fetch

import (
	"bufio"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/nl2en/nl2en/pipeline/redact"
)

// Defaults of [Options].
const (
	DefaultTimeout         = 30 * time.Second
	DefaultMinDelay        = time.Second
	DefaultMaxCrawlDelay   = time.Minute
	DefaultMaxConnsPerHost = 2
	DefaultMaxRedirects    = 5
	// DefaultMaxBytes is the most a feed may hold, decompressed.
	DefaultMaxBytes = 20 << 20
	// robotsMaxBytes is how much of a robots.txt is read; RFC 9309 asks
	// crawlers to read at least 500 KiB and ignore the rest.
	robotsMaxBytes = 500 << 10
)

// Resolver finds the addresses of a host; *net.Resolver is one.
type Resolver interface {
	LookupIPAddr(ctx context.Context, host string) ([]net.IPAddr, error)
}

// DialFunc opens a connection to an address ("192.0.2.1:443").
type DialFunc func(ctx context.Context, network, address string) (net.Conn, error)

// Options configure a [Fetcher]. The zero value of each field is its
// default.
type Options struct {
	// Version is nl2en's version, named in the User-Agent.
	Version string
	// AllowPrivate admits addresses on loopback, private and link-local
	// networks, which are refused by default.
	AllowPrivate bool
	// Timeout bounds each request, from sending it to the last byte of
	// its body; each hop of a redirect gets its own. [DefaultTimeout].
	Timeout time.Duration
	// MinDelay is the least time between the starts of two requests to
	// one host. [DefaultMinDelay]; a robots.txt Crawl-delay that is longer
	// wins, up to MaxCrawlDelay ([DefaultMaxCrawlDelay]).
	MinDelay      time.Duration
	MaxCrawlDelay time.Duration
	// MaxConnsPerHost bounds the requests to one host in flight at once.
	// [DefaultMaxConnsPerHost].
	MaxConnsPerHost int
	// MaxRedirects is the most redirects one fetch follows.
	// [DefaultMaxRedirects].
	MaxRedirects int
	// Resolver resolves host names; net.DefaultResolver by default.
	Resolver Resolver
	// Dial connects to an address that has been checked; a net.Dialer
	// (which checks it once more) by default.
	Dial DialFunc
	// Clock paces the requests; the real clock by default.
	Clock Clock
	// Logger gets a debug line per request; nothing is logged when nil.
	Logger *slog.Logger
}

// Request is one fetch.
type Request struct {
	URL string
	// Page marks an article page, as opposed to a feed: robots.txt is
	// honoured for pages. Feeds are published for programs to read.
	Page bool
	// MaxBytes bounds the body after decompression; 0 is
	// [DefaultMaxBytes]. Pages should be given the limit of input files.
	MaxBytes int64
	// ETag and LastModified are the validators of the copy the caller
	// holds, from an earlier [Response]; the server answers 304 Not
	// Modified when it has nothing newer.
	ETag         string
	LastModified string
}

// Response is a fetched resource.
type Response struct {
	// URL is the address asked for; FinalURL the one that answered, after
	// redirects.
	URL      string
	FinalURL string
	// MovedTo is where permanent redirects (301, 308) from URL lead, when
	// the first redirect is permanent: the address to ask next time. It
	// stops at the first temporary redirect (302, 303, 307), and is ""
	// when there was no permanent one.
	MovedTo string
	// Status is 200 (or another 2xx), or 304 when NotModified.
	Status      int
	NotModified bool
	// ETag and LastModified are the validators to send next time.
	ETag         string
	LastModified string
	ContentType  string
	// Body is the decompressed body; nil when NotModified.
	Body    []byte
	Fetched time.Time
}

// Fetcher fetches feeds and pages politely and safely: it names itself,
// paces and bounds its requests per host, honours robots.txt for pages,
// bounds time, size and redirects, and refuses addresses that are not
// public. One Fetcher serves one run: robots.txt is read once per site
// and cached in it. It is safe for concurrent use.
type Fetcher struct {
	o         Options
	userAgent string
	resolver  Resolver
	dial      DialFunc
	clock     Clock
	log       *slog.Logger
	transport *http.Transport
	client    *http.Client

	mu    sync.Mutex
	hosts map[string]*host
	sites map[string]*site
}

// host is what the fetcher keeps per host name: the requests in flight
// and when the next may start.
type host struct {
	slots chan struct{}
	mu    sync.Mutex
	next  time.Time
	delay time.Duration
}

// site is a scheme and authority's robots.txt, fetched once.
type site struct {
	done   chan struct{}
	robots *Robots
	err    error
}

// UserAgent is the User-Agent nl2en sends: its name, version and home.
func UserAgent(version string) string {
	if version == "" {
		version = "dev"
	}
	return "nl2en/" + version + " (+https://github.com/nl2en/nl2en)"
}

// agentToken is the product token robots.txt groups are matched against.
const agentToken = "nl2en"

// New returns a Fetcher. Call Close when done with it.
func New(o Options) *Fetcher {
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.MinDelay <= 0 {
		o.MinDelay = DefaultMinDelay
	}
	if o.MaxCrawlDelay <= 0 {
		o.MaxCrawlDelay = DefaultMaxCrawlDelay
	}
	if o.MaxConnsPerHost <= 0 {
		o.MaxConnsPerHost = DefaultMaxConnsPerHost
	}
	if o.MaxRedirects <= 0 {
		o.MaxRedirects = DefaultMaxRedirects
	}
	f := &Fetcher{
		o:         o,
		userAgent: UserAgent(o.Version),
		resolver:  o.Resolver,
		dial:      o.Dial,
		clock:     o.Clock,
		log:       o.Logger,
		hosts:     map[string]*host{},
		sites:     map[string]*site{},
	}
	if f.resolver == nil {
		f.resolver = net.DefaultResolver
	}
	if f.dial == nil {
		d := &net.Dialer{Timeout: o.Timeout, KeepAlive: 30 * time.Second}
		if !o.AllowPrivate {
			d.Control = controlAddress
		}
		f.dial = d.DialContext
	}
	if f.clock == nil {
		f.clock = realClock{}
	}
	if f.log == nil {
		f.log = slog.New(slog.DiscardHandler)
	}
	f.transport = &http.Transport{
		// No proxy: the address checked must be the one connected to.
		Proxy:               nil,
		DialContext:         f.dialContext,
		MaxConnsPerHost:     o.MaxConnsPerHost,
		MaxIdleConnsPerHost: o.MaxConnsPerHost,
		IdleConnTimeout:     30 * time.Second,
		TLSHandshakeTimeout: 10 * time.Second,
		// nl2en asks for gzip and deflate itself and counts the limit
		// after decompression.
		DisableCompression: true,
	}
	f.client = &http.Client{
		Transport: f.transport,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse // followed by Fetch, hop by hop
		},
	}
	return f
}

// Close closes idle connections.
func (f *Fetcher) Close() { f.transport.CloseIdleConnections() }

// Fetch fetches req.URL, following at most MaxRedirects redirects, each
// checked as the first: the scheme, the address at dial time, and for a
// page robots.txt. A 2xx answer gives the body; 304 gives NotModified.
// Every failure is an [*Error].
func (f *Fetcher) Fetch(ctx context.Context, req Request) (*Response, error) {
	u, err := parseURL(req.URL)
	if err != nil {
		return nil, err
	}
	limit := req.MaxBytes
	if limit <= 0 {
		limit = DefaultMaxBytes
	}
	resp := &Response{URL: req.URL}
	permanent := true
	for hop := 0; ; hop++ {
		if req.Page {
			if err := f.checkRobots(ctx, u); err != nil {
				return nil, err
			}
		}
		r, err := f.do(ctx, u, req, limit, acceptFor(req.Page))
		if err != nil {
			return nil, err
		}
		if isRedirect(r.status) {
			if hop >= f.o.MaxRedirects {
				return nil, &Error{Kind: KindRedirects, URL: redact.URL(u.String()),
					Err: fmt.Errorf("more than %d redirects", f.o.MaxRedirects)}
			}
			next, err := f.redirectTarget(u, r)
			if err != nil {
				return nil, err
			}
			if permanent && (r.status == http.StatusMovedPermanently || r.status == http.StatusPermanentRedirect) {
				resp.MovedTo = next.String()
			} else {
				permanent = false
			}
			u = next
			continue
		}
		resp.FinalURL = u.String()
		resp.Status = r.status
		resp.ETag = r.header.Get("ETag")
		resp.LastModified = r.header.Get("Last-Modified")
		resp.ContentType = r.header.Get("Content-Type")
		resp.Fetched = r.started
		switch {
		case r.status == http.StatusNotModified:
			resp.NotModified = true
			if resp.ETag == "" {
				resp.ETag = req.ETag
			}
			if resp.LastModified == "" {
				resp.LastModified = req.LastModified
			}
		case r.status >= 200 && r.status < 300:
			resp.Body = r.body
		default:
			return nil, &Error{Kind: KindStatus, URL: redact.URL(u.String()), Status: r.status}
		}
		return resp, nil
	}
}

func isRedirect(status int) bool {
	switch status {
	case http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther,
		http.StatusTemporaryRedirect, http.StatusPermanentRedirect:
		return true
	}
	return false
}

func (f *Fetcher) redirectTarget(from *url.URL, r *answer) (*url.URL, error) {
	loc := strings.TrimSpace(r.header.Get("Location"))
	if loc == "" {
		return nil, &Error{Kind: KindRedirects, URL: redact.URL(from.String()),
			Err: fmt.Errorf("redirect %d without a Location", r.status)}
	}
	next, err := from.Parse(loc)
	if err != nil {
		return nil, &Error{Kind: KindRedirects, URL: redact.URL(from.String()),
			Err: fmt.Errorf("redirect to a bad address %q", redact.URL(loc))}
	}
	next.Fragment, next.RawFragment = "", ""
	if err := checkScheme(next); err != nil {
		err.(*Error).Err = fmt.Errorf("redirected to %s, which is not http or https", redact.URL(next.String()))
		return nil, err
	}
	return next, nil
}

func parseURL(raw string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return nil, &Error{Kind: KindScheme, URL: redact.URL(raw), Err: errors.New("not a valid URL")}
	}
	if err := checkScheme(u); err != nil {
		return nil, err
	}
	u.Fragment, u.RawFragment = "", ""
	return u, nil
}

func checkScheme(u *url.URL) error {
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		return &Error{Kind: KindScheme, URL: redact.URL(u.String()), Err: errors.New("only http and https URLs are fetched")}
	case u.Host == "" || u.Hostname() == "":
		return &Error{Kind: KindScheme, URL: redact.URL(u.String()), Err: errors.New("the URL has no host")}
	}
	return nil
}

func acceptFor(page bool) string {
	if page {
		return "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5"
	}
	return "application/atom+xml,application/rss+xml,application/feed+json,application/xml;q=0.9,text/xml;q=0.9,application/json;q=0.8,*/*;q=0.5"
}

// answer is one HTTP exchange, its body read.
type answer struct {
	status  int
	header  http.Header
	body    []byte
	started time.Time
}

// do sends one request: it waits for a slot for the host and for the
// host's next start, then sends and reads the body within the timeout.
func (f *Fetcher) do(ctx context.Context, u *url.URL, req Request, limit int64, accept string) (*answer, error) {
	shown := redact.URL(u.String())
	h := f.host(u)
	select {
	case h.slots <- struct{}{}:
	case <-ctx.Done():
		return nil, fmt.Errorf("fetch %s: %w", shown, ctx.Err())
	}
	defer func() { <-h.slots }()
	if err := f.pace(ctx, h); err != nil {
		return nil, fmt.Errorf("fetch %s: %w", shown, err)
	}
	started := f.clock.Now()
	rctx, cancel := context.WithTimeout(ctx, f.o.Timeout)
	defer cancel()
	hr, err := http.NewRequestWithContext(rctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, &Error{Kind: KindOther, URL: shown, Err: errors.New("cannot make a request of it")}
	}
	hr.Header.Set("User-Agent", f.userAgent)
	hr.Header.Set("Accept", accept)
	hr.Header.Set("Accept-Encoding", "gzip, deflate")
	if req.ETag != "" {
		hr.Header.Set("If-None-Match", req.ETag)
	}
	if req.LastModified != "" {
		hr.Header.Set("If-Modified-Since", req.LastModified)
	}
	res, err := f.client.Do(hr)
	if err != nil {
		return nil, f.classify(ctx, rctx, shown, err)
	}
	defer res.Body.Close()
	a := &answer{status: res.StatusCode, header: res.Header, started: started}
	if res.StatusCode >= 200 && res.StatusCode < 300 {
		a.body, err = readBody(res, limit)
		if err != nil {
			var e *Error
			if errors.As(err, &e) {
				e.URL = shown
				return nil, e
			}
			return nil, f.classify(ctx, rctx, shown, err)
		}
	} else {
		// Drain a little so the connection can be reused.
		_, _ = io.CopyN(io.Discard, res.Body, 64<<10)
	}
	f.log.Debug("fetched", "url", shown, "status", res.StatusCode, "bytes", len(a.body), "elapsed", f.clock.Now().Sub(started))
	return a, nil
}

// classify turns a failed exchange into an [*Error], keeping the URL
// (which net/http quotes in full) out of the message.
func (f *Fetcher) classify(ctx, rctx context.Context, shown string, err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	var ref *refusal
	switch {
	case errors.As(err, &ref):
		return &Error{Kind: KindRefused, URL: shown, Addr: ref.addr.String(), Err: ref}
	case ctx.Err() != nil:
		return fmt.Errorf("fetch %s: %w", shown, ctx.Err())
	case rctx.Err() != nil:
		return &Error{Kind: KindTimeout, URL: shown, Err: rctx.Err()}
	}
	var de *net.DNSError
	var oe *net.OpError
	if errors.As(err, &de) || errors.As(err, &oe) {
		return &Error{Kind: KindUnreachable, URL: shown, Err: errors.New(redact.Text(err.Error()))}
	}
	return &Error{Kind: KindOther, URL: shown, Err: errors.New(redact.Text(err.Error()))}
}

// host returns the pacing state of u's host, made on first use.
func (f *Fetcher) host(u *url.URL) *host {
	name := strings.ToLower(u.Hostname())
	f.mu.Lock()
	defer f.mu.Unlock()
	h := f.hosts[name]
	if h == nil {
		h = &host{slots: make(chan struct{}, f.o.MaxConnsPerHost), delay: f.o.MinDelay}
		f.hosts[name] = h
	}
	return h
}

// pace waits until the host's next request may start, and books the one
// after it: starts are at least the host's delay apart, also when
// several wait at once.
func (f *Fetcher) pace(ctx context.Context, h *host) error {
	h.mu.Lock()
	now := f.clock.Now()
	start := now
	if h.next.After(now) {
		start = h.next
	}
	h.next = start.Add(h.delay)
	h.mu.Unlock()
	return f.clock.Sleep(ctx, start.Sub(now))
}

// slowDown raises a host's delay to a robots.txt Crawl-delay.
func (f *Fetcher) slowDown(u *url.URL, d time.Duration) {
	if d > f.o.MaxCrawlDelay {
		d = f.o.MaxCrawlDelay
	}
	h := f.host(u)
	h.mu.Lock()
	defer h.mu.Unlock()
	if d > h.delay {
		h.next = h.next.Add(d - h.delay)
		h.delay = d
	}
}

// checkRobots returns an [*Error] of [KindDisallowed] when the site's
// robots.txt disallows u.
func (f *Fetcher) checkRobots(ctx context.Context, u *url.URL) error {
	r, err := f.robots(ctx, u)
	if err != nil {
		var e *Error
		if errors.As(err, &e) {
			// Name the page asked for, not its robots.txt.
			c := *e
			c.URL = redact.URL(u.String())
			return &c
		}
		return err
	}
	path := u.EscapedPath()
	if u.RawQuery != "" {
		path += "?" + u.RawQuery
	}
	if !r.Allowed(path) {
		return &Error{Kind: KindDisallowed, URL: redact.URL(u.String())}
	}
	return nil
}

// robots returns the robots.txt of u's site, fetching it on first use;
// concurrent callers for one site wait for the one fetch.
func (f *Fetcher) robots(ctx context.Context, u *url.URL) (*Robots, error) {
	key := u.Scheme + "://" + strings.ToLower(u.Host)
	f.mu.Lock()
	s := f.sites[key]
	if s == nil {
		s = &site{done: make(chan struct{})}
		f.sites[key] = s
		f.mu.Unlock()
		s.robots, s.err = f.fetchRobots(ctx, u)
		if s.err != nil && ctx.Err() != nil {
			// A cancelled fetch says nothing about the site: forget it.
			f.mu.Lock()
			delete(f.sites, key)
			f.mu.Unlock()
		}
		close(s.done)
	} else {
		f.mu.Unlock()
		select {
		case <-s.done:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	return s.robots, s.err
}

// fetchRobots reads a site's robots.txt as RFC 9309 says: a missing one
// (4xx) allows everything; a site that fails (5xx, no connection, no
// answer in time) is taken to disallow everything for this run. An
// address nl2en refuses is an error, as the page would be refused too.
func (f *Fetcher) fetchRobots(ctx context.Context, page *url.URL) (*Robots, error) {
	ru := &url.URL{Scheme: page.Scheme, Host: page.Host, Path: "/robots.txt"}
	shown := redact.URL(ru.String())
	res, err := f.Fetch(ctx, Request{URL: ru.String(), MaxBytes: robotsMaxBytes})
	var fe *Error
	switch {
	case err == nil:
		r := ParseRobots(res.Body, agentToken)
		if d := r.CrawlDelay(); d > 0 {
			f.slowDown(page, d)
		}
		return r, nil
	case ctx.Err() != nil:
		return nil, err
	case errors.As(err, &fe) && fe.Kind == KindRefused:
		return nil, err
	case errors.As(err, &fe) && fe.Kind == KindStatus && fe.Status >= 400 && fe.Status < 500:
		return nil, nil
	case errors.As(err, &fe) && fe.Kind == KindTooLarge:
		// Over 500 KiB: RFC 9309 lets a crawler stop reading there.
		return nil, nil
	}
	f.log.Debug("robots.txt unavailable; the site's pages are not fetched this run", "url", shown, "error", err)
	return &Robots{deny: true}, nil
}

// readBody reads a 2xx body, decompressed, up to limit bytes.
func readBody(res *http.Response, limit int64) ([]byte, error) {
	enc := strings.ToLower(strings.TrimSpace(res.Header.Get("Content-Encoding")))
	if (enc == "" || enc == "identity") && res.ContentLength > limit {
		return nil, &Error{Kind: KindTooLarge, Limit: limit}
	}
	var r io.Reader = res.Body
	switch enc {
	case "", "identity":
	case "gzip", "x-gzip":
		zr, err := gzip.NewReader(res.Body)
		if err != nil {
			return nil, fmt.Errorf("bad gzip body: %w", err)
		}
		defer zr.Close()
		r = zr
	case "deflate":
		// RFC 9110's deflate is zlib; some servers send it raw.
		br := bufio.NewReader(res.Body)
		if hdr, err := br.Peek(2); err == nil && hdr[0]&0x0f == 8 && (uint16(hdr[0])<<8|uint16(hdr[1]))%31 == 0 {
			zr, err := zlib.NewReader(br)
			if err != nil {
				return nil, fmt.Errorf("bad deflate body: %w", err)
			}
			defer zr.Close()
			r = zr
		} else {
			fr := flate.NewReader(br)
			defer fr.Close()
			r = fr
		}
	default:
		return nil, fmt.Errorf("unsupported content encoding %q", enc)
	}
	body, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(body)) > limit {
		return nil, &Error{Kind: KindTooLarge, Limit: limit}
	}
	return body, nil
}
