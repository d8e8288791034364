package translate

import (
	"encoding/json"

	"github.com/nl2en/nl2en/pipeline"
	"github.com/nl2en/nl2en/pipeline/cache"
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

// checksVersion names the checks a cached answer passed; entries written
// under older checks are never served, since they were never judged by
// these.
const checksVersion = "checks/2"

func (t *Translator) segmentKey(text string) string {
	var gloss []byte
	if t.cfg.Glossary != nil {
		gloss, _ = json.Marshal(t.cfg.Glossary(text))
	}
	return cache.Key("segment/v2", checksVersion, llm.RedactURL(t.cfg.BaseURL), t.cfg.Model, t.sysTrans, string(gloss), text)
}

func (t *Translator) summaryKey(input string) string {
	return cache.Key("summary/v2", checksVersion, llm.RedactURL(t.cfg.BaseURL), t.cfg.Model, t.sysSummary, input)
}

// fromCache fills english (and warnings) with the cached translations of
// the article's segments and returns the article with only the segments
// still to do.
func (t *Translator) fromCache(art *pipeline.Article, english map[string]string, warnings map[string][]string) *pipeline.Article {
	if t.cfg.Cache == nil {
		return art
	}
	todo := *art
	todo.Segments = nil
	for _, s := range art.Segments {
		if !s.NeedsTranslation() {
			continue
		}
		e, ok, err := t.cfg.Cache.Get(t.segmentKey(s.Text))
		if err != nil {
			t.log.Warn("segment cache unreadable; translating anew", "error", err.Error())
		}
		if ok && e.Text != "" {
			english[s.ID] = e.Text
			if len(e.Warnings) > 0 && warnings != nil {
				warnings[s.ID] = e.Warnings
			}
			continue
		}
		todo.Segments = append(todo.Segments, s)
	}
	return &todo
}

// storeUnits caches the whole segments of a finished batch at once, so a
// run killed later still keeps them, with the warnings they passed with.
func (t *Translator) storeUnits(units []Unit, ok map[string]string, warn map[string][]string) {
	if t.cfg.Cache == nil {
		return
	}
	for _, u := range units {
		if en, done := ok[u.ID]; done && u.Piece == 0 {
			t.put(t.segmentKey(u.Text), en, warn[u.ID])
		}
	}
}

// storePieced caches segments that were translated in pieces, once all
// their pieces are back.
func (t *Translator) storePieced(art *pipeline.Article, batches []Batch, trs []pipeline.Translation) {
	if t.cfg.Cache == nil {
		return
	}
	pieced := map[string]bool{}
	for _, b := range batches {
		for _, u := range b.Units {
			if u.Piece > 0 {
				pieced[u.SegmentID] = true
			}
		}
	}
	for i, s := range art.Segments {
		if pieced[s.ID] && trs[i].Status == pipeline.StatusTranslated {
			t.put(t.segmentKey(s.Text), trs[i].Text, trs[i].Warnings)
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

func isSegmentID(art *pipeline.Article, id string) bool {
	for _, s := range art.Segments {
		if s.ID == id {
			return true
		}
	}
	return false
}
