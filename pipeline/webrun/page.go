package webrun

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"log/slog"
	"mime"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/nl2en/nl2en/pipeline"
	"github.com/nl2en/nl2en/pipeline/fetch"
	"github.com/nl2en/nl2en/pipeline/job"
	"github.com/nl2en/nl2en/pipeline/outputs"
	"github.com/nl2en/nl2en/pipeline/redact"
	"github.com/nl2en/nl2en/pipeline/runner"
	"github.com/nl2en/nl2en/pipeline/split"
)

// DefaultMaxItems is how many new and changed items one feed gives one
// run, unless told otherwise: a night's news of a busy feed.
const DefaultMaxItems = 20

// Options are the settings of fetching from the web, beside the job's.
type Options struct {
	// AllowPrivate admits addresses on loopback, private and link-local
	// networks, which are refused by default.
	AllowPrivate bool
	// MaxItems caps the new and changed items one feed gives one run, and
	// the entries its English feed keeps; [DefaultMaxItems] when 0.
	MaxItems int
	// FeedURL is the URL under which the output folder is published: the
	// English feeds' links are absolute under it; relative without it.
	FeedURL string
	// Feed, when set, is told how each feed went as soon as it is known
	// (a feed that fails is one line on the command line).
	Feed func(runner.FeedReport)

	// Clock, Resolver and Dial replace the fetcher's (fetch.Options):
	// tests pace without waiting, and refuse addresses without
	// connecting.
	Clock    fetch.Clock
	Resolver fetch.Resolver
	Dial     fetch.DialFunc
}

// Check reports a feed option that cannot work as a [*job.SettingError]:
// an item cap below one, or a feed URL that is not an http(s) URL
// (out, the output folder, is what it should publish).
func (o Options) Check(out string) error {
	if o.MaxItems < 1 {
		return &job.SettingError{Setting: job.SettingMaxItems, Value: strconv.Itoa(o.MaxItems), Problem: "must be 1 or more"}
	}
	if u, err := url.Parse(o.FeedURL); o.FeedURL != "" && (err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "") {
		return &job.SettingError{Setting: job.SettingFeedURL, Value: strconv.Quote(o.FeedURL),
			Problem: "give the http(s) URL under which " + out + " is published, e.g. https://example.org/english/"}
	}
	return nil
}

// maxItems is the item cap, its default filled in.
func (o Options) maxItems() int {
	if o.MaxItems <= 0 {
		return DefaultMaxItems
	}
	return o.MaxItems
}

// newFetcher is the run's one fetcher: one per run, so that robots.txt
// is read once per site and requests to a host are paced across feeds.
func newFetcher(j *job.Job, o Options) *fetch.Fetcher {
	return fetch.New(fetch.Options{
		Version:      j.Settings.Version,
		AllowPrivate: o.AllowPrivate,
		Clock:        o.Clock,
		Resolver:     o.Resolver,
		Dial:         o.Dial,
		Logger:       j.Log,
	})
}

// Digest is the digest an article fetched from the web is stamped with:
// the sha256, in hex, of its segments' text, so that what counts is the
// article and not the markup of the page around it.
func Digest(art *pipeline.Article) string {
	h := sha256.New()
	for _, s := range art.Segments {
		h.Write([]byte(strings.Join(strings.Fields(s.Text), " ")))
		h.Write([]byte("\n\n"))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// bodyText is the text of an article's body, without its title, byline,
// dateline, captions and page furniture: what is compared with a feed's
// text, which has none of those either.
func bodyText(art *pipeline.Article) string {
	var parts []string
	for _, s := range art.Segments {
		switch s.Kind {
		case pipeline.KindTitle, pipeline.KindByline, pipeline.KindDateline, pipeline.KindCaption, pipeline.KindFurniture:
			continue
		}
		parts = append(parts, s.Text)
	}
	return strings.Join(parts, "\n\n")
}

// titleOf is an article's title, "" when it has none.
func titleOf(art *pipeline.Article) string {
	for _, s := range art.Segments {
		if s.Kind == pipeline.KindTitle {
			return s.Text
		}
	}
	return ""
}

// formatOf is the format a fetched page is read in: the one the settings
// force, else the one its Content-Type says, else "" (told from its
// content).
func formatOf(forced pipeline.Format, contentType string) pipeline.Format {
	if forced != "" {
		return forced
	}
	mt, _, _ := mime.ParseMediaType(contentType)
	switch mt {
	case "text/html", "application/xhtml+xml":
		return pipeline.FormatHTML
	case "text/markdown", "text/x-markdown":
		return pipeline.FormatMarkdown
	case "text/plain":
		return pipeline.FormatText
	}
	return ""
}

// page is an article page fetched and split.
type page struct {
	res *fetch.Response
	art *pipeline.Article
}

// fetchPage fetches the page at rawURL as an article page (robots.txt
// honoured, the size limit of input files) and extracts its article.
// name is what the article is called: the address as given, redacted.
func fetchPage(ctx context.Context, f *fetch.Fetcher, j *job.Job, rawURL, name string) (*page, error) {
	res, err := f.Fetch(ctx, fetch.Request{URL: rawURL, Page: true, MaxBytes: j.Settings.MaxBytes})
	if err != nil {
		return nil, err
	}
	art, err := j.Splitter.Split(ctx, name, res.Body, split.Options{Format: formatOf(j.Settings.InputFormat, res.ContentType), MaxBytes: j.Settings.MaxBytes})
	if err != nil {
		return nil, err
	}
	art.SHA256 = Digest(art)
	art.Web = &pipeline.WebSource{URL: redact.URL(res.FinalURL), Fetched: res.Fetched.UTC(), TextFrom: pipeline.TextFromPage}
	return &page{res: res, art: art}, nil
}

// names hands out output names within one folder in one run: a name is
// taken when another article of this run has it, or when outputs made
// from another source hold it. It is safe for concurrent use: feeds are
// prepared in parallel.
type names struct {
	store *outputs.Store
	mu    sync.Mutex
	used  map[string]string // folder/name → the source (article name) it was given to
}

func newNames(store *outputs.Store) *names {
	return &names{store: store, used: map[string]string{}}
}

// give gives source the name pick chooses in folder ("" for the top),
// pick being told which names are taken.
func (n *names) give(folder, source string, pick func(taken func(name string) bool) string) string {
	n.mu.Lock()
	defer n.mu.Unlock()
	name := pick(func(name string) bool { return n.taken(folder, name, source) })
	n.used[folder+"/"+name] = source
	return name
}

// taken reports whether name, in folder, is another source's than
// source's.
func (n *names) taken(folder, name, source string) bool {
	if other, ok := n.used[folder+"/"+name]; ok {
		return other != source
	}
	loc, err := n.store.Locate(input(source, folder, name))
	if err != nil {
		return true
	}
	made := n.store.Source(loc)
	return made != "" && made != source
}

// logFetch logs a page or feed fetched.
func logFetch(log *slog.Logger, what, url string, res *fetch.Response, started time.Time) {
	log.Debug("fetched", "what", what, "url", redact.URL(url), "final", redact.URL(res.FinalURL), "status", res.Status,
		"bytes", len(res.Body), "seconds", time.Since(started).Round(time.Millisecond).Seconds())
}
