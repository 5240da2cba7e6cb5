// Package httpapi is the one http.Handler of the staff API and console: uploads of
// registers and acts (the API hands out upload URLs; the validate job registers the
// file), period status and findings, letters (list, send), diffs, report requests
// and downloads through short-lived URLs, survey invitations and call lists, users,
// and a minimal console page. The same handler runs in the api Lambda (wrapped by
// aws-lambda-go-api-proxy) and in `qoldau serve`.
//
// Staff authenticate with an API key (Authorization: Bearer <key>, or X-Api-Key),
// stored as its SHA-256 with one role per user; the handler checks it before it
// reads a body or changes anything: 401 without a known key, 403 for a role the
// route does not allow. Errors are JSON with the message in Kazakh, Russian and
// English; logs carry no personal data (see shared/logging).
package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/ingest"
	"github.com/qoldau/qoldau/shared/leads"
	"github.com/qoldau/qoldau/shared/qoldau"
	"github.com/qoldau/qoldau/shared/reportjob"
	"github.com/qoldau/qoldau/shared/workflow"
)

// Config is what the handler works with. Svc, Links, Ingest and Reports are
// required; the survey funcs are optional (501 without them).
type Config struct {
	Svc     *workflow.Service
	Links   qoldau.Links
	Ingest  *ingest.Job
	Reports *reportjob.Runner
	Log     *slog.Logger

	// Files, when set, is mounted at /files/: the local server's upload and
	// download endpoints (LocalLinks). On AWS the links point at S3 instead.
	Files http.Handler

	// Invitations issues survey invitations for a period and writes their list
	// (xlsx) to a blob, returning its key. CallList writes a call-centre list.
	Invitations func(ctx context.Context, period civil.Month, actor string) (string, error)
	CallList    func(ctx context.Context, period civil.Month, perRegion int, seed int64, actor string) (string, error)

	// UploadTTL and DownloadTTL bound the links' validity (defaults 15 and 5 minutes).
	UploadTTL, DownloadTTL time.Duration

	// Leads are the thresholds of the audit leads (zero: leads.Defaults).
	Leads leads.Settings
}

type api struct {
	Config
}

// handlerFunc is a route's handler, called once the key and the role are checked.
type handlerFunc func(http.ResponseWriter, *http.Request, *qoldau.User)

// Route is one entry of the route table: a method and pattern, the roles allowed,
// and its handler. Every staff route is in the table and reached only through the
// key and role check (auth); the authorization test runs every route of it with
// every role and without a key, so a route added here cannot skip it.
type Route struct {
	Pattern string
	Roles   []qoldau.Role
	handle  func(a *api) handlerFunc
}

// Routes is the route table of the staff API. The routes outside it need no key:
// the console page (GET /), GET /healthz and the signed /files/ links.
func Routes() []Route {
	const (
		op  = qoldau.RoleOperator
		ag  = qoldau.RoleAgency
		adm = qoldau.RoleAdmin
	)
	staff := []qoldau.Role{op, ag, adm}
	r := func(pattern string, h func(a *api) handlerFunc, roles ...qoldau.Role) Route {
		return Route{Pattern: pattern, Roles: roles, handle: h}
	}
	return []Route{
		r("GET /api/me", func(a *api) handlerFunc { return a.me }, staff...),
		r("GET /api/periods", func(a *api) handlerFunc { return a.periods }, staff...),
		r("GET /api/periods/{period}", func(a *api) handlerFunc { return a.status }, staff...),
		r("GET /api/periods/{period}/versions/{version}/findings", func(a *api) handlerFunc { return a.findings }, op, ag),
		r("GET /api/periods/{period}/diff", func(a *api) handlerFunc { return a.diff }, op, ag),
		r("POST /api/uploads", func(a *api) handlerFunc { return a.newUpload }, op, ag),
		r("GET /api/uploads/{id}", func(a *api) handlerFunc { return a.upload }, op, ag),
		r("GET /api/letters", func(a *api) handlerFunc { return a.letters }, op, ag),
		r("POST /api/letters/{id}/send", func(a *api) handlerFunc { return a.sendLetter }, ag),
		r("POST /api/reports", func(a *api) handlerFunc { return a.newReport }, ag),
		r("GET /api/reports/{id}", func(a *api) handlerFunc { return a.report }, ag, adm),
		r("GET /api/downloads", func(a *api) handlerFunc { return a.download }, staff...),
		r("POST /api/invitations", func(a *api) handlerFunc { return a.invitations }, ag),
		r("POST /api/calls", func(a *api) handlerFunc { return a.callList }, ag),
		r("GET /api/leads", func(a *api) handlerFunc { return a.leads }, ag),
		r("GET /api/users", func(a *api) handlerFunc { return a.users }, adm),
		r("POST /api/users", func(a *api) handlerFunc { return a.newUser }, adm),
	}
}

// mux registers the public routes and every route of the table behind auth, each
// with the handler handlerOf gives it (the route's own; a recorder in the
// authorization test).
func (a *api) mux(handlerOf func(Route) handlerFunc) *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", a.console)
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	for _, rt := range Routes() {
		mux.Handle(rt.Pattern, a.auth(rt.Roles, handlerOf(rt)))
	}
	return mux
}

// New returns the handler.
func New(cfg Config) http.Handler {
	if cfg.UploadTTL == 0 {
		cfg.UploadTTL = 15 * time.Minute
	}
	if cfg.DownloadTTL == 0 {
		cfg.DownloadTTL = 5 * time.Minute
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	a := &api{cfg}
	mux := a.mux(func(rt Route) handlerFunc { return rt.handle(a) })
	if cfg.Files != nil {
		mux.Handle("/files/", cfg.Files)
	}
	mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, qoldau.E(qoldau.NotFound, msgNoRoute, nil))
	})
	return a.logged(mux)
}

var (
	msgNoRoute   = texts.Text("no-route")
	msgNoKey     = texts.Text("no-key")
	msgBadKey    = texts.Text("bad-key")
	msgForbidden = texts.Text("forbidden")
	msgNotReady  = texts.Text("not-ready")
)

// KeyOf returns the API key a request carries ("" when none).
func KeyOf(r *http.Request) string {
	if h := r.Header.Get("Authorization"); h != "" {
		if k, ok := strings.CutPrefix(h, "Bearer "); ok {
			return strings.TrimSpace(k)
		}
	}
	return strings.TrimSpace(r.Header.Get("X-Api-Key"))
}

type userKey struct{}

// auth checks the key and the role before h runs.
func (a *api) auth(roles []qoldau.Role, h handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key := KeyOf(r)
		if key == "" {
			writeError(w, qoldau.E(qoldau.Unauthorized, msgNoKey, nil))
			return
		}
		u, err := a.Svc.UserByKey(r.Context(), key)
		if err != nil {
			if qoldau.CodeOf(err) == qoldau.NotFound {
				err = qoldau.E(qoldau.Unauthorized, msgBadKey, nil)
			}
			a.fail(w, r, err)
			return
		}
		if lw, ok := w.(*logWriter); ok {
			lw.user = u.ID()
		}
		if !slices.Contains(roles, u.Role) {
			writeError(w, qoldau.E(qoldau.Forbidden, msgForbidden, nil))
			return
		}
		h(w, r.WithContext(context.WithValue(r.Context(), userKey{}, u)), u)
	})
}

// logWriter records the status for the access log.
type logWriter struct {
	http.ResponseWriter
	status int
	user   string
}

func (w *logWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *logWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// logged writes one access-log line per request: the route pattern (never the raw
// path, which may carry a file name), status, duration and the pseudonymous user.
func (a *api) logged(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		lw := &logWriter{ResponseWriter: w}
		defer func() {
			// A panic is a bug: it answers 500 and is logged with its stack, and the
			// server (or the Lambda function) goes on serving.
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				a.Log.ErrorContext(r.Context(), "panic", "route", r.Pattern, "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
				if lw.status == 0 {
					writeError(lw, qoldau.Errorf(qoldau.Internal, "panic"))
				}
			}
		}()
		h.ServeHTTP(lw, r)
		pattern := r.Pattern
		if pattern == "" {
			pattern = r.Method + " (unrouted)"
		}
		a.Log.InfoContext(r.Context(), "request", "route", pattern, "status", lw.status,
			"ms", time.Since(start).Milliseconds(), "user", lw.user)
	})
}

// errorBody is the JSON of every error answer.
type errorBody struct {
	Error struct {
		Code    qoldau.ErrorCode `json:"code"`
		Message qoldau.Text      `json:"message"`
	} `json:"error"`
}

// StatusOf maps an error code to its HTTP status.
func StatusOf(code qoldau.ErrorCode) int {
	switch code {
	case qoldau.Invalid:
		return http.StatusBadRequest
	case qoldau.NotFound:
		return http.StatusNotFound
	case qoldau.Conflict:
		return http.StatusConflict
	case qoldau.Unauthorized:
		return http.StatusUnauthorized
	case qoldau.Forbidden:
		return http.StatusForbidden
	}
	return http.StatusInternalServerError
}

func writeError(w http.ResponseWriter, err error) {
	var b errorBody
	b.Error.Code = qoldau.CodeOf(err)
	b.Error.Message = qoldau.MessageOf(err)
	if b.Error.Code == qoldau.Unauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="qoldau"`)
	}
	status := StatusOf(b.Error.Code)
	var big *tooLargeError
	if errors.As(err, &big) {
		status, b.Error.Code = http.StatusRequestEntityTooLarge, "too_large"
	}
	writeJSON(w, status, b)
}

// tooLargeError is a request body over its limit: 413.
type tooLargeError struct{ err *qoldau.Error }

func (e *tooLargeError) Error() string { return e.err.Error() }
func (e *tooLargeError) Unwrap() error { return e.err }

func errTooLarge(limit int64) error {
	size := strconv.FormatInt(limit>>20, 10) + " MiB"
	if limit < 1<<20 {
		size = strconv.FormatInt(limit>>10, 10) + " KiB"
	}
	return &tooLargeError{qoldau.E(qoldau.Invalid, texts.Text("too-large", "{size}", size), nil)}
}

// fail answers err, logging the cause of an internal error (masked).
func (a *api) fail(w http.ResponseWriter, r *http.Request, err error) {
	if qoldau.CodeOf(err) == qoldau.Internal {
		a.Log.ErrorContext(r.Context(), "request failed", "route", r.Pattern, "err", err)
	}
	writeError(w, err)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
}

var msgBadJSON = texts.Text("bad-json")

// MaxJSON is the largest JSON request body.
const MaxJSON = 64 << 10

// readJSON decodes a small JSON body (at most MaxJSON) into v: one JSON value with
// known fields and nothing after it. An empty body stands for {}.
func readJSON(r *http.Request, v any) error {
	return decodeJSON(http.MaxBytesReader(nil, r.Body, MaxJSON), v)
}

func decodeJSON(body io.Reader, v any) error {
	dec := json.NewDecoder(body)
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if errors.Is(err, io.EOF) {
		return nil
	}
	if err == nil {
		if _, err = dec.Token(); errors.Is(err, io.EOF) {
			return nil
		} else if err == nil {
			err = errors.New("data after the JSON value")
		}
	}
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return errTooLarge(tooLarge.Limit)
	}
	return qoldau.E(qoldau.Invalid, msgBadJSON, err)
}

var msgBadPeriod = texts.Text("bad-period")

func parsePeriod(s string) (civil.Month, error) {
	p, err := civil.ParseMonth(s)
	if err != nil {
		return 0, qoldau.E(qoldau.Invalid, msgBadPeriod, err)
	}
	return p, nil
}
