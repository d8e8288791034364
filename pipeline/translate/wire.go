package translate

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	openai "github.com/sashabaranov/go-openai"

	"github.com/nl2en/nl2en/pipeline"
	"github.com/nl2en/nl2en/pipeline/check"
)

// item is one segment on the wire, as it is sent.
type item struct {
	ID   string `json:"id"`
	Text string `json:"text"`
}

// replyItem is one segment as a reply gives it: its English, and the
// names the English renders.
type replyItem struct {
	ID    string     `json:"id"`
	Text  string     `json:"text"`
	Names []wireName `json:"names"`
}

// wireName is a name as a reply lists it: its Dutch form and the English
// form the reply wrote.
type wireName struct {
	NL string `json:"nl"`
	EN string `json:"en"`
}

// story is what a batch needs to know of the whole article: its headline
// and lead sentence, in Dutch as they stand, so that a model translating
// paragraph seven knows who is who. Like the context, it comes from the
// source only.
type story struct {
	Headline string `json:"headline,omitempty"`
	Lead     string `json:"lead,omitempty"`
}

// context is the Dutch text around a batch, so that a batch that starts
// mid-article still reads its first sentence right. It comes from the
// source only, never from another batch's output, so batches stay
// independent.
type batchContext struct {
	Before string `json:"before,omitempty"`
	After  string `json:"after,omitempty"`
}

// glossaryLines writes entries as the request carries them, one
// "Dutch = English" line each: a third of the tokens of JSON objects.
// An entry that maps a term to itself (Kremlin, Kyiv) tells the model
// nothing and is left out; the checks still know it.
func glossaryLines(entries []check.Entry) string {
	var b strings.Builder
	for _, e := range entries {
		if strings.EqualFold(e.Source, e.Target) {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Source + " = " + e.Target)
	}
	return b.String()
}

// nameLines writes names as the request carries them, "Dutch = English"
// lines, as glossaryLines writes the glossary; a name kept as it is in
// Dutch tells the model nothing and is left out.
func nameLines(ns []pipeline.Name) string {
	var b strings.Builder
	for _, n := range ns {
		if n.Dutch == n.English {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(n.Dutch + " = " + n.English)
	}
	return b.String()
}

// styleLines writes the house style's lines a request carries: "per
// cent, not percent".
func styleLines(ls []check.StyleLine) string {
	var b strings.Builder
	for _, l := range ls {
		if b.Len() > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(l.Prefer + ", not " + l.Avoid)
	}
	return b.String()
}

// translationInput is the user message of a translation or repair request.
type translationInput struct {
	Story    *story            `json:"story,omitempty"`
	Context  *batchContext     `json:"context,omitempty"`
	Glossary string            `json:"glossary,omitempty"` // "Dutch = English" lines
	Names    string            `json:"names,omitempty"`    // "Dutch = English" lines
	Style    string            `json:"style,omitempty"`    // "prefer, not avoid" lines
	Problems map[string]string `json:"problems,omitempty"`
	Segments []item            `json:"segments"`
}

type translationOutput struct {
	Segments []replyItem `json:"segments"`
}

// schema is a JSON Schema written out by hand: go-openai's generator leaves
// omitempty fields out of "required", which strict mode rejects.
type schema map[string]any

func (s schema) MarshalJSON() ([]byte, error) { return json.Marshal(map[string]any(s)) }

// translationSchema is the reply's shape. The ids are not listed in it:
// OpenAI bills the schema as prompt tokens on every request, and every id
// is checked on arrival anyway.
func translationSchema() schema {
	idSchema := map[string]any{"type": "string"}
	str := map[string]any{"type": "string"}
	return schema{
		"type": "object",
		"properties": map[string]any{
			"segments": map[string]any{
				"type": "array",
				"items": map[string]any{
					"type": "object",
					"properties": map[string]any{
						"id":   idSchema,
						"text": str,
						"names": map[string]any{
							"type": "array",
							"items": map[string]any{
								"type":                 "object",
								"properties":           map[string]any{"nl": str, "en": str},
								"required":             []string{"nl", "en"},
								"additionalProperties": false,
							},
						},
					},
					"required":             []string{"id", "text", "names"},
					"additionalProperties": false,
				},
			},
		},
		"required":             []string{"segments"},
		"additionalProperties": false,
	}
}

var summarySchema = schema{
	"type": "object",
	"properties": map[string]any{
		"title":      map[string]any{"type": "string"},
		"summary":    map[string]any{"type": "string"},
		"key_points": map[string]any{"type": "array", "items": map[string]any{"type": "string"}},
	},
	"required":             []string{"title", "summary", "key_points"},
	"additionalProperties": false,
}

// Mode is how a reply is asked to be JSON.
type Mode int32

const (
	ModeJSONSchema Mode = iota // response_format json_schema, strict
	ModeJSONObject             // response_format json_object
	ModePrompt                 // no response_format: the prompt asks for JSON
)

func (m Mode) String() string {
	switch m {
	case ModeJSONSchema:
		return "json_schema"
	case ModeJSONObject:
		return "json_object"
	}
	return "prompt-only JSON"
}

func responseFormat(m Mode, name string, s schema) *openai.ChatCompletionResponseFormat {
	switch m {
	case ModeJSONSchema:
		return &openai.ChatCompletionResponseFormat{
			Type: openai.ChatCompletionResponseFormatTypeJSONSchema,
			JSONSchema: &openai.ChatCompletionResponseFormatJSONSchema{
				Name: name, Schema: s, Strict: true,
			},
		}
	case ModeJSONObject:
		return &openai.ChatCompletionResponseFormat{Type: openai.ChatCompletionResponseFormatTypeJSONObject}
	}
	return nil
}

// errNoJSON is a reply with no JSON object in it.
var errNoJSON = errors.New("reply holds no JSON object")

// decodeReply parses the JSON object in a reply's content, tolerating what
// models wrap around it: code fences, a sentence before or after.
func decodeReply(content string, v any) error {
	s := strings.TrimSpace(content)
	start := strings.IndexByte(s, '{')
	if start < 0 {
		return errNoJSON
	}
	dec := json.NewDecoder(strings.NewReader(s[start:]))
	if err := dec.Decode(v); err != nil {
		// A fence or chatter may sit inside; try the widest {...} span.
		end := strings.LastIndexByte(s, '}')
		if end > start {
			if err2 := json.Unmarshal([]byte(s[start:end+1]), v); err2 == nil {
				return nil
			}
		}
		return fmt.Errorf("reply is not valid JSON: %w", err)
	}
	return nil
}

// isReasoningModel reports whether a model takes max_completion_tokens and
// spends hidden reasoning tokens from it. go-openai refuses max_tokens for
// these client-side, while Ollama and older servers read only max_tokens.
func isReasoningModel(model string) bool {
	m := strings.ToLower(model)
	if i := strings.LastIndexByte(m, '/'); i >= 0 {
		m = m[i+1:] // openai/gpt-5-mini on OpenRouter
	}
	for _, p := range []string{"gpt-5", "gpt-6", "o1", "o3", "o4"} {
		if strings.HasPrefix(m, p) {
			return true
		}
	}
	return false
}

// setMaxTokens bounds the reply so a runaway model cannot cost more than a
// faithful translation could need.
func setMaxTokens(req *openai.ChatCompletionRequest, visible int) {
	if isReasoningModel(req.Model) {
		req.MaxCompletionTokens = visible + reasoningAllowance
		return
	}
	//lint:ignore SA1019 max_tokens is deprecated by OpenAI for reasoning models only; Ollama and older servers read nothing else
	req.MaxTokens = visible
}

// replyLimit is the most tokens a request lets its reply use.
func replyLimit(req openai.ChatCompletionRequest) int {
	//lint:ignore SA1019 see setMaxTokens
	return max(req.MaxTokens, req.MaxCompletionTokens)
}
