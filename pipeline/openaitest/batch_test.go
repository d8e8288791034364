package openaitest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/sashabaranov/go-openai"

	"github.com/nl2en/nl2en/pipeline/openaitest"
)

// batchLine is one line of an output or error file.
type batchLine struct {
	ID       string `json:"id"`
	CustomID string `json:"custom_id"`
	Response *struct {
		StatusCode int             `json:"status_code"`
		RequestID  string          `json:"request_id"`
		Body       json.RawMessage `json:"body"`
	} `json:"response"`
	Error *struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

// threeLines builds the lines of a batch input: translation requests a and b
// and a summary request c.
func threeLines(t *testing.T) []openai.BatchLineItem {
	t.Helper()
	line := func(id string, body openai.ChatCompletionRequest) openai.BatchLineItem {
		return openai.BatchChatCompletionRequest{CustomID: id, Body: body, Method: http.MethodPost, URL: openai.BatchEndpointChatCompletions}
	}
	return []openai.BatchLineItem{
		line("a", translateRequest(t, threeSegs...)),
		line("b", translateRequest(t, seg{"s9", "Nog een zin."})),
		line("c", summaryRequest(t, "Het Russische leger …")),
	}
}

// submit uploads the lines and creates a batch with them.
func submit(t *testing.T, s *openaitest.Server, lines []openai.BatchLineItem) openai.Batch {
	t.Helper()
	ctx := context.Background()
	c := s.Client()
	f, err := c.UploadBatchFile(ctx, openai.UploadBatchFileRequest{FileName: "in.jsonl", Lines: lines})
	if err != nil {
		t.Fatalf("upload: %v", err)
	}
	b, err := c.CreateBatch(ctx, openai.CreateBatchRequest{InputFileID: f.ID, Endpoint: openai.BatchEndpointChatCompletions, Metadata: map[string]any{"run": "1"}})
	if err != nil {
		t.Fatalf("create batch: %v", err)
	}
	return b.Batch
}

func retrieve(t *testing.T, s *openaitest.Server, id string) openai.Batch {
	t.Helper()
	b, err := s.Client().RetrieveBatch(context.Background(), id)
	if err != nil {
		t.Fatalf("retrieve %s: %v", id, err)
	}
	return b.Batch
}

// fileLines downloads a file of a batch and decodes its lines by
// custom_id; a nil id gives nil.
func fileLines(t *testing.T, s *openaitest.Server, id *string) map[string]batchLine {
	t.Helper()
	if id == nil {
		return nil
	}
	raw, err := s.Client().GetFileContent(context.Background(), *id)
	if err != nil {
		t.Fatalf("content of %s: %v", *id, err)
	}
	defer raw.Close()
	data, err := io.ReadAll(raw)
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]batchLine{}
	for l := range strings.Lines(string(data)) {
		var bl batchLine
		if err := json.Unmarshal([]byte(l), &bl); err != nil {
			t.Fatalf("line %q of %s: %v", l, *id, err)
		}
		m[bl.CustomID] = bl
	}
	return m
}

func TestBatchLifecycle(t *testing.T) {
	s := openaitest.New(t, openaitest.WithTranslations(map[string]string{"Nog een zin.": "One more sentence."}))
	b := submit(t, s, threeLines(t))
	if b.Status != openaitest.BatchValidating || b.CompletionWindow != "24h" || b.Endpoint != openai.BatchEndpointChatCompletions {
		t.Errorf("created: got status %q, window %q, endpoint %q", b.Status, b.CompletionWindow, b.Endpoint)
	}
	if got, want := b.Metadata["run"], any("1"); got != want {
		t.Errorf("metadata run: got %v, want %v", got, want)
	}
	if b.ExpiresAt == nil || *b.ExpiresAt-b.CreatedAt != 86400 {
		t.Errorf("expires_at %v, created_at %d: want 24 hours apart", b.ExpiresAt, b.CreatedAt)
	}

	for _, want := range []struct {
		status string
		counts openai.BatchRequestCounts
		open   int
	}{
		{openaitest.BatchInProgress, openai.BatchRequestCounts{Total: 3}, 1},
		{openaitest.BatchFinalizing, openai.BatchRequestCounts{Total: 3, Completed: 3}, 1},
		{openaitest.BatchCompleted, openai.BatchRequestCounts{Total: 3, Completed: 3}, 0},
	} {
		if open := s.AdvanceBatches(); open != want.open {
			t.Errorf("AdvanceBatches to %s: got %d open, want %d", want.status, open, want.open)
		}
		b = retrieve(t, s, b.ID)
		if b.Status != want.status || b.RequestCounts != want.counts {
			t.Errorf("got status %q, counts %+v; want %q, %+v", b.Status, b.RequestCounts, want.status, want.counts)
		}
		if want.status != openaitest.BatchCompleted && b.OutputFileID != nil {
			t.Errorf("status %s: output file %s before completion", b.Status, *b.OutputFileID)
		}
	}
	if b.CompletedAt == nil || b.InProgressAt == nil || b.FinalizingAt == nil {
		t.Errorf("timestamps: in_progress_at %v, finalizing_at %v, completed_at %v: want all set", b.InProgressAt, b.FinalizingAt, b.CompletedAt)
	}
	if b.ErrorFileID != nil {
		t.Errorf("error file %s, want none", *b.ErrorFileID)
	}

	out := fileLines(t, s, b.OutputFileID)
	if len(out) != 3 {
		t.Fatalf("output has %d lines, want 3", len(out))
	}
	replies := map[string]string{}
	for id, l := range out {
		if l.Response == nil || l.Response.StatusCode != 200 || l.Error != nil || !strings.HasPrefix(l.ID, "batch_req_") || l.Response.RequestID == "" {
			t.Fatalf("line %s: got %+v, want a 200 response", id, l)
		}
		var resp openai.ChatCompletionResponse
		if err := json.Unmarshal(l.Response.Body, &resp); err != nil {
			t.Fatalf("line %s body: %v", id, err)
		}
		if resp.Usage.PromptTokens == 0 || resp.Object != "chat.completion" {
			t.Errorf("line %s: usage %+v, object %q", id, resp.Usage, resp.Object)
		}
		replies[id] = resp.Choices[0].Message.Content
	}
	if got, want := segsOf(t, replies["b"]), []seg{{"s9", "One more sentence."}}; !slices.Equal(got, want) {
		t.Errorf("line b: got %v, want %v", got, want)
	}
	if got := idsOf(segsOf(t, replies["a"])); !slices.Equal(got, []string{"s1", "s2", "s3"}) {
		t.Errorf("line a ids: got %v", got)
	}
	if !strings.Contains(replies["c"], `"key_points"`) {
		t.Errorf("line c: got %s, want a summary", replies["c"])
	}

	if got := s.Count(openaitest.KindTranslate) + s.Count(openaitest.KindSummary); got != 0 {
		t.Errorf("live chat requests: got %d, want 0", got)
	}
	var paths []string
	for _, r := range s.Requests() {
		if r.Kind != openaitest.KindOther {
			t.Errorf("request %s %s: kind %q, want other", r.Method, r.Path, r.Kind)
		}
		paths = append(paths, r.Method+" "+r.Path)
	}
	if !slices.Contains(paths, "POST /v1/files") || !slices.Contains(paths, "POST /v1/batches") || !slices.Contains(paths, "GET /v1/files/"+*b.OutputFileID+"/content") {
		t.Errorf("requests: got %q", paths)
	}
}

func TestBatchOutcomes(t *testing.T) {
	tests := []struct {
		name    string
		outcome openaitest.BatchOutcome
		script  []openaitest.Fault // for KindTranslate
		status  string
		counts  openai.BatchRequestCounts
		// check looks at the output and error lines.
		check func(t *testing.T, out, errs map[string]batchLine)
	}{
		{
			name: "expired", outcome: openaitest.ExpireBatch(1),
			status: openaitest.BatchExpired, counts: openai.BatchRequestCounts{Total: 3, Completed: 1, Failed: 2},
			check: func(t *testing.T, out, errs map[string]batchLine) {
				if _, ok := out["a"]; !ok || len(out) != 1 {
					t.Errorf("output: got %v, want line a only", out)
				}
				for _, id := range []string{"b", "c"} {
					if l := errs[id]; l.Error == nil || l.Error.Code != "batch_expired" || l.Response != nil {
						t.Errorf("error line %s: got %+v, want code batch_expired", id, l)
					}
				}
			},
		},
		{
			name: "line fault", outcome: openaitest.CompleteBatch().WithLineFault("c", openaitest.HTTPError(500)),
			status: openaitest.BatchCompleted, counts: openai.BatchRequestCounts{Total: 3, Completed: 2, Failed: 1},
			check: func(t *testing.T, out, errs map[string]batchLine) {
				l := errs["c"]
				if l.Response == nil || l.Response.StatusCode != 500 || !bytes.Contains(l.Response.Body, []byte("server_error")) {
					t.Errorf("error line c: got %+v, want status 500 with an error body", l)
				}
			},
		},
		{
			name: "hang line", outcome: openaitest.CompleteBatch().WithLineFault("b", openaitest.Hang()),
			status: openaitest.BatchCompleted, counts: openai.BatchRequestCounts{Total: 3, Completed: 2, Failed: 1},
			check: func(t *testing.T, out, errs map[string]batchLine) {
				if l := errs["b"]; l.Error == nil || l.Error.Code != "server_error" {
					t.Errorf("error line b: got %+v, want code server_error", l)
				}
			},
		},
		{
			name: "scripted content fault", outcome: openaitest.CompleteBatch(), script: []openaitest.Fault{openaitest.MissingSegment("s2")},
			status: openaitest.BatchCompleted, counts: openai.BatchRequestCounts{Total: 3, Completed: 3},
			check: func(t *testing.T, out, errs map[string]batchLine) {
				var resp openai.ChatCompletionResponse
				if err := json.Unmarshal(out["a"].Response.Body, &resp); err != nil {
					t.Fatal(err)
				}
				if got := idsOf(segsOf(t, resp.Choices[0].Message.Content)); !slices.Equal(got, []string{"s1", "s3"}) {
					t.Errorf("line a ids: got %v, want [s1 s3]", got)
				}
			},
		},
		{
			name: "scripted error fault", outcome: openaitest.CompleteBatch(), script: []openaitest.Fault{openaitest.Reset(), openaitest.ContextLengthExceeded(100)},
			status: openaitest.BatchCompleted, counts: openai.BatchRequestCounts{Total: 3, Completed: 1, Failed: 2},
			check: func(t *testing.T, out, errs map[string]batchLine) {
				if l := errs["a"]; l.Error == nil {
					t.Errorf("error line a: got %+v, want an error", l)
				}
				if l := errs["b"]; l.Response == nil || l.Response.StatusCode != 400 || !bytes.Contains(l.Response.Body, []byte("context_length_exceeded")) {
					t.Errorf("error line b: got %+v, want 400 context_length_exceeded", l)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := openaitest.New(t)
			s.ScriptBatches(tt.outcome)
			s.Script(openaitest.KindTranslate, tt.script...)
			b := submit(t, s, threeLines(t))
			s.FinishBatches()
			b = retrieve(t, s, b.ID)
			if b.Status != tt.status || b.RequestCounts != tt.counts {
				t.Fatalf("got status %q, counts %+v; want %q, %+v", b.Status, b.RequestCounts, tt.status, tt.counts)
			}
			tt.check(t, fileLines(t, s, b.OutputFileID), fileLines(t, s, b.ErrorFileID))
			if s.Pending() != 0 {
				t.Errorf("%d scripted faults left", s.Pending())
			}
		})
	}
}

func TestBatchTruncatedLine(t *testing.T) {
	s := openaitest.New(t)
	s.ScriptBatches(openaitest.CompleteBatch().WithLineFault("b", openaitest.TruncatedBody()))
	b := submit(t, s, threeLines(t))
	s.FinishBatches()
	b = retrieve(t, s, b.ID)
	raw, err := s.Client().GetFileContent(context.Background(), *b.OutputFileID)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	data, _ := io.ReadAll(raw)
	var valid, invalid int
	for l := range strings.Lines(string(data)) {
		if json.Valid([]byte(l)) {
			valid++
		} else {
			invalid++
		}
	}
	if valid != 2 || invalid != 1 {
		t.Errorf("output file: got %d valid and %d invalid lines, want 2 and 1", valid, invalid)
	}
}

func TestBatchValidationFails(t *testing.T) {
	mixed := threeLines(t)
	r := translateRequest(t, threeSegs...)
	r.Model = "gpt-4o"
	mixed = append(mixed, openai.BatchChatCompletionRequest{CustomID: "d", Body: r, Method: http.MethodPost, URL: openai.BatchEndpointChatCompletions})
	wrongURL := append(threeLines(t), openai.BatchEmbeddingRequest{CustomID: "e", Method: http.MethodPost, URL: openai.BatchEndpointEmbeddings, Body: openai.EmbeddingRequest{Input: "x", Model: "gpt-4.1-mini"}})
	tests := []struct {
		name     string
		outcome  openaitest.BatchOutcome
		lines    []openai.BatchLineItem
		wantCode string
	}{
		{"scripted", openaitest.FailBatch("token_limit_exceeded", "Enqueued token limit reached."), threeLines(t), "token_limit_exceeded"},
		{"mixed models", openaitest.CompleteBatch(), mixed, "model_mismatch"},
		{"url not the endpoint", openaitest.CompleteBatch(), wrongURL, "invalid_url"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := openaitest.New(t)
			s.ScriptBatches(tt.outcome)
			b := submit(t, s, tt.lines)
			if open := s.AdvanceBatches(); open != 0 {
				t.Errorf("AdvanceBatches: got %d open, want 0", open)
			}
			b = retrieve(t, s, b.ID)
			if b.Status != openaitest.BatchFailed || b.FailedAt == nil || b.Errors == nil || len(b.Errors.Data) != 1 {
				t.Fatalf("got status %q, errors %+v; want failed with one error", b.Status, b.Errors)
			}
			if got := b.Errors.Data[0].Code; got != tt.wantCode {
				t.Errorf("error code: got %q, want %q", got, tt.wantCode)
			}
			if b.OutputFileID != nil || b.ErrorFileID != nil {
				t.Errorf("a failed batch ran lines or has files")
			}
		})
	}
}

func TestBatchUploadErrors(t *testing.T) {
	good := `{"custom_id":"a","method":"POST","url":"/v1/chat/completions","body":{"model":"gpt-4.1-mini"}}`
	tests := []struct {
		name, filename, purpose, data string
		wantCode                      string
	}{
		{"not jsonl", "in.json", "batch", good, "invalid_file_format"},
		{"empty", "in.jsonl", "batch", "", "empty_file"},
		{"bad json", "in.jsonl", "batch", good + "\n{", "invalid_json_line"},
		{"blank line", "in.jsonl", "batch", good + "\n\n" + good, "invalid_json_line"},
		{"duplicate custom_id", "in.jsonl", "batch", good + "\n" + good, "duplicate_custom_id"},
		{"no custom_id", "in.jsonl", "batch", `{"method":"POST","url":"/v1/chat/completions","body":{}}`, "missing_required_parameter"},
		{"GET", "in.jsonl", "batch", `{"custom_id":"a","method":"GET","url":"/v1/chat/completions","body":{}}`, "invalid_value"},
		{"bad url", "in.jsonl", "batch", `{"custom_id":"a","method":"POST","url":"/v1/images","body":{}}`, "invalid_url"},
		{"body not object", "in.jsonl", "batch", `{"custom_id":"a","method":"POST","url":"/v1/chat/completions","body":"x"}`, "invalid_value"},
		{"bad purpose", "in.jsonl", "batches", good, "invalid_value"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := openaitest.New(t)
			_, err := s.Client().CreateFileBytes(context.Background(), openai.FileBytesRequest{Name: tt.filename, Bytes: []byte(tt.data), Purpose: openai.PurposeType(tt.purpose)})
			var apiErr *openai.APIError
			if !errors.As(err, &apiErr) {
				t.Fatalf("got %v, want an *openai.APIError", err)
			}
			if apiErr.HTTPStatusCode != 400 || apiErr.Code != tt.wantCode {
				t.Errorf("got %d %v (%s), want 400 %s", apiErr.HTTPStatusCode, apiErr.Code, apiErr.Message, tt.wantCode)
			}
		})
	}

	s := openaitest.New(t)
	for _, data := range []string{good, good + "\n", good + "\r\n"} {
		if _, err := s.Client().CreateFileBytes(context.Background(), openai.FileBytesRequest{Name: "ok.jsonl", Bytes: []byte(data), Purpose: openai.PurposeBatch}); err != nil {
			t.Errorf("upload %q: %v", data, err)
		}
	}
}

func TestBatchCreateErrors(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name  string
		opts  []openaitest.Option
		req   func(fileID, otherID string) openai.CreateBatchRequest
		param string
	}{
		{"too many requests", []openaitest.Option{openaitest.WithBatchLimits(2, 0)}, func(id, _ string) openai.CreateBatchRequest {
			return openai.CreateBatchRequest{InputFileID: id, Endpoint: openai.BatchEndpointChatCompletions}
		}, "input_file_id"},
		{"too many bytes", []openaitest.Option{openaitest.WithBatchLimits(0, 100)}, func(id, _ string) openai.CreateBatchRequest {
			return openai.CreateBatchRequest{InputFileID: id, Endpoint: openai.BatchEndpointChatCompletions}
		}, "input_file_id"},
		{"unknown file", nil, func(string, string) openai.CreateBatchRequest {
			return openai.CreateBatchRequest{InputFileID: "file-x", Endpoint: openai.BatchEndpointChatCompletions}
		}, "input_file_id"},
		{"file not for batches", nil, func(_, other string) openai.CreateBatchRequest {
			return openai.CreateBatchRequest{InputFileID: other, Endpoint: openai.BatchEndpointChatCompletions}
		}, "input_file_id"},
		{"window", nil, func(id, _ string) openai.CreateBatchRequest {
			return openai.CreateBatchRequest{InputFileID: id, Endpoint: openai.BatchEndpointChatCompletions, CompletionWindow: "48h"}
		}, "completion_window"},
		{"endpoint", nil, func(id, _ string) openai.CreateBatchRequest {
			return openai.CreateBatchRequest{InputFileID: id, Endpoint: openai.BatchEndpointEmbeddings}
		}, "endpoint"},
		{"metadata not a string", nil, func(id, _ string) openai.CreateBatchRequest {
			return openai.CreateBatchRequest{InputFileID: id, Endpoint: openai.BatchEndpointChatCompletions, Metadata: map[string]any{"n": 1}}
		}, "metadata"},
		{"metadata too long", nil, func(id, _ string) openai.CreateBatchRequest {
			return openai.CreateBatchRequest{InputFileID: id, Endpoint: openai.BatchEndpointChatCompletions, Metadata: map[string]any{"n": strings.Repeat("x", 513)}}
		}, "metadata"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := openaitest.New(t, tt.opts...)
			c := s.Client()
			f, err := c.UploadBatchFile(ctx, openai.UploadBatchFileRequest{FileName: "in.jsonl", Lines: threeLines(t)})
			if err != nil {
				t.Fatal(err)
			}
			other, err := c.CreateFileBytes(ctx, openai.FileBytesRequest{Name: "notes.txt", Bytes: []byte("x"), Purpose: openai.PurposeAssistants})
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.CreateBatch(ctx, tt.req(f.ID, other.ID))
			var apiErr *openai.APIError
			if !errors.As(err, &apiErr) {
				t.Fatalf("got %v, want an *openai.APIError", err)
			}
			if apiErr.HTTPStatusCode != 400 || apiErr.Param == nil || *apiErr.Param != tt.param {
				t.Errorf("got %d param %v (%s), want 400 param %s", apiErr.HTTPStatusCode, apiErr.Param, apiErr.Message, tt.param)
			}
		})
	}
}

func TestBatchListAndCancel(t *testing.T) {
	ctx := context.Background()
	s := openaitest.New(t)
	c := s.Client()
	var ids []string
	for range 5 {
		ids = append(ids, submit(t, s, threeLines(t)).ID)
	}
	slices.Reverse(ids) // newest first

	var got []string
	var after *string
	for page := 0; ; page++ {
		limit := 2
		l, err := c.ListBatch(ctx, after, &limit)
		if err != nil {
			t.Fatal(err)
		}
		for _, b := range l.Data {
			got = append(got, b.ID)
		}
		if wantMore := page < 2; l.HasMore != wantMore {
			t.Errorf("page %d: has_more %v, want %v", page, l.HasMore, wantMore)
		}
		if !l.HasMore {
			break
		}
		after = &l.LastID
	}
	if !slices.Equal(got, ids) {
		t.Errorf("listed %v, want %v", got, ids)
	}

	if _, err := c.CancelBatch(ctx, ids[0]); err != nil {
		t.Fatal(err)
	}
	if b := retrieve(t, s, ids[0]); b.Status != openaitest.BatchCancelling || b.CancellingAt == nil {
		t.Errorf("after cancel: status %q, want cancelling", b.Status)
	}
	s.FinishBatches()
	b := retrieve(t, s, ids[0])
	if b.Status != openaitest.BatchCancelled || b.OutputFileID != nil || b.RequestCounts.Failed != 3 {
		t.Errorf("cancelled batch: status %q, counts %+v, output %v", b.Status, b.RequestCounts, b.OutputFileID)
	}
	for id, l := range fileLines(t, s, b.ErrorFileID) {
		if l.Error == nil || l.Error.Code != "batch_cancelled" {
			t.Errorf("error line %s: got %+v, want batch_cancelled", id, l)
		}
	}
	_, err := c.CancelBatch(ctx, ids[1])
	var apiErr *openai.APIError
	if !errors.As(err, &apiErr) || apiErr.HTTPStatusCode != 400 {
		t.Errorf("cancel a completed batch: got %v, want 400", err)
	}
	_, err = c.RetrieveBatch(ctx, "batch_x")
	if !errors.As(err, &apiErr) || apiErr.HTTPStatusCode != 404 {
		t.Errorf("retrieve unknown batch: got %v, want 404", err)
	}
}

func TestFiles(t *testing.T) {
	ctx := context.Background()
	s := openaitest.New(t)
	c := s.Client()
	in, err := c.UploadBatchFile(ctx, openai.UploadBatchFileRequest{FileName: "in.jsonl", Lines: threeLines(t)})
	if err != nil {
		t.Fatal(err)
	}
	other, err := c.CreateFileBytes(ctx, openai.FileBytesRequest{Name: "notes.txt", Bytes: []byte("x"), Purpose: openai.PurposeAssistants})
	if err != nil {
		t.Fatal(err)
	}
	if in.Purpose != "batch" || in.FileName != "in.jsonl" || in.Bytes == 0 || in.Object != "file" || in.Status != "processed" {
		t.Errorf("uploaded: got %+v", in)
	}
	f, err := c.GetFile(ctx, in.ID)
	if err != nil || f.ID != in.ID || f.Bytes != in.Bytes {
		t.Errorf("GetFile: got %+v, %v", f, err)
	}

	list, err := c.ListFiles(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, f := range list.Files {
		ids = append(ids, f.ID)
	}
	if want := []string{other.ID, in.ID}; !slices.Equal(ids, want) {
		t.Errorf("ListFiles: got %v, want %v (newest first)", ids, want)
	}
	for _, tt := range []struct {
		query string
		want  []string
	}{
		{"?purpose=batch", []string{in.ID}},
		{"?purpose=assistants", []string{other.ID}},
		{"?order=asc", []string{in.ID, other.ID}},
		{"?limit=1", []string{other.ID}},
		{"?limit=1&after=" + other.ID, []string{in.ID}},
	} {
		req, _ := http.NewRequest(http.MethodGet, s.BaseURL()+"/files"+tt.query, nil)
		req.Header.Set("Authorization", "Bearer test-key")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var page struct {
			Data []struct {
				ID string `json:"id"`
			} `json:"data"`
		}
		err = json.NewDecoder(resp.Body).Decode(&page)
		resp.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, f := range page.Data {
			got = append(got, f.ID)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("GET /files%s: got %v, want %v", tt.query, got, tt.want)
		}
	}

	if err := c.DeleteFile(ctx, in.ID); err != nil {
		t.Fatal(err)
	}
	var apiErr *openai.APIError
	if _, err := c.GetFile(ctx, in.ID); !errors.As(err, &apiErr) || apiErr.HTTPStatusCode != 404 {
		t.Errorf("GetFile after delete: got %v, want 404", err)
	}
	if _, err := c.GetFileContent(ctx, in.ID); !errors.As(err, &apiErr) || apiErr.HTTPStatusCode != 404 {
		t.Errorf("GetFileContent after delete: got %v, want 404", err)
	}
	if err := c.DeleteFile(ctx, in.ID); !errors.As(err, &apiErr) || apiErr.HTTPStatusCode != 404 {
		t.Errorf("DeleteFile twice: got %v, want 404", err)
	}
}

func TestBatchAPIUnknownPaths(t *testing.T) {
	s := openaitest.New(t)
	for _, tt := range []struct{ method, path string }{
		{http.MethodPut, "/batches"},
		{http.MethodGet, "/files/x/y"},
		{http.MethodPost, "/batches/x"},
		{http.MethodGet, "/filesx"},
	} {
		req, _ := http.NewRequest(tt.method, s.BaseURL()+tt.path, nil)
		req.Header.Set("Authorization", "Bearer test-key")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("%s %s: got %d, want 404", tt.method, tt.path, resp.StatusCode)
		}
	}
}

func TestCreateBatchWithUploadFile(t *testing.T) {
	s := openaitest.New(t)
	var req openai.CreateBatchWithUploadFileRequest
	req.Endpoint = openai.BatchEndpointChatCompletions
	req.AddChatCompletion("a", translateRequest(t, threeSegs...))
	b, err := s.Client().CreateBatchWithUploadFile(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	s.FinishBatches()
	if b := retrieve(t, s, b.ID); b.Status != openaitest.BatchCompleted || b.RequestCounts.Completed != 1 {
		t.Errorf("got status %q, counts %+v", b.Status, b.RequestCounts)
	}
}
