// Package sample writes realistic synthetic registers (Annex 1) for tests, benchmarks
// and the demo: Kazakh and Russian names, IINs and BINs with valid check digits, real
// regions, OKED codes and phones, dates inside the period, and a known share of rows
// with exactly one fault each. The same seed gives the same file.
//
// Realistic also means what audit leads look at. Clients come from one population
// (the same person, IIN and phone in every file; a few households share a phone by
// two); a returning client asks for another service; operators sometimes write a
// name another way (no patronymic, capitals, initials, no Kazakh letters, Latin
// look-alikes, ё). Centres are staffed so that a manager renders about five services
// a working day, and offline services happen on working days of the calendar. So a
// clean sample has no lead of manager-load, non-working-day, shared-phone,
// iin-many-names or repeat-service; Options.Plant adds each pattern on purpose.
package sample

import (
	"encoding/csv"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"

	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/iin"
	"github.com/qoldau/qoldau/shared/refdata"
	"github.com/qoldau/qoldau/shared/workday"
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
	// Plant adds audit-lead patterns: their rows take the place of clean rows
	// (Stats.Planted says which), and carry no fault.
	Plant Plant
}

// Fault names an injected fault and the finding code it must produce.
type Fault string

// The faults a sample injects, each producing one error finding of the same code.
var Faults = []Fault{
	"bin-iin-checksum", "required-missing", "unknown-value", "out-of-period", "age-mismatch",
	"phone-format", "oked-mismatch", "email-format", "date-order", "duplicate-row", "not-smb",
	"name-format", "type-error",
}

// Stats tell what was written: rows, faulty rows by fault, rows without contacts,
// the managers on staff, and the planted patterns.
type Stats struct {
	Rows      int
	Faulty    int
	ByFault   map[Fault]int
	NoContact int
	Managers  int
	Planted   []Planted
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

type gen struct {
	opt      Options
	rnd      *rand.Rand
	frnd     *rand.Rand // faults: a stream of their own, so clean rows do not depend on the error rate
	ref      *refdata.Set
	cal      *workday.Calendar
	regions  []refdata.Region
	forms    []refdata.LegalForm
	sections []refdata.Section
	services []refdata.Service
	centres  [][]*centre // by region, as regions
	work     []civil.Date
	off      []civil.Date
	recent   []person // clients who may come back within the month
	// seen: the services of each client in this file, so that a client who comes
	// back asks for something else (the same service on the same start date is a
	// pattern of its own, repeat-service).
	seen   map[int][]int
	prev   []xlsx.Value
	serial int
	queue  map[queueKey]int
	fresh  int // the next person beyond the population, for planted patterns
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
		frnd: rand.New(rand.NewPCG(opt.Seed^0x5851f42d4c957f2d, opt.Seed)), seen: map[int][]int{},
		fresh: population + int(opt.Seed%997)*1000}
	g.cal = workday.Default()
	if opt.Ref != refdata.Default() {
		g.cal = workday.New(opt.Ref.Days())
	}
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
	g.work, g.off = workingDays(opt.Period, g.cal.IsWorking)
	days := opt.Period.Last().Sub(opt.Period.First()) + 1
	g.centres = staff(g.regions, opt.Rows, len(g.work), days)
	st := Stats{ByFault: map[Fault]int{}}
	for _, cs := range g.centres {
		for _, c := range cs {
			st.Managers += len(c.managers)
		}
	}
	planted, err := g.plant(&st)
	if err != nil {
		return st, err
	}
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
		var row []xlsx.Value
		if p, ok := planted.at[i]; ok {
			row = p
		} else {
			row = g.row()
			if i > 0 && g.frnd.Float64() < opt.ErrorRate {
				f := Faults[g.frnd.IntN(len(Faults))]
				g.inject(row, f)
				st.ByFault[f]++
				st.Faulty++
			}
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

func pick(r *rand.Rand, xs []string) string { return xs[r.IntN(len(xs))] }

// bin makes a valid BIN registered in year y, month m, with the d5 and d6 digits.
func (g *gen) bin(r *rand.Rand, y, m int, d5, d6 byte) string {
	for {
		g.serial++
		s := fmt.Sprintf("%02d%02d%c%c%05d", y%100, m, d5, d6, (g.serial*104729+r.IntN(100))%100000)
		if cd, ok := iin.Checksum(s); ok {
			return s + string(cd)
		}
	}
}

// phoneText writes a +7 mobile number the way people type it.
func phoneText(r *rand.Rand, n uint64) string {
	code, num := n/10_000_000, n%10_000_000
	switch r.IntN(4) {
	case 0:
		return fmt.Sprintf("8%03d%07d", code, num)
	case 1:
		return fmt.Sprintf("+7 (%03d) %03d-%02d-%02d", code, num/10000, num/100%100, num%100)
	case 2:
		return fmt.Sprintf("+7%03d%07d", code, num)
	}
	return fmt.Sprintf("8 %03d %03d %02d %02d", code, num/10000, num/100%100, num%100)
}

// client draws the client of the next clean row: one in ten comes back within the
// month (for another service), the others are drawn from the population.
func (g *gen) client() (person, bool) {
	if len(g.recent) > 0 && g.rnd.IntN(10) == 0 {
		return g.recent[g.rnd.IntN(len(g.recent))], true
	}
	p := personAt(g.rnd.IntN(population), len(g.services))
	if len(g.recent) < 4096 {
		g.recent = append(g.recent, p)
	} else {
		g.recent[g.rnd.IntN(len(g.recent))] = p
	}
	return p, false
}

// dates draws a service's start and end: offline services on working days of the
// centre, online ones on any day; the end in the month, the start up to a week
// before (a third of services end the day they start).
func (g *gen) dates(r *rand.Rand, online bool) (start, end civil.Date) {
	p := g.opt.Period
	if online || len(g.work) == 0 {
		end = p.First().AddDays(r.IntN(p.Last().Sub(p.First()) + 1))
		start = end.AddDays(-r.IntN(6))
		if r.IntN(3) == 0 {
			start = end
		}
		return start, end
	}
	end = g.work[r.IntN(len(g.work))]
	start = end
	if r.IntN(3) > 0 {
		for k := r.IntN(5); k > 0; k-- {
			start = start.AddDays(-1)
			for !g.cal.IsWorking(start) {
				start = start.AddDays(-1)
			}
		}
	}
	return start, end
}

// row generates one clean row.
func (g *gen) row() []xlsx.Value {
	cl, back := g.client()
	ri := g.rnd.IntN(len(g.regions))
	c := pickCentre(g.rnd, g.centres[ri])
	start, end := g.dates(g.rnd, c.kind == kindOnline)
	// The client's usual service (it moves on from month to month), or any for a
	// client who comes back; never one the client already had in this file.
	n := len(g.services)
	svc := (cl.svc + int(g.opt.Period)) % n
	if back {
		svc = g.rnd.IntN(n)
	}
	taken := g.seen[cl.idx]
	for k := 0; k < n && slices.Contains(taken, svc); k++ {
		svc = (svc + 1) % n
	}
	g.seen[cl.idx] = append(taken, svc)
	name := cl.name
	if g.rnd.IntN(20) == 0 {
		name = variant(g.rnd, name)
	}
	return g.build(g.rnd, cl, name, c, "", "", start, end, svc, cl.mobile)
}

// build writes a row for client cl (written as name) served at centre c by manager
// (a random one of the centre's when empty), for an enterprise of the legal form
// formCode (a random one when empty).
func (g *gen) build(r *rand.Rand, cl person, name string, c *centre, manager, formCode string, start, end civil.Date, svc int, mobile uint64) []xlsx.Value {
	reg := c.region
	town := c.town
	if town == "" {
		town = pick(r, settlements[reg.Code])
	}
	form := g.forms[[]int{0, 0, 0, 0, 0, 1, 1, 1, 2, 2, 3, 4}[r.IntN(12)]%len(g.forms)]
	for _, f := range g.forms {
		if f.Code == formCode {
			form = f
		}
	}
	var id, ent, formText string
	switch form.Code {
	case "ip":
		id, ent, formText = cl.iin, "ИП «"+strings.Fields(cl.name)[0]+"»", pick(r, []string{"ИП", "ЖК", "Индивидуальный предприниматель"})
	case "farm":
		id, ent, formText = cl.iin, "КХ «"+pick(r, bizWords)+"»", pick(r, []string{"КХ", "ШҚ", "Крестьянское (фермерское) хозяйство"})
	case "ip_joint":
		y, m, _ := start.AddDays(-400 - r.IntN(3000)).Date()
		id, ent, formText = g.bin(r, y, int(m), '6', '0'), "ИП(С) «"+pick(r, bizWords)+"»", "ИП(С)"
	case "pc":
		y, m, _ := start.AddDays(-400 - r.IntN(3000)).Date()
		id, ent, formText = g.bin(r, y, int(m), '4', '0'), "ПК «"+pick(r, bizWords)+"»", "ПК"
	default:
		y, m, _ := start.AddDays(-400 - r.IntN(5000)).Date()
		id, ent, formText = g.bin(r, y, int(m), '4', '0'), "ТОО «"+pick(r, bizWords)+" "+pick(r, bizWords)+"»", pick(r, []string{"ТОО", "ЖШС"})
	}
	sec := g.sections[[]int{0, 2, 5, 6, 6, 6, 7, 8, 9, 12, 15, 16, 18}[r.IntN(13)]%len(g.sections)]
	div := sec.Divisions[r.IntN(len(sec.Divisions))]
	oked := fmt.Sprintf("%02d.%d%d", div, 1+r.IntN(9), r.IntN(10))
	if manager == "" {
		manager = g.nextManager(c, start)
	}
	gender := "мужской"
	if !cl.male {
		gender = "женский"
	}
	if r.IntN(3) == 0 {
		gender = map[bool]string{true: "ер", false: "әйел"}[cl.male]
	}
	dis := "нет"
	if r.IntN(30) == 0 {
		dis = pick(r, []string{"да", "II группа", "III группа"})
	}
	cat := pick(r, []string{"Микропредпринимательство", "микро", "Малое предпринимательство", "Малое", "Среднее предпринимательство"})
	row := make([]xlsx.Value, nCols)
	row[cRegion] = xlsx.Text(regionLabel(r, reg))
	row[cSettlement] = xlsx.Text(town)
	row[cPlace] = xlsx.Text(c.text)
	row[cEnterprise] = xlsx.Text(ent)
	row[cClient] = xlsx.Text(name)
	row[cBinIIN] = xlsx.Text(id)
	row[cGender] = xlsx.Text(gender)
	row[cBirth] = xlsx.DateOf(cl.birth)
	row[cAge] = xlsx.Num(float64(civil.YearsBetween(cl.birth, start)))
	row[cDisability] = xlsx.Text(dis)
	row[cLegalForm] = xlsx.Text(formText)
	row[cCategory] = xlsx.Text(cat)
	row[cSection] = xlsx.Text(sec.Code)
	row[cOKED] = xlsx.Text(oked)
	row[cService] = xlsx.Text(g.services[svc].Label.RU)
	row[cManager] = xlsx.Text(manager)
	row[cStart] = xlsx.DateOf(start)
	row[cEnd] = xlsx.DateOf(end)
	if r.IntN(4) == 0 {
		row[cWorkPhone] = xlsx.Text(fmt.Sprintf("8 (7%d%02d) %02d-%02d-%02d", 1+r.IntN(2), r.IntN(100), r.IntN(100), r.IntN(100), r.IntN(100)))
	}
	if mobile != 0 {
		row[cMobile] = xlsx.Text(phoneText(r, mobile))
	}
	if cl.email != "" {
		row[cEmail] = xlsx.Text(cl.email)
	}
	return row
}

// queueKey is a centre's day.
type queueKey struct {
	c   *centre
	day civil.Date
}

// nextManager is the manager who takes a centre's next client on a day: clients
// queue, and the next free manager takes the next one, so a day's services are
// shared out evenly among the centre's managers.
func (g *gen) nextManager(c *centre, day civil.Date) string {
	if g.queue == nil {
		g.queue = map[queueKey]int{}
	}
	k := queueKey{c, day}
	n := g.queue[k]
	g.queue[k] = n + 1
	return c.managers[(int(day)+n)%len(c.managers)]
}

func regionLabel(r *rand.Rand, reg refdata.Region) string {
	switch r.IntN(4) {
	case 0:
		return reg.Label.KK
	case 1:
		return reg.Code
	}
	return reg.Label.RU
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
