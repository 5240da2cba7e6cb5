package httpapi

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/i18n"
	"github.com/qoldau/qoldau/shared/qoldau"
	"github.com/qoldau/qoldau/shared/workday"
)

// The console is server-rendered: html/template pages (web/templates, one file a
// page over layout.html), one stylesheet and one small script (web/static), all
// embedded in the binary. Its texts are web/messages.json: every key in Kazakh,
// Russian and English.

//go:embed web
var webFS embed.FS

// Langs are the console's languages; the first is the default.
var Langs = []string{"kk", "ru", "en"}

// console is the console's catalogue (web/messages.json; shared/i18n).
var console = i18n.MustLoad(webFS, "web/messages.json")

// text returns the text of key in lang (the key itself when the catalogue lacks
// it: a test fails on any such key of a template).
func text(lang, key string) string {
	t, ok := console.Lookup(key)
	if !ok {
		return key
	}
	return pick(t, lang)
}

func pick(t qoldau.Text, lang string) string {
	switch lang {
	case "ru":
		return t.RU
	case "en":
		return t.EN
	}
	return t.KK
}

// pages are the parsed templates by page name.
var pages = func() map[string]*template.Template {
	layout := template.Must(template.New("layout.html").Funcs(funcs).ParseFS(webFS, "web/templates/layout.html", "web/templates/parts.html"))
	names, err := fs.Glob(webFS, "web/templates/*.html")
	if err != nil {
		panic(err)
	}
	out := map[string]*template.Template{}
	for _, n := range names {
		base := path.Base(n)
		if base == "layout.html" || base == "parts.html" {
			continue
		}
		t := template.Must(template.Must(layout.Clone()).ParseFS(webFS, n))
		out[strings.TrimSuffix(base, ".html")] = t
	}
	return out
}()

// funcs are the template functions that do not depend on the page's language.
var funcs = template.FuncMap{
	"date":     formatDate,
	"datetime": formatTime,
	"iso": func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.UTC().Format(time.RFC3339)
	},
	"add": func(a, b int) int { return a + b },
	"str": func(v any) string { return fmt.Sprint(v) },
}

// formatDate shows a date as dd.mm.yyyy ("—" when zero).
func formatDate(d civil.Date) string {
	if d == 0 {
		return "—"
	}
	return d.DMY()
}

// formatTime shows a time in Asia/Almaty as dd.mm.yyyy hh:mm ("—" when zero).
func formatTime(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.In(workday.Almaty()).Format("02.01.2006 15:04")
}

// page is what every template gets: the language, the signed-in user, the CSRF
// token of its forms, the navigation, and the page's own data.
type page struct {
	Lang   string
	Title  string
	User   *qoldau.User
	CSRF   string
	Path   string // the page's own URI, for the language switch
	Nav    []navItem
	Notice string // a line shown above the content (a done action)
	Now    time.Time
	Cal    *workday.Calendar
	Data   any
}

type navItem struct {
	Href, Key string
	Current   bool
}

// T returns the text of key in the page's language, with {0}, {1}… replaced by args.
func (p *page) T(key string, args ...any) string {
	s := text(p.Lang, key)
	for i, a := range args {
		s = strings.ReplaceAll(s, "{"+strconv.Itoa(i)+"}", p.fmtArg(a))
	}
	return s
}

func (p *page) fmtArg(a any) string {
	switch v := a.(type) {
	case int:
		return p.Num(v)
	case civil.Date:
		return formatDate(v)
	case time.Time:
		return formatTime(v)
	case qoldau.Text:
		return pick(v, p.Lang)
	}
	return fmt.Sprint(a)
}

// Msg returns a three-language text in the page's language.
func (p *page) Msg(t qoldau.Text) string { return pick(t, p.Lang) }

// Num groups a number's digits: 1 234 567 (kk, ru: no-break spaces), 1,234,567 (en).
func (p *page) Num(n int) string {
	sep := "\u00a0"
	if p.Lang == "en" {
		sep = ","
	}
	return groupDigits(n, sep)
}

func groupDigits(n int, sep string) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteString(sep)
		}
		b.WriteRune(c)
	}
	return b.String()
}

// statusClass colours a status word: ok (green), warn (amber), bad (red), info.
var statusClass = map[string]string{
	"ok": "ok", "counted": "ok", "ontime": "ok", "sent": "ok", "done": "ok", "corrected": "ok", "submitted": "ok", "active": "ok",
	"waiting": "warn", "draft": "warn", "queued": "warn", "running": "warn", "notcounted": "warn", "open": "warn",
	"duesoon": "warn", "warning": "warn", "nopassword": "warn",
	"late": "bad", "missing": "bad", "overdue": "bad", "failed": "bad", "refused": "bad", "sentlate": "bad",
	"error": "bad", "filerror": "bad", "notsubmitted": "bad",
	"notdue": "info", "future": "info", "nodata": "info", "superseded": "info", "expired": "bad", "none": "info", "duplicate": "info",
}

// Badge renders a status as a coloured word ("status.<key>" of the catalogue).
func (p *page) Badge(key string) template.HTML {
	cls := statusClass[key]
	if cls == "" {
		cls = "info"
	}
	return template.HTML(`<span class="st st-` + cls + `">` + template.HTMLEscapeString(p.T("status."+key)) + `</span>`)
}

// Clock renders the time left until a deadline's end (23:59:59 of day d in
// Almaty) as a countdown the script keeps up to date; with the working days left.
func (p *page) Clock(d civil.Date) template.HTML {
	cal := p.Cal
	if d == 0 {
		return ""
	}
	end := workday.EndOf(d)
	left := end.Sub(p.Now)
	var b strings.Builder
	cls := "clock"
	if left < 0 {
		cls += " over"
	} else if left < 24*time.Hour {
		cls += " soon"
	}
	fmt.Fprintf(&b, `<time class="%s" datetime="%s" data-end="%d" data-left="%s" data-over="%s" data-units="%s">%s</time>`,
		cls, end.UTC().Format(time.RFC3339), end.Unix(),
		template.HTMLEscapeString(p.T("clock.left")), template.HTMLEscapeString(p.T("clock.over")),
		template.HTMLEscapeString(p.T("clock.units")), template.HTMLEscapeString(p.duration(left)))
	if left > 0 && cal != nil {
		today := workday.Today(p.Now)
		n := cal.WorkingDaysBetween(today, d)
		if !cal.IsWorking(today) || n > 0 {
			fmt.Fprintf(&b, ` <span class="muted">(%s)</span>`, template.HTMLEscapeString(p.T("clock.workdays", n)))
		}
	}
	return template.HTML(b.String())
}

// duration words the time left (or over): "2 d 5 h left", "overdue by 3 h 10 min".
func (p *page) duration(left time.Duration) string {
	tmpl := p.T("clock.left")
	if left < 0 {
		tmpl, left = p.T("clock.over"), -left
	}
	units := strings.Split(p.T("clock.units"), ",")
	for len(units) < 3 {
		units = append(units, "")
	}
	d := int(left / (24 * time.Hour))
	h := int(left % (24 * time.Hour) / time.Hour)
	m := int(left % time.Hour / time.Minute)
	var parts []string
	if d > 0 {
		parts = append(parts, strconv.Itoa(d)+"\u00a0"+units[0])
	}
	if h > 0 || d > 0 {
		parts = append(parts, strconv.Itoa(h)+"\u00a0"+units[1])
	}
	if d == 0 {
		parts = append(parts, strconv.Itoa(m)+"\u00a0"+units[2])
	}
	return strings.ReplaceAll(tmpl, "{t}", strings.Join(parts, " "))
}

// Month names a period: "Қыркүйек 2026", "Сентябрь 2026", "September 2026".
func (p *page) Month(m civil.Month) string {
	return p.T("month."+strconv.Itoa(int(m.Month()))) + " " + strconv.Itoa(m.Year())
}

// RoleName names a role in the page's language.
func (p *page) RoleName(r qoldau.Role) string { return p.T("role." + string(r)) }

// Field names a register field in the page's language (the register's label, or
// the console's for a field worked out from others, such as centre and online).
func (p *page) Field(key string) string {
	if t := fieldLabel(key); t.EN != "" {
		return pick(t, p.Lang)
	}
	if _, ok := console.Lookup("field." + key); ok {
		return p.T("field." + key)
	}
	return key
}

// Code names a finding code in the page's language.
func (p *page) Code(code string) string {
	if _, ok := console.Lookup("code." + code); ok {
		return p.T("code." + code)
	}
	return code
}

// Has reports whether the signed-in user has one of the roles named.
func (p *page) Has(roles ...string) bool {
	if p.User == nil {
		return false
	}
	for _, r := range roles {
		if string(p.User.Role) == r {
			return true
		}
	}
	return false
}

// LangLinks are the language switch: each language and the URL that selects it.
func (p *page) LangLinks() []navItem {
	out := make([]navItem, len(Langs))
	for i, l := range Langs {
		out[i] = navItem{Href: "/lang?to=" + l + "&next=" + urlQueryEscape(p.Path), Key: l, Current: l == p.Lang}
	}
	return out
}

func urlQueryEscape(s string) string {
	return strings.NewReplacer("%", "%25", "&", "%26", "+", "%2B", "#", "%23", " ", "%20", "?", "%3F", "=", "%3D").Replace(s)
}

// langOf chooses the page's language: the switch's cookie, else the browser's
// Accept-Language (the first of kk, ru, en it names, by preference), else Kazakh.
func langOf(r *http.Request) string {
	if c, err := r.Cookie(cookieLang); err == nil && validLang(c.Value) {
		return c.Value
	}
	best, bestQ := "", -1.0
	for _, part := range strings.Split(r.Header.Get("Accept-Language"), ",") {
		tag, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		q := 1.0
		if v, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			if f, err := strconv.ParseFloat(v, 64); err == nil {
				q = f
			}
		}
		base, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(tag)), "-")
		if validLang(base) && q > bestQ && q > 0 {
			best, bestQ = base, q
		}
	}
	if best != "" {
		return best
	}
	return Langs[0]
}

func validLang(l string) bool { return l == "kk" || l == "ru" || l == "en" }

// setLang is the language switch: it remembers the choice for a year and goes back.
func (a *api) setLang(w http.ResponseWriter, r *http.Request, _ *qoldau.User) {
	if l := r.URL.Query().Get("to"); validLang(l) {
		http.SetCookie(w, &http.Cookie{Name: cookieLang, Value: l, Path: "/", MaxAge: 365 * 24 * 3600,
			Secure: isSecure(r), SameSite: http.SameSiteLaxMode})
	}
	http.Redirect(w, r, localPath(r.URL.Query().Get("next")), http.StatusSeeOther)
}

// nav is the navigation of each role.
var nav = map[qoldau.Role][]navItem{
	op:  {{Href: "/months", Key: "nav.months"}, {Href: "/upload", Key: "nav.upload"}, {Href: "/letters", Key: "nav.letters"}},
	ag:  {{Href: "/dashboard", Key: "nav.dashboard"}, {Href: "/months", Key: "nav.months"}, {Href: "/letters", Key: "nav.letters"}, {Href: "/upload", Key: "nav.upload"}, {Href: "/reports", Key: "nav.reports"}, {Href: "/leads", Key: "nav.leads"}, {Href: "/surveys", Key: "nav.surveys"}},
	adm: {{Href: "/admin/users", Key: "nav.users"}, {Href: "/admin/staff-codes", Key: "nav.staffcodes"}, {Href: "/admin/refdata", Key: "nav.refdata"}, {Href: "/admin/audit", Key: "nav.audit"}, {Href: "/months", Key: "nav.months"}, {Href: "/letters", Key: "nav.letters"}, {Href: "/reports", Key: "nav.reports"}},
}

// newPage starts the page data of a request.
func (a *api) newPage(r *http.Request, titleKey string, data any) *page {
	c := callerOf(r)
	p := &page{Lang: langOf(r), User: c.user, Path: r.URL.RequestURI(), Now: a.Svc.Clock(), Cal: a.Svc.Cal, Data: data}
	p.Title = p.T(titleKey)
	if c.session != nil {
		p.CSRF = c.session.CSRF
	}
	if c.user != nil {
		for _, n := range nav[c.user.Role] {
			n.Current = r.URL.Path == n.Href || strings.HasPrefix(r.URL.Path, n.Href+"/")
			p.Nav = append(p.Nav, n)
		}
	}
	if k := r.URL.Query().Get("done"); k != "" {
		if _, ok := console.Lookup("done." + k); ok {
			p.Notice = p.T("done." + k)
		}
	}
	return p
}

// securityHeaders are set on every console page: no caching (pages show personal
// data), no framing, scripts and styles from the server only.
func securityHeaders(h http.Header) {
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "+
		"connect-src *; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
}

// render writes a page with status.
func (a *api) render(w http.ResponseWriter, r *http.Request, status int, name string, p *page) {
	t := pages[name]
	if t == nil {
		a.pageError(w, r, qoldau.Errorf(qoldau.Internal, "no template %q", name))
		return
	}
	var b bytes.Buffer
	if err := t.ExecuteTemplate(&b, "layout.html", p); err != nil {
		a.Log.ErrorContext(r.Context(), "render failed", "route", r.Pattern, "page", name, "err", err)
		if name != "error" {
			a.pageError(w, r, qoldau.Errorf(qoldau.Internal, "render %s: %v", name, err))
		}
		return
	}
	securityHeaders(w.Header())
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(b.Bytes())
}

// errorPage is the data of the error page: what happened and what to do next.
type errorPage struct {
	Status  int
	Message string
	Next    string // the catalogue key of the advice
	Roles   []qoldau.Role
	Stamp   string
}

var msgInternal = texts.Text("internal")

// pageError answers err as a page in the request's language, with what to do next.
// An internal error's cause goes to the log, never to the page.
func (a *api) pageError(w http.ResponseWriter, r *http.Request, err error) {
	code := qoldau.CodeOf(err)
	if code == qoldau.Unauthorized && callerOf(r).user == nil {
		a.toSignIn(w, r, callerOf(r).expired)
		return
	}
	status := StatusOf(code)
	var big *tooLargeError
	if errors.As(err, &big) {
		status = http.StatusRequestEntityTooLarge
	}
	p := a.newPage(r, "error.title", nil)
	e := &errorPage{Status: status, Message: p.Msg(qoldau.MessageOf(err)), Next: "error.next." + strconv.Itoa(status)}
	var re *roleError
	if errors.As(err, &re) {
		e.Roles = re.roles
		e.Next = "error.next.role"
	}
	if code == qoldau.Internal || code == "" {
		// The cause goes to the log; the page says only that it failed.
		e.Message = p.Msg(msgInternal)
		e.Stamp = formatTime(a.Svc.Clock())
		a.Log.ErrorContext(r.Context(), "page failed", "route", r.Pattern, "err", err)
	}
	if _, ok := console.Lookup(e.Next); !ok {
		e.Next = "error.next.other"
	}
	p.Title = p.T("error.title." + strconv.Itoa(status))
	if _, ok := console.Lookup("error.title." + strconv.Itoa(status)); !ok {
		p.Title = p.T("error.title")
	}
	p.Data = e
	a.render(w, r, status, "error", p)
}

// static serves the console's stylesheet and script (cached for a day: the
// layout names them with a version).
func (a *api) static(w http.ResponseWriter, r *http.Request, _ *qoldau.User) {
	name := r.PathValue("file")
	b, err := webFS.ReadFile("web/static/" + name)
	if err != nil || strings.Contains(name, "/") {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", mime.TypeByExtension(path.Ext(name)))
	w.Header().Set("Cache-Control", "public, max-age=86400")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Write(b)
}
