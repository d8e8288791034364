package runner

import (
	"context"
	"fmt"
	"strings"

	"github.com/nl2en/nl2en/pipeline"
)

// tidy finds the outputs whose source is gone, once a run over folders
// has walked every input, and with Prune removes them (never in a dry
// run). Both go through the output folder's store.
func (r *Runner) tidy(ctx context.Context, rep *Report, roots []string) {
	for _, o := range r.store.Orphans(ctx, roots) {
		if !r.cfg.Prune || r.cfg.DryRun {
			rep.Orphans = append(rep.Orphans, o.Path)
			continue
		}
		if err := r.store.Remove(o); err != nil {
			r.cfg.Log.Warn("could not remove an output whose source is gone", "file", o.Path, "error", err.Error())
			rep.Orphans = append(rep.Orphans, o.Path)
			continue
		}
		r.cfg.Log.Info("removed an output whose source is gone", "file", o.Path)
		rep.Pruned = append(rep.Pruned, o.Path)
	}
}

// liveReason says in one line why an article finished from Batch API
// replies still sent requests live: the notes of the replies it lacked
// (a batch line that failed, a request that expired), and the repairs
// the checks asked for.
func liveReason(a ArticleReport, notes []string) string {
	var why []string
	why = append(why, notes...)
	if n := a.Usage[pipeline.RequestRepair].Requests; n > 0 {
		why = append(why, nOf(n, "repair")+" of what the checks found in the replies")
	}
	if len(why) == 0 {
		why = append(why, "retries of replies that could not be used")
	}
	return fmt.Sprintf("sent %s live: %s", nOf(a.LiveRequests, "request"), strings.Join(why, "; "))
}
