package httpapi_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/dirblob"
	"github.com/qoldau/qoldau/shared/httpapi"
	"github.com/qoldau/qoldau/shared/ingest"
	"github.com/qoldau/qoldau/shared/qoldau"
	"github.com/qoldau/qoldau/shared/reportjob"
	"github.com/qoldau/qoldau/shared/sample"
	"github.com/qoldau/qoldau/shared/sqlite"
	"github.com/qoldau/qoldau/shared/workday"
	"github.com/qoldau/qoldau/shared/workflow"
)

// server is the API on an embedded store with local links, as `qoldau serve` runs
// it (or on DynamoDB and S3 on moto, see TestConsoleOnMoto).
type server struct {
	t     testing.TB
	srv   *httptest.Server
	svc   *workflow.Service
	store qoldau.Store // embedded, or DynamoDB on moto (TestConsoleOnMoto)
	keys  map[qoldau.Role]string
	now   time.Time

	handler http.Handler
	links   *httpapi.LocalLinks
}

func newServer(t testing.TB) *server { t.Helper(); return newServerWith(t, nil) }

// newServerWith is newServer with the handler's configuration changed by opt.
func newServerWith(t testing.TB, opt func(*httpapi.Config)) *server {
	t.Helper()
	var store qoldau.Store
	var blobs qoldau.Blobs
	if ep := motoEndpoint(t); ep != "" {
		store, blobs = openMoto(t, ep)
	} else {
		dir := t.TempDir()
		db, err := sqlite.Open(context.Background(), filepath.Join(dir, "q.db"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		if blobs, err = dirblob.New(filepath.Join(dir, "files")); err != nil {
			t.Fatal(err)
		}
		store = db
	}
	s := &server{t: t, svc: workflow.New(store, blobs), store: store, keys: map[qoldau.Role]string{}}
	s.now, _ = time.ParseInLocation("2006-01-02 15:04", "2026-10-01 10:00", workday.Almaty())
	clock := func() time.Time { return s.now }
	s.svc.Clock = clock
	job := &ingest.Job{Svc: s.svc, Blobs: blobs}
	runner := &reportjob.Runner{Blobs: blobs, Now: clock, Build: func(ctx context.Context, req reportjob.Request) (map[string]string, error) {
		key := "reports/" + req.ID + "/r.json"
		return map[string]string{"json": key}, blobs.Put(ctx, key, strings.NewReader(`{"period":"`+req.Period+`"}`))
	}}
	runner.Dispatch = func(id string) { runner.Run(context.Background(), id) }
	links := &httpapi.LocalLinks{Secret: []byte("test"), Blobs: blobs, Now: clock,
		OnUpload: func(ctx context.Context, key string, at time.Time) error {
			_, err := job.Handle(ctx, key, at)
			return err
		}}
	cfg := httpapi.Config{Svc: s.svc, Links: links, Files: links, Ingest: job, Reports: runner, Now: clock}
	if opt != nil {
		opt(&cfg)
	}
	s.handler, s.links = httpapi.New(cfg), links
	s.srv = httptest.NewServer(s.handler)
	t.Cleanup(s.srv.Close)
	links.Base = s.srv.URL
	for _, r := range []qoldau.Role{qoldau.RoleOperator, qoldau.RoleAgency, qoldau.RoleAdmin} {
		_, key, err := s.svc.AddUser(context.Background(), "user-"+string(r), r, "", "test")
		if err != nil {
			t.Fatal(err)
		}
		s.keys[r] = key
		if err := s.svc.SetPassword(context.Background(), "user-"+string(r), password(r), s.now, "test"); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

// call sends a request with role's key ("" role: no key) and decodes the JSON answer.
func (s *server) call(method, path string, role qoldau.Role, body any) (int, map[string]any) {
	s.t.Helper()
	var r io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		r = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, s.srv.URL+path, r)
	if role != "" {
		req.Header.Set("Authorization", "Bearer "+s.keys[role])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}

func registerFile(t testing.TB, period string, rate float64) []byte {
	t.Helper()
	p, _ := civil.ParseMonth(period)
	var b bytes.Buffer
	w := bufio.NewWriter(&b)
	if _, err := sample.Write(w, sample.Options{Period: p, Rows: 30, Seed: 9, ErrorRate: rate}); err != nil {
		t.Fatal(err)
	}
	w.Flush()
	return b.Bytes()
}

func put(t testing.TB, url string, body []byte) int {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPut, url, bytes.NewReader(body))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func TestLocalFlow(t *testing.T) {
	s := newServer(t)
	op, ag := qoldau.Role(qoldau.RoleOperator), qoldau.Role(qoldau.RoleAgency)
	code, up := s.call("POST", "/api/uploads", op, map[string]string{"kind": "register", "period": "2026-09", "name": "Реестр.xlsx"})
	if code != http.StatusCreated {
		t.Fatalf("POST /api/uploads = %d %v", code, up)
	}
	url := up["url"].(string)
	if got := put(t, strings.Replace(url, "sig=", "sig=0", 1), []byte("x")); got != http.StatusForbidden {
		t.Errorf("PUT with a bad signature = %d, want 403", got)
	}
	if got := put(t, url, registerFile(t, "2026-09", 0.2)); got != http.StatusOK {
		t.Fatalf("PUT = %d", got)
	}
	code, st := s.call("GET", up["status_url"].(string), op, nil)
	if code != 200 || st["status"] != ingest.StatusDone {
		t.Fatalf("upload status = %d %v", code, st)
	}

	code, status := s.call("GET", "/api/periods/2026-09", ag, nil)
	if code != 200 || len(status["versions"].([]any)) != 1 {
		t.Fatalf("status = %d %v", code, status)
	}
	code, fs := s.call("GET", "/api/periods/2026-09/versions/1/findings?limit=5", op, nil)
	if code != 200 || len(fs["findings"].([]any)) != 5 || fs["total"].(float64) < 5 {
		t.Fatalf("findings = %d %v", code, fs)
	}
	code, ls := s.call("GET", "/api/letters?period=2026-09", op, nil)
	letters := ls["letters"].([]any)
	if code != 200 || len(letters) != 1 {
		t.Fatalf("letters = %d %v", code, ls)
	}
	// Issue 13: a send in the year 9999 broke every view of the store.
	for _, body := range []map[string]any{{"number": "1", "at": "9999-12-31T00:00:00Z"}, {"number": "1", "at": "2000-01-01T00:00:00Z"}, {}} {
		if code, ans := s.call("POST", "/api/letters/2026-09-v1/send", ag, body); code != http.StatusBadRequest {
			t.Errorf("send %v = %d %v, want 400", body, code, ans)
		}
	}
	if code, ls := s.call("GET", "/api/letters", ag, nil); code != 200 || len(ls["letters"].([]any)) != 1 {
		t.Fatalf("letters after refused sends = %d %v", code, ls)
	}
	code, sent := s.call("POST", "/api/letters/2026-09-v1/send", ag, map[string]any{"number": "07-1/245"})
	if code != 200 || sent["sent_by"] != "user-agency" || sent["number"] != "07-1/245" {
		t.Fatalf("send = %d %v", code, sent)
	}
	if code, _ := s.call("POST", "/api/letters/2026-09-v1/send", ag, map[string]any{"number": "07-1/246"}); code != http.StatusConflict {
		t.Errorf("second send = %d, want 409", code)
	}

	// The letter's files download through a signed link, as an attachment.
	docx := letters[0].(map[string]any)["files"].(map[string]any)["docx"].(string)
	code, dl := s.call("GET", "/api/downloads?key="+docx, op, nil)
	if code != 200 {
		t.Fatalf("download link = %d %v", code, dl)
	}
	resp, err := http.Get(dl["url"].(string))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !bytes.HasPrefix(body, []byte("PK")) || !strings.Contains(resp.Header.Get("Content-Disposition"), "attachment") {
		t.Errorf("download = %d %q %.4q", resp.StatusCode, resp.Header.Get("Content-Disposition"), body)
	}
	if code, _ := s.call("GET", "/api/downloads?key=letters/none.docx", op, nil); code != http.StatusNotFound {
		t.Errorf("download of a missing file = %d, want 404", code)
	}
	if code, _ := s.call("GET", "/api/downloads?key=tickets/x.json", ag, nil); code != http.StatusForbidden {
		t.Errorf("download outside the allowed prefixes = %d, want 403", code)
	}

	code, job := s.call("POST", "/api/reports", ag, map[string]any{"period": "2026-Q3"})
	if code != http.StatusAccepted {
		t.Fatalf("report = %d %v", code, job)
	}
	code, job = s.call("GET", "/api/reports/"+job["id"].(string), ag, nil)
	if code != 200 || job["status"] != reportjob.Done {
		t.Fatalf("report job = %d %v", code, job)
	}
	if code, _ := s.call("POST", "/api/reports", ag, map[string]any{"period": "2026-Q3", "formats": []string{"doc"}}); code != http.StatusBadRequest {
		t.Errorf("report in an unknown format = %d, want 400", code)
	}
	if code, _ := s.call("POST", "/api/invitations", ag, map[string]any{"period": "2026-09"}); code != http.StatusNotImplemented {
		t.Errorf("invitations without the survey package = %d, want 501", code)
	}
}

func TestUsers(t *testing.T) {
	s := newServer(t)
	code, ans := s.call("POST", "/api/users", qoldau.RoleAdmin, map[string]any{"name": "Aigerim", "role": "agency", "email": "a@example.kz"})
	if code != http.StatusCreated || !strings.HasPrefix(ans["key"].(string), qoldau.KeyPrefix) {
		t.Fatalf("add user = %d %v", code, ans)
	}
	req, _ := http.NewRequest("GET", s.srv.URL+"/api/me", nil)
	req.Header.Set("X-Api-Key", ans["key"].(string))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var me qoldau.User
	json.NewDecoder(resp.Body).Decode(&me)
	resp.Body.Close()
	if diff := cmp.Diff(qoldau.User{Name: "Aigerim", Role: qoldau.RoleAgency, Email: "a@example.kz", Created: s.now.UTC()}, me); diff != "" {
		t.Errorf("/api/me with the new key (-want +got):\n%s", diff)
	}
	if code, _ := s.call("POST", "/api/users", qoldau.RoleAdmin, map[string]any{"name": "Aigerim", "role": "agency"}); code != http.StatusConflict {
		t.Errorf("same name again = %d, want 409", code)
	}
	if code, _ := s.call("POST", "/api/users", qoldau.RoleAdmin, map[string]any{"name": "X", "role": "root"}); code != http.StatusBadRequest {
		t.Errorf("unknown role = %d, want 400", code)
	}
	code, list := s.call("GET", "/api/users", qoldau.RoleAdmin, nil)
	if code != 200 || len(list["users"].([]any)) != 4 {
		t.Errorf("users = %d %v", code, list)
	}
	if strings.Contains(mustString(t, list), "key_hash") {
		t.Errorf("the user list shows key hashes: %v", list)
	}
}

func mustString(t *testing.T, v any) string {
	t.Helper()
	b, _ := json.Marshal(v)
	return string(b)
}

func TestConsoleAndErrors(t *testing.T) {
	s := newServer(t)
	// The console's start page sends a browser that is not signed in to sign in.
	b := s.browser("")
	code, body := b.get("/")
	if code != 200 || !strings.Contains(body, `action="/signin"`) || !strings.Contains(b.last.Request.URL.Path, "/signin") {
		t.Errorf("console start = %d at %s", code, b.last.Request.URL)
	}
	tests := []struct {
		method, path string
		role         qoldau.Role
		body         any
		want         int
	}{
		{"GET", "/api/nothing", qoldau.RoleAgency, nil, 404},
		{"GET", "/api/periods/2026-13", qoldau.RoleAgency, nil, 400},
		{"GET", "/api/periods/2026-09/versions/1/findings", qoldau.RoleOperator, nil, 404},
		{"POST", "/api/uploads", qoldau.RoleOperator, map[string]any{"kind": "register", "period": "2026-09", "extra": 1}, 400},
		{"POST", "/api/uploads", qoldau.RoleOperator, map[string]any{"kind": "photos"}, 400},
		{"GET", "/api/uploads/zz", qoldau.RoleOperator, nil, 404},
		{"GET", "/api/reports/nope", qoldau.RoleAgency, nil, 404},
		{"POST", "/api/letters/2026-09-v9/send", qoldau.RoleAgency, nil, 404},
	}
	for _, tt := range tests {
		code, ans := s.call(tt.method, tt.path, tt.role, tt.body)
		e, _ := ans["error"].(map[string]any)
		if code != tt.want || e == nil || e["message"].(map[string]any)["kk"] == "" {
			t.Errorf("%s %s = %d %v, want %d with a coded error", tt.method, tt.path, code, ans, tt.want)
		}
	}
}
