package batchapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"time"
)

// stateVersion is the format of the state file. A file of a newer version
// is refused rather than rewritten without the fields it may hold.
// Version 2 added each record's settings (Record.Settings), which a
// collect must use: a version 1 file is read as it is, its records
// without settings, and saved as version 2, which the releases that
// wrote version 1 refuse rather than collect without the settings.
const stateVersion = 2

// StateStore keeps a state: read whole, and replaced whole and
// atomically, so that a crash leaves the old state or the new one, never
// a mix. The output folder's store (package outputs) is one; it keeps the
// state in the folder's .nl2en-batches.json.
type StateStore interface {
	// ReadBatchState returns the saved state; fs.ErrNotExist when none
	// was saved yet.
	ReadBatchState() ([]byte, error)
	WriteBatchState(data []byte) error
}

// Statuses of a [Record]. Planned, uploaded and abandoned are nl2en's;
// the others are the Batch API's own.
const (
	StatusPlanned   = "planned"   // intent recorded; nothing known to be uploaded yet
	StatusUploaded  = "uploaded"  // input file uploaded; no batch known yet
	StatusAbandoned = "abandoned" // the submission died before its batch was created; nothing runs

	StatusValidating = "validating"
	StatusFailed     = "failed"
	StatusInProgress = "in_progress"
	StatusFinalizing = "finalizing"
	StatusCompleted  = "completed"
	StatusExpired    = "expired"
	StatusCancelling = "cancelling"
	StatusCancelled  = "cancelled"
)

// State is the record of the batches submitted for one output directory,
// kept in a JSON file. It is not safe for concurrent use, and two
// processes must not use one state file at once: callers hold the run
// lock.
type State struct {
	store   StateStore
	Version int       `json:"version"`
	Records []*Record `json:"batches"`
}

// Record is one submission: a chunk of lines on its way to becoming a
// batch, a batch at OpenAI, or one whose results have been collected.
type Record struct {
	// ID is nl2en's name for the submission, "nl2en-<hash>-<nonce>". The
	// input file is uploaded as ID+".jsonl" and the batch carries it in
	// its metadata ([MetaID]), which is how [Client.Recover] finds them
	// after a crash.
	ID string `json:"id"`
	// Hash is the SHA-256 of the JSONL, in hex, also in the batch's
	// metadata ([MetaHash]).
	Hash   string `json:"sha256"`
	Model  string `json:"model"`
	Status string `json:"status"`

	FileID       string `json:"file_id,omitempty"`
	BatchID      string `json:"batch_id,omitempty"`
	OutputFileID string `json:"output_file_id,omitempty"`
	ErrorFileID  string `json:"error_file_id,omitempty"`
	// Errors are the batch's own errors ("code: message"), when it
	// failed validation.
	Errors []string `json:"errors,omitempty"`
	Counts Counts   `json:"counts"`

	Requests int   `json:"requests"`
	Bytes    int64 `json:"bytes"`
	// Meta is the caller's metadata, without the keys Submit adds.
	Meta      map[string]string `json:"metadata,omitempty"`
	CustomIDs []string          `json:"custom_ids"`
	// Settings are the caller's record of what shaped the requests, kept
	// for whoever uses the results; nil in a version 1 state.
	Settings json.RawMessage `json:"settings,omitempty"`

	Created time.Time `json:"created"`
	Updated time.Time `json:"updated"`
	// Collected is set by the caller once it has used the results.
	Collected bool `json:"collected"`
}

// Counts are the batch's request counts, as OpenAI last reported them.
type Counts struct {
	Total     int `json:"total"`
	Completed int `json:"completed"`
	Failed    int `json:"failed"`
}

// Finished reports whether the record has reached a final status: nothing
// more will run, and [Client.Results] can be called.
func (r *Record) Finished() bool {
	switch r.Status {
	case StatusCompleted, StatusFailed, StatusExpired, StatusCancelled, StatusAbandoned:
		return true
	}
	return false
}

// OpenState reads the state kept in store; none saved yet is an empty
// state. A state that cannot be read is an error, never an empty state:
// forgetting batches would pay for their work twice.
func OpenState(store StateStore) (*State, error) {
	st := &State{store: store}
	data, err := store.ReadBatchState()
	if errors.Is(err, fs.ErrNotExist) {
		st.Version = stateVersion
		return st, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read batch state: %w", err)
	}
	if err := json.Unmarshal(data, st); err != nil {
		return nil, fmt.Errorf("read batch state: %w (restore it, or move it away to forget the batches it records)", err)
	}
	switch {
	case st.Version > stateVersion:
		return nil, fmt.Errorf("batch state has version %d, newer than this nl2en knows (%d): upgrade nl2en", st.Version, stateVersion)
	case st.Version < 1:
		return nil, errors.New("batch state has no version: it is not an nl2en batch state")
	}
	st.Records = slices.DeleteFunc(st.Records, func(r *Record) bool { return r == nil })
	return st, nil
}

// Save writes the state through its store, whole and atomically.
func (s *State) Save() error {
	s.Version = stateVersion
	data, err := json.MarshalIndent(s, "", "\t")
	if err != nil {
		return fmt.Errorf("encode batch state: %w", err)
	}
	if err := s.store.WriteBatchState(append(data, '\n')); err != nil {
		return fmt.Errorf("save batch state: %w", err)
	}
	return nil
}

// Store is where the state is kept.
func (s *State) Store() StateStore { return s.store }

// Find returns the record with the id, or nil.
func (s *State) Find(id string) *Record {
	for _, r := range s.Records {
		if r.ID == id {
			return r
		}
	}
	return nil
}

// Open returns the records not yet finished: batches still running at
// OpenAI, and submissions that a crash may have cut short.
func (s *State) Open() []*Record {
	var out []*Record
	for _, r := range s.Records {
		if !r.Finished() {
			out = append(out, r)
		}
	}
	return out
}

// Uncollected returns the finished records whose results the caller has
// not yet collected.
func (s *State) Uncollected() []*Record {
	var out []*Record
	for _, r := range s.Records {
		if r.Finished() && !r.Collected {
			out = append(out, r)
		}
	}
	return out
}

// InFlight maps the custom id of every request in a record not yet
// collected to its record: the work a planner must not submit again.
// Abandoned records are collected by [Client.Recover], so their requests
// are free to plan again.
func (s *State) InFlight() map[string]*Record {
	m := map[string]*Record{}
	for _, r := range s.Records {
		if r.Collected {
			continue
		}
		for _, id := range r.CustomIDs {
			m[id] = r
		}
	}
	return m
}

// Prune forgets the collected records last updated before t, and reports
// how many it removed.
func (s *State) Prune(before time.Time) int {
	n := len(s.Records)
	s.Records = slices.DeleteFunc(s.Records, func(r *Record) bool { return r.Collected && r.Updated.Before(before) })
	return n - len(s.Records)
}
