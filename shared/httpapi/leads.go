package httpapi

import (
	"net/http"
	"strings"

	"github.com/qoldau/qoldau/shared/qoldau"
)

// leads answers the audit leads of a period (GET /api/leads?period=2026-Q3, or a
// month, a year or a range as reports take them): the agency's, since the
// evidence names clients' rows and, where it is the evidence, a phone or names.
func (a *api) leads(w http.ResponseWriter, r *http.Request, u *qoldau.User) {
	res, _, err := a.findLeads(r, strings.TrimSpace(r.URL.Query().Get("period")))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, res)
}
