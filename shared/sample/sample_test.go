package sample_test

import (
	"bytes"
	"io"
	"maps"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/qoldau"
	"github.com/qoldau/qoldau/shared/register"
	"github.com/qoldau/qoldau/shared/sample"
	"github.com/qoldau/qoldau/shared/workday"
)

func TestSameSeedSameFile(t *testing.T) {
	opt := sample.Options{Period: civil.MonthOf(2026, 9), Rows: 500, Seed: 42, ErrorRate: 0.1}
	var a, b, c bytes.Buffer
	if _, err := sample.Write(&a, opt); err != nil {
		t.Fatal(err)
	}
	if _, err := sample.Write(&b, opt); err != nil {
		t.Fatal(err)
	}
	opt.Seed = 43
	if _, err := sample.Write(&c, opt); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("the same seed gave different files")
	}
	if bytes.Equal(a.Bytes(), c.Bytes()) {
		t.Error("another seed gave the same file")
	}
	// Shared strings, as Excel writes them, not inline strings.
	if !bytes.Contains(a.Bytes(), []byte("xl/sharedStrings.xml")) {
		t.Error("no shared strings table")
	}
}

// TestKnownFaults: a sample's faulty rows are exactly the rows validation rejects,
// and each injected fault is found under its own code.
func TestKnownFaults(t *testing.T) {
	for _, tt := range []struct {
		name string
		csv  bool
		lang string
	}{{"xlsx ru", false, "ru"}, {"xlsx kk", false, "kk"}, {"csv en", true, "en"}} {
		t.Run(tt.name, func(t *testing.T) {
			opt := sample.Options{Period: civil.MonthOf(2026, 9), Rows: 3000, Seed: 7, ErrorRate: 0.2, Lang: tt.lang}
			var buf bytes.Buffer
			var st sample.Stats
			var err error
			name := "s.xlsx"
			if tt.csv {
				st, err = sample.WriteCSV(&buf, opt)
				name = "s.csv"
			} else {
				st, err = sample.Write(&buf, opt)
			}
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(t.TempDir(), name)
			if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			res, err := register.ValidateFile(path, register.Options{Period: opt.Period, HasPeriod: true,
				Received: time.Date(2026, 10, 1, 12, 0, 0, 0, time.UTC)}, nil)
			if err != nil {
				t.Fatal(err)
			}
			if res.FileError || res.Rows.Read != st.Rows || res.Rows.Rejected != st.Faulty {
				t.Fatalf("rows %+v, want %d read and %d rejected (file error %v: %s)", res.Rows, st.Rows, st.Faulty, res.FileError, res.Reason())
			}
			if st.Faulty < 500 {
				t.Fatalf("only %d faulty rows", st.Faulty)
			}
			for f, n := range st.ByFault {
				if res.Counts[string(f)] < n {
					t.Errorf("fault %s injected %d times, found %d", f, n, res.Counts[string(f)])
				}
			}
			if res.Counts["no-contact"] != st.NoContact {
				t.Errorf("no-contact %d, want %d", res.Counts["no-contact"], st.NoContact)
			}
		})
	}
}

// validate writes opt as .xlsx, validates it and returns the rows and the result.
func validate(t *testing.T, opt sample.Options) (sample.Stats, []qoldau.Row, *register.Result) {
	t.Helper()
	var buf bytes.Buffer
	st, err := sample.Write(&buf, opt)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "s.xlsx")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	var rows []qoldau.Row
	y, m, _ := opt.Period.Add(1).First().Date()
	res, err := register.ValidateFile(path, register.Options{Period: opt.Period, HasPeriod: true,
		Received: time.Date(y, m, 1, 12, 0, 0, 0, time.UTC)}, func(r *qoldau.Row) { rows = append(rows, *r) })
	if err != nil {
		t.Fatal(err)
	}
	return st, rows, res
}

// TestRealistic: a clean sample is valid (no error, and no warning but no-contact),
// offline services fall on working days, managers render on average at most 8
// services a working day, and a client's IIN, birth date and phone agree in every
// row and every month.
func TestRealistic(t *testing.T) {
	cal := workday.Default()
	type who struct {
		birth  civil.Date
		mobile string
	}
	byIIN := map[string]who{}
	for i, m := range []time.Month{time.July, time.August} {
		p := civil.MonthOf(2026, m)
		st, rows, res := validate(t, sample.Options{Period: p, Rows: 20000, Seed: uint64(11 + i)})
		if res.Rows.Rejected != 0 || res.Rows.Read != st.Rows {
			t.Fatalf("%s: rows %+v, counts %v", p, res.Rows, res.Counts)
		}
		for code := range res.Counts {
			if code != "no-contact" {
				t.Errorf("%s: a clean sample has %d %s findings", p, res.Counts[code], code)
			}
		}
		work := 0
		for d := p.First(); d <= p.Last(); d = d.AddDays(1) {
			if cal.IsWorking(d) {
				work++
			}
		}
		perManager := map[string]int{}
		for _, r := range rows {
			perManager[r.Region+"|"+r.Manager]++
			if !r.Online && (!cal.IsWorking(r.StartDate) || !cal.IsWorking(r.EndDate)) {
				t.Errorf("%s row %d: an offline service on a day off (%s..%s)", p, r.Num, r.StartDate, r.EndDate)
			}
			if r.LegalForm == "ip" {
				w := who{r.BirthDate, r.Mobile}
				if old, ok := byIIN[r.BinIIN]; ok && old.birth != w.birth {
					t.Errorf("IIN of row %d has two birth dates", r.Num)
				}
				byIIN[r.BinIIN] = w
			}
		}
		if len(perManager) != st.Managers {
			t.Errorf("%s: %d managers in the rows, %d on staff", p, len(perManager), st.Managers)
		}
		if avg := float64(len(rows)) / float64(st.Managers) / float64(work); avg > 8 || avg < 2 {
			t.Errorf("%s: %.1f services per manager per working day, want 2 to 8", p, avg)
		}
	}
}

// TestPlant: planted patterns are written where Stats says, valid, and as asked.
func TestPlant(t *testing.T) {
	plant, err := sample.ParsePlant("all,manager-load=2")
	if err != nil {
		t.Fatal(err)
	}
	p := civil.MonthOf(2026, time.September)
	st, rows, res := validate(t, sample.Options{Period: p, Rows: 6000, Seed: 5, ErrorRate: 0.05, Plant: plant})
	byNum := map[int]*qoldau.Row{}
	for i := range rows {
		byNum[rows[i].Num] = &rows[i]
	}
	kinds := map[string]int{}
	for _, pl := range st.Planted {
		kinds[pl.Kind]++
		var got []*qoldau.Row
		for _, n := range pl.Rows {
			r := byNum[n]
			if r == nil || r.Errors > 0 {
				t.Fatalf("%s: planted row %d is missing or rejected", pl.Kind, n)
			}
			got = append(got, r)
		}
		switch pl.Kind {
		case sample.PlantManagerLoad:
			if len(got) < 24 {
				t.Errorf("manager-load: %d rows", len(got))
			}
			for _, r := range got {
				if r.Manager != pl.Subject || r.StartDate != pl.Date || r.Online {
					t.Errorf("manager-load row %d: %s %s online=%v", r.Num, r.Manager, r.StartDate, r.Online)
				}
			}
		case sample.PlantNonWorkingDay:
			if workday.Default().IsWorking(pl.Date) {
				t.Errorf("non-working-day planted on a working day %s", pl.Date)
			}
		case sample.PlantSharedPhone:
			clients := map[string]bool{}
			for _, r := range got {
				if r.Mobile != pl.Subject {
					t.Errorf("shared-phone row %d: %s", r.Num, r.Mobile)
				}
				clients[r.ClientKey] = true
			}
			if len(clients) != 4 {
				t.Errorf("shared-phone: %d clients", len(clients))
			}
		case sample.PlantIINManyNames:
			if len(got) != 2 || got[0].BinIIN != pl.Subject || got[1].BinIIN != pl.Subject || got[0].ClientName == got[1].ClientName {
				t.Errorf("iin-many-names rows: %+v", got)
			}
		case sample.PlantRepeatService:
			if len(got) != 2 || got[0].ClientKey != got[1].ClientKey || got[0].Service != got[1].Service ||
				got[0].StartDate != got[1].StartDate || got[0].EndDate == got[1].EndDate {
				t.Errorf("repeat-service rows: %+v", got)
			}
		case sample.PlantSpike:
			if len(got) < 50 {
				t.Errorf("spike: %d rows", len(got))
			}
		}
	}
	want := map[string]int{"manager-load": 2, "non-working-day": 1, "shared-phone": 1, "iin-many-names": 1, "repeat-service": 1, "spike": 1}
	if !maps.Equal(kinds, want) {
		t.Errorf("planted %v, want %v", kinds, want)
	}
	if res.Rows.Rejected != st.Faulty {
		t.Errorf("rejected %d, faulty %d", res.Rows.Rejected, st.Faulty)
	}
	if _, err := sample.ParsePlant("manager-load=x"); err == nil {
		t.Error("a bad count is accepted")
	}
	if _, err := sample.ParsePlant("inflation"); err == nil {
		t.Error("an unknown pattern is accepted")
	}
}

// TestRows: the validated rows of a sample are its rows, the faulty ones rejected.
func TestRows(t *testing.T) {
	opt := sample.Options{Period: civil.MonthOf(2026, time.September), Rows: 400, Seed: 5, ErrorRate: 0.1}
	st, err := sample.WriteCSV(io.Discard, opt)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := sample.Rows(opt)
	if err != nil {
		t.Fatal(err)
	}
	rejected := 0
	for _, r := range rows {
		if r.Rejected() {
			rejected++
		}
	}
	if len(rows) != opt.Rows || rejected != st.Faulty || st.Faulty == 0 {
		t.Errorf("%d rows, %d rejected; want %d rows, %d rejected (the faulty ones)", len(rows), rejected, opt.Rows, st.Faulty)
	}
}
