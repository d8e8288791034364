package rendertest

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/nl2en/nl2en/pipeline/render"
)

// ScreenshotsEnv names the environment variable that, when set, is the
// folder the screenshots of [CheckPage] go to; else they go to
// testdata/screenshots under the test's package, which git ignores.
const ScreenshotsEnv = "NL2EN_SCREENSHOTS"

// Chromium returns the path of Debian's chromium. When it is missing, the
// test is skipped on a developer's machine and fails under CI (CI set),
// where .ci/run installs it.
func Chromium(t testing.TB) string {
	t.Helper()
	p, err := exec.LookPath("chromium")
	if err == nil {
		return p
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("chromium is missing under CI: .ci/run installs it with apt-get install -y chromium (%v)", err)
	}
	t.Skipf("chromium is missing (apt-get install -y chromium); the browser test runs under CI: %v", err)
	return ""
}

// Viewport is a window size the page is checked at.
type Viewport struct {
	Name          string
	Width, Height int64
	// Phone emulates a mobile device: the viewport meta element counts,
	// and the columns must stack.
	Phone bool
}

// Viewports are the sizes CheckPage uses: a desktop window and a phone.
func Viewports() []Viewport {
	return []Viewport{
		{Name: "desktop", Width: 1280, Height: 900},
		{Name: "phone", Width: 390, Height: 844, Phone: true},
	}
}

// box is an element's place on the page, in CSS pixels.
type box struct {
	Left, Top, Right, Bottom float64
}

// pageRow is one segment's row as the browser laid it out.
type pageRow struct {
	ID      string
	Dutch   string
	English string
	NL, EN  box
	// Overflow is set when a cell's content is wider than the cell.
	Overflow bool
}

type layout struct {
	ViewportWidth float64
	ScrollWidth   float64
	// Wide lists elements that reach past the viewport's edges.
	Wide    []string
	Rows    []pageRow
	Scripts int
}

const measure = `(() => {
  const vw = document.documentElement.clientWidth;
  const r = e => { const b = e.getBoundingClientRect(); return {Left: b.left, Top: b.top, Right: b.right, Bottom: b.bottom}; };
  const wide = [];
  for (const e of document.querySelectorAll('body *')) {
    const b = e.getBoundingClientRect();
    if (b.width > 0 && (b.right > vw + 0.5 || b.left < -0.5)) wide.push(e.tagName.toLowerCase() + (e.className ? '.' + e.className : ''));
  }
  const rows = [...document.querySelectorAll('main section.seg')].map(s => {
    const nl = s.querySelector('.nl'), en = s.querySelector('.en');
    return {ID: s.id, Dutch: nl.innerText, English: en.innerText, NL: r(nl), EN: r(en),
      Overflow: nl.scrollWidth > nl.clientWidth + 1 || en.scrollWidth > en.clientWidth + 1};
  });
  return {ViewportWidth: vw, ScrollWidth: document.documentElement.scrollWidth, Wide: wide, Rows: rows,
    Scripts: document.scripts.length};
})()`

// CheckPage opens the review page at path in headless Chromium, with
// scripts off, at each of [Viewports], and fails t unless: every segment
// of doc has its row, holding its Dutch and English text; on the desktop
// the Dutch sits left of the English on the same line, on the phone above
// it; nothing reaches past the viewport's edges or overflows its cell; the
// page logs no console error and throws nothing; and it asks for nothing
// but itself (no outside assets). A screenshot of each viewport is kept
// as name-VIEWPORT.png in the screenshot folder (see [ScreenshotsEnv]);
// the paths are logged.
func CheckPage(t testing.TB, path string, doc render.Document, name string) {
	t.Helper()
	exe := Chromium(t)
	abs, err := filepath.Abs(path)
	if err != nil {
		t.Fatal(err)
	}
	shots := os.Getenv(ScreenshotsEnv)
	if shots == "" {
		shots = filepath.Join("testdata", "screenshots")
	}
	if err := os.MkdirAll(shots, 0o755); err != nil {
		t.Fatal(err)
	}

	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
	)
	// The timeout only keeps a hung browser from hanging the test run; it
	// asserts nothing about speed.
	parent, stop := context.WithTimeout(context.Background(), 5*time.Minute)
	defer stop()
	actx, cancelAlloc := chromedp.NewExecAllocator(parent, opts...)
	defer cancelAlloc()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()

	var mu sync.Mutex
	var problems []string
	note := func(format string, args ...any) {
		mu.Lock()
		defer mu.Unlock()
		problems = append(problems, fmt.Sprintf(format, args...))
	}
	url := "file://" + filepath.ToSlash(abs)
	err = chromedp.Listen(ctx, func(ev any) {
		switch ev := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeAssert {
				note("console.%s: %s", ev.Type, args(ev.Args))
			}
		case *runtime.EventExceptionThrown:
			note("exception: %s", ev.ExceptionDetails.Text)
		case *log.EventEntryAdded:
			if ev.Entry.Level == log.EntryLevelError {
				note("log error (%s): %s %s", ev.Entry.Source, ev.Entry.Text, ev.Entry.URL)
			}
		case *network.EventRequestWillBeSent:
			if ev.Request.URL != url && !strings.HasPrefix(ev.Request.URL, "data:") {
				note("request for something besides the page: %s", ev.Request.URL)
			}
		}
	})
	if err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	// The page must read without scripts: it has none, and runs none.
	if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		t.Fatalf("turn scripts off: %v", err)
	}

	for _, vp := range Viewports() {
		var emul []chromedp.EmulateViewportOption
		if vp.Phone {
			emul = append(emul, chromedp.EmulateScale(2), chromedp.EmulateMobile)
		}
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(vp.Width, vp.Height, emul...), chromedp.Navigate(url)); err != nil {
			t.Fatalf("%s: open %s: %v", vp.Name, path, err)
		}
		lay, err := chromedp.Run(ctx, chromedp.Evaluate[layout](measure))
		if err != nil {
			t.Fatalf("%s: measure the page: %v", vp.Name, err)
		}
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatalf("%s: screenshot: %v", vp.Name, err)
		}
		shot := filepath.Join(shots, name+"-"+vp.Name+".png")
		if err := os.WriteFile(shot, png, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("%s screenshot: %s", vp.Name, shot)
		checkLayout(t, vp, lay, doc)
	}
	mu.Lock()
	defer mu.Unlock()
	for _, p := range problems {
		t.Errorf("%s: %s", path, p)
	}
}

// checkLayout fails t where the page as laid out at vp breaks a rule of
// CheckPage.
func checkLayout(t testing.TB, vp Viewport, lay layout, doc render.Document) {
	t.Helper()
	if lay.Scripts != 0 {
		t.Errorf("%s: the page has %d scripts, want none", vp.Name, lay.Scripts)
	}
	if lay.ScrollWidth > lay.ViewportWidth+0.5 {
		t.Errorf("%s: the page is %.0fpx wide in a %.0fpx viewport: it overflows horizontally", vp.Name, lay.ScrollWidth, lay.ViewportWidth)
	}
	for _, w := range lay.Wide {
		t.Errorf("%s: %s reaches past the viewport's edge", vp.Name, w)
	}
	if got, want := len(lay.Rows), len(doc.Segments); got != want {
		t.Fatalf("%s: the page has %d segment rows, want %d", vp.Name, got, want)
	}
	for i, row := range lay.Rows {
		seg := doc.Segments[i]
		if row.ID != seg.ID {
			t.Errorf("%s: row %d is %q, want %q", vp.Name, i, row.ID, seg.ID)
		}
		if !strings.Contains(flat(row.Dutch), flat(seg.Source)) {
			t.Errorf("%s: %s: the Dutch cell holds %q, want %q", vp.Name, seg.ID, flat(row.Dutch), flat(seg.Source))
		}
		if !strings.Contains(flat(row.English), flat(seg.Text)) {
			t.Errorf("%s: %s: the English cell holds %q, want %q", vp.Name, seg.ID, flat(row.English), flat(seg.Text))
		}
		if row.Overflow {
			t.Errorf("%s: %s: a cell's text overflows it", vp.Name, seg.ID)
		}
		nl, en := row.NL, row.EN
		if vp.Phone {
			if en.Top < nl.Bottom-0.5 || abs(en.Left-nl.Left) > 0.5 {
				t.Errorf("%s: %s: Dutch at %+v, English at %+v; want the English under the Dutch", vp.Name, seg.ID, nl, en)
			}
			continue
		}
		if abs(nl.Top-en.Top) > 0.5 || nl.Right > en.Left {
			t.Errorf("%s: %s: Dutch at %+v, English at %+v; want them on one line, the Dutch on the left", vp.Name, seg.ID, nl, en)
		}
	}
}

func flat(s string) string { return strings.Join(strings.Fields(s), " ") }

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

func args(as []*runtime.RemoteObject) string {
	var parts []string
	for _, a := range as {
		if len(a.Value) > 0 {
			parts = append(parts, string(a.Value))
		} else {
			parts = append(parts, a.Description)
		}
	}
	return strings.Join(parts, " ")
}
