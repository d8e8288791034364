package cache

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/nl2en/nl2en/pipeline"
	"github.com/nl2en/nl2en/pipeline/outputs"
)

const (
	// formatVersion is written into every entry and named in DefaultDir.
	formatVersion = 1
	// tmpDir holds entries being written, under the cache directory.
	tmpDir = "tmp"
	// staleAfter is the age at which Open takes a temporary file for the
	// leftover of a killed run.
	staleAfter = time.Hour
	// maxEntryBytes bounds what Get reads: segments are paragraphs, so a
	// larger file is not an entry.
	maxEntryBytes = 8 << 20
	// tagName marks the directory as a cache for backup tools
	// (https://bford.info/cachedir/).
	tagName = "CACHEDIR.TAG"
	tag     = "Signature: 8a477f597d28d172789f06886806bc55\n" +
		"# This file is a cache directory tag created by nl2en.\n" +
		"# For information about cache directory tags see https://bford.info/cachedir/\n"
)

// DefaultDir is where the cache lives unless the user names another
// directory: nl2en/segments-v1 under the user's cache directory
// ($XDG_CACHE_HOME or ~/.cache on Linux, ~/Library/Caches on macOS,
// %LocalAppData% on Windows).
func DefaultDir() (string, error) {
	d, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("find the user cache directory: %w", err)
	}
	return filepath.Join(d, "nl2en", fmt.Sprintf("segments-v%d", formatVersion)), nil
}

// Entry is one cached translation.
type Entry struct {
	// Text is the English.
	Text string `json:"text"`
	// Model is the model that wrote it.
	Model string `json:"model,omitempty"`
	// Created is when it was written, stored as given.
	Created time.Time `json:"created"`
	// Tokens is what writing it cost (its share of the request that
	// produced it), so that a run can say what its hits saved.
	Tokens int `json:"tokens,omitempty"`
	// Warnings are the checks the translation did not pass, kept with it
	// so that a hit reports them again without asking again.
	Warnings []string `json:"warnings,omitempty"`
	// Names are the names the translation renders, as its reply listed
	// them, so that a hit keeps its forms through the article's names
	// pass.
	Names []pipeline.Name `json:"names,omitempty"`
}

// record is an entry as stored: with the format version and its own key,
// so that a file from another version, or one copied to another name, is
// not taken for a translation of something else.
type record struct {
	Version int    `json:"v"`
	Key     string `json:"key"`
	Entry
}

// Cache is a segment cache in one directory. It is safe for concurrent use,
// and any number of Cache values, in any number of processes, may share a
// directory.
type Cache struct {
	dir string
	tmp string
	// readOnly: opened by OpenReadOnly; Put writes nothing.
	readOnly bool
}

// OpenReadOnly opens the cache in dir for reading only, as a dry run
// does: nothing is created, cleaned or written, and a directory that
// does not exist is an empty cache.
func OpenReadOnly(dir string) (*Cache, error) {
	if dir == "" {
		return nil, errors.New("open cache: no directory given")
	}
	return &Cache{dir: dir, tmp: filepath.Join(dir, tmpDir), readOnly: true}, nil
}

// Open opens the cache in dir, creating the directory if need be, and
// removes temporary files that runs killed mid-write left there more than an
// hour ago.
func Open(dir string) (*Cache, error) {
	if dir == "" {
		return nil, errors.New("open cache: no directory given")
	}
	c := &Cache{dir: dir, tmp: filepath.Join(dir, tmpDir)}
	if err := os.MkdirAll(c.tmp, 0o700); err != nil {
		return nil, fmt.Errorf("open cache: %w", err)
	}
	tagPath := filepath.Join(dir, tagName)
	if _, err := os.Stat(tagPath); errors.Is(err, fs.ErrNotExist) {
		// Writing the tag also finds out early whether the directory is
		// writable.
		if err := c.writeFile(tagPath, []byte(tag), 0o644); err != nil {
			return nil, fmt.Errorf("open cache: %w", err)
		}
	}
	c.removeStale(time.Now().Add(-staleAfter))
	return c, nil
}

// Dir returns the directory the cache is in.
func (c *Cache) Dir() string { return c.dir }

// removeStale removes temporary files last written before cutoff. It is
// best effort: another run may be removing the same files.
func (c *Cache) removeStale(cutoff time.Time) {
	ents, err := os.ReadDir(c.tmp)
	if err != nil {
		return
	}
	for _, e := range ents {
		info, err := e.Info()
		if err != nil || !info.Mode().IsRegular() || !info.ModTime().Before(cutoff) {
			continue
		}
		os.Remove(filepath.Join(c.tmp, e.Name()))
	}
}

// Key returns the key of what the parts describe: the hex SHA-256 of the
// parts, each preceded by its length, so that ("ab", "c") and ("a", "bc")
// differ.
func Key(parts ...string) string {
	h := sha256.New()
	var n [8]byte
	for _, p := range parts {
		binary.BigEndian.PutUint64(n[:], uint64(len(p)))
		h.Write(n[:])
		io.WriteString(h, p)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Get returns the entry stored under key. A missing entry is a miss; so is
// one that is not a regular file (a named pipe never blocks the run), and
// one that cannot be read back whole, which is removed. The error is for
// what the caller should hear about (a directory it may not read), and
// still means a miss.
func (c *Cache) Get(key string) (Entry, bool, error) {
	path, err := c.path(key)
	if err != nil {
		return Entry{}, false, err
	}
	// Only a regular file is an entry: a named pipe, a device or a
	// folder where one belongs is a miss, looked at without opening it,
	// and opened without blocking should it be swapped in meanwhile.
	if info, err := os.Lstat(path); errors.Is(err, fs.ErrNotExist) {
		return Entry{}, false, nil
	} else if err == nil && !info.Mode().IsRegular() {
		c.discard(path, info)
		return Entry{}, false, nil
	}
	f, err := os.OpenFile(path, os.O_RDONLY|openFlags, 0)
	if errors.Is(err, fs.ErrNotExist) {
		return Entry{}, false, nil
	}
	if err != nil {
		return Entry{}, false, fmt.Errorf("read cache entry: %w", err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return Entry{}, false, fmt.Errorf("read cache entry: %w", err)
	}
	if !info.Mode().IsRegular() || info.Size() > maxEntryBytes {
		c.discard(path, info)
		return Entry{}, false, nil
	}
	b, err := io.ReadAll(io.LimitReader(f, maxEntryBytes+1))
	if err != nil {
		return Entry{}, false, fmt.Errorf("read cache entry %s: %w", path, err)
	}
	var r record
	if json.Unmarshal(b, &r) != nil || r.Version != formatVersion || r.Key != key {
		c.discard(path, info)
		return Entry{}, false, nil
	}
	return r.Entry, true, nil
}

// discard removes a bad entry, unless another run has replaced it since it
// was read.
func (c *Cache) discard(path string, read fs.FileInfo) {
	if c.readOnly {
		return
	}
	if now, err := os.Lstat(path); err == nil && os.SameFile(now, read) {
		os.Remove(path)
	}
}

// Put stores e under key, replacing what was there.
func (c *Cache) Put(key string, e Entry) error {
	if c.readOnly {
		return nil
	}
	path, err := c.path(key)
	if err != nil {
		return err
	}
	b, err := json.Marshal(record{Version: formatVersion, Key: key, Entry: e})
	if err != nil {
		return fmt.Errorf("write cache entry: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("write cache entry: %w", err)
	}
	if err := c.writeFile(path, b, 0o600); err != nil {
		return fmt.Errorf("write cache entry: %w", err)
	}
	return nil
}

// writeFile writes a whole file or nothing: a temporary file in the
// cache's tmp directory, synced, then renamed over path (see
// outputs.WriteFile, which works the same on Windows).
func (c *Cache) writeFile(path string, b []byte, perm fs.FileMode) error {
	name, err := filepath.Rel(c.dir, path)
	if err != nil {
		return err
	}
	name = filepath.ToSlash(name)
	err = outputs.WriteFile(c.dir, name, tmpDir, b, perm)
	if errors.Is(err, fs.ErrNotExist) {
		// The tmp directory went away under a running process (a user
		// clearing the cache): make it again.
		if err := os.MkdirAll(c.tmp, 0o700); err != nil {
			return err
		}
		err = outputs.WriteFile(c.dir, name, tmpDir, b, perm)
	}
	return err
}

// path returns where the entry for key lives, refusing anything that is not
// a key from [Key], so that no key can name a file outside the cache.
func (c *Cache) path(key string) (string, error) {
	if len(key) != 2*sha256.Size {
		return "", fmt.Errorf("invalid cache key %q", key)
	}
	for _, r := range key {
		if !('0' <= r && r <= '9' || 'a' <= r && r <= 'f') {
			return "", fmt.Errorf("invalid cache key %q", key)
		}
	}
	return filepath.Join(c.dir, key[:2], key+".json"), nil
}
