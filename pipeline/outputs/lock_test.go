package outputs_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/gofrs/flock"

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

// TestLockIsALink guards against the attack a root cron job invites: a
// lock file planted as a link (symbolic or hard) to another file is
// refused, and the file it leads to is neither written into nor emptied.
func TestLockIsALink(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("links need privileges on Windows")
	}
	for _, kind := range []string{"symbolic", "hard"} {
		t.Run(kind, func(t *testing.T) {
			dir := t.TempDir()
			target := filepath.Join(t.TempDir(), "precious")
			if err := os.WriteFile(target, []byte("do not touch\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			link := os.Symlink
			if kind == "hard" {
				link = os.Link
			}
			if err := link(target, filepath.Join(dir, outputs.LockFile)); err != nil {
				t.Skipf("cannot make a %s link: %v", kind, err)
			}
			_, err := take(t.Context(), dir, false, since)
			if !errors.Is(err, outputs.ErrLockLink) {
				t.Errorf("Lock with a %s link: %v, want ErrLockLink", kind, err)
			}
			if b, _ := os.ReadFile(target); string(b) != "do not touch\n" {
				t.Errorf("the link's target now holds %q", b)
			}
		})
	}
}

// TestLockFirstSeen guards the note of a lock another program holds
// without writing who it is: the first run to find it held notes when,
// later ones keep that time, and the run that takes the lock forgets it.
func TestLockFirstSeen(t *testing.T) {
	dir := t.TempDir()
	other := flock.New(filepath.Join(dir, outputs.LockFile))
	if ok, err := other.TryLock(); !ok || err != nil {
		t.Fatalf("take the lock as another program: %v, %v", ok, err)
	}
	first := since
	for i, now := range []time.Time{first, first.Add(30 * time.Minute), first.Add(2 * time.Hour)} {
		_, err := take(t.Context(), dir, false, now)
		var held *outputs.HeldError
		if !errors.As(err, &held) {
			t.Fatalf("run %d: %v, want a HeldError", i+1, err)
		}
		if held.Holder.PID != 0 || !held.FirstSeen.Equal(first) || !held.Since().Equal(first) {
			t.Errorf("run %d: holder %+v, first seen %v; want no details, first seen %v", i+1, held.Holder, held.FirstSeen, first)
		}
	}
	other.Unlock()
	lk, err := take(t.Context(), dir, false, first.Add(3*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	lk.Unlock()
	if ok, err := other.TryLock(); !ok || err != nil {
		t.Fatalf("take the lock again as another program: %v, %v", ok, err)
	}
	defer other.Unlock()
	_, err = take(t.Context(), dir, false, first.Add(4*time.Hour))
	var held *outputs.HeldError
	if !errors.As(err, &held) || !held.FirstSeen.Equal(first.Add(4*time.Hour)) {
		t.Errorf("after a break: %v, want the lock first seen held anew", err)
	}
}
