package feedtest

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"testing"
)

func get(t *testing.T, s *Server, path string, header map[string]string) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, s.At(path), nil)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	res, err := s.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res, body
}

func TestConditionalAndChange(t *testing.T) {
	s := New(t)
	res, body := get(t, s, "/feeds/nieuws.rss", nil)
	if res.StatusCode != 200 || !bytes.Contains(body, []byte(s.URL+"/artikel/veerdienst-ligt-stil")) || bytes.Contains(body, []byte(Base)) {
		t.Fatalf("status %d; the feed's links must point at the server", res.StatusCode)
	}
	etag, lm := res.Header.Get("ETag"), res.Header.Get("Last-Modified")
	for _, h := range []map[string]string{{"If-None-Match": etag}, {"If-Modified-Since": lm}} {
		if res, _ := get(t, s, "/feeds/nieuws.rss", h); res.StatusCode != http.StatusNotModified {
			t.Errorf("%v: status %d, want 304", h, res.StatusCode)
		}
	}
	s.SetFeed("/feeds/nieuws.rss", bytes.Replace(body, []byte("Veerdienst"), []byte("Pont"), 1))
	for _, h := range []map[string]string{{"If-None-Match": etag}, {"If-Modified-Since": lm}} {
		res, body := get(t, s, "/feeds/nieuws.rss", h)
		if res.StatusCode != 200 || !bytes.Contains(body, []byte("Pont")) {
			t.Errorf("%v after a change: status %d, want the new feed", h, res.StatusCode)
		}
	}
	if n := s.Hits("/feeds/nieuws.rss"); n != 5 {
		t.Errorf("%d hits, want 5", n)
	}
}

func TestPagesAndRedirects(t *testing.T) {
	s := New(t)
	s.Client().CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	for p := range Pages {
		if p == "/traag" || strings.HasPrefix(p, "/groot") {
			continue
		}
		res, body := get(t, s, p, nil)
		switch {
		case p == "/feeds/oud.rss":
			if res.StatusCode != 301 {
				t.Errorf("%s: %d, want 301", p, res.StatusCode)
			}
		case p == "/feeds/tijdelijk.rss" || p == "/artikel/munten-in-de-dijk":
			if res.StatusCode != 302 {
				t.Errorf("%s: %d, want 302", p, res.StatusCode)
			}
		case res.StatusCode != 200 || !bytes.Contains(body, []byte("<html")):
			t.Errorf("%s: %d, want a page", p, res.StatusCode)
		}
	}
	_, robots := get(t, s, "/robots.txt", nil)
	if !strings.Contains(string(robots), "Disallow: /verboden/") {
		t.Errorf("robots.txt: %s", robots)
	}
	for _, name := range Fixtures() {
		if len(Fixture(name, "http://x")) == 0 {
			t.Errorf("fixture %s is empty", name)
		}
	}
}
