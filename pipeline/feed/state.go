package feed

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/nl2en/nl2en/pipeline/redact"
	"github.com/nl2en/nl2en/pipeline/slug"
)

// StateVersion is the version of the state file this package writes.
// A file of a later version is refused rather than misread.
const StateVersion = 1

// StateFile is the name of a feed's state file in its folder.
const StateFile = "feed-state.json"

// MaxSeen bounds how many items a state remembers. Items still in the
// feed are always kept; of the others, those seen last are kept.
const MaxSeen = 2000

// FailureAlarm is the number of consecutive failed runs after which a
// feed's failure is worth a line of its own in the report.
const FailureAlarm = 3

// State is what nl2en remembers of one feed between runs: the validators
// for a conditional request, the items it has seen, and how its last
// runs went. It lives in the feed's folder ([StateFile]). URLs in it
// have their credentials redacted when it is marshalled.
type State struct {
	Version int `json:"version"`
	// Feed is the feed's URL as first given; the folder is named from it
	// and keeps its name when the feed moves.
	Feed string `json:"feed"`
	// MovedTo is where a permanent redirect last sent the feed.
	MovedTo string `json:"moved_to,omitempty"`
	// ETag and LastModified are the validators of the last copy read.
	ETag         string    `json:"etag,omitempty"`
	LastModified string    `json:"last_modified,omitempty"`
	Fetched      time.Time `json:"fetched,omitzero"`
	// Runs counts the runs that read the feed.
	Runs int `json:"runs"`
	// Failures counts the consecutive runs that failed to read the feed;
	// LastError is the last failure's message.
	Failures  int    `json:"failures"`
	LastError string `json:"last_error,omitempty"`
	Items     []Seen `json:"items"`
}

// Seen is an item a run has seen.
type Seen struct {
	ID   string `json:"id"`
	GUID string `json:"guid,omitempty"`
	Link string `json:"link,omitempty"`
	// Hash is [Item.Hash] when the item was last recorded.
	Hash string `json:"hash"`
	// Output is the name of the item's outputs ("storm-code-oranje" for
	// storm-code-oranje.en.md); "" for an item of the archive that was
	// never translated.
	Output    string    `json:"output,omitempty"`
	Archived  bool      `json:"archived,omitempty"`
	Teaser    bool      `json:"teaser,omitempty"`
	Published time.Time `json:"published,omitzero"`
	Seen      time.Time `json:"seen"`
}

// NewState is the state of a feed never read before.
func NewState(feedURL string) *State {
	return &State{Version: StateVersion, Feed: redact.URL(feedURL), Items: []Seen{}}
}

// ErrStateVersion is returned, wrapped, for a state file written by a
// later nl2en.
var ErrStateVersion = errors.New("state file of a later version")

// UnmarshalState reads a state file.
func UnmarshalState(data []byte) (*State, error) {
	var s State
	if err := json.Unmarshal(data, &s); err != nil {
		return nil, fmt.Errorf("read feed state: %w", err)
	}
	switch {
	case s.Version == 0:
		return nil, errors.New("read feed state: no version: not a state file of nl2en")
	case s.Version > StateVersion:
		return nil, fmt.Errorf("read feed state: %w (%d; this nl2en reads %d)", ErrStateVersion, s.Version, StateVersion)
	}
	if s.Items == nil {
		s.Items = []Seen{}
	}
	return &s, nil
}

// Marshal writes the state as indented JSON, credentials redacted.
func (s *State) Marshal() ([]byte, error) {
	c := *s
	c.Version = StateVersion
	c.Feed = redact.URL(c.Feed)
	c.MovedTo = redact.URL(c.MovedTo)
	c.LastError = redact.Text(c.LastError)
	c.Items = s.Items
	b, err := json.MarshalIndent(&c, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// Answers reports whether the state belongs to the feed at feedURL: the
// URL it was first given, or the one it moved to. A user who changes a
// moved feed's URL to its new home finds its folder this way.
func (s *State) Answers(feedURL string) bool {
	u := feedKey(feedURL)
	return u == feedKey(s.Feed) || s.MovedTo != "" && u == feedKey(s.MovedTo)
}

// feedKey is a feed URL without its credentials, for comparing two URLs
// of one feed whose tokens differ.
func feedKey(raw string) string {
	u, err := url.Parse(strings.TrimSpace(redact.URL(raw)))
	if err != nil {
		return raw
	}
	u.User = nil
	return u.String()
}

// Folder is the name of the feed's folder: [slug.Folder] of the URL it
// was first given, whatever it moved to since.
func (s *State) Folder() string { return slug.Folder(s.Feed) }

// Read records a successful read of the feed: its validators, where it
// moved, and that the run's failures are over.
func (s *State) Read(etag, lastModified, movedTo string, now time.Time) {
	s.ETag, s.LastModified = etag, lastModified
	if movedTo != "" {
		s.MovedTo = redact.URL(movedTo)
	}
	s.Fetched = now
	s.Failures, s.LastError = 0, ""
	s.Runs++
}

// Failed records a failed read and returns how many runs in a row have
// failed; at [FailureAlarm] or more the report should say so.
func (s *State) Failed(err error) int {
	s.Failures++
	if err != nil {
		s.LastError = redact.Text(err.Error())
	}
	return s.Failures
}

// recordID is the ID an item is recorded under: its ID, redacted when
// the ID is its link, as the state file holds no credentials.
func recordID(it Item) string {
	if it.ID == it.Link {
		return redact.URL(it.ID)
	}
	return it.ID
}

// Status says whether an item is new, changed or unchanged since a run
// last recorded it.
type Status int

// The statuses.
const (
	New Status = iota + 1
	Changed
	Unchanged
)

func (st Status) String() string {
	switch st {
	case New:
		return "new"
	case Changed:
		return "changed"
	case Unchanged:
		return "unchanged"
	}
	return "unknown"
}

// find returns the index of the record of an item: by its ID (its GUID,
// else link, else hash); failing that, a record with the same link and
// the same text, for a feed that gave an unchanged item a new GUID.
func (s *State) find(it Item) int {
	id, link := recordID(it), redact.URL(it.Link)
	for i := range s.Items {
		if s.Items[i].ID == id {
			return i
		}
	}
	if it.Link != "" {
		h := it.Hash()
		for i := range s.Items {
			if s.Items[i].Link == link && s.Items[i].Hash == h {
				return i
			}
		}
	}
	return -1
}

// Status tells whether the item is new, changed (same identity, other
// title, link or text) or unchanged.
func (s *State) Status(it Item) Status {
	i := s.find(it)
	switch {
	case i < 0:
		return New
	case s.Items[i].Hash != it.Hash():
		return Changed
	}
	return Unchanged
}

// Output returns the name of the item's outputs: the one recorded when
// the item was seen before, so a changed item overwrites its own outputs;
// else a new name from its link or title ([slug.Unique]) that no other
// item of the feed has, nor taken reports taken (outputs of other feeds
// or files in the folder; may be nil).
func (s *State) Output(it Item, taken func(name string) bool) string {
	if i := s.find(it); i >= 0 && s.Items[i].Output != "" {
		return s.Items[i].Output
	}
	used := map[string]bool{}
	for _, r := range s.Items {
		if r.Output != "" {
			used[r.Output] = true
		}
	}
	isTaken := func(n string) bool { return used[n] || taken != nil && taken(n) }
	name := slug.Unique(it.Link, it.Title, isTaken)
	if isTaken(name) {
		// The hashed name is taken too: the same link under two IDs.
		name = slug.WithHash(name, it.ID)
	}
	return name
}

// Record notes an item as done: translated into output, or archived
// (output "", archived true) on a feed's first run.
func (s *State) Record(it Item, output string, teaser, archived bool, now time.Time) {
	r := Seen{ID: recordID(it), GUID: it.GUID, Link: redact.URL(it.Link), Hash: it.Hash(), Output: output, Teaser: teaser,
		Archived: archived, Published: it.Date(), Seen: now}
	if i := s.find(it); i >= 0 {
		if r.Output == "" {
			r.Output = s.Items[i].Output
		}
		s.Items[i] = r
		return
	}
	s.Items = append(s.Items, r)
}

// Forget drops the oldest records beyond [MaxSeen], never one of an item
// still in the feed (which would come back as new).
func (s *State) Forget(current []Item) {
	if len(s.Items) <= MaxSeen {
		return
	}
	keep := map[int]bool{}
	for _, it := range current {
		if i := s.find(it); i >= 0 {
			keep[i] = true
		}
	}
	idx := make([]int, len(s.Items))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return s.Items[idx[a]].Seen.After(s.Items[idx[b]].Seen) })
	room := MaxSeen - len(keep)
	for _, i := range idx {
		if keep[i] {
			continue
		}
		if room > 0 {
			keep[i] = true
			room--
		}
	}
	out := make([]Seen, 0, len(keep))
	for i, r := range s.Items {
		if keep[i] {
			out = append(out, r)
		}
	}
	s.Items = out
}

// Plan is what one run does with a feed's items.
type Plan struct {
	// Take are the new and changed items this run translates, newest
	// first, at most the cap.
	Take []Item
	// Archive are, on a feed's first run, the older items beyond the cap:
	// to be recorded as seen ([State.Record] with archived true) and never
	// translated.
	Archive []Item
	// Waiting are, on later runs, new and changed items beyond the cap:
	// left for the next run.
	Waiting []Item
	// Unchanged counts the items seen before and not changed.
	Unchanged int
}

// Plan chooses the items of one run: the new and changed ones, newest
// first ([Newest]), at most max of them (no cap when max <= 0). On the
// feed's first run (no item recorded yet, whether or not [State.Read]
// was called for this run) every item is new, and those beyond the cap
// are the archive.
func (s *State) Plan(items []Item, max int) Plan {
	var p Plan
	var todo []Item
	for _, it := range Newest(items) {
		if s.Status(it) == Unchanged {
			p.Unchanged++
			continue
		}
		todo = append(todo, it)
	}
	if max <= 0 || len(todo) <= max {
		p.Take = todo
		return p
	}
	p.Take = todo[:max]
	if len(s.Items) == 0 {
		p.Archive = todo[max:]
	} else {
		p.Waiting = todo[max:]
	}
	return p
}

// Newest orders items newest first by date. Feeds are not always in date
// order; an undated item keeps its place after the dated item before it
// in the feed (first, when none is before it), so a feed of undated
// items keeps its own order.
func Newest(items []Item) []Item {
	type keyed struct {
		it  Item
		key time.Time
		top bool
	}
	ks := make([]keyed, len(items))
	var last time.Time
	top := true
	for i, it := range items {
		if d := it.Date(); !d.IsZero() {
			last, top = d, false
		}
		ks[i] = keyed{it: it, key: last, top: top}
	}
	sort.SliceStable(ks, func(a, b int) bool {
		if ks[a].top != ks[b].top {
			return ks[a].top
		}
		return ks[a].key.After(ks[b].key)
	})
	out := make([]Item, len(ks))
	for i, k := range ks {
		out[i] = k.it
	}
	return out
}
