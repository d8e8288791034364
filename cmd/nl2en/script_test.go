package main

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/nl2en/nl2en/pipeline/feed/feedtest"
	"github.com/nl2en/nl2en/pipeline/local"
	"github.com/nl2en/nl2en/pipeline/openaitest"
	"github.com/nl2en/nl2en/pipeline/render/rendertest"
	"github.com/nl2en/nl2en/pipeline/webrun"
)

// The command's behaviour, as the README promises it, is tested by the
// scripts in testdata/script: each runs the real nl2en (this test
// binary, started as "nl2en") against the servers the harness starts for
// it: the fake OpenAI API ($API, key $KEY), the feed fixture site
// ($SITE), and local servers for zero configuration. See scriptSetup for
// the environment and scriptCmds for the commands that steer the fakes.

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){"nl2en": scriptNl2en})
}

// Variables the harness hands to the nl2en of a script; the program
// itself never reads them.
const (
	envProbe = "NL2EN_TEST_PROBE" // where zero configuration looks: kind=host:port,…
	envTTY   = "NL2EN_TEST_TTY"   // 1: stderr counts as a terminal
)

// scriptNl2en is nl2en as a script runs it: the real command, looking for
// local servers only where the harness says, fetching without waiting,
// looking no name up and connecting to loopback only.
func scriptNl2en() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	s := streams{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, tty: os.Getenv(envTTY) == "1",
		local: []local.Candidate{}, fetch: webrun.Options{Clock: noWait{}, Resolver: noDNS{}, Dial: dialLoopback}}
	for _, c := range strings.Split(os.Getenv(envProbe), ",") {
		if kind, addr, ok := strings.Cut(c, "="); ok {
			s.local = append(s.local, local.Candidate{Kind: kinds[kind], Addr: addr})
		}
	}
	os.Exit(runStreams(ctx, os.Args, s))
}

var kinds = map[string]local.Kind{"ollama": local.Ollama, "lmstudio": local.LMStudio, "llamacpp": local.LlamaCpp, "vllm": local.VLLM}

// dialLoopback connects to loopback addresses and refuses any other.
func dialLoopback(ctx context.Context, network, address string) (net.Conn, error) {
	if ap, err := netip.ParseAddrPort(address); err != nil || !ap.Addr().IsLoopback() {
		return nil, fmt.Errorf("dial %s: tests connect to loopback addresses only", address)
	}
	var d net.Dialer
	return d.DialContext(ctx, network, address)
}

func TestScripts(t *testing.T) {
	t.Parallel()
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata/script",
		Setup:               scriptSetup,
		Cmds:                scriptCmds,
		RequireExplicitExec: false,
		RequireUniqueNames:  true,
	})
}

// scriptSetup starts the servers of one script and sets its variables:
// API and KEY, the fake API and its key (the sample article's
// translations are served), and API_ROOT, its URL without /v1; SITE, the feed fixture site; NOWHERE, a
// port where nothing listens; and a home and cache folder of its own. The
// sample article is in samples/, and the output schema in
// pipeline/render/schema.json, as in a clone. Nothing configures the
// API: a script sets OPENAI_API_KEY and OPENAI_BASE_URL as a user would.
func scriptSetup(env *testscript.Env) error {
	t := env.T().(testing.TB)
	api := openaitest.New(t, openaitest.WithAPIKey(testKey), openaitest.WithTranslations(openaitest.SampleTranslations()))
	site := feedtest.New(t)
	env.Values["api"] = api
	env.Values["site"] = site
	env.Values["seen"] = map[string]int{}
	// As in a clone: the sample article, the example settings and the
	// schema of the JSON output.
	for _, f := range []string{"samples/bachmoet.txt", ".env.example", "pipeline/render/schema.json"} {
		b, err := os.ReadFile(filepath.Join("..", "..", f))
		if err == nil {
			err = os.MkdirAll(filepath.Join(env.WorkDir, filepath.Dir(f)), 0o755)
		}
		if err == nil {
			err = os.WriteFile(filepath.Join(env.WorkDir, f), b, 0o644)
		}
		if err != nil {
			return err
		}
	}
	home := filepath.Join(env.WorkDir, ".home")
	env.Setenv("HOME", home)
	env.Setenv("XDG_CACHE_HOME", filepath.Join(home, ".cache"))
	env.Setenv("API", api.BaseURL())
	env.Setenv("API_ROOT", strings.TrimSuffix(api.BaseURL(), "/v1"))
	env.Setenv("KEY", testKey)
	// Under -race a program sleeps a second before it exits, to let
	// reports flush (GORACE's atexit_sleep_ms): a second for each of the
	// scripts' hundreds of runs. Its reports are written before that.
	env.Setenv("GORACE", strings.TrimSpace(os.Getenv("GORACE")+" atexit_sleep_ms=0"))
	env.Setenv("SITE", site.URL)
	env.Setenv("NOWHERE", nowhereAddr(t))
	env.Setenv(envProbe, "ollama="+nowhereAddr(t))
	return nil
}

// nowhereAddr is a loopback address where nothing listens.
func nowhereAddr(t testing.TB) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// scriptCmds steer the fakes from a script:
//
//	fake FAULT [N] [KIND]   the next N requests (of KIND) fail: quota, hang, echo-key
//	                        (a 401 whose message holds the key the request carried)
//	requests KIND N         the fake API received N requests of KIND (any, translate,
//	                        summary, repair, other) since the last count of KIND; N may
//	                        be a range, MIN-MAX, where the number is not fixed
//	segments KIND ID…       the requests of KIND the fake API received since the last
//	                        requests or segments carried the segments ID…, in that order
//	batches finish          every batch the fake holds completes
//	localserver VAR KIND [key=K] [trained=N] [loaded=N] [formats=F,…] [garble] MODEL…
//	                        a local server of KIND serving MODELs (none: no model), with
//	                        no key unless given, playing Ollama's context (trained, loaded)
//	                        when given, taking only the response formats F, answering
//	                        its first translation request with garble; VAR=KIND=host:port
//	                        for NL2EN_TEST_PROBE, VAR_URL its base URL
//	hits PATH N             the feed site served PATH N times
//	setfeed PATH FILE       the site serves FILE as the feed at PATH, {{BASE}} in it
//	                        replaced by the site's URL
//	savefeed NAME FILE [BASE]
//	                        the site's feed NAME, saved as FILE, its links on BASE
//	                        (by default the site's own URL)
//	valid FILE…             each FILE is a JSON output that validates against the schema
//	                        "nl2en schema" prints
var scriptCmds = map[string]func(ts *testscript.TestScript, neg bool, args []string){
	"fake": func(ts *testscript.TestScript, neg bool, args []string) {
		api := ts.Value("api").(*openaitest.Server)
		if len(args) == 0 {
			ts.Fatalf("usage: fake FAULT [N] [KIND]")
		}
		n, kind := 1, openaitest.KindAny
		if len(args) > 1 {
			n, _ = strconv.Atoi(args[1])
		}
		if len(args) > 2 && args[2] != "any" {
			kind = args[2]
		}
		faults := map[string]func() openaitest.Fault{"quota": openaitest.QuotaExceeded, "hang": openaitest.Hang, "echo-key": openaitest.KeyEchoed}
		f, ok := faults[args[0]]
		if !ok {
			ts.Fatalf("unknown fault %q", args[0])
		}
		for range n {
			api.Script(kind, f())
		}
	},
	"requests": func(ts *testscript.TestScript, neg bool, args []string) {
		api := ts.Value("api").(*openaitest.Server)
		if len(args) != 2 {
			ts.Fatalf("usage: requests KIND N")
		}
		kind := args[0]
		if kind == "any" {
			kind = openaitest.KindAny
		}
		lo, hi, isRange := strings.Cut(args[1], "-")
		if !isRange {
			hi = lo
		}
		least, err1 := strconv.Atoi(lo)
		most, err2 := strconv.Atoi(hi)
		if err1 != nil || err2 != nil {
			ts.Fatalf("usage: requests KIND N or requests KIND MIN-MAX")
		}
		seen := ts.Value("seen").(map[string]int)
		got := api.Count(kind) - seen[kind]
		seen[kind] += got
		seen["segments since"] = len(api.Requests())
		if (least <= got && got <= most) == neg {
			ts.Fatalf("the fake API got %d %s requests since the last count, want %s", got, args[0], args[1])
		}
	},
	"segments": func(ts *testscript.TestScript, neg bool, args []string) {
		api := ts.Value("api").(*openaitest.Server)
		if len(args) < 1 {
			ts.Fatalf("usage: segments KIND ID…")
		}
		seen := ts.Value("seen").(map[string]int)
		all := api.Requests()
		var got []string
		for _, r := range all[seen["segments since"]:] {
			if r.Kind == args[0] {
				got = append(got, r.SegmentIDs...)
			}
		}
		seen["segments since"] = len(all)
		if slices.Equal(got, args[1:]) == neg {
			ts.Fatalf("the %s requests since the last segments carried %q, want %q", args[0], got, args[1:])
		}
	},
	"batches": func(ts *testscript.TestScript, neg bool, args []string) {
		ts.Value("api").(*openaitest.Server).FinishBatches()
	},
	"localserver": func(ts *testscript.TestScript, neg bool, args []string) {
		if len(args) < 2 {
			ts.Fatalf("usage: localserver VAR KIND [key=K] [trained=N] [loaded=N] MODEL…")
		}
		opts := []openaitest.Option{openaitest.WithAPIKey(""), openaitest.WithTranslations(openaitest.SampleTranslations())}
		var models []string
		for _, a := range args[2:] {
			k, v, _ := strings.Cut(a, "=")
			n, _ := strconv.Atoi(v)
			switch k {
			case "key":
				opts = append(opts, openaitest.WithAPIKey(v))
			case "trained":
				opts = append(opts, openaitest.WithOllamaShow(n))
			case "loaded":
				opts = append(opts, openaitest.WithOllamaContextLength(n))
			case "garble":
			case "formats":
				opts = append(opts, openaitest.WithResponseFormats(strings.Split(v, ",")...))
			default:
				models = append(models, a)
			}
		}
		srv := openaitest.NewServer(append(opts, openaitest.WithModels(models...))...)
		ts.Defer(srv.Close)
		if slices.Contains(args, "garble") {
			srv.Script(openaitest.KindTranslate, openaitest.ReplaceContent("Good morning."))
		}
		u, err := url.Parse(srv.BaseURL())
		ts.Check(err)
		ts.Setenv(args[0], args[1]+"="+u.Host)
		ts.Setenv(args[0]+"_URL", srv.BaseURL())
	},
	"setfeed": func(ts *testscript.TestScript, neg bool, args []string) {
		if len(args) != 2 {
			ts.Fatalf("usage: setfeed PATH FILE")
		}
		ts.Value("site").(*feedtest.Server).SetFeed(args[0], []byte(ts.ReadFile(args[1])))
	},
	"savefeed": func(ts *testscript.TestScript, neg bool, args []string) {
		base := ts.Getenv("SITE")
		if len(args) > 2 {
			base = args[2]
		}
		ts.Check(os.WriteFile(ts.MkAbs(args[1]), feedtest.Fixture(args[0], base), 0o644))
	},
	"valid": func(ts *testscript.TestScript, neg bool, args []string) {
		for _, f := range args {
			b, err := os.ReadFile(ts.MkAbs(f))
			ts.Check(err)
			if err := rendertest.Validate(b); (err == nil) == neg {
				ts.Fatalf("%s: valid is %v, want %v (%v)", f, err == nil, !neg, err)
			}
		}
	},
	"hits": func(ts *testscript.TestScript, neg bool, args []string) {
		want, _ := strconv.Atoi(args[1])
		if got := ts.Value("site").(*feedtest.Server).Hits(args[0]); (got == want) == neg {
			ts.Fatalf("the site served %s %d times, want %d", args[0], got, want)
		}
	},
}

// noWait is a fetch clock under which pacing costs no time: every
// request of these tests goes to 127.0.0.1, which would otherwise be
// asked at most once a second.
type noWait struct{}

func (noWait) Now() time.Time                                   { return time.Now() }
func (noWait) Sleep(ctx context.Context, _ time.Duration) error { return ctx.Err() }

// noDNS answers every lookup with "no such host": the fixtures link to
// hosts such as kust.example.be, which a test must never look up.
type noDNS struct{}

func (noDNS) LookupIPAddr(_ context.Context, host string) ([]net.IPAddr, error) {
	return nil, &net.DNSError{Err: "no lookups in tests", Name: host, IsNotFound: true}
}
