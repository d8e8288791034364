package check

import (
	"strconv"
	"strings"
	"unicode"
)

var dutchUnitWords = map[string]int{
	"een": 1, "één": 1, "twee": 2, "drie": 3, "vier": 4, "vijf": 5, "zes": 6, "zeven": 7,
	"acht": 8, "negen": 9, "tien": 10, "elf": 11, "twaalf": 12, "dertien": 13,
	"veertien": 14, "vijftien": 15, "zestien": 16, "zeventien": 17, "achttien": 18,
	"negentien": 19,
}

var dutchTensWords = map[string]int{
	"twintig": 20, "dertig": 30, "veertig": 40, "vijftig": 50, "zestig": 60,
	"zeventig": 70, "tachtig": 80, "negentig": 90,
}

// parseDutchBelowHundred reads "zeven", "twintig", "vierentwintig",
// "tweeëndertig".
func parseDutchBelowHundred(w string) (int, bool) {
	if v, ok := dutchUnitWords[w]; ok {
		return v, true
	}
	if v, ok := dutchTensWords[w]; ok {
		return v, true
	}
	if !strings.HasSuffix(w, "tig") {
		return 0, false // every tens word ends so: no need to try each
	}
	for name, tens := range dutchTensWords {
		rest, ok := strings.CutSuffix(w, name)
		if !ok {
			continue
		}
		var unit string
		switch {
		case strings.HasSuffix(rest, "ën"):
			unit = strings.TrimSuffix(rest, "ën")
		case strings.HasSuffix(rest, "en"):
			unit = strings.TrimSuffix(rest, "en")
		default:
			return 0, false
		}
		if u, ok := dutchUnitWords[unit]; ok && u < 10 {
			return u + tens, true
		}
		return 0, false
	}
	return 0, false
}

// parseDutchBelowThousand reads "honderd", "driehonderd", "honderdvijftig".
func parseDutchBelowThousand(w string) (int, bool) {
	left, right, found := strings.Cut(w, "honderd")
	if !found {
		return parseDutchBelowHundred(w)
	}
	l := 1
	if left != "" {
		v, ok := dutchUnitWords[left]
		if !ok || v >= 10 {
			return 0, false
		}
		l = v
	}
	r := 0
	if right != "" {
		v, ok := parseDutchBelowHundred(right)
		if !ok {
			return 0, false
		}
		r = v
	}
	return l*100 + r, true
}

// parseDutchNumberWord reads a Dutch number written as one word, from
// "twee" to "negenhonderdnegenennegentigduizend…". Plurals such as
// "duizenden" and ordinals such as "vierde" are not numbers here.
func parseDutchNumberWord(w string) (int, bool) {
	left, right, found := strings.Cut(w, "duizend")
	if !found {
		return parseDutchBelowThousand(w)
	}
	l := 1
	if left != "" {
		v, ok := parseDutchBelowThousand(left)
		if !ok {
			return 0, false
		}
		l = v
	}
	r := 0
	if right != "" {
		v, ok := parseDutchBelowThousand(right)
		if !ok {
			return 0, false
		}
		r = v
	}
	return l*1000 + r, true
}

// dutchWordScales are the words that multiply a number word before them.
var dutchWordScales = map[string]struct {
	factor float64
	word   string
}{
	"honderd": {100, "hundred"}, "duizend": {1e3, "thousand"},
	"miljoen": {1e6, "million"}, "miljard": {1e9, "billion"},
}

// determiners after "vier", "zeven" or "acht" make them verbs ("vier de
// overwinning": celebrate the victory).
var dutchDeterminers = map[string]bool{
	"de": true, "het": true, "een": true, "dat": true, "die": true, "deze": true,
	"dit": true, "mijn": true, "zijn": true, "haar": true, "hun": true, "je": true,
	"uw": true, "ons": true, "onze": true,
}

// achtIdiom lists the words after which "acht" means attention, not eight
// ("in acht nemen", "acht slaan op").
var achtIdiom = map[string]bool{
	"slaan": true, "sloeg": true, "sloegen": true, "geslagen": true, "nemen": true,
	"neemt": true, "nam": true, "namen": true, "genomen": true, "geven": true,
	"geeft": true, "gaf": true, "gegeven": true, "te": true,
}

var englishSmallWords = []string{"zero", "one", "two", "three", "four", "five", "six",
	"seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen", "fourteen",
	"fifteen", "sixteen", "seventeen", "eighteen", "nineteen"}

var englishTensWords = []string{"", "", "twenty", "thirty", "forty", "fifty", "sixty",
	"seventy", "eighty", "ninety"}

// englishWord spells v out when it is a small round number.
func englishWord(v int) string {
	switch {
	case v >= 0 && v < 20:
		return englishSmallWords[v]
	case v < 100 && v%10 == 0:
		return englishTensWords[v/10]
	}
	return ""
}

// dutchWordMentions finds numbers written as Dutch words ("twee", "zes",
// "twintig", "twee miljoen"), leaving out "een" (also the article "a") and
// the idioms where a number word does not mean a count: "op één na", the
// clock ("kwart over drie", "half twee") and the verbs "vier" and "acht".
func dutchWordMentions(s string) []mention {
	ws := words(s)
	lower := make([]string, len(ws))
	for i, w := range ws {
		lower[i] = strings.ToLower(w.text)
	}
	at := func(i int) string {
		if i < 0 || i >= len(lower) {
			return ""
		}
		return lower[i]
	}
	isNum := func(w string) bool {
		_, ok := parseDutchNumberWord(w)
		return ok || w == "half"
	}
	var out []mention
	for i, w := range ws {
		lw := lower[i]
		v, ok := parseDutchNumberWord(lw)
		if !ok {
			// An age: "negentienjarige", "vijftigjarig".
			if v, ok = ageWord(lw); ok {
				out = append(out, mention{q: quantity{qNumber, float64(v)}, text: w.text,
					want: strconv.Itoa(v) + "-year-old", label: "number", word: true})
			}
			continue
		}
		if _, scale := dutchWordScales[lw]; scale && i > 0 {
			prev := at(i - 1)
			if _, p := parseDutchNumberWord(prev); p || isAllDigits(prev) {
				continue // "twee miljoen", "80 duizend": read with the word before
			}
		}
		if isUpperInitial(w.text) && !sentenceStartAt(s, w.start) {
			continue // part of a name: "De Drie Gezusters"
		}
		next, next2, prev, prev2 := at(i+1), at(i+2), at(i-1), at(i-2)
		switch {
		case next == "na":
			continue // "op één na grootste": second-largest
		case prev == "jaren":
			continue // "de jaren tachtig": the 1980s
		case prev == "half" || ((prev == "over" || prev == "voor") && (prev2 == "kwart" || isNum(prev2))):
			continue // clock times: "half twee" is 1.30
		case (next == "over" || next == "voor") && isNum(next2):
			continue
		case (lw == "vier" || lw == "zeven" || lw == "acht") && dutchDeterminers[next]:
			continue
		case lw == "acht" && (achtIdiom[next] || prev == "in"):
			continue
		}
		value := float64(v)
		text := w.text
		want := ""
		if sc, ok := dutchWordScales[next]; ok && lw != "honderd" && lw != "duizend" &&
			strings.TrimSpace(s[w.end:ws[i+1].start]) == "" {
			value *= sc.factor
			text = s[w.start:ws[i+1].end]
			want = strconv.Itoa(v) + " " + sc.word
		} else if lw == "een" || lw == "één" {
			continue
		}
		if want == "" {
			want = formatValue(value)
			if e := englishWord(v); e != "" {
				want = e + " (" + want + ")"
			}
		}
		out = append(out, mention{q: quantity{qNumber, value}, text: text, want: want, label: "number", word: true})
	}
	return out
}

func isAllDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

// sentenceStartAt reports whether the word at offset i opens a sentence,
// a quotation or a parenthesis: what comes before it, past spaces and
// opening marks, is nothing or a sentence-ending mark.
func sentenceStartAt(s string, i int) bool {
	t := strings.TrimRightFunc(s[:i], func(r rune) bool {
		return unicode.IsSpace(r) || strings.ContainsRune("‘'„\"“«*_([", r)
	})
	if t == "" {
		return true
	}
	r := runeBefore(t, len(t))
	return strings.ContainsRune(".!?:;•—–-|", r)
}

var (
	englishNumberWords  = map[string]float64{}
	englishOrdinalWords = map[string]float64{
		"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6,
		"seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11,
		"twelfth": 12, "thirteenth": 13, "fourteenth": 14, "fifteenth": 15,
		"sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19,
		"twentieth": 20, "thirtieth": 30, "fortieth": 40, "fiftieth": 50,
		"sixtieth": 60, "seventieth": 70, "eightieth": 80, "ninetieth": 90,
		"hundredth": 100, "thousandth": 1000,
	}
	englishScaleWords = map[string]float64{
		"hundred": 100, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12,
	}
	// englishLooseWords say a count without being a numeral.
	englishLooseWords = map[string]float64{
		"once": 1, "single": 1, "twice": 2, "both": 2, "pair": 2, "couple": 2,
		"double": 2, "thrice": 3, "triple": 3, "fortnight": 2,
		"noon": 12, "midday": 12, "midnight": 12,
	}
)

func init() {
	for i, w := range englishSmallWords {
		englishNumberWords[w] = float64(i)
	}
	for i, w := range englishTensWords {
		if w != "" {
			englishNumberWords[w] = float64(i * 10)
		}
	}
	englishNumberWords["nil"] = 0
	englishNumberWords["nought"] = 0
}

// englishWordQuantities adds the numbers an English text writes in words:
// "eighty thousand", "twenty-four", "a million", "ninety-third" (a place
// in an order), "twice" (a count said loosely). Each word's own value
// counts too, so that "twenty-four" also says 20 and 4: more readings
// can only make the check more lenient.
func englishWordQuantities(s string, r *englishReader) {
	ws := words(asciiLower(s))
	isNumberWord := func(w string) bool {
		_, a := englishNumberWords[w]
		_, b := englishOrdinalWords[w]
		_, c := englishScaleWords[w]
		return a || b || c || w == "dozen"
	}
	for i := 0; i < len(ws); i++ {
		w := ws[i].text
		if v, ok := englishLooseWords[w]; ok {
			r.begin(ws[i].start, ws[i].end, false, true)
			r.add(qNumber, v)
		}
		startsPhrase := isNumberWord(w) || ((w == "a" || w == "an") && i+1 < len(ws) &&
			(englishScaleWords[ws[i+1].text] > 0 || ws[i+1].text == "dozen"))
		if !startsPhrase {
			continue
		}
		r.begin(ws[i].start, ws[i].end, false, false)
		var total, current float64
		have, ordinal := false, false
		j := i
	phrase:
		for ; j < len(ws); j++ {
			t := ws[j].text
			r.extend(ws[j].end)
			if v, ok := englishNumberWords[t]; ok {
				r.add(qNumber, v)
				current += v
				have = true
				continue
			}
			if v, ok := englishOrdinalWords[t]; ok {
				r.add(qOrdinal, v)
				current += v
				have, ordinal = true, true
				if j+2 < len(ws) && ws[j+1].text == "of" {
					if mo, ok := englishMonths[ws[j+2].text]; ok && current <= 31 {
						r.add(qDate, float64(mo*100)+current)
						r.extend(ws[j+2].end)
					}
				}
				j++
				break phrase
			}
			switch {
			case (t == "a" || t == "an") && j == i:
				current = 1
			case t == "hundred":
				current = orOne(current) * 100
				have = true
			case t == "dozen":
				current = orOne(current) * 12
				have = true
			case englishScaleWords[t] > 0:
				total += orOne(current) * englishScaleWords[t]
				current = 0
				have = true
			case t == "and" && have && j+1 < len(ws) && isNumberWord(ws[j+1].text):
			default:
				break phrase
			}
		}
		if have {
			kind := qNumber
			if ordinal {
				kind = qOrdinal
			}
			r.add(kind, total+current)
		}
		if j > i {
			i = j - 1
		}
	}
}

// orOne returns v, or 1 when v is 0: "hundred" alone is a hundred.
func orOne(v float64) float64 {
	if v == 0 {
		return 1
	}
	return v
}

// ageWord reads a Dutch age written as one word, "negentienjarige" (19).
func ageWord(w string) (int, bool) {
	for _, suf := range []string{"jarigen", "jarige", "jarig"} {
		if n, ok := strings.CutSuffix(w, suf); ok && n != "" {
			v, ok := parseDutchNumberWord(n)
			return v, ok && v > 1
		}
	}
	return 0, false
}
