package names

import (
	"bytes"
	"cmp"
	"slices"

	"github.com/nl2en/nl2en/pipeline"
)

// Article is what a run's end needs of an article it translated: the
// article, as the run report names it, and its names.
type Article struct {
	Source string
	Names  []pipeline.ArticleName
}

// Learned is a name a run learned: its Dutch and English forms, the
// articles that rendered it so in segments that passed with no warning,
// the first of them in Sources.
type Learned struct {
	Dutch, English string
	Sources        []string
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
func Pass(mem *Memory, arts []Article) ([]Learned, []pipeline.NameConflict) {
	arts = slices.Clone(arts)
	slices.SortFunc(arts, func(a, b Article) int { return cmp.Compare(a.Source, b.Source) })
	type form struct {
		english string
		sources []string // articles that render it
		learn   []string // those of them that may teach it
	}
	byName := map[string][]*form{}
	var order []string
	for _, a := range arts {
		for _, n := range a.Names {
			fs, known := byName[n.Dutch]
			if !known {
				order = append(order, n.Dutch)
			}
			i := slices.IndexFunc(fs, func(f *form) bool { return f.english == n.English })
			if i < 0 {
				fs = append(fs, &form{english: n.English})
				i = len(fs) - 1
			}
			f := fs[i]
			if !slices.Contains(f.sources, a.Source) {
				f.sources = append(f.sources, a.Source)
				if n.Learn {
					f.learn = append(f.learn, a.Source)
				}
			}
			byName[n.Dutch] = fs
		}
	}
	var learned []Learned
	var conflicts []pipeline.NameConflict
	for _, d := range order {
		fs := byName[d]
		if had, ok := mem.Lookup(d); ok {
			// Each article was held to the memory's form already; those
			// that render it in that form count it seen again.
			for _, f := range fs {
				if f.english == had && len(f.learn) > 0 {
					learned = append(learned, Learned{Dutch: d, English: had, Sources: f.learn})
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
		if len(fs) > 1 {
			for _, f := range fs {
				if f == kept {
					continue
				}
				for _, src := range f.sources {
					conflicts = append(conflicts, pipeline.NameConflict{Dutch: d, English: kept.english, Other: f.english,
						From: pipeline.ConflictRun, Source: src})
				}
			}
		}
		if len(kept.learn) > 0 {
			learned = append(learned, Learned{Dutch: d, English: kept.english, Sources: kept.learn})
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
