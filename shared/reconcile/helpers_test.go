package reconcile

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/iin"
	"github.com/qoldau/qoldau/shared/refdata"
	"github.com/qoldau/qoldau/shared/xlsx"
)

// ruHeader, kkHeader and enHeader are act headers in the order of the fields.
var (
	ruHeader  = []string{"Номер акта", "Дата акта", "ИИН/БИН", "Услуга", "Подвид услуги", "Дата оказания услуги", "Способ подписания"}
	kkHeader  = []string{"Акт нөмірі", "Акт күні", "ЖСН/БСН", "Қызмет", "Қызметтің кіші түрі", "Қызмет көрсетілген күн", "Растау тәсілі"}
	enHeader  = []string{"Act number", "Act date", "IIN/BIN", "Service", "Service subtype", "Service date", "Confirmation"}
	keyHeader = []string{"act_number", "act_date", "bin_iin", "service", "service_subtype", "service_date", "confirmation"}
)

// validNumber completes 11 digits with their control digit, trying the serial part
// from start on until one has a control digit.
func validNumber(t testing.TB, prefix string, start int) string {
	t.Helper()
	for s := start; s < start+1000; s++ {
		first := prefix + fmt.Sprintf("%0*d", 11-len(prefix), s)
		if d, ok := iin.Checksum(first); ok {
			return first + string(d)
		}
	}
	t.Fatalf("no control digit for %s…", prefix)
	return ""
}

// testIIN is a valid IIN of a man born 1985-05-15; testBIN a valid resident BIN.
func testIIN(t testing.TB) string { return validNumber(t, "8505153", 1000) }
func testBIN(t testing.TB) string { return validNumber(t, "150340", 10000) }

func day(d int) civil.Date { return civil.D(2026, time.October, d) }

// line is a valid act line of October 2026, by field.
func line(t testing.TB) []xlsx.Value {
	return []xlsx.Value{
		fNumber:       xlsx.Text("А-17"),
		fActDate:      xlsx.DateOf(day(9)),
		fBinIIN:       xlsx.Text(testIIN(t)),
		fService:      xlsx.Text("Бухгалтерский учет и отчетность"),
		fSubtype:      {},
		fServiceDate:  xlsx.DateOf(day(7)),
		fConfirmation: xlsx.Text("ЭЦП"),
	}
}

// with returns a copy of vs with field f set to v.
func with(vs []xlsx.Value, f field, v xlsx.Value) []xlsx.Value {
	out := append([]xlsx.Value(nil), vs...)
	out[f] = v
	return out
}

func textRow(ss ...string) []xlsx.Value {
	vs := make([]xlsx.Value, len(ss))
	for i, s := range ss {
		vs[i] = xlsx.Text(s)
	}
	return vs
}

// book writes rows as an .xlsx workbook.
func book(t testing.TB, rows ...[]xlsx.Value) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := xlsx.NewWriter(&buf, "Акты")
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

// csvFile writes rows as a semicolon-separated CSV, dates as DD.MM.YYYY.
func csvFile(rows ...[]xlsx.Value) []byte {
	var b strings.Builder
	for _, r := range rows {
		for i, v := range r {
			if i > 0 {
				b.WriteByte(';')
			}
			switch v.Kind {
			case xlsx.TextValue:
				b.WriteString(v.Text)
			case xlsx.NumberValue:
				fmt.Fprint(&b, v.Number)
			case xlsx.DateValue:
				b.WriteString(v.Date.DMY())
			}
		}
		b.WriteByte('\n')
	}
	return []byte(b.String())
}

// received is when the tests' acts files arrive: after every date of line.
var received = time.Date(2026, time.December, 1, 10, 0, 0, 0, time.UTC)

func read(t testing.TB, b []byte, ref *refdata.Set) *ActsResult {
	t.Helper()
	res, err := ReadActs(bytes.NewReader(b), int64(len(b)), "acts.xlsx", "", received, ref, xlsx.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// codes lists a result's findings as "code/severity/cell".
func codes(res *ActsResult) []string {
	var out []string
	for _, f := range res.Findings {
		out = append(out, f.Code+"/"+string(f.Severity)+"/"+f.Cell)
	}
	return out
}

// fileCodes lists the file-level findings as "code/severity/field".
func fileCodes(res *ActsResult) []string {
	var out []string
	for _, f := range res.Findings {
		if f.Row == 0 {
			out = append(out, f.Code+"/"+string(f.Severity)+"/"+f.Field)
		}
	}
	return out
}
