package split

import (
	"path/filepath"
	"testing"
)

// TestEnglishOnly: articles written in English are told so; no Dutch
// article is, also one that quotes English at length.
func TestEnglishOnly(t *testing.T) {
	english, err := filepath.Glob("testdata/english/*")
	if err != nil || len(english) < 3 {
		t.Fatalf("English test articles: %v, %v", english, err)
	}
	for _, f := range english {
		if art, _ := splitFile(t, f); !art.EnglishOnly {
			var langs []string
			for _, s := range art.Segments {
				langs = append(langs, s.Lang)
			}
			t.Errorf("%s: not told to be English (languages %q)", f, langs)
		}
	}
	for _, f := range append(inputs(t), "../../samples/bachmoet.txt") {
		if art, _ := splitFile(t, f); art.EnglishOnly {
			t.Errorf("%s: a Dutch article told to be English", f)
		}
	}
}
