package serverchoice

import (
	"context"
	"errors"
	"net"
	"net/url"
	"testing"

	"github.com/nl2en/nl2en/pipeline/job"
	"github.com/nl2en/nl2en/pipeline/local"
	"github.com/nl2en/nl2en/pipeline/openaitest"
)

// TestLooks guards when a run looks for a local server: on a terminal
// with nothing configured, or with auto; never under cron, never for a
// dry run.
func TestLooks(t *testing.T) {
	for _, tt := range []struct {
		name string
		r    Request
		want bool
	}{
		{"nothing configured, on a terminal", Request{Terminal: true}, true},
		{"a placeholder key counts as none", Request{Settings: job.Settings{APIKey: "sk-..."}, Terminal: true}, true},
		{"a key", Request{Settings: job.Settings{APIKey: "sk-proj-0123456789abcdef0123"}, Terminal: true}, false},
		{"a base URL", Request{Settings: job.Settings{BaseURL: "http://localhost:8000/v1"}, BaseURLGiven: true, Terminal: true}, false},
		{"under cron", Request{}, false},
		{"auto under cron", Request{Settings: job.Settings{BaseURL: "AUTO"}}, true},
		{"a dry run", Request{Settings: job.Settings{BaseURL: "auto", DryRun: true}, Terminal: true}, false},
	} {
		if got := Looks(tt.r); got != tt.want {
			t.Errorf("%s: Looks = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestChoose(t *testing.T) {
	srv := openaitest.New(t, openaitest.WithAPIKey(""), openaitest.WithModels("nomic-embed-text", "qwen2.5:7b-instruct"))
	u, _ := url.Parse(srv.BaseURL())
	l, _ := net.Listen("tcp", "127.0.0.1:0")
	nowhere := l.Addr().String()
	l.Close()
	c, err := Choose(context.Background(), Request{Settings: job.Settings{BaseURL: "auto"},
		Candidates: []local.Candidate{{Kind: local.Ollama, Addr: nowhere}, {Kind: local.VLLM, Addr: u.Host}}})
	if err != nil || c.Server == nil || c.Settings.BaseURL != srv.BaseURL() || c.Settings.Model != "qwen2.5:7b-instruct" || !c.Auto {
		t.Fatalf("Choose = %+v, %v", c, err)
	}
	_, err = Choose(context.Background(), Request{Terminal: true, Candidates: []local.Candidate{{Kind: local.Ollama, Addr: nowhere}}})
	var nf *NotFoundError
	if !errors.As(err, &nf) || nf.Auto {
		t.Errorf("nothing there: %v", err)
	}
	c, err = Choose(context.Background(), Request{Settings: job.Settings{BaseURL: "auto", DryRun: true}})
	if err != nil || c.Server != nil || c.Settings.BaseURL != "" {
		t.Errorf("a dry run with auto: %+v, %v; want the default, nothing looked for", c, err)
	}
}
