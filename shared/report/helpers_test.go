package report_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/dirblob"
	"github.com/qoldau/qoldau/shared/iin"
	"github.com/qoldau/qoldau/shared/report"
	"github.com/qoldau/qoldau/shared/secret"
	"github.com/qoldau/qoldau/shared/sqlite"
	"github.com/qoldau/qoldau/shared/workday"
	"github.com/qoldau/qoldau/shared/workflow"
)

// harness is a workflow on an embedded store in a temporary folder, with a clock
// the test moves.
type harness struct {
	t     *testing.T
	dir   string
	svc   *workflow.Service
	store *sqlite.Store
	now   time.Time
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	dir := t.TempDir()
	store, err := sqlite.Open(context.Background(), filepath.Join(dir, "qoldau.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	blobs, err := dirblob.New(filepath.Join(dir, "files"))
	if err != nil {
		t.Fatal(err)
	}
	h := &harness{t: t, dir: dir, store: store}
	h.svc = workflow.New(store, blobs)
	h.svc.Clock = func() time.Time { return h.now }
	return h
}

// at sets the clock to an Almaty wall time "2006-01-02 15:04".
func (h *harness) at(s string) time.Time {
	h.t.Helper()
	t, err := time.ParseInLocation("2006-01-02 15:04", s, workday.Almaty())
	if err != nil {
		h.t.Fatal(err)
	}
	h.now = t
	return t
}

func month(s string) civil.Month {
	m, err := civil.ParseMonth(s)
	if err != nil {
		panic(err)
	}
	return m
}

// person is a made-up client.
type person struct {
	name  string
	birth string // DD.MM.YYYY
	male  bool
}

// iinOf returns a valid IIN for the person, serial n.
func iinOf(p person, n int) string {
	d, err := civil.Parse(p.birth[6:] + "-" + p.birth[3:5] + "-" + p.birth[:2])
	if err != nil {
		panic(err)
	}
	y, m, day := d.Date()
	c := 3
	if y >= 2000 {
		c = 5
	}
	if !p.male {
		c++
	}
	for ; ; n++ {
		s := fmt.Sprintf("%02d%02d%02d%d%04d", y%100, int(m), day, c, n%10000)
		if cd, ok := iin.Checksum(s); ok {
			return s + string(cd)
		}
	}
}

// binOf returns a valid BIN of a legal entity registered in 2015, serial n.
func binOf(n int) string {
	for ; ; n++ {
		s := fmt.Sprintf("150340%05d", n%100000)
		if cd, ok := iin.Checksum(s); ok {
			return s + string(cd)
		}
	}
}

// row is one register row in the CSV's column order (see header).
type row struct {
	region, place, enterprise string
	who                       person
	binIIN                    string
	disability                string
	form, category            string
	section, oked             string
	service                   string
	start, end                string // DD.MM.YYYY
	mobile                    string
}

var header = []string{"region", "settlement", "service_place", "enterprise_name", "client_name", "bin_iin", "gender",
	"birth_date", "age", "disability", "legal_form", "category", "oked_section", "oked_code", "service",
	"service_subtype", "manager_name", "start_date", "end_date", "work_phone", "mobile_phone", "email"}

// register writes rows as a CSV register and returns its path.
func (h *harness) register(name string, rows []row) string {
	h.t.Helper()
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Comma = ';'
	w.Write(header)
	for _, r := range rows {
		gender := "женский"
		if r.who.male {
			gender = "мужской"
		}
		birth, _ := civil.Parse(r.who.birth[6:] + "-" + r.who.birth[3:5] + "-" + r.who.birth[:2])
		start, _ := civil.Parse(r.start[6:] + "-" + r.start[3:5] + "-" + r.start[:2])
		mobile := r.mobile
		if mobile == "" {
			mobile = "+7 701 555 12 34"
		}
		w.Write([]string{r.region, "Алматы", r.place, r.enterprise, r.who.name, r.binIIN, gender, r.who.birth,
			fmt.Sprint(civil.YearsBetween(birth, start)), r.disability, r.form, r.category, r.section, r.oked, r.service,
			"", "Жұмабаев Ерлан Сәкенұлы", r.start, r.end, "", mobile, ""})
	}
	w.Flush()
	p := filepath.Join(h.t.TempDir(), name+".csv")
	if err := os.WriteFile(p, b.Bytes(), 0o644); err != nil {
		h.t.Fatal(err)
	}
	return p
}

// upload uploads a register at the clock's time.
func (h *harness) upload(period, path string) *workflow.UploadResult {
	h.t.Helper()
	res, err := h.svc.Upload(context.Background(), workflow.UploadRequest{Period: month(period), Path: path, Actor: "operator"})
	if err != nil {
		h.t.Fatal(err)
	}
	if res.FileError {
		h.t.Fatalf("register %s: %s", period, res.Result.Reason())
	}
	return res
}

// acts imports act lines "number;act_date;bin_iin;service;service_date;confirmation".
func (h *harness) acts(lines ...string) {
	h.t.Helper()
	p := filepath.Join(h.t.TempDir(), "acts.csv")
	text := "act_number;act_date;bin_iin;service;service_date;confirmation\n" + strings.Join(lines, "\n") + "\n"
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		h.t.Fatal(err)
	}
	res, err := h.svc.ImportActs(context.Background(), p, "", time.Time{}, "agency")
	if err != nil {
		h.t.Fatal(err)
	}
	if res.FileError || res.Rejected > 0 {
		h.t.Fatalf("acts: %+v", res.Findings)
	}
}

// build builds the report of a period at the clock's time.
func (h *harness) build(period string) *report.Report {
	h.t.Helper()
	p, err := report.ParsePeriod(period)
	if err != nil {
		h.t.Fatal(err)
	}
	r, err := report.Build(context.Background(), h.svc, report.Options{Keys: testKeys, Period: p})
	if err != nil {
		h.t.Fatal(err)
	}
	return r
}

// cells returns a table as region → column → count, zero cells left out, the
// total row under "total".
func cells(t *report.Table, regions []string) map[string]map[string]int {
	out := map[string]map[string]int{}
	put := func(reg string, row []int) {
		for j, n := range row {
			if n == 0 {
				continue
			}
			if out[reg] == nil {
				out[reg] = map[string]int{}
			}
			out[reg][t.Columns[j]] = n
		}
	}
	for i, reg := range regions {
		put(reg, t.Cells[i])
	}
	put("total", t.Total)
	return out
}

// testKeys is a fixed deployment key, so pseudonymous ids in golden files are stable.
var testKeys = func() *secret.Key {
	k, err := secret.New([]byte("qoldau-test-key-0123456789abcdef-not-secret"))
	if err != nil {
		panic(err)
	}
	return k
}()
