// Package slug makes the file and folder names of fetched articles and
// feeds: lowercase ASCII letters, digits and hyphens, at most [MaxLen]
// bytes, and safe on every system nl2en runs on, Windows included.
//
// An article fetched from a URL is named by [Name] from the URL's last
// path segment ("2523456-storm-code-oranje" of
// https://nos.nl/artikel/2523456-storm-code-oranje), else from its title
// when the segment says nothing ("index.php", "12345"). When that name is
// already taken by another article, [WithHash] appends a short hash of
// the article's URL, so the same URL always gets the same name. A feed's
// folder is named by [Folder] from its URL: host and path, readable and
// stable from run to run.
//
// Names carry no extension: the outputs add theirs (".en.md", ".en.json"),
// and since Windows reserves "con.en.md" as it reserves "CON", a name
// that is a reserved device name gets a suffix.
//
// What Windows refuses in a file name is known here and nowhere else:
// [Reserved] tells its device names, and [Portable] makes any name one
// every system takes. Package outputs passes every name it writes
// through Portable, so an output folder can be copied anywhere.
package slug
