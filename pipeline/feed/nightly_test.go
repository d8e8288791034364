package feed

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/nl2en/nl2en/pipeline/feed/feedtest"
	"github.com/nl2en/nl2en/pipeline/fetch"
)

// noWait is a clock under which the fetcher's pacing costs no time.
type noWait struct{}

func (noWait) Now() time.Time                                   { return time.Now() }
func (noWait) Sleep(ctx context.Context, _ time.Duration) error { return ctx.Err() }

func newFetcher(t *testing.T, timeout time.Duration) *fetch.Fetcher {
	f := fetch.New(fetch.Options{Version: "test", AllowPrivate: true, Clock: noWait{}, Timeout: timeout})
	t.Cleanup(f.Close)
	return f
}

// pageArticle is the article text of a fetched page: its <article>, or
// the whole page when it has none (a wall). Part 2 extracts it with the
// split stage; this stands in for it here.
func pageArticle(page []byte) string {
	s := string(page)
	if i, j := strings.Index(s, "<article"), strings.Index(s, "</article>"); i >= 0 && j > i {
		s = s[i:j]
	}
	return readHTML(s, nil).text
}

// runOnce is one nightly run over one feed, as part 2 wires it, without
// translating: it returns the choice made for each item taken.
func runOnce(t *testing.T, f *fetch.Fetcher, s *State, feedURL string, max int) (map[string]Choice, *fetch.Response) {
	t.Helper()
	ctx := t.Context()
	res, err := f.Fetch(ctx, fetch.Request{URL: feedURL, ETag: s.ETag, LastModified: s.LastModified})
	if err != nil {
		t.Fatal(err)
	}
	s.Read(res.ETag, res.LastModified, res.MovedTo, time.Now())
	choices := map[string]Choice{}
	if res.NotModified {
		return choices, res
	}
	feed, err := Parse(res.Body, res.FinalURL)
	if err != nil {
		t.Fatal(err)
	}
	p := s.Plan(feed.Items, max)
	for _, it := range p.Take {
		choice := UseFeed
		if !IsWhole(it.Text) {
			page, err := f.Fetch(ctx, fetch.Request{URL: it.Link, Page: true, MaxBytes: 2 << 20})
			switch {
			case fetch.IsKind(err, fetch.KindDisallowed):
				choice = Choose(it.Text, Page{Disallowed: true})
			case err != nil:
				choice = Choose(it.Text, Page{Failed: true})
			default:
				choice = Choose(it.Text, Page{Text: pageArticle(page.Body)})
			}
		}
		choices[strings.TrimPrefix(it.Link, strings.TrimSuffix(feedURL, "/feeds/nieuws.rss"))] = choice
		s.Record(it, s.Output(it, nil), choice.Teaser(), false, time.Now())
	}
	for _, it := range p.Archive {
		s.Record(it, "", false, true, time.Now())
	}
	return choices, res
}

func TestNightly(t *testing.T) {
	srv := feedtest.New(t)
	f := newFetcher(t, 0)
	feedURL := srv.At("/feeds/nieuws.rss")
	s := NewState(feedURL)

	// First run: the newest four; the two older are the archive.
	got, _ := runOnce(t, f, s, feedURL, 4)
	want := map[string]Choice{
		"/artikel/strandpaviljoens-langer-open": TeaserWall, // a paywall
		"/artikel/veerdienst-ligt-stil":         UseFeed,    // the feed holds the article
		"/artikel/zwembad-middelburg?id=7":      UsePage,    // a teaser; the page holds the article
		"/artikel/zeehond-cadzand":              TeaserWall, // a cookie wall
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("first run, %s: %v, want %v", k, got[k], w)
		}
	}
	if len(got) != len(want) {
		t.Errorf("first run took %v", got)
	}
	if n := srv.Hits("/artikel/veerdienst-ligt-stil"); n != 0 {
		t.Errorf("the page of an item whose feed holds the article was fetched %d times", n)
	}
	if n := len(s.Items); n != 6 {
		t.Errorf("%d items recorded, want 6 (4 taken, 2 archived)", n)
	}
	if n := srv.Hits("/robots.txt"); n != 1 {
		t.Errorf("robots.txt fetched %d times in a run, want once", n)
	}

	// Second run, nothing new: one conditional request, a 304, no page.
	before := srv.TotalHits()
	got, res := runOnce(t, f, s, feedURL, 4)
	if !res.NotModified || len(got) != 0 || srv.TotalHits() != before+1 {
		t.Errorf("second run: notModified %v, took %v, %d requests; want one 304 and nothing else", res.NotModified, got, srv.TotalHits()-before)
	}

	// An item changes: only it is taken.
	changed := bytes.Replace(srv.Feed("/feeds/nieuws.rss"), []byte("tot middernacht open blijven"), []byte("tot één uur open blijven"), 1)
	srv.SetFeed("/feeds/nieuws.rss", changed)
	got, _ = runOnce(t, f, s, feedURL, 4)
	if len(got) != 1 || got["/artikel/strandpaviljoens-langer-open"] != TeaserWall {
		t.Errorf("after a change: took %v, want only the changed item", got)
	}
}

func TestNightlyRobotsDisallowed(t *testing.T) {
	srv := feedtest.New(t)
	f := newFetcher(t, 0)
	feedURL := srv.At("/feeds/nieuws.rss")
	got, _ := runOnce(t, f, NewState(feedURL), feedURL, 0)
	if got["/verboden/geheim-rapport"] != TeaserDisallowed {
		t.Errorf("disallowed page: %v, want %v", got["/verboden/geheim-rapport"], TeaserDisallowed)
	}
	if n := srv.Hits("/verboden/geheim-rapport"); n != 0 {
		t.Errorf("a page robots.txt disallows was requested %d times", n)
	}
	// The redirected article is followed; the page holds more than the
	// feed's nothing.
	if got["/artikel/munten-in-de-dijk"] != UsePage {
		t.Errorf("redirected article: %v, want the page", got["/artikel/munten-in-de-dijk"])
	}
}

func TestMovedFeed(t *testing.T) {
	srv := feedtest.New(t)
	f := newFetcher(t, 0)
	old := srv.At("/feeds/oud.rss")
	s := NewState(old)
	res, err := f.Fetch(t.Context(), fetch.Request{URL: old})
	if err != nil {
		t.Fatal(err)
	}
	if res.MovedTo != srv.At("/feeds/nieuws.rss") || res.FinalURL != srv.At("/feeds/nieuws.rss") {
		t.Errorf("moved to %q final %q", res.MovedTo, res.FinalURL)
	}
	folder := s.Folder()
	s.Read(res.ETag, res.LastModified, res.MovedTo, time.Now())
	if s.Folder() != folder || !s.Answers(srv.At("/feeds/nieuws.rss")) || !s.Answers(old) {
		t.Errorf("after the move: folder %q (was %q), answers the new URL %v", s.Folder(), folder, s.Answers(srv.At("/feeds/nieuws.rss")))
	}
	tmp, err := f.Fetch(t.Context(), fetch.Request{URL: srv.At("/feeds/tijdelijk.rss")})
	if err != nil || tmp.MovedTo != "" || tmp.FinalURL != srv.At("/feeds/nieuws.rss") {
		t.Errorf("302: %+v %v, want followed and not remembered", tmp, err)
	}
}

func TestFixtureServerLimits(t *testing.T) {
	srv := feedtest.New(t)
	srv.Huge = 21 << 20
	f := newFetcher(t, 300*time.Millisecond)
	if _, err := f.Fetch(t.Context(), fetch.Request{URL: srv.At("/traag"), Page: true}); !fetch.IsKind(err, fetch.KindTimeout) {
		t.Errorf("slow page: %v, want a timeout", err)
	}
	g := newFetcher(t, 0)
	for _, p := range []string{"/groot", "/groot.gz"} {
		if _, err := g.Fetch(t.Context(), fetch.Request{URL: srv.At(p)}); !fetch.IsKind(err, fetch.KindTooLarge) {
			t.Errorf("%s: %v, want too large", p, err)
		}
	}
	if _, err := g.Fetch(t.Context(), fetch.Request{URL: srv.At("/nergens")}); !fetch.IsKind(err, fetch.KindStatus) {
		t.Errorf("a missing page: %v", err)
	}
	for _, name := range feedtest.Fixtures() {
		res, err := g.Fetch(t.Context(), fetch.Request{URL: srv.At("/feeds/" + name)})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if _, err := Parse(res.Body, res.FinalURL); err != nil {
			t.Errorf("%s served gzipped: %v", name, err)
		}
	}
}

func fetchPage(u string) fetch.Request { return fetch.Request{URL: u, Page: true, MaxBytes: 2 << 20} }
