package translate

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"sync"

	"golang.org/x/sync/errgroup"

	"github.com/nl2en/nl2en/pipeline"
	"github.com/nl2en/nl2en/pipeline/check"
)

// segmentResult is what became of a segment to translate: its English
// and the warnings left on it, or why it has none. A segment sent in
// pieces keeps its units and their English, so that a repair asks again
// for the pieces at fault only.
type segmentResult struct {
	english  string
	failed   *issue
	warnings []string
	cached   bool
	units    []Unit
	pieces   []string // the English of each unit
	// names are the names the English renders, as the replies listed
	// them; pieceNames those of each unit.
	names      []pipeline.Name
	pieceNames [][]pipeline.Name
	// renamed is set for a segment from the cache whose names were
	// repaired to the article's forms: it is cached again.
	renamed bool
}

// joinUnits puts the English of every unit back together, a segment at
// a time, its pieces in order whatever order their replies came in:
// batches may come back in any order (replies through the Batch API
// first, the rest live). Segments the cache served are taken as they are.
func joinUnits(art *pipeline.Article, batches []Batch, got map[string]unitResult, cached map[string]cacheHit) []segmentResult {
	bySegment := map[string][]Unit{}
	for _, b := range batches {
		for _, u := range b.Units {
			bySegment[u.SegmentID] = append(bySegment[u.SegmentID], u)
		}
	}
	out := make([]segmentResult, len(art.Segments))
	for i, s := range art.Segments {
		if !s.NeedsTranslation() {
			continue
		}
		if h, ok := cached[s.ID]; ok {
			out[i] = segmentResult{english: h.english, warnings: h.warnings, cached: true, names: h.names}
			continue
		}
		us := bySegment[s.ID]
		slices.SortStableFunc(us, func(a, b Unit) int { return cmp.Compare(a.Piece, b.Piece) })
		r := segmentResult{units: us}
		for _, u := range us {
			g := got[u.ID]
			if g.failed != nil && r.failed == nil {
				r.failed = g.failed
			}
			r.pieces = append(r.pieces, g.english)
			r.pieceNames = append(r.pieceNames, g.names)
			r.names = addNames(r.names, g.names)
		}
		if len(us) == 0 {
			r.failed = &issue{cause: pipeline.CauseMissing, reason: "no request carried it"}
		}
		if r.failed == nil {
			r.english = joinPieces(slices.Clone(r.pieces))
		}
		out[i] = r
	}
	return out
}

// checkSegments is the article as the checks see it: each segment's
// Dutch, and its English as it stands (a kept segment's is its text, a
// failed one has none).
func checkSegments(art *pipeline.Article, segs []segmentResult) []check.Segment {
	out := make([]check.Segment, len(art.Segments))
	for i, s := range art.Segments {
		out[i] = check.Segment{Kind: s.Kind, Source: s.Text}
		switch {
		case !s.NeedsTranslation():
			out[i].English = s.Text
		case segs[i].failed == nil:
			out[i].English = segs[i].english
		}
	}
	return out
}

// review checks every segment translated now with the whole article at
// hand (see check.Article.Check), asks once again for those with
// problems, naming them, keeps a repaired English when it has fewer, and
// leaves what remains as the segments' warnings. A segment sent in
// pieces is checked whole, so that a quotation over two pieces is one
// quotation; its repair asks again for the pieces that hold what is
// wrong. Segments from the cache keep the warnings they were stored with.
func (t *Translator) review(ctx context.Context, art *pipeline.Article, segs []segmentResult, usage *usageLog) error {
	if t.cfg.Judge == nil {
		return nil
	}
	cs := checkSegments(art, segs)
	a := t.cfg.Judge.Article(cs)
	problems := map[int][]check.Problem{}
	for i, s := range art.Segments {
		if !s.NeedsTranslation() || segs[i].failed != nil || segs[i].cached {
			continue
		}
		if ps := a.Check(i); len(ps) > 0 {
			problems[i] = ps
		}
	}
	if len(problems) == 0 {
		return nil
	}
	var retry []Unit
	asks := map[string]string{}
	for i, ps := range problems {
		var msgs []string
		for _, p := range ps {
			msgs = append(msgs, p.Message)
		}
		t.log.Info("repairing segment", "article", art.Name, "id", art.Segments[i].ID, "problem", strings.Join(msgs, "; "))
		for _, u := range segs[i].units {
			if ask := askOf(u, segs[i].units, ps); ask != "" {
				retry = append(retry, u)
				asks[u.ID] = ask
			}
		}
	}
	fixed, err := t.repairUnits(ctx, art, retry, asks, nil, usage)
	if err != nil {
		return err
	}
	for i, ps := range problems {
		r := &segs[i]
		pieces := slices.Clone(r.pieces)
		pieceNames := slices.Clone(r.pieceNames)
		changed := false
		for k, u := range r.units {
			if a, ok := fixed[u.ID]; ok {
				pieces[k], pieceNames[k], changed = a.english, a.names, true
			}
		}
		if changed {
			candidate := joinPieces(slices.Clone(pieces))
			try := slices.Clone(cs)
			try[i].English = candidate
			if left := t.cfg.Judge.Article(try).Check(i); len(left) < len(ps) {
				r.english, r.pieces, r.pieceNames, ps = candidate, pieces, pieceNames, left
				r.names = nil
				for _, ns := range pieceNames {
					r.names = addNames(r.names, ns)
				}
				cs[i].English = candidate
			}
		}
		r.warnings = nil
		for _, p := range ps {
			r.warnings = append(r.warnings, p.Message)
		}
	}
	return nil
}

// askOf is what a repair request asks of unit u of a segment sent as us,
// whose problems are ps: all of them for a whole segment; for a piece,
// those whose source text it holds, and those that belong to no piece in
// particular (a quotation, a sentence left out). "" when none concerns
// it.
func askOf(u Unit, us []Unit, ps []check.Problem) string {
	var asks []string
	for _, p := range ps {
		mine := len(us) == 1 || p.Source == "" || strings.Contains(u.Text, p.Source)
		if !mine {
			nowhere := true
			for _, o := range us {
				nowhere = nowhere && !strings.Contains(o.Text, p.Source)
			}
			mine = nowhere
		}
		if mine {
			asks = append(asks, p.ForModel())
		}
	}
	return strings.Join(asks, "; ")
}

// repairUnits asks again for units, each told what was wrong with it
// (asks, by unit id), in document order, in as few requests as the token
// budget allows, sent at once; with names, each request also carries the
// names lines it gives for the request's text. A request the server
// refuses as too large leaves its units' English as it was. It returns
// the answers that came back, by unit id.
func (t *Translator) repairUnits(ctx context.Context, art *pipeline.Article, units []Unit, asks map[string]string, names func(text string) string, usage *usageLog) (map[string]answer, error) {
	slices.SortFunc(units, func(a, b Unit) int {
		return cmp.Compare(segmentIndex(art, a.SegmentID)*1000+a.Piece, segmentIndex(art, b.SegmentID)*1000+b.Piece)
	})
	fixed := map[string]answer{}
	var mu sync.Mutex
	g, gctx := errgroup.WithContext(ctx)
	for _, b := range pack(units, t.cfg.TokenBudget) {
		g.Go(func() error {
			sub := map[string]string{}
			var text strings.Builder
			for _, u := range b.Units {
				sub[u.ID] = asks[u.ID]
				text.WriteString(u.Text + "\n")
			}
			in := t.translationInput(art, b.Units, sub)
			if names != nil {
				in.Names = names(text.String())
			}
			resp, err := t.send(gctx, pipeline.RequestRepair, b.Units, in, usage)
			if err != nil {
				if splittable(err) {
					return nil // the English there is stays, with its warnings
				}
				return err
			}
			got, _ := t.accept(b.Units, resp)
			mu.Lock()
			defer mu.Unlock()
			for id, a := range got {
				fixed[id] = a
			}
			return nil
		})
	}
	return fixed, g.Wait()
}

func segmentIndex(art *pipeline.Article, id string) int {
	for i, s := range art.Segments {
		if s.ID == id {
			return i
		}
	}
	return len(art.Segments)
}
