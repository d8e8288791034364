package translate_test

import (
	"context"
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"testing"

	"github.com/nl2en/nl2en/pipeline/openaitest"
	"github.com/nl2en/nl2en/pipeline/translate"
)

// Targets of prompt tokens per source token, both counted as the fake
// server counts them (bytes ÷ 4): what a run pays in system prompts,
// context, glossary, JSON and the summary's reading of the article, over
// the article itself. Reading it twice (to translate and to summarise) is
// the floor, about 2.
//
// The targets hold for an article the size of the sample (the budgets of
// the bench: 3.0 for one article, 2.75 in a folder); the corpus articles
// are shorter, so the fixed part of each request (the system prompt, the
// article's headline and lead each batch that lacks them is given) weighs
// more, and their bounds only keep the prompts from growing.
var maxPromptRatio = map[string][2]float64{ // spread (one article), packed (a folder)
	"bachmoet.txt": {3.0, 2.75},
	"":             {3.8, 3.1},
}

// TestPromptRatio fails when the prompts grow past their targets on the
// sample and the corpus.
func TestPromptRatio(t *testing.T) {
	files := []string{"../../samples/bachmoet.txt"}
	corpus, _ := filepath.Glob("../split/testdata/corpus/*.*")
	for _, f := range corpus {
		if ext := filepath.Ext(f); (ext == ".txt" || ext == ".md" || ext == ".html") && filepath.Base(f) != "README.md" {
			files = append(files, f)
		}
	}
	// Correct English for every segment, so that no repair is counted.
	english := openaitest.SampleTranslations()
	pairs, _ := filepath.Glob("../check/testdata/*.en.json")
	for _, p := range pairs {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]string
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		maps.Copy(english, m)
	}
	// A faithful summary of each, so that no repair is counted.
	var summaries map[string]openaitest.Summary
	b, err := os.ReadFile("../check/testdata/summaries.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &summaries); err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		art := readArticle(t, f)
		source := float64(len(data)) / 4
		if filepath.Ext(f) == ".html" {
			// A page's markup is not sent: count its text.
			n := 0
			for _, s := range art.Segments {
				n += len(s.Text)
			}
			source = float64(n) / 4
		}
		for _, tt := range []struct {
			name   string
			spread bool
			max    float64
		}{{"spread", true, limits(f)[0]}, {"packed", false, limits(f)[1]}} {
			sum := summaries[filepath.Base(f)]
			srv := openaitest.New(t, openaitest.WithTranslations(english),
				openaitest.WithSummarizer(func(openaitest.SummaryRequest) openaitest.Summary { return sum }))
			tr := checked(t, srv, func(c *translate.Config) { c.Spread = tt.spread; c.Concurrency = 4; c.AllowPartial = true })
			res, err := tr.Translate(context.Background(), art)
			if err != nil {
				t.Fatal(err)
			}
			prompt := 0
			for _, u := range res.Usage {
				prompt += u.PromptTokens
			}
			ratio := float64(prompt) / source
			t.Logf("%s %s: %d prompt tokens for %.0f source tokens: %.2f, %d requests (%d repairs)", filepath.Base(f), tt.name, prompt, source, ratio,
				srv.Count(openaitest.KindAny), srv.Count(openaitest.KindRepair))
			if ratio > tt.max {
				t.Errorf("%s %s: prompt/source %.2f, want at most %.2f", filepath.Base(f), tt.name, ratio, tt.max)
			}
		}
	}
}

func limits(file string) [2]float64 {
	if l, ok := maxPromptRatio[filepath.Base(file)]; ok {
		return l
	}
	return maxPromptRatio[""]
}
