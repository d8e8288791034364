package main

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"
)

// printTable writes the figures for people.
func printTable(out io.Writer, r *result) {
	// The table pads its blank rows; the lines are trimmed on the way out.
	for _, line := range strings.Split(strings.TrimSuffix(table(r), "\n"), "\n") {
		fmt.Fprintln(out, strings.TrimRight(line, " "))
	}
}

// table lays the figures out in two columns.
func table(r *result) string {
	var w bytes.Buffer
	p, wl, f := r.Params, r.Workload, r.First
	scale := float64(p.Scale)
	atReal := func(s float64) string {
		return (time.Duration(s * scale * float64(time.Second))).Round(time.Second).String()
	}
	fmt.Fprintf(&w, "nl2en-bench: %d articles (seed %d), %s, concurrency %d, %d articles in flight, token budget %d\n",
		p.Articles, p.Seed, p.Model, p.Concurrency, p.Workers, p.TokenBudget)
	fmt.Fprintf(&w, "fake API: %d RPM, %s TPM, latency %gms + %gms per output token; played %d× fast (rate window %gs)\n\n",
		p.RPM, thousands(p.TPM), p.LatencyMS, p.PerTokenMS, p.Scale, p.WindowSeconds)

	t := tabwriter.NewWriter(&w, 0, 0, 2, ' ', 0)
	row := func(cells ...string) { fmt.Fprintln(t, strings.Join(cells, "\t")) }

	row("workload", "")
	row("  articles", fmt.Sprintf("%d (%d Markdown, %d text), %s bytes", p.Articles, wl.Markdown, wl.Text, thousands(wl.Bytes)))
	row("  segments", fmt.Sprintf("%d, %d sent for translation (%.1f an article)", wl.Segments, wl.ToTranslate, float64(wl.ToTranslate)/float64(p.Articles)))
	row("  source tokens", fmt.Sprintf("%s (%.0f an article)", thousands(wl.SourceTokens), float64(wl.SourceTokens)/float64(p.Articles)))
	row("  warm-up, untimed", fmt.Sprintf("%.1fs (language detector, source token count)", p.WarmUpSeconds))
	row("", "")

	b := r.Bounds
	mark := func(name string) string {
		if strings.HasPrefix(b.Binding, name) {
			return "  ← binds"
		}
		return ""
	}
	row("first run", "")
	row("  wall time", fmt.Sprintf("%.2fs  (%s at real speed)", f.Seconds, atReal(f.Seconds)))
	row("  ideal time", fmt.Sprintf("%.2fs  (%s at real speed), bound by %s", b.Ideal, atReal(b.Ideal), b.Binding))
	row("    requests / RPM", fmt.Sprintf("%.2fs  %d requests admitted%s", b.Requests, f.OK, mark("requests")))
	row("    tokens / TPM", fmt.Sprintf("%.2fs  %s tokens counted by the server (prompt + max_tokens)%s", b.Tokens, thousands(f.RateTokens), mark("tokens")))
	row("    latency / concurrency", fmt.Sprintf("%.2fs  %d requests, %s completion tokens%s", b.Latency, f.OK, thousands(f.CompletionTokens), mark("latency")))
	row("  wall / ideal", fmt.Sprintf("%.2f  %s", r.Ratio, verdict(r.Targets[0])))
	row("  requests", fmt.Sprintf("%d sent, %.2f an article: %d translate, %d summary, %d repair, %d answered 429",
		f.Sent, f.PerArticle, f.Server["translate"], f.Server["summary"], f.Server["repair"], f.Server429))
	row("  429s", fmt.Sprintf("server answered %d, scheduler saw %d; %d cooldowns, %.2fs cooling down, rate factor at the end %.2f",
		f.Server429, f.Scheduler.RateLimited, f.Scheduler.Cooldowns, f.Scheduler.CoolingSeconds, f.Scheduler.RateFactor))
	row("  prompt tokens", fmt.Sprintf("%s, %.2f per source token", thousands(f.PromptTokens), f.PromptPerSource))
	row("  completion tokens", fmt.Sprintf("%s, %.2f per source token", thousands(f.CompletionTokens), f.ComplPerSource))
	row("  scheduler's tokens", schedulerTokens(f))
	row("  articles", fmt.Sprintf("%d done, %d outputs written, %d warnings from the checks", f.Report.Done, f.Outputs, f.Warnings))
	row("", "")

	for _, x := range []struct {
		name string
		ph   phase
		c    target
	}{
		{"re-run (outputs up to date)", r.Rerun, r.Targets[1]},
		{"forced re-run (--force, cache kept)", r.Forced, r.Targets[2]},
	} {
		row(x.name, "")
		row("  requests", fmt.Sprintf("%d  %s", x.ph.Sent, verdict(x.c)))
		row("  wall time", fmt.Sprintf("%.2fs", x.ph.Seconds))
		row("  articles", fmt.Sprintf("%d done, %d skipped; %d segments from the cache", x.ph.Report.Done, x.ph.Report.Skipped, x.ph.CachedSegments))
		row("", "")
	}
	if pf := r.Process; pf != nil {
		s := pf.Sample
		row("the binary, as a process", "")
		row("  size", fmt.Sprintf("%.1f MB", float64(pf.BinaryBytes)/1e6))
		row("  inspect the sample", fmt.Sprintf("%.3fs CPU, %.0f MB peak (median of 5)", pf.InspectCPU, pf.InspectPeakMB))
		row("  the sample alone (median of 5)", fmt.Sprintf("first request after %.3fs; %.2fs in all, %d requests; longest request %.2fs; one request for the whole article would take %.2fs",
			s.FirstRequest, s.Wall, s.Requests, s.Longest, s.Whole))
		row("    wall / longest request", fmt.Sprintf("%.2f", s.Wall/s.Longest))
		row("    wall / whole-article request", fmt.Sprintf("%.2f", s.Wall/s.Whole))
		row("    prompt / source", fmt.Sprintf("%.2f (bytes / 4, as the server counts)", s.PromptPerSource))
		row("  folder", fmt.Sprintf("%d copies of the sample, prompt / source %.2f", pf.FolderArticles, pf.FolderPromptPerSource))
		row("  large run", fmt.Sprintf("%d variants, no latency, --concurrency 16, median of %d runs: %.1fs, %.1f ms CPU an article, %.0f MB peak",
			pf.Throughput.Articles, pf.Throughput.Runs, pf.Throughput.Seconds, pf.Throughput.CPUPerArticle, pf.Throughput.PeakMB))
		row("", "")
	}
	row("targets", "")
	for _, c := range r.Targets {
		row("  "+c.Name, fmt.Sprintf("%s  %s", c.Got, verdict(c)))
	}
	row("", "")
	t.Flush()

	missed := 0
	for _, c := range r.Targets {
		if !c.OK {
			missed++
		}
	}
	if missed == 0 {
		fmt.Fprintln(&w, "every target met")
	} else {
		fmt.Fprintf(&w, "%d target(s) missed\n", missed)
	}
	return w.String()
}

// schedulerTokens sets the tokens the scheduler admitted, as nl2en counts
// prompt plus max_tokens before sending, against what the server counted
// of the same: how far nl2en's pacing reckons as the server's limit does.
// (A released request's tokens stay spent, as on the server, so there is
// no second figure of the scheduler's.)
func schedulerTokens(f phase) string {
	s := fmt.Sprintf("%s admitted (nl2en's count of prompt + max_tokens); the server counted %s",
		thousands(int(f.Scheduler.EstimatedTokens)), thousands(f.RateTokens))
	if f.RateTokens > 0 {
		s += fmt.Sprintf(", so nl2en counts %.2f of it", float64(f.Scheduler.EstimatedTokens)/float64(f.RateTokens))
	}
	return s
}

func verdict(c target) string {
	if c.OK {
		return "target " + c.Want + ": met"
	}
	return "target " + c.Want + ": MISSED"
}

// thousands writes n with commas between thousands: 12,500.
func thousands(n int) string { return groupDigits(n, ',') }

// groupDigits writes n with sep between groups of three digits.
func groupDigits(n int, sep byte) string {
	if n < 0 {
		return "-" + groupDigits(-n, sep)
	}
	s := fmt.Sprint(n)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(sep)
		}
		b.WriteRune(c)
	}
	return b.String()
}
