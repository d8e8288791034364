package split

import (
	"strings"
	"testing"
)

// TestSentencesLongParagraph: the longest paragraph of the corpus is cut
// into its sentences, never after an abbreviation or an initial.
func TestSentencesLongParagraph(t *testing.T) {
	art, _ := splitFile(t, "testdata/corpus/rechtszaak-zorgfraude-rotterdam.txt")
	var long string
	for _, s := range art.Segments {
		if len(s.Text) > len(long) {
			long = s.Text
		}
	}
	got := Sentences(long)
	if len(got) < 8 {
		t.Fatalf("got %d sentences from a paragraph of %d bytes, want at least 8", len(got), len(long))
	}
	for _, s := range got {
		for _, bad := range []string{"o.a. ", "ca. ", "d.w.z. ", "bijv. ", "jl. ", "mr. W. ", "dr. M. "} {
			if strings.HasSuffix(s, bad) {
				t.Errorf("sentence %q ends at %q", s, bad)
			}
		}
	}
}
