package cost

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeFile(t *testing.T, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "prices.csv")
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestLoadFile(t *testing.T) {
	path := writeFile(t, "\uFEFFModel, Input, Cached_Input, Output\n"+
		"# negotiated prices, checked 2026-11-01\n"+
		"\n"+
		"gpt-4o, 2.00, 1.00, 8.00\n"+
		"openai/GPT-5.1,1.25,0.125,10\n"+
		"llama3.1:8b,0.02,,0.05\n")
	tab, err := LoadFile(path)
	if err != nil {
		t.Fatalf("LoadFile: %v", err)
	}
	tests := []struct {
		model string
		want  Price
	}{
		{"gpt-4o", Price{2, 1, 8}},
		{"gpt-4o-2024-08-06", Price{2, 1, 8}},
		{"gpt-5.1", Price{1.25, 0.125, 10}},
		{"llama3.1:8b", Price{0.02, 0.02, 0.05}}, // no cached rate: cached costs input
		{"gpt-4.1", Default().Prices["gpt-4.1"]}, // defaults stay
	}
	for _, tt := range tests {
		if got, ok := tab.Lookup(tt.model); !ok || got != tt.want {
			t.Errorf("Lookup(%s) = %+v, %v; want %+v, true", tt.model, got, ok, tt.want)
		}
	}
	if !tab.Date.Equal(Default().Date) {
		t.Errorf("Date = %v, want the defaults' %v", tab.Date, Default().Date)
	}
	if !strings.Contains(tab.Source, path) {
		t.Errorf("Source = %q, want it to name %s", tab.Source, path)
	}
}

func TestLoadFileBadLine(t *testing.T) {
	const head = "model,input,cached_input,output\n"
	tests := []struct {
		name    string
		content string
		line    int
	}{
		{"not a number", head + "gpt-4o,2.50,1.25,10\ngpt-5,1.25,0.125,ten\n", 3},
		{"too few fields", head + "gpt-4o,2.50,10\n", 2},
		{"too many fields", head + "gpt-4o,2.50,1.25,10,5\n", 2},
		{"negative", head + "gpt-4o,-2.50,1.25,10\n", 2},
		{"NaN", head + "gpt-4o,NaN,1.25,10\n", 2},
		{"empty output", head + "gpt-4o,2.50,1.25,\n", 2},
		{"no model", head + " ,2.50,1.25,10\n", 2},
		{"duplicate", head + "gpt-4o,2.50,1.25,10\n# again\nOpenAI/gpt-4o,2,1,8\n", 4},
		{"bare quote", head + "gpt-4o,2\"50,1.25,10\n", 2},
		{"line after comments", "# prices\n\n" + head + "gpt-4o,x,1,1\n", 4},
		{"wrong header", "model,input,output\n", 1},
		{"no header", "gpt-4o,2.50,1.25,10\n", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeFile(t, tt.content)
			_, err := LoadFile(path)
			var le *LineError
			if !errors.As(err, &le) {
				t.Fatalf("LoadFile error = %v, want a *LineError", err)
			}
			if le.File != path || le.Line != tt.line {
				t.Errorf("error at %s:%d, want %s:%d (%v)", le.File, le.Line, path, tt.line, err)
			}
			if !strings.Contains(err.Error(), path) {
				t.Errorf("error %q does not name the file", err)
			}
		})
	}
}

func TestLoadFileEmpty(t *testing.T) {
	for _, content := range []string{"", "# only a comment\n\n"} {
		path := writeFile(t, content)
		_, err := LoadFile(path)
		if err == nil || !strings.Contains(err.Error(), path) {
			t.Errorf("LoadFile(%q) error = %v, want one naming the file", content, err)
		}
	}
}

func TestLoadFileMissing(t *testing.T) {
	_, err := LoadFile(filepath.Join(t.TempDir(), "nope.csv"))
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("LoadFile error = %v, want fs.ErrNotExist", err)
	}
}

func FuzzParse(f *testing.F) {
	f.Add("model,input,cached_input,output\ngpt-4o,2.5,1.25,10\n")
	f.Add("model,input,cached_input,output\n# c\nx,1,,2\n")
	f.Add("model,input,cached_input,output\n\"a,b\",1,1,1\n")
	f.Add("gpt-4o,2\"50\n")
	f.Fuzz(func(t *testing.T, content string) {
		prices, err := parse(strings.NewReader(content), "fuzz.csv")
		if err != nil {
			var le *LineError
			if errors.As(err, &le) && (le.File != "fuzz.csv" || le.Line < 1) {
				t.Errorf("LineError at %s:%d", le.File, le.Line)
			}
			return
		}
		for model, p := range prices {
			if model == "" || model != normalize(model) {
				t.Errorf("model %q is not normalized", model)
			}
			if err := p.Validate(); err != nil {
				t.Errorf("%s: %v", model, err)
			}
		}
	})
}
