// Package outputs owns everything nl2en keeps in an output folder (--out),
// or beside the inputs without one: it is the one package that writes,
// renames or removes files there, for every path that writes (a live
// translate run, batch collect, batch submit), and the one that answers
// "is this article written, and is it up to date?".
//
// # Outputs
//
// A [Store] is the outputs of one run. [Store.Locate] says where an
// input's outputs go, one per format (render.Formats): its path under the
// output folder with the extension replaced by the format's suffix
// ("2024/a.txt" → "2024/a.en.md"), every name made portable (names
// Windows refuses, such as CON or "a:b", get "_"), and refuses a path
// that would leave the folder, by ".." or a symbolic link already there,
// before anything is paid for. Everything under the folder is reached
// through an os.Root, so no link can lead a read or a write out of it.
//
// [Store.Status] reads the stamps the outputs carry (each format's stamp
// reader is part of render.Format) and says whether they are
// [Current], [Stale] (made under other settings), [Incomplete] or
// [Missing]; [Redo] decides from that whether to translate. [Store.Commit]
// writes an article's outputs and is the only way an article becomes done:
// the live runner and the Batch API's collect mark an article written only
// through it, and a batch is marked collected only from the articles
// committed ([Store.Committed]).
//
// # Atomic writes
//
// Every file is written whole or not at all: a temporary file named
// ".<name>.nl2en-tmp-<random>" in the same folder, synced, then renamed
// over the file (on Windows too, where the rename replaces). [WriteFile]
// does the same for files outside an output folder (the segment cache, a
// report written elsewhere). A run that takes the lock removes the
// temporary files a killed run left in the output folder, these and the
// ones older releases named ".NAME.en.md<digits>", and nothing else.
//
// # The folder's own files
//
// Besides the outputs the folder holds the index ([Store.WriteIndex],
// index.jsonl and index.html, merged: entries of articles a run did not
// visit stay), the run report ([Store.WriteReport]), the run history
// ([Store.AppendRun], runs.jsonl, one line per run that did something),
// the batch state ([Store.ReadBatchState], [Store.WriteBatchState]), the
// files of feeds' folders, and the run lock ([Store.Lock]), opened without following links. Outputs
// whose source is gone are found by [Store.Orphans] and removed by
// [Store.Remove].
//
// # Feeds and addresses
//
// An article fetched from the web (an input whose path is an address,
// [IsWeb]) goes, like any other, under the output folder by its Rel, or
// without one into its Root, the current folder. A feed's folder, a
// sub-folder of the output folder, holds besides its articles' outputs
// the feed's state ([Store.WriteFeedState], [Store.FeedStates]) and the
// English feed ([Store.WriteFeedFile]: feed.xml and feed.json, written
// only when they change). Outputs of an address, and every output in a
// feed's folder, are never orphans: their source is not a file.
// [Store.Source] reads which source an article's outputs were made from,
// so a run can tell its own outputs from another article's of the same
// name.
//
// A store made for a dry run reads and never writes: not an output, not
// the folder itself.
package outputs
