package fetch

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestParseRobots(t *testing.T) {
	const site = `# robots.txt van een nieuwssite
User-agent: *
Disallow: /zoeken
Disallow: /premium/
Allow: /premium/gratis-
Disallow: /*.pdf$
Disallow: /*?sessie=
Crawl-delay: 2

User-agent: GPTBot
User-agent: nl2en
Disallow: /archief/
Allow: /archief/2025/

Sitemap: https://news.example.org/sitemap.xml
`
	tests := []struct {
		robots string
		agent  string
		path   string
		want   bool
	}{
		{site, "nl2en", "/nieuws/storm", true},
		{site, "nl2en", "/archief/2024/storm", false},
		{site, "nl2en", "/archief/2025/storm", true},
		{site, "nl2en", "/zoeken?q=storm", true}, // nl2en's own group replaces *
		{site, "otherbot", "/zoeken?q=storm", false},
		{site, "otherbot", "/premium/artikel", false},
		{site, "otherbot", "/premium/gratis-artikel", true},
		{site, "otherbot", "/bijlage/rapport.pdf", false},
		{site, "otherbot", "/bijlage/rapport.pdf?x=1", true},
		{site, "otherbot", "/nieuws?sessie=42", false},
		{site, "otherbot", "/robots.txt", true},
		{"User-agent: *\nDisallow: /\n", "nl2en", "/robots.txt", true},
		{"User-agent: *\nDisallow: /\n", "nl2en", "/", false},
		{"User-agent: *\nDisallow:\n", "nl2en", "/alles", true},
		{"User-agent: NL2EN/2.0\nDisallow: /\n", "nl2en", "/x", false},
		{"User-agent: nl2en-extra\nDisallow: /\n", "nl2en", "/x", true},
		{"Disallow: /\n", "nl2en", "/x", true}, // a rule before any group
		{"User-agent: *\r\nDisallow: /a\r\n", "nl2en", "/a/b", false},
		{"User-agent: *\rDisallow: /a\r", "nl2en", "/a/b", false},
		{"\ufeffUser-agent: *\nDisallow: /a\n", "nl2en", "/a", false},
		{"User-agent: *\nAllow: /p\nDisallow: /p\n", "nl2en", "/p", true}, // Allow wins a tie
		{"User-agent: *\nDisallow: /p\nAllow: /p$\n", "nl2en", "/p/q", false},
		{"User-agent: *\nDisallow: /p\nAllow: /p$\n", "nl2en", "/p", true},
		{"User-agent: *\nDisallow: /café\n", "nl2en", "/caf%C3%A9", false},
		{"User-agent: *\nDisallow: /caf%c3%a9\n", "nl2en", "/caf%C3%A9/x", false},
		{"User-agent: a\nDisallow: /x\nUser-agent: nl2en\nDisallow: /y\nUser-agent: nl2en\nDisallow: /z\n", "nl2en", "/z", false},
		{"User-agent: a\nDisallow: /x\nUser-agent: nl2en\nDisallow: /y\nUser-agent: nl2en\nDisallow: /z\n", "nl2en", "/x", true},
		{"garbage\x00\xff\nUser-agent *\n", "nl2en", "/", true},
	}
	for _, tt := range tests {
		r := ParseRobots([]byte(tt.robots), tt.agent)
		if got := r.Allowed(tt.path); got != tt.want {
			t.Errorf("%s Allowed(%q) with\n%s\n= %v, want %v", tt.agent, tt.path, tt.robots, got, tt.want)
		}
	}
	if d := ParseRobots([]byte(site), "otherbot").CrawlDelay(); d != 2*time.Second {
		t.Errorf("crawl delay %v, want 2s", d)
	}
	if d := ParseRobots([]byte("User-agent: *\nCrawl-delay: 0.5\n"), "nl2en").CrawlDelay(); d != 500*time.Millisecond {
		t.Errorf("crawl delay %v, want 0.5s", d)
	}
	if d := ParseRobots([]byte("User-agent: *\nCrawl-delay: soms\nCrawl-delay: -3\n"), "nl2en").CrawlDelay(); d != 0 {
		t.Errorf("crawl delay %v, want none", d)
	}
	var none *Robots
	if !none.Allowed("/x") || none.CrawlDelay() != 0 {
		t.Error("a nil Robots must allow everything")
	}
}

func TestMatchRobots(t *testing.T) {
	tests := []struct {
		pattern, path string
		want          bool
	}{
		{"/a", "/a", true}, {"/a", "/ab", true}, {"/a$", "/ab", false}, {"/a$", "/a", true},
		{"/*/b", "/x/y/b", true}, {"/*b$", "/xb", true}, {"/*b$", "/xbc", false}, {"*", "/", true},
		{"/a*b*c", "/aXbYc", true}, {"/a*b*c", "/aXcYb", false}, {"/a*a$", "/a", false}, {"/**", "/x", true},
	}
	for _, tt := range tests {
		if got := matchRobots(tt.pattern, tt.path); got != tt.want {
			t.Errorf("matchRobots(%q, %q) = %v, want %v", tt.pattern, tt.path, got, tt.want)
		}
	}
}

func FuzzParseRobots(f *testing.F) {
	f.Add([]byte("User-agent: *\nDisallow: /a*b$\nCrawl-delay: 3\n"), "/a/b")
	f.Add([]byte("User-agent: nl2en\nAllow: /\n"), "/?x=1")
	f.Fuzz(func(t *testing.T, data []byte, path string) {
		r := ParseRobots(data, "nl2en")
		r.Allowed(path)
		if !r.Allowed("/robots.txt") {
			t.Fatal("robots.txt itself disallowed")
		}
		if r.CrawlDelay() < 0 {
			t.Fatal("negative crawl delay")
		}
	})
}

// robotsSite is a test site with a robots.txt and counters.
type robotsSite struct {
	robots     atomic.Int32
	mu         sync.Mutex
	pages      []string
	robotsCode int
	robotsBody string
}

func (s *robotsSite) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case "/robots.txt":
		s.robots.Add(1)
		if s.robotsCode != 0 {
			w.WriteHeader(s.robotsCode)
		}
		fmt.Fprint(w, s.robotsBody)
	case "/naar-archief":
		http.Redirect(w, r, "/archief/oud", http.StatusFound)
	default:
		s.mu.Lock()
		s.pages = append(s.pages, r.URL.Path)
		s.mu.Unlock()
		fmt.Fprint(w, "<article><p>Tekst.</p></article>")
	}
}

func TestFetchHonoursRobots(t *testing.T) {
	site := &robotsSite{robotsBody: "User-agent: *\nDisallow: /archief/\nCrawl-delay: 3\n"}
	s := serve(t, site)
	f, clock := local(t, Options{})
	if _, err := f.Fetch(t.Context(), Request{URL: s.URL + "/nieuws/storm", Page: true}); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"/archief/oud", "/naar-archief"} {
		_, err := f.Fetch(t.Context(), Request{URL: s.URL + p, Page: true})
		if !IsKind(err, KindDisallowed) {
			t.Errorf("%s: got %v, want disallowed", p, err)
		}
	}
	// A feed on the same site is read whatever robots.txt says.
	if _, err := f.Fetch(t.Context(), Request{URL: s.URL + "/archief/feed.xml"}); err != nil {
		t.Errorf("feed: %v", err)
	}
	if n := site.robots.Load(); n != 1 {
		t.Errorf("robots.txt fetched %d times, want once", n)
	}
	if got := strings.Join(site.pages, " "); got != "/nieuws/storm /archief/feed.xml" {
		t.Errorf("pages requested: %s; a disallowed page must never be requested", got)
	}
	// robots.txt at 0, then every request 3 s apart, as its Crawl-delay
	// says (the disallowed ones were never sent).
	want := []time.Duration{0, 3 * time.Second, 6 * time.Second, 9 * time.Second}
	if got := clock.Sleeps(); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("waits %v, want %v", got, want)
	}
}

func TestFetchRobotsUnavailable(t *testing.T) {
	tests := []struct {
		code  int
		allow bool
	}{
		{404, true}, {410, true}, {403, true}, {500, false}, {503, false},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.code), func(t *testing.T) {
			site := &robotsSite{robotsCode: tt.code, robotsBody: "User-agent: *\nDisallow: /\n"}
			s := serve(t, site)
			f, _ := local(t, Options{})
			_, err := f.Fetch(t.Context(), Request{URL: s.URL + "/nieuws/storm", Page: true})
			if tt.allow && err != nil {
				t.Errorf("got %v, want the page", err)
			}
			if !tt.allow && !IsKind(err, KindDisallowed) {
				t.Errorf("got %v, want disallowed", err)
			}
		})
	}
}

func TestFetchRobotsConcurrentOnce(t *testing.T) {
	site := &robotsSite{robotsBody: "User-agent: *\nAllow: /\n"}
	s := serve(t, site)
	f, _ := local(t, Options{})
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Go(func() {
			if _, err := f.Fetch(t.Context(), Request{URL: fmt.Sprintf("%s/nieuws/%d", s.URL, i), Page: true}); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if n := site.robots.Load(); n != 1 {
		t.Errorf("robots.txt fetched %d times, want once", n)
	}
}

func TestCrawlDelayCapped(t *testing.T) {
	site := &robotsSite{robotsBody: "User-agent: *\nCrawl-delay: 3600\n"}
	s := serve(t, site)
	f, clock := local(t, Options{MaxCrawlDelay: 10 * time.Second})
	for _, p := range []string{"/a", "/b"} {
		if _, err := f.Fetch(t.Context(), Request{URL: s.URL + p, Page: true}); err != nil {
			t.Fatal(err)
		}
	}
	want := []time.Duration{0, 10 * time.Second, 20 * time.Second}
	if got := clock.Sleeps(); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("waits %v, want %v: an hour's Crawl-delay is capped", got, want)
	}
}
