package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestLeadsCommand: a register with planted patterns, uploaded on time; `leads`
// finds them (JSON in the shape, a summary in the language asked, a
// workbook), and refuses a bad period or setting.
func TestLeadsCommand(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	reg := filepath.Join(dir, "r.xlsx")
	if code, _, errs := run(t, "sample", "--period", "2026-09", "--rows", "2000", "--seed", "8", "--error-rate", "0.02",
		"--plant", "manager-load,shared-phone,iin-many-names,repeat-service,non-working-day", "--out", reg); code != 0 {
		t.Fatalf("sample: %s", errs)
	}
	t.Setenv("QOLDAU_NOW", "2026-10-01T12:00:00+05:00")
	if code, _, errs := run(t, "upload", "--data", data, "--period", "2026-09", reg); code != 1 { // rows with errors: 1
		t.Fatalf("upload: %d %s", code, errs)
	}
	t.Setenv("QOLDAU_NOW", "2026-10-05T12:00:00+05:00")
	code, out, errs := run(t, "leads", "--data", data, "--period", "2026-09", "--json")
	if code != 0 {
		t.Fatalf("leads --json: %d %s", code, errs)
	}
	var res struct {
		Period string `json:"period"`
		Leads  []struct {
			Kind     string            `json:"kind"`
			Strength float64           `json:"strength"`
			Message  map[string]string `json:"message"`
			Rows     []struct {
				Period  string `json:"period"`
				Version int    `json:"version"`
				Row     int    `json:"row"`
			} `json:"rows"`
		} `json:"leads"`
		Counts map[string]int `json:"counts"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("%v: %.300s", err, out)
	}
	for _, k := range []string{"manager-load", "shared-phone", "iin-many-names", "repeat-service", "non-working-day"} {
		if res.Counts[k] < 1 {
			t.Errorf("no %s lead: %v", k, res.Counts)
		}
	}
	if res.Period != "2026-09" || len(res.Leads) == 0 || res.Leads[0].Message["kk"] == "" || res.Leads[0].Rows[0].Version != 1 {
		t.Errorf("leads JSON: %.500s", out)
	}
	xl := filepath.Join(dir, "leads.xlsx")
	code, out, errs = run(t, "leads", "--data", data, "--period", "2026-09", "--lang", "kk", "--out", xl)
	if code != 0 || !strings.Contains(out, "Ортақ телефон") || !strings.Contains(out, "Тексеруге арналған белгілер 2026-09") {
		t.Errorf("leads in Kazakh: %d\n%s\n%s", code, out, errs)
	}
	if st, err := os.Stat(xl); err != nil || st.Size() == 0 {
		t.Errorf("no workbook: %v", err)
	}
	if code, _, errs := run(t, "leads", "--data", data, "--period", "2026-Q5"); code != 2 || !strings.Contains(errs, "period") {
		t.Errorf("a bad period: %d %s", code, errs)
	}
	t.Setenv("QOLDAU_LEADS_PHONE_CLIENTS", "1")
	if code, _, errs := run(t, "leads", "--data", data, "--period", "2026-09"); code != 2 || !strings.Contains(errs, "phone_clients") {
		t.Errorf("a bad setting: %d %s", code, errs)
	}
}
