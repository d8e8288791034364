package batchapi

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"net/http"
	"slices"
	"time"

	"github.com/sashabaranov/go-openai"
)

// Metadata keys that Submit sets on every batch.
const (
	MetaID   = "nl2en_id"     // the record's ID
	MetaHash = "nl2en_sha256" // the SHA-256 of the input file
)

// OpenAI's limits on batch metadata.
const (
	maxMetaPairs    = 16
	maxMetaKeyLen   = 64
	maxMetaValueLen = 512
)

// listSlack is how much earlier than its record a batch may have been
// created, by the clock of the server, and still be found by Recover.
const listSlack = time.Hour

// API is what the package needs of the Files and Batch APIs;
// *openai.Client has it.
type API interface {
	CreateFileBytes(ctx context.Context, req openai.FileBytesRequest) (openai.File, error)
	ListFiles(ctx context.Context) (openai.FilesList, error)
	GetFile(ctx context.Context, fileID string) (openai.File, error)
	GetFileContent(ctx context.Context, fileID string) (openai.RawResponse, error)
	DeleteFile(ctx context.Context, fileID string) error
	CreateBatch(ctx context.Context, req openai.CreateBatchRequest) (openai.BatchResponse, error)
	RetrieveBatch(ctx context.Context, batchID string) (openai.BatchResponse, error)
	ListBatch(ctx context.Context, after *string, limit *int) (openai.ListBatchResponse, error)
	CancelBatch(ctx context.Context, batchID string) (openai.BatchResponse, error)
}

// Client submits batches and collects them, keeping a [State] in step.
type Client struct {
	api API
	log *slog.Logger
	now func() time.Time
}

// An Option configures a [Client].
type Option func(*Client)

// WithClock replaces time.Now for the times recorded in the state.
// Recover compares those times with the API's created_at, give or take an
// hour, so the clock must be close to real time.
func WithClock(now func() time.Time) Option { return func(c *Client) { c.now = now } }

// New returns a client that talks to the API through api, usually an
// *openai.Client, and logs what it does to log (nil discards).
func New(api API, log *slog.Logger, opts ...Option) *Client {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	c := &Client{api: api, log: log, now: time.Now}
	for _, o := range opts {
		o(c)
	}
	return c
}

// Submit uploads a chunk and creates a batch of it, recording each step
// in st before the next: the intent (ID, hash, custom ids) before the
// upload, the file id after it, the batch id after the create. The batch
// runs at /v1/chat/completions with a 24-hour window and carries meta
// plus [MetaID] and [MetaHash]. settings, the caller's record of what
// shaped the requests, is kept with a new record ([Record.Settings]).
//
// A chunk whose JSONL is that of an unfinished record is not submitted
// again: if the record has a batch, Submit returns it; if an earlier
// Submit died before recording one, Submit looks for the file and the
// batch that one may have made, reuses them, and completes what is
// missing. So a chunk is never paid for twice, however often Submit is
// repeated.
//
// When the API refuses the upload or the create for good (a 4xx other
// than 408, 409 and 429), the record is abandoned and its file deleted;
// on any other error it is left for the next Submit or [Client.Recover].
func (c *Client) Submit(ctx context.Context, st *State, chunk []Line, meta map[string]string, settings json.RawMessage) (*Record, error) {
	model, err := checkChunk(chunk)
	if err != nil {
		return nil, err
	}
	if err := checkMeta(meta); err != nil {
		return nil, err
	}
	data, hash, err := encode(chunk)
	if err != nil {
		return nil, err
	}

	var rec *Record
	for _, r := range st.Records {
		if r.Hash == hash && !r.Finished() {
			rec = r
			break
		}
	}
	switch {
	case rec != nil && rec.BatchID != "":
		c.log.Info("batch already submitted", "id", rec.ID, "batch", rec.BatchID, "status", rec.Status)
		return rec, nil
	case rec != nil:
		c.log.Warn("resuming a submission cut short", "id", rec.ID, "status", rec.Status)
		if err := c.reconcile(ctx, st, []*Record{rec}); err != nil {
			return nil, fmt.Errorf("resume batch %s: %w", rec.ID, err)
		}
		if err := st.Save(); err != nil {
			return nil, err
		}
		if rec.BatchID != "" {
			return rec, nil
		}
	default:
		now := c.now()
		rec = &Record{
			ID:        newID(hash),
			Hash:      hash,
			Model:     model,
			Status:    StatusPlanned,
			Requests:  len(chunk),
			Bytes:     int64(len(data)),
			Meta:      maps.Clone(meta),
			CustomIDs: make([]string, len(chunk)),
			Settings:  settings,
			Created:   now,
			Updated:   now,
		}
		for i, l := range chunk {
			rec.CustomIDs[i] = l.CustomID
		}
		st.Records = append(st.Records, rec)
		if err := st.Save(); err != nil {
			// Not durable, so not safe to upload.
			st.Records = st.Records[:len(st.Records)-1]
			return nil, err
		}
	}

	if rec.FileID == "" {
		f, err := c.api.CreateFileBytes(ctx, openai.FileBytesRequest{Name: rec.ID + ".jsonl", Bytes: data, Purpose: openai.PurposeBatch})
		if err != nil {
			return nil, c.failed(ctx, st, rec, fmt.Errorf("upload batch %s: %w", rec.ID, err))
		}
		rec.FileID, rec.Status, rec.Updated = f.ID, StatusUploaded, c.now()
		if err := st.Save(); err != nil {
			return nil, err
		}
	}

	md := map[string]any{MetaID: rec.ID, MetaHash: rec.Hash}
	for k, v := range rec.Meta {
		md[k] = v
	}
	b, err := c.api.CreateBatch(ctx, openai.CreateBatchRequest{
		InputFileID:      rec.FileID,
		Endpoint:         openai.BatchEndpointChatCompletions,
		CompletionWindow: "24h",
		Metadata:         md,
	})
	if err != nil {
		return nil, c.failed(ctx, st, rec, fmt.Errorf("create batch %s: %w", rec.ID, err))
	}
	c.update(rec, b.Batch)
	c.log.Info("batch submitted", "id", rec.ID, "batch", rec.BatchID, "requests", rec.Requests, "bytes", rec.Bytes, "model", rec.Model)
	if err := st.Save(); err != nil {
		return nil, err
	}
	return rec, nil
}

// failed handles an error of the upload or the create: a refusal for good
// abandons the record, anything else leaves it to be resumed.
func (c *Client) failed(ctx context.Context, st *State, rec *Record, err error) error {
	if !refused(err) {
		return err
	}
	c.abandon(ctx, rec)
	if serr := st.Save(); serr != nil {
		return errors.Join(err, serr)
	}
	return err
}

// refused reports an error after which the request surely did nothing and
// repeating it will not help.
func refused(err error) bool {
	status := 0
	var apiErr *openai.APIError
	var reqErr *openai.RequestError
	switch {
	case errors.As(err, &apiErr):
		status = apiErr.HTTPStatusCode
	case errors.As(err, &reqErr):
		status = reqErr.HTTPStatusCode
	}
	switch status {
	case http.StatusRequestTimeout, http.StatusConflict, http.StatusTooManyRequests:
		return false
	}
	return status >= 400 && status < 500
}

// abandon gives up a record that has no batch: its file, if any, is
// deleted, and its requests are free to plan again.
func (c *Client) abandon(ctx context.Context, rec *Record) {
	if rec.FileID != "" {
		if err := c.api.DeleteFile(ctx, rec.FileID); err != nil && !notFound(err) {
			c.log.Warn("cannot delete the input file of an abandoned batch", "id", rec.ID, "file", rec.FileID, "err", err)
		}
	}
	rec.Status, rec.Collected, rec.Updated = StatusAbandoned, true, c.now()
	c.log.Warn("batch abandoned before it was created; its requests will be planned again", "id", rec.ID, "requests", rec.Requests)
}

func notFound(err error) bool {
	var apiErr *openai.APIError
	return errors.As(err, &apiErr) && apiErr.HTTPStatusCode == http.StatusNotFound
}

func checkMeta(meta map[string]string) error {
	if len(meta)+2 > maxMetaPairs {
		return fmt.Errorf("batch metadata has %d keys; at most %d are allowed besides nl2en's own", len(meta), maxMetaPairs-2)
	}
	for k, v := range meta {
		switch {
		case k == MetaID || k == MetaHash:
			return fmt.Errorf("batch metadata key %q is reserved", k)
		case len(k) > maxMetaKeyLen:
			return fmt.Errorf("batch metadata key %q is longer than %d bytes", k, maxMetaKeyLen)
		case len(v) > maxMetaValueLen:
			return fmt.Errorf("batch metadata value of %q is longer than %d bytes", k, maxMetaValueLen)
		}
	}
	return nil
}

// newID names a submission by its hash and a random nonce, so that a
// deliberate second submission of the same requests (after the first
// expired, say) is told apart from the first.
func newID(hash string) string {
	var nonce [4]byte
	_, _ = rand.Read(nonce[:]) // never fails
	return "nl2en-" + hash[:12] + "-" + hex.EncodeToString(nonce[:])
}

// Recover brings st in line with the API after a crash. Call it at the
// start of every run, before Submit.
//
// A record without a batch is a Submit that died midway: if the API holds
// a batch for it (by [MetaID]), the record takes it, and the work is not
// paid again; if not, the record is abandoned, its uploaded file deleted,
// and its requests become free to plan again. A second batch made for one
// record, as a create retried after a lost reply makes, is cancelled.
// Recover makes no request when every record is finished.
func (c *Client) Recover(ctx context.Context, st *State) error {
	open := st.Open()
	if len(open) == 0 {
		return nil
	}
	var pending []*Record
	for _, r := range open {
		if r.BatchID == "" {
			pending = append(pending, r)
		}
	}
	if err := c.reconcile(ctx, st, pending); err != nil {
		return fmt.Errorf("recover batches: %w", err)
	}
	for _, r := range pending {
		if r.BatchID != "" {
			c.log.Warn("recovered a batch created before a crash", "id", r.ID, "batch", r.BatchID, "status", r.Status)
			continue
		}
		c.abandon(ctx, r)
	}
	return st.Save()
}

// reconcile looks up what the API holds for the records: the input file
// of each record without one, and for every open record the batches
// carrying its ID. A record without a batch takes the oldest; any other
// unfinished batch of a record is cancelled.
func (c *Client) reconcile(ctx context.Context, st *State, pending []*Record) error {
	if slices.ContainsFunc(pending, func(r *Record) bool { return r.FileID == "" }) {
		// A server without a file listing (or one that fails) must not
		// leave the folder stuck: the record then has no file, is
		// abandoned unless a batch was made for it, and its requests are
		// uploaded again, which costs nothing but the upload.
		if err := c.findFiles(ctx, pending); err != nil {
			if ctx.Err() != nil {
				return err
			}
			c.log.Warn("cannot list the uploaded files to find one a submit cut short; it is uploaded again", "error", err.Error())
		}
	}
	open := st.Open()
	if len(open) == 0 {
		return nil
	}
	byID := map[string]*Record{}
	oldest := open[0].Created
	for _, r := range open {
		byID[r.ID] = r
		if r.Created.Before(oldest) {
			oldest = r.Created
		}
	}
	batches, err := c.listBatches(ctx, oldest.Add(-listSlack))
	if err != nil {
		return err
	}
	// Oldest first, so that a record without a batch takes the first one
	// made for it.
	slices.Reverse(batches)
	for _, b := range batches {
		id, _ := b.Metadata[MetaID].(string)
		r := byID[id]
		switch {
		case r == nil || r.BatchID == b.ID:
		case r.BatchID == "":
			c.update(r, b)
		case !batchFinished(b.Status):
			c.log.Warn("cancelling a duplicate batch", "id", r.ID, "batch", b.ID, "kept", r.BatchID)
			if _, err := c.api.CancelBatch(ctx, b.ID); err != nil {
				return fmt.Errorf("cancel duplicate batch %s of %s: %w", b.ID, r.ID, err)
			}
		}
	}
	return nil
}

// findFiles fills in the file id of records whose upload may have been
// made without its reply reaching us. Other copies of a record's file,
// from an upload retried, are deleted.
func (c *Client) findFiles(ctx context.Context, recs []*Record) error {
	list, err := c.api.ListFiles(ctx)
	if err != nil {
		return fmt.Errorf("list files: %w", err)
	}
	byName := map[string]*Record{}
	for _, r := range recs {
		if r.FileID == "" {
			byName[r.ID+".jsonl"] = r
		}
	}
	// The list is newest first; the oldest complete copy is kept.
	for _, f := range slices.Backward(list.Files) {
		r := byName[f.FileName]
		if r == nil || f.Purpose != string(openai.PurposeBatch) {
			continue
		}
		if r.FileID == "" && int64(f.Bytes) == r.Bytes {
			r.FileID, r.Status, r.Updated = f.ID, StatusUploaded, c.now()
			c.log.Warn("found the input file of a submission cut short", "id", r.ID, "file", f.ID)
			continue
		}
		if err := c.api.DeleteFile(ctx, f.ID); err != nil && !notFound(err) {
			return fmt.Errorf("delete duplicate file %s of %s: %w", f.ID, r.ID, err)
		}
	}
	return nil
}

// listBatches lists the batches created since, newest first.
func (c *Client) listBatches(ctx context.Context, since time.Time) ([]openai.Batch, error) {
	var out []openai.Batch
	var after *string
	limit := 100
	for {
		page, err := c.api.ListBatch(ctx, after, &limit)
		if err != nil {
			return nil, fmt.Errorf("list batches: %w", err)
		}
		for _, b := range page.Data {
			if time.Unix(int64(b.CreatedAt), 0).Before(since) {
				return out, nil
			}
			out = append(out, b)
		}
		if !page.HasMore || len(page.Data) == 0 {
			return out, nil
		}
		last := page.Data[len(page.Data)-1].ID
		after = &last
	}
}

func batchFinished(status string) bool {
	return (&Record{Status: status}).Finished()
}

// update copies what the API says of a batch into its record.
func (c *Client) update(r *Record, b openai.Batch) {
	if r.Status != b.Status {
		c.log.Info("batch status", "id", r.ID, "batch", b.ID, "from", r.Status, "to", b.Status,
			"completed", b.RequestCounts.Completed, "failed", b.RequestCounts.Failed, "total", b.RequestCounts.Total)
	}
	r.BatchID = b.ID
	r.Status = b.Status
	r.Counts = Counts(b.RequestCounts)
	if b.OutputFileID != nil {
		r.OutputFileID = *b.OutputFileID
	}
	if b.ErrorFileID != nil {
		r.ErrorFileID = *b.ErrorFileID
	}
	r.Errors = nil
	if b.Errors != nil {
		for _, e := range b.Errors.Data {
			msg := e.Code + ": " + e.Message
			if e.Line != nil {
				msg += fmt.Sprintf(" (line %d)", *e.Line)
			}
			r.Errors = append(r.Errors, msg)
		}
	}
	r.Updated = c.now()
}

// Refresh asks the API for the status and counts of every batch not yet
// finished and saves st. It goes on past a batch it cannot reach and
// returns the errors joined.
func (c *Client) Refresh(ctx context.Context, st *State) error {
	var errs []error
	for _, r := range st.Open() {
		if r.BatchID == "" {
			continue
		}
		b, err := c.api.RetrieveBatch(ctx, r.BatchID)
		if err != nil {
			errs = append(errs, fmt.Errorf("refresh batch %s (%s): %w", r.BatchID, r.ID, err))
			if ctx.Err() != nil {
				break
			}
			continue
		}
		c.update(r, b.Batch)
	}
	if err := st.Save(); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// DeleteFiles deletes the input, output and error files of a finished
// record from the API's storage; files already gone are no error.
func (c *Client) DeleteFiles(ctx context.Context, rec *Record) error {
	var errs []error
	for _, id := range []string{rec.FileID, rec.OutputFileID, rec.ErrorFileID} {
		if id == "" {
			continue
		}
		if err := c.api.DeleteFile(ctx, id); err != nil && !notFound(err) {
			errs = append(errs, fmt.Errorf("delete file %s of batch %s: %w", id, rec.ID, err))
		}
	}
	return errors.Join(errs...)
}
