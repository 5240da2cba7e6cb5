package sample_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/register"
	"github.com/qoldau/qoldau/shared/sample"
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
