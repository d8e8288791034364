package translate

import (
	"encoding/json"
	"strconv"

	"github.com/nl2en/nl2en/pipeline"
	"github.com/nl2en/nl2en/pipeline/cache"
	"github.com/nl2en/nl2en/pipeline/check"
	"github.com/nl2en/nl2en/pipeline/llm"
)

// The cache is keyed by everything that was asked and everything that
// judged the answer: the server (its base URL without credentials: the
// same model name on another server is another model), the model, the
// system prompt, the glossary entries that applied, the version of the
// checks, and the Dutch text. Context around a segment is left out on
// purpose, so that editing one paragraph re-translates only that
// paragraph. A segment that failed its checks is never cached; one that
// passed with warnings is cached with them, so that a re-run reports them
// again without paying for them again.

// checksVersion names the checks a cached answer passed (check.Version):
// entries judged by other checks are never served.
var checksVersion = "checks/" + strconv.Itoa(check.Version)

func (t *Translator) segmentKey(text string) string {
	var gloss []byte
	if t.cfg.Judge != nil {
		gloss, _ = json.Marshal(t.cfg.Judge.Terms(text))
	}
	return cache.Key("segment/v2", checksVersion, llm.RedactURL(t.cfg.BaseURL), t.cfg.Model, t.sysTrans, string(gloss), text)
}

func (t *Translator) summaryKey(input string) string {
	return cache.Key("summary/v2", checksVersion, llm.RedactURL(t.cfg.BaseURL), t.cfg.Model, t.sysSummary, input)
}

// cacheHit is a segment's translation served by the cache, with the
// warnings it passed with.
type cacheHit struct {
	english  string
	warnings []string
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
		}
		out[s.ID] = cacheHit{english: e.Text, warnings: e.Warnings}
	}
	return out
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
// they passed with.
func (t *Translator) store(art *pipeline.Article, segs []segmentResult) {
	if t.cfg.Cache == nil {
		return
	}
	for i, s := range art.Segments {
		if r := segs[i]; s.NeedsTranslation() && r.failed == nil && !r.cached {
			t.put(t.segmentKey(s.Text), r.english, r.warnings)
		}
	}
}

func (t *Translator) put(key, text string, warnings []string) {
	err := t.cfg.Cache.Put(key, cache.Entry{Text: text, Model: t.cfg.Model, Created: t.cfg.Now().UTC(), Warnings: warnings})
	if err != nil {
		t.log.Warn("could not write the segment cache", "error", err.Error())
	}
}

// writeOnly is a cache that is written and never read, for Recheck.
type writeOnly struct{ Cache }

func (writeOnly) Get(string) (cache.Entry, bool, error) { return cache.Entry{}, false, nil }
