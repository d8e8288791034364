package check

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/nl2en/nl2en/pipeline"
)

func TestReject(t *testing.T) {
	g := builtinGlossary(t)
	tests := []struct {
		name, source, translation string
		want                      string // a word of the reason; "" for accepted
	}{
		{"good paragraph", "De Russen claimen dat ze oprukken in de oostelijke Donbas.", "The Russians claim they are advancing in the eastern Donbas.", ""},
		{"echoed heading", "Aanvoerlijnen verstoren", "Aanvoerlijnen verstoren", "unchanged"},
		{"echoed one-word heading", "Slijtageslag", "Slijtageslag", "unchanged"},
		{"echoed one-word heading with a full stop", "Prestigestrijd", "prestigestrijd.", "unchanged"},
		{"echo with other quotes and spaces", "‘Dit zijn omstandigheden’,  aldus de minister.", "'Dit zijn omstandigheden', aldus de minister.", "unchanged"},
		{"name heading kept", "Willem-Alexander", "Willem-Alexander", ""},
		{"city heading kept", "Kyiv", "Kyiv", ""},
		{"name with particle kept", "Mees van Leeuwen", "Mees van Leeuwen", ""},
		{"score kept", "2-1", "2-1", ""},
		{"handle kept", "@EuromaidanPress", "@EuromaidanPress", ""},
		// Headlines that are English as they stand (found by an audit of
		// correct translations): names and a word alike in both languages.
		{"name in a place kept", "Rutte in Washington", "Rutte in Washington", ""},
		{"storm in a province kept", "Storm in Zeeland", "Storm in Zeeland", ""},
		{"a match kept", "Ajax vs PSV", "Ajax vs PSV", ""},
		{"Dutch between names echoed", "Rutte naar Washington", "Rutte naar Washington", "unchanged"},
		{"Dutch and between names echoed", "Rutte en Biden", "Rutte en Biden", "unchanged"},
		{"word alike at the end echoed", "Kabinet valt in", "Kabinet valt in", "unchanged"},
		{"symbol soup heading", "Aanvoerlijnen verstoren", "{]]{Mer4{Ǿ]]{]z]{{{{", "readable"},
		{"symbols only", "Het Russische leger probeert al een half jaar een klein stadje in te nemen.", "{{{}}}]]]", "readable"},
		{"random letters", "Het Russische leger probeert al een half jaar een klein stadje in te nemen: Bachmoet.", "Xqv zrt blorp qqwe vvuk mmnop trazz kwee flurp druz.", "readable"},
		{"long text left in Dutch", "Het Russische leger probeert al een half jaar een klein stadje in te nemen.", "Het Russische leger probeert al een half jaar een klein stadje te veroveren.", "Dutch"},
		{"long text in German", "Het Russische leger probeert al een half jaar een klein stadje in te nemen.", "Die russische Armee versucht seit einem halben Jahr, eine kleine Stadt einzunehmen, und sie ist nicht erfolgreich.", "not in English"},
		{"short English heading with a Dutch-looking word", "Even geduld", "Wait even so", ""},
		// Seen from Ollama serving a tiny random model: schema-valid JSON
		// whose text mixes scripts, symbols and control characters.
		{"symbols, short", "Scholen in de stad blijven maandag dicht.", "y=˺c;", "far shorter"},
		{"mixed scripts", "Ook aanvallen op Zaporizja en Cherson", "T]./E aø~DȑɆatƒvOhC\x8eĕŦҬٻ", "readable"},
		{"control characters", "Vrijdag rustiger", "ˀ_Dci1sᾳat䃆YenȌ\U000f754b̆4%", "readable"},
		{"far too short", "De rechtbank Rotterdam heeft de 51-jarige oud-directeur veroordeeld tot vier jaar cel.", "The court ruled.", "far shorter"},
		{"far too long", "De rechtbank in Rotterdam heeft gesproken.", strings.Repeat("The court has spoken, and it has said a great deal more than that. ", 4), "far longer"},
		{"a Cyrillic quote kept", "‘Ми вистоїмо’, zei Zelensky.", "'Ми вистоїмо', said Zelensky.", ""},
		{"short reply that looks Dutch is only a warning", "Hij zei niets", "Hij zei niets meer", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := rejectPair(tt.source, tt.translation, g)
			switch {
			case tt.want == "" && got != "":
				t.Errorf("Reject(%q, %q) = %q, want it accepted", tt.source, tt.translation, got)
			case tt.want != "" && !strings.Contains(got, tt.want):
				t.Errorf("Reject(%q, %q) = %q, want a reason saying %q", tt.source, tt.translation, got, tt.want)
			}
		})
	}
}

// TestShortDutchIsAWarning: where the language of a few words is a guess,
// Check warns instead of Reject failing the segment.
func TestShortDutchIsAWarning(t *testing.T) {
	g := builtinGlossary(t)
	var got []string
	for _, p := range checkPair("Hij zei niets", "Hij zei niets meer", g) {
		got = append(got, p.Message)
	}
	if !strings.Contains(strings.Join(got, "; "), "may still be in Dutch") {
		t.Errorf("Check = %q, want a warning that it may still be Dutch", got)
	}
	for _, p := range checkPair("Aanvoerlijnen verstoren", "Disrupting supply lines", g) {
		t.Errorf("Check of a good heading: %s", p.Message)
	}
}

// TestCorpusTranslationsAccepted: no correct translation of the sample or
// the corpus is rejected.
func TestCorpusTranslationsAccepted(t *testing.T) {
	g := builtinGlossary(t)
	files, _ := filepath.Glob("testdata/*.en.json")
	files = append(files, "../openaitest/testdata/bachmoet.en.json")
	for _, file := range files {
		for _, p := range loadPairs(t, file) {
			if why := rejectPair(p[0], p[1], g); why != "" {
				t.Errorf("%s: %q rejected: %s", filepath.Base(file), p[1], why)
			}
		}
	}
}

func TestGarbage(t *testing.T) {
	tests := []struct {
		source, text string
		want         bool
	}{
		{"Een zin over Bachmoet.", "A sentence about Bakhmut.", false},
		{"Een zin over Bachmoet.", "", true},
		{"Een zin over Bachmoet.", "]]]{{{", true},
		{"Een zin over Bachmoet.", "{]]{Mer4{Ǿ]]{]z]{{{{", true},
		{"Russische soldaten rukken op", "J!tdϹʁʘA", true},
		{"Een zin over Bachmoet.", "A sentence about Bakhmut.\x00", true},
		{"2-1", "2-1", false},
		{"€ 1,5 mln", "€1.5m", false},
		{"Feyenoord - AZ 2-1 (rust 1-0)", "Feyenoord - AZ 2-1 (half-time 1-0)", false},
		{"Зеленський: ми вистоїмо", "Zelensky: we will hold out", false},
	}
	for _, tt := range tests {
		if got := isGarbage(tt.source, tt.text); got != tt.want {
			t.Errorf("Garbage(%q, %q) = %v, want %v", tt.source, tt.text, got, tt.want)
		}
	}
}

type corpusSummary struct {
	Title     string   `json:"title"`
	Summary   string   `json:"summary"`
	KeyPoints []string `json:"key_points"`
}

// articleSegments reads an article of the sample or the corpus as the
// checks see it after translation: its segments, each with its correct
// English from the sample's or the corpus's translations.
func articleSegments(t *testing.T, name string) []Segment {
	t.Helper()
	var texts []string
	english := map[string]string{}
	if name == "bachmoet.txt" {
		b, err := os.ReadFile("../../samples/bachmoet.txt")
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range strings.Split(string(b), "\n") {
			if l = strings.TrimSpace(l); l != "" {
				texts = append(texts, l)
			}
		}
		for _, p := range loadPairs(t, "../openaitest/testdata/bachmoet.en.json") {
			english[p[0]] = p[1]
		}
	} else {
		base := strings.TrimSuffix(name, filepath.Ext(name))
		b, err := os.ReadFile(filepath.Join("../split/testdata/corpus", base+".expected.json"))
		if err != nil {
			t.Fatal(err)
		}
		var segs []struct{ Text string }
		if err := json.Unmarshal(b, &segs); err != nil {
			t.Fatal(err)
		}
		for _, s := range segs {
			texts = append(texts, s.Text)
		}
		for _, p := range loadPairs(t, filepath.Join("testdata", base+".en.json")) {
			english[p[0]] = p[1]
		}
	}
	var out []Segment
	for _, s := range texts {
		en, ok := english[s]
		if !ok {
			en = s // kept as it is: English, or furniture
		}
		out = append(out, Segment{Kind: pipeline.KindParagraph, Source: s, English: en})
	}
	return out
}

// dutchOnly is an article of segs without their English: the checks of
// a summary with the source alone to go by.
func dutchOnly(segs []Segment) []Segment {
	out := make([]Segment, len(segs))
	for i, s := range segs {
		out[i] = Segment{Kind: s.Kind, Source: s.Source}
	}
	return out
}

func reviewSummary(g Glossary, segs []Segment, s corpusSummary) SummaryReview {
	return NewChecker(g).Article(segs).ReviewSummary(pipeline.Summary{Title: s.Title, Summary: s.Summary, KeyPoints: s.KeyPoints})
}

func loadSummaries(t *testing.T) map[string]corpusSummary {
	t.Helper()
	b, err := os.ReadFile("testdata/summaries.json")
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]corpusSummary
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// TestReviewSummaryNoFalseAlarm: faithful summaries of the sample and of
// every corpus article pass the summary checks.
func TestReviewSummaryNoFalseAlarm(t *testing.T) {
	g := builtinGlossary(t)
	for name, s := range loadSummaries(t) {
		r := reviewSummary(g, articleSegments(t, name), s)
		for _, p := range r.Problems {
			t.Errorf("%s: %s", name, p.Message)
		}
		if r.Unusable || len(r.KeyPoints) != len(s.KeyPoints) {
			t.Errorf("%s: unusable %v, %d of %d key points kept", name, r.Unusable, len(r.KeyPoints), len(s.KeyPoints))
		}
	}
}

func TestReviewSummaryFinds(t *testing.T) {
	g := builtinGlossary(t)
	good := loadSummaries(t)["bachmoet.txt"]
	article := articleSegments(t, "bachmoet.txt")
	tests := []struct {
		name     string
		change   func(*corpusSummary)
		want     string // a word of one problem
		unusable bool
	}{
		{"invented number", func(s *corpusSummary) {
			s.Summary += " About 12,345 soldiers have died."
		}, `"12,345"`, false},
		{"invented name", func(s *corpusSummary) {
			s.KeyPoints = append(s.KeyPoints, "General Sergei Markov leads the assault.")
		}, "Sergei Markov", false},
		{"duplicate key points", func(s *corpusSummary) {
			s.KeyPoints = append(s.KeyPoints, strings.ToUpper(s.KeyPoints[0][:1])+s.KeyPoints[0][1:])
			s.KeyPoints = append(s.KeyPoints, " "+s.KeyPoints[1]+" ")
		}, "2 key point(s) repeated", false},
		{"title too long", func(s *corpusSummary) {
			s.Title = strings.Repeat("Russia fails again at Bakhmut and ", 5)
		}, "the title is", false},
		{"summary in Dutch", func(s *corpusSummary) {
			s.Summary = "Het Russische leger probeert al een half jaar een klein stadje in te nemen, maar de inname is nog ver weg."
		}, "in Dutch", true},
		{"garbage title", func(s *corpusSummary) {
			s.Title = "{]]{Mer4{Ǿ]]{]z]{{{{"
		}, "not readable", true},
		{"garbage from a tiny model", func(s *corpusSummary) {
			s.Title = "J!tdϹʁʘA"
			s.Summary = "䎬8he2AR4yꅤq]m S}atR/onX\x98ᴥ!帬8:^ץs夡ʔ̷˸sҧ㪖_AԭGX{FOvvᅒǠDhek!nJ7RX%:qƲDin"
			s.KeyPoints = []string{"A_s{BtɬhD;1n$D͕ܶӦj饤HХ"}
		}, "not readable", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := good
			s.KeyPoints = append([]string(nil), good.KeyPoints...)
			tt.change(&s)
			r := reviewSummary(g, article, s)
			var msgs []string
			for _, p := range r.Problems {
				msgs = append(msgs, p.Message)
			}
			if !strings.Contains(strings.Join(msgs, "\n"), tt.want) {
				t.Errorf("problems %q, want one saying %q", msgs, tt.want)
			}
			if r.Unusable != tt.unusable {
				t.Errorf("Unusable = %v, want %v", r.Unusable, tt.unusable)
			}
		})
	}
	// Numbers in the article's notation, or its value in another, are
	// grounded: "80,000" for "80 duizend", "2022" as it is.
	grounded := good
	grounded.Summary = "The town once had 80,000 inhabitants; the post dates from 1 December 2022."
	r := reviewSummary(g, dutchOnly(article), grounded)
	for _, p := range r.Problems {
		t.Errorf("grounded numbers: %s", p.Message)
	}
}

// FuzzShapeOf: one pass counts what the three passes it replaced counted.
func FuzzShapeOf(f *testing.F) {
	for _, s := range []string{
		"Russian troops are advancing near Bakhmut.", "{]]{Mer4{ ЖЖ ﷽ \x00\v\f\t",
		"Liège, Zelensky’s “plan” — 80%, €5 & £3", "\uE000\u0378\xff漢字", "ʃəˈbæŋ ˈmoʊdɪfaɪər",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		letters, symbols := 0, 0
		for _, r := range s {
			switch {
			case unicode.IsLetter(r):
				letters++
			case unicode.IsSpace(r), unicode.IsDigit(r), strings.ContainsRune(".,;:!?'\"‘’“”()-–—/%€$£&", r):
			default:
				symbols++
			}
		}
		strange, foreign := 0, 0
		for _, r := range s {
			switch {
			case r == '\n' || r == '\r' || r == '\t':
			case r == utf8.RuneError, unicode.IsControl(r), unicode.Is(unicode.Co, r),
				!unicode.IsGraphic(r) && !unicode.IsSpace(r):
				strange++
			}
			if unicode.IsLetter(r) && !(r < 0x250 && unicode.Is(unicode.Latin, r)) {
				foreign++
			}
		}
		want := shape{letters: letters, symbols: symbols, strange: strange, foreign: foreign}
		if got := shapeOf(s); got != want {
			t.Errorf("shapeOf(%q) = %+v, want %+v", s, got, want)
		}
	})
}

// FuzzSameLetters: sameLetters never tells apart texts that normalizeText
// makes the same, so sameText may ask it first.
func FuzzSameLetters(f *testing.F) {
	f.Add("‘Wij gaan door,’ zei hij.", "'wij  gaan door,' ZEI hij")
	f.Add("Het kabinet.", "The cabinet.")
	f.Add("İstanbul ǅ", "i̇stanbul ǆ")
	f.Fuzz(func(t *testing.T, a, b string) {
		if na, nb := normalizeText(a), normalizeText(b); na == nb && !sameLetters(a, b) {
			t.Errorf("normalizeText makes %q and %q the same, but sameLetters tells them apart", a, b)
		}
	})
}
