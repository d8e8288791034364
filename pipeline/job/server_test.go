package job_test

import (
	"errors"
	"strings"
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

// TestOpenKeyHostedAPIs guards that a placeholder key for a hosted API
// that needs a key is refused before any request, wherever that API is
// reached: OpenAI's regional hosts, Azure (by its URL or by the setting),
// OpenRouter and the other hosted APIs.
func TestOpenKeyHostedAPIs(t *testing.T) {
	tests := []struct {
		base  string
		azure bool
	}{
		{"https://eu.api.openai.com/v1", false},
		{"https://myres.openai.azure.com", false},
		{"https://gateway.example.com/azure-openai", true},
		{"https://openrouter.ai/api/v1", false},
		{"https://api.groq.com/openai/v1", false},
	}
	for _, tt := range tests {
		for _, key := range []string{"", "sk-...", "your-key"} {
			s := valid(tt.base)
			s.APIKey, s.Azure = key, tt.azure
			_, err := job.Open(s, job.Env{})
			var ke *job.KeyError
			if !errors.As(err, &ke) || !strings.Contains(err.Error(), llm.Host(tt.base)) {
				t.Errorf("%s with key %q: Open() = %v, want a KeyError naming the server", tt.base, key, err)
			}
		}
	}
}
