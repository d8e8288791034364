package job_test

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nl2en/nl2en/pipeline/job"
	"github.com/nl2en/nl2en/pipeline/openaitest"
)

// valid are settings Open accepts, against the server at base.
func valid(base string) job.Settings {
	return job.Settings{APIKey: "sk-test-0123456789abcdef", BaseURL: base, Model: "gpt-4.1-mini",
		Timeout: time.Second, MaxRetries: 0, Concurrency: 2, TokenBudget: 800, NoCache: true, Version: "test"}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(*job.Settings)
		want   job.Setting // 0: valid
	}{
		{"valid", func(*job.Settings) {}, 0},
		{"base URL without scheme", func(s *job.Settings) { s.BaseURL = "localhost:11434" }, job.SettingBaseURL},
		{"no model", func(s *job.Settings) { s.Model = "" }, job.SettingModel},
		{"zero timeout", func(s *job.Settings) { s.Timeout = -time.Second }, job.SettingTimeout},
		{"negative retries", func(s *job.Settings) { s.MaxRetries = -1 }, job.SettingMaxRetries},
		{"small budget", func(s *job.Settings) { s.TokenBudget = 20 }, job.SettingTokenBudget},
		{"negative rpm", func(s *job.Settings) { s.RPM = -1 }, job.SettingRPM},
		{"negative max cost", func(s *job.Settings) { s.MaxCost = -1 }, job.SettingMaxCost},
		{"price in without out", func(s *job.Settings) { s.PriceIn = 1 }, job.SettingPriceOut},
		{"price out without in", func(s *job.Settings) { s.PriceOut = 1 }, job.SettingPriceIn},
		{"bad include", func(s *job.Settings) { s.Include = []string{"[a-"} }, job.SettingInclude},
		{"bad exclude", func(s *job.Settings) { s.Exclude = []string{""} }, job.SettingExclude},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := valid("http://localhost:8080/v1")
			tt.change(&s)
			err := s.Defaults().Validate()
			var se *job.SettingError
			switch {
			case tt.want == 0 && err != nil:
				t.Fatalf("Validate() = %v, want nil", err)
			case tt.want != 0 && !errors.As(err, &se):
				t.Fatalf("Validate() = %v, want a SettingError for the %s", err, tt.want)
			case tt.want != 0 && se.Setting != tt.want:
				t.Fatalf("Validate() names the %s, want the %s (%v)", se.Setting, tt.want, err)
			case err != nil && strings.Contains(err.Error(), "--"):
				t.Errorf("Validate() = %q names a flag: the command adds those", err)
			}
		})
	}
}

// TestOpenKey: a server that needs a key gets none rather than a
// placeholder copied from .env.example, and says so before any request;
// a local server is sent no placeholder either.
func TestOpenKey(t *testing.T) {
	for _, key := range []string{"", "sk-...", "  your-key ", "<your key>"} {
		s := valid("https://api.openai.com/v1")
		s.APIKey = key
		_, err := job.Open(s, job.Env{})
		var ke *job.KeyError
		if !errors.As(err, &ke) {
			t.Errorf("key %q for OpenAI: Open() = %v, want a KeyError", key, err)
		}
	}
	s := valid("https://api.openai.com/v1")
	s.APIKey, s.DryRun = "", true
	if _, err := job.Open(s, job.Env{}); err != nil {
		t.Errorf("a dry run needs no key: Open() = %v", err)
	}

	srv := openaitest.New(t, openaitest.WithAPIKey("")) // a local server: no key needed
	s = valid(srv.BaseURL())
	s.APIKey = "sk-..."
	j, err := job.Open(s, job.Env{})
	if err != nil {
		t.Fatalf("a local server takes no key: Open() = %v", err)
	}
	dir := t.TempDir()
	in := filepath.Join(dir, "a.txt")
	if err := os.WriteFile(in, []byte("Kop van het bericht\n\nDe gemeente bouwt een nieuw zwembad aan de rand van de stad.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	run, err := j.Begin(t.Context(), []string{in})
	if err != nil {
		t.Fatal(err)
	}
	defer run.End()
	if _, err := run.Translate(t.Context(), nil); err != nil {
		t.Fatal(err)
	}
	for _, r := range srv.Requests() {
		if strings.Contains(r.Header.Get("Authorization"), "sk-...") {
			t.Errorf("the placeholder key was sent: Authorization %q", r.Header.Get("Authorization"))
		}
	}
}

// TestOpenFormats guards how the settings' formats and template become
// the run's outputs: a template takes the Markdown's place and brings the
// JSON whose stamp it relies on; a bad format or template is a setting
// error naming it.
func TestOpenFormats(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "card.tmpl")
	bad := filepath.Join(dir, "bad.tmpl")
	for p, text := range map[string]string{good: "{{.summary.title}}", bad: "{{.summary.title"} {
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name     string
		formats  []string
		template string
		want     string      // the formats' names, joined
		err      job.Setting // 0: none
	}{
		{"default", nil, "", "md,json", 0},
		{"every format, twice", []string{"html", "bilingual", "md", "json", "Markdown"}, "", "html,bilingual,md,json", 0},
		{"template in the Markdown's place", []string{"html", "md", "json"}, good, "html,template,json", 0},
		{"template brings the JSON", []string{"md"}, good, "template,json", 0},
		{"template first without Markdown", []string{"html"}, good, "template,html,json", 0},
		{"unknown format", []string{"md", "pdf"}, "", "", job.SettingFormat},
		{"template that does not parse", nil, bad, "", job.SettingTemplate},
		{"missing template", nil, filepath.Join(dir, "nope.tmpl"), "", job.SettingTemplate},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := valid("http://localhost:8080/v1")
			s.Formats, s.Template = tt.formats, tt.template
			j, err := job.Open(s, job.Env{})
			if tt.err != 0 {
				var se *job.SettingError
				if !errors.As(err, &se) || se.Setting != tt.err {
					t.Fatalf("Open: %v, want a SettingError for the %s", err, tt.err)
				}
				if tt.template != "" && !strings.Contains(err.Error(), filepath.Base(tt.template)) {
					t.Errorf("Open: %q does not name the template file", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, f := range j.RunnerConfig(nil).Formats {
				names = append(names, f.Name)
			}
			if got := strings.Join(names, ","); got != tt.want {
				t.Errorf("got formats %s, want %s", got, tt.want)
			}
		})
	}
}

// TestBeginMakesNoFolderOfAMissingInput: without --out, a run takes the
// lock of its first input's folder; a folder that does not exist is not
// made for it (the input is reported missing, and nothing is written).
func TestBeginMakesNoFolderOfAMissingInput(t *testing.T) {
	t.Chdir(t.TempDir())
	j, err := job.Open(valid("http://localhost:8080/v1"), job.Env{})
	if err != nil {
		t.Fatal(err)
	}
	r, err := j.Begin(t.Context(), []string{filepath.Join("nosuch", "dir", "x.txt")})
	if err != nil {
		t.Fatal(err)
	}
	r.End()
	if _, err := os.Stat("nosuch"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the missing input's folder was made (%v)", err)
	}
}
