package register

import (
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/qoldau"
	"github.com/qoldau/qoldau/shared/xlsx"
)

// brief is a finding reduced to what a row-check test asserts.
type brief struct {
	Code, Sev, Cell string
}

func briefs(fs []qoldau.Finding) []brief {
	out := []brief{}
	for _, f := range fs {
		out = append(out, brief{f.Code, string(f.Severity), f.Cell})
	}
	sort.Slice(out, func(i, j int) bool { return fmt.Sprint(out[i]) < fmt.Sprint(out[j]) })
	return out
}

func e(code, cell string) brief { return brief{code, "error", cell} }
func w(code, cell string) brief { return brief{code, "warning", cell} }

// TestRowChecks has, for every row-level code (docs/rules.md, "Checks"), a row that
// triggers it and a row that just misses it. The row sits on Excel row 2, under the
// header.
func TestRowChecks(t *testing.T) {
	bin := validBIN(t)
	iinv := validIIN(t)
	badSum := iinv[:11] + string('0'+(iinv[11]-'0'+1)%10)
	tests := []struct {
		name   string
		change func(m map[Field]xlsx.Value)
		opt    func(o *Options)
		want   []brief
	}{
		{name: "clean row", want: []brief{}},
		{name: "required-missing", change: func(m map[Field]xlsx.Value) { delete(m, FSettlement) },
			want: []brief{e("required-missing", "B2")}},
		{name: "required-missing: spaces only", change: func(m map[Field]xlsx.Value) { m[FManagerName] = xlsx.Text("   ") },
			want: []brief{e("required-missing", "Q2")}},
		{name: "subtype is optional", change: func(m map[Field]xlsx.Value) { delete(m, FServiceSubtype) }, want: []brief{}},
		{name: "type-error: two-digit year", change: func(m map[Field]xlsx.Value) { m[FBirthDate] = xlsx.Text("15.05.85") },
			want: []brief{e("type-error", "H2")}},
		{name: "type-error just missed: text date DD.MM.YYYY", change: func(m map[Field]xlsx.Value) { m[FBirthDate] = xlsx.Text("15.05.1985") },
			want: []brief{}},
		{name: "text dates D.M.YYYY, ISO, DD/MM/YYYY", change: func(m map[Field]xlsx.Value) {
			m[FBirthDate] = xlsx.Text("15.5.1985")
			m[FStartDate] = xlsx.Text("2026-10-05")
			m[FEndDate] = xlsx.Text("07/10/2026")
		}, want: []brief{}},
		{name: "a plain number is a serial (1C)", change: func(m map[Field]xlsx.Value) {
			m[FEndDate] = xlsx.Num(float64(civil.D(2026, 10, 7).Excel()))
		}, want: []brief{}},
		{name: "type-error: not a date", change: func(m map[Field]xlsx.Value) { m[FStartDate] = xlsx.Text("вчера") },
			want: []brief{e("type-error", "R2")}},
		{name: "type-error: impossible date", change: func(m map[Field]xlsx.Value) { m[FEndDate] = xlsx.Text("31.09.2026") },
			want: []brief{e("type-error", "S2")}},
		{name: "type-error: serial out of range", change: func(m map[Field]xlsx.Value) { m[FEndDate] = xlsx.Num(73052) },
			want: []brief{e("type-error", "S2")}},
		{name: "type-error: age with a fraction", change: func(m map[Field]xlsx.Value) { m[FAge] = xlsx.Num(41.5) },
			want: []brief{e("type-error", "I2")}},
		{name: "age as text digits", change: func(m map[Field]xlsx.Value) { m[FAge] = xlsx.Text("41") }, want: []brief{}},
		{name: "unknown-value: region", change: func(m map[Field]xlsx.Value) { m[FRegion] = xlsx.Text("Московская область") },
			want: []brief{e("unknown-value", "A2")}},
		{name: "region by code and short form", change: func(m map[Field]xlsx.Value) { m[FRegion] = xlsx.Text("Карагандинская обл.") },
			want: []brief{}},
		{name: "unknown-value: Abai region before 2022-06-08", change: func(m map[Field]xlsx.Value) {
			m[FRegion] = xlsx.Text("область Абай")
			m[FStartDate], m[FEndDate], m[FAge] = date(2022, 5, 30), date(2022, 6, 7), xlsx.Num(37)
		}, opt: func(o *Options) { o.Period = civil.MonthOf(2022, 6) },
			want: []brief{e("unknown-value", "A2")}},
		{name: "Abai region on 2022-06-08", change: func(m map[Field]xlsx.Value) {
			m[FRegion] = xlsx.Text("область Абай")
			m[FStartDate], m[FEndDate], m[FAge] = date(2022, 6, 8), date(2022, 6, 8), xlsx.Num(37)
		}, opt: func(o *Options) { o.Period = civil.MonthOf(2022, 6) }, want: []brief{}},
		{name: "unknown-value: place", change: func(m map[Field]xlsx.Value) { m[FServicePlace] = xlsx.Text("Кафе у дома") },
			want: []brief{e("unknown-value", "C2")}},
		{name: "unknown-value: gender", change: func(m map[Field]xlsx.Value) { m[FGender] = xlsx.Text("x") },
			want: []brief{e("unknown-value", "G2")}},
		{name: "gender in Kazakh", change: func(m map[Field]xlsx.Value) { m[FGender] = xlsx.Text("Ер") }, want: []brief{}},
		{name: "unknown-value: disability", change: func(m map[Field]xlsx.Value) { m[FDisability] = xlsx.Text("возможно") },
			want: []brief{e("unknown-value", "J2")}},
		{name: "disability group counts as yes", change: func(m map[Field]xlsx.Value) { m[FDisability] = xlsx.Text("II группа") },
			want: []brief{}},
		{name: "unknown-value: legal form", change: func(m map[Field]xlsx.Value) { m[FLegalForm] = xlsx.Text("ООО") },
			want: []brief{e("unknown-value", "K2")}},
		{name: "unknown-value: category", change: func(m map[Field]xlsx.Value) { m[FCategory] = xlsx.Text("гигант") },
			want: []brief{e("unknown-value", "L2")}},
		{name: "unknown-value: OKED section", change: func(m map[Field]xlsx.Value) { m[FOKEDSection] = xlsx.Text("Z") },
			want: []brief{e("unknown-value", "M2")}},
		{name: "unknown-value: OKED division that does not exist", change: func(m map[Field]xlsx.Value) { m[FOKEDCode] = xlsx.Text("04.11") },
			want: []brief{e("unknown-value", "N2")}},
		{name: "unknown-value: OKED code of 6 digits", change: func(m map[Field]xlsx.Value) { m[FOKEDCode] = xlsx.Text("47.11.01") },
			want: []brief{e("unknown-value", "N2")}},
		{name: "OKED code forms 47, 47.1, 47.11.0 and a number cell", change: func(m map[Field]xlsx.Value) { m[FOKEDCode] = xlsx.Num(47.1) },
			want: []brief{}},
		{name: "unknown-value: service", change: func(m map[Field]xlsx.Value) { m[FService] = xlsx.Text("Стрижка") },
			want: []brief{e("unknown-value", "O2")}},
		{name: "bin-iin-format: 11 digits", change: func(m map[Field]xlsx.Value) { m[FBinIIN] = xlsx.Text(iinv[:11]) },
			want: []brief{e("bin-iin-format", "F2")}},
		{name: "bin-iin-format: Excel dropped a leading zero", change: func(m map[Field]xlsx.Value) {
			m[FBinIIN] = xlsx.Num(61211600012)
			m[FLegalForm] = xlsx.Text("ТОО")
		}, want: []brief{e("bin-iin-format", "F2")}},
		{name: "12 digits with spaces, and a 12-digit number cell", change: func(m map[Field]xlsx.Value) {
			m[FBinIIN] = xlsx.Text(bin[:4] + " " + bin[4:8] + " " + bin[8:])
			m[FLegalForm] = xlsx.Text("ТОО")
		}, want: []brief{}},
		{name: "bin-iin-format: impossible birth date", change: func(m map[Field]xlsx.Value) {
			m[FBinIIN] = xlsx.Text(withCheck(t, "85023030001"))
		}, want: []brief{e("bin-iin-format", "F2")}},
		{name: "bin-iin-checksum", change: func(m map[Field]xlsx.Value) { m[FBinIIN] = xlsx.Text(badSum) },
			want: []brief{e("bin-iin-checksum", "F2")}},
		{name: "bin-iin-kind: a partnership with an IIN", change: func(m map[Field]xlsx.Value) { m[FLegalForm] = xlsx.Text("ТОО") },
			want: []brief{e("bin-iin-kind", "F2")}},
		{name: "bin-iin-kind just missed: a partnership with a BIN", change: func(m map[Field]xlsx.Value) {
			m[FLegalForm], m[FBinIIN] = xlsx.Text("ЖШС"), xlsx.Text(bin)
		}, want: []brief{}},
		{name: "bin-iin-kind: an entrepreneur with a BIN", change: func(m map[Field]xlsx.Value) { m[FBinIIN] = xlsx.Text(bin) },
			want: []brief{e("bin-iin-kind", "F2")}},
		{name: "iin-birth-date", change: func(m map[Field]xlsx.Value) { m[FBirthDate] = date(1985, 5, 16) },
			want: []brief{w("iin-birth-date", "F2")}},
		{name: "iin-gender", change: func(m map[Field]xlsx.Value) { m[FGender] = xlsx.Text("женский") },
			want: []brief{w("iin-gender", "F2")}},
		{name: "age-mismatch by 2 is an error", change: func(m map[Field]xlsx.Value) { m[FAge] = xlsx.Num(43) },
			want: []brief{e("age-mismatch", "I2")}},
		{name: "age-mismatch by 1 is a warning", change: func(m map[Field]xlsx.Value) { m[FAge] = xlsx.Num(40) },
			want: []brief{w("age-mismatch", "I2")}},
		{name: "age-range: 13", change: func(m map[Field]xlsx.Value) {
			m[FLegalForm], m[FBinIIN] = xlsx.Text("ТОО"), xlsx.Text(bin)
			m[FBirthDate], m[FAge] = date(2012, 10, 6), xlsx.Num(13)
		}, want: []brief{e("age-range", "H2")}},
		{name: "age-range just missed: 14 today", change: func(m map[Field]xlsx.Value) {
			m[FLegalForm], m[FBinIIN] = xlsx.Text("ТОО"), xlsx.Text(bin)
			m[FBirthDate], m[FAge] = date(2012, 10, 5), xlsx.Num(14)
		}, want: []brief{}},
		{name: "age-range: 101", change: func(m map[Field]xlsx.Value) {
			m[FLegalForm], m[FBinIIN] = xlsx.Text("ТОО"), xlsx.Text(bin)
			m[FBirthDate], m[FAge] = date(1925, 10, 4), xlsx.Num(101)
		}, want: []brief{e("age-range", "H2")}},
		{name: "date-order: end before start", change: func(m map[Field]xlsx.Value) { m[FEndDate] = date(2026, 10, 4) },
			want: []brief{e("date-order", "S2")}},
		{name: "date-order just missed: same day", change: func(m map[Field]xlsx.Value) { m[FEndDate] = date(2026, 10, 5) },
			want: []brief{}},
		{name: "date-order: born after the start", change: func(m map[Field]xlsx.Value) {
			m[FLegalForm], m[FBinIIN] = xlsx.Text("ТОО"), xlsx.Text(bin)
			m[FBirthDate] = date(2026, 10, 6)
		}, want: []brief{e("date-order", "H2"), e("age-mismatch", "I2")}[:1]},
		{name: "out-of-period", change: func(m map[Field]xlsx.Value) {
			m[FStartDate], m[FEndDate] = date(2026, 9, 28), date(2026, 9, 30)
		}, want: []brief{e("out-of-period", "S2")}},
		{name: "out-of-period just missed: last day", change: func(m map[Field]xlsx.Value) { m[FEndDate] = date(2026, 10, 31) },
			want: []brief{}},
		{name: "future-date", change: func(m map[Field]xlsx.Value) {
			m[FStartDate], m[FEndDate] = date(2026, 11, 2), date(2026, 11, 3)
		}, opt: func(o *Options) { o.Period = civil.MonthOf(2026, 11) }, want: []brief{e("future-date", "S2")}},
		{name: "future-date just missed: the day received", change: func(m map[Field]xlsx.Value) {
			m[FStartDate], m[FEndDate] = date(2026, 11, 2), date(2026, 11, 2)
		}, opt: func(o *Options) { o.Period = civil.MonthOf(2026, 11) }, want: []brief{}},
		{name: "not-smb", change: func(m map[Field]xlsx.Value) {
			m[FCategory] = xlsx.Text("Крупное предпринимательство")
		},
			want: []brief{e("not-smb", "L2")}},
		{name: "oked-mismatch", change: func(m map[Field]xlsx.Value) { m[FOKEDSection] = xlsx.Text("A") },
			want: []brief{e("oked-mismatch", "N2")}},
		{name: "phone-format: mobile with a city code", change: func(m map[Field]xlsx.Value) { m[FMobilePhone] = xlsx.Text("+7 (7212) 41-22-33") },
			want: []brief{e("phone-format", "U2")}},
		{name: "mobile forms 8…, 7…, 10 digits and a number cell", change: func(m map[Field]xlsx.Value) {
			m[FMobilePhone] = xlsx.Num(87011234567)
			m[FWorkPhone] = xlsx.Text("8 (7212) 41-22-33")
		}, want: []brief{}},
		{name: "phone-format: work phone too short", change: func(m map[Field]xlsx.Value) { m[FWorkPhone] = xlsx.Text("41-22-33") },
			want: []brief{e("phone-format", "T2")}},
		{name: "email-format", change: func(m map[Field]xlsx.Value) { m[FEmail] = xlsx.Text("ahmetov@mail") },
			want: []brief{e("email-format", "V2")}},
		{name: "email-format: two @", change: func(m map[Field]xlsx.Value) { m[FEmail] = xlsx.Text("a@b@mail.kz") },
			want: []brief{e("email-format", "V2")}},
		{name: "no-contact", change: func(m map[Field]xlsx.Value) { delete(m, FMobilePhone); delete(m, FEmail) },
			want: []brief{w("no-contact", "U2")}},
		{name: "no-contact just missed: a work phone", change: func(m map[Field]xlsx.Value) {
			delete(m, FMobilePhone)
			delete(m, FEmail)
			m[FWorkPhone] = xlsx.Text("87212412233")
		}, want: []brief{}},
		{name: "name-format: one word", change: func(m map[Field]xlsx.Value) { m[FClientName] = xlsx.Text("Ахметов") },
			want: []brief{e("name-format", "E2")}},
		{name: "name-format: initials with dots", change: func(m map[Field]xlsx.Value) { m[FManagerName] = xlsx.Text("Иванова Е.П.") },
			want: []brief{e("name-format", "Q2")}},
		{name: "names with hyphens, apostrophes, Latin", change: func(m map[Field]xlsx.Value) {
			m[FClientName] = xlsx.Text("Ахметов-Сейткали Ержан")
			m[FManagerName] = xlsx.Text("O'Brien John")
		}, want: []brief{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := baseRow(t)
			if tt.change != nil {
				tt.change(m)
			}
			opt := octOpts()
			if tt.opt != nil {
				tt.opt(&opt)
			}
			path := writeBook(t, textRow(testHeader), rowValues(m))
			res := validate(t, path, opt)
			if diff := cmp.Diff(tt.want, briefs(all(t, res))); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
				for _, f := range all(t, res) {
					t.Logf("%s %s %s: %s", f.Cell, f.Code, f.Value, f.Message.EN)
				}
			}
			rejected := 0
			for _, b := range tt.want {
				if b.Sev == "error" {
					rejected = 1
				}
			}
			if res.Rows.Read != 1 || res.Rows.Rejected != rejected {
				t.Errorf("rows = %+v, want 1 read, %d rejected", res.Rows, rejected)
			}
		})
	}
}

func TestDuplicateRow(t *testing.T) {
	m := baseRow(t)
	other := baseRow(t)
	other[FClientName] = xlsx.Text("АХМЕТОВ  ержан серікұлы") // the same client, written otherwise
	third := baseRow(t)
	third[FEndDate] = date(2026, 10, 8) // another service
	path := writeBook(t, textRow(testHeader), rowValues(m), rowValues(third), rowValues(other))
	res := validate(t, path, octOpts())
	want := []brief{e("duplicate-row", "F4")}
	if diff := cmp.Diff(want, briefs(all(t, res))); diff != "" {
		t.Fatalf("findings (-want +got):\n%s", diff)
	}
	if !strings.Contains(all(t, res)[0].Message.EN, "row 2") {
		t.Errorf("message %q does not name the earlier row 2", all(t, res)[0].Message.EN)
	}
	if got := (qoldau.RowCounts{Read: 3, Accepted: 2, Rejected: 1}); res.Rows != got {
		t.Errorf("rows = %+v, want %+v", res.Rows, got)
	}
}

func TestFindingCarriesEverything(t *testing.T) {
	m := baseRow(t)
	m[FEmail] = xlsx.Text("ahmetov@mail")
	res := validate(t, writeBook(t, textRow(testHeader), rowValues(m)), octOpts())
	want := qoldau.Finding{Code: "email-format", Severity: qoldau.SevError, Row: 2, Column: "V", Cell: "V2",
		Field: "email", Value: "ahmetov@mail", Message: qoldau.Text{
			KK: "V2: электрондық пошта мекенжайы қате.",
			RU: "V2: неверный адрес электронной почты.",
			EN: "V2: not a valid e-mail address."}}
	if diff := cmp.Diff([]qoldau.Finding{want}, all(t, res)); diff != "" {
		t.Fatalf("(-want +got):\n%s", diff)
	}
}

func TestPeriodGuessed(t *testing.T) {
	a, b, c := baseRow(t), baseRow(t), baseRow(t)
	b[FEndDate] = date(2026, 10, 20)
	c[FStartDate], c[FEndDate] = date(2026, 9, 28), date(2026, 9, 29)
	opt := octOpts()
	opt.HasPeriod = false
	res := validate(t, writeBook(t, textRow(testHeader), rowValues(a), rowValues(b), rowValues(c)), opt)
	if res.Period != "2026-10" || !res.PeriodGuessed {
		t.Errorf("period = %q guessed %v, want 2026-10 guessed", res.Period, res.PeriodGuessed)
	}
	if diff := cmp.Diff([]brief{e("out-of-period", "S4")}, briefs(all(t, res))); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if res.Rows.Rejected != 1 || res.Rows.Accepted != 2 {
		t.Errorf("rows = %+v", res.Rows)
	}
}

func TestRowsPassedToCallback(t *testing.T) {
	m := baseRow(t)
	var got []qoldau.Row
	path := writeBook(t, textRow(testHeader), rowValues(m))
	_, err := ValidateFile(path, octOpts(), func(r *qoldau.Row) { got = append(got, *r) })
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 {
		t.Fatalf("%d rows", len(got))
	}
	r := got[0]
	want := qoldau.Row{Num: 2, Region: "350000000", Settlement: "г. Караганда", Place: "service_center", Centre: "г. Караганда",
		Enterprise: "ИП «Ахметов»", ClientName: "Ахметов Ержан Серікұлы", BinIIN: validIIN(t), Gender: "male",
		BirthDate: civil.D(1985, 5, 15), Age: 41, LegalForm: "ip", Category: "micro", OKEDSection: "G", OKEDCode: "47.11",
		Service: "accounting", Manager: "Иванова Елена Петровна", StartDate: civil.D(2026, 10, 5), EndDate: civil.D(2026, 10, 7),
		Mobile: "+77011234567", Email: "ahmetov@mail.kz", ClientKey: "АХМЕТОВ ЕРЖАН СЕРІКҰЛЫ|1985-05-15", EnterpriseKey: validIIN(t)}
	if diff := cmp.Diff(want, r); diff != "" {
		t.Errorf("row (-want +got):\n%s", diff)
	}
	_ = time.Now
}
