// Package sample writes realistic synthetic registers (Annex 1) for tests, benchmarks
// and the demo: Kazakh and Russian names, IINs and BINs with valid check digits, real
// regions, OKED codes and phones, dates inside the period, and a known share of rows
// with exactly one fault each. The same seed gives the same file.
package sample

import (
	"encoding/csv"
	"fmt"
	"io"
	"math/rand/v2"
	"strconv"
	"strings"

	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/iin"
	"github.com/qoldau/qoldau/shared/refdata"
	"github.com/qoldau/qoldau/shared/xlsx"
)

// Options describe the register to write.
type Options struct {
	Period    civil.Month
	Rows      int
	Seed      uint64
	ErrorRate float64 // share of rows with one injected fault, 0..1
	Lang      string  // header language: kk, ru (default) or en
	Ref       *refdata.Set
}

// Fault names an injected fault and the finding code it must produce.
type Fault string

// The faults a sample injects, each producing one error finding of the same code.
var Faults = []Fault{
	"bin-iin-checksum", "required-missing", "unknown-value", "out-of-period", "age-mismatch",
	"phone-format", "oked-mismatch", "email-format", "date-order", "duplicate-row", "not-smb",
	"name-format", "type-error",
}

// Stats tell what was written: rows, faulty rows by fault, rows without contacts.
type Stats struct {
	Rows      int
	Faulty    int
	ByFault   map[Fault]int
	NoContact int
}

// Header returns the header texts of the 22 columns in lang.
func Header(lang string) []string {
	h := headers["ru"]
	if x, ok := headers[lang]; ok {
		h = x
	}
	return append([]string(nil), h...)
}

var headers = map[string][]string{
	"ru": {"Область / город республиканского значения и столица", "Населенный пункт оказания услуги (территориальный разрез)",
		"Место оказания услуги", "Наименование предприятия клиента", "ФИО клиента (при наличии)", "ИИН / БИН субъекта МСБ",
		"Пол клиента", "Дата рождения клиента", "Возраст клиента", "Инвалидность клиента", "Организационно-правовая форма предприятия",
		"Категория субъекта предпринимательства", "Отрасль предприятия клиента по ОКЭД", "Подотрасль предприятия клиента по ОКЭД",
		"Наименование специализированной услуги", "Наименование подвида специализированной услуги",
		"ФИО менеджера оператора нефинансовой поддержки, оказавшего услугу", "Дата обращения / начала оказания услуги",
		"Дата завершения / окончания оказания услуги", "Рабочий телефон клиента", "Мобильный телефон клиента", "Электронный адрес клиента"},
	"kk": {"Облыс /республикалық маңызы бар қала және Астана", "Қызмет көрсетілген елді мекен (аумақтық бөлініс)", "Қызмет көрсету орны",
		"Клиенттің кәсіпорнының атауы", "Клиенттің тегі, аты және әкесінің аты (бар болса)", "ШОБ субъектілерінің ЖСН / БСН",
		"Клиенттің жынысы", "Клиенттің туған күні", "Клиенттің жасы", "Клиенттің мүгедектігі", "Кәсіпорынның ұйымдық-құқықтық нысаны",
		"Кәсіпкерлік субъектісінің санаты", "ЭҚЖЖ бойынша сала клиенттің кәсіпорны", "Клиент кәсіпорнының ЭҚЖЖ бойынша кіші саласы",
		"Мамандандырылған қызмет атауы", "Мамандандырылған қызметтің кіші түрінің атауы",
		"Қызмет көрсеткен қаржылық емес қолдау операторы менеджерінің тегі, аты және әкесінің аты (бар болса)",
		"Жүгіну/ қызметтің басталу күні", "Қызметті аяқтау / аяқтау күні", "Клиенттің жұмыс телефоны", "Клиенттің ұялы телефоны",
		"Клиенттің электрондық мекенжайы"},
	"en": {"Region /city of the republican significance and the capital", "Settlement (territorial division) where the service is provided",
		"Place of service provision", "Name of the enterprise of the customer", "Surname, name and patronymic (if any) of the customer",
		"IIN / BIN of the SMB subject", "Customer's gender", "Customer's date of birth", "Customer's age", "Disability of the customer",
		"Form of entity", "Category of the entrepreneur", "Branch by CCEA of the customer's enterprise",
		"Sub-branch by CCEA of the customer's enterprise", "Name of specialized service", "Name of subtype of specialized service",
		"Surname, name, patronymic (if any) of the manager of the operator of non-financial support that provided the service",
		"Date of request / start of service", "Date of completion / end of service", "Customer's work phone", "Customer's mobile phone",
		"Customer's e-mail"},
}

// Column indexes of the 22 columns.
const (
	cRegion = iota
	cSettlement
	cPlace
	cEnterprise
	cClient
	cBinIIN
	cGender
	cBirth
	cAge
	cDisability
	cLegalForm
	cCategory
	cSection
	cOKED
	cService
	cSubtype
	cManager
	cStart
	cEnd
	cWorkPhone
	cMobile
	cEmail
	nCols
)

// person is a generated client.
type person struct {
	name   string
	male   bool
	birth  civil.Date
	iin    string
	svc    string // the service of the person's first row
	reused bool
}

type gen struct {
	opt      Options
	rnd      *rand.Rand
	frnd     *rand.Rand // faults: a stream of their own, so clean rows do not depend on the error rate
	ref      *refdata.Set
	regions  []refdata.Region
	forms    []refdata.LegalForm
	sections []refdata.Section
	services []refdata.Service
	managers map[string][]string
	people   []person
	prev     []xlsx.Value
	serial   int
}

// rows calls emit for the title, the header and every data row of the register.
func rows(opt Options, emit func([]xlsx.Value) error) (Stats, error) {
	if opt.Ref == nil {
		opt.Ref = refdata.Default()
	}
	if opt.Rows < 0 {
		return Stats{}, fmt.Errorf("sample: rows must be >= 0")
	}
	g := &gen{opt: opt, ref: opt.Ref, rnd: rand.New(rand.NewPCG(opt.Seed, opt.Seed^0x9e3779b97f4a7c15)),
		frnd: rand.New(rand.NewPCG(opt.Seed^0x5851f42d4c957f2d, opt.Seed)), managers: map[string][]string{}}
	for _, r := range g.ref.Regions() {
		if r.ValidAt(opt.Period.First()) {
			g.regions = append(g.regions, r)
		}
	}
	for _, f := range g.ref.LegalForms() {
		switch f.Code {
		case "ip", "llp", "farm", "ip_joint", "pc":
			g.forms = append(g.forms, f)
		}
	}
	g.sections = g.ref.Sections()
	g.services = g.ref.Services()
	st := Stats{ByFault: map[Fault]int{}}
	title := []xlsx.Value{xlsx.Text(fmt.Sprintf("Информация о ходе реализации сервисной поддержки за %s", opt.Period))}
	if err := emit(title); err != nil {
		return st, err
	}
	head := Header(opt.Lang)
	hv := make([]xlsx.Value, len(head))
	for i, h := range head {
		hv[i] = xlsx.Text(h)
	}
	if err := emit(hv); err != nil {
		return st, err
	}
	for i := 0; i < opt.Rows; i++ {
		row := g.row()
		if i > 0 && g.frnd.Float64() < opt.ErrorRate {
			f := Faults[g.frnd.IntN(len(Faults))]
			g.inject(row, f)
			st.ByFault[f]++
			st.Faulty++
		}
		if row[cMobile].Kind == xlsx.Empty && row[cWorkPhone].Kind == xlsx.Empty && row[cEmail].Kind == xlsx.Empty {
			st.NoContact++
		}
		st.Rows++
		g.prev = row
		if err := emit(row); err != nil {
			return st, err
		}
	}
	return st, nil
}

// Write writes the register as .xlsx (shared strings, real date cells) to w.
func Write(w io.Writer, opt Options) (Stats, error) {
	xw := xlsx.NewWriter(w, "Реестр")
	widths := make([]float64, nCols)
	for i := range widths {
		widths[i] = 18
	}
	xw.SetColWidths(widths)
	st, err := rows(opt, xw.WriteRow)
	if err != nil {
		return st, err
	}
	return st, xw.Close()
}

// WriteCSV writes the register as a UTF-8 CSV with a BOM, ';'-separated as Excel
// writes it in Kazakh and Russian locales, dates as DD.MM.YYYY.
func WriteCSV(w io.Writer, opt Options) (Stats, error) {
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return Stats{}, err
	}
	cw := csv.NewWriter(w)
	cw.Comma = ';'
	rec := make([]string, 0, nCols)
	st, err := rows(opt, func(vs []xlsx.Value) error {
		rec = rec[:0]
		for _, v := range vs {
			switch v.Kind {
			case xlsx.TextValue:
				rec = append(rec, v.Text)
			case xlsx.NumberValue:
				rec = append(rec, strconv.FormatFloat(v.Number, 'f', -1, 64))
			case xlsx.DateValue:
				rec = append(rec, v.Date.DMY())
			default:
				rec = append(rec, "")
			}
		}
		return cw.Write(rec)
	})
	if err != nil {
		return st, err
	}
	cw.Flush()
	return st, cw.Error()
}

func (g *gen) pick(xs []string) string { return xs[g.rnd.IntN(len(xs))] }

// newPerson makes a client aged 18 to 75 at at, with a valid IIN.
func (g *gen) newPerson(at civil.Date) person {
	male := g.rnd.IntN(2) == 0
	kz := g.rnd.IntN(3) > 0
	var sur, first, pat string
	if kz {
		sur, first = g.pick(kzSurnames), g.pick(kzMale)
		father := g.pick(kzFathers)
		pat = father + "ұлы"
		if !male {
			sur, first, pat = female(sur), g.pick(kzFemale), father+"қызы"
		}
	} else {
		sur, first = g.pick(ruSurnames), g.pick(ruMale)
		father := g.pick(ruFathers)
		pat = ruPatronymic(father, male)
		if !male {
			sur, first = female(sur), g.pick(ruFemale)
		}
	}
	name := sur + " " + first
	if g.rnd.IntN(10) > 0 {
		name += " " + pat
	}
	age := 18 + g.rnd.IntN(58)
	birth := at.AddDays(-age*365 - g.rnd.IntN(360))
	return person{name: name, male: male, birth: birth, iin: g.iin(birth, male)}
}

func female(s string) string {
	switch {
	case strings.HasSuffix(s, "ов"), strings.HasSuffix(s, "ев"), strings.HasSuffix(s, "ёв"), strings.HasSuffix(s, "ин"):
		return s + "а"
	}
	return s
}

func ruPatronymic(father string, male bool) string {
	base := father
	switch {
	case strings.HasSuffix(father, "й"):
		base = strings.TrimSuffix(father, "й")
		if male {
			return base + "евич"
		}
		return base + "евна"
	case father == "Пётр":
		base = "Петр"
	case father == "Павел":
		base = "Павл"
	case father == "Михаил":
		base = "Михайл"
	}
	if male {
		return base + "ович"
	}
	return base + "овна"
}

// iin makes a valid IIN for a person born on birth.
func (g *gen) iin(birth civil.Date, male bool) string {
	y, m, d := birth.Date()
	c := 3
	if y >= 2000 {
		c = 5
	}
	if !male {
		c++
	}
	for {
		g.serial++
		s := fmt.Sprintf("%02d%02d%02d%d%04d", y%100, int(m), d, c, (g.serial*7919+g.rnd.IntN(10))%10000)
		if cd, ok := iin.Checksum(s); ok {
			return s + string(cd)
		}
	}
}

// bin makes a valid BIN registered in year y, month m, with the d5 and d6 digits.
func (g *gen) bin(y, m int, d5, d6 byte) string {
	for {
		g.serial++
		s := fmt.Sprintf("%02d%02d%c%c%05d", y%100, m, d5, d6, (g.serial*104729+g.rnd.IntN(100))%100000)
		if cd, ok := iin.Checksum(s); ok {
			return s + string(cd)
		}
	}
}

func (g *gen) phone() string {
	codes := []string{"700", "701", "702", "705", "707", "708", "747", "771", "775", "776", "777", "778"}
	code := g.pick(codes)
	n := g.rnd.IntN(10000000)
	switch g.rnd.IntN(4) {
	case 0:
		return fmt.Sprintf("8%s%07d", code, n)
	case 1:
		return fmt.Sprintf("+7 (%s) %03d-%02d-%02d", code, n/10000, n/100%100, n%100)
	case 2:
		return fmt.Sprintf("+7%s%07d", code, n)
	}
	return fmt.Sprintf("8 %s %03d %02d %02d", code, n/10000, n/100%100, n%100)
}

var translit = strings.NewReplacer("а", "a", "б", "b", "в", "v", "г", "g", "д", "d", "е", "e", "ё", "e", "ж", "zh",
	"з", "z", "и", "i", "й", "i", "к", "k", "л", "l", "м", "m", "н", "n", "о", "o", "п", "p", "р", "r", "с", "s",
	"т", "t", "у", "u", "ф", "f", "х", "kh", "ц", "ts", "ч", "ch", "ш", "sh", "щ", "sh", "ы", "y", "э", "e", "ю", "yu",
	"я", "ya", "ә", "a", "ғ", "g", "қ", "k", "ң", "n", "ө", "o", "ұ", "u", "ү", "u", "һ", "h", "і", "i", "ь", "", "ъ", "")

func (g *gen) email(name string) string {
	parts := strings.Fields(strings.ToLower(name))
	user := translit.Replace(parts[0])
	if len(parts) > 1 {
		user = translit.Replace(parts[1])[:1] + "." + user
	}
	return fmt.Sprintf("%s%d@%s", user, g.rnd.IntN(1000), g.pick([]string{"mail.kz", "gmail.com", "mail.ru", "inbox.kz", "yandex.kz"}))
}

// row generates one clean row.
func (g *gen) row() []xlsx.Value {
	p := g.opt.Period
	end := p.First().AddDays(g.rnd.IntN(p.Last().AddDays(1).Sub(p.First())))
	start := end.AddDays(-g.rnd.IntN(6))
	if g.rnd.IntN(3) == 0 {
		start = end
	}
	var cl person
	reuse := len(g.people) > 0 && g.rnd.IntN(10) == 0
	if reuse {
		i := g.rnd.IntN(len(g.people))
		if !g.people[i].reused {
			cl = g.people[i]
			g.people[i].reused = true
		} else {
			reuse = false
		}
	}
	pi := -1
	if !reuse {
		cl = g.newPerson(start)
		if len(g.people) < 4096 {
			g.people = append(g.people, cl)
			pi = len(g.people) - 1
		} else {
			pi = g.rnd.IntN(len(g.people))
			g.people[pi] = cl
		}
	}
	reg := g.regions[g.rnd.IntN(len(g.regions))]
	town := g.pick(settlements[reg.Code])
	form := g.forms[[]int{0, 0, 0, 0, 0, 1, 1, 1, 2, 2, 3, 4}[g.rnd.IntN(12)]%len(g.forms)]
	var id, ent, formText string
	switch form.Code {
	case "ip":
		id, ent, formText = cl.iin, "ИП «"+strings.Fields(cl.name)[0]+"»", g.pick([]string{"ИП", "ЖК", "Индивидуальный предприниматель"})
	case "farm":
		id, ent, formText = cl.iin, "КХ «"+g.pick(bizWords)+"»", g.pick([]string{"КХ", "ШҚ", "Крестьянское (фермерское) хозяйство"})
	case "ip_joint":
		y, m, _ := start.AddDays(-400 - g.rnd.IntN(3000)).Date()
		id, ent, formText = g.bin(y, int(m), '6', '0'), "ИП(С) «"+g.pick(bizWords)+"»", "ИП(С)"
	case "pc":
		y, m, _ := start.AddDays(-400 - g.rnd.IntN(3000)).Date()
		id, ent, formText = g.bin(y, int(m), '4', '0'), "ПК «"+g.pick(bizWords)+"»", "ПК"
	default:
		y, m, _ := start.AddDays(-400 - g.rnd.IntN(5000)).Date()
		id, ent, formText = g.bin(y, int(m), '4', '0'), "ТОО «"+g.pick(bizWords)+" "+g.pick(bizWords)+"»", g.pick([]string{"ТОО", "ЖШС"})
	}
	sec := g.sections[[]int{0, 2, 5, 6, 6, 6, 7, 8, 9, 12, 15, 16, 18}[g.rnd.IntN(13)]%len(g.sections)]
	div := sec.Divisions[g.rnd.IntN(len(sec.Divisions))]
	oked := fmt.Sprintf("%02d.%d%d", div, 1+g.rnd.IntN(9), g.rnd.IntN(10))
	svc := g.services[g.rnd.IntN(len(g.services))]
	for reuse && svc.Code == cl.svc && len(g.services) > 1 {
		svc = g.services[g.rnd.IntN(len(g.services))]
	}
	if pi >= 0 {
		g.people[pi].svc = svc.Code
	}
	mgrs := g.managers[reg.Code]
	if len(mgrs) == 0 {
		for i := 0; i < 4; i++ {
			mgrs = append(mgrs, g.newPerson(start).name)
		}
		g.managers[reg.Code] = mgrs
	}
	place := g.rnd.IntN(10)
	var placeText string
	switch {
	case place < 4:
		placeText = "ЦОП " + town
	case place < 7:
		placeText = "ЦПП " + town
	case place < 8:
		placeText = "МЦПП"
	default:
		placeText = "Онлайн"
	}
	gender := "мужской"
	if !cl.male {
		gender = "женский"
	}
	if g.rnd.IntN(3) == 0 {
		gender = map[bool]string{true: "ер", false: "әйел"}[cl.male]
	}
	dis := "нет"
	if g.rnd.IntN(30) == 0 {
		dis = g.pick([]string{"да", "II группа", "III группа"})
	}
	cat := g.pick([]string{"Микропредпринимательство", "микро", "Малое предпринимательство", "Малое", "Среднее предпринимательство"})
	row := make([]xlsx.Value, nCols)
	row[cRegion] = xlsx.Text(g.regionLabel(reg))
	row[cSettlement] = xlsx.Text(town)
	row[cPlace] = xlsx.Text(placeText)
	row[cEnterprise] = xlsx.Text(ent)
	row[cClient] = xlsx.Text(cl.name)
	row[cBinIIN] = xlsx.Text(id)
	row[cGender] = xlsx.Text(gender)
	row[cBirth] = xlsx.DateOf(cl.birth)
	row[cAge] = xlsx.Num(float64(civil.YearsBetween(cl.birth, start)))
	row[cDisability] = xlsx.Text(dis)
	row[cLegalForm] = xlsx.Text(formText)
	row[cCategory] = xlsx.Text(cat)
	row[cSection] = xlsx.Text(sec.Code)
	row[cOKED] = xlsx.Text(oked)
	row[cService] = xlsx.Text(svc.Label.RU)
	row[cManager] = xlsx.Text(g.pick(mgrs))
	row[cStart] = xlsx.DateOf(start)
	row[cEnd] = xlsx.DateOf(end)
	if g.rnd.IntN(4) == 0 {
		row[cWorkPhone] = xlsx.Text(fmt.Sprintf("8 (7%d%02d) %02d-%02d-%02d", 1+g.rnd.IntN(2), g.rnd.IntN(100), g.rnd.IntN(100), g.rnd.IntN(100), g.rnd.IntN(100)))
	}
	if g.rnd.IntN(25) > 0 {
		row[cMobile] = xlsx.Text(g.phone())
	}
	if g.rnd.IntN(3) > 0 {
		row[cEmail] = xlsx.Text(g.email(cl.name))
	}
	return row
}

func (g *gen) regionLabel(r refdata.Region) string {
	switch g.rnd.IntN(4) {
	case 0:
		return r.Label.KK
	case 1:
		return r.Code
	}
	return r.Label.RU
}

// inject puts one fault into row.
func (g *gen) inject(row []xlsx.Value, f Fault) {
	switch f {
	case "bin-iin-checksum":
		s := row[cBinIIN].Text
		last := (s[11]-'0'+1+byte(g.frnd.IntN(8)))%10 + '0'
		row[cBinIIN] = xlsx.Text(s[:11] + string(last))
	case "required-missing":
		row[[]int{cSettlement, cEnterprise, cService, cManager}[g.frnd.IntN(4)]] = xlsx.Value{}
	case "unknown-value":
		row[cRegion] = xlsx.Text(g.fpick([]string{"Северная область", "г. Москва", "Бишкек"}))
	case "out-of-period":
		row[cEnd] = xlsx.DateOf(g.opt.Period.First().AddDays(-1 - g.frnd.IntN(10)))
		row[cStart] = row[cEnd]
		row[cAge] = xlsx.Num(float64(civil.YearsBetween(row[cBirth].Date, row[cStart].Date)))
	case "age-mismatch":
		row[cAge] = xlsx.Num(row[cAge].Number + 3 + float64(g.frnd.IntN(5)))
	case "phone-format":
		row[cMobile] = xlsx.Text(g.fpick([]string{"8 123 45", "+7 (312) 555-12-34", "нет"}))
	case "oked-mismatch":
		sec := row[cSection].Text
		other := "A"
		if sec == "A" {
			other = "C"
		}
		row[cSection] = xlsx.Text(other)
	case "email-format":
		row[cEmail] = xlsx.Text(g.fpick([]string{"ivanov@mail", "petrov mail.kz", "a@@b.kz"}))
	case "date-order":
		end := row[cEnd].Date
		if end.Sub(g.opt.Period.First()) >= 2 {
			row[cStart] = xlsx.DateOf(end)
			row[cEnd] = xlsx.DateOf(end.AddDays(-2))
		} else {
			row[cStart] = xlsx.DateOf(end.AddDays(2))
		}
		row[cAge] = xlsx.Num(float64(civil.YearsBetween(row[cBirth].Date, row[cStart].Date)))
	case "duplicate-row":
		copy(row, g.prev)
	case "not-smb":
		row[cCategory] = xlsx.Text(g.fpick([]string{"Крупное предпринимательство", "ірі"}))
	case "name-format":
		row[cClient] = xlsx.Text(g.fpick([]string{"Иванов И.И.", "Ахметов2 Ержан", "Сейткали"}))
	case "type-error":
		d := row[cEnd].Date
		y, m, day := d.Date()
		row[cEnd] = xlsx.Text(fmt.Sprintf("%02d.%02d.%02d", day, int(m), y%100))
	}
}

func (g *gen) fpick(xs []string) string { return xs[g.frnd.IntN(len(xs))] }
