package httpapi

import (
	"net/http"

	"github.com/qoldau/qoldau/shared/qoldau"
)

// Route is one entry of the handler's route table: a ServeMux pattern, the roles
// that may use it (none: public, before sign-in), and whether it is a console page
// (HTML answers: a sign-in redirect, a 403 page) or an API call (JSON answers).
// The role is checked before the handler reads a body or changes anything.
type Route struct {
	Pattern string
	Roles   []qoldau.Role
	Page    bool
	h       func(http.ResponseWriter, *http.Request, *qoldau.User)
}

// Public reports whether the route needs no sign-in.
func (rt Route) Public() bool { return len(rt.Roles) == 0 }

// Routes is the route table (the authorization matrix): every route of New with
// its roles.
func Routes() []Route {
	rs := (&api{}).table()
	for i := range rs {
		rs[i].h = nil
	}
	return rs
}

const (
	op  = qoldau.Role(qoldau.RoleOperator)
	ag  = qoldau.Role(qoldau.RoleAgency)
	adm = qoldau.Role(qoldau.RoleAdmin)
)

// table lists the routes. The admin reads the monitoring state (months, letters,
// reports) but never findings or the files that hold personal data: findings go
// to the operator and the agency only.
func (a *api) table() []Route {
	staff := []qoldau.Role{op, ag, adm}
	api := func(pattern string, h func(http.ResponseWriter, *http.Request, *qoldau.User), roles ...qoldau.Role) Route {
		return Route{Pattern: pattern, Roles: roles, h: h}
	}
	page := func(pattern string, h func(http.ResponseWriter, *http.Request, *qoldau.User), roles ...qoldau.Role) Route {
		return Route{Pattern: pattern, Roles: roles, Page: true, h: h}
	}
	return []Route{
		// Public: health, the console's assets, signing in, the language switch.
		api("GET /healthz", a.health),
		page("GET /static/{file}", a.static),
		page("GET /signin", a.signInPage),
		page("POST /signin", a.signInPost),
		page("GET /lang", a.setLang),

		// The API (API keys; the console's scripts call it with the session and a
		// CSRF header).
		api("GET /api/me", a.me, staff...),
		api("GET /api/periods", a.periods, staff...),
		api("GET /api/periods/{period}", a.status, staff...),
		api("GET /api/periods/{period}/versions/{version}/findings", a.findings, op, ag),
		api("GET /api/periods/{period}/diff", a.diff, op, ag),
		api("POST /api/uploads", a.newUpload, op, ag),
		api("GET /api/uploads/{id}", a.upload, op, ag),
		api("GET /api/letters", a.letters, staff...),
		api("POST /api/letters/{id}/send", a.sendLetter, ag),
		api("POST /api/reports", a.newReport, ag),
		api("GET /api/reports/{id}", a.report, ag, adm),
		api("POST /api/reports/submissions", a.submission, ag),
		api("GET /api/downloads", a.download, staff...),
		api("POST /api/invitations", a.invitations, ag),
		api("POST /api/calls", a.callList, ag),
		api("GET /api/leads", a.leads, ag),
		api("GET /api/users", a.users, adm),
		api("POST /api/users", a.newUser, adm),

		// The console.
		page("GET /{$}", a.home, staff...),
		page("POST /signout", a.signOut, staff...),
		page("GET /months", a.monthsPage, staff...),
		page("GET /months/{period}", a.periodPage, staff...),
		page("GET /months/{period}/versions/{version}", a.findingsPage, op, ag),
		page("GET /months/{period}/diff", a.diffPage, op, ag),
		page("GET /upload", a.uploadPage, op, ag),
		page("GET /uploads/{id}", a.uploadResultPage, op, ag),
		page("GET /letters", a.lettersPage, staff...),
		page("POST /letters/{id}/send", a.sendLetterPost, ag),
		page("GET /download", a.downloadPage, staff...),
		page("GET /dashboard", a.dashboardPage, ag, adm),
		page("GET /reports", a.reportsPage, ag, adm),
		page("POST /reports", a.reportPost, ag),
		page("GET /reports/jobs/{id}", a.reportJobPage, ag, adm),
		page("POST /reports/submissions", a.submissionPost, ag),
		page("GET /leads", a.leadsPage, ag),
		page("GET /leads/xlsx", a.leadsXLSX, ag),
		page("GET /surveys", a.surveysPage, ag),
		page("POST /surveys/invitations", a.invitationsPost, ag),
		page("POST /surveys/calls", a.callListPost, ag),
		page("GET /admin/users", a.usersPage, adm),
		page("POST /admin/users", a.userAddPost, adm),
		page("POST /admin/users/{name}", a.userSetPost, adm),
		page("GET /admin/staff-codes", a.staffCodesPage, adm),
		page("POST /admin/staff-codes", a.staffCodePost, adm),
		page("GET /admin/refdata", a.refdataPage, adm),
		page("GET /admin/refdata/export", a.refdataExport, adm),
		page("POST /admin/refdata", a.refdataPost, adm),
		page("GET /admin/audit", a.auditPage, adm),
	}
}

func (a *api) health(w http.ResponseWriter, r *http.Request, _ *qoldau.User) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}
