package httpapi_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/httpapi"
	"github.com/qoldau/qoldau/shared/qoldau"
)

// raw sends a request with a raw body and role's key, returning the status and body.
func (s *server) raw(method, path string, role qoldau.Role, body string) (int, string) {
	s.t.Helper()
	req, _ := http.NewRequest(method, s.srv.URL+path, strings.NewReader(body))
	if role != "" {
		req.Header.Set("Authorization", "Bearer "+s.keys[role])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// uploadRegister uploads a register with errors through the API: version 1 of 2026-09.
func (s *server) uploadRegister() {
	s.t.Helper()
	code, up := s.call("POST", "/api/uploads", qoldau.RoleOperator, map[string]string{"kind": "register", "period": "2026-09"})
	if code != http.StatusCreated {
		s.t.Fatalf("POST /api/uploads = %d %v", code, up)
	}
	if got := put(s.t, up["url"].(string), registerFile(s.t, "2026-09", 0.3)); got != http.StatusOK {
		s.t.Fatalf("PUT = %d", got)
	}
}

// TestFindingsOffsetOverflow: offset+limit overflowed and the handler panicked.
func TestFindingsOffsetOverflow(t *testing.T) {
	s := newServer(t)
	s.uploadRegister()
	for _, q := range []string{"offset=9223372036854775807", "offset=9223372036854775807&limit=1000", "offset=5&limit=9223372036854775807"} {
		code, ans := s.call("GET", "/api/periods/2026-09/versions/1/findings?"+q, qoldau.RoleOperator, nil)
		if code != http.StatusOK {
			t.Errorf("findings?%s = %d %v", q, code, ans)
		}
	}
	code, ans := s.call("GET", "/api/periods/2026-09/versions/1/findings?offset=99999999999999999999", qoldau.RoleOperator, nil)
	if code != http.StatusBadRequest {
		t.Errorf("an offset past int64 = %d %v, want 400", code, ans)
	}
}

// TestPanicAnswers500: a panic in a handler answers a coded 500 and the server
// goes on serving (the Lambda adapter runs the same handler).
func TestPanicAnswers500(t *testing.T) {
	s := newServerWith(t, func(c *httpapi.Config) {
		c.Invitations = func(context.Context, civil.Month, string) (string, error) { panic("a bug") }
	})
	code, body := s.raw("POST", "/api/invitations", qoldau.RoleAgency, `{"period":"2026-09"}`)
	if code != http.StatusInternalServerError || !strings.Contains(body, `"internal"`) {
		t.Errorf("a panicking handler = %d %s", code, body)
	}
	if code, _ := s.call("GET", "/api/me", qoldau.RoleAgency, nil); code != http.StatusOK {
		t.Errorf("after a panic, /api/me = %d", code)
	}
}

// TestJSONBodies: trailing data after the JSON value, unknown fields and bodies over
// the limit are refused; an empty body stands for {}.
func TestJSONBodies(t *testing.T) {
	s := newServer(t)
	tests := []struct {
		body string
		want int
	}{
		{`{"name":"Aigerim","role":"agency"}{"name":"x"}`, http.StatusBadRequest},
		{`{"name":"Aigerim","role":"agency"} trailing`, http.StatusBadRequest},
		{`{"name":"Aigerim","role":"agency"}]`, http.StatusBadRequest},
		{`{"name":"Aigerim","role":"agency","admin":true}`, http.StatusBadRequest},
		{`{"name":"` + strings.Repeat("a", 70<<10) + `","role":"agency"}`, http.StatusRequestEntityTooLarge},
		{`{"name":"Ai\u0000gerim","role":"agency"}`, http.StatusBadRequest},
		{"{\"name\":\"Ai\x07gerim\",\"role\":\"agency\"}", http.StatusBadRequest},
		{"{\"name\":\"Ai\xffgerim\",\"role\":\"agency\"}", http.StatusBadRequest},
		{`{"name":"Aigerim","role":"agency","email":"a\u0000@example.kz"}`, http.StatusBadRequest},
		{`{"name":"Aigerim","role":"agency"}` + "\n", http.StatusCreated},
	}
	for _, tt := range tests {
		if code, body := s.raw("POST", "/api/users", qoldau.RoleAdmin, tt.body); code != tt.want {
			t.Errorf("POST /api/users %.60q = %d %.200s, want %d", tt.body, code, body, tt.want)
		}
	}
	_, list := s.call("GET", "/api/users", qoldau.RoleAdmin, nil)
	if n := len(list["users"].([]any)); n != 4 {
		t.Errorf("%d users stored, want the 3 of the test and Aigerim", n)
	}
}

// TestReportRequestsChecked: an invalid or unbounded period is a 400 when the
// report is asked for, not a 202 and a failure later.
func TestReportRequestsChecked(t *testing.T) {
	s := newServer(t)
	for _, p := range []string{"1900-01..9999-12", "2026-Q5", "2026-13", "2018-12", "2027-01", "2026-09..2026-07", "x"} {
		if code, ans := s.call("POST", "/api/reports", qoldau.RoleAgency, map[string]any{"period": p}); code != http.StatusBadRequest {
			t.Errorf("report %q = %d %v, want 400", p, code, ans)
		}
	}
	for _, p := range []string{"2026-Q3", "2019-01..2026-12", "2026"} {
		if code, ans := s.call("POST", "/api/reports", qoldau.RoleAgency, map[string]any{"period": p}); code != http.StatusAccepted {
			t.Errorf("report %q = %d %v, want 202", p, code, ans)
		}
	}
}

// TestFiles: an upload over the size limit is a 413 and stores nothing; downloads
// are never cached or sniffed.
func TestFiles(t *testing.T) {
	s := newServerWith(t, func(c *httpapi.Config) { c.Files.(*httpapi.LocalLinks).MaxSize = 1 << 20 })
	code, up := s.call("POST", "/api/uploads", qoldau.RoleOperator, map[string]string{"kind": "register", "period": "2026-09"})
	if code != http.StatusCreated {
		t.Fatalf("POST /api/uploads = %d %v", code, up)
	}
	big := bytes.Repeat([]byte("a;"), 1<<20)
	if got := put(t, up["url"].(string), big); got != http.StatusRequestEntityTooLarge {
		t.Errorf("PUT of 2 MiB over a 1 MiB limit = %d, want 413", got)
	}
	// Without a length (chunked), the limit is found while reading.
	req, _ := http.NewRequest(http.MethodPut, up["url"].(string), io.MultiReader(bytes.NewReader(big)))
	req.ContentLength = -1
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("chunked PUT over the limit = %d, want 413", resp.StatusCode)
	}
	if ok, _ := s.svc.Blobs.Exists(context.Background(), "inbox/"+up["id"].(string)+"/upload.xlsx"); ok {
		t.Error("an oversized upload was stored")
	}

	s.uploadRegister()
	_, ls := s.call("GET", "/api/letters", qoldau.RoleOperator, nil)
	key := ls["letters"].([]any)[0].(map[string]any)["files"].(map[string]any)["docx"].(string)
	_, dl := s.call("GET", "/api/downloads?key="+key, qoldau.RoleOperator, nil)
	resp, err = http.Get(dl["url"].(string))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Cache-Control") != "no-store" || resp.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("download = %d, Cache-Control %q, X-Content-Type-Options %q", resp.StatusCode,
			resp.Header.Get("Cache-Control"), resp.Header.Get("X-Content-Type-Options"))
	}
}

// cutStore is a store whose connection is cut while cut is set: every version
// write fails halfway, as DynamoDB cut mid-upload did.
type cutStore struct {
	qoldau.Store
	cut *atomic.Bool
}

func (s *cutStore) PutVersion(ctx context.Context, v *qoldau.Version, rows qoldau.RowSeq) error {
	if s.cut.Load() {
		return qoldau.E(qoldau.Internal, qoldau.Text{EN: "Database error"}, errors.New("injected: connection reset"))
	}
	return s.Store.PutVersion(ctx, v, rows)
}

// TestUploadFailureAnswersError: with the store cut mid-upload the PUT answered
// 200 and the ticket stayed "waiting" for good; now the PUT answers the error, the
// ticket says "failed", and the same PUT once the store is back registers it.
func TestUploadFailureAnswersError(t *testing.T) {
	var cut atomic.Bool
	cut.Store(true)
	s := newServerWith(t, func(c *httpapi.Config) { c.Svc.Store = &cutStore{Store: c.Svc.Store, cut: &cut} })
	code, up := s.call("POST", "/api/uploads", qoldau.RoleOperator, map[string]string{"kind": "register", "period": "2026-09"})
	if code != http.StatusCreated {
		t.Fatalf("POST /api/uploads = %d %v", code, up)
	}
	file := registerFile(t, "2026-09", 0.2)
	if got := put(t, up["url"].(string), file); got != http.StatusInternalServerError {
		t.Errorf("PUT with the store cut = %d, want 500", got)
	}
	if code, st := s.call("GET", up["status_url"].(string), qoldau.RoleOperator, nil); code != 200 || st["status"] != "failed" {
		t.Errorf("status after the failure = %d %v, want failed", code, st)
	}
	if vs, _ := s.svc.Store.Versions(context.Background(), civil.MonthOf(2026, 9)); len(vs) != 0 {
		t.Errorf("a failed upload stored %d versions", len(vs))
	}
	cut.Store(false)
	if got := put(t, up["url"].(string), file); got != http.StatusOK {
		t.Errorf("PUT again = %d, want 200", got)
	}
	if code, st := s.call("GET", up["status_url"].(string), qoldau.RoleOperator, nil); code != 200 || st["status"] != "done" {
		t.Errorf("status after the retry = %d %v, want done", code, st)
	}
}

// slowBody sends n bytes, one every d.
type slowBody struct {
	n int
	d time.Duration
}

func (b *slowBody) Read(p []byte) (int, error) {
	if b.n == 0 {
		return 0, io.EOF
	}
	time.Sleep(b.d)
	b.n--
	p[0] = 'a'
	return 1, nil
}

// TestSlowClientsCut: the server had no read timeout, and a body sent at one byte a
// second held its connection for good; now an API body must arrive within the read
// timeout and an upload must keep up a minimum rate after its grace.
func TestSlowClientsCut(t *testing.T) {
	s := newServerWith(t, func(c *httpapi.Config) { c.Files.(*httpapi.LocalLinks).Grace = 300 * time.Millisecond })
	s.srv.Close()
	srv := httptest.NewUnstartedServer(nil)
	srv.Config = httpapi.NewServer(s.handler, httpapi.Timeouts{Read: 500 * time.Millisecond})
	srv.Start()
	defer srv.Close()
	s.srv = srv
	s.links.Base = srv.URL

	slow := func(method, url string, key string) (time.Duration, int) {
		req, _ := http.NewRequest(method, url, &slowBody{n: 200, d: 50 * time.Millisecond})
		req.ContentLength = 200
		if key != "" {
			req.Header.Set("Authorization", "Bearer "+key)
		}
		start := time.Now()
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return time.Since(start), 0
		}
		resp.Body.Close()
		return time.Since(start), resp.StatusCode
	}
	if d, code := slow("POST", srv.URL+"/api/users", s.keys[qoldau.RoleAdmin]); d > 5*time.Second || code == http.StatusCreated {
		t.Errorf("a 20 bytes/s JSON body: %v, status %d", d, code)
	}
	code, up := s.call("POST", "/api/uploads", qoldau.RoleOperator, map[string]string{"kind": "register", "period": "2026-09"})
	if code != http.StatusCreated {
		t.Fatalf("POST /api/uploads = %d %v", code, up)
	}
	if d, code := slow("PUT", up["url"].(string), ""); d > 5*time.Second || code == http.StatusOK {
		t.Errorf("a 20 bytes/s upload: %v, status %d", d, code)
	}
	if ok, _ := s.svc.Blobs.Exists(context.Background(), "inbox/"+up["id"].(string)+"/upload.xlsx"); ok {
		t.Error("a cut upload was stored")
	}
	// A fair upload still goes through (after its grace it only has to keep up).
	s.uploadRegister()
}
