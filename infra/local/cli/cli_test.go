package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// run runs the command line and returns its status, stdout and stderr.
func run(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Run(args, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

func TestValidateCommand(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("QOLDAU_DATA", filepath.Join(dir, "data"))
	reg := filepath.Join(dir, "r.xlsx")
	if code, _, errs := run(t, "sample", "--period", "2026-09", "--rows", "300", "--seed", "2", "--error-rate", "0.1", "--out", reg); code != 0 {
		t.Fatalf("sample: %d %s", code, errs)
	}
	clean := filepath.Join(dir, "clean.csv")
	if code, _, errs := run(t, "sample", "--period", "2026-09", "--rows", "50", "--seed", "2", "--error-rate", "0", "--out", clean); code != 0 {
		t.Fatalf("sample: %d %s", code, errs)
	}
	empty := filepath.Join(dir, "empty.xlsx")
	os.WriteFile(empty, nil, 0o644)
	flagged := filepath.Join(dir, "flagged.xlsx")

	tests := []struct {
		name     string
		args     []string
		code     int
		stdout   string // a part of stdout
		stderr   string // a part of stderr
		jsonRows int    // rows read in the JSON, when --json
	}{
		{"errors in rows: exit 1, JSON", []string{"validate", "--json", "--received", "2026-10-02T10:00:00+05:00", reg}, 1, `"period":"2026-09"`, "", 300},
		{"flags after the file", []string{"validate", reg, "--period", "2026-09", "--json", "--received", "2026-10-02T10:00:00+05:00"}, 1, `"sha256"`, "", 300},
		{"clean CSV: exit 0", []string{"validate", "--period", "2026-09", "--received", "2026-10-02T10:00:00+05:00", clean}, 0, "50 read, 50 accepted", "", 0},
		{"flagged workbook", []string{"validate", "--received", "2026-10-02T10:00:00+05:00", "--out", flagged, reg}, 1, "→ " + flagged, "", 0},
		{"summary in Kazakh", []string{"validate", "--lang", "kk", "--received", "2026-10-02T10:00:00+05:00", reg}, 1, "Жолдар", "", 0},
		{"unusable file: exit 2, reason, JSON still printed", []string{"validate", "--json", empty}, 2, `"file-unreadable"`, "The file is empty", 0},
		{"no such file", []string{"validate", filepath.Join(dir, "nope.xlsx")}, 2, "", "Cannot open the file", 0},
		{"bad period", []string{"validate", "--period", "2026-13", reg}, 2, "", "want YYYY-MM", 0},
		{"no file", []string{"validate"}, 2, "", "exactly one FILE", 0},
		{"unknown command", []string{"frobnicate"}, 2, "", "unknown command", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := run(t, tt.args...)
			if code != tt.code || !strings.Contains(out, tt.stdout) || !strings.Contains(errs, tt.stderr) {
				t.Fatalf("exit %d, want %d\nstdout: %.400s\nstderr: %s", code, tt.code, out, errs)
			}
			if tt.jsonRows > 0 {
				var res struct {
					Rows struct{ Read, Accepted, Rejected int }
				}
				if err := json.Unmarshal([]byte(out), &res); err != nil || res.Rows.Read != tt.jsonRows || res.Rows.Accepted+res.Rows.Rejected != tt.jsonRows {
					t.Errorf("JSON %v: %+v", err, res.Rows)
				}
				if strings.Count(strings.TrimSpace(out), "\n") != 0 {
					t.Error("--json printed more than one line")
				}
			}
		})
	}
	if _, err := os.Stat(flagged); err != nil {
		t.Errorf("no flagged workbook: %v", err)
	}
}

func TestWorkflowCommands(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	t.Setenv("QOLDAU_DATA", data)
	reg := filepath.Join(dir, "r.xlsx")
	run(t, "sample", "--period", "2026-09", "--rows", "100", "--seed", "3", "--error-rate", "0.1", "--out", reg)
	t.Setenv("QOLDAU_NOW", "2026-10-01T12:00:00+05:00")
	code, out, errs := run(t, "upload", "--period", "2026-09", "--json", reg)
	if code != 1 || !strings.Contains(out, `"version":1`) || !strings.Contains(out, `"letter":"2026-09-v1"`) {
		t.Fatalf("upload: %d %s %s", code, out, errs)
	}
	if code, _, errs := run(t, "upload", "--period", "2026-11", reg); code != 2 || !strings.Contains(errs, "month after the current one") {
		t.Errorf("future month: %d %s", code, errs)
	}
	if code, _, errs := run(t, "upload", "--period", "2026-9", reg); code != 2 || !strings.Contains(errs, "want YYYY-MM") {
		t.Errorf("malformed period: %d %s", code, errs)
	}
	// Clause 9: the send time can be neither in the future nor before the draft.
	for _, at := range []string{"2026-10-02T10:00:00+05:00", "9999-12-31T00:00:00Z", "2000-01-01T00:00:00Z", "2026-10-01T11:00:00+05:00"} {
		if code, _, errs := run(t, "letters", "send", "2026-09-v1", "--number", "07-1/245", "--at", at); code != 2 || !strings.Contains(errs, "--at") && !strings.Contains(errs, "at:") {
			t.Errorf("send --at %s: %d %s, want refused", at, code, errs)
		}
	}
	if code, _, errs := run(t, "letters", "send", "2026-09-v1"); code != 2 || !strings.Contains(errs, "--number") {
		t.Errorf("send without a number: %d %s", code, errs)
	}
	t.Setenv("QOLDAU_NOW", "2026-10-03T12:00:00+05:00")
	if code, out, errs := run(t, "letters", "send", "2026-09-v1", "--number", "07-1/245", "--at", "2026-10-02T10:00:00+05:00"); code != 0 || !strings.Contains(out, "correct by 2026-10-07") {
		t.Errorf("send: %d %s %s", code, out, errs)
	}
	if code, _, errs := run(t, "letters", "send", "2026-09-v9", "--number", "1"); code != 2 || !strings.Contains(errs, "no letter") {
		t.Errorf("send unknown: %d %s", code, errs)
	}
	code, out, _ = run(t, "status", "--period", "2026-09", "--json")
	var st struct {
		Due            string `json:"due"`
		Effective      string `json:"effective_deadline"`
		CountedVersion *int   `json:"counted_version"`
		CorrectionDue  string `json:"correction_due"`
		Rows           map[string]int
	}
	if err := json.Unmarshal([]byte(out), &st); code != 0 || err != nil || st.Due != "2026-10-01" || st.Effective != "2026-10-07" ||
		st.CountedVersion == nil || *st.CountedVersion != 1 || st.CorrectionDue != "2026-10-07" || st.Rows["received"] != 100 {
		t.Errorf("status: %d %v %s", code, err, out)
	}
}

// TestSamplePlant: --plant plants audit-lead patterns and says where; a bad
// pattern is refused.
func TestSamplePlant(t *testing.T) {
	dir := t.TempDir()
	reg := filepath.Join(dir, "planted.xlsx")
	code, out, errs := run(t, "sample", "--period", "2026-09", "--rows", "3000", "--seed", "4", "--plant", "all,shared-phone=2", "--out", reg)
	if code != 0 {
		t.Fatalf("sample --plant: %d %s", code, errs)
	}
	for _, want := range []string{"planted manager-load: ", "planted non-working-day: 3 rows", "planted shared-phone: 4 rows",
		"planted iin-many-names: 2 rows", "planted repeat-service: 2 rows", "planted spike: "} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in:\n%s", want, out)
		}
	}
	if n := strings.Count(out, "planted shared-phone"); n != 2 {
		t.Errorf("%d shared phones planted, want 2", n)
	}
	if code, _, errs := run(t, "sample", "--period", "2026-09", "--rows", "30", "--plant", "inflation", "--out", reg); code != 2 || !strings.Contains(errs, "unknown pattern") {
		t.Errorf("a bad pattern: %d %s", code, errs)
	}
}

// TestBackupCommands: backup writes an archive of the data folder, restore puts it
// into another (and never over data without --force).
func TestBackupCommands(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	t.Setenv("QOLDAU_NOW", "2026-10-01T12:00:00+05:00")
	reg := filepath.Join(dir, "r.xlsx")
	run(t, "sample", "--period", "2026-09", "--rows", "30", "--seed", "3", "--out", reg)
	if code, _, errs := run(t, "upload", "--data", data, "--period", "2026-09", reg); code > 1 {
		t.Fatalf("upload: %d %s", code, errs)
	}
	archive := filepath.Join(dir, "b.tar.gz")
	if code, out, errs := run(t, "backup", "--data", data, "--out", archive); code != 0 || !strings.Contains(out, "backup "+archive) {
		t.Fatalf("backup: %d %s %s", code, out, errs)
	}
	if code, _, errs := run(t, "backup", "--data", data, "--out", archive); code != 2 || !strings.Contains(errs, "exists already") {
		t.Errorf("backup over an archive: %d %s", code, errs)
	}
	other := filepath.Join(dir, "other")
	if code, out, errs := run(t, "restore", "--data", other, archive); code != 0 || !strings.Contains(out, "restored") {
		t.Fatalf("restore: %d %s %s", code, out, errs)
	}
	if code, out, _ := run(t, "status", "--data", other, "--period", "2026-09"); code != 0 || !strings.Contains(out, "v1") {
		t.Errorf("status of the restored store: %d %s", code, out)
	}
	if code, _, errs := run(t, "restore", "--data", other, archive); code != 2 || !strings.Contains(errs, "--force") {
		t.Errorf("restore over data: %d %s", code, errs)
	}
}

// TestExtremeTimesReadBack: a send in the year 9999 broke every view of the store
// (civil: "10000-01-05" is not YYYY-MM-DD). Every time is now refused outside the
// domain's range, and at both ends of that range (the clock at the first instant
// of 2019 and at the last of 8999) an upload, a letter sent and received, the
// status, the letters and a report all write and read back.
func TestExtremeTimesReadBack(t *testing.T) {
	for _, tt := range []struct{ now, period, received string }{
		{"2019-01-01T00:00:00+06:00", "2019-01", "2019-01-01T00:00:00+06:00"},
		{"8999-12-31T23:59:59+05:00", "8999-12", "8999-12-31T23:59:59+05:00"},
	} {
		t.Run(tt.period, func(t *testing.T) {
			dir := t.TempDir()
			t.Setenv("QOLDAU_DATA", filepath.Join(dir, "data"))
			t.Setenv("QOLDAU_NOW", tt.now)
			reg := filepath.Join(dir, "r.xlsx")
			if code, _, errs := run(t, "sample", "--period", tt.period, "--rows", "20", "--seed", "5", "--error-rate", "0.3", "--out", reg); code != 0 {
				t.Fatalf("sample: %s", errs)
			}
			steps := [][]string{
				{"upload", "--period", tt.period, "--received", tt.received, reg},
				{"letters", "send", tt.period + "-v1", "--number", "07-1/1", "--at", tt.now, "--received", tt.now},
				{"status", "--period", tt.period, "--json"},
				{"letters", "list", "--json"},
				{"diff", "--period", tt.period, "--json"},
				{"report", "build", "--period", tt.period, "--format", "json,xlsx", "--out", filepath.Join(dir, "out")},
			}
			for _, args := range steps {
				code, out, errs := run(t, args...)
				if code > 1 && !(args[0] == "diff" && strings.Contains(errs, "does not fit")) || strings.Contains(out+errs, "YYYY-MM-DD") {
					t.Errorf("%v: %d\n%s\n%s", args, code, out, errs)
				}
			}
			// Out of the range: refused, and nothing changes.
			for _, args := range [][]string{
				{"upload", "--period", tt.period, "--received", "9999-12-31T00:00:00Z", reg},
				{"upload", "--period", tt.period, "--received", "2018-12-31T12:00:00Z", reg},
				{"report", "submit", "--period", tt.period, "--at", "9999-12-31T00:00:00Z", "--letter-no", "1", "--reg-no", "2", "--media", "usb"},
			} {
				if code, _, errs := run(t, args...); code != 2 {
					t.Errorf("%v: %d %s, want refused", args, code, errs)
				}
			}
			if code, out, errs := run(t, "status", "--period", tt.period); code != 0 || !strings.Contains(out, "v1") {
				t.Errorf("status after the refusals: %d %s %s", code, out, errs)
			}
		})
	}
}
