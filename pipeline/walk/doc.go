// Package walk finds the articles under the folders given to
// "nl2en translate DIR…". It walks inputs only: where an input's outputs
// go, and which files are nl2en's own, is package outputs' business.
//
// [Walk] streams: it reads one directory at a time and hands each input to
// a callback as it finds it, so memory does not grow with the number of
// files. Within a root, inputs come in lexical order of their paths, which
// keeps runs and their logs reproducible. What cannot be read (a directory
// without permission, a dangling link, a FIFO named like an article) is
// reported through a callback and the walk goes on: one bad file must not
// stop a nightly run over hundreds.
//
// # What is an input
//
// A root that is a file is an input, whatever its name. Under a root that
// is a directory, a file is an input when its path relative to the root
// matches an include pattern and no exclude pattern ([Options]), with these
// always left out: hidden files and directories (.git, editor swap files),
// the files Options.Skip names (the runner passes the output folder's
// store, which names nl2en's outputs and the index in the output folder),
// the output directory when it lies inside the root, and anything that is
// not a regular file.
// Symbolic links under a root, to files as to directories, are followed
// only with Options.FollowSymlinks, so that no link leads the walk out of
// the tree unasked; then each directory is walked once, so a link loop
// ends. A root that is a link is followed.

package walk
