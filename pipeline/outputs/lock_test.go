package outputs_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/nl2en/nl2en/pipeline/outputs"
)

var since = time.Date(2026, 12, 2, 3, 0, 0, 0, time.UTC)

// take takes the lock of dir, the output folder of a store of its own.
func take(ctx context.Context, dir string, wait bool, now time.Time) (*outputs.Lock, error) {
	return outputs.New(outputs.Config{Out: dir}).Lock(ctx, dir, wait, now)
}

// TestHeldByAnother: a second Lock of a held lock says who holds it and
// since when, as the first wrote it; released, the lock is empty again and
// can be taken.
func TestHeldByAnother(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out") // made by Lock
	first, err := take(t.Context(), dir, false, since)
	if err != nil {
		t.Fatal(err)
	}
	_, err = take(t.Context(), dir, false, since.Add(time.Hour))
	var held *outputs.HeldError
	if !errors.As(err, &held) {
		t.Fatalf("second Lock: %v, want a HeldError", err)
	}
	if held.Holder.PID != os.Getpid() || !held.Holder.Since.Equal(since) || held.Path != filepath.Join(dir, outputs.LockFile) {
		t.Errorf("holder %+v at %s, want this process since %s", held.Holder, held.Path, since)
	}
	if err := first.Unlock(); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, outputs.LockFile)); len(b) != 0 {
		t.Errorf("the released lock still says %q", b)
	}
	again, err := take(t.Context(), dir, false, since)
	if err != nil {
		t.Fatalf("Lock after release: %v", err)
	}
	again.Unlock()
}

// TestWaitEndsWithTheContext: waiting for a held lock ends when the
// context does, with its cause: a deadline or Ctrl-C, not a hang.
func TestWaitEndsWithTheContext(t *testing.T) {
	dir := t.TempDir()
	first, err := take(t.Context(), dir, false, since)
	if err != nil {
		t.Fatal(err)
	}
	defer first.Unlock()
	stop := errors.New("deadline")
	ctx, cancel := context.WithTimeoutCause(t.Context(), 50*time.Millisecond, stop)
	defer cancel()
	if _, err := take(ctx, dir, true, since); !errors.Is(err, stop) {
		t.Errorf("waiting Lock: %v, want the context's cause", err)
	}
}

// TestHolderUnknown: a lock another tool holds (flock(1) writes nothing
// into it) has no holder's details.
func TestHolderUnknown(t *testing.T) {
	path := filepath.Join(t.TempDir(), outputs.LockFile)
	if err := os.WriteFile(path, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if h, err := outputs.ReadHolder(path); err == nil || h.PID != 0 {
		t.Errorf("ReadHolder of an empty lock: %+v, %v; want no holder and an error", h, err)
	}
}
