package check

import (
	"strings"
	"unicode"
)

// countQuotations counts the quoted passages of a text: each opening ‘,
// „, “, « or ‹ that is closed later, each pair of straight double quotes,
// and each straight single quote that opens a passage (after a space or
// the start, before a letter) and is closed later. Apostrophes ("Russia's",
// "zo'n", "'s nachts") are not quotation marks.
func countQuotations(s string) int {
	rs := []rune(s)
	closers := lastClosers(rs)
	n := 0
	straightDouble := 0
	for i, r := range rs {
		switch r {
		case '"':
			straightDouble++
		case '‘', '„', '“', '«', '‹':
			if closers[r] > i {
				n++
			}
		case '\'':
			if opensQuote(rs, i) && closers['\''] > i {
				n++
			}
		}
	}
	return n + straightDouble/2
}

// lastClosers returns, for each opening mark, the position of the last
// mark that may close it (-1 when none): ’ for ‘; ”, “ or " for „; and
// for a straight single quote, the last one that ends a passage.
func lastClosers(rs []rune) map[rune]int {
	last := map[rune]int{'‘': -1, '„': -1, '“': -1, '«': -1, '‹': -1, '\'': -1}
	for k, r := range rs {
		switch r {
		case '’':
			last['‘'] = k
		case '”':
			last['„'], last['“'] = k, k
		case '“', '"':
			last['„'] = k
		case '»':
			last['«'] = k
		case '›':
			last['‹'] = k
		case '\'':
			if k > 0 && !unicode.IsSpace(rs[k-1]) && (k+1 == len(rs) || !(unicode.IsLetter(rs[k+1]) || unicode.IsDigit(rs[k+1]))) {
				last['\''] = k
			}
		}
	}
	return last
}

// countTopLevelQuotations counts the quoted passages of a Dutch source
// that are not inside another one: "‘Het concept ‘leven’ bestaat niet
// meer’" is one quotation, which a translation may render with the inner
// marks or without.
func countTopLevelQuotations(s string) int {
	rs := []rune(s)
	n, depth := 0, 0
	inDouble := false
	open := func() {
		if depth == 0 {
			n++
		}
		depth++
	}
	shut := func() {
		if depth > 0 {
			depth--
		}
	}
	closers := lastClosers(rs)
	for i, r := range rs {
		switch r {
		case '‘', '„', '“', '«', '‹':
			open()
		case '”', '»', '›':
			shut()
		case '’':
			if i+1 == len(rs) || !unicode.IsLetter(rs[i+1]) {
				shut()
			}
		case '"':
			if inDouble {
				shut()
			} else {
				open()
			}
			inDouble = !inDouble
		case '\'':
			if opensQuote(rs, i) && closers['\''] > i {
				open()
			} else if i > 0 && !unicode.IsSpace(rs[i-1]) && (i+1 == len(rs) || !unicode.IsLetter(rs[i+1])) {
				shut()
			}
		}
	}
	return n
}

// opensQuote reports whether the straight single quote at i opens a
// passage rather than being an apostrophe.
func opensQuote(rs []rune, i int) bool {
	if i > 0 {
		p := rs[i-1]
		if !unicode.IsSpace(p) && !strings.ContainsRune("([{—–-/\"“", p) {
			return false
		}
	}
	if i+1 >= len(rs) || !(unicode.IsLetter(rs[i+1]) || unicode.IsDigit(rs[i+1])) {
		return false
	}
	// Dutch clitics: 's nachts, 't is, 's-Gravenhage.
	if i+2 < len(rs) && (rs[i+1] == 's' || rs[i+1] == 't') && (unicode.IsSpace(rs[i+2]) || rs[i+2] == '-') {
		return false
	}
	return true
}
