package httpapi

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/qoldau/qoldau/shared/qoldau"
)

// Staff reach the handler in one of two ways. Machines send an API key
// (Authorization: Bearer <key>, or X-Api-Key). People sign in to the console with
// their name and password: the handler keeps a session in the store (only the
// SHA-256 of its random token) and gives the browser the token in an HttpOnly,
// SameSite=Lax cookie (Secure, and named with the __Host- prefix, over HTTPS). A
// session ends at its expiry, at sign-out, and when the user's password is set
// again. Every request that changes something through a session carries the
// session's CSRF token (a form field, or the X-CSRF-Token header of the console's
// scripts), and a cross-site Origin is refused. Failed sign-ins of a name make the
// next attempt wait: 1 s after the first, doubling up to 5 minutes, forgotten an
// hour after the last failure or at a successful sign-in.

const (
	cookieSession       = "qoldau_session"
	cookieSessionSecure = "__Host-qoldau_session"
	cookieSignIn        = "qoldau_signin" // the sign-in form's CSRF token, before a session exists
	cookieLang          = "qoldau_lang"
	headerCSRF          = "X-CSRF-Token"
	fieldCSRF           = "csrf"
)

// DefaultSessionTTL is how long a console session lasts when Config says nothing.
const DefaultSessionTTL = 8 * time.Hour

const (
	maxLoginDelay = 5 * time.Minute
	failureWindow = time.Hour
)

// loginDelay is how long after the last of n failed sign-ins the next attempt waits.
func loginDelay(n int) time.Duration {
	if n <= 0 {
		return 0
	}
	if n > 10 {
		return maxLoginDelay
	}
	return min(time.Second<<(n-1), maxLoginDelay)
}

// caller is who makes a request: a user, and the console session when signed in
// through one (nil for an API key).
type caller struct {
	user    *qoldau.User
	session *qoldau.Session
	// expired: the request carried a session cookie that no longer signs in.
	expired bool
}

type callerKey struct{}

func callerOf(r *http.Request) *caller {
	c, _ := r.Context().Value(callerKey{}).(*caller)
	if c == nil {
		return &caller{}
	}
	return c
}

// isSecure reports whether the browser reached the server over HTTPS (directly,
// or through API Gateway or a TLS proxy).
func isSecure(r *http.Request) bool {
	return r.TLS != nil || strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https")
}

func sessionCookie(r *http.Request) string {
	if isSecure(r) {
		return cookieSessionSecure
	}
	return cookieSession
}

// identify finds the caller of r: by API key, else by session cookie.
func (a *api) identify(r *http.Request) (*caller, error) {
	ctx := r.Context()
	if key := KeyOf(r); key != "" {
		u, err := a.Svc.UserByKey(ctx, key)
		if err != nil {
			if qoldau.CodeOf(err) == qoldau.NotFound {
				err = qoldau.E(qoldau.Unauthorized, msgBadKey, nil)
			}
			return nil, err
		}
		return &caller{user: u}, nil
	}
	ck, err := r.Cookie(sessionCookie(r))
	if err != nil || ck.Value == "" {
		return &caller{}, nil
	}
	s, err := a.Svc.Store.Session(ctx, qoldau.HashKey(ck.Value), a.Now())
	if qoldau.CodeOf(err) == qoldau.NotFound {
		return &caller{expired: true}, nil
	}
	if err != nil {
		return nil, err
	}
	u, err := a.Svc.Store.User(ctx, s.User)
	if qoldau.CodeOf(err) == qoldau.NotFound || err == nil && (u.PasswordHash == "" || s.Created.Before(u.PasswordSet)) {
		// The user is gone, or set a new password since: the session is over.
		return &caller{expired: true}, nil
	}
	if err != nil {
		return nil, err
	}
	return &caller{user: u, session: s}, nil
}

var (
	msgCSRF   = texts.Text("form-expired")
	msgNoPage = texts.Text("no-page")
)

// guard runs a route: it finds the caller, checks the role (and, for a change
// made through a session, the CSRF token) before the handler does anything.
func (a *api) guard(rt Route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fail := a.fail
		if rt.Page {
			fail = a.pageError
		}
		c, err := a.identify(r)
		if err != nil {
			fail(w, r, err)
			return
		}
		r = r.WithContext(context.WithValue(r.Context(), callerKey{}, c))
		if c.user != nil {
			if lw, ok := w.(*logWriter); ok {
				lw.user = c.user.ID()
			}
		}
		if rt.Public() {
			rt.h(w, r, c.user)
			return
		}
		if c.user == nil {
			if rt.Page {
				a.toSignIn(w, r, c.expired)
				return
			}
			writeError(w, qoldau.E(qoldau.Unauthorized, msgNoKey, nil))
			return
		}
		if !slices.Contains(rt.Roles, c.user.Role) {
			fail(w, r, &roleError{roles: rt.Roles, role: c.user.Role})
			return
		}
		if c.session != nil && unsafeMethod(r.Method) {
			if !sameOrigin(r) || !a.csrfOK(r, c.session.CSRF) {
				fail(w, r, qoldau.E(qoldau.Forbidden, msgCSRF, nil))
				return
			}
		}
		rt.h(w, r, c.user)
	})
}

func unsafeMethod(m string) bool {
	return m != http.MethodGet && m != http.MethodHead && m != http.MethodOptions
}

// sameOrigin refuses a request whose Origin (when the browser sends one) is
// another site.
func sameOrigin(r *http.Request) bool {
	o := r.Header.Get("Origin")
	if o == "" {
		return true
	}
	u, err := url.Parse(o)
	return err == nil && strings.EqualFold(u.Host, r.Host)
}

// csrfOK compares the request's CSRF token (header, else form field) with want.
func (a *api) csrfOK(r *http.Request, want string) bool {
	got := r.Header.Get(headerCSRF)
	if got == "" {
		// A multipart form (a file) is read here, within the form's size limit.
		r.Body = http.MaxBytesReader(nil, r.Body, maxForm)
		got = r.FormValue(fieldCSRF)
	}
	return want != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

// maxForm bounds a console form's body (the reference-data upload is the largest).
const maxForm = 32 << 20

// roleError is a route the caller's role may not use: 403, naming who may.
type roleError struct {
	roles []qoldau.Role
	role  qoldau.Role
}

func (e *roleError) Error() string { return "role " + string(e.role) + " may not use this route" }

func (e *roleError) Unwrap() error { return qoldau.E(qoldau.Forbidden, msgForbidden, nil) }

// toSignIn sends a browser that is not signed in to the sign-in page, to come back.
func (a *api) toSignIn(w http.ResponseWriter, r *http.Request, expired bool) {
	q := url.Values{}
	if r.Method == http.MethodGet && r.URL.Path != "/" {
		q.Set("next", r.URL.RequestURI())
	}
	if expired {
		q.Set("expired", "1")
		clearCookie(w, r, sessionCookie(r))
	}
	to := "/signin"
	if len(q) > 0 {
		to += "?" + q.Encode()
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// localPath returns next when it is a path of this site, else "/".
func localPath(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") || strings.ContainsAny(next, "\r\n") {
		return "/"
	}
	return next
}

func randomToken() (string, error) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", qoldau.Errorf(qoldau.Internal, "no random token: %v", err)
	}
	return base64.RawURLEncoding.EncodeToString(b[:]), nil
}

func setCookie(w http.ResponseWriter, r *http.Request, name, value string, maxAge time.Duration) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: value, Path: "/", MaxAge: int(maxAge / time.Second),
		HttpOnly: true, Secure: isSecure(r), SameSite: http.SameSiteLaxMode})
}

func clearCookie(w http.ResponseWriter, r *http.Request, name string) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: isSecure(r), SameSite: http.SameSiteLaxMode})
}

var (
	msgBadSignIn = texts.Text("bad-sign-in")
)

// waitError is a sign-in refused until the delay after failed attempts is over.
type waitError struct{ wait time.Duration }

func (e *waitError) Error() string { return "sign-in delayed after failed attempts" }

// signIn checks a name and password at now. A wrong name and a wrong password get
// the same answer after the same work, and both count as a failure of the name.
func (a *api) signIn(ctx context.Context, name, pw string, now time.Time) (*qoldau.User, error) {
	f, err := a.Svc.Store.LoginFailures(ctx, name)
	if err != nil {
		return nil, err
	}
	if f.Count > 0 && now.Sub(f.Last) > failureWindow {
		if err := a.Svc.Store.ClearLoginFailures(ctx, name); err != nil {
			return nil, err
		}
		f = qoldau.LoginFailures{}
	}
	if wait := f.Last.Add(loginDelay(f.Count)).Sub(now); f.Count > 0 && wait > 0 {
		return nil, &waitError{wait: wait}
	}
	u, err := a.Svc.Store.User(ctx, name)
	if err != nil && qoldau.CodeOf(err) != qoldau.NotFound {
		return nil, err
	}
	hash := ""
	if u != nil {
		hash = u.PasswordHash
	}
	if !qoldau.PasswordMatches(hash, pw) || u == nil {
		if _, err := a.Svc.Store.LoginFailed(ctx, name, now); err != nil {
			return nil, err
		}
		return nil, qoldau.E(qoldau.Unauthorized, msgBadSignIn, nil)
	}
	if f.Count > 0 {
		if err := a.Svc.Store.ClearLoginFailures(ctx, name); err != nil {
			return nil, err
		}
	}
	return u, nil
}

// startSession stores a new session of u and gives the browser its cookie.
func (a *api) startSession(w http.ResponseWriter, r *http.Request, u *qoldau.User) error {
	token, err := randomToken()
	if err != nil {
		return err
	}
	csrf, err := randomToken()
	if err != nil {
		return err
	}
	now := a.Now()
	ttl := a.SessionTTL
	s := &qoldau.Session{IDHash: qoldau.HashKey(token), User: u.Name, CSRF: csrf, Created: now.UTC(), Expires: now.Add(ttl).UTC()}
	if err := a.Svc.Store.PutSession(r.Context(), s); err != nil {
		return err
	}
	setCookie(w, r, sessionCookie(r), token, ttl)
	clearCookie(w, r, cookieSignIn)
	return nil
}

// signOut ends the session and clears its cookie.
func (a *api) signOut(w http.ResponseWriter, r *http.Request, u *qoldau.User) {
	if s := callerOf(r).session; s != nil {
		if err := a.Svc.Store.DeleteSession(r.Context(), s.IDHash); err != nil {
			a.pageError(w, r, err)
			return
		}
	}
	clearCookie(w, r, sessionCookie(r))
	http.Redirect(w, r, "/signin?out=1", http.StatusSeeOther)
}
