package translate

import (
	"encoding/json"
	"slices"
	"strconv"

	"github.com/nl2en/nl2en/pipeline"
	"github.com/nl2en/nl2en/pipeline/cache"
	"github.com/nl2en/nl2en/pipeline/check"
	"github.com/nl2en/nl2en/pipeline/llm"
)

// The cache is keyed by everything that was asked and everything that
// judged the answer: the server (its base URL without credentials: the
// same model name on another server is another model), the model, the
// variety of English, the system prompt, the glossary entries and house
// style lines that applied, the version of the checks, and the Dutch
// text. Context around a segment (the sentences around it, the
// article's headline and lead) and the names memory are left out on
// purpose, so that editing one paragraph re-translates only that
// paragraph, and learning a name re-pays nothing: an entry keeps the
// names its reply listed, and goes through the article's names pass as
// a reply does. A segment that failed its checks is never cached; one that
// passed with warnings is cached with them, so that a re-run reports them
// again without paying for them again.

// checksVersion names the checks a cached answer passed (check.Version):
// entries judged by other checks are never served.
var checksVersion = "checks/" + strconv.Itoa(check.Version)

func (t *Translator) segmentKey(text string) string {
	var gloss, style []byte
	if t.cfg.Judge != nil {
		gloss, _ = json.Marshal(t.cfg.Judge.Terms(text))
		if ls := t.cfg.Judge.StyleLines(text); len(ls) > 0 {
			style, _ = json.Marshal(ls)
		}
	}
	return cache.Key("segment/v3", checksVersion, string(t.cfg.English), llm.RedactURL(t.cfg.BaseURL), t.cfg.Model, t.sysTrans, string(gloss), string(style), text)
}

func (t *Translator) summaryKey(input string) string {
	var style []byte
	if t.cfg.Judge != nil {
		if ls := t.cfg.Judge.StyleLines(input); len(ls) > 0 {
			style, _ = json.Marshal(ls)
		}
	}
	return cache.Key("summary/v3", checksVersion, string(t.cfg.English), llm.RedactURL(t.cfg.BaseURL), t.cfg.Model, t.sysSummary, string(style), input)
}

// cacheHit is a segment's translation served by the cache, with the
// warnings it passed with.
type cacheHit struct {
	english  string
	warnings []string
	names    []pipeline.Name
}

// fromCache returns the cached translations of the article's segments,
// by segment id. Each is judged again as a reply is (Judge.Reject), a
// cheap test: a well-formed entry that holds symbol soup or Dutch is not
// a translation, whatever wrote it, and is translated anew.
func (t *Translator) fromCache(art *pipeline.Article) map[string]cacheHit {
	out := map[string]cacheHit{}
	if t.cfg.Cache == nil {
		return out
	}
	for _, s := range art.Segments {
		if !s.NeedsTranslation() {
			continue
		}
		e, ok, err := t.cfg.Cache.Get(t.segmentKey(s.Text))
		if err != nil {
			t.log.Warn("segment cache unreadable; translating anew", "error", err.Error())
		}
		if !ok || e.Text == "" {
			continue
		}
		if t.cfg.Judge != nil {
			if r := t.cfg.Judge.Reject(s.Kind, s.Text, e.Text); r != nil {
				t.log.Warn("a cached translation is not one; translating anew", "article", art.Name, "id", s.ID, "reason", r.Reason)
				continue
			}
			// The key holds the style lines the Dutch made likely; a form
			// the style avoids that the entry writes anyway, and that it
			// was not cached with a warning for, is translated anew, as
			// it would be checked and repaired were it not cached.
			if p, ok := newBreach(t.cfg.Judge.Style().Breaches(e.Text), e.Warnings); ok {
				t.log.Info("a cached translation breaks the house style; translating anew", "article", art.Name, "id", s.ID, "problem", p.Message)
				continue
			}
		}
		out[s.ID] = cacheHit{english: e.Text, warnings: e.Warnings, names: listedNames(s.Text, e.Text, wireNames(e.Names))}
	}
	return out
}

// newBreach returns the first of breaches that warnings do not hold.
func newBreach(breaches []check.Problem, warnings []string) (check.Problem, bool) {
	for _, p := range breaches {
		if !slices.Contains(warnings, p.Message) {
			return p, true
		}
	}
	return check.Problem{}, false
}

// withoutCached returns the article with only the segments the cache
// does not serve.
func withoutCached(art *pipeline.Article, cached map[string]cacheHit) *pipeline.Article {
	if len(cached) == 0 {
		return art
	}
	todo := *art
	todo.Segments = nil
	for _, s := range art.Segments {
		if _, ok := cached[s.ID]; !ok {
			todo.Segments = append(todo.Segments, s)
		}
	}
	return &todo
}

// store caches the segments translated now, whole, with the warnings
// they passed with and the names they render; and the segments from the
// cache whose names were repaired, as they are now.
func (t *Translator) store(art *pipeline.Article, segs []segmentResult) {
	if t.cfg.Cache == nil {
		return
	}
	for i, s := range art.Segments {
		if r := segs[i]; s.NeedsTranslation() && r.failed == nil && (!r.cached || r.renamed) {
			t.put(t.segmentKey(s.Text), r.english, r.warnings, r.names)
		}
	}
}

// wireNames are names as a cache entry keeps them, as a reply lists them.
func wireNames(ns []pipeline.Name) []wireName {
	out := make([]wireName, len(ns))
	for i, n := range ns {
		out[i] = wireName{NL: n.Dutch, EN: n.English}
	}
	return out
}

func (t *Translator) put(key, text string, warnings []string, names []pipeline.Name) {
	err := t.cfg.Cache.Put(key, cache.Entry{Text: text, Model: t.cfg.Model, Created: t.cfg.Now().UTC(), Warnings: warnings, Names: names})
	if err != nil {
		t.log.Warn("could not write the segment cache", "error", err.Error())
	}
}

// writeOnly is a cache that is written and never read, for Recheck.
type writeOnly struct{ Cache }

func (writeOnly) Get(string) (cache.Entry, bool, error) { return cache.Entry{}, false, nil }
