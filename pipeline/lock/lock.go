// Package lock is the run lock of an output folder: one nl2en run at a
// time works on a folder's outputs, so two runs from cron never translate
// the same articles or overwrite each other's report.
//
// The lock is an flock(2) on [File] in the folder, so other tools and
// shell scripts can take it too (`flock OUT/.nl2en.lock …`). While nl2en
// holds it, the file says who holds it and since when ([Holder]); a run
// that finds the lock taken reads that back, so that a run hanging for
// hours can be told from one that started a minute ago.
package lock

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/gofrs/flock"
)

// File is the name of the lock file in a folder.
const File = ".nl2en.lock"

// pollInterval is how often a waiting run tries the lock again.
const pollInterval = 500 * time.Millisecond

// Holder says who holds a lock and since when.
type Holder struct {
	PID   int
	Host  string
	Since time.Time
}

// Lock is a taken run lock.
type Lock struct {
	fl *flock.Flock
}

// HeldError is returned by [Take] when another process holds the lock and
// the caller did not want to wait.
type HeldError struct {
	Path string
	// Holder is what the holder wrote into the lock; zero when it wrote
	// nothing (another tool holds it) or cannot be read.
	Holder Holder
}

func (e *HeldError) Error() string {
	if e.Holder.PID == 0 {
		return fmt.Sprintf("another nl2en run or tool holds the lock %s", e.Path)
	}
	return fmt.Sprintf("another nl2en run (pid %d on %s, since %s) holds the lock %s",
		e.Holder.PID, e.Holder.Host, e.Holder.Since.Local().Format("2006-01-02 15:04:05"), e.Path)
}

// Take takes the lock of dir, creating dir when needed. When another
// process holds it, Take returns a [*HeldError] at once, or with wait,
// waits until the lock is free or ctx is done.
func Take(ctx context.Context, dir string, wait bool, now time.Time) (*Lock, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("output folder %s: %w", dir, err)
	}
	path := filepath.Join(dir, File)
	fl := flock.New(path)
	var ok bool
	var err error
	if wait {
		ok, err = fl.TryLockContext(ctx, pollInterval)
	} else {
		ok, err = fl.TryLock()
	}
	if err != nil {
		if ctx.Err() != nil {
			return nil, context.Cause(ctx)
		}
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	if !ok {
		h, _ := ReadHolder(path)
		return nil, &HeldError{Path: path, Holder: h}
	}
	host, _ := os.Hostname()
	info := fmt.Sprintf("pid %d\nhost %s\nsince %s\n", os.Getpid(), host, now.UTC().Format(time.RFC3339))
	// Written in place, never renamed over: the flock is on this inode.
	if err := os.WriteFile(path, []byte(info), 0o644); err != nil {
		fl.Unlock()
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	return &Lock{fl: fl}, nil
}

// Unlock empties the lock file, so that its holder's details are not
// taken for those of the next holder, and releases it.
func (l *Lock) Unlock() error {
	err := os.Truncate(l.fl.Path(), 0)
	return errors.Join(err, l.fl.Unlock())
}

// ReadHolder reads who holds the lock at path, as Take wrote it.
func ReadHolder(path string) (Holder, error) {
	b, err := os.ReadFile(path)
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
