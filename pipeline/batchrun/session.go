package batchrun

import (
	"context"
	"fmt"
	"path/filepath"

	openai "github.com/sashabaranov/go-openai"

	"github.com/nl2en/nl2en/pipeline"
	"github.com/nl2en/nl2en/pipeline/batchapi"
	"github.com/nl2en/nl2en/pipeline/job"
	"github.com/nl2en/nl2en/pipeline/lock"
	"github.com/nl2en/nl2en/pipeline/runner"
	"github.com/nl2en/nl2en/pipeline/translate"
	"github.com/nl2en/nl2en/pipeline/walk"
)

// Session is the Batch API state of one output folder, open under the
// folder's run lock, which live runs take too.
type Session struct {
	job   *job.Job
	api   *batchapi.Client
	state *batchapi.State
	lock  *lock.Lock
}

// Open takes the run lock of the job's output folder, loads the batch
// state kept there, and finishes any submit a crash cut short. The lock
// is held until Close; a lock held by another run gives a
// [*lock.HeldError].
func Open(ctx context.Context, j *job.Job) (*Session, error) {
	out := j.Settings.Out
	lk, err := lock.Take(ctx, out, j.Settings.Wait, j.Now())
	if err != nil {
		return nil, err
	}
	st, err := batchapi.LoadState(batchapi.StatePath(out))
	if err != nil {
		lk.Unlock()
		return nil, err
	}
	s := &Session{job: j, api: batchapi.New(j.Client, j.Log), state: st, lock: lk}
	// A submit that died midway is found and finished, never paid twice.
	if err := s.api.Recover(ctx, st); err != nil {
		lk.Unlock()
		return nil, fmt.Errorf("batch state in %s: %w", out, err)
	}
	return s, nil
}

// Close releases the run lock.
func (s *Session) Close() error { return s.lock.Unlock() }

// Submitted sums up a submit.
type Submitted struct {
	Articles int // articles whose requests were submitted
	Requests int
	Failed   int // inputs that could not be read or split
}

// Submit plans every input that is not up to date and not already in a
// batch, builds its requests as the live path would, and submits them in
// as many batches as the limits need. An input that cannot be read or
// split is passed to onError and counted, and the rest go on.
func (s *Session) Submit(ctx context.Context, inputs []string, onError func(error)) (Submitted, error) {
	var sum Submitted
	j := s.job
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
	err := walk.Walk(ctx, inputs, cfg.Walk, func(in walk.Input) error {
		data, digest, pending, err := run.Pending(ctx, in)
		if err != nil {
			fail(err)
			return nil
		}
		if !pending || inFlight[ID{Digest: digest[:digestChars], Input: in}.Article()] {
			return nil
		}
		art, err := j.Splitter.Split(ctx, in.Path, data, cfg.Split)
		if err != nil {
			fail(err)
			return nil
		}
		sum.Articles++
		for _, p := range j.Translator.Requests(art) {
			lines = append(lines, batchapi.Line{CustomID: NewID(digest, in, p).String(), Request: p.Request})
		}
		return nil
	}, func(path string, err error) {
		fail(fmt.Errorf("%s: %w", path, err))
	})
	if err != nil {
		return sum, err
	}
	if len(lines) == 0 {
		j.Log.Info("nothing new to submit")
		return sum, nil
	}
	chunks, err := batchapi.Chunk(lines, 0, 0)
	if err != nil {
		return sum, err
	}
	for _, ch := range chunks {
		rec, err := s.api.Submit(ctx, s.state, ch, map[string]string{"nl2en_out": filepath.Base(j.Settings.Out)})
		if err != nil {
			return sum, fmt.Errorf("submit a batch of %d requests: %w", len(ch), err)
		}
		sum.Requests += len(ch)
		j.Log.Info("submitted batch", "batch", rec.BatchID, "requests", rec.Requests)
	}
	return sum, nil
}

// Status refreshes every recorded batch and returns the records. The
// records are returned even when a refresh failed, with the error.
func (s *Session) Status(ctx context.Context) ([]*batchapi.Record, error) {
	err := s.api.Refresh(ctx, s.state)
	return s.state.Records, err
}

// reply is one result of a batch, before its range is resolved.
type reply struct {
	id       ID
	response *openai.ChatCompletionResponse // nil when the request failed
}

// Collect finishes every article whose requests are all in finished
// batches: replies are checked as live ones are, and what failed is sent
// live, or with resubmit, the article is left for the next submit. It
// writes the outputs and the run report as a live run does.
func (s *Session) Collect(ctx context.Context, resubmit bool, p runner.Progress) (*runner.Report, error) {
	j := s.job
	if err := s.api.Refresh(ctx, s.state); err != nil {
		j.Log.Warn("could not refresh every batch", "error", err.Error())
	}
	waiting := map[string]bool{} // articles with a request still running
	for _, rec := range s.state.Open() {
		for _, cid := range rec.CustomIDs {
			if id, ok := ParseID(cid); ok {
				waiting[id.Article()] = true
			}
		}
	}
	replies := map[string][]reply{} // article → its replies
	inputs := map[string]walk.Input{}
	failedLine := map[string]bool{}
	var ready []*batchapi.Record
	for _, rec := range s.state.Uncollected() {
		results, err := s.api.Results(ctx, rec)
		if err != nil {
			j.Log.Error("could not download a batch's results; will try again", "batch", rec.BatchID, "error", err.Error())
			continue
		}
		ready = append(ready, rec)
		for _, r := range results {
			id, ok := ParseID(r.CustomID)
			if !ok {
				continue
			}
			key := id.Article()
			inputs[key] = id.Input
			if !r.OK() {
				failedLine[key] = true
				j.Log.Warn("batch request failed", "article", id.Input.Path, "request", r.CustomID, "code", r.Code, "error", r.Err)
			}
			replies[key] = append(replies[key], reply{id: id, response: r.Response})
		}
	}
	var todo []walk.Input
	byPath := map[string][]reply{} // digest|path → replies, as the runner names an article
	done := map[string]bool{}
	for key, in := range inputs {
		switch {
		case waiting[key]:
			continue
		case resubmit && failedLine[key]:
			j.Log.Info("leaving for the next submit", "article", in.Path)
		default:
			todo = append(todo, in)
			byPath[key[:digestChars]+"|"+in.Path] = replies[key]
		}
		done[key] = true
	}
	cfg := j.RunnerConfig(p)
	cfg.Force = true // the outputs are what the batch was for
	cfg.Replies = func(art *pipeline.Article, digest string) []translate.Reply {
		// An article edited since it was submitted has another digest and
		// gets no replies: it is translated live, afresh.
		return resolve(j.Translator.UnitIDs(art), byPath[digest[:digestChars]+"|"+art.Name])
	}
	rep, runErr := runner.New(j.Translator, j.Splitter, cfg).RunInputs(ctx, todo)
	if runErr != nil {
		rep.Error = runErr.Error()
	}
	// A record is collected once none of its articles waits for another.
	for _, rec := range ready {
		all := true
		for _, cid := range rec.CustomIDs {
			if id, ok := ParseID(cid); ok && !done[id.Article()] {
				all = false
			}
		}
		if all {
			rec.Collected = true
			if err := s.api.DeleteFiles(ctx, rec); err != nil {
				j.Log.Warn("could not delete a batch's files", "batch", rec.BatchID, "error", err.Error())
			}
		}
	}
	if err := s.state.Save(); err != nil {
		return rep, err
	}
	j.SaveReport([]string{j.Settings.Out}, rep)
	return rep, runErr
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
