package fetch

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// fakeClock records the waits the fetcher asks for instead of sleeping.
// Its time stands still unless advanced, so each wait is the distance of
// a request's start from now.
type fakeClock struct {
	mu     sync.Mutex
	now    time.Time
	sleeps []time.Duration
}

func newFakeClock() *fakeClock {
	return &fakeClock{now: time.Date(2025, 3, 1, 2, 15, 0, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	c.sleeps = append(c.sleeps, d)
	c.mu.Unlock()
	return ctx.Err()
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

func (c *fakeClock) Sleeps() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Duration(nil), c.sleeps...)
}

// local returns a Fetcher for loopback test servers: private addresses
// allowed, a fake clock.
func local(t *testing.T, o Options) (*Fetcher, *fakeClock) {
	t.Helper()
	clock := newFakeClock()
	o.AllowPrivate = true
	if o.Clock == nil {
		o.Clock = clock
	}
	if o.Version == "" {
		o.Version = "1.2.3"
	}
	f := New(o)
	t.Cleanup(f.Close)
	return f, clock
}

func serve(t *testing.T, h http.Handler) *httptest.Server {
	t.Helper()
	s := httptest.NewServer(h)
	t.Cleanup(s.Close)
	return s
}

func TestFetchNormal(t *testing.T) {
	var gotUA, gotAE string
	s := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotUA, gotAE = r.Header.Get("User-Agent"), r.Header.Get("Accept-Encoding")
		w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
		w.Header().Set("ETag", `"v1"`)
		w.Header().Set("Last-Modified", "Sat, 01 Mar 2025 01:00:00 GMT")
		fmt.Fprint(w, "<rss/>")
	}))
	f, _ := local(t, Options{})
	res, err := f.Fetch(t.Context(), Request{URL: s.URL + "/feed.xml"})
	if err != nil {
		t.Fatal(err)
	}
	if string(res.Body) != "<rss/>" || res.Status != 200 || res.NotModified {
		t.Errorf("got body %q status %d notModified %v, want <rss/> 200 false", res.Body, res.Status, res.NotModified)
	}
	if res.ETag != `"v1"` || res.LastModified != "Sat, 01 Mar 2025 01:00:00 GMT" || !strings.HasPrefix(res.ContentType, "application/rss+xml") {
		t.Errorf("got validators %q %q type %q", res.ETag, res.LastModified, res.ContentType)
	}
	if res.FinalURL != s.URL+"/feed.xml" || res.MovedTo != "" {
		t.Errorf("got final %q moved %q, want %q and none", res.FinalURL, res.MovedTo, s.URL+"/feed.xml")
	}
	if gotUA != "nl2en/1.2.3 (+https://github.com/nl2en/nl2en)" {
		t.Errorf("User-Agent %q, want nl2en and its version", gotUA)
	}
	if gotAE != "gzip, deflate" {
		t.Errorf("Accept-Encoding %q, want gzip, deflate", gotAE)
	}
}

func compress(t *testing.T, enc string, data []byte) []byte {
	t.Helper()
	var b bytes.Buffer
	var w interface {
		Write([]byte) (int, error)
		Close() error
	}
	switch enc {
	case "gzip":
		w = gzip.NewWriter(&b)
	case "zlib":
		w = zlib.NewWriter(&b)
	case "raw":
		fw, _ := flate.NewWriter(&b, flate.BestCompression)
		w = fw
	}
	if _, err := w.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestFetchEncodingsAndLimit(t *testing.T) {
	text := []byte(strings.Repeat("Het KNMI geeft code oranje af. ", 100))
	bomb := bytes.Repeat([]byte("a"), 3<<20)
	tests := []struct {
		name     string
		header   string // Content-Encoding
		body     []byte
		limit    int64
		want     []byte
		wantKind Kind
	}{
		{"plain", "", text, 0, text, 0},
		{"gzip", "gzip", compress(t, "gzip", text), 0, text, 0},
		{"deflate as zlib", "deflate", compress(t, "zlib", text), 0, text, 0},
		{"deflate raw", "deflate", compress(t, "raw", text), 0, text, 0},
		{"at the limit", "", text, int64(len(text)), text, 0},
		{"over the limit, plain", "", text, int64(len(text)) - 1, nil, KindTooLarge},
		{"over the limit after gzip", "gzip", compress(t, "gzip", bomb), 1 << 20, nil, KindTooLarge},
		{"over the limit after deflate", "deflate", compress(t, "zlib", bomb), 1 << 20, nil, KindTooLarge},
		{"unasked encoding", "br", text, 0, nil, KindOther},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if tt.header != "" {
					w.Header().Set("Content-Encoding", tt.header)
				}
				w.Write(tt.body)
			}))
			f, _ := local(t, Options{})
			res, err := f.Fetch(t.Context(), Request{URL: s.URL, MaxBytes: tt.limit})
			if tt.wantKind != 0 || tt.name == "unasked encoding" {
				if !IsKind(err, tt.wantKind) {
					t.Fatalf("got %v, want an error of kind %v", err, tt.wantKind)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(res.Body, tt.want) {
				t.Errorf("got %d bytes, want %d", len(res.Body), len(tt.want))
			}
		})
	}
}

func TestFetchTooLargeSaysLimit(t *testing.T) {
	s := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write(bytes.Repeat([]byte("x"), 2048))
	}))
	f, _ := local(t, Options{})
	_, err := f.Fetch(t.Context(), Request{URL: s.URL + "/groot", MaxBytes: 1024})
	var e *Error
	if !errors.As(err, &e) || e.Kind != KindTooLarge || e.Limit != 1024 || !strings.Contains(err.Error(), "larger than 1 KiB") || !strings.Contains(err.Error(), "/groot") {
		t.Errorf("got %v, want too large naming the URL and 1 KiB", err)
	}
}

func TestFetchRedirects(t *testing.T) {
	mux := http.NewServeMux()
	hop := func(from, to string, code int) {
		mux.HandleFunc(from, func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, to, code) })
	}
	hop("/oud", "/nieuw", 301)
	hop("/nieuw", "/feed.xml", 308)
	hop("/tijdelijk", "/feed.xml", 302)
	hop("/eerst-vast", "/dan-tijdelijk", 301)
	hop("/dan-tijdelijk", "/feed.xml", 307)
	hop("/naar-ftp", "ftp://example.org/feed.xml", 302)
	mux.HandleFunc("/zonder-location", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(302) })
	for i := 0; i < 6; i++ {
		hop(fmt.Sprintf("/r%d", i), fmt.Sprintf("/r%d", i+1), 302)
	}
	hop("/r6", "/feed.xml", 302)
	mux.HandleFunc("/feed.xml", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "<feed/>") })
	s := serve(t, mux)
	tests := []struct {
		path      string
		wantFinal string
		wantMoved string
		wantKind  Kind
	}{
		{"/oud", "/feed.xml", "/feed.xml", 0},
		{"/tijdelijk", "/feed.xml", "", 0},
		{"/eerst-vast", "/feed.xml", "/dan-tijdelijk", 0},
		{"/r2", "/feed.xml", "", 0},    // five redirects
		{"/r1", "", "", KindRedirects}, // six
		{"/naar-ftp", "", "", KindScheme},
		{"/zonder-location", "", "", KindRedirects},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			f, _ := local(t, Options{})
			res, err := f.Fetch(t.Context(), Request{URL: s.URL + tt.path})
			if tt.wantKind != 0 {
				if !IsKind(err, tt.wantKind) {
					t.Fatalf("got %v, want kind %v", err, tt.wantKind)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if res.FinalURL != s.URL+tt.wantFinal {
				t.Errorf("final URL %q, want %q", res.FinalURL, s.URL+tt.wantFinal)
			}
			wantMoved := ""
			if tt.wantMoved != "" {
				wantMoved = s.URL + tt.wantMoved
			}
			if res.MovedTo != wantMoved {
				t.Errorf("moved to %q, want %q", res.MovedTo, wantMoved)
			}
		})
	}
}

func TestFetchConditional(t *testing.T) {
	var requests atomic.Int32
	s := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		if r.Header.Get("If-None-Match") == `"v7"` || r.Header.Get("If-Modified-Since") == "Sat, 01 Mar 2025 01:00:00 GMT" {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", `"v7"`)
		fmt.Fprint(w, "<rss/>")
	}))
	f, _ := local(t, Options{})
	first, err := f.Fetch(t.Context(), Request{URL: s.URL})
	if err != nil {
		t.Fatal(err)
	}
	second, err := f.Fetch(t.Context(), Request{URL: s.URL, ETag: first.ETag})
	if err != nil {
		t.Fatal(err)
	}
	if !second.NotModified || second.Status != 304 || second.Body != nil || second.ETag != `"v7"` {
		t.Errorf("got notModified %v status %d body %q etag %q, want a 304 keeping the ETag", second.NotModified, second.Status, second.Body, second.ETag)
	}
	third, err := f.Fetch(t.Context(), Request{URL: s.URL, LastModified: "Sat, 01 Mar 2025 01:00:00 GMT"})
	if err != nil || !third.NotModified || third.LastModified != "Sat, 01 Mar 2025 01:00:00 GMT" {
		t.Errorf("If-Modified-Since: got %+v, %v; want a 304 keeping Last-Modified", third, err)
	}
	if n := requests.Load(); n != 3 {
		t.Errorf("%d requests, want 3", n)
	}
}

func TestFetchStatus(t *testing.T) {
	s := serve(t, http.NotFoundHandler())
	f, _ := local(t, Options{})
	_, err := f.Fetch(t.Context(), Request{URL: s.URL + "/weg"})
	var e *Error
	if !errors.As(err, &e) || e.Kind != KindStatus || e.Status != 404 {
		t.Errorf("got %v, want status 404", err)
	}
}

func TestFetchSchemes(t *testing.T) {
	f := New(Options{Dial: failDial(t), Resolver: failResolver(t)})
	for _, u := range []string{"file:///etc/passwd", "ftp://example.org/feed", "javascript:alert(1)", "gopher://x", "http:///pad", "://"} {
		if _, err := f.Fetch(t.Context(), Request{URL: u}); !IsKind(err, KindScheme) {
			t.Errorf("Fetch(%q) = %v, want a scheme error", u, err)
		}
	}
}

func TestFetchTimeout(t *testing.T) {
	release := make(chan struct{})
	s := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(200)
		fmt.Fprint(w, "<p>begin")
		w.(http.Flusher).Flush()
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	defer close(release)
	f, _ := local(t, Options{Timeout: 100 * time.Millisecond})
	_, err := f.Fetch(t.Context(), Request{URL: s.URL})
	if !IsKind(err, KindTimeout) {
		t.Errorf("got %v, want a timeout", err)
	}
}

func TestFetchCancelled(t *testing.T) {
	s := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "x") }))
	f, _ := local(t, Options{})
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err := f.Fetch(ctx, Request{URL: s.URL})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("got %v, want context.Canceled", err)
	}
}

func TestPacing(t *testing.T) {
	s := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "x") }))
	f, clock := local(t, Options{})
	get := func() {
		t.Helper()
		if _, err := f.Fetch(t.Context(), Request{URL: s.URL}); err != nil {
			t.Fatal(err)
		}
	}
	get()
	get()
	clock.Advance(1500 * time.Millisecond) // the third starts 0.5 s after its slot
	get()
	want := []time.Duration{0, time.Second, 500 * time.Millisecond}
	if got := clock.Sleeps(); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("waits %v, want %v", got, want)
	}
}

func TestPacingConcurrent(t *testing.T) {
	s := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "x") }))
	f, clock := local(t, Options{})
	var wg sync.WaitGroup
	for i := 0; i < 5; i++ {
		wg.Go(func() {
			if _, err := f.Fetch(t.Context(), Request{URL: s.URL}); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	seen := map[time.Duration]bool{}
	for _, d := range clock.Sleeps() {
		seen[d] = true
	}
	for i := 0; i < 5; i++ {
		if !seen[time.Duration(i)*time.Second] {
			t.Fatalf("waits %v, want starts at 0, 1, 2, 3 and 4 s", clock.Sleeps())
		}
	}
}

func TestPacingPerHost(t *testing.T) {
	s := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "x") }))
	_, port, _ := net.SplitHostPort(s.Listener.Addr().String())
	// Two names for the one loopback server: two hosts to the fetcher.
	res := resolverFunc(func(ctx context.Context, host string) ([]net.IPAddr, error) {
		return []net.IPAddr{{IP: net.IPv4(127, 0, 0, 1)}}, nil
	})
	f, clock := local(t, Options{Resolver: res})
	for _, h := range []string{"een.test", "twee.test"} {
		if _, err := f.Fetch(t.Context(), Request{URL: "http://" + h + ":" + port + "/"}); err != nil {
			t.Fatal(err)
		}
	}
	if got := clock.Sleeps(); fmt.Sprint(got) != fmt.Sprint([]time.Duration{0, 0}) {
		t.Errorf("waits %v, want none: the hosts differ", got)
	}
}

func TestConnectionsPerHost(t *testing.T) {
	var inFlight, most atomic.Int32
	s := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := inFlight.Add(1)
		for {
			m := most.Load()
			if n <= m || most.CompareAndSwap(m, n) {
				break
			}
		}
		time.Sleep(30 * time.Millisecond)
		inFlight.Add(-1)
		fmt.Fprint(w, "x")
	}))
	f, _ := local(t, Options{})
	var wg sync.WaitGroup
	for i := 0; i < 6; i++ {
		wg.Go(func() {
			if _, err := f.Fetch(t.Context(), Request{URL: s.URL}); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if m := most.Load(); m > 2 {
		t.Errorf("%d requests in flight at once, want at most 2", m)
	}
}

type resolverFunc func(ctx context.Context, host string) ([]net.IPAddr, error)

func (r resolverFunc) LookupIPAddr(ctx context.Context, host string) ([]net.IPAddr, error) {
	return r(ctx, host)
}

// failDial is a dialer that fails the test if anything is dialled.
func failDial(t *testing.T) DialFunc {
	return func(ctx context.Context, network, address string) (net.Conn, error) {
		t.Errorf("dialled %s: nothing may be dialled", address)
		return nil, errors.New("dial not allowed in this test")
	}
}

func failResolver(t *testing.T) Resolver {
	return resolverFunc(func(ctx context.Context, host string) ([]net.IPAddr, error) {
		t.Errorf("resolved %s: nothing may be resolved", host)
		return nil, errors.New("resolve not allowed in this test")
	})
}

// fixedResolver answers every name with the given addresses.
func fixedResolver(addrs ...string) Resolver {
	return resolverFunc(func(ctx context.Context, host string) ([]net.IPAddr, error) {
		var out []net.IPAddr
		for _, a := range addrs {
			ip, zone, _ := strings.Cut(a, "%")
			out = append(out, net.IPAddr{IP: net.ParseIP(ip), Zone: zone})
		}
		return out, nil
	})
}

func TestRefusesNonPublicAddresses(t *testing.T) {
	tests := []struct {
		name     string
		url      string
		resolved []string
		wantAddr string
	}{
		{"private name", "http://intranet.example.org/", []string{"10.1.2.3"}, "10.1.2.3"},
		{"cloud metadata name", "http://metadata.example.org/latest/meta-data/", []string{"169.254.169.254"}, "169.254.169.254"},
		{"unique local", "http://ula.example.org/", []string{"fd00::1"}, "fd00::1"},
		{"link-local v6 with zone", "http://ll.example.org/", []string{"fe80::1%eth0"}, "fe80::1%eth0"},
		{"loopback v6", "http://lo.example.org/", []string{"::1"}, "::1"},
		{"CGNAT", "http://cgnat.example.org/", []string{"100.64.1.1"}, "100.64.1.1"},
		{"mapped", "http://mapped.example.org/", []string{"::ffff:192.168.1.1"}, "192.168.1.1"},
		{"every address private", "http://both.example.org/", []string{"10.0.0.1", "172.16.5.4"}, "172.16.5.4"},
		{"literal metadata", "http://169.254.169.254/latest/meta-data/", nil, "169.254.169.254"},
		{"literal zero", "http://0.0.0.0:8080/", nil, "0.0.0.0"},
		{"literal loopback v6", "http://[::1]/", nil, "::1"},
		{"literal private", "https://192.168.1.1/admin", nil, "192.168.1.1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := failResolver(t)
			if tt.resolved != nil {
				res = fixedResolver(tt.resolved...)
			}
			f := New(Options{Resolver: res, Dial: failDial(t), Clock: newFakeClock()})
			defer f.Close()
			for _, page := range []bool{false, true} {
				_, err := f.Fetch(t.Context(), Request{URL: tt.url, Page: page})
				var e *Error
				if !errors.As(err, &e) || e.Kind != KindRefused {
					t.Fatalf("page %v: got %v, want refused", page, err)
				}
				if e.Addr != tt.wantAddr {
					t.Errorf("refused address %q, want %q", e.Addr, tt.wantAddr)
				}
			}
		})
	}
}

// TestRefusesRedirectToPrivate follows a redirect from a "public" host to
// the metadata address: the public name is dialled, through an injected
// dialer, to the loopback test server; the metadata address never is.
func TestRefusesRedirectToPrivate(t *testing.T) {
	s := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/naar-metadata":
			http.Redirect(w, r, "http://metadata.example.org/latest/meta-data/", http.StatusFound)
		case "/naar-intranet":
			http.Redirect(w, r, "http://10.0.0.1/", http.StatusMovedPermanently)
		default:
			fmt.Fprint(w, "ok")
		}
	}))
	public := netip.MustParseAddr("1.2.3.4") // stands for a public server; never dialled as such
	res := resolverFunc(func(ctx context.Context, host string) ([]net.IPAddr, error) {
		if host == "news.example.org" {
			return []net.IPAddr{{IP: public.AsSlice()}}, nil
		}
		return []net.IPAddr{{IP: net.ParseIP("169.254.169.254")}}, nil
	})
	dial := func(ctx context.Context, network, address string) (net.Conn, error) {
		if address != netip.AddrPortFrom(public, 80).String() {
			t.Errorf("dialled %s: only the public stand-in may be dialled", address)
			return nil, errors.New("not allowed")
		}
		var d net.Dialer
		return d.DialContext(ctx, "tcp", s.Listener.Addr().String())
	}
	f := New(Options{Resolver: res, Dial: dial, Clock: newFakeClock()})
	defer f.Close()
	if _, err := f.Fetch(t.Context(), Request{URL: "http://news.example.org/gewoon"}); err != nil {
		t.Fatalf("the public stand-in: %v", err)
	}
	for _, p := range []string{"/naar-metadata", "/naar-intranet"} {
		_, err := f.Fetch(t.Context(), Request{URL: "http://news.example.org" + p})
		if !IsKind(err, KindRefused) {
			t.Errorf("%s: got %v, want refused", p, err)
		}
	}
}

func TestErrorsRedactCredentials(t *testing.T) {
	f := New(Options{Resolver: fixedResolver("10.9.9.9"), Dial: failDial(t), Clock: newFakeClock()})
	defer f.Close()
	_, err := f.Fetch(t.Context(), Request{URL: "https://jan:geheim@feeds.example.org/rss?token=abc123&cat=sport"})
	if err == nil {
		t.Fatal("no error")
	}
	msg := err.Error()
	for _, secret := range []string{"geheim", "abc123", "jan"} {
		if strings.Contains(msg, secret) {
			t.Errorf("error %q shows %q", msg, secret)
		}
	}
	if !strings.Contains(msg, "feeds.example.org/rss") || !strings.Contains(msg, "10.9.9.9") {
		t.Errorf("error %q should name the feed and the address", msg)
	}
}

func TestNonPublic(t *testing.T) {
	tests := []struct {
		addr   string
		public bool
	}{
		{"127.0.0.1", false}, {"127.255.0.9", false}, {"10.0.0.1", false}, {"172.16.0.1", false},
		{"172.31.255.255", false}, {"192.168.0.1", false}, {"169.254.169.254", false}, {"100.64.0.1", false},
		{"100.127.255.254", false}, {"0.0.0.0", false}, {"0.1.2.3", false}, {"224.0.0.1", false},
		{"255.255.255.255", false}, {"198.18.0.1", false}, {"192.0.2.1", false},
		{"::", false}, {"::1", false}, {"fc00::1", false}, {"fd12:3456::1", false}, {"fe80::1", false},
		{"febf::1", false}, {"ff02::1", false}, {"::ffff:127.0.0.1", false}, {"::ffff:10.0.0.1", false},
		{"64:ff9b::a9fe:a9fe", false}, {"2002:a9fe:a9fe::1", false}, {"::127.0.0.1", false}, {"2001:db8::1", false},
		{"1.2.3.4", true}, {"8.8.8.8", true}, {"172.32.0.1", true}, {"100.128.0.1", true}, {"192.169.0.1", true},
		{"2a00:1450:4001::1", true}, {"::ffff:8.8.8.8", true}, {"64:ff9b::808:808", true}, {"2002:808:808::1", true},
	}
	for _, tt := range tests {
		why := NonPublic(netip.MustParseAddr(tt.addr))
		if (why == "") != tt.public {
			t.Errorf("NonPublic(%s) = %q, want public %v", tt.addr, why, tt.public)
		}
	}
	if NonPublic(netip.MustParseAddr("fe80::1%eth0")) == "" {
		t.Error("a zone hid a link-local address")
	}
}
