package cli

import (
	"bufio"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/qoldau/qoldau/shared/app"
	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/qoldau"
	"github.com/qoldau/qoldau/shared/report"
	"github.com/qoldau/qoldau/shared/sample"
	"github.com/qoldau/qoldau/shared/workday"
	"github.com/qoldau/qoldau/shared/workflow"
)

func init() {
	commands["demo"] = command{"cmd.demo", cmdDemo}
}

// errNotDemo: the demo's folder holds files that are not the demo's.
var errNotDemo = errors.New("not a demo folder")

// demoPaths are what the demo creates in its folder; --force removes only these.
var demoPaths = []string{"qoldau.db", "qoldau.db-wal", "qoldau.db-shm", "files", "registers", "reports", "secret.key"}

func cmdDemo(e *env, args []string) int {
	fs := newFlags(e, "demo")
	data := fs.String("data", "qoldau-demo", "a fresh data folder for the demo")
	force := fs.Bool("force", false, "use a folder that is not empty: the demo's own files in it are replaced")
	period := fs.String("period", "2026-Q3", "the report: a quarter (2026-Q3), a year (2026) or a range (2026-07..2026-09)")
	rows := fs.Int("rows", 3000, "rows of each monthly register")
	seed := fs.Uint64("seed", 7, "the seed of the sample registers and acts")
	langFlag := fs.String("lang", "all", "report language: kk, ru, en or all")
	formats := fs.String("format", "xlsx,pdf,json", "report formats, comma-separated")
	plant := fs.String("plant", "", "audit-lead patterns to plant in each register, as qoldau sample --plant takes them (default none)")
	if _, err := parse(fs, args); err != nil {
		return 2
	}
	p, err := report.ParsePeriod(*period)
	if err != nil {
		return failErr(e, err)
	}
	fmts, err := report.ParseFormats(*formats)
	if err != nil {
		return failErr(e, err)
	}
	langs := report.Langs
	if *langFlag != "all" {
		if !report.ValidLang(*langFlag) {
			return fail(e, "demo.bad_lang", *langFlag)
		}
		langs = []string{*langFlag}
	}
	if *rows < 10 {
		return fail(e, "demo.rows")
	}
	plants, err := sample.ParsePlant(*plant)
	if err != nil {
		return failErr(e, err)
	}
	if err := prepareDemoDir(*data, *force); err != nil {
		if errors.Is(err, errNotDemo) {
			return fail(e, "demo.not_empty", *data)
		}
		return fail(e, "error", err)
	}
	cfg, err := app.Load(nil)
	if err != nil {
		return failErr(e, err)
	}
	// The demo plays on the embedded store of its own folder, whatever the
	// environment names.
	cfg.Data, cfg.Table, cfg.Bucket, cfg.DynamoEndpoint, cfg.S3Endpoint = *data, "", "", "", ""
	cfg.LimitMemory(app.ReportMemoryLimit)
	start := time.Now()
	ctx := context.Background()
	a, err := openApp(ctx, e, cfg)
	if err != nil {
		return failErr(e, err)
	}
	defer a.Close()
	svc := a.Svc
	d := &demo{e: e, svc: svc, dir: *data, rows: *rows, seed: *seed, plant: plants}
	a.SetClock(func() time.Time { return d.now })
	if err := d.run(ctx, p); err != nil {
		return failErr(e, err)
	}
	if err := d.surveys(ctx, a, p); err != nil {
		return failErr(e, err)
	}
	// The report, built the working day before it is due (a range: after the acts).
	buildAt := d.now.Add(24 * time.Hour)
	if due, ok := p.Due(svc.Cal); ok {
		if t := d.at(svc.Cal.AddWorking(due, -1), 10, 0); t.After(buildAt) {
			buildAt = t
		}
	}
	d.now = buildAt
	d.say("demo.report", p.ID)
	out := filepath.Join(*data, "reports", p.ID)
	keys, err := a.Keys()
	if err != nil {
		return failErr(e, err)
	}
	r, err := report.Build(ctx, svc, report.Options{Period: p, Keys: keys, Leads: &a.Leads})
	if err != nil {
		return failErr(e, err)
	}
	var files []string
	for _, lg := range langs {
		pub, err := report.Publish(ctx, svc, r, lg, fmts, out, a.Cfg.Actor)
		if err != nil {
			return failErr(e, err)
		}
		for _, f := range fmts {
			files = append(files, pub.Files[f])
		}
	}
	rc := r.Reconciliation
	e.say("report.rows", rc.Received, rc.Late, rc.Rejected, rc.Unconfirmed, rc.Counted)
	e.say("report.clients", r.Table("S1").Total[0])
	e.say("demo.files")
	for _, f := range files {
		fmt.Fprintf(e.stdout, "  %s\n", f)
	}
	// Staff to sign in to the console with: one user a role, a fresh password each.
	e.say("demo.console_users")
	for _, role := range []qoldau.Role{qoldau.RoleOperator, qoldau.RoleAgency, qoldau.RoleAdmin} {
		pw, err := demoPassword()
		if err != nil {
			return failErr(e, err)
		}
		if _, _, err := svc.AddUser(ctx, string(role), role, "", a.Cfg.Actor); err != nil {
			return failErr(e, err)
		}
		if err := svc.SetPassword(ctx, string(role), pw, time.Now(), a.Cfg.Actor); err != nil {
			return failErr(e, err)
		}
		fmt.Fprintf(e.stdout, "  %-9s %s\n", role, pw)
	}
	self := selfCommand()
	e.say("demo.console", self, *data)
	e.say("demo.done", time.Since(start).Seconds(), self+" status --data "+*data+" --period "+p.From.String())
	e.say("demo.and", self+" report submit --data "+*data+" --period "+p.ID+
		" --at 2026-10-12T16:00:00+05:00 --letter-no 01-12/345 --reg-no ЖТ-987 --media usb")
	return 0
}

// selfCommand is how to run this program again from the same shell: the path it
// was started by (bin/qoldau, or qoldau found on PATH), or `go run ./infra/local`
// when it was (the go command builds into a temporary folder it then removes).
func selfCommand() string {
	exe := os.Args[0]
	if strings.Contains(filepath.ToSlash(exe), "/go-build") {
		return "go run ./infra/local"
	}
	return exe
}

// prepareDemoDir makes sure the folder is new or empty, or (with force) removes
// the demo's own files from it.
func prepareDemoDir(dir string, force bool) error {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return os.MkdirAll(dir, 0o700)
	}
	if err != nil {
		return err
	}
	// A folder holding only an earlier demo's files is the demo's own: run again.
	own := map[string]bool{}
	for _, p := range demoPaths {
		own[p] = true
	}
	for _, en := range entries {
		if !own[en.Name()] && !force {
			return errNotDemo
		}
	}
	for _, p := range demoPaths {
		if err := os.RemoveAll(filepath.Join(dir, p)); err != nil {
			return err
		}
	}
	return nil
}

// demo plays the operator and the agency over a report's months with a clock it
// moves step by step.
type demo struct {
	e    *env
	svc  *workflow.Service
	dir  string
	rows int
	seed uint64
	now  time.Time
	sent int // letters sent: their outgoing numbers
	// plant is the audit-lead patterns planted in each register (--plant).
	plant sample.Plant
}

// at is h:m in Almaty on day d.
func (d *demo) at(day civil.Date, h, m int) time.Time {
	y, mo, dd := day.Date()
	return time.Date(y, mo, dd, h, m, 0, 0, workday.Almaty())
}

// say prints a step of the demo: the clock's time and the text of key.
func (d *demo) say(key string, args ...any) {
	fmt.Fprintln(d.e.stdout, d.e.when(d.now)+"  "+d.e.t(key, args...))
}

// register writes a sample register for month p.
func (d *demo) register(p civil.Month, i int, rate float64, name string) (string, error) {
	path := filepath.Join(d.dir, "registers", name)
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return "", err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return "", err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	lang := []string{"ru", "kk", "en"}[i%3]
	_, err = sample.Write(w, sample.Options{Period: p, Rows: d.rows, Seed: d.seed + uint64(i)*101, ErrorRate: rate, Lang: lang, Ref: d.svc.Ref,
		Plant: d.plant})
	if err == nil {
		err = w.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return path, err
}

func (d *demo) upload(ctx context.Context, p civil.Month, path string) (*workflow.UploadResult, error) {
	res, err := d.svc.Upload(ctx, workflow.UploadRequest{Period: p, Path: path, Actor: "operator (demo)"})
	if err != nil {
		return nil, err
	}
	key := "demo.upload"
	if res.Late {
		key = "demo.upload_late"
	}
	d.say(key, d.e.month(p), res.Version, res.Rows.Read, res.Rows.Rejected, d.e.day(res.Due))
	return res, nil
}

func (d *demo) send(ctx context.Context, id string) (*workflow.LetterView, error) {
	d.sent++
	lv, err := d.svc.Send(ctx, id, workflow.SendRequest{Number: fmt.Sprintf("07-1/%d", 240+d.sent), Actor: "agency (demo)"})
	if err != nil {
		return nil, err
	}
	if lv.SentLate {
		d.say("demo.sent_late", id, d.e.day(lv.SendDue), d.e.day(lv.CorrectionDue))
	} else {
		d.say("demo.sent", id, d.e.day(lv.CorrectionDue))
	}
	return lv, nil
}

// run plays the months of p: the first register gets a letter and a correction in
// time, the second a letter sent late, the last arrives late, any others are on
// time; then an acts file confirms most rows and leaves some unconfirmed for each
// reason.
func (d *demo) run(ctx context.Context, p report.Period) error {
	cal := d.svc.Cal
	n := p.Months()
	var last time.Time
	for i := 0; i < n; i++ {
		m := p.From.Add(i)
		due := d.svc.Due(m)
		name := fmt.Sprintf("register-%s.xlsx", m)
		switch {
		case i == n-1 && n > 1: // the last one arrives late
			d.now = d.at(cal.AddWorking(due, 2), 11, 30)
		case i == 1: // on the due day
			d.now = d.at(due, 16, 20)
		default:
			d.now = d.at(due, 9, 15)
		}
		path, err := d.register(m, i, 0.05, name)
		if err != nil {
			return err
		}
		res, err := d.upload(ctx, m, path)
		if err != nil {
			return err
		}
		last = d.now
		if res.Letter == nil {
			continue
		}
		if i == 1 && !res.Late {
			// Sent two working days after detection: late (clause 8).
			d.now = d.at(cal.AddWorking(workday.Today(d.now), 2), 12, 0)
			if _, err := d.send(ctx, *res.Letter); err != nil {
				return err
			}
		} else {
			d.now = d.at(cal.AddWorking(workday.Today(d.now), 1), 9, 40)
			if _, err := d.send(ctx, *res.Letter); err != nil {
				return err
			}
		}
		if i == 0 && !res.Late {
			// The correction: most errors fixed, within the 3 working days; its
			// own letter about the errors left goes out the next working day.
			d.now = d.at(cal.AddWorking(workday.Today(d.now), 2), 15, 0)
			path, err := d.register(m, i, 0.01, fmt.Sprintf("register-%s-corrected.xlsx", m))
			if err != nil {
				return err
			}
			res, err := d.upload(ctx, m, path)
			if err != nil {
				return err
			}
			if res.Letter != nil {
				d.now = d.at(cal.AddWorking(workday.Today(d.now), 1), 9, 40)
				if _, err := d.send(ctx, *res.Letter); err != nil {
					return err
				}
			}
		}
		if d.now.After(last) {
			last = d.now
		}
	}
	// The acts: for every error-free row shown, most confirmed.
	var rows []qoldau.Row
	for i := 0; i < n; i++ {
		st, err := d.svc.State(ctx, p.From.Add(i))
		if err != nil {
			return err
		}
		if st.Shown == nil {
			continue
		}
		err = d.svc.Rows(ctx, st.Period, st.Shown.Number, func(r *qoldau.Row) error {
			if r.Errors == 0 {
				rows = append(rows, *r)
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	path := filepath.Join(d.dir, "registers", "acts-"+p.ID+".csv")
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	st, err := sample.WriteActs(w, rows, sample.ActsOptions{Seed: d.seed, Unsigned: 0.02, DateMismatch: 0.015,
		ServiceMismatch: 0.015, NoAct: 0.03, Ref: d.svc.Ref})
	if err == nil {
		err = w.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	d.now = d.at(cal.AddWorking(workday.Today(last), 1), 14, 0)
	res, err := d.svc.ImportActs(ctx, path, "", time.Time{}, "agency (demo)")
	if err != nil {
		return err
	}
	d.say("demo.acts", res.Added, st.Confirmed, st.ByReason["unsigned"], st.ByReason["date-mismatch"], st.ByReason["service-mismatch"],
		st.ByReason["no-act"])
	return nil
}

// demoPassword is a password of 14 letters and digits that read unambiguously.
func demoPassword() (string, error) {
	const alphabet = "abcdefghjkmnpqrstuvwxyzACDEFGHJKLMNPQRSTUVWXYZ23456789"
	b := make([]byte, 14)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b), nil
}
