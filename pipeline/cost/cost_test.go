package cost

import (
	"math"
	"testing"

	"github.com/nl2en/nl2en/pipeline"
)

func closeTo(got, want float64) bool {
	return math.Abs(got-want) <= 1e-12*math.Max(1, math.Abs(want))
}

func TestDefault(t *testing.T) {
	d := Default()
	if d.Date.IsZero() {
		t.Error("Default().Date is zero, want the date the prices were taken")
	}
	for _, model := range []string{
		"gpt-4.1", "gpt-4.1-mini", "gpt-4.1-nano", "gpt-4o", "gpt-4o-mini",
		"gpt-5", "gpt-5-mini", "gpt-5-nano", "o3", "o4-mini",
	} {
		if _, ok := d.Prices[model]; !ok {
			t.Errorf("Default() has no price for %s", model)
		}
	}
	for model, p := range d.Prices {
		if err := p.Validate(); err != nil {
			t.Errorf("%s: %v", model, err)
		}
		if p.InputPerM == 0 || p.OutputPerM == 0 {
			t.Errorf("%s: price %+v has a zero rate", model, p)
		}
		if p.CachedInputPerM > p.InputPerM {
			t.Errorf("%s: cached input %v costs more than input %v", model, p.CachedInputPerM, p.InputPerM)
		}
	}
	// Each call is a new table: changing one must not change the next.
	d.Prices["gpt-4o"] = Price{}
	if got := Default().Prices["gpt-4o"]; got == (Price{}) {
		t.Error("Default() returned a table changed through an earlier one")
	}
}

func TestLookup(t *testing.T) {
	d := Default()
	tests := []struct {
		model string
		want  Price
		ok    bool
	}{
		{"gpt-4.1-mini", d.Prices["gpt-4.1-mini"], true},
		{"gpt-4.1-mini-2025-04-14", d.Prices["gpt-4.1-mini"], true},
		{"gpt-4.1-2025-04-14", d.Prices["gpt-4.1"], true},
		{"gpt-5-2025-08-07", d.Prices["gpt-5"], true},
		{"openai/gpt-4o-mini", d.Prices["gpt-4o-mini"], true},
		{"OpenAI/GPT-4o-Mini-2024-07-18", d.Prices["gpt-4o-mini"], true},
		{" o3 ", d.Prices["o3"], true},
		{"gpt-4o-2024-08-06", d.Prices["gpt-4o"], true},
		{"gpt-4o-2024-05-13", Price{InputPerM: 5, CachedInputPerM: 5, OutputPerM: 15}, true},
		// Not a dated snapshot, another model: unknown, not its neighbour's price.
		{"gpt-5.1", Price{}, false},
		{"gpt-4o-audio-preview", Price{}, false},
		{"gpt-4.1-mini-2025", Price{}, false},
		{"gpt-4.1-mini-25-04-14", Price{}, false},
		{"ft:gpt-4o-mini-2024-07-18:acme::abc123", Price{}, false},
		{"azure/gpt-4o", Price{}, false},
		{"llama3.1:8b", Price{}, false},
		{"", Price{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.model, func(t *testing.T) {
			got, ok := d.Lookup(tt.model)
			if got != tt.want || ok != tt.ok {
				t.Errorf("Lookup = %+v, %v; want %+v, %v", got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestWith(t *testing.T) {
	d := Default()
	flat := Flat(0.2, 0.6)
	got := d.With("OpenAI/Llama-Translator", flat).With("gpt-4o", flat)

	if p, ok := got.Lookup("llama-translator"); !ok || p != flat {
		t.Errorf("Lookup(llama-translator) = %+v, %v; want %+v, true", p, ok, flat)
	}
	if p, _ := got.Lookup("gpt-4o-2024-08-06"); p != flat {
		t.Errorf("snapshot of an overridden model = %+v, want %+v", p, flat)
	}
	if _, ok := d.Lookup("llama-translator"); ok {
		t.Error("With changed the table it was called on")
	}
	if p := d.Prices["gpt-4o"]; p == flat {
		t.Error("With changed the price in the table it was called on")
	}
	if p, ok := (Table{}).With("m", flat).Lookup("m"); !ok || p != flat {
		t.Errorf("With on the zero Table: Lookup = %+v, %v; want %+v, true", p, ok, flat)
	}
}

func TestCost(t *testing.T) {
	gpt41 := Price{InputPerM: 2, CachedInputPerM: 0.5, OutputPerM: 8}
	mini := Price{InputPerM: 0.15, CachedInputPerM: 0.075, OutputPerM: 0.60}
	tests := []struct {
		name  string
		price Price
		usage pipeline.Usage
		want  float64
	}{
		{"nothing", gpt41, pipeline.Usage{}, 0},
		{"a million each way", gpt41, pipeline.Usage{PromptTokens: 1e6, CompletionTokens: 1e6}, 10},
		{"all cached", gpt41, pipeline.Usage{PromptTokens: 1e6, CachedTokens: 1e6}, 0.5},
		// 6000×0.15 + 4000×0.075 + 2000×0.60 = 900 + 300 + 1200 millionths
		{"part cached", mini, pipeline.Usage{Requests: 3, PromptTokens: 10000, CachedTokens: 4000, CompletionTokens: 2000}, 0.0024},
		{"cached above prompt counts as all cached", gpt41, pipeline.Usage{PromptTokens: 100, CachedTokens: 500}, 100 * 0.5 / 1e6},
		{"negative counts count as none", gpt41, pipeline.Usage{PromptTokens: -5, CachedTokens: -1, CompletionTokens: -3}, 0},
		{"batch", gpt41.Batch(), pipeline.Usage{PromptTokens: 1e6, CachedTokens: 5e5, CompletionTokens: 1e6}, (0.5*2 + 0.5*0.5 + 8) * BatchFactor},
		{"flat charges cached at input", Flat(1, 3), pipeline.Usage{PromptTokens: 1e6, CachedTokens: 1e6, CompletionTokens: 1e6}, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Cost(tt.price, tt.usage); !closeTo(got, tt.want) {
				t.Errorf("Cost = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestTableAmount(t *testing.T) {
	u := pipeline.Usage{Requests: 12, PromptTokens: 20000, CachedTokens: 8000, CompletionTokens: 5000}
	d := amounts{Default()}

	got := d.Amount("gpt-4.1-mini-2025-04-14", u)
	// 12000×0.40 + 8000×0.10 + 5000×1.60 = 4800 + 800 + 8000 millionths
	if !got.Known || !closeTo(got.USD, 0.0136) {
		t.Errorf("Amount(gpt-4.1-mini) = %+v, want known $0.0136", got)
	}
	if got := d.Amount("llama3.1:8b", u); got.Known {
		t.Errorf("Amount(llama3.1:8b) = %+v, want unknown", got)
	}
	if got := Format(d.Amount("llama3.1:8b", u)); got != "unknown" {
		t.Errorf("Format of an unknown model's cost = %q, want %q", got, "unknown")
	}
}

func TestAmountAdd(t *testing.T) {
	tests := []struct {
		name string
		a, b Amount
		want Amount
	}{
		{"known", USD(0.01), USD(0.02), USD(0.03)},
		{"from zero", USD(0), USD(0.5), USD(0.5)},
		{"unknown left", Amount{}, USD(1), Amount{}},
		{"unknown right", USD(1), Amount{}, Amount{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.a.Add(tt.b)
			if got.Known != tt.want.Known || !closeTo(got.USD, tt.want.USD) {
				t.Errorf("Add = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestFormat(t *testing.T) {
	tests := []struct {
		a    Amount
		want string
	}{
		{Amount{}, "unknown"},
		{Amount{USD: 0.5}, "unknown"}, // a value without Known is still unknown
		{USD(0), "$0.0000"},
		{USD(0.0123), "$0.0123"},
		{USD(0.01234), "$0.0123"},
		{USD(0.00001), "<$0.0001"},
		{USD(0.00006), "$0.0001"},
		{USD(12.5), "$12.5000"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			if got := Format(tt.a); got != tt.want {
				t.Errorf("Format(%+v) = %q, want %q", tt.a, got, tt.want)
			}
			if got := tt.a.String(); got != tt.want {
				t.Errorf("String() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestPriceValidate(t *testing.T) {
	tests := []struct {
		name  string
		price Price
		ok    bool
	}{
		{"list price", Price{2, 0.5, 8}, true},
		{"free", Price{}, true},
		{"negative input", Price{-1, 0, 1}, false},
		{"NaN cached", Price{1, math.NaN(), 1}, false},
		{"infinite output", Price{1, 1, math.Inf(1)}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.price.Validate(); (err == nil) != tt.ok {
				t.Errorf("Validate() = %v, want ok %v", err, tt.ok)
			}
		})
	}
}

// amounts prices usage of a model as nl2en does: unknown without a price.
type amounts struct{ Table }

func (t amounts) Amount(model string, u pipeline.Usage) Amount {
	p, ok := t.Lookup(model)
	if !ok {
		return Amount{}
	}
	return USD(Cost(p, u))
}
