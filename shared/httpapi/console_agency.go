package httpapi

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/qoldau"
	"github.com/qoldau/qoldau/shared/report"
	"github.com/qoldau/qoldau/shared/reportjob"
	"github.com/qoldau/qoldau/shared/surveys"
	"github.com/qoldau/qoldau/shared/workday"
	"github.com/qoldau/qoldau/shared/workflow"
)

// defaultReportPeriod is the scheduled report a dashboard opens on: the quarter of
// last month.
func defaultReportPeriod(now time.Time) report.Period {
	last := workday.Today(now).Month().Add(-1)
	return report.Quarter(last.Year(), (int(last.Month())+2)/3)
}

// reportPeriodParam reads ?period= as a report period (default: last month's
// quarter).
func (a *api) reportPeriodParam(r *http.Request) (report.Period, error) {
	s := r.URL.Query().Get("period")
	if s == "" {
		return defaultReportPeriod(a.Svc.Clock()), nil
	}
	return report.ParseAt(s, a.Svc.Clock())
}

// scheduledPeriods are the scheduled reports of this year and the last, newest
// first, for the period choosers.
func (a *api) scheduledPeriods() []report.Period {
	y := workday.Today(a.Svc.Clock()).Year()
	var out []report.Period
	for _, yy := range []int{y, y - 1} {
		ps := report.Scheduled(yy)
		slices.Reverse(ps)
		out = append(out, ps...)
	}
	return out
}

type dashboardData struct {
	Period     report.Period
	Periods    []report.Period
	Months     []monthCard
	Letters    []workflow.LetterView
	Due        civil.Date
	HasDue     bool
	Submission *qoldau.Submission
	Builds     []qoldau.ReportBuild
	Send       bool
}

// dashboardPage is the agency's view of a report period: each month's due date,
// receipt, lateness, letter (drafted, sent, with the 1-working-day clock) and
// correction (the 3-working-day clock), and the report's own due date, builds
// and submission.
func (a *api) dashboardPage(w http.ResponseWriter, r *http.Request, u *qoldau.User) {
	p, err := a.reportPeriodParam(r)
	if err != nil {
		a.pageError(w, r, err)
		return
	}
	ctx := r.Context()
	now := a.Svc.Clock()
	first, err := a.firstPeriod(ctx)
	if err != nil {
		a.pageError(w, r, err)
		return
	}
	d := &dashboardData{Period: p, Periods: a.scheduledPeriods(), Send: u.Role == ag}
	d.Due, d.HasDue = p.Due(a.Svc.Cal)
	for m := p.From; m <= p.To; m++ {
		st, err := a.Svc.State(ctx, m)
		if err != nil {
			a.pageError(w, r, err)
			return
		}
		ls, err := a.Svc.Letters(ctx, m)
		if err != nil {
			a.pageError(w, r, err)
			return
		}
		d.Months = append(d.Months, monthCardOf(st, ls, now, first))
		d.Letters = append(d.Letters, ls...)
	}
	subs, err := a.Svc.Submissions(ctx)
	if err != nil {
		a.pageError(w, r, err)
		return
	}
	for i := range subs {
		if subs[i].Period == p.ID {
			d.Submission = &subs[i]
		}
	}
	if d.Builds, err = a.Svc.Builds(ctx, p.ID); err != nil {
		a.pageError(w, r, err)
		return
	}
	slices.Reverse(d.Builds)
	a.render(w, r, http.StatusOK, "dashboard", a.newPage(r, "dashboard.title", d))
}

type reportsData struct {
	Period      report.Period
	Periods     []periodRow
	Builds      []qoldau.ReportBuild
	Build       bool
	Langs       []string
	Formats     []string
	SubmitAt    time.Time
	Submissions []qoldau.Submission
}

// periodRow is a scheduled report with its due date and submission.
type periodRow struct {
	Period     report.Period
	Due        civil.Date
	Submission *qoldau.Submission
	State      string // submitted | notdue | duesoon | overdue
}

// reportsPage lists the scheduled reports (due dates, submissions), the builds of
// one period with their files, the form that builds a report and the form that
// records a submission (clause 13).
func (a *api) reportsPage(w http.ResponseWriter, r *http.Request, u *qoldau.User) {
	p, err := a.reportPeriodParam(r)
	if err != nil {
		a.pageError(w, r, err)
		return
	}
	ctx := r.Context()
	subs, err := a.Svc.Submissions(ctx)
	if err != nil {
		a.pageError(w, r, err)
		return
	}
	now := a.Svc.Clock()
	first, err := a.firstPeriod(ctx)
	if err != nil {
		a.pageError(w, r, err)
		return
	}
	d := &reportsData{Period: p, Build: u.Role == ag, Langs: Langs, Formats: report.Formats,
		SubmitAt: now, Submissions: subs}
	for _, sp := range a.scheduledPeriods() {
		row := periodRow{Period: sp}
		row.Due, _ = sp.Due(a.Svc.Cal)
		for i := range subs {
			if subs[i].Period == sp.ID {
				row.Submission = &subs[i]
			}
		}
		switch left := workday.EndOf(row.Due).Sub(now); {
		case row.Submission != nil:
			row.State = "submitted"
		case left < 0:
			row.State = "overdue"
		case left < 7*24*time.Hour:
			row.State = "duesoon"
		default:
			row.State = "notdue"
		}
		// The reports of months monitored here, due or submitted.
		if row.Submission != nil || sp.To <= workday.Today(now).Month() && first != 0 && sp.To >= first {
			d.Periods = append(d.Periods, row)
		}
	}
	if d.Builds, err = a.Svc.Builds(ctx, p.ID); err != nil {
		a.pageError(w, r, err)
		return
	}
	slices.Reverse(d.Builds)
	a.render(w, r, http.StatusOK, "reports", a.newPage(r, "reports.title", d))
}

// reportPost asks for a report build and opens its progress page.
func (a *api) reportPost(w http.ResponseWriter, r *http.Request, u *qoldau.User) {
	lang, formats := r.PostFormValue("lang"), r.PostForm["format"]
	if err := report.CheckOutput(lang, formats); err != nil {
		a.pageError(w, r, err)
		return
	}
	p, err := report.ParseAt(r.PostFormValue("period"), a.Svc.Clock())
	if err != nil {
		a.pageError(w, r, err)
		return
	}
	j, err := a.Reports.Submit(r.Context(), reportjob.Request{Period: p.ID, Lang: lang, Formats: formats,
		Actor: u.Name, Requested: a.Svc.Clock().UTC()})
	if err != nil {
		a.pageError(w, r, err)
		return
	}
	http.Redirect(w, r, "/reports/jobs/"+j.ID, http.StatusSeeOther)
}

type reportJobData struct {
	Job     *reportjob.Job
	Period  report.Period
	Running bool
	Files   []fileLink
}

type fileLink struct{ Format, Key string }

// reportJobPage shows a build's progress (the page refreshes itself while it
// runs) and then its files.
func (a *api) reportJobPage(w http.ResponseWriter, r *http.Request, u *qoldau.User) {
	j, err := a.Reports.Get(r.Context(), r.PathValue("id"))
	if err != nil {
		a.pageError(w, r, err)
		return
	}
	p, _ := report.ParsePeriod(j.Period)
	d := &reportJobData{Job: j, Period: p, Running: j.Status == reportjob.Queued || j.Status == reportjob.Running}
	for _, f := range []string{"xlsx", "pdf", "json"} {
		if k, ok := j.Files[f]; ok {
			d.Files = append(d.Files, fileLink{f, k})
		}
	}
	a.render(w, r, http.StatusOK, "reportjob", a.newPage(r, "reportjob.title", d))
}

// submissionPost records a report's submission to the authorized body (clause 13).
func (a *api) submissionPost(w http.ResponseWriter, r *http.Request, u *qoldau.User) {
	at, err := parseLocal("submitted", r.PostFormValue("submitted"))
	if err != nil {
		a.pageError(w, r, err)
		return
	}
	period := r.PostFormValue("period")
	if _, err := report.Submit(r.Context(), a.Svc, report.SubmitRequest{Period: period, At: at,
		LetterNo: r.PostFormValue("letter_no"), RegNo: r.PostFormValue("reg_no"), Media: r.PostFormValue("media"), Actor: u.Name}); err != nil {
		a.pageError(w, r, err)
		return
	}
	http.Redirect(w, r, "/reports?period="+url.QueryEscape(period)+"&done=submitted", http.StatusSeeOther)
}

type surveysData struct {
	Period   report.Period
	Periods  []report.Period
	Summary  *surveys.Summary
	Regions  []regionRow
	Channels []string
	File     string
	Month    civil.Month
	Months   []civil.Month
	Imports  []string
	CanLinks bool
	CanCalls bool
}

// surveysPage shows survey progress by region and channel (invited, started,
// completed) over a report period, and the agency's survey files: invitation
// links and call lists out, filled call lists and questionnaires in.
func (a *api) surveysPage(w http.ResponseWriter, r *http.Request, u *qoldau.User) {
	p, err := a.reportPeriodParam(r)
	if err != nil {
		a.pageError(w, r, err)
		return
	}
	sum, err := surveys.Summarize(r.Context(), a.Svc, p.From, p.To)
	if err != nil {
		a.pageError(w, r, err)
		return
	}
	now := a.Svc.Clock()
	d := &surveysData{Period: p, Periods: a.scheduledPeriods(), Summary: sum, Channels: []string{"telegram", "phone", "import"},
		Month: workday.Today(now).Month().Add(-1), CanLinks: a.Invitations != nil, CanCalls: a.CallList != nil}
	seen := map[string]bool{}
	for _, reg := range a.Svc.Ref.Regions() {
		if sum.Regions[reg.Code] != nil {
			d.Regions = append(d.Regions, regionRow{reg.Code, reg.Label})
			seen[reg.Code] = true
		}
	}
	for code := range sum.Regions {
		if !seen[code] {
			d.Regions = append(d.Regions, regionRow{code, qoldau.Text{KK: code, RU: code, EN: code}})
		}
	}
	for m := p.To; m >= p.From; m-- {
		d.Months = append(d.Months, m)
	}
	if len(d.Months) > 0 {
		d.Month = d.Months[0]
	}
	if k := r.URL.Query().Get("file"); strings.HasPrefix(k, "surveys/") && DownloadAllowed(k, u.Role) {
		d.File = k
	}
	for _, k := range a.uploadKinds(u.Role) {
		if k != "acts" {
			d.Imports = append(d.Imports, k)
		}
	}
	a.render(w, r, http.StatusOK, "surveys", a.newPage(r, "surveys.title", d))
}

type regionRow struct {
	Code  string
	Label qoldau.Text
}

// surveyFile makes a survey file (invitation links, a call list) and opens the
// surveys page with its download link.
func (a *api) surveyFile(w http.ResponseWriter, r *http.Request, make func(ctx context.Context, p civil.Month) (string, error)) {
	p, err := parsePeriod(r.PostFormValue("month"))
	if err != nil {
		a.pageError(w, r, err)
		return
	}
	key, err := make(r.Context(), p)
	if err != nil {
		a.pageError(w, r, err)
		return
	}
	back := "/surveys?file=" + url.QueryEscape(key)
	if rp := r.PostFormValue("period"); rp != "" {
		back += "&period=" + url.QueryEscape(rp)
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
}

func (a *api) invitationsPost(w http.ResponseWriter, r *http.Request, u *qoldau.User) {
	if a.Invitations == nil {
		a.pageError(w, r, qoldau.E(qoldau.Invalid, msgNotReady, nil))
		return
	}
	a.surveyFile(w, r, func(ctx context.Context, p civil.Month) (string, error) { return a.Invitations(ctx, p, u.Name) })
}

func (a *api) callListPost(w http.ResponseWriter, r *http.Request, u *qoldau.User) {
	if a.CallList == nil {
		a.pageError(w, r, qoldau.E(qoldau.Invalid, msgNotReady, nil))
		return
	}
	per, err := intParam(r.PostFormValue("per_region"), 30)
	var seed int
	if err == nil {
		seed, err = intParam(r.PostFormValue("seed"), 1)
	}
	if err != nil {
		a.pageError(w, r, err)
		return
	}
	a.surveyFile(w, r, func(ctx context.Context, p civil.Month) (string, error) {
		return a.CallList(ctx, p, per, int64(seed), u.Name)
	})
}

// periodLabel words a report period: "III тоқсан 2026", "2026 (на 1 декабря)", a range.
func (p *page) ReportPeriod(rp report.Period) string {
	switch rp.Kind {
	case report.KindQuarter:
		return p.T("rperiod.quarter", rp.Quarter, strconv.Itoa(rp.Year))
	case report.KindAnnual:
		return p.T("rperiod.annual", strconv.Itoa(rp.Year))
	}
	if rp.From == rp.To {
		return p.Month(rp.From)
	}
	return p.Month(rp.From) + " – " + p.Month(rp.To)
}

// Cell is the response of a region through a channel (zero when none).
func (d *surveysData) Cell(region, channel string) *surveys.Response {
	if r := d.Summary.ByRegion[region][channel]; r != nil {
		return r
	}
	return &surveys.Response{}
}
