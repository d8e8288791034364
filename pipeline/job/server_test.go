package job_test

import (
	"errors"
	"testing"

	"github.com/nl2en/nl2en/pipeline/job"
	"github.com/nl2en/nl2en/pipeline/llm"
)

// TestValidateEndpointURL guards that a base URL copied with the
// endpoint's path, which every request would double, is refused with the
// base URL meant.
func TestValidateEndpointURL(t *testing.T) {
	for _, base := range []string{"http://localhost:1234/v1/chat/completions", "http://localhost:1234/v1/chat/completions/"} {
		s := valid(base)
		err := s.Defaults().Validate()
		var se *job.SettingError
		var ee *llm.EndpointError
		if !errors.As(err, &se) || se.Setting != job.SettingBaseURL || !errors.As(err, &ee) || ee.BaseURL != "http://localhost:1234/v1" {
			t.Errorf("base URL %q: Validate() = %v, want the base URL refused for http://localhost:1234/v1", base, err)
		}
	}
}
