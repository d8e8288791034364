package job

import (
	"context"
	"errors"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/nl2en/nl2en/pipeline"
	"github.com/nl2en/nl2en/pipeline/runner"
	"github.com/nl2en/nl2en/pipeline/split"
	"github.com/nl2en/nl2en/pipeline/tokens"
	"github.com/nl2en/nl2en/pipeline/translate"
)

// Inspection is how one article splits and would be sent: what
// `nl2en inspect` shows. Nothing is sent to make it.
type Inspection struct {
	File      string              `json:"file"`
	Format    string              `json:"format"`
	SHA256    string              `json:"sha256"`
	Batches   int                 `json:"batches"`
	Tokens    int                 `json:"tokens"`
	Estimated bool                `json:"tokens_estimated"`
	Segments  []InspectionSegment `json:"segments"`
}

// InspectionSegment is one segment of an [Inspection].
type InspectionSegment struct {
	ID             string  `json:"id"`
	Kind           string  `json:"kind"`
	Lang           string  `json:"lang"`
	LangConfidence float64 `json:"lang_confidence"`
	Tokens         int     `json:"tokens"`
	Batch          []int   `json:"batch"` // request batches; empty when not sent
	Text           string  `json:"text"`
}

// Inspect splits each input ("-" reads stdin) and plans its requests with
// the settings' model, token budget and concurrency, as translate would:
// one article is spread over the request slots, several are packed. An input that cannot be read or
// split is passed to onError, and the rest go on.
func Inspect(ctx context.Context, s Settings, inputs []string, stdin io.Reader, onError func(error)) ([]Inspection, error) {
	s = s.Defaults()
	if err := s.ValidatePlanning(); err != nil {
		return nil, err
	}
	sp := split.New()
	counter := tokens.ForModel(s.Model)
	var all []Inspection
	for _, in := range inputs {
		if err := ctx.Err(); err != nil {
			return all, err
		}
		data, err := runner.ReadInput(ctx, in, stdin, s.MaxBytes)
		if err == nil {
			var art *pipeline.Article
			art, err = sp.Split(ctx, in, data, split.Options{Format: s.InputFormat, MaxBytes: s.MaxBytes})
			if err == nil {
				batches := translate.Plan(art, s.TokenBudget, counter.Count)
				if OneArticle(inputs) {
					// As a run of this one article would send it.
					batches = translate.Spread(art, s.TokenBudget, counter.Count, max(s.Concurrency-1, 1))
				}
				all = append(all, describe(art, batches, counter))
				continue
			}
		}
		onError(err)
	}
	return all, nil
}

func describe(art *pipeline.Article, batches []translate.Batch, counter *tokens.Counter) Inspection {
	where := map[string][]int{}
	for _, b := range batches {
		for _, u := range b.Units {
			w := where[u.SegmentID]
			if len(w) == 0 || w[len(w)-1] != b.Index {
				where[u.SegmentID] = append(w, b.Index)
			}
		}
	}
	a := Inspection{File: art.Name, Format: string(art.Format), SHA256: art.SHA256, Batches: len(batches), Estimated: !counter.Exact()}
	for _, seg := range art.Segments {
		n := counter.Count(seg.Text)
		a.Tokens += n
		b := where[seg.ID]
		if b == nil {
			b = []int{}
		}
		a.Segments = append(a.Segments, InspectionSegment{
			ID: seg.ID, Kind: string(seg.Kind), Lang: seg.Lang, LangConfidence: seg.LangConfidence,
			Tokens: n, Batch: b, Text: seg.Text,
		})
	}
	return a
}

// WriteInspections writes inspections to w in format "table" (or "")
// or "json"; another format is a [*SettingError].
func WriteInspections(w io.Writer, all []Inspection, format string) error {
	switch format {
	case "json":
		return encodeJSON(w, all)
	case "table", "":
		var err error
		for _, a := range all {
			err = errors.Join(err, a.WriteTable(w))
		}
		return err
	}
	return &SettingError{Setting: SettingFormat, Value: fmt.Sprintf("%q", format), Problem: "is not an inspect format: use table or json"}
}

// WriteTable writes the inspection as a table: a head line, then one row
// a segment with its id, kind, language, tokens, batches ("kept" when it
// is not sent) and the start of its text.
func (a Inspection) WriteTable(w io.Writer) error {
	est := ""
	if a.Estimated {
		est = " (estimated)"
	}
	fmt.Fprintf(w, "%s  %s  %s, %s%s, %s\n", a.File, a.Format, runner.NOf(len(a.Segments), "segment"),
		runner.NOf(a.Tokens, "token"), est, runner.NOf(a.Batches, "request batch"))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tKIND\tLANG\tTOKENS\tBATCH\tTEXT")
	for _, s := range a.Segments {
		batch := "kept"
		if len(s.Batch) > 0 {
			batch = fmt.Sprint(s.Batch[0])
			for _, b := range s.Batch[1:] {
				batch += fmt.Sprintf(",%d", b)
			}
		}
		lang := s.Lang
		if lang != "" {
			lang = fmt.Sprintf("%s %.2f", s.Lang, s.LangConfidence)
		}
		text := []rune(s.Text)
		if len(text) > 60 {
			text = append(text[:59], '…')
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\t%s\n", s.ID, s.Kind, lang, s.Tokens, batch, string(text))
	}
	tw.Flush()
	_, err := fmt.Fprintln(w)
	return err
}
