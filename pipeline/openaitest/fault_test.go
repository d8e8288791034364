package openaitest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sashabaranov/go-openai"

	"github.com/nl2en/nl2en/pipeline/openaitest"
)

func TestErrorFaults(t *testing.T) {
	tests := []struct {
		fault  openaitest.Fault
		status int
		// For an *openai.APIError; requestError wants an *openai.RequestError.
		code         any
		typ, param   string
		requestError bool
	}{
		{fault: openaitest.RateLimited(150 * time.Millisecond), status: 429, code: "rate_limit_exceeded", typ: "requests"},
		{fault: openaitest.HTTPError(429), status: 429, code: "rate_limit_exceeded", typ: "requests"},
		{fault: openaitest.QuotaExceeded(), status: 429, code: "insufficient_quota", typ: "insufficient_quota"},
		{fault: openaitest.KeyEchoed(), status: 401, code: "invalid_api_key", typ: "invalid_request_error"},
		{fault: openaitest.HTTPError(500), status: 500, typ: "server_error"},
		{fault: openaitest.HTTPError(502), status: 502, typ: "server_error"},
		{fault: openaitest.HTTPError(503), status: 503, typ: "server_error"},
		{fault: openaitest.HTTPError(504), status: 504, typ: "server_error"},
		{fault: openaitest.HTTPError(408), status: 408, typ: "timeout"},
		{fault: openaitest.HTTPError(409), status: 409, typ: "server_error"},
		{fault: openaitest.HTTPError(400), status: 400, typ: "invalid_request_error"},
		{fault: openaitest.ContextLengthExceeded(128000), status: 400, code: "context_length_exceeded", typ: "invalid_request_error", param: "messages"},
		{fault: openaitest.ResponseFormatUnsupported(), status: 400, typ: "invalid_request_error", param: "response_format"},
		{fault: openaitest.RequestTooLarge(413), status: 413, code: "request_too_large", typ: "invalid_request_error"},
		{fault: openaitest.RequestTooLarge(400), status: 400, code: "request_too_large", typ: "invalid_request_error"},
		{fault: openaitest.RequestTooLarge(429), status: 429, code: "rate_limit_exceeded", typ: "tokens"},
		{fault: openaitest.OpenAIError(418, "teapot", "short_and_stout", "I'm a teapot."), status: 418, code: "short_and_stout", typ: "teapot"},
		{fault: openaitest.AzureRateLimited(2 * time.Second), status: 429, code: "429"},
		{fault: openaitest.LMStudioError(400, "Model does not support response_format json_schema"), status: 400, requestError: true},
		{fault: openaitest.HTMLError(502), status: 502, requestError: true},
		{fault: openaitest.RawResponse(503, "text/plain", "upstream connect error"), status: 503, requestError: true},
	}
	for _, tt := range tests {
		t.Run(tt.fault.String(), func(t *testing.T) {
			s := openaitest.New(t)
			s.Script(openaitest.KindTranslate, tt.fault)
			_, err := complete(t, s, translateRequest(t, threeSegs...))
			if tt.requestError {
				var reqErr *openai.RequestError
				if !errors.As(err, &reqErr) {
					t.Fatalf("got %T %v, want *openai.RequestError", err, err)
				}
				if reqErr.HTTPStatusCode != tt.status {
					t.Errorf("status: got %d, want %d", reqErr.HTTPStatusCode, tt.status)
				}
				return
			}
			var apiErr *openai.APIError
			if !errors.As(err, &apiErr) {
				t.Fatalf("got %T %v, want *openai.APIError", err, err)
			}
			param := ""
			if apiErr.Param != nil {
				param = *apiErr.Param
			}
			if tt.code == nil {
				// go-openai decodes "code": null as the int 0.
				tt.code = 0
			}
			if apiErr.HTTPStatusCode != tt.status || apiErr.Code != tt.code || apiErr.Type != tt.typ || param != tt.param || apiErr.Message == "" {
				t.Errorf("got status %d code %#v type %q param %q message %q,\nwant status %d code %#v type %q param %q",
					apiErr.HTTPStatusCode, apiErr.Code, apiErr.Type, param, apiErr.Message, tt.status, tt.code, tt.typ, tt.param)
			}
			// The fault is used up: the next request succeeds.
			if _, err := complete(t, s, translateRequest(t, threeSegs...)); err != nil {
				t.Errorf("next request: %v", err)
			}
		})
	}
}

func TestFaultHeaders(t *testing.T) {
	tests := []struct {
		fault openaitest.Fault
		want  map[string]string
	}{
		{openaitest.RateLimited(150 * time.Millisecond), map[string]string{"retry-after-ms": "150", "retry-after": "1", "x-ratelimit-remaining-requests": "0", "x-ratelimit-reset-requests": "150ms"}},
		{openaitest.RateLimited(0), map[string]string{"retry-after-ms": "", "retry-after": ""}},
		{openaitest.AzureRateLimited(1500 * time.Millisecond), map[string]string{"retry-after": "2", "retry-after-ms": "1500"}},
		{openaitest.HTMLError(502), map[string]string{"content-type": "text/html"}},
		{openaitest.HTTPError(500), map[string]string{"content-type": "application/json"}},
	}
	for _, tt := range tests {
		t.Run(tt.fault.String(), func(t *testing.T) {
			s := openaitest.New(t)
			s.Script(openaitest.KindAny, tt.fault)
			body, _ := json.Marshal(translateRequest(t, threeSegs...))
			req, _ := http.NewRequest(http.MethodPost, s.BaseURL()+"/chat/completions", bytes.NewReader(body))
			req.Header.Set("Authorization", "Bearer test-key")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			for k, want := range tt.want {
				if got := resp.Header.Get(k); got != want {
					t.Errorf("%s: got %q, want %q", k, got, want)
				}
			}
			if resp.Header.Get("x-request-id") == "" {
				t.Error("x-request-id missing on an error")
			}
		})
	}
}

func TestErrorBodies(t *testing.T) {
	tests := []struct {
		fault openaitest.Fault
		want  string
	}{
		{openaitest.LMStudioError(400, "bad"), `{"error":"bad"}`},
		{openaitest.OpenAIError(500, "server_error", "", "oops"), `{"error":{"message":"oops","type":"server_error","param":null,"code":null}}`},
		{openaitest.KeyEchoed(), `{"error":{"message":"Incorrect API key provided: test-key. You can find your API key at https://platform.openai.com/account/api-keys.","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}`},
		{openaitest.ContextLengthExceeded(100), `{"error":{"message":"This model's maximum context length is 100 tokens. However, your messages resulted in 101 tokens. Please reduce the length of the messages.","type":"invalid_request_error","param":"messages","code":"context_length_exceeded"}}`},
	}
	for _, tt := range tests {
		t.Run(tt.fault.String(), func(t *testing.T) {
			s := openaitest.New(t)
			s.Script(openaitest.KindAny, tt.fault)
			req := translateRequest(t)
			req.Messages = req.Messages[:1]
			body, _ := json.Marshal(req)
			hreq, _ := http.NewRequest(http.MethodPost, s.BaseURL()+"/chat/completions", bytes.NewReader(body))
			hreq.Header.Set("Authorization", "Bearer test-key")
			resp, err := http.DefaultClient.Do(hreq)
			if err != nil {
				t.Fatal(err)
			}
			got, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if string(got) != tt.want {
				t.Errorf("body:\ngot  %s\nwant %s", got, tt.want)
			}
		})
	}
}

func TestConnectionFaults(t *testing.T) {
	t.Run("Reset", func(t *testing.T) {
		s := openaitest.New(t)
		s.Script(openaitest.KindAny, openaitest.Reset())
		_, err := complete(t, s, translateRequest(t, threeSegs...))
		var urlErr *url.Error
		var apiErr *openai.APIError
		var reqErr *openai.RequestError
		if !errors.As(err, &urlErr) || errors.As(err, &apiErr) || errors.As(err, &reqErr) {
			t.Fatalf("got %T %v, want a transport error (*url.Error)", err, err)
		}
		if r := s.Requests()[0]; r.Status != 0 || r.Fault != "Reset()" {
			t.Errorf("recorded status %d fault %q, want 0 Reset()", r.Status, r.Fault)
		}
	})
	t.Run("TruncatedBody", func(t *testing.T) {
		s := openaitest.New(t)
		s.Script(openaitest.KindAny, openaitest.TruncatedBody())
		_, err := complete(t, s, translateRequest(t, threeSegs...))
		if !errors.Is(err, io.ErrUnexpectedEOF) {
			t.Fatalf("got %T %v, want io.ErrUnexpectedEOF", err, err)
		}
	})
	t.Run("Hang", func(t *testing.T) {
		s := openaitest.New(t)
		s.Script(openaitest.KindAny, openaitest.Hang())
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
		defer cancel()
		_, err := s.Client().CreateChatCompletion(ctx, translateRequest(t, threeSegs...))
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("got %v, want context.DeadlineExceeded", err)
		}
		if _, err := complete(t, s, translateRequest(t, threeSegs...)); err != nil {
			t.Errorf("after the hang: %v", err)
		}
	})
}

func TestContentFaults(t *testing.T) {
	sources := map[string]string{}
	for _, s := range threeSegs {
		sources[s.ID] = s.Text
	}
	tests := []struct {
		fault openaitest.Fault
		check func(t *testing.T, msg openai.ChatCompletionMessage, finish openai.FinishReason)
	}{
		{openaitest.InvalidJSONContent(), func(t *testing.T, msg openai.ChatCompletionMessage, _ openai.FinishReason) {
			if json.Valid([]byte(msg.Content)) || !strings.Contains(msg.Content, `"segments"`) {
				t.Errorf("content %s: want invalid JSON", msg.Content)
			}
		}},
		{openaitest.Fenced(), func(t *testing.T, msg openai.ChatCompletionMessage, _ openai.FinishReason) {
			inner, ok := strings.CutPrefix(msg.Content, "```json\n")
			inner, ok2 := strings.CutSuffix(inner, "\n```")
			if !ok || !ok2 || len(segsOf(t, inner)) != 3 {
				t.Errorf("content %q: want three segments in a json fence", msg.Content)
			}
		}},
		{openaitest.Chatter(), func(t *testing.T, msg openai.ChatCompletionMessage, _ openai.FinishReason) {
			i, j := strings.Index(msg.Content, "{"), strings.LastIndex(msg.Content, "}")
			if i <= 0 || j == len(msg.Content)-1 || len(segsOf(t, msg.Content[i:j+1])) != 3 {
				t.Errorf("content %q: want text around the JSON", msg.Content)
			}
		}},
		{openaitest.MissingSegment(), wantIDs("s2", "s3")},
		{openaitest.MissingSegment("s2", "s3"), wantIDs("s1")},
		{openaitest.DuplicateSegment("s2"), wantIDs("s1", "s2", "s2", "s3")},
		{openaitest.ReorderSegments(), wantIDs("s3", "s2", "s1")},
		{openaitest.UnknownSegment(""), wantIDs("s1", "s2", "s3", "s999")},
		{openaitest.UnknownSegment("x7"), wantIDs("s1", "s2", "s3", "x7")},
		{openaitest.EmptyText("s3"), func(t *testing.T, msg openai.ChatCompletionMessage, _ openai.FinishReason) {
			segs := segsOf(t, msg.Content)
			if len(segs) != 3 || segs[2].Text != "" || segs[0].Text == "" {
				t.Errorf("got %v, want s3 empty", segs)
			}
		}},
		{openaitest.Untranslated(), func(t *testing.T, msg openai.ChatCompletionMessage, _ openai.FinishReason) {
			for _, s := range segsOf(t, msg.Content) {
				if s.Text != sources[s.ID] {
					t.Errorf("%s: got %q, want the Dutch source", s.ID, s.Text)
				}
			}
		}},
		{openaitest.Untranslated("s2"), func(t *testing.T, msg openai.ChatCompletionMessage, _ openai.FinishReason) {
			segs := segsOf(t, msg.Content)
			if segs[1].Text != sources["s2"] || segs[0].Text == sources["s1"] {
				t.Errorf("got %v, want only s2 untranslated", segs)
			}
		}},
		{openaitest.Refusal(), func(t *testing.T, msg openai.ChatCompletionMessage, finish openai.FinishReason) {
			if msg.Refusal == "" || msg.Content != "" || finish != openai.FinishReasonStop {
				t.Errorf("got content %q refusal %q finish %q, want a refusal", msg.Content, msg.Refusal, finish)
			}
		}},
		{openaitest.Truncated(), func(t *testing.T, msg openai.ChatCompletionMessage, finish openai.FinishReason) {
			if json.Valid([]byte(msg.Content)) || !strings.HasPrefix(msg.Content, `{"segments":[`) || finish != openai.FinishReasonLength {
				t.Errorf("got content %q finish %q, want JSON cut off and length", msg.Content, finish)
			}
		}},
		{openaitest.ReplaceContent("Ik vertaal dit niet."), func(t *testing.T, msg openai.ChatCompletionMessage, _ openai.FinishReason) {
			if msg.Content != "Ik vertaal dit niet." {
				t.Errorf("got %q", msg.Content)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.fault.String(), func(t *testing.T) {
			s := openaitest.New(t)
			s.Script(openaitest.KindTranslate, tt.fault)
			resp, err := complete(t, s, translateRequest(t, threeSegs...))
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, resp.Choices[0].Message, resp.Choices[0].FinishReason)
			if resp.Usage.CompletionTokens != openaitest.EstimateTokens(resp.Choices[0].Message.Content+resp.Choices[0].Message.Refusal) {
				t.Errorf("completion_tokens %d do not count the content sent", resp.Usage.CompletionTokens)
			}
		})
	}
}

func wantIDs(ids ...string) func(*testing.T, openai.ChatCompletionMessage, openai.FinishReason) {
	return func(t *testing.T, msg openai.ChatCompletionMessage, _ openai.FinishReason) {
		t.Helper()
		if got := idsOf(segsOf(t, msg.Content)); !slices.Equal(got, ids) {
			t.Errorf("ids: got %v, want %v", got, ids)
		}
	}
}

func TestRefusalWire(t *testing.T) {
	s := openaitest.New(t)
	s.Script(openaitest.KindAny, openaitest.Refusal())
	body, _ := json.Marshal(translateRequest(t, threeSegs...))
	req, _ := http.NewRequest(http.MethodPost, s.BaseURL()+"/chat/completions", bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer test-key")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var raw struct {
		Choices []struct {
			Message map[string]json.RawMessage `json:"message"`
		} `json:"choices"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&raw); err != nil {
		t.Fatal(err)
	}
	if got := string(raw.Choices[0].Message["content"]); got != "null" {
		t.Errorf("content: got %s, want null", got)
	}
}

func TestScript(t *testing.T) {
	s := openaitest.New(t)
	s.Script(openaitest.KindSummary, openaitest.HTTPError(500))
	s.Script(openaitest.KindAny, openaitest.HTTPError(502), openaitest.Fenced())
	status := func(err error) int {
		var apiErr *openai.APIError
		if errors.As(err, &apiErr) {
			return apiErr.HTTPStatusCode
		}
		if err != nil {
			t.Fatalf("got %v", err)
		}
		return 200
	}
	steps := []struct {
		req  openai.ChatCompletionRequest
		want int
	}{
		{translateRequest(t, threeSegs...), 502}, // the summary fault is skipped
		{summaryRequest(t, "Tekst."), 500},
		{translateRequest(t, threeSegs...), 200}, // Fenced
		{translateRequest(t, threeSegs...), 200},
	}
	for i, st := range steps {
		_, err := complete(t, s, st.req)
		if got := status(err); got != st.want {
			t.Errorf("step %d: got %d, want %d", i, got, st.want)
		}
	}
	var faults []string
	for _, r := range s.Requests() {
		faults = append(faults, r.Fault)
	}
	if want := []string{"HTTPError(502)", "HTTPError(500)", "Fenced()", ""}; !slices.Equal(faults, want) {
		t.Errorf("faults served: got %q, want %q", faults, want)
	}
	if got := s.Pending(); got != 0 {
		t.Errorf("Pending: got %d, want 0", got)
	}
}
