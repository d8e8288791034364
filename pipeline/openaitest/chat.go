package openaitest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/sashabaranov/go-openai"
)

// segment is one {"id": …, "text": …} item. The id is kept raw so that it
// is echoed with the type the client sent.
type segment struct {
	ID   json.RawMessage `json:"id"`
	Text string          `json:"text"`
	// Names are the names a reply lists for the segment, when the
	// request asks for them (see names.go).
	Names *[]replyName `json:"names,omitempty"`
}

func (s segment) id() string {
	var str string
	if json.Unmarshal(s.ID, &str) == nil {
		return str
	}
	return string(s.ID)
}

// userMessage is the last user message of a request, decoded as the JSON
// object nl2en sends when it is one.
type userMessage struct {
	text     string
	keys     map[string]json.RawMessage // nil when text is not a JSON object
	segments []segment
}

func (u userMessage) has(key string) bool {
	_, ok := u.keys[key]
	return ok
}

func (u userMessage) segmentIDs() []string {
	var ids []string
	for _, s := range u.segments {
		ids = append(ids, s.id())
	}
	return ids
}

func messageText(m openai.ChatCompletionMessage) string {
	if len(m.MultiContent) == 0 {
		return m.Content
	}
	var b strings.Builder
	for _, p := range m.MultiContent {
		b.WriteString(p.Text)
	}
	return b.String()
}

func lastUserMessage(msgs []openai.ChatCompletionMessage) userMessage {
	var u userMessage
	for i := len(msgs) - 1; i >= 0; i-- {
		if msgs[i].Role == openai.ChatMessageRoleUser {
			u.text = messageText(msgs[i])
			break
		}
	}
	if json.Unmarshal([]byte(u.text), &u.keys) != nil {
		u.keys = nil
		return u
	}
	if raw, ok := u.keys["segments"]; ok {
		_ = json.Unmarshal(raw, &u.segments)
	}
	return u
}

// classify tells what a chat request is for: by the json_schema name when
// there is one, else by the keys of the last user message, as the fallback
// modes without json_schema send them.
func classify(rf *openai.ChatCompletionResponseFormat, u userMessage) string {
	if rf != nil && rf.Type == openai.ChatCompletionResponseFormatTypeJSONSchema && rf.JSONSchema != nil {
		switch rf.JSONSchema.Name {
		case "translation":
			return KindTranslate
		case "repair":
			return KindRepair
		case "summary":
			return KindSummary
		}
	}
	switch {
	case u.has("segments") && u.has("problems"):
		return KindRepair
	case u.has("segments"):
		return KindTranslate
	case u.has("article"):
		return KindSummary
	}
	return KindOther
}

// reply is the assistant message to send, before it is wrapped in a
// completion or chunks.
type reply struct {
	segs    []segment // the segments of a translation or repair reply
	hasSegs bool
	object  any // the JSON object of any other reply, or nil for text

	content     string
	nullContent bool // content is null (a refusal)
	refusal     string
	finish      string
	// truncateBody makes the server cut the HTTP body in half.
	truncateBody bool
}

// render sets the content from the segments or the object.
func (r *reply) render() {
	switch {
	case r.hasSegs:
		r.content = string(marshal(struct {
			Segments []segment `json:"segments"`
		}{r.segs}))
	case r.object != nil:
		r.content = string(marshal(r.object))
	}
}

type summaryReply struct {
	Title     string   `json:"title"`
	Summary   string   `json:"summary"`
	KeyPoints []string `json:"key_points"`
}

func (s *Server) normalReply(c *call) *reply {
	r := &reply{finish: "stop"}
	switch c.kind {
	case KindTranslate, KindRepair:
		r.hasSegs = true
		r.segs = []segment{}
		names := wantsNames(c.chat)
		for _, seg := range c.user.segments {
			en, given := s.renderNames(c, seg.Text, s.translate(seg))
			out := segment{ID: seg.ID, Text: en}
			if names {
				ns := listNames(c, seg.Text, en, given)
				out.Names = &ns
			}
			r.segs = append(r.segs, out)
		}
	case KindSummary:
		r.object = s.summaryOf(c.user)
	default:
		if rf := c.chat.ResponseFormat; rf != nil && rf.Type != "" && rf.Type != openai.ChatCompletionResponseFormatTypeText {
			r.object = struct{}{}
		} else {
			r.content = "This is a reply from the openaitest server."
		}
	}
	r.render()
	return r
}

// window is the context a prompt is cut to: WithContextWindow's, else,
// for a server that plays Ollama (WithOllamaShow), the context it loads
// models with, which Ollama cuts prompts to; 0 for no limit.
func (s *Server) window() int {
	if s.opts.contextWindow > 0 {
		return s.opts.contextWindow
	}
	if s.opts.ollama != nil {
		return s.opts.ollama.loaded()
	}
	return 0
}

// summaryOf is the summary of the article in a summary request: the one
// WithSummarizer writes, else the one of WithSummary; by default, the
// sample's for the sample article and a plain one, stating nothing the
// article could lack, for any other.
func (s *Server) summaryOf(u userMessage) summaryReply {
	var article string
	_ = json.Unmarshal(u.keys["article"], &article)
	if f := s.opts.summarizer; f != nil {
		req := SummaryRequest{Article: article}
		var prev summaryReply
		if json.Unmarshal(u.keys["previous"], &prev) == nil && prev.Title != "" {
			req.Previous = &Summary{Title: prev.Title, Summary: prev.Summary, KeyPoints: prev.KeyPoints}
		}
		_ = json.Unmarshal(u.keys["problems"], &req.Problems)
		got := f(req)
		return summaryReply{Title: got.Title, Summary: got.Summary, KeyPoints: append([]string{}, got.KeyPoints...)}
	}
	if s.opts.summary != nil {
		return *s.opts.summary
	}
	if strings.Contains(article, "Bachmoet") {
		return defaultSummary
	}
	return plainSummary
}

func (s *Server) translate(seg segment) string {
	if t, ok := s.opts.translations[strings.TrimSpace(seg.Text)]; ok {
		return t
	}
	return s.opts.translator(seg.id(), seg.Text)
}

func (s *Server) chat(w http.ResponseWriter, c *call) {
	if c.decErr != nil {
		writeJSON(w, http.StatusBadRequest, apiError("We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON. If you have trouble figuring out how to fix this, please contact us through our help center at help.openai.com.)", "invalid_request_error", "", nil))
		return
	}
	if !s.opts.azure {
		c.model = c.chat.Model
		if c.model == "" {
			writeJSON(w, http.StatusBadRequest, apiError("you must provide a model parameter", "invalid_request_error", "", nil))
			return
		}
		if !s.knowsModel(c.model) {
			writeJSON(w, http.StatusNotFound, modelNotFound(c.model))
			return
		}
		c.served = s.opts.served[c.model]
		s.markLoaded(c.model)
	}
	if len(c.chat.Messages) == 0 {
		writeJSON(w, http.StatusBadRequest, apiError("[] is too short - 'messages'", "invalid_request_error", "messages", "empty_array"))
		return
	}
	if body := s.checkResponseFormat(c); body != nil {
		writeJSON(w, http.StatusBadRequest, body)
		return
	}

	var prompt strings.Builder
	for _, m := range c.chat.Messages {
		prompt.WriteString(messageText(m))
	}
	c.promptTokens = s.opts.tokens(prompt.String()) + 3*len(c.chat.Messages)
	if w := s.window(); w > 0 && c.promptTokens > w {
		// As Ollama does: the prompt is cut to the window without a word,
		// and the usage says how much was read.
		c.promptTokens = w
	}

	rep := s.normalReply(c)
	if s.limiter != nil {
		//lint:ignore SA1019 the server reads max_tokens as OpenAI's does
		need := max(c.chat.MaxCompletionTokens, c.chat.MaxTokens)
		if need == 0 {
			need = s.opts.tokens(rep.content)
		}
		s.mu.Lock()
		st := s.limiter.take(time.Now(), c.promptTokens+need)
		s.mu.Unlock()
		st.setHeaders(w.Header())
		if !st.ok {
			s.writeRateLimited(w, c, st)
			return
		}
	}

	if f, ok := s.nextFault(c); ok {
		if !f.apply(s, w, c, rep) {
			return
		}
	}

	u := s.usage(c, rep)
	// A stream spends the per-token latency between its chunks.
	wait := s.opts.latencyBase
	if !c.chat.Stream {
		wait += time.Duration(u.CompletionTokens) * s.opts.latencyPerToken
	}
	if !s.sleep(c, wait) {
		return
	}
	if c.chat.Stream {
		s.writeStream(w, c, rep, u)
		return
	}
	s.writeCompletion(w, c, rep, u)
}

// checkResponseFormat returns the body of a 400 when the request's
// response_format is one the server refuses.
func (s *Server) checkResponseFormat(c *call) []byte {
	rf := c.chat.ResponseFormat
	if rf == nil || rf.Type == "" {
		return nil
	}
	t := string(rf.Type)
	switch rf.Type {
	case openai.ChatCompletionResponseFormatTypeJSONSchema, openai.ChatCompletionResponseFormatTypeJSONObject, openai.ChatCompletionResponseFormatTypeText:
	default:
		return apiError(fmt.Sprintf("Invalid value: '%s'. Supported values are: 'json_object', 'json_schema', and 'text'.", t), "invalid_request_error", "response_format.type", "invalid_value")
	}
	if s.opts.formats != nil && !s.opts.formats[t] {
		return formatUnsupported(t)
	}
	if rf.Type != openai.ChatCompletionResponseFormatTypeJSONSchema {
		return nil
	}
	if rf.JSONSchema == nil {
		return apiError("Missing required parameter: 'response_format.json_schema'.", "invalid_request_error", "response_format.json_schema", "missing_required_parameter")
	}
	if !rf.JSONSchema.Strict {
		return nil
	}
	var raw []byte
	if rf.JSONSchema.Schema != nil {
		raw, _ = rf.JSONSchema.Schema.MarshalJSON()
	}
	if problem := strictSchemaProblem(raw); problem != "" {
		return apiError(fmt.Sprintf("Invalid schema for response_format '%s': %s", rf.JSONSchema.Name, problem), "invalid_request_error", "response_format", nil)
	}
	return nil
}

func formatUnsupported(t string) []byte {
	return apiError(fmt.Sprintf("Invalid parameter: 'response_format' of type '%s' is not supported with this model.", t), "invalid_request_error", "response_format", nil)
}

type usage struct {
	PromptTokens        int `json:"prompt_tokens"`
	CompletionTokens    int `json:"completion_tokens"`
	TotalTokens         int `json:"total_tokens"`
	PromptTokensDetails struct {
		CachedTokens int `json:"cached_tokens"`
		AudioTokens  int `json:"audio_tokens"`
	} `json:"prompt_tokens_details"`
	CompletionTokensDetails struct {
		ReasoningTokens          int `json:"reasoning_tokens"`
		AudioTokens              int `json:"audio_tokens"`
		AcceptedPredictionTokens int `json:"accepted_prediction_tokens"`
		RejectedPredictionTokens int `json:"rejected_prediction_tokens"`
	} `json:"completion_tokens_details"`
}

func (s *Server) usage(c *call, r *reply) usage {
	var u usage
	u.PromptTokens = c.promptTokens
	u.CompletionTokens = s.opts.tokens(r.content + r.refusal)
	if r.finish == string(openai.FinishReasonLength) {
		//lint:ignore SA1019 the server reads max_tokens as OpenAI's does
		if limit := max(c.chat.MaxCompletionTokens, c.chat.MaxTokens); limit > 0 {
			u.CompletionTokens = limit
		}
	}
	u.TotalTokens = u.PromptTokens + u.CompletionTokens
	return u
}

type completion struct {
	ID                  string         `json:"id"`
	Object              string         `json:"object"`
	Created             int64          `json:"created"`
	Model               string         `json:"model"`
	Choices             []choice       `json:"choices"`
	Usage               usage          `json:"usage"`
	ServiceTier         string         `json:"service_tier,omitempty"`
	SystemFingerprint   string         `json:"system_fingerprint"`
	PromptFilterResults []promptFilter `json:"prompt_filter_results,omitempty"`
}

type choice struct {
	Index                int             `json:"index"`
	Message              message         `json:"message"`
	Logprobs             *struct{}       `json:"logprobs"`
	FinishReason         string          `json:"finish_reason"`
	ContentFilterResults json.RawMessage `json:"content_filter_results,omitempty"`
}

type message struct {
	Role        string   `json:"role"`
	Content     *string  `json:"content"`
	Refusal     *string  `json:"refusal"`
	Annotations []string `json:"annotations"`
}

type promptFilter struct {
	PromptIndex          int             `json:"prompt_index"`
	ContentFilterResults json.RawMessage `json:"content_filter_results"`
}

// azureFilters is what Azure's content filter reports on a harmless text.
var azureFilters = json.RawMessage(`{"hate":{"filtered":false,"severity":"safe"},"self_harm":{"filtered":false,"severity":"safe"},"sexual":{"filtered":false,"severity":"safe"},"violence":{"filtered":false,"severity":"safe"}}`)

const systemFingerprint = "fp_6e6c32656e"

func (c *call) completionID() string { return fmt.Sprintf("chatcmpl-nl2entest%011d", c.seq) }

func (c *call) responseModel() string {
	if c.served != "" {
		return c.served
	}
	if c.chat.Model != "" {
		return c.chat.Model
	}
	return c.model
}

func (s *Server) writeCompletion(w http.ResponseWriter, c *call, r *reply, u usage) {
	msg := message{Role: openai.ChatMessageRoleAssistant, Annotations: []string{}}
	if !r.nullContent {
		msg.Content = &r.content
	}
	if r.refusal != "" {
		msg.Refusal = &r.refusal
	}
	resp := completion{
		ID:                c.completionID(),
		Object:            "chat.completion",
		Created:           c.start.Unix(),
		Model:             c.responseModel(),
		Choices:           []choice{{Message: msg, FinishReason: r.finish}},
		Usage:             u,
		ServiceTier:       "default",
		SystemFingerprint: systemFingerprint,
	}
	if s.opts.azure {
		resp.ServiceTier = ""
		resp.Choices[0].ContentFilterResults = azureFilters
		resp.PromptFilterResults = []promptFilter{{ContentFilterResults: azureFilters}}
	}
	body := marshal(resp)
	if r.truncateBody {
		body = body[:len(body)/2]
	}
	s.setProcessingTime(w, c)
	writeJSON(w, http.StatusOK, body)
}

func (s *Server) setProcessingTime(w http.ResponseWriter, c *call) {
	if !s.opts.azure {
		w.Header().Set("Openai-Processing-Ms", strconv.FormatInt(time.Since(c.start).Milliseconds(), 10))
	}
}
