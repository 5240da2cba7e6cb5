package httpapi

import (
	"context"
	"net/http"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/ingest"
	"github.com/qoldau/qoldau/shared/qoldau"
	"github.com/qoldau/qoldau/shared/report"
	"github.com/qoldau/qoldau/shared/reportjob"
	"github.com/qoldau/qoldau/shared/workflow"
)

func (a *api) me(w http.ResponseWriter, r *http.Request, u *qoldau.User) {
	writeJSON(w, http.StatusOK, u)
}

func (a *api) periods(w http.ResponseWriter, r *http.Request, u *qoldau.User) {
	ps, err := a.Svc.Periods(r.Context())
	if err != nil {
		a.fail(w, r, err)
		return
	}
	if ps == nil {
		ps = []civil.Month{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"periods": ps})
}

func (a *api) status(w http.ResponseWriter, r *http.Request, u *qoldau.User) {
	p, err := parsePeriod(r.PathValue("period"))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	st, err := a.Svc.Status(r.Context(), p)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, st)
}

var msgBadNumber = texts.Text("bad-number")

func intParam(s string, def int) (int, error) {
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return 0, qoldau.E(qoldau.Invalid, msgBadNumber, err)
	}
	return n, nil
}

// findings pages through a version's validation findings (?offset=&limit=, at most
// 1000 a page).
func (a *api) findings(w http.ResponseWriter, r *http.Request, u *qoldau.User) {
	p, err := parsePeriod(r.PathValue("period"))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	v, err := intParam(r.PathValue("version"), 0)
	var offset, limit int
	if err == nil {
		offset, err = intParam(r.URL.Query().Get("offset"), 0)
	}
	if err == nil {
		limit, err = intParam(r.URL.Query().Get("limit"), 200)
	}
	if err != nil {
		a.fail(w, r, err)
		return
	}
	limit = min(max(limit, 1), 1000)
	res, err := a.Svc.Result(r.Context(), p, v)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	defer res.Close()
	total := res.Findings.Len()
	lo := min(offset, total)
	page, err := res.Findings.Page(lo, limit) // never offset+limit: it could overflow
	if err != nil {
		a.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"period": p, "version": v, "rows": res.Rows, "counts": res.Counts,
		"total": total, "offset": lo, "findings": page,
	})
}

func (a *api) diff(w http.ResponseWriter, r *http.Request, u *qoldau.User) {
	p, err := parsePeriod(r.PathValue("period"))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	from, err := intParam(r.URL.Query().Get("from"), 0)
	var to int
	if err == nil {
		to, err = intParam(r.URL.Query().Get("to"), 0)
	}
	if err != nil {
		a.fail(w, r, err)
		return
	}
	st, err := a.Svc.State(r.Context(), p)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	n := len(st.Versions)
	if to == 0 {
		to = n
	}
	if from == 0 {
		from = to - 1
	}
	if from < 1 || to > n || from >= to {
		a.fail(w, r, qoldau.E(qoldau.Invalid, texts.Text("no-versions-compare"), nil))
		return
	}
	d, err := a.Svc.Diff(r.Context(), p, from, to)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, d)
}

// uploadRequest asks for an upload URL.
type uploadRequest struct {
	Kind   string `json:"kind"`   // register | acts | another kind the validate job takes
	Period string `json:"period"` // YYYY-MM, for a register
	Name   string `json:"name"`   // the file's name
	Sheet  string `json:"sheet"`  // the workbook's sheet to read ("": the one holding the header)
	Force  bool   `json:"force"`  // store a register whose end dates mostly fall in another month
}

// uploadAnswer is where to PUT the file, and where to look for the outcome.
type uploadAnswer struct {
	ID      string    `json:"id"`
	Method  string    `json:"method"`
	URL     string    `json:"url"`
	Expires time.Time `json:"expires"`
	Status  string    `json:"status_url"`
}

var msgBadKind = texts.Text("bad-kind")

// uploadRoles: who may upload what.
func uploadAllowed(kind string, role qoldau.Role) bool {
	if kind == ingest.KindRegister {
		return role == qoldau.RoleOperator
	}
	return role == qoldau.RoleAgency
}

func (a *api) newUpload(w http.ResponseWriter, r *http.Request, u *qoldau.User) {
	var req uploadRequest
	if err := readJSON(r, &req); err != nil {
		a.fail(w, r, err)
		return
	}
	if !a.Ingest.Kind(req.Kind) {
		a.fail(w, r, qoldau.E(qoldau.Invalid, msgBadKind, nil))
		return
	}
	if !uploadAllowed(req.Kind, u.Role) {
		a.fail(w, r, qoldau.E(qoldau.Forbidden, msgForbidden, nil))
		return
	}
	t := &ingest.Ticket{ID: reportjob.NewID(), Kind: req.Kind, Name: path.Base(strings.TrimSpace(req.Name)), Actor: u.Name,
		Sheet: strings.TrimSpace(req.Sheet), Force: req.Force}
	if err := qoldau.CheckText("sheet", t.Sheet, 200); err != nil {
		a.fail(w, r, err)
		return
	}
	if t.Name == "" || t.Name == "." || t.Name == "/" {
		t.Name = "upload.xlsx"
	}
	if req.Kind == ingest.KindRegister {
		p, err := parsePeriod(req.Period)
		if err != nil {
			a.fail(w, r, err)
			return
		}
		t.Period = p
	}
	now := a.Svc.Clock()
	t.Key = ingest.InboxKey(t.ID, t.Name)
	t.Created, t.Expires = now.UTC(), now.Add(a.UploadTTL).UTC()
	if err := a.Ingest.PutTicket(r.Context(), t); err != nil {
		a.fail(w, r, err)
		return
	}
	url, err := a.Links.UploadURL(r.Context(), t.Key, a.UploadTTL)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, uploadAnswer{ID: t.ID, Method: http.MethodPut, URL: url, Expires: t.Expires,
		Status: "/api/uploads/" + t.ID})
}

// uploadState is a ticket and, once the file is registered, its outcome.
type uploadState struct {
	Ticket  *ingest.Ticket  `json:"ticket"`
	Status  string          `json:"status"` // waiting | done | refused | failed
	Outcome *ingest.Outcome `json:"outcome,omitempty"`
}

var msgNoUpload = texts.Text("no-upload")

func (a *api) upload(w http.ResponseWriter, r *http.Request, u *qoldau.User) {
	id := r.PathValue("id")
	if _, ok := ingest.TicketOf(ingest.InboxKey(id, "x")); !ok {
		a.fail(w, r, qoldau.E(qoldau.NotFound, msgNoUpload, nil))
		return
	}
	t, err := a.Ingest.Ticket(r.Context(), id)
	if err != nil {
		if qoldau.CodeOf(err) == qoldau.NotFound {
			err = qoldau.E(qoldau.NotFound, msgNoUpload, nil)
		}
		a.fail(w, r, err)
		return
	}
	if !uploadAllowed(t.Kind, u.Role) {
		a.fail(w, r, qoldau.E(qoldau.Forbidden, msgForbidden, nil))
		return
	}
	st := uploadState{Ticket: t, Status: "waiting"}
	o, err := a.Ingest.Outcome(r.Context(), id)
	switch {
	case err == nil:
		st.Outcome, st.Status = o, o.Status
	case qoldau.CodeOf(err) != qoldau.NotFound:
		a.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, st)
}

func (a *api) letters(w http.ResponseWriter, r *http.Request, u *qoldau.User) {
	var p civil.Month
	if s := r.URL.Query().Get("period"); s != "" {
		var err error
		if p, err = parsePeriod(s); err != nil {
			a.fail(w, r, err)
			return
		}
	}
	ls, err := a.Svc.Letters(r.Context(), p)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	if ls == nil {
		ls = []workflow.LetterView{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"letters": ls})
}

func (a *api) sendLetter(w http.ResponseWriter, r *http.Request, u *qoldau.User) {
	var req struct {
		Number   string    `json:"number"`   // the outgoing number
		At       time.Time `json:"at"`       // when it was sent (zero: now)
		Received time.Time `json:"received"` // when the operator received it (zero: when sent)
	}
	if err := readJSON(r, &req); err != nil {
		a.fail(w, r, err)
		return
	}
	l, err := a.Svc.Send(r.Context(), r.PathValue("id"), workflow.SendRequest{Number: req.Number, At: req.At,
		Received: req.Received, Actor: u.Name})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, l)
}

func (a *api) newReport(w http.ResponseWriter, r *http.Request, u *qoldau.User) {
	var req struct {
		Period  string   `json:"period"`
		Lang    string   `json:"lang"`
		Formats []string `json:"formats"`
	}
	if err := readJSON(r, &req); err != nil {
		a.fail(w, r, err)
		return
	}
	if req.Lang == "" {
		req.Lang = "ru"
	}
	if len(req.Formats) == 0 {
		req.Formats = slices.Clone(report.Formats)
	}
	if err := report.CheckOutput(req.Lang, req.Formats); err != nil {
		a.fail(w, r, err)
		return
	}
	// The period is checked now, so a bad one is a 400, not a job that fails later.
	p, err := report.ParseAt(req.Period, a.Svc.Clock())
	if err != nil {
		a.fail(w, r, err)
		return
	}
	j, err := a.Reports.Submit(r.Context(), reportjob.Request{Period: p.ID, Lang: req.Lang,
		Formats: req.Formats, Actor: u.Name, Requested: a.Svc.Clock().UTC()})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusAccepted, j)
}

func (a *api) report(w http.ResponseWriter, r *http.Request, u *qoldau.User) {
	j, err := a.Reports.Get(r.Context(), r.PathValue("id"))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, j)
}

// downloadRoles: which roles may download the blobs under each prefix.
var downloadRoles = map[string][]qoldau.Role{
	"letters/": {qoldau.RoleOperator, qoldau.RoleAgency},
	"results/": {qoldau.RoleOperator, qoldau.RoleAgency},
	"uploads/": {qoldau.RoleOperator, qoldau.RoleAgency},
	"acts/":    {qoldau.RoleAgency},
	"reports/": {qoldau.RoleAgency, qoldau.RoleAdmin},
	"surveys/": {qoldau.RoleAgency},
}

// DownloadAllowed reports whether role may download the blob key.
func DownloadAllowed(key string, role qoldau.Role) bool {
	for prefix, roles := range downloadRoles {
		if strings.HasPrefix(key, prefix) {
			for _, r := range roles {
				if r == role {
					return true
				}
			}
		}
	}
	return false
}

var msgNoFile = texts.Text("no-file")

// download answers a short-lived URL for ?key=<blob key> (?redirect=1: a 303 to it).
func (a *api) download(w http.ResponseWriter, r *http.Request, u *qoldau.User) {
	key := r.URL.Query().Get("key")
	if !DownloadAllowed(key, u.Role) || strings.Contains(key, "..") {
		a.fail(w, r, qoldau.E(qoldau.Forbidden, msgForbidden, nil))
		return
	}
	ok, err := a.Svc.FileExists(r.Context(), key)
	if err == nil && !ok {
		err = qoldau.E(qoldau.NotFound, msgNoFile, nil)
	}
	if err != nil {
		a.fail(w, r, err)
		return
	}
	url, err := a.Links.DownloadURL(r.Context(), key, path.Base(key), a.DownloadTTL)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	if r.URL.Query().Get("redirect") == "1" {
		http.Redirect(w, r, url, http.StatusSeeOther)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"url": url, "expires": a.Svc.Clock().Add(a.DownloadTTL).UTC()})
}

// exportRequest is the body of a request for a survey file: a period, and for the
// call list its sample size per region and seed.
type exportRequest struct {
	Period    string `json:"period"`
	PerRegion int    `json:"per_region"`
	Seed      int64  `json:"seed"`
}

// export answers a request for a survey file made by build (501 when not ready), with the
// blob's key and its download route.
func (a *api) export(w http.ResponseWriter, r *http.Request, ready bool, build func(ctx context.Context, p civil.Month, req exportRequest) (string, error)) {
	var req exportRequest
	if err := readJSON(r, &req); err != nil {
		a.fail(w, r, err)
		return
	}
	if !ready {
		writeJSON(w, http.StatusNotImplemented, notReady())
		return
	}
	p, err := parsePeriod(req.Period)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	key, err := build(r.Context(), p, req)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]any{"key": key, "download": "/api/downloads?key=" + key})
}

func (a *api) invitations(w http.ResponseWriter, r *http.Request, u *qoldau.User) {
	a.export(w, r, a.Invitations != nil, func(ctx context.Context, p civil.Month, _ exportRequest) (string, error) {
		return a.Invitations(ctx, p, u.Name)
	})
}

func (a *api) callList(w http.ResponseWriter, r *http.Request, u *qoldau.User) {
	a.export(w, r, a.CallList != nil, func(ctx context.Context, p civil.Month, req exportRequest) (string, error) {
		return a.CallList(ctx, p, req.PerRegion, req.Seed, u.Name)
	})
}

func notReady() errorBody { return errorBodyOf("not_implemented", msgNotReady) }

func errorBodyOf(code qoldau.ErrorCode, msg qoldau.Text) errorBody {
	var b errorBody
	b.Error.Code, b.Error.Message = code, msg
	return b
}

func (a *api) users(w http.ResponseWriter, r *http.Request, u *qoldau.User) {
	us, err := a.Svc.Users(r.Context())
	if err != nil {
		a.fail(w, r, err)
		return
	}
	if us == nil {
		us = []qoldau.User{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"users": us})
}

// newUser adds a user and answers its API key, shown this once.
func (a *api) newUser(w http.ResponseWriter, r *http.Request, u *qoldau.User) {
	var req struct {
		Name  string      `json:"name"`
		Role  qoldau.Role `json:"role"`
		Email string      `json:"email"`
	}
	if err := readJSON(r, &req); err != nil {
		a.fail(w, r, err)
		return
	}
	nu, key, err := a.Svc.AddUser(r.Context(), req.Name, req.Role, req.Email, u.Name)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]any{"user": nu, "key": key})
}
