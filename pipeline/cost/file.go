package cost

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
)

// header is the first line a price file must have.
const header = "model,input,cached_input,output"

// LoadFile returns the default prices with those of the CSV file at path
// laid over them. The file's first line is the header
//
//	model,input,cached_input,output
//
// and each line after it prices one model in US dollars per million
// tokens, such as "gpt-4.1-mini,0.40,0.10,1.60". An empty cached_input
// means no cache discount: cached tokens cost the input rate. Blank lines
// and lines starting with # are skipped. Model names match as in
// [Table.Lookup], so a file can price a snapshot apart from its family.
//
// A line that cannot be read fails the whole file with a [*LineError].
func LoadFile(path string) (Table, error) {
	f, err := os.Open(path)
	if err != nil {
		return Table{}, fmt.Errorf("read prices: %w", err)
	}
	defer f.Close()
	prices, err := parse(f, path)
	if err != nil {
		return Table{}, fmt.Errorf("read prices: %w", err)
	}
	t := Default()
	for model, p := range prices {
		t = t.With(model, p)
	}
	t.Source += " with " + path
	return t, nil
}

// parse reads a price file; name is used in errors.
func parse(r io.Reader, name string) (map[string]Price, error) {
	cr := csv.NewReader(r)
	cr.Comment = '#'
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true

	prices := make(map[string]Price)
	seen := make(map[string]int) // model → line
	for first := true; ; first = false {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			if first {
				return nil, fmt.Errorf("%s: empty, want the header %s", name, header)
			}
			return prices, nil
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, &LineError{File: name, Line: pe.Line, Err: pe.Err}
			}
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		line, _ := cr.FieldPos(0)
		lineErr := func(format string, args ...any) error {
			return &LineError{File: name, Line: line, Err: fmt.Errorf(format, args...)}
		}

		if first {
			// A spreadsheet may save the file with a byte order mark.
			rec[0] = strings.TrimPrefix(rec[0], "\uFEFF")
			got := strings.ToLower(strings.Join(trimAll(rec), ","))
			if got != header {
				return nil, lineErr("header is %q, want %q", strings.Join(rec, ","), header)
			}
			continue
		}

		if len(rec) != 4 {
			return nil, lineErr("%d fields, want 4 (%s)", len(rec), header)
		}
		rec = trimAll(rec)
		model := normalize(rec[0])
		if model == "" {
			return nil, lineErr("no model name")
		}
		if prev, ok := seen[model]; ok {
			return nil, lineErr("model %s priced again (first on line %d)", model, prev)
		}
		seen[model] = line

		var p Price
		if p.InputPerM, err = parseRate("input", rec[1]); err != nil {
			return nil, lineErr("%w", err)
		}
		p.CachedInputPerM = p.InputPerM
		if rec[2] != "" {
			if p.CachedInputPerM, err = parseRate("cached_input", rec[2]); err != nil {
				return nil, lineErr("%w", err)
			}
		}
		if p.OutputPerM, err = parseRate("output", rec[3]); err != nil {
			return nil, lineErr("%w", err)
		}
		prices[model] = p
	}
}

// parseRate reads one price in dollars per million tokens.
func parseRate(field, s string) (float64, error) {
	if s == "" {
		return 0, fmt.Errorf("%s is empty", field)
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, fmt.Errorf("%s %q is not a number", field, s)
	}
	if v < 0 || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, fmt.Errorf("%s %q is not a price in dollars per million tokens", field, s)
	}
	return v, nil
}

func trimAll(fields []string) []string {
	out := make([]string, len(fields))
	for i, f := range fields {
		out[i] = strings.TrimSpace(f)
	}
	return out
}
