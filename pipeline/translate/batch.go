package translate

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	openai "github.com/sashabaranov/go-openai"

	"github.com/nl2en/nl2en/pipeline"
	"github.com/nl2en/nl2en/pipeline/dutch"
	"github.com/nl2en/nl2en/pipeline/llm"
)

// issue is why no usable English came back for a unit: for people, for
// the model asked again, and as a value.
type issue struct {
	cause       pipeline.Cause
	reason      string
	instruction string
}

// unitResult is what became of a unit: its English and the names it
// renders, or why it has none.
type unitResult struct {
	english string
	names   []pipeline.Name
	failed  *issue
}

// answer is a unit's usable English in a reply, with the names the reply
// lists for it.
type answer struct {
	english string
	names   []pipeline.Name
}

// translateUnits translates units, splitting and repairing as needed. It
// returns what became of each unit, and an error only for failures no
// retry can mend (a bad key, an unreachable server, cancellation): those
// end the article.
func (t *Translator) translateUnits(ctx context.Context, art *pipeline.Article, units []Unit, usage *usageLog) (map[string]unitResult, error) {
	resp, err := t.request(ctx, pipeline.RequestTranslate, art, units, nil, usage)
	if err == nil && refusal(resp) != "" {
		err = &refusalError{msg: refusal(resp)}
	}
	if err != nil {
		if !splittable(err) {
			return nil, err
		}
		return t.splitAndRetry(ctx, art, units, err, usage)
	}
	return t.acceptAndRepair(ctx, art, units, resp, usage)
}

// acceptAndRepair checks a reply and sends the units it has no usable
// English for back, with what was wrong, up to maxRepairRounds times.
// What the content checks find is for the whole article, once every
// batch is back (see Translator.review).
func (t *Translator) acceptAndRepair(ctx context.Context, art *pipeline.Article, units []Unit, resp openai.ChatCompletionResponse, usage *usageLog) (map[string]unitResult, error) {
	got, problems := t.accept(units, resp)
	for round := 0; round < maxRepairRounds && len(problems) > 0; round++ {
		for id, p := range problems {
			t.log.Info("repairing segment", "article", art.Name, "id", id, "problem", p.reason)
		}
		retry := selectUnits(units, problems)
		resp, err := t.request(ctx, pipeline.RequestRepair, art, retry, instructions(problems), usage)
		if err != nil {
			if !splittable(err) {
				return nil, err
			}
			break
		}
		var fixed map[string]answer
		fixed, problems = t.accept(retry, resp)
		for id, a := range fixed {
			got[id] = a
		}
	}
	out := make(map[string]unitResult, len(units))
	for id, a := range got {
		out[id] = unitResult{english: a.english, names: a.names}
	}
	for id, p := range problems {
		out[id] = unitResult{failed: &p}
	}
	return out, nil
}

// instructions are what a repair request says of each unit's issue.
func instructions(problems map[string]issue) map[string]string {
	out := make(map[string]string, len(problems))
	for id, p := range problems {
		out[id] = p.instruction
	}
	return out
}

// splitAndRetry handles a batch the model would not take whole: two halves,
// or for a single unit its sentences.
func (t *Translator) splitAndRetry(ctx context.Context, art *pipeline.Article, units []Unit, cause error, usage *usageLog) (map[string]unitResult, error) {
	out := map[string]unitResult{}
	if len(units) > 1 {
		half := len(units) / 2
		t.log.Info("splitting batch", "article", art.Name, "units", len(units), "reason", cause.Error())
		for _, part := range [][]Unit{units[:half], units[half:]} {
			got, err := t.translateUnits(ctx, art, part, usage)
			if err != nil {
				return nil, err
			}
			for id, r := range got {
				out[id] = r
			}
		}
		return out, nil
	}
	u := units[0]
	var refused *refusalError
	if errors.As(cause, &refused) {
		out[u.ID] = unitResult{failed: &issue{cause: pipeline.CauseRefused, reason: "the model refused: " + refused.msg}}
		return out, nil
	}
	parts := pieces(u.Text, max(t.count(u.Text)/2, 1), t.count)
	if len(parts) < 2 {
		out[u.ID] = unitResult{failed: &issue{cause: pipeline.CauseTooLong,
			reason: "too long for the model, even alone and cut at its sentences: " + cause.Error()}}
		return out, nil
	}
	sub := make([]Unit, len(parts))
	for i, p := range parts {
		sub[i] = Unit{ID: u.ID + "." + strconv.Itoa(i+1), SegmentID: u.SegmentID, Kind: u.Kind, Text: strings.TrimSpace(p), Tokens: t.count(p)}
	}
	t.log.Info("splitting segment at sentences", "article", art.Name, "id", u.ID, "pieces", len(sub))
	got, err := t.translateUnits(ctx, art, sub, usage)
	if err != nil {
		return nil, err
	}
	english := make([]string, len(sub))
	var names []pipeline.Name
	for i, s := range sub {
		r := got[s.ID]
		if r.failed != nil {
			out[u.ID] = r
			return out, nil
		}
		english[i] = r.english
		names = addNames(names, r.names)
	}
	out[u.ID] = unitResult{english: joinPieces(english), names: names}
	return out, nil
}

type refusalError struct{ msg string }

func (e *refusalError) Error() string { return "the model refused: " + e.msg }

func refusal(resp openai.ChatCompletionResponse) string {
	if len(resp.Choices) == 0 {
		return ""
	}
	return strings.TrimSpace(resp.Choices[0].Message.Refusal)
}

// splittable reports whether a smaller request might succeed where this
// one failed.
func splittable(err error) bool {
	var r *refusalError
	return errors.Is(err, errTruncated) || errors.As(err, &r) ||
		llm.IsKind(err, llm.KindContextLength, llm.KindTooLarge)
}

func selectUnits[V any](units []Unit, want map[string]V) []Unit {
	var out []Unit
	for _, u := range units {
		if _, ok := want[u.ID]; ok {
			out = append(out, u)
		}
	}
	return out
}

// accept checks a reply against the units sent: every id back exactly
// once with English text that can count as a translation (see
// Judge.Reject). It returns the good translations, with the names each
// renders (see listedNames), and the issue of each unit that needs
// another try.
func (t *Translator) accept(units []Unit, resp openai.ChatCompletionResponse) (map[string]answer, map[string]issue) {
	got := map[string]answer{}
	problems := map[string]issue{}
	all := func(p issue) (map[string]answer, map[string]issue) {
		for _, u := range units {
			problems[u.ID] = p
		}
		return got, problems
	}
	if len(resp.Choices) == 0 {
		return all(issue{pipeline.CauseMissing, "the reply had no content", "the reply had no content"})
	}
	var out translationOutput
	if err := decodeReply(resp.Choices[0].Message.Content, &out); err != nil {
		return all(issue{pipeline.CauseMissing, "the reply was not the JSON asked for",
			"the previous reply was not valid JSON of the form {\"segments\": [{\"id\", \"text\"}]}"})
	}
	sent := map[string]Unit{}
	for _, u := range units {
		sent[u.ID] = u
	}
	seen := map[string]int{}
	for _, it := range out.Segments {
		u, ok := sent[it.ID]
		if !ok {
			continue // an id we did not send: ignore it, the sent ones are checked below
		}
		seen[it.ID]++
		if seen[it.ID] == 1 {
			en := strings.TrimSpace(it.Text)
			got[it.ID] = answer{english: en, names: listedNames(u.Text, en, it.Names)}
		}
	}
	for _, u := range units {
		en := got[u.ID].english
		switch {
		case seen[u.ID] == 0:
			problems[u.ID] = issue{pipeline.CauseMissing, "the replies lacked this segment", "the segment was missing from the reply"}
		case seen[u.ID] > 1:
			problems[u.ID] = issue{pipeline.CauseMissing, "the reply gave this segment more than once", "the segment came back more than once"}
		case en == "":
			problems[u.ID] = issue{pipeline.CauseMissing, "the reply's English for this segment was empty", "the translation came back empty"}
		case t.cfg.Judge != nil:
			r := t.cfg.Judge.Reject(u.Kind, u.Text, en)
			if r == nil {
				continue
			}
			problems[u.ID] = issue{r.Cause, r.Reason, r.Instruction}
		default:
			continue
		}
		delete(got, u.ID)
	}
	return got, problems
}

// request sends one translation or repair request for units.
func (t *Translator) request(ctx context.Context, kind pipeline.RequestKind, art *pipeline.Article, units []Unit, problems map[string]string, usage *usageLog) (openai.ChatCompletionResponse, error) {
	return t.send(ctx, kind, units, t.translationInput(art, units, problems), usage)
}

// send sends the translation or repair request of input in for units.
func (t *Translator) send(ctx context.Context, kind pipeline.RequestKind, units []Unit, in translationInput, usage *usageLog) (openai.ChatCompletionResponse, error) {
	build := func(m Mode) openai.ChatCompletionRequest {
		return t.buildTranslation(in, units, kind, m)
	}
	resp, err := t.call(ctx, kind, build, func() int { return t.translationPrompt(in, units, kind) }, usage)
	if err != nil {
		return resp, err
	}
	if len(resp.Choices) > 0 && resp.Choices[0].FinishReason == openai.FinishReasonLength {
		return resp, errTruncated
	}
	return resp, nil
}

// translationRequest builds the request for units in a JSON mode.
func (t *Translator) translationRequest(art *pipeline.Article, units []Unit, problems map[string]string, kind pipeline.RequestKind, m Mode) openai.ChatCompletionRequest {
	return t.buildTranslation(t.translationInput(art, units, problems), units, kind, m)
}

// buildTranslation builds the request of input in for units in a JSON
// mode.
func (t *Translator) buildTranslation(in translationInput, units []Unit, kind pipeline.RequestKind, m Mode) openai.ChatCompletionRequest {
	tokens := 0
	for _, u := range units {
		tokens += u.Tokens
	}
	system, name := t.sysTrans, "translation"
	if kind == pipeline.RequestRepair {
		system, name = t.sysRepair, "repair"
	}
	req := openai.ChatCompletionRequest{
		Model:          t.cfg.Model,
		Messages:       t.messages(system, in),
		ResponseFormat: responseFormat(m, name, translationSchema()),
	}
	// English runs at about nine tenths of the Dutch in tokens; 1.5 times
	// the source plus the JSON around it is ample for a faithful
	// translation, and no larger, since rate limits charge the allowance.
	// Each name the reply lists costs about ten tokens more, a part of
	// which the allowance's slack covers. A reply cut off at it is split
	// and sent again.
	names := 0
	for _, u := range units {
		names += capitalised(u.Text)
	}
	setMaxTokens(&req, tokens*3/2+64+16*len(units)+8*names)
	return req
}

// capitalised counts the different words of text that start with a
// capital inside a sentence: about the most names a reply lists for it.
func capitalised(text string) int {
	seen := map[string]bool{}
	start := true
	for _, f := range strings.Fields(text) {
		w := strings.TrimFunc(f, func(r rune) bool { return !unicode.IsLetter(r) })
		if r, _ := utf8.DecodeRuneInString(w); !start && unicode.IsUpper(r) {
			seen[w] = true
		}
		last, _ := utf8.DecodeLastRuneInString(f)
		start = strings.ContainsRune(".!?:", last)
	}
	return len(seen)
}

// JSON tokens around what a request carries, in o200k: an item
// {"id":"s12","text":"…"} adds 9 to its text, a message 3 and its role 1,
// the reply's priming 3.
const (
	jsonPerItem   = 9
	jsonPerField  = 5
	promptFraming = 2*(3+1) + 3
	jsonEnvelope  = 4
)

// translationPrompt is about what a translation or repair request's prompt
// counts: the system prompt, counted once, the units' tokens, counted when
// they were planned, and the context, glossary and problems, with the JSON
// around them. It is within a few per cent of counting the whole request,
// at a small part of the cost, which on a large run is most of nl2en's
// own work; it paces the run and tells a cut prompt (see promptCut), for
// which that is close enough.
func (t *Translator) translationPrompt(in translationInput, units []Unit, kind pipeline.RequestKind) int {
	n := promptFraming + jsonEnvelope + t.sysTokens()[kind]
	for _, u := range units {
		n += u.Tokens + jsonPerItem
	}
	if c := in.Context; c != nil {
		n += t.count(c.Before) + t.count(c.After) + 2*jsonPerField
	}
	if st := in.Story; st != nil {
		n += t.count(st.Headline) + t.count(st.Lead) + 2*jsonPerField
	}
	for _, s := range []string{in.Glossary, in.Names, in.Style} {
		if s != "" {
			n += t.count(s) + jsonPerField
		}
	}
	for id, p := range in.Problems {
		n += t.count(id) + t.count(p) + jsonPerField
	}
	return n
}

// translationInput is the user message of a request for units: the
// article's headline and lead (unless the units hold them), the Dutch
// text around them, the glossary entries, names and house style they
// need, and the units.
func (t *Translator) translationInput(art *pipeline.Article, units []Unit, problems map[string]string) translationInput {
	in := translationInput{Context: contextFor(art, units), Problems: problems}
	in.Story = storyFor(art, units, in.Context)
	var all strings.Builder
	for _, u := range units {
		in.Segments = append(in.Segments, item{ID: u.ID, Text: u.Text})
		all.WriteString(u.Text)
		all.WriteByte('\n')
	}
	text := all.String()
	if t.cfg.Judge != nil {
		in.Glossary = glossaryLines(t.cfg.Judge.Terms(text))
		in.Style = styleLines(t.cfg.Judge.StyleLines(text))
	}
	in.Names = nameLines(t.memoryNames(text))
	return in
}

// memoryNames are the names of the memory that text holds, but for the
// glossary's terms: the glossary, a layer above, already says those.
func (t *Translator) memoryNames(text string) []pipeline.Name {
	var out []pipeline.Name
	for _, e := range t.cfg.Names.Matching(text) {
		if t.cfg.Judge != nil {
			if _, ok := t.cfg.Judge.Term(e.Dutch); ok {
				continue
			}
		}
		out = append(out, pipeline.Name{Dutch: e.Dutch, English: e.English})
	}
	return out
}

// storyFor gives a batch the article's headline and lead sentence, as
// they stand in Dutch, those it does not hold itself: neither is sent
// when the batch holds it, nor the lead when the context already gives
// it. Nil when there is nothing to add.
func storyFor(art *pipeline.Article, units []Unit, c *batchContext) *story {
	holds := map[string]bool{}
	for _, u := range units {
		if u.Piece <= 1 {
			holds[u.SegmentID] = true
		}
	}
	var st story
	lead := false
	for _, s := range art.Segments {
		switch {
		case s.Kind == pipeline.KindTitle && st.Headline == "" && !holds[s.ID]:
			st.Headline = head(s.Text, contextChars)
		case s.Kind == pipeline.KindParagraph && !lead && s.NeedsTranslation():
			lead = true
			if !holds[s.ID] {
				st.Lead = head(firstSentence(s.Text), contextChars)
			}
		}
	}
	if c != nil && st.Lead != "" && strings.Contains(c.Before+c.After, strings.TrimSuffix(st.Lead, "…")) {
		st.Lead = ""
	}
	if st.Headline == "" && st.Lead == "" {
		return nil
	}
	return &st
}

// contextFor gives a batch the Dutch text just before and after it: the
// nearest segments that are translated, so that page furniture ("Deel dit
// artikel") and posts kept in English are never paid for as context.
func contextFor(art *pipeline.Article, units []Unit) *batchContext {
	first, last := units[0].SegmentID, units[len(units)-1].SegmentID
	var c batchContext
	for i, s := range art.Segments {
		if s.ID == first {
			for j := i - 1; j >= 0; j-- {
				if art.Segments[j].NeedsTranslation() {
					c.Before = tail(lastSentence(art.Segments[j].Text), contextChars)
					break
				}
			}
		}
		if s.ID == last {
			for j := i + 1; j < len(art.Segments); j++ {
				if art.Segments[j].NeedsTranslation() {
					c.After = head(firstSentence(art.Segments[j].Text), contextChars)
					break
				}
			}
		}
	}
	if c.Before == "" && c.After == "" {
		return nil
	}
	return &c
}

// lastSentence and firstSentence are what a batch needs of its
// neighbours: the sentence that leads into it, the one that follows.
func lastSentence(s string) string {
	ss := dutch.Sentences(s)
	if len(ss) == 0 {
		return s
	}
	return strings.TrimSpace(ss[len(ss)-1])
}

func firstSentence(s string) string {
	ss := dutch.Sentences(s)
	if len(ss) == 0 {
		return s
	}
	return strings.TrimSpace(ss[0])
}

func head(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

func tail(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return "…" + string(r[len(r)-n:])
}
