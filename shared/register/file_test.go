package register

import (
	"archive/zip"
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/qoldau/qoldau/shared/xlsx"
)

// fileCodes returns the codes of the file-level findings.
func fileCodes(res *Result) []string {
	var out []string
	for _, f := range res.Findings.head {
		if f.Row == 0 {
			out = append(out, f.Code+"/"+string(f.Severity)+"/"+f.Field)
		}
	}
	return out
}

func TestFileLevelChecks(t *testing.T) {
	row := func() []xlsx.Value { return rowValues(baseRow(t)) }
	without := func(i int) []string {
		h := append([]string(nil), testHeader...)
		h[i] = ""
		return h
	}
	numbers := make([]string, 22)
	for i := range numbers {
		numbers[i] = strings.TrimSpace(strings.Repeat(" ", i%2) + itoa(i+1))
	}
	tests := []struct {
		name  string
		rows  [][]xlsx.Value
		want  []string
		exit  int
		read  int
		extra func(t *testing.T, res *Result)
	}{
		{name: "header-not-found", rows: [][]xlsx.Value{textRow([]string{"a", "b", "c"}), row()},
			want: []string{"header-not-found/error/"}, exit: 2},
		{name: "header found below title rows and a merged title",
			rows: [][]xlsx.Value{textRow([]string{"Информация о ходе реализации сервисной поддержки"}), {}, textRow([]string{"", "за октябрь 2026"}), textRow(testHeader), row()},
			want: nil, exit: 0, read: 1,
			extra: func(t *testing.T, res *Result) {
				if res.Header != 4 {
					t.Errorf("header row = %d, want 4", res.Header)
				}
			}},
		{name: "missing-column: one per column", rows: [][]xlsx.Value{textRow(without(5)), row()},
			want: []string{"missing-column/error/bin_iin"}, exit: 2},
		{name: "an optional column may be absent", rows: [][]xlsx.Value{textRow(without(15)), row()}, want: nil, exit: 0, read: 1},
		{name: "duplicate-column", rows: [][]xlsx.Value{textRow(append(append([]string(nil), testHeader...), "ИИН/БИН")), row()},
			want: []string{"duplicate-column/error/bin_iin"}, exit: 2},
		{name: "extra-column is a warning", rows: [][]xlsx.Value{textRow(append(append([]string(nil), testHeader...), "Примечание")), row()},
			want: []string{"extra-column/warning/"}, exit: 0, read: 1},
		{name: "header-repeat: a numbering row and a second header language",
			rows: [][]xlsx.Value{textRow(testHeader), textRow(numbers), textRow(kkHeader), row()},
			want: []string{"header-repeat/warning/"}, exit: 0, read: 1},
		{name: "no-data", rows: [][]xlsx.Value{textRow(testHeader)}, want: []string{"no-data/error/"}, exit: 2},
		{name: "blank rows are skipped silently", rows: [][]xlsx.Value{textRow(testHeader), {}, textRow(make([]string, 22)), row(), {}, row()},
			want: nil, exit: 1, read: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := validate(t, writeBook(t, tt.rows...), octOpts())
			if diff := cmp.Diff(tt.want, fileCodes(res)); diff != "" {
				t.Errorf("file findings (-want +got):\n%s", diff)
			}
			if got := res.ExitCode(); got != tt.exit {
				t.Errorf("exit = %d, want %d", got, tt.exit)
			}
			if res.Rows.Read != tt.read {
				t.Errorf("read = %d, want %d", res.Rows.Read, tt.read)
			}
			if tt.extra != nil {
				tt.extra(t, res)
			}
		})
	}
}

func itoa(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return string(rune('0'+n/10)) + string(rune('0'+n%10))
}

var kkHeader = []string{"Облыс /республикалық маңызы бар қала және Астана", "Қызмет көрсетілген елді мекен (аумақтық бөлініс)", "Қызмет көрсету орны",
	"Клиенттің кәсіпорнының атауы", "Клиенттің тегі, аты және әкесінің аты (бар болса)", "ШОБ субъектілерінің ЖСН / БСН",
	"Клиенттің жынысы", "Клиенттің туған күні", "Клиенттің жасы", "Клиенттің мүгедектігі", "Кәсіпорынның ұйымдық-құқықтық нысаны",
	"Кәсіпкерлік субъектісінің санаты", "ЭҚЖЖ бойынша сала клиенттің кәсіпорны", "Клиент кәсіпорнының ЭҚЖЖ бойынша кіші саласы",
	"Мамандандырылған қызмет атауы", "Мамандандырылған қызметтің кіші түрінің атауы",
	"Қызмет көрсеткен қаржылық емес қолдау операторы менеджерінің тегі, аты және әкесінің аты (бар болса)",
	"Жүгіну/ қызметтің басталу күні", "Қызметті аяқтау / аяқтау күні", "Клиенттің жұмыс телефоны", "Клиенттің ұялы телефоны",
	"Клиенттің электрондық мекенжайы"}

// The seed's English header drops the IIN/BIN column and writes CCEA with a Cyrillic Е.
var enHeader = []string{"Region /city of the republican significance and the capital", "Settlement (territorial division) where the service is provided",
	"Place of service provision", "Name of the enterprise of the customer", "Surname, name and patronymic (if any) of the customer",
	"IIN / BIN of the SMB subject", "Customer’s gender", "Customer’s date of birth", "Customer’s age", "Disability of the customer",
	"Form of entity", "Category of the entrepreneur", "Branch by CCЕA of the customer’s enterprise", "Sub-branch by CCЕA of the customer’s enterprise",
	"Name of specialized service", "Name of subtype of specialized service",
	"Surname, name, patronymic (if any) of the manager of the operator of non-financial support that provided the service",
	"Date of request / start of service", "Date of completion / end of service", "Customer’s work phone", "Customer’s mobile phone", "Customer’s e-mail"}

var keyHeader = []string{"region", "settlement", "service_place", "enterprise_name", "client_name", "bin_iin", "gender", "birth_date", "age",
	"disability", "legal_form", "category", "oked_section", "oked_code", "service", "service_subtype", "manager_name", "start_date",
	"end_date", "work_phone", "mobile_phone", "email"}

func TestHeaderLanguages(t *testing.T) {
	for _, tt := range []struct {
		name   string
		header []string
	}{
		{"kazakh", kkHeader}, {"russian", testHeader}, {"english (seed)", enHeader}, {"canonical keys", keyHeader},
		{"upper case, extra spaces, line breaks", upperSpaced(testHeader)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			res := validate(t, writeBook(t, textRow(tt.header), rowValues(baseRow(t))), octOpts())
			if len(all(t, res)) != 0 || res.Rows.Accepted != 1 {
				t.Errorf("findings %v, rows %+v", fileCodes(res), res.Rows)
			}
		})
	}
}

func upperSpaced(h []string) []string {
	out := make([]string, len(h))
	for i, s := range h {
		out[i] = "  " + strings.ReplaceAll(strings.ToUpper(s), " ", " \n ") + " "
	}
	return out
}

func TestFreeColumnOrderAndChannel(t *testing.T) {
	// Reverse the columns and add the optional channel column.
	m := baseRow(t)
	h := append([]string(nil), testHeader...)
	vals := rowValues(m)
	for i, j := 0, len(h)-1; i < j; i, j = i+1, j-1 {
		h[i], h[j] = h[j], h[i]
		vals[i], vals[j] = vals[j], vals[i]
	}
	h = append(h, "Канал оказания услуги")
	vals = append(vals, xlsx.Text("онлайн"))
	var online bool
	path := writeBook(t, textRow(h), vals)
	res, err := ValidateFile(path, octOpts(), func(r *qoldauRow) { online = r.Online })
	if err != nil {
		t.Fatal(err)
	}
	if len(all(t, res)) != 0 || !online {
		t.Errorf("findings %+v online %v", all(t, res), online)
	}
	// A finding names the cell where the column really is: the e-mail is now column A.
	m[FEmail] = xlsx.Text("bad@")
	vals = rowValues(m)
	for i, j := 0, len(vals)-1; i < j; i, j = i+1, j-1 {
		vals[i], vals[j] = vals[j], vals[i]
	}
	res = validate(t, writeBook(t, textRow(h[:22]), vals), octOpts())
	if diff := cmp.Diff([]brief{e("email-format", "A2")}, briefs(all(t, res))); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestCSV(t *testing.T) {
	m := baseRow(t)
	for _, tt := range []struct {
		name, sep string
		bom       bool
	}{{"comma", ",", false}, {"semicolon with BOM", ";", true}, {"tab", "\t", false}} {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			if tt.bom {
				b.WriteString("\ufeff")
			}
			b.WriteString("Реестр за октябрь 2026\n")
			writeCSVLine(&b, tt.sep, testHeader)
			writeCSVLine(&b, tt.sep, csvRow(m))
			m2 := baseRow(t)
			m2[FMobilePhone] = xlsx.Text("12345")
			m2[FEndDate] = date(2026, 10, 9)
			writeCSVLine(&b, tt.sep, csvRow(m2))
			res := validate(t, writeFile(t, "r.csv", b.Bytes()), octOpts())
			want := []brief{e("phone-format", "U4")}
			if diff := cmp.Diff(want, briefs(all(t, res))); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			if res.Kind != "csv" || res.Rows.Read != 2 {
				t.Errorf("kind %q rows %+v", res.Kind, res.Rows)
			}
		})
	}
}

func csvRow(m map[Field]xlsx.Value) []string {
	out := make([]string, 22)
	for i, v := range rowValues(m) {
		switch v.Kind {
		case xlsx.TextValue:
			out[i] = v.Text
		case xlsx.NumberValue:
			out[i] = fmtFloat(v.Number)
		case xlsx.DateValue:
			out[i] = v.Date.DMY()
		}
	}
	return out
}

func writeCSVLine(b *bytes.Buffer, sep string, fields []string) {
	for i, f := range fields {
		if i > 0 {
			b.WriteString(sep)
		}
		if strings.ContainsAny(f, sep+"\"\n,;") {
			f = `"` + strings.ReplaceAll(f, `"`, `""`) + `"`
		}
		b.WriteString(f)
	}
	b.WriteString("\r\n")
}

// TestBadFiles: every file that cannot be used gets exit 2 and a clear reason.
func TestBadFiles(t *testing.T) {
	dir := t.TempDir()
	mk := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	docx := zipOf(t, map[string]string{"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document/>"})
	good := mustRead(t, writeBook(t, textRow(testHeader), rowValues(baseRow(t))))
	ole := append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 4096)...)
	ole = append(ole, []byte("E\x00n\x00c\x00r\x00y\x00p\x00t\x00i\x00o\x00n\x00I\x00n\x00f\x00o\x00")...)
	cp1251 := []byte("\xce\xe1\xeb\xe0\xf1\xf2\xfc;\xcd\xe0\xf1\xe5\xeb\xe5\xed\xed\xfb\xe9 \xef\xf3\xed\xea\xf2\n")
	tests := []struct {
		name, file string
		reason     string // a part of the English reason
	}{
		{"empty file", mk("empty.xlsx", nil), "empty"},
		{"a .docx renamed .xlsx", mk("letter.xlsx", docx), "not a spreadsheet"},
		{"a corrupt zip", mk("cut.xlsx", good[:len(good)/2]), "damaged"},
		{"a password-protected workbook", mk("secret.xlsx", ole), "password"},
		{"a CSV in Windows-1251", mk("win.csv", cp1251), "not UTF-8"},
		{"binary junk", mk("junk.xlsx", []byte{0, 1, 2, 3, 0, 0, 9}), "neither"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := validate(t, tt.file, octOpts())
			if res.ExitCode() != 2 {
				t.Fatalf("exit %d, want 2; findings %v", res.ExitCode(), fileCodes(res))
			}
			if !strings.Contains(res.Reason(), tt.reason) {
				t.Errorf("reason %q does not say %q", res.Reason(), tt.reason)
			}
			if res.Counts["file-unreadable"] != 1 {
				t.Errorf("counts %v", res.Counts)
			}
		})
	}
}

func mustRead(t *testing.T, p string) []byte {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func zipOf(t *testing.T, files map[string]string) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for name, body := range files {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(body))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// A CSV saved by Excel: IINs it made numbers (leading zeros lost, exponent
// notation with a comma or a point) get the cause explained, and CR-only line ends
// are lines; in every header language.
func TestCSVFromExcel(t *testing.T) {
	zeroIIN := withCheck(t, "05031550123") // born 2005: starts with a zero
	for _, h := range []struct {
		lang   string
		header []string
	}{{"kk", kkHeader}, {"ru", testHeader}, {"en", enHeader}} {
		t.Run(h.lang, func(t *testing.T) {
			var b bytes.Buffer
			writeCSVLine(&b, ";", h.header)
			for _, id := range []string{zeroIIN[1:], "1,90840E+11", "8.50515E+11", validIIN(t)} {
				m := baseRow(t)
				m[FBinIIN] = xlsx.Text(id)
				writeCSVLine(&b, ";", csvRow(m))
			}
			text := strings.ReplaceAll(b.String(), "\r\n", "\r") // classic Mac line ends
			res := validate(t, writeFile(t, "excel.csv", []byte(text)), octOpts())
			fds := all(t, res)
			want := []brief{e("bin-iin-format", "F2"), e("bin-iin-format", "F3"), e("bin-iin-format", "F4")} // row 5 is clean
			if diff := cmp.Diff(want, briefs(fds)); diff != "" {
				t.Fatalf("(-want +got):\n%s", diff)
			}
			for i, wantText := range []string{"Excel dropped its leading zeros", "exponent notation (1,90840E+11)", "exponent notation (8.50515E+11)"} {
				if got := fds[i].Message.EN; !strings.Contains(got, wantText) {
					t.Errorf("F%d: %q lacks %q", i+2, got, wantText)
				}
			}
			if !strings.Contains(fds[0].Message.KK, "алдыңғы нөлдерді") || !strings.Contains(fds[1].Message.RU, "экспоненциальной") {
				t.Errorf("messages %+v", fds[:2])
			}
		})
	}
}
