package xlsx

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/qoldau/qoldau/shared/civil"
	"github.com/xuri/excelize/v2"
)

// trickyStrings must survive a write and a read unchanged.
var trickyStrings = []string{
	"Қазақстан Республикасы",
	"a&b <c> \"d\" 'e'",
	"  leading spaces",
	"trailing spaces  ",
	"\ttab",
	"line1\nline2",
	"cr\r\nlf\r",
	"ctrl \x01\x08\x0b\x0c\x1f end",
	"_x0041_ looks like an escape",
	"_x005F_",
	"__x00411_",
	"emoji 😀 and ё",
	"\uFFFE\uFFFF",
	"]]> <![CDATA[",
	"&amp; stays &amp;",
	"x",
}

func writeBook(t testing.TB, sheet string, rows [][]Value, setup func(*Writer)) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := NewWriter(&buf, sheet)
	if setup != nil {
		setup(w)
	}
	for _, r := range rows {
		if err := w.WriteRow(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func zipPart(t testing.TB, data []byte, name string) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	f, err := zr.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(f)
	return string(b)
}

func TestWriterRoundTrip(t *testing.T) {
	d1 := civil.D(2024, time.March, 15)
	d2 := civil.D(1900, time.January, 1)
	d3 := civil.D(1900, time.March, 1)
	rows := [][]Value{
		{Text("Name"), Text("IIN"), Text("Birth"), Text("Amount"), Text("Note")},
		{Text("Иванов Иван"), Text("012345678901"), DateOf(d1), Num(42), Text("Иванов Иван")},
		{},
		{Text("Әлия"), {}, DateOf(d2), Num(-0.25), {}, {}, Num(1e-5)},
		{Text(""), Num(123456789012), DateOf(d3), Num(1e20), Text("x")},
		{Num(math.Copysign(0, -1)), Num(4.5e3), Num(0.1), Num(1.0 / 3)},
	}
	for _, s := range trickyStrings {
		rows = append(rows, []Value{Text(s)})
	}
	data := writeBook(t, "Тізілім", rows, func(w *Writer) {
		w.SetColWidths([]float64{30, 0, 12})
		w.SetHeaderRows(1)
	})

	want := []row{
		{1, []Cell{str(0, "Name"), str(1, "IIN"), str(2, "Birth"), str(3, "Amount"), str(4, "Note")}},
		{2, []Cell{str(0, "Иванов Иван"), str(1, "012345678901"), date(2, strconv.Itoa(d1.Excel())), num(3, "42"), str(4, "Иванов Иван")}},
		{4, []Cell{str(0, "Әлия"), date(2, "1"), num(3, "-0.25"), num(6, "1E-05")}},
		{5, []Cell{num(1, "123456789012"), date(2, "61"), num(3, "1E+20"), str(4, "x")}},
		{6, []Cell{num(0, "0"), num(1, "4500"), num(2, "0.1"), num(3, "0.3333333333333333")}},
	}
	for i, s := range trickyStrings {
		want = append(want, row{7 + i, []Cell{str(0, s)}})
	}

	t.Run("our reader", func(t *testing.T) {
		wb, err := openBytes(data, Limits{})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]string{"Тізілім"}, wb.SheetNames()); diff != "" {
			t.Error(diff)
		}
		got, err := readSheet(t, wb, "")
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("rows (-want +got):\n%s", diff)
		}
	})

	t.Run("parts", func(t *testing.T) {
		sheet := zipPart(t, data, "xl/worksheets/sheet1.xml")
		wantDim := fmt.Sprintf(`<dimension ref="A1:G%d"/>`, 6+len(trickyStrings))
		if !strings.Contains(sheet, wantDim) {
			t.Errorf("sheet lacks %s", wantDim)
		}
		if !strings.Contains(sheet, `<cols><col min="1" max="1" width="30" customWidth="1"/><col min="3" max="3" width="12" customWidth="1"/></cols>`) {
			t.Errorf("column widths missing")
		}
		sst := zipPart(t, data, "xl/sharedStrings.xml")
		m := regexp.MustCompile(`count="(\d+)" uniqueCount="(\d+)"`).FindStringSubmatch(sst)
		if m == nil || m[1] != strconv.Itoa(10+len(trickyStrings)) || m[2] != strconv.Itoa(8+len(trickyStrings)) /* "x" is there twice */ {
			t.Errorf("sst counts %v", m)
		}
	})

	t.Run("excelize", func(t *testing.T) {
		f, err := excelize.OpenReader(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if got := f.GetSheetName(0); got != "Тізілім" {
			t.Errorf("sheet name %q", got)
		}
		dim, err := f.GetSheetDimension("Тізілім")
		if err != nil || dim != fmt.Sprintf("A1:G%d", 6+len(trickyStrings)) {
			t.Errorf("dimension %q, %v", dim, err)
		}
		for _, r := range want {
			for _, c := range r.Cells {
				ref := CellName(c.Col, r.Num)
				v, err := f.GetCellValue("Тізілім", ref, excelize.Options{RawCellValue: true})
				if err != nil {
					t.Fatal(err)
				}
				if v != c.Value {
					// excelize normalises raw numbers: compare as numbers.
					a, errA := strconv.ParseFloat(v, 64)
					b, errB := strconv.ParseFloat(c.Value, 64)
					if c.Type != Number || errA != nil || errB != nil || a != b {
						t.Errorf("%s: excelize reads %q, want %q", ref, v, c.Value)
					}
				}
			}
		}
		// A date cell is a date to excelize too.
		v, _ := f.GetCellValue("Тізілім", "C2")
		if v != "03-15-24" && v != "3/15/24" && v != "2024-03-15" {
			t.Errorf("C2 formatted as %q", v)
		}
	})
}

func TestWriterEmpty(t *testing.T) {
	data := writeBook(t, "", nil, nil)
	if sheet := zipPart(t, data, "xl/worksheets/sheet1.xml"); !strings.Contains(sheet, `<dimension ref="A1"/>`) {
		t.Errorf("dimension: %s", sheet)
	}
	wb, err := openBytes(data, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	rows, err := readSheet(t, wb, "Sheet1")
	if err != nil || len(rows) != 0 {
		t.Fatalf("%v %v", rows, err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
}

func TestWriterErrors(t *testing.T) {
	var buf bytes.Buffer
	w := NewWriter(&buf, "ok")
	if err := w.WriteRow([]Value{Num(1)}); err != nil {
		t.Fatal(err)
	}
	spool := w.tmp.Name()
	if err := w.WriteRow([]Value{Text("a"), Num(math.NaN())}); err == nil || !strings.Contains(err.Error(), "B2") {
		t.Errorf("NaN: %v", err)
	}
	if err := w.WriteRow([]Value{Num(math.Inf(1))}); err == nil {
		t.Error("Inf accepted")
	}
	if err := w.WriteRow([]Value{{Kind: 9}}); err == nil {
		t.Error("unknown kind accepted")
	}
	if err := w.WriteRow(make([]Value, excelMaxCols+1)); err == nil {
		t.Error("16,385 cells accepted")
	}
	if err := w.WriteRow([]Value{Num(2)}); err != nil { // still usable
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(spool); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("spool file left behind: %v", err)
	}
	if w.Close() == nil || w.WriteRow(nil) == nil {
		t.Error("use after Close accepted")
	}
	wb, err := openBytes(buf.Bytes(), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	rows, err := readSheet(t, wb, "")
	want := []row{{1, []Cell{num(0, "1")}}, {2, []Cell{num(0, "2")}}}
	if diff := cmp.Diff(want, rows); diff != "" || err != nil {
		t.Errorf("refused rows were written: %s %v", diff, err)
	}

	for _, name := range []string{"a/b", "x[1]", "what?", strings.Repeat("я", 32), "'quoted'"} {
		w := NewWriter(io.Discard, name)
		if w.WriteRow([]Value{Num(1)}) == nil || w.Close() == nil {
			t.Errorf("sheet name %q accepted", name)
		}
	}
	// A spool file is removed after a failed Close too.
	w = NewWriter(failingWriter{}, "s")
	w.WriteRow([]Value{Text("x")})
	spool = w.tmp.Name()
	if w.Close() == nil {
		t.Error("write error not reported")
	}
	if _, err := os.Stat(spool); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("spool file left behind: %v", err)
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errDisk }

func TestInterner(t *testing.T) {
	var in interner
	const n = 100000
	for round := 0; round < 2; round++ {
		for i := 0; i < n; i++ {
			idx, err := in.add(fmt.Sprint("s", i))
			if err != nil || idx != i {
				t.Fatalf("add(s%d) = %d, %v", i, idx, err)
			}
		}
	}
	if in.len() != n || in.get(12345) != "s12345" {
		t.Fatalf("len %d, get %q", in.len(), in.get(12345))
	}
	if idx, _ := in.add(""); idx != n {
		t.Fatalf("empty string: %d", idx)
	}
}

func TestAppendEscaped(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain", "plain"},
		{"a&b<c>d", "a&amp;b&lt;c&gt;d"},
		{"\r\n\t\x00\x1f", "_x000D_\n\t_x0000__x001F_"},
		{"_x0041_", "_x005F_x0041_"},
		{"_x41_", "_x41_"},
		{"\uFFFE\uFFFFё", "_xFFFE__xFFFF_ё"},
	}
	for _, tt := range tests {
		if got := string(appendEscaped(nil, tt.in)); got != tt.want {
			t.Errorf("appendEscaped(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
