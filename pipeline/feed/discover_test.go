package feed

import (
	"errors"
	"reflect"
	"testing"

	"github.com/nl2en/nl2en/pipeline/feed/feedtest"
)

func TestDiscover(t *testing.T) {
	srv := feedtest.New(t)
	res, err := newFetcher(t, 0).Fetch(t.Context(), fetchPage(srv.At("/artikel/veerdienst-ligt-stil")))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Parse(res.Body, res.FinalURL); !errors.Is(err, ErrNotFeed) {
		t.Fatalf("a page parsed as a feed: %v", err)
	}
	got := Discover(res.Body, res.FinalURL)
	if want := []string{srv.At("/feeds/nieuws.rss")}; !reflect.DeepEqual(got, want) {
		t.Errorf("Discover = %v, want %v", got, want)
	}
	page := `<html><head><link rel="alternate" type="application/atom+xml" href="/a.atom"><link rel="alternate stylesheet" href="x.css"><link rel="Alternate" type="application/feed+json" href="https://e.nl/f.json"></head><body><link rel="alternate" type="application/rss+xml" href="/laat.rss"></body></html>`
	if got, want := Discover([]byte(page), "https://e.nl/x/"), []string{"https://e.nl/a.atom", "https://e.nl/f.json"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Discover = %v, want %v", got, want)
	}
}
