package job

import (
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/nl2en/nl2en/pipeline"
	"github.com/nl2en/nl2en/pipeline/llm"
	"github.com/nl2en/nl2en/pipeline/render"
	"github.com/nl2en/nl2en/pipeline/split"
	"github.com/nl2en/nl2en/pipeline/translate"
	"github.com/nl2en/nl2en/pipeline/walk"
)

// DefaultModel is cheap, fast, good at Dutch, and supports strict
// structured output; it spends no hidden reasoning tokens.
const DefaultModel = "gpt-4.1-mini"

// Defaults of the connection.
const (
	DefaultConcurrency = 4
	DefaultTimeout     = 120 * time.Second
	DefaultMaxRetries  = 3
)

// MinTokenBudget is the smallest token budget accepted: below it a
// request holds less than a sentence and the system prompt dominates.
const MinTokenBudget = 50

// Settings are what a run is made from. [Settings.Defaults] fills in the
// defaults of the fields whose zero value cannot be meant.
type Settings struct {
	// The API.
	APIKey          string
	BaseURL         string
	Model           string
	Azure           bool
	AzureAPIVersion string
	Timeout         time.Duration
	MaxRetries      int
	Concurrency     int
	TokenBudget     int
	RPM, TPM        int

	// What shapes a translation.
	PromptsDir   string
	GlossaryFile string
	Strict       bool
	AllowPartial bool
	// English is the variety of English to write; "" is British.
	English pipeline.English
	// StyleFile is a house style file: lines prefer<TAB>avoid[<TAB>note].
	StyleFile string
	// NoNames turns the names memory (names.tsv in Out) off: it is
	// neither read nor written.
	NoNames bool

	// Input.
	InputFormat    pipeline.Format
	MaxBytes       int64
	Include        []string
	Exclude        []string
	FollowSymlinks bool

	// Output.
	Out string
	// Formats name the outputs to write (render.FormatNames).
	Formats []string
	// Template is a text/template file that renders the Markdown output
	// in place of the built-in one; the JSON output is then written too,
	// as its stamp says whether the outputs are up to date.
	Template string
	Force    bool
	// RedoStale redoes articles whose outputs were made under other
	// settings; without it they are kept and counted stale.
	RedoStale bool
	// Prune removes outputs whose source is gone.
	Prune bool
	// Report is where the run report goes; "" puts it in Out, when a run
	// has one.
	Report string

	// The segment cache.
	CacheDir string
	NoCache  bool
	// Recheck redoes every article and asks the model again for what the
	// cache holds, writing the new answers to it.
	Recheck bool

	// Cost.
	DryRun     bool
	MaxCost    float64
	PriceIn    float64
	PriceOut   float64
	PricesFile string

	// Wait makes a run wait for another run's lock instead of giving up.
	Wait bool

	// Spread spreads an article over the request slots in batches of
	// near-equal size, for speed, where a run has the slots to itself:
	// set it for a run of one article (see OneArticle). Otherwise an
	// article takes as few batches as the token budget allows.
	Spread bool

	// Version is the program version, written into outputs and part of
	// their fingerprint.
	Version string
}

// Defaults returns s with every unset field that has a default filled in.
func (s Settings) Defaults() Settings {
	if s.BaseURL == "" {
		s.BaseURL = llm.DefaultBaseURL
	}
	s.BaseURL = strings.TrimRight(strings.TrimSpace(s.BaseURL), "/")
	s.APIKey = strings.TrimSpace(s.APIKey)
	s.Model = strings.TrimSpace(s.Model)
	if s.AzureAPIVersion == "" {
		s.AzureAPIVersion = llm.DefaultAzureAPIVersion
	}
	if llm.IsAzureURL(s.BaseURL) {
		s.Azure = true
	}
	if s.MaxBytes == 0 {
		s.MaxBytes = split.DefaultMaxBytes
	}
	if s.TokenBudget == 0 {
		s.TokenBudget = translate.DefaultTokenBudget
	}
	if s.Concurrency == 0 {
		s.Concurrency = DefaultConcurrency
	}
	if s.Timeout == 0 {
		s.Timeout = DefaultTimeout
	}
	if len(s.Formats) == 0 {
		s.Formats = []string{"md", "json"}
	}
	if e, ok := pipeline.ParseEnglish(string(s.English)); ok {
		s.English = e
	}
	s.English = s.English.Or()
	return s
}

// Setting names one of [Settings]' fields for the caller, which knows what
// the user calls it.
type Setting int

// The settings a [SettingError] can name.
const (
	SettingBaseURL Setting = iota + 1
	SettingModel
	SettingTimeout
	SettingMaxRetries
	SettingConcurrency
	SettingTokenBudget
	SettingRPM
	SettingTPM
	SettingMaxBytes
	SettingInclude
	SettingExclude
	SettingMaxCost
	SettingPriceIn
	SettingPriceOut
	SettingPricesFile
	SettingPromptsDir
	SettingGlossaryFile
	SettingOut
	SettingReport
	SettingFormat
	SettingTemplate
	SettingStrict
	SettingAllowPartial
	SettingEnglish
	SettingStyleFile
	SettingNames
	SettingInputFormat
	SettingMaxItems
	SettingFeedURL
)

var settingNames = map[Setting]string{
	SettingBaseURL:      "base URL",
	SettingModel:        "model",
	SettingTimeout:      "request timeout",
	SettingMaxRetries:   "retries",
	SettingConcurrency:  "concurrency",
	SettingTokenBudget:  "token budget",
	SettingRPM:          "requests per minute",
	SettingTPM:          "tokens per minute",
	SettingMaxBytes:     "size limit",
	SettingInclude:      "include pattern",
	SettingExclude:      "exclude pattern",
	SettingMaxCost:      "cost cap",
	SettingPriceIn:      "input price",
	SettingPriceOut:     "output price",
	SettingPricesFile:   "prices file",
	SettingPromptsDir:   "prompts folder",
	SettingGlossaryFile: "glossary file",
	SettingOut:          "output folder",
	SettingReport:       "report file",
	SettingFormat:       "output format",
	SettingTemplate:     "template",
	SettingStrict:       "strict checks",
	SettingAllowPartial: "partial articles",
	SettingEnglish:      "English",
	SettingStyleFile:    "style file",
	SettingNames:        "names memory",
	SettingInputFormat:  "input format",
	SettingMaxItems:     "items per feed",
	SettingFeedURL:      "feed URL",
}

func (s Setting) String() string {
	if n, ok := settingNames[s]; ok {
		return n
	}
	return fmt.Sprintf("setting %d", int(s))
}

// SettingError is a setting whose value cannot be used.
type SettingError struct {
	Setting Setting
	// Value is the value as the user gave it.
	Value string
	// Problem says what is wrong with it ("must be at least 50").
	Problem string
	// Err is the underlying error, if any.
	Err error
}

func (e *SettingError) Error() string {
	problem := e.Problem
	if problem == "" && e.Err != nil {
		if e.Value == "" {
			return e.Err.Error() // it names the setting itself: "prompts folder x: …"
		}
		problem = e.Err.Error()
	}
	if e.Value == "" {
		return fmt.Sprintf("%s: %s", e.Setting, problem)
	}
	return fmt.Sprintf("%s %s: %s", e.Setting, e.Value, problem)
}

func (e *SettingError) Unwrap() error { return e.Err }

func bad(s Setting, value any, format string, args ...any) *SettingError {
	return &SettingError{Setting: s, Value: fmt.Sprint(value), Problem: fmt.Sprintf(format, args...)}
}

// ValidateAPI checks the settings of the connection to the API and of the
// requests' size, which every command that plans requests needs.
func (s Settings) ValidateAPI() error {
	u, err := url.Parse(s.BaseURL)
	switch {
	case err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "":
		return &SettingError{Setting: SettingBaseURL, Value: fmt.Sprintf("%q", s.BaseURL), Problem: "is not an http(s) URL"}
	case llm.CheckBaseURL(s.BaseURL) != nil:
		return &SettingError{Setting: SettingBaseURL, Err: llm.CheckBaseURL(s.BaseURL)}
	case s.Model == "":
		return &SettingError{Setting: SettingModel, Problem: "none given"}
	case s.Timeout <= 0:
		return bad(SettingTimeout, s.Timeout, "must be positive")
	case s.MaxRetries < 0:
		return bad(SettingMaxRetries, s.MaxRetries, "must be 0 or more")
	case s.Concurrency < 1:
		return bad(SettingConcurrency, s.Concurrency, "must be 1 or more")
	}
	if err := s.validateEnglish(); err != nil {
		return err
	}
	return s.validatePlanning()
}

// validatePlanning checks what splitting and planning need.
func (s Settings) validatePlanning() error {
	switch {
	case s.TokenBudget < MinTokenBudget:
		return bad(SettingTokenBudget, s.TokenBudget, "must be at least %d", MinTokenBudget)
	case s.MaxBytes <= 0:
		return bad(SettingMaxBytes, s.MaxBytes, "must be positive")
	}
	return nil
}

// Validate checks every setting once, before anything is read or sent.
func (s Settings) Validate() error {
	if err := s.ValidateAPI(); err != nil {
		return err
	}
	switch {
	case s.RPM < 0:
		return bad(SettingRPM, s.RPM, "must be 0 (no limit) or more")
	case s.TPM < 0:
		return bad(SettingTPM, s.TPM, "must be 0 (no limit) or more")
	case s.MaxCost < 0:
		return bad(SettingMaxCost, s.MaxCost, "cannot be negative")
	case s.PriceIn < 0:
		return bad(SettingPriceIn, s.PriceIn, "cannot be negative")
	case s.PriceOut < 0:
		return bad(SettingPriceOut, s.PriceOut, "cannot be negative")
	case (s.PriceIn > 0) != (s.PriceOut > 0):
		missing := SettingPriceOut
		if s.PriceIn == 0 {
			missing = SettingPriceIn
		}
		return &SettingError{Setting: missing, Problem: "input and output prices go together: give both"}
	}
	for _, f := range s.Formats {
		if _, ok := render.Named(f); !ok {
			return &SettingError{Setting: SettingFormat, Value: fmt.Sprintf("%q", strings.TrimSpace(f)),
				Problem: "is not an output format: use " + strings.Join(render.FormatNames(), ", ") + ", comma-separated"}
		}
	}
	for _, p := range s.Include {
		if err := (walk.Options{Include: []string{p}}).Validate(); err != nil {
			return &SettingError{Setting: SettingInclude, Value: fmt.Sprintf("%q", p), Problem: "is not a valid pattern", Err: err}
		}
	}
	for _, p := range s.Exclude {
		if err := (walk.Options{Exclude: []string{p}}).Validate(); err != nil {
			return &SettingError{Setting: SettingExclude, Value: fmt.Sprintf("%q", p), Problem: "is not a valid pattern", Err: err}
		}
	}
	return nil
}

// validateEnglish checks the variety of English.
func (s Settings) validateEnglish() error {
	if _, ok := pipeline.ParseEnglish(string(s.English)); !ok && s.English != "" {
		return bad(SettingEnglish, fmt.Sprintf("%q", string(s.English)), "use gb or us")
	}
	return nil
}

// ValidatePlanning checks the settings that splitting and planning
// requests need, for commands that send nothing (inspect).
func (s Settings) ValidatePlanning() error {
	if s.Model == "" {
		return &SettingError{Setting: SettingModel, Problem: "none given"}
	}
	return s.validatePlanning()
}

// InputFormat reads the name of an input format: txt (or text), md (or
// markdown), html (or htm), with or without a dot, in any case; "" is
// none (each input's own, from its extension or content).
func InputFormat(name string) (pipeline.Format, error) {
	formats := map[string]pipeline.Format{"": "", "txt": pipeline.FormatText, "text": pipeline.FormatText,
		"md": pipeline.FormatMarkdown, "markdown": pipeline.FormatMarkdown, "html": pipeline.FormatHTML, "htm": pipeline.FormatHTML}
	f, ok := formats[strings.ToLower(strings.TrimPrefix(name, "."))]
	if !ok {
		return "", &SettingError{Setting: SettingInputFormat, Value: fmt.Sprintf("%q", name), Problem: "is not an input format: use txt, md or html"}
	}
	return f, nil
}
