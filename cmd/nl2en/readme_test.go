package main

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestREADMERunsInScripts guards that every nl2en command line in the
// README's code blocks runs in a script under testdata/script, with the
// README's paths and servers replaced by the harness's (readmeToScript).
func TestREADMERunsInScripts(t *testing.T) {
	t.Parallel()
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	scripts, _ := filepath.Glob("testdata/script/*.txtar")
	var ran []string
	for _, p := range scripts {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(string(b), "\n") {
			if words := scriptInvocation(line); words != nil {
				ran = append(ran, strings.Join(words, " "))
			}
		}
	}
	n := 0
	for _, line := range readmeInvocations(string(readme)) {
		n++
		if !slices.Contains(ran, line) {
			t.Errorf("no script under testdata/script runs the README's\n\t%s", line)
		}
	}
	if n < 40 {
		t.Errorf("found %d nl2en command lines in the README; the extraction has broken", n)
	}
}

// readmeToScript replaces the README's addresses by the harness's: a
// script fetches the feed fixture site ($SITE), never the web.
var readmeToScript = strings.NewReplacer(
	"https://www.example.nl/nieuws/123-storm-code-oranje", "$SITE/artikel/veerdienst-ligt-stil",
	"https://www.example.nl/nieuws/2523456-storm-code-oranje", "$SITE/artikel/zwembad-middelburg",
	"https://www.example.nl/rss/binnenland", "$SITE/feeds/nieuws.rss",
	"https://www.example.nl/a", "$SITE/artikel/cookiewet",
	"https://www.example.nl/b", "$SITE/vlaanderen/artikels/slim-parkeren",
	"https://www.example.be/kust.atom", "$SITE/feeds/nieuws.atom",
	"https://www.example.be/rss/kust.xml", "$SITE/feeds/nieuws.json",
)

// readmeInvocations are the nl2en command lines of the README's code
// blocks, each as the words after "nl2en", up to a comment, a pipe or a
// redirection; paths under /srv/ lose their leading slash.
func readmeInvocations(readme string) []string {
	var out []string
	in := false
	for _, line := range strings.Split(readme, "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "```") {
			in = !in
			continue
		}
		if !in {
			continue
		}
		m := rxNl2en.FindStringSubmatchIndex(line)
		if m == nil {
			continue
		}
		rest := line[m[6]:] // from the command
		if i := strings.Index(rest, " #"); i >= 0 {
			rest = rest[:i]
		}
		var words []string
		for _, w := range shellWords(readmeToScript.Replace(rest)) {
			if slices.Contains([]string{"|", "||", "&&", ">", ">>", "2>&1"}, w) {
				break
			}
			words = append(words, strings.Replace(w, "/srv/", "srv/", 1))
		}
		out = append(out, strings.Join(append([]string{"nl2en"}, words...), " "))
	}
	return out
}

// rxNl2en finds the program in a command line, "nl2en", "./nl2en" or
// "/srv/nl2en/nl2en" at the start or after a space or "=", followed by
// one of its commands (and not by a colon: "nl2en doctor: 6 ok" is
// output).
var rxNl2en = regexp.MustCompile(`(^|[ =])(\S*/)?nl2en (translate|feed|batch|inspect|doctor|prompts|schema)( |$)`)

// scriptInvocation is a script line that runs nl2en, as its words, with
// the flags only the harness needs left out; nil for another line.
func scriptInvocation(line string) []string {
	words := shellWords(line)
	for len(words) > 0 && (words[0] == "!" || words[0] == "?" || words[0] == "exec") {
		words = words[1:]
	}
	if len(words) == 0 || words[0] != "nl2en" {
		return nil
	}
	return slices.DeleteFunc(words, func(w string) bool { return w == "--allow-private" })
}

// shellWords splits a line into words as a shell (and testscript) does
// for these lines: on spaces, with single or double quotes kept together
// and taken off.
func shellWords(s string) []string {
	var words []string
	var w strings.Builder
	quote, have := rune(0), false
	for _, r := range s {
		switch {
		case quote != 0 && r == quote:
			quote = 0
		case quote != 0:
			w.WriteRune(r)
		case r == '\'' || r == '"':
			quote, have = r, true
		case r == ' ' || r == '\t':
			if have {
				words = append(words, w.String())
				w.Reset()
				have = false
			}
		default:
			w.WriteRune(r)
			have = true
		}
	}
	if have {
		words = append(words, w.String())
	}
	return words
}

// TestREADMEListsEnvKeys guards the README's list of the keys read from
// .env: every flag's variable but NL2EN_ENV_FILE, which names the file.
func TestREADMEListsEnvKeys(t *testing.T) {
	t.Parallel()
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	const start = "The keys read from it are the variables of the table below"
	i := strings.Index(string(readme), start)
	if i < 0 {
		t.Fatalf("the README has no paragraph starting %q", start)
	}
	para, _, _ := strings.Cut(string(readme)[i:], "\n\n")
	for _, f := range flagDefs {
		if f.env == "" || f.env == "NL2EN_ENV_FILE" {
			continue
		}
		if !strings.Contains(para, "`"+f.env+"`") {
			t.Errorf("the README's list of .env keys lacks %s (--%s)", f.env, f.name)
		}
	}
}
