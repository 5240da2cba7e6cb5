// Package httpapi is the one http.Handler of the staff API and the web console,
// run by the api Lambda (wrapped by aws-lambda-go-api-proxy) and by `qoldau serve`.
//
// The API: uploads of registers and acts (it hands out upload URLs; the validate
// job registers the file), period status and findings, letters (list, send),
// diffs, report requests and downloads through short-lived URLs, survey
// invitations and call lists, users. Machines authenticate with an API key
// (Authorization: Bearer <key>, or X-Api-Key), stored as its SHA-256.
//
// The console: server-rendered pages (html/template, the stylesheet and one small
// script embedded in the binary) for the operator (the months' calendar, uploads,
// validation outcomes with the findings table, the flagged workbook, diffs,
// letters), the agency (a period's dashboard with its clocks, sending letters,
// acts, report builds and submissions, survey progress and files) and the admin
// (users and roles, staff Telegram codes, reference data, the audit log), in
// Kazakh, Russian or English. People sign in with a name and password (auth.go:
// sessions in the store, CSRF tokens, a growing delay after failed attempts).
//
// Every route is declared once in the route table (routes.go) with the roles that
// may use it; the handler checks the caller and the role before it reads a body or
// changes anything: the API answers 401 without a known key and 403 for a role the
// route does not allow, the console sends an anonymous browser to sign in and
// shows a 403 page. Errors are JSON (API) or a page (console) with the message in
// Kazakh, Russian and English; logs carry no personal data (see shared/logging).
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
	// SessionTTL is how long a console session lasts (default DefaultSessionTTL).
	SessionTTL time.Duration
	// Now is the clock of sessions, sign-in delays and password times (default
	// time.Now): the real time, even when the workflow's clock (Svc.Clock) is
	// fixed to replay history.
	Now func() time.Time

	// StaffCode, when set, issues a one-time code linking a Telegram chat to a
	// staff role (operator or agency) for deadline reminders.
	StaffCode func(ctx context.Context, role, actor string) (*IssuedCode, error)
	// InstallRefData, when set, installs a checked reference data file (known by
	// its base name) where the deployment keeps them; nil where the data is the
	// embedded set only (the console then checks an upload without installing it).
	InstallRefData func(ctx context.Context, file string, data []byte) error
}

type api struct {
	Config
	cache findingsCache // the findings of the versions last shown
	found leadsCache    // the audit leads last found
}

// New returns the handler.
func New(cfg Config) http.Handler {
	if cfg.UploadTTL == 0 {
		cfg.UploadTTL = 15 * time.Minute
	}
	if cfg.DownloadTTL == 0 {
		cfg.DownloadTTL = 5 * time.Minute
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.SessionTTL <= 0 {
		cfg.SessionTTL = DefaultSessionTTL
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	a := &api{Config: cfg}
	mux := http.NewServeMux()
	for _, rt := range a.table() {
		mux.Handle(rt.Pattern, a.guard(rt))
	}
	if cfg.Files != nil {
		mux.Handle("/files/", cfg.Files)
	}
	mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, qoldau.E(qoldau.NotFound, msgNoRoute, nil))
	})
	// Any other path is a console page that does not exist: a page, not JSON,
	// with the signed-in user's menu.
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if c, err := a.identify(r); err == nil {
			r = r.WithContext(context.WithValue(r.Context(), callerKey{}, c))
		}
		a.pageError(w, r, qoldau.E(qoldau.NotFound, msgNoPage, nil))
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
