package batchrun

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/nl2en/nl2en/pipeline"
	"github.com/nl2en/nl2en/pipeline/batchapi"
	"github.com/nl2en/nl2en/pipeline/job"
	"github.com/nl2en/nl2en/pipeline/outputs"
	"github.com/nl2en/nl2en/pipeline/redact"
)

// Recorded are the settings a submit used, kept with each batch it made
// (batchapi.Record.Settings): everything that shapes the requests or how
// their replies are checked, and the outputs asked for. Collect uses them,
// whatever settings it is given, so that replies are checked and written
// as the submit meant. The output folder is not among them: the state
// lives in the folder that collect names.
type Recorded struct {
	Model string `json:"model"`
	// BaseURL is the API's base URL without credentials.
	BaseURL        string   `json:"base_url"`
	Prompts        string   `json:"prompts,omitempty"`
	PromptsSHA256  string   `json:"prompts_sha256"`
	Glossary       string   `json:"glossary,omitempty"`
	GlossarySHA256 string   `json:"glossary_sha256,omitempty"`
	Strict         bool     `json:"strict"`
	AllowPartial   bool     `json:"allow_partial"`
	TokenBudget    int      `json:"token_budget"`
	Formats        []string `json:"formats"`
	Template       string   `json:"template,omitempty"`
	TemplateSHA256 string   `json:"template_sha256,omitempty"`
	// English is the variety of English asked for; absent in records
	// of submits before there was a choice, which were British.
	English     pipeline.English `json:"english,omitempty"`
	Style       string           `json:"style,omitempty"`
	StyleSHA256 string           `json:"style_sha256,omitempty"`
	// Dir is the folder submit ran in: the inputs' paths in the custom
	// ids are relative to it when they are relative, so that a collect
	// from cron, run elsewhere, finds them.
	Dir string `json:"dir"`
}

// recordedOf is what a submit by j records. The files' paths are
// recorded absolute, so that a collect run from another folder (cron's)
// reads the same files.
func recordedOf(j *job.Job) Recorded {
	s := j.Settings
	dir, _ := os.Getwd()
	return Recorded{
		Model:          s.Model,
		BaseURL:        redact.BaseURL(s.BaseURL),
		Prompts:        absPath(s.PromptsDir),
		PromptsSHA256:  j.Digests.Prompts,
		Glossary:       absPath(s.GlossaryFile),
		GlossarySHA256: j.Digests.Glossary,
		Strict:         s.Strict,
		AllowPartial:   s.AllowPartial,
		TokenBudget:    s.TokenBudget,
		Formats:        slices.Clone(s.Formats),
		Template:       absPath(s.Template),
		TemplateSHA256: j.Digests.Template,
		English:        s.English.Or(),
		Style:          absPath(s.StyleFile),
		StyleSHA256:    j.Digests.Style,
		Dir:            dir,
	}
}

// absPath is p made absolute against the current folder; "" (none, or
// the built-in one) stays "".
func absPath(p string) string {
	if p == "" {
		return ""
	}
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return p
}

// resolved is r with relative paths of files, as submits before paths
// were recorded absolute wrote them, taken from the folder it ran in.
func (r Recorded) resolved() Recorded {
	in := func(p string) string {
		if p == "" || filepath.IsAbs(p) || r.Dir == "" {
			return p
		}
		return filepath.Join(r.Dir, p)
	}
	r.Prompts, r.Glossary, r.Template, r.Style = in(r.Prompts), in(r.Glossary), in(r.Template), in(r.Style)
	return r
}

// settingsOf reads a record's settings; ok is false for a record written
// before settings were recorded (a state of version 1).
func settingsOf(rec *batchapi.Record) (Recorded, bool) {
	var r Recorded
	if len(rec.Settings) == 0 || json.Unmarshal(rec.Settings, &r) != nil || r.Model == "" {
		return Recorded{}, false
	}
	return r, true
}

// inFlightSettings are the settings of the batches not yet collected in
// st, when they recorded any.
func inFlightSettings(st *batchapi.State) (Recorded, bool) {
	for _, rec := range st.Records {
		if rec.Collected {
			continue
		}
		if r, ok := settingsOf(rec); ok {
			return r.resolved(), true
		}
	}
	return Recorded{}, false
}

// conflict names the first setting in which r and o differ that shaped
// the requests or their checking, with both values as the user would
// write them. The outputs asked for (--format, --template) do not count,
// as a collect may write others anyway, nor does the folder the submit
// ran in.
func (r Recorded) conflict(o Recorded) (setting job.Setting, mine, theirs string, differs bool) {
	switch {
	case r.Model != o.Model:
		return job.SettingModel, r.Model, o.Model, true
	case r.BaseURL != o.BaseURL:
		return job.SettingBaseURL, r.BaseURL, o.BaseURL, true
	case r.Prompts != o.Prompts:
		return job.SettingPromptsDir, orBuiltIn(r.Prompts), orBuiltIn(o.Prompts), true
	case r.Glossary != o.Glossary:
		return job.SettingGlossaryFile, orBuiltIn(r.Glossary), orBuiltIn(o.Glossary), true
	case r.Strict != o.Strict:
		return job.SettingStrict, fmt.Sprint(r.Strict), fmt.Sprint(o.Strict), true
	case r.AllowPartial != o.AllowPartial:
		return job.SettingAllowPartial, fmt.Sprint(r.AllowPartial), fmt.Sprint(o.AllowPartial), true
	case r.TokenBudget != o.TokenBudget:
		return job.SettingTokenBudget, fmt.Sprint(r.TokenBudget), fmt.Sprint(o.TokenBudget), true
	case r.English.Or() != o.English.Or():
		return job.SettingEnglish, string(r.English.Or()), string(o.English.Or()), true
	case r.Style != o.Style:
		return job.SettingStyleFile, orNone(r.Style), orNone(o.Style), true
	}
	return 0, "", "", false
}

func orBuiltIn(s string) string {
	if s == "" {
		return "the built-in one"
	}
	return s
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

// templateName names a template setting in a sentence.
func templateName(path string) string {
	if path == "" {
		return "the built-in Markdown"
	}
	return "the template " + path
}

// Adopt lays the settings recorded with the batches in flight in the
// output folder out over s, for a collect: a setting the user did not give
// takes the recorded value. --format and --template may be given anyway:
// the outputs are then written as asked, and a note says so. Any other
// setting given with another value than the recorded one is refused with
// a [*job.SettingError]: the replies were asked for under the recorded
// one. Batches submitted before settings were recorded (or none in flight)
// leave s as it is. given reports whether the user gave a setting, by
// flag or environment.
func Adopt(out string, s job.Settings, given func(job.Setting) bool) (job.Settings, []string, error) {
	store := outputs.New(outputs.Config{Out: out, DryRun: true})
	defer store.Close()
	st, err := batchapi.OpenState(store)
	if errors.Is(err, fs.ErrNotExist) {
		return s, nil, nil
	}
	if err != nil {
		return s, nil, fmt.Errorf("batch state in %s: %w", out, err)
	}
	rec, ok := inFlightSettings(st)
	if !ok {
		return s, nil, nil
	}
	var notes []string
	// A file given by a relative path is the same file as the recorded
	// absolute path to it.
	s.PromptsDir, s.GlossaryFile, s.Template, s.StyleFile = absPath(s.PromptsDir), absPath(s.GlossaryFile), absPath(s.Template), absPath(s.StyleFile)
	refuse := func(setting job.Setting, value, recorded string) error {
		return &job.SettingError{Setting: setting, Value: value,
			Problem: fmt.Sprintf("differs from %s, which the batches in flight in %s were submitted with: leave it out to collect them as submitted", recorded, out)}
	}
	type field struct {
		setting  job.Setting
		differs  bool
		value    string
		recorded string
		take     func()
	}
	fields := []field{
		{job.SettingModel, s.Model != rec.Model, s.Model, rec.Model, func() { s.Model = rec.Model }},
		{job.SettingBaseURL, redact.BaseURL(s.BaseURL) != rec.BaseURL, redact.BaseURL(s.BaseURL), rec.BaseURL, func() { s.BaseURL = rec.BaseURL }},
		{job.SettingPromptsDir, s.PromptsDir != rec.Prompts, orBuiltIn(s.PromptsDir), orBuiltIn(rec.Prompts), func() { s.PromptsDir = rec.Prompts }},
		{job.SettingGlossaryFile, s.GlossaryFile != rec.Glossary, orBuiltIn(s.GlossaryFile), orBuiltIn(rec.Glossary), func() { s.GlossaryFile = rec.Glossary }},
		{job.SettingStrict, s.Strict != rec.Strict, fmt.Sprint(s.Strict), fmt.Sprint(rec.Strict), func() { s.Strict = rec.Strict }},
		{job.SettingAllowPartial, s.AllowPartial != rec.AllowPartial, fmt.Sprint(s.AllowPartial), fmt.Sprint(rec.AllowPartial), func() { s.AllowPartial = rec.AllowPartial }},
		{job.SettingTokenBudget, s.TokenBudget != rec.TokenBudget, fmt.Sprint(s.TokenBudget), fmt.Sprint(rec.TokenBudget), func() { s.TokenBudget = rec.TokenBudget }},
		{job.SettingEnglish, s.English.Or() != rec.English.Or(), string(s.English.Or()), string(rec.English.Or()), func() { s.English = rec.English.Or() }},
		{job.SettingStyleFile, s.StyleFile != rec.Style, orNone(s.StyleFile), orNone(rec.Style), func() { s.StyleFile = rec.Style }},
	}
	for _, f := range fields {
		if !f.differs {
			continue
		}
		if given(f.setting) {
			return s, nil, refuse(f.setting, f.value, f.recorded)
		}
		f.take()
	}
	switch {
	case !given(job.SettingFormat):
		s.Formats = slices.Clone(rec.Formats)
	case !slices.Equal(s.Formats, rec.Formats):
		notes = append(notes, fmt.Sprintf("writing %s, not the %s the batches were submitted with", strings.Join(s.Formats, ","), strings.Join(rec.Formats, ",")))
	}
	switch {
	case !given(job.SettingTemplate):
		s.Template = rec.Template
	case s.Template != rec.Template:
		notes = append(notes, fmt.Sprintf("rendering Markdown through %s; the batches were submitted with %s", templateName(s.Template), templateName(rec.Template)))
	}
	return s, notes, nil
}
