// Package names keeps one English form per name: within an article, and
// across the articles of an output folder.
//
// Each translation reply lists the names it rendered (Dutch form →
// English form, see package translate). Where an article renders one
// Dutch name in more than one English form, [Layers.Choose] keeps one,
// by this precedence: the house style, the glossary (the user's over
// the built-in one), the names memory, the form most segments give, the
// first; the translate stage repairs the other segments to it.
//
// # The names memory
//
// A [Memory] is the file names.tsv in an output folder: one line per
// name, "dutch<TAB>english<TAB>seen<TAB>first_seen_in", under a header
// of those words; plain text, to be read and edited by people. A run
// reads it at its start ([Parse]) and gives the prompts the names an
// article holds ([Memory.Matching]); an article that renders a name the
// memory has in another form is repaired to the memory's form, and the
// difference is a conflict. A learned entry is never overwritten.
//
// A [Run] gathers the names of a run's articles as they end; at the end
// of the run, [Run.Pass] looks at them together:
// names the memory lacked that articles translated side by side rendered
// differently are conflicts (the memory learns one form, which applies
// from the next run on), and names from segments that passed with no
// warning are learned. [Merge] lays them over the file as it is on disk
// then, so that edits made during the run are kept; package outputs
// writes it, atomically, under the run's lock.
//
// The glossary is a read-only layer above the memory: its terms are
// never copied in.
package names
