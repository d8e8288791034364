package job

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"text/tabwriter"

	"github.com/nl2en/nl2en/pipeline"
	"github.com/nl2en/nl2en/pipeline/index"
	"github.com/nl2en/nl2en/pipeline/names"
	"github.com/nl2en/nl2en/pipeline/outputs"
	"github.com/nl2en/nl2en/pipeline/runner"
)

// NamesListing is the names memory of an output folder and the name
// conflicts its articles stand with: what `nl2en names DIR` shows.
type NamesListing struct {
	// Folder is the output folder.
	Folder string `json:"folder"`
	// Memory is false when the folder has no names memory yet.
	Memory bool `json:"memory"`
	// Names are the memory's names, in the file's order.
	Names []names.Entry `json:"names"`
	// Conflicts are the names articles rendered otherwise than the
	// memory (or other articles of their run) had them, as the folder
	// index lists them, each with its article: they stand until the
	// article is translated again.
	Conflicts []pipeline.NameConflict `json:"conflicts"`
}

// ErrNotFolder is the error of a names listing of a path that is not a
// folder.
var ErrNotFolder = errors.New("not a folder")

// Names reads the names memory of the output folder dir and the name
// conflicts of its folder index. Nothing is written.
func Names(dir string) (*NamesListing, error) {
	if info, err := os.Stat(dir); err != nil || !info.IsDir() {
		return nil, fmt.Errorf("%s: %w", dir, ErrNotFolder)
	}
	out := &NamesListing{Folder: dir, Names: []names.Entry{}, Conflicts: []pipeline.NameConflict{}}
	store := outputs.New(outputs.Config{Out: dir, DryRun: true})
	defer store.Close()
	data, err := store.ReadNames()
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return nil, fmt.Errorf("read the names memory of %s: %w", dir, err)
	default:
		m, err := names.Parse(bytes.NewReader(data), filepath.Join(dir, names.File))
		if err != nil {
			return nil, err
		}
		out.Memory = true
		out.Names = append(out.Names, m.Entries()...)
	}
	entries, err := index.Read(filepath.Join(dir, index.JSONL))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("read the folder index of %s: %w", dir, err)
	}
	for _, e := range entries {
		for _, c := range e.NameConflicts {
			c.Source = e.Source
			out.Conflicts = append(out.Conflicts, c)
		}
	}
	return out, nil
}

// Write writes the listing to w in format "table" (or "") or "json";
// another format is a [*SettingError]. The table is the memory's names,
// then a count, then the conflicts when there are some.
func (l *NamesListing) Write(w io.Writer, format string) error {
	switch format {
	case "json":
		return encodeJSON(w, l)
	case "table", "":
	default:
		return &SettingError{Setting: SettingFormat, Value: fmt.Sprintf("%q", format), Problem: "is not a names format: use table or json"}
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "DUTCH\tENGLISH\tSEEN\tFIRST SEEN IN")
	for _, e := range l.Names {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\n", e.Dutch, e.English, e.Seen, e.FirstSeenIn)
	}
	tw.Flush()
	if len(l.Conflicts) == 0 {
		_, err := fmt.Fprintf(w, "\n%s, no conflicts\n", runner.NOf(len(l.Names), "name"))
		return err
	}
	fmt.Fprintf(w, "\n%s; %s:\n", runner.NOf(len(l.Names), "name"), runner.NOf(len(l.Conflicts), "conflict"))
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "DUTCH\tKEPT\tOTHER\tFROM\tARTICLE")
	for _, c := range l.Conflicts {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", c.Dutch, c.English, c.Other, c.From, c.Source)
	}
	return tw.Flush()
}
