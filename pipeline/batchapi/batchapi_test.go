package batchapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sashabaranov/go-openai"

	"github.com/nl2en/nl2en/pipeline/batchapi"
	"github.com/nl2en/nl2en/pipeline/openaitest"
	"github.com/nl2en/nl2en/pipeline/outputs"
)

var segmentsSchema = json.RawMessage(`{"type":"object","properties":{"segments":{"type":"array","items":{"type":"object","properties":{"id":{"type":"string"},"text":{"type":"string"}},"required":["id","text"],"additionalProperties":false}}},"required":["segments"],"additionalProperties":false}`)

// line is a translation request of one segment, as nl2en sends it.
func line(customID, segID, text string) batchapi.Line {
	user, _ := json.Marshal(map[string]any{"segments": []map[string]string{{"id": segID, "text": text}}})
	return batchapi.Line{CustomID: customID, Request: openai.ChatCompletionRequest{
		Model: "gpt-4.1-mini",
		Messages: []openai.ChatCompletionMessage{
			{Role: openai.ChatMessageRoleSystem, Content: "You are a professional news translator."},
			{Role: openai.ChatMessageRoleUser, Content: string(user)},
		},
		ResponseFormat: &openai.ChatCompletionResponseFormat{
			Type:       openai.ChatCompletionResponseFormatTypeJSONSchema,
			JSONSchema: &openai.ChatCompletionResponseFormatJSONSchema{Name: "translation", Strict: true, Schema: segmentsSchema},
		},
	}}
}

// lines makes n lines with custom ids "art<i>/b1".
func lines(n int) []batchapi.Line {
	var ls []batchapi.Line
	for i := range n {
		ls = append(ls, line(fmt.Sprintf("art%04d/b1", i), "s1", "Een zin."))
	}
	return ls
}

var abc = []batchapi.Line{line("a/b1", "s1", "Een."), line("b/b1", "s1", "Twee."), line("c/b1", "s1", "Drie.")}

func segmentsOf(t *testing.T, r batchapi.Result) []string {
	t.Helper()
	var reply struct {
		Segments []struct{ ID, Text string } `json:"segments"`
	}
	if err := json.Unmarshal([]byte(r.Response.Choices[0].Message.Content), &reply); err != nil {
		t.Fatalf("%s: %v", r.CustomID, err)
	}
	var out []string
	for _, s := range reply.Segments {
		out = append(out, s.ID+"="+s.Text)
	}
	return out
}

// newState is an empty state kept in an output folder of its own.
func newState(t *testing.T) *batchapi.State {
	t.Helper()
	st, err := batchapi.OpenState(outputs.New(outputs.Config{Out: t.TempDir()}))
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// reload reads the state again from where it is kept, as a new process
// would.
func reload(t *testing.T, st *batchapi.State) *batchapi.State {
	t.Helper()
	st2, err := batchapi.OpenState(st.Store())
	if err != nil {
		t.Fatal(err)
	}
	return st2
}

// count counts the requests to a method and path; a path ending in "/"
// counts every path under it.
func count(s *openaitest.Server, method, path string) int {
	n := 0
	for _, r := range s.Requests() {
		if r.Method == method && (r.Path == path || strings.HasSuffix(path, "/") && strings.HasPrefix(r.Path, path)) {
			n++
		}
	}
	return n
}

// crashDoer sends every request, but for the first one to a method and
// path it drops the reply and fails, as a process killed while waiting
// for the reply would; or, with cut, it passes half of a reply's body.
type crashDoer struct {
	method, path string
	cut          bool
	mu           sync.Mutex
	done         bool
}

var errCrash = errors.New("simulated crash")

func (d *crashDoer) Do(req *http.Request) (*http.Response, error) {
	resp, err := http.DefaultClient.Do(req)
	if err != nil || req.Method != d.method || !strings.HasSuffix(req.URL.Path, d.path) {
		return resp, err
	}
	if d.cut {
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		resp.Body = io.NopCloser(bytes.NewReader(b[:len(b)/2]))
		return resp, nil
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.done {
		return resp, nil
	}
	d.done = true
	resp.Body.Close()
	return nil, errCrash
}

func clientWith(s *openaitest.Server, d openai.HTTPDoer) *batchapi.Client {
	cfg := s.Config()
	cfg.HTTPClient = d
	return batchapi.New(openai.NewClientWithConfig(cfg), nil)
}

func TestChunk(t *testing.T) {
	ten := lines(10)
	size := func(l batchapi.Line) int64 {
		b, err := json.Marshal(openai.BatchChatCompletionRequest{CustomID: l.CustomID, Body: l.Request, Method: "POST", URL: openai.BatchEndpointChatCompletions})
		if err != nil {
			t.Fatal(err)
		}
		return int64(len(b)) + 1
	}
	one := size(ten[0])
	other := line("x", "s1", "Een zin.")
	other.Request.Model = "gpt-4o"
	tests := []struct {
		name        string
		lines       []batchapi.Line
		maxRequests int
		maxBytes    int64
		want        []int // chunk sizes
		wantErr     string
	}{
		{name: "none", lines: nil, want: nil},
		{name: "defaults", lines: ten, want: []int{10}},
		{name: "by requests", lines: ten, maxRequests: 3, want: []int{3, 3, 3, 1}},
		{name: "exactly", lines: ten, maxRequests: 5, want: []int{5, 5}},
		{name: "by bytes", lines: ten, maxBytes: 3*one + one/2, want: []int{3, 3, 3, 1}},
		{name: "bytes exactly", lines: ten, maxBytes: 2 * one, want: []int{2, 2, 2, 2, 2}},
		{name: "both", lines: ten, maxRequests: 2, maxBytes: 3 * one, want: []int{2, 2, 2, 2, 2}},
		{name: "by model", lines: []batchapi.Line{ten[0], other, ten[1]}, want: []int{2, 1}},
		{name: "line too big", lines: ten, maxBytes: one - 1, wantErr: "art0000/b1"},
		{name: "duplicate id", lines: []batchapi.Line{ten[0], ten[1], ten[0]}, wantErr: `"art0000/b1" is used twice`},
		{name: "empty id", lines: []batchapi.Line{ten[0], {}}, wantErr: "request 2 has no custom id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			chunks, err := batchapi.Chunk(tt.lines, tt.maxRequests, tt.maxBytes)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("got error %v, want one with %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var sizes []int
			var ids []string
			for _, c := range chunks {
				sizes = append(sizes, len(c))
				var bytes int64
				for _, l := range c {
					ids = append(ids, l.CustomID)
					bytes += size(l)
					if l.Request.Model != c[0].Request.Model {
						t.Errorf("chunk mixes models %s and %s", c[0].Request.Model, l.Request.Model)
					}
				}
				if tt.maxBytes > 0 && bytes > tt.maxBytes {
					t.Errorf("chunk of %d bytes, over %d", bytes, tt.maxBytes)
				}
			}
			if !slices.Equal(sizes, tt.want) {
				t.Errorf("chunk sizes: got %v, want %v", sizes, tt.want)
			}
			if len(ids) != len(tt.lines) {
				t.Errorf("got %d lines in chunks, want %d", len(ids), len(tt.lines))
			}
		})
	}
}

func TestSubmitCollect(t *testing.T) {
	ctx := context.Background()
	s := openaitest.New(t, openaitest.WithTranslations(map[string]string{"Een zin.": "A sentence."}))
	st := newState(t)
	clock := time.Date(2025, 3, 1, 4, 0, 0, 0, time.UTC)
	c := batchapi.New(s.Client(), nil, batchapi.WithClock(func() time.Time { return clock }))

	chunks, err := batchapi.Chunk(lines(1000), 300, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(chunks) != 4 {
		t.Fatalf("got %d chunks, want 4", len(chunks))
	}
	for _, ch := range chunks {
		rec, err := c.Submit(ctx, st, ch, map[string]string{"out": "/srv/news"}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if rec.Status != batchapi.StatusValidating || rec.BatchID == "" || rec.FileID == "" || !rec.Created.Equal(clock) {
			t.Errorf("submitted: got %+v", rec)
		}
	}
	if got, want := count(s, http.MethodPost, "/v1/files"), 4; got != want {
		t.Errorf("uploads: got %d, want %d", got, want)
	}
	if got := len(reload(t, st).InFlight()); got != 1000 {
		t.Errorf("in flight after reload: got %d, want 1000", got)
	}

	list, err := s.Client().ListBatch(ctx, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range list.Data {
		rec := st.Find(fmt.Sprint(b.Metadata[batchapi.MetaID]))
		if rec == nil || rec.BatchID != b.ID || b.Metadata[batchapi.MetaHash] != rec.Hash || b.Metadata["out"] != "/srv/news" {
			t.Errorf("batch %s: metadata %v does not match its record", b.ID, b.Metadata)
		}
	}

	s.AdvanceBatches()
	if err := c.Refresh(ctx, st); err != nil {
		t.Fatal(err)
	}
	for _, rec := range st.Records {
		if rec.Status != batchapi.StatusInProgress {
			t.Errorf("%s: got status %s, want in_progress", rec.ID, rec.Status)
		}
		if _, err := c.Results(ctx, rec); !errors.Is(err, batchapi.ErrNotFinished) {
			t.Errorf("Results while in progress: got %v, want ErrNotFinished", err)
		}
	}
	s.FinishBatches()
	if err := c.Refresh(ctx, st); err != nil {
		t.Fatal(err)
	}
	st = reload(t, st)
	if got := len(st.Uncollected()); got != 4 {
		t.Fatalf("uncollected: got %d, want 4", got)
	}
	var n int
	for _, rec := range st.Uncollected() {
		if rec.Status != batchapi.StatusCompleted || rec.Counts.Completed != rec.Requests || rec.Counts.Failed != 0 {
			t.Errorf("%s: got status %s, counts %+v", rec.ID, rec.Status, rec.Counts)
		}
		results, err := c.Results(ctx, rec)
		if err != nil {
			t.Fatal(err)
		}
		for i, r := range results {
			if r.CustomID != rec.CustomIDs[i] || !r.OK() || r.Status != 200 {
				t.Fatalf("result %d: got %+v", i, r)
			}
			if got, want := segmentsOf(t, r), []string{"s1=A sentence."}; !slices.Equal(got, want) {
				t.Fatalf("%s: got %v, want %v", r.CustomID, got, want)
			}
			n++
		}
		rec.Collected = true
		if err := c.DeleteFiles(ctx, rec); err != nil {
			t.Error(err)
		}
	}
	if n != 1000 {
		t.Errorf("got %d results, want 1000", n)
	}
	if err := st.Save(); err != nil {
		t.Fatal(err)
	}
	st = reload(t, st)
	if len(st.InFlight()) != 0 || len(st.Uncollected()) != 0 || len(st.Open()) != 0 {
		t.Errorf("after collecting: %d in flight, %d uncollected, %d open", len(st.InFlight()), len(st.Uncollected()), len(st.Open()))
	}
	// An input and an output file each; no line failed, so no error file.
	if got := count(s, http.MethodDelete, "/v1/files/"); got != 8 {
		t.Errorf("files deleted: got %d, want 8", got)
	}
	if got := s.Count(openaitest.KindTranslate); got != 0 {
		t.Errorf("live translations: got %d, want 0", got)
	}
}

func TestSubmitSameChunk(t *testing.T) {
	ctx := context.Background()
	s := openaitest.New(t)
	st := newState(t)
	c := batchapi.New(s.Client(), nil)

	first, err := c.Submit(ctx, st, abc, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	again, err := c.Submit(ctx, reload(t, st), abc, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if again.ID != first.ID || again.BatchID != first.BatchID {
		t.Errorf("second submit: got %s/%s, want %s/%s", again.ID, again.BatchID, first.ID, first.BatchID)
	}
	if up, cr := count(s, http.MethodPost, "/v1/files"), count(s, http.MethodPost, "/v1/batches"); up != 1 || cr != 1 {
		t.Errorf("got %d uploads and %d creates, want 1 and 1", up, cr)
	}

	// Once the batch is over, the same requests may be sent again.
	if err := c.Cancel(ctx, st, first); err != nil {
		t.Fatal(err)
	}
	s.FinishBatches()
	if err := c.Refresh(ctx, st); err != nil {
		t.Fatal(err)
	}
	third, err := c.Submit(ctx, st, abc, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if third.ID == first.ID || third.Hash != first.Hash || third.BatchID == first.BatchID {
		t.Errorf("submit after cancel: got %s/%s, want a new record with the same hash", third.ID, third.BatchID)
	}
}

func TestSubmitInvalid(t *testing.T) {
	mixed := slices.Clone(abc)
	mixed[1].Request.Model = "gpt-4o"
	many := map[string]string{}
	for i := range 15 {
		many[fmt.Sprint(i)] = "x"
	}
	tests := []struct {
		name    string
		chunk   []batchapi.Line
		meta    map[string]string
		wantErr string
	}{
		{"empty", nil, nil, "no requests"},
		{"mixed models", mixed, nil, "split them with Chunk"},
		{"duplicate", []batchapi.Line{abc[0], abc[0]}, nil, "used twice"},
		{"reserved key", abc, map[string]string{batchapi.MetaID: "x"}, "reserved"},
		{"too many keys", abc, many, "at most 14"},
		{"long value", abc, map[string]string{"k": strings.Repeat("x", 513)}, "longer than 512"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := openaitest.New(t)
			st := newState(t)
			_, err := batchapi.New(s.Client(), nil).Submit(context.Background(), st, tt.chunk, tt.meta, nil)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("got %v, want an error with %q", err, tt.wantErr)
			}
			if len(s.Requests()) != 0 || len(st.Records) != 0 {
				t.Errorf("got %d requests and %d records, want none", len(s.Requests()), len(st.Records))
			}
		})
	}
}

func TestSubmitRefused(t *testing.T) {
	ctx := context.Background()
	s := openaitest.New(t, openaitest.WithBatchLimits(2, 0))
	st := newState(t)
	c := batchapi.New(s.Client(), nil)
	_, err := c.Submit(ctx, st, abc, nil, nil)
	var apiErr *openai.APIError
	if !errors.As(err, &apiErr) || apiErr.HTTPStatusCode != 400 {
		t.Fatalf("got %v, want the API's 400", err)
	}
	st = reload(t, st)
	if len(st.Records) != 1 || st.Records[0].Status != batchapi.StatusAbandoned || len(st.InFlight()) != 0 {
		t.Fatalf("records: got %+v, want one abandoned", st.Records)
	}
	if got := count(s, http.MethodDelete, "/v1/files/"); got != 1 {
		t.Errorf("files deleted: got %d, want 1", got)
	}
}

// TestCrash kills a Submit after the upload or after the create, before
// their replies are recorded, and checks that the next run, by Submit or
// by Recover, neither loses the batch nor pays for it twice.
func TestCrash(t *testing.T) {
	tests := []struct {
		crashAt    string // path of the request whose reply is lost
		next       string // "submit" or "recover"
		wantStatus string // after the crash
		// then
		wantCreates int
		wantFinal   string
		wantDeletes int
	}{
		{"/files", "submit", batchapi.StatusPlanned, 1, batchapi.StatusValidating, 0},
		{"/files", "recover", batchapi.StatusPlanned, 0, batchapi.StatusAbandoned, 1},
		{"/batches", "submit", batchapi.StatusUploaded, 1, batchapi.StatusValidating, 0},
		{"/batches", "recover", batchapi.StatusUploaded, 1, batchapi.StatusValidating, 0},
	}
	for _, tt := range tests {
		t.Run(tt.crashAt+" "+tt.next, func(t *testing.T) {
			ctx := context.Background()
			s := openaitest.New(t)
			st := newState(t)
			_, err := clientWith(s, &crashDoer{method: http.MethodPost, path: tt.crashAt}).Submit(ctx, st, abc, nil, nil)
			if !errors.Is(err, errCrash) {
				t.Fatalf("submit: got %v, want the crash", err)
			}

			st = reload(t, st) // a new process
			if len(st.Records) != 1 || st.Records[0].Status != tt.wantStatus {
				t.Fatalf("after the crash: got %+v, want one record %s", st.Records, tt.wantStatus)
			}
			if got := len(st.InFlight()); got != 3 {
				t.Errorf("in flight after the crash: got %d, want 3", got)
			}
			c := batchapi.New(s.Client(), nil)
			switch tt.next {
			case "submit":
				_, err = c.Submit(ctx, st, abc, nil, nil)
			case "recover":
				err = c.Recover(ctx, st)
			}
			if err != nil {
				t.Fatal(err)
			}

			st = reload(t, st)
			rec := st.Records[0]
			if len(st.Records) != 1 || rec.Status != tt.wantFinal {
				t.Fatalf("records: got %+v, want one %s", st.Records, tt.wantFinal)
			}
			if got := count(s, http.MethodPost, "/v1/files"); got != 1 {
				t.Errorf("uploads: got %d, want 1", got)
			}
			if got := count(s, http.MethodPost, "/v1/batches"); got != tt.wantCreates {
				t.Errorf("creates: got %d, want %d", got, tt.wantCreates)
			}
			if got := count(s, http.MethodDelete, "/v1/files/"); got != tt.wantDeletes {
				t.Errorf("deletes: got %d, want %d", got, tt.wantDeletes)
			}
			if tt.wantFinal == batchapi.StatusAbandoned {
				if len(st.InFlight()) != 0 || !rec.Collected {
					t.Errorf("abandoned record still in flight: %+v", rec)
				}
				return
			}
			list, err := s.Client().ListBatch(ctx, nil, nil)
			if err != nil {
				t.Fatal(err)
			}
			if len(list.Data) != 1 || list.Data[0].ID != rec.BatchID || list.Data[0].InputFileID != rec.FileID {
				t.Errorf("batches %+v; record has batch %s, file %s", list.Data, rec.BatchID, rec.FileID)
			}

			// And the batch is collected as any other.
			s.FinishBatches()
			if err := c.Refresh(ctx, st); err != nil {
				t.Fatal(err)
			}
			results, err := c.Results(ctx, rec)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range results {
				if !r.OK() {
					t.Errorf("%s: %s %s", r.CustomID, r.Code, r.Err)
				}
			}
		})
	}
}

func TestRecoverDuplicates(t *testing.T) {
	ctx := context.Background()
	api := func(s *openaitest.Server) *openai.Client { return s.Client() }
	// duplicate creates a second batch from the first one's file and
	// metadata, as a create retried after its reply was lost does.
	duplicate := func(t *testing.T, s *openaitest.Server) string {
		t.Helper()
		list, err := api(s).ListBatch(ctx, nil, nil)
		if err != nil || len(list.Data) != 1 {
			t.Fatalf("list: %v, %d batches", err, len(list.Data))
		}
		b := list.Data[0]
		dup, err := api(s).CreateBatch(ctx, openai.CreateBatchRequest{InputFileID: b.InputFileID, Endpoint: b.Endpoint, Metadata: b.Metadata})
		if err != nil {
			t.Fatal(err)
		}
		return dup.ID
	}

	t.Run("recorded", func(t *testing.T) {
		s := openaitest.New(t)
		st := newState(t)
		c := batchapi.New(s.Client(), nil)
		rec, err := c.Submit(ctx, st, abc, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		dup := duplicate(t, s)
		if err := c.Recover(ctx, st); err != nil {
			t.Fatal(err)
		}
		if b, _ := api(s).RetrieveBatch(ctx, dup); b.Status != openaitest.BatchCancelling {
			t.Errorf("duplicate: got status %q, want cancelling", b.Status)
		}
		if b, _ := api(s).RetrieveBatch(ctx, rec.BatchID); b.Status != openaitest.BatchValidating {
			t.Errorf("recorded batch: got status %q, want validating", b.Status)
		}
	})

	t.Run("unrecorded", func(t *testing.T) {
		s := openaitest.New(t)
		st := newState(t)
		_, err := clientWith(s, &crashDoer{method: http.MethodPost, path: "/batches"}).Submit(ctx, st, abc, nil, nil)
		if !errors.Is(err, errCrash) {
			t.Fatalf("got %v, want the crash", err)
		}
		dup := duplicate(t, s)
		st = reload(t, st)
		if err := batchapi.New(s.Client(), nil).Recover(ctx, st); err != nil {
			t.Fatal(err)
		}
		rec := st.Records[0]
		if rec.BatchID == "" || rec.BatchID == dup {
			t.Errorf("record took batch %q, want the first one, not %s", rec.BatchID, dup)
		}
		if b, _ := api(s).RetrieveBatch(ctx, dup); b.Status != openaitest.BatchCancelling {
			t.Errorf("duplicate: got status %q, want cancelling", b.Status)
		}
	})
}

func TestRecoverIdle(t *testing.T) {
	s := openaitest.New(t)
	st := newState(t)
	st.Records = append(st.Records, &batchapi.Record{ID: "nl2en-x", Status: batchapi.StatusCompleted, BatchID: "batch_x"})
	if err := batchapi.New(s.Client(), nil).Recover(context.Background(), st); err != nil {
		t.Fatal(err)
	}
	if err := batchapi.New(s.Client(), nil).Refresh(context.Background(), st); err != nil {
		t.Fatal(err)
	}
	if n := len(s.Requests()); n != 0 {
		t.Errorf("got %d requests with no open batch, want 0", n)
	}
}

func TestResults(t *testing.T) {
	type want struct {
		ok     bool
		code   string
		status int
	}
	tests := []struct {
		name    string
		outcome openaitest.BatchOutcome
		script  []openaitest.Fault
		cancel  bool
		status  string
		want    []want // for a, b, c
		errHas  string // in the Err of c
	}{
		{
			name: "completed", outcome: openaitest.CompleteBatch(), status: batchapi.StatusCompleted,
			want: []want{{true, "", 200}, {true, "", 200}, {true, "", 200}},
		},
		{
			name: "expired", outcome: openaitest.ExpireBatch(2), status: batchapi.StatusExpired,
			want: []want{{true, "", 200}, {true, "", 200}, {false, batchapi.CodeExpired, 0}},
		},
		{
			name: "failed", outcome: openaitest.FailBatch("token_limit_exceeded", "Enqueued token limit reached for gpt-4.1-mini."), status: batchapi.StatusFailed,
			want:   []want{{false, batchapi.CodeFailed, 0}, {false, batchapi.CodeFailed, 0}, {false, batchapi.CodeFailed, 0}},
			errHas: "Enqueued token limit reached",
		},
		{
			name: "cancelled", outcome: openaitest.CompleteBatch(), cancel: true, status: batchapi.StatusCancelled,
			want: []want{{false, batchapi.CodeCancelled, 0}, {false, batchapi.CodeCancelled, 0}, {false, batchapi.CodeCancelled, 0}},
		},
		{
			name:    "line errors",
			outcome: openaitest.CompleteBatch().WithLineFault("a/b1", openaitest.RateLimited(0)).WithLineFault("c/b1", openaitest.HTMLError(502)),
			status:  batchapi.StatusCompleted,
			want:    []want{{false, "rate_limit_exceeded", 429}, {true, "", 200}, {false, "http_502", 502}},
			errHas:  "502 Bad Gateway",
		},
		{
			name:    "unreadable lines",
			outcome: openaitest.CompleteBatch().WithLineFault("b/b1", openaitest.TruncatedBody()).WithLineFault("c/b1", openaitest.Hang()),
			status:  batchapi.StatusCompleted,
			want:    []want{{true, "", 200}, {false, batchapi.CodeMissing, 0}, {false, "server_error", 0}},
		},
		{
			name: "content faults are not judged here", outcome: openaitest.CompleteBatch(), script: []openaitest.Fault{openaitest.MissingSegment()},
			status: batchapi.StatusCompleted,
			want:   []want{{true, "", 200}, {true, "", 200}, {true, "", 200}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			s := openaitest.New(t)
			s.ScriptBatches(tt.outcome)
			s.Script(openaitest.KindTranslate, tt.script...)
			st := newState(t)
			c := batchapi.New(s.Client(), nil)
			rec, err := c.Submit(ctx, st, abc, nil, nil)
			if err != nil {
				t.Fatal(err)
			}
			if tt.cancel {
				if err := c.Cancel(ctx, st, rec); err != nil {
					t.Fatal(err)
				}
			}
			s.FinishBatches()
			if err := c.Refresh(ctx, st); err != nil {
				t.Fatal(err)
			}
			if rec.Status != tt.status {
				t.Fatalf("status: got %s, want %s", rec.Status, tt.status)
			}
			results, err := c.Results(ctx, rec)
			if err != nil {
				t.Fatal(err)
			}
			var got []want
			for i, r := range results {
				if r.CustomID != abc[i].CustomID {
					t.Errorf("result %d: got %s, want %s", i, r.CustomID, abc[i].CustomID)
				}
				if r.OK() == (r.Err != "") {
					t.Errorf("%s: ok %v with error %q", r.CustomID, r.OK(), r.Err)
				}
				got = append(got, want{r.OK(), r.Code, r.Status})
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
			if tt.errHas != "" && !strings.Contains(results[2].Err, tt.errHas) {
				t.Errorf("error of c: got %q, want it to contain %q", results[2].Err, tt.errHas)
			}
		})
	}
}

func TestResultsShortDownload(t *testing.T) {
	ctx := context.Background()
	s := openaitest.New(t)
	st := newState(t)
	rec, err := batchapi.New(s.Client(), nil).Submit(ctx, st, abc, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	s.FinishBatches()
	c := clientWith(s, &crashDoer{method: http.MethodGet, path: "/content", cut: true})
	if err := c.Refresh(ctx, st); err != nil {
		t.Fatal(err)
	}
	_, err = c.Results(ctx, rec)
	if err == nil || !strings.Contains(err.Error(), "bytes") {
		t.Errorf("got %v, want an error about a short download", err)
	}
}

func TestState(t *testing.T) {
	dir := t.TempDir()
	st, err := batchapi.OpenState(outputs.New(outputs.Config{Out: dir}))
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Records) != 0 {
		t.Fatalf("new state: got %d records", len(st.Records))
	}
	old := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	st.Records = []*batchapi.Record{
		{ID: "done", Status: batchapi.StatusCompleted, Collected: true, Updated: old, CustomIDs: []string{"a"}},
		{ID: "waiting", Status: batchapi.StatusCompleted, Updated: old, CustomIDs: []string{"b"}},
		{ID: "running", Status: batchapi.StatusInProgress, Updated: old, CustomIDs: []string{"c", "d"}},
		{ID: "recent", Status: batchapi.StatusExpired, Collected: true, Updated: old.Add(48 * time.Hour)},
	}
	if err := st.Save(); err != nil {
		t.Fatal(err)
	}
	st = reload(t, st)
	ids := func(rs []*batchapi.Record) []string {
		var out []string
		for _, r := range rs {
			out = append(out, r.ID)
		}
		return out
	}
	if got := ids(st.Open()); !slices.Equal(got, []string{"running"}) {
		t.Errorf("Open: got %v", got)
	}
	if got := ids(st.Uncollected()); !slices.Equal(got, []string{"waiting"}) {
		t.Errorf("Uncollected: got %v", got)
	}
	if got := st.InFlight(); len(got) != 3 || got["c"].ID != "running" || got["b"].ID != "waiting" {
		t.Errorf("InFlight: got %v", got)
	}
	if n := st.Prune(old.Add(time.Hour)); n != 1 || st.Find("done") != nil || st.Find("recent") == nil {
		t.Errorf("Prune: removed %d, left %v", n, ids(st.Records))
	}

	for _, tt := range []struct{ name, content, wantErr string }{
		{"newer", `{"version": 3, "batches": []}`, "upgrade nl2en"},
		{"no version", `{"batches": []}`, "no version"},
		{"corrupt", `{"version": 1, "batches": [`, "move it away"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, outputs.BatchStateFile), []byte(tt.content), 0o644); err != nil {
				t.Fatal(err)
			}
			if _, err := batchapi.OpenState(outputs.New(outputs.Config{Out: dir})); err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("got %v, want an error with %q", err, tt.wantErr)
			}
		})
	}
}

// noListing is an API whose server has no file listing, as some
// OpenAI-compatible servers have not: GET /v1/files answers 404.
type noListing struct{ *openai.Client }

func (noListing) ListFiles(context.Context) (openai.FilesList, error) {
	return openai.FilesList{}, &openai.APIError{HTTPStatusCode: http.StatusNotFound, Message: "Not found"}
}

// TestRecoverWithoutFileListing guards against a folder stuck for good:
// a submit killed during its upload, on a server that cannot list files,
// made every later run fail with "recover batches: list files: … 404".
// The upload is now made again, which costs nothing but the upload.
func TestRecoverWithoutFileListing(t *testing.T) {
	ctx := context.Background()
	s := openaitest.New(t)
	st := newState(t)
	if _, err := clientWith(s, &crashDoer{method: http.MethodPost, path: "/files"}).Submit(ctx, st, abc, nil, nil); !errors.Is(err, errCrash) {
		t.Fatalf("submit: got %v, want the crash", err)
	}
	st = reload(t, st)
	c := batchapi.New(noListing{s.Client()}, nil)
	if err := c.Recover(ctx, st); err != nil {
		t.Fatalf("recover: %v", err)
	}
	if got := len(st.InFlight()); got != 0 {
		t.Fatalf("%d requests still in flight after recover, want the submission given up", got)
	}
	rec, err := c.Submit(ctx, reload(t, st), abc, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if rec.BatchID == "" || count(s, http.MethodPost, "/v1/files") != 2 || count(s, http.MethodPost, "/v1/batches") != 1 {
		t.Errorf("record %+v after %d uploads and %d creates; want the chunk uploaded again and one batch",
			rec, count(s, http.MethodPost, "/v1/files"), count(s, http.MethodPost, "/v1/batches"))
	}
}
