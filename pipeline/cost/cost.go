package cost

import (
	"fmt"
	"maps"
	"math"
	"strings"
	"time"

	"github.com/nl2en/nl2en/pipeline"
)

// BatchFactor is what the Batch API charges as a fraction of the standard
// price, for input, cached input and output alike.
const BatchFactor = 0.5

// Price is what a model costs, in US dollars per million tokens.
type Price struct {
	InputPerM float64
	// CachedInputPerM is the rate for prompt tokens served from the prompt
	// cache. A model without a cache discount has it equal to InputPerM.
	CachedInputPerM float64
	OutputPerM      float64
}

// Batch returns the price through the Batch API.
func (p Price) Batch() Price {
	return Price{
		InputPerM:       p.InputPerM * BatchFactor,
		CachedInputPerM: p.CachedInputPerM * BatchFactor,
		OutputPerM:      p.OutputPerM * BatchFactor,
	}
}

// Flat returns the price of a model charged in and out without a cache
// discount, as --price-in and --price-out describe one: cached tokens are
// charged at the input rate, so the cost is never understated.
func Flat(in, out float64) Price {
	return Price{InputPerM: in, CachedInputPerM: in, OutputPerM: out}
}

// Validate reports a rate that is negative, infinite or not a number.
func (p Price) Validate() error {
	for _, r := range []struct {
		name string
		v    float64
	}{{"input", p.InputPerM}, {"cached input", p.CachedInputPerM}, {"output", p.OutputPerM}} {
		if math.IsNaN(r.v) || math.IsInf(r.v, 0) || r.v < 0 {
			return fmt.Errorf("%s price %v is not a non-negative number", r.name, r.v)
		}
	}
	return nil
}

// Table holds the prices of the models nl2en knows.
type Table struct {
	// Date is when the built-in prices were taken from OpenAI's pricing
	// page. Prices read from a file or set on the command line are as
	// recent as their user made them.
	Date time.Time
	// Source says where the prices came from, for the report.
	Source string
	// Prices maps a model name, lower case, to its price.
	Prices map[string]Price
}

// Default returns OpenAI's list prices for the standard tier, as they were
// on the table's Date. Each call returns a new table.
func Default() Table {
	return Table{
		Date:   time.Date(2025, time.August, 7, 0, 0, 0, 0, time.UTC),
		Source: "OpenAI list prices, standard tier",
		Prices: map[string]Price{
			"gpt-5":        {InputPerM: 1.25, CachedInputPerM: 0.125, OutputPerM: 10.00},
			"gpt-5-mini":   {InputPerM: 0.25, CachedInputPerM: 0.025, OutputPerM: 2.00},
			"gpt-5-nano":   {InputPerM: 0.05, CachedInputPerM: 0.005, OutputPerM: 0.40},
			"gpt-4.1":      {InputPerM: 2.00, CachedInputPerM: 0.50, OutputPerM: 8.00},
			"gpt-4.1-mini": {InputPerM: 0.40, CachedInputPerM: 0.10, OutputPerM: 1.60},
			"gpt-4.1-nano": {InputPerM: 0.10, CachedInputPerM: 0.025, OutputPerM: 0.40},
			"gpt-4o":       {InputPerM: 2.50, CachedInputPerM: 1.25, OutputPerM: 10.00},
			// The first gpt-4o snapshot kept its launch price and has no
			// cache discount; matched by exact name before the family.
			"gpt-4o-2024-05-13": {InputPerM: 5.00, CachedInputPerM: 5.00, OutputPerM: 15.00},
			"gpt-4o-mini":       {InputPerM: 0.15, CachedInputPerM: 0.075, OutputPerM: 0.60},
			"o3":                {InputPerM: 2.00, CachedInputPerM: 0.50, OutputPerM: 8.00},
			"o4-mini":           {InputPerM: 1.10, CachedInputPerM: 0.275, OutputPerM: 4.40},
			"o3-mini":           {InputPerM: 1.10, CachedInputPerM: 0.55, OutputPerM: 4.40},
			"o1":                {InputPerM: 15.00, CachedInputPerM: 7.50, OutputPerM: 60.00},
		},
	}
}

// normalize returns the table key for a model name: lower case, without
// OpenRouter's "openai/" route. Other routes are other providers, whose
// prices differ, and stay unknown.
func normalize(model string) string {
	name := strings.ToLower(strings.TrimSpace(model))
	return strings.TrimPrefix(name, "openai/")
}

// Lookup returns the price of model: by exact name, else by the name
// without its dated snapshot suffix. Fine-tuned models and other providers'
// models are not found.
func (t Table) Lookup(model string) (Price, bool) {
	name := normalize(model)
	if p, ok := t.Prices[name]; ok {
		return p, true
	}
	if base := withoutSnapshot(name); base != name {
		p, ok := t.Prices[base]
		return p, ok
	}
	return Price{}, false
}

// withoutSnapshot returns name without the date OpenAI appends to a pinned
// model version: gpt-4.1-mini-2025-04-14 → gpt-4.1-mini.
func withoutSnapshot(name string) string {
	const layout = "-2006-01-02"
	if len(name) <= len(layout) {
		return name
	}
	base, date := name[:len(name)-len(layout)], name[len(name)-len(layout):]
	for i := range len(layout) {
		if isDigit(layout[i]) != isDigit(date[i]) || !isDigit(layout[i]) && layout[i] != date[i] {
			return name
		}
	}
	return base
}

func isDigit(b byte) bool { return '0' <= b && b <= '9' }

// With returns a copy of t in which model costs p; t is left as it was.
// p is taken as given: check a price from flags with [Price.Validate] first.
func (t Table) With(model string, p Price) Table {
	prices := maps.Clone(t.Prices)
	if prices == nil {
		prices = make(map[string]Price)
	}
	prices[normalize(model)] = p
	t.Prices = prices
	return t
}

// Cost returns what usage u costs at price p, in US dollars. Cached prompt
// tokens, a part of the prompt tokens, are charged at the cached rate and
// the rest of the prompt at the input rate. Reasoning tokens are part of the
// completion tokens the API reports, and are charged as output.
func Cost(p Price, u pipeline.Usage) float64 {
	cached := min(max(u.CachedTokens, 0), max(u.PromptTokens, 0))
	uncached := max(u.PromptTokens, 0) - cached
	completion := max(u.CompletionTokens, 0)
	return (float64(uncached)*p.InputPerM +
		float64(cached)*p.CachedInputPerM +
		float64(completion)*p.OutputPerM) / 1e6
}

// Amount is a cost in US dollars that may be unknown. The zero Amount is
// unknown, so a cost nobody computed never shows as $0.
type Amount struct {
	USD   float64
	Known bool
}

// USD returns a known amount of v dollars; USD(0) starts a sum.
func USD(v float64) Amount {
	return Amount{USD: v, Known: true}
}

// Add returns the sum of a and b, unknown if either is.
func (a Amount) Add(b Amount) Amount {
	if !a.Known || !b.Known {
		return Amount{}
	}
	return USD(a.USD + b.USD)
}

// String returns [Format] of a.
func (a Amount) String() string {
	return Format(a)
}

// Format writes a as dollars to four decimals ("$0.0123"), "<$0.0001" for a
// known amount too small to show, and "unknown" when it is not known.
func Format(a Amount) string {
	switch {
	case !a.Known:
		return "unknown"
	case a.USD > 0 && a.USD < 0.00005:
		return "<$0.0001"
	default:
		return fmt.Sprintf("$%.4f", a.USD)
	}
}

// LineError is a line of a price file that could not be read.
type LineError struct {
	File string
	Line int
	Err  error
}

func (e *LineError) Error() string {
	return fmt.Sprintf("%s:%d: %v", e.File, e.Line, e.Err)
}

func (e *LineError) Unwrap() error { return e.Err }
