package walk

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// ErrUnsafePath is returned by [OutputPath] for an input whose output
// would land outside the output directory.
var ErrUnsafePath = errors.New("output would land outside the output directory")

// maxLinks bounds the symbolic links followed in resolving one path, as the
// kernel does (Linux allows 40).
const maxLinks = 40

// OutputPath returns where the output for in goes: its Rel under outDir,
// with suffix (such as ".en.md") in place of the extension, so that
// "2024/03/a.txt" becomes outDir/2024/03/a.en.md. With outDir "", the
// output goes beside the input.
//
// Under outDir, the path is checked as the kernel would follow it when the
// output is written: every symbolic link already in the tree is resolved,
// dangling ones included, and the result must lie inside outDir (itself
// resolved, so outDir may be a link). A Rel that is absolute or climbs out
// with "..", or a link that leads out, gives [ErrUnsafePath]. The check
// cannot stop a link made after it returns.
func OutputPath(outDir string, in Input, suffix string) (string, error) {
	if suffix == "" || strings.ContainsAny(suffix, `/`+string(filepath.Separator)) || strings.ContainsRune(suffix, 0) {
		return "", fmt.Errorf("output suffix %q is not a file name ending", suffix)
	}
	rel, err := cleanRel(in.Rel)
	if err != nil {
		return "", err
	}
	name := stripExt(path.Base(rel)) + suffix
	if outDir == "" {
		return filepath.Join(filepath.Dir(in.Path), name), nil
	}
	dst := filepath.Join(outDir, filepath.FromSlash(path.Join(path.Dir(rel), name)))

	absOut, err := filepath.Abs(outDir)
	if err != nil {
		return "", fmt.Errorf("output for %s: %w", in.Rel, err)
	}
	realOut, err := resolve(absOut)
	if err != nil {
		return "", fmt.Errorf("output directory %s: %w", outDir, err)
	}
	absDst, err := filepath.Abs(dst)
	if err != nil {
		return "", fmt.Errorf("output for %s: %w", in.Rel, err)
	}
	realDst, err := resolve(absDst)
	if err != nil {
		return "", fmt.Errorf("output for %s: %s: %w", in.Rel, dst, err)
	}
	if !inside(realOut, realDst) {
		return "", fmt.Errorf("output for %s: %s leads to %s: %w", in.Rel, dst, realDst, ErrUnsafePath)
	}
	return dst, nil
}

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

// resolve returns where the absolute path p leads: each symbolic link on
// it is followed, even a dangling one, and components that do not exist
// yet are taken as they are, as they will be created.
func resolve(p string) (string, error) {
	vol := filepath.VolumeName(p)
	done := vol + string(filepath.Separator)
	todo := splitPath(p[len(vol):])
	links := 0
	for len(todo) > 0 {
		c := todo[0]
		todo = todo[1:]
		switch c {
		case "", ".":
			continue
		case "..":
			done = filepath.Dir(done)
			continue
		}
		next := filepath.Join(done, c)
		info, err := os.Lstat(next)
		if errors.Is(err, fs.ErrNotExist) {
			// Nothing below a missing directory can be a link.
			return filepath.Join(append([]string{next}, todo...)...), nil
		}
		if err != nil {
			return "", err
		}
		if info.Mode()&fs.ModeSymlink == 0 {
			done = next
			continue
		}
		if links++; links > maxLinks {
			return "", &fs.PathError{Op: "resolve", Path: p, Err: errors.New("too many levels of symbolic links")}
		}
		target, err := os.Readlink(next)
		if err != nil {
			return "", err
		}
		if filepath.IsAbs(target) {
			tv := filepath.VolumeName(target)
			done = tv + string(filepath.Separator)
			target = target[len(tv):]
		}
		todo = append(splitPath(target), todo...)
	}
	return done, nil
}

func splitPath(p string) []string {
	return strings.FieldsFunc(p, func(r rune) bool { return r == '/' || r == filepath.Separator })
}

// inside reports whether p is base or below it.
func inside(base, p string) bool {
	rel, err := filepath.Rel(base, p)
	if err != nil || filepath.IsAbs(rel) {
		return false
	}
	return rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}
