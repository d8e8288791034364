package walk_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/nl2en/nl2en/pipeline/walk"
)

func Example() {
	root, _ := os.MkdirTemp("", "articles")
	defer os.RemoveAll(root)
	for _, p := range []string{"2024/03/kabinet.txt", "2024/03/kabinet.en.md", "notes.pdf", ".git/HEAD", "sport.md"} {
		os.MkdirAll(filepath.Join(root, filepath.Dir(p)), 0o755)
		os.WriteFile(filepath.Join(root, p), nil, 0o644)
	}
	out := filepath.Join(root, "english")

	// The runner skips what the output folder's store owns; here, the
	// one output in the tree.
	skip := func(p string) bool { return strings.HasSuffix(p, ".en.md") }
	err := walk.Walk(context.Background(), []string{root}, walk.Options{Out: out, Skip: skip},
		func(in walk.Input) error {
			fmt.Println(in.Rel)
			return nil
		},
		func(path string, err error) { fmt.Println("skipped:", err) })
	if err != nil {
		fmt.Println(err)
	}
	// Output:
	// 2024/03/kabinet.txt
	// sport.md
}
