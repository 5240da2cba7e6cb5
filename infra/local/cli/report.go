package cli

import (
	"context"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/qoldau/qoldau/shared/app"
	"github.com/qoldau/qoldau/shared/qoldau"
	"github.com/qoldau/qoldau/shared/report"
	"github.com/qoldau/qoldau/shared/reportjob"
)

func init() {
	commands["report"] = command{"cmd.report", cmdReport}
}

func cmdReport(e *env, args []string) int {
	if len(args) == 0 {
		return usageFail(e, "qoldau report build --period P [flags] | qoldau report submit --period P --at RFC3339 --letter-no X --reg-no Y --media usb|cd|dvd [--build BUILD]")
	}
	switch args[0] {
	case "build":
		return cmdReportBuild(e, args[1:])
	case "submit":
		return cmdReportSubmit(e, args[1:])
	}
	return fail(e, "report.unknown_command", args[0])
}

// buildOutput is what `report build --json` prints.
type buildOutput struct {
	Period         string                `json:"period"`
	From           string                `json:"from"`
	To             string                `json:"to"`
	Built          time.Time             `json:"built"`
	Files          map[string]string     `json:"files"`
	Reconciliation report.Reconciliation `json:"reconciliation"`
}

func cmdReportBuild(e *env, args []string) int {
	fs := newFlags(e, "report build")
	period := fs.String("period", "", "2026-Q3 | 2026 (January-November) | 2026-07..2026-09 (required)")
	sf, asJSON := storeFlags(fs)
	formats := fs.String("format", "xlsx,pdf,json", "formats to write, comma-separated")
	out := fs.String("out", "", "folder for the files (default DATA/reports/PERIOD)")
	conclusion := fs.String("conclusion", "", "a UTF-8 text file whose paragraphs replace the generated conclusion")
	intro := fs.String("introduction", "", "a UTF-8 text file whose paragraphs replace the generated introduction of Section 1")
	methodology := fs.String("methodology", "", "the methodology the report follows, as the report names it (default: order No. 59 of 24.06.2019, in the report's language)")
	ages := fs.String("age-scheme", "", "age brackets: default (14-29, …) or youth35 (14-35, …)")
	if _, err := parse(fs, args); err != nil {
		return 2
	}
	if *period == "" {
		return usageFail(e, "qoldau report build --period 2026-Q3|2026|2026-07..2026-09 [--lang kk|ru|en] [--format xlsx,pdf,json] [--out DIR] [--introduction FILE] [--conclusion FILE] [--methodology TEXT] [--json]")
	}
	p, err := report.ParsePeriod(*period)
	if err != nil {
		return failErr(e, err)
	}
	if l := *sf["QOLDAU_LANG"]; l != "" && !report.ValidLang(l) {
		return fail(e, "bad_lang", l)
	}
	fmts, err := report.ParseFormats(*formats)
	if err != nil {
		return failErr(e, err)
	}
	opt := report.Options{Period: p, AgeScheme: *ages, Methodology: qoldau.Text{KK: *methodology}}
	if *intro != "" {
		if opt.Introduction, err = report.ReadIntroduction(*intro); err != nil {
			return failErr(e, err)
		}
	}
	if *conclusion != "" {
		if opt.Conclusion, err = report.ReadConclusion(*conclusion); err != nil {
			return failErr(e, err)
		}
	}
	return withApp(e, sf, func(ctx context.Context, a *app.App) int {
		if *out == "" {
			*out = filepath.Join(a.Cfg.Data, "reports", p.ID)
		}
		a.Cfg.LimitMemory(app.ReportMemoryLimit)
		keys, err := a.Keys()
		if err != nil {
			return failErr(e, err)
		}
		opt.Keys, opt.Leads = keys, &a.Leads
		pub, r, err := buildReport(ctx, a, opt, a.Cfg.Lang, fmts, *out)
		if err != nil {
			return failErr(e, err)
		}
		if *asJSON {
			printJSON(e, buildOutput{Period: p.ID, From: p.From.String(), To: p.To.String(), Built: r.Built.UTC(),
				Files: pub.Files, Reconciliation: r.Reconciliation})
			return 0
		}
		printBuild(e, r, pub)
		return 0
	})
}

// buildReport builds and publishes one report.
func buildReport(ctx context.Context, a *app.App, opt report.Options, lang string, formats []string, out string) (*report.Published, *report.Report, error) {
	r, err := report.Build(ctx, a.Svc, opt)
	if err != nil {
		return nil, nil, err
	}
	pub, err := report.Publish(ctx, a.Svc, r, lang, formats, out, a.Cfg.Actor)
	if err != nil {
		return nil, nil, err
	}
	return pub, r, nil
}

func printBuild(e *env, r *report.Report, pub *report.Published) {
	rc := r.Reconciliation
	e.say("report.built", r.Period.ID, e.month(r.Period.From), e.month(r.Period.To), e.when(r.Built))
	e.say("report.build_id", report.BuildID(r.Built))
	e.say("report.rows", rc.Received, rc.Late, rc.Rejected, rc.Unconfirmed, rc.Counted)
	if t := r.Table("S1"); t != nil {
		e.say("report.clients", t.Total[0])
	}
	var fs []string
	for f := range pub.Files {
		fs = append(fs, f)
	}
	sort.Strings(fs)
	for _, f := range fs {
		fmt.Fprintf(e.stdout, "  %-4s %s\n", f, pub.Files[f])
	}
}

func cmdReportSubmit(e *env, args []string) int {
	fs := newFlags(e, "report submit")
	period := fs.String("period", "", "the report's period: 2026-Q3, 2026, 2026-07..2026-09 (required)")
	at := fs.String("at", "", "when the signed report went to the authorized body, RFC3339 (default now)")
	letterNo := fs.String("letter-no", "", "the outgoing letter number (required)")
	regNo := fs.String("reg-no", "", "the registration number at the authorized body (required)")
	media := fs.String("media", "", "usb | cd | dvd (required)")
	build := fs.String("build", "", "the build that was signed: its build time as report build prints it, or the ID of the report job that built it (default: the period's latest build before --at)")
	sf, asJSON := storeFlags(fs)
	if _, err := parse(fs, args); err != nil {
		return 2
	}
	if *period == "" || *letterNo == "" || *regNo == "" || *media == "" {
		return usageFail(e, "qoldau report submit --period P --at RFC3339 --letter-no X --reg-no Y --media usb|cd|dvd [--build BUILD]")
	}
	t, ok := timeFlag(e, "at", *at)
	if !ok {
		return 2
	}
	var built time.Time
	var job string
	if *build != "" {
		var err error
		if built, err = report.ParseBuild(*build); err != nil {
			if job = strings.TrimSpace(*build); !reportjob.ValidID(job) {
				return failErr(e, err)
			}
		}
	}
	return withApp(e, sf, func(ctx context.Context, a *app.App) int {
		if job != "" {
			// A report job's ID (the console's and the API's reports), as the
			// API's submission names the build.
			var err error
			if _, built, err = a.Reports.BuildOf(ctx, job, a.Svc.Builds); err != nil {
				if qoldau.CodeOf(err) == qoldau.NotFound {
					_, err = report.ParseBuild(job)
				}
				return failErr(e, err)
			}
		}
		res, err := report.Submit(ctx, a.Svc, report.SubmitRequest{Period: *period, At: t, LetterNo: *letterNo,
			RegNo: *regNo, Media: strings.ToLower(*media), Actor: a.Cfg.Actor, Build: built})
		if err != nil {
			return failErr(e, err)
		}
		if *asJSON {
			printJSON(e, res)
			return 0
		}
		e.say("report.submitted", res.Period, e.when(res.Submitted), res.LetterNo, res.RegNo, e.label("media.", res.Media))
		if res.Due != 0 {
			state := e.t("report.on_time")
			if res.Late {
				state = e.t("report.late", res.WorkingDaysLate)
			}
			e.say("report.due", e.day(res.Due), state)
		}
		if res.Build.IsZero() {
			e.say("report.submitted_no_build")
		} else {
			e.say("report.submitted_build", report.BuildID(res.Build))
		}
		return 0
	})
}
