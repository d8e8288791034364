package openaitest

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sashabaranov/go-openai"
)

// Kinds of request, as recorded in [Request.Kind] and matched by
// [Server.Script] and [Server.Count].
const (
	KindAny       = ""          // matches every kind in Script and Count
	KindTranslate = "translate" // segments to translate
	KindRepair    = "repair"    // segments to translate again, with problems
	KindSummary   = "summary"   // an article to summarise
	KindOther     = "other"     // anything else, including non-chat requests
)

// Where the API is mounted. Non-root, so that a client that builds absolute
// paths instead of appending to its base URL gets 404s.
const (
	openAIPrefix = "/v1"
	azurePrefix  = "/azure"
)

// Server is a fake OpenAI-compatible chat completions API. It is safe for
// concurrent use.
type Server struct {
	srv  *httptest.Server
	opts options
	// done is closed by Close, to release handlers that hang or wait.
	done      chan struct{}
	closeOnce sync.Once

	mu       sync.Mutex
	requests []Request
	script   []scripted
	limiter  *limiter
	rng      *rand.Rand
	seq      int
	batch    batchStore // files and batches, in batch.go
	loaded   []string   // models that have answered, for Ollama's /api/ps
	// nameTurn counts, for each name of WithNameForms, the segments
	// rendered, to give each the next form.
	nameTurn map[string]int
}

// Request is one request the server received, in the order received.
type Request struct {
	// Kind is KindTranslate, KindRepair, KindSummary or KindOther.
	Kind   string
	Method string
	Path   string
	Query  url.Values
	// Header holds every header as received, so that a test can check
	// where the key was sent.
	Header http.Header
	// Body is the raw request body.
	Body []byte
	// Chat is the decoded body of a chat completion request, else zero.
	Chat openai.ChatCompletionRequest
	// SegmentIDs are the ids of the segments sent, in order, for
	// translation and repair requests.
	SegmentIDs []string
	Time       time.Time
	// Done is when the reply was written; zero while in flight.
	Done time.Time
	// Status is the HTTP status answered; 0 while the request is in flight
	// and when no response was written (Hang, Reset).
	Status int
	// Fault names the fault served, or is empty.
	Fault string
}

// New starts a server for the length of the test t and closes it in
// t.Cleanup.
func New(t testing.TB, opts ...Option) *Server {
	t.Helper()
	s := NewServer(opts...)
	t.Cleanup(s.Close)
	return s
}

// NewServer starts a server outside a test; the caller must Close it. Tests
// use [New].
func NewServer(opts ...Option) *Server {
	o := defaultOptions()
	for _, opt := range opts {
		opt(&o)
	}
	s := &Server{opts: o, done: make(chan struct{})}
	if o.rpm > 0 || o.tpm > 0 {
		s.limiter = &limiter{rpm: o.rpm, tpm: o.tpm, window: o.rateWindow}
	}
	if o.faultRate > 0 {
		s.rng = rand.New(rand.NewPCG(uint64(o.faultSeed), 0x6e6c32656e))
	}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serveHTTP))
	return s
}

// Close releases requests that hang and shuts the server down. It may be
// called more than once.
func (s *Server) Close() {
	s.closeOnce.Do(func() {
		close(s.done)
		s.srv.CloseClientConnections()
		s.srv.Close()
	})
}

// BaseURL is the value for openai.ClientConfig.BaseURL: the server's URL
// with "/v1", or, in Azure mode, the resource endpoint to pass to
// openai.DefaultAzureConfig.
func (s *Server) BaseURL() string {
	if s.opts.azure {
		return s.srv.URL + azurePrefix
	}
	return s.srv.URL + openAIPrefix
}

// Config returns a client configuration for the server with its key:
// openai.DefaultConfig with BaseURL set, or in Azure mode
// openai.DefaultAzureConfig with the api-version of [WithAzure] (or
// "2024-08-01-preview" when that is empty).
func (s *Server) Config() openai.ClientConfig {
	if s.opts.azure {
		cfg := openai.DefaultAzureConfig(s.opts.apiKey, s.BaseURL())
		cfg.APIVersion = cmp.Or(s.opts.azureVersion, minJSONSchemaVersion)
		return cfg
	}
	cfg := openai.DefaultConfig(s.opts.apiKey)
	cfg.BaseURL = s.BaseURL()
	return cfg
}

// Client returns a go-openai client for the server, made from [Server.Config].
func (s *Server) Client() *openai.Client {
	return openai.NewClientWithConfig(s.Config())
}

// Requests returns a copy of the requests received so far.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.requests)
}

// Count returns how many requests of the kind were received; KindAny counts
// them all.
func (s *Server) Count(kind string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, r := range s.requests {
		if kind == KindAny || r.Kind == kind {
			n++
		}
	}
	return n
}

// call is one request being served.
type call struct {
	r      *http.Request
	start  time.Time
	body   []byte
	reqID  string
	seq    int
	index  int // in s.requests
	kind   string
	chat   openai.ChatCompletionRequest
	decErr error
	user   userMessage
	model  string // as requested, or the deployment in Azure mode
	served string // the model the reply names, when WithServedModel says

	promptTokens int
}

func (s *Server) serveHTTP(rw http.ResponseWriter, r *http.Request) {
	w := &statusWriter{ResponseWriter: rw}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		// The client went away while sending.
		return
	}
	c := &call{r: r, start: time.Now(), body: body, kind: KindOther}
	ep := s.route(r)
	if ep.chat && r.Method == http.MethodPost {
		c.decErr = json.Unmarshal(body, &c.chat)
		if c.decErr == nil {
			c.user = lastUserMessage(c.chat.Messages)
			c.kind = classify(c.chat.ResponseFormat, c.user)
		}
	}

	s.mu.Lock()
	s.seq++
	c.seq = s.seq
	c.index = len(s.requests)
	s.requests = append(s.requests, Request{
		Kind:       c.kind,
		Method:     r.Method,
		Path:       r.URL.Path,
		Query:      r.URL.Query(),
		Header:     r.Header.Clone(),
		Body:       body,
		Chat:       c.chat,
		SegmentIDs: c.user.segmentIDs(),
		Time:       c.start,
	})
	s.mu.Unlock()
	c.reqID = fmt.Sprintf("req_%032x", c.seq)
	defer func() {
		s.mu.Lock()
		s.requests[c.index].Status = w.status
		s.requests[c.index].Done = time.Now()
		s.mu.Unlock()
	}()

	h := w.Header()
	h.Set("X-Request-Id", c.reqID)
	if s.opts.azure {
		h.Set("Apim-Request-Id", c.reqID)
		h.Set("X-Ms-Region", "Sweden Central")
	} else {
		h.Set("Openai-Version", "2020-10-01")
		h.Set("Openai-Organization", "org-nl2entest")
	}

	if s.isOllamaPath(r.URL.Path) {
		s.serveOllama(w, c) // Ollama's native API takes no key
		return
	}
	if !s.authorized(w, r) {
		return
	}
	switch {
	case ep.notFound:
		s.writeNotFound(w, c)
	case ep.chat:
		if r.Method != http.MethodPost {
			s.writeNotFound(w, c)
			return
		}
		if s.opts.azure && !s.azureAccepts(w, c, ep.deployment) {
			return
		}
		s.chat(w, c)
	case ep.models:
		if r.Method != http.MethodGet {
			s.writeNotFound(w, c)
			return
		}
		s.listModels(w, c, ep.model)
	case ep.batchAPI:
		s.serveBatchAPI(w, c, ep.rest)
	}
}

// endpoint is what a path addresses.
type endpoint struct {
	chat, models, notFound bool
	model                  string // for /models/{model}
	deployment             string // Azure
	batchAPI               bool   // /files… and /batches…, in batch.go
	rest                   string // the path after /v1, for batchAPI
}

func (s *Server) route(r *http.Request) endpoint {
	p := r.URL.Path
	if s.opts.azure {
		rest, ok := strings.CutPrefix(p, azurePrefix+"/openai/")
		if !ok {
			return endpoint{notFound: true}
		}
		if rest == "models" {
			return endpoint{models: true}
		}
		dep, ok := strings.CutPrefix(rest, "deployments/")
		if !ok {
			return endpoint{notFound: true}
		}
		dep, ok = strings.CutSuffix(dep, "/chat/completions")
		if !ok || dep == "" || strings.Contains(dep, "/") {
			return endpoint{notFound: true}
		}
		return endpoint{chat: true, deployment: dep}
	}
	switch rest, _ := strings.CutPrefix(p, openAIPrefix); {
	case !strings.HasPrefix(p, openAIPrefix+"/"):
		return endpoint{notFound: true}
	case rest == "/chat/completions":
		return endpoint{chat: true}
	case rest == "/models":
		return endpoint{models: true}
	case strings.HasPrefix(rest, "/models/") && len(rest) > len("/models/"):
		return endpoint{models: true, model: strings.TrimPrefix(rest, "/models/")}
	case isBatchAPIPath(rest):
		return endpoint{batchAPI: true, rest: rest}
	}
	return endpoint{notFound: true}
}

func (s *Server) authorized(w http.ResponseWriter, r *http.Request) bool {
	key := s.opts.apiKey
	if key == "" {
		return true
	}
	bearer, hasBearer := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if s.opts.azure {
		if r.Header.Get(openai.AzureAPIKeyHeader) == key || (hasBearer && bearer == key) {
			return true
		}
		writeJSON(w, http.StatusUnauthorized, azureError("401", "Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource."))
		return false
	}
	switch {
	case hasBearer && bearer == key:
		return true
	case !hasBearer || bearer == "":
		writeJSON(w, http.StatusUnauthorized, apiError("You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY), or as the password field (with blank username) if you're accessing the API from your browser and are prompted for a username. You can obtain an API key from https://platform.openai.com/account/api-keys.", "invalid_request_error", "", nil))
	default:
		writeJSON(w, http.StatusUnauthorized, apiError("Incorrect API key provided: "+maskKey(bearer)+". You can find your API key at https://platform.openai.com/account/api-keys.", "invalid_request_error", "", "invalid_api_key"))
	}
	return false
}

// maskKey shows a key the way OpenAI's error messages do.
func maskKey(k string) string {
	if len(k) < 8 {
		return strings.Repeat("*", len(k))
	}
	return k[:3] + strings.Repeat("*", min(len(k)-7, 20)) + k[len(k)-4:]
}

func (s *Server) writeNotFound(w http.ResponseWriter, c *call) {
	if s.opts.azure {
		writeJSON(w, http.StatusNotFound, azureError("404", "Resource not found"))
		return
	}
	writeJSON(w, http.StatusNotFound, apiError(fmt.Sprintf("Invalid URL (%s %s)", c.r.Method, c.r.URL.Path), "invalid_request_error", "", nil))
}

func (s *Server) knowsModel(m string) bool { return slices.Contains(s.opts.models, m) }

func modelNotFound(m string) []byte {
	return apiError(fmt.Sprintf("The model `%s` does not exist or you do not have access to it.", m), "invalid_request_error", "", "model_not_found")
}

type modelObject struct {
	ID      string `json:"id"`
	Object  string `json:"object"`
	Created int64  `json:"created"`
	OwnedBy string `json:"owned_by"`
}

func (s *Server) listModels(w http.ResponseWriter, c *call, one string) {
	owner := "system"
	if s.opts.ollama != nil {
		owner = "library"
	}
	obj := func(id string) modelObject {
		return modelObject{ID: id, Object: "model", Created: 1_700_000_000, OwnedBy: owner}
	}
	if one != "" {
		if !s.knowsModel(one) {
			writeJSON(w, http.StatusNotFound, modelNotFound(one))
			return
		}
		writeJSON(w, http.StatusOK, marshal(obj(one)))
		return
	}
	list := struct {
		Object string        `json:"object"`
		Data   []modelObject `json:"data"`
	}{Object: "list", Data: []modelObject{}}
	for _, m := range s.opts.models {
		list.Data = append(list.Data, obj(m))
	}
	writeJSON(w, http.StatusOK, marshal(list))
}

// errorObject is the object OpenAI puts under "error". Param and Code are
// always present, null when unset, as in OpenAI's replies.
type errorObject struct {
	Message string  `json:"message"`
	Type    string  `json:"type"`
	Param   *string `json:"param"`
	Code    any     `json:"code"`
}

// apiError renders an OpenAI error body; param "" is null, and so is a nil
// code.
func apiError(message, typ, param string, code any) []byte {
	e := errorObject{Message: message, Type: typ, Code: code}
	if param != "" {
		e.Param = &param
	}
	return marshal(struct {
		Error errorObject `json:"error"`
	}{e})
}

// azureError renders Azure's error shape, whose code is a string such as
// "429" and which has no type.
func azureError(code, message string) []byte {
	return marshal(map[string]any{"error": map[string]string{"code": code, "message": message}})
}

// marshal encodes v as a model would write it: no HTML escaping.
func marshal(v any) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		// Only our own types are encoded here.
		panic(fmt.Sprintf("openaitest: encode %T: %v", v, err))
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
}

func writeJSON(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// statusWriter remembers the status written, for Request.Status. Unwrap
// lets http.ResponseController reach Flush and Hijack.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// sleep waits for d, or less when the client goes away or the server
// closes; it reports whether the whole wait passed.
func (s *Server) sleep(c *call, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-c.r.Context().Done():
	case <-s.done:
	}
	return false
}
