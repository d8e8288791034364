//go:build unix

package cache

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// TestNamedPipeIsMiss: a named pipe where an entry belongs is a miss, at
// once: opening it to read would wait for a writer for ever, past any
// deadline of the run.
func TestNamedPipeIsMiss(t *testing.T) {
	dir := t.TempDir()
	c := open(t, dir)
	key := Key("pipe")
	path := filepath.Join(dir, key[:2], key+".json")
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(path, 0o600); err != nil {
		t.Skipf("no named pipes here: %v", err)
	}
	done := make(chan bool)
	go func() {
		_, ok, _ := c.Get(key)
		done <- ok
	}()
	select {
	case ok := <-done:
		if ok {
			t.Fatal("a named pipe was a hit")
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Get blocked on a named pipe")
	}
	put(t, c, key, Entry{Text: "Fixed.", Created: created})
	if got, ok := get(t, c, key); !ok || got.Text != "Fixed." {
		t.Errorf("after Put: %+v, %v", got, ok)
	}
}

// TestSwappedInPipeDoesNotBlock: opening an entry never blocks, should a
// named pipe take its place between the look and the open.
func TestSwappedInPipeDoesNotBlock(t *testing.T) {
	path := filepath.Join(t.TempDir(), "p")
	if err := syscall.Mkfifo(path, 0o600); err != nil {
		t.Skipf("no named pipes here: %v", err)
	}
	done := make(chan error)
	go func() {
		f, err := os.OpenFile(path, os.O_RDONLY|openFlags, 0)
		if err == nil {
			f.Close()
		}
		done <- err
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("opening a named pipe blocked")
	}
}
