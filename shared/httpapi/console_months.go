package httpapi

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/qoldau"
	"github.com/qoldau/qoldau/shared/workday"
	"github.com/qoldau/qoldau/shared/workflow"
)

// monthCard is one month of the operator's calendar.
type monthCard struct {
	Period    civil.Month
	Due       civil.Date
	Effective civil.Date
	Status    string // future | waiting | missing | ontime | late
	First     time.Time
	Versions  int
	Counted   int
	Letter    *workflow.LetterView
	// LetterStatus: draft | overdue | sent | sentlate ("" without a letter).
	LetterStatus  string
	CorrectionDue civil.Date
	// Correction: open (the clock runs) | corrected | overdue ("" without one).
	Correction string
}

// monthCardOf sums up a period's state at now. Months before first (the first
// month with a register in the store) say that there is none, not that it is
// missing: the installation was not monitoring them.
func monthCardOf(st *workflow.PeriodState, letters []workflow.LetterView, now time.Time, first civil.Month) monthCard {
	c := monthCard{Period: st.Period, Due: st.Due, Effective: st.Effective, Versions: len(st.Versions)}
	today := workday.Today(now)
	switch {
	case st.Period > today.Month():
		c.Status = "future"
	case len(st.Versions) == 0 && (first == 0 || st.Period < first):
		c.Status = "nodata"
	case len(st.Versions) == 0 && !now.After(workday.EndOf(st.Due)):
		c.Status = "waiting"
	case len(st.Versions) == 0:
		c.Status = "missing"
	case st.Late:
		c.Status = "late"
	default:
		c.Status = "ontime"
	}
	for _, v := range st.Versions {
		if c.First.IsZero() || v.Received.Before(c.First) {
			c.First = v.Received
		}
	}
	if st.Counted != nil {
		c.Counted = st.Counted.Number
	}
	if n := len(letters); n > 0 {
		l := letters[n-1]
		c.Letter = &l
		c.LetterStatus = letterStatus(&l)
	}
	// The correction clock of the latest letter sent: corrected when a later
	// version came by its deadline.
	for i := len(letters) - 1; i >= 0; i-- {
		l := letters[i]
		if !l.IsSent() {
			continue
		}
		c.CorrectionDue = l.CorrectionDue
		c.Correction = "open"
		for _, v := range st.Versions {
			if v.Number > l.Version && !v.Received.Before(l.ReceivedAt()) && !v.Received.After(workday.EndOf(l.CorrectionDue)) {
				c.Correction = "corrected"
			}
		}
		if c.Correction == "open" && now.After(workday.EndOf(l.CorrectionDue)) {
			c.Correction = "overdue"
		}
		break
	}
	return c
}

func letterStatus(l *workflow.LetterView) string {
	switch {
	case l.IsSent() && l.SentLate:
		return "sentlate"
	case l.IsSent():
		return "sent"
	case l.Overdue:
		return "overdue"
	}
	return "draft"
}

// monthsData is the calendar of a year.
type monthsData struct {
	Year       int
	Years      []int
	Months     []monthCard
	Cal        *workday.Calendar
	CanUpload  bool
	WithLetter bool
}

// monthsPage is the operator's calendar: the months of a year with their due
// dates, receipt, lateness, versions, counted version, letter and correction clock.
func (a *api) monthsPage(w http.ResponseWriter, r *http.Request, u *qoldau.User) {
	ctx := r.Context()
	now := a.Svc.Clock()
	thisYear := workday.Today(now).Year()
	year := thisYear
	if s := r.URL.Query().Get("year"); s != "" {
		y, err := strconv.Atoi(s)
		if err != nil || y < 2019 || y > thisYear {
			a.pageError(w, r, qoldau.E(qoldau.Invalid, msgBadYear, err))
			return
		}
		year = y
	}
	all, err := a.Svc.Letters(ctx, 0)
	if err != nil {
		a.pageError(w, r, err)
		return
	}
	byPeriod := map[civil.Month][]workflow.LetterView{}
	for _, l := range all {
		byPeriod[l.Period] = append(byPeriod[l.Period], l)
	}
	first, err := a.firstPeriod(ctx)
	if err != nil {
		a.pageError(w, r, err)
		return
	}
	d := &monthsData{Year: year, Cal: a.Svc.Cal, CanUpload: u.Role == op}
	for y := thisYear; y >= 2019 && y > thisYear-8; y-- {
		d.Years = append(d.Years, y)
	}
	for m := time.January; m <= time.December; m++ {
		p := civil.MonthOf(year, m)
		st, err := a.Svc.State(ctx, p)
		if err != nil {
			a.pageError(w, r, err)
			return
		}
		d.Months = append(d.Months, monthCardOf(st, byPeriod[p], now, first))
	}
	a.render(w, r, http.StatusOK, "months", a.newPage(r, "months.title", d))
}

var msgBadYear = texts.Text("bad-year")

// versionRow is a version as the period page shows it.
type versionRow struct {
	qoldau.Version
	State   string // counted | superseded | notcounted | late
	Flagged string // the blob key of its flagged workbook ("" when none)
	Letter  string // its letter's ID
}

type periodData struct {
	Period       civil.Month
	State        *workflow.PeriodState
	Card         monthCard
	Versions     []versionRow
	Letters      []workflow.LetterView
	Cal          *workday.Calendar
	SeeFindings  bool
	CanUpload    bool
	CanSend      bool
	CanDownload  bool
	DiffFrom     int
	DiffTo       int
	PrevP, NextP civil.Month
}

// periodPage shows one month: deadlines, its versions (each counted or not, and
// why), its letters with their clocks, and links to findings, files and the diff.
func (a *api) periodPage(w http.ResponseWriter, r *http.Request, u *qoldau.User) {
	p, err := parsePeriod(r.PathValue("period"))
	if err != nil {
		a.pageError(w, r, err)
		return
	}
	ctx := r.Context()
	st, err := a.Svc.State(ctx, p)
	if err != nil {
		a.pageError(w, r, err)
		return
	}
	ls, err := a.Svc.Letters(ctx, p)
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
	d := &periodData{Period: p, State: st, Card: monthCardOf(st, ls, now, first), Letters: ls, Cal: a.Svc.Cal,
		SeeFindings: u.Role != adm, CanUpload: u.Role == op, CanSend: u.Role == ag, CanDownload: u.Role != adm,
		PrevP: p.Add(-1), NextP: p.Add(1)}
	letterOf := map[int]*workflow.LetterView{}
	for i := range ls {
		letterOf[ls[i].Version] = &ls[i]
	}
	for i := len(st.Versions) - 1; i >= 0; i-- {
		v := st.Versions[i]
		row := versionRow{Version: v}
		switch {
		case st.Late:
			row.State = "late"
		case st.Counted != nil && st.Counted.Number == v.Number:
			row.State = "counted"
		case st.InTime(&v):
			row.State = "superseded"
		default:
			row.State = "notcounted"
		}
		if l := letterOf[v.Number]; l != nil {
			row.Letter = l.ID
			row.Flagged = l.Files["xlsx"]
		}
		d.Versions = append(d.Versions, row)
	}
	if n := len(st.Versions); n >= 2 {
		d.DiffFrom, d.DiffTo = n-1, n
	}
	if d.NextP > workday.Today(now).Month() {
		d.NextP = 0
	}
	a.render(w, r, http.StatusOK, "period", a.newPage(r, "period.title", d))
}

// findingsPageSize is how many findings a page of the table shows.
const findingsPageSize = 100

// findingsData is a version's validation outcome with the table's filter and page.
type findingsData struct {
	Period    civil.Month
	Version   qoldau.Version
	State     string
	Codes     []countRow
	Fields    []countRow
	Severity  map[string]int
	Filter    findingFilter
	Matched   int
	From, To  int // 1-based positions of the page's first and last finding
	Findings  []qoldau.Finding
	PrevURL   string
	NextURL   string
	Flagged   string
	Letter    string
	FileLevel []qoldau.Finding
}

type countRow struct {
	Key   string
	Count int
}

type findingFilter struct {
	Code, Field string
	Severity    qoldau.Severity
	Page        int
}

func (f findingFilter) match(x *qoldau.Finding) bool {
	return (f.Code == "" || x.Code == f.Code) && (f.Field == "" || x.Field == f.Field) && (f.Severity == "" || x.Severity == f.Severity)
}

func (f findingFilter) query(page int) string {
	q := url.Values{}
	for k, v := range map[string]string{"code": f.Code, "field": f.Field, "severity": string(f.Severity)} {
		if v != "" {
			q.Set(k, v)
		}
	}
	if page > 1 {
		q.Set("page", strconv.Itoa(page))
	}
	if len(q) == 0 {
		return "?"
	}
	return "?" + q.Encode() + "#findings"
}

// findingsPage is a version's validation outcome: counts, and the findings table
// filtered by code, column and severity, a page at a time, each finding with its
// cell and message in the page's language.
func (a *api) findingsPage(w http.ResponseWriter, r *http.Request, u *qoldau.User) {
	p, err := parsePeriod(r.PathValue("period"))
	if err != nil {
		a.pageError(w, r, err)
		return
	}
	n, err := intParam(r.PathValue("version"), 0)
	if err != nil {
		a.pageError(w, r, err)
		return
	}
	q := r.URL.Query()
	f := findingFilter{Code: q.Get("code"), Field: q.Get("field"), Severity: qoldau.Severity(q.Get("severity"))}
	if f.Page, err = intParam(q.Get("page"), 1); err != nil {
		a.pageError(w, r, err)
		return
	}
	f.Page = max(f.Page, 1)
	ctx := r.Context()
	st, err := a.Svc.State(ctx, p)
	if err != nil {
		a.pageError(w, r, err)
		return
	}
	var v *qoldau.Version
	for i := range st.Versions {
		if st.Versions[i].Number == n {
			v = &st.Versions[i]
		}
	}
	if v == nil {
		a.pageError(w, r, qoldau.E(qoldau.NotFound, msgNoVersion, nil))
		return
	}
	d := &findingsData{Period: p, Version: *v, Filter: f, Severity: map[string]int{}}
	switch {
	case st.Late:
		d.State = "late"
	case st.Counted != nil && st.Counted.Number == n:
		d.State = "counted"
	case st.InTime(v):
		d.State = "superseded"
	default:
		d.State = "notcounted"
	}
	codes, fields := map[string]int{}, map[string]int{}
	lo := (f.Page - 1) * findingsPageSize
	// One pass over the findings: the counts of the filters and the page's hundred.
	err = a.eachFinding(ctx, v, func(x *qoldau.Finding) error {
		codes[x.Code]++
		if x.Field != "" {
			fields[x.Field]++
		}
		d.Severity[string(x.Severity)]++
		if x.Row == 0 {
			d.FileLevel = append(d.FileLevel, *x)
		}
		if !f.match(x) {
			return nil
		}
		if d.Matched >= lo && d.Matched < lo+findingsPageSize {
			d.Findings = append(d.Findings, *x)
		}
		d.Matched++
		return nil
	})
	if err != nil {
		a.pageError(w, r, err)
		return
	}
	d.Codes, d.Fields = sortedCounts(codes), sortedCounts(fields)
	if len(d.Findings) > 0 {
		d.From, d.To = lo+1, lo+len(d.Findings)
	}
	if f.Page > 1 {
		d.PrevURL = f.query(f.Page - 1)
	}
	if lo+findingsPageSize < d.Matched {
		d.NextURL = f.query(f.Page + 1)
	}
	ls, err := a.Svc.Letters(ctx, p)
	if err != nil {
		a.pageError(w, r, err)
		return
	}
	for _, l := range ls {
		if l.Version == n {
			d.Letter, d.Flagged = l.ID, l.Files["xlsx"]
		}
	}
	a.render(w, r, http.StatusOK, "findings", a.newPage(r, "findings.title", d))
}

var msgNoVersion = texts.Text("no-version")

// sortedCounts orders counts by count, then key.
func sortedCounts(m map[string]int) []countRow {
	out := make([]countRow, 0, len(m))
	for k, n := range m {
		out = append(out, countRow{k, n})
	}
	sortCountRows(out)
	return out
}

// diffData is a correction compared with an earlier version.
type diffData struct {
	Period   civil.Month
	Versions []qoldau.Version
	From, To int
	Diff     *workflow.Diff
	Limit    int
}

// diffPage compares two versions of a month (default: the latest with the one
// before): rows added, removed and changed, errors fixed, still open and new.
func (a *api) diffPage(w http.ResponseWriter, r *http.Request, u *qoldau.User) {
	p, err := parsePeriod(r.PathValue("period"))
	if err != nil {
		a.pageError(w, r, err)
		return
	}
	q := r.URL.Query()
	from, err := intParam(q.Get("from"), 0)
	var to int
	if err == nil {
		to, err = intParam(q.Get("to"), 0)
	}
	if err != nil {
		a.pageError(w, r, err)
		return
	}
	ctx := r.Context()
	vs, err := a.Svc.Store.Versions(ctx, p)
	if err != nil {
		a.pageError(w, r, err)
		return
	}
	n := len(vs)
	if to == 0 {
		to = n
	}
	if from == 0 {
		from = to - 1
	}
	if from < 1 || to > n || from >= to {
		a.pageError(w, r, qoldau.E(qoldau.Invalid, msgNoDiff, nil))
		return
	}
	df, err := a.Svc.Diff(ctx, p, from, to)
	if err != nil {
		a.pageError(w, r, err)
		return
	}
	a.render(w, r, http.StatusOK, "diff", a.newPage(r, "diff.title", &diffData{Period: p, Versions: vs, From: from, To: to, Diff: df, Limit: 200}))
}

var msgNoDiff = texts.Text("no-diff")

// firstPeriod is the first month with a register in the store (0 when none).
func (a *api) firstPeriod(ctx context.Context) (civil.Month, error) {
	ps, err := a.Svc.Periods(ctx)
	if err != nil || len(ps) == 0 {
		return 0, err
	}
	return ps[0], nil
}
