package httpapi

import (
	"bytes"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/qoldau"
	"github.com/qoldau/qoldau/shared/refdata"
	"github.com/qoldau/qoldau/shared/workday"
)

type usersData struct {
	Users    []qoldau.User
	Roles    []qoldau.Role
	Form     userForm
	Error    string
	Key      string // a new user's API key, shown once
	KeyUser  string
	MinChars int
}

type userForm struct {
	Name, Email string
	Role        qoldau.Role
}

var allRoles = []qoldau.Role{op, ag, adm}

// usersPage lists the staff users with their roles and whether they can sign in,
// with the forms that add a user, change a role and set a password.
func (a *api) usersPage(w http.ResponseWriter, r *http.Request, u *qoldau.User) {
	a.renderUsers(w, r, http.StatusOK, &usersData{Form: userForm{Role: op}})
}

func (a *api) renderUsers(w http.ResponseWriter, r *http.Request, status int, d *usersData) {
	us, err := a.Svc.Users(r.Context())
	if err != nil {
		a.pageError(w, r, err)
		return
	}
	d.Users, d.Roles, d.MinChars = us, allRoles, qoldau.MinPassword
	a.render(w, r, status, "users", a.newPage(r, "users.title", d))
}

// userAddPost adds a user with a role and a console password (and an API key,
// shown this once, for scripts).
func (a *api) userAddPost(w http.ResponseWriter, r *http.Request, u *qoldau.User) {
	f := userForm{Name: strings.TrimSpace(r.PostFormValue("name")), Email: strings.TrimSpace(r.PostFormValue("email")),
		Role: qoldau.Role(r.PostFormValue("role"))}
	pw := r.PostFormValue("password")
	p := a.newPage(r, "users.title", nil)
	d := &usersData{Form: f}
	err := qoldau.CheckPassword(pw)
	if err == nil && pw != r.PostFormValue("password2") {
		err = qoldau.E(qoldau.Invalid, msgPasswordsDiffer, nil)
	}
	var (
		nu  *qoldau.User
		key string
	)
	if err == nil {
		nu, key, err = a.Svc.AddUser(r.Context(), f.Name, f.Role, f.Email, u.Name)
	}
	if err == nil {
		err = a.Svc.SetPassword(r.Context(), nu.Name, pw, a.Now(), u.Name)
	}
	switch code := qoldau.CodeOf(err); {
	case err == nil:
		d.Key, d.KeyUser, d.Form = key, nu.Name, userForm{Role: op}
		a.renderUsers(w, r, http.StatusCreated, d)
	case code == qoldau.Invalid || code == qoldau.Conflict:
		d.Error = p.Msg(qoldau.MessageOf(err))
		a.renderUsers(w, r, StatusOf(code), d)
	default:
		a.pageError(w, r, err)
	}
}

var msgPasswordsDiffer = texts.Text("passwords-differ")

// userSetPost changes a user's role or sets a new password (which signs the user
// out everywhere).
func (a *api) userSetPost(w http.ResponseWriter, r *http.Request, u *qoldau.User) {
	ctx := r.Context()
	name := r.PathValue("name")
	var (
		action string
		err    error
	)
	switch role := qoldau.Role(r.PostFormValue("role")); {
	case role != "":
		if name == u.Name && role != adm {
			a.pageError(w, r, qoldau.E(qoldau.Invalid, msgOwnRole, nil))
			return
		}
		action, err = "set-role", a.Svc.SetRole(ctx, name, role, u.Name)
	case r.PostFormValue("password") != "":
		action, err = "set-password", a.Svc.SetPassword(ctx, name, r.PostFormValue("password"), a.Now(), u.Name)
	default:
		err = qoldau.E(qoldau.Invalid, msgNothingToChange, nil)
	}
	if err != nil {
		a.pageError(w, r, err)
		return
	}
	http.Redirect(w, r, "/admin/users?done="+action, http.StatusSeeOther)
}

var (
	msgOwnRole         = texts.Text("own-role")
	msgNothingToChange = texts.Text("nothing-to-change")
)

type staffCodesData struct {
	Roles   []qoldau.Role
	Code    string
	Link    string
	Role    qoldau.Role
	Expires time.Time
	Chats   map[string]int
	Ready   bool
}

// staffCodesPage issues one-time codes that link a Telegram chat to a staff role
// (deadline reminders), and counts the chats linked so far.
func (a *api) staffCodesPage(w http.ResponseWriter, r *http.Request, u *qoldau.User) {
	a.renderStaffCodes(w, r, &staffCodesData{})
}

func (a *api) renderStaffCodes(w http.ResponseWriter, r *http.Request, d *staffCodesData) {
	d.Roles, d.Ready, d.Chats = []qoldau.Role{op, ag}, a.StaffCode != nil, map[string]int{}
	{
		err := a.Svc.Store.Chats(r.Context(), func(c *qoldau.Chat) error {
			if c.Role != "" && !c.Stopped && !c.Blocked {
				d.Chats[c.Role]++
			}
			return nil
		})
		if err != nil {
			a.pageError(w, r, err)
			return
		}
	}
	a.render(w, r, http.StatusOK, "staffcodes", a.newPage(r, "staffcodes.title", d))
}

func (a *api) staffCodePost(w http.ResponseWriter, r *http.Request, u *qoldau.User) {
	role := qoldau.Role(r.PostFormValue("role"))
	if a.StaffCode == nil {
		a.pageError(w, r, qoldau.E(qoldau.Invalid, msgNotReady, nil))
		return
	}
	if role != op && role != ag {
		a.pageError(w, r, qoldau.E(qoldau.Invalid, msgStaffRole, nil))
		return
	}
	sc, err := a.StaffCode(r.Context(), string(role), u.Name)
	if err != nil {
		a.pageError(w, r, err)
		return
	}
	a.renderStaffCodes(w, r, &staffCodesData{Code: sc.Code, Link: sc.Link, Role: role, Expires: sc.Expires})
}

var msgStaffRole = texts.Text("staff-role")

// IssuedCode is a one-time staff code, shown once: the /start text and the link.
type IssuedCode struct {
	Code    string // what follows /start
	Link    string // https://t.me/<bot>?start=<code> ("" without the bot's name)
	Expires time.Time
}

type refdataData struct {
	Set       *refdata.Set
	Files     []string
	Installed string // the name of a file just installed
	Checked   string // a file checked but not installable here
	Error     string
	CanSave   bool
}

// refdataPage shows the reference data in use (its version and files), exports
// it, and takes a replacement file (a code list or a calendar year), checked
// before it is installed.
func (a *api) refdataPage(w http.ResponseWriter, r *http.Request, u *qoldau.User) {
	a.renderRefdata(w, r, http.StatusOK, &refdataData{Installed: r.URL.Query().Get("installed")})
}

func (a *api) renderRefdata(w http.ResponseWriter, r *http.Request, status int, d *refdataData) {
	d.Set, d.Files, d.CanSave = a.Svc.Ref, refdata.Files(), a.InstallRefData != nil
	a.render(w, r, status, "refdata", a.newPage(r, "refdata.title", d))
}

// refdataExport downloads every reference data file in one zip.
func (a *api) refdataExport(w http.ResponseWriter, r *http.Request, u *qoldau.User) {
	var b bytes.Buffer
	if err := refdata.WriteZip(&b, a.Svc.Ref); err != nil {
		a.pageError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/zip")
	w.Header().Set("Content-Disposition", `attachment; filename="qoldau-refdata.zip"`)
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Write(b.Bytes())
}

// refdataPost checks an uploaded reference data file and installs it where the
// deployment can (the embedded store's data folder).
func (a *api) refdataPost(w http.ResponseWriter, r *http.Request, u *qoldau.User) {
	f, hdr, err := r.FormFile("file")
	if err != nil {
		a.renderRefdata(w, r, http.StatusBadRequest, &refdataData{Error: a.newPage(r, "", nil).Msg(msgNoFileChosen)})
		return
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, 8<<20))
	if err != nil {
		a.pageError(w, r, qoldau.E(qoldau.Invalid, msgNoFileChosen, err))
		return
	}
	d := &refdataData{}
	name, err := refdata.Check(a.Svc.Ref, hdr.Filename, b)
	if err == nil && a.InstallRefData != nil {
		err = a.InstallRefData(r.Context(), hdr.Filename, b)
		if err == nil {
			err = a.Svc.Audit(r.Context(), u.Name, "refdata", "reference data "+name, nil)
		}
		if err == nil {
			http.Redirect(w, r, "/admin/refdata?installed="+url.QueryEscape(name), http.StatusSeeOther)
			return
		}
	}
	if err != nil {
		if qoldau.CodeOf(err) != qoldau.Invalid {
			a.pageError(w, r, err)
			return
		}
		d.Error = a.newPage(r, "", nil).Msg(qoldau.MessageOf(err))
		a.renderRefdata(w, r, http.StatusBadRequest, d)
		return
	}
	d.Checked = name
	a.renderRefdata(w, r, http.StatusOK, d)
}

var msgNoFileChosen = texts.Text("no-file-chosen")

// auditPageSize is how many audit entries a page shows.
const auditPageSize = 100

type auditData struct {
	From, To         civil.Date
	Actor, Action    string
	Query            string
	Actions          []string
	Entries          []qoldau.AuditEntry
	Total            int
	First, Last      int
	PrevURL, NextURL string
}

// auditPage shows the audit log, newest first, filtered by dates, actor, action
// and text, a page at a time.
func (a *api) auditPage(w http.ResponseWriter, r *http.Request, u *qoldau.User) {
	q := r.URL.Query()
	today := workday.Today(a.Svc.Clock())
	d := &auditData{From: today.AddDays(-30), To: today, Actor: strings.TrimSpace(q.Get("actor")),
		Action: q.Get("action"), Query: strings.TrimSpace(q.Get("q"))}
	var err error
	for _, x := range []struct {
		s   string
		dst *civil.Date
	}{{q.Get("from"), &d.From}, {q.Get("to"), &d.To}} {
		if x.s == "" {
			continue
		}
		if *x.dst, err = civil.Parse(x.s); err != nil {
			a.pageError(w, r, qoldau.E(qoldau.Invalid, msgBadDate, err))
			return
		}
	}
	page, err := intParam(q.Get("page"), 1)
	if err != nil {
		a.pageError(w, r, err)
		return
	}
	page = max(page, 1)
	es, err := a.Svc.Store.Audit(r.Context(), d.From.In(workday.Almaty()), 0)
	if err != nil {
		a.pageError(w, r, err)
		return
	}
	end := workday.EndOf(d.To)
	actions := map[string]bool{}
	var match []qoldau.AuditEntry
	for _, e := range es {
		actions[e.Action] = true
		if e.Time.After(end) || d.Action != "" && e.Action != d.Action ||
			d.Actor != "" && !strings.Contains(strings.ToLower(e.Actor), strings.ToLower(d.Actor)) ||
			d.Query != "" && !auditMentions(&e, d.Query) {
			continue
		}
		match = append(match, e)
	}
	for k := range actions {
		d.Actions = append(d.Actions, k)
	}
	slices.Sort(d.Actions)
	slices.Reverse(match)
	d.Total = len(match)
	lo := min((page-1)*auditPageSize, d.Total)
	hi := min(lo+auditPageSize, d.Total)
	d.Entries = match[lo:hi]
	if hi > lo {
		d.First, d.Last = lo+1, hi
	}
	pageURL := func(n int) string {
		v := url.Values{"from": {d.From.String()}, "to": {d.To.String()}}
		for k, s := range map[string]string{"actor": d.Actor, "action": d.Action, "q": d.Query} {
			if s != "" {
				v.Set(k, s)
			}
		}
		v.Set("page", strconv.Itoa(n))
		return "?" + v.Encode()
	}
	if page > 1 {
		d.PrevURL = pageURL(page - 1)
	}
	if hi < d.Total {
		d.NextURL = pageURL(page + 1)
	}
	a.render(w, r, http.StatusOK, "audit", a.newPage(r, "audit.title", d))
}

func auditMentions(e *qoldau.AuditEntry, s string) bool {
	s = strings.ToLower(s)
	if strings.Contains(strings.ToLower(e.Subject), s) {
		return true
	}
	for k, v := range e.Detail {
		if strings.Contains(strings.ToLower(k+" "+v), s) {
			return true
		}
	}
	return false
}

var msgBadDate = texts.Text("bad-date")
