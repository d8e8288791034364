package slug

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestMake(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Storm: code oranje aan de kust", "storm-code-oranje-aan-de-kust"},
		{"Één op de vijf Belgen", "een-op-de-vijf-belgen"},
		{"Ĳsselmeer in café 't Hooischip", "ijsselmeer-in-cafe-t-hooischip"},
		{"Zo'n 3.000 mensen", "zon-3-000-mensen"},
		{"Straße, Ærø, Łódź", "strasse-aero-lodz"},
		{"  --Hallo--  ", "hallo"},
		{"日本語", ""},
		{"", ""},
		{"CON", "con-1"},
		{"nul", "nul-1"},
		{"Com1", "com1-1"},
		{"lpt9", "lpt9-1"},
		{"console", "console"},
		{"a:b*c?d\"e<f>g|h\\i/j", "a-b-c-d-e-f-g-h-i-j"},
	}
	for _, tt := range tests {
		if got := Make(tt.in); got != tt.want {
			t.Errorf("Make(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestMakeLength(t *testing.T) {
	long := strings.Repeat("woord ", 40)
	got := Make(long)
	if len(got) > MaxLen || strings.HasSuffix(got, "-") || !strings.HasPrefix(got, "woord-woord") {
		t.Errorf("Make(long) = %q (%d bytes), want at most %d bytes, no trailing hyphen", got, len(got), MaxLen)
	}
	one := strings.Repeat("x", 200)
	if got := Make(one); len(got) != MaxLen {
		t.Errorf("Make(200 x) has %d bytes, want %d", len(got), MaxLen)
	}
}

func TestName(t *testing.T) {
	tests := []struct{ url, title, want string }{
		{"https://nos.nl/artikel/2523456-storm-code-oranje-aan-de-kust", "Storm", "2523456-storm-code-oranje-aan-de-kust"},
		{"https://www.example.nl/nieuws/binnenland/storm-raast-over-zeeland.html", "", "storm-raast-over-zeeland"},
		{"https://www.example.nl/nieuws/storm-raast/", "", "storm-raast"},
		{"https://www.example.nl/nieuws/12345", "Rechter spreekt verdachte vrij", "rechter-spreekt-verdachte-vrij"},
		{"https://www.example.nl/index.php?id=5", "Kabinet valt", "kabinet-valt"},
		{"https://www.example.nl/artikel/", "Kabinet valt", "kabinet-valt"},
		{"https://www.example.nl/nieuws/12345", "", "12345"},
		{"https://www.example.nl/", "", "example-nl"},
		{"https://www.example.nl/a/b/CON.html", "", "con-1"},
		{"not a url at all", "", "not-a-url-at-all"},
		{"", "", "article"},
		{"https://例え.jp/", "", "jp"},
		{"  https://example.be/nl/politiek/regering-de-wever-legt-eed-af?utm_source=rss", "", "regering-de-wever-legt-eed-af"},
	}
	for _, tt := range tests {
		if got := Name(tt.url, tt.title); got != tt.want {
			t.Errorf("Name(%q, %q) = %q, want %q", tt.url, tt.title, got, tt.want)
		}
	}
}

func TestUnique(t *testing.T) {
	taken := map[string]bool{"storm": true}
	a := Unique("https://a.example.nl/storm", "", func(n string) bool { return taken[n] })
	b := Unique("https://b.example.nl/storm", "", func(n string) bool { return taken[n] })
	if a == b || !strings.HasPrefix(a, "storm-") || len(a) != len("storm-")+HashLen {
		t.Errorf("Unique of two colliding URLs = %q and %q, want distinct storm-<hash>", a, b)
	}
	if again := Unique("https://a.example.nl/storm", "", func(n string) bool { return taken[n] }); again != a {
		t.Errorf("Unique is not stable: %q then %q", a, again)
	}
	if got := Unique("https://a.example.nl/storm", "", nil); got != "storm" {
		t.Errorf("Unique with nothing taken = %q, want storm", got)
	}
	long := "https://example.nl/" + strings.Repeat("heel-lang-woord-", 10)
	got := Unique(long, "", func(string) bool { return true })
	if len(got) > MaxLen {
		t.Errorf("Unique(long) has %d bytes, want at most %d", len(got), MaxLen)
	}
}

func TestFolder(t *testing.T) {
	tests := []struct{ url, want string }{
		{"https://www.nu.nl/rss/Algemeen", "nu-nl-rss-algemeen"},
		{"https://feeds.example.be/nieuws.xml", "feeds-example-be-nieuws-xml"},
		{"http://127.0.0.1:8080/feed.xml", "127-0-0-1-8080-feed-xml"},
		{"https://example.nl/feed?cat=binnenland&token=geheim&utm_source=x", "example-nl-feed-cat-binnenland"},
		{"https://user:geheim@example.nl/feed?key=abc", "example-nl-feed"},
		{"nieuws-2024", "nieuws-2024"},
		{"", "feed"},
	}
	for _, tt := range tests {
		if got := Folder(tt.url); got != tt.want {
			t.Errorf("Folder(%q) = %q, want %q", tt.url, got, tt.want)
		}
	}
	a := Folder("https://example.nl/" + strings.Repeat("a/", 60) + "one")
	b := Folder("https://example.nl/" + strings.Repeat("a/", 60) + "two")
	if a == b || len(a) > MaxLen || len(b) > MaxLen {
		t.Errorf("long feed URLs: %q and %q, want distinct names of at most %d bytes", a, b, MaxLen)
	}
	if Folder("https://example.nl/feed?token=one") != Folder("https://example.nl/feed?token=two") {
		t.Error("a rotated token changed the folder")
	}
}

func FuzzMake(f *testing.F) {
	for _, s := range []string{"Storm: code oranje", "Één", "CON", "a\x00b", strings.Repeat("é", 100), "ǅ ǈ ﬁ ㎏"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		checkName(t, Make(s), true)
		checkName(t, Name("https://example.nl/"+s, s), false)
		checkName(t, Folder(s), false)
		checkName(t, Folder("https://example.nl/"+s), false)
	})
}

// checkName fails unless name is one nl2en may write on any system.
func checkName(t *testing.T, name string, mayBeEmpty bool) {
	t.Helper()
	if name == "" {
		if !mayBeEmpty {
			t.Fatalf("empty name")
		}
		return
	}
	if len(name) > MaxLen || !utf8.ValidString(name) {
		t.Fatalf("name %q: %d bytes", name, len(name))
	}
	for _, r := range name {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
			t.Fatalf("name %q holds %q", name, r)
		}
	}
	if name[0] == '-' || name[len(name)-1] == '-' {
		t.Fatalf("name %q starts or ends with a hyphen", name)
	}
	if Reserved(name) || Portable(name) != name {
		t.Fatalf("name %q is reserved on Windows", name)
	}
}

// TestPortable guards the one rule of names every system takes, which
// package outputs applies to every name it writes.
func TestPortable(t *testing.T) {
	for in, want := range map[string]string{
		"a.en.md":         "a.en.md",
		"CON.en.md":       "CON_.en.md",
		"con":             "con_",
		"Com1.md":         "Com1_.md",
		"COM¹.txt":        "COM¹_.txt",
		"nul .txt":        "nul _.txt",
		"console.txt":     "console.txt",
		"a<b>c:d.txt":     "a_b_c_d.txt",
		`q"?*|\.txt`:      "q_____.txt",
		"tab\there":       "tab_here",
		"dots.":           "dots_",
		"space ":          "space_",
		"veerdienst-stil": "veerdienst-stil",
	} {
		if got := Portable(in); got != want {
			t.Errorf("Portable(%q) = %q, want %q", in, got, want)
		}
	}
}
