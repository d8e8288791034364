package check

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/nl2en/nl2en/pipeline"
)

// qkind says what a quantity's value measures.
type qkind uint8

const (
	qNumber  qkind = iota // a plain value: 80000, 2.3, 93
	qTime                 // minutes after midnight: 14.30 uur → 870
	qDate                 // month*100 + day: 1 december → 1201
	qOrdinal              // a place in an order: 93ste, 93rd, ninety-third → 93
)

// quantity is a value found in a text. Numbers are compared by value, so
// "80 duizend", "80,000" and "eighty thousand" are the same quantity.
type quantity struct {
	kind  qkind
	value float64
}

func (q quantity) equal(o quantity) bool {
	if q.kind != o.kind {
		return false
	}
	return math.Abs(q.value-o.value) <= 1e-9*math.Max(1, math.Abs(q.value))
}

// mention is a quantity in the Dutch source, with what the English should
// say for it.
type mention struct {
	q        quantity
	alt      []quantity // other values that render it as well
	text     string     // as the source writes it: "€ 1,5 miljoen"
	want     string     // the English form to ask for: "€1.5 million"
	label    string     // number, amount, percentage, date or time
	currency string     // "€", "$" or "£" for an amount
	percent  bool
	// word is set for a number the source writes as a word ("twee"),
	// which English may say as loosely ("both", "twice", "a couple").
	word bool
	// day, month and year are a date's (year 0 when the source gives
	// none); hour and minute a time's: their wanted form depends on the
	// variety of English (see wantIn).
	day, month, year, hour, minute int
}

// wantIn is the English form to ask for in variety e: dates and times
// as that variety writes them ("1 December 2022", "7.15am";
// "December 1, 2022", "7:15 a.m."), anything else as want says.
func (m mention) wantIn(e pipeline.English) string {
	us := e == pipeline.EnglishUS
	switch {
	case m.q.kind == qDate && m.month > 0:
		mo := englishMonthNames[m.month]
		switch {
		case us && m.year > 0:
			return fmt.Sprintf("%s %d, %d", mo, m.day, m.year)
		case us:
			return fmt.Sprintf("%s %d", mo, m.day)
		case m.year > 0:
			return fmt.Sprintf("%d %s %d", m.day, mo, m.year)
		}
		return fmt.Sprintf("%d %s", m.day, mo)
	case m.q.kind == qTime:
		return clockIn(m.hour, m.minute, us)
	}
	return m.want
}

// clockIn writes a time of day as variety us (or British English)
// writes it in news: "7.15am", "2pm", "midnight"; "7:15 a.m.", "2 p.m.".
func clockIn(h, mi int, us bool) string {
	if (h == 0 || h == 24) && mi == 0 {
		return "midnight"
	}
	if h == 12 && mi == 0 {
		return "noon"
	}
	suffix := "am"
	if us {
		suffix = "a.m."
	}
	if h%24 >= 12 {
		suffix = "pm"
		if us {
			suffix = "p.m."
		}
	}
	h12 := h % 12
	if h12 == 0 {
		h12 = 12
	}
	switch {
	case us && mi == 0:
		return fmt.Sprintf("%d %s", h12, suffix)
	case us:
		return fmt.Sprintf("%d:%02d %s", h12, mi, suffix)
	case mi == 0:
		return fmt.Sprintf("%d%s", h12, suffix)
	}
	return fmt.Sprintf("%d.%02d%s", h12, mi, suffix)
}

func isDigit(b byte) bool { return b >= '0' && b <= '9' }

// spaceAt returns the length of the ordinary, no-break or thin space at
// offset i of s, or 0.
func spaceAt(s string, i int) int {
	r := runeAt(s, i)
	switch r {
	case ' ', '\u00a0', '\u202f', '\u2009':
		return utf8.RuneLen(r)
	}
	return 0
}

// skipSpaces returns the offset after any spaces at i.
func skipSpaces(s string, i int) int {
	for {
		n := spaceAt(s, i)
		if n == 0 {
			return i
		}
		i += n
	}
}

// numberRun returns the end of the run of digits at i, taking in a '.' or
// ',' only when a digit follows it, so that sentence punctuation stays out.
func numberRun(s string, i int) int {
	j := i
	for j < len(s) {
		if isDigit(s[j]) || ((s[j] == '.' || s[j] == ',') && j+1 < len(s) && isDigit(s[j+1])) {
			j++
			continue
		}
		break
	}
	return j
}

// numberSpan is a run of digits in a text, with the '.' and ',' between
// its digits: "3.000", "1,5", "14.30".
type numberSpan struct {
	start, end int
	text       string
}

// scanNumbers calls visit with every run of digits in s that stands on
// its own, in order, skipping those that are part of a code or a name
// ("A7", "F16", "Vb7sQk2"). visit returns where to go on from; the scan
// never goes back into the run it was given.
func scanNumbers(s string, visit func(n numberSpan) (next int)) {
	for i := 0; i < len(s); {
		if !isDigit(s[i]) {
			i++
			continue
		}
		if prev := runeBefore(s, i); unicode.IsLetter(prev) || prev == '_' {
			i = skipToken(s, i)
			continue
		}
		j := numberRun(s, i)
		i = max(visit(numberSpan{start: i, end: j, text: s[i:j]}), j)
	}
}

// clockAt reads the clock time a number may be: "14.30", or "14:30" with
// the colon, which numberRun leaves out. It returns where the time would
// end whether or not it is one, and ok when it is a time of day.
func clockAt(s string, n numberSpan) (h, mi, end int, ok bool) {
	clock, end := n.text, n.end
	j := n.end
	if len(n.text) <= 2 && j+2 < len(s) && s[j] == ':' && isDigit(s[j+1]) && isDigit(s[j+2]) && !isDigit(byteAt(s, j+3)) {
		clock, end = s[n.start:j+3], j+3
	}
	m := clockRE.FindStringSubmatch(clock)
	if m == nil {
		return 0, 0, end, false
	}
	h, _ = strconv.Atoi(m[1])
	mi, _ = strconv.Atoi(m[2])
	return h, mi, end, h <= 24 && mi < 60
}

// letterRun returns the end of the run of letters at i.
func letterRun(s string, i int) int {
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if !unicode.IsLetter(r) {
			break
		}
		i += size
	}
	return i
}

// wordAt returns the lower-cased run of letters starting at i, and its
// end.
func wordAt(s string, i int) (string, int) {
	j := letterRun(s, i)
	return strings.ToLower(s[i:j]), j
}

var (
	dutchThousandsRE = regexp.MustCompile(`^\d{1,3}(\.\d{3})+(,\d+)?$`)
	dutchPlainRE     = regexp.MustCompile(`^\d+(,\d+)?$`)
	pointDecimalRE   = regexp.MustCompile(`^\d+\.\d+$`)
	clockRE          = regexp.MustCompile(`^(\d{1,2})[.:](\d{2})$`)
	englishGroupedRE = regexp.MustCompile(`^\d{1,3}(,\d{3})+(\.\d+)?$`)
	englishPlainRE   = regexp.MustCompile(`^\d+(\.\d+)?$`)
)

// parseDutch reads a Dutch-notation number ("3.000", "1,5", "80") and
// returns its value and the English way to write it ("3,000", "1.5").
func parseDutch(run string) (float64, string, bool) {
	var plain string
	grouped := false
	switch {
	case dutchThousandsRE.MatchString(run):
		plain = strings.ReplaceAll(run, ".", "")
		plain = strings.Replace(plain, ",", ".", 1)
		grouped = true
	case dutchPlainRE.MatchString(run):
		plain = strings.Replace(run, ",", ".", 1)
	case pointDecimalRE.MatchString(run):
		plain = run
	default:
		return 0, "", false
	}
	v, err := strconv.ParseFloat(plain, 64)
	if err != nil || math.IsInf(v, 0) {
		return 0, "", false
	}
	intPart, frac, _ := strings.Cut(plain, ".")
	if grouped || len(intPart) > 4 {
		intPart = groupThousands(intPart)
	}
	if frac != "" {
		return v, intPart + "." + frac, true
	}
	return v, intPart, true
}

// groupThousands puts commas between groups of three digits.
func groupThousands(digits string) string {
	digits = strings.TrimLeft(digits, "0")
	if digits == "" {
		return "0"
	}
	var b strings.Builder
	for i, c := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// formatValue writes v the English way, with thousands grouped.
func formatValue(v float64) string {
	s := strconv.FormatFloat(v, 'f', -1, 64)
	intPart, frac, _ := strings.Cut(s, ".")
	if len(intPart) > 4 {
		intPart = groupThousands(intPart)
	}
	if frac != "" {
		return intPart + "." + frac
	}
	return intPart
}

var dutchMonths = map[string]int{
	"januari": 1, "jan": 1, "februari": 2, "feb": 2, "maart": 3, "mrt": 3,
	"april": 4, "apr": 4, "mei": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7,
	"augustus": 8, "aug": 8, "september": 9, "sep": 9, "sept": 9,
	"oktober": 10, "okt": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}

var englishMonthNames = []string{"", "January", "February", "March", "April", "May", "June",
	"July", "August", "September", "October", "November", "December"}

var englishMonths = map[string]int{
	"january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3,
	"april": 4, "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7,
	"august": 8, "aug": 8, "september": 9, "sep": 9, "sept": 9,
	"october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}

// dutchMultipliers are the words that scale a number, with the English
// word to keep (empty: write the number out, as English does for
// thousands).
var dutchMultipliers = map[string]struct {
	factor float64
	word   string
}{
	"duizend": {1e3, ""}, "miljoen": {1e6, "million"}, "mln": {1e6, "million"},
	"miljard": {1e9, "billion"}, "mld": {1e9, "billion"}, "mrd": {1e9, "billion"},
	"biljoen": {1e12, "trillion"},
}

// unitSuffixes may follow digits without a space and still leave a number.
var unitSuffixes = map[string]bool{
	"km": true, "m": true, "cm": true, "mm": true, "kg": true, "g": true, "mg": true,
	"l": true, "ml": true, "u": true, "h": true, "s": true, "min": true, "x": true,
	"kb": true, "mb": true, "gb": true, "tb": true, "kw": true, "kwh": true, "mw": true,
	"gw": true, "v": true, "w": true, "ft": true, "mi": true, "mph": true, "kmh": true,
	"kmu": true, "t": true, "ha": true,
}

// currencyBefore returns the currency sign or code written just before
// offset i ("€ 2,50", "EUR 10"), and where it starts.
func currencyBefore(s string, i int) (string, int) {
	t := strings.TrimRight(s[:i], " \u00a0\u202f\u2009")
	for _, c := range []struct{ sign, code string }{{"€", "€"}, {"EUR", "€"}, {"$", "$"}, {"USD", "$"}, {"£", "£"}, {"GBP", "£"}} {
		at := len(t) - len(c.sign)
		if strings.HasSuffix(t, c.sign) && !isWordRune(runeBefore(t, at)) {
			return c.code, at
		}
	}
	return "", i
}

// dutchMentions finds the numbers, amounts, percentages, dates and times
// in a Dutch text, as often as the text gives them: a translation must
// give each as often.
func dutchMentions(text string) []mention {
	s := blankLinks(text)
	var out []mention
	add := func(m mention) { out = append(out, m) }
	scanNumbers(s, func(n numberSpan) int {
		i, j, run := n.start, n.end, n.text
		start := i
		cur, textStart := currencyBefore(s, start)

		// Numeric dates: 14-11-2024, 14/11/2024.
		if d, mo, y, end, ok := numericDate(s, i); ok {
			add(mention{q: quantity{qDate, float64(mo*100 + d)}, text: s[i:end],
				want: fmt.Sprintf("%d %s %d", d, englishMonthNames[mo], y), label: "date", day: d, month: mo, year: y})
			add(mention{q: quantity{qNumber, float64(y)}, text: strconv.Itoa(y), want: strconv.Itoa(y), label: "number"})
			return end
		}
		// Fractions and ratios such as 1/3 or 24/7 are left alone.
		if j < len(s) && s[j] == '/' && j+1 < len(s) && isDigit(s[j+1]) {
			return numberRun(s, j+1)
		}
		// Clock times: 14.30 (uur), 14:30.
		if h, mi, end, ok := clockAt(s, n); ok && cur == "" {
			e := end
			if k := skipSpaces(s, e); strings.HasPrefix(s[k:], "uur") && !isWordRune(runeAt(s, k+3)) {
				e = k + 3
			}
			add(mention{q: quantity{qTime, float64(h*60 + mi)}, text: s[start:e],
				want: clockIn(h, mi, false), label: "time", hour: h, minute: mi})
			return end
		}
		v, english, ok := parseDutch(run)
		if !ok {
			return j
		}
		k := j
		// Letters straight after the digits: an ordinal or a unit, or
		// else a code that is not a number at all.
		ordinal := ""
		if le := letterRun(s, k); le > k {
			suf := strings.ToLower(s[k:le])
			switch {
			case suf == "e" || suf == "ste" || suf == "de":
				ordinal = suf
			case unitSuffixes[suf]:
			default:
				return le
			}
			k = le
		}
		m, end := dutchNumber(s, run, k, v, english, cur, ordinal)
		m.text = strings.TrimSpace(s[textStart:end])
		add(m)
		return j
	})
	for _, m := range dutchWordMentions(s) {
		add(m)
	}
	return out
}

// dutchNumber reads what follows a Dutch number whose digits end before
// offset k (and any ordinal or unit letters after them): a multiplier
// ("1,5 miljoen"), a percentage, a currency word, or a month that makes
// it a date. It returns the mention, but for its text, and where it ends.
func dutchNumber(s, run string, k int, v float64, english, cur, ordinal string) (mention, int) {
	end := k
	m := mention{q: quantity{qNumber, v}, want: english, label: "number", currency: cur}
	if ordinal != "" {
		m.want = english + englishOrdinalSuffix(v)
		m.alt = append(m.alt, quantity{qOrdinal, v})
	}
	// A multiplier word, then a unit word.
	next := skipSpaces(s, k)
	w, we := wordAt(s, next)
	if w == "mln" || w == "mld" || w == "mrd" {
		if we < len(s) && s[we] == '.' && !isDigit(byteAt(s, we+1)) {
			we++
		}
	}
	if mult, ok := dutchMultipliers[w]; ok && ordinal == "" {
		m.q.value = v * mult.factor
		if mult.word == "" {
			m.want = formatValue(m.q.value)
		} else {
			m.want = english + " " + mult.word
		}
		end = we
		next = skipSpaces(s, we)
		w, we = wordAt(s, next)
	}
	switch {
	case strings.HasPrefix(s[next:], "%"):
		m.percent = true
		end = next + 1
	case w == "procent" || w == "percent":
		m.percent = true
		end = we
	case w == "procentpunt" || w == "procentpunten":
		m.percent = true
		m.alt = append(m.alt, quantity{qNumber, m.q.value * 100}) // basis points
		end = we
	case (w == "euro" || w == "eurocent") && cur == "":
		m.currency = "€"
		end = we
	case w == "dollar" && cur == "":
		m.currency = "$"
		end = we
	}
	if _, isMonth := dutchMonths[w]; isMonth && m.currency == "" && !m.percent &&
		v == math.Trunc(v) && v >= 1 && v <= 31 && !strings.ContainsAny(run, ".,") {
		mo := dutchMonths[w]
		m = mention{q: quantity{qDate, float64(mo*100 + int(v))}, label: "date",
			want: fmt.Sprintf("%d %s", int(v), englishMonthNames[mo]), day: int(v), month: mo}
		end = we
		if y := skipSpaces(s, we); y+4 <= len(s) && isYear(s[y:y+4]) && !isDigit(byteAt(s, y+4)) {
			m.want += " " + s[y:y+4]
			m.year, _ = strconv.Atoi(s[y : y+4])
			end = y + 4
		}
	}
	switch {
	case m.percent && strings.Contains(w, "punt"):
		m.label = "percentage"
		m.want += " percentage point"
		if m.q.value != 1 {
			m.want += "s"
		}
	case m.percent:
		m.label = "percentage"
		m.want += "%"
	case m.currency != "":
		m.label = "amount"
		m.want = m.currency + m.want
		if m.q.value < 1 {
			m.alt = append(m.alt, quantity{qNumber, m.q.value * 100}) // cents
		}
	}
	return m, end
}

// byteAt returns s[i] or 0 past the end.
func byteAt(s string, i int) byte {
	if i < len(s) {
		return s[i]
	}
	return 0
}

func isYear(s string) bool {
	if len(s) != 4 || (s[0] != '1' && s[0] != '2') {
		return false
	}
	for i := 0; i < 4; i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

// skipToken returns the end of the letters, digits and underscores at i.
func skipToken(s string, i int) int {
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if !isWordRune(r) && r != '_' {
			break
		}
		i += size
	}
	return i
}

// numericDate reads d-m-yyyy or d/m/yyyy at i.
func numericDate(s string, i int) (d, m, y, end int, ok bool) {
	re := numericDateRE.FindStringSubmatchIndex(s[i:])
	if re == nil {
		return 0, 0, 0, 0, false
	}
	end = i + re[1]
	if isDigit(byteAt(s, end)) {
		return 0, 0, 0, 0, false
	}
	d, _ = strconv.Atoi(s[i+re[2] : i+re[3]])
	m, _ = strconv.Atoi(s[i+re[4] : i+re[5]])
	y, _ = strconv.Atoi(s[i+re[6] : i+re[7]])
	if d < 1 || d > 31 || m < 1 || m > 12 {
		return 0, 0, 0, 0, false
	}
	return d, m, y, end, true
}

var numericDateRE = regexp.MustCompile(`^(\d{1,2})[-/](\d{1,2})[-/](\d{4})`)

// englishOrdinalSuffix returns "st", "nd", "rd" or "th" for v.
func englishOrdinalSuffix(v float64) string {
	n := int64(v)
	if n%100 >= 11 && n%100 <= 13 {
		return "th"
	}
	switch n % 10 {
	case 1:
		return "st"
	case 2:
		return "nd"
	case 3:
		return "rd"
	}
	return "th"
}

// occurrence is a place in an English text that states a quantity, with
// every value it may be read as: "2.30" is both 2.3 and half past two
// (or fourteen thirty), "12 300" is 12,300 and also 12 and 300. Reading
// too much into one place can hide a fault but never raise a false
// alarm; and each place stands for one of the source's quantities only,
// so a number the source gives twice must be given twice.
type occurrence struct {
	start, end int
	values     []quantity
	// digits is set for a number written with digits; loose for a word
	// that says a count without being a numeral ("both", "twice"),
	// which renders a number the source writes as a word, never one in
	// digits.
	digits, loose bool
}

// has reports whether the occurrence may be read as q.
func (o occurrence) has(q quantity) bool {
	for _, v := range o.values {
		if v.equal(q) {
			return true
		}
	}
	return false
}

// englishReader collects the occurrences of an English text.
type englishReader struct {
	out []occurrence
}

// begin starts an occurrence over s[start:end].
func (r *englishReader) begin(start, end int, digits, loose bool) {
	r.out = append(r.out, occurrence{start: start, end: end, digits: digits, loose: loose})
}

// add gives the occurrence begun last one more reading.
func (r *englishReader) add(kind qkind, v float64) {
	o := &r.out[len(r.out)-1]
	q := quantity{kind, v}
	if !o.has(q) {
		o.values = append(o.values, q)
	}
}

// extend makes the occurrence begun last reach to end.
func (r *englishReader) extend(end int) {
	o := &r.out[len(r.out)-1]
	o.end = max(o.end, end)
}

// englishOccurrences finds every place an English text states a number,
// amount, date or time, in any notation English news uses, British or
// American: "80,000", "80 000", "eighty thousand", "1.5 million", "€1.5m",
// "2.3 per cent", "1 December 2022", "December 1, 2022", "the 1st of
// December", "14:30", "07:15", "7.15am", "7.15 am", "7:15 a.m.", "noon".
// Links and handles are left out: their digits are compared as they are.
// The summary's figures and the translation's are read with it alike.
func englishOccurrences(text string) []occurrence {
	s := blankLinks(text)
	r := &englishReader{}
	addClock := func(h, mi int, ampm string) {
		switch ampm {
		case "am":
			r.add(qTime, float64((h%12)*60+mi))
		case "pm":
			r.add(qTime, float64((h%12+12)*60+mi))
		default:
			r.add(qTime, float64(h*60+mi))
			if h < 12 {
				r.add(qTime, float64((h+12)*60+mi))
			}
			if h == 12 {
				r.add(qTime, float64(mi))
			}
		}
	}
	scanNumbers(s, func(n numberSpan) int {
		i, j, run := n.start, n.end, n.text
		r.begin(i, j, true, false)
		// Thousands grouped with spaces: 80 000.
		if len(run) <= 3 && !strings.ContainsAny(run, ".,") {
			grouped := run
			k := j
			for {
				n := spaceAt(s, k)
				if n == 0 || k+n+3 > len(s) || !isDigit(s[k+n]) || !isDigit(s[k+n+1]) || !isDigit(s[k+n+2]) || isDigit(byteAt(s, k+n+3)) {
					break
				}
				grouped += s[k+n : k+n+3]
				k += n + 3
			}
			if grouped != run {
				v, _ := strconv.ParseFloat(grouped, 64)
				r.add(qNumber, v)
				r.extend(k)
				addMultiplied(s, k, v, r.add)
			}
		}
		// Dates written in digits: 14/11/2024, 2024-11-14.
		if m := englishNumericDateRE.FindStringSubmatch(s[i:]); m != nil {
			a, _ := strconv.Atoi(m[1])
			b, _ := strconv.Atoi(m[2])
			r.add(qDate, float64(b*100+a))
			r.add(qDate, float64(a*100+b))
		}
		if m := isoDateRE.FindStringSubmatch(s[i:]); m != nil {
			mo, _ := strconv.Atoi(m[2])
			d, _ := strconv.Atoi(m[3])
			r.add(qDate, float64(mo*100+d))
		}
		// Clock times: 14:30, 07:15, 2.30pm, 7.15 am, 2:30 p.m.
		h, mi, end, ok := clockAt(s, n)
		if ok {
			addClock(h, mi, ampmAt(s, end))
			r.extend(end)
		}
		var vals []float64
		switch {
		case englishGroupedRE.MatchString(run):
			v, _ := strconv.ParseFloat(strings.ReplaceAll(run, ",", ""), 64)
			vals = append(vals, v)
		case englishPlainRE.MatchString(run):
			v, _ := strconv.ParseFloat(run, 64)
			vals = append(vals, v)
		default:
			// Not English notation ("2,3", "80.000"): only its parts.
			for _, p := range strings.FieldsFunc(run, func(r rune) bool { return r == '.' || r == ',' }) {
				v, _ := strconv.ParseFloat(p, 64)
				vals = append(vals, v)
			}
		}
		for _, v := range vals {
			if math.IsInf(v, 0) || math.IsNaN(v) {
				continue
			}
			r.add(qNumber, v)
		}
		if len(vals) == 1 {
			v := vals[0]
			k := end
			if le := letterRun(s, k); le > k {
				switch suf := strings.ToLower(s[k:le]); suf {
				case "m", "mn", "mln":
					r.add(qNumber, v*1e6)
				case "bn", "b":
					r.add(qNumber, v*1e9)
				case "k":
					r.add(qNumber, v*1e3)
				case "tn":
					r.add(qNumber, v*1e12)
				case "st", "nd", "rd", "th":
					r.add(qOrdinal, v)
				}
			}
			if v == math.Trunc(v) && v <= 24 && end == j {
				if ap := ampmAt(s, j); ap != "" || oclockAt(s, j) {
					addClock(int(v), 0, ap)
				} else if v <= 12 && ampmSoonRE.MatchString(s[j:min(len(s), j+16)]) {
					// "between 3 and 9pm": the pm is shared.
					addClock(int(v), 0, "")
				}
			}
			addMultiplied(s, j, v, r.add)
		}
		return j
	})
	englishDates(s, r)
	englishWordQuantities(s, r)
	for _, w := range words(asciiLower(s)) {
		switch w.text {
		case "noon", "midday":
			r.begin(w.start, w.end, false, false)
			r.add(qTime, 720)
		case "midnight":
			r.begin(w.start, w.end, false, false)
			r.add(qTime, 0)
			r.add(qTime, 1440)
		}
	}
	return r.out
}

var (
	ampmSoonRE           = regexp.MustCompile(`^\s*(?:and|to|until|till|-|–)\s*\d{1,2}(?:[.:]\d{2})?\s*(?i:[ap]\.?m\b)`)
	englishNumericDateRE = regexp.MustCompile(`^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})\b`)
	isoDateRE            = regexp.MustCompile(`^(\d{4})-(\d{2})-(\d{2})\b`)
)

// addMultiplied adds v scaled by an English multiplier word at k
// ("1.5 million", "2 bn").
func addMultiplied(s string, k int, v float64, add func(qkind, float64)) {
	w, _ := wordAt(s, skipSpaces(s, k))
	switch w {
	case "thousand":
		add(qNumber, v*1e3)
	case "million", "m", "mn", "mln":
		add(qNumber, v*1e6)
	case "billion", "bn":
		add(qNumber, v*1e9)
	case "trillion", "tn":
		add(qNumber, v*1e12)
	case "dozen":
		add(qNumber, v*12)
	}
}

// ampmAt returns "am" or "pm" when one follows offset i.
func ampmAt(s string, i int) string {
	k := skipSpaces(s, i)
	w, e := wordAt(s, k)
	switch w {
	case "am", "pm":
		if e == len(s) || !isWordRune(runeAt(s, e)) {
			return w
		}
	case "a", "p":
		if strings.HasPrefix(strings.ToLower(s[e:]), ".m.") {
			return w + "m"
		}
	}
	return ""
}

// oclockAt reports whether "o'clock" follows offset i.
func oclockAt(s string, i int) bool {
	t := strings.ToLower(s[skipSpaces(s, i):])
	return strings.HasPrefix(t, "o'clock") || strings.HasPrefix(t, "o’clock")
}

var (
	monthPattern = `(january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\.?`
	dayMonthRE   = regexp.MustCompile(`\b(\d{1,2})(?:st|nd|rd|th)?(?:\s+of)?[\s\x{a0}]+` + monthPattern + `\b`)
	monthDayRE   = regexp.MustCompile(`\b` + monthPattern + `[\s\x{a0}]+(\d{1,2})(?:st|nd|rd|th)?\b`)
)

// monthStems are the first three letters of every month's English name
// and abbreviation.
var monthStems = [...]string{"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"}

// hasMonthStem reports whether the lower-case text f may name a month.
func hasMonthStem(f string) bool {
	for _, m := range monthStems {
		if strings.Contains(f, m) {
			return true
		}
	}
	return false
}

// englishDates adds the day-and-month dates in an English text: "1
// December", "December 1st", "1st of December".
func englishDates(s string, r *englishReader) {
	if !strings.ContainsAny(s, "0123456789") {
		return
	}
	f := asciiLower(s)
	if !hasMonthStem(f) {
		// Most texts name no month: the regexps' backtracking over every
		// digit was a good part of the checks' cost.
		return
	}
	for _, m := range dayMonthRE.FindAllStringSubmatchIndex(f, -1) {
		d, _ := strconv.Atoi(f[m[2]:m[3]])
		r.begin(m[0], m[1], false, false)
		r.add(qDate, float64(englishMonths[f[m[4]:m[5]]]*100+d))
	}
	for _, m := range monthDayRE.FindAllStringSubmatchIndex(f, -1) {
		d, _ := strconv.Atoi(f[m[4]:m[5]])
		r.begin(m[0], m[1], false, false)
		r.add(qDate, float64(englishMonths[f[m[2]:m[3]]]*100+d))
	}
}

// asciiLower lowers the ASCII letters of s only, keeping its offsets.
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// fits reports whether an occurrence in a translation may render a
// mention of the source: one of its readings is the mention's value, and
// a loose word ("both") stands for a number written as a word only.
func (m mention) fits(o occurrence) bool {
	if o.loose && !m.word {
		return false
	}
	if o.has(m.q) {
		return true
	}
	for _, a := range m.alt {
		if o.has(a) {
			return true
		}
	}
	return false
}

// matchMentions pairs each mention with an occurrence that renders it,
// each occurrence rendering one mention at most, as many as can be
// paired. It returns, per mention, the index of its occurrence or -1.
func matchMentions(ms []mention, os []occurrence) []int {
	of := make([]int, len(ms)) // mention → occurrence
	by := make([]int, len(os)) // occurrence → mention
	for i := range of {
		of[i] = -1
	}
	for i := range by {
		by[i] = -1
	}
	var seen []bool
	var try func(m int) bool
	try = func(m int) bool {
		for o := range os {
			if seen[o] || !ms[m].fits(os[o]) {
				continue
			}
			seen[o] = true
			if by[o] < 0 || try(by[o]) {
				of[m], by[o] = o, m
				return true
			}
		}
		return false
	}
	for m := range ms {
		seen = make([]bool, len(os))
		try(m)
	}
	return of
}

// checkNumbers reports the source's quantities that the translation does
// not state, and those it states fewer times than the source where it
// gives a figure of its own instead: "3.400 … 3.400" rendered "3,400 …
// 3,500".
func checkNumbers(source, translation string, e pipeline.English) []Problem {
	ms := dutchMentions(source)
	if len(ms) == 0 {
		return nil
	}
	os := englishOccurrences(translation)
	of := matchMentions(ms, os)
	lt := fold(blankLinks(translation))
	var out []Problem
	var extra *occurrence // a figure the translation gives and the source does not
	for i, m := range ms {
		found := of[i] >= 0
		if found && m.currency != "" {
			found = hasCurrency(translation, lt, m.currency)
		}
		if found && m.percent {
			found = strings.Contains(lt, "%") || hasForm(lt, "per cent") || hasForm(lt, "percent") ||
				hasForm(lt, "percentage") || hasForm(lt, "pct") || hasForm(lt, "basis point")
		}
		if found {
			continue
		}
		if of[i] < 0 && m.currency == "" && !m.percent && rendered(m, os) {
			// The value is there, but for another of the same: the
			// translation gives it fewer times. That is a fault only
			// where it gives another figure in its place.
			if extra == nil {
				extra = extraFigure(ms, os, of)
			}
			if extra == nil {
				continue
			}
			n := 0
			for _, o := range ms {
				if o.q.equal(m.q) {
					n++
				}
			}
			want := m.wantIn(e)
			out = append(out, Problem{Kind: KindNumber, Source: m.text, Want: want,
				Message: fmt.Sprintf("%s %q is given %d times in the source but fewer in the translation, which has %q instead",
					m.label, m.text, n, translation[extra.start:extra.end]),
				Instruction: fmt.Sprintf("the source gives %s %q %d times; give %s each time, and no figure the source does not have",
					m.label, m.text, n, want)})
			continue
		}
		want := m.wantIn(e)
		out = append(out, Problem{Kind: KindNumber, Source: m.text, Want: want,
			Message: fmt.Sprintf("%s %q should appear as %s", m.label, m.text, want)})
	}
	return out
}

// rendered reports whether some occurrence may render m.
func rendered(m mention, os []occurrence) bool {
	for _, o := range os {
		if m.fits(o) {
			return true
		}
	}
	return false
}

// extraFigure returns an occurrence written in digits that renders no
// mention and lies in none that does: a figure the translation gives
// that the source does not have. Nil when there is none.
func extraFigure(ms []mention, os []occurrence, of []int) *occurrence {
	used := make([]bool, len(os))
	for _, o := range of {
		if o >= 0 {
			used[o] = true
		}
	}
outer:
	for k, o := range os {
		if !o.digits || used[k] {
			continue
		}
		for _, m := range ms {
			if m.fits(o) {
				continue outer
			}
		}
		for u := range os {
			if used[u] && os[u].start < o.end && o.start < os[u].end {
				continue outer
			}
		}
		return &os[k]
	}
	return nil
}
