package reconcile

import (
	"bytes"
	"testing"
	"testing/fstest"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/qoldau"
	"github.com/qoldau/qoldau/shared/refdata"
	"github.com/qoldau/qoldau/shared/xlsx"
)

func TestHeaderLanguages(t *testing.T) {
	iinNo := testIIN(t)
	for _, tt := range []struct {
		name   string
		header []string
	}{
		{"ru", ruHeader}, {"kk", kkHeader}, {"en", enHeader}, {"keys", keyHeader},
		{"ru variants", []string{"№ акта", "ДАТА АКТА", "БИН / ИИН", "Наименование услуги", "Подвид", "Дата услуги", "Подтверждение"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			for _, kind := range []string{"xlsx", "csv"} {
				rows := [][]xlsx.Value{textRow("Акты выполненных работ за октябрь 2026"), textRow(tt.header...), line(t)}
				b := book(t, rows...)
				if kind == "csv" {
					b = csvFile(rows...)
				}
				res := read(t, b, nil)
				if len(res.Findings) != 0 || res.ExitCode() != 0 || res.Kind != kind {
					t.Fatalf("%s: kind %q, exit %d, findings %v", kind, res.Kind, res.ExitCode(), codes(res))
				}
				want := []qoldau.Act{{Number: "А-17", Date: day(9), BinIIN: iinNo, Service: "accounting",
					ServiceDate: day(7), Confirmation: "eds", Source: res.SHA256, Line: 3}}
				if diff := cmp.Diff(want, res.Acts); diff != "" {
					t.Errorf("%s: acts (-want +got):\n%s", kind, diff)
				}
			}
		})
	}
}

// subtypeRef is a reference set whose accounting service lists subtypes.
func subtypeRef(t *testing.T) *refdata.Set {
	t.Helper()
	s, err := refdata.Load(fstest.MapFS{"service_subtypes.csv": {Data: []byte(
		"service,code,kk,ru,en,aliases\n" +
			"accounting,setup,Есепті қою,Постановка учета,Accounting setup,постановка\n" +
			"accounting,reports,Есептілік,Сдача отчетности,Filing reports,\n")}})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestLineChecks(t *testing.T) {
	base := line(t)
	iinNo := testIIN(t)
	badSum := iinNo[:11] + string('0'+(iinNo[11]-'0'+1)%10)
	tests := []struct {
		name string
		line []xlsx.Value
		sub  bool // use the reference set with subtypes
		want []string
		act  func(a *qoldau.Act) // the stored act, when the line is valid
	}{
		{name: "valid", line: base},
		{name: "required-missing", line: with(base, fNumber, xlsx.Value{}), want: []string{"required-missing/error/A2"}},
		{name: "required-missing: spaces only", line: with(base, fConfirmation, xlsx.Text("  ")), want: []string{"required-missing/error/G2"}},
		{name: "required-missing just missed: a subtype may be empty", line: with(base, fSubtype, xlsx.Value{})},
		{name: "act number as a number cell", line: with(base, fNumber, xlsx.Num(120000)),
			act: func(a *qoldau.Act) { a.Number = "120000" }},
		{name: "bin-iin-format: 11 digits", line: with(base, fBinIIN, xlsx.Text(iinNo[:11])), want: []string{"bin-iin-format/error/C2"}},
		{name: "bin-iin-format: a letter", line: with(base, fBinIIN, xlsx.Text(iinNo[:11]+"x")), want: []string{"bin-iin-format/error/C2"}},
		{name: "bin-iin-format: leading zeros lost in a number cell", line: with(base, fBinIIN, xlsx.Num(12345678901)), want: []string{"bin-iin-format/error/C2"}},
		{name: "bin-iin-format: impossible birth date", line: with(base, fBinIIN, xlsx.Text(validNumber(t, "8513323", 1000))), want: []string{"bin-iin-format/error/C2"}},
		{name: "bin-iin-format just missed: spaces inside", line: with(base, fBinIIN, xlsx.Text(iinNo[:6]+" "+iinNo[6:]))},
		{name: "bin-iin-format just missed: a 12-digit number cell", line: with(base, fBinIIN, xlsx.Num(float64(atoi(iinNo))))},
		{name: "bin-iin-format just missed: a BIN", line: with(base, fBinIIN, xlsx.Text(testBIN(t))),
			act: func(a *qoldau.Act) { a.BinIIN = testBIN(t) }},
		{name: "bin-iin-checksum", line: with(base, fBinIIN, xlsx.Text(badSum)), want: []string{"bin-iin-checksum/error/C2"}},
		{name: "unknown-value: service", line: with(base, fService, xlsx.Text("Стрижка")), want: []string{"unknown-value/error/D2"}},
		{name: "unknown-value just missed: service in other case, with ё", line: with(base, fService, xlsx.Text("БУХГАЛТЕРСКИЙ учёт и отчётность"))},
		{name: "unknown-value just missed: service code", line: with(base, fService, xlsx.Text("accounting"))},
		{name: "unknown-value: subtype the catalogue does not list", sub: true, line: with(base, fSubtype, xlsx.Text("Аудит")),
			want: []string{"unknown-value/error/E2"}},
		{name: "unknown-value just missed: subtype by alias", sub: true, line: with(base, fSubtype, xlsx.Text("Постановка")),
			act: func(a *qoldau.Act) { a.Subtype = "setup" }},
		{name: "free subtype where the catalogue lists none", line: with(base, fSubtype, xlsx.Text("Аудит")),
			act: func(a *qoldau.Act) { a.Subtype = "Аудит" }},
		{name: "type-error: no such day", line: with(base, fServiceDate, xlsx.Text("31.09.2026")), want: []string{"type-error/error/F2"}},
		{name: "type-error: two-digit year", line: with(base, fActDate, xlsx.Text("09.10.26")), want: []string{"type-error/error/B2"}},
		{name: "type-error: text", line: with(base, fActDate, xlsx.Text("вчера")), want: []string{"type-error/error/B2"}},
		{name: "type-error just missed: D.M.YYYY text", line: with(base, fServiceDate, xlsx.Text("7.10.2026"))},
		{name: "type-error just missed: ISO text", line: with(base, fActDate, xlsx.Text("2026-10-09"))},
		{name: "type-error just missed: a serial number (1C)", line: with(base, fActDate, xlsx.Num(float64(day(9).Excel())))},
		{name: "act-date-order: act a day before the service", line: with(base, fActDate, xlsx.DateOf(day(6))),
			want: []string{"act-date-order/error/B2"}},
		{name: "act-date-order just missed: act on the service day", line: with(base, fActDate, xlsx.DateOf(day(7))),
			act: func(a *qoldau.Act) { a.Date = day(7) }},
		// Every date entering from outside is in the domain's range: from its first
		// day (2019-01-01) to the day the file was received (1 December 2026 here).
		{name: "future-date: act dated the year 9999", line: with(base, fActDate, xlsx.Text("9999-12-31")),
			want: []string{"future-date/error/B2"}},
		{name: "future-date: act dated the day after receipt", line: with(base, fActDate, xlsx.Text("02.12.2026")),
			want: []string{"future-date/error/B2"}},
		{name: "future-date: service on the last serial date", line: with(base, fServiceDate, xlsx.Num(73051)),
			want: []string{"future-date/error/F2"}},
		{name: "future-date just missed: act dated the day of receipt", line: with(base, fActDate, xlsx.Text("01.12.2026")),
			act: func(a *qoldau.Act) { a.Date = civil.D(2026, time.December, 1) }},
		{name: "date-out-of-range: service in 2018", line: with(base, fServiceDate, xlsx.Text("31.12.2018")),
			want: []string{"date-out-of-range/error/F2"}},
		{name: "date-out-of-range: act in year 1", line: with(base, fActDate, xlsx.Text("0001-01-01")),
			want: []string{"date-out-of-range/error/B2"}},
		{name: "date-out-of-range: the first serial day", line: with(base, fActDate, xlsx.Num(1)),
			want: []string{"date-out-of-range/error/B2"}},
		{name: "date-out-of-range just missed: the domain's first day", line: with(with(base, fServiceDate, xlsx.Text("01.01.2019")), fActDate, xlsx.Text("01.01.2019")),
			act: func(a *qoldau.Act) {
				a.Date, a.ServiceDate = civil.D(2019, time.January, 1), civil.D(2019, time.January, 1)
			}},
		{name: "unknown-value: confirmation", line: with(base, fConfirmation, xlsx.Text("подписано")), want: []string{"unknown-value/error/G2"}},
		{name: "unknown-value just missed: Two-Factor", line: with(base, fConfirmation, xlsx.Text("Two-Factor")),
			act: func(a *qoldau.Act) { a.Confirmation = "2fa" }},
		{name: "unknown-value just missed: ЭЦҚ", line: with(base, fConfirmation, xlsx.Text("ЭЦҚ"))},
		{name: "unknown-value just missed: НЕ ПОДПИСАН", line: with(base, fConfirmation, xlsx.Text("НЕ ПОДПИСАН")),
			act: func(a *qoldau.Act) { a.Confirmation = "none" }},
		{name: "unknown-value just missed: SMS", line: with(base, fConfirmation, xlsx.Text("SMS")),
			act: func(a *qoldau.Act) { a.Confirmation = "2fa" }},
		{name: "several errors on one line", line: with(with(base, fService, xlsx.Text("?")), fActDate, xlsx.Text("x")),
			want: []string{"type-error/error/B2", "unknown-value/error/D2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var ref *refdata.Set
			if tt.sub {
				ref = subtypeRef(t)
			}
			res := read(t, book(t, textRow(ruHeader...), tt.line), ref)
			if diff := cmp.Diff(tt.want, codes(res)); diff != "" {
				t.Fatalf("findings (-want +got):\n%s", diff)
			}
			if len(tt.want) > 0 {
				if res.Rejected != 1 || len(res.Acts) != 0 || res.ExitCode() != 1 {
					t.Errorf("rejected %d, acts %d, exit %d; want 1, 0, 1", res.Rejected, len(res.Acts), res.ExitCode())
				}
				return
			}
			want := qoldau.Act{Number: "А-17", Date: day(9), BinIIN: iinNo, Service: "accounting",
				ServiceDate: day(7), Confirmation: "eds", Source: res.SHA256, Line: 2}
			if tt.act != nil {
				tt.act(&want)
			}
			if diff := cmp.Diff([]qoldau.Act{want}, res.Acts); diff != "" {
				t.Errorf("acts (-want +got):\n%s", diff)
			}
		})
	}
}

func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

func TestFindingCarriesEverything(t *testing.T) {
	res := read(t, book(t, textRow(enHeader...), line(t), with(line(t), fActDate, xlsx.DateOf(day(5)))), nil)
	want := []qoldau.Finding{{
		Code: "act-date-order", Severity: qoldau.SevError, Row: 3, Column: "B", Cell: "B3", Field: "act_date", Value: "05.10.2026",
		Message: qoldau.Text{
			KK: "B3: акт күні ол растайтын қызмет көрсетілген күннен ерте (07.10.2026).",
			RU: "B3: дата акта раньше даты оказания услуги, которую он подтверждает (07.10.2026).",
			EN: "B3: the act is dated before the service it confirms (07.10.2026).",
		},
	}}
	if diff := cmp.Diff(want, res.Findings); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(map[string]int{"act-date-order": 1}, res.Counts); diff != "" {
		t.Errorf("counts (-want +got):\n%s", diff)
	}
	if res.Read != 2 || res.Rejected != 1 || len(res.Acts) != 1 {
		t.Errorf("read %d, rejected %d, acts %d; want 2, 1, 1", res.Read, res.Rejected, len(res.Acts))
	}
}

func TestDuplicateAct(t *testing.T) {
	other := with(line(t), fNumber, xlsx.Text("А-18"))
	res := read(t, book(t, textRow(ruHeader...), line(t), other, line(t), with(line(t), fService, xlsx.Text("accounting"))), nil)
	// Row 4 repeats row 2; row 5 names the service by code: the same act again.
	want := []string{"duplicate-act/warning/A4", "duplicate-act/warning/A5"}
	if diff := cmp.Diff(want, codes(res)); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
	if got := res.Findings[0].Message.EN; got != "A4: repeats the act line in row 2 (same act number, IIN/BIN, service, subtype and service date): imported once." {
		t.Errorf("message = %q", got)
	}
	if len(res.Acts) != 2 || res.Acts[0].Line != 2 || res.Acts[1].Line != 3 {
		t.Errorf("acts = %+v, want rows 2 and 3", res.Acts)
	}
	if res.Read != 4 || res.Rejected != 0 || res.ExitCode() != 0 {
		t.Errorf("read %d, rejected %d, exit %d; want 4, 0, 0", res.Read, res.Rejected, res.ExitCode())
	}
	// Just missed: a different service date is another act.
	res = read(t, book(t, textRow(ruHeader...), line(t), with(line(t), fServiceDate, xlsx.DateOf(day(8)))), nil)
	if len(res.Findings) != 0 || len(res.Acts) != 2 {
		t.Errorf("findings %v, acts %d; want none, 2", codes(res), len(res.Acts))
	}
	// A rejected line does not make a later valid one a duplicate.
	res = read(t, book(t, textRow(ruHeader...), with(line(t), fConfirmation, xlsx.Text("?")), line(t)), nil)
	if diff := cmp.Diff([]string{"unknown-value/error/G2"}, codes(res)); diff != "" || len(res.Acts) != 1 {
		t.Errorf("findings (-want +got):\n%s; acts %d", diff, len(res.Acts))
	}
}

func TestFileLevelChecks(t *testing.T) {
	noConf := ruHeader[:6]
	tests := []struct {
		name string
		rows [][]xlsx.Value
		want []string
		exit int
		read int
	}{
		{name: "header-not-found: three act headers only", rows: [][]xlsx.Value{textRow("Номер акта", "Дата акта", "ИИН/БИН", "Сумма"), line(t)},
			want: []string{"header-not-found/error/"}, exit: 2},
		{name: "header found just: four act headers, the others missing",
			rows: [][]xlsx.Value{textRow("Номер акта", "Дата акта", "ИИН/БИН", "Услуга"), line(t)},
			want: []string{"missing-column/error/service_date", "missing-column/error/confirmation"}, exit: 2, read: 0},
		{name: "header below title rows", rows: [][]xlsx.Value{textRow("Реестр актов"), {}, textRow("", "октябрь 2026"), textRow(ruHeader...), line(t)},
			exit: 0, read: 1},
		{name: "header-not-found: header below row 20", rows: append(make([][]xlsx.Value, 20), textRow(ruHeader...), line(t)),
			want: []string{"header-not-found/error/"}, exit: 2},
		{name: "header-not-found: header below 20 title rows", rows: append(repeat(textRow("Акты"), 20), textRow(ruHeader...), line(t)),
			want: []string{"header-not-found/error/"}, exit: 2},
		{name: "header-not-found just missed: header in row 20", rows: append(repeat(textRow("Акты"), 19), textRow(ruHeader...), line(t)),
			exit: 0, read: 1},
		{name: "missing-column", rows: [][]xlsx.Value{textRow(noConf...), line(t)[:6]},
			want: []string{"missing-column/error/confirmation"}, exit: 2},
		{name: "missing-column just missed: the subtype column is optional",
			rows: [][]xlsx.Value{textRow("Номер акта", "Дата акта", "ИИН/БИН", "Услуга", "Дата оказания услуги", "Подтверждение"),
				{xlsx.Text("1"), xlsx.DateOf(day(9)), xlsx.Text(testIIN(t)), xlsx.Text("tax"), xlsx.DateOf(day(9)), xlsx.Text("eds")}},
			exit: 0, read: 1},
		{name: "duplicate-column", rows: [][]xlsx.Value{textRow(append(append([]string(nil), ruHeader...), "Service")...), line(t)},
			want: []string{"duplicate-column/error/service"}, exit: 2},
		{name: "extra-column is a warning", rows: [][]xlsx.Value{textRow(append(append([]string(nil), ruHeader...), "Сумма")...), line(t)},
			want: []string{"extra-column/warning/"}, exit: 0, read: 1},
		{name: "header-repeat", rows: [][]xlsx.Value{textRow(ruHeader...), textRow(kkHeader...), textRow("1", "2", "3", "4", "5", "6", "7"), line(t)},
			want: []string{"header-repeat/warning/"}, exit: 0, read: 1},
		{name: "no-data", rows: [][]xlsx.Value{textRow(ruHeader...), textRow("", "  ")}, want: []string{"no-data/error/"}, exit: 2},
		{name: "no-data just missed: blank rows skipped", rows: [][]xlsx.Value{textRow(ruHeader...), {}, textRow(" "), line(t), {}},
			exit: 0, read: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := read(t, book(t, tt.rows...), nil)
			if diff := cmp.Diff(tt.want, fileCodes(res)); diff != "" {
				t.Errorf("file findings (-want +got):\n%s", diff)
			}
			if got := res.ExitCode(); got != tt.exit {
				t.Errorf("exit = %d, want %d (findings %v)", got, tt.exit, codes(res))
			}
			if res.Read != tt.read {
				t.Errorf("read = %d, want %d", res.Read, tt.read)
			}
			if tt.exit == 2 && len(res.Acts) != 0 {
				t.Errorf("a file-level error stored %d acts", len(res.Acts))
			}
		})
	}
}

func repeat(r []xlsx.Value, n int) [][]xlsx.Value {
	out := make([][]xlsx.Value, n)
	for i := range out {
		out[i] = r
	}
	return out
}

func TestFileLevelErrorStoresNothing(t *testing.T) {
	// Valid lines, but two columns named "service": nothing is taken.
	res := read(t, book(t, textRow(append(append([]string(nil), ruHeader...), "Услуга")...), line(t), line(t)), nil)
	if !res.FileError || len(res.Acts) != 0 || res.ExitCode() != 2 {
		t.Errorf("file error %v, acts %d, exit %d", res.FileError, len(res.Acts), res.ExitCode())
	}
}

func TestUnreadableFiles(t *testing.T) {
	tests := []struct {
		name string
		data []byte
		lim  xlsx.Limits
		en   string
	}{
		{name: "empty", data: nil, en: "The file is empty."},
		{name: "binary", data: []byte{0, 1, 2, 3, 0xff}},
		{name: "corrupt zip", data: []byte("PK\x03\x04 not really a zip")},
		{name: "too large", data: bytes.Repeat([]byte("a;b\n"), 100), lim: xlsx.Limits{MaxFileSize: 100}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := ReadActs(bytes.NewReader(tt.data), int64(len(tt.data)), "x", "", time.Time{}, nil, tt.lim)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff([]string{"file-unreadable/error/"}, fileCodes(res)); diff != "" {
				t.Fatalf("findings (-want +got):\n%s", diff)
			}
			m := res.Findings[0].Message
			if m.KK == "" || m.RU == "" || m.EN == "" || tt.en != "" && m.EN != tt.en {
				t.Errorf("message = %+v", m)
			}
			if res.ExitCode() != 2 || res.Kind != "" {
				t.Errorf("exit %d, kind %q", res.ExitCode(), res.Kind)
			}
		})
	}
}

func TestCSV(t *testing.T) {
	iinNo := testIIN(t)
	data := "\ufeffact_number,act_date,bin_iin,service,service_subtype,service_date,confirmation\n" +
		"7,09.10.2026,\"" + iinNo[:6] + " " + iinNo[6:] + "\",Налоговая отчетность и налоговое консультирование,,2026-10-07,2fa\n" +
		"8,46304,'" + iinNo + ",tax,,07.10.2026,eds\n" +
		"\n" +
		"9,9.10.26,123,tax,,07.10.2026,maybe\n"
	res := read(t, []byte(data), nil)
	want := []string{"bin-iin-format/error/C3", "type-error/error/B5", "bin-iin-format/error/C5", "unknown-value/error/G5"}
	if diff := cmp.Diff(want, codes(res)); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
	wantActs := []qoldau.Act{{Number: "7", Date: day(9), BinIIN: iinNo, Service: "tax", ServiceDate: day(7),
		Confirmation: "2fa", Source: res.SHA256, Line: 2}}
	if diff := cmp.Diff(wantActs, res.Acts); diff != "" {
		t.Errorf("acts (-want +got):\n%s", diff)
	}
	if res.Kind != "csv" || res.Read != 3 || res.Rejected != 2 || res.ExitCode() != 1 {
		t.Errorf("kind %q, read %d, rejected %d, exit %d", res.Kind, res.Read, res.Rejected, res.ExitCode())
	}
	if got := res.Findings[1].Value; got != "9.10.26" {
		t.Errorf("value = %q", got)
	}
}

func TestImportTwiceIsIdentical(t *testing.T) {
	b := book(t, textRow(ruHeader...), line(t), with(line(t), fNumber, xlsx.Text("А-18")), with(line(t), fBinIIN, xlsx.Text("1")))
	first, second := read(t, b, nil), read(t, b, nil)
	if diff := cmp.Diff(first, second); diff != "" {
		t.Errorf("second import differs (-first +second):\n%s", diff)
	}
	keys := map[string]bool{}
	for _, a := range append(first.Acts, second.Acts...) {
		keys[a.Key()] = true
	}
	if len(first.Acts) != 2 || len(keys) != 2 {
		t.Errorf("acts %d, distinct keys %d; want 2, 2", len(first.Acts), len(keys))
	}
}

func TestDateCellValue(t *testing.T) {
	// A date cell shows as DD.MM.YYYY in a finding's value.
	res := read(t, book(t, textRow(ruHeader...), with(line(t), fServiceDate, xlsx.DateOf(civil.D(2026, time.October, 10)))), nil)
	if len(res.Findings) != 1 || res.Findings[0].Value != "09.10.2026" {
		t.Errorf("findings = %+v", res.Findings)
	}
}

func TestParseConfirmation(t *testing.T) {
	for in, want := range map[string]string{
		"eds": "eds", "EDS": "eds", "ЭЦП": "eds", "эцқ": "eds", "Digital signature": "eds", "ecp": "eds",
		"2fa": "2fa", "2FA": "2fa", "Двухфакторная": "2fa", "two factor": "2fa", "sms": "2fa", "OTP": "2fa",
		"none": "none", "Нет": "none", "жоқ": "none", "unsigned": "none", "не подписан": "none",
		"": "", "yes": "", "подписан": "",
	} {
		got, ok := ParseConfirmation(in)
		if got != want || ok != (want != "") {
			t.Errorf("ParseConfirmation(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
}

func TestMessagesComplete(t *testing.T) {
	for key, m := range catalogue.Messages {
		if m.KK == "" || m.RU == "" || m.EN == "" {
			t.Errorf("message %s lacks a language: %+v", key, m)
		}
	}
	for _, c := range columns {
		if l := catalogue.Fields[c.key]; l.KK == "" || l.RU == "" || l.EN == "" {
			t.Errorf("field %s lacks a label: %+v", c.key, l)
		}
	}
	for _, key := range []string{"header-not-found", "missing-column", "duplicate-column", "extra-column", "header-repeat",
		"no-data", "required-missing", "type-error.date", "type-error.year2", "type-error.excel-error", "unknown-value.service",
		"unknown-value.subtype", "unknown-value.confirmation", "bin-iin-format", "bin-iin-format.lost-zeros",
		"bin-iin-format.impossible", "bin-iin-checksum", "act-date-order", "future-date", "date-out-of-range.early", "duplicate-act"} {
		if _, ok := catalogue.Messages[key]; !ok {
			t.Errorf("no message %s", key)
		}
	}
}
