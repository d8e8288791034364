package runner

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"

	"github.com/nl2en/nl2en/pipeline/check"
	"github.com/nl2en/nl2en/prompts"
)

// Fingerprint identifies the settings that shape a translation: settings
// (program version, model, server, flags that change the output), every
// prompt file in fsys, and the glossary. Outputs made under another
// fingerprint are not up to date. Keys and other secrets must not be in
// settings: the fingerprint is written into every output.
func Fingerprint(settings string, fsys fs.FS, gloss check.Glossary) (string, error) {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00", settings)
	for _, e := range gloss.Entries() {
		fmt.Fprintf(h, "%s\t%s\t%s\n", e.Source, e.Target, e.Note)
	}
	names, err := prompts.Names()
	if err != nil {
		return "", err
	}
	for _, n := range names {
		b, err := fs.ReadFile(fsys, n)
		if err != nil {
			return "", fmt.Errorf("read prompt %s: %w", n, err)
		}
		fmt.Fprintf(h, "%s %d\x00", n, len(b))
		h.Write(b)
	}
	return hex.EncodeToString(h.Sum(nil))[:16], nil
}
