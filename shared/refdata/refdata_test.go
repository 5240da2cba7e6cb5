package refdata

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/iin"
	"github.com/qoldau/qoldau/shared/qoldau"
)

func codes[T any](items []T, code func(T) string) []string {
	var out []string
	for _, it := range items {
		out = append(out, code(it))
	}
	return out
}

func TestDefaultLoads(t *testing.T) {
	if _, err := build(nil); err != nil {
		t.Fatalf("embedded data does not load: %v", err)
	}
	s := Default()
	if s.Version != "2026.1" {
		t.Errorf("Version = %q, want 2026.1", s.Version)
	}
	if Default() != s {
		t.Error("Default() is not cached")
	}
}

func TestRegionsOrder(t *testing.T) {
	got := codes(Default().Regions(), func(r Region) string { return r.Code })
	want := []string{
		"110000000", "150000000", "190000000", "230000000", "270000000", "310000000",
		"350000000", "390000000", "430000000", "470000000", "550000000", "590000000",
		"610000000", "630000000", "100000000", "330000000", "620000000", "710000000",
		"750000000", "790000000",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("region order mismatch (-want +got):\n%s", diff)
	}
}

func TestRegion(t *testing.T) {
	s := Default()
	tests := []struct {
		in   string
		want string // "" = no match
	}{
		{"110000000", "110000000"},
		{"Акмолинская область", "110000000"},
		{"Ақмола облысы", "110000000"},
		{"Akmola Region", "110000000"},
		{"akmola", "110000000"},
		{"Карагандинская обл.", "350000000"},
		{"Карагандинская обл", "350000000"},
		{"КАРАГАНДИНСКАЯ ОБЛАСТЬ", "350000000"},
		{"Қарағанды облысы", "350000000"},
		{"Қарағанды обл.", "350000000"},
		{"Караганда", "350000000"},
		{"г. Алматы", "750000000"},
		{"г.Алматы", "750000000"},
		{"город Алматы", "750000000"},
		{"Алматы қаласы", "750000000"},
		{"Алматы қ.", "750000000"},
		{"Алматы", "750000000"},
		{"алматы", "750000000"},
		{" Алматы ", "750000000"},
		{"Almaty", "750000000"},
		{"ALMATY", "750000000"},
		{"Almaty city", "750000000"},
		{"Алматинская область", "190000000"},
		{"Алматинская обл.", "190000000"},
		{"Алматинская", "190000000"},
		{"Алматы облысы", "190000000"},
		{"Алматы обл.", "190000000"},
		{"Алматы область", "190000000"},
		{"Almaty Region", "190000000"},
		{"Almaty oblast", "190000000"},
		{"ЗКО", "270000000"},
		{"зко", "270000000"},
		{"Западно-Казахстанская область", "270000000"},
		{"Западно Казахстанская обл", "270000000"},
		{"СКО", "590000000"},
		{"ВКО", "630000000"},
		{"Jambyl", "310000000"},
		{"Жамбылская обл.", "310000000"},
		{"область Абай", "100000000"},
		{"Абайская область", "100000000"},
		{"Абай облысы", "100000000"},
		{"обл. Абай", "100000000"},
		{"Абай", "100000000"},
		{"Abai Region", "100000000"},
		{"область Жетісу", "330000000"},
		{"Жетысуская область", "330000000"},
		{"Ұлытау облысы", "620000000"},
		{"Улытауская область", "620000000"},
		{"Астана", "710000000"},
		{"г. Астана", "710000000"},
		{"Астана қаласы", "710000000"},
		{"Astana", "710000000"},
		{"Nur-Sultan", "710000000"},
		{"Нур-Султан", "710000000"},
		{"г. Нур-Султан", "710000000"},
		{"Нұр-Сұлтан қаласы", "710000000"},
		{"Шымкент", "790000000"},
		{"г. Шымкент", "790000000"},
		{"Туркестанская область", "610000000"},
		{"", ""},
		{"Область", ""},
		{"г.", ""},
		{"Москва", ""},
		{"Алматы Алматы", ""},
		{"Южно-Казахстанская область", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			r, ok := s.Region(tt.in)
			if got := r.Code; got != tt.want || ok != (tt.want != "") {
				t.Errorf("Region(%q) = %q, %v; want %q", tt.in, got, ok, tt.want)
			}
		})
	}
}

// TestAlmatyNeverRegion tries spellings of a bare Almaty: none may give the region.
func TestAlmatyNeverRegion(t *testing.T) {
	s := Default()
	for _, v := range []string{"Алматы", "АЛМАТЫ", "алматы", "Almaty", "almaty", "Алматы.", "(Алматы)", "Алматы\n"} {
		r, ok := s.Region(v)
		if !ok || r.Code != "750000000" {
			t.Errorf("Region(%q) = %q, %v; want the city 750000000", v, r.Code, ok)
		}
	}
}

func TestRegionValidAt(t *testing.T) {
	s := Default()
	before, on := civil.D(2022, time.June, 7), civil.D(2022, time.June, 8)
	tests := []struct {
		region     string
		before, on bool
	}{
		{"Абай", false, true},
		{"Жетісу облысы", false, true},
		{"Ulytau Region", false, true},
		{"Алматинская область", true, true},
		{"Нур-Султан", true, true},
	}
	for _, tt := range tests {
		r, ok := s.Region(tt.region)
		if !ok {
			t.Fatalf("Region(%q) not found", tt.region)
		}
		if got := r.ValidAt(before); got != tt.before {
			t.Errorf("%s ValidAt(%v) = %v, want %v", tt.region, before, got, tt.before)
		}
		if got := r.ValidAt(on); got != tt.on {
			t.Errorf("%s ValidAt(%v) = %v, want %v", tt.region, on, got, tt.on)
		}
	}
	r := Region{From: civil.D(2020, 1, 1), To: civil.D(2020, 12, 31)}
	got := []bool{r.ValidAt(civil.D(2019, 12, 31)), r.ValidAt(civil.D(2020, 1, 1)), r.ValidAt(civil.D(2020, 12, 31)), r.ValidAt(civil.D(2021, 1, 1))}
	if diff := cmp.Diff([]bool{false, true, true, false}, got); diff != "" {
		t.Errorf("bounded ValidAt mismatch (-want +got):\n%s", diff)
	}
}

// TestEveryNameMatches checks that every code, label and alias of every item of
// the default data finds its own item, raw and in upper case.
func TestEveryNameMatches(t *testing.T) {
	s := Default()
	type finder func(string) (string, bool)
	check := func(t *testing.T, what string, items []Item, find finder) {
		t.Helper()
		for _, it := range items {
			names := append([]string{it.Code, it.Label.KK, it.Label.RU, it.Label.EN}, it.Aliases...)
			for _, n := range names {
				for _, v := range []string{n, strings.ToUpper(n), " " + n + ". "} {
					if got, ok := find(v); !ok || got != it.Code {
						t.Errorf("%s(%q) = %q, %v; want %q", what, v, got, ok, it.Code)
					}
				}
			}
		}
	}
	check(t, "Region", itemsOf(s.Regions(), func(r Region) Item { return r.Item }), func(v string) (string, bool) { r, ok := s.Region(v); return r.Code, ok })
	check(t, "Section", itemsOf(s.Sections(), func(r Section) Item { return r.Item }), func(v string) (string, bool) { r, ok := s.Section(v); return r.Code, ok })
	check(t, "LegalForm", itemsOf(s.LegalForms(), func(r LegalForm) Item { return r.Item }), func(v string) (string, bool) { r, ok := s.LegalForm(v); return r.Code, ok })
	check(t, "Category", itemsOf(s.Categories(), func(r Category) Item { return r.Item }), func(v string) (string, bool) { r, ok := s.Category(v); return r.Code, ok })
	check(t, "Place", itemsOf(s.Places(), func(r Place) Item { return r.Item }), func(v string) (string, bool) { r, _, ok := s.Place(v); return r.Code, ok })
	check(t, "Service", itemsOf(s.Services(), func(r Service) Item { return r.Item }), func(v string) (string, bool) { r, ok := s.Service(v); return r.Code, ok })
}

func itemsOf[T any](xs []T, f func(T) Item) []Item {
	var out []Item
	for _, x := range xs {
		out = append(out, f(x))
	}
	return out
}

func TestSections(t *testing.T) {
	s := Default()
	got := codes(s.Sections(), func(x Section) string { return x.Code })
	want := strings.Split("A B C D E F G H I J K L M N O P Q R S T U", " ")
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("sections mismatch (-want +got):\n%s", diff)
	}
	var missing []int
	for div := 1; div <= 99; div++ {
		if _, ok := s.SectionOfDivision(div); !ok {
			missing = append(missing, div)
		}
	}
	if diff := cmp.Diff([]int{4, 34, 40, 44, 48, 54, 57, 67, 76, 83, 89}, missing); diff != "" {
		t.Errorf("missing divisions mismatch (-want +got):\n%s", diff)
	}
	for _, sec := range s.Sections() {
		if sec.Label.KK == "" || sec.Label.KK == sec.Label.RU {
			t.Errorf("section %s has no Kazakh name of its own: %q", sec.Code, sec.Label.KK)
		}
	}
}

func TestSectionOfDivision(t *testing.T) {
	s := Default()
	tests := []struct {
		div  int
		want string
	}{
		{1, "A"}, {3, "A"}, {4, ""}, {5, "B"}, {9, "B"}, {10, "C"}, {33, "C"}, {34, ""},
		{35, "D"}, {36, "E"}, {39, "E"}, {40, ""}, {41, "F"}, {43, "F"}, {44, ""},
		{45, "G"}, {47, "G"}, {48, ""}, {49, "H"}, {53, "H"}, {54, ""}, {55, "I"},
		{56, "I"}, {57, ""}, {58, "J"}, {63, "J"}, {64, "K"}, {66, "K"}, {67, ""},
		{68, "L"}, {69, "M"}, {75, "M"}, {76, ""}, {77, "N"}, {82, "N"}, {83, ""},
		{84, "O"}, {85, "P"}, {86, "Q"}, {88, "Q"}, {89, ""}, {90, "R"}, {93, "R"},
		{94, "S"}, {96, "S"}, {97, "T"}, {98, "T"}, {99, "U"},
		{0, ""}, {100, ""}, {-1, ""},
	}
	for _, tt := range tests {
		sec, ok := s.SectionOfDivision(tt.div)
		if sec.Code != tt.want || ok != (tt.want != "") {
			t.Errorf("SectionOfDivision(%d) = %q, %v; want %q", tt.div, sec.Code, ok, tt.want)
		}
		if ok && !sec.Contains(tt.div) {
			t.Errorf("section %s does not contain its division %d", sec.Code, tt.div)
		}
	}
}

func TestSection(t *testing.T) {
	s := Default()
	tests := []struct {
		in, want string
	}{
		{"A", "A"},
		{"a", "A"},
		{"A.", "A"},
		{"С", "C"}, // Cyrillic Es
		{"Н", "H"}, // Cyrillic En
		{"Р", "P"}, // Cyrillic Er
		{"Обрабатывающая промышленность", "C"},
		{"Өңдеу өнеркәсібі", "C"},
		{"Manufacturing", "C"},
		{"C Обрабатывающая промышленность", "C"},
		{"С. Обрабатывающая промышленность", "C"},
		{"G - Оптовая и розничная торговля; ремонт автомобилей и мотоциклов", "G"},
		{"Сельское, лесное и рыбное хозяйство", "A"},
		{"сельское лесное и рыбное хозяйство", "A"},
		{"Транспорт и складирование", "H"},
		{"Көлік және жинақтау", "H"},
		{"B Обрабатывающая промышленность", ""}, // letter and name disagree
		{"V", ""},
		{"Я", ""},
		{"AB", ""},
		{"", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			sec, ok := s.Section(tt.in)
			if sec.Code != tt.want || ok != (tt.want != "") {
				t.Errorf("Section(%q) = %q, %v; want %q", tt.in, sec.Code, ok, tt.want)
			}
		})
	}
}

func TestLegalForm(t *testing.T) {
	s := Default()
	tests := []struct {
		in, want string
	}{
		{"ip", "ip"}, {"ИП", "ip"}, {"ЖК", "ip"}, {"Индивидуальный предприниматель", "ip"},
		{"Индивидуальный предприниматель (ИП)", "ip"}, {"Жеке кәсіпкер", "ip"}, {"Individual entrepreneur", "ip"},
		{"ИП(С)", "ip_joint"}, {"ИП (С)", "ip_joint"}, {"Бірлескен кәсіпкерлік", "ip_joint"},
		{"КХ", "farm"}, {"ФХ", "farm"}, {"ШҚ", "farm"}, {"ФҚ", "farm"}, {"К(Ф)Х", "farm"},
		{"Крестьянское (фермерское) хозяйство", "farm"}, {"Крестьянское хозяйство", "farm"}, {"Peasant or farm enterprise", "farm"},
		{"ТОО", "llp"}, {"тоо", "llp"}, {"ЖШС", "llp"}, {"Limited liability partnership", "llp"}, {"LLP", "llp"},
		{"ТДО", "alp"}, {"ҚЖС", "alp"},
		{"ПТ", "gp"}, {"Толық серіктестік", "gp"},
		{"КТ", "lp"}, {"Коммандитное товарищество", "lp"},
		{"АО", "jsc"}, {"АҚ", "jsc"}, {"Joint-stock company", "jsc"}, {"joint stock company", "jsc"},
		{"ПК", "pc"}, {"ӨК", "pc"},
		{"Потребительский кооператив", "cc"}, {"Consumer cooperative", "cc"},
		{"ООО", ""}, {"", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			f, ok := s.LegalForm(tt.in)
			if f.Code != tt.want || ok != (tt.want != "") {
				t.Errorf("LegalForm(%q) = %q, %v; want %q", tt.in, f.Code, ok, tt.want)
			}
		})
	}
}

func TestLegalFormAllows(t *testing.T) {
	s := Default()
	// numbers: an IIN, a resident BIN, a non-resident BIN, a joint IP BIN and a
	// joint peasant farm BIN.
	numbers := map[string]iin.Info{
		"iin":       {Kind: iin.IIN},
		"resident":  {Kind: iin.BIN, Residency: '4', EntityType: '0'},
		"branch":    {Kind: iin.BIN, Residency: '4', EntityType: '1'},
		"nonres":    {Kind: iin.BIN, Residency: '5', EntityType: '2'},
		"joint":     {Kind: iin.BIN, Residency: '6', EntityType: '0'},
		"jointfarm": {Kind: iin.BIN, Residency: '6', EntityType: '3'},
		"resfarm":   {Kind: iin.BIN, Residency: '4', EntityType: '3'},
		"unknown":   {},
	}
	tests := []struct {
		form  string
		allow []string
	}{
		{"ip", []string{"iin"}},
		{"ip_joint", []string{"joint", "jointfarm"}},
		{"farm", []string{"iin", "jointfarm", "resfarm"}},
		{"llp", []string{"branch", "nonres", "resfarm", "resident"}},
		{"jsc", []string{"branch", "nonres", "resfarm", "resident"}},
		{"cc", []string{"branch", "nonres", "resfarm", "resident"}},
	}
	for _, tt := range tests {
		f, ok := s.LegalForm(tt.form)
		if !ok {
			t.Fatalf("LegalForm(%q) not found", tt.form)
		}
		var got []string
		for name, info := range numbers {
			if f.Allows(info) {
				got = append(got, name)
			}
		}
		slices.Sort(got)
		if diff := cmp.Diff(tt.allow, got); diff != "" {
			t.Errorf("%s allows mismatch (-want +got):\n%s", tt.form, diff)
		}
	}
	// The public vectors through Parse.
	ip, _ := s.LegalForm("ip")
	llp, _ := s.LegalForm("llp")
	for _, tt := range []struct {
		number  string
		ip, llp bool
	}{{"880515300120", true, false}, {"940140000385", false, true}, {"961141000023", false, true}} {
		info, p := iin.Parse(tt.number)
		if p != iin.OK {
			t.Fatalf("Parse(%s) = %v", tt.number, p)
		}
		if ip.Allows(info) != tt.ip || llp.Allows(info) != tt.llp {
			t.Errorf("%s: ip %v llp %v, want %v %v", tt.number, ip.Allows(info), llp.Allows(info), tt.ip, tt.llp)
		}
	}
}

func TestLegalFormData(t *testing.T) {
	type form struct {
		Code, Res, Type string
		IIN             bool
	}
	var got []form
	for _, f := range Default().LegalForms() {
		got = append(got, form{f.Code, f.BINResidency, f.BINType, f.IIN})
	}
	want := []form{
		{"ip", "", "", true}, {"ip_joint", "6", "", false}, {"farm", "456", "3", true},
		{"llp", "45", "", false}, {"alp", "45", "", false}, {"gp", "45", "", false}, {"lp", "45", "", false},
		{"jsc", "45", "", false}, {"pc", "45", "", false}, {"cc", "45", "", false},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("legal forms mismatch (-want +got):\n%s", diff)
	}
}

func TestCategory(t *testing.T) {
	s := Default()
	tests := []struct {
		in, want string
		smb      bool
	}{
		{"micro", "micro", true}, {"Микропредпринимательство", "micro", true}, {"микро", "micro", true},
		{"Микробизнес", "micro", true}, {"Микрокәсіпкерлік", "micro", true},
		{"Малое предпринимательство", "small", true}, {"малый", "small", true}, {"шағын", "small", true}, {"Small", "small", true},
		{"Среднее", "medium", true}, {"средний", "medium", true}, {"орта", "medium", true},
		{"Крупное предпринимательство", "large", false}, {"крупное", "large", false}, {"ірі", "large", false}, {"Large", "large", false},
		{"гигант", "", false},
	}
	for _, tt := range tests {
		c, ok := s.Category(tt.in)
		if c.Code != tt.want || ok != (tt.want != "") || c.SMB != tt.smb {
			t.Errorf("Category(%q) = %q smb=%v, %v; want %q smb=%v", tt.in, c.Code, c.SMB, ok, tt.want, tt.smb)
		}
	}
}

func TestPlace(t *testing.T) {
	s := Default()
	tests := []struct {
		in, code, centre string
		online           bool
	}{
		{"ЦОП г. Караганда", "service_center", "г. Караганда", false},
		{"ЦОП", "service_center", "", false},
		{"цоп", "service_center", "", false},
		{"ЦОП, г. Караганда ", "service_center", "г. Караганда", false},
		{"ЦОП - г.Караганда", "service_center", "г.Караганда", false},
		{"ЦОП: Жезказган", "service_center", "Жезказган", false},
		{"КҚКО Қарағанды қ.", "service_center", "Қарағанды қ.", false},
		{"ESC Karaganda", "service_center", "Karaganda", false},
		{"Центр обслуживания предпринимателей (ЦОП)", "service_center", "", false},
		{"Центр обслуживания предпринимателей г. Актобе", "service_center", "г. Актобе", false},
		{"ЦПП Бурабайского района", "support_center", "Бурабайского района", false},
		{"ЦПП района Бурабай", "support_center", "Бурабай", false},
		{"ЦПП района", "support_center", "", false},
		{"СЦПП Шортанды", "support_center", "Шортанды", false},
		{"КҚО Бурабай ауданы", "support_center", "Бурабай ауданы", false},
		{"МЦПП", "mobile_center", "", false},
		{"Мобильный ЦПП с. Коянды", "mobile_center", "с. Коянды", false},
		{"мобильный цпп", "mobile_center", "", false},
		{"Автобус", "mobile_center", "", false},
		{"Онлайн", "online", "", true},
		{"онлайн-режим", "online", "", true},
		{"Online", "online", "", true},
		{"дистанционно", "online", "", true},
		{"Онлайн (Zoom)", "online", "(Zoom)", true},
		{"ЦОПП", "", "", false},
		{"ЦОПг. Караганда", "", "", false},
		{"", "", "", false},
		{"г. Караганда", "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			p, centre, ok := s.Place(tt.in)
			if p.Code != tt.code || centre != tt.centre || ok != (tt.code != "") || p.Online != tt.online {
				t.Errorf("Place(%q) = %q, %q, online=%v, %v; want %q, %q, online=%v", tt.in, p.Code, centre, p.Online, ok, tt.code, tt.centre, tt.online)
			}
		})
	}
}

func TestService(t *testing.T) {
	s := Default()
	got := codes(s.Services(), func(x Service) string { return x.Code })
	want := []string{"state_support", "accounting", "tax", "legal", "marketing", "procurement", "export", "certification", "business_plan", "digital"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("services mismatch (-want +got):\n%s", diff)
	}
	tests := []struct{ in, want string }{
		{"legal", "legal"},
		{"Юридические услуги", "legal"},
		{"ЮРИДИЧЕСКИЕ УСЛУГИ", "legal"},
		{"Заң қызметтері", "legal"},
		{"Бухгалтерский учёт и отчётность", "accounting"},
		{"Разработка бизнес-плана и финансовой модели", "business_plan"},
		{"business plan", "business_plan"},
		{"Certification and standardization", "certification"},
		{"Стрижка", ""},
	}
	for _, tt := range tests {
		svc, ok := s.Service(tt.in)
		if svc.Code != tt.want || ok != (tt.want != "") {
			t.Errorf("Service(%q) = %q, %v; want %q", tt.in, svc.Code, ok, tt.want)
		}
	}
	if _, ok := s.Subtype("legal", "anything"); ok {
		t.Error("default catalogue has subtypes")
	}
}

func TestBrackets(t *testing.T) {
	s := Default()
	want := []Bracket{{"14-29", 14, 29}, {"30-39", 30, 39}, {"40-49", 40, 49}, {"50-59", 50, 59}, {"60+", 60, 0}}
	if diff := cmp.Diff(want, s.Brackets()); diff != "" {
		t.Errorf("Brackets mismatch (-want +got):\n%s", diff)
	}
	y35, ok := s.BracketsFor(BracketsYouth35)
	wantY := []Bracket{{"14-35", 14, 35}, {"36-39", 36, 39}, {"40-49", 40, 49}, {"50-59", 50, 59}, {"60+", 60, 0}}
	if diff := cmp.Diff(wantY, y35); !ok || diff != "" {
		t.Errorf("BracketsFor(youth35) ok=%v mismatch (-want +got):\n%s", ok, diff)
	}
	if def, ok := s.BracketsFor(""); !ok || !cmp.Equal(def, want) {
		t.Errorf("BracketsFor(\"\") = %v, %v", def, ok)
	}
	if _, ok := s.BracketsFor("other"); ok {
		t.Error("BracketsFor(other) ok")
	}
	tests := []struct {
		age        int
		def, youth string
	}{
		{0, "", ""}, {13, "", ""}, {14, "14-29", "14-35"}, {29, "14-29", "14-35"}, {30, "30-39", "14-35"},
		{35, "30-39", "14-35"}, {36, "30-39", "36-39"}, {39, "30-39", "36-39"}, {40, "40-49", "40-49"},
		{59, "50-59", "50-59"}, {60, "60+", "60+"}, {100, "60+", "60+"}, {-5, "", ""},
	}
	for _, tt := range tests {
		if got := s.Bracket(tt.age); got != tt.def {
			t.Errorf("Bracket(%d) = %q, want %q", tt.age, got, tt.def)
		}
		if got := BracketOf(y35, tt.age); got != tt.youth {
			t.Errorf("BracketOf(youth35, %d) = %q, want %q", tt.age, got, tt.youth)
		}
	}
}

func TestMobileCode(t *testing.T) {
	s := Default()
	var got []string
	for c := 0; c < 1000; c++ {
		code := string([]byte{byte('0' + c/100), byte('0' + c/10%10), byte('0' + c%10)})
		if s.MobileCode(code) {
			got = append(got, code)
		}
	}
	want := strings.Fields("700 701 702 703 704 705 706 707 708 709 747 750 751 760 761 762 763 764 771 775 776 777 778")
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("mobile codes mismatch (-want +got):\n%s", diff)
	}
	for _, bad := range []string{"", "70", "7011", "7o1", "+70"} {
		if s.MobileCode(bad) {
			t.Errorf("MobileCode(%q) = true", bad)
		}
	}
}

// TestCalendarMatchesSpec checks that the per-year files hold exactly the rows of
// the specification's calendar-kz.csv (skipped where the spec folder is absent).
func TestCalendarMatchesSpec(t *testing.T) {
	f, err := os.Open(filepath.Join("..", "..", "..", "shared", "spec", "calendar-kz.csv"))
	if err != nil {
		t.Skipf("spec calendar not found: %v", err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, r := range rows[1:] {
		want = append(want, strings.Join(r, ","))
	}
	var got []string
	for _, d := range Default().Days() {
		got = append(got, d.Date.String()+","+d.Kind+","+d.Name)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("calendar mismatch (-spec +data):\n%s", diff)
	}
}

func TestDays(t *testing.T) {
	s := Default()
	days := s.Days()
	if !slices.IsSortedFunc(days, func(a, b Day) int { return int(a.Date - b.Date) }) {
		t.Error("Days not sorted")
	}
	if diff := cmp.Diff([]int{2019, 2020, 2021, 2022, 2023, 2024, 2025, 2026, 2027}, s.CalendarYears()); diff != "" {
		t.Errorf("CalendarYears mismatch (-want +got):\n%s", diff)
	}
	i, ok := slices.BinarySearchFunc(days, civil.D(2025, time.January, 5), func(d Day, t civil.Date) int { return int(d.Date - t) })
	if !ok || days[i].Kind != TransferWork {
		t.Errorf("2025-01-05 is not a transfer_work day: %+v", days[i])
	}
	days[0].Kind = "changed"
	if s.Days()[0].Kind == "changed" {
		t.Error("Days returns the set's own slice")
	}
}

func TestFiles(t *testing.T) {
	want := []string{
		"VERSION", "regions.csv", "oked_sections.csv", "legal_forms.csv", "categories.csv", "places.csv",
		"services.csv", "service_subtypes.csv", "age_brackets.csv", "age_brackets_youth35.csv", "mobile_codes.csv",
		"calendar/2019.csv", "calendar/2020.csv", "calendar/2021.csv", "calendar/2022.csv", "calendar/2023.csv",
		"calendar/2024.csv", "calendar/2025.csv", "calendar/2026.csv", "calendar/2027.csv",
	}
	if diff := cmp.Diff(want, Files()); diff != "" {
		t.Errorf("Files mismatch (-want +got):\n%s", diff)
	}
}

// errText returns the English message of a qoldau.Error, failing the test for any
// other error or a code other than invalid; the Kazakh and Russian messages must
// name the file too.
func errText(t *testing.T, err error, file string) string {
	t.Helper()
	if err == nil {
		t.Fatal("no error")
	}
	if qoldau.CodeOf(err) != qoldau.Invalid {
		t.Fatalf("error code %q, want invalid: %v", qoldau.CodeOf(err), err)
	}
	m := qoldau.MessageOf(err)
	for _, s := range []string{m.KK, m.RU, m.EN} {
		if !strings.HasPrefix(s, file) {
			t.Errorf("message %q does not name %s", s, file)
		}
	}
	if m.KK == m.EN || m.RU == m.EN {
		t.Errorf("message not translated: %+v", m)
	}
	return m.EN
}

func TestConcurrentUse(t *testing.T) {
	done := make(chan string)
	for range 8 {
		go func() {
			r, _ := Default().Region("Алматы")
			p, _, _ := Default().Place("ЦОП г. Караганда")
			done <- r.Code + " " + p.Code
		}()
	}
	for range 8 {
		if got := <-done; got != "750000000 service_center" {
			t.Errorf("concurrent lookup = %q", got)
		}
	}
}
