package httpapi_test

import (
	"maps"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/qoldau/qoldau/shared/ingest"
	"github.com/qoldau/qoldau/shared/qoldau"
	"github.com/qoldau/qoldau/shared/workday"
)

// uploadFile asks for an upload, PUTs the file and returns its state.
func (s *server) uploadFile(role qoldau.Role, req map[string]any, file string) map[string]any {
	s.t.Helper()
	body, err := os.ReadFile(file)
	if err != nil {
		s.t.Fatal(err)
	}
	code, up := s.call("POST", "/api/uploads", role, req)
	if code != http.StatusCreated {
		s.t.Fatalf("POST /api/uploads %v = %d %v", req, code, up)
	}
	if got := put(s.t, up["url"].(string), body); got != http.StatusOK {
		s.t.Fatalf("PUT %s = %d", file, got)
	}
	code, st := s.call("GET", up["status_url"].(string), role, nil)
	if code != 200 {
		s.t.Fatalf("upload status = %d %v", code, st)
	}
	return st
}

// The registers and acts files of testdata (LibreOffice's, every header language,
// .xlsx/.ods/.xls) through the API: the sheet holding the header, or the one named;
// a register for another month refused unless forced.
func TestWildUploads(t *testing.T) {
	s := newServer(t)
	s.now, _ = time.ParseInLocation("2006-01-02 15:04", "2026-11-02 10:00", workday.Almaty())
	op, ag := qoldau.Role(qoldau.RoleOperator), qoldau.Role(qoldau.RoleAgency)
	wild := "../../testdata"
	// Every header language in every format: the footer held back, the merges
	// reported (down three rows, across two columns), the second sheet with a
	// header named, the IIN Excel made a number explained.
	version := 0
	for _, lang := range []string{"kk", "ru", "en"} {
		for _, format := range []string{"xlsx", "ods", "xls", "csv"} {
			file := lang + "." + format
			st := s.uploadFile(op, map[string]any{"kind": "register", "period": "2026-10", "name": file}, filepath.Join(wild, "registers", file))
			version++
			reg, _ := st["outcome"].(map[string]any)["register"].(map[string]any)
			if st["status"] != ingest.StatusDone || reg == nil {
				t.Fatalf("%s: %v", file, st)
			}
			want := map[string]float64{"read": 6, "footer": 1, "merged-cells": 2, "sheet-choice": 1, "bin-iin-format": 1}
			if format == "csv" {
				want = map[string]float64{"read": 3, "footer": 1, "bin-iin-format": 2}
			}
			counts := reg["counts"].(map[string]any)
			got := map[string]float64{"read": reg["rows"].(map[string]any)["read"].(float64)}
			for code := range want {
				if n, ok := counts[code].(float64); ok {
					got[code] = n
				}
			}
			if reg["version"].(float64) != float64(version) || !maps.Equal(got, want) {
				t.Errorf("%s: version %v, got %v, want %v", file, reg["version"], got, want)
			}
		}
	}
	// A sheet named in the upload; an unknown one is a file-level error.
	st := s.uploadFile(op, map[string]any{"kind": "register", "period": "2026-10", "name": "kk.ods", "sheet": "Тізілім (көшірме)"},
		filepath.Join(wild, "registers", "kk.ods"))
	if reg := st["outcome"].(map[string]any)["register"].(map[string]any); reg["rows"].(map[string]any)["read"].(float64) != 1 {
		t.Errorf("named sheet: %v", st)
	}
	st = s.uploadFile(op, map[string]any{"kind": "register", "period": "2026-10", "name": "ru.xls", "sheet": "Лист1"},
		filepath.Join(wild, "registers", "ru.xls"))
	if reg := st["outcome"].(map[string]any)["register"].(map[string]any); reg["file_error"] != true {
		t.Errorf("unknown sheet: %v", st)
	}
	if code, ans := s.call("POST", "/api/uploads", op, map[string]any{"kind": "register", "period": "2026-10", "name": "r.xlsx", "sheet": "a\x00b"}); code != http.StatusBadRequest {
		t.Errorf("a sheet name with a NUL = %d %v, want 400", code, ans)
	}
	// The October register as September, in each header language: refused,
	// naming October; nothing stored.
	for _, file := range []string{"kk.xls", "ru.xlsx", "en.csv", "en.ods"} {
		st = s.uploadFile(op, map[string]any{"kind": "register", "period": "2026-09", "name": file}, filepath.Join(wild, "registers", file))
		msg, _ := st["outcome"].(map[string]any)["error"].(map[string]any)
		if st["status"] != ingest.StatusRefused || msg == nil || !strings.Contains(msg["ru"].(string), "2026-10") ||
			!strings.Contains(msg["kk"].(string), "2026-10") || !strings.Contains(msg["en"].(string), "2026-10") {
			t.Fatalf("wrong period %s: %v", file, st)
		}
	}
	if code, status := s.call("GET", "/api/periods/2026-09", ag, nil); code != 200 || len(status["versions"].([]any)) != 0 {
		t.Errorf("status after a refused upload = %d %v", code, status)
	}
	st = s.uploadFile(op, map[string]any{"kind": "register", "period": "2026-09", "name": "en.ods", "force": true}, filepath.Join(wild, "registers", "en.ods"))
	if reg := st["outcome"].(map[string]any)["register"].(map[string]any); st["status"] != ingest.StatusDone || reg["version"].(float64) != 1 {
		t.Errorf("forced upload: %v", st)
	}
	// Acts, from .ods and .xls, with and without the sheet's name.
	for _, req := range []map[string]any{{"kind": "acts", "name": "ru.ods"}, {"kind": "acts", "name": "kk.xls", "sheet": "Актілер"}} {
		st := s.uploadFile(ag, req, filepath.Join(wild, "acts", req["name"].(string)))
		acts, _ := st["outcome"].(map[string]any)["acts"].(map[string]any)
		if st["status"] != ingest.StatusDone || acts == nil || acts["read"].(float64) != 2 || acts["sheet"] == "" {
			t.Errorf("acts %v: %v", req, st)
		}
	}
}
