package openaitest

// The Files and Batch APIs: POST/GET /v1/files, GET/DELETE /v1/files/{id},
// GET /v1/files/{id}/content, POST/GET /v1/batches, GET /v1/batches/{id}
// and POST /v1/batches/{id}/cancel, in OpenAI's shapes. Batches do not
// move by themselves: a test moves them with Server.AdvanceBatches or
// Server.FinishBatches, and decides how they end with
// Server.ScriptBatches. Their lines run through the same chat completion
// logic as live requests. The Azure mode has no batches.

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/sashabaranov/go-openai"
)

// The limits of OpenAI's Batch API, which the server enforces unless
// [WithBatchLimits] changes them.
const (
	DefaultBatchMaxRequests  = 50_000
	DefaultBatchMaxFileBytes = 200 << 20
)

// Batch statuses, as OpenAI names them.
const (
	BatchValidating = "validating"
	BatchFailed     = "failed"
	BatchInProgress = "in_progress"
	BatchFinalizing = "finalizing"
	BatchCompleted  = "completed"
	BatchExpired    = "expired"
	BatchCancelling = "cancelling"
	BatchCancelled  = "cancelled"
)

// The codes of the error lines of a batch that ended before running them.
const (
	codeBatchExpired   = "batch_expired"
	codeBatchCancelled = "batch_cancelled"
)

type batchLimits struct {
	maxRequests int
	maxBytes    int64
}

// WithBatchLimits sets the most requests and the most bytes an input file
// of a batch may hold; POST /v1/batches answers 400 for a file over either.
// Zero keeps OpenAI's limit ([DefaultBatchMaxRequests],
// [DefaultBatchMaxFileBytes]).
func WithBatchLimits(maxRequests int, maxFileBytes int64) Option {
	return func(o *options) { o.batchLimits = batchLimits{maxRequests, maxFileBytes} }
}

func (o options) batchMax() (int, int64) {
	return cmp.Or(o.batchLimits.maxRequests, DefaultBatchMaxRequests), cmp.Or(o.batchLimits.maxBytes, DefaultBatchMaxFileBytes)
}

// batchStore holds the files and batches of a Server, under Server.mu.
type batchStore struct {
	files   []*storedFile // in the order created
	batches []*storedBatch
	script  []BatchOutcome
	lines   []BatchLine
	fileSeq int
	lineSeq int
}

type storedFile struct {
	obj     fileObject
	data    []byte
	input   []batchInput // the parsed lines of a file with purpose "batch"
	deleted bool
}

type fileObject struct {
	ID            string  `json:"id"`
	Object        string  `json:"object"`
	Bytes         int64   `json:"bytes"`
	CreatedAt     int64   `json:"created_at"`
	ExpiresAt     *int64  `json:"expires_at"`
	Filename      string  `json:"filename"`
	Purpose       string  `json:"purpose"`
	Status        string  `json:"status"`
	StatusDetails *string `json:"status_details"`
}

// batchInput is one line of a batch input file.
type batchInput struct {
	CustomID string          `json:"custom_id"`
	Method   string          `json:"method"`
	URL      string          `json:"url"`
	Body     json.RawMessage `json:"body"`
}

type storedBatch struct {
	id      string // obj.ID, to read without s.mu
	obj     batchObject
	outcome BatchOutcome
	input   []batchInput
	running bool // AdvanceBatches is running its lines
	// The lines of the output and error files, once run.
	out, errs [][]byte
}

type batchObject struct {
	ID               string            `json:"id"`
	Object           string            `json:"object"`
	Endpoint         string            `json:"endpoint"`
	Errors           *batchErrors      `json:"errors"`
	InputFileID      string            `json:"input_file_id"`
	CompletionWindow string            `json:"completion_window"`
	Status           string            `json:"status"`
	OutputFileID     *string           `json:"output_file_id"`
	ErrorFileID      *string           `json:"error_file_id"`
	CreatedAt        int64             `json:"created_at"`
	InProgressAt     *int64            `json:"in_progress_at"`
	ExpiresAt        *int64            `json:"expires_at"`
	FinalizingAt     *int64            `json:"finalizing_at"`
	CompletedAt      *int64            `json:"completed_at"`
	FailedAt         *int64            `json:"failed_at"`
	ExpiredAt        *int64            `json:"expired_at"`
	CancellingAt     *int64            `json:"cancelling_at"`
	CancelledAt      *int64            `json:"cancelled_at"`
	RequestCounts    requestCounts     `json:"request_counts"`
	Metadata         map[string]string `json:"metadata"`
}

type batchErrors struct {
	Object string       `json:"object"`
	Data   []batchError `json:"data"`
}

type batchError struct {
	Code    string  `json:"code"`
	Message string  `json:"message"`
	Param   *string `json:"param"`
	Line    *int    `json:"line"`
}

type requestCounts struct {
	Total     int `json:"total"`
	Completed int `json:"completed"`
	Failed    int `json:"failed"`
}

// batchOutput is one line of an output or error file.
type batchOutput struct {
	ID       string         `json:"id"`
	CustomID string         `json:"custom_id"`
	Response *batchResponse `json:"response"`
	Error    *batchLineErr  `json:"error"`
}

type batchResponse struct {
	StatusCode int             `json:"status_code"`
	RequestID  string          `json:"request_id"`
	Body       json.RawMessage `json:"body"`
}

type batchLineErr struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// BatchLine is one request of a batch that the server ran, as returned by
// [Server.BatchLines]. Lines are not in [Server.Requests], which holds
// only the HTTP requests received, so [Server.Count] counts the live path
// alone.
type BatchLine struct {
	Batch    string // the batch id
	CustomID string
	// Kind, Chat and SegmentIDs are as in [Request].
	Kind       string
	Chat       openai.ChatCompletionRequest
	SegmentIDs []string
	// Status is the status_code of the line's response, or 0 when it got
	// none (a Hang or Reset fault).
	Status int
	Fault  string
}

// BatchLines returns a copy of the batch lines run so far, in the order run.
func (s *Server) BatchLines() []BatchLine {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.batch.lines)
}

// A BatchOutcome says how a batch ends. Outcomes are queued with
// [Server.ScriptBatches]; a batch created with none queued completes.
type BatchOutcome struct {
	name       string
	end        string // BatchCompleted, BatchFailed or BatchExpired
	code       string // BatchFailed
	message    string
	done       int // BatchExpired: lines run before the window closed
	lineFaults map[string]Fault
}

// String names the outcome.
func (o BatchOutcome) String() string { return o.name }

// CompleteBatch runs every line and completes the batch; it is what a
// batch does when no outcome is scripted.
func CompleteBatch() BatchOutcome {
	return BatchOutcome{name: "CompleteBatch()", end: BatchCompleted}
}

// FailBatch fails the batch when it leaves "validating": its status
// becomes "failed" with errors.data [{code, message}], and no line runs.
func FailBatch(code, message string) BatchOutcome {
	return BatchOutcome{name: fmt.Sprintf("FailBatch(%q)", code), end: BatchFailed, code: code, message: message}
}

// ExpireBatch lets the 24-hour window pass after the first done lines
// have run: the status becomes "expired", the output file holds what ran
// and the error file has a line with code "batch_expired" for every other
// request.
func ExpireBatch(done int) BatchOutcome {
	return BatchOutcome{name: fmt.Sprintf("ExpireBatch(%d)", done), end: BatchExpired, done: max(done, 0)}
}

// WithLineFault returns the outcome with the line of this custom_id served
// with the fault instead of the faults queued by [Server.Script]. An error
// fault puts the line in the error file with its status_code and error
// body; Hang and Reset make it an error line with code "server_error" and
// no response; TruncatedBody cuts the line itself in half in the output
// file, as a corrupt file would; Slow changes nothing; content faults
// spoil the reply as they do live.
func (o BatchOutcome) WithLineFault(customID string, f Fault) BatchOutcome {
	m := maps.Clone(o.lineFaults)
	if m == nil {
		m = map[string]Fault{}
	}
	m[customID] = f
	o.lineFaults = m
	o.name += fmt.Sprintf(".WithLineFault(%q, %s)", customID, f)
	return o
}

// ScriptBatches queues outcomes for the batches created next: each new
// batch takes the first outcome queued, in the order queued.
func (s *Server) ScriptBatches(outcomes ...BatchOutcome) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.batch.script = append(s.batch.script, outcomes...)
}

// AdvanceBatches moves every unfinished batch one step, as time would:
// validating → in_progress (or failed), in_progress → finalizing (or
// expired), finalizing → completed, cancelling → cancelled. Leaving
// in_progress runs the batch's lines through the chat completion logic of
// the live endpoint (translations, summaries, faults queued by
// [Server.Script] for their kind, usage, prompt cache), without latency
// and outside the rate limit; the output and error files appear when the
// batch reaches its final status. It returns how many batches are still
// unfinished.
func (s *Server) AdvanceBatches() int {
	s.mu.Lock()
	now := time.Now().Unix()
	var run []*storedBatch
	for _, b := range s.batch.batches {
		if b.running {
			continue
		}
		o := &b.obj
		switch o.Status {
		case BatchValidating:
			if errs := s.validateBatch(b); len(errs) > 0 {
				o.Status, o.FailedAt = BatchFailed, &now
				o.Errors = &batchErrors{Object: "list", Data: errs}
				continue
			}
			o.Status, o.InProgressAt = BatchInProgress, &now
			o.RequestCounts.Total = len(b.input)
		case BatchInProgress:
			b.running = true
			run = append(run, b)
		case BatchFinalizing:
			s.finishBatch(b, BatchCompleted, now)
		case BatchCancelling:
			for _, in := range b.input[len(b.out)+len(b.errs):] {
				b.errs = append(b.errs, s.errorLine(in.CustomID, codeBatchCancelled, "This request was not executed because the batch was cancelled."))
			}
			s.finishBatch(b, BatchCancelled, now)
		}
	}
	s.mu.Unlock()

	for _, b := range run {
		out, errs := s.runBatch(b)
		s.mu.Lock()
		b.running = false
		b.out, b.errs = out, errs
		now := time.Now().Unix()
		o := &b.obj
		o.RequestCounts = requestCounts{Total: len(b.input), Completed: len(out), Failed: len(errs)}
		switch {
		case o.Status == BatchCancelling:
			s.finishBatch(b, BatchCancelled, now)
		case b.outcome.end == BatchExpired:
			s.finishBatch(b, BatchExpired, now)
		default:
			o.Status, o.FinalizingAt = BatchFinalizing, &now
		}
		s.mu.Unlock()
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	open := 0
	for _, b := range s.batch.batches {
		if !batchDone(b.obj.Status) {
			open++
		}
	}
	return open
}

// FinishBatches advances every batch to its final status.
func (s *Server) FinishBatches() {
	for s.AdvanceBatches() > 0 {
	}
}

func batchDone(status string) bool {
	switch status {
	case BatchCompleted, BatchFailed, BatchExpired, BatchCancelled:
		return true
	}
	return false
}

// validateBatch does what OpenAI checks while a batch is "validating",
// under s.mu.
func (s *Server) validateBatch(b *storedBatch) []batchError {
	if b.outcome.end == BatchFailed {
		return []batchError{{Code: b.outcome.code, Message: b.outcome.message}}
	}
	var errs []batchError
	model := ""
	for i, in := range b.input {
		line := i + 1
		var body struct {
			Model string `json:"model"`
		}
		_ = json.Unmarshal(in.Body, &body)
		switch {
		case in.URL != b.obj.Endpoint:
			errs = append(errs, batchError{Code: "invalid_url", Message: fmt.Sprintf("The URL provided for this request (%s) does not match the endpoint of the batch (%s).", in.URL, b.obj.Endpoint), Param: ptr("url"), Line: &line})
		case model == "":
			model = body.Model
		case body.Model != model:
			errs = append(errs, batchError{Code: "model_mismatch", Message: fmt.Sprintf("The model of this request (%s) differs from that of the first request (%s); a batch may use only one model.", body.Model, model), Param: ptr("body.model"), Line: &line})
		}
	}
	return errs
}

func ptr[T any](v T) *T { return &v }

// finishBatch gives the batch its final status and its files, under s.mu.
func (s *Server) finishBatch(b *storedBatch, status string, now int64) {
	o := &b.obj
	o.Status = status
	o.RequestCounts = requestCounts{Total: len(b.input), Completed: len(b.out), Failed: len(b.errs)}
	switch status {
	case BatchCompleted:
		o.CompletedAt = &now
	case BatchExpired:
		o.ExpiredAt = &now
	case BatchCancelled:
		o.CancelledAt = &now
	}
	if len(b.out) > 0 {
		f := s.storeFile(o.ID+"_output.jsonl", "batch_output", jsonl(b.out), nil)
		o.OutputFileID = &f.obj.ID
	}
	if len(b.errs) > 0 {
		f := s.storeFile(o.ID+"_error.jsonl", "batch_output", jsonl(b.errs), nil)
		o.ErrorFileID = &f.obj.ID
	}
}

func jsonl(lines [][]byte) []byte {
	var b bytes.Buffer
	for _, l := range lines {
		b.Write(l)
		b.WriteByte('\n')
	}
	return b.Bytes()
}

// errorLine renders a line of an error file for a request that did not
// run, under s.mu.
func (s *Server) errorLine(customID, code, message string) []byte {
	s.batch.lineSeq++
	return marshal(batchOutput{
		ID:       fmt.Sprintf("batch_req_%024x", s.batch.lineSeq),
		CustomID: customID,
		Error:    &batchLineErr{Code: code, Message: message},
	})
}

// runBatch runs the lines of a batch leaving in_progress, without s.mu.
func (s *Server) runBatch(b *storedBatch) (out, errs [][]byte) {
	for i, in := range b.input {
		if b.outcome.end == BatchExpired && i >= b.outcome.done {
			s.mu.Lock()
			errs = append(errs, s.errorLine(in.CustomID, codeBatchExpired, "This request could not be executed before the completion window expired."))
			s.mu.Unlock()
			continue
		}
		var fault *Fault
		if f, ok := b.outcome.lineFaults[in.CustomID]; ok {
			fault = &f
		}
		line, ok := s.runBatchLine(b.id, in, fault)
		if ok {
			out = append(out, line)
		} else {
			errs = append(errs, line)
		}
	}
	return out, errs
}

// runBatchLine serves one line as the live endpoint would and renders its
// line of the output (ok) or error file.
func (s *Server) runBatchLine(batchID string, in batchInput, fault *Fault) (line []byte, ok bool) {
	c := &call{
		r:     httptest.NewRequest(http.MethodPost, openAIPrefix+"/chat/completions", bytes.NewReader(in.Body)),
		start: time.Now(),
		body:  in.Body,
		kind:  KindOther,
	}
	c.decErr = json.Unmarshal(in.Body, &c.chat)
	if c.decErr == nil {
		c.user = lastUserMessage(c.chat.Messages)
		c.kind = classify(c.chat.ResponseFormat, c.user)
	}
	s.mu.Lock()
	s.seq++
	c.seq = s.seq
	s.batch.lineSeq++
	lineID := fmt.Sprintf("batch_req_%024x", s.batch.lineSeq)
	s.mu.Unlock()
	c.reqID = fmt.Sprintf("req_%032x", c.seq)

	w := httptest.NewRecorder()
	res := s.batchCompletion(w, c, fault)
	rec := BatchLine{Batch: batchID, CustomID: in.CustomID, Kind: c.kind, Chat: c.chat, SegmentIDs: c.user.segmentIDs(), Fault: res.fault}
	o := batchOutput{ID: lineID, CustomID: in.CustomID}
	if res.noResponse {
		o.Error = &batchLineErr{Code: "server_error", Message: "The server could not complete this request."}
	} else {
		rec.Status = w.Code
		body := w.Body.Bytes()
		if !json.Valid(body) {
			// An HTML page or a bare string: kept, as a JSON string.
			body = marshal(string(body))
		}
		o.Response = &batchResponse{StatusCode: w.Code, RequestID: c.reqID, Body: body}
		ok = w.Code == http.StatusOK
	}
	line = marshal(o)
	if res.truncated {
		line = line[:len(line)/2]
	}
	s.mu.Lock()
	s.batch.lines = append(s.batch.lines, rec)
	s.mu.Unlock()
	return line, ok
}

type lineResult struct {
	fault      string
	noResponse bool
	truncated  bool
}

// batchCompletion is Server.chat for a batch line: the same checks,
// replies and faults, but no latency, no rate limit, no random faults,
// and connection faults turned into what a batch can show of them.
func (s *Server) batchCompletion(w http.ResponseWriter, c *call, lineFault *Fault) lineResult {
	var res lineResult
	if c.decErr != nil {
		writeJSON(w, http.StatusBadRequest, apiError("We could not parse the JSON body of your request.", "invalid_request_error", "", nil))
		return res
	}
	c.model = c.chat.Model
	switch {
	case c.model == "":
		writeJSON(w, http.StatusBadRequest, apiError("you must provide a model parameter", "invalid_request_error", "", nil))
		return res
	case !s.knowsModel(c.model):
		writeJSON(w, http.StatusNotFound, modelNotFound(c.model))
		return res
	case len(c.chat.Messages) == 0:
		writeJSON(w, http.StatusBadRequest, apiError("[] is too short - 'messages'", "invalid_request_error", "messages", "empty_array"))
		return res
	}
	if body := s.checkResponseFormat(c); body != nil {
		writeJSON(w, http.StatusBadRequest, body)
		return res
	}
	var prompt strings.Builder
	for _, m := range c.chat.Messages {
		prompt.WriteString(messageText(m))
	}
	c.promptTokens = s.opts.tokens(prompt.String()) + 3*len(c.chat.Messages)
	rep := s.normalReply(c)

	f, ok := s.nextScripted(c.kind)
	if lineFault != nil {
		f, ok = *lineFault, true
	}
	if ok {
		res.fault = f.name
		switch f.sort {
		case sortResponse:
			for k, v := range f.header {
				w.Header()[k] = v
			}
			w.Header().Set("Content-Type", f.contentType)
			w.WriteHeader(f.status)
			_, _ = w.Write(f.body(c))
			return res
		case sortHang, sortReset:
			res.noResponse = true
			return res
		case sortTruncatedBody:
			res.truncated = true
		case sortContent:
			if f.segs != nil && rep.hasSegs {
				rep.segs = f.segs(rep.segs, c.user.segments)
			}
			rep.render()
			if f.edit != nil {
				f.edit(rep)
			}
		}
	}
	s.writeCompletion(w, c, rep, s.usage(c, rep))
	return res
}

// nextScripted takes the first fault queued for the kind; unlike
// nextFault it never draws a random one, since the Batch API retries
// transient failures itself.
func (s *Server) nextScripted(kind string) (Fault, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, e := range s.script {
		if e.kind == KindAny || e.kind == kind {
			s.script = slices.Delete(s.script, i, i+1)
			return e.fault, true
		}
	}
	return Fault{}, false
}

// isBatchAPIPath reports whether a path under /v1 belongs to the files or
// batches API.
func isBatchAPIPath(rest string) bool {
	for _, p := range []string{"/files", "/batches"} {
		if rest == p || strings.HasPrefix(rest, p+"/") {
			return true
		}
	}
	return false
}

// serveBatchAPI serves /v1/files… and /v1/batches….
func (s *Server) serveBatchAPI(w http.ResponseWriter, c *call, rest string) {
	parts := strings.Split(strings.TrimPrefix(rest, "/"), "/")
	m := c.r.Method
	switch {
	case len(parts) == 1 && parts[0] == "files" && m == http.MethodPost:
		s.uploadFile(w, c)
	case len(parts) == 1 && parts[0] == "files" && m == http.MethodGet:
		s.listFiles(w, c)
	case len(parts) == 2 && parts[0] == "files" && parts[1] != "" && m == http.MethodGet:
		s.getFile(w, parts[1], false)
	case len(parts) == 2 && parts[0] == "files" && parts[1] != "" && m == http.MethodDelete:
		s.deleteFile(w, parts[1])
	case len(parts) == 3 && parts[0] == "files" && parts[1] != "" && parts[2] == "content" && m == http.MethodGet:
		s.getFile(w, parts[1], true)
	case len(parts) == 1 && parts[0] == "batches" && m == http.MethodPost:
		s.createBatch(w, c)
	case len(parts) == 1 && parts[0] == "batches" && m == http.MethodGet:
		s.listBatches(w, c)
	case len(parts) == 2 && parts[0] == "batches" && parts[1] != "" && m == http.MethodGet:
		s.getBatch(w, parts[1])
	case len(parts) == 3 && parts[0] == "batches" && parts[1] != "" && parts[2] == "cancel" && m == http.MethodPost:
		s.cancelBatch(w, parts[1])
	default:
		s.writeNotFound(w, c)
	}
}

func badRequest(w http.ResponseWriter, message, param string, code any) {
	writeJSON(w, http.StatusBadRequest, apiError(message, "invalid_request_error", param, code))
}

func missingParam(w http.ResponseWriter, param string) {
	badRequest(w, fmt.Sprintf("Missing required parameter: '%s'.", param), param, "missing_required_parameter")
}

var filePurposes = []string{"assistants", "batch", "fine-tune", "vision", "user_data", "evals"}

func (s *Server) uploadFile(w http.ResponseWriter, c *call) {
	mt, params, err := mime.ParseMediaType(c.r.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/form-data" || params["boundary"] == "" {
		badRequest(w, "Invalid Content-Type header: expected multipart/form-data.", "", nil)
		return
	}
	var purpose, filename string
	var data []byte
	hasFile := false
	mr := multipart.NewReader(bytes.NewReader(c.body), params["boundary"])
	for {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			badRequest(w, "Could not parse multipart form: "+err.Error(), "", nil)
			return
		}
		b, err := io.ReadAll(p)
		if err != nil {
			badRequest(w, "Could not parse multipart form: "+err.Error(), "", nil)
			return
		}
		switch p.FormName() {
		case "purpose":
			purpose = string(b)
		case "file":
			filename, data, hasFile = p.FileName(), b, true
		}
	}
	switch {
	case purpose == "":
		missingParam(w, "purpose")
		return
	case !hasFile:
		missingParam(w, "file")
		return
	case !slices.Contains(filePurposes, purpose):
		badRequest(w, fmt.Sprintf("Invalid value for 'purpose': '%s'. Supported values are: %s.", purpose, quoteList(filePurposes)), "purpose", "invalid_value")
		return
	}
	var input []batchInput
	if purpose == string(openai.PurposeBatch) {
		if !strings.HasSuffix(filename, ".jsonl") {
			badRequest(w, "Invalid file format for Batch API. Must be .jsonl", "file", "invalid_file_format")
			return
		}
		var code, msg string
		input, code, msg = parseBatchInput(data)
		if msg != "" {
			badRequest(w, msg, "file", code)
			return
		}
	}
	s.mu.Lock()
	f := s.storeFile(filename, purpose, data, input)
	obj := f.obj
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, marshal(obj))
}

func quoteList(xs []string) string {
	q := make([]string, len(xs))
	for i, x := range xs {
		q[i] = "'" + x + "'"
	}
	return strings.Join(q, ", ")
}

// parseBatchInput checks a batch input file as OpenAI does on upload: one
// JSON object a line, each with a unique custom_id, method POST, a
// supported url and an object body. A final newline is allowed.
func parseBatchInput(data []byte) (input []batchInput, code, msg string) {
	if len(data) == 0 {
		return nil, "empty_file", "The batch input file is empty."
	}
	text := bytes.TrimSuffix(data, []byte("\n"))
	seen := map[string]int{}
	for i, raw := range bytes.Split(text, []byte("\n")) {
		n := i + 1
		raw = bytes.TrimSuffix(raw, []byte("\r"))
		var in batchInput
		if len(bytes.TrimSpace(raw)) == 0 {
			return nil, "invalid_json_line", fmt.Sprintf("Line %d of the batch input file is empty.", n)
		}
		if err := json.Unmarshal(raw, &in); err != nil {
			return nil, "invalid_json_line", fmt.Sprintf("Line %d of the batch input file is not a valid JSON object: %v.", n, err)
		}
		switch {
		case in.CustomID == "":
			return nil, "missing_required_parameter", fmt.Sprintf("Line %d of the batch input file has no 'custom_id'.", n)
		case in.Method != http.MethodPost:
			return nil, "invalid_value", fmt.Sprintf("Line %d of the batch input file has method %q; only POST is supported.", n, in.Method)
		case !slices.Contains([]openai.BatchEndpoint{openai.BatchEndpointChatCompletions, openai.BatchEndpointCompletions, openai.BatchEndpointEmbeddings, openai.BatchEndpointResponses}, openai.BatchEndpoint(in.URL)):
			return nil, "invalid_url", fmt.Sprintf("Line %d of the batch input file has an unsupported url %q.", n, in.URL)
		case len(in.Body) == 0 || in.Body[0] != '{':
			return nil, "invalid_value", fmt.Sprintf("Line %d of the batch input file has a 'body' that is not an object.", n)
		}
		if first, dup := seen[in.CustomID]; dup {
			return nil, "duplicate_custom_id", fmt.Sprintf("The custom_id %q of line %d is a duplicate of line %d; custom_id values must be unique within a batch.", in.CustomID, n, first)
		}
		seen[in.CustomID] = n
		input = append(input, in)
	}
	return input, "", ""
}

// storeFile adds a file, under s.mu.
func (s *Server) storeFile(name, purpose string, data []byte, input []batchInput) *storedFile {
	s.batch.fileSeq++
	f := &storedFile{
		obj: fileObject{
			ID:        fmt.Sprintf("file-nl2entest%010d", s.batch.fileSeq),
			Object:    "file",
			Bytes:     int64(len(data)),
			CreatedAt: time.Now().Unix(),
			Filename:  name,
			Purpose:   purpose,
			Status:    "processed",
		},
		data:  data,
		input: input,
	}
	s.batch.files = append(s.batch.files, f)
	return f
}

// file finds a file that was not deleted, under s.mu.
func (s *Server) file(id string) *storedFile {
	for _, f := range s.batch.files {
		if f.obj.ID == id && !f.deleted {
			return f
		}
	}
	return nil
}

func noSuchFile(w http.ResponseWriter, id string) {
	writeJSON(w, http.StatusNotFound, apiError("No such File object: "+id, "invalid_request_error", "id", nil))
}

func (s *Server) getFile(w http.ResponseWriter, id string, content bool) {
	s.mu.Lock()
	f := s.file(id)
	var obj fileObject
	var data []byte
	if f != nil {
		obj, data = f.obj, f.data
	}
	s.mu.Unlock()
	switch {
	case f == nil:
		noSuchFile(w, id)
	case content:
		// Not JSON: a client that checks JSON replies must not parse it.
		w.Header().Set("Content-Type", "application/octet-stream")
		w.Header().Set("Content-Length", strconv.Itoa(len(data)))
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(data)
	default:
		writeJSON(w, http.StatusOK, marshal(obj))
	}
}

func (s *Server) deleteFile(w http.ResponseWriter, id string) {
	s.mu.Lock()
	f := s.file(id)
	if f != nil {
		f.deleted = true
		f.data, f.input = nil, nil
	}
	s.mu.Unlock()
	if f == nil {
		noSuchFile(w, id)
		return
	}
	writeJSON(w, http.StatusOK, marshal(struct {
		ID      string `json:"id"`
		Object  string `json:"object"`
		Deleted bool   `json:"deleted"`
	}{id, "file", true}))
}

type listPage[T any] struct {
	Object  string `json:"object"`
	Data    []T    `json:"data"`
	FirstID string `json:"first_id,omitempty"`
	LastID  string `json:"last_id,omitempty"`
	HasMore bool   `json:"has_more"`
}

// page cuts a list, newest first, after the item with id after, to limit
// items.
func page[T any](items []T, id func(T) string, after string, limit int) listPage[T] {
	if after != "" {
		// An unknown cursor gives an empty page rather than the first
		// one again, so that a client's paging loop ends.
		i := slices.IndexFunc(items, func(x T) bool { return id(x) == after })
		if i < 0 {
			items = nil
		} else {
			items = items[i+1:]
		}
	}
	p := listPage[T]{Object: "list", Data: []T{}}
	if len(items) > limit {
		items, p.HasMore = items[:limit], true
	}
	p.Data = append(p.Data, items...)
	if len(items) > 0 {
		p.FirstID, p.LastID = id(items[0]), id(items[len(items)-1])
	}
	return p
}

// listLimit reads the limit query parameter; ok is false when a 400 was
// written.
func listLimit(w http.ResponseWriter, c *call, def, most int) (int, bool) {
	v := c.r.URL.Query().Get("limit")
	if v == "" {
		return def, true
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > most {
		badRequest(w, fmt.Sprintf("Invalid 'limit': integer between 1 and %d expected, got %q.", most, v), "limit", "integer_out_of_range")
		return 0, false
	}
	return n, true
}

func (s *Server) listFiles(w http.ResponseWriter, c *call) {
	q := c.r.URL.Query()
	limit, ok := listLimit(w, c, 10_000, 10_000)
	if !ok {
		return
	}
	order := cmp.Or(q.Get("order"), "desc")
	if order != "asc" && order != "desc" {
		badRequest(w, fmt.Sprintf("Invalid value for 'order': '%s'. Supported values are: 'asc' and 'desc'.", order), "order", "invalid_value")
		return
	}
	purpose := q.Get("purpose")
	s.mu.Lock()
	var objs []fileObject
	for _, f := range s.batch.files {
		if !f.deleted && (purpose == "" || f.obj.Purpose == purpose) {
			objs = append(objs, f.obj)
		}
	}
	s.mu.Unlock()
	if order == "desc" {
		slices.Reverse(objs)
	}
	writeJSON(w, http.StatusOK, marshal(page(objs, func(f fileObject) string { return f.ID }, q.Get("after"), limit)))
}

func (s *Server) createBatch(w http.ResponseWriter, c *call) {
	var req struct {
		InputFileID      string         `json:"input_file_id"`
		Endpoint         string         `json:"endpoint"`
		CompletionWindow string         `json:"completion_window"`
		Metadata         map[string]any `json:"metadata"`
	}
	if err := json.Unmarshal(c.body, &req); err != nil {
		badRequest(w, "We could not parse the JSON body of your request.", "", nil)
		return
	}
	switch {
	case req.InputFileID == "":
		missingParam(w, "input_file_id")
		return
	case req.Endpoint == "":
		missingParam(w, "endpoint")
		return
	case req.CompletionWindow == "":
		missingParam(w, "completion_window")
		return
	case req.Endpoint != string(openai.BatchEndpointChatCompletions):
		badRequest(w, fmt.Sprintf("Invalid value for 'endpoint': '%s'. This server runs batches for '/v1/chat/completions' only.", req.Endpoint), "endpoint", "invalid_value")
		return
	case req.CompletionWindow != "24h":
		badRequest(w, fmt.Sprintf("Invalid value for 'completion_window': '%s'. Supported values are: '24h'.", req.CompletionWindow), "completion_window", "invalid_value")
		return
	}
	meta, msg := checkMetadata(req.Metadata)
	if msg != "" {
		badRequest(w, msg, "metadata", "invalid_value")
		return
	}
	maxReq, maxBytes := s.opts.batchMax()

	s.mu.Lock()
	defer s.mu.Unlock()
	f := s.file(req.InputFileID)
	switch {
	case f == nil:
		badRequest(w, fmt.Sprintf("Invalid 'input_file_id': '%s'. No such file.", req.InputFileID), "input_file_id", "invalid_value")
		return
	case f.obj.Purpose != string(openai.PurposeBatch):
		badRequest(w, fmt.Sprintf("The input file %s has purpose '%s'; a batch needs a file uploaded with purpose 'batch'.", f.obj.ID, f.obj.Purpose), "input_file_id", "invalid_value")
		return
	case len(f.input) > maxReq:
		badRequest(w, fmt.Sprintf("The batch input file has %d requests, more than the limit of %d requests per batch.", len(f.input), maxReq), "input_file_id", "batch_too_large")
		return
	case f.obj.Bytes > maxBytes:
		badRequest(w, fmt.Sprintf("The batch input file is %d bytes, more than the limit of %d bytes.", f.obj.Bytes, maxBytes), "input_file_id", "batch_too_large")
		return
	}
	outcome := CompleteBatch()
	if len(s.batch.script) > 0 {
		outcome = s.batch.script[0]
		s.batch.script = s.batch.script[1:]
	}
	now := time.Now().Unix()
	expires := now + 24*60*60
	id := fmt.Sprintf("batch_nl2entest%010d", len(s.batch.batches)+1)
	b := &storedBatch{
		id:      id,
		outcome: outcome,
		input:   f.input,
		obj: batchObject{
			ID:               id,
			Object:           "batch",
			Endpoint:         req.Endpoint,
			InputFileID:      f.obj.ID,
			CompletionWindow: req.CompletionWindow,
			Status:           BatchValidating,
			CreatedAt:        now,
			ExpiresAt:        &expires,
			Metadata:         meta,
		},
	}
	s.batch.batches = append(s.batch.batches, b)
	writeJSON(w, http.StatusOK, marshal(b.obj))
}

// checkMetadata applies OpenAI's rules: at most 16 pairs, keys of at most
// 64 characters, string values of at most 512.
func checkMetadata(m map[string]any) (map[string]string, string) {
	if m == nil {
		return nil, ""
	}
	if len(m) > 16 {
		return nil, fmt.Sprintf("Invalid 'metadata': too many properties. Expected an object with at most 16 properties, but got an object with %d properties instead.", len(m))
	}
	out := map[string]string{}
	for k, v := range m {
		str, ok := v.(string)
		switch {
		case len(k) > 64:
			return nil, fmt.Sprintf("Invalid 'metadata': key %q is longer than 64 characters.", k)
		case !ok:
			return nil, fmt.Sprintf("Invalid type for 'metadata.%s': expected a string, but got %T instead.", k, v)
		case len(str) > 512:
			return nil, fmt.Sprintf("Invalid 'metadata.%s': string too long. Expected a string with maximum length 512, but got a string with length %d instead.", k, len(str))
		}
		out[k] = str
	}
	return out, ""
}

// findBatch finds a batch, under s.mu.
func (s *Server) findBatch(id string) *storedBatch {
	for _, b := range s.batch.batches {
		if b.obj.ID == id {
			return b
		}
	}
	return nil
}

func noSuchBatch(w http.ResponseWriter, id string) {
	writeJSON(w, http.StatusNotFound, apiError("No batch found with id '"+id+"'.", "invalid_request_error", "", nil))
}

func (s *Server) getBatch(w http.ResponseWriter, id string) {
	s.mu.Lock()
	b := s.findBatch(id)
	var body []byte
	if b != nil {
		body = marshal(b.obj)
	}
	s.mu.Unlock()
	if b == nil {
		noSuchBatch(w, id)
		return
	}
	writeJSON(w, http.StatusOK, body)
}

func (s *Server) listBatches(w http.ResponseWriter, c *call) {
	limit, ok := listLimit(w, c, 20, 100)
	if !ok {
		return
	}
	s.mu.Lock()
	objs := make([]batchObject, 0, len(s.batch.batches))
	for _, b := range slices.Backward(s.batch.batches) {
		objs = append(objs, b.obj)
	}
	body := marshal(page(objs, func(b batchObject) string { return b.ID }, c.r.URL.Query().Get("after"), limit))
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, body)
}

func (s *Server) cancelBatch(w http.ResponseWriter, id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b := s.findBatch(id)
	if b == nil {
		noSuchBatch(w, id)
		return
	}
	switch b.obj.Status {
	case BatchValidating, BatchInProgress, BatchFinalizing:
		now := time.Now().Unix()
		b.obj.Status, b.obj.CancellingAt = BatchCancelling, &now
	case BatchCancelling:
	default:
		badRequest(w, fmt.Sprintf("Cannot cancel a batch with status '%s'.", b.obj.Status), "", nil)
		return
	}
	writeJSON(w, http.StatusOK, marshal(b.obj))
}
