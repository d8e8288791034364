package cache

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

var created = time.Date(2024, 3, 1, 2, 0, 0, 0, time.UTC)

func open(t *testing.T, dir string) *Cache {
	t.Helper()
	c, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func get(t *testing.T, c *Cache, key string) (Entry, bool) {
	t.Helper()
	e, ok, err := c.Get(key)
	if err != nil {
		t.Fatalf("Get: %v", err)
	}
	return e, ok
}

func put(t *testing.T, c *Cache, key string, e Entry) {
	t.Helper()
	if err := c.Put(key, e); err != nil {
		t.Fatalf("Put: %v", err)
	}
}

func TestKey(t *testing.T) {
	tests := []struct {
		name string
		a, b []string
	}{
		{"moved boundary", []string{"ab", "c"}, []string{"a", "bc"}},
		{"extra empty part", []string{"a"}, []string{"a", ""}},
		{"no parts and one empty part", nil, []string{""}},
		{"order", []string{"a", "b"}, []string{"b", "a"}},
		{"length prefix lookalike", []string{"\x00\x00\x00\x00\x00\x00\x00\x01a"}, []string{"a", ""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, b := Key(tt.a...), Key(tt.b...)
			if a == b {
				t.Errorf("Key(%q) == Key(%q) = %s", tt.a, tt.b, a)
			}
			if again := Key(tt.a...); again != a {
				t.Errorf("Key(%q) is %s, then %s", tt.a, a, again)
			}
			if _, err := (&Cache{}).path(a); err != nil {
				t.Errorf("Key(%q) = %q is not a valid key: %v", tt.a, a, err)
			}
		})
	}
}

func TestRoundTrip(t *testing.T) {
	c := open(t, t.TempDir())
	tests := []struct {
		name string
		e    Entry
	}{
		{"plain", Entry{Text: "The cabinet fell.", Model: "gpt-4o-mini", Created: created, Tokens: 42}},
		{"unicode and markup", Entry{Text: "Café «Het Anker» — *closed* <b>today</b>\n\ttab", Created: created}},
		{"empty text", Entry{Text: "", Model: "m", Created: created}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			key := Key("test", tt.name)
			if _, ok := get(t, c, key); ok {
				t.Fatal("hit before Put")
			}
			put(t, c, key, tt.e)
			got, ok := get(t, c, key)
			if !ok {
				t.Fatal("miss after Put")
			}
			if got.Text != tt.e.Text || got.Model != tt.e.Model || got.Tokens != tt.e.Tokens || !got.Created.Equal(tt.e.Created) {
				t.Errorf("got %+v, want %+v", got, tt.e)
			}
		})
	}
	t.Run("replace", func(t *testing.T) {
		key := Key("replace")
		put(t, c, key, Entry{Text: "old", Created: created})
		put(t, c, key, Entry{Text: "new", Created: created})
		if got, _ := get(t, c, key); got.Text != "new" {
			t.Errorf("got %q, want %q", got.Text, "new")
		}
	})
}

func TestLayout(t *testing.T) {
	dir := t.TempDir()
	c := open(t, dir)
	key := Key("layout")
	put(t, c, key, Entry{Text: "x", Created: created})
	if _, err := os.Stat(filepath.Join(dir, key[:2], key+".json")); err != nil {
		t.Errorf("entry not where expected: %v", err)
	}
	b, err := os.ReadFile(filepath.Join(dir, tagName))
	if err != nil || !strings.HasPrefix(string(b), "Signature: 8a477f597d28d172789f06886806bc55") {
		t.Errorf("cache directory tag: %q, %v", b, err)
	}
	ents, err := os.ReadDir(filepath.Join(dir, tmpDir))
	if err != nil || len(ents) != 0 {
		t.Errorf("tmp holds %d files (%v), want none", len(ents), err)
	}
}

func TestInvalidKey(t *testing.T) {
	c := open(t, t.TempDir())
	for _, key := range []string{
		"",
		"abc",
		"../../../../etc/passwd",
		strings.ToUpper(Key("x")),
		Key("x")[:62] + "/x",
		Key("x") + "0",
	} {
		t.Run(key, func(t *testing.T) {
			if _, _, err := c.Get(key); err == nil {
				t.Error("Get: no error")
			}
			if err := c.Put(key, Entry{Text: "x"}); err == nil {
				t.Error("Put: no error")
			}
		})
	}
}

func TestBadEntryIsMiss(t *testing.T) {
	key := Key("bad")
	good, err := json.Marshal(record{Version: formatVersion, Key: key, Entry: Entry{Text: "The English.", Created: created}})
	if err != nil {
		t.Fatal(err)
	}
	other, _ := json.Marshal(record{Version: formatVersion, Key: Key("other"), Entry: Entry{Text: "Something else."}})
	future, _ := json.Marshal(record{Version: formatVersion + 1, Key: key, Entry: Entry{Text: "?"}})
	tests := []struct {
		name  string
		write func(path string) error
	}{
		{"empty", func(p string) error { return os.WriteFile(p, nil, 0o600) }},
		{"truncated", func(p string) error { return os.WriteFile(p, good[:len(good)/2], 0o600) }},
		{"garbage", func(p string) error { return os.WriteFile(p, []byte("\x00\xff\x13garbage"), 0o600) }},
		{"trailing garbage", func(p string) error { return os.WriteFile(p, append(good, "}x"...), 0o600) }},
		{"another key's entry", func(p string) error { return os.WriteFile(p, other, 0o600) }},
		{"another version", func(p string) error { return os.WriteFile(p, future, 0o600) }},
		{"json of another shape", func(p string) error { return os.WriteFile(p, []byte(`["text"]`), 0o600) }},
		{"too large", func(p string) error {
			if err := os.WriteFile(p, good, 0o600); err != nil {
				return err
			}
			return os.Truncate(p, maxEntryBytes+1) // sparse: quick to make
		}},
		{"a directory", func(p string) error { return os.Mkdir(p, 0o700) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			c := open(t, dir)
			path := filepath.Join(dir, key[:2], key+".json")
			if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
				t.Fatal(err)
			}
			if err := tt.write(path); err != nil {
				t.Fatal(err)
			}
			if _, ok := get(t, c, key); ok {
				t.Fatal("hit")
			}
			if info, err := os.Stat(path); err == nil && info.Mode().IsRegular() {
				t.Error("bad entry left in place")
			}
			put(t, c, key, Entry{Text: "Fixed.", Created: created})
			if got, ok := get(t, c, key); !ok || got.Text != "Fixed." {
				t.Errorf("after Put: %+v, %v", got, ok)
			}
		})
	}
}

// TestConcurrentSameKey has many writers and readers, through two Cache
// values as two runs would have, on one key: every hit must be one whole
// entry that some writer wrote.
func TestConcurrentSameKey(t *testing.T) {
	dir := t.TempDir()
	caches := []*Cache{open(t, dir), open(t, dir)}
	key := Key("contended")
	const writers, rounds = 8, 25
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			c := caches[w%2]
			for i := range rounds {
				text := fmt.Sprintf("writer %d round %d %s", w, i, strings.Repeat("x", 1000*w))
				if err := c.Put(key, Entry{Text: text, Model: strconv.Itoa(w), Created: created}); err != nil {
					t.Error(err)
					return
				}
			}
		})
		wg.Go(func() {
			c := caches[(w+1)%2]
			for range rounds {
				e, ok, err := c.Get(key)
				if err != nil {
					t.Error(err)
					return
				}
				if !ok {
					continue
				}
				if !strings.HasPrefix(e.Text, "writer "+e.Model+" round ") || !strings.HasSuffix(e.Text, strings.Repeat("x", 1000*atoi(e.Model))) {
					t.Errorf("torn entry: model %q, text %.40q…", e.Model, e.Text)
				}
			}
		})
	}
	wg.Wait()
	if _, ok := get(t, caches[0], key); !ok {
		t.Error("miss after all writers finished")
	}
	ents, _ := os.ReadDir(filepath.Join(dir, tmpDir))
	if len(ents) != 0 {
		t.Errorf("%d temporary files left", len(ents))
	}
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

func TestTwoCachesShareEntries(t *testing.T) {
	dir := t.TempDir()
	a, b := open(t, dir), open(t, dir)
	put(t, a, Key("from a"), Entry{Text: "A", Created: created})
	put(t, b, Key("from b"), Entry{Text: "B", Created: created})
	for _, tt := range []struct {
		c    *Cache
		key  string
		want string
	}{
		{b, Key("from a"), "A"},
		{a, Key("from b"), "B"},
	} {
		if got, ok := get(t, tt.c, tt.key); !ok || got.Text != tt.want {
			t.Errorf("got %q, %v; want %q", got.Text, ok, tt.want)
		}
	}
}

func TestOpenRemovesStaleTemporaryFiles(t *testing.T) {
	dir := t.TempDir()
	open(t, dir)
	tests := []struct {
		name string
		age  time.Duration
		kept bool
	}{
		{".entry.json123", 2 * time.Hour, false},
		{".entry.json456", 61 * time.Minute, false},
		{".entry.json789", time.Minute, true}, // may be another run's write in progress
	}
	for _, tt := range tests {
		p := filepath.Join(dir, tmpDir, tt.name)
		if err := os.WriteFile(p, []byte(`{"v":1,"ke`), 0o600); err != nil {
			t.Fatal(err)
		}
		old := time.Now().Add(-tt.age)
		if err := os.Chtimes(p, old, old); err != nil {
			t.Fatal(err)
		}
	}
	open(t, dir)
	for _, tt := range tests {
		_, err := os.Stat(filepath.Join(dir, tmpDir, tt.name))
		if kept := err == nil; kept != tt.kept {
			t.Errorf("%s, %s old: kept %v, want %v", tt.name, tt.age, kept, tt.kept)
		}
	}
}

func TestOpenErrors(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, dir := range []string{"", file, filepath.Join(file, "below")} {
		if _, err := Open(dir); err == nil {
			t.Errorf("Open(%q): no error", dir)
		}
	}
}

func TestDefaultDir(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", "/xdg")
	t.Setenv("HOME", "/home/u")
	got, err := DefaultDir()
	if err != nil {
		t.Fatal(err)
	}
	base, _ := os.UserCacheDir()
	if want := filepath.Join(base, "nl2en", "segments-v1"); got != want {
		t.Errorf("DefaultDir() = %q, want %q", got, want)
	}
}

// TestKilledWriter kills a process in the middle of writing entries, as
// SIGKILL or a power cut would, and checks that every entry left is whole.
func TestKilledWriter(t *testing.T) {
	if os.Getenv("NL2EN_CACHE_WRITER") != "" {
		writerProcess()
		return
	}
	if testing.Short() {
		t.Skip("starts a process")
	}
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestKilledWriter$")
	cmd.Env = append(os.Environ(), "NL2EN_CACHE_WRITER="+dir)
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	go func() {
		cmd.Wait()
		close(exited)
	}()
	t.Cleanup(func() {
		cmd.Process.Kill()
		<-exited
	})

	// Read while it writes, until some entries exist.
	c := open(t, dir)
	hits := 0
	for i := 0; hits < 8; i = (i + 1) % writerKeys {
		if i == 0 {
			time.Sleep(time.Millisecond) // leave the CPU to the writer
		}
		select {
		case <-exited:
			t.Fatalf("writer ended early: %v", cmd.ProcessState)
		default:
		}
		e, ok, err := c.Get(Key("killed", strconv.Itoa(i)))
		if err != nil {
			t.Fatal(err)
		}
		if ok {
			hits++
			checkWritten(t, e)
		}
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}

	<-exited

	// Every file under a shard directory must be a whole entry.
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if filepath.Base(filepath.Dir(path)) == tmpDir || d.Name() == tagName {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		var r record
		if err := json.Unmarshal(b, &r); err != nil {
			t.Errorf("%s: %v", path, err)
			return nil
		}
		checkWritten(t, r.Entry)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

const writerKeys = 64

func writerProcess() {
	c, err := Open(os.Getenv("NL2EN_CACHE_WRITER"))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	// Bounded, in case the parent dies without killing it.
	for i := range 200_000 {
		k := i % writerKeys
		text := fmt.Sprintf("entry %d|%s|end", k, strings.Repeat("Een zin. ", 2000+k))
		if err := c.Put(Key("killed", strconv.Itoa(k)), Entry{Text: text, Created: created}); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
	os.Exit(0)
}

func checkWritten(t *testing.T, e Entry) {
	t.Helper()
	var k int
	var body string
	if n, _ := fmt.Sscanf(e.Text, "entry %d|", &k); n != 1 {
		t.Errorf("entry %.30q… is not one the writer wrote", e.Text)
		return
	}
	_, body, _ = strings.Cut(e.Text, "|")
	if want := strings.Repeat("Een zin. ", 2000+k) + "|end"; body != want {
		t.Errorf("entry %d is torn: %d bytes, want %d", k, len(body), len(want))
	}
}

// TestReadOnly: a dry run's cache reads what is there and writes,
// creates and removes nothing, also where no cache exists yet.
func TestReadOnly(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "cache")
	ro, err := OpenReadOnly(dir)
	if err != nil {
		t.Fatal(err)
	}
	key := Key("read-only")
	if _, ok := get(t, ro, key); ok {
		t.Fatal("a hit in a cache that does not exist")
	}
	put(t, ro, key, Entry{Text: "not kept", Created: created})
	if _, err := os.Stat(dir); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("the read-only cache made its folder (%v)", err)
	}

	rw := open(t, dir)
	put(t, rw, key, Entry{Text: "The cabinet fell.", Created: created})
	if got, ok := get(t, ro, key); !ok || got.Text != "The cabinet fell." {
		t.Errorf("read-only: %+v, %v; want the entry written", got, ok)
	}
}
