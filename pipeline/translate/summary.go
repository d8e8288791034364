package translate

import (
	"context"
	"encoding/json"
	"errors"
	"strings"

	openai "github.com/sashabaranov/go-openai"

	"github.com/nl2en/nl2en/pipeline"
	"github.com/nl2en/nl2en/pipeline/llm"
)

// minSummaryTokens is the least of the article a summary is written
// from: a server whose context cannot hold that much cannot summarise.
const minSummaryTokens = 300

// summaryInput is the user message of a summary request: the Dutch
// article, one part a line, up to a token limit; and for a repair, the
// earlier summary and what was wrong with it.
type summaryInput struct {
	Article string `json:"article"`
	// Style are the house style's lines the article may need.
	Style    string            `json:"style,omitempty"`
	Previous *pipeline.Summary `json:"previous,omitempty"`
	Problems []string          `json:"problems,omitempty"`
	// parts are the texts Article is made of, one a line, so that its
	// tokens are the sum of theirs, counted once for the article.
	parts []string
}

// SummaryError is returned when no usable summary could be had: the
// replies were not the JSON asked for, a refusal, not English text
// (which would have become the title of the article), or about another
// article. Problems say what was wrong, for people.
type SummaryError struct {
	Article  string
	Problems []string
}

func (e *SummaryError) Error() string {
	return "no usable summary: " + strings.Join(e.Problems, "; ")
}

// summaryInput gives the article's text for a summary within limit tokens.
// An article that fits goes whole. One that does not keeps what says most
// first: the title, the lead (the first paragraph) and every heading, then
// the other paragraphs in order while they fit; all in document order.
func (t *Translator) summaryInput(art *pipeline.Article, limit int) summaryInput {
	type part struct {
		text   string
		tokens int
		first  bool // title, lead, heading
	}
	// No token is shorter than a byte: an article of no more bytes than
	// the limit fits without counting its tokens, which is most of them.
	bytes := 0
	for _, s := range art.Segments {
		bytes += len(s.Text) + 1
	}
	count := t.count
	if bytes <= limit {
		count = func(string) int { return 0 }
	}
	var parts []part
	total, lead := 0, false
	for _, s := range art.Segments {
		if s.Kind == pipeline.KindFurniture {
			continue
		}
		p := part{text: s.Text, tokens: count(s.Text) + 1}
		switch s.Kind {
		case pipeline.KindTitle, pipeline.KindHeading:
			p.first = true
		case pipeline.KindParagraph:
			if !lead {
				p.first, lead = true, true
			}
		}
		parts = append(parts, p)
		total += p.tokens
	}
	keep := make([]bool, len(parts))
	used := 0
	// The title, lead and headings first, then the rest; a part that no
	// longer fits is passed over for a shorter one after it.
	for _, first := range []bool{true, false} {
		for i, p := range parts {
			if keep[i] || (total > limit && (p.first != first || used+p.tokens > limit)) {
				continue
			}
			keep[i], used = true, used+p.tokens
		}
	}
	var b strings.Builder
	var kept []string
	for i, p := range parts {
		if keep[i] {
			b.WriteString(p.text)
			b.WriteByte('\n')
			kept = append(kept, p.text)
		}
	}
	in := summaryInput{Article: strings.TrimSpace(b.String()), parts: kept}
	if t.cfg.Judge != nil {
		in.Style = styleLines(t.cfg.Judge.StyleLines(in.Article))
	}
	return in
}

// summaryPrompt is about what a summary request's prompt counts (see
// translationPrompt).
func (t *Translator) summaryPrompt(in summaryInput) int {
	n := promptFraming + jsonEnvelope + t.sysTokens()[pipeline.RequestSummary]
	for _, p := range in.parts {
		n += t.count(p) + 1 // the line's end
	}
	if in.Previous != nil {
		b, _ := json.Marshal(in.Previous)
		n += t.count(string(b)) + jsonPerField
	}
	for _, p := range in.Problems {
		n += t.count(p) + 1
	}
	if in.Style != "" {
		n += t.count(in.Style) + jsonPerField
	}
	return n
}

// summaryRequest builds the summary request in a JSON mode.
func (t *Translator) summaryRequest(in summaryInput, m Mode) openai.ChatCompletionRequest {
	req := openai.ChatCompletionRequest{
		Model:          t.cfg.Model,
		Messages:       t.messages(t.sysSummary, in),
		ResponseFormat: responseFormat(m, "summary", summarySchema),
	}
	setMaxTokens(&req, 450) // 60 words and five points in JSON use about 250
	return req
}

// summaryDraft is a summary as it came back, before it is checked
// against the translated article.
type summaryDraft struct {
	s pipeline.Summary
	// in is the input it was written from (less than the article, for a
	// server whose context cannot hold it all), and key its cache key.
	in  summaryInput
	key string
	// cached is set for a summary the cache served: it was checked when
	// it was stored.
	cached bool
	// sent and got are nl2en's and the server's counts of the prompt of
	// the request that wrote it, judged again once the server has shown
	// how it counts (see Translator.judgeCut).
	sent, got int
}

// draftSummary writes the summary, from first (a reply got through the
// Batch API) when it is given and usable, else live. A server whose
// context cannot hold the article is sent less of it.
func (t *Translator) draftSummary(ctx context.Context, art *pipeline.Article, first *openai.ChatCompletionResponse, usage *usageLog) (summaryDraft, error) {
	in := t.summaryInput(art, summaryInputTokens)
	d := summaryDraft{in: in, key: t.summaryKey(in.Article)}
	if t.cfg.Cache != nil {
		if e, ok, _ := t.cfg.Cache.Get(d.key); ok {
			var s pipeline.Summary
			if json.Unmarshal([]byte(e.Text), &s) == nil && s.Title != "" {
				d.s, d.cached = s, true
				return d, nil
			}
		}
	}
	if first != nil {
		if s, err := parseSummary(*first); err == nil {
			d.s = s
			return d, nil
		}
	}
	w, err := t.writeSummary(ctx, art, in, usage)
	d.s, d.in, d.sent, d.got = w.s, w.in, w.sent, w.got
	return d, err
}

// finishSummary checks a summary against the translated article, its
// Dutch and its English (see check.Article.ReviewSummary): what the
// checks find gets one repair request, and what remains becomes the
// summary's warnings, unless the summary is not English text at all or
// not about the article, which fails the article, as any warning left
// does in strict mode. Facts are checked
// against the whole article, whatever part of it a small context left
// the summary to be written from.
func (t *Translator) finishSummary(ctx context.Context, art *pipeline.Article, d summaryDraft, segs []segmentResult, held heldNames, usage *usageLog) (pipeline.Summary, error) {
	if d.cached || t.cfg.Judge == nil {
		if !d.cached {
			t.putSummary(d.key, d.s)
		}
		return d.s, nil
	}
	if cut, _ := t.judgeCut(d.sent, d.got); cut {
		// The server's counts of the batches show that it cut the
		// summary's prompt: it is asked again with less of the article.
		err := t.cutError(d.sent, d.got)
		have := t.count(d.in.Article)
		if have/2 >= minSummaryTokens {
			t.log.Info("shortening the summary's input", "article", art.Name, "tokens", have/2, "reason", err.Error())
			w, werr := t.writeSummary(ctx, art, t.summaryInput(art, have/2), usage)
			if werr != nil {
				return pipeline.Summary{}, werr
			}
			d.s, d.in = w.s, w.in
		}
	}
	a := t.cfg.Judge.Article(checkSegments(art, segs))
	r := a.ReviewSummary(d.s)
	s := d.s
	s.KeyPoints = r.KeyPoints
	problems, unusable := append(r.Problems, held.summaryProblems(s)...), r.Unusable
	if len(problems) > 0 {
		for _, p := range problems {
			t.log.Info("repairing summary", "article", art.Name, "problem", p.Message)
		}
		prev := s
		repair := d.in
		repair.Previous = &prev
		repair.Problems = nil
		for _, p := range problems {
			repair.Problems = append(repair.Problems, p.ForModel())
		}
		w, err := t.writeSummary(ctx, art, repair, usage)
		fixed := w.s
		if err != nil && !splittable(err) && !isParseFailure(err) {
			return pipeline.Summary{}, err
		}
		if err == nil {
			r2 := a.ReviewSummary(fixed)
			fixed.KeyPoints = r2.KeyPoints
			p2 := append(r2.Problems, held.summaryProblems(fixed)...)
			if !r2.Unusable && (unusable || len(p2) <= len(problems)) {
				s = fixed
				problems, unusable = p2, r2.Unusable
			}
		}
	}
	var msgs []string
	for _, p := range problems {
		msgs = append(msgs, p.Message)
	}
	if unusable || t.cfg.Strict && len(msgs) > 0 {
		return pipeline.Summary{}, &SummaryError{Article: art.Name, Problems: msgs}
	}
	s.Warnings = msgs
	t.putSummary(d.key, s)
	return s, nil
}

// writeSummary asks for a summary of in, asking once more after a reply
// that does not parse, is cut off or is a refusal, and sending less of
// the article to a server whose
// context cannot hold it: the title, lead and headings are kept longest.
// It returns the summary, the input it was written from, and the
// prompt's tokens as nl2en and the server counted them.
func (t *Translator) writeSummary(ctx context.Context, art *pipeline.Article, in summaryInput, usage *usageLog) (written, error) {
	var last error
	for try := 0; try < 2; {
		build := func(m Mode) openai.ChatCompletionRequest { return t.summaryRequest(in, m) }
		resp, err := t.call(ctx, pipeline.RequestSummary, build, func() int { return t.summaryPrompt(in) }, usage)
		if llm.IsKind(err, llm.KindContextLength, llm.KindTooLarge) {
			have := t.count(in.Article)
			if have/2 < minSummaryTokens {
				return written{in: in}, err
			}
			t.log.Info("shortening the summary's input", "article", art.Name, "tokens", have/2, "reason", err.Error())
			shorter := t.summaryInput(art, have/2)
			shorter.Previous, shorter.Problems = in.Previous, in.Problems
			in = shorter
			continue
		}
		if err != nil {
			return written{in: in}, err
		}
		s, err := parseSummary(resp)
		if err == nil {
			return written{s: s, in: in, sent: t.summaryPrompt(in), got: resp.Usage.PromptTokens}, nil
		}
		// A refusal, or a reply cut off or not the JSON asked for, is
		// asked once more before the article fails.
		last = err
		try++
		if try < 2 {
			t.log.Info("asking for the summary again", "article", art.Name, "reason", err.Error())
		}
	}
	return written{in: in}, &SummaryError{Article: art.Name, Problems: []string{last.Error()}}
}

// written is a summary and how it was written.
type written struct {
	s         pipeline.Summary
	in        summaryInput
	sent, got int
}

// isParseFailure reports a summary that could not be had from replies that
// came back.
func isParseFailure(err error) bool {
	var se *SummaryError
	return errors.As(err, &se)
}

func (t *Translator) putSummary(key string, s pipeline.Summary) {
	if t.cfg.Cache != nil {
		b, _ := json.Marshal(s)
		t.put(key, string(b), nil, nil)
	}
}

// parseSummary checks and tidies a summary reply.
func parseSummary(resp openai.ChatCompletionResponse) (pipeline.Summary, error) {
	if len(resp.Choices) == 0 {
		return pipeline.Summary{}, errors.New("the reply had no content")
	}
	if r := refusal(resp); r != "" {
		return pipeline.Summary{}, &refusalError{msg: r}
	}
	var s pipeline.Summary
	if err := decodeReply(resp.Choices[0].Message.Content, &s); err != nil {
		return s, err
	}
	s.Title = strings.TrimSpace(s.Title)
	s.Summary = strings.TrimSpace(s.Summary)
	s.Warnings = nil // the model's to write no more than the rest
	points := s.KeyPoints[:0]
	for _, p := range s.KeyPoints {
		if p = strings.TrimSpace(p); p != "" {
			points = append(points, p)
		}
	}
	s.KeyPoints = points
	if s.Title == "" || s.Summary == "" || len(s.KeyPoints) == 0 {
		return s, errors.New("the reply lacked a title, a summary or key points")
	}
	return s, nil
}
