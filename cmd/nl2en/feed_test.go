package main

// End-to-end tests of nl2en feed and nl2en translate URL, against the
// local news site of package feedtest on 127.0.0.1 and the fake API, that
// need Go-level control: a site whose feeds change during the test, the
// segments each request carried, a resolver of the test's own, a lock
// held by another run. The rest is testdata/script/feed_runs.txtar and
// feed_teasers.txtar.
// The fetcher paces without waiting (noWait), never looks a name up,
// and connects to loopback addresses only: a dial to any other address
// fails the test, whatever the code under test does.

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/nl2en/nl2en/pipeline/feed"
	"github.com/nl2en/nl2en/pipeline/feed/feedtest"
	"github.com/nl2en/nl2en/pipeline/openaitest"
	"github.com/nl2en/nl2en/pipeline/render"
	"github.com/nl2en/nl2en/pipeline/runner"
	"github.com/nl2en/nl2en/pipeline/webrun"
)

// loopbackOnly dials loopback addresses and fails the test for any
// other.
func loopbackOnly(t *testing.T) func(ctx context.Context, network, address string) (net.Conn, error) {
	return func(ctx context.Context, network, address string) (net.Conn, error) {
		ap, err := netip.ParseAddrPort(address)
		if err != nil || !ap.Addr().IsLoopback() {
			t.Errorf("dialled %s: tests connect to loopback addresses only", address)
			return nil, errors.New("not loopback")
		}
		var d net.Dialer
		return d.DialContext(ctx, network, address)
	}
}

// safeFetch are the fetcher's hooks of every test here.
func safeFetch(t *testing.T) webrun.Options {
	return webrun.Options{Clock: noWait{}, Resolver: noDNS{}, Dial: loopbackOnly(t)}
}

// runWeb runs the command as runCLI does, its fetcher pacing without
// waiting, looking nothing up and connecting to loopback only.
func runWeb(t *testing.T, args ...string) result {
	t.Helper()
	return runWebWith(t, safeFetch(t), args...)
}

func runWebWith(t *testing.T, fetch webrun.Options, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	code := runStreams(context.Background(), append([]string{"nl2en"}, args...),
		streams{stdin: failingReader{t}, stdout: &out, stderr: &errb, fetch: fetch})
	return result{code, out.String(), errb.String()}
}

func feedAPI(t *testing.T) *openaitest.Server {
	return openaitest.New(t, openaitest.WithAPIKey(testKey))
}

// feedArgs are the arguments of a feed run into out, against api, with
// a segment cache of its own (a changed item pays for its changed
// segments only through it), then extra.
func feedArgs(api *openaitest.Server, out, cache string, extra ...string) []string {
	args := []string{"feed", "--out", out, "--allow-private", "--base-url", api.BaseURL(), "--api-key", testKey,
		"--max-retries", "1", "--timeout", "10s", "--cache-dir", cache}
	return append(args, extra...)
}

// folderOf is the only feed folder in out.
func folderOf(t *testing.T, out string) string {
	t.Helper()
	states, _ := filepath.Glob(filepath.Join(out, "*", feed.StateFile))
	if len(states) != 1 {
		t.Fatalf("feed folders in %s: %v, want one", out, states)
	}
	return filepath.Dir(states[0])
}

// readJSONFile decodes a JSON file into v.
func readJSONFile(t *testing.T, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

// atomFeed is what RFC 4287 requires of a feed and its entries, read
// back from feed.xml.
type atomFeed struct {
	XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
	ID      string   `xml:"id"`
	Title   string   `xml:"title"`
	Updated string   `xml:"updated"`
	Authors []struct {
		Name string `xml:"name"`
	} `xml:"author"`
	Links   []atomLink  `xml:"link"`
	Entries []atomEntry `xml:"entry"`
}

type atomEntry struct {
	ID         string     `xml:"id"`
	Title      string     `xml:"title"`
	Updated    string     `xml:"updated"`
	Published  string     `xml:"published"`
	Links      []atomLink `xml:"link"`
	Categories []struct {
		Term string `xml:"term,attr"`
	} `xml:"category"`
	Content string `xml:"content"`
}

type atomLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr"`
}

// teasers counts the entries tagged teaser.
func (a atomFeed) teasers() int {
	n := 0
	for _, e := range a.Entries {
		for _, c := range e.Categories {
			if c.Term == "teaser" {
				n++
			}
		}
	}
	return n
}

// jsonFeed is what JSON Feed 1.1 requires, read back from feed.json.
type jsonFeed struct {
	Version string     `json:"version"`
	Title   string     `json:"title"`
	FeedURL string     `json:"feed_url"`
	Items   []jsonItem `json:"items"`
}

type jsonItem struct {
	ID          string   `json:"id"`
	URL         string   `json:"url"`
	ExternalURL string   `json:"external_url"`
	Title       string   `json:"title"`
	ContentHTML string   `json:"content_html"`
	Tags        []string `json:"tags"`
}

// teasers counts the items tagged teaser.
func (j jsonFeed) teasers() int {
	n := 0
	for _, it := range j.Items {
		if slices.Contains(it.Tags, "teaser") {
			n++
		}
	}
	return n
}

// readFeeds parses a feed folder's feed.xml and feed.json and checks the
// elements their specifications require.
func readFeeds(t *testing.T, folder string) (atomFeed, jsonFeed) {
	t.Helper()
	var a atomFeed
	b, err := os.ReadFile(filepath.Join(folder, "feed.xml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := xml.Unmarshal(b, &a); err != nil {
		t.Fatalf("feed.xml: %v", err)
	}
	alternate := func(links []atomLink) bool {
		return slices.ContainsFunc(links, func(l atomLink) bool { return l.Rel == "alternate" && l.Href != "" })
	}
	// RFC 4287: an entry without an author takes the feed's.
	if a.ID == "" || a.Title == "" || !validTime(a.Updated) || len(a.Authors) == 0 || a.Authors[0].Name == "" || !alternate(a.Links) {
		t.Errorf("feed.xml lacks an element RFC 4287 requires of a feed: %+v", a)
	}
	for _, e := range a.Entries {
		if e.ID == "" || e.Title == "" || !validTime(e.Updated) || !alternate(e.Links) || e.Content == "" {
			t.Errorf("feed.xml entry lacks a required element: %+v", e)
		}
	}
	var j jsonFeed
	readJSONFile(t, filepath.Join(folder, "feed.json"), &j)
	if j.Version != "https://jsonfeed.org/version/1.1" || j.Title == "" {
		t.Errorf("feed.json: version %q, title %q", j.Version, j.Title)
	}
	for _, it := range j.Items {
		if it.ID == "" || it.ContentHTML == "" {
			t.Errorf("feed.json item lacks id or content_html: %+v", it)
		}
	}
	if len(a.Entries) != len(j.Items) {
		t.Errorf("%d Atom entries, %d JSON Feed items", len(a.Entries), len(j.Items))
	}
	return a, j
}

func validTime(s string) bool {
	_, err := time.Parse(time.RFC3339, s)
	return err == nil
}

// feedReport reads the report of a run into out.
func feedReport(t *testing.T, out string) *runner.Report {
	t.Helper()
	var rep runner.Report
	readJSONFile(t, filepath.Join(out, "report.json"), &rep)
	return &rep
}

// chat counts the chat completions srv was sent after the first n, by
// kind.
func chat(srv *openaitest.Server, n int) map[string]int {
	c := map[string]int{}
	for _, r := range srv.Requests()[n:] {
		if r.Kind != openaitest.KindOther {
			c[r.Kind]++
		}
	}
	return c
}

// TestFeedNightly guards the nightly run of a feed: the first run
// translates the newest items (the feed's text where it is the article,
// the page where the feed has a teaser, the teaser where the page is a
// wall) and records the older ones unread; it writes an Atom and a JSON
// feed with what their specifications require. The second, with nothing
// new, costs one request to the site (a 304) and none to the API. A
// changed item pays only for its changed segment and one summary.
func TestFeedNightly(t *testing.T) {
	site := feedtest.New(t)
	api := feedAPI(t)
	out, cache := filepath.Join(t.TempDir(), "english"), t.TempDir()
	args := feedArgs(api, out, cache, site.At("/feeds/nieuws.rss"), "--max-items", "4")

	r := runWeb(t, args...)
	if r.code != 0 {
		t.Fatalf("first run: exit %d\n%s", r.code, r.stderr)
	}
	folder := folderOf(t, out)
	for _, name := range []string{"veerdienst-ligt-stil", "zwembad-middelburg", "strandpaviljoens-langer-open", "zeehond-cadzand"} {
		for _, ext := range []string{".en.md", ".en.json", ".en.html"} {
			if _, err := os.Stat(filepath.Join(folder, name+ext)); err != nil {
				t.Errorf("first run: %v", err)
			}
		}
	}
	for _, archived := range []string{"munten-in-de-dijk", "geheim-rapport"} {
		if _, err := os.Stat(filepath.Join(folder, archived+".en.json")); err == nil {
			t.Errorf("the archive item %s was translated", archived)
		}
	}
	if n := site.Hits("/artikel/veerdienst-ligt-stil"); n != 0 {
		t.Errorf("the page of an item whose feed holds the article was fetched %d times", n)
	}
	if n := site.Hits("/artikel/munten-in-de-dijk") + site.Hits("/verboden/geheim-rapport"); n != 0 {
		t.Errorf("pages of the archive were fetched %d times", n)
	}
	zwembad := readDoc(t, filepath.Join(folder, "zwembad-middelburg.en.json"))
	if zwembad.Source.TextFrom != "page" || !strings.HasSuffix(zwembad.Source.URL, "/artikel/zwembad-middelburg?id=7") || zwembad.Source.Teaser ||
		zwembad.Source.GUID != "4711 at "+site.URL || zwembad.Source.Feed != site.At("/feeds/nieuws.rss") || zwembad.Source.Published.IsZero() {
		t.Errorf("the teaser item whose page holds the article: source %+v", zwembad.Source)
	}
	if !slices.ContainsFunc(zwembad.Segments, func(s render.Segment) bool { return strings.Contains(s.Source, "achtendertig miljoen euro") }) {
		t.Error("the article read from the page lacks its body")
	}
	paywall := readDoc(t, filepath.Join(folder, "strandpaviljoens-langer-open.en.json"))
	if !paywall.Source.Teaser || paywall.Source.TextFrom != "feed" || !strings.Contains(paywall.Source.TeaserReason, "wall") {
		t.Errorf("the paywalled item: source %+v, want a teaser from the feed", paywall.Source)
	}
	atom, jf := readFeeds(t, folder)
	if len(atom.Entries) != 4 {
		t.Fatalf("feed.xml has %d entries, want 4", len(atom.Entries))
	}
	for i, e := range atom.Entries {
		if !slices.ContainsFunc(e.Links, func(l atomLink) bool {
			return l.Rel == "alternate" && strings.HasSuffix(l.Href, ".en.html") && !strings.Contains(l.Href, "/")
		}) {
			t.Errorf("entry %d does not link its review page relatively: %+v", i, e.Links)
		}
		if i > 0 && e.Published > atom.Entries[i-1].Published {
			t.Errorf("entries not newest first: %s after %s", e.Published, atom.Entries[i-1].Published)
		}
	}
	if atom.teasers() != 2 || jf.teasers() != 2 {
		t.Errorf("%d and %d teaser entries, want 2 (the paywall and the cookie wall), tagged in both feeds", atom.teasers(), jf.teasers())
	}
	rep := feedReport(t, out)
	if len(rep.Feeds) != 1 || rep.Feeds[0].Taken != 4 || rep.Feeds[0].Archived != 2 || rep.Feeds[0].Teasers != 2 || rep.Articles.Done != 4 {
		t.Errorf("report: feeds %+v, articles %+v", rep.Feeds, rep.Articles)
	}

	// Nothing new: one request, a 304, and nothing sent or written but
	// the feed's state.
	before, sent, files := site.TotalHits(), len(api.Requests()), snapshot(t, out)
	r = runWeb(t, args...)
	if r.code != 0 {
		t.Fatalf("second run: exit %d\n%s", r.code, r.stderr)
	}
	if n := site.TotalHits() - before; n != 1 {
		t.Errorf("second run: %d requests to the site, want 1 (the feed, answered 304)", n)
	}
	if n := len(api.Requests()) - sent; n != 0 {
		t.Errorf("second run: %d requests to the API, want 0", n)
	}
	after := snapshot(t, out)
	for name, data := range files {
		if name != filepath.Base(folder)+"/"+feed.StateFile && name != ".nl2en.lock" && !bytes.Equal(after[name], data) {
			t.Errorf("second run changed %s", name)
		}
	}

	// One paragraph of the article the feed holds whole changes.
	changed := bytes.Replace(site.Feed("/feeds/nieuws.rss"), []byte("Gewonden vielen er niet."), []byte("Er raakte niemand gewond."), 1)
	site.SetFeed("/feeds/nieuws.rss", changed)
	sent = len(api.Requests())
	r = runWeb(t, args...)
	if r.code != 0 {
		t.Fatalf("third run: exit %d\n%s", r.code, r.stderr)
	}
	veer := readDoc(t, filepath.Join(folder, "veerdienst-ligt-stil.en.json"))
	var changedID string
	for _, s := range veer.Segments {
		if strings.Contains(s.Source, "Er raakte niemand gewond.") {
			changedID = s.ID
		}
	}
	kinds := chat(api, sent)
	if changedID == "" || kinds[openaitest.KindSummary] != 1 || kinds[openaitest.KindTranslate] != 1 {
		t.Errorf("a changed item (its segment %q) sent %v, want one translation request and one summary", changedID, kinds)
	}
	for _, req := range api.Requests()[sent:] {
		for _, id := range req.SegmentIDs {
			if id != changedID {
				t.Errorf("%s request sent segment %s, which did not change (%s did)", req.Kind, id, changedID)
			}
		}
	}
	atom, _ = readFeeds(t, folder)
	if len(atom.Entries) != 4 {
		t.Errorf("after a change feed.xml has %d entries, want the same 4", len(atom.Entries))
	}
}

// TestPrivateAddressRefused guards what a page's or a feed item's link
// may make nl2en fetch: a name that resolves to a private or link-local
// address (an intranet page, a cloud metadata service) is refused on its
// resolved address, without connecting, unless --allow-private; a
// loopback address given as it is, too.
func TestPrivateAddressRefused(t *testing.T) {
	resolver := fakeResolver{"intranet.example": "10.1.2.3", "metadata.example": "169.254.169.254"}
	dialed := func(_ context.Context, _, address string) (net.Conn, error) {
		t.Errorf("dialled %s: a refused address must never be connected to", address)
		return nil, errors.New("no")
	}
	hooks := webrun.Options{Clock: noWait{}, Resolver: resolver, Dial: dialed}
	api := feedAPI(t)
	dir := t.TempDir()
	args := []string{"translate", "--out", dir, "--base-url", api.BaseURL(), "--api-key", testKey, "--no-cache"}
	for _, u := range []string{"http://intranet.example/wiki/salarissen", "http://metadata.example/latest/meta-data/", "http://127.0.0.1:9/artikel", "http://[::1]:9/artikel"} {
		r := runWebWith(t, hooks, append(args, u)...)
		if r.code != 1 || !strings.Contains(r.stderr, "refused") || !strings.Contains(r.stderr, "--allow-private") {
			t.Errorf("%s: exit %d, want 1 with a line saying it was refused and what allows it\n%s", u, r.code, r.stderr)
		}
	}
	// A feed file whose item links to the metadata service: the item is
	// translated from the feed's text, as a teaser, and nothing is
	// dialled.
	feedFile := filepath.Join(t.TempDir(), "kust.rss")
	os.WriteFile(feedFile, []byte(`<?xml version="1.0"?><rss version="2.0"><channel><title>Kust</title>
<item><title>Storing bij de provincie</title><link>http://metadata.example/latest/meta-data/iam</link><guid isPermaLink="false">p-1</guid>
<description>Door een storing waren de systemen van de provincie zaterdag urenlang onbereikbaar. Lees verder</description></item></channel></rss>`), 0o644)
	out := filepath.Join(t.TempDir(), "english")
	r := runWebWith(t, hooks, "feed", feedFile, "--out", out, "--base-url", api.BaseURL(), "--api-key", testKey, "--no-cache")
	if r.code != 0 {
		t.Fatalf("feed: exit %d\n%s", r.code, r.stderr)
	}
	src := readDoc(t, filepath.Join(out, "kust", "iam.en.json")).Source
	if !src.Teaser || !strings.Contains(src.TeaserReason, "refused") {
		t.Errorf("the item linking to a private address: %+v", src)
	}
}

// fakeResolver resolves the names it holds, and no other.
type fakeResolver map[string]string

func (f fakeResolver) LookupIPAddr(_ context.Context, host string) ([]net.IPAddr, error) {
	if a, ok := f[host]; ok {
		return []net.IPAddr{{IP: net.ParseIP(a)}}, nil
	}
	return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
}

// TestFeedDeadlineAndLock guards --deadline on a feed run (a page that
// does not answer in time stops the run at the deadline, exit 1, its
// item not recorded) and the lock (a second run while another holds the
// folder's lock reads no feed and exits 0).
func TestFeedDeadlineAndLock(t *testing.T) {
	site := feedtest.New(t)
	site.SetFeed("/feeds/traag.rss", []byte(`<?xml version="1.0"?><rss version="2.0"><channel><title>Traag</title>
<item><title>Een pagina die niet komt</title><link>{{BASE}}/traag</link><guid isPermaLink="false">traag-1</guid>
<description>De gemeente zegt later meer...</description></item></channel></rss>`))
	api := feedAPI(t)
	out, cache := filepath.Join(t.TempDir(), "english"), t.TempDir()
	start := time.Now()
	r := runWeb(t, feedArgs(api, out, cache, site.At("/feeds/traag.rss"), "--deadline", "1s")...)
	if r.code != 1 || !strings.Contains(r.stderr, "the deadline of 1s passed") {
		t.Errorf("exit %d, want 1 naming the deadline\n%s", r.code, r.stderr)
	}
	if d := time.Since(start); d > 8*time.Second {
		t.Errorf("the run took %s, past its deadline of 1s", d)
	}
	var st feed.State
	readJSONFile(t, filepath.Join(folderOf(t, out), feed.StateFile), &st)
	for _, it := range st.Items {
		if it.Output != "" {
			t.Errorf("an item stopped by the deadline was recorded: %+v", it)
		}
	}

	holdLock(t, out, time.Now())
	hits := site.TotalHits()
	r = runWeb(t, feedArgs(api, out, cache, site.At("/feeds/nieuws.rss"))...)
	if r.code != 0 || !strings.Contains(r.stderr, "holds the lock") || site.TotalHits() != hits {
		t.Errorf("a run while the lock is held: exit %d, %d requests to the site\n%s", r.code, site.TotalHits()-hits, r.stderr)
	}
}
