package cli

import (
	"archive/zip"
	"bytes"
	"cmp"
	"context"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"maps"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/qoldau/qoldau/shared/app"
	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/httpapi"
	"github.com/qoldau/qoldau/shared/qoldau"
	"github.com/qoldau/qoldau/shared/storetest"
	"github.com/qoldau/qoldau/shared/workday"
)

// The console in a real browser: Debian's chromium driven over the DevTools
// protocol (chromedp), against `qoldau serve`'s own wiring (newServer) on the
// embedded store after `qoldau demo`, and on DynamoDB and S3 (moto_server).

var screenshots = flag.String("screenshots", "", "write the console's screenshots (kk, ru, en) into this folder, e.g. ../../../docs/console")

// chromiumPath finds the browser: QOLDAU_CHROMIUM, else chromium on PATH. Without
// one the test skips, unless QOLDAU_REQUIRE_BROWSER=1 (make test), when it fails.
func chromiumPath(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("QOLDAU_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("QOLDAU_REQUIRE_BROWSER") == "1" {
		t.Fatal("QOLDAU_REQUIRE_BROWSER=1 but no chromium on PATH (.ci/run installs Debian's chromium)")
	}
	t.Skip("no chromium on PATH (apt-get install chromium); QOLDAU_CHROMIUM names another")
	return ""
}

// console is a `qoldau serve` on a listener of its own, with its users.
type console struct {
	base string
	app  *app.App
	now  time.Time
}

// startConsole opens the App of cfg with its workflow clock fixed at now and
// serves it as `qoldau serve` does until the test ends.
func startConsole(t *testing.T, cfg app.Config, now time.Time) *console {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	cfg.Addr = ln.Addr().String()
	cfg.LogLevel = "error"
	cfg.PublicURL = "http://" + cfg.Addr
	ctx, cancel := context.WithCancel(context.Background())
	a, err := app.Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	a.SetClock(func() time.Time { return now })
	s := newServer(a)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		if err := s.run(ctx, ln, time.Hour); err != nil {
			t.Errorf("serve: %v", err)
		}
	}()
	t.Cleanup(func() { cancel(); wg.Wait(); a.Close() })
	return &console{base: cfg.PublicURL, app: a, now: now}
}

// staff gives the users operator, agency and admin (the demo's names) a known
// password, adding those that do not exist.
func (c *console) staff(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	for _, r := range []qoldau.Role{qoldau.RoleOperator, qoldau.RoleAgency, qoldau.RoleAdmin} {
		if _, err := c.app.Store.User(ctx, string(r)); qoldau.CodeOf(err) == qoldau.NotFound {
			if _, _, err := c.app.Svc.AddUser(ctx, string(r), r, "", "test"); err != nil {
				t.Fatal(err)
			}
		}
		if err := c.app.Svc.SetPassword(ctx, string(r), testPassword(r), c.now, "test"); err != nil {
			t.Fatal(err)
		}
	}
}

func testPassword(r qoldau.Role) string { return "Test-" + string(r) + "-2026" }

// chrome is one browser tab on the console.
type chrome struct {
	t     *testing.T
	ctx   context.Context
	base  string
	dl    string
	shots string
	mu    sync.Mutex
	done  map[string]bool // downloads completed, by GUID
}

func openChrome(t *testing.T, exe, base string) *chrome {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(exe),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.NoFirstRun,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 860),
		// The machine's closed network refuses Chromium's own connections.
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("password-store", "basic"),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.Flag("font-render-hinting", "none"),
		// Screenshots show the page as painted now, not an earlier frame.
		chromedp.Flag("run-all-compositor-stages-before-draw", true),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 5*time.Minute)
	t.Cleanup(func() { cancelTimeout(); cancelCtx(); cancelAlloc() })
	c := &chrome{t: t, ctx: ctx, base: base, dl: t.TempDir(), done: map[string]bool{}}
	c.shots = *screenshots
	if c.shots == "" {
		c.shots = t.TempDir()
	}
	// The first action starts the browser, which lives as long as its context.
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/signin")); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	progress := chromedp.Events(ctx, browser.DownloadProgress)
	go func() {
		for ev, err := range progress {
			if err != nil {
				return
			}
			if ev.State == browser.DownloadProgressStateCompleted {
				c.mu.Lock()
				c.done[ev.GUID] = true
				c.mu.Unlock()
			}
		}
	}()
	c.do(chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := chromedp.Call(ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
			Behavior: browser.SetDownloadBehaviorBehaviorAllowAndName, DownloadPath: c.dl, EventsEnabled: ptr(true)})
		return err
	}))
	return c
}

func ptr[T any](v T) *T { return &v }

func (c *chrome) do(actions ...chromedp.Action[chromedp.Void]) {
	c.t.Helper()
	start := time.Now()
	defer func() {
		if d := time.Since(start); d > 3*time.Second {
			c.t.Logf("slow browser step (%v) at %s", d.Round(time.Millisecond), c.location())
		}
	}()
	ctx, cancel := context.WithTimeout(c.ctx, 60*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		c.t.Fatalf("browser: %v (at %s)", err, c.location())
	}
}

// waitURL waits until the page's address holds part (a form's answer loaded).
func (c *chrome) waitURL(part string) {
	c.t.Helper()
	for deadline := time.Now().Add(30 * time.Second); !strings.Contains(c.location(), part); time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			c.t.Fatalf("the browser stays at %s, want an address with %q", c.location(), part)
		}
	}
	c.do(chromedp.WaitReady(chromedp.CSS("body")))
}

func (c *chrome) location() string {
	loc, _ := chromedp.Run(c.ctx, chromedp.Location())
	return loc
}

// open loads a page and returns its HTTP status.
func (c *chrome) open(path string) int64 {
	c.t.Helper()
	resp, err := chromedp.Run(c.ctx, chromedp.NavigateResponse(c.base+path))
	if err != nil {
		c.t.Fatalf("open %s: %v", path, err)
	}
	return resp.Status
}

func (c *chrome) text(sel string) string {
	c.t.Helper()
	s, err := chromedp.Run(c.ctx, chromedp.Text(chromedp.CSS(sel), chromedp.NodeVisible))
	if err != nil {
		c.t.Fatalf("text of %s: %v (at %s)", sel, err, c.location())
	}
	return s
}

func (c *chrome) eval(js string) string {
	c.t.Helper()
	s, err := chromedp.Run(c.ctx, chromedp.Evaluate[string](js))
	if err != nil {
		c.t.Fatalf("eval %s: %v", js, err)
	}
	return s
}

// shootScale shrinks the screenshots (a 1280-pixel-wide page becomes 896
// pixels wide), keeping the files of docs/console small.
const shootScale = 0.7

// shoot saves a screenshot of the page's top (at most 1000 CSS pixels of it, at
// shootScale) as name.png.
func (c *chrome) shoot(name string) {
	c.t.Helper()
	// Two animation frames: the new page is painted before the capture.
	if _, err := chromedp.Run(c.ctx, chromedp.Evaluate[string](`new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r("ok"))))`,
		chromedp.EvalAwaitPromise)); err != nil {
		c.t.Fatalf("screenshot %s: %v", name, err)
	}
	size, err := chromedp.Run(c.ctx, chromedp.Evaluate[[]float64](`[window.innerWidth, Math.min(document.documentElement.scrollHeight, 1000)]`))
	if err != nil || len(size) != 2 {
		c.t.Fatalf("screenshot %s: %v %v", name, size, err)
	}
	scale := shootScale
	if size[0] < 600 {
		scale = 1 // a phone's screen stays as it is
	}
	b, err := chromedp.Run(c.ctx, chromedp.Action[[]byte](func(ctx context.Context, tg *chromedp.Target) ([]byte, error) {
		r, err := cdp.Call(ctx, tg, page.CaptureScreenshot, page.CaptureScreenshotParams{FromSurface: ptr(true), CaptureBeyondViewport: ptr(true),
			Clip: &page.Viewport{Width: size[0], Height: size[1], Scale: scale}})
		if err != nil {
			return nil, err
		}
		return r.Data, nil
	}))
	if err != nil {
		c.t.Fatalf("screenshot %s: %v", name, err)
	}
	if b, err = paletted(b); err != nil {
		c.t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.WriteFile(filepath.Join(c.shots, name+".png"), b, 0o644); err != nil {
		c.t.Fatal(err)
	}
}

// paletted re-encodes a PNG screenshot with its 256 most frequent colours (a
// page's flat colours and most of its text's shades), each other colour mapped to
// the nearest: about a third of the size, no visible loss.
func paletted(b []byte) ([]byte, error) {
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	r := img.Bounds()
	freq := map[color.RGBA]int{}
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			freq[color.RGBAModel.Convert(img.At(x, y)).(color.RGBA)]++
		}
	}
	cs := slices.Collect(maps.Keys(freq))
	slices.SortFunc(cs, func(a, b color.RGBA) int {
		return cmp.Or(freq[b]-freq[a], cmp.Compare(a.R, b.R), cmp.Compare(a.G, b.G), cmp.Compare(a.B, b.B), cmp.Compare(a.A, b.A))
	})
	pal := make(color.Palette, 0, 256)
	for _, c := range cs[:min(len(cs), 256)] {
		pal = append(pal, c)
	}
	out := image.NewPaletted(r, pal)
	index := map[color.RGBA]uint8{}
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			c := color.RGBAModel.Convert(img.At(x, y)).(color.RGBA)
			i, ok := index[c]
			if !ok {
				i = uint8(pal.Index(c))
				index[c] = i
			}
			out.SetColorIndex(x, y, i)
		}
	}
	var buf bytes.Buffer
	if err := (&png.Encoder{CompressionLevel: png.BestCompression}).Encode(&buf, out); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// signIn types a name and password into the sign-in form and sends it.
func (c *chrome) signIn(name, pw string) {
	c.t.Helper()
	c.open("/signin")
	c.do(chromedp.WaitVisible(chromedp.CSS("#name")),
		chromedp.Clear(chromedp.CSS("#name")), chromedp.SendKeys(chromedp.CSS("#name"), name),
		chromedp.Clear(chromedp.CSS("#password")), chromedp.SendKeys(chromedp.CSS("#password"), pw+"\r"),
		// Signed in (the header names the user), or refused (the form says why).
		chromedp.WaitVisible(chromedp.CSS(".who, #signin-error")))
}

func (c *chrome) signOut() {
	c.t.Helper()
	c.do(chromedp.Click(chromedp.CSS("form[action='/signout'] button")), chromedp.WaitVisible(chromedp.CSS("#name")))
}

// lang chooses the console's language with the switch.
func (c *chrome) lang(l, next string) {
	c.t.Helper()
	c.open("/lang?to=" + l + "&next=" + next)
}

// download clicks a link and waits for the file it downloads.
func (c *chrome) download(sel string) []byte {
	c.t.Helper()
	before, _ := os.ReadDir(c.dl)
	c.do(chromedp.Click(chromedp.CSS(sel), chromedp.NodeVisible))
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		entries, _ := os.ReadDir(c.dl)
		if len(entries) > len(before) {
			for _, e := range entries {
				c.mu.Lock()
				ok := c.done[e.Name()]
				c.mu.Unlock()
				if ok {
					b, err := os.ReadFile(filepath.Join(c.dl, e.Name()))
					if err != nil {
						c.t.Fatal(err)
					}
					os.Remove(filepath.Join(c.dl, e.Name()))
					return b
				}
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	c.t.Fatalf("no download from %s", sel)
	return nil
}

// zipHas reports whether b is a zip (xlsx) holding name, and that entry's text.
func zipHas(t *testing.T, b []byte, name string) string {
	t.Helper()
	zr, err := zip.NewReader(strings.NewReader(string(b)), int64(len(b)))
	if err != nil {
		t.Fatalf("not a zip: %v (%.40q)", err, b)
	}
	for _, f := range zr.File {
		if f.Name == name {
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			defer rc.Close()
			var sb strings.Builder
			buf := make([]byte, 32<<10)
			for {
				n, err := rc.Read(buf)
				sb.Write(buf[:n])
				if err != nil {
					break
				}
			}
			return sb.String()
		}
	}
	t.Fatalf("the workbook has no %s", name)
	return ""
}

var cellRef = regexp.MustCompile(`^[A-Z]{1,3}[0-9]+$`)

// flow is what the issue asks of the console, as people would do it: a wrong
// password refused; the operator uploads a register with faults, sees the
// findings with their cells and downloads the flagged workbook, and cannot reach
// the agency's pages; the agency sends the letter, builds the quarterly report
// and downloads its .xlsx; the admin adds a user, who then signs in.
func flow(t *testing.T, c *chrome, cons *console, register string, period civil.Month) {
	c.lang("en", "/signin")

	// A wrong password is refused, and says so.
	c.signIn("operator", "not-the-password")
	if loc := c.location(); !strings.HasSuffix(strings.SplitN(loc, "?", 2)[0], "/signin") {
		t.Fatalf("a wrong password went on to %s", loc)
	}
	if msg := c.text("#signin-error"); !strings.Contains(msg, "Wrong name or password") {
		t.Errorf("the wrong password's message = %q", msg)
	}
	time.Sleep(1100 * time.Millisecond) // the delay after one failed attempt

	// The operator, signing in with the keyboard only: the skip link comes first.
	c.open("/signin")
	c.do(chromedp.WaitVisible(chromedp.CSS("#name")))
	if got := c.eval(`document.activeElement.id`); got != "name" {
		t.Errorf("the sign-in page focuses %q, want the name field", got)
	}
	c.do(chromedp.KeyEvent("operator"), chromedp.KeyEvent("\t"), chromedp.KeyEvent(testPassword(qoldau.RoleOperator)),
		chromedp.KeyEvent("\r"), chromedp.WaitVisible(chromedp.CSS("ol.calendar")))
	c.do(chromedp.KeyEvent("\t"))
	if got := c.eval(`document.activeElement.className`); got != "skip" {
		t.Errorf("the first Tab on a page focuses %q, want the skip link", got)
	}

	// Upload a register with faults, by the file picker.
	c.open("/upload?period=" + period.String())
	c.do(chromedp.WaitVisible(chromedp.CSS("#file")),
		chromedp.SetUploadFiles(chromedp.CSS("#file"), []string{register}),
		chromedp.Click(chromedp.CSS("#upload button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("#see-findings")))
	if !strings.Contains(c.location(), "/uploads/") {
		t.Fatalf("after the upload the browser is at %s", c.location())
	}
	c.do(chromedp.Click(chromedp.CSS("#see-findings")), chromedp.WaitVisible(chromedp.CSS("table.findings")))
	cells, err := chromedp.Run(c.ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll("table.findings th.cell")].map(e => e.textContent.trim())`))
	if err != nil || len(cells) == 0 {
		t.Fatalf("findings table: %v %v", cells, err)
	}
	for _, cell := range cells {
		if !cellRef.MatchString(cell) {
			t.Errorf("a finding's cell is %q, want a cell reference like E17", cell)
		}
	}
	// Filtered to errors only, every row says Error.
	c.do(chromedp.SetValue(chromedp.CSS("#f-sev"), "error"), chromedp.Click(chromedp.CSS("form.filters button")))
	c.waitURL("severity=error")
	c.do(chromedp.WaitVisible(chromedp.CSS("table.findings")))
	sev := c.eval(`[...document.querySelectorAll("table.findings tbody tr")].map(r => r.cells[2].textContent.trim()).filter(s => s !== "Error").join("|")`)
	if sev != "" {
		t.Errorf("filtered to errors, the table shows %q", sev)
	}
	flagged := c.download("#flagged")
	// The flagged workbook is the letter's, in Kazakh and Russian (clause 9).
	if wb := zipHas(t, flagged, "xl/workbook.xml"); !strings.Contains(wb, `name="Қателер — Ошибки"`) {
		t.Errorf("the flagged workbook has no errors sheet: %.300s", wb)
	}

	// The operator cannot reach the agency's pages: a 403 page, not JSON.
	for _, p := range []string{"/dashboard", "/reports", "/surveys", "/admin/users"} {
		if st := c.open(p); st != 403 {
			t.Errorf("operator at %s: %d, want 403", p, st)
		}
		if h := c.text("h1"); h != "Not allowed" {
			t.Errorf("operator at %s sees %q", p, h)
		}
	}
	c.signOut()

	// The agency sends the letter of the new version.
	c.signIn("agency", testPassword(qoldau.RoleAgency))
	c.do(chromedp.WaitVisible(chromedp.CSS("table.dash")))
	c.open("/letters")
	id := c.eval(`(document.querySelector("form.sendform") || {action: ""}).action.replace(/^.*\/letters\/(.*)\/send$/, "$1")`)
	if id == "" {
		t.Fatal("no letter to send on the letters page")
	}
	c.do(chromedp.SendKeys(chromedp.CSS("#num-"+id), "07-1/245"),
		chromedp.Click(chromedp.CSS(`form[action="/letters/`+id+`/send"] button`)),
		chromedp.WaitVisible(chromedp.CSS("p.notice")))
	if row := c.text("#letter-" + id); !strings.Contains(row, "07-1/245") {
		t.Errorf("the sent letter's row shows %q", row)
	}

	// The quarterly report, built and downloaded as .xlsx.
	c.open("/reports")
	q := (int(period.Month()) + 2) / 3
	c.do(chromedp.SetValue(chromedp.CSS("#b-period"), fmt.Sprintf("%d-Q%d", period.Year(), q)),
		chromedp.Click(chromedp.CSS("#build button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("#dl-xlsx")))
	xl := c.download("#dl-xlsx")
	zipHas(t, xl, "xl/workbook.xml")
	c.signOut()

	// The admin adds a user, who signs in with the password given.
	c.signIn("admin", testPassword(qoldau.RoleAdmin))
	c.do(chromedp.WaitVisible(chromedp.CSS("#adduser")),
		chromedp.SendKeys(chromedp.CSS("#u-name"), "Әлия Сәрсенова"),
		chromedp.SetValue(chromedp.CSS("#u-role"), "agency"),
		chromedp.SendKeys(chromedp.CSS("#u-pw"), "new-user-pass-1"),
		chromedp.SendKeys(chromedp.CSS("#u-pw2"), "new-user-pass-1"),
		chromedp.Click(chromedp.CSS("#adduser button")),
		chromedp.WaitVisible(chromedp.CSS("#new-key")))
	if k := c.text("#new-key"); !strings.HasPrefix(k, qoldau.KeyPrefix) {
		t.Errorf("the new user's key is %q", k)
	}
	c.signOut()
	c.signIn("Әлия Сәрсенова", "new-user-pass-1")
	if h := c.text("h1"); !strings.HasPrefix(h, "Agency dashboard") {
		t.Errorf("the new agency user lands on %q", h)
	}
	c.signOut()
}

// sampleRegister writes a register of month p with faults.
func sampleRegister(t *testing.T, dir string, p civil.Month) string {
	t.Helper()
	path := filepath.Join(dir, "Реестр "+p.String()+".xlsx")
	if code, _, errs := run(t, "sample", "--period", p.String(), "--rows", "150", "--seed", "11", "--error-rate", "0.15", "--out", path); code != 0 {
		t.Fatalf("sample: %d %s", code, errs)
	}
	return path
}

func almatyTime(s string) time.Time {
	t, _ := time.ParseInLocation("2006-01-02 15:04", s, workday.Almaty())
	return t
}

// TestConsoleInBrowser runs the flow on the embedded store after `qoldau demo`
// (and takes the screenshots there), and on DynamoDB and S3.
func TestConsoleInBrowser(t *testing.T) {
	exe := chromiumPath(t)
	t.Run("demo", func(t *testing.T) {
		dir := t.TempDir()
		data := filepath.Join(dir, "demo")
		if code, out, errs := run(t, "demo", "--data", data, "--rows", "400", "--lang", "kk", "--format", "json",
			"--plant", "manager-load,non-working-day,shared-phone,iin-many-names,repeat-service"); code != 0 {
			t.Fatalf("demo: %d %s %s", code, out, errs)
		}
		cfg, err := app.LoadFrom(func(string) string { return "" })
		if err != nil {
			t.Fatal(err)
		}
		cfg.Data = data
		cons := startConsole(t, cfg, almatyTime("2026-10-09 11:00"))
		cons.staff(t)
		c := openChrome(t, exe, cons.base)
		shootPages(t, c)
		flow(t, c, cons, sampleRegister(t, dir, civil.MonthOf(2026, 9)), civil.MonthOf(2026, 9))
	})
	t.Run("moto", func(t *testing.T) {
		ep := storetest.Endpoint(t)
		name := "qoldau-console-" + strings.ReplaceAll(fmt.Sprint(time.Now().UnixNano()), "-", "")
		cfg, err := app.LoadFrom(func(string) string { return "" })
		if err != nil {
			t.Fatal(err)
		}
		cfg.Data, cfg.Table, cfg.Bucket, cfg.DynamoEndpoint, cfg.S3Endpoint = t.TempDir(), name, name, ep, ep
		cfg.Secret = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
		cons := startConsole(t, cfg, almatyTime("2026-10-01 10:00"))
		cons.staff(t)
		c := openChrome(t, exe, cons.base)
		flow(t, c, cons, sampleRegister(t, t.TempDir(), civil.MonthOf(2026, 9)), civil.MonthOf(2026, 9))
	})
}

// phoneFits opens a page and fails the test when it is wider than the screen
// (the tables' own scrolling aside).
func (c *chrome) phoneFits(p string) {
	c.t.Helper()
	c.open(p)
	if w := c.eval(`String(document.documentElement.scrollWidth - window.innerWidth)`); w != "0" {
		wide := c.eval(`[...document.querySelectorAll("body *")].filter(e => e.getBoundingClientRect().right > window.innerWidth + 1 && !e.closest(".scroll")).slice(0, 5).map(e => e.tagName + "." + e.className + "#" + e.id).join(" ")`)
		c.t.Errorf("on a phone %s is %s px wider than the screen: %s", p, w, wide)
	}
}

// shootPages takes the screenshots of the main pages in each language (on the
// demo's data), and checks that none is wider than a phone's screen.
func shootPages(t *testing.T, c *chrome) {
	pages := []struct {
		role qoldau.Role
		name string
		path string
	}{
		{qoldau.RoleOperator, "months", "/months?year=2026"},
		{qoldau.RoleOperator, "findings", "/months/2026-07/versions/1"},
		{qoldau.RoleAgency, "dashboard", "/dashboard?period=2026-Q3"},
		{qoldau.RoleAgency, "reports", "/reports?period=2026-Q3"},
		{qoldau.RoleAgency, "leads", "/leads?period=2026-Q3"},
		{qoldau.RoleAdmin, "users", "/admin/users"},
	}
	for _, lang := range httpapi.Langs {
		c.lang(lang, "/signin")
		if lang == "kk" {
			c.shoot("signin-" + lang)
		}
		var who qoldau.Role
		for _, p := range pages {
			if p.role != who {
				if who != "" {
					c.signOut()
				}
				c.signIn(string(p.role), testPassword(p.role))
				who = p.role
			}
			if st := c.open(p.path); st != 200 {
				t.Fatalf("%s %s: %d", lang, p.path, st)
			}
			c.shoot(p.name + "-" + lang)
		}
		c.signOut()
	}
	// On a phone: nothing wider than the screen but the tables' own scrolling.
	c.signIn("operator", testPassword(qoldau.RoleOperator))
	c.do(chromedp.EmulateViewport(390, 844))
	for _, p := range []string{"/months?year=2026", "/months/2026-07", "/months/2026-07/versions/1", "/months/2026-07/diff", "/upload", "/letters"} {
		c.phoneFits(p)
	}
	c.signOut()
	// The agency's and the admin's pages too.
	for _, role := range []qoldau.Role{qoldau.RoleAgency, qoldau.RoleAdmin} {
		c.signIn(string(role), testPassword(role))
		for _, p := range map[qoldau.Role][]string{
			qoldau.RoleAgency: {"/dashboard?period=2026-Q3", "/leads?period=2026-Q3", "/reports", "/surveys", "/letters"},
			qoldau.RoleAdmin:  {"/admin/users", "/admin/staff-codes", "/admin/refdata", "/admin/audit"},
		}[role] {
			c.phoneFits(p)
		}
		c.signOut()
	}
	c.signIn("operator", testPassword(qoldau.RoleOperator))
	c.lang("kk", "/months?year=2026")
	c.shoot("months-phone-kk")
	c.do(chromedp.EmulateViewport(1280, 860))
	c.signOut()
}
