package feed

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/nl2en/nl2en/pipeline/feed/feedtest"
)

var now = time.Date(2025, 3, 1, 2, 15, 0, 0, time.UTC)

func dated(id string, day int) Item {
	it := Item{ID: id, GUID: id, Link: "https://e.nl/" + id, Title: "Titel " + id, Text: "Tekst van " + id}
	if day > 0 {
		it.Published = time.Date(2025, 2, day, 12, 0, 0, 0, time.UTC)
	}
	return it
}

func ids(items []Item) string {
	var s []string
	for _, it := range items {
		s = append(s, it.ID)
	}
	return strings.Join(s, " ")
}

func TestNewest(t *testing.T) {
	tests := []struct {
		name  string
		items []Item
		want  string
	}{
		{"out of date order", []Item{dated("a", 3), dated("b", 5), dated("c", 1), dated("d", 4)}, "b d a c"},
		{"undated keep feed order", []Item{dated("a", 0), dated("b", 0), dated("c", 0)}, "a b c"},
		{"undated follow the dated item before them", []Item{dated("x", 0), dated("a", 2), dated("u", 0), dated("b", 9)}, "x b a u"},
	}
	for _, tt := range tests {
		if got := ids(Newest(tt.items)); got != tt.want {
			t.Errorf("%s: Newest = %s, want %s", tt.name, got, tt.want)
		}
	}
	f := parseFixture(t, "zonder-taal.rss")
	got := ""
	for _, it := range Newest(f.Items) {
		got += strings.TrimPrefix(it.Link, base+"/artikel/") + " "
	}
	if want := "zonder-datum-1 met-datum-4 met-datum-2 zonder-datum-3 "; got != want {
		t.Errorf("zonder-taal.rss newest first: %s, want %s", got, want)
	}
}

func TestPlan(t *testing.T) {
	items := []Item{dated("a", 1), dated("b", 2), dated("c", 3), dated("d", 4), dated("e", 5)}

	s := NewState("https://e.nl/feed")
	p := s.Plan(items, 2)
	if ids(p.Take) != "e d" || ids(p.Archive) != "c b a" || len(p.Waiting) != 0 {
		t.Fatalf("first run: take %q archive %q waiting %q, want e d / c b a", ids(p.Take), ids(p.Archive), ids(p.Waiting))
	}
	s.Read(`"v1"`, "", "", now)
	for _, it := range p.Take {
		s.Record(it, s.Output(it, nil), false, false, now)
	}
	for _, it := range p.Archive {
		s.Record(it, "", false, true, now)
	}

	// Nothing new: nothing to do.
	if p := s.Plan(items, 2); len(p.Take)+len(p.Archive)+len(p.Waiting) != 0 || p.Unchanged != 5 {
		t.Errorf("second run: %+v, want all 5 unchanged", p)
	}

	// Three new items and a changed archived one: the cap leaves one for
	// the next run; later runs never archive.
	changed := dated("b", 2)
	changed.Text += " Bijgewerkt."
	more := append([]Item{dated("f", 6), dated("g", 7), dated("h", 8), changed}, items[2:]...)
	s.Read("", "", "", now)
	p = s.Plan(more, 3)
	if ids(p.Take) != "h g f" || ids(p.Waiting) != "b" || len(p.Archive) != 0 {
		t.Errorf("later run: take %q waiting %q archive %q, want h g f / b", ids(p.Take), ids(p.Waiting), ids(p.Archive))
	}
	if s.Status(changed) != Changed || s.Status(dated("z", 1)) != New || s.Status(items[0]) != Unchanged {
		t.Error("statuses wrong")
	}
	if p := s.Plan(more, 0); len(p.Take) != 4 {
		t.Errorf("no cap: took %d, want 4", len(p.Take))
	}
}

func TestStatusByGUIDLinkHash(t *testing.T) {
	s := NewState("https://e.nl/feed")
	withGUID := Item{ID: "g1", GUID: "g1", Link: "https://e.nl/a", Title: "A", Text: "x"}
	linkOnly := Item{ID: "https://e.nl/b", Link: "https://e.nl/b", Title: "B", Text: "y"}
	textOnly := Item{Title: "C", Text: "z"}
	textOnly.ID = "sha256:" + textOnly.Hash()
	for _, it := range []Item{withGUID, linkOnly, textOnly} {
		s.Record(it, "", false, false, now)
	}
	tests := []struct {
		name string
		it   Item
		want Status
	}{
		{"same GUID, new link and text", Item{ID: "g1", GUID: "g1", Link: "https://e.nl/a2", Title: "A", Text: "x2"}, Changed},
		{"same GUID, same entry", withGUID, Unchanged},
		{"same link, changed text", Item{ID: "https://e.nl/b", Link: "https://e.nl/b", Title: "B", Text: "y2"}, Changed},
		{"same text, no GUID or link", textOnly, Unchanged},
		{"other text, no GUID or link", func() Item { it := Item{Title: "C", Text: "z2"}; it.ID = "sha256:" + it.Hash(); return it }(), New},
		{"new GUID, same link and text", Item{ID: "g9", GUID: "g9", Link: "https://e.nl/a", Title: "A", Text: "x"}, Unchanged},
		{"markup and spaces do not change an item", Item{ID: "g1", GUID: "g1", Link: "https://e.nl/a", Title: " A ", Text: "x\n", HTML: "<p>x</p>"}, Unchanged},
	}
	for _, tt := range tests {
		if got := s.Status(tt.it); got != tt.want {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestOutputNames(t *testing.T) {
	s := NewState("https://e.nl/feed")
	a := Item{ID: "1", Link: "https://e.nl/nieuws/storm-op-zee", Title: "Storm"}
	b := Item{ID: "2", Link: "https://andere.nl/storm-op-zee", Title: "Storm elders"}
	c := Item{ID: "3", Link: "https://e.nl/nieuws/12345", Title: "Kabinet valt"}
	na := s.Output(a, nil)
	s.Record(a, na, false, false, now)
	nb := s.Output(b, nil)
	s.Record(b, nb, false, false, now)
	nc := s.Output(c, func(n string) bool { return n == "kabinet-valt" })
	if na != "storm-op-zee" || !strings.HasPrefix(nb, "storm-op-zee-") || nb == na || !strings.HasPrefix(nc, "kabinet-valt-") {
		t.Errorf("names %q %q %q", na, nb, nc)
	}
	// A changed item keeps its name, so its outputs are replaced.
	a2 := a
	a2.Title, a2.Text = "Storm (bijgewerkt)", "Nieuwe tekst"
	if got := s.Output(a2, nil); got != na {
		t.Errorf("changed item named %q, want %q", got, na)
	}
}

func TestStateMarshal(t *testing.T) {
	s := NewState("https://jan:geheim@e.nl/feed?token=abc123&cat=zee")
	it := Item{ID: "https://e.nl/a?key=sleutel", Link: "https://e.nl/a?key=sleutel", Title: "A", Text: "x"}
	s.Record(it, "a", true, false, now)
	s.Read(`"v2"`, "Sat, 01 Mar 2025 01:00:00 GMT", "https://e.nl/nieuw?token=abc123", now)
	s.Failed(errors.New(`fetch https://e.nl/feed?token=abc123: the server answered 500`))
	data, err := s.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{"geheim", "abc123", "sleutel", "jan"} {
		if bytes.Contains(data, []byte(secret)) {
			t.Errorf("state holds %q:\n%s", secret, data)
		}
	}
	back, err := UnmarshalState(data)
	if err != nil {
		t.Fatal(err)
	}
	if back.ETag != `"v2"` || back.Runs != 1 || back.Failures != 1 || len(back.Items) != 1 || !back.Items[0].Teaser || back.Items[0].Output != "a" {
		t.Errorf("read back %+v", back)
	}
	// The item is still known by its redacted link.
	if back.Status(it) != Unchanged {
		t.Errorf("item with a credential in its link is %v after a round trip, want unchanged", back.Status(it))
	}
	if !back.Answers("https://e.nl/feed?token=other&cat=zee") || !back.Answers("https://e.nl/nieuw?token=x") || back.Answers("https://e.nl/anders") {
		t.Error("Answers: want the first URL and the moved one, credentials aside")
	}
	if back.Folder() != "e-nl-feed-cat-zee" {
		t.Errorf("folder %q", back.Folder())
	}
}

func TestUnmarshalStateErrors(t *testing.T) {
	if _, err := UnmarshalState([]byte(`{"version": 99, "feed": "x"}`)); !errors.Is(err, ErrStateVersion) {
		t.Errorf("a later version: %v", err)
	}
	if _, err := UnmarshalState([]byte(`{"feed": "x"}`)); err == nil {
		t.Error("no version: no error")
	}
	if _, err := UnmarshalState([]byte(`{`)); err == nil {
		t.Error("broken JSON: no error")
	}
}

func TestFailures(t *testing.T) {
	s := NewState("https://e.nl/feed")
	for i := 1; i <= FailureAlarm; i++ {
		if got := s.Failed(fmt.Errorf("poging %d", i)); got != i {
			t.Errorf("failure %d counted %d", i, got)
		}
	}
	s.Read("", "", "", now)
	if s.Failures != 0 || s.LastError != "" {
		t.Errorf("a read does not reset the failures: %d %q", s.Failures, s.LastError)
	}
}

func TestForget(t *testing.T) {
	s := NewState("https://e.nl/feed")
	for i := 0; i < MaxSeen+50; i++ {
		s.Record(Item{ID: fmt.Sprint(i), Title: fmt.Sprint(i)}, "", false, true, now.Add(time.Duration(i)*time.Minute))
	}
	current := []Item{{ID: "0", Title: "0"}} // the oldest record, still in the feed
	s.Forget(current)
	if len(s.Items) != MaxSeen || s.Status(current[0]) != Unchanged || s.Status(Item{ID: "1", Title: "1"}) != New {
		t.Errorf("%d records; the oldest in the feed %v; the next oldest %v", len(s.Items), s.Status(current[0]), s.Status(Item{ID: "1", Title: "1"}))
	}
}

// TestPlanFixture runs the plan over a real fixture twice: the first run
// takes the newest, archives the rest; the second finds nothing new.
func TestPlanFixture(t *testing.T) {
	f := parseFixture(t, "nieuws.rss")
	s := NewState(base + "/feeds/nieuws.rss")
	p := s.Plan(f.Items, 3)
	var got []string
	for _, it := range p.Take {
		got = append(got, it.Title)
	}
	want := "Strandpaviljoens mogen langer open blijven|Veerdienst Vlissingen-Breskens ligt stil door storm|Gemeenteraad Middelburg stemt in met nieuw zwembad"
	if strings.Join(got, "|") != want {
		t.Errorf("take %q, want %q", got, want)
	}
	if len(p.Archive) != 3 {
		t.Errorf("archive %d, want 3", len(p.Archive))
	}
	_ = feedtest.Base
}
