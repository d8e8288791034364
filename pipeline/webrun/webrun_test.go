package webrun

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/nl2en/nl2en/pipeline"
	"github.com/nl2en/nl2en/pipeline/feed/feedtest"
	"github.com/nl2en/nl2en/pipeline/split"
)

// TestDigest guards the source digest of a page: the same article in
// other markup (another template, other navigation, attributes, spacing)
// has the same digest, and a changed word changes it.
func TestDigest(t *testing.T) {
	sp := split.New()
	digest := func(page string) string {
		t.Helper()
		art, err := sp.Split(t.Context(), "https://kust.example.nl/a", []byte(page), split.Options{Format: pipeline.FormatHTML})
		if err != nil {
			t.Fatal(err)
		}
		return Digest(art)
	}
	a := digest(`<html><body><nav><a href="/">Home</a> <a href="/sport">Sport</a></nav><article><h1>Storm legt veerdienst stil</h1>
<p>De veerdienst tussen Vlissingen en Breskens vaart zaterdag niet.</p><p>Het KNMI heeft code oranje afgegeven.</p></article><footer>© Kust</footer></body></html>`)
	b := digest(`<!DOCTYPE html><html lang="nl"><head><title>x</title><script>var a=1;</script></head><body class="v2">
<header><ul><li>Binnenland</li></ul></header><main><article class="story"><h1 class="kop">Storm legt   veerdienst stil</h1>
<p class="lead">De veerdienst tussen Vlissingen en Breskens vaart zaterdag niet.</p>
<p>Het KNMI heeft code oranje afgegeven.</p></article></main><aside>Meer nieuws</aside></body></html>`)
	c := digest(`<html><body><article><h1>Storm legt veerdienst stil</h1>
<p>De veerdienst tussen Vlissingen en Breskens vaart zondag niet.</p><p>Het KNMI heeft code oranje afgegeven.</p></article></body></html>`)
	if a != b {
		t.Error("the same article in other markup has another digest")
	}
	if a == c {
		t.Error("a changed word leaves the digest as it was")
	}
}

func TestFormatOf(t *testing.T) {
	for _, tt := range []struct {
		forced pipeline.Format
		ct     string
		want   pipeline.Format
	}{
		{"", "text/html; charset=utf-8", pipeline.FormatHTML},
		{"", "application/xhtml+xml", pipeline.FormatHTML},
		{"", "text/plain", pipeline.FormatText},
		{"", "text/markdown; charset=utf-8", pipeline.FormatMarkdown},
		{"", "application/octet-stream", ""},
		{"", "", ""},
		{pipeline.FormatText, "text/html", pipeline.FormatText},
	} {
		if got := formatOf(tt.forced, tt.ct); got != tt.want {
			t.Errorf("formatOf(%q, %q) = %q, want %q", tt.forced, tt.ct, got, tt.want)
		}
	}
}

// TestIsFeedFile guards what translate and batch submit refuse as a feed:
// feeds of every format by their names, and nothing else.
func TestIsFeedFile(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	for _, name := range []string{"nieuws.rss", "nieuws.atom", "nieuws.json"} {
		if p := write(name, feedtest.Fixture(name, "https://kust.example.nl")); !IsFeedFile(p) {
			t.Errorf("%s is not taken for a feed", name)
		}
	}
	for name, data := range map[string]string{
		"artikel.txt":  "<rss version=\"2.0\"><channel><item><title>x</title></item></channel></rss>",
		"artikel.html": "<html><body><p>Tekst</p></body></html>",
		"data.json":    `{"a": 1}`,
		"document.xml": "<root><p>Geen feed</p></root>",
		"leeg.rss":     "",
		"pagina.xml":   "<html><body>Een pagina</body></html>",
	} {
		if p := write(name, []byte(data)); IsFeedFile(p) {
			t.Errorf("%s is taken for a feed", name)
		}
	}
	if IsFeedFile(filepath.Join(dir, "weg.rss")) || IsFeedFile(dir) {
		t.Error("a missing file or a folder is taken for a feed")
	}
}
