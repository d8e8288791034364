// Package cache keeps the English of each segment on disk, so that a run
// after a crash, or over an article with one paragraph edited, pays only
// for the segments that changed.
//
// # Keys
//
// The caller builds a key with [Key] from everything that decides the
// answer: the model, the prompt, the glossary entries, the neighbouring
// context, and the segment's text. Key hashes the parts with their lengths,
// so no two different lists of parts give the same key.
//
// # On disk
//
// Each entry is one JSON file, at <dir>/<first two hex digits>/<key>.json,
// so that no directory grows past a few thousand files. [DefaultDir] is
// under the user's cache directory, with the format's version in the path:
// a future format starts an empty cache instead of misreading this one.
//
// # Concurrent runs and crashes
//
// Entries are written to a temporary file in <dir>/tmp, synced, and renamed
// over their final name. A rename within one file system is atomic, so a
// reader, in this process or another, sees either no entry or a whole one;
// two runs writing the same key leave one whole entry. A run killed mid-write
// leaves at most a stray temporary file, which [Open] removes once it is an
// hour old (younger ones may belong to a run still going).
//
// An entry that cannot be read back as what Put wrote — truncated by a
// failing disk, edited by hand, written by another version, or filed under
// the wrong name — is a miss, and is removed: a cache never stops a run.
package cache
