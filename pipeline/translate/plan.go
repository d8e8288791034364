package translate

import (
	"strconv"

	openai "github.com/sashabaranov/go-openai"

	"strings"

	"github.com/nl2en/nl2en/pipeline"
	"github.com/nl2en/nl2en/pipeline/dutch"
)

// Unit is one item of a request: a whole segment, or one piece of a segment
// too long for a single batch.
type Unit struct {
	ID        string // the id sent: the segment's id, or "s7.2" for a piece
	SegmentID string // the segment it belongs to
	Kind      pipeline.Kind
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

// Plan packs an article's translatable segments into as few batches as
// the budget allows: each of at most budget source tokens, in document
// order. A segment over the budget is split at sentence boundaries into
// pieces that each fit (a single sentence over the budget stays whole: it
// cannot be split further). Every batch repeats the system prompt, so when
// the run has more articles than request slots, fewer batches is cheaper
// and no slower.
func Plan(art *pipeline.Article, budget int, count func(string) int) []Batch {
	if budget <= 0 {
		budget = DefaultTokenBudget
	}
	return pack(units(art, budget, count), budget)
}

// minSpreadTokens is the least source a batch gets when an article is
// spread for latency: a smaller one pays a whole system prompt for little.
const minSpreadTokens = 150

// Spread packs an article's units (cut as Plan cuts them) into up to
// slots batches of near-equal size, in document order and under the
// budget: when request slots are free, as for one article or a pipe,
// requests of equal length finish together, and the article takes as long
// as its longest request. It uses more batches than Plan only where each
// still holds at least minSpreadTokens.
func Spread(art *pipeline.Article, budget int, count func(string) int, slots int) []Batch {
	if budget <= 0 {
		budget = DefaultTokenBudget
	}
	us := units(art, budget, count)
	total, largest := 0, 0
	for _, u := range us {
		total += u.Tokens
		largest = max(largest, u.Tokens)
	}
	k := min(max(slots, 1), total/minSpreadTokens, len(us))
	k = max(k, len(pack(us, budget)))
	// The smallest capacity that packs into k batches, at most the budget.
	lo, hi := largest, max(budget, largest)
	for lo < hi {
		mid := (lo + hi) / 2
		if len(pack(us, mid)) <= k {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return pack(us, lo)
}

// units cuts an article's translatable segments into the units sent:
// whole segments, and the pieces of those over budget. The ids depend on
// the text and the budget only.
func units(art *pipeline.Article, budget int, count func(string) int) []Unit {
	var out []Unit
	for _, s := range art.Segments {
		if !s.NeedsTranslation() {
			continue
		}
		n := count(s.Text)
		if n <= budget {
			out = append(out, Unit{ID: s.ID, SegmentID: s.ID, Kind: s.Kind, Text: s.Text, Tokens: n})
			continue
		}
		for i, piece := range pieces(s.Text, budget, count) {
			out = append(out, Unit{
				ID:        s.ID + "." + strconv.Itoa(i+1),
				SegmentID: s.ID,
				Kind:      s.Kind,
				Piece:     i + 1,
				Text:      strings.TrimSpace(piece),
				Tokens:    count(piece),
			})
		}
	}
	return out
}

// pack puts units into batches in order, starting a new batch when the
// next unit would take the current one past capacity.
func pack(us []Unit, capacity int) []Batch {
	var batches []Batch
	var cur Batch
	for _, u := range us {
		if len(cur.Units) > 0 && cur.Tokens+u.Tokens > capacity {
			batches = append(batches, cur)
			cur = Batch{}
		}
		cur.Units = append(cur.Units, u)
		cur.Tokens += u.Tokens
	}
	if len(cur.Units) > 0 {
		batches = append(batches, cur)
	}
	for i := range batches {
		batches[i].Index = i + 1
	}
	return batches
}

// pieces groups a long text's sentences into runs of at most budget tokens.
// Joined, the pieces give back the text.
func pieces(text string, budget int, count func(string) int) []string {
	var out []string
	var b strings.Builder
	n := 0
	for _, sent := range dutch.Sentences(text) {
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
	for _, u := range units(art, t.cfg.TokenBudget, t.count) {
		ids = append(ids, u.ID)
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
