package register

import (
	"bytes"
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/qoldau/qoldau/shared/qoldau"
	"github.com/qoldau/qoldau/shared/xlsx"
)

// wrongRegister writes a register of n rows, every row with three errors.
func wrongRegister(t *testing.T, n int) string {
	t.Helper()
	rows := [][]xlsx.Value{textRow(testHeader)}
	for i := range n {
		r := baseRow(t)
		r[FEmail] = xlsx.Text(fmt.Sprintf("client%d@mail", i)) // no domain
		r[FAge] = xlsx.Num(20)                                 // not the age by the birth date
		r[FGender] = xlsx.Text("?")
		rows = append(rows, rowValues(r))
	}
	return writeBook(t, rows...)
}

func heapInUse() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// TestFindingsOnDisk: the findings of a register with errors in every row were
// all held in memory (a 200,000-row register took 505 MB to validate); now a
// result holds its counts and the file-level findings, and the rest are read
// back from disk, in report order, as often as needed.
func TestFindingsOnDisk(t *testing.T) {
	const n = 8000
	path := wrongRegister(t, n)
	before := heapInUse()
	res := validate(t, path, octOpts())
	defer res.Close()
	held := int64(heapInUse()) - int64(before)
	if res.Rows.Rejected != n || res.Findings.Len() < 3*n {
		t.Fatalf("rows %+v, %d findings", res.Rows, res.Findings.Len())
	}
	// In memory the findings took about 600 bytes each (12 MB here).
	if held > 2<<20 {
		t.Errorf("a validated result holds %d KiB for %d findings", held>>10, res.Findings.Len())
	}
	// Report order: by row, then column; each finding once.
	prevRow, prevCol, count := 0, -1, 0
	err := res.Findings.Each(func(f *qoldau.Finding) error {
		col := xlsxCol(f.Column)
		if f.Row < prevRow || f.Row == prevRow && col < prevCol {
			return fmt.Errorf("finding %s %s after row %d column %d", f.Cell, f.Code, prevRow, prevCol)
		}
		prevRow, prevCol = f.Row, col
		count++
		return nil
	})
	if err != nil || count != res.Findings.Len() {
		t.Fatalf("Each: %v, %d findings of %d", err, count, res.Findings.Len())
	}
	// A page from the middle is the same as the walk's.
	page, err := res.Findings.Page(12001, 3)
	if err != nil || len(page) != 3 {
		t.Fatalf("Page: %v %d", err, len(page))
	}
	// The JSON report streams, and reads back the same.
	var b bytes.Buffer
	if err := res.WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	// Walked as it is read, in the same order, with the same page at offset 12,001; a
	// walk can stop.
	var stored []qoldau.Finding
	if err := EachStored(bytes.NewReader(b.Bytes()), func(f *qoldau.Finding) error {
		stored = append(stored, *f)
		return nil
	}); err != nil || len(stored) != res.Findings.Len() {
		t.Fatalf("EachStored: %v, %d findings of %d", err, len(stored), res.Findings.Len())
	}
	if diff := cmp.Diff(page, stored[12001:12004]); diff != "" {
		t.Errorf("EachStored at 12,001 (-want +got):\n%s", diff)
	}
	walked := 0
	if err := EachStored(bytes.NewReader(b.Bytes()), func(*qoldau.Finding) error { walked++; return ErrStop }); err != nil || walked != 1 {
		t.Errorf("EachStored stopped: %v after %d", err, walked)
	}
	back, err := ReadResult(&b)
	if err != nil {
		t.Fatal(err)
	}
	defer back.Close()
	if back.Findings.Len() != res.Findings.Len() || back.Rows != res.Rows || !cmp.Equal(back.Counts, res.Counts) || back.Sheet != res.Sheet || back.Sheet == "" {
		t.Fatalf("read back: %d findings %+v", back.Findings.Len(), back.Rows)
	}
	again, _ := back.Findings.Page(12001, 3)
	if diff := cmp.Diff(page, again); diff != "" {
		t.Errorf("page after reading back (-want +got):\n%s", diff)
	}
}

func xlsxCol(c string) int {
	n := 0
	for _, r := range strings.ToUpper(c) {
		n = n*26 + int(r-'A'+1)
	}
	return n - 1
}

// TestFindingsOrderWithLatePeriod: out-of-period errors found after the last row
// (the period chosen from the end dates) fall into their rows' places.
func TestFindingsOrderWithLatePeriod(t *testing.T) {
	var rows [][]xlsx.Value
	rows = append(rows, textRow(testHeader))
	for i := range 6 {
		r := baseRow(t)
		if i%2 == 1 {
			r[FEndDate] = date(2026, 9, 30) // another month than most
			r[FStartDate] = date(2026, 9, 1)
		}
		r[FEmail] = xlsx.Text("bad@mail")
		rows = append(rows, rowValues(r))
	}
	res := validate(t, writeBook(t, rows...), Options{Received: octOpts().Received})
	defer res.Close()
	var got []string
	res.Findings.Each(func(f *qoldau.Finding) error {
		got = append(got, f.Cell+" "+f.Code)
		return nil
	})
	for i := 1; i < len(got); i++ {
		var r1, r2 int
		var c1, c2 string
		fmt.Sscanf(strings.TrimLeft(got[i-1], "ABCDEFGHIJKLMNOPQRSTUVWXYZ"), "%d", &r1)
		fmt.Sscanf(strings.TrimLeft(got[i], "ABCDEFGHIJKLMNOPQRSTUVWXYZ"), "%d", &r2)
		c1, c2 = strings.TrimRight(strings.Fields(got[i-1])[0], "0123456789"), strings.TrimRight(strings.Fields(got[i])[0], "0123456789")
		if r2 < r1 || r2 == r1 && xlsxCol(c2) < xlsxCol(c1) {
			t.Errorf("out of order: %q before %q (all: %q)", got[i-1], got[i], got)
		}
	}
	if !strings.Contains(strings.Join(got, ","), "out-of-period") {
		t.Errorf("no out-of-period finding: %q", got)
	}
}

// TestFlaggedBounded: the flagged workbook marks the first MaxFlagged findings and
// says how many more the JSON report has, so writing it is bounded too.
func TestFlaggedBounded(t *testing.T) {
	defer func(n int) { maxFlagged = n }(maxFlagged)
	maxFlagged = 10
	path := wrongRegister(t, 20)
	res := validate(t, path, octOpts())
	defer res.Close()
	out := t.TempDir() + "/flagged.xlsx"
	if err := WriteFlagged(path, res, out); err != nil {
		t.Fatal(err)
	}
	errs := sheetText(t, out, ErrorsSheet("kk", "ru", "en"))
	if len(errs) != 1+10+1 {
		t.Fatalf("Errors sheet: %d rows, want the header, 10 findings and a note", len(errs))
	}
	note := strings.Join(errs[len(errs)-1], " ")
	if want := fmt.Sprint(res.Findings.Len()-10, " more findings"); !strings.Contains(note, want) {
		t.Errorf("last row %q does not say %q", note, want)
	}
}
