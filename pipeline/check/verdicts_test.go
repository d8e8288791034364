package check

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/nl2en/nl2en/pipeline"
	"github.com/nl2en/nl2en/pipeline/dutch"
)

var update = flag.Bool("update", false, "rewrite testdata/verdicts.txt with the checks' verdicts of today")

const verdictsFile = "testdata/verdicts.txt"

// TestVerdicts: the checks' verdicts on a fixed set of translations,
// right and broken, are those recorded under the checks' Version. The
// cache serves a translation only to checks of the version that judged
// it, so a verdict that changes without a new Version would let
// translations judged by other rules through unjudged. Change the checks,
// bump Version, then run go test -run TestVerdicts -update.
func TestVerdicts(t *testing.T) {
	got := verdicts(t)
	b, err := os.ReadFile(verdictsFile)
	if err != nil && !*update {
		t.Fatal(err)
	}
	version, want, _ := strings.Cut(string(b), "\n")
	recorded := fmt.Sprintf("version %d", Version)
	if *update {
		if version == recorded && want != got {
			t.Fatalf("the verdicts changed, but check.Version is still %d: bump it, then run -update again", Version)
		}
		if err := os.WriteFile(verdictsFile, []byte(recorded+"\n"+got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if version != recorded {
		t.Fatalf("%s holds the verdicts of %q, the checks are version %d: run go test -run TestVerdicts -update", verdictsFile, version, Version)
	}
	if got != want {
		g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
		for i := 0; i < min(len(g), len(w)); i++ {
			if g[i] != w[i] {
				t.Errorf("first verdict that changed:\n got  %s\n want %s", g[i], w[i])
				break
			}
		}
		t.Fatalf("the checks' verdicts changed under version %d: bump check.Version, then run go test -run TestVerdicts -update", Version)
	}
}

// verdicts judges every correct translation of the sample and the corpus,
// and four broken forms of each, one line a verdict.
func verdicts(t *testing.T) string {
	t.Helper()
	ck := NewChecker(builtinGlossary(t))
	files := correctTranslations(t)
	sort.Strings(files)
	var b strings.Builder
	for _, file := range files {
		for i, p := range loadPairs(t, file) {
			nl, en := p[0], p[1]
			for _, v := range []struct{ name, english string }{
				{"right", en},
				{"echo", nl},
				{"drop", dropLastSentence(en)},
				{"digit", changeDigit(en)},
				{"soup", "{]]{Mer4{ " + en[:len(en)/3] + " ЖЖ ﷽"},
			} {
				if v.english == "" {
					continue
				}
				art := ck.Article([]Segment{{Kind: pipeline.KindParagraph, Source: nl, English: v.english}})
				var ps []string
				for _, p := range art.Check(0) {
					ps = append(ps, string(p.Kind)+":"+p.Source)
				}
				r := ck.Reject(pipeline.KindParagraph, nl, v.english)
				cause := ""
				if r != nil {
					cause = string(r.Cause)
				}
				fmt.Fprintf(&b, "%s#%d %s reject=%s problems=%s\n", filepath.Base(file), i, v.name, cause, strings.Join(ps, ";"))
			}
		}
	}
	return b.String()
}

// dropLastSentence returns s without its last sentence, or "" for a
// sentence alone.
func dropLastSentence(s string) string {
	ss := dutch.Sentences(s)
	if len(ss) < 2 {
		return ""
	}
	return strings.TrimSpace(strings.Join(ss[:len(ss)-1], ""))
}

// changeDigit returns s with its first digit changed, or "" when it has
// none.
func changeDigit(s string) string {
	i := strings.IndexAny(s, "0123456789")
	if i < 0 {
		return ""
	}
	return s[:i] + string('0'+(s[i]-'0'+1)%10) + s[i+1:]
}
