package walk_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

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

	err := walk.Walk(context.Background(), []string{root}, walk.Options{Out: out},
		func(in walk.Input) error {
			dst, err := walk.OutputPath(out, in, ".en.md")
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(root, dst)
			fmt.Println(in.Rel, "→", filepath.ToSlash(rel))
			return nil
		},
		func(path string, err error) { fmt.Println("skipped:", err) })
	if err != nil {
		fmt.Println(err)
	}
	// Output:
	// 2024/03/kabinet.txt → english/2024/03/kabinet.en.md
	// sport.md → english/sport.en.md
}
