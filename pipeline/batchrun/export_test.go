package batchrun

// StopAfterDownload makes the session's next collect stop with err once
// the results are downloaded, before any article is written.
func (s *Session) StopAfterDownload(err error) {
	s.hooks.afterDownload = func() error { return err }
}

// StopBeforeSave makes the session's next collect stop with err once the
// articles are written, before the state is saved, as a process killed
// there would.
func (s *Session) StopBeforeSave(err error) {
	s.hooks.beforeSave = func() error { return err }
}

// Spent is what the session's collects paid live.
func (s *Session) Spent() float64 { return s.spent }

// SetSpent sets what the session counts as paid live.
func (s *Session) SetSpent(v float64) { s.spent = v }
