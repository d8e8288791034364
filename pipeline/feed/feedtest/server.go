package feedtest

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"path"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
)

//go:embed fixtures
var fixtures embed.FS

// Base is the placeholder for the server's URL in the fixtures.
const Base = "{{BASE}}"

// Fixtures lists the names of the feed fixtures, and of the variants
// [Fixture] derives: "nieuws-crlf.rss" (CRLF line ends) and
// "nieuws-eenregel.rss" (the whole feed on one line).
func Fixtures() []string {
	entries, _ := fs.ReadDir(fixtures, "fixtures")
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	names = append(names, "nieuws-crlf.rss", "nieuws-eenregel.rss")
	sort.Strings(names)
	return names
}

// Fixture returns a feed fixture with {{BASE}} replaced by base. It
// panics on an unknown name: fixtures are fixed at build time.
func Fixture(name, base string) []byte {
	var data []byte
	switch name {
	case "nieuws-crlf.rss":
		data = bytes.ReplaceAll(raw("nieuws.rss"), []byte("\n"), []byte("\r\n"))
	case "nieuws-eenregel.rss":
		lines := strings.Split(string(raw("nieuws.rss")), "\n")
		for i, l := range lines {
			lines[i] = strings.TrimSpace(l)
		}
		data = []byte(strings.Join(lines, " "))
	default:
		data = raw(name)
	}
	return bytes.ReplaceAll(data, []byte(Base), []byte(base))
}

func raw(name string) []byte {
	data, err := fixtures.ReadFile("fixtures/" + name)
	if err != nil {
		panic(fmt.Sprintf("feedtest: no fixture %q", name))
	}
	return data
}

// Server is the local news site. Its feeds are served under /feeds/
// (every fixture by its name); its pages as listed in [Server.Pages].
type Server struct {
	*httptest.Server

	// Slow is how long /traag takes to finish (10 s by default) unless
	// the client goes away first.
	Slow time.Duration
	// Huge is how many bytes /groot and /groot.gz give (25 MiB by
	// default), more than any limit.
	Huge int64

	mu       sync.Mutex
	feeds    map[string][]byte
	modified map[string]time.Time
	hits     map[string]int
	robots   string
}

// New starts a server on 127.0.0.1, closed when the test ends.
func New(t testing.TB) *Server {
	s := &Server{
		Slow:     10 * time.Second,
		Huge:     25 << 20,
		feeds:    map[string][]byte{},
		modified: map[string]time.Time{},
		hits:     map[string]int{},
		robots:   "User-agent: *\nDisallow: /verboden/\n",
	}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	first := time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
	for _, name := range Fixtures() {
		s.feeds["/feeds/"+name] = Fixture(name, s.URL)
		s.modified["/feeds/"+name] = first
	}
	return s
}

// At is the server's URL for a path.
func (s *Server) At(p string) string { return s.URL + p }

// SetFeed replaces the feed at a path ("/feeds/nieuws.rss"), or adds
// one; {{BASE}} in it is replaced. Its ETag and Last-Modified change, so
// a conditional request gets the new feed.
func (s *Server) SetFeed(p string, data []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.feeds[p] = bytes.ReplaceAll(data, []byte(Base), []byte(s.URL))
	last := s.modified[p]
	if last.IsZero() {
		last = time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
	}
	s.modified[p] = last.Add(time.Hour)
}

// Feed returns the feed now served at a path.
func (s *Server) Feed(p string) []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]byte(nil), s.feeds[p]...)
}

// SetRobots replaces robots.txt.
func (s *Server) SetRobots(text string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.robots = text
}

// Hits is how many requests a path has had, queries ignored.
func (s *Server) Hits(p string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hits[p]
}

// TotalHits is how many requests the server has had.
func (s *Server) TotalHits() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, h := range s.hits {
		n += h
	}
	return n
}

// Pages maps the article pages' paths to what they are.
var Pages = map[string]string{
	"/artikel/veerdienst-ligt-stil":                "the full article, in the news template",
	"/artikel/zwembad-middelburg":                  "the full article of a feed teaser, in the news template",
	"/artikel/strandpaviljoens-langer-open":        "a paywall",
	"/artikel/zeehond-cadzand":                     "a cookie wall",
	"/artikel/cookiewet":                           "an article about cookie walls, not a wall",
	"/artikel/munten-in-de-dijk":                   "a 302 redirect to /artikelen/munten-in-de-dijk",
	"/artikelen/munten-in-de-dijk":                 "the redirected article",
	"/vlaanderen/artikels/nieuwe-zeedijk-oostende": "a page with less of the article than its feed item",
	"/vlaanderen/artikels/slim-parkeren":           "the full article",
	"/verboden/geheim-rapport":                     "disallowed by robots.txt: must never be requested",
	"/traag":                                       "an answer that takes Slow",
	"/groot":                                       "an answer of Huge bytes",
	"/groot.gz":                                    "a gzip answer of Huge bytes decompressed",
	"/feeds/oud.rss":                               "a 301 to /feeds/nieuws.rss: the moved feed",
	"/feeds/tijdelijk.rss":                         "a 302 to /feeds/nieuws.rss",
}

func (s *Server) pages(p string) (string, bool) {
	switch p {
	case "/artikel/veerdienst-ligt-stil":
		return newsPage("Veerdienst Vlissingen-Breskens ligt stil door storm", "Door Marieke de Wit", Veerdienst...), true
	case "/artikel/zwembad-middelburg":
		return newsPage("Gemeenteraad Middelburg stemt in met nieuw zwembad", "Door Karin Bakker", Zwembad...), true
	case "/artikel/strandpaviljoens-langer-open":
		return Paywall, true
	case "/artikel/zeehond-cadzand":
		return CookieWall, true
	case "/artikel/cookiewet":
		return CookieArticle, true
	case "/artikelen/munten-in-de-dijk":
		return newsPage("Dijkwerkers vinden oude munten", "Door Tom Verhage",
			"Bij werkzaamheden aan de dijk bij Zierikzee hebben arbeiders een pot met zilveren munten gevonden. Volgens een archeoloog van de gemeente gaat het om munten uit de zeventiende eeuw.",
			"De vondst wordt nu onderzocht. Wie de eigenaar was, is nog niet bekend."), true
	case "/vlaanderen/artikels/nieuwe-zeedijk-oostende":
		return TeaserPage, true
	case "/vlaanderen/artikels/slim-parkeren":
		return Slim, true
	case "/verboden/geheim-rapport":
		return newsPage("Geheim rapport", "", "Deze pagina had nooit opgevraagd mogen worden."), true
	}
	return "", false
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	p := r.URL.Path
	s.mu.Lock()
	s.hits[p]++
	robots := s.robots
	feed, isFeed := s.feeds[p]
	modified := s.modified[p]
	s.mu.Unlock()

	switch p {
	case "/robots.txt":
		w.Header().Set("Content-Type", "text/plain")
		fmt.Fprint(w, robots)
		return
	case "/feeds/oud.rss":
		http.Redirect(w, r, "/feeds/nieuws.rss", http.StatusMovedPermanently)
		return
	case "/feeds/tijdelijk.rss":
		http.Redirect(w, r, "/feeds/nieuws.rss", http.StatusFound)
		return
	case "/artikel/munten-in-de-dijk":
		http.Redirect(w, r, "/artikelen/munten-in-de-dijk", http.StatusFound)
		return
	case "/traag":
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, "<html><body><p>Een trage pagina")
		w.(http.Flusher).Flush()
		select {
		case <-r.Context().Done():
		case <-time.After(s.Slow):
			fmt.Fprint(w, "</p></body></html>")
		}
		return
	case "/groot", "/groot.gz":
		s.huge(w, p == "/groot.gz")
		return
	}
	if isFeed {
		s.serveFeed(w, r, p, feed, modified)
		return
	}
	if page, ok := s.pages(p); ok {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, page)
		return
	}
	http.NotFound(w, r)
}

func (s *Server) serveFeed(w http.ResponseWriter, r *http.Request, p string, feed []byte, modified time.Time) {
	sum := sha256.Sum256(feed)
	etag := `"` + hex.EncodeToString(sum[:8]) + `"`
	w.Header().Set("ETag", etag)
	w.Header().Set("Last-Modified", modified.Format(http.TimeFormat))
	switch path.Ext(p) {
	case ".json":
		w.Header().Set("Content-Type", "application/feed+json")
	case ".atom":
		w.Header().Set("Content-Type", "application/atom+xml")
	default:
		w.Header().Set("Content-Type", "application/rss+xml")
	}
	if inm := r.Header.Get("If-None-Match"); inm != "" {
		if inm == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
	} else if ims, err := http.ParseTime(r.Header.Get("If-Modified-Since")); err == nil && !modified.After(ims) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	if strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
		w.Header().Set("Content-Encoding", "gzip")
		zw := gzip.NewWriter(w)
		zw.Write(feed)
		zw.Close()
		return
	}
	w.Write(feed)
}

// huge streams Huge bytes of an endless RSS comment, gzipped or not.
func (s *Server) huge(w http.ResponseWriter, gz bool) {
	w.Header().Set("Content-Type", "application/rss+xml")
	var out interface{ Write([]byte) (int, error) } = w
	if gz {
		w.Header().Set("Content-Encoding", "gzip")
		zw := gzip.NewWriter(w)
		defer zw.Close()
		out = zw
	}
	chunk := bytes.Repeat([]byte("<!-- opvulling -->\n"), 4096)
	for n := int64(0); n < s.Huge; n += int64(len(chunk)) {
		if _, err := out.Write(chunk); err != nil {
			return
		}
	}
}
