package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
)

// measureEnv, set in its environment, makes this program a measuring
// wrapper instead of the bench: it runs its arguments as a command and
// writes what the command used to file descriptor 3.
//
// The wrapper exists because a process's peak memory, as the kernel
// reports it, cannot be read for a direct child of the bench. Go starts a
// child with vfork, sharing the parent's memory until exec, and the
// kernel counts the memory the child held before exec (the bench's own,
// tens of megabytes with the fake server's records) in the child's peak.
// A fresh wrapper has little memory of its own, so the peak of its child
// is the child's.
const measureEnv = "NL2EN_BENCH_MEASURE"

// measured is what the wrapper reports.
type measured struct {
	CPU      float64 `json:"cpu"`       // user + system seconds
	MaxRSSKB int64   `json:"maxrss_kb"` // peak resident memory
}

// maybeMeasure runs as the wrapper when measureEnv is set, and exits;
// otherwise it returns at once.
func maybeMeasure() {
	if os.Getenv(measureEnv) == "" {
		return
	}
	os.Exit(runMeasured(os.Args[1:]))
}

// runMeasured runs args, passing its streams through, and writes a measured to
// file descriptor 3. It returns the command's exit code.
func runMeasured(args []string) int {
	report := os.NewFile(3, "measure")
	if len(args) == 0 || report == nil {
		fmt.Fprintln(os.Stderr, "nl2en-bench: the measuring wrapper needs a command and file descriptor 3")
		return exitUsage
	}
	os.Unsetenv(measureEnv)
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	err := cmd.Run()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		fmt.Fprintf(os.Stderr, "nl2en-bench: %v\n", err)
		return exitFailure
	}
	m := measured{CPU: (cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()).Seconds()}
	m.MaxRSSKB = maxRSSKB(cmd.ProcessState)
	if err := json.NewEncoder(report).Encode(m); err != nil {
		fmt.Fprintf(os.Stderr, "nl2en-bench: report what the command used: %v\n", err)
		return exitFailure
	}
	return cmd.ProcessState.ExitCode()
}
