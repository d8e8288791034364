package openaitest

import (
	"regexp"
	"sort"
	"strings"
	"sync"
)

// References serve reference translations, as a translator wrote them,
// to a test that judges nl2en's checks on correct English: give
// [References.Translate] to [WithTranslator] and [References.Summarize]
// to [WithSummarizer]. The English of a text is found from the Dutch
// sentences it is made of, so that a paragraph gets its reference
// whether it is sent whole or cut into pieces at its sentences.
//
// Add every block of the reference articles and every sentence of each
// before the server starts; after that a References is only read, and
// is safe for concurrent use.
type References struct {
	byFirst   map[string][]pair // normalised Dutch, by its first word; longest first
	summaries []articleSummary

	mu     sync.Mutex
	misses []string
}

type pair struct{ dutch, english string }

type articleSummary struct {
	marker string // a Dutch text only that article holds
	s      Summary
}

// NewReferences returns an empty set of references.
func NewReferences() *References {
	return &References{byFirst: map[string][]pair{}}
}

// rxNumber is a list item's own number, "3. ", which nl2en's segments
// keep apart from the item's text.
var rxNumber = regexp.MustCompile(`^\d{1,3}[.)] `)

// Add records the English of a Dutch block or sentence. A numbered list
// item ("1. Eerste punt" as "1. First point") is also recorded without
// its number.
func (r *References) Add(dutch, english string) {
	d, e := normalise(dutch), strings.TrimSpace(english)
	if d == "" {
		return
	}
	r.add(d, e)
	if nd, ne := rxNumber.FindString(d), rxNumber.FindString(e); nd != "" && nd == ne {
		r.add(d[len(nd):], e[len(ne):])
	}
}

func (r *References) add(d, e string) {
	first := firstWord(d)
	for _, p := range r.byFirst[first] {
		if p.dutch == d {
			return
		}
	}
	ps := append(r.byFirst[first], pair{d, e})
	sort.SliceStable(ps, func(i, j int) bool { return len(ps[i].dutch) > len(ps[j].dutch) })
	r.byFirst[first] = ps
}

// AddSummary records the summary of the article that holds marker (its
// title, say) in its Dutch text.
func (r *References) AddSummary(marker string, s Summary) {
	r.summaries = append(r.summaries, articleSummary{normalise(marker), s})
}

// Translate has the signature of [WithTranslator]: the reference English
// of text, made of the English of the sentences it holds, in order. A
// text the references do not cover gets "", and is remembered (see
// [References.Misses]).
func (r *References) Translate(_, text string) string {
	t := normalise(text)
	var out []string
	for pos := 0; pos < len(t); {
		for pos < len(t) && t[pos] == ' ' {
			pos++
		}
		if pos == len(t) {
			break
		}
		en, n := r.match(t[pos:])
		if n == 0 {
			r.miss(text)
			return ""
		}
		out = append(out, en)
		pos += n
	}
	return strings.Join(out, " ")
}

// match finds the reference that starts rest and returns its English
// and how much of rest it covers, or 0. A dateline cut off the sentence
// it opens ("DEN HAAG (ANP) -", and the rest after it) gets the part of
// the English on its side of the dash.
func (r *References) match(rest string) (string, int) {
	for _, p := range r.byFirst[firstWord(rest)] {
		if strings.HasPrefix(rest, p.dutch) && (len(rest) == len(p.dutch) || rest[len(p.dutch)] == ' ') {
			return p.english, len(p.dutch)
		}
	}
	for _, ps := range r.byFirst {
		for _, p := range ps {
			if dl, body, ok := cutDateline(p.dutch); ok {
				edl, ebody, eok := cutDateline(p.english)
				switch {
				case !eok:
				case rest == dl:
					return edl, len(rest)
				case strings.HasPrefix(rest, body) && (len(rest) == len(body) || rest[len(body)] == ' '):
					return ebody, len(body)
				}
			}
		}
	}
	return "", 0
}

// rxDateline is a dateline opening a sentence: a place in capitals,
// perhaps an agency, and a dash.
var rxDateline = regexp.MustCompile(`^([\p{Lu}'’. -]+(?:\([^)]{1,20}\))? [-–—]) (.+)$`)

func cutDateline(s string) (dateline, body string, ok bool) {
	m := rxDateline.FindStringSubmatch(s)
	if m == nil {
		return "", "", false
	}
	return m[1], m[2], true
}

func (r *References) miss(text string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.misses = append(r.misses, text)
}

// Misses returns the texts Translate was asked about and had no
// reference for.
func (r *References) Misses() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.misses...)
}

// Summarize has the signature of [WithSummarizer]: the reference summary
// of the article asked about, the one whose marker its text holds; an
// empty Summary when none does.
func (r *References) Summarize(req SummaryRequest) Summary {
	a := normalise(req.Article)
	for _, s := range r.summaries {
		if strings.Contains(a, s.marker) {
			return s.s
		}
	}
	return Summary{}
}

// normalise collapses a text's white space to single spaces.
func normalise(s string) string { return strings.Join(strings.Fields(s), " ") }

func firstWord(s string) string {
	if i := strings.IndexByte(s, ' '); i >= 0 {
		return s[:i]
	}
	return s
}
