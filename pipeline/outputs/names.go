package outputs

import (
	"errors"
	"fmt"
	"path"
	"path/filepath"
	"strings"
	"unicode"

	"github.com/nl2en/nl2en/pipeline/index"
	"github.com/nl2en/nl2en/pipeline/render"
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

// reserved are the device names Windows keeps for itself, with any
// extension: a file called "CON.en.md" cannot be made there.
var reserved = map[string]bool{
	"CON": true, "PRN": true, "AUX": true, "NUL": true,
	"COM0": true, "COM1": true, "COM2": true, "COM3": true, "COM4": true, "COM5": true, "COM6": true, "COM7": true, "COM8": true, "COM9": true,
	"LPT0": true, "LPT1": true, "LPT2": true, "LPT3": true, "LPT4": true, "LPT5": true, "LPT6": true, "LPT7": true, "LPT8": true, "LPT9": true,
	"COM¹": true, "COM²": true, "COM³": true, "LPT¹": true, "LPT²": true, "LPT³": true,
}

// portable is a file or folder name as it can be made on every system
// nl2en runs on, Windows included, so that an output folder can be copied
// or served anywhere: the characters Windows refuses (<>:"\|?* and
// control characters) become "_", as does a trailing dot or space, and a
// reserved device name (CON, NUL, COM1, …, with any extension) gets "_"
// after it. Names that need none of this, which is nearly all, are kept
// as they are. Two inputs that come to the same output name are caught as
// any clash of outputs is.
func portable(name string) string {
	var b strings.Builder
	for _, r := range name {
		if strings.ContainsRune(`<>:"\|?*`, r) || unicode.IsControl(r) {
			b.WriteByte('_')
			continue
		}
		b.WriteRune(r)
	}
	s := b.String()
	if t := strings.TrimRight(s, ". "); len(t) < len(s) {
		s = t + strings.Repeat("_", len(s)-len(t))
	}
	base, rest, dotted := strings.Cut(s, ".")
	if reserved[strings.ToUpper(strings.TrimRight(base, " "))] {
		if dotted {
			return base + "_." + rest
		}
		return base + "_"
	}
	return s
}

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
	return false
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
