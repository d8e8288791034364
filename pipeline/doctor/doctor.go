package doctor

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/nl2en/nl2en/pipeline/httpenv"
	"github.com/nl2en/nl2en/pipeline/job"
	"github.com/nl2en/nl2en/pipeline/llm"
	"github.com/nl2en/nl2en/pipeline/local"
	"github.com/nl2en/nl2en/pipeline/redact"
	"github.com/nl2en/nl2en/pipeline/schedule"
	"github.com/nl2en/nl2en/pipeline/tokens"
	"github.com/nl2en/nl2en/pipeline/translate"
)

// Status is the outcome of a check.
type Status int

// The outcomes, from best to worst but Skipped.
const (
	OK Status = iota
	Warning
	Failed
	Skipped // not run: offline, or what it needs failed
)

func (s Status) String() string {
	return [...]string{"ok", "warning", "failed", "skipped"}[s]
}

// Check is one line of the checklist.
type Check int

// The checks, in the order they are reported.
const (
	CheckServer Check = iota
	CheckKey
	CheckModel
	CheckStructuredOutput
	CheckContext
	CheckRateLimits
	CheckPrice
	CheckCache
	CheckOut
)

// Checks lists every check in the order of a report.
var Checks = []Check{CheckServer, CheckKey, CheckModel, CheckStructuredOutput, CheckContext, CheckRateLimits, CheckPrice, CheckCache, CheckOut}

func (c Check) String() string {
	return [...]string{"server", "key", "model", "structured output", "context window", "rate limits", "price", "cache folder", "output folder"}[c]
}

// Problem is what a check that is not ok found.
type Problem int

// The problems a check can find.
const (
	NoProblem Problem = iota

	NoServerFound // server: nothing configured, and no local server found (Err: *local.NotFoundError)
	Unreachable   // server: no connection, or no answer in time (Err: *llm.Error)
	NotAnAPI      // server: it answered, but not with a model list

	NoKey          // key: the server needs one and none is set
	PlaceholderKey // key: the one set is a placeholder such as "sk-..."
	KeyRejected    // key: the server refused it

	ModelMissing  // model: the server does not serve it (Models lists what it does)
	ModelUnlisted // model: not listed, yet the server answered for it

	FormatRejected // structured output: json_schema refused; a run falls back to weaker JSON modes
	BadReply       // structured output: the reply did not hold the JSON asked for
	RequestFailed  // structured output: the request failed otherwise (Err: *llm.Error)

	ContextTooSmall // context: a translation request does not fit
	SummaryCut      // context: the summary of a long article does not fit
	ContextUnsure   // context: Ollama did not say what it loads the model with

	NoRateHeaders // rate limits: a remote server sent none
	NoPrice       // price: none known for a model of a paid API
	NotWritable   // cache folder, output folder
)

// Result is the outcome of one check.
type Result struct {
	Check   Check
	Status  Status
	Problem Problem
	// Detail says what was found, in one line.
	Detail string
	// Err is the error behind a problem, when there is one.
	Err error
	// Models are the models the server lists, for ModelMissing.
	Models []string
	// Window is the context a request gets, and Needs the context the
	// run's requests need, for the context check.
	Window int
	Needs  translate.Window
	// Trained is the most context the model allows, when the server
	// tells it (Ollama); 0 when it does not.
	Trained int
	// Path is the folder of the cache and output checks.
	Path string
}

// Report is the checklist of one setup.
type Report struct {
	// BaseURL and Model are the setup checked; BaseURL is empty when no
	// server was found (Options.NotFound).
	BaseURL string
	Model   string
	// Kind is the kind of local server, when the server is one.
	Kind    local.Kind
	Results []Result
}

// Result returns the result of one check.
func (r *Report) Result(c Check) Result {
	for _, x := range r.Results {
		if x.Check == c {
			return x
		}
	}
	return Result{Check: c, Status: Skipped}
}

// Count returns how many checks ended with status s.
func (r *Report) Count(s Status) int {
	n := 0
	for _, x := range r.Results {
		if x.Status == s {
			n++
		}
	}
	return n
}

// Options tune [Run].
type Options struct {
	// Offline sends nothing.
	Offline bool
	// NotFound is why looking for a local server found none, when the
	// caller looked because nothing was configured: the server check
	// fails with it.
	NotFound error
	// Sending, when set, is told before the trial request is sent.
	Sending func(baseURL, model string)
	Log     *slog.Logger
	// Transport is the proxy and TLS roots of the API's connections.
	Transport httpenv.Transport
}

// Run checks the setup that settings s describe.
func Run(ctx context.Context, s job.Settings, o Options) (*Report, error) {
	s = s.Defaults()
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	d := &doctor{s: s, o: o, rep: &Report{BaseURL: redact.BaseURL(s.BaseURL), Model: s.Model, Kind: local.KindAt(s.BaseURL)}}
	if o.NotFound != nil {
		d.rep.BaseURL, d.rep.Kind = "", local.Unknown // no server to name
	}
	d.key = s.APIKey
	if llm.IsPlaceholderKey(d.key) {
		d.key = ""
	}
	d.needKey = llm.NeedsKey(s.BaseURL, s.Azure)
	d.headers = &headerLog{}

	open := s
	open.NoCache = true                    // the cache is checked, not opened
	open.MaxRetries = min(s.MaxRetries, 1) // a checklist should not wait out long retries
	if d.key == "" && d.needKey {
		open.DryRun = true // nothing is sent without a key: Open need not insist on one
	}
	j, err := job.Open(open, job.Env{Log: o.Log, Pace: d.headers.pace, Transport: o.Transport})
	if err != nil {
		return nil, err
	}
	d.job = j
	d.doer = llm.NewDoer(llm.Config{Timeout: s.Timeout, MaxRetries: open.MaxRetries, Logger: o.Log, Pacer: d.headers,
		Proxy: o.Transport.Proxy, RootCAs: o.Transport.RootCAs})

	d.checkServer(ctx)
	d.checkKey()
	d.checkTrial(ctx)
	d.checkModel()
	d.checkContext(ctx)
	d.checkRateLimits()
	d.checkPrice()
	d.checkFolders()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	for _, c := range Checks {
		d.rep.Results = append(d.rep.Results, d.result(c))
	}
	return d.rep, nil
}

// doctor is one Run at work.
type doctor struct {
	s       job.Settings
	o       Options
	job     *job.Job
	doer    local.Doer
	headers *headerLog
	key     string
	needKey bool
	rep     *Report
	results map[Check]Result

	listing  *local.Listing // nil when not asked or not answered
	trialErr error          // the trial request's error, classified
	trialRun bool           // the trial request was sent
	// scale is the server's count of the trial prompt over nl2en's, 0
	// when the server did not say: a model whose tokenizer splits finer
	// needs more context for the same text.
	scale float64
}

func (d *doctor) set(r Result) {
	if d.results == nil {
		d.results = map[Check]Result{}
	}
	d.results[r.Check] = r
}

func (d *doctor) result(c Check) Result {
	if r, ok := d.results[c]; ok {
		return r
	}
	return Result{Check: c, Status: Skipped}
}

func (d *doctor) status(c Check) Status { return d.result(c).Status }

// mayAsk reports whether requests may go to the server, and if not, sets
// check c to skipped saying why.
func (d *doctor) mayAsk(c Check) bool {
	why := ""
	switch {
	case d.o.Offline:
		why = "not checked: offline"
	case d.o.NotFound != nil:
		why = "not checked: no server"
	case d.key == "" && d.needKey:
		why = "not checked: no key"
	case c != CheckServer && d.status(CheckServer) == Failed:
		why = "not checked: the server did not answer"
	case c != CheckServer && c != CheckKey && d.status(CheckKey) == Failed:
		why = "not checked: the key was refused"
	}
	if why != "" {
		d.set(Result{Check: c, Status: Skipped, Detail: why})
	}
	return why == ""
}

func (d *doctor) checkServer(ctx context.Context) {
	if d.o.NotFound != nil {
		detail := d.o.NotFound.Error()
		var nf *local.NotFoundError
		if errors.As(d.o.NotFound, &nf) {
			detail = nf.Error()
		}
		d.set(Result{Check: CheckServer, Status: Failed, Problem: NoServerFound, Detail: detail, Err: d.o.NotFound})
		return
	}
	if !d.mayAsk(CheckServer) {
		return
	}
	if d.s.Azure {
		// Azure lists models, not deployments: the trial request tells.
		return
	}
	l, err := local.List(ctx, d.doer, d.s.BaseURL, d.key, local.KindAt(d.s.BaseURL))
	var se *local.StatusError
	switch {
	case errors.As(err, &se) && se.Status == http.StatusUnauthorized:
		// It answered; the key check says the rest.
		d.set(Result{Check: CheckServer, Status: OK, Detail: d.rep.BaseURL + " answers"})
		why := "the server refused it"
		if d.key == "" {
			why = "the server needs one, and none is set"
		}
		d.set(Result{Check: CheckKey, Status: Failed, Problem: KeyRejected, Detail: fmt.Sprintf("%s (%d %s)", why, se.Status, http.StatusText(se.Status)), Err: se})
	case errors.As(err, &se) && se.Status == http.StatusForbidden:
		// A key may be allowed to chat and not to list models (OpenAI's
		// restricted project keys): the trial request tells.
		d.set(Result{Check: CheckServer, Status: OK, Detail: d.rep.BaseURL + " answers, but does not list its models to this key"})
	case err != nil && (errors.As(err, &se) || errors.Is(err, local.ErrNotModelList)):
		d.set(Result{Check: CheckServer, Status: Failed, Problem: NotAnAPI, Detail: fmt.Sprintf("%s answers, but not as an OpenAI-compatible API: %v", d.rep.BaseURL, err), Err: err})
	case err != nil:
		err = llm.Classify(err, d.s.BaseURL, d.s.Model)
		d.set(Result{Check: CheckServer, Status: Failed, Problem: Unreachable, Detail: err.Error(), Err: err})
	default:
		d.listing = &l
		d.rep.Kind = l.Kind
		d.set(Result{Check: CheckServer, Status: OK, Detail: fmt.Sprintf("%s answers%s, %s", d.rep.BaseURL, kindNote(l.Kind), count(len(l.Models), "model"))})
	}
}

func kindNote(k local.Kind) string {
	if k == local.Unknown {
		return ""
	}
	return " (" + k.String() + ")"
}

func count(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

func (d *doctor) checkKey() {
	if _, done := d.results[CheckKey]; done {
		return
	}
	switch {
	case d.o.NotFound != nil:
		d.set(Result{Check: CheckKey, Status: Skipped, Detail: "not checked: no server"})
	case d.key == "" && d.needKey && d.s.APIKey != "":
		d.set(Result{Check: CheckKey, Status: Failed, Problem: PlaceholderKey, Detail: fmt.Sprintf("the key set is a placeholder, and the API at %s needs a real one", llm.Host(d.s.BaseURL))})
	case d.key == "" && d.needKey:
		d.set(Result{Check: CheckKey, Status: Failed, Problem: NoKey, Detail: fmt.Sprintf("none set, and the API at %s needs one", llm.Host(d.s.BaseURL))})
	case d.key == "" && d.status(CheckServer) == OK:
		d.set(Result{Check: CheckKey, Status: OK, Detail: "none needed"})
	case d.key == "":
		d.set(Result{Check: CheckKey, Status: Skipped, Detail: "none set; not checked"})
	case d.status(CheckServer) == OK && d.listing != nil:
		d.set(Result{Check: CheckKey, Status: OK, Detail: "accepted"})
	default:
		// Set, and not checked yet: the trial request may tell (Azure),
		// else it stays unchecked.
		d.set(Result{Check: CheckKey, Status: Skipped, Detail: "set; not checked"})
	}
}

// checkTrial sends the trial request and reports on structured output.
func (d *doctor) checkTrial(ctx context.Context) {
	if !d.mayAsk(CheckStructuredOutput) {
		return
	}
	req := d.job.Translator.TrialRequest()
	if d.o.Sending != nil {
		d.o.Sending(d.rep.BaseURL, req.Model)
	}
	d.trialRun = true
	resp, err := d.job.Client.CreateChatCompletion(ctx, req)
	err = llm.Classify(err, d.s.BaseURL, d.s.Model)
	d.trialErr = err
	if err == nil || llm.IsKind(err, llm.KindResponseFormat) {
		if d.s.Azure {
			d.set(Result{Check: CheckServer, Status: OK, Detail: d.rep.BaseURL + " answers (Azure OpenAI)"})
		}
		if d.key != "" && d.status(CheckKey) == Skipped {
			d.set(Result{Check: CheckKey, Status: OK, Detail: "accepted"})
		}
	}
	if err == nil {
		if ours := tokens.CountMessages(tokens.ForModel(req.Model).Count, req.Messages); resp.Usage.PromptTokens > 0 && ours > 0 {
			d.scale = float64(resp.Usage.PromptTokens) / float64(ours)
		}
		en, err := translate.TrialReply(resp)
		if err != nil {
			d.set(Result{Check: CheckStructuredOutput, Status: Failed, Problem: BadReply, Detail: "json_schema accepted, but " + err.Error(), Err: err})
			return
		}
		d.set(Result{Check: CheckStructuredOutput, Status: OK, Detail: fmt.Sprintf("json_schema accepted; one sentence came back as %q", preview(en, 60))})
		return
	}
	var le *llm.Error
	errors.As(err, &le)
	switch {
	case le != nil && le.Kind == llm.KindResponseFormat:
		d.set(Result{Check: CheckStructuredOutput, Status: Warning, Problem: FormatRejected, Detail: "the server refuses json_schema; a run falls back to json_object, then to JSON asked for in the prompt, and more replies need repairs", Err: err})
	case le != nil && (le.Kind == llm.KindUnauthorized || le.Kind == llm.KindForbidden):
		d.set(Result{Check: CheckKey, Status: Failed, Problem: KeyRejected, Detail: err.Error(), Err: err})
		d.set(Result{Check: CheckStructuredOutput, Status: Skipped, Detail: "not checked: the key was refused"})
	case le != nil && le.Kind == llm.KindModelNotFound:
		d.set(Result{Check: CheckStructuredOutput, Status: Skipped, Detail: "not checked: no such model"})
	case le != nil && (le.Kind == llm.KindUnreachable || le.Kind == llm.KindTimeout) && d.s.Azure:
		d.set(Result{Check: CheckServer, Status: Failed, Problem: Unreachable, Detail: err.Error(), Err: err})
		d.set(Result{Check: CheckStructuredOutput, Status: Skipped, Detail: "not checked: the server did not answer"})
	default:
		d.set(Result{Check: CheckStructuredOutput, Status: Failed, Problem: RequestFailed, Detail: err.Error(), Err: err})
	}
}

func (d *doctor) checkModel() {
	m := d.s.Model
	notFound := llm.IsKind(d.trialErr, llm.KindModelNotFound)
	answered := d.trialRun && (d.trialErr == nil || llm.IsKind(d.trialErr, llm.KindResponseFormat))
	_, listed := d.listing.Find(m)
	switch {
	case d.listing != nil && listed && !notFound:
		d.set(Result{Check: CheckModel, Status: OK, Detail: fmt.Sprintf("%q is served", m)})
	case d.listing != nil && answered:
		d.set(Result{Check: CheckModel, Status: Warning, Problem: ModelUnlisted, Detail: fmt.Sprintf("%q is not in the server's list, but it answered for it", m), Models: d.listing.IDs()})
	case d.listing != nil:
		among := fmt.Sprintf("is not among the %d models", len(d.listing.Models))
		if len(d.listing.Models) == 1 {
			among = "is not the one model"
		}
		d.set(Result{Check: CheckModel, Status: Failed, Problem: ModelMissing, Detail: fmt.Sprintf("%q %s the server lists", m, among), Models: d.listing.IDs(), Err: d.trialErr})
	case notFound:
		d.set(Result{Check: CheckModel, Status: Failed, Problem: ModelMissing, Detail: fmt.Sprintf("the server does not serve %q", m), Err: d.trialErr})
	case answered:
		d.set(Result{Check: CheckModel, Status: OK, Detail: fmt.Sprintf("%q answered", m)})
	default:
		if d.mayAsk(CheckModel) {
			d.set(Result{Check: CheckModel, Status: Skipped, Detail: "not checked"})
		}
	}
}

func (d *doctor) checkContext(ctx context.Context) {
	if !d.mayAsk(CheckContext) {
		return
	}
	if d.status(CheckModel) == Failed {
		d.set(Result{Check: CheckContext, Status: Skipped, Detail: "not checked: no such model"})
		return
	}
	needs := d.job.Translator.Window()
	counted := ""
	// A trial prompt of a few hundred tokens is counted within a third
	// either way by tokenizers alike (o200k, bytes / 4, Llama's); only a
	// tokenizer that counts very differently (a byte-level one counts
	// four times as many) changes what fits.
	if d.scale > 1.3 || (d.scale > 0 && d.scale < 0.7) {
		// Count as the server counts. The reply allowance is scaled too,
		// which errs on the safe side.
		for _, n := range []*int{&needs.Translate, &needs.Summary, &needs.SummaryInput} {
			*n = int(float64(*n)*d.scale + 0.5)
		}
		counted = fmt.Sprintf(" (counted as the server counts, %.1f times nl2en's estimate)", d.scale)
	}
	r := Result{Check: CheckContext, Needs: needs}
	switch d.rep.Kind {
	case local.Ollama:
		w, err := local.OllamaContext(ctx, d.doer, d.s.BaseURL, d.s.Model)
		r.Trained = w.Trained
		switch {
		case err != nil:
			r.Status, r.Detail, r.Err = Skipped, "Ollama did not say: "+err.Error(), err
			d.set(r)
			return
		case w.Window() == 0:
			r.Status, r.Problem = Warning, ContextUnsure
			r.Detail = fmt.Sprintf("Ollama does not say what context it will load the model with (it was trained for %s tokens); a translation request needs about %s, a summary of a long article about %s%s", num(w.Trained), num(needs.Translate), num(needs.Summary), counted)
			d.set(r)
			return
		}
		r.Window = w.Window()
	case local.LlamaCpp, local.VLLM:
		if d.listing != nil {
			if m, ok := d.listing.Find(d.s.Model); ok {
				r.Window = m.Context
			} else if len(d.listing.Models) == 1 {
				r.Window = d.listing.Models[0].Context // llama.cpp serves its one model under any name
			}
		}
	}
	if r.Window == 0 {
		r.Status, r.Detail = Skipped, "the server does not tell"
		d.set(r)
		return
	}
	switch {
	case r.Window < needs.Translate:
		r.Status, r.Problem = Failed, ContextTooSmall
		r.Detail = fmt.Sprintf("%s tokens, and a translation request needs about %s%s", num(r.Window), num(needs.Translate), counted)
	case r.Window < needs.Summary:
		longest := r.Window - (needs.Summary - needs.SummaryInput)
		r.Status, r.Problem = Warning, SummaryCut
		r.Detail = fmt.Sprintf("%s tokens: enough for translation requests (about %s), but a summary reads up to %s tokens of Dutch and needs about %s, so articles longer than about %s tokens do not fit%s", num(r.Window), num(needs.Translate), num(needs.SummaryInput), num(needs.Summary), num(max(longest, 0)), counted)
	default:
		r.Status = OK
		r.Detail = fmt.Sprintf("%s tokens; requests need at most about %s%s", num(r.Window), num(needs.Summary), counted)
	}
	d.set(r)
}

func (d *doctor) checkRateLimits() {
	if !d.mayAsk(CheckRateLimits) {
		return
	}
	if h := d.headers.limits(); h != "" {
		d.set(Result{Check: CheckRateLimits, Status: OK, Detail: "the server sends its limits (" + h + "); a run paces itself to them"})
		return
	}
	if isLoopback(d.s.BaseURL) {
		d.set(Result{Check: CheckRateLimits, Status: OK, Detail: "none sent, as a local server has none"})
		return
	}
	d.set(Result{Check: CheckRateLimits, Status: Warning, Problem: NoRateHeaders, Detail: "none sent: a run learns the limits only from 429 replies"})
}

func (d *doctor) checkPrice() {
	p, ok := d.job.Prices.Lookup(d.s.Model)
	switch {
	case d.o.NotFound != nil:
		d.set(Result{Check: CheckPrice, Status: Skipped, Detail: "not checked: no server, so no model"})
	case ok:
		d.set(Result{Check: CheckPrice, Status: OK, Detail: fmt.Sprintf("$%.2f in, $%.2f out per million tokens (%s)", p.InputPerM, p.OutputPerM, d.job.Prices.Source)})
	case isLoopback(d.s.BaseURL):
		d.set(Result{Check: CheckPrice, Status: OK, Detail: "none: a local server costs nothing per token (outputs show the cost as unknown)"})
	default:
		d.set(Result{Check: CheckPrice, Status: Warning, Problem: NoPrice, Detail: fmt.Sprintf("none known for %q: costs show as unknown, and no cost cap can be kept", d.s.Model)})
	}
}

func (d *doctor) checkFolders() {
	if d.s.NoCache {
		d.set(Result{Check: CheckCache, Status: Skipped, Detail: "the cache is off"})
	} else {
		d.set(folderResult(CheckCache, d.s.CacheDir, defaultCacheDir))
	}
	if d.s.Out == "" {
		d.set(Result{Check: CheckOut, Status: Skipped, Detail: "none set: outputs go beside each input"})
	} else {
		d.set(folderResult(CheckOut, d.s.Out, nil))
	}
}

// isLoopback reports whether a base URL names this machine.
func isLoopback(base string) bool {
	u, err := url.Parse(base)
	if err != nil {
		return false
	}
	h := u.Hostname()
	if strings.EqualFold(h, "localhost") {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

// num writes a count with thousands separators: 12,000.
func num(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0 && s[i-1] != '-'; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

func preview(s string, n int) string {
	r := []rune(strings.Join(strings.Fields(s), " "))
	if len(r) <= n {
		return string(r)
	}
	return string(r[:n-1]) + "…"
}

// pace is job.Env.Pace: the run's scheduler, watched.
func (h *headerLog) pace(s *schedule.Scheduler) llm.Pacer {
	h.next = s
	return h
}
