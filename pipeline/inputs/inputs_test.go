package inputs

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestCheck(t *testing.T) {
	dir := t.TempDir()
	article := filepath.Join(dir, "a.txt")
	feed := filepath.Join(dir, "nieuws.rss")
	os.WriteFile(article, []byte("Een artikel.\n"), 0o644)
	os.WriteFile(feed, []byte(`<?xml version="1.0"?><rss version="2.0"><channel><title>x</title></channel></rss>`), 0o644)
	for _, tt := range []struct {
		name    string
		use     Use
		in      []string
		out     string
		formats int
		want    Problem // 0: none
	}{
		{"an article", Translate, []string{article}, "", 0, 0},
		{"nothing", Translate, nil, "", 0, NoInput},
		{"stdin with a file", Translate, []string{"-", article}, "", 0, StdinMixed},
		{"stdin to stdout, two formats", Translate, []string{"-"}, "", 2, StdinOneOut},
		{"stdin to a folder, two formats", Translate, []string{"-"}, "out", 2, 0},
		{"a feed to translate", Translate, []string{feed}, "", 0, FeedNotArticle},
		{"an ftp address to translate", Translate, []string{"ftp://127.0.0.1/x"}, "", 0, OtherScheme},
		{"a file address to translate", Translate, []string{article, "file:///etc/passwd"}, "", 0, OtherScheme},
		{"an ftp address to the Batch API", Batch, []string{"ftp://127.0.0.1/x"}, "out", 0, OtherScheme},
		{"a page to the Batch API", Batch, []string{"https://example.nl/a"}, "out", 0, WebForBatch},
		{"a feed to the Batch API", Batch, []string{feed}, "out", 0, FeedForBatch},
		{"stdin to the Batch API", Batch, []string{"-"}, "out", 0, StdinForBatch},
		{"batches without --out", Batch, []string{article}, "", 0, NoOut},
		{"a feed URL", Feed, []string{"https://example.nl/rss"}, "out", 0, 0},
		{"a feed file", Feed, []string{feed}, "out", 0, 0},
		{"feeds without --out", Feed, []string{feed}, "", 0, NoOut},
		{"stdin as a feed", Feed, []string{"-"}, "out", 0, StdinNotFeed},
		{"ftp", Feed, []string{"ftp://example.nl/rss"}, "out", 0, OtherScheme},
		{"a folder as a feed", Feed, []string{dir}, "out", 0, FolderNotFeed},
		{"nothing there", Feed, []string{filepath.Join(dir, "nope.rss")}, "out", 0, NoSource},
		{"the batches' folder", Folder, []string{dir}, "", 0, 0},
		{"two folders", Folder, []string{dir, dir}, "", 0, OneFolder},
		{"a file for a folder", Folder, []string{article}, "", 0, NotAFolder},
		{"doctor", None, nil, "", 0, 0},
		{"doctor with an input", None, []string{article}, "", 0, NotTaken},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := Check(tt.use, tt.in, tt.out, tt.formats)
			var ie *Error
			switch {
			case tt.want == 0 && err != nil:
				t.Errorf("error %v, want none", err)
			case tt.want != 0 && (!errors.As(err, &ie) || ie.Problem != tt.want):
				t.Errorf("error %v, want problem %d", err, tt.want)
			}
		})
	}
}
