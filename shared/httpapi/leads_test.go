package httpapi_test

import (
	"bufio"
	"bytes"
	"net/http"
	"testing"

	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/ingest"
	"github.com/qoldau/qoldau/shared/qoldau"
	"github.com/qoldau/qoldau/shared/sample"
)

// TestLeads: the agency reads a period's audit leads as JSON; other roles may not;
// a period that is not understood is a 400.
func TestLeads(t *testing.T) {
	s := newServer(t)
	op, ag, adm := qoldau.Role(qoldau.RoleOperator), qoldau.Role(qoldau.RoleAgency), qoldau.Role(qoldau.RoleAdmin)
	p, _ := civil.ParseMonth("2026-09")
	var b bytes.Buffer
	w := bufio.NewWriter(&b)
	if _, err := sample.Write(w, sample.Options{Period: p, Rows: 800, Seed: 4, Plant: sample.Plant{sample.PlantSharedPhone: 1}}); err != nil {
		t.Fatal(err)
	}
	w.Flush()
	code, up := s.call("POST", "/api/uploads", op, map[string]string{"kind": "register", "period": "2026-09", "name": "r.xlsx"})
	if code != http.StatusCreated {
		t.Fatalf("POST /api/uploads = %d %v", code, up)
	}
	if got := put(t, up["url"].(string), b.Bytes()); got != http.StatusOK {
		t.Fatalf("PUT = %d", got)
	}
	if code, st := s.call("GET", up["status_url"].(string), op, nil); code != 200 || st["status"] != ingest.StatusDone {
		t.Fatalf("upload status = %d %v", code, st)
	}
	code, res := s.call("GET", "/api/leads?period=2026-09", ag, nil)
	if code != 200 {
		t.Fatalf("GET /api/leads = %d %v", code, res)
	}
	counts := res["counts"].(map[string]any)
	leads := res["leads"].([]any)
	if res["period"] != "2026-09" || counts["shared-phone"] != float64(1) || len(leads) == 0 {
		t.Fatalf("leads = %v", res)
	}
	first := leads[0].(map[string]any)
	if first["kind"] != "shared-phone" || len(first["rows"].([]any)) != 4 || first["message"].(map[string]any)["ru"] == "" {
		t.Errorf("the shared-phone lead = %v", first)
	}
	for _, role := range []qoldau.Role{op, adm, ""} {
		if code, _ := s.call("GET", "/api/leads?period=2026-09", role, nil); code != http.StatusForbidden && code != http.StatusUnauthorized {
			t.Errorf("GET /api/leads as %q = %d", role, code)
		}
	}
	for _, q := range []string{"", "2026-13", "2031"} {
		if code, ans := s.call("GET", "/api/leads?period="+q, ag, nil); code != http.StatusBadRequest {
			t.Errorf("period %q = %d %v, want 400", q, code, ans)
		}
	}
}
