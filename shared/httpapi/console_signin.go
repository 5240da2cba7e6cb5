package httpapi

import (
	"crypto/subtle"
	"errors"
	"math"
	"net/http"
	"strings"
	"time"

	"github.com/qoldau/qoldau/shared/qoldau"
)

// signInData is the sign-in form.
type signInData struct {
	Name, Next string
	Error      string
	Expired    bool
	Out        bool
	Token      string // the form's CSRF token (a cookie holds the same)
}

func (a *api) signInPage(w http.ResponseWriter, r *http.Request, u *qoldau.User) {
	q := r.URL.Query()
	if u != nil && callerOf(r).session != nil {
		http.Redirect(w, r, localPath(q.Get("next")), http.StatusSeeOther)
		return
	}
	d := &signInData{Next: localPath(q.Get("next")), Expired: q.Get("expired") == "1", Out: q.Get("out") == "1"}
	a.renderSignIn(w, r, http.StatusOK, d)
}

// renderSignIn shows the form with a fresh CSRF token in a cookie and the form.
func (a *api) renderSignIn(w http.ResponseWriter, r *http.Request, status int, d *signInData) {
	token, err := randomToken()
	if err != nil {
		a.pageError(w, r, err)
		return
	}
	d.Token = token
	setCookie(w, r, cookieSignIn, token, time.Hour)
	a.render(w, r, status, "signin", a.newPage(r, "signin.title", d))
}

func (a *api) signInPost(w http.ResponseWriter, r *http.Request, _ *qoldau.User) {
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	if err := r.ParseForm(); err != nil {
		a.pageError(w, r, qoldau.E(qoldau.Invalid, msgCSRF, err))
		return
	}
	name := strings.TrimSpace(r.PostForm.Get("name"))
	d := &signInData{Name: name, Next: localPath(r.PostForm.Get("next"))}
	p := a.newPage(r, "signin.title", d)
	ck, err := r.Cookie(cookieSignIn)
	if err != nil || ck.Value == "" || subtle.ConstantTimeCompare([]byte(ck.Value), []byte(r.PostForm.Get(fieldCSRF))) != 1 || !sameOrigin(r) {
		d.Error = p.Msg(msgCSRF)
		a.renderSignIn(w, r, http.StatusForbidden, d)
		return
	}
	u, err := a.signIn(r.Context(), name, r.PostForm.Get("password"), a.Now())
	var wait *waitError
	switch {
	case errors.As(err, &wait):
		d.Error = p.T("signin.wait", int(math.Ceil(wait.wait.Seconds())))
		w.Header().Set("Retry-After", itoa(int(math.Ceil(wait.wait.Seconds()))))
		a.renderSignIn(w, r, http.StatusTooManyRequests, d)
		return
	case qoldau.CodeOf(err) == qoldau.Unauthorized:
		d.Error = p.Msg(qoldau.MessageOf(err))
		a.renderSignIn(w, r, http.StatusUnauthorized, d)
		return
	case err != nil:
		a.pageError(w, r, err)
		return
	}
	if err := a.startSession(w, r, u); err != nil {
		a.pageError(w, r, err)
		return
	}
	a.Log.InfoContext(r.Context(), "signed in", "user", u.ID())
	next := d.Next
	if next == "/" {
		next = homeOf(u.Role)
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// homeOf is each role's start page.
func homeOf(r qoldau.Role) string {
	switch r {
	case op:
		return "/months"
	case ag:
		return "/dashboard"
	}
	return "/admin/users"
}

func (a *api) home(w http.ResponseWriter, r *http.Request, u *qoldau.User) {
	http.Redirect(w, r, homeOf(u.Role), http.StatusSeeOther)
}
