package batchapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/sashabaranov/go-openai"
)

// ErrNotFinished is returned by [Client.Results] for a batch still
// running.
var ErrNotFinished = errors.New("batch not finished")

// Codes of the results that failed without an error code of OpenAI's.
const (
	CodeExpired   = "batch_expired"   // not run within the 24-hour window
	CodeCancelled = "batch_cancelled" // not run: the batch was cancelled
	CodeFailed    = "batch_failed"    // not run: the batch failed validation, or was abandoned
	CodeMissing   = "missing"         // no usable line for it in the output
	CodeMalformed = "malformed"       // a line for it, whose response could not be read
)

// Result is the outcome of one line of a batch.
type Result struct {
	CustomID string
	// Response is the chat completion, when the line succeeded; it has
	// not been validated.
	Response *openai.ChatCompletionResponse
	// Status is the HTTP status of the line's response, 0 when it got
	// none.
	Status int
	// Code and Err say why the line failed: Code is OpenAI's error code
	// (such as "rate_limit_exceeded" or "batch_expired"), one of the Code
	// constants, or "http_<status>"; Err is a message for logs.
	Code string
	Err  string
}

// OK reports whether the line has a response.
func (r Result) OK() bool { return r.Response != nil }

// Results downloads the output and error files of a finished batch and
// returns one result for each of its requests, in the order submitted.
// Lines are read tolerantly: a line that is not JSON, names an unknown
// custom id, or holds an unreadable response is skipped or marked failed,
// never fatal. Requests with no line are failed with the reason the batch
// gives: expired ([CodeExpired]), cancelled ([CodeCancelled]), or
// [CodeMissing]. Every request of a batch that failed validation or was
// abandoned is failed with [CodeFailed].
//
// A file that cannot be downloaded whole is an error: results must not be
// lost to a cut connection.
func (c *Client) Results(ctx context.Context, rec *Record) ([]Result, error) {
	if !rec.Finished() {
		return nil, fmt.Errorf("results of batch %s (%s): status %s: %w", rec.BatchID, rec.ID, rec.Status, ErrNotFinished)
	}
	got := map[string]Result{}
	want := make(map[string]bool, len(rec.CustomIDs))
	for _, id := range rec.CustomIDs {
		want[id] = true
	}
	for _, fileID := range []string{rec.OutputFileID, rec.ErrorFileID} {
		if fileID == "" || rec.Status == StatusFailed || rec.Status == StatusAbandoned {
			continue
		}
		data, err := c.download(ctx, fileID)
		if err != nil {
			return nil, fmt.Errorf("results of batch %s (%s): %w", rec.BatchID, rec.ID, err)
		}
		bad, unknown := 0, 0
		for line := range bytes.Lines(data) {
			r, ok := parseLine(line)
			switch {
			case !ok:
				bad++
			case !want[r.CustomID]:
				unknown++
			case !got[r.CustomID].OK():
				got[r.CustomID] = r
			}
		}
		if bad+unknown > 0 {
			c.log.Warn("batch file has lines that cannot be used", "id", rec.ID, "file", fileID, "unreadable", bad, "unknown_custom_id", unknown)
		}
	}

	code, why := CodeMissing, "no result for this request in the batch's files"
	switch rec.Status {
	case StatusExpired:
		code, why = CodeExpired, "not run before the batch's 24-hour window expired"
	case StatusCancelled:
		code, why = CodeCancelled, "not run: the batch was cancelled"
	case StatusFailed:
		code, why = CodeFailed, "the batch failed"
		if len(rec.Errors) > 0 {
			why += ": " + strings.Join(rec.Errors, "; ")
		}
	case StatusAbandoned:
		code, why = CodeFailed, "the batch was never created"
	}
	out := make([]Result, len(rec.CustomIDs))
	for i, id := range rec.CustomIDs {
		r, ok := got[id]
		if !ok {
			r = Result{CustomID: id, Code: code, Err: why}
		}
		out[i] = r
	}
	return out, nil
}

// download reads a whole file, and checks it got as many bytes as the API
// says the file holds.
func (c *Client) download(ctx context.Context, fileID string) ([]byte, error) {
	raw, err := c.api.GetFileContent(ctx, fileID)
	if err != nil {
		return nil, fmt.Errorf("download file %s: %w", fileID, err)
	}
	data, err := io.ReadAll(raw)
	raw.Close()
	if err != nil {
		return nil, fmt.Errorf("download file %s: %w", fileID, err)
	}
	f, err := c.api.GetFile(ctx, fileID)
	if err != nil {
		return nil, fmt.Errorf("download file %s: %w", fileID, err)
	}
	if len(data) != f.Bytes {
		return nil, fmt.Errorf("download file %s: got %d of its %d bytes", fileID, len(data), f.Bytes)
	}
	return data, nil
}

// outputLine is a line of an output or error file.
type outputLine struct {
	CustomID string `json:"custom_id"`
	Response *struct {
		StatusCode int             `json:"status_code"`
		Body       json.RawMessage `json:"body"`
	} `json:"response"`
	Error *struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

// parseLine reads one line of an output or error file; ok is false when
// the line cannot be attributed to a request.
func parseLine(line []byte) (r Result, ok bool) {
	line = bytes.TrimSpace(line)
	if len(line) == 0 {
		return r, false
	}
	var l outputLine
	if err := json.Unmarshal(line, &l); err != nil || l.CustomID == "" {
		return r, false
	}
	r.CustomID = l.CustomID
	switch {
	case l.Response != nil && l.Response.StatusCode >= 200 && l.Response.StatusCode < 300:
		r.Status = l.Response.StatusCode
		var resp openai.ChatCompletionResponse
		if err := json.Unmarshal(l.Response.Body, &resp); err != nil {
			r.Code, r.Err = CodeMalformed, fmt.Sprintf("unreadable response body: %v", err)
			return r, true
		}
		r.Response = &resp
	case l.Response != nil:
		r.Status = l.Response.StatusCode
		code, msg := errorBody(l.Response.Body)
		if code == "" {
			code = "http_" + strconv.Itoa(r.Status)
		}
		r.Code, r.Err = code, fmt.Sprintf("%d %s", r.Status, msg)
	case l.Error != nil:
		r.Code, r.Err = l.Error.Code, l.Error.Message
		if r.Code == "" {
			r.Code = "error"
		}
	default:
		r.Code, r.Err = CodeMalformed, "line has neither a response nor an error"
	}
	return r, true
}

// errorBody reads the code and message of an error response body,
// OpenAI's {"error":{…}} or anything else as text.
func errorBody(body json.RawMessage) (code, msg string) {
	var e struct {
		Error struct {
			Message string `json:"message"`
			Type    string `json:"type"`
			Code    any    `json:"code"`
		} `json:"error"`
	}
	if json.Unmarshal(body, &e) == nil && (e.Error.Message != "" || e.Error.Code != nil) {
		switch v := e.Error.Code.(type) {
		case string:
			code = v
		case float64:
			code = strconv.FormatFloat(v, 'f', -1, 64)
		}
		if code == "" {
			code = e.Error.Type
		}
		return code, e.Error.Message
	}
	var s string
	if json.Unmarshal(body, &s) == nil {
		return "", s
	}
	return "", string(body)
}
