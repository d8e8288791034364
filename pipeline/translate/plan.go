package translate

import (
	"strconv"

	openai "github.com/sashabaranov/go-openai"

	"strings"

	"github.com/nl2en/nl2en/pipeline"
	"github.com/nl2en/nl2en/pipeline/split"
)

// Unit is one item of a request: a whole segment, or one piece of a segment
// too long for a single batch.
type Unit struct {
	ID        string // the id sent: the segment's id, or "s7.2" for a piece
	SegmentID string // the segment it belongs to
	// Piece is the 1-based place of a piece in its segment, 0 for a whole
	// segment: pieces are put back together in this order, whatever order
	// their replies come in.
	Piece  int
	Text   string
	Tokens int
}

// Batch is the units sent in one translation request.
type Batch struct {
	Index  int // 1-based, in article order
	Units  []Unit
	Tokens int // source tokens of the units
	// reply, when set, is the batch's reply got through the Batch API.
	reply *openai.ChatCompletionResponse
}

// Plan packs an article's translatable segments into batches of at most
// budget source tokens, in document order. A segment over the budget is
// split at sentence boundaries into pieces that each fit (a single sentence
// over the budget stays whole: it cannot be split further).
func Plan(art *pipeline.Article, budget int, count func(string) int) []Batch {
	if budget <= 0 {
		budget = DefaultTokenBudget
	}
	var batches []Batch
	var cur Batch
	flush := func() {
		if len(cur.Units) > 0 {
			cur.Index = len(batches) + 1
			batches = append(batches, cur)
			cur = Batch{}
		}
	}
	add := func(u Unit) {
		if cur.Tokens+u.Tokens > budget {
			flush()
		}
		cur.Units = append(cur.Units, u)
		cur.Tokens += u.Tokens
	}
	for _, s := range art.Segments {
		if !s.NeedsTranslation() {
			continue
		}
		n := count(s.Text)
		if n <= budget {
			add(Unit{ID: s.ID, SegmentID: s.ID, Text: s.Text, Tokens: n})
			continue
		}
		for i, piece := range pieces(s.Text, budget, count) {
			add(Unit{
				ID:        s.ID + "." + strconv.Itoa(i+1),
				SegmentID: s.ID,
				Piece:     i + 1,
				Text:      strings.TrimSpace(piece),
				Tokens:    count(piece),
			})
		}
	}
	flush()
	return batches
}

// pieces groups a long text's sentences into runs of at most budget tokens.
// Joined, the pieces give back the text.
func pieces(text string, budget int, count func(string) int) []string {
	var out []string
	var b strings.Builder
	n := 0
	for _, sent := range split.Sentences(text) {
		k := count(sent)
		if n > 0 && n+k > budget {
			out = append(out, b.String())
			b.Reset()
			n = 0
		}
		b.WriteString(sent)
		n += k
	}
	if b.Len() > 0 {
		out = append(out, b.String())
	}
	return out
}

// UnitIDs returns the ids of every unit of an article, in document order,
// as Plan cuts them with the Translator's budget. They depend on the
// article's text and the budget only, not on how units are packed into
// batches or on what the cache holds, so ids named in a request sent
// earlier (through the Batch API) can be resolved against them later.
func (t *Translator) UnitIDs(art *pipeline.Article) []string {
	var ids []string
	for _, b := range t.Plan(art) {
		for _, u := range b.Units {
			ids = append(ids, u.ID)
		}
	}
	return ids
}

// joinPieces rejoins the English of a segment's pieces, in order.
func joinPieces(parts []string) string {
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	return strings.Join(parts, " ")
}
