package check

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/nl2en/nl2en/prompts"
)

// loadPairs reads a JSON object mapping Dutch segments to their correct
// English translations, in a stable order.
func loadPairs(t *testing.T, path string) [][2]string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]string
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	out := make([][2]string, 0, len(m))
	for nl, en := range m {
		out = append(out, [2]string{nl, en})
	}
	sort.Slice(out, func(i, j int) bool { return out[i][0] < out[j][0] })
	return out
}

func builtinGlossary(t *testing.T) Glossary {
	t.Helper()
	g, err := Load(prompts.Default(), "glossary.tsv")
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// correctTranslations lists the files of correct translations: the sample
// article's, and those written for the corpus articles.
func correctTranslations(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("testdata/*.en.json")
	if err != nil || len(files) < 3 {
		t.Fatalf("corpus translations: %v, %v", files, err)
	}
	return append([]string{"../openaitest/testdata/bachmoet.en.json"}, files...)
}

// TestNoFalseAlarms: correct translations of the sample article and of the
// corpus articles raise no problem at all.
func TestNoFalseAlarms(t *testing.T) {
	g := builtinGlossary(t)
	for _, file := range correctTranslations(t) {
		t.Run(filepath.Base(file), func(t *testing.T) {
			for _, p := range loadPairs(t, file) {
				if probs := checkPair(p[0], p[1], g); len(probs) > 0 {
					t.Errorf("Check(%.60q…) = %q, want no problems", p[0], probs)
				}
				if probs := measurePair(p[0], p[1]).Problems(); len(probs) > 0 {
					t.Errorf("measurePair(%.60q…) = %q, want no problems", p[0], probs)
				}
				if looksDutch(p[1]) {
					t.Errorf("looksDutch(%.60q…) = true for English", p[1])
				}
			}
		})
	}
}

// TestCorpusTranslationsComplete: the corpus translations cover every
// segment of the corpus articles that is translated (Dutch, not page
// furniture). The corpus lives beside the repository; without it the test
// is skipped.
func TestCorpusTranslationsComplete(t *testing.T) {
	const corpus = "../../../shared/corpus"
	if _, err := os.Stat(corpus); err != nil {
		t.Skipf("corpus not found: %v", err)
	}
	files, _ := filepath.Glob("testdata/*.en.json")
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".en.json")
		b, err := os.ReadFile(filepath.Join(corpus, name+".expected.json"))
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		var segs []struct{ Kind, Lang, Text string }
		if err := json.Unmarshal(b, &segs); err != nil {
			t.Fatal(err)
		}
		have := make(map[string]bool)
		for _, p := range loadPairs(t, file) {
			have[p[0]] = true
		}
		for _, s := range segs {
			if s.Lang == "nl" && s.Kind != "furniture" && !have[s.Text] {
				t.Errorf("%s: no translation of %s %.60q", file, s.Kind, s.Text)
			}
		}
	}
}

// TestFakesCaught: translations broken the ways a model breaks them are
// caught, each by the right check.
func TestFakesCaught(t *testing.T) {
	g := builtinGlossary(t)
	sample := make(map[string]string)
	var firstOf = func(prefix string) (string, string) {
		for nl, en := range sample {
			if strings.HasPrefix(nl, prefix) {
				return nl, en
			}
		}
		t.Fatalf("no sample paragraph starts with %q", prefix)
		return "", ""
	}
	for _, p := range loadPairs(t, "../openaitest/testdata/bachmoet.en.json") {
		sample[p[0]] = p[1]
	}
	tests := []struct {
		name   string
		prefix string // the sample paragraph to break
		old    string // what to replace in its correct English
		new    string
		want   Kind
	}{
		{"wrong number", "De strijd in en rond", "80,000", "8,000", KindNumber},
		{"number left Dutch", "De strijd in en rond", "80,000", "80.000", KindNumber},
		{"number dropped", "De laatste dagen", "12 kilometres", "a few kilometres", KindNumber},
		{"number word wrong", "De inname van Bachmoet", "two important", "three important", KindNumber},
		{"place left Dutch", "De strijd in en rond", "Bakhmut", "Bachmoet", KindGlossary},
		{"place misspelt", "Maar de aanvallen", "Kharkiv", "Charkov", KindGlossary},
		{"institution wrong", "‘Dit zijn omstandigheden", "Ministry of Defence", "army", KindGlossary},
		{"name dropped", "‘Dit zijn omstandigheden", "Eddy van Wessel", "a colleague", KindName},
		{"name changed", "Voor Oekraïne is de", "Volodymyr Zelensky", "Vladimir Zelensky", KindName},
		{"name garbled", "Hoeveel doden", "Institute for the Study of War", "Institute for War Research", KindName},
		{"quotes dropped", "Hoeveel doden", "'A relentless, grinding battle based on attrition', is how", "It was a relentless, grinding battle based on attrition, according to", KindQuote},
		{"quotes halved", "‘De Russische offensieven", "'The Russian offensives around Bakhmut consume a considerable part of Russia's available combat power', the", "The Russian offensives around Bakhmut consume a considerable part of Russia's available combat power, the", KindQuote},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			nl, en := firstOf(tt.prefix)
			if !strings.Contains(en, tt.old) {
				t.Fatalf("the correct English has no %q", tt.old)
			}
			fake := strings.Replace(en, tt.old, tt.new, 1)
			probs := checkPair(nl, fake, g)
			found := false
			for _, p := range probs {
				if p.Kind == tt.want {
					found = true
				}
				if p.Message == "" {
					t.Errorf("problem %+v has no message", p)
				}
			}
			if !found {
				t.Errorf("Check(fake) = %q, want a %s problem", probs, tt.want)
			}
		})
	}
}

func TestFakeLanguageAndLength(t *testing.T) {
	nl := "Het Russische leger probeert al een half jaar een klein stadje in te nemen: Bachmoet. Maar ondanks talloze aanvallen en de vele slachtoffers is de inname nog ver weg."
	tests := []struct {
		name        string
		translation string
		want        Kind
	}{
		{"untranslated", nl, KindLanguage},
		{"German", "Die russische Armee versucht seit einem halben Jahr, eine kleine Stadt einzunehmen: Bachmut. Aber trotz zahlloser Angriffe ist die Einnahme noch weit entfernt, und das ist nicht neu.", KindLanguage},
		{"truncated", "The Russian army has been trying to take Bakhmut.", KindLength},
		{"padded", "The Russian army has been trying for half a year to take a small town: Bakhmut. But despite countless attacks and the many casualties, its capture is still far off. Analysts say this is because the Russian army suffers from poor logistics, low morale, a lack of trained officers and the effects of Western sanctions on its supply of modern weapons, all of which have been documented at length.", KindLength},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			probs := measurePair(nl, tt.translation).Problems()
			found := false
			for _, p := range probs {
				found = found || p.Kind == tt.want
			}
			if !found {
				t.Errorf("measurePair(…).Problems() = %q, want a %s problem", probs, tt.want)
			}
		})
	}
}

func TestCheckGlossaryMessage(t *testing.T) {
	g, _ := NewGlossary(Entry{Source: "Bachmoet", Target: "Bakhmut"})
	probs := checkPair("De val van Bachmoet.", "The fall of Bachmut.", g)
	want := Problem{Kind: KindGlossary, Source: "Bachmoet", Want: "Bakhmut",
		Message: `glossary term "Bachmoet" should appear as Bakhmut`}
	if len(probs) != 1 || probs[0] != want {
		t.Errorf("Check = %+v, want [%+v]", probs, want)
	}
}

// TestUserGlossaryWins: a user's entry replaces the built-in one in the
// checks too.
func TestUserGlossaryWins(t *testing.T) {
	user, _ := NewGlossary(Entry{Source: "Bachmoet", Target: "Artemivsk"})
	g := Merge(builtinGlossary(t), user)
	if probs := checkPair("De val van Bachmoet.", "The fall of Artemivsk.", g); len(probs) != 0 {
		t.Errorf("Check = %q, want none", probs)
	}
	if probs := checkPair("De val van Bachmoet.", "The fall of Bakhmut.", g); len(probs) != 1 {
		t.Errorf("Check = %q, want one glossary problem", probs)
	}
}
