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
