package doctor_test

import (
	"context"
	"errors"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/nl2en/nl2en/pipeline/doctor"
	"github.com/nl2en/nl2en/pipeline/job"
	"github.com/nl2en/nl2en/pipeline/local"
	"github.com/nl2en/nl2en/pipeline/openaitest"
)

// settings checks the server at base, with folders of the test's own.
func settings(t *testing.T, base, key, model string) job.Settings {
	t.Helper()
	dir := t.TempDir()
	return job.Settings{APIKey: key, BaseURL: base, Model: model, Timeout: 5 * time.Second, MaxRetries: 0,
		CacheDir: filepath.Join(dir, "cache"), Out: filepath.Join(dir, "out"), Version: "test"}
}

// want is the expected status and problem of some checks; checks not
// named are not looked at.
type want map[doctor.Check]struct {
	status  doctor.Status
	problem doctor.Problem
}

func ok() struct {
	status  doctor.Status
	problem doctor.Problem
} {
	return status(doctor.OK, doctor.NoProblem)
}

func status(s doctor.Status, p doctor.Problem) struct {
	status  doctor.Status
	problem doctor.Problem
} {
	return struct {
		status  doctor.Status
		problem doctor.Problem
	}{s, p}
}

func skipped() struct {
	status  doctor.Status
	problem doctor.Problem
} {
	return status(doctor.Skipped, doctor.NoProblem)
}

func check(t *testing.T, rep *doctor.Report, w want) {
	t.Helper()
	if len(rep.Results) != len(doctor.Checks) {
		t.Fatalf("got %d results, want one per check (%d)", len(rep.Results), len(doctor.Checks))
	}
	for i, r := range rep.Results {
		if r.Check != doctor.Checks[i] {
			t.Errorf("result %d is %v, want %v", i, r.Check, doctor.Checks[i])
		}
		if r.Detail == "" {
			t.Errorf("%v: no detail", r.Check)
		}
	}
	for c, x := range w {
		r := rep.Result(c)
		if r.Status != x.status || r.Problem != x.problem {
			t.Errorf("%v: got %v (problem %d: %s), want %v (problem %d)", c, r.Status, r.Problem, r.Detail, x.status, x.problem)
		}
	}
}

func TestRun(t *testing.T) {
	const model = "qwen2.5:7b-instruct"
	noKey := openaitest.WithAPIKey("")
	tests := []struct {
		name  string
		opts  []openaitest.Option
		key   string
		model string
		fault *openaitest.Fault
		want  want
	}{
		{"all well", []openaitest.Option{noKey, openaitest.WithOllamaShow(32768), openaitest.WithOllamaContextLength(16384)}, "", model, nil, want{
			doctor.CheckServer: ok(), doctor.CheckKey: ok(), doctor.CheckModel: ok(), doctor.CheckStructuredOutput: ok(),
			doctor.CheckContext: ok(), doctor.CheckRateLimits: ok(), doctor.CheckPrice: ok(), doctor.CheckCache: ok(), doctor.CheckOut: ok(),
		}},
		{"Ollama's default context", []openaitest.Option{noKey, openaitest.WithOllamaShow(32768)}, "", model, nil, want{
			doctor.CheckContext: status(doctor.Warning, doctor.SummaryCut),
		}},
		{"a context too small to translate", []openaitest.Option{noKey, openaitest.WithOllamaShow(2048)}, "", model, nil, want{
			doctor.CheckStructuredOutput: ok(), doctor.CheckContext: status(doctor.Failed, doctor.ContextTooSmall),
		}},
		{"a server that needs a key", []openaitest.Option{openaitest.WithAPIKey("s3cret")}, "", model, nil, want{
			doctor.CheckServer: ok(), doctor.CheckKey: status(doctor.Failed, doctor.KeyRejected),
			doctor.CheckModel: skipped(), doctor.CheckStructuredOutput: skipped(),
		}},
		{"a wrong key", []openaitest.Option{openaitest.WithAPIKey("s3cret")}, "sk-wrong-0123456789", model, nil, want{
			doctor.CheckKey: status(doctor.Failed, doctor.KeyRejected), doctor.CheckStructuredOutput: skipped(),
		}},
		{"the right key", []openaitest.Option{openaitest.WithAPIKey("s3cret")}, "s3cret", model, nil, want{
			doctor.CheckKey: ok(), doctor.CheckStructuredOutput: ok(), doctor.CheckContext: skipped(),
		}},
		{"an unknown model", []openaitest.Option{noKey, openaitest.WithModels("llama3.2:latest", "mistral:latest")}, "", model, nil, want{
			doctor.CheckServer: ok(), doctor.CheckModel: status(doctor.Failed, doctor.ModelMissing),
			doctor.CheckStructuredOutput: skipped(), doctor.CheckContext: skipped(),
		}},
		{"structured output refused", []openaitest.Option{noKey, openaitest.WithResponseFormats("json_object", "text")}, "", model, nil, want{
			doctor.CheckModel: ok(), doctor.CheckStructuredOutput: status(doctor.Warning, doctor.FormatRejected),
		}},
		{"a reply that is not JSON", []openaitest.Option{noKey}, "", model, ptr(openaitest.ReplaceContent("Good morning.")), want{
			doctor.CheckStructuredOutput: status(doctor.Failed, doctor.BadReply),
		}},
		{"a server error", []openaitest.Option{noKey}, "", model, ptr(openaitest.HTTPError(500)), want{
			doctor.CheckStructuredOutput: status(doctor.Failed, doctor.RequestFailed),
		}},
		{"rate-limit headers", []openaitest.Option{noKey, openaitest.WithRateLimit(500, 200000)}, "", model, nil, want{
			doctor.CheckRateLimits: ok(),
		}},
		{"a priced model", []openaitest.Option{openaitest.WithAPIKey("s3cret")}, "s3cret", "gpt-4.1-mini", nil, want{
			doctor.CheckModel: ok(), doctor.CheckPrice: ok(),
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := append([]openaitest.Option{openaitest.WithModels(model, "gpt-4.1-mini")}, tt.opts...)
			srv := openaitest.New(t, opts...)
			if tt.fault != nil {
				srv.Script(openaitest.KindTranslate, *tt.fault)
			}
			sent := 0
			rep, err := doctor.Run(context.Background(), settings(t, srv.BaseURL(), tt.key, tt.model), doctor.Options{
				Sending: func(base, m string) {
					sent++
					if base != srv.BaseURL() || m != tt.model {
						t.Errorf("Sending(%s, %s), want the server and model checked", base, m)
					}
					if n := srv.Count(openaitest.KindTranslate); n != 0 {
						t.Errorf("Sending told after %d requests were sent", n)
					}
				},
			})
			if err != nil {
				t.Fatal(err)
			}
			check(t, rep, tt.want)
			if n := srv.Count(openaitest.KindTranslate); n > 1 || n != sent {
				t.Errorf("%d chat requests sent and %d announced; want at most one, announced", n, sent)
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }

func TestRunRateLimitsSeen(t *testing.T) {
	srv := openaitest.New(t, openaitest.WithModels("m"), openaitest.WithAPIKey(""), openaitest.WithRateLimit(500, 200000))
	rep, err := doctor.Run(context.Background(), settings(t, srv.BaseURL(), "", "m"), doctor.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if d := rep.Result(doctor.CheckRateLimits).Detail; !strings.Contains(d, "500 requests, 200000 tokens") {
		t.Errorf("rate limits: got %q, want the limits sent", d)
	}
}

func TestRunModelsListed(t *testing.T) {
	srv := openaitest.New(t, openaitest.WithAPIKey(""), openaitest.WithModels("llama3.2:latest", "mistral:latest"))
	rep, err := doctor.Run(context.Background(), settings(t, srv.BaseURL(), "", "qwen2.5"), doctor.Options{})
	if err != nil {
		t.Fatal(err)
	}
	r := rep.Result(doctor.CheckModel)
	if !slices.Equal(r.Models, []string{"llama3.2:latest", "mistral:latest"}) {
		t.Errorf("models: got %v, want the server's list", r.Models)
	}
}

func TestRunContextFigures(t *testing.T) {
	srv := openaitest.New(t, openaitest.WithAPIKey(""), openaitest.WithModels("tiny"), openaitest.WithOllamaShow(65536))
	rep, err := doctor.Run(context.Background(), settings(t, srv.BaseURL(), "", "tiny"), doctor.Options{})
	if err != nil {
		t.Fatal(err)
	}
	r := rep.Result(doctor.CheckContext)
	if r.Window != 4096 || r.Needs.Translate == 0 || r.Needs.Summary <= r.Needs.SummaryInput || r.Needs.SummaryInput != 12000 {
		t.Errorf("got window %d and needs %+v; want 4096 and the run's needs", r.Window, r.Needs)
	}
	if rep.Kind != local.Ollama {
		t.Errorf("kind: got %v, want Ollama", rep.Kind)
	}
}

func TestRunOffline(t *testing.T) {
	srv := openaitest.New(t, openaitest.WithModels("m"))
	rep, err := doctor.Run(context.Background(), settings(t, srv.BaseURL(), "test-key", "m"), doctor.Options{
		Offline: true,
		Sending: func(string, string) { t.Error("a request was announced offline") },
	})
	if err != nil {
		t.Fatal(err)
	}
	check(t, rep, want{
		doctor.CheckServer: skipped(), doctor.CheckKey: skipped(), doctor.CheckModel: skipped(),
		doctor.CheckStructuredOutput: skipped(), doctor.CheckContext: skipped(), doctor.CheckRateLimits: skipped(),
		doctor.CheckPrice: ok(), doctor.CheckCache: ok(), doctor.CheckOut: ok(),
	})
	if n := srv.Count(openaitest.KindAny); n != 0 {
		t.Errorf("%d requests sent offline", n)
	}
}

func TestRunNoKeyForOpenAI(t *testing.T) {
	for _, key := range []string{"", "sk-..."} {
		t.Run(key, func(t *testing.T) {
			rep, err := doctor.Run(context.Background(), settings(t, "https://api.openai.com/v1", key, "gpt-4.1-mini"), doctor.Options{
				Sending: func(string, string) { t.Error("a request was announced without a key") },
			})
			if err != nil {
				t.Fatal(err)
			}
			problem := doctor.NoKey
			if key != "" {
				problem = doctor.PlaceholderKey
			}
			check(t, rep, want{
				doctor.CheckServer: skipped(), doctor.CheckKey: status(doctor.Failed, problem),
				doctor.CheckStructuredOutput: skipped(), doctor.CheckPrice: ok(),
			})
		})
	}
}

func TestRunUnreachable(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + l.Addr().String() + "/v1"
	l.Close()
	rep, err := doctor.Run(context.Background(), settings(t, base, "", "m"), doctor.Options{
		Sending: func(string, string) { t.Error("a request was announced to a server that did not answer") },
	})
	if err != nil {
		t.Fatal(err)
	}
	check(t, rep, want{
		doctor.CheckServer: status(doctor.Failed, doctor.Unreachable), doctor.CheckModel: skipped(),
		doctor.CheckStructuredOutput: skipped(), doctor.CheckContext: skipped(), doctor.CheckRateLimits: skipped(),
	})
}

func TestRunNotAnAPI(t *testing.T) {
	srv := openaitest.New(t, openaitest.WithAPIKey(""))
	rep, err := doctor.Run(context.Background(), settings(t, strings.TrimSuffix(srv.BaseURL(), "/v1"), "", "m"), doctor.Options{})
	if err != nil {
		t.Fatal(err)
	}
	check(t, rep, want{doctor.CheckServer: status(doctor.Failed, doctor.NotAnAPI), doctor.CheckStructuredOutput: skipped()})
}

func TestRunNotFound(t *testing.T) {
	nf := &local.NotFoundError{Tried: local.Candidates()}
	rep, err := doctor.Run(context.Background(), settings(t, "", "", "gpt-4.1-mini"), doctor.Options{NotFound: nf})
	if err != nil {
		t.Fatal(err)
	}
	check(t, rep, want{doctor.CheckServer: status(doctor.Failed, doctor.NoServerFound), doctor.CheckKey: skipped(), doctor.CheckStructuredOutput: skipped(), doctor.CheckPrice: skipped()})
	if rep.BaseURL != "" {
		t.Errorf("report names server %q, though none was found", rep.BaseURL)
	}
	if r := rep.Result(doctor.CheckServer); !errors.Is(r.Err, nf) {
		t.Errorf("server: got error %v, want the probe's", r.Err)
	}
}

func TestRunAzure(t *testing.T) {
	srv := openaitest.New(t, openaitest.WithAzure("nl2en-mini", ""), openaitest.WithAPIKey("azure-key-0123456789"))
	s := settings(t, srv.BaseURL(), "azure-key-0123456789", "nl2en-mini")
	s.Azure = true
	rep, err := doctor.Run(context.Background(), s, doctor.Options{})
	if err != nil {
		t.Fatal(err)
	}
	check(t, rep, want{doctor.CheckServer: ok(), doctor.CheckKey: ok(), doctor.CheckModel: ok(), doctor.CheckStructuredOutput: ok()})
	for _, r := range srv.Requests() {
		if strings.HasSuffix(r.Path, "/models") {
			t.Errorf("asked Azure for its models: %s", r.Path)
		}
	}
}

func TestRunFolders(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "file")
	if err := os.WriteFile(file, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		cache   string
		noCache bool
		out     string
		want    want
	}{
		{"existing folders", dir, false, dir, want{doctor.CheckCache: ok(), doctor.CheckOut: ok()}},
		{"folders to create", filepath.Join(dir, "a", "b"), false, filepath.Join(dir, "c"), want{doctor.CheckCache: ok(), doctor.CheckOut: ok()}},
		{"a file in the way", filepath.Join(file, "cache"), false, file, want{
			doctor.CheckCache: status(doctor.Failed, doctor.NotWritable), doctor.CheckOut: status(doctor.Failed, doctor.NotWritable),
		}},
		{"no cache, no out", "", true, "", want{doctor.CheckCache: skipped(), doctor.CheckOut: skipped()}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := settings(t, "http://127.0.0.1:9/v1", "", "m")
			s.CacheDir, s.NoCache, s.Out = tt.cache, tt.noCache, tt.out
			rep, err := doctor.Run(context.Background(), s, doctor.Options{Offline: true})
			if err != nil {
				t.Fatal(err)
			}
			check(t, rep, tt.want)
			if _, err := os.Stat(filepath.Join(dir, "a")); err == nil {
				t.Error("the check created a folder")
			}
			left, _ := filepath.Glob(filepath.Join(dir, ".nl2en-doctor-*"))
			if len(left) > 0 {
				t.Errorf("left test files behind: %v", left)
			}
		})
	}
}

func TestRunBadSettings(t *testing.T) {
	s := settings(t, "http://127.0.0.1:9/v1", "", "m")
	s.TokenBudget = 10
	var se *job.SettingError
	if _, err := doctor.Run(context.Background(), s, doctor.Options{Offline: true}); !errors.As(err, &se) {
		t.Errorf("got %v, want a *job.SettingError", err)
	}
}

func TestRunCountsAsTheServerCounts(t *testing.T) {
	// A byte-level tokenizer, as the tiny test models have: about four
	// times nl2en's count of the same text.
	bytes := openaitest.WithTokenCounter(func(s string) int { return len(s) })
	tests := []struct {
		name string
		opts []openaitest.Option
		want doctor.Status
	}{
		{"nl2en's count", nil, doctor.Warning},
		{"a finer tokenizer", []openaitest.Option{bytes}, doctor.Failed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := openaitest.New(t, append([]openaitest.Option{openaitest.WithAPIKey(""), openaitest.WithModels("tiny"), openaitest.WithOllamaShow(65536)}, tt.opts...)...)
			rep, err := doctor.Run(context.Background(), settings(t, srv.BaseURL(), "", "tiny"), doctor.Options{})
			if err != nil {
				t.Fatal(err)
			}
			r := rep.Result(doctor.CheckContext)
			if r.Status != tt.want {
				t.Errorf("got %v (%s), want %v", r.Status, r.Detail, tt.want)
			}
			if scaled := strings.Contains(r.Detail, "counted as the server counts"); scaled != (tt.opts != nil) {
				t.Errorf("detail %q: scaled %v, want %v", r.Detail, scaled, tt.opts != nil)
			}
		})
	}
}
