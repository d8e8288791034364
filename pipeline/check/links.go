package check

import (
	"fmt"
	"strings"

	"github.com/nl2en/nl2en/pipeline/dutch"
)

// checkLinks reports the URLs, link targets and @handles of the source
// that the translation does not keep as they are, as often: a digit
// changed inside a link ("…/2024/…" as "…/2025/…") or a handle retyped.
// Hashtags are words, which a translation may translate.
func checkLinks(source, translation string) []Problem {
	src := linkTexts(source)
	if len(src) == 0 {
		return nil
	}
	have := map[string]int{}
	for _, l := range linkTexts(translation) {
		have[l]++
	}
	var out []Problem
	for _, l := range src {
		if have[l] > 0 {
			have[l]--
			continue
		}
		shown := strings.TrimSuffix(strings.TrimPrefix(l, "]("), ")")
		out = append(out, Problem{Kind: KindLink, Source: shown, Want: shown,
			Message:     fmt.Sprintf("link %q is not in the translation as it is", shown),
			Instruction: fmt.Sprintf("keep the link %q exactly as it is", shown)})
	}
	return out
}

// linkTexts returns the links and handles of s, in order, without the
// punctuation that may close a sentence after them; hashtags are left
// out.
func linkTexts(s string) []string {
	var out []string
	for _, l := range dutch.Links(s) {
		t := s[l.Start:l.End]
		if strings.HasPrefix(t, "#") {
			continue
		}
		if !strings.HasPrefix(t, "](") {
			t = strings.TrimRight(t, ".,;:!?'\"’”")
		}
		out = append(out, t)
	}
	return out
}
