// Command nl2en translates Dutch news articles into English through any
// OpenAI-compatible API, writing Markdown and JSON.
//
// This file only wires the process: a context cancelled by Ctrl-C or
// SIGTERM, the .env file, the command tree, and the one mapping from errors
// to exit codes.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"

	"github.com/joho/godotenv"
	"github.com/urfave/cli/v2"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "0.1.0-dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args, os.Stdin, os.Stdout, os.Stderr))
}

// run is main without the process: tests call it with their own streams.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return runStreams(ctx, args, streams{stdin: stdin, stdout: stdout, stderr: stderr})
}

// runStreams is run with all of streams, for tests that point zero
// configuration at their own servers.
func runStreams(ctx context.Context, args []string, s streams) int {
	// The logger, the progress bar and failure lines write to stderr from
	// several goroutines: one lock keeps their lines whole.
	stderr := &lockedWriter{w: s.stderr}
	s.stderr = stderr
	app := newApp(s)
	args = hoistFlags(app, args)
	if err := loadEnvFile(args); err != nil {
		fmt.Fprintf(stderr, "nl2en: %v\n", err)
		return exitUsage
	}
	unknown := false
	app.CommandNotFound = func(_ *cli.Context, name string) {
		fmt.Fprintf(stderr, "nl2en: unknown command %q: see nl2en --help\n", name)
		unknown = true
	}
	err := app.RunContext(ctx, args)
	if unknown && err == nil {
		return exitUsage
	}
	return exitCode(err, stderr)
}

// loadEnvFile loads .env, or the file named by --env-file, into the
// environment without overriding what is already set there: a real
// environment variable always wins over the file, and a flag over both.
// It runs before the flags are parsed, so that variables from the file
// seed the flags as real ones do.
func loadEnvFile(args []string) error {
	path, explicit := ".env", false
	for i := 1; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			break
		}
		for _, name := range []string{"--env-file", "-env-file"} {
			if a == name && i+1 < len(args) {
				path, explicit = args[i+1], true
			} else if v, ok := strings.CutPrefix(a, name+"="); ok {
				path, explicit = v, true
			}
		}
	}
	if !explicit {
		if v := os.Getenv("NL2EN_ENV_FILE"); v != "" {
			path, explicit = v, true
		}
	}
	if _, err := os.Stat(path); err != nil {
		if explicit {
			return fmt.Errorf("env file %s: %w", path, err)
		}
		return nil
	}
	if err := godotenv.Load(path); err != nil {
		return fmt.Errorf("env file %s: %w: fix the line or pass another with --env-file", path, err)
	}
	return nil
}

// lockedWriter serialises writes to w.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
