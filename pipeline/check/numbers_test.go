package check

import (
	"strings"
	"testing"

	"github.com/nl2en/nl2en/pipeline"
)

func TestDutchMentions(t *testing.T) {
	tests := []struct {
		text string
		want []string // label:text→want
	}{
		{"dat ooit 80 duizend inwoners telde", []string{`number:80 duizend→80,000`}},
		{"ruim € 1,5 miljoen aan zorggeld", []string{`amount:€ 1,5 miljoen→€1.5 million`}},
		{"kostte € 2,50 per stuk", []string{`amount:€ 2,50→€2.50`}},
		{"op 1 december 2022 begon", []string{`date:1 december 2022→1 December 2022`, `number:2022→2022`}},
		{"daalde naar 2,3 procent", []string{`percentage:2,3 procent→2.3%`}},
		{"steeg 4,1% op jaarbasis", []string{`percentage:4,1%→4.1%`}},
		{"met 0,25 procentpunt omlaag", []string{`percentage:0,25 procentpunt→0.25 percentage points`}},
		{"om 14.30 uur werd", []string{`time:14.30 uur→2.30pm`}},
		{"tussen 15.00 en 21.00 uur", []string{`time:15.00→3pm`, `time:21.00 uur→9pm`}},
		{"ruim 3.000 huishoudens", []string{`number:3.000→3,000`}},
		{"Toeschouwers: 47.500", []string{`number:47.500→47,500`}},
		{"in de 93ste minuut", []string{`number:93ste→93rd`}},
		{"de 51-jarige verdachte", []string{`number:51→51`}},
		{"€ 2 miljard gereserveerd", []string{`amount:€ 2 miljard→€2 billion`}},
		{"200 duizend huishoudens", []string{`number:200 duizend→200,000`}},
		{"twee belangrijke autowegen en zes maanden", []string{`number:twee→two (2)`, `number:zes→six (6)`}},
		{"twee miljoen mensen", []string{`number:twee miljoen→2 million`}},
		{"vierentwintig uur", []string{`number:vierentwintig→24`}},
		{"op 14-11-2024 om", []string{`date:14-11-2024→14 November 2024`, `number:2024→2024`}},
		{"28 oktober jl.", []string{`date:28 oktober→28 October`}},
		{"op 1e kerstdag, 3e januari", []string{`number:1e→1st`, `date:3e januari→3 January`}},
		{"1,4 miljoen inwoners", []string{`number:1,4 miljoen→1.4 million`}},
		{"5 euro per maand", []string{`amount:5 euro→€5`}},
		// Not numbers, or not counts.
		{"op de A7 bij Zwolle", nil},
		{"zie https://example.nl/2024/artikel-12 en @user42 #nl2024", nil},
		{"de op één na grootste stad", nil},
		{"rond kwart over drie en om half twee", nil},
		{"Van Leeuwen vierde de overwinning", nil},
		{"in acht genomen, acht slaan op", nil},
		{"duizenden mensen en honderden doden", nil},
		{"een man en één vrouw", nil},
		{"de vierde en de tweede plaats", nil},
		{"een 24/7 dienst en 1/3 deel", nil},
		{"pic.twitter.com/Vb7sQk2LdN", nil},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			var got []string
			for _, m := range dutchMentions(tt.text) {
				got = append(got, m.label+":"+m.text+"→"+m.want)
			}
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("dutchMentions(%q)\n got %q\nwant %q", tt.text, got, tt.want)
			}
		})
	}
}

func TestCheckNumbers(t *testing.T) {
	tests := []struct {
		name        string
		source      string
		translation string
		wantSources []string // the Source of each problem; nil: none
	}{
		// Thousands: any English notation.
		{"80 duizend digits", "ooit 80 duizend inwoners", "once 80,000 inhabitants", nil},
		{"80 duizend spaced", "ooit 80 duizend inwoners", "once 80 000 inhabitants", nil},
		{"80 duizend words", "ooit 80 duizend inwoners", "once eighty thousand inhabitants", nil},
		{"80 duizend mixed", "ooit 80 duizend inwoners", "once 80 thousand inhabitants", nil},
		{"80 duizend wrong", "ooit 80 duizend inwoners", "once 8,000 inhabitants", []string{"80 duizend"}},
		{"80 duizend Dutch notation", "ooit 80 duizend inwoners", "once 80.000 inhabitants", []string{"80 duizend"}},
		{"3.000 as 3,000", "ruim 3.000 huishoudens", "more than 3,000 households", nil},
		{"3.000 as 3000", "ruim 3.000 huishoudens", "more than 3000 households", nil},
		{"3.000 left Dutch", "ruim 3.000 huishoudens", "more than 3.000 households", []string{"3.000"}},
		// Decimals and millions.
		{"1,5 miljoen", "1,5 miljoen inwoners", "1.5 million inhabitants", nil},
		{"1,5 miljoen as digits", "1,5 miljoen inwoners", "1,500,000 inhabitants", nil},
		{"1,5 miljoen decimal comma kept", "1,5 miljoen inwoners", "1,5 million inhabitants", []string{"1,5 miljoen"}},
		{"1,4 miljoen wrong", "1,4 miljoen inwoners", "1.5 million inhabitants", []string{"1,4 miljoen"}},
		// Amounts.
		{"€ 2,50", "kost € 2,50", "costs €2.50", nil},
		{"€ 2,50 in euros", "kost € 2,50", "costs 2.50 euros", nil},
		{"€ 2,50 decimal comma kept", "kost € 2,50", "costs €2,50", []string{"€ 2,50"}},
		{"€ 2,50 in dollars", "kost € 2,50", "costs $2.50", []string{"€ 2,50"}},
		{"€ 1,5 miljoen", "voor € 1,5 miljoen", "for €1.5 million", nil},
		{"€ 1,5 miljoen in euros", "voor € 1,5 miljoen", "for 1.5 million euros", nil},
		{"€ 1,5 miljoen as m", "voor € 1,5 miljoen", "for €1.5m", nil},
		{"€ 2 miljard as bn", "€ 2 miljard gereserveerd", "€2bn set aside", nil},
		{"€ 0,50 in cents", "kost € 0,50 meer", "costs 50 euro cents more", nil},
		// Percentages.
		{"procent as %", "2,3 procent", "2.3%", nil},
		{"procent as per cent", "2,3 procent", "2.3 per cent", nil},
		{"procent as percent", "2,3 procent", "2.3 percent", nil},
		{"procent without unit", "2,3 procent", "2.3 of prices", []string{"2,3 procent"}},
		{"procent wrong", "2,3 procent", "23%", []string{"2,3 procent"}},
		{"procentpunt", "met 0,25 procentpunt omlaag", "down by 0.25 percentage points", nil},
		{"procentpunt as basis points", "met 0,25 procentpunt omlaag", "down by 25 basis points", nil},
		// Dates.
		{"date", "op 1 december 2022", "on 1 December 2022", nil},
		{"date US order", "op 1 december 2022", "on December 1, 2022", nil},
		{"date ordinal", "op 1 december 2022", "on the 1st of December 2022", nil},
		{"date ordinal word", "op 1 december 2022", "on the first of December 2022", nil},
		{"date wrong day", "op 1 december 2022", "on 2 December 2022", []string{"1 december 2022"}},
		{"date wrong year", "op 1 december 2022", "on 1 December 2023", []string{"2022"}},
		{"date wrong month", "op 1 december 2022", "on 1 November 2022", []string{"1 december 2022"}},
		// Times.
		{"time 24h", "om 14.30 uur", "at 14:30", nil},
		{"time dotted", "om 14.30 uur", "at 14.30", nil},
		{"time pm", "om 14.30 uur", "at 2.30pm", nil},
		{"time p.m.", "om 14.30 uur", "at 2:30 p.m.", nil},
		{"time wrong", "om 14.30 uur", "at 3.30pm", []string{"14.30 uur"}},
		{"time whole hours", "tussen 15.00 en 21.00 uur", "between 3pm and 9pm", nil},
		{"time whole hours shared pm", "tussen 15.00 en 21.00 uur", "between 3 and 9pm", nil},
		{"time 'by 4pm'", "tot 16.00 uur", "by 4pm", nil},
		{"time o'clock", "om 3 uur", "at three o'clock", nil},
		// Words and ordinals.
		{"twelve as word", "12 maanden", "twelve months", nil},
		{"twaalf as digits", "twaalf maanden", "12 months", nil},
		{"twee as both", "aan twee kanten", "on both sides", nil},
		{"twee keer", "twee keer zo groot", "twice as big", nil},
		{"ordinal", "in de 93ste minuut", "in the 93rd minute", nil},
		{"ordinal word", "in de 93ste minuut", "in the ninety-third minute", nil},
		{"ordinal wrong", "in de 93ste minuut", "in the 39th minute", []string{"93ste"}},
		{"number word wrong", "zes maanden", "five months", []string{"zes"}},
		{"second-largest", "de op één na grootste stad", "the second-largest city", nil},
		{"clock words", "rond kwart over drie", "at around a quarter past three", nil},
		{"scores", "met 2-1 gewonnen (rust 1-0)", "won 2-1 (half-time 1-0)", nil},
		{"score wrong", "met 2-1 gewonnen", "won 3-1", []string{"2"}},
		{"age", "de 51-jarige verdachte", "the 51-year-old suspect", nil},
		{"minutes", "90+3' Van Leeuwen", "90+3' Van Leeuwen", nil},
		{"decade", "in de jaren tachtig", "in the 1980s", nil},
		{"noon", "om twaalf uur 's middags", "at noon", nil},
		{"noon in digits", "om 12.00 uur", "at midday", nil},
		{"fortnight", "over twee weken", "in a fortnight", nil},
		{"eleventh hour", "het is vijf voor twaalf", "it is the eleventh hour", nil},
		{"whole euros", "kost € 5,- per maand", "costs €5 a month", nil},
		{"code is not a number", "op de A7", "on the A7", nil},
		{"link digits", "[CBS](https://example.nl/2024/12)", "[Statistics Netherlands](https://example.nl/2024/12)", nil},
		{"number missing", "zeker 34 gewonden", "many injured", []string{"34"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, p := range checkNumbers(tt.source, tt.translation, pipeline.EnglishGB) {
				if p.Kind != KindNumber {
					t.Errorf("problem kind %q, want %q", p.Kind, KindNumber)
				}
				got = append(got, p.Source)
			}
			if strings.Join(got, "|") != strings.Join(tt.wantSources, "|") {
				t.Errorf("checkNumbers(%q, %q) reported %q, want %q", tt.source, tt.translation, got, tt.wantSources)
			}
		})
	}
}

func TestNumberMessage(t *testing.T) {
	got := checkNumbers("ooit 80 duizend inwoners", "once 8,000 inhabitants", pipeline.EnglishGB)
	want := `number "80 duizend" should appear as 80,000`
	if len(got) != 1 || got[0].Message != want {
		t.Fatalf("got %v, want [%s]", got, want)
	}
	if got[0].Want != "80,000" {
		t.Errorf("Want = %q, want %q", got[0].Want, "80,000")
	}
}

func FuzzDutchMentions(f *testing.F) {
	for _, s := range []string{
		"ooit 80 duizend inwoners", "€ 1,5 miljoen", "1 december 2022 om 14.30 uur",
		"2,3 procent", "93ste", "14-11-2024", "1.2.3,4,5", "€", "9999999999999999999999999 miljard",
		"twee miljoen", "0,25 procentpunt", "3.000.", "1,", "12:", "€ 1.", "99.99.99",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		blank := blankLinks(s)
		for _, m := range dutchMentions(s) {
			if !strings.Contains(blank, m.text) {
				t.Errorf("mention %q is not in the text %q", m.text, s)
			}
			if m.want == "" {
				t.Errorf("mention %q has no English form", m.text)
			}
		}
		_ = englishOccurrences(s)
		_ = checkPair(s, s, Glossary{})
	})
}

func FuzzEnglishQuantities(f *testing.F) {
	for _, s := range []string{
		"80,000", "80 000 000", "2.30pm", "2:30 p.m.", "1st of December", "ninety-third",
		"a million", "€1.5m", "12/11/2024", "2024-11-14", "one hundred and fifty thousand", "3 o'clock",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, o := range englishOccurrences(s) {
			if o.start < 0 || o.end > len(s) || o.start > o.end {
				t.Errorf("englishOccurrences(%q): occurrence at [%d, %d)", s, o.start, o.end)
			}
			for _, q := range o.values {
				if q.value != q.value { // NaN
					t.Errorf("englishOccurrences(%q) gave NaN", s)
				}
			}
		}
	})
}

// TestWantInVariety: a date or time the translation lacks is asked for
// as the variety of English writes it; other figures are the same in
// both.
func TestWantInVariety(t *testing.T) {
	tests := []struct {
		source, gb, us string
	}{
		{"op 1 december 2022", "1 December 2022", "December 1, 2022"},
		{"op 14 maart", "14 March", "March 14"},
		{"op 14-11-2024", "14 November 2024", "November 14, 2024"},
		{"om 07.15 uur", "7.15am", "7:15 a.m."},
		{"om 14.30 uur", "2.30pm", "2:30 p.m."},
		{"om 21.00 uur", "9pm", "9 p.m."},
		{"om 12.00 uur", "noon", "noon"},
		{"om 00.00 uur", "midnight", "midnight"},
		{"om 00.30 uur", "12.30am", "12:30 a.m."},
		{"1,5 miljoen euro", "€1.5 million", "€1.5 million"},
	}
	for _, tt := range tests {
		t.Run(tt.source, func(t *testing.T) {
			ms := dutchMentions(tt.source)
			if len(ms) == 0 {
				t.Fatalf("no mention in %q", tt.source)
			}
			if got := ms[0].wantIn(pipeline.EnglishGB); got != tt.gb {
				t.Errorf("GB: got %q, want %q", got, tt.gb)
			}
			if got := ms[0].wantIn(pipeline.EnglishUS); got != tt.us {
				t.Errorf("US: got %q, want %q", got, tt.us)
			}
			for _, e := range []struct {
				variety pipeline.English
				english string
			}{{pipeline.EnglishGB, tt.gb}, {pipeline.EnglishUS, tt.us}} {
				// Each variety's form renders the figure whatever variety
				// the checks ask for.
				for _, asked := range pipeline.Englishes {
					if ps := checkNumbers(tt.source, "It was "+e.english+".", asked); len(ps) > 0 {
						t.Errorf("%s form %q, checked as %s: %v", e.variety, e.english, asked, ps)
					}
				}
			}
		})
	}
}
