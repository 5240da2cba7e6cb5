package register

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/qoldau/qoldau/shared/qoldau"

	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/iin"
	"github.com/qoldau/qoldau/shared/xlsx"
)

// testHeader is the Russian header of the 22 columns, in Annex 1 order.
var testHeader = []string{
	"Область / город республиканского значения и столица", "Населенный пункт оказания услуги (территориальный разрез)",
	"Место оказания услуги", "Наименование предприятия клиента", "ФИО клиента (при наличии)", "ИИН / БИН субъекта МСБ",
	"Пол клиента", "Дата рождения клиента", "Возраст клиента", "Инвалидность клиента", "Организационно-правовая форма предприятия",
	"Категория субъекта предпринимательства", "Отрасль предприятия клиента по ОКЭД", "Подотрасль предприятия клиента по ОКЭД",
	"Наименование специализированной услуги", "Наименование подвида специализированной услуги",
	"ФИО менеджера оператора нефинансовой поддержки, оказавшего услугу", "Дата обращения / начала оказания услуги",
	"Дата завершения / окончания оказания услуги", "Рабочий телефон клиента", "Мобильный телефон клиента", "Электронный адрес клиента",
}

// withCheck completes 11 digits with their control digit.
func withCheck(t *testing.T, first11 string) string {
	t.Helper()
	d, ok := iin.Checksum(first11)
	if !ok {
		t.Fatalf("no control digit for %s", first11)
	}
	return first11 + string(d)
}

// validIIN returns a valid IIN for a man born 1985-05-15.
func validIIN(t *testing.T) string {
	t.Helper()
	for s := 1000; ; s++ {
		first := "850515" + "3" + itoa4(s)
		if d, ok := iin.Checksum(first); ok {
			return first + string(d)
		}
	}
}

// validBIN returns a valid BIN of a resident head office registered in March 2015.
func validBIN(t *testing.T) string {
	t.Helper()
	for s := 10000; ; s++ {
		first := "1503" + "40" + itoa5(s)
		if d, ok := iin.Checksum(first); ok {
			return first + string(d)
		}
	}
}

func itoa4(n int) string {
	return string([]byte{byte('0' + n/1000%10), byte('0' + n/100%10), byte('0' + n/10%10), byte('0' + n%10)})
}
func itoa5(n int) string { return string([]byte{byte('0' + n/10000%10)}) + itoa4(n) }

func date(y int, m time.Month, d int) xlsx.Value { return xlsx.DateOf(civil.D(y, m, d)) }

// baseRow is a clean row of October 2026, keyed by field.
func baseRow(t *testing.T) map[Field]xlsx.Value {
	return map[Field]xlsx.Value{
		FRegion:         xlsx.Text("Карагандинская область"),
		FSettlement:     xlsx.Text("г. Караганда"),
		FServicePlace:   xlsx.Text("ЦОП г. Караганда"),
		FEnterpriseName: xlsx.Text("ИП «Ахметов»"),
		FClientName:     xlsx.Text("Ахметов Ержан Серікұлы"),
		FBinIIN:         xlsx.Text(validIIN(t)),
		FGender:         xlsx.Text("мужской"),
		FBirthDate:      date(1985, 5, 15),
		FAge:            xlsx.Num(41),
		FDisability:     xlsx.Text("нет"),
		FLegalForm:      xlsx.Text("ИП"),
		FCategory:       xlsx.Text("микро"),
		FOKEDSection:    xlsx.Text("G"),
		FOKEDCode:       xlsx.Text("47.11"),
		FService:        xlsx.Text("Бухгалтерский учет и отчетность"),
		FManagerName:    xlsx.Text("Иванова Елена Петровна"),
		FStartDate:      date(2026, 10, 5),
		FEndDate:        date(2026, 10, 7),
		FMobilePhone:    xlsx.Text("+7 701 123 45 67"),
		FEmail:          xlsx.Text("ahmetov@mail.kz"),
	}
}

// rowValues lays a field map out in the 22 columns.
func rowValues(m map[Field]xlsx.Value) []xlsx.Value {
	vs := make([]xlsx.Value, 22)
	for f, v := range m {
		if int(f) < 22 {
			vs[f] = v
		}
	}
	return vs
}

func textRow(ss []string) []xlsx.Value {
	vs := make([]xlsx.Value, len(ss))
	for i, s := range ss {
		vs[i] = xlsx.Text(s)
	}
	return vs
}

// writeBook writes rows to an .xlsx in a temp folder and returns its path.
func writeBook(t *testing.T, rows ...[]xlsx.Value) string {
	t.Helper()
	var buf bytes.Buffer
	w := xlsx.NewWriter(&buf, "Реестр")
	for _, r := range rows {
		if err := w.WriteRow(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return writeFile(t, "register.xlsx", buf.Bytes())
}

func writeFile(t *testing.T, name string, b []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// octOpts are the options of the October 2026 register received on 2 November.
func octOpts() Options {
	return Options{Period: civil.MonthOf(2026, 10), HasPeriod: true,
		Received: time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)}
}

func validate(t *testing.T, path string, opt Options) *Result {
	t.Helper()
	res, err := ValidateFile(path, opt, nil)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

type qoldauRow = qoldau.Row

func fmtFloat(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// all returns every finding of res (they are few in these tests).
func all(t *testing.T, res *Result) []qoldau.Finding {
	t.Helper()
	fs, err := res.Findings.First(res.Findings.Len())
	if err != nil {
		t.Fatal(err)
	}
	if fs == nil {
		fs = []qoldau.Finding{}
	}
	return fs
}
