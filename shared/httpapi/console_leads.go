package httpapi

import (
	"bytes"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/qoldau/qoldau/shared/leads"
	"github.com/qoldau/qoldau/shared/qoldau"
	"github.com/qoldau/qoldau/shared/report"
)

// findLeads computes the audit leads of period (a month, quarter, year or range
// as reports take them), as GET /api/leads and the console's leads page share them;
// a result of the same inputs found within the last minute is reused (leadsCache).
func (a *api) findLeads(r *http.Request, period string) (*leads.Result, report.Period, error) {
	p, err := report.ParseAt(period, a.Svc.Clock())
	if err != nil {
		return nil, p, err
	}
	set := a.Leads
	if set == (leads.Settings{}) {
		set = leads.Defaults()
	}
	rev, err := a.Svc.Store.InputsRevision(r.Context())
	if err != nil {
		return nil, p, err
	}
	k, now := leadsKey{period: period, settings: set, revision: rev}, a.Now()
	if res, ok := a.found.get(k, now); ok {
		return res, p, nil
	}
	res, err := leads.Find(r.Context(), a.Svc, leads.Options{Period: period, From: p.From, To: p.To, Settings: set})
	if err != nil {
		return nil, p, err
	}
	a.found.put(k, now, res)
	return res, p, nil
}

// leadsFilter is the leads page's choice: the kinds shown (none: all) and the
// least strength.
type leadsFilter struct {
	Period string
	Kinds  []string
	Min    float64
	Page   int
}

// leadsFilterOf reads the filter of the query (the period: last month's quarter
// when none is given).
func (a *api) leadsFilterOf(r *http.Request) (leadsFilter, error) {
	q := r.URL.Query()
	f := leadsFilter{Period: strings.TrimSpace(q.Get("period"))}
	if f.Period == "" {
		f.Period = defaultReportPeriod(a.Svc.Clock()).ID
	}
	for _, k := range q["kind"] {
		if !slices.Contains(leads.Kinds, k) {
			return f, qoldau.E(qoldau.Invalid, msgBadLeadKind, nil)
		}
		if !slices.Contains(f.Kinds, k) {
			f.Kinds = append(f.Kinds, k)
		}
	}
	if s := strings.TrimSpace(q.Get("min")); s != "" {
		v, err := strconv.ParseFloat(strings.ReplaceAll(s, ",", "."), 64)
		if err != nil || v < 0 || v > 1e9 {
			return f, qoldau.E(qoldau.Invalid, msgBadStrength, err)
		}
		f.Min = v
	}
	var err error
	if f.Page, err = intParam(q.Get("page"), 1); err != nil {
		return f, err
	}
	f.Page = max(f.Page, 1)
	return f, nil
}

var (
	msgBadLeadKind = texts.Text("bad-lead-kind")
	msgBadStrength = texts.Text("bad-strength")
)

// Has reports whether the filter shows kind.
func (f leadsFilter) Has(kind string) bool { return slices.Contains(f.Kinds, kind) }

func (f leadsFilter) match(l *leads.Lead) bool {
	return (len(f.Kinds) == 0 || slices.Contains(f.Kinds, l.Kind)) && l.Strength >= f.Min
}

// query is the filter as a query string, on page (0: none, as the download takes it).
func (f leadsFilter) query(period string, page int) string {
	q := url.Values{"period": {period}}
	for _, k := range f.Kinds {
		q.Add("kind", k)
	}
	if f.Min > 0 {
		q.Set("min", strconv.FormatFloat(f.Min, 'f', -1, 64))
	}
	if page > 1 {
		q.Set("page", strconv.Itoa(page))
	}
	return "?" + q.Encode()
}

// leadsPageSize is how many leads a page shows; leadRowsShown is how many of a
// lead's evidence rows the page lists (the workbook lists them all, up to the
// MaxRows setting).
const (
	leadsPageSize = 25
	leadRowsShown = 20
)

type leadsData struct {
	Period   report.Period
	Periods  []report.Period
	Result   *leads.Result
	Filter   leadsFilter
	Kinds    []string
	Matched  int
	From, To int
	Leads    []numberedLead
	PrevURL  string
	NextURL  string
	XLSX     string // the download's URL
}

type numberedLead struct {
	N int
	*leads.Lead
}

// Shown is the evidence rows the page lists.
func (l numberedLead) Shown() []leads.Evidence { return l.Rows[:min(len(l.Rows), leadRowsShown)] }

// More is how many evidence rows the page does not list.
func (l numberedLead) More() int { return l.RowsTotal - len(l.Shown()) }

// leadsPage shows the audit leads of a period for the agency: counts by kind,
// then each lead (kind, strength, explanation in the page's language, evidence
// rows with their cells), filtered by kind and least strength, a page at a time,
// with the whole list as leads.xlsx.
func (a *api) leadsPage(w http.ResponseWriter, r *http.Request, u *qoldau.User) {
	f, err := a.leadsFilterOf(r)
	if err != nil {
		a.pageError(w, r, err)
		return
	}
	res, p, err := a.findLeads(r, f.Period)
	if err != nil {
		a.pageError(w, r, err)
		return
	}
	d := &leadsData{Period: p, Periods: a.scheduledPeriods(), Result: res, Filter: f, Kinds: leads.Kinds,
		XLSX: "/leads/xlsx" + f.query(res.Period, 0)}
	lo := (f.Page - 1) * leadsPageSize
	for i := range res.Leads {
		l := &res.Leads[i]
		if !f.match(l) {
			continue
		}
		if d.Matched >= lo && d.Matched < lo+leadsPageSize {
			d.Leads = append(d.Leads, numberedLead{i + 1, l})
		}
		d.Matched++
	}
	if len(d.Leads) > 0 {
		d.From, d.To = lo+1, lo+len(d.Leads)
	}
	if f.Page > 1 {
		d.PrevURL = f.query(res.Period, f.Page-1) + "#leads"
	}
	if lo+leadsPageSize < d.Matched {
		d.NextURL = f.query(res.Period, f.Page+1) + "#leads"
	}
	a.render(w, r, http.StatusOK, "leads", a.newPage(r, "leads.title", d))
}

// leadsXLSX downloads the leads of the page's period and filter as leads.xlsx, in
// the page's language.
func (a *api) leadsXLSX(w http.ResponseWriter, r *http.Request, u *qoldau.User) {
	f, err := a.leadsFilterOf(r)
	if err != nil {
		a.pageError(w, r, err)
		return
	}
	res, _, err := a.findLeads(r, f.Period)
	if err != nil {
		a.pageError(w, r, err)
		return
	}
	if len(f.Kinds) > 0 || f.Min > 0 {
		kept := res.Leads[:0:0]
		for i := range res.Leads {
			if f.match(&res.Leads[i]) {
				kept = append(kept, res.Leads[i])
			}
		}
		filtered := *res // the result found may be shown again: never changed
		filtered.Leads = kept
		res = &filtered
	}
	var b bytes.Buffer
	if err := leads.WriteXLSX(&b, res, langOf(r)); err != nil {
		a.pageError(w, r, err)
		return
	}
	securityHeaders(w.Header())
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{
		"filename": downloadName("leads-" + res.Period + ".xlsx")}))
	w.Write(b.Bytes())
}

// LeadText is a text of the leads' catalogue (kinds, exclusion reasons) in the
// page's language.
func (p *page) LeadText(key string) string { return leads.Text(key).In(p.Lang) }

// Strength shows a lead's strength with two decimals in the page's convention.
func (p *page) Strength(x float64) string {
	s := strconv.FormatFloat(x, 'f', 2, 64)
	if p.Lang != "en" {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}

// Cells words an evidence row's cells: "U17 +77011234567" each, or the field's
// name where the cell's address is not known.
func (p *page) Cells(cs []leads.Cell) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		where := c.Cell
		if where == "" {
			where = p.Field(c.Field) + ":"
		}
		out[i] = where + " " + c.Value
	}
	return out
}
