package outputs

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// The run lock: one nl2en run at a time works on a folder's outputs, so
// two runs from cron never translate the same articles or overwrite each
// other's report.
//
// The lock is an flock(2) (on Windows, LockFileEx) on [LockFile] in the
// folder, so other tools and shell scripts can take it too (`flock
// OUT/.nl2en.lock …`). It is opened without following a symbolic link and
// refused when it is one (or a hard link, or on Windows a reparse point):
// nl2en writes into the lock and empties it, and must never do that to a
// file someone linked there. While nl2en holds it, the file says who holds
// it and since when ([Holder]).

// pollInterval is how often a waiting run tries the lock again.
const pollInterval = 500 * time.Millisecond

// Holder says who holds a lock and since when.
type Holder struct {
	PID   int
	Host  string
	Since time.Time
}

// HeldError is returned by [Store.Lock] when another process holds the
// lock and the caller did not want to wait.
type HeldError struct {
	Path string
	// Holder is what the holder wrote into the lock; zero when it wrote
	// nothing (another tool holds it) or cannot be read.
	Holder Holder
	// FirstSeen, for a lock held without details, is when a run first
	// found it held, as far as nl2en knows without a break: each run that
	// finds it held keeps the time, and one that takes the lock forgets
	// it. Zero when the holder wrote its details.
	FirstSeen time.Time
}

func (e *HeldError) Error() string {
	if e.Holder.PID == 0 {
		return fmt.Sprintf("another nl2en run or tool holds the lock %s", e.Path)
	}
	return fmt.Sprintf("another nl2en run (pid %d on %s, since %s) holds the lock %s",
		e.Holder.PID, e.Holder.Host, e.Holder.Since.Local().Format("2006-01-02 15:04:05"), e.Path)
}

// Since is when the lock is known to have been held since: its holder's
// own word, else when nl2en first saw it held.
func (e *HeldError) Since() time.Time {
	if !e.Holder.Since.IsZero() {
		return e.Holder.Since
	}
	return e.FirstSeen
}

// StuckAfter is how long a lock may be held before a run that finds it
// says so even when told to be quiet: cron mails what a job prints, and a
// nightly run still going after an hour has most likely hung.
const StuckAfter = time.Hour

// Stuck says, when the lock has been held for longer than StuckAfter at
// now, for how long and what to do about it, in one line; "" otherwise.
func (e *HeldError) Stuck(now time.Time) string {
	since := e.Since()
	if since.IsZero() || now.Sub(since) <= StuckAfter {
		return ""
	}
	d := strings.TrimSuffix(now.Sub(since).Round(time.Minute).String(), "0s")
	if e.Holder.PID != 0 {
		return fmt.Sprintf("%s, for %s now: not starting a second run; if that run hangs, stop pid %d on %s", e, d, e.Holder.PID, e.Holder.Host)
	}
	return fmt.Sprintf("%s, for %s now at least (first found held %s): not starting a second run; if it hangs, find the program that holds it (fuser %s)",
		e, d, since.Local().Format("2006-01-02 15:04"), e.Path)
}

// ErrLockLink is the error of a lock file that is a link: it is refused,
// and the file it leads to is neither written nor emptied.
var ErrLockLink = errors.New("the lock file is a link, not a file nl2en made")

// Lock is a taken run lock.
type Lock struct {
	f    *os.File
	path string
}

// Lock takes the run lock of dir (the output folder, or without one the
// folder of the first input), making dir when needed. When another
// process holds it, Lock returns a [*HeldError] at once, or with wait,
// waits until the lock is free or ctx is done. Taken in the output
// folder, the lock first clears away the temporary files killed runs
// left there. A dry run's store takes no lock: it would write the lock
// file.
func (s *Store) Lock(ctx context.Context, dir string, wait bool, now time.Time) (*Lock, error) {
	if s.cfg.DryRun {
		return nil, ErrDryRun
	}
	var root *os.Root
	if s.cfg.Out != "" && dir == s.cfg.Out {
		r, err := s.outRoot(true)
		if err != nil {
			return nil, err
		}
		root = r
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("output folder %s: %w", dir, unwrapPath(err))
	}
	path := filepath.Join(dir, LockFile)
	f, err := openLockFile(path)
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	for {
		ok, err := tryLock(f)
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("lock %s: %w", path, err)
		}
		if ok {
			break
		}
		if !wait {
			h, _ := ReadHolder(path)
			f.Close()
			held := &HeldError{Path: path, Holder: h}
			if h.PID == 0 {
				held.FirstSeen = s.firstSeen(dir, root, now)
			}
			return nil, held
		}
		select {
		case <-ctx.Done():
			f.Close()
			return nil, context.Cause(ctx)
		case <-time.After(pollInterval):
		}
	}
	host, _ := os.Hostname()
	info := fmt.Sprintf("pid %d\nhost %s\nsince %s\n", os.Getpid(), host, now.UTC().Format(time.RFC3339))
	// Written in place, never renamed over: the lock is on this file.
	if err := writeHolder(f, info); err != nil {
		unlock(f)
		f.Close()
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	l := &Lock{f: f, path: path}
	if root != nil {
		root.Remove(lockSeenFile)
		s.clean()
	} else {
		os.Remove(filepath.Join(dir, lockSeenFile))
	}
	return l, nil
}

func writeHolder(f *os.File, info string) error {
	if err := f.Truncate(0); err != nil {
		return err
	}
	_, err := f.WriteAt([]byte(info), 0)
	return err
}

// Unlock empties the lock file, so that its holder's details are not
// taken for those of the next holder, and releases it.
func (l *Lock) Unlock() error {
	err := l.f.Truncate(0)
	err = errors.Join(err, unlock(l.f))
	return errors.Join(err, l.f.Close())
}

// Path is the lock file.
func (l *Lock) Path() string { return l.path }

// firstSeen reads when a run first found the lock of dir held without
// details, noting now as that time when no run has yet. The note is a
// file of its own beside the lock, removed by the next run that takes it.
func (s *Store) firstSeen(dir string, root *os.Root, now time.Time) time.Time {
	read := func() ([]byte, error) { return os.ReadFile(filepath.Join(dir, lockSeenFile)) }
	if root != nil {
		read = func() ([]byte, error) { return root.ReadFile(lockSeenFile) }
	}
	if b, err := read(); err == nil {
		if t, err := time.Parse(time.RFC3339, strings.TrimSpace(string(b))); err == nil && !t.After(now) {
			return t
		}
	}
	note := []byte(now.UTC().Format(time.RFC3339) + "\n")
	var err error
	if root != nil {
		err = writeIn(root, lockSeenFile, "", note, 0o644)
	} else {
		err = WriteFile(dir, lockSeenFile, "", note, 0o644)
	}
	if err != nil {
		s.cfg.Log.Debug("could not note when the lock was first seen held", "error", err.Error())
	}
	return now
}

// ReadHolder reads who holds the lock at path, as nl2en writes it. A lock
// file that is a link is not read.
func ReadHolder(path string) (Holder, error) {
	info, err := os.Lstat(path)
	if err != nil {
		return Holder{}, err
	}
	if !info.Mode().IsRegular() {
		return Holder{}, ErrLockLink
	}
	f, err := os.Open(path)
	if err != nil {
		return Holder{}, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, 4096))
	if err != nil {
		return Holder{}, err
	}
	var h Holder
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		key, val, _ := strings.Cut(sc.Text(), " ")
		switch key {
		case "pid":
			h.PID, _ = strconv.Atoi(val)
		case "host":
			h.Host = val
		case "since":
			h.Since, _ = time.Parse(time.RFC3339, val)
		}
	}
	if h.PID == 0 || h.Since.IsZero() {
		return Holder{}, errors.New("the lock holds no holder's details")
	}
	return h, nil
}

// checkLockFile refuses a lock file that is not a plain file of its own:
// a symbolic link (or reparse point), a hard link to another file, or
// anything but a regular file.
func checkLockFile(f *os.File) error {
	info, err := f.Stat()
	if err != nil {
		return err
	}
	if !info.Mode().IsRegular() {
		return errors.New("the lock file is not a regular file: remove it")
	}
	if links(info) > 1 {
		return fmt.Errorf("%w (a hard link: the file has other names)", ErrLockLink)
	}
	return nil
}
