package split

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/nl2en/nl2en/pipeline"
	"github.com/nl2en/nl2en/pipeline/dutch"
)

// DefaultMaxBytes is the size limit when [Options.MaxBytes] is zero. A long
// news article is 20 to 60 kB of text and a full news page with its
// markup a few hundred kB; 2 MiB leaves room for both while refusing a
// book, a log file or a mistaken upload, which would cost real money to
// translate.
const DefaultMaxBytes int64 = 2 << 20

// The errors callers branch on. Split wraps them in an error that names
// the file and says what to do.
var (
	ErrEmpty    = errors.New("input is empty")
	ErrBinary   = errors.New("looks like binary data, not text")
	ErrTooLarge = errors.New("input is too large")
)

// Options control one call of [Splitter.Split].
type Options struct {
	// Format is the markup of the article; "" detects it from the file
	// extension, or from the content when the extension does not tell
	// (stdin, "-").
	Format pipeline.Format
	// MaxBytes is the largest input accepted; zero or less means
	// DefaultMaxBytes.
	MaxBytes int64
}

// Splitter turns articles into segments. It holds nothing that takes
// time to load (the language detector, package lang, is word lists and
// small trigram profiles) and is safe for concurrent use by many
// goroutines.
type Splitter struct{}

// New returns a Splitter.
func New() *Splitter {
	return &Splitter{}
}

// Split parses the bytes of one article into its segments, in document
// order, with IDs "s1", "s2", …, their kinds, languages and whether they
// are kept verbatim. name is the path the data was read from ("-" for
// stdin); it picks the format when opts.Format is empty and names the
// file in errors.
func (s *Splitter) Split(ctx context.Context, name string, data []byte, opts Options) (*pipeline.Article, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	shown := name
	if name == "-" || name == "" {
		shown = "stdin"
	}
	limit := opts.MaxBytes
	if limit <= 0 {
		limit = DefaultMaxBytes
	}
	if int64(len(data)) > limit {
		return nil, &SizeError{Name: shown, Size: int64(len(data)), Limit: limit}
	}
	format := opts.Format
	switch format {
	case "":
		format = DetectFormat(name, data)
	case pipeline.FormatText, pipeline.FormatMarkdown, pipeline.FormatHTML:
	default:
		return nil, fmt.Errorf("%s: unknown format %q: use txt, md or html", shown, format)
	}
	text, err := Normalize(data)
	switch {
	case errors.Is(err, ErrBinary):
		return nil, fmt.Errorf("%s: %w: pass a .txt, .md or .html article", shown, err)
	case errors.Is(err, ErrEmpty):
		return nil, fmt.Errorf("%s: %w: nothing to translate", shown, err)
	case err != nil:
		return nil, fmt.Errorf("%s: %w", shown, err)
	}

	var units []unit
	var front map[string]any
	switch format {
	case pipeline.FormatText:
		units = parseText(text)
	case pipeline.FormatMarkdown:
		units, front = parseMarkdown(text)
	case pipeline.FormatHTML:
		units, err = parseHTML(text)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", shown, err)
		}
	}
	segs := classify(units, format)
	if len(segs) == 0 {
		return nil, fmt.Errorf("%s: %w: no article text found", shown, ErrEmpty)
	}
	verdicts := make([]verdict, len(segs))
	for i := range segs {
		if i%32 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		seg := &segs[i]
		seg.ID = "s" + strconv.Itoa(i+1)
		plain := seg.Text
		if format == pipeline.FormatMarkdown {
			plain = stripInline(plain)
		}
		v := judgeLanguage(plain)
		verdicts[i] = v
		seg.Lang, seg.LangConfidence = v.lang, v.confidence
		seg.Keep = seg.Kind == pipeline.KindFurniture || v.english ||
			seg.Kind == pipeline.KindMedia && strings.TrimSpace(seg.Text) == ""
	}
	sum := sha256.Sum256(data)
	return &pipeline.Article{
		Name:        name,
		Format:      format,
		SHA256:      hex.EncodeToString(sum[:]),
		Segments:    segs,
		FrontMatter: front,
		EnglishOnly: englishOnly(segs, verdicts),
	}, nil
}

var (
	rxMarkdownHeading = regexp.MustCompile(`(?m)^#{1,6}[ \t]+\S`)
	rxMarkdownLink    = regexp.MustCompile(`\[[^\]\n]+\]\([^)\s]+\)`)
	rxMarkdownQuote   = regexp.MustCompile(`(?m)^>[ \t]?\S`)
	rxMarkdownStrong  = regexp.MustCompile(`\*\*[^*\n]+\*\*|__[^_\n]+__`)
	// rxHTMLTag is an opening or closing tag, a comment or a doctype.
	rxHTMLTag = regexp.MustCompile(`(?i)<(?:[a-z][a-z0-9-]*(?:\s[^<>]*)?/?|/[a-z][a-z0-9-]*\s*)>|<!--|<!doctype`)
)

// DetectFormat tells the format of an article from its file extension
// (.txt, .md, .markdown, .mdx, .html, .htm, .xhtml) or, when that does not
// tell, from its content: a document that starts with an HTML tag is
// HTML, one with Markdown headings, links, blockquotes or strong
// emphasis is Markdown, anything else is text. A file named as HTML that
// holds no tag at all (text saved as .html) is told by its content too:
// read as HTML it would be one block of text.
func DetectFormat(name string, data []byte) pipeline.Format {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".txt", ".text":
		return pipeline.FormatText
	case ".md", ".markdown", ".mdown", ".mkd", ".mdx":
		return pipeline.FormatMarkdown
	}
	head := data
	if len(head) > 64<<10 {
		head = head[:64<<10]
	}
	switch strings.ToLower(filepath.Ext(name)) {
	case ".html", ".htm", ".xhtml":
		if rxHTMLTag.Match(head) {
			return pipeline.FormatHTML
		}
	}
	head = bytes.TrimPrefix(head, []byte{0xef, 0xbb, 0xbf})
	trimmed := bytes.ToLower(bytes.TrimSpace(head))
	if bytes.HasPrefix(trimmed, []byte("<")) {
		for _, tag := range []string{"<!doctype html", "<html", "<head", "<body", "<article", "<main", "<div", "<p>", "<p ", "<h1", "<h2", "<section", "<meta", "<title"} {
			if bytes.Contains(trimmed, []byte(tag)) {
				return pipeline.FormatHTML
			}
		}
	}
	if rxMarkdownHeading.Match(head) || rxMarkdownLink.Match(head) ||
		rxMarkdownQuote.Match(head) || rxMarkdownStrong.Match(head) {
		return pipeline.FormatMarkdown
	}
	return pipeline.FormatText
}

// SizeError is an input over the size limit; it is [ErrTooLarge]. Its
// message gives the input's real size, which a reader that stopped at the
// limit must find out (from the file's size, or by counting the rest).
type SizeError struct {
	Name string // the file, or "stdin"
	// Size is the input's size; with AtLeast, as far as it was counted.
	Size    int64
	AtLeast bool
	Limit   int64
}

func (e *SizeError) Error() string {
	size := decimalSize(e.Size)
	if e.AtLeast {
		size = "more than " + size
	}
	return fmt.Sprintf("%s: %s is over the size limit of %s", e.Name, size, binarySize(e.Limit))
}

func (e *SizeError) Unwrap() error { return ErrTooLarge }

// decimalSize formats n bytes as "812 bytes", "45.1 kB" or "5.2 MB".
func decimalSize(n int64) string {
	switch {
	case n < 1000:
		return fmt.Sprintf("%d bytes", n)
	case n < 1000*1000:
		return fmt.Sprintf("%.1f kB", float64(n)/1e3)
	default:
		return fmt.Sprintf("%.1f MB", float64(n)/1e6)
	}
}

// binarySize formats a limit as "2 MiB", "512 KiB" or "1000 bytes", the
// way it is most likely to have been written.
func binarySize(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	default:
		return fmt.Sprintf("%d bytes", n)
	}
}

// Sentences splits a paragraph at sentence boundaries, Dutch abbreviations,
// initials and numbers taken into account: it is [dutch.Sentences].
func Sentences(text string) []string { return dutch.Sentences(text) }
