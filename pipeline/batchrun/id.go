package batchrun

import (
	"path/filepath"
	"slices"
	"strings"

	"github.com/nl2en/nl2en/pipeline/translate"
	"github.com/nl2en/nl2en/pipeline/walk"
)

// summaryRequest names the summary request of an article.
const summaryRequest = "summary"

// digestChars is how much of the article's sha256 an id carries: enough
// to tell an edited article from the one that was submitted.
const digestChars = 16

// ID names one request of one article in a batch.
type ID struct {
	// Digest is the start of the hex sha256 of the article's bytes.
	Digest string
	// Input is the article's file, as the walk found it.
	Input walk.Input
	// First and Last are the first and last unit ids of a translation
	// request; both are "" for the summary.
	First, Last string
}

// NewID names request p of the article at in whose bytes hash to digest.
func NewID(digest string, in walk.Input, p translate.Planned) ID {
	id := ID{Digest: digest[:digestChars], Input: in}
	if len(p.Units) > 0 {
		id.First, id.Last = p.Units[0], p.Units[len(p.Units)-1]
	}
	return id
}

// Summary reports whether the id names a summary request.
func (id ID) Summary() bool { return id.First == "" }

// Article is the part of the id that names the article: the same for
// every request of it.
func (id ID) Article() string {
	return id.Digest + "|" + id.Input.Root + "|" + id.Input.Rel
}

// String is the custom id.
func (id ID) String() string {
	req := summaryRequest
	if !id.Summary() {
		req = id.First + "-" + id.Last
	}
	return id.Article() + "|" + req
}

// ParseID reads a custom id made by [ID.String].
func ParseID(s string) (ID, bool) {
	last := strings.LastIndexByte(s, '|')
	if last <= digestChars || s[digestChars] != '|' {
		return ID{}, false
	}
	article, req := s[:last], s[last+1:]
	root, rel, found := strings.Cut(article[digestChars+1:], "|")
	if !found {
		return ID{}, false
	}
	id := ID{
		Digest: article[:digestChars],
		Input:  walk.Input{Root: root, Rel: rel, Path: filepath.Join(root, filepath.FromSlash(rel))},
	}
	if req != summaryRequest {
		first, last, ok := strings.Cut(req, "-")
		if !ok || first == "" || last == "" {
			return ID{}, false
		}
		id.First, id.Last = first, last
	}
	return id, true
}

// request names what the id asks for, for a message: "the summary", or
// the range of units "s3–s9" ("s4" for one).
func (id ID) request() string {
	switch {
	case id.Summary():
		return "the summary"
	case id.First == id.Last:
		return id.First
	}
	return id.First + "–" + id.Last
}

// segmentOf is the segment a unit id belongs to: "s2" for "s2" and for
// its pieces "s2.1", "s2.2".
func segmentOf(unit string) string {
	seg, _, _ := strings.Cut(unit, ".")
	return seg
}

// units resolves the id's range against the unit ids of its article, in
// order; nil when either end is not among them.
func (id ID) units(order []string) []string {
	i, j := slices.Index(order, id.First), slices.Index(order, id.Last)
	if i < 0 || j < i {
		return nil
	}
	return order[i : j+1]
}
