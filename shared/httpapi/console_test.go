package httpapi_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/qoldau/qoldau/shared/httpapi"
	"github.com/qoldau/qoldau/shared/qoldau"
)

// password is the console password the test server gives each role's user.
func password(r qoldau.Role) string { return "pw-" + string(r) + "-0123456" }

// browser is a cookie-keeping client of the test server, as a person's browser.
type browser struct {
	s    *server
	c    *http.Client
	lang string
	last *http.Response
	csrf string
}

func (s *server) browser(lang string) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{s: s, c: &http.Client{Jar: jar}, lang: lang}
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

func (b *browser) do(req *http.Request) (int, string) {
	b.s.t.Helper()
	if b.lang != "" {
		req.Header.Set("Accept-Language", b.lang)
	}
	resp, err := b.c.Do(req)
	if err != nil {
		b.s.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	b.last = resp
	if m := csrfField.FindStringSubmatch(string(body)); m != nil {
		b.csrf = m[1]
	}
	return resp.StatusCode, string(body)
}

// get fetches a page, following redirects.
func (b *browser) get(path string) (int, string) {
	b.s.t.Helper()
	req, _ := http.NewRequest("GET", b.s.srv.URL+path, nil)
	return b.do(req)
}

// post sends a form with the CSRF token of the last page (unless form has one).
func (b *browser) post(path string, form url.Values) (int, string) {
	b.s.t.Helper()
	if _, ok := form["csrf"]; !ok {
		form.Set("csrf", b.csrf)
	}
	req, _ := http.NewRequest("POST", b.s.srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(req)
}

// signIn signs in as role's user with pw and returns the answer.
func (b *browser) signIn(name, pw string) (int, string) {
	b.s.t.Helper()
	b.get("/signin")
	return b.post("/signin", url.Values{"name": {name}, "password": {pw}})
}

// as returns a browser signed in as role's user.
func (s *server) as(role qoldau.Role, lang string) *browser {
	s.t.Helper()
	b := s.browser(lang)
	if code, body := b.signIn("user-"+string(role), password(role)); code != 200 {
		s.t.Fatalf("sign in as %s = %d\n%s", role, code, body)
	}
	return b
}

func TestConsolePagesRender(t *testing.T) {
	s := newServer(t)
	s.uploadRegister()
	for _, lang := range []string{"kk", "ru", "en"} {
		for role, paths := range map[qoldau.Role][]string{
			qoldau.RoleOperator: {"/months", "/months/2026-09", "/months/2026-09/versions/1", "/upload", "/letters"},
			qoldau.RoleAgency:   {"/dashboard", "/dashboard?period=2026-Q3", "/leads", "/leads?period=2026-09&kind=denied&min=1,5", "/letters", "/upload", "/reports", "/surveys", "/months/2026-09/versions/1?severity=error&page=2"},
			qoldau.RoleAdmin:    {"/admin/users", "/admin/staff-codes", "/admin/refdata", "/admin/audit", "/months", "/letters", "/reports"},
		} {
			b := s.as(role, lang)
			for _, p := range paths {
				code, body := b.get(p)
				if code != 200 || !strings.Contains(body, `<html lang="`+lang+`">`) {
					t.Errorf("%s %s %s = %d\n%.3000s", lang, role, p, code, body)
				}
			}
		}
	}
}

// TestSignIn: a wrong password is refused (the same answer for an unknown name),
// the delay after failures grows, a right password signs in to the role's page.
func TestSignIn(t *testing.T) {
	s := newServer(t)
	b := s.browser("en")
	code, body := b.signIn("user-operator", "wrong-password-1")
	if code != http.StatusUnauthorized || !strings.Contains(body, "Wrong name or password") {
		t.Fatalf("wrong password = %d\n%.2000s", code, body)
	}
	if c := sessionCookie(b); c != "" {
		t.Errorf("a refused sign-in set a session cookie %q", c)
	}
	// Right at once after one failure: wait a second.
	code, body = b.signIn("user-operator", password(qoldau.RoleOperator))
	if code != http.StatusTooManyRequests || !strings.Contains(body, "try again in 1 seconds") {
		t.Fatalf("sign-in within the delay = %d\n%.2000s", code, body)
	}
	// A second failure doubles it; an unknown name counts alike.
	s.now = s.now.Add(time.Second)
	b.signIn("user-operator", "wrong-password-2")
	s.now = s.now.Add(time.Second)
	if code, body := b.signIn("user-operator", password(qoldau.RoleOperator)); code != http.StatusTooManyRequests || !strings.Contains(body, "in 1 seconds") {
		t.Errorf("1 s into a 2 s delay = %d %q", code, firstMatch(body, `class="error"[^>]*>([^<]*)`))
	}
	if code, body := b.signIn("nobody", "whatever-pass"); code != http.StatusUnauthorized || !strings.Contains(body, "Wrong name or password") {
		t.Errorf("unknown name = %d", code)
	}
	s.now = s.now.Add(2 * time.Second)
	code, _ = b.signIn("user-operator", password(qoldau.RoleOperator))
	if code != 200 || b.last.Request.URL.Path != "/months" {
		t.Fatalf("right password after the delay = %d at %s", code, b.last.Request.URL)
	}
	// The failures are forgotten: one more wrong try waits 1 s, not 4.
	b2 := s.browser("en")
	b2.signIn("user-operator", "wrong-again-123")
	s.now = s.now.Add(1100 * time.Millisecond)
	if code, _ := b2.signIn("user-operator", password(qoldau.RoleOperator)); code != 200 {
		t.Errorf("after a success the delay starts again from 1 s: %d", code)
	}
}

func sessionCookie(b *browser) string {
	u, _ := url.Parse(b.s.srv.URL)
	for _, c := range b.c.Jar.Cookies(u) {
		if c.Name == "qoldau_session" {
			return c.Value
		}
	}
	return ""
}

func firstMatch(s, re string) string {
	m := regexp.MustCompile(re).FindStringSubmatch(s)
	if m == nil {
		return ""
	}
	return m[1]
}

// TestSessionCookie: HttpOnly, SameSite=Lax, path /, expiring with the session;
// Secure and __Host- over HTTPS (a TLS proxy says so).
func TestSessionCookie(t *testing.T) {
	s := newServer(t)
	for _, https := range []bool{false, true} {
		b := s.browser("en")
		b.get("/signin")
		form := url.Values{"name": {"user-agency"}, "password": {password(qoldau.RoleAgency)}, "csrf": {b.csrf}}
		req, _ := http.NewRequest("POST", s.srv.URL+"/signin", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if https {
			req.Header.Set("X-Forwarded-Proto", "https")
			// The sign-in form's cookie was set without Secure over HTTP; send it by hand.
			req.AddCookie(&http.Cookie{Name: "qoldau_signin", Value: b.csrf})
		}
		b.c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
		resp, err := b.c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		var got *http.Cookie
		for _, c := range resp.Cookies() {
			if strings.HasSuffix(c.Name, "qoldau_session") && c.Value != "" {
				got = c
			}
		}
		wantName := map[bool]string{false: "qoldau_session", true: "__Host-qoldau_session"}[https]
		if resp.StatusCode != http.StatusSeeOther || got == nil || got.Name != wantName || !got.HttpOnly ||
			got.SameSite != http.SameSiteLaxMode || got.Path != "/" || got.Secure != https || got.MaxAge != int(httpapi.DefaultSessionTTL/time.Second) {
			t.Errorf("https=%v: %d, session cookie %+v", https, resp.StatusCode, got)
		}
	}
}

// TestCSRF: a change through a session needs the session's token (a form field or
// the scripts' header), and a cross-site Origin is refused; the sign-in form has
// its own token.
func TestCSRF(t *testing.T) {
	s := newServer(t)
	s.uploadRegister()
	b := s.as(qoldau.RoleAgency, "en")
	b.get("/letters")
	good := b.csrf
	send := func(form url.Values, origin string) (int, string) {
		req, _ := http.NewRequest("POST", s.srv.URL+"/letters/2026-09-v1/send", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if origin != "" {
			req.Header.Set("Origin", origin)
		}
		return b.do(req)
	}
	for name, tc := range map[string]struct {
		form   url.Values
		origin string
	}{
		"no token":           {url.Values{"number": {"1"}}, ""},
		"wrong token":        {url.Values{"number": {"1"}, "csrf": {"x" + good}}, ""},
		"another site":       {url.Values{"number": {"1"}, "csrf": {good}}, "https://evil.example"},
		"another user token": {url.Values{"number": {"1"}, "csrf": {s.as(qoldau.RoleAgency, "en").csrf}}, ""},
	} {
		if code, body := send(tc.form, tc.origin); code != http.StatusForbidden || !strings.Contains(body, "The form has expired") {
			t.Errorf("%s: %d", name, code)
		}
	}
	if l, _ := s.svc.Store.Letter(context.Background(), "2026-09-v1"); l.IsSent() {
		t.Fatal("a refused form sent the letter")
	}
	if code, body := send(url.Values{"number": {"07-1/245"}, "csrf": {good}}, s.srv.URL); code != 200 || !strings.Contains(body, "07-1/245") {
		t.Errorf("the page's own form = %d", code)
	}

	// The console's scripts call the API with the session and the header.
	api := func(token string) int {
		req, _ := http.NewRequest("POST", s.srv.URL+"/api/uploads", strings.NewReader(`{"kind":"acts","name":"a.csv"}`))
		req.Header.Set("Content-Type", "application/json")
		if token != "" {
			req.Header.Set("X-CSRF-Token", token)
		}
		code, _ := b.do(req)
		return code
	}
	if code := api(""); code != http.StatusForbidden {
		t.Errorf("API through a session without the token = %d, want 403", code)
	}
	if code := api(good); code != http.StatusCreated {
		t.Errorf("API through a session with the token = %d, want 201", code)
	}

	// Signing in needs the sign-in form's own token too.
	b2 := s.browser("en")
	b2.get("/signin")
	if code, _ := b2.post("/signin", url.Values{"name": {"user-agency"}, "password": {password(qoldau.RoleAgency)}, "csrf": {"forged"}}); code != http.StatusForbidden {
		t.Errorf("sign-in with a forged token = %d, want 403", code)
	}
	if sessionCookie(b2) != "" {
		t.Error("a forged sign-in started a session")
	}
}

// TestSessionExpiry: a session ends at its expiry (the browser is sent to sign in
// again, told why), and when the user's password is set again.
func TestSessionExpiry(t *testing.T) {
	s := newServer(t)
	b := s.as(qoldau.RoleOperator, "ru")
	if code, _ := b.get("/months"); code != 200 || b.last.Request.URL.Path != "/months" {
		t.Fatalf("signed in: %d at %s", code, b.last.Request.URL)
	}
	s.now = s.now.Add(httpapi.DefaultSessionTTL - time.Second)
	if code, _ := b.get("/months"); code != 200 || b.last.Request.URL.Path != "/months" {
		t.Fatalf("a second before expiry: %d at %s", code, b.last.Request.URL)
	}
	s.now = s.now.Add(time.Second)
	code, body := b.get("/months/2026-09")
	if code != 200 || b.last.Request.URL.Path != "/signin" || !strings.Contains(body, "Сеанс истёк") ||
		b.last.Request.URL.Query().Get("next") != "/months/2026-09" {
		t.Errorf("at expiry: %d at %s\n%.1500s", code, b.last.Request.URL, body)
	}
	// An expired session's API call is 401, not a page.
	req, _ := http.NewRequest("GET", s.srv.URL+"/api/periods", nil)
	if code, _ := b.do(req); code != http.StatusUnauthorized {
		t.Errorf("API with an expired session = %d", code)
	}

	// A new password ends the sessions signed in before it.
	b = s.as(qoldau.RoleOperator, "en")
	s.now = s.now.Add(time.Minute)
	if err := s.svc.SetPassword(context.Background(), "user-operator", "another-password-9", s.now, "admin"); err != nil {
		t.Fatal(err)
	}
	if b.get("/months"); b.last.Request.URL.Path != "/signin" {
		t.Errorf("after a new password the old session still shows %s", b.last.Request.URL)
	}
}

// TestSignOut: signing out ends the session in the store; the old cookie no
// longer signs in.
func TestSignOut(t *testing.T) {
	s := newServer(t)
	b := s.as(qoldau.RoleAdmin, "kk")
	old := sessionCookie(b)
	b.get("/admin/users")
	code, body := b.post("/signout", url.Values{})
	if code != 200 || b.last.Request.URL.Path != "/signin" || !strings.Contains(body, "Сіз шықтыңыз") {
		t.Fatalf("sign out = %d at %s", code, b.last.Request.URL)
	}
	if sessionCookie(b) != "" {
		t.Error("the session cookie is still there")
	}
	if _, err := s.svc.Store.Session(context.Background(), qoldau.HashKey(old), s.now); qoldau.CodeOf(err) != qoldau.NotFound {
		t.Errorf("the store still has the session: %v", err)
	}
	// The old cookie, replayed, signs in no one.
	req, _ := http.NewRequest("GET", s.srv.URL+"/admin/users", nil)
	req.AddCookie(&http.Cookie{Name: "qoldau_session", Value: old})
	resp, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/signin") {
		t.Errorf("the old cookie after sign-out = %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
}

// TestRoleMatrix: every route of the table, for every role and for no one, is
// refused before it does anything unless the table allows the role: a page
// answers a 403 page in the page's language (or sends an anonymous browser to
// sign in), the API a 403 (401) JSON error.
func TestRoleMatrix(t *testing.T) {
	s := newServer(t)
	s.uploadRegister()
	fill := strings.NewReplacer("{period}", "2026-09", "{version}", "1", "{id}", "2026-09-v1", "{name}", "user-operator",
		"{file}", "console.css", "{$}", "")
	browsers := map[qoldau.Role]*browser{}
	for _, r := range []qoldau.Role{qoldau.RoleOperator, qoldau.RoleAgency, qoldau.RoleAdmin} {
		browsers[r] = s.as(r, "kk")
	}
	noFollow := func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	routes := httpapi.Routes()
	// Signing out ends the browsers' sessions: last.
	slices.SortStableFunc(routes, func(a, b httpapi.Route) int {
		return strings.Compare(fmt.Sprint(a.Pattern == "POST /signout"), fmt.Sprint(b.Pattern == "POST /signout"))
	})
	for _, rt := range routes {
		method, path, _ := strings.Cut(rt.Pattern, " ")
		path = fill.Replace(path)
		if strings.HasSuffix(path, "/downloads") || path == "/download" {
			path += "?key=letters/2026-09-v1.docx"
		}
		for _, role := range []qoldau.Role{"", qoldau.RoleOperator, qoldau.RoleAgency, qoldau.RoleAdmin} {
			allowed := rt.Public() || role != "" && slices.Contains(rt.Roles, role)
			if strings.Contains(path, "?key=") && !httpapi.DownloadAllowed("letters/x", role) {
				// The route lets the role in; the file's own rule then refuses it.
				allowed = false
			}
			req, _ := http.NewRequest(method, s.srv.URL+path, strings.NewReader(""))
			c := &http.Client{CheckRedirect: noFollow}
			if role != "" {
				if rt.Page {
					b := browsers[role]
					c.Jar = b.c.Jar
					req.Header.Set("X-CSRF-Token", b.csrf)
				} else {
					req.Header.Set("Authorization", "Bearer "+s.keys[role])
				}
			}
			resp, err := c.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			ctype := resp.Header.Get("Content-Type")
			switch {
			case rt.Public():
				// Before sign-in: nothing to refuse by role.
			case allowed:
				if resp.StatusCode == http.StatusForbidden || resp.StatusCode == http.StatusUnauthorized {
					t.Errorf("%s as %q: %d, want allowed\n%.300s", rt.Pattern, role, resp.StatusCode, body)
				}
			case role == "" && rt.Page:
				if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/signin") {
					t.Errorf("%s anonymous: %d %s, want a redirect to sign in", rt.Pattern, resp.StatusCode, resp.Header.Get("Location"))
				}
			case role == "":
				if resp.StatusCode != http.StatusUnauthorized || !strings.HasPrefix(ctype, "application/json") {
					t.Errorf("%s anonymous: %d %s, want 401 JSON", rt.Pattern, resp.StatusCode, ctype)
				}
			case rt.Page:
				if resp.StatusCode != http.StatusForbidden || !strings.HasPrefix(ctype, "text/html") || !strings.Contains(string(body), "Қолжетімсіз") {
					t.Errorf("%s as %s: %d %s, want a 403 page in Kazakh", rt.Pattern, role, resp.StatusCode, ctype)
				}
			default:
				if resp.StatusCode != http.StatusForbidden || !strings.HasPrefix(ctype, "application/json") {
					t.Errorf("%s as %s: %d %s, want 403 JSON", rt.Pattern, role, resp.StatusCode, ctype)
				}
			}
		}
	}
	// Nothing a refused request could have done happened.
	if l, _ := s.svc.Store.Letter(context.Background(), "2026-09-v1"); l.IsSent() {
		t.Error("a refused request sent the letter")
	}
}

// TestLanguage: the switch, else Accept-Language (kk, ru, en in the browser's
// order of preference), else Kazakh; dates dd.mm.yyyy and times in Almaty.
func TestLanguage(t *testing.T) {
	s := newServer(t)
	s.uploadRegister()
	for accept, want := range map[string]string{"": "kk", "ru-RU,ru;q=0.9,en;q=0.8": "ru", "de-DE,en;q=0.7,ru;q=0.5": "en",
		"fr": "kk", "kk-KZ": "kk", "en;q=0.2,ru;q=0.9": "ru"} {
		b := s.browser(accept)
		if _, body := b.get("/signin"); !strings.Contains(body, `<html lang="`+want+`">`) {
			t.Errorf("Accept-Language %q: want %s", accept, want)
		}
	}
	b := s.as(qoldau.RoleOperator, "ru")
	b.get("/lang?to=en&next=/months/2026-09")
	_, body := b.get("/months/2026-09")
	if b.last.Request.URL.Path != "/months/2026-09" || !strings.Contains(body, `<html lang="en">`) {
		t.Errorf("the switch: at %s", b.last.Request.URL)
	}
	// Received 2026-10-01 10:00 Almaty (05:00 UTC): shown in Almaty, dd.mm.yyyy.
	if !strings.Contains(body, "01.10.2026 10:00") || strings.Contains(body, "2026-10-01T") {
		t.Errorf("the period page does not show the time in Almaty as dd.mm.yyyy hh:mm")
	}
	// The switch goes back only within the site.
	b.c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	req, _ := http.NewRequest("GET", s.srv.URL+"/lang?to=kk&next=//evil.example/x", nil)
	b.do(req)
	if loc := b.last.Header.Get("Location"); loc != "/" {
		t.Errorf("the switch to another site goes to %q", loc)
	}
}
