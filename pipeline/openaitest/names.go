package openaitest

import (
	"encoding/json"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/sashabaranov/go-openai"
)

// Names. nl2en asks each translation and repair reply to list the names
// its English renders: "names": [{"nl": Dutch form, "en": English form}]
// beside each segment's text. The server lists them when a request asks
// (its json_schema's segment items have a "names" property, or, in the
// fallback modes, its system prompt speaks of `names`), as a model that
// follows the prompt would:
//
//   - a name the request tells it (its "names" and "glossary" fields,
//     "Dutch = English" lines) that the segment holds, when the English
//     holds that form; a name of its "names" (the names memory's) that
//     the English still holds in its Dutch form is rendered in the form
//     it was told (the glossary is left to the translator, so that a
//     test can play a model that disregards it);
//   - a name of [WithNameForms], in the form it rendered it;
//   - any other run of capitalised words in the Dutch (with the name
//     particles between them, "Mees van Leeuwen") that the English holds
//     as it is, but a single word opening a sentence ("Het", "In").

// WithNameForms makes the server render the Dutch name dutch in the
// forms given, in turn, one form a segment, in the order the segments
// arrive: a model that writes a name two ways in one article
// ("Zelensky" in the lead, "Zelenskyy" in the fifth paragraph). It
// disregards the names and glossary a translation request tells it, so
// that it also renders a name otherwise than the names memory has it; a
// repair request that names the form to write gets that form. A segment
// whose English holds the Dutch name or one of the forms has it
// replaced; one whose English holds neither gets "It names FORM." The
// option may be given once for each name.
func WithNameForms(dutch string, forms ...string) Option {
	return func(o *options) {
		if o.nameForms == nil {
			o.nameForms = map[string][]string{}
		}
		o.nameForms[dutch] = append([]string(nil), forms...)
	}
}

// replyName is one name of a reply's list.
type replyName struct {
	NL string `json:"nl"`
	EN string `json:"en"`
}

// wantsNames reports whether a translation or repair request asks its
// reply to list names.
func wantsNames(chat openai.ChatCompletionRequest) bool {
	if rf := chat.ResponseFormat; rf != nil && rf.JSONSchema != nil && rf.JSONSchema.Schema != nil {
		raw, err := rf.JSONSchema.Schema.MarshalJSON()
		if err == nil {
			var s struct {
				Properties struct {
					Segments struct {
						Items struct {
							Properties map[string]json.RawMessage `json:"properties"`
						} `json:"items"`
					} `json:"segments"`
				} `json:"properties"`
			}
			if json.Unmarshal(raw, &s) == nil {
				_, ok := s.Properties.Segments.Items.Properties["names"]
				return ok
			}
		}
	}
	for _, m := range chat.Messages {
		if m.Role == openai.ChatMessageRoleSystem && strings.Contains(messageText(m), "`names`") {
			return true
		}
	}
	return false
}

// hints are the names a request tells its reply: its "names" lines,
// Dutch → English, and with glossary, its "glossary" lines too.
func (u userMessage) hints(glossary bool) map[string]string {
	keys := []string{"names"}
	if glossary {
		keys = append(keys, "glossary")
	}
	out := map[string]string{}
	for _, key := range keys {
		var lines string
		if json.Unmarshal(u.keys[key], &lines) != nil {
			continue
		}
		for _, l := range strings.Split(lines, "\n") {
			if d, e, ok := strings.Cut(l, " = "); ok && strings.TrimSpace(d) != "" && strings.TrimSpace(e) != "" {
				out[strings.TrimSpace(d)] = strings.TrimSpace(e)
			}
		}
	}
	return out
}

// renderNames gives the English of a segment the forms of names: those
// of WithNameForms, and those the request tells where the English still
// holds the Dutch form. It returns the English and the forms it gave.
func (s *Server) renderNames(c *call, source, english string) (string, map[string]string) {
	given := map[string]string{}
	hints := c.user.hints(false)
	for d, forms := range s.opts.nameForms {
		if len(forms) == 0 || !hasWord(source, d) {
			continue
		}
		form, told := hints[d]
		if c.kind != KindRepair || !told {
			s.mu.Lock()
			if s.nameTurn == nil {
				s.nameTurn = map[string]int{}
			}
			form = forms[s.nameTurn[d]%len(forms)]
			s.nameTurn[d]++
			s.mu.Unlock()
		}
		olds := append([]string{d}, forms...)
		slices.SortFunc(olds, func(a, b string) int { return len(b) - len(a) })
		replaced := false
		for _, old := range olds {
			if old != form && hasWord(english, old) {
				english = replaceWord(english, old, form)
				replaced = true
			}
		}
		if !replaced && !hasWord(english, form) {
			english = strings.TrimSpace(english) + " It names " + form + "."
		}
		given[d] = form
	}
	for d, e := range hints {
		if _, done := given[d]; done || d == e || !hasWord(source, d) || !hasWord(english, d) {
			continue
		}
		english = replaceWord(english, d, e)
		given[d] = e
	}
	return english, given
}

// listNames is the names list of a segment's reply: see the top of this
// file.
func listNames(c *call, source, english string, given map[string]string) []replyName {
	out := []replyName{}
	seen := map[string]bool{}
	add := func(d, e string) {
		if !seen[d] {
			seen[d] = true
			out = append(out, replyName{NL: d, EN: e})
		}
	}
	for _, d := range sortedKeys(given) {
		add(d, given[d])
	}
	hints := c.user.hints(true)
	for _, d := range sortedKeys(hints) {
		if hasWord(source, d) && hasWord(english, hints[d]) {
			add(d, hints[d])
		}
	}
	for _, run := range capitalRuns(source) {
		for len(run) > 0 {
			d := strings.Join(run, " ")
			if _, told := hints[d]; told {
				break
			}
			if len([]rune(d)) >= 2 && hasWord(english, d) {
				add(d, d)
				break
			}
			run = run[1:] // "De Rotterdammers": the article is no part of it
		}
	}
	return out
}

func sortedKeys(m map[string]string) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

// nameParticles stand in lower case between the parts of a name.
var nameParticles = map[string]bool{"van": true, "de": true, "der": true, "den": true, "ter": true, "ten": true, "te": true, "het": true}

// capitalRuns are the runs of capitalised words in a Dutch text, with
// the particles between them, but for a single word opening a sentence.
func capitalRuns(text string) [][]string {
	var out [][]string
	var run []string
	var pending []string // particles after the run, kept if a capital follows
	runStartsSentence := false
	flush := func() {
		if len(run) > 1 || (len(run) == 1 && !runStartsSentence) {
			out = append(out, run)
		}
		run, pending = nil, nil
	}
	sentenceStart := true
	for _, f := range strings.Fields(text) {
		w := strings.TrimFunc(f, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
		first, _ := utf8.DecodeRuneInString(w)
		switch {
		case w == "":
		case unicode.IsUpper(first):
			if len(run) == 0 {
				runStartsSentence = sentenceStart
			}
			run = append(append(run, pending...), w)
			pending = nil
		case len(run) > 0 && nameParticles[w]:
			pending = append(pending, w)
		default:
			flush()
		}
		last, _ := utf8.DecodeLastRuneInString(f)
		if w != f && len(run) > 0 && strings.ContainsRune(".,;:!?)”\"", last) {
			flush()
		}
		sentenceStart = strings.ContainsRune(".!?:", last)
	}
	flush()
	return out
}

// hasWord reports whether text holds w with no letter or digit just
// before or after it.
func hasWord(text, w string) bool { return wordAt(text, w) >= 0 }

func wordAt(text, w string) int {
	if w == "" {
		return -1
	}
	for off := 0; off < len(text); {
		i := strings.Index(text[off:], w)
		if i < 0 {
			return -1
		}
		i += off
		j := i + len(w)
		before, _ := utf8.DecodeLastRuneInString(text[:i])
		after, _ := utf8.DecodeRuneInString(text[j:])
		if (i == 0 || !isLetterOrDigit(before)) && (j == len(text) || !isLetterOrDigit(after)) {
			return i
		}
		_, size := utf8.DecodeRuneInString(text[i:])
		off = i + size
	}
	return -1
}

// replaceWord replaces every whole-word old in text with new.
func replaceWord(text, old, new string) string {
	var b strings.Builder
	for {
		i := wordAt(text, old)
		if i < 0 {
			b.WriteString(text)
			return b.String()
		}
		b.WriteString(text[:i] + new)
		text = text[i+len(old):]
	}
}

func isLetterOrDigit(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }
