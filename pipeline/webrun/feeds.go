package webrun

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/nl2en/nl2en/pipeline"
	"github.com/nl2en/nl2en/pipeline/feed"
	"github.com/nl2en/nl2en/pipeline/fetch"
	"github.com/nl2en/nl2en/pipeline/job"
	"github.com/nl2en/nl2en/pipeline/outputs"
	"github.com/nl2en/nl2en/pipeline/redact"
	"github.com/nl2en/nl2en/pipeline/render"
	"github.com/nl2en/nl2en/pipeline/runner"
	"github.com/nl2en/nl2en/pipeline/slug"
	"github.com/nl2en/nl2en/pipeline/split"
	"github.com/nl2en/nl2en/pipeline/walk"
)

// feedsAtOnce is how many feeds are fetched and prepared at once: feeds
// of different sites go on in parallel, while the fetcher paces each
// site on its own.
const feedsAtOnce = 4

// NotFeedError is a source that is not a feed: a web page (its Feeds are
// the feeds it names, to give instead), or another document.
type NotFeedError struct {
	Source string // redacted
	Feeds  []string
	Err    error
}

func (e *NotFeedError) Error() string {
	msg := fmt.Sprintf("%s: %v", e.Source, e.Err)
	switch len(e.Feeds) {
	case 0:
	case 1:
		msg += "; it names the feed " + e.Feeds[0]
	default:
		msg += "; it names the feeds " + strings.Join(e.Feeds, ", ")
	}
	return msg
}

func (e *NotFeedError) Unwrap() error { return e.Err }

// StateError is a feed's state file that cannot be read: the feed is not
// read, and the file is left as it is.
type StateError struct {
	File string
	Err  error
}

func (e *StateError) Error() string { return fmt.Sprintf("feed state %s: %v", e.File, e.Err) }
func (e *StateError) Unwrap() error { return e.Err }

// source is one feed of a run, from finding its folder to writing its
// English feed.
type source struct {
	given  string // as given: a URL (credentials and all) or a file
	file   bool
	folder string
	state  *feed.State
	rep    runner.FeedReport
	parsed *feed.Feed
	read   time.Time // when the feed was read
	// validators of the copy read, kept in the state only when every
	// item it offered was dealt with.
	etag, lastModified string
	items              []*item
	archive            []feed.Item
	stateErr           error
	stopped            bool // the run stopped before the feed was read
}

// item is an item of a feed taken by this run.
type item struct {
	it     feed.Item
	name   string // its outputs' name in the feed's folder
	path   string // the run's name for it (its input's Path)
	choice feed.Choice
	art    *pipeline.Article
	err    error
	// recorded once its outputs are written, or found up to date.
	res    *pipeline.Result
	status runner.Status
}

// Feeds runs over feed sources (URLs, or feed files): it reads each feed,
// prepares its new and changed items, translates them in the run, and
// keeps each feed's state and English feed in its folder of the output
// folder. A feed that cannot be read is reported (runner.FeedReport, and
// o.Feed) and the others go on; the report's OK is then false. A dry run
// reads the feeds and pages, plans, and writes nothing, state included.
func Feeds(ctx context.Context, run *job.Run, sources []string, o Options, p runner.Progress) (*runner.Report, error) {
	j := run.Job()
	f := newFetcher(j, o)
	defer f.Close()
	r := &feedRun{j: j, f: f, o: o, names: newNames(j.Store)}
	feeds, err := r.find(sources)
	if err != nil {
		return nil, err
	}
	r.prepareAll(ctx, feeds)
	if !j.Settings.DryRun {
		// A feed not read this run keeps its state but for how the
		// read went: its failures counted, or a 304's validators.
		for _, s := range feeds {
			switch {
			case s.rep.Status == runner.FeedNotModified:
				s.state.Read(s.etag, s.lastModified, s.rep.MovedTo, s.read)
				r.save(s)
			case s.rep.Status == runner.FeedFailed && s.stateErr == nil && !s.stopped:
				r.save(s)
			}
		}
	}

	var prepared []runner.Prepared
	byPath := map[string]*item{}
	for _, s := range feeds {
		for _, it := range s.items {
			byPath[it.path] = it
			prepared = append(prepared, r.prepared(s, it))
		}
	}
	var mu sync.Mutex
	written := func(in walk.Input, res *pipeline.Result) {
		mu.Lock()
		defer mu.Unlock()
		if it := byPath[in.Path]; it != nil {
			it.res = res
		}
	}
	rep, runErr := run.TranslateFrom(ctx, &statuses{next: p, items: byPath, mu: &mu}, nil, prepared, written)
	if rep == nil {
		return nil, runErr
	}
	var reports []runner.FeedReport
	for _, s := range feeds {
		if s.rep.Status == runner.FeedRead && !j.Settings.DryRun {
			r.finish(s)
		}
		reports = append(reports, s.rep)
	}
	rep.AddFeeds(reports, r.fetched, feed.FailureAlarm)
	return rep, runErr
}

// feedRun is the work of one Feeds call.
type feedRun struct {
	j     *job.Job
	f     *fetch.Fetcher
	o     Options
	names *names

	mu      sync.Mutex
	fetched runner.FetchCounts
	paths   map[string]bool // the Paths given to items so far
}

func (r *feedRun) count(fn func(c *runner.FetchCounts)) {
	r.mu.Lock()
	defer r.mu.Unlock()
	fn(&r.fetched)
}

// knownState is a feed state found in the output folder.
type knownState struct {
	folder string
	state  *feed.State // nil when the file cannot be read
	err    error
}

// find gives each source its folder and state: the folder whose state
// answers to its URL (a moved feed's as well), else a new one named from
// the URL, or from a feed file's name. A source given twice is read once.
func (r *feedRun) find(sources []string) ([]*source, error) {
	found, err := r.j.Store.FeedStates()
	if err != nil {
		return nil, err
	}
	var states []knownState
	for _, fs := range found {
		st, err := feed.UnmarshalState(fs.Data)
		states = append(states, knownState{fs.Folder, st, err})
	}
	taken := map[string]string{} // folder → the source (its key) given it this run
	var out []*source
	for _, given := range sources {
		s := &source{given: given, file: !outputs.IsWeb(given)}
		key := given
		if s.file {
			if abs, err := filepath.Abs(given); err == nil {
				key = abs
			}
		}
		for _, k := range states {
			if k.state != nil && k.state.Answers(key) {
				s.folder, s.state = k.folder, k.state
				break
			}
		}
		if s.state == nil {
			s.state = feed.NewState(key)
			s.folder = s.state.Folder()
			if s.file {
				s.folder = slug.Folder(strings.TrimSuffix(filepath.Base(given), filepath.Ext(given)))
			}
			for _, k := range states {
				if k.folder == s.folder && k.state == nil {
					// A state that cannot be read: say so, rather than
					// start the feed afresh over its outputs.
					s.stateErr = &StateError{File: filepath.Join(r.j.Settings.Out, k.folder, feed.StateFile), Err: k.err}
				}
			}
			other, ok := taken[s.folder]
			if s.stateErr == nil && (holdsOther(states, s.folder, key) || ok && other != key) {
				s.folder = slug.WithHash(s.folder, redact.URL(key))
			}
		}
		if _, ok := taken[s.folder]; ok {
			continue // the same feed given twice
		}
		taken[s.folder] = key
		s.rep.Feed, s.rep.Folder = redact.URL(s.state.Feed), s.folder
		out = append(out, s)
	}
	return out, nil
}

// holdsOther reports whether folder holds another feed's state.
func holdsOther(states []knownState, folder, key string) bool {
	for _, k := range states {
		if k.folder == folder && k.state != nil && !k.state.Answers(key) {
			return true
		}
	}
	return false
}

// prepareAll reads the feeds, a few at a time, and prepares the items
// each gives the run.
func (r *feedRun) prepareAll(ctx context.Context, feeds []*source) {
	sem := make(chan struct{}, feedsAtOnce)
	var wg sync.WaitGroup
	for _, s := range feeds {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			r.prepare(ctx, s)
			if r.o.Feed != nil {
				r.o.Feed(s.rep)
			}
		}()
	}
	wg.Wait()
}

// maxFeedBytes is the most a feed file may hold, as a fetched feed.
const maxFeedBytes = fetch.DefaultMaxBytes

// prepare reads one feed and prepares the items it gives this run.
func (r *feedRun) prepare(ctx context.Context, s *source) {
	if s.stateErr != nil {
		s.rep.Failed(s.stateErr, s.stateErr.Error())
		return
	}
	data, res, err := r.read(ctx, s)
	if err != nil && ctx.Err() != nil {
		// Stopped (Ctrl-C, the deadline): not the feed's failure.
		s.stopped = true
		s.rep.Failed(err, "not read: the run was stopped")
		return
	}
	if err != nil {
		r.fail(s, err)
		return
	}
	base := "" // a feed file's links are its own
	if res != nil {
		s.etag, s.lastModified, s.rep.MovedTo = res.ETag, res.LastModified, redact.URL(res.MovedTo)
		base = res.FinalURL
		if res.NotModified {
			s.rep.Status = runner.FeedNotModified
			return
		}
	}
	parsed, err := feed.Parse(data, base)
	if err != nil {
		nf := &NotFeedError{Source: s.rep.Feed, Err: err}
		if errors.Is(err, feed.ErrNotFeed) {
			nf.Feeds = feed.Discover(data, base)
		}
		r.fail(s, nf)
		return
	}
	s.parsed = parsed
	s.rep.Status, s.rep.Items = runner.FeedRead, len(parsed.Items)
	for _, it := range parsed.Items {
		switch s.state.Status(it) {
		case feed.New:
			s.rep.New++
		case feed.Changed:
			s.rep.Changed++
		default:
			s.rep.Unchanged++
		}
	}
	plan := s.state.Plan(parsed.Items, r.o.maxItems())
	s.archive = plan.Archive
	s.rep.Archived, s.rep.Waiting = len(plan.Archive), len(plan.Waiting)
	for _, it := range plan.Take {
		x := r.item(ctx, s, it)
		s.items = append(s.items, x)
		s.rep.Taken++
		if x.choice.Teaser() {
			s.rep.Teasers++
		}
	}
	r.j.Log.Info("feed read", "feed", s.rep.Feed, "folder", s.folder, "items", s.rep.Items, "new", s.rep.New,
		"changed", s.rep.Changed, "taken", s.rep.Taken, "teasers", s.rep.Teasers, "archived", s.rep.Archived, "waiting", s.rep.Waiting)
}

// read reads a feed: a file, or its URL with the validators of the copy
// last read (so that an unchanged feed costs one 304), from where a
// permanent redirect last sent it.
func (r *feedRun) read(ctx context.Context, s *source) ([]byte, *fetch.Response, error) {
	s.read = r.j.Now().UTC()
	if s.file {
		data, err := readFile(s.given, maxFeedBytes)
		return data, nil, err
	}
	u := s.given
	if m := s.state.MovedTo; m != "" && !strings.Contains(m, redact.Mask) {
		u = m
	}
	started := time.Now()
	res, err := r.f.Fetch(ctx, fetch.Request{URL: u, ETag: s.state.ETag, LastModified: s.state.LastModified})
	r.count(func(c *runner.FetchCounts) {
		c.Feeds++
		switch {
		case err != nil:
			c.Failed++
		case res.NotModified:
			c.NotModified++
		}
	})
	if err != nil {
		return nil, nil, err
	}
	logFetch(r.j.Log, "feed", u, res, started)
	s.read = res.Fetched.UTC()
	return res.Body, res, nil
}

// readFile reads a feed file, refusing one over max bytes.
func readFile(name string, max int64) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	if int64(len(data)) > max {
		return nil, fmt.Errorf("%s: larger than %d MiB, the most a feed may hold", name, max>>20)
	}
	return data, nil
}

// fail records that a feed could not be read.
func (r *feedRun) fail(s *source, err error) {
	s.rep.FailedRuns = s.state.Failed(err)
	s.rep.Failed(err, redact.Text(oneLine(err.Error())))
	r.j.Log.Debug("feed failed", "feed", s.rep.Feed, "failed_runs", s.rep.FailedRuns, "error", s.rep.Error)
}

// item prepares one item taken from a feed: its article from the feed's
// text, or from its page, and its outputs' name.
func (r *feedRun) item(ctx context.Context, s *source, it feed.Item) *item {
	x := &item{it: it, path: r.itemPath(s, it)}
	x.name = r.names.give(s.folder, x.path, func(taken func(string) bool) string { return s.state.Output(it, taken) })
	if feed.IsWhole(it.Text) {
		x.choice = feed.UseFeed
		x.art, x.err = r.feedArticle(ctx, s, x, "")
		return x
	}
	var pg *page
	var err error
	if it.Link == "" {
		err = errors.New("the item has no link")
	} else {
		pg, err = fetchPage(ctx, r.f, r.j, it.Link, x.path)
		r.count(func(c *runner.FetchCounts) {
			if fetch.IsKind(err, fetch.KindDisallowed) {
				return // robots.txt said no: nothing was asked
			}
			c.Pages++
			if err != nil {
				c.Failed++
			}
		})
	}
	if err != nil && ctx.Err() != nil {
		x.err = err
		return x
	}
	var pageText string
	wall := feed.NoWall
	if pg != nil {
		pageText = bodyText(pg.art)
		wall = feed.WallInHTML(pg.res.Body)
	}
	x.choice = feed.Choose(it.Text, feed.Page{Text: pageText, Wall: wall, Disallowed: fetch.IsKind(err, fetch.KindDisallowed), Failed: err != nil})
	if x.choice.Page() {
		x.art = pg.art
		x.art.Web = r.web(s, it, pg.art.Web)
		return x
	}
	why := x.choice.String()
	if err != nil {
		why += ": " + redact.Text(oneLine(err.Error()))
	}
	r.j.Log.Info("teaser: the feed's text is translated", "item", x.path, "why", why)
	x.art, x.err = r.feedArticle(ctx, s, x, why)
	return x
}

// itemPath is the run's name for an item: its link, or where it has none
// the feed's URL and the item's id; unique in the run.
func (r *feedRun) itemPath(s *source, it feed.Item) string {
	p := redact.URL(it.Link)
	if it.Link == "" {
		p = redact.URL(s.state.Feed) + "#" + it.ID
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.paths == nil {
		r.paths = map[string]bool{}
	}
	if r.paths[p] {
		p += "#" + slug.Hash(it.ID)
	}
	r.paths[p] = true
	return p
}

// feedArticle makes an item's article of the feed's text: its title and
// body. why, for a teaser, says why the page was not used.
func (r *feedRun) feedArticle(ctx context.Context, s *source, x *item, why string) (*pipeline.Article, error) {
	doc := "<!DOCTYPE html><html><body><article>\n<h1>" + html.EscapeString(x.it.Title) + "</h1>\n" + x.it.HTML + "\n</article></body></html>\n"
	art, err := r.j.Splitter.Split(ctx, x.path, []byte(doc), split.Options{Format: pipeline.FormatHTML, MaxBytes: r.j.Settings.MaxBytes})
	if err != nil {
		return nil, fmt.Errorf("%s: the feed's item holds no text to translate (%w)", x.path, err)
	}
	art.SHA256 = Digest(art)
	art.Web = r.web(s, x.it, &pipeline.WebSource{URL: redact.URL(x.it.Link), Fetched: s.read, TextFrom: pipeline.TextFromFeed})
	if why != "" {
		art.Web.Teaser, art.Web.TeaserReason = true, why
	}
	return art, nil
}

// web is where an item's article came from: w, with the feed's part.
func (r *feedRun) web(s *source, it feed.Item, w *pipeline.WebSource) *pipeline.WebSource {
	w.Feed, w.GUID, w.Published = redact.URL(s.state.Feed), it.GUID, it.Date().UTC()
	if it.Date().IsZero() {
		w.Published = time.Time{}
	}
	if s.parsed != nil {
		w.FeedTitle = s.parsed.Title
	}
	return w
}

// prepared is the run's input of an item.
func (r *feedRun) prepared(s *source, x *item) runner.Prepared {
	return runner.Prepared{Input: input(x.path, s.folder, x.name), Article: x.art, Err: x.err}
}

// statuses hears how each item of the run went, and tells the progress
// the run was given.
type statuses struct {
	next  runner.Progress
	items map[string]*item
	mu    *sync.Mutex
}

func (s *statuses) Found(n int) {
	if s.next != nil {
		s.next.Found(n)
	}
}

func (s *statuses) Finished(a runner.ArticleReport) {
	s.mu.Lock()
	if it := s.items[a.File]; it != nil {
		it.status = a.Status
	}
	s.mu.Unlock()
	if s.next != nil {
		s.next.Finished(a)
	}
}

// finish records in a feed's state what the run did with its items,
// saves the state, and writes the English feed.
func (r *feedRun) finish(s *source) {
	now := r.j.Now().UTC()
	all := s.rep.Waiting == 0
	review := r.hasFormat(render.NameHTML)
	var fresh []feed.Entry
	for _, x := range s.items {
		switch x.status {
		case runner.StatusDone:
			s.state.Record(x.it, x.name, x.choice.Teaser(), false, now)
			if x.res != nil {
				fresh = append(fresh, entry(x, review))
			}
		case runner.StatusSkipped:
			s.state.Record(x.it, x.name, x.choice.Teaser(), false, now)
		default:
			all = false
		}
	}
	for _, it := range s.archive {
		s.state.Record(it, "", false, true, now)
	}
	// Validators only for a copy whose every item was dealt with: an
	// item left over is looked at again by the next run, which must then
	// read the feed whole rather than be told it did not change.
	if all {
		s.state.Read(s.etag, s.lastModified, s.rep.MovedTo, s.read)
	} else {
		s.state.Read("", "", s.rep.MovedTo, s.read)
	}
	s.state.Forget(s.parsed.Items)
	r.save(s)
	if err := r.writeFeed(s, fresh); err != nil {
		r.j.Log.Error("could not write the English feed", "folder", filepath.Join(r.j.Settings.Out, s.folder), "error", err.Error())
	}
}

// save writes a feed's state.
func (r *feedRun) save(s *source) {
	data, err := s.state.Marshal()
	if err == nil {
		err = r.j.Store.WriteFeedState(s.folder, data)
	}
	if err != nil {
		r.j.Log.Error("could not save the feed's state; its items are looked at again next run", "feed", s.rep.Feed, "error", err.Error())
	}
}

// hasFormat reports whether the run writes outputs of the named format.
func (r *feedRun) hasFormat(name string) bool {
	for _, f := range r.j.Formats {
		if f.Name == name {
			return true
		}
	}
	return false
}

// entry is an English feed's entry of an item written in this run.
func entry(x *item, review bool) feed.Entry {
	res := x.res
	e := feed.Entry{
		SourceID:       x.it.ID,
		Title:          render.NewDocument(res, render.Meta{}).Headline(),
		Summary:        res.Summary.Summary,
		ContentHTML:    feed.ArticleHTML(res),
		Original:       redact.URL(x.it.Link),
		Published:      x.it.Date(),
		Updated:        res.Finished.UTC(),
		SourceLanguage: language(res.Article),
		Teaser:         x.choice.Teaser(),
		Authors:        x.it.Authors,
	}
	if review {
		e.Review = x.name + ".en.html"
	}
	return e
}

// language is the language most of an article's segments are in: what
// the text says, not what the feed claims.
func language(art *pipeline.Article) string {
	n := map[string]int{}
	best := ""
	for _, s := range art.Segments {
		if s.Lang == "" {
			continue
		}
		n[s.Lang]++
		if n[s.Lang] > n[best] {
			best = s.Lang
		}
	}
	if best == "" {
		return "nl"
	}
	return best
}

// writeFeed merges the entries of the items written in this run into the
// English feed of earlier runs, keeps the newest, and writes feed.xml and
// feed.json where they changed.
func (r *feedRun) writeFeed(s *source, fresh []feed.Entry) error {
	var old []feed.Entry
	if data, err := r.j.Store.ReadFeedFile(s.folder, "feed.json"); err == nil {
		o, err := feed.ReadJSON(data)
		if err != nil {
			r.j.Log.Warn("the English feed cannot be read back; it is written anew with this run's entries", "file", filepath.Join(r.j.Settings.Out, s.folder, "feed.json"), "error", err.Error())
		} else {
			old = o.Entries
		}
	}
	title := cmp(s.parsed.Title, s.folder)
	out := feed.Out{
		Title:       title + " (English)",
		Description: "English translations, by nl2en, of " + title,
		Source:      s.state.Feed,
		SourceTitle: s.parsed.Title,
		HomePage:    s.parsed.Link,
		Version:     r.j.Settings.Version,
		Entries:     feed.Merge(old, fresh, r.o.maxItems()),
	}
	if r.o.FeedURL != "" {
		out.Prefix = strings.TrimSuffix(r.o.FeedURL, "/") + "/" + s.folder + "/"
	}
	for _, f := range feed.OutFormats() {
		var b bytes.Buffer
		if err := f.Write(&b, out); err != nil {
			return err
		}
		if _, err := r.j.Store.WriteFeedFile(s.folder, f.File, b.Bytes()); err != nil {
			return err
		}
	}
	return nil
}

func cmp(a, b string) string {
	if strings.TrimSpace(a) != "" {
		return a
	}
	return b
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
