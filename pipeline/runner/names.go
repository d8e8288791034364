package runner

import (
	"path/filepath"

	"github.com/nl2en/nl2en/pipeline"
	"github.com/nl2en/nl2en/pipeline/names"
)

// learnNames ends a run that keeps a names memory: the names of the
// articles it translated are looked at together (names.Run.Pass), what they
// teach is merged into the memory file, and the conflicts found are
// added to the report and to the articles' lines of the folder index.
// A memory that cannot be written is said in the log: the outputs are
// what matters.
func (r *Runner) learnNames(rep *Report, idx *entries) {
	if idx == nil || !r.cfg.LearnNames {
		return
	}
	learned, conflicts := idx.names.Pass(r.cfg.Names)
	added := 0
	if len(learned) > 0 {
		n, more, err := r.store.MergeNames(learned)
		if err != nil {
			r.cfg.Log.Error("could not update the names memory; it is kept as it was", "error", err.Error())
		}
		added = n
		conflicts = append(conflicts, more...)
	}
	rep.mu.Lock()
	if rep.Names == nil {
		rep.Names = &NamesReport{Conflicts: []pipeline.NameConflict{}}
	}
	rep.Names.Learned = added
	rep.nameConflicts(conflicts)
	n := len(rep.Names.Conflicts)
	rep.mu.Unlock()
	idx.mu.Lock()
	for _, c := range conflicts {
		for i := range idx.list {
			if idx.list[i].Source == c.Source {
				c.Source = ""
				idx.list[i].NameConflicts = append(idx.list[i].NameConflicts, c)
				break
			}
		}
	}
	idx.mu.Unlock()
	if added > 0 || n > 0 {
		r.cfg.Log.Info("names memory", "file", filepath.Join(r.cfg.Out, names.File), "learned", added, "conflicts", n)
	}
}
