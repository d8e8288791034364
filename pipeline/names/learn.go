package names

import (
	"bytes"
	"cmp"
	"slices"
	"sync"

	"github.com/nl2en/nl2en/pipeline"
)

// Learned is a name a run learned: its Dutch and English forms, the
// articles that rendered it so in segments that passed with no warning,
// the first of them in Sources.
type Learned struct {
	Dutch, English string
	Sources        []string
}

// Run gathers the names of a run's articles as each ends, for [Run.Pass].
// It keeps each name and form once, and the articles by number: a run
// of thousands of articles that name the same people holds little. It
// is safe for concurrent use; the zero value is ready.
type Run struct {
	mu      sync.Mutex
	sources []string
	byName  map[string][]*form
	order   []string // Dutch names, in the order first met
}

// form is one English form of a name, with the articles that render it
// and those of them that may teach it, by number.
type form struct {
	english string
	sources []int32
	learn   []int32
}

// Add records the names of an article the run translated; source names
// it as the run report does.
func (r *Run) Add(source string, ns []pipeline.ArticleName) {
	if len(ns) == 0 {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.byName == nil {
		r.byName = map[string][]*form{}
	}
	a := int32(len(r.sources))
	r.sources = append(r.sources, source)
	for _, n := range ns {
		fs, known := r.byName[n.Dutch]
		if !known {
			r.order = append(r.order, n.Dutch)
		}
		i := slices.IndexFunc(fs, func(f *form) bool { return f.english == n.English })
		if i < 0 {
			fs = append(fs, &form{english: n.English})
			r.byName[n.Dutch] = fs
			i = len(fs) - 1
		}
		f := fs[i]
		if len(f.sources) == 0 || f.sources[len(f.sources)-1] != a {
			f.sources = append(f.sources, a)
			if n.Learn {
				f.learn = append(f.learn, a)
			}
		}
	}
}

// Pass is the end of a run's look at its names. Articles translated side
// by side cannot learn from each other: a name the memory (mem, as read
// at the run's start) lacked that they rendered in more than one form is
// a conflict, listed for each article whose form is not the one learned
// (the form most articles gave, else the first by source), and the
// memory learns that form, applying from the next run on. Names the
// memory had were held to it by each article's own pass. It returns
// what the memory learns (names rendered in articles' segments that
// passed with no warning; the memory's own names are counted seen again
// when rendered in its form) and the conflicts.
func (r *Run) Pass(mem *Memory) ([]Learned, []pipeline.NameConflict) {
	r.mu.Lock()
	defer r.mu.Unlock()
	// Articles by source, so that "first" does not depend on which
	// article of the run ended first.
	rank := make([]int, len(r.sources))
	byPath := make([]int, len(r.sources))
	for i := range byPath {
		byPath[i] = i
	}
	slices.SortStableFunc(byPath, func(a, b int) int { return cmp.Compare(r.sources[a], r.sources[b]) })
	for k, i := range byPath {
		rank[i] = k
	}
	paths := func(as []int32) []string {
		as = slices.Clone(as)
		slices.SortFunc(as, func(a, b int32) int { return cmp.Compare(rank[a], rank[b]) })
		out := make([]string, len(as))
		for i, a := range as {
			out[i] = r.sources[a]
		}
		return out
	}
	first := func(f *form) int {
		m := len(rank)
		for _, a := range f.sources {
			m = min(m, rank[a])
		}
		return m
	}
	order := slices.Clone(r.order)
	slices.SortStableFunc(order, func(a, b string) int {
		fa, fb := len(rank), len(rank)
		for _, f := range r.byName[a] {
			fa = min(fa, first(f))
		}
		for _, f := range r.byName[b] {
			fb = min(fb, first(f))
		}
		return cmp.Compare(fa, fb)
	})
	var learned []Learned
	var conflicts []pipeline.NameConflict
	for _, d := range order {
		fs := slices.Clone(r.byName[d])
		slices.SortStableFunc(fs, func(a, b *form) int { return cmp.Compare(first(a), first(b)) })
		if had, ok := mem.Lookup(d); ok {
			// Each article was held to the memory's form already; those
			// that render it in that form count it seen again.
			for _, f := range fs {
				if f.english == had && len(f.learn) > 0 {
					learned = append(learned, Learned{Dutch: d, English: had, Sources: paths(f.learn)})
				}
			}
			continue
		}
		kept := fs[0]
		for _, f := range fs[1:] {
			if len(f.sources) > len(kept.sources) {
				kept = f
			}
		}
		for _, f := range fs {
			if f == kept {
				continue
			}
			for _, src := range paths(f.sources) {
				conflicts = append(conflicts, pipeline.NameConflict{Dutch: d, English: kept.english, Other: f.english,
					From: pipeline.ConflictRun, Source: src})
			}
		}
		if len(kept.learn) > 0 {
			learned = append(learned, Learned{Dutch: d, English: kept.english, Sources: paths(kept.learn)})
		}
	}
	return learned, conflicts
}

// Merge lays what a run learned over the memory file as it is on disk
// now (current, read under the run's lock, which may hold edits people
// made during the run; name is its path, for errors): a name it lacks is
// added, with the article it was first seen in; one it has in the same
// form is counted seen again; one it has in another form is kept as it
// is, never overwritten, and returned as a conflict for each article
// that rendered it otherwise. It returns the new file, how many names
// were added, and the conflicts; an unreadable file is an error, and
// nothing is to be written over it.
func Merge(current []byte, name string, learned []Learned) (data []byte, added int, conflicts []pipeline.NameConflict, err error) {
	m, err := Parse(bytes.NewReader(current), name)
	if err != nil {
		return nil, 0, nil, err
	}
	for _, l := range learned {
		if l.Dutch == "" || l.English == "" || len(l.Sources) == 0 {
			continue
		}
		k, ok := m.byDutch[l.Dutch]
		switch {
		case !ok:
			m.add(Entry{Dutch: l.Dutch, English: l.English, Seen: len(l.Sources), FirstSeenIn: l.Sources[0]}, "")
			added++
		case m.entries[k].English == l.English:
			m.entries[k].Seen += len(l.Sources)
			m.rewrite(k)
		default:
			for _, src := range l.Sources {
				conflicts = append(conflicts, pipeline.NameConflict{Dutch: l.Dutch, English: m.entries[k].English, Other: l.English,
					From: pipeline.ConflictMemory, Source: src})
			}
		}
	}
	return m.format(), added, conflicts, nil
}

// rewrite marks entry k to be written anew.
func (m *Memory) rewrite(k int) {
	for i := range m.lines {
		if m.lines[i].entry == k {
			m.lines[i].raw = ""
		}
	}
}
