package render

import (
	"bufio"
	"cmp"
	"fmt"
	"io"
	"strings"

	"github.com/nl2en/nl2en/pipeline"
)

// Bilingual writes the result as Markdown with each segment's Dutch and
// English together, for review in any Markdown viewer or diff tool: the
// front matter and summary of [Markdown], then per segment an HTML comment
// with its id and kind, the Dutch as a block quote, and the English below
// it as [Markdown] renders its kind. A kept segment's text is shown once,
// marked; a failed one is marked as Markdown marks it; warnings follow the
// English as a list of their own.
func Bilingual(w io.Writer, res *pipeline.Result, m Meta) error {
	bw := bufio.NewWriter(w)
	art := res.Article
	head, _ := headlineOf(res)
	writeFrontMatter(bw, res, head, m.Fingerprint)
	fmt.Fprintln(bw)
	fmt.Fprintf(bw, "# %s\n\n", oneLine(head))
	if res.Summary.Title != "" && oneLine(res.Summary.Title) != oneLine(head) {
		fmt.Fprintf(bw, "**Summary title:** %s\n\n", oneLine(res.Summary.Title))
	}
	if res.Summary.Summary != "" {
		fmt.Fprintf(bw, "**Summary:** %s\n\n", oneLine(res.Summary.Summary))
	}
	if len(res.Summary.KeyPoints) > 0 {
		fmt.Fprint(bw, "**Key points:**\n\n")
		for _, p := range res.Summary.KeyPoints {
			fmt.Fprintf(bw, "- %s\n", oneLine(p))
		}
		fmt.Fprintln(bw)
	}
	if len(res.Summary.Warnings) > 0 {
		fmt.Fprint(bw, "**Summary warnings:**\n\n")
		for _, wn := range res.Summary.Warnings {
			fmt.Fprintf(bw, "* %s\n", oneLine(wn))
		}
		fmt.Fprintln(bw)
	}
	fmt.Fprintln(bw, "---")
	for i, s := range art.Segments {
		if i >= len(res.Translations) {
			break
		}
		tr := res.Translations[i]
		fmt.Fprintf(bw, "\n<!-- %s · %s -->\n", s.ID, s.Kind)
		dutch := escapeLineStart(listNumbered(s, strings.TrimSpace(s.Text)))
		if s.Kind == pipeline.KindMedia {
			dutch = mediaLine(s, pipeline.Translation{Text: s.Text, Status: pipeline.StatusKept})
		}
		fmt.Fprintln(bw, blockquote(dutch))
		fmt.Fprintln(bw)
		switch tr.Status {
		case pipeline.StatusKept:
			fmt.Fprintf(bw, "*(kept as it is: %s)*\n", oneLine(cmp.Or(tr.Reason, "not translated by design")))
		case pipeline.StatusFailed:
			fmt.Fprintf(bw, "*[untranslated: %s]* %s\n", oneLine(cmp.Or(tr.Reason, "no usable translation")), oneLine(tr.Text))
		case pipeline.StatusTranslated:
			if s.Kind == pipeline.KindMedia {
				fmt.Fprintln(bw, mediaLine(s, tr))
				break
			}
			fmt.Fprintln(bw, englishLine(s, strings.TrimSpace(tr.Text)))
		}
		if len(tr.Warnings) > 0 {
			fmt.Fprintln(bw)
			// "*", not "-": a list of warnings under a list item's English
			// must not continue that list.
			for _, wn := range tr.Warnings {
				fmt.Fprintf(bw, "* **Warning:** %s\n", oneLine(wn))
			}
		}
	}
	return bw.Flush()
}

// englishLine is a segment's English as the Markdown output shows its
// kind; a quote or an embedded post is plain text, as the Dutch above it
// is the block quote.
func englishLine(s pipeline.Segment, text string) string {
	switch s.Kind {
	case pipeline.KindTitle, pipeline.KindHeading:
		return "## " + oneLine(text)
	case pipeline.KindCaption, pipeline.KindByline:
		return "*" + oneLine(text) + "*"
	case pipeline.KindListItem:
		if s.ListNumber > 0 {
			return fmt.Sprintf("%d. %s", s.ListNumber, oneLine(text))
		}
		return "- " + oneLine(text)
	case pipeline.KindFurniture:
		return "<!-- " + strings.ReplaceAll(oneLine(text), "--", "- -") + " -->"
	}
	return escapeLineStart(text)
}

// listNumbered puts a numbered list item's number before its Dutch text,
// so that the number is seen in both languages.
func listNumbered(s pipeline.Segment, text string) string {
	if s.Kind == pipeline.KindListItem && s.ListNumber > 0 {
		return fmt.Sprintf("%d. %s", s.ListNumber, text)
	}
	return text
}
