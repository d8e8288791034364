// Package prompts holds nl2en's prompt templates and data files, embedded in
// the binary. A user folder given with --prompts replaces any of them file by
// file; `nl2en prompts export DIR` writes the defaults out for editing.
//
// Article text never passes through these files as template source: the
// prompts are system messages, and the article travels as JSON data in the
// user message.
package prompts

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Names of the files the pipeline reads.
const (
	Translate = "translate.md"  // system prompt of translation requests
	Summary   = "summary.md"    // system prompt of summary requests
	Repair    = "repair.md"     // system prompt of repair requests
	EnglishGB = "english-gb.md" // what {{english}} stands for in British English
	EnglishUS = "english-us.md" // and in American English
)

// englishMark is where a prompt names the variety of English it asks
// for; the variety's file (EnglishGB, EnglishUS) takes its place.
const englishMark = "{{english}}"

// WithEnglish returns the prompt with the variety of English it asks
// for, the text of a variety's file (EnglishGB or EnglishUS), in the
// place of {{english}}; a prompt without the mark (a user's, written
// before there was one) gets a line asking for the variety at its end.
// Nothing else in the prompt is a template: article text never passes
// through here.
func WithEnglish(prompt, english string) string {
	english = strings.TrimSpace(english)
	if strings.Contains(prompt, englishMark) {
		return strings.ReplaceAll(prompt, englishMark, english)
	}
	return strings.TrimRight(prompt, "\n") + "\n\nWrite " + english + ".\n"
}

//go:embed *.md *.tsv
var defaults embed.FS

// Default returns the embedded prompt files.
func Default() fs.FS { return defaults }

// overlay reads a file from dir when it exists there, else from base.
type overlay struct {
	dir  fs.FS
	base fs.FS
}

func (o overlay) Open(name string) (fs.File, error) {
	f, err := o.dir.Open(name)
	if err == nil {
		return f, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	return o.base.Open(name)
}

// Load returns the prompt files, with those in dir (when dir is not empty)
// taking the place of the embedded defaults. It fails when dir does not exist
// or holds none of the known files, since that is almost always a typo.
func Load(dir string) (fs.FS, error) {
	if dir == "" {
		return defaults, nil
	}
	info, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("prompts folder %s: %w", dir, err)
	}
	if !info.IsDir() {
		return nil, fmt.Errorf("prompts folder %s is not a folder", dir)
	}
	names, err := Names()
	if err != nil {
		return nil, err
	}
	found := false
	for _, n := range names {
		if _, err := os.Stat(filepath.Join(dir, n)); err == nil {
			found = true
			break
		}
	}
	if !found {
		return nil, fmt.Errorf("prompts folder %s holds none of %v", dir, names)
	}
	return overlay{dir: os.DirFS(dir), base: defaults}, nil
}

// Names lists the embedded files.
func Names() ([]string, error) {
	entries, err := fs.ReadDir(defaults, ".")
	if err != nil {
		return nil, err
	}
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names, nil
}

// Read returns one prompt file's text.
func Read(fsys fs.FS, name string) (string, error) {
	b, err := fs.ReadFile(fsys, name)
	if err != nil {
		return "", fmt.Errorf("read prompt %s: %w", name, err)
	}
	return string(b), nil
}

// Export writes the embedded defaults into dir, creating it. Existing files
// are not overwritten unless force is set, so an edited prompt is never
// lost: a file in the way fails the export, with an error that wraps
// fs.ErrExist, before anything is written.
func Export(dir string, force bool) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("export prompts: %w", err)
	}
	names, err := Names()
	if err != nil {
		return nil, err
	}
	if !force {
		// Check every file first, so a refusal writes nothing.
		for _, n := range names {
			if dst := filepath.Join(dir, n); exists(dst) {
				return nil, fmt.Errorf("export prompts: %s: %w", dst, fs.ErrExist)
			}
		}
	}
	var written []string
	for _, n := range names {
		dst := filepath.Join(dir, n)
		b, err := fs.ReadFile(defaults, n)
		if err != nil {
			return written, err
		}
		if err := os.WriteFile(dst, b, 0o644); err != nil {
			return written, fmt.Errorf("export prompts: %w", err)
		}
		written = append(written, dst)
	}
	return written, nil
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
