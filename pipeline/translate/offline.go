package translate

import (
	"cmp"
	"slices"
	"strconv"

	openai "github.com/sashabaranov/go-openai"

	"github.com/nl2en/nl2en/pipeline"
)

// Planned is one request of an article, built to be sent later through
// the Batch API.
type Planned struct {
	// Name is "b1", "b2", … for translation batches and "summary".
	Name string
	// Units are the ids the request translates; empty for the summary.
	Units   []string
	Request openai.ChatCompletionRequest
}

// Reply is the outcome of a Planned request sent through the Batch API.
type Reply struct {
	// Units are the ids the request translated, as in Planned; empty for
	// the summary.
	Units    []string
	Summary  bool
	Response *openai.ChatCompletionResponse // nil when the request failed
}

// Requests returns the requests an article needs, built in strict
// json_schema mode (batch servers are OpenAI's own): one per translation
// batch of the segments not in the cache, and the summary unless cached;
// none for an article already in English (see
// [pipeline.Article.EnglishOnly]), which is written as it is.
// Unit ids are stable for the same article and token budget, so replies
// can be matched to units however the article is planned again.
func (t *Translator) Requests(art *pipeline.Article) []Planned {
	if art.EnglishOnly {
		return nil
	}
	todo := withoutCached(art, t.fromCache(art))
	var out []Planned
	// Batch API requests wait for hours anyway: as few as the budget allows.
	for _, b := range Plan(todo, t.cfg.TokenBudget, t.count) {
		ids := make([]string, len(b.Units))
		for i, u := range b.Units {
			ids[i] = u.ID
		}
		out = append(out, Planned{
			Name:    "b" + strconv.Itoa(b.Index),
			Units:   ids,
			Request: t.translationRequest(art, b.Units, nil, pipeline.RequestTranslate, ModeJSONSchema),
		})
	}
	in := t.summaryInput(art, summaryInputTokens)
	if t.cfg.Cache != nil {
		if _, ok, _ := t.cfg.Cache.Get(t.summaryKey(in.Article)); ok {
			return out
		}
	}
	return append(out, Planned{Name: "summary", Request: t.summaryRequest(in, ModeJSONSchema)})
}

// matchReplies turns the usable replies into batches that carry them, and
// returns todo (art without the segments the cache holds) with only the
// segments no reply covers. A reply is used only when every unit it names
// is one of art's, so a source edited since the request was sent is
// translated anew; units of it that the cache holds by now (another copy
// of the article, collected alongside, may have cached them) are taken
// from the cache, and the reply is used for the rest of its units, never
// dropped for them: a reply that came back is never paid for again live.
func (t *Translator) matchReplies(art, todo *pipeline.Article, replies []Reply) ([]Batch, *pipeline.Article) {
	if len(replies) == 0 {
		return nil, todo
	}
	known := map[string]bool{}
	for _, u := range units(art, t.cfg.TokenBudget, t.count) {
		known[u.ID] = true
	}
	byID := map[string]Unit{}
	order := map[string]int{} // unit id → place in the article
	for _, u := range units(todo, t.cfg.TokenBudget, t.count) {
		byID[u.ID] = u
		order[u.ID] = len(order)
	}
	var batches []Batch
	covered := map[string]int{} // segment id → units covered
	for _, r := range replies {
		if r.Response == nil || r.Summary {
			continue
		}
		var us []Unit
		for _, id := range r.Units {
			if !known[id] {
				us = nil
				break
			}
			if u, ok := byID[id]; ok {
				us = append(us, u)
			}
		}
		if len(us) == 0 {
			continue
		}
		for _, u := range us {
			delete(byID, u.ID)
			covered[u.SegmentID]++
		}
		batches = append(batches, Batch{Units: us, reply: r.Response})
	}
	// A segment is left for live translation only when no reply covers any
	// of it; one split into pieces with some covered keeps its other
	// pieces in their own batch.
	rest := *todo
	rest.Segments = nil
	var leftover []Unit
	for _, s := range todo.Segments {
		if covered[s.ID] == 0 {
			rest.Segments = append(rest.Segments, s)
		}
	}
	for _, u := range byID {
		if covered[u.SegmentID] > 0 {
			leftover = append(leftover, u)
		}
	}
	if len(leftover) > 0 {
		// In article order: "s7.10" sorts before "s7.2" as a string.
		slices.SortFunc(leftover, func(a, b Unit) int { return cmp.Compare(order[a.ID], order[b.ID]) })
		batches = append(batches, Batch{Units: leftover})
	}
	return batches, &rest
}

// summaryReply returns the response to the summary request among replies,
// or nil.
func summaryReply(replies []Reply) *openai.ChatCompletionResponse {
	for _, r := range replies {
		if r.Summary && r.Response != nil {
			return r.Response
		}
	}
	return nil
}
