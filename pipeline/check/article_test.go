package check

import (
	"strings"
	"testing"

	"github.com/nl2en/nl2en/pipeline"
)

// problemsOf checks segment i of an article of (kind, Dutch, English)
// triples and returns its problems' kinds and sources.
func problemsOf(t *testing.T, segs []Segment, i int) []string {
	t.Helper()
	var got []string
	for _, p := range NewChecker(builtinGlossary(t)).Article(segs).Check(i) {
		got = append(got, string(p.Kind)+":"+p.Source)
	}
	return got
}

func para(nl, en string) Segment {
	return Segment{Kind: pipeline.KindParagraph, Source: nl, English: en}
}

// TestCheckNumberForms: every notation of a time and a date English news
// uses, British or American, renders the Dutch one.
func TestCheckNumberForms(t *testing.T) {
	for _, en := range []string{
		"The train left at 07:15 on 1 December 2022.", "The train left at 7:15 on 1 December 2022.",
		"The train left at 7.15am on 1 December 2022.", "The train left at 7.15 am on 1 December 2022.",
		"The train left at 7:15 a.m. on December 1, 2022.", "The train left at 7:15 a.m. on Dec. 1, 2022.",
	} {
		if got := problemsOf(t, []Segment{para("De trein vertrok op 1 december 2022 om 07.15 uur.", en)}, 0); len(got) > 0 {
			t.Errorf("%q: %q, want no problem", en, got)
		}
	}
}

// TestCheckNumberFaults: a number changed where the source gives it
// twice, a changed number beside an ordinal word, a digit changed in a
// link.
func TestCheckNumberFaults(t *testing.T) {
	tests := []struct {
		name, nl, en string
		want         string // a kind:source the problems hold; "" for none
	}{
		{"the same number twice, both kept",
			"In Tiel wonen 3.400 mensen; in Culemborg ook 3.400.", "Tiel has 3,400 inhabitants; Culemborg also has 3,400.", ""},
		{"the same number twice, one changed",
			"In Tiel wonen 3.400 mensen; in Culemborg ook 3.400.", "Tiel has 3,400 inhabitants; Culemborg also has 3,500.", "number:3.400"},
		{"the same year twice, the second said another way",
			"In 2023 steeg de huur. Ook in 2023 daalde de koopprijs.", "In 2023 rents rose. House prices fell that same year.", ""},
		{"a changed number beside an ordinal word",
			"Het is de tweede keer dat 12 gemeenten meedoen.", "It is the second time that 13 municipalities are taking part.", "number:12"},
		{"a number kept in words",
			"Er kwamen 3 ministers.", "Three ministers came.", ""},
		{"a digit changed inside a link",
			"Lees het [rapport](https://example.nl/2024/rapport) van de inspectie.", "Read the inspectorate's [report](https://example.nl/2025/rapport).", "link:https://example.nl/2024/rapport"},
		{"a handle retyped",
			"Volgens @gemeente_tiel is de weg dicht.", "According to @gemeentetiel the road is closed.", "link:@gemeente_tiel"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := problemsOf(t, []Segment{para(tt.nl, tt.en)}, 0)
			switch {
			case tt.want == "" && len(got) > 0:
				t.Errorf("problems %q, want none", got)
			case tt.want != "" && !strings.Contains(strings.Join(got, "|"), tt.want):
				t.Errorf("problems %q, want %q", got, tt.want)
			}
		})
	}
}

// TestCheckNamesByConvention: names a translation renders by convention
// are not missing; a person's name dropped still is.
func TestCheckNamesByConvention(t *testing.T) {
	tests := []struct {
		name string
		segs []Segment
		want string // a name reported missing from the last segment; "" for none
	}{
		{"a minister's portfolio after the name", []Segment{para(
			"Volgens minister Eelco Heinen van Volkshuisvesting en Ruimtelijke Ordening komt er geld bij.",
			"According to Eelco Heinen, the Minister of Housing and Spatial Planning, more money is coming.")}, ""},
		{"a title before the name", []Segment{para(
			"Kamerlid Anna de Wit wil opheldering.", "MP Anna de Wit wants clarification.")}, ""},
		{"a party's English name", []Segment{para(
			"Volgens Nieuw Sociaal Contract en het Christen-Democratisch Appèl is het plan onhaalbaar.",
			"According to New Social Contract and the Christian Democratic Appeal, the plan is unworkable.")}, ""},
		{"an institution's official English name", []Segment{para(
			"Dat meldt de Autoriteit Persoonsgegevens woensdag.", "The Dutch Data Protection Authority reported this on Wednesday.")}, ""},
		{"a Dutch compound as English words", []Segment{para(
			"De Kinderombudsman en de Raad voor de Kinderbescherming zijn kritisch.",
			"The Children's Ombudsman and the Child Protection Board are critical.")}, ""},
		{"Dutch in brackets at the first mention, English after", []Segment{
			para("De Voedsel- en Warenautoriteit onderzoekt de zaak.", "The Netherlands Food and Consumer Product Safety Authority (Voedsel- en Warenautoriteit) is investigating."),
			para("Volgens de Warenautoriteit Nederland is het vlees veilig.", "According to the food safety authority, the meat is safe.")}, ""},
		{"a person's name dropped", []Segment{para(
			"Volgens minister Eelco Heinen van Financiën komt er geld bij.", "According to the Finance Minister, more money is coming.")}, "Eelco Heinen"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var names []string
			for _, p := range problemsOf(t, tt.segs, len(tt.segs)-1) {
				if n, ok := strings.CutPrefix(p, "name:"); ok {
					names = append(names, n)
				}
			}
			if got := strings.Join(names, "|"); got != tt.want {
				t.Errorf("names missing: %q, want %q", got, tt.want)
			}
		})
	}
}

// TestCheckCredits: a byline or dateline that still holds a Dutch word is
// untranslated; one that is only names, an agency and a place without an
// English form is right echoed; a place left in Dutch is reported.
func TestCheckCredits(t *testing.T) {
	tests := []struct {
		seg  Segment
		want string
	}{
		{Segment{pipeline.KindByline, "Door Sanne Vermeulen", "Door Sanne Vermeulen"}, "language:door"},
		{Segment{pipeline.KindByline, "Door Sanne Vermeulen", "By Sanne Vermeulen"}, ""},
		{Segment{pipeline.KindByline, "Van onze correspondent", "Van onze correspondent"}, "language:"},
		{Segment{pipeline.KindByline, "Sanne Vermeulen", "Sanne Vermeulen"}, ""},
		{Segment{pipeline.KindDateline, "ROTTERDAM (ANP) -", "ROTTERDAM (ANP) -"}, ""},
		{Segment{pipeline.KindDateline, "DEN HAAG (ANP) -", "DEN HAAG (ANP) -"}, "glossary:Den Haag"},
		{Segment{pipeline.KindDateline, "DEN HAAG (ANP) -", "THE HAGUE (ANP) -"}, ""},
		{Segment{pipeline.KindParagraph, "De Zweedse premier bezocht Zweden.", "The Zweedse Prime Minister visited Zweden."}, "glossary:Zweedse"},
	}
	for _, tt := range tests {
		got := strings.Join(problemsOf(t, []Segment{tt.seg}, 0), "|")
		if tt.want == "" && got != "" || tt.want != "" && !strings.Contains(got, tt.want) {
			t.Errorf("%s %q as %q: problems %q, want %q", tt.seg.Kind, tt.seg.Source, tt.seg.English, got, tt.want)
		}
		if r := NewChecker(builtinGlossary(t)).Reject(tt.seg.Kind, tt.seg.Source, tt.seg.English); r != nil && tt.seg.Kind != pipeline.KindParagraph {
			t.Errorf("%q rejected: %s; an echoed byline or dateline is a warning", tt.seg.English, r.Reason)
		}
	}
}

// TestTelegraphicHeadline: a headline without function words is words,
// not garbage.
func TestTelegraphicHeadline(t *testing.T) {
	for _, en := range []string{
		"Cabinet Approves Record Defence Budget Amid Mounting Nato Pressure From Allies",
		"Ring road bridge shut six weeks, cracked girders, commuters face long delays",
		"Farmers, unions reject nitrogen plan; protests Friday",
	} {
		if isGarbage("Kabinet akkoord met recordbegroting defensie na druk van bondgenoten", en) {
			t.Errorf("%q judged unreadable", en)
		}
	}
}

// TestSummaryGroundedInTranslation: a summary may give a name or a figure
// as the translation renders it.
func TestSummaryGroundedInTranslation(t *testing.T) {
	segs := []Segment{
		{pipeline.KindTitle, "Eerste Kamer stemt in met de Zweedse aanpak van stikstof", "Senate backs the Swedish approach to nitrogen"},
		para("De Eerste Kamer heeft dinsdag om 07.15 uur ingestemd met de wet. De Zweedse premier Ulf Kristersson was bij het debat.",
			"The Senate approved the law at 7.15am on Tuesday. The Swedish Prime Minister, Ulf Kristersson, attended the debate."),
		para("Het Openbaar Ministerie onderzoekt de zaak nog.", "The Public Prosecution Service is still investigating the case."),
	}
	s := pipeline.Summary{
		Title:     "Senate approves nitrogen law",
		Summary:   "The Senate approved the nitrogen law at 7.15am on Tuesday, with the Swedish Prime Minister Ulf Kristersson present.",
		KeyPoints: []string{"The Public Prosecution Service is investigating.", "The First Chamber voted early."},
	}
	r := NewChecker(builtinGlossary(t)).Article(segs).ReviewSummary(s)
	for _, p := range r.Problems {
		if !strings.Contains(p.Message, "First Chamber") {
			t.Errorf("grounded summary: %s", p.Message)
		}
	}
}

// TestSummaryOfAnotherArticle: a summary of another article of the
// corpus is not about the article, while its own is.
func TestSummaryOfAnotherArticle(t *testing.T) {
	g := builtinGlossary(t)
	sums := loadSummaries(t)
	for name := range sums {
		segs := articleSegments(t, name)
		facts := NewChecker(g).Article(segs).grounding()
		for other, s := range sums {
			share, ok := facts.overlap(append([]string{s.Title, s.Summary}, s.KeyPoints...))
			t.Logf("%s with the summary of %s: %.2f (%v)", name, other, share, ok)
			r := reviewSummary(g, segs, s)
			unrelated := false
			for _, p := range r.Problems {
				unrelated = unrelated || p.Kind == KindUnrelated
			}
			if unrelated != (other != name) {
				t.Errorf("%s with the summary of %s: unrelated %v (overlap %.2f)", name, other, unrelated, share)
			}
		}
	}
}

// TestMessagesForPeople: what people read never holds what is asked of
// the model.
func TestMessagesForPeople(t *testing.T) {
	g := builtinGlossary(t)
	ck := NewChecker(g)
	imperative := []string{"translate it", "translate all", "translate only", "translate every", "write it", "write the",
		"write a headline", "use only", "give distinct", "give its", "keep it", "keep every", "keep the"}
	var texts []string
	for _, p := range loadPairs(t, "../openaitest/testdata/bachmoet.en.json") {
		for _, en := range []string{p[0], dropLastSentence(p[1]), changeDigit(p[1]), "{]]{Mer4{", p[1][:len(p[1])/4]} {
			if en == "" {
				continue
			}
			if r := ck.Reject(pipeline.KindParagraph, p[0], en); r != nil {
				texts = append(texts, r.Reason)
				if r.Instruction == "" {
					t.Errorf("rejection %q has no instruction for the model", r.Reason)
				}
			}
			for _, pr := range ck.Article([]Segment{para(p[0], en)}).Check(0) {
				texts = append(texts, pr.Message)
			}
		}
	}
	segs := articleSegments(t, "bachmoet.txt")
	r := ck.Article(segs).ReviewSummary(pipeline.Summary{Title: strings.Repeat("Bakhmut falls again ", 6),
		Summary: "General Sergei Markov says 12,345 soldiers died.", KeyPoints: []string{"A point.", "A point."}})
	for _, p := range r.Problems {
		texts = append(texts, p.Message)
	}
	if len(texts) < 20 {
		t.Fatalf("only %d messages to look at", len(texts))
	}
	for _, m := range texts {
		for _, w := range imperative {
			if strings.Contains(m, w) {
				t.Errorf("message %q tells the model what to do (%q)", m, w)
			}
		}
	}
}
