package batchrun

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"text/tabwriter"
	"time"

	openai "github.com/sashabaranov/go-openai"

	"github.com/nl2en/nl2en/pipeline"
	"github.com/nl2en/nl2en/pipeline/batchapi"
	"github.com/nl2en/nl2en/pipeline/cost"
	"github.com/nl2en/nl2en/pipeline/job"
	"github.com/nl2en/nl2en/pipeline/outputs"
	"github.com/nl2en/nl2en/pipeline/runner"
	"github.com/nl2en/nl2en/pipeline/translate"
	"github.com/nl2en/nl2en/pipeline/walk"
)

// Session is the Batch API state of one output folder, open under the
// folder's run lock, which live runs take too. A dry run's session takes
// no lock, sends no request that creates or costs anything, and writes
// nothing.
type Session struct {
	job   *job.Job
	calls *countingAPI
	api   *batchapi.Client
	state *batchapi.State
	lock  *outputs.Lock
	// spent is what the session's collect paid live: a submit after it
	// in one run (batch run) has only the rest of the cost cap.
	spent float64
	// hooks stop a collect at a step, for tests (see export_test.go).
	hooks struct {
		afterDownload, beforeSave func() error
	}
}

// ErrNoState is the error of a folder where no batch was ever submitted.
var ErrNoState = errors.New("no batch was submitted for this folder")

// Open takes the run lock of the job's output folder, loads the batch
// state kept there, and finishes any submit a crash cut short. The lock
// is held until Close; a lock held by another run gives an
// [*outputs.HeldError]. A dry run takes no lock and finishes nothing.
func Open(ctx context.Context, j *job.Job) (*Session, error) {
	out := j.Settings.Out
	s := &Session{job: j, calls: &countingAPI{API: j.Client, dryRun: j.Settings.DryRun}}
	s.api = batchapi.New(s.calls, j.Log)
	if !j.Settings.DryRun {
		if err := j.Store.Prepare(); err != nil {
			return nil, err
		}
		lk, err := j.Store.Lock(ctx, out, j.Settings.Wait, j.Now())
		if err != nil {
			return nil, err
		}
		s.lock = lk
	}
	st, err := batchapi.OpenState(j.Store)
	if err != nil {
		s.Close()
		return nil, fmt.Errorf("batch state %s: %w", filepath.Join(out, outputs.BatchStateFile), err)
	}
	s.state = st
	if !j.Settings.DryRun {
		// A submit that died midway is found and finished, never paid
		// twice.
		if err := s.api.Recover(ctx, st); err != nil {
			s.Close()
			return nil, fmt.Errorf("batch state in %s: %w", out, err)
		}
	}
	return s, nil
}

// Close releases the run lock.
func (s *Session) Close() error {
	var err error
	if s.lock != nil {
		err = s.lock.Unlock()
		s.lock = nil
	}
	return errors.Join(err, s.job.Store.Close())
}

// Empty reports whether the folder has no batch state at all.
func (s *Session) Empty() bool { return len(s.state.Records) == 0 }

// Running counts the batches still running.
func (s *Session) Running() int { return len(s.state.Open()) }

// Changes counts the requests the session sent to the Files and Batch
// APIs that uploaded, created, cancelled or deleted something.
func (s *Session) Changes() int { return int(s.calls.sent.Load()) }

// Submit plans every input that is not up to date and not already in a
// batch, builds its requests as the live path would, and submits them in
// as many batches as the limits need, with the settings that shaped them
// ([Recorded]). Under a cost cap, each article is estimated at batch
// prices first and only those that fit are submitted, in the order
// found; the rest are listed in LeftOut. The cap is the run's: what a
// collect before it in the same session paid live counts against it. An article the segment cache
// holds whole, or one already in English, needs no request: it is
// written at once, as a live run would write it. An input that cannot be read or split is passed to
// onError and counted, and the rest go on. A dry run plans the same and
// submits and writes nothing.
func (s *Session) Submit(ctx context.Context, inputs []string, onError func(error)) (*runner.Submitted, error) {
	j := s.job
	sum := &runner.Submitted{DryRun: j.Settings.DryRun}
	sum.SetCost(cost.USD(0))
	mine := recordedOf(j)
	if theirs, ok := inFlightSettings(s.state); ok {
		if setting, a, b, differs := mine.conflict(theirs); differs {
			return sum, &job.SettingError{Setting: setting, Value: a, Problem: fmt.Sprintf(
				"differs from %s, which the batches in flight in %s were submitted with: collect them first (nl2en batch collect %s), or submit with the same settings",
				b, j.Settings.Out, j.Settings.Out)}
		}
	}
	settings, err := json.Marshal(mine)
	if err != nil {
		return sum, err
	}
	cfg := j.RunnerConfig(nil)
	run := runner.New(j.Translator, j.Splitter, cfg)
	inFlight := map[string]bool{}
	for cid := range s.state.InFlight() {
		if id, ok := ParseID(cid); ok {
			inFlight[id.Article()] = true
		}
	}
	fail := func(err error) {
		sum.Failed++
		if onError != nil {
			onError(err)
		}
	}
	var lines []batchapi.Line
	var cached []walk.Input
	spent, stopped := s.spent, false
	err = walk.Walk(ctx, inputs, cfg.Walk, func(in walk.Input) error {
		sum.Found++
		data, digest, pending, err := run.Pending(ctx, in)
		if err != nil {
			fail(err)
			return nil
		}
		switch {
		case !pending:
			sum.UpToDate++
			return nil
		case inFlight[ID{Digest: digest[:digestChars], Input: in}.Article()]:
			sum.InBatch++
			return nil
		}
		art, err := j.Splitter.Split(ctx, in.Path, data, cfg.Split)
		if err != nil {
			fail(err)
			return nil
		}
		price := s.batchPrice(j.Translator.Estimate(art).Usage)
		if j.Settings.MaxCost > 0 && (stopped || spent+price.USD > j.Settings.MaxCost) {
			// As the live path does: once one does not fit, none after it
			// starts, so that the order found is the order paid.
			stopped = true
			sum.LeftOut = append(sum.LeftOut, in.Path)
			return nil
		}
		planned := j.Translator.Requests(art)
		if len(planned) == 0 {
			// Already English, or the segment cache holds all of it:
			// nothing to send, in a batch or live; it is written now.
			if art.EnglishOnly {
				sum.English++
			}
			cached = append(cached, in)
			return nil
		}
		spent += price.USD
		sum.SetCost(sum.Cost().Add(price))
		sum.Articles++
		for _, p := range planned {
			lines = append(lines, batchapi.Line{CustomID: NewID(digest, in, p).String(), Request: p.Request})
		}
		return nil
	}, func(path string, err error) {
		sum.Found++
		fail(fmt.Errorf("%s: %w", path, err))
	})
	if err != nil {
		return sum, err
	}
	if len(cached) > 0 {
		sum.FromCache = len(cached) - sum.English
		if !sum.DryRun {
			rep, err := runner.New(j.Translator, j.Splitter, cfg).RunInputs(ctx, cached)
			for _, f := range rep.Failures {
				sum.FromCache--
				fail(f.Err())
			}
			if err != nil {
				return sum, err
			}
		}
	}
	if len(lines) == 0 {
		return sum, nil
	}
	chunks, err := batchapi.Chunk(lines, 0, 0)
	if err != nil {
		return sum, err
	}
	if sum.DryRun {
		sum.Requests, sum.Batches = len(lines), len(chunks)
		return sum, nil
	}
	for _, ch := range chunks {
		rec, err := s.api.Submit(ctx, s.state, ch, map[string]string{"nl2en_out": filepath.Base(j.Settings.Out)}, settings)
		if err != nil {
			return sum, fmt.Errorf("submit a batch of %d requests: %w", len(ch), err)
		}
		sum.Requests += len(ch)
		sum.Batches++
		j.Log.Info("submitted batch", "batch", rec.BatchID, "requests", rec.Requests)
	}
	return sum, nil
}

// batchPrice prices an estimate of live requests as the same requests
// through the Batch API.
func (s *Session) batchPrice(u map[pipeline.RequestKind]pipeline.Usage) cost.Amount {
	var all pipeline.Usage
	for _, x := range u {
		all = all.Add(x)
	}
	return s.job.Price(pipeline.RequestBatch, all)
}

// Status refreshes every recorded batch and returns the records. The
// records are returned even when a refresh failed, with the error.
func (s *Session) Status(ctx context.Context) ([]*batchapi.Record, error) {
	err := s.api.Refresh(ctx, s.state)
	return s.state.Records, err
}

// WriteStatus writes records as a table: one row a batch, with its ids,
// status, counts, when it was created and whether it was collected.
func WriteStatus(w io.Writer, recs []*batchapi.Record) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tBATCH\tSTATUS\tREQUESTS\tCOMPLETED\tFAILED\tCREATED\tCOLLECTED")
	for _, r := range recs {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%d\t%d\t%s\t%v\n", r.ID, r.BatchID, r.Status, r.Requests,
			r.Counts.Completed, r.Counts.Failed, r.Created.Format("2006-01-02 15:04"), r.Collected)
	}
	return tw.Flush()
}

// reply is one result of a batch, before its range is resolved.
type reply struct {
	id       ID
	response *openai.ChatCompletionResponse // nil when the request failed
}

// collectable is an article with replies in batches that have finished.
type collectable struct {
	in      walk.Input
	id      ID // of any of its requests: the article's digest and input
	replies []reply
	// notes say, for each request that came back without a reply, why.
	notes     []string
	failed    bool      // a request came back failed
	submitted time.Time // when its first batch was recorded
}

// Collect finishes every article whose requests are all in finished
// batches: replies are checked as live ones are, and what failed is sent
// live (each article says why), or with resubmit, the article is left for
// the next submit. The outputs are written, and the folder index merged,
// as a live run writes them, through the output folder's store.
//
// A batch is marked collected, and its files deleted, only once each of
// its articles is settled: written through the store (in this collect, or
// in an earlier one that was cut short: its outputs are up to date and
// newer than the batch), or left for the next submit (with resubmit), or
// failed, or changed or gone since it was submitted. An article that was
// not done (the run was stopped, or the cost cap reached) keeps its batch
// open, and its replies, for the next collect: nothing is paid twice and
// nothing is lost, wherever a collect stops. A dry run downloads the
// results and plans what would be sent live, and writes nothing.
func (s *Session) Collect(ctx context.Context, resubmit bool, p runner.Progress) (*runner.Report, error) {
	j := s.job
	if err := s.api.Refresh(ctx, s.state); err != nil {
		j.Log.Warn("could not refresh every batch", "error", err.Error())
	}
	if rec, ok := inFlightSettings(s.state); ok {
		// The files behind the recorded paths may have been edited since.
		for _, f := range []struct {
			file       string
			same       bool // the path recorded
			then, want string
		}{
			{orBuiltIn(j.Settings.PromptsDir), absPath(j.Settings.PromptsDir) == rec.Prompts, rec.PromptsSHA256, j.Digests.Prompts},
			{j.Settings.GlossaryFile, absPath(j.Settings.GlossaryFile) == rec.Glossary, rec.GlossarySHA256, j.Digests.Glossary},
			{j.Settings.Template, absPath(j.Settings.Template) == rec.Template, rec.TemplateSHA256, j.Digests.Template},
			{j.Settings.StyleFile, absPath(j.Settings.StyleFile) == rec.Style, rec.StyleSHA256, j.Digests.Style},
		} {
			if f.same && f.then != f.want {
				j.Log.Warn("changed since the batches were submitted; used as it is now", "file", f.file)
			}
		}
	}
	waiting := map[string]bool{} // articles with a request not back yet
	for _, rec := range s.state.Open() {
		for _, cid := range rec.CustomIDs {
			if id, ok := ParseID(cid); ok {
				waiting[id.Article()] = true
			}
		}
	}
	arts := map[string]*collectable{}
	var ready []*batchapi.Record
	// unread counts the finished batches whose results could not be
	// downloaded; the next collect tries them again.
	unread, unreadErr := 0, error(nil)
	for _, rec := range s.state.Uncollected() {
		results, err := s.api.Results(ctx, rec)
		if err != nil {
			unread, unreadErr = unread+1, err
			j.Log.Error("could not download a batch's results; will try again", "batch", rec.BatchID, "error", err.Error())
			for _, cid := range rec.CustomIDs {
				if id, ok := ParseID(cid); ok {
					waiting[id.Article()] = true
				}
			}
			continue
		}
		ready = append(ready, rec)
		dir := ""
		if r, ok := settingsOf(rec); ok {
			dir = r.Dir
		}
		for _, r := range results {
			id, ok := ParseID(r.CustomID)
			if !ok {
				continue
			}
			key := id.Article()
			a := arts[key]
			if a == nil {
				a = &collectable{in: inputIn(dir, id.Input), id: id, submitted: rec.Created}
				arts[key] = a
			}
			if rec.Created.Before(a.submitted) {
				a.submitted = rec.Created
			}
			if !r.OK() {
				a.failed = true
				a.notes = append(a.notes, fmt.Sprintf("%s: its batch request failed (%s)", id.request(), r.Code))
				j.Log.Warn("batch request failed", "article", a.in.Path, "request", r.CustomID, "code", r.Code, "error", r.Err)
			}
			a.replies = append(a.replies, reply{id: id, response: r.Response})
		}
	}
	if h := s.hooks.afterDownload; h != nil {
		if err := h(); err != nil {
			return runner.NewReport(j.Now()), err
		}
	}

	settled := map[string]bool{}
	var todo []walk.Input
	// written are the articles an earlier collect, cut short, wrote: they
	// join the folder index, which that collect did not reach.
	var written []walk.Input
	var writtenDigests []string
	byPath := map[string]*collectable{} // the articles to finish, by the path the runner names them by
	keys := make([]string, 0, len(arts))
	for k := range arts {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, key := range keys {
		a := arts[key]
		if waiting[key] {
			continue
		}
		if why, digest, done := s.settledBefore(ctx, a); done {
			settled[key] = true
			j.Log.Info(why, "article", a.in.Path)
			if digest != "" {
				written = append(written, a.in)
				writtenDigests = append(writtenDigests, digest)
			}
			continue
		}
		if resubmit && a.failed {
			settled[key] = true
			j.Log.Info("left for the next submit", "article", a.in.Path)
			continue
		}
		todo = append(todo, a.in)
		byPath[a.in.Path] = a
	}

	cfg := j.RunnerConfig(nil)
	cfg.Force = true // the outputs are what the batch was for
	cfg.Replies = func(art *pipeline.Article, digest string) ([]translate.Reply, []string) {
		// An article edited since it was looked at gets no replies: it
		// is translated live, afresh.
		a := byPath[art.Name]
		if a == nil || len(digest) < digestChars || digest[:digestChars] != a.id.Digest {
			return nil, nil
		}
		return resolve(j.Translator.UnitIDs(art), a.replies), a.notes
	}
	outcomes := &outcomes{Progress: p, status: map[string]runner.Status{}}
	cfg.Progress = outcomes
	cfg.Estimate = s.liveEstimate(byPath)
	run := runner.New(j.Translator, j.Splitter, cfg)
	rep, runErr := run.RunInputs(ctx, todo)
	if runErr == nil && unread > 0 {
		// Not "nothing to collect": results are there, and were not read.
		runErr = fmt.Errorf("could not download the results of %s (%w); the next collect tries again", runner.NOf(unread, "batch"), unreadErr)
	}
	if runErr != nil {
		rep.Error = runErr.Error()
	}
	if err := run.IndexWritten(written, writtenDigests); err != nil {
		j.Log.Error("could not write the folder index", "error", err.Error())
	}
	s.spent += rep.Cost().USD
	if j.Settings.DryRun {
		return rep, runErr
	}
	for _, in := range todo {
		key := byPath[in.Path].id.Article()
		switch {
		case j.Store.Committed(in.Path):
			settled[key] = true
		case runErr == nil && outcomes.get(in.Path) == runner.StatusFailed:
			// Failed for good in a run that went on: the next submit
			// plans it again, as the live path would try it again.
			settled[key] = true
		}
	}

	// A record is collected once every article of it is settled.
	var collected []*batchapi.Record
	for _, rec := range ready {
		all := true
		for _, cid := range rec.CustomIDs {
			if id, ok := ParseID(cid); ok && !settled[id.Article()] {
				all = false
				break
			}
		}
		if all {
			rec.Collected, rec.Updated = true, j.Now()
			collected = append(collected, rec)
		}
	}
	if h := s.hooks.beforeSave; h != nil {
		if err := h(); err != nil {
			return rep, err
		}
	}
	if err := s.state.Save(); err != nil {
		return rep, err
	}
	// The files go only once the state says the batch is collected: a
	// collect cut short before the save finds them again.
	for _, rec := range collected {
		if err := s.api.DeleteFiles(ctx, rec); err != nil {
			j.Log.Warn("could not delete a batch's files", "batch", rec.BatchID, "error", err.Error())
		}
	}
	rep.BatchAPIRequests = s.Changes()
	return rep, runErr
}

// settledBefore reports whether an article needs nothing from this
// collect, and why: its source is gone, or was changed since it was
// submitted (the next submit plans it), or its outputs are up to date and
// were made after it was submitted (a collect cut short wrote them, or a
// live run did): then written is the digest of the source they were made
// from.
func (s *Session) settledBefore(ctx context.Context, a *collectable) (why, written string, settled bool) {
	j := s.job
	data, err := runner.ReadInput(ctx, a.in.Path, nil, cmp.Or(j.Settings.MaxBytes, 1<<62))
	if errors.Is(err, fs.ErrNotExist) {
		return "its source is gone since it was submitted; its replies are dropped", "", true
	}
	if err != nil {
		return "", "", false // the run reports it
	}
	sum := sha256.Sum256(data)
	digest := hex.EncodeToString(sum[:])
	if digest[:digestChars] != a.id.Digest {
		return "changed since it was submitted; its replies are dropped and the next submit plans it", "", true
	}
	loc, err := j.Store.Locate(a.in)
	if err != nil {
		return "", "", false
	}
	st := j.Store.Status(loc, digest)
	if st.State == outputs.Current && !st.Created.Before(a.submitted.Truncate(time.Second)) {
		return "already written from its batch", digest, true
	}
	return "", "", false
}

// inputIn is in with a relative root taken from dir, the folder the
// submit ran in, when the collect runs elsewhere.
func inputIn(dir string, in walk.Input) walk.Input {
	if dir == "" || filepath.IsAbs(in.Root) {
		return in
	}
	if wd, err := os.Getwd(); err == nil && wd == dir {
		return in
	}
	in.Root = filepath.Join(dir, in.Root)
	in.Path = filepath.Join(in.Root, filepath.FromSlash(in.Rel))
	return in
}

// liveEstimate forecasts what an article finished from its replies sends
// live: the segments no usable reply covers, and the summary unless its
// reply came back (repairs are not foreseen, as for live runs).
func (s *Session) liveEstimate(byPath map[string]*collectable) func(*pipeline.Article) translate.Estimate {
	tr := s.job.Translator
	return func(art *pipeline.Article) translate.Estimate {
		a := byPath[art.Name]
		if a == nil {
			return tr.Estimate(art)
		}
		covered := map[string]bool{}
		summary := false
		order := tr.UnitIDs(art)
		for _, r := range a.replies {
			switch {
			case r.response == nil:
			case r.id.Summary():
				summary = true
			default:
				for _, u := range r.id.units(order) {
					covered[segmentOf(u)] = true
				}
			}
		}
		rest := *art
		rest.Segments = nil
		for _, seg := range art.Segments {
			if !covered[seg.ID] {
				rest.Segments = append(rest.Segments, seg)
			}
		}
		est := tr.Estimate(&rest)
		if u, ok := est.Usage[pipeline.RequestSummary]; ok && summary {
			delete(est.Usage, pipeline.RequestSummary)
			est.Requests -= u.Requests
			est.PromptTokens -= u.PromptTokens
			est.CompletionTokens -= u.CompletionTokens
		}
		return est
	}
}

// outcomes remembers how each article of a run ended, and passes the
// progress on.
type outcomes struct {
	runner.Progress
	mu     sync.Mutex
	status map[string]runner.Status
}

func (o *outcomes) Found(n int) {
	if o.Progress != nil {
		o.Progress.Found(n)
	}
}

func (o *outcomes) Finished(a runner.ArticleReport) {
	o.mu.Lock()
	o.status[a.File] = a.Status
	o.mu.Unlock()
	if o.Progress != nil {
		o.Progress.Finished(a)
	}
}

func (o *outcomes) get(path string) runner.Status {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.status[path]
}

// resolve turns an article's batch results into replies for the
// translator, with each range of units spelled out against the article's
// unit ids in order. A reply whose range does not resolve is dropped, so
// its units go live; a failed request is passed on without a response.
func resolve(order []string, rs []reply) []translate.Reply {
	var out []translate.Reply
	for _, r := range rs {
		if r.id.Summary() {
			out = append(out, translate.Reply{Summary: true, Response: r.response})
			continue
		}
		units := r.id.units(order)
		if units == nil {
			continue
		}
		out = append(out, translate.Reply{Units: units, Response: r.response})
	}
	return out
}
