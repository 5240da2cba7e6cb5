package httpapi_test

import (
	"bufio"
	"bytes"
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/ingest"
	"github.com/qoldau/qoldau/shared/qoldau"
	"github.com/qoldau/qoldau/shared/sample"
)

// uploadSharedPhone uploads as the operator a register of 2026-09 with one
// shared-phone lead planted (four clients on one mobile phone).
func (s *server) uploadSharedPhone() {
	s.t.Helper()
	p, _ := civil.ParseMonth("2026-09")
	var b bytes.Buffer
	w := bufio.NewWriter(&b)
	if _, err := sample.Write(w, sample.Options{Period: p, Rows: 800, Seed: 4, Plant: sample.Plant{sample.PlantSharedPhone: 1}}); err != nil {
		s.t.Fatal(err)
	}
	w.Flush()
	op := qoldau.Role(qoldau.RoleOperator)
	code, up := s.call("POST", "/api/uploads", op, map[string]string{"kind": "register", "period": "2026-09", "name": "r.xlsx"})
	if code != http.StatusCreated {
		s.t.Fatalf("POST /api/uploads = %d %v", code, up)
	}
	if got := put(s.t, up["url"].(string), b.Bytes()); got != http.StatusOK {
		s.t.Fatalf("PUT = %d", got)
	}
	if code, st := s.call("GET", up["status_url"].(string), op, nil); code != 200 || st["status"] != ingest.StatusDone {
		s.t.Fatalf("upload status = %d %v", code, st)
	}
}

// TestLeads: the agency reads a period's audit leads as JSON; other roles may not;
// a period that is not understood is a 400.
func TestLeads(t *testing.T) {
	s := newServer(t)
	op, ag, adm := qoldau.Role(qoldau.RoleOperator), qoldau.Role(qoldau.RoleAgency), qoldau.Role(qoldau.RoleAdmin)
	s.uploadSharedPhone()
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

// TestLeadsPage: the agency's leads page shows the planted lead in each language
// with its kind, strength, explanation and evidence rows with their cells; the
// filter by kind and strength narrows it; the dashboard links to it; leads.xlsx
// downloads the same leads.
func TestLeadsPage(t *testing.T) {
	s := newServer(t)
	s.uploadSharedPhone()
	for lang, want := range map[string][]string{
		"kk": {"Тексеруге арналған белгілер", "Ортақ телефон", "ұялы телефоны"},
		"ru": {"Сигналы для проверки", "Общий телефон", "Мобильный телефон"},
		"en": {"Audit leads", "Shared phone", "Mobile phone"},
	} {
		b := s.as(qoldau.RoleAgency, lang)
		// Without a period: last month's quarter (the clock is 01.10.2026).
		code, body := b.get("/leads")
		if code != 200 {
			t.Fatalf("%s /leads = %d\n%.2000s", lang, code, body)
		}
		for _, w := range want {
			if !strings.Contains(body, w) {
				t.Errorf("%s: the leads page lacks %q", lang, w)
			}
		}
		if n := strings.Count(body, `<article class="card leadcard"`); n != 1 {
			t.Errorf("%s: %d leads shown, want the planted one", lang, n)
		}
		// Its four evidence rows, each with the phone's cell.
		ev := body[strings.Index(body, `<table class="evidence">`):]
		ev = ev[:strings.Index(ev, "</table>")]
		if n := strings.Count(ev, "<tr>") - 1; n != 4 {
			t.Errorf("%s: %d evidence rows, want 4", lang, n)
		}
		if !regexp.MustCompile(`<span class="cellv">[A-Z]+[0-9]+ \+7[0-9]{10}</span>`).MatchString(html.UnescapeString(ev)) {
			t.Errorf("%s: no evidence cell with a phone: %.1500s", lang, ev)
		}
		if _, dash := b.get("/dashboard"); !strings.Contains(dash, `href="/leads?period=2026-Q3"`) {
			t.Errorf("%s: the dashboard does not link to the leads", lang)
		}
	}
	b := s.as(qoldau.RoleAgency, "en")
	for q, n := range map[string]int{"?period=2026-09&kind=shared-phone": 1, "?period=2026-09&kind=spike&kind=denied": 0,
		"?period=2026-09&min=1000": 0, "?period=2026-09&kind=shared-phone&min=0.5": 1} {
		code, body := b.get("/leads" + q)
		if got := strings.Count(body, `<article class="card leadcard"`); code != 200 || got != n {
			t.Errorf("/leads%s = %d, %d leads, want %d", q, code, got, n)
		}
	}
	for _, q := range []string{"?kind=nonsense", "?min=-1", "?min=many", "?period=2026-13"} {
		if code, body := b.get("/leads" + q); code != http.StatusBadRequest || !strings.Contains(body, `<html lang="en">`) {
			t.Errorf("/leads%s = %d, want a 400 page", q, code)
		}
	}
	for q, n := range map[string]int{"?period=2026-09": 1, "?period=2026-09&kind=spike": 0} {
		code, body := b.get("/leads/xlsx" + q)
		if resp := b.last; code != 200 || !strings.Contains(resp.Header.Get("Content-Disposition"), "leads-2026-09.xlsx") {
			t.Fatalf("/leads/xlsx%s = %d %q", q, resp.StatusCode, resp.Header.Get("Content-Disposition"))
		}
		f, err := excelize.OpenReader(strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		rows, err := f.GetRows("Leads")
		if err != nil {
			t.Fatal(err)
		}
		phones := 0
		for _, r := range rows[5:] {
			if len(r) > 1 && r[1] == "Shared phone" {
				phones++
			}
		}
		if want := 4 * n; phones != want {
			t.Errorf("/leads/xlsx%s: %d shared-phone rows, want %d", q, phones, want)
		}
	}
}

// TestLeadsReused: the leads found are reused while nothing they read changed and
// for up to a minute (a page, a filter, the download of one result); a new
// version is read at once, and an unchanged store again after the minute. A
// filtered download leaves the result kept whole.
func TestLeadsReused(t *testing.T) {
	s := newServer(t)
	ag := qoldau.Role(qoldau.RoleAgency)
	s.uploadSharedPhone()
	var leads int
	built := func() string {
		t.Helper()
		code, res := s.call("GET", "/api/leads?period=2026-09", ag, nil)
		if code != 200 {
			t.Fatalf("GET /api/leads = %d %v", code, res)
		}
		leads = len(res["leads"].([]any))
		return res["built"].(string)
	}
	first := built()
	if leads == 0 {
		t.Fatal("no leads")
	}
	b := s.as(qoldau.RoleAgency, "en")
	if _, body := b.get("/leads?period=2026-09"); !strings.Contains(body, "Found at 01.10.2026 10:00;") {
		t.Errorf("the page does not say when its leads were found: %.3000s", body)
	}
	if code, _ := b.get("/leads/xlsx?period=2026-09&kind=spike"); code != 200 {
		t.Fatalf("/leads/xlsx = %d", code)
	}
	s.now = s.now.Add(30 * time.Second)
	if got := built(); got != first || leads == 0 {
		t.Errorf("30 s later with nothing changed the leads were found again (built %s, then %s) or lost (%d)", first, got, leads)
	}
	s.now = s.now.Add(time.Minute)
	again := built()
	if again == first {
		t.Errorf("after a minute the leads were not found again (built %s)", again)
	}
	s.now = s.now.Add(time.Second)
	s.uploadRegister() // a new version: the inputs revision changes
	if got := built(); got == again {
		t.Errorf("after an upload the leads kept their old result (built %s)", got)
	}
}
