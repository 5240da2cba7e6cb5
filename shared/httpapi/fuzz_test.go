package httpapi_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/qoldau/qoldau/shared/qoldau"
)

// bodyRoutes are the routes that read a JSON body, with a role allowed on each.
var bodyRoutes = []struct {
	path string
	role qoldau.Role
}{
	{"/api/uploads", qoldau.RoleOperator},
	{"/api/uploads", qoldau.RoleAgency},
	{"/api/letters/2026-09-v1/send", qoldau.RoleAgency},
	{"/api/reports", qoldau.RoleAgency},
	{"/api/invitations", qoldau.RoleAgency},
	{"/api/calls", qoldau.RoleAgency},
	{"/api/users", qoldau.RoleAdmin},
}

// FuzzAPIBodies posts arbitrary JSON bodies to every route that reads one (seed
// corpus in testdata/fuzz/FuzzAPIBodies): whatever the body, the answer is a
// coded JSON answer below 500 (bad input is the caller's fault, never a server
// error), and the handler neither panics nor hangs.
func FuzzAPIBodies(f *testing.F) {
	s := newServer(f)
	s.uploadRegister()
	h := s.srv.Config.Handler
	for i := range bodyRoutes {
		for _, body := range []string{`{}`, ``, `{"period":"2026-09","kind":"register","name":"r.xlsx"}`,
			`{"number":"07-1/1","at":"2026-10-01T10:00:00+05:00","received":"9999-12-31T00:00:00Z"}`,
			`{"period":"1900-01..9999-12","lang":"kk","formats":["pdf"]}`, `{"period":"2026-09","per_region":-1,"seed":9}`,
			`{"name":"Ai\u0000","role":"agency","email":"a@b"}`, `{"a":1}{"b":2}`, `[1,2]`, `null`, `"x"`} {
			f.Add(uint8(i), []byte(body))
		}
	}
	f.Fuzz(func(t *testing.T, route uint8, body []byte) {
		rt := bodyRoutes[int(route)%len(bodyRoutes)]
		r := httptest.NewRequest(http.MethodPost, rt.path, bytes.NewReader(body))
		r.Header.Set("Authorization", "Bearer "+s.keys[rt.role])
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code >= 500 && w.Code != http.StatusNotImplemented {
			t.Fatalf("POST %s %q = %d %s", rt.path, body, w.Code, w.Body)
		}
		if !strings.HasPrefix(w.Header().Get("Content-Type"), "application/json") || !json.Valid(w.Body.Bytes()) {
			t.Fatalf("POST %s %q = %d, not JSON: %q", rt.path, body, w.Code, w.Body)
		}
	})
}
