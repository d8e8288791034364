package openaitest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sashabaranov/go-openai"

	"github.com/nl2en/nl2en/pipeline/openaitest"
)

func TestTranslate(t *testing.T) {
	s := openaitest.New(t, openaitest.WithTranslations(map[string]string{
		"Meer nieuws is er niet.": "There is no more news.",
	}))
	resp, err := complete(t, s, translateRequest(t, threeSegs...))
	if err != nil {
		t.Fatal(err)
	}
	got := segsOf(t, resp.Choices[0].Message.Content)
	want := []seg{
		{"s1", "This is the English text of segment s1."},
		{"s2", "This is the English text of segment s2. It mentions 80,000."},
		{"s3", "There is no more news."},
	}
	if !slices.Equal(got, want) {
		t.Errorf("segments: got %v, want %v", got, want)
	}
	if !strings.HasPrefix(resp.ID, "chatcmpl-") {
		t.Errorf("id: got %q, want chatcmpl-…", resp.ID)
	}
	for _, c := range []struct{ name, got, want string }{
		{"object", resp.Object, "chat.completion"},
		{"model", resp.Model, "gpt-4.1-mini"},
		{"role", resp.Choices[0].Message.Role, "assistant"},
		{"finish_reason", string(resp.Choices[0].FinishReason), "stop"},
	} {
		if c.got != c.want {
			t.Errorf("%s: got %q, want %q", c.name, c.got, c.want)
		}
	}
	if resp.SystemFingerprint == "" || resp.Created == 0 {
		t.Errorf("system_fingerprint %q, created %d: want both set", resp.SystemFingerprint, resp.Created)
	}
	if resp.Header().Get("x-request-id") == "" || resp.Header().Get("openai-processing-ms") == "" {
		t.Errorf("headers %v: want x-request-id and openai-processing-ms", resp.Header())
	}
	if got := resp.Header().Get("Content-Type"); got != "application/json" {
		t.Errorf("Content-Type: got %q, want application/json", got)
	}
}

func TestSampleTranslations(t *testing.T) {
	m := openaitest.SampleTranslations()
	if len(m) == 0 {
		t.Fatal("no sample translations")
	}
	sample, err := os.ReadFile("../../samples/bachmoet.txt")
	if err != nil {
		t.Fatal(err)
	}
	for nl, en := range m {
		if !bytes.Contains(sample, []byte(nl)) {
			t.Errorf("key %.40q… is not in samples/bachmoet.txt", nl)
		}
		if en == "" {
			t.Errorf("key %.40q… has an empty translation", nl)
		}
	}
	m["x"] = "y"
	if _, ok := openaitest.SampleTranslations()["x"]; ok {
		t.Error("SampleTranslations returned a shared map")
	}

	s := openaitest.New(t, openaitest.WithTranslations(openaitest.SampleTranslations()))
	const nl = "Aanvoerlijnen verstoren"
	resp, err := complete(t, s, translateRequest(t, seg{"s6", nl}))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := segsOf(t, resp.Choices[0].Message.Content), []seg{{"s6", m[nl]}}; !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestDefaultTranslator(t *testing.T) {
	tests := []struct {
		text, want string
	}{
		{"Meer nieuws is er niet.", "This is the English text of segment s1."},
		{"In 2022 waren er 3.000 doden.", "This is the English text of segment s1. It mentions 2022 and 3,000."},
		{"ooit 80 duizend inwoners", "This is the English text of segment s1. It mentions 80,000."},
		{"1,5 miljoen mensen en 1,5 duizend", "This is the English text of segment s1. It mentions 1.5 million and 1,500."},
		{"om 14.30 uur, € 2,50, 1.234.567,89", "This is the English text of segment s1. It mentions 14.30, 2.50 and 1,234,567.89."},
	}
	for _, tt := range tests {
		if got := openaitest.DefaultTranslator("s1", tt.text); got != tt.want {
			t.Errorf("DefaultTranslator(%q):\ngot  %q\nwant %q", tt.text, got, tt.want)
		}
	}
}

func TestSummary(t *testing.T) {
	s := openaitest.New(t)
	resp, err := complete(t, s, summaryRequest(t, "Het Russische leger probeert …"))
	if err != nil {
		t.Fatal(err)
	}
	var sum struct {
		Title     string   `json:"title"`
		Summary   string   `json:"summary"`
		KeyPoints []string `json:"key_points"`
	}
	if err := json.Unmarshal([]byte(resp.Choices[0].Message.Content), &sum); err != nil {
		t.Fatal(err)
	}
	if sum.Title == "" || strings.Count(sum.Summary, ". ") != 1 || len(sum.KeyPoints) != 3 {
		t.Errorf("got %+v, want a title, 2 sentences and 3 key points", sum)
	}

	s = openaitest.New(t, openaitest.WithSummary("T", "S.", "K"))
	resp, err = complete(t, s, summaryRequest(t, "…"))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := resp.Choices[0].Message.Content, `{"title":"T","summary":"S.","key_points":["K"]}`; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

func TestClassify(t *testing.T) {
	segsJSON := userJSON(t, map[string]any{"segments": threeSegs})
	repairJSON := userJSON(t, map[string]any{"segments": threeSegs[:1], "problems": map[string]string{"s1": "untranslated"}})
	articleJSON := userJSON(t, map[string]string{"article": "Tekst."})
	jsonObject := &openai.ChatCompletionResponseFormat{Type: openai.ChatCompletionResponseFormatTypeJSONObject}
	tests := []struct {
		name   string
		format *openai.ChatCompletionResponseFormat
		user   string
		want   string
		ids    []string
	}{
		{"schema translation", jsonSchema("translation", segmentsSchema), segsJSON, openaitest.KindTranslate, []string{"s1", "s2", "s3"}},
		{"schema repair", jsonSchema("repair", segmentsSchema), repairJSON, openaitest.KindRepair, []string{"s1"}},
		{"schema summary", jsonSchema("summary", summarySchema), articleJSON, openaitest.KindSummary, nil},
		{"json_object segments", jsonObject, segsJSON, openaitest.KindTranslate, []string{"s1", "s2", "s3"}},
		{"json_object problems", jsonObject, repairJSON, openaitest.KindRepair, []string{"s1"}},
		{"json_object article", jsonObject, articleJSON, openaitest.KindSummary, nil},
		{"no format segments", nil, segsJSON, openaitest.KindTranslate, []string{"s1", "s2", "s3"}},
		{"no format article", nil, articleJSON, openaitest.KindSummary, nil},
		{"plain text", nil, "Hallo", openaitest.KindOther, nil},
		{"other schema name", jsonSchema("other", summarySchema), segsJSON, openaitest.KindTranslate, []string{"s1", "s2", "s3"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := openaitest.New(t)
			req := openai.ChatCompletionRequest{
				Model: "gpt-4o-mini",
				Messages: []openai.ChatCompletionMessage{
					{Role: openai.ChatMessageRoleSystem, Content: "system"},
					{Role: openai.ChatMessageRoleUser, Content: tt.user},
				},
				ResponseFormat: tt.format,
			}
			resp, err := complete(t, s, req)
			if err != nil {
				t.Fatal(err)
			}
			r := s.Requests()[0]
			if r.Kind != tt.want {
				t.Errorf("kind: got %q, want %q", r.Kind, tt.want)
			}
			if !slices.Equal(r.SegmentIDs, tt.ids) {
				t.Errorf("segment ids: got %v, want %v", r.SegmentIDs, tt.ids)
			}
			if tt.want == openaitest.KindTranslate || tt.want == openaitest.KindRepair {
				if got := idsOf(segsOf(t, resp.Choices[0].Message.Content)); !slices.Equal(got, tt.ids) {
					t.Errorf("reply ids: got %v, want %v", got, tt.ids)
				}
			}
			if got := s.Count(tt.want); got != 1 {
				t.Errorf("Count(%q): got %d, want 1", tt.want, got)
			}
		})
	}
}

func TestMultiContentAndNumericIDs(t *testing.T) {
	s := openaitest.New(t)
	req := openai.ChatCompletionRequest{
		Model: "gpt-4o-mini",
		Messages: []openai.ChatCompletionMessage{{
			Role: openai.ChatMessageRoleUser,
			MultiContent: []openai.ChatMessagePart{
				{Type: openai.ChatMessagePartTypeText, Text: `{"segments":[{"id":7,`},
				{Type: openai.ChatMessagePartTypeText, Text: `"text":"Hallo"}]}`},
			},
		}},
	}
	resp, err := complete(t, s, req)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := resp.Choices[0].Message.Content, `{"segments":[{"id":7,"text":"This is the English text of segment 7."}]}`; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

func TestAuth(t *testing.T) {
	tests := []struct {
		name     string
		serverOp []openaitest.Option
		key      string
		wantCode any // nil: success
		wantMsg  string
	}{
		{"right key", nil, "test-key", nil, ""},
		{"wrong key", nil, "sk-wrong-key-1234", "invalid_api_key", "Incorrect API key provided: sk-**********1234."},
		{"no key", nil, "", 0, "You didn't provide an API key."}, // go-openai decodes "code": null as 0
		{"custom key", []openaitest.Option{openaitest.WithAPIKey("sk-abc")}, "sk-abc", nil, ""},
		{"auth off", []openaitest.Option{openaitest.WithAPIKey("")}, "", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := openaitest.New(t, tt.serverOp...)
			cfg := openai.DefaultConfig(tt.key)
			cfg.BaseURL = s.BaseURL()
			_, err := openai.NewClientWithConfig(cfg).CreateChatCompletion(context.Background(), translateRequest(t, threeSegs...))
			if tt.wantMsg == "" {
				if err != nil {
					t.Fatalf("got %v, want success", err)
				}
				return
			}
			var apiErr *openai.APIError
			if !errors.As(err, &apiErr) {
				t.Fatalf("got %T %v, want *openai.APIError", err, err)
			}
			if apiErr.HTTPStatusCode != http.StatusUnauthorized || apiErr.Code != tt.wantCode || apiErr.Type != "invalid_request_error" {
				t.Errorf("got status %d code %v type %q, want 401 %v invalid_request_error", apiErr.HTTPStatusCode, apiErr.Code, apiErr.Type, tt.wantCode)
			}
			if !strings.HasPrefix(apiErr.Message, tt.wantMsg) {
				t.Errorf("message: got %q, want prefix %q", apiErr.Message, tt.wantMsg)
			}
		})
	}
}

func TestModels(t *testing.T) {
	s := openaitest.New(t, openaitest.WithModels("m1", "m2"))
	c := s.Client()
	list, err := c.ListModels(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, m := range list.Models {
		ids = append(ids, m.ID)
	}
	if want := []string{"m1", "m2"}; !slices.Equal(ids, want) {
		t.Errorf("models: got %v, want %v", ids, want)
	}
	if m, err := c.GetModel(context.Background(), "m2"); err != nil || m.ID != "m2" {
		t.Errorf("GetModel(m2): got %v, %v", m.ID, err)
	}

	req := translateRequest(t, threeSegs...)
	req.Model = "gpt-9"
	for name, err := range map[string]error{
		"chat":     func() error { _, err := c.CreateChatCompletion(context.Background(), req); return err }(),
		"GetModel": func() error { _, err := c.GetModel(context.Background(), "gpt-9"); return err }(),
	} {
		var apiErr *openai.APIError
		if !errors.As(err, &apiErr) {
			t.Fatalf("%s: got %T %v, want *openai.APIError", name, err, err)
		}
		if apiErr.HTTPStatusCode != 404 || apiErr.Code != "model_not_found" || apiErr.Message != "The model `gpt-9` does not exist or you do not have access to it." {
			t.Errorf("%s: got %d %v %q", name, apiErr.HTTPStatusCode, apiErr.Code, apiErr.Message)
		}
	}
}

func TestBadRequests(t *testing.T) {
	s := openaitest.New(t)
	post := func(path, body string) (int, openai.ErrorResponse) {
		t.Helper()
		req, err := http.NewRequest(http.MethodPost, s.BaseURL()+path, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer test-key")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var e openai.ErrorResponse
		if err := json.NewDecoder(resp.Body).Decode(&e); err != nil || e.Error == nil {
			t.Fatalf("%s: body is not an OpenAI error object: %v", path, err)
		}
		return resp.StatusCode, e
	}
	tests := []struct {
		name, path, body string
		status           int
		param            string
	}{
		{"unknown path", "/completions/x", `{}`, 404, ""},
		{"root path", "/../chat/completions", `{}`, 404, ""},
		{"invalid json", "/chat/completions", `{"model":`, 400, ""},
		{"no model", "/chat/completions", `{"messages":[{"role":"user","content":"x"}]}`, 400, ""},
		{"no messages", "/chat/completions", `{"model":"gpt-4.1-mini","messages":[]}`, 400, "messages"},
		{"bad format type", "/chat/completions", `{"model":"gpt-4.1-mini","messages":[{"role":"user","content":"x"}],"response_format":{"type":"xml"}}`, 400, "response_format.type"},
		{"schema missing", "/chat/completions", `{"model":"gpt-4.1-mini","messages":[{"role":"user","content":"x"}],"response_format":{"type":"json_schema"}}`, 400, "response_format.json_schema"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, e := post(tt.path, tt.body)
			if status != tt.status {
				t.Errorf("status: got %d, want %d", status, tt.status)
			}
			param := ""
			if e.Error.Param != nil {
				param = *e.Error.Param
			}
			if param != tt.param {
				t.Errorf("param: got %q, want %q", param, tt.param)
			}
		})
	}

	resp, err := http.Get(s.BaseURL() + "/chat/completions")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("GET without key: got %d, want 401", resp.StatusCode)
	}
}

func TestStrictSchema(t *testing.T) {
	tests := []struct {
		name    string
		schema  string
		strict  bool
		wantErr bool
	}{
		{"valid", string(segmentsSchema), true, false},
		{"no additionalProperties", `{"type":"object","properties":{"a":{"type":"string"}},"required":["a"]}`, true, true},
		{"nested not required", `{"type":"object","properties":{"s":{"type":"array","items":{"type":"object","properties":{"id":{"type":"string"},"text":{"type":"string"}},"required":["id"],"additionalProperties":false}}},"required":["s"],"additionalProperties":false}`, true, true},
		{"root array", `{"type":"array","items":{"type":"string"}}`, true, true},
		{"not strict", `{"type":"object","properties":{"a":{"type":"string"}}}`, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := openaitest.New(t)
			req := translateRequest(t, threeSegs...)
			req.ResponseFormat.JSONSchema.Schema = json.RawMessage(tt.schema)
			req.ResponseFormat.JSONSchema.Strict = tt.strict
			_, err := complete(t, s, req)
			if !tt.wantErr {
				if err != nil {
					t.Fatalf("got %v, want success", err)
				}
				return
			}
			var apiErr *openai.APIError
			if !errors.As(err, &apiErr) || apiErr.HTTPStatusCode != 400 || apiErr.Param == nil || *apiErr.Param != "response_format" {
				t.Fatalf("got %v, want a 400 *openai.APIError with param response_format", err)
			}
			if !strings.HasPrefix(apiErr.Message, "Invalid schema for response_format 'translation': ") {
				t.Errorf("message: got %q", apiErr.Message)
			}
		})
	}
}

func TestResponseFormats(t *testing.T) {
	s := openaitest.New(t, openaitest.WithResponseFormats("json_object"))
	_, err := complete(t, s, translateRequest(t, threeSegs...))
	var apiErr *openai.APIError
	if !errors.As(err, &apiErr) || apiErr.HTTPStatusCode != 400 || apiErr.Param == nil || *apiErr.Param != "response_format" {
		t.Fatalf("json_schema: got %v, want a 400 with param response_format", err)
	}
	req := translateRequest(t, threeSegs...)
	req.ResponseFormat = &openai.ChatCompletionResponseFormat{Type: openai.ChatCompletionResponseFormatTypeJSONObject}
	resp, err := complete(t, s, req)
	if err != nil {
		t.Fatalf("json_object: %v", err)
	}
	if got := idsOf(segsOf(t, resp.Choices[0].Message.Content)); !slices.Equal(got, []string{"s1", "s2", "s3"}) {
		t.Errorf("json_object ids: got %v", got)
	}
	req.ResponseFormat = nil
	if _, err := complete(t, s, req); err != nil {
		t.Fatalf("no response_format: %v", err)
	}
}

func TestRecording(t *testing.T) {
	s := openaitest.New(t)
	s.Script(openaitest.KindTranslate, openaitest.HTTPError(503))
	_, err := complete(t, s, translateRequest(t, threeSegs...))
	if err == nil {
		t.Fatal("got success, want the 503")
	}
	if _, err := complete(t, s, translateRequest(t, threeSegs[1:]...)); err != nil {
		t.Fatal(err)
	}
	reqs := s.Requests()
	if len(reqs) != 2 {
		t.Fatalf("got %d requests, want 2", len(reqs))
	}
	r := reqs[0]
	if r.Header.Get("Authorization") != "Bearer test-key" || r.Header.Get("api-key") != "" {
		t.Errorf("headers: got Authorization %q, api-key %q", r.Header.Get("Authorization"), r.Header.Get("api-key"))
	}
	if r.Method != http.MethodPost || r.Path != "/v1/chat/completions" || r.Kind != openaitest.KindTranslate {
		t.Errorf("got %s %s kind %q", r.Method, r.Path, r.Kind)
	}
	if r.Chat.Model != "gpt-4.1-mini" || len(r.Chat.Messages) != 2 || !json.Valid(r.Body) || r.Time.IsZero() {
		t.Errorf("chat %+v, body %q", r.Chat, r.Body)
	}
	if r.Status != 503 || r.Fault != "HTTPError(503)" {
		t.Errorf("first: status %d fault %q, want 503 HTTPError(503)", r.Status, r.Fault)
	}
	if r := reqs[1]; r.Status != 200 || r.Fault != "" || !slices.Equal(r.SegmentIDs, []string{"s2", "s3"}) {
		t.Errorf("second: status %d fault %q ids %v", r.Status, r.Fault, r.SegmentIDs)
	}
	if got := s.Count(openaitest.KindAny); got != 2 {
		t.Errorf("Count(any): got %d, want 2", got)
	}
}

func TestUsage(t *testing.T) {
	long := strings.Repeat("Een lange systeemprompt die steeds hetzelfde is. ", 40)
	req := func(text string) openai.ChatCompletionRequest {
		r := translateRequest(t, seg{"s1", text})
		r.Messages[0].Content = long
		return r
	}
	promptOf := func(r openai.ChatCompletionRequest) string {
		var b strings.Builder
		for _, m := range r.Messages {
			b.WriteString(m.Content)
		}
		return b.String()
	}

	s := openaitest.New(t)
	r := req("Hallo")
	resp, err := complete(t, s, r)
	if err != nil {
		t.Fatal(err)
	}
	u := resp.Usage
	if want := openaitest.EstimateTokens(promptOf(r)) + 3*2; u.PromptTokens != want {
		t.Errorf("prompt_tokens: got %d, want %d", u.PromptTokens, want)
	}
	if want := openaitest.EstimateTokens(resp.Choices[0].Message.Content); u.CompletionTokens != want {
		t.Errorf("completion_tokens: got %d, want %d", u.CompletionTokens, want)
	}
	if u.TotalTokens != u.PromptTokens+u.CompletionTokens || u.PromptTokensDetails == nil || u.PromptTokensDetails.CachedTokens != 0 {
		t.Errorf("usage %+v", u)
	}

	s = openaitest.New(t, openaitest.WithTokenCounter(func(string) int { return 1 }))
	resp, err = complete(t, s, req("Tekst"))
	if err != nil {
		t.Fatal(err)
	}
	if got := resp.Usage; got.PromptTokens != 1+3*2 || got.CompletionTokens != 1 || got.TotalTokens != 8 {
		t.Errorf("WithTokenCounter: got %+v, want 7 prompt and 1 completion tokens", got)
	}
}

func TestStream(t *testing.T) {
	s := openaitest.New(t, openaitest.WithTranslations(openaitest.SampleTranslations()))
	segs := []seg{{"s1", "Aanvoerlijnen verstoren"}, {"s2", "De stad telde ooit 80 duizend inwoners."}}
	plain, err := complete(t, s, translateRequest(t, segs...))
	if err != nil {
		t.Fatal(err)
	}

	req := translateRequest(t, segs...)
	req.StreamOptions = &openai.StreamOptions{IncludeUsage: true}
	stream, err := s.Client().CreateChatCompletionStream(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	defer stream.Close()
	if got := stream.Header().Get("Content-Type"); !strings.HasPrefix(got, "text/event-stream") {
		t.Errorf("Content-Type: got %q", got)
	}
	var content strings.Builder
	var finish openai.FinishReason
	var usage *openai.Usage
	chunks := 0
	for {
		ch, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		chunks++
		if ch.Object != "chat.completion.chunk" || !strings.HasPrefix(ch.ID, "chatcmpl-") {
			t.Errorf("chunk %d: object %q id %q", chunks, ch.Object, ch.ID)
		}
		if ch.Usage != nil {
			usage = ch.Usage
			if len(ch.Choices) != 0 {
				t.Errorf("usage chunk has %d choices, want 0", len(ch.Choices))
			}
			continue
		}
		content.WriteString(ch.Choices[0].Delta.Content)
		if ch.Choices[0].FinishReason != "" {
			finish = ch.Choices[0].FinishReason
		}
	}
	if got, want := content.String(), plain.Choices[0].Message.Content; got != want {
		t.Errorf("streamed content:\ngot  %s\nwant %s", got, want)
	}
	if chunks < 4 || finish != openai.FinishReasonStop {
		t.Errorf("got %d chunks, finish %q; want several and stop", chunks, finish)
	}
	if usage == nil || usage.CompletionTokens != plain.Usage.CompletionTokens || usage.PromptTokens != plain.Usage.PromptTokens {
		t.Errorf("usage: got %+v, want %+v", usage, plain.Usage)
	}
}

func TestStreamFaults(t *testing.T) {
	tests := []struct {
		fault   openaitest.Fault
		refusal bool
		wantErr bool
		finish  openai.FinishReason
	}{
		{fault: openaitest.Refusal(), refusal: true, finish: openai.FinishReasonStop},
		{fault: openaitest.Truncated(), finish: openai.FinishReasonLength},
		{fault: openaitest.TruncatedBody()},
	}
	for _, tt := range tests {
		t.Run(tt.fault.String(), func(t *testing.T) {
			s := openaitest.New(t)
			s.Script(openaitest.KindAny, tt.fault)
			stream, err := s.Client().CreateChatCompletionStream(context.Background(), translateRequest(t, threeSegs...))
			if err != nil {
				t.Fatal(err)
			}
			defer stream.Close()
			var content, refusal strings.Builder
			var finish openai.FinishReason
			for {
				ch, err := stream.Recv()
				if err != nil {
					if !errors.Is(err, io.EOF) {
						t.Fatal(err)
					}
					break
				}
				content.WriteString(ch.Choices[0].Delta.Content)
				refusal.WriteString(ch.Choices[0].Delta.Refusal)
				if ch.Choices[0].FinishReason != "" {
					finish = ch.Choices[0].FinishReason
				}
			}
			if got := refusal.Len() > 0; got != tt.refusal {
				t.Errorf("refusal %q, want refusal %v", refusal.String(), tt.refusal)
			}
			if finish != tt.finish {
				t.Errorf("finish: got %q, want %q", finish, tt.finish)
			}
			if !tt.refusal && json.Valid([]byte(content.String())) {
				t.Errorf("content %q is complete JSON, want it cut", content.String())
			}
		})
	}
}

func TestRateLimit(t *testing.T) {
	const window = 150 * time.Millisecond
	s := openaitest.New(t, openaitest.WithRateLimit(2, 0), openaitest.WithRateWindow(window))
	c := s.Client()
	req := translateRequest(t, threeSegs...)
	for i := range 2 {
		resp, err := c.CreateChatCompletion(context.Background(), req)
		if err != nil {
			t.Fatal(err)
		}
		rl := resp.GetRateLimitHeaders()
		if rl.LimitRequests != 2 || rl.RemainingRequests != 1-i || rl.ResetRequests.String() == "" {
			t.Errorf("request %d: rate limit headers %+v", i, rl)
		}
	}

	// Over the limit: read the raw response for the headers.
	body, _ := json.Marshal(req)
	hreq, _ := http.NewRequest(http.MethodPost, s.BaseURL()+"/chat/completions", bytes.NewReader(body))
	hreq.Header.Set("Authorization", "Bearer test-key")
	hresp, err := http.DefaultClient.Do(hreq)
	if err != nil {
		t.Fatal(err)
	}
	var e openai.ErrorResponse
	_ = json.NewDecoder(hresp.Body).Decode(&e)
	hresp.Body.Close()
	if hresp.StatusCode != 429 || e.Error == nil || e.Error.Code != "rate_limit_exceeded" || e.Error.Type != "requests" {
		t.Fatalf("got %d %+v, want 429 rate_limit_exceeded", hresp.StatusCode, e.Error)
	}
	ms, err := strconv.Atoi(hresp.Header.Get("retry-after-ms"))
	if err != nil || ms <= 0 || ms > int(window/time.Millisecond) {
		t.Errorf("retry-after-ms: got %q, want 1..%d", hresp.Header.Get("retry-after-ms"), window/time.Millisecond)
	}
	for _, h := range []string{"retry-after", "x-ratelimit-limit-requests", "x-ratelimit-remaining-requests", "x-ratelimit-reset-requests"} {
		if hresp.Header.Get(h) == "" {
			t.Errorf("header %s missing", h)
		}
	}
	if got := hresp.Header.Get("x-ratelimit-remaining-requests"); got != "0" {
		t.Errorf("x-ratelimit-remaining-requests: got %q, want 0", got)
	}

	time.Sleep(time.Duration(ms) * time.Millisecond)
	if _, err := c.CreateChatCompletion(context.Background(), req); err != nil {
		t.Errorf("after retry-after-ms: %v", err)
	}
}

func TestTokenRateLimit(t *testing.T) {
	req := translateRequest(t, threeSegs...)
	req.MaxCompletionTokens = 100
	s := openaitest.New(t, openaitest.WithRateLimit(0, 500), openaitest.WithRateWindow(time.Minute))
	c := s.Client()
	resp, err := c.CreateChatCompletion(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	rl := resp.GetRateLimitHeaders()
	if rl.LimitTokens != 500 || rl.RemainingTokens != 500-(resp.Usage.PromptTokens+100) {
		t.Errorf("token headers %+v, prompt tokens %d", rl, resp.Usage.PromptTokens)
	}
	for {
		_, err = c.CreateChatCompletion(context.Background(), req)
		if err != nil {
			break
		}
	}
	var apiErr *openai.APIError
	if !errors.As(err, &apiErr) || apiErr.HTTPStatusCode != 429 || apiErr.Type != "tokens" {
		t.Errorf("got %v, want 429 of type tokens", err)
	}

	req.MaxCompletionTokens = 1000
	_, err = c.CreateChatCompletion(context.Background(), req)
	if !errors.As(err, &apiErr) || apiErr.HTTPStatusCode != 429 || !strings.HasPrefix(apiErr.Message, "Request too large") {
		t.Errorf("got %v, want 429 Request too large", err)
	}
}

func TestLatency(t *testing.T) {
	s := openaitest.New(t, openaitest.WithLatency(30*time.Millisecond, time.Millisecond))
	start := time.Now()
	resp, err := complete(t, s, translateRequest(t, threeSegs[:1]...))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := time.Since(start), 30*time.Millisecond+time.Duration(resp.Usage.CompletionTokens)*time.Millisecond; got < want {
		t.Errorf("took %v, want at least %v", got, want)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	if _, err := s.Client().CreateChatCompletion(ctx, translateRequest(t, threeSegs...)); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("got %v, want context.DeadlineExceeded", err)
	}
}

func TestFaultRate(t *testing.T) {
	run := func() []int {
		s := openaitest.New(t, openaitest.WithFaultRate(0.5, 42))
		c := s.Client()
		req := translateRequest(t, threeSegs[:1]...)
		for range 40 {
			_, err := c.CreateChatCompletion(context.Background(), req)
			var apiErr *openai.APIError
			if err != nil && !errors.As(err, &apiErr) {
				// A reset connection: a transport error, not an API error.
				continue
			}
			if apiErr != nil && !slices.Contains([]int{429, 500, 502, 503}, apiErr.HTTPStatusCode) {
				t.Errorf("got %v, want a transient fault", err)
			}
		}
		var statuses []int
		for _, r := range s.Requests() {
			statuses = append(statuses, r.Status)
		}
		return statuses
	}
	first := run()
	if n := slices.Index(first, 200); n < 0 || !slices.ContainsFunc(first, func(st int) bool { return st != 200 }) {
		t.Errorf("statuses %v: want both successes and faults", first)
	}
	if second := run(); !slices.Equal(first, second) {
		t.Errorf("same seed, different faults:\n%v\n%v", first, second)
	}
}

func TestCloseReleasesHang(t *testing.T) {
	s := openaitest.NewServer()
	s.Script(openaitest.KindAny, openaitest.Hang())
	errc := make(chan error, 1)
	go func() {
		_, err := s.Client().CreateChatCompletion(context.Background(), translateRequest(t, threeSegs...))
		errc <- err
	}()
	for s.Pending() > 0 {
		time.Sleep(time.Millisecond)
	}
	done := make(chan struct{})
	go func() { s.Close(); close(done) }()
	select {
	case <-done:
	case <-time.After(2 * time.Second):
		t.Fatal("Close blocked on a hanging request")
	}
	if err := <-errc; err == nil {
		t.Error("hanging request succeeded, want an error")
	}
	s.Close()
}
