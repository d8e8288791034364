package main

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/nl2en/nl2en/pipeline/openaitest"
	"github.com/nl2en/nl2en/pipeline/webrun"
)

// noWait is a fetch clock under which pacing costs no time: every
// request of these tests goes to 127.0.0.1, which would otherwise be
// asked at most once a second.
type noWait struct{}

func (noWait) Now() time.Time                                   { return time.Now() }
func (noWait) Sleep(ctx context.Context, _ time.Duration) error { return ctx.Err() }

// runWeb runs the command as runCLI does, its fetcher pacing without
// waiting.
func runWeb(t *testing.T, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	code := runStreams(context.Background(), append([]string{"nl2en"}, args...),
		streams{stdin: failingReader{t}, stdout: &out, stderr: &errb, fetch: webrun.Options{Clock: noWait{}}})
	return result{code, out.String(), errb.String()}
}

func feedAPI(t *testing.T) *openaitest.Server {
	return openaitest.New(t, openaitest.WithAPIKey(testKey))
}
