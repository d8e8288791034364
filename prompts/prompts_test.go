package prompts

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLoadOverridesFileByFile(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, Translate), []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	fsys, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := Read(fsys, Translate); got != "mine" {
		t.Errorf("translate.md = %q, want the user's", got)
	}
	if got, _ := Read(fsys, Summary); !strings.Contains(got, "summar") {
		t.Errorf("summary.md = %q, want the built-in one", got)
	}
}

func TestLoadErrors(t *testing.T) {
	for name, dir := range map[string]string{
		"missing folder": filepath.Join(t.TempDir(), "nope"),
		"no known files": t.TempDir(),
	} {
		if _, err := Load(dir); err == nil {
			t.Errorf("%s: Load succeeded, want an error", name)
		}
	}
}

func TestExport(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "p")
	written, err := Export(dir, false)
	if err != nil {
		t.Fatal(err)
	}
	names, _ := Names()
	if len(written) != len(names) {
		t.Errorf("wrote %d files, want %d", len(written), len(names))
	}
	// One file edited, one removed: a second export refuses and writes nothing.
	os.WriteFile(filepath.Join(dir, Translate), []byte("edited"), 0o644)
	os.Remove(filepath.Join(dir, Summary))
	if _, err := Export(dir, false); err == nil {
		t.Fatal("second export overwrote without --force")
	}
	if _, err := os.Stat(filepath.Join(dir, Summary)); err == nil {
		t.Error("a refused export still wrote a file")
	}
	if b, _ := os.ReadFile(filepath.Join(dir, Translate)); string(b) != "edited" {
		t.Error("a refused export lost an edit")
	}
	if _, err := Export(dir, true); err != nil {
		t.Errorf("export --force: %v", err)
	}
}

func TestWithEnglish(t *testing.T) {
	for _, name := range []string{Translate, Repair, Summary} {
		p, err := Read(Default(), name)
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range []string{EnglishGB, EnglishUS} {
			e, err := Read(Default(), v)
			if err != nil {
				t.Fatal(err)
			}
			got := WithEnglish(p, e)
			if strings.Contains(got, "{{") || !strings.Contains(got, strings.TrimSpace(e)) {
				t.Errorf("%s with %s: %q", name, v, got)
			}
		}
	}
	if got := WithEnglish("Translate.\n", "American English"); got != "Translate.\n\nWrite American English.\n" {
		t.Errorf("a prompt without the mark: %q", got)
	}
}
