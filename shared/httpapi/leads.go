package httpapi

import (
	"net/http"
	"strings"

	"github.com/qoldau/qoldau/shared/leads"
	"github.com/qoldau/qoldau/shared/qoldau"
	"github.com/qoldau/qoldau/shared/report"
)

// leads answers the audit leads of a period (GET /api/leads?period=2026-Q3, or a
// month, a year or a range as reports take them): the agency's, since the
// evidence names clients' rows and, where it is the evidence, a phone or names.
func (a *api) leads(w http.ResponseWriter, r *http.Request, u *qoldau.User) {
	q := strings.TrimSpace(r.URL.Query().Get("period"))
	p, err := report.ParseAt(q, a.Svc.Clock())
	if err != nil {
		a.fail(w, r, err)
		return
	}
	set := a.Leads
	if set == (leads.Settings{}) {
		set = leads.Defaults()
	}
	res, err := leads.Find(r.Context(), a.Svc, leads.Options{Period: q, From: p.From, To: p.To, Settings: set})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, res)
}
