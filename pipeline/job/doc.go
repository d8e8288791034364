// Package job builds one nl2en run from its settings, the same way for
// every command that translates: `nl2en translate`, the `nl2en batch`
// commands, `nl2en inspect` (which needs only the splitting half) and the
// benchmark in cmd/nl2en-bench.
//
// [Settings] are what the command line, the environment and the .env
// file decided. [Settings.Validate] checks them once and reports a value
// nl2en cannot use as a [*SettingError] that names the [Setting], never a
// flag: the command turns it into a sentence about its own flags. [Open]
// then loads the prompts and the glossary, works out the fingerprint
// that outputs are stamped with, opens the segment cache, reads the
// prices, and wires one scheduler, the retrying API client paced by it,
// the translator, and the runner's configuration into a [Job].
//
// A Job's output folder is its [outputs.Store]. [Job.Begin] prepares the
// folder and takes its run lock, [Run.Translate] translates the inputs,
// and [Job.Record] writes the report and the run's line of runs.jsonl when
// the run did something; the Batch API path (package batchrun) uses the
// job's parts directly.
package job
