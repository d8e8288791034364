package translate

import (
	"github.com/nl2en/nl2en/pipeline"
	"github.com/nl2en/nl2en/pipeline/tokens"
)

// Estimate is what translating an article is expected to use, worked out
// before anything is sent.
type Estimate struct {
	Requests         int
	PromptTokens     int
	CompletionTokens int
	// CachedSegments counts the segments the cache holds: they cost
	// nothing and are left out of the requests.
	CachedSegments int
	// Usage splits the estimate by request kind, shaped like the usage
	// the API reports, so that both are priced the same way.
	Usage map[pipeline.RequestKind]pipeline.Usage
}

// English text of a Dutch news article runs at about nine tenths of the
// Dutch in tokens; the JSON around each segment adds a few more.
const (
	englishPerDutchToken = 0.9
	jsonTokensPerUnit    = 12
	jsonTokensPerReply   = 8
	summaryReplyTokens   = 160
	// tokensPerListedName is what the names a reply lists cost, for
	// each word of the source with a capital: a listed name {"nl": …,
	// "en": …} is about eight tokens, but most capitals open a sentence
	// or stand in a name of several words (the sample's 1,073
	// completion tokens grew by 252 with its names).
	tokensPerListedName = 2
)

// Estimate builds the requests an article needs, as they would be sent,
// and counts their prompt tokens with the model's tokenizer; completion
// tokens are the expected English length. Segments in the cache cost
// nothing and are left out. Repairs, retries and splits are not foreseen:
// they are rare, and the actual usage reports them.
func (t *Translator) Estimate(art *pipeline.Article) Estimate {
	e := Estimate{Usage: map[pipeline.RequestKind]pipeline.Usage{}}
	if art.EnglishOnly {
		return e // written as it is: nothing is sent
	}
	cached := t.fromCache(art)
	e.CachedSegments = len(cached)
	todo := withoutCached(art, cached)
	add := func(kind pipeline.RequestKind, prompt, completion int) {
		e.Requests++
		e.PromptTokens += prompt
		e.CompletionTokens += completion
		e.Usage[kind] = e.Usage[kind].Add(pipeline.Usage{Requests: 1, PromptTokens: prompt, CompletionTokens: completion})
	}
	for _, b := range t.Plan(todo) {
		in := t.translationInput(art, b.Units, nil)
		prompt := tokens.CountMessages(t.count, t.messages(t.sysTrans, in))
		completion := jsonTokensPerReply
		for _, u := range b.Units {
			completion += int(float64(u.Tokens)*englishPerDutchToken) + jsonTokensPerUnit + tokensPerListedName*capitalised(u.Text)
		}
		add(pipeline.RequestTranslate, prompt, completion)
	}
	input := t.summaryInput(art, summaryInputTokens)
	if t.cfg.Cache != nil {
		if _, ok, _ := t.cfg.Cache.Get(t.summaryKey(input.Article)); ok {
			return e
		}
	}
	add(pipeline.RequestSummary, tokens.CountMessages(t.count, t.messages(t.sysSummary, input)), summaryReplyTokens)
	return e
}
