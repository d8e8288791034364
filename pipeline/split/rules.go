package split

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/nl2en/nl2en/pipeline/dutch"
)

// This file holds the rules that tell a segment's kind from its text.
// They take the text with Markdown inline markup removed (stripInline).

var (
	// rxAttribution is the signature under an embedded post:
	// "— Name (@handle) 1 december 2022".
	rxAttribution = regexp.MustCompile(`[—–-][ \t]*[^—–\n]{1,80}\(@[\p{L}\p{N}_.]{1,30}\)[^\n]{0,40}$`)
	// rxAttributionOnly is a line that is nothing but such a signature,
	// perhaps after the post's picture link.
	rxAttributionOnly = regexp.MustCompile(`^(?:pic\.twitter\.com/\S+\s*)?[—–][ \t]*[^—–\n]{1,80}\(@[\p{L}\p{N}_.]{1,30}\)[^\n]{0,40}$`)
	rxEmbedLink       = regexp.MustCompile(`(?i)\bpic\.twitter\.com/\w|\bhttps?://t\.co/\w|(?:^|\s)t\.co/\w`)
	rxEmbedPhrase     = regexp.MustCompile(`(?i)^(?:bekijk (?:deze|dit) (?:post|bericht|video|foto) op (?:instagram|tiktok|facebook|x|twitter|youtube|threads|bluesky)|view this (?:post|video) on (?:instagram|tiktok|facebook|youtube|threads)|(?:een|this) (?:bericht|post|video|foto) (?:gedeeld|geplaatst) door .{1,80}\(@[\p{L}\p{N}_.]{1,30}\)|a (?:post|video|photo) shared by .{1,80}\(@[\p{L}\p{N}_.]{1,30}\))`)

	// rxReadMore starts a link to another article: "Lees ook:", "Lees
	// meer over:", "Bekijk ook". It is furniture only as a prompt (a
	// colon or arrow follows, or nothing much): "Lees ook het rapport,
	// waarin staat dat …" is a sentence.
	rxReadMore = regexp.MustCompile(`(?i)^(?:lees|bekijk|kijk|luister|zie) (?:ook|meer|verder|hier)(?: (?:over|nieuws over))?\b|^meer (?:over|nieuws over|lezen)\b`)
	// rxFurniture is the rest of the site's furniture, as whole lines.
	rxFurniture = regexp.MustCompile(`(?i)^(?:` +
		`(?:advertentie|advertisement|adv\.?|gesponsord|gesponsorde (?:inhoud|content)|sponsored|partnercontent|paid content)` +
		`|(?:deel|delen)(?: (?:dit|deze|het))?(?: (?:artikel|bericht|pagina|video|verhaal|nieuws))?(?: (?:via|op) [^.]{1,60})?:?` +
		`|(?:share|share this article|print|print dit artikel|e-?mail|kopieer (?:de )?link|link gekopieerd)` +
		`|volg (?:ons|[^.]{1,40}) op (?:facebook|instagram|x|twitter|linkedin|whatsapp|tiktok|youtube|threads|bluesky|google nieuws)\b.*` +
		`|(?:meld je aan|schrijf je in) (?:voor|op) (?:de|onze|deze) [^.]*nieuwsbrief\b.*` +
		`|(?:abonneer je|word abonnee|neem een abonnement)\b.*` +
		`|(?:tip de redactie|heb je een tip|heeft u een tip)\b.*` +
		`|(?:reageer|reacties|\d+ reacties)` +
		`)$`)

	rxByline = regexp.MustCompile(`^(?:Door|Tekst|Tekst en beeld|Tekst en foto's|Van onze|Van ons)\b:?`)

	// rxDatelinePlace is an inline dateline: a place in capitals,
	// optionally an agency in brackets, and a dash: "ROTTERDAM -",
	// "KYIV (ANP) -", "'S-HERTOGENBOSCH –". A place not in capitals
	// counts only with an agency: "Kyiv (ANP) -".
	rxDatelineCaps   = regexp.MustCompile(`^((?:['’]?[\p{Lu}][\p{Lu}\p{M}'’.\-]*)(?: ['’]?[\p{Lu}][\p{Lu}\p{M}'’.\-]*){0,3}(?: \([\p{L}/ .]{1,20}\))? [-–—])(\s+)\S`)
	rxDatelineAgency = regexp.MustCompile(`^([\p{Lu}][\p{L}\p{M}'’.\-]+(?: [\p{L}\p{M}'’.\-]+){0,2} \((?:ANP|AP|AFP|Reuters|Belga|DPA|dpa|Novum|EFE|Bloomberg|RTR)\) [-–—])(\s+)\S`)
)

// isEmbed reports whether text is (part of) an embedded social-media
// post: a post signature, a Twitter picture or t.co link, or Instagram's
// "Bekijk deze post op Instagram".
func isEmbed(text string) bool {
	t := strings.TrimSpace(text)
	// The regular expressions backtrack over long paragraphs; most text
	// lacks what each of them needs.
	if strings.Contains(t, "(@") && rxAttribution.MatchString(t) {
		return true
	}
	if lower := strings.ToLower(t); (strings.Contains(lower, "t.co/") || strings.Contains(lower, "pic.twitter.com/")) && rxEmbedLink.MatchString(t) {
		return true
	}
	return startsWithFold(t, "bekijk", "view", "een", "this", "a ") && rxEmbedPhrase.MatchString(t)
}

// startsWithFold reports whether s starts with one of the prefixes,
// ignoring case.
func startsWithFold(s string, prefixes ...string) bool {
	for _, p := range prefixes {
		if len(s) >= len(p) && strings.EqualFold(s[:len(p)], p) {
			return true
		}
	}
	return false
}

// isAttributionOnly reports whether text is only the signature of a post
// whose body came in the block before.
func isAttributionOnly(text string) bool {
	return rxAttributionOnly.MatchString(strings.TrimSpace(text))
}

// isFurniture reports whether text is page furniture: "Lees ook: …",
// "Advertentie", "Deel dit artikel" and other prompts that belong to the
// site rather than the article.
func isFurniture(text string) bool {
	t := strings.TrimSpace(text)
	if utf8.RuneCountInString(t) > 250 || len(strings.Fields(t)) > 25 {
		return false
	}
	if m := rxReadMore.FindStringIndex(t); m != nil {
		rest := strings.TrimSpace(t[m[1]:])
		r, _ := utf8.DecodeRuneInString(rest)
		return rest == "" || strings.ContainsRune(":›»>|→[", r) || len(strings.Fields(t)) <= 4
	}
	return len(strings.Fields(t)) <= 15 && rxFurniture.MatchString(t)
}

// creditKeywords start a photo credit.
var creditKeywords = []string{"Beeld", "Foto's", "Foto", "Fotografie", "Illustratie", "Afbeelding", "Still", "Video", "Credit", "©"}

// creditWords are the lowercase words a credit may hold besides names.
var creditWords = map[string]bool{
	"van": true, "de": true, "der": true, "den": true, "het": true, "ten": true, "ter": true,
	"te": true, "voor": true, "en": true, "via": true, "uit": true, "archief": true,
	"eigen": true, "privéfoto": true, "privécollectie": true, "still": true,
	"screenshot": true, "video": true, "beeld": true, "foto": true, "/": true, "|": true,
	"-": true, "&": true, "©": true,
}

// isCaption reports whether text is a photo caption: it ends in a credit
// such as "Beeld AP", "Foto: Sietse Brouwer/ANP", "(foto ANP)" or
// "© ANP", or is nothing but one.
func isCaption(text string) bool {
	t := strings.TrimSpace(text)
	if t == "" || utf8.RuneCountInString(t) > 500 || len(strings.Fields(t)) > 70 {
		return false
	}
	t = strings.TrimSuffix(t, ".")
	// "(foto ANP)", "(Foto: Jan Jansen)", "(beeld Reuters)".
	if strings.HasSuffix(t, ")") {
		if open := strings.LastIndex(t, "("); open >= 0 {
			inner := t[open+1 : len(t)-1]
			for _, k := range creditKeywords {
				if len(inner) > len(k) && strings.EqualFold(inner[:len(k)], k) {
					rest := inner[len(k):]
					if r, _ := utf8.DecodeRuneInString(rest); r == ':' || r == ' ' {
						return isCredit(rest)
					}
				}
			}
		}
	}
	// "… Beeld AP", "Foto: …", at the start or after a sentence.
	for _, k := range creditKeywords {
		for from := 0; ; {
			i := strings.Index(t[from:], k)
			if i < 0 {
				break
			}
			i += from
			from = i + len(k)
			if i > 0 && !afterSentence(t[:i]) {
				continue
			}
			rest := t[i+len(k):]
			if r, _ := utf8.DecodeRuneInString(rest); r != ':' && r != ' ' {
				continue
			}
			if isCredit(rest) {
				return true
			}
		}
	}
	return false
}

// afterSentence reports whether s ends where a credit may begin: after a
// sentence, a closing bracket or quote, and a space.
func afterSentence(s string) bool {
	if !strings.HasSuffix(s, " ") {
		return false
	}
	s = strings.TrimRight(s, " ")
	r, _ := utf8.DecodeLastRuneInString(s)
	return strings.ContainsRune(".!?)’”\"'…|", r)
}

// isCredit reports whether s (what follows "Beeld" or "Foto") is a short
// list of names: capitalised words, agencies, or the few lowercase words
// that credits use.
func isCredit(s string) bool {
	s = strings.TrimLeft(s, ": ")
	words := strings.Fields(s)
	if len(words) == 0 || len(words) > 9 {
		return false
	}
	named := false
	for _, w := range words {
		w = strings.Trim(w, ",;()")
		if w == "" {
			continue
		}
		r, _ := utf8.DecodeRuneInString(w)
		switch {
		case unicode.IsUpper(r) || unicode.IsDigit(r):
			named = true
		case creditWords[strings.ToLower(w)]:
			if w == "archief" || w == "screenshot" || w == "privéfoto" {
				named = true
			}
		default:
			return false
		}
		if strings.ContainsAny(w, ".!?") && !strings.HasSuffix(w, ".") {
			return false
		}
	}
	return named
}

// bylineWords are the lowercase words a byline may hold besides names.
var bylineWords = map[string]bool{
	"van": true, "de": true, "der": true, "den": true, "het": true, "ten": true, "ter": true,
	"te": true, "'t": true, "’t": true, "in": true, "uit": true, "vanuit": true, "en": true,
	"onze": true, "ons": true, "eigen": true, "verslaggever": true, "verslaggevers": true,
	"verslaggeefster": true, "correspondent": true, "correspondenten": true,
	"redacteur": true, "redacteuren": true, "redactie": true, "medewerker": true,
	"met": true, "medewerking": true, "beeld": true, "foto's": true, "tekst": true,
	"&": true, "|": true, "-": true, "–": true, "januari": true, "februari": true,
	"maart": true, "april": true, "mei": true, "juni": true, "juli": true,
	"augustus": true, "september": true, "oktober": true, "november": true,
	"december": true, "om": true, "uur": true,
}

// isByline reports whether text names the article's authors: "Door Anna
// de Vries", "Van onze correspondent in Brussel", "Tekst: Jan Smit".
// "Door de storm vielen bomen om" is a sentence, not a byline: every word
// after "Door" must be a name or one of the few words bylines use.
func isByline(text string) bool {
	t := strings.TrimSpace(text)
	loc := rxByline.FindStringIndex(t)
	if loc == nil || utf8.RuneCountInString(t) > 120 {
		return false
	}
	words := strings.Fields(t[loc[1]:])
	if len(words) > 12 || (len(words) == 0 && !strings.HasPrefix(t, "Van ")) {
		return false
	}
	for _, w := range words {
		w = strings.Trim(w, ",;:()")
		if w == "" {
			continue
		}
		r, _ := utf8.DecodeRuneInString(w)
		if unicode.IsUpper(r) || unicode.IsDigit(r) || bylineWords[strings.ToLower(w)] {
			continue
		}
		return false
	}
	// A full stop is allowed only after an initial or an abbreviation.
	if strings.HasSuffix(t, ".") && len(words) > 0 {
		last := words[len(words)-1]
		if utf8.RuneCountInString(last) > 3 {
			return false
		}
	}
	return true
}

// dateWords are the words of a date line: 3 for a month, 2 for a day,
// 1 for a word that may stand beside a date.
var dateWords = map[string]int{
	"maandag": 2, "dinsdag": 2, "woensdag": 2, "donderdag": 2, "vrijdag": 2,
	"zaterdag": 2, "zondag": 2, "ma": 2, "di": 2, "wo": 2, "do": 2, "vr": 2, "za": 2, "zo": 2,
	"vandaag": 2, "gisteren": 2, "eergisteren": 2,
	"januari": 3, "februari": 3, "maart": 3, "april": 3, "mei": 3, "juni": 3, "juli": 3,
	"augustus": 3, "september": 3, "oktober": 3, "november": 3, "december": 3,
	"jan": 3, "feb": 3, "mrt": 3, "apr": 3, "jun": 3, "jul": 3, "aug": 3, "sep": 3,
	"sept": 3, "okt": 3, "nov": 3, "dec": 3,
	"om": 1, "uur": 1, "gepubliceerd": 1, "bijgewerkt": 1, "geplaatst": 1,
	"aangepast": 1, "laatste": 1, "update": 1, "op": 1, "geüpdatet": 1, "u": 1,
}

var (
	rxNumericDate = regexp.MustCompile(`^\d{1,2}[-/.]\d{1,2}[-/.](?:\d{2}|\d{4})$`)
	rxTime        = regexp.MustCompile(`^\d{1,2}[.:]\d{2}(?:u|uur)?$`)
	rxNumber      = regexp.MustCompile(`^\d{1,4}$`)
)

// isDateLine reports whether text is a stand-alone date line:
// "Donderdag 14 november 2024, 17.40 uur", "14-11-2024 17:40",
// "Bijgewerkt: 14 nov. 2024".
func isDateLine(text string) bool {
	t := strings.TrimSpace(text)
	if t == "" || utf8.RuneCountInString(t) > 80 {
		return false
	}
	// "Nieuwsbericht | 03-03-2025 | 09:30", "Persbericht | 3 maart 2025":
	// the kind of publication, then its date.
	if label, rest, ok := strings.Cut(t, "|"); ok && isDateLabel(label) {
		return isDateLine(rest)
	}
	tokens := strings.FieldsFunc(t, func(r rune) bool {
		return unicode.IsSpace(r) || strings.ContainsRune(",|·•()", r)
	})
	var numericDate, month, day, clock, number, stamp bool
	for _, tok := range tokens {
		tok = strings.TrimRight(tok, ".:")
		low := strings.ToLower(tok)
		switch {
		case tok == "" || tok == "-" || tok == "–" || tok == "—":
		case rxNumericDate.MatchString(tok):
			numericDate = true
		case rxTime.MatchString(tok):
			clock = true
		case rxNumber.MatchString(tok):
			number = true
		case dateWords[low] == 3:
			month = true
		case dateWords[low] == 2:
			day = true
		case dateWords[low] == 1:
			stamp = stamp || (low != "om" && low != "uur" && low != "op" && low != "u")
		default:
			return false
		}
	}
	return numericDate || (month && number) || (day && (clock || number)) || (stamp && clock)
}

// isDateLabel reports whether s can name the kind of a publication before
// its date: one to three words ("Nieuwsbericht", "Kamerstuk: Kamerbrief")
// starting with a capital, letters only.
func isDateLabel(s string) bool {
	words := strings.Fields(s)
	if len(words) == 0 || len(words) > 3 {
		return false
	}
	if r, _ := utf8.DecodeRuneInString(words[0]); !unicode.IsUpper(r) {
		return false
	}
	for _, w := range words {
		for _, r := range strings.TrimSuffix(w, ":") {
			if !unicode.IsLetter(r) && r != '-' {
				return false
			}
		}
	}
	return true
}

// splitDateline splits an inline dateline from the start of a paragraph:
// "ROTTERDAM - De rechtbank …" gives "ROTTERDAM -", " " and "De rechtbank
// …".
func splitDateline(text string) (dateline, space, rest string, ok bool) {
	for _, rx := range []*regexp.Regexp{rxDatelineCaps, rxDatelineAgency} {
		m := rx.FindStringSubmatchIndex(text)
		if m == nil {
			continue
		}
		place := text[m[2]:m[3]]
		if rx == rxDatelineCaps && upperLetters(place) < 2 {
			continue
		}
		return place, text[m[4]:m[5]], text[m[5]:], true
	}
	return "", "", "", false
}

func upperLetters(s string) int {
	n := 0
	for _, r := range s {
		if unicode.IsUpper(r) {
			n++
		}
	}
	return n
}

// isWholeQuote reports whether text is wholly a quotation: it opens with a
// quotation mark, and the quotation closes only at the end (before, at
// most, final punctuation). "‘…’, zei hij. ‘…’" is a paragraph with
// quotes, not a quote.
func isWholeQuote(text string) bool {
	t := strings.TrimSpace(text)
	rs := []rune(t)
	if len(rs) < 2 || !isOpenQuote(rs, 0) {
		return false
	}
	var stack []rune
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch {
		case isCloseQuote(rs, i, stack):
			stack = stack[:len(stack)-1]
			if len(stack) == 0 {
				return strings.Trim(string(rs[i+1:]), ".,!?;:…) \n\t") == ""
			}
		case isOpenQuote(rs, i):
			stack = append(stack, r)
		}
	}
	return false
}

func isOpenQuote(rs []rune, i int) bool {
	r := rs[i]
	prevSpace := i == 0 || unicode.IsSpace(rs[i-1]) || strings.ContainsRune("(‘“„«‚\"'—–-", rs[i-1])
	nextText := i+1 < len(rs) && !unicode.IsSpace(rs[i+1])
	switch r {
	case '„', '«', '‚':
		return true
	case '‘', '“':
		return prevSpace && nextText
	case '"':
		return prevSpace && nextText
	case '\'':
		// A straight apostrophe opens a quote only at the very start;
		// elsewhere it is "’s avonds", "de jaren '80" or "zo'n".
		return i == 0 && nextText && unicode.IsLetter(rs[i+1])
	}
	return false
}

func isCloseQuote(rs []rune, i int, stack []rune) bool {
	if len(stack) == 0 {
		return false
	}
	r := rs[i]
	prevText := i > 0 && !unicode.IsSpace(rs[i-1])
	nextEnd := i+1 == len(rs) || !unicode.IsLetter(rs[i+1])
	if !prevText || !nextEnd {
		// Between letters it is an apostrophe: "zo’n", "schema’s".
		return false
	}
	top := stack[len(stack)-1]
	switch r {
	case '’', '”', '»':
		return true
	case '“':
		// „…“, the German-style pair.
		return top == '„'
	case '"':
		return top == '"' || top == '„' || top == '“'
	case '\'':
		return top == '\'' || top == '‘'
	}
	return false
}

// isTitleShape reports whether text looks like a headline: one line, not
// too long, starting like a sentence and not ending in a full stop,
// comma or colon.
func isTitleShape(text string) bool {
	return headingShape(text, 200, 30, true)
}

// isHeadingShape reports whether text looks like a subheading: one short
// line without final punctuation (a short question is allowed).
func isHeadingShape(text string) bool {
	return headingShape(text, 100, 12, false)
}

func headingShape(text string, maxRunes, maxWords int, title bool) bool {
	t := strings.TrimSpace(text)
	if t == "" || strings.Contains(t, "\n") || utf8.RuneCountInString(t) > maxRunes {
		return false
	}
	words := strings.Fields(t)
	if len(words) > maxWords || !strings.ContainsFunc(t, unicode.IsLetter) {
		return false
	}
	first, _ := utf8.DecodeRuneInString(t)
	if !unicode.IsUpper(first) && !unicode.IsDigit(first) && !strings.ContainsRune("‘“„\"'«", first) {
		return false
	}
	last, _ := utf8.DecodeLastRuneInString(t)
	if dutch.IsCloser(last) {
		// "… ‘we gaan door’" is fine, "… door.’" ends a sentence.
		inner := strings.TrimRightFunc(t, dutch.IsCloser)
		last, _ = utf8.DecodeLastRuneInString(inner)
	}
	switch last {
	case '.', ',', ';', ':':
		return false
	case '?', '!':
		return title || len(words) <= 10
	}
	return true
}

var (
	rxMDImage    = regexp.MustCompile(`!\[([^\]\n]*)\]\([^)\n]*\)`)
	rxMDLink     = regexp.MustCompile(`\[([^\]\n]+)\]\([^)\n]*\)`)
	rxMDAutolink = regexp.MustCompile(`<((?:https?://|mailto:)[^>\s]+)>`)
	rxMDEmphasis = regexp.MustCompile(`\*{1,3}|(?:^|\b|\s)_{1,3}|_{1,3}(?:\b|\s|$)|~~|` + "`")
)

// stripInline removes Markdown inline markup, keeping the words: links
// and images become their text, emphasis markers go.
func stripInline(s string) string {
	if !strings.ContainsAny(s, "[*_~`<") {
		return s
	}
	s = rxMDImage.ReplaceAllString(s, "$1")
	s = rxMDLink.ReplaceAllString(s, "$1")
	s = rxMDAutolink.ReplaceAllString(s, "$1")
	return rxMDEmphasis.ReplaceAllStringFunc(s, func(m string) string {
		return strings.Trim(m, "*_~`")
	})
}

var (
	// rxPostOpening is the line a social network puts above a post
	// pasted from its page.
	rxPostOpening = regexp.MustCompile(`(?i)^(?:view this (?:post|video|reel|photo|profile) on (?:instagram|facebook|tiktok|threads)|bekijk (?:deze|dit) (?:post|bericht|video|foto|reel|profiel) op (?:instagram|facebook|tiktok|threads))\b`)
	// rxPostClosing is the line under such a post.
	rxPostClosing = regexp.MustCompile(`(?im)^(?:a (?:post|video|photo|reel) shared by|(?:een |dit )?(?:bericht|post|video|foto|reel) (?:gedeeld|geplaatst) door)\b`)
	// rxPostPlatform names where a post was published, as the sentence
	// before it does: "Zij schreef op X:", "… liet via Instagram weten".
	rxPostPlatform = regexp.MustCompile(`(?i)\b(?:op|via) (?:x|twitter|instagram|facebook|tiktok|threads|bluesky|linkedin|mastodon|sociale media)\b`)
)

// isPostIntro reports whether a line introduces the post after it: it
// ends in a colon, or ends a sentence that names the platform.
func isPostIntro(line string) bool {
	t := strings.TrimSpace(line)
	if strings.HasSuffix(t, ":") {
		return true
	}
	last, _ := utf8.DecodeLastRuneInString(t)
	return (last == '.' || last == '!') && rxPostPlatform.MatchString(t)
}

// isCreditOnly reports whether text is nothing but a photo credit: "Foto:
// ANP", "Beeld Marcel van den Bergh", "(foto Robin van Lonkhuijsen/ANP)".
func isCreditOnly(text string) bool {
	t := strings.TrimSuffix(strings.TrimSpace(text), ".")
	if strings.HasPrefix(t, "(") && strings.HasSuffix(t, ")") {
		// "(foto Robin van Lonkhuijsen/ANP)"
		t = strings.TrimSpace(t[1 : len(t)-1])
	}
	for _, k := range creditKeywords {
		if len(t) > len(k) && strings.EqualFold(t[:len(k)], k) {
			rest := t[len(k):]
			if r, _ := utf8.DecodeRuneInString(rest); (r == ':' || r == ' ') && isCredit(rest) {
				return true
			}
		}
	}
	return false
}

var (
	// rxImageOnly is a Markdown line with nothing but images, perhaps
	// each wrapped in a link.
	rxImageOnly = regexp.MustCompile(`^(?:\[?!\[[^\]\n]*\]\([^)\n]*\)(?:\]\([^)\n]*\))?[ \t]*)+$`)
	// rxItalicLine is a Markdown line that is all italics, not bold.
	rxItalicLine = regexp.MustCompile(`^(?:\*[^*\s][^\n]*\*|_[^_\s][^\n]*_)$`)
)

// isImageOnly reports whether a Markdown unit is only an image.
func isImageOnly(text string) bool { return rxImageOnly.MatchString(text) }

// isItalicLine reports whether a Markdown unit is one italic line, as a
// caption under an image is written.
func isItalicLine(text string) bool {
	return rxItalicLine.MatchString(text) && !strings.HasSuffix(text, "**") && !strings.HasSuffix(text, "__")
}

// isNameWord reports whether a lower-case word may stand between the
// capitalised words of a person's name: a particle ("de" in "Marieke de
// Vries", "van der" in "Jan van der Berg", "in 't" in "Sophie in 't
// Veld"), or "en" and "&" between two names.
func isNameWord(w string) bool {
	return dutch.IsParticle(w) || w == "en" || w == "&" || w == "in" || w == "op"
}

// isNameLine reports whether text is a person's name and nothing else:
// two to six words, capitalised but for the particles of names ("Marieke
// de Vries", "Sanne Hoekstra-Bakker", "J.P. van den Heuvel"), no digits
// and no punctuation at the end but an initial's stop.
func isNameLine(text string) bool {
	t := strings.TrimSpace(text)
	words := strings.Fields(t)
	if len(words) < 2 || len(words) > 6 || utf8.RuneCountInString(t) > 60 {
		return false
	}
	capitals := 0
	for k, w := range words {
		if isNameWord(w) && k > 0 && k < len(words)-1 {
			continue
		}
		r, _ := utf8.DecodeRuneInString(w)
		if !unicode.IsUpper(r) {
			return false
		}
		for _, c := range w {
			if !unicode.IsLetter(c) && !strings.ContainsRune("-'’.", c) {
				return false
			}
		}
		if strings.HasSuffix(w, ".") && k == len(words)-1 {
			return false
		}
		capitals++
	}
	return capitals >= 2
}

// isSentenceTitle reports whether the first line of a text file is a
// headline written as a sentence: one sentence of four to 25 words,
// ending in a full stop or an exclamation mark ("Bij een brand in Tiel
// zijn vannacht twee mensen gewond geraakt."). A shorter first line,
// "Het waait.", is more likely the first paragraph.
func isSentenceTitle(text string) bool {
	t := strings.TrimSpace(text)
	if n := len(strings.Fields(t)); n < 4 || n > 25 || strings.Contains(t, "\n") {
		return false
	}
	first, _ := utf8.DecodeRuneInString(t)
	last, _ := utf8.DecodeLastRuneInString(t)
	if !unicode.IsUpper(first) || (last != '.' && last != '!') {
		return false
	}
	if _, _, _, ok := splitDateline(t); ok {
		return false
	}
	return len(dutch.Sentences(t)) == 1
}

// isPhotoDescription reports whether text, on the line or in the block
// after a photo credit of its own, describes the photo: one line of at
// most 30 words (three at least) and two sentences, as captions are,
// where the story that follows a photo runs longer.
func isPhotoDescription(text string) bool {
	t := strings.TrimSpace(text)
	if n := len(strings.Fields(t)); n < 3 || n > 30 || strings.Contains(t, "\n") {
		return false
	}
	return len(dutch.Sentences(t)) <= 2
}
