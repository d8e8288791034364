package openaitest_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/sashabaranov/go-openai"

	"github.com/nl2en/nl2en/pipeline/openaitest"
)

// segmentsSchema is the strict schema nl2en sends for a reply with segments.
var segmentsSchema = json.RawMessage(`{
	"type": "object",
	"properties": {
		"segments": {
			"type": "array",
			"items": {
				"type": "object",
				"properties": {"id": {"type": "string"}, "text": {"type": "string"}},
				"required": ["id", "text"],
				"additionalProperties": false
			}
		}
	},
	"required": ["segments"],
	"additionalProperties": false
}`)

var summarySchema = json.RawMessage(`{
	"type": "object",
	"properties": {
		"title": {"type": "string"},
		"summary": {"type": "string"},
		"key_points": {"type": "array", "items": {"type": "string"}}
	},
	"required": ["title", "summary", "key_points"],
	"additionalProperties": false
}`)

type seg struct {
	ID   string `json:"id"`
	Text string `json:"text"`
}

func userJSON(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// translateRequest builds a translation request as nl2en sends it.
func translateRequest(t testing.TB, segs ...seg) openai.ChatCompletionRequest {
	t.Helper()
	return openai.ChatCompletionRequest{
		Model: "gpt-4.1-mini",
		Messages: []openai.ChatCompletionMessage{
			{Role: openai.ChatMessageRoleSystem, Content: "You are a professional news translator."},
			{Role: openai.ChatMessageRoleUser, Content: userJSON(t, map[string]any{"context": "Een artikel.", "segments": segs})},
		},
		ResponseFormat: jsonSchema("translation", segmentsSchema),
	}
}

func summaryRequest(t testing.TB, article string) openai.ChatCompletionRequest {
	t.Helper()
	return openai.ChatCompletionRequest{
		Model: "gpt-4.1-mini",
		Messages: []openai.ChatCompletionMessage{
			{Role: openai.ChatMessageRoleSystem, Content: "You are a news editor."},
			{Role: openai.ChatMessageRoleUser, Content: userJSON(t, map[string]string{"article": article})},
		},
		ResponseFormat: jsonSchema("summary", summarySchema),
	}
}

func jsonSchema(name string, schema json.RawMessage) *openai.ChatCompletionResponseFormat {
	return &openai.ChatCompletionResponseFormat{
		Type:       openai.ChatCompletionResponseFormatTypeJSONSchema,
		JSONSchema: &openai.ChatCompletionResponseFormatJSONSchema{Name: name, Strict: true, Schema: schema},
	}
}

var threeSegs = []seg{
	{"s1", "Het Russische leger rukt op."},
	{"s2", "De stad telde ooit 80 duizend inwoners."},
	{"s3", "Meer nieuws is er niet."},
}

func segsOf(t testing.TB, content string) []seg {
	t.Helper()
	var reply struct {
		Segments []seg `json:"segments"`
	}
	if err := json.Unmarshal([]byte(content), &reply); err != nil {
		t.Fatalf("reply content %q: %v", content, err)
	}
	return reply.Segments
}

func idsOf(segs []seg) []string {
	ids := []string{}
	for _, s := range segs {
		ids = append(ids, s.ID)
	}
	return ids
}

func complete(t testing.TB, s *openaitest.Server, req openai.ChatCompletionRequest) (openai.ChatCompletionResponse, error) {
	t.Helper()
	return s.Client().CreateChatCompletion(context.Background(), req)
}
