package translate_test

import (
	"context"
	"strings"
	"testing"
	"time"

	openai "github.com/sashabaranov/go-openai"

	"github.com/nl2en/nl2en/pipeline/llm"
	"github.com/nl2en/nl2en/pipeline/openaitest"
	"github.com/nl2en/nl2en/pipeline/translate"
)

func TestServedModel(t *testing.T) {
	srv := openaitest.New(t, openaitest.WithTranslations(openaitest.SampleTranslations()),
		openaitest.WithServedModel("gpt-4.1-mini", "gpt-4.1-mini-2025-04-14"))
	tr := newTranslator(t, srv, nil)
	res, err := tr.Translate(context.Background(), readArticle(t, "../../samples/bachmoet.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if res.Model != "gpt-4.1-mini" || res.ServedModel != "gpt-4.1-mini-2025-04-14" {
		t.Errorf("model, served model: got %q, %q; want gpt-4.1-mini, gpt-4.1-mini-2025-04-14", res.Model, res.ServedModel)
	}
}

func TestWindow(t *testing.T) {
	srv := openaitest.New(t)
	tests := []struct {
		budget int
	}{{200}, {800}, {3000}}
	var last translate.Window
	for _, tt := range tests {
		w := newTranslator(t, srv, func(c *translate.Config) { c.TokenBudget = tt.budget }).Window()
		// A translation request holds at most the budget of source, and
		// its reply allowance is 1.5 times that: with the prompt, between
		// 2.5 and 4 times the budget plus the system prompt.
		if w.Translate < tt.budget*5/2 || w.Translate > tt.budget*4+2000 {
			t.Errorf("budget %d: translation window %d, want between %d and %d", tt.budget, w.Translate, tt.budget*5/2, tt.budget*4+2000)
		}
		if w.Translate <= last.Translate {
			t.Errorf("budget %d: translation window %d not above %d of a smaller budget", tt.budget, w.Translate, last.Translate)
		}
		if w.SummaryInput != 12000 || w.Summary < w.SummaryInput || w.Summary > w.SummaryInput+2000 {
			t.Errorf("budget %d: summary window %d for input %d", tt.budget, w.Summary, w.SummaryInput)
		}
		last = w
	}
	if n := srv.Count(openaitest.KindAny); n != 0 {
		t.Errorf("Window sent %d requests", n)
	}
}

func TestTrial(t *testing.T) {
	tests := []struct {
		name     string
		opts     []openaitest.Option
		fault    *openaitest.Fault
		wantErr  string // in the error, "" for none
		wantKind llm.Kind
	}{
		{"structured output", nil, nil, "", 0},
		{"json_schema rejected", []openaitest.Option{openaitest.WithResponseFormats("json_object", "text")}, nil, "structured output", llm.KindResponseFormat},
		{"chatter around the JSON", nil, ptr(openaitest.Chatter()), "", 0},
		{"not JSON", nil, ptr(openaitest.ReplaceContent("Good morning! How can I help?")), "not the JSON asked for", 0},
		{"cut off", nil, ptr(openaitest.Truncated()), "length limit", 0},
		{"refused", nil, ptr(openaitest.Refusal()), "refused", 0},
		{"s1 missing", nil, ptr(openaitest.MissingSegment("s1")), "segment s1", 0},
		{"s1 empty", nil, ptr(openaitest.EmptyText("s1")), "segment s1", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := openaitest.New(t, tt.opts...)
			if tt.fault != nil {
				srv.Script(openaitest.KindTranslate, *tt.fault)
			}
			tr := newTranslator(t, srv, nil)
			req := tr.TrialRequest()
			if req.ResponseFormat == nil || req.ResponseFormat.JSONSchema == nil || !req.ResponseFormat.JSONSchema.Strict {
				t.Fatalf("response format: got %+v, want strict json_schema", req.ResponseFormat)
			}
			client := llm.NewClient(llm.Config{APIKey: "test-key", BaseURL: srv.BaseURL(), Timeout: 5 * time.Second})
			resp, err := client.CreateChatCompletion(context.Background(), req)
			var en string
			if err == nil {
				en, err = translate.TrialReply(resp)
			} else {
				err = llm.Classify(err, srv.BaseURL(), req.Model)
			}
			if tt.wantErr == "" {
				if err != nil || en == "" {
					t.Fatalf("got %q, %v; want English", en, err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("got %q, %v; want an error about %q", en, err, tt.wantErr)
			}
			if tt.wantKind != 0 && !llm.IsKind(err, tt.wantKind) {
				t.Errorf("got %v, want kind %d", err, tt.wantKind)
			}
			if reqs := srv.Requests(); len(reqs) != 1 || reqs[0].Kind != openaitest.KindTranslate {
				t.Errorf("requests: got %d, want one translation request", len(reqs))
			}
		})
	}
	if _, err := translate.TrialReply(openai.ChatCompletionResponse{}); err == nil {
		t.Error("a reply without choices passed")
	}
}

func ptr[T any](v T) *T { return &v }
