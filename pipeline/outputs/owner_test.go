package outputs_test

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// writers are the functions that write, rename or remove files: the
// package-level functions of os that do, and os.OpenRoot, through which
// an os.Root does. os.OpenFile is one when its flags ask to write.
var writers = map[string]bool{
	"WriteFile": true, "Create": true, "CreateTemp": true, "MkdirTemp": true,
	"Rename": true, "Remove": true, "RemoveAll": true, "Mkdir": true, "MkdirAll": true,
	"Truncate": true, "Symlink": true, "Link": true, "Chmod": true, "Chtimes": true,
	"OpenRoot": true,
}

// writeFlags are the os.OpenFile flags that make it write.
var writeFlags = []string{"O_WRONLY", "O_RDWR", "O_CREATE", "O_APPEND", "O_TRUNC"}

// writerImports are packages whose only business is writing files.
var writerImports = []string{"github.com/google/renameio", "github.com/gofrs/flock", "io/ioutil"}

// allowed are the files outside package outputs that may write files, and
// why none of them writes under an output folder:
var allowed = map[string]string{
	// The segment cache lives in the user's cache folder (or
	// --cache-dir), never in an output folder; its atomic writes go
	// through outputs.WriteFile, and it makes its own folders and removes
	// its own stale temporary files and bad entries.
	"pipeline/cache/cache.go": "the segment cache, outside any output folder",
	// Screenshots of the review page, taken by a test helper, in its
	// testdata (or the folder NL2EN_SCREENSHOTS names).
	"pipeline/render/rendertest/browser.go": "test screenshots",
	// The bench writes its generated articles and a JSON of its figures
	// into a scratch folder of its own, or where -json points.
	"cmd/nl2en-bench/articles.go": "the bench's scratch articles",
	"cmd/nl2en-bench/process.go":  "the bench's scratch articles",
	"cmd/nl2en-bench/bench.go":    "the bench's scratch folder and its report",
}

// TestOnlyOutputsWrites guards the rule this package exists for: no
// other package of nl2en writes, renames or removes files (where they
// would land under an output folder), so "is this article written?" and
// "did anything change in --out?" have one answer. It reads the source of
// pipeline/ and cmd/ (tests aside) and fails on any call that writes a
// file outside this package and the allowed files. The prompts export
// (prompts.Export, outside pipeline/ and cmd/) writes a folder the user
// names for editing, and is not scanned.
func TestOnlyOutputsWrites(t *testing.T) {
	fset := token.NewFileSet()
	var found []string
	exempt := map[string]bool{} // allowed files seen writing
	for _, top := range []string{"../../pipeline", "../../cmd"} {
		err := filepath.WalkDir(top, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() && (d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) {
				return filepath.SkipDir
			}
			if d.IsDir() || !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
				return nil
			}
			rel, _ := filepath.Rel("../..", p)
			rel = filepath.ToSlash(rel)
			if strings.HasPrefix(rel, "pipeline/outputs/") {
				return nil
			}
			f, err := parser.ParseFile(fset, p, nil, parser.SkipObjectResolution)
			if err != nil {
				return err
			}
			w := writesIn(fset, rel, f)
			if allowed[rel] != "" {
				exempt[rel] = len(w) > 0
				return nil
			}
			found = append(found, w...)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, w := range found {
		t.Errorf("%s: only package outputs writes files (see allowed for the exceptions)", w)
	}
	for file, why := range allowed {
		if !exempt[file] {
			t.Errorf("%s is allowed to write (%s) but no longer does: take it off the list", file, why)
		}
	}
	if len(exempt) == 0 {
		t.Error("no source was read: the test would pass whatever the code")
	}
}

// writesIn lists the calls in f that write files, as "file:line: call".
func writesIn(fset *token.FileSet, rel string, f *ast.File) []string {
	var out []string
	osName := ""
	for _, imp := range f.Imports {
		path, _ := strconv.Unquote(imp.Path.Value)
		if slices.ContainsFunc(writerImports, func(w string) bool { return strings.HasPrefix(path, w) }) {
			out = append(out, fmt.Sprintf("%s:%d: imports %s", rel, fset.Position(imp.Pos()).Line, path))
		}
		if path == "os" {
			osName = "os"
			if imp.Name != nil {
				osName = imp.Name.Name
			}
		}
	}
	if osName == "" {
		return out
	}
	ast.Inspect(f, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok {
			return true
		}
		sel, ok := call.Fun.(*ast.SelectorExpr)
		if !ok {
			return true
		}
		pkg, ok := sel.X.(*ast.Ident)
		if !ok || pkg.Name != osName {
			return true
		}
		name := sel.Sel.Name
		if writers[name] || name == "OpenFile" && len(call.Args) > 1 && opensForWrite(call.Args[1]) {
			out = append(out, fmt.Sprintf("%s:%d: os.%s", rel, fset.Position(call.Pos()).Line, name))
		}
		return true
	})
	return out
}

// opensForWrite reports whether an os.OpenFile flag expression names a
// flag that writes; a flag it cannot read counts as writing.
func opensForWrite(e ast.Expr) bool {
	writes := false
	known := true
	ast.Inspect(e, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.SelectorExpr:
			if slices.Contains(writeFlags, n.Sel.Name) {
				writes = true
			}
			return false
		case *ast.Ident:
			known = false
		}
		return true
	})
	return writes || !known
}
