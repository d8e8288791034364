package outputs

import (
	"errors"
	"fmt"
	"path"
	"path/filepath"
	"strings"

	"github.com/nl2en/nl2en/pipeline/index"
	"github.com/nl2en/nl2en/pipeline/render"
	"github.com/nl2en/nl2en/pipeline/slug"
)

// The files a store keeps in the output folder besides the outputs and
// the index (index.JSONL, index.HTML).
const (
	// ReportFile is the run report, unless the run names another file.
	ReportFile = "report.json"
	// RunsFile is the run history: one line per run that did something.
	RunsFile = "runs.jsonl"
	// BatchStateFile records the batches submitted for the folder.
	BatchStateFile = ".nl2en-batches.json"
	// LockFile is the run lock.
	LockFile = ".nl2en.lock"
	// lockSeenFile notes when a run first found the lock held by a
	// program that wrote no details into it.
	lockSeenFile = ".nl2en.lock-seen"
	// checkFile is written and removed by Prepare.
	checkFile = ".nl2en-check"
)

// tmpMarker names every temporary file the store makes:
// .<name>.nl2en-tmp-<random>, in the folder of name or in the folder a
// caller gives. A run under the lock removes those a killed run left.
const tmpMarker = ".nl2en-tmp-"

// ErrUnsafePath is the error of an input whose output would land outside
// the output folder: a path that climbs out, or a symbolic link in the
// folder that leads out.
var ErrUnsafePath = errors.New("output would land outside the output folder")

// cleanRel checks that rel is a relative, slash-separated path that stays
// below its root, and cleans it.
func cleanRel(rel string) (string, error) {
	bad := func(why string) (string, error) {
		return "", fmt.Errorf("input path %q %s: %w", rel, why, ErrUnsafePath)
	}
	switch {
	case rel == "":
		return bad("is empty")
	case strings.ContainsRune(rel, 0):
		return bad("holds a NUL byte")
	case strings.HasPrefix(rel, "/") || filepath.IsAbs(rel) || filepath.VolumeName(rel) != "":
		return bad("is absolute")
	case filepath.Separator != '/' && strings.ContainsRune(rel, filepath.Separator):
		return bad("is not slash-separated")
	}
	for _, c := range strings.Split(rel, "/") {
		if c == ".." {
			return bad(`climbs out with ".."`)
		}
	}
	clean := path.Clean(rel)
	if clean == "." {
		return bad("names no file")
	}
	return clean, nil
}

// stripExt drops the extension of a file name, unless the name is all
// extension (".txt").
func stripExt(name string) string {
	if ext := path.Ext(name); len(ext) < len(name) {
		return name[:len(name)-len(ext)]
	}
	return name
}

// outputName is the name of the output in a format of the input file
// called name: its name without the extension, with the format's suffix,
// made portable.
func outputName(name string, f render.Format) string {
	return portable(stripExt(name) + f.Suffix)
}

// outputRel is where, relative to its folder, the output of the input at
// rel (slash-separated, clean) goes in format f: the same folders, made
// portable, and the output's name.
func outputRel(rel string, f render.Format) string {
	dirs := strings.Split(rel, "/")
	name := dirs[len(dirs)-1]
	dirs = dirs[:len(dirs)-1]
	for i, d := range dirs {
		dirs[i] = portable(d)
	}
	return path.Join(append(dirs, outputName(name, f))...)
}

// portable is a file or folder name as every system nl2en runs on can
// make it, Windows included: [slug.Portable], the one home of that rule.
func portable(name string) string { return slug.Portable(name) }

// formatOf returns the format of an output by its file name, among those
// that carry a stamp (with which outputs are told from other files), and
// the name without the format's suffix.
func formatOf(name string) (render.Format, bool) {
	lower := strings.ToLower(name)
	for _, f := range render.Formats() {
		if f.HasStamp() && strings.HasSuffix(lower, f.Suffix) && len(name) > len(f.Suffix) {
			return f, true
		}
	}
	return render.Format{}, false
}

// isOwnFile reports whether name is one of the files the store keeps in
// the output folder besides the outputs.
func isOwnFile(name string) bool {
	switch name {
	case ReportFile, RunsFile, BatchStateFile, LockFile, lockSeenFile, index.JSONL, index.HTML:
		return true
	}
	return isFeedFile(name)
}

// isLeftover reports whether name is a temporary file of a write that a
// killed run left: this package's own (.<name>.nl2en-tmp-*), and those of
// the releases before it, which named a temporary file after its target
// and a random number (".a.en.md8812…", "..nl2en-batches.json52…",
// ".index.jsonl13…", ".nl2en-check-41…"). Nothing else matches: the part
// before the digits must be a name nl2en writes.
func isLeftover(name string) bool {
	if !strings.HasPrefix(name, ".") {
		return false
	}
	if name == checkFile {
		return true
	}
	if i := strings.Index(name, tmpMarker); i > 1 {
		return true
	}
	digits := strings.TrimRightFunc(name, func(r rune) bool { return '0' <= r && r <= '9' })
	if len(digits) == len(name) {
		return false
	}
	target := digits[1:]
	if target == "nl2en-check-" {
		return true
	}
	_, isOutput := formatOf(target)
	return isOutput || isOwnFile(target)
}
