package render

import (
	"bufio"
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
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
	headline, skip := headlineOf(res)
	writeFrontMatter(bw, res, headline, fingerprint)
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
		if tr.Status == pipeline.StatusFailed && s.Kind != pipeline.KindMedia {
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
		case pipeline.KindMedia:
			fmt.Fprintln(bw, mediaLine(s, tr))
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

// writeFrontMatter writes the YAML front matter of the Markdown formats,
// which is their stamp: [readFrontMatterStamp] reads it back.
func writeFrontMatter(bw *bufio.Writer, res *pipeline.Result, title, fingerprint string) {
	fmt.Fprintln(bw, "---")
	fmt.Fprintf(bw, "title: %s\n", yamlString(title))
	fmt.Fprintf(bw, "source: %s\n", yamlString(res.Article.Name))
	fmt.Fprintf(bw, "source_sha256: %s\n", res.Article.SHA256)
	if w := res.Article.Web; w != nil {
		if w.URL != "" && w.URL != res.Article.Name {
			fmt.Fprintf(bw, "source_url: %s\n", yamlString(w.URL))
		}
		if !w.Published.IsZero() {
			fmt.Fprintf(bw, "published: %s\n", w.Published.UTC().Format(time.RFC3339))
		}
		if w.Teaser {
			fmt.Fprintln(bw, "teaser: true")
		}
	}
	fmt.Fprintf(bw, "model: %s\n", yamlString(res.Model))
	fmt.Fprintf(bw, "date: %s\n", res.Finished.UTC().Format(time.RFC3339))
	if n := untranslated(res); n > 0 {
		fmt.Fprintf(bw, "untranslated: %d\n", n)
	}
	if fingerprint != "" {
		fmt.Fprintf(bw, "nl2en_fingerprint: %s\n", fingerprint)
	}
	fmt.Fprintln(bw, "---")
}

// readFrontMatterStamp reads the stamp from the front matter that
// writeFrontMatter wrote.
func readFrontMatterStamp(r io.Reader) (Stamp, error) {
	var st Stamp
	sc := bufio.NewScanner(r)
	if !sc.Scan() || sc.Text() != "---" {
		return st, fmt.Errorf("no front matter: %w", cmp.Or(sc.Err(), io.ErrUnexpectedEOF))
	}
	for i := 0; sc.Scan() && i < 20; i++ {
		key, value, _ := strings.Cut(sc.Text(), ": ")
		switch key {
		case "---":
			return st, nil
		case "title":
			_ = json.Unmarshal([]byte(value), &st.Title)
		case "model":
			_ = json.Unmarshal([]byte(value), &st.Model)
		case "date":
			st.Created, _ = time.Parse(time.RFC3339, value)
		case "source":
			_ = json.Unmarshal([]byte(value), &st.Source)
		case "source_sha256":
			st.SHA256 = value
		case "nl2en_fingerprint":
			st.Fingerprint = value
		case "untranslated":
			n, err := strconv.Atoi(value)
			if err != nil {
				return st, fmt.Errorf("untranslated: %q is not a count", value)
			}
			st.Untranslated = n
		}
	}
	return st, fmt.Errorf("front matter does not end: %w", cmp.Or(sc.Err(), io.ErrUnexpectedEOF))
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

// mediaLine is a media segment as Markdown: an image with the English
// alternative text and the link as the source gives it; the Dutch text,
// marked, when it could not be translated.
func mediaLine(s pipeline.Segment, tr pipeline.Translation) string {
	alt := strings.NewReplacer("[", "\\[", "]", "\\]").Replace(oneLine(tr.Text))
	link := s.Media
	if strings.ContainsAny(link, " ()<>") {
		link = "<" + strings.NewReplacer("<", "%3C", ">", "%3E").Replace(link) + ">"
	}
	line := "![" + alt + "](" + link + ")"
	if tr.Status == pipeline.StatusFailed {
		line = "*[untranslated: " + oneLine(tr.Reason) + "]* " + line
	}
	return line
}
