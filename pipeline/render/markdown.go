package render

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/nl2en/nl2en/pipeline"
)

// Markdown writes the result as a Markdown document with YAML front matter.
// The fingerprint of the settings goes into the front matter, so that a
// later run can tell whether the output is up to date.
func Markdown(w io.Writer, res *pipeline.Result, fingerprint string) error {
	bw := bufio.NewWriter(w)
	art := res.Article
	headline := res.Summary.Title
	skip := -1
	for i, s := range art.Segments {
		if s.Kind == pipeline.KindTitle && i < len(res.Translations) {
			headline, skip = res.Translations[i].Text, i
			break
		}
	}

	fmt.Fprintln(bw, "---")
	fmt.Fprintf(bw, "title: %s\n", yamlString(headline))
	fmt.Fprintf(bw, "source: %s\n", yamlString(art.Name))
	fmt.Fprintf(bw, "source_sha256: %s\n", art.SHA256)
	fmt.Fprintf(bw, "model: %s\n", yamlString(res.Model))
	fmt.Fprintf(bw, "date: %s\n", res.Finished.UTC().Format(time.RFC3339))
	untranslated := 0
	for _, t := range res.Translations {
		if t.Status == pipeline.StatusFailed {
			untranslated++
		}
	}
	if untranslated > 0 {
		fmt.Fprintf(bw, "untranslated: %d\n", untranslated)
	}
	if fingerprint != "" {
		fmt.Fprintf(bw, "nl2en_fingerprint: %s\n", fingerprint)
	}
	fmt.Fprintln(bw, "---")
	fmt.Fprintln(bw)
	fmt.Fprintf(bw, "# %s\n\n", oneLine(headline))
	if res.Summary.Summary != "" {
		fmt.Fprintf(bw, "**Summary:** %s\n\n", oneLine(res.Summary.Summary))
	}
	if len(res.Summary.KeyPoints) > 0 {
		fmt.Fprintln(bw, "**Key points:**")
		fmt.Fprintln(bw)
		for _, p := range res.Summary.KeyPoints {
			fmt.Fprintf(bw, "- %s\n", oneLine(p))
		}
		fmt.Fprintln(bw)
	}
	fmt.Fprintln(bw, "---")

	prev := pipeline.Kind("")
	prevNumbered := false
	dateline := ""
	for i, s := range art.Segments {
		if i == skip || i >= len(res.Translations) {
			continue
		}
		tr := res.Translations[i]
		text := strings.TrimSpace(tr.Text)
		if tr.Status == pipeline.StatusFailed {
			text = "*[untranslated: " + oneLine(tr.Reason) + "]* " + text
		}
		if s.Kind == pipeline.KindDateline {
			dateline = oneLine(text)
			continue
		}
		numbered := s.ListNumber > 0
		// Items of one list stand together; a bulleted and a numbered
		// list are two lists.
		if !(s.Kind == pipeline.KindListItem && prev == pipeline.KindListItem && numbered == prevNumbered) {
			fmt.Fprintln(bw)
		}
		switch s.Kind {
		case pipeline.KindTitle, pipeline.KindHeading:
			fmt.Fprintf(bw, "## %s\n", oneLine(text))
		case pipeline.KindCaption:
			fmt.Fprintf(bw, "*%s*\n", oneLine(text))
		case pipeline.KindByline:
			fmt.Fprintf(bw, "*%s*\n", oneLine(text))
		case pipeline.KindEmbed, pipeline.KindQuote:
			fmt.Fprintln(bw, blockquote(text))
		case pipeline.KindListItem:
			if numbered {
				fmt.Fprintf(bw, "%d. %s\n", s.ListNumber, oneLine(text))
			} else {
				fmt.Fprintf(bw, "- %s\n", oneLine(text))
			}
		case pipeline.KindFurniture:
			fmt.Fprintf(bw, "<!-- %s -->\n", strings.ReplaceAll(oneLine(text), "--", "- -"))
		default:
			if dateline != "" {
				text = dateline + " " + text
				dateline = ""
			}
			fmt.Fprintln(bw, escapeLineStart(text))
		}
		prev, prevNumbered = s.Kind, numbered
	}
	if dateline != "" {
		fmt.Fprintln(bw)
		fmt.Fprintln(bw, dateline)
	}
	return bw.Flush()
}

// yamlString quotes a value for YAML: a JSON string is a valid YAML
// double-quoted scalar, escapes included.
func yamlString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

func blockquote(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight("> "+l, " ")
	}
	return strings.Join(lines, "\n")
}

// escapeLineStart keeps a paragraph that happens to start like Markdown
// block syntax ("# ", "- ", "> ", "1. ") from being read as such.
func escapeLineStart(s string) string {
	for _, p := range []string{"#", "- ", "* ", "+ ", ">"} {
		if strings.HasPrefix(s, p) {
			return `\` + s
		}
	}
	if i := strings.Index(s, ". "); i > 0 && i < 4 && strings.Trim(s[:i], "0123456789") == "" {
		return s[:i] + `\` + s[i:]
	}
	return s
}
