package webrun

import (
	"context"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/nl2en/nl2en/pipeline/feed"
	"github.com/nl2en/nl2en/pipeline/fetch"
	"github.com/nl2en/nl2en/pipeline/job"
	"github.com/nl2en/nl2en/pipeline/outputs"
	"github.com/nl2en/nl2en/pipeline/redact"
	"github.com/nl2en/nl2en/pipeline/runner"
	"github.com/nl2en/nl2en/pipeline/slug"
	"github.com/nl2en/nl2en/pipeline/walk"
)

// HasAddress reports whether any of inputs is the address of a page
// (http or https) rather than a file.
func HasAddress(inputs []string) bool {
	for _, in := range inputs {
		if outputs.IsWeb(in) {
			return true
		}
	}
	return false
}

// Translate runs a translate command over its inputs: files, folders or
// "-" as they are, and each address fetched as an article page and
// translated like an HTML file beside them, in one run. A page that
// cannot be fetched or read fails as an article does, and the rest go
// on.
func Translate(ctx context.Context, run *job.Run, inputs []string, o Options, p runner.Progress) (*runner.Report, error) {
	if !HasAddress(inputs) {
		return run.Translate(ctx, p)
	}
	j := run.Job()
	f := newFetcher(j, o)
	defer f.Close()
	var files []string
	var prepared []runner.Prepared
	n := newNames(j.Store)
	given := map[string]bool{}
	for _, in := range inputs {
		if !outputs.IsWeb(in) {
			files = append(files, in)
			continue
		}
		if given[in] {
			continue
		}
		given[in] = true
		prepared = append(prepared, pagePrepared(ctx, f, j, n, in))
	}
	return run.TranslateFrom(ctx, p, files, prepared, nil)
}

// pagePrepared fetches the page at rawURL and makes it an article of the
// run, named by its final URL or title; a page that cannot be fetched or
// read is an article that failed.
func pagePrepared(ctx context.Context, f *fetch.Fetcher, j *job.Job, n *names, rawURL string) runner.Prepared {
	name := redact.URL(rawURL)
	pg, err := fetchPage(ctx, f, j, rawURL, name)
	if err != nil {
		return runner.Prepared{Input: input(name, "", slug.Name(rawURL, "")), Err: err}
	}
	out := n.give("", name, func(taken func(string) bool) string {
		return slug.Unique(pg.res.FinalURL, titleOf(pg.art), taken)
	})
	return runner.Prepared{Input: input(name, "", out), Article: pg.art}
}

// input is the run's input for an article fetched from the web: named by
// its address (or another name a feed gives it), its outputs under the
// folder ("" for the output folder's top, or the current folder without
// one) by name.
func input(source, folder, name string) walk.Input {
	rel := name + ".html"
	if folder != "" {
		rel = path.Join(folder, rel)
	}
	return walk.Input{Path: source, Root: ".", Rel: rel}
}

// IsFeedFile reports whether the file at p is a feed rather than an
// article: named as feeds are (.rss, .atom, .xml, .json) and reading as
// one. Given to translate, it would be translated as a text full of
// markup; `nl2en feed` is what reads it.
func IsFeedFile(p string) bool {
	switch strings.ToLower(filepath.Ext(p)) {
	case ".rss", ".atom", ".xml", ".json":
	default:
		return false
	}
	info, err := os.Stat(p)
	if err != nil || !info.Mode().IsRegular() || info.Size() > maxFeedBytes {
		return false
	}
	data, err := os.ReadFile(p)
	if err != nil {
		return false
	}
	_, err = feed.Parse(data, "")
	return err == nil
}
