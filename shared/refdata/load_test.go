package refdata

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/qoldau"
)

func mapFS(files map[string]string) fstest.MapFS {
	m := fstest.MapFS{}
	for name, content := range files {
		m[name] = &fstest.MapFile{Data: []byte(content)}
	}
	return m
}

func TestLoadEmptyFolderIsDefault(t *testing.T) {
	s, err := Load(fstest.MapFS{})
	if err != nil {
		t.Fatal(err)
	}
	if s.Version != Default().Version {
		t.Errorf("Version = %q, want %q", s.Version, Default().Version)
	}
	if diff := cmp.Diff(Default().Regions(), s.Regions()); diff != "" {
		t.Errorf("regions differ (-default +loaded):\n%s", diff)
	}
}

func TestLoadReplaces(t *testing.T) {
	s, err := Load(mapFS(map[string]string{
		"services.csv": "\ufeffcode;kk;ru;en\n" + // BOM, semicolons, no aliases column
			"hair;Шаш қию;Стрижка;Haircut\n" +
			"\n" + // blank line
			"tax;Салық;Налоги;Taxes\n",
		"service_subtypes.csv": "service,code,kk,ru,en,aliases\n" +
			"hair,short,Қысқа,Короткая,Short,коротко|short cut\n" +
			"hair,long,Ұзын,Длинная,Long,\n" +
			"tax,vat,ҚҚС,НДС,VAT,\n",
		"calendar/2028.csv":          "date,kind,name\n2028-01-03,holiday,Test\n",
		"calendar/.2028.csv.123.tmp": "garbage",
		"calendar/2025.csv":          "name,kind,date\nOnly,holiday,2025-01-01\n",
	}))
	if err != nil {
		t.Fatal(err)
	}
	got := codes(s.Services(), func(x Service) string { return x.Code })
	if diff := cmp.Diff([]string{"hair", "tax"}, got); diff != "" {
		t.Errorf("services mismatch (-want +got):\n%s", diff)
	}
	if svc, ok := s.Service("Стрижка"); !ok || svc.Code != "hair" || len(svc.Subtypes) != 2 {
		t.Errorf("Service(Стрижка) = %+v, %v", svc, ok)
	}
	subtypes := []struct{ service, v, want string }{
		{"hair", "Короткая", "short"},
		{"hair", "short cut", "short"},
		{"Стрижка", "SHORT", "short"},
		{"hair", "Long", "long"},
		{"tax", "НДС", "vat"},
		{"tax", "Короткая", ""},
		{"nope", "short", ""},
	}
	for _, tt := range subtypes {
		it, ok := s.Subtype(tt.service, tt.v)
		if it.Code != tt.want || ok != (tt.want != "") {
			t.Errorf("Subtype(%q, %q) = %q, %v; want %q", tt.service, tt.v, it.Code, ok, tt.want)
		}
	}
	if diff := cmp.Diff([]int{2019, 2020, 2021, 2022, 2023, 2024, 2025, 2026, 2027, 2028}, s.CalendarYears()); diff != "" {
		t.Errorf("years mismatch (-want +got):\n%s", diff)
	}
	var y2025 []Day
	for _, d := range s.Days() {
		if d.Date.Year() == 2025 {
			y2025 = append(y2025, d)
		}
	}
	if diff := cmp.Diff([]Day{{Date: civil.D(2025, time.January, 1), Kind: Holiday, Name: "Only"}}, y2025); diff != "" {
		t.Errorf("2025 not replaced (-want +got):\n%s", diff)
	}
	if !strings.HasPrefix(s.Version, "2026.1+") || len(s.Version) != len("2026.1+")+12 {
		t.Errorf("Version = %q, want 2026.1+<hash>", s.Version)
	}
	// Regions and the rest stay embedded.
	if r, ok := s.Region("Алматы"); !ok || r.Code != "750000000" {
		t.Errorf("Region(Алматы) = %q, %v", r.Code, ok)
	}
}

func TestLoadVersion(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  string
	}{
		{"only VERSION", map[string]string{"VERSION": "2027.2\n"}, "2027.2"},
		{"same content as embedded", map[string]string{"regions.csv": string(embeddedFiles()["regions.csv"])}, "2026.1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Load(mapFS(tt.files))
			if err != nil {
				t.Fatal(err)
			}
			if s.Version != tt.want {
				t.Errorf("Version = %q, want %q", s.Version, tt.want)
			}
		})
	}
	// The hash follows the content.
	a, _ := Load(mapFS(map[string]string{"mobile_codes.csv": "code\n700\n"}))
	b, _ := Load(mapFS(map[string]string{"mobile_codes.csv": "code\n700\n", "VERSION": "2026.1"}))
	c, _ := Load(mapFS(map[string]string{"mobile_codes.csv": "code\n701\n"}))
	if a.Version != b.Version || a.Version == c.Version {
		t.Errorf("versions %q %q %q: want the first two equal and the third different", a.Version, b.Version, c.Version)
	}
}

func TestLoadErrors(t *testing.T) {
	const (
		regionsHead  = "code,kk,ru,en,aliases,valid_from,valid_to\n"
		sectionsHead = "code,divisions,kk,ru,en,aliases\n"
		legalHead    = "code,kk,ru,en,aliases,iin,bin_residency,bin_type\n"
	)
	tests := []struct {
		name string
		file string
		data string
		want string // the English message
	}{
		{"not UTF-8", "regions.csv", regionsHead + "110000000,\xff,b,c,,,\n", "regions.csv: the file is not UTF-8 text"},
		{"empty file", "regions.csv", "", "regions.csv: the file has no header row"},
		{"header only", "regions.csv", regionsHead, "regions.csv: the file has no data rows"},
		{"missing column", "regions.csv", "code,kk,ru\n1,2,3\n", `regions.csv, line 1: missing column "en"`},
		{"unknown column", "regions.csv", "code,kk,ru,en,colour\n", `regions.csv, line 1: unknown column "colour"`},
		{"duplicate column", "regions.csv", "code,kk,ru,en,kk\n", `regions.csv, line 1: column "kk" appears twice`},
		{"field count", "regions.csv", regionsHead + "110000000,a,b,c,,\n", "regions.csv, line 2: 6 fields, want 7"},
		{"bad quoting", "regions.csv", regionsHead + "110000000,\"a,b,c,,,\n", "regions.csv, line 2: not valid CSV"},
		{"empty label", "regions.csv", regionsHead + "110000000,a,,c,,,\n", `regions.csv, line 2: column "ru" is empty`},
		{"bad KATO", "regions.csv", regionsHead + "11000,a,b,c,,,\n", `regions.csv, line 2: code "11000" must be 9 digits (KATO)`},
		{"duplicate code", "regions.csv", regionsHead + "110000000,a,b,c,,,\n110000000,d,e,f,,,\n", `regions.csv, line 3: code "110000000" appears twice (first on line 2)`},
		{"duplicate alias", "regions.csv", regionsHead + "110000000,a,b,c,X,,\n150000000,d,e,f,x,,\n", `regions.csv, line 3: the name "x" already names code "110000000"`},
		{"label equals other's alias", "regions.csv", regionsHead + "110000000,a,b,c,Ё-ж,,\n150000000,d,Е Ж,f,,,\n", `regions.csv, line 3: the name "Е Ж" already names code "110000000"`},
		{"bad date", "regions.csv", regionsHead + "110000000,a,b,c,,2022-02-30,\n", `regions.csv, line 2: "2022-02-30" in column "valid_from" is not a date YYYY-MM-DD`},
		{"dates reversed", "regions.csv", regionsHead + "110000000,a,b,c,,2022-06-08,2022-01-01\n", "regions.csv, line 2: valid_from (2022-06-08) is after valid_to (2022-01-01)"},
		{"section letter", "oked_sections.csv", sectionsHead + "AA,01,a,b,c,\n", `oked_sections.csv, line 2: section "AA" must be one Latin capital letter`},
		{"division out of range", "oked_sections.csv", sectionsHead + "A,00-03,a,b,c,\n", `oked_sections.csv, line 2: "00-03": divisions must be`},
		{"division range reversed", "oked_sections.csv", sectionsHead + "A,03-01,a,b,c,\n", `oked_sections.csv, line 2: "03-01": divisions must be`},
		{"division not a number", "oked_sections.csv", sectionsHead + "A,1,a,b,c,\n", `oked_sections.csv, line 2: "1": divisions must be`},
		{"division three digits", "oked_sections.csv", sectionsHead + "A,100,a,b,c,\n", `oked_sections.csv, line 2: "100": divisions must be`},
		{"division in two sections", "oked_sections.csv", sectionsHead + "A,01-03,a1,a2,a3,\nB,03-09,b1,b2,b3,\n", "oked_sections.csv, line 3: division 03 is already in section A"},
		{"no divisions", "oked_sections.csv", sectionsHead + "A,,a,b,c,\n", `oked_sections.csv, line 2: column "divisions" is empty`},
		{"bad bool", "legal_forms.csv", legalHead + "ip,a,b,c,,maybe,,\n", `legal_forms.csv, line 2: "maybe" in column "iin" is not true or false`},
		{"bad residency", "legal_forms.csv", legalHead + "llp,a,b,c,,false,47,\n", `legal_forms.csv, line 2: column "bin_residency" may only hold the digits 4, 5, 6, not "47"`},
		{"bad type", "legal_forms.csv", legalHead + "llp,a,b,c,,false,45,9\n", `legal_forms.csv, line 2: column "bin_type" may only hold the digits 0, 1, 2, 3, not "9"`},
		{"no number", "legal_forms.csv", legalHead + "llp,a,b,c,,false,,\n", "legal_forms.csv, line 2: the form allows neither an IIN nor a BIN"},
		{"abbreviation clash", "legal_forms.csv", legalHead + "ip,a (ИП),b,c,,true,,\nllp,d,e (ИП),f,,false,45,\n", `legal_forms.csv, line 3: the name "ИП" already names code "ip"`},
		{"bad smb", "categories.csv", "code,kk,ru,en,aliases,smb\nmicro,a,b,c,,2\n", `categories.csv, line 2: "2" in column "smb" is not true or false`},
		{"bad online", "places.csv", "code,kk,ru,en,aliases,online\nx,a,b,c,,yes please\n", `places.csv, line 2: "yes please" in column "online" is not true or false`},
		{"subtype of unknown service", "service_subtypes.csv", "service,code,kk,ru,en,aliases\nhair,short,a,b,c,\n", `service_subtypes.csv, line 2: service "hair" is not in services.csv`},
		{"duplicate subtype", "service_subtypes.csv", "service,code,kk,ru,en,aliases\nlegal,x,a,b,c,\nlegal,x,d,e,f,\n", `service_subtypes.csv, line 3: code "x" appears twice (first on line 2)`},
		{"bracket min", "age_brackets.csv", "label,min,max\n14-29,fourteen,29\n", `age_brackets.csv, line 2: "fourteen" in column "min" is not a whole number`},
		{"bracket max below min", "age_brackets.csv", "label,min,max\n14-29,29,14\n", "age_brackets.csv, line 2: max (14) is below min (29)"},
		{"bracket overlap", "age_brackets.csv", "label,min,max\n14-29,14,29\n29-39,29,39\n", `age_brackets.csv, line 3: bracket "29-39" overlaps or comes before the one above it`},
		{"bracket open in the middle", "age_brackets_youth35.csv", "label,min,max\n14+,14,\n60+,60,\n", `age_brackets_youth35.csv, line 2: "14+": only the last bracket may be open-ended`},
		{"bracket label twice", "age_brackets.csv", "label,min,max\na,14,29\na,30,39\n", `age_brackets.csv, line 3: label "a" appears twice`},
		{"mobile code", "mobile_codes.csv", "code\n70\n", `mobile_codes.csv, line 2: "70" is not a three-digit code or a range such as 700-709`},
		{"mobile range reversed", "mobile_codes.csv", "code\n709-700\n", `mobile_codes.csv, line 2: "709-700" is not a three-digit code`},
		{"mobile twice", "mobile_codes.csv", "code\n700-709\n705\n", "mobile_codes.csv, line 3: code 705 is listed twice"},
		{"calendar kind", "calendar/2025.csv", "date,kind,name\n2025-01-01,party,x\n", `calendar/2025.csv, line 2: unknown kind "party" (want holiday, moved, transfer_off or transfer_work)`},
		{"calendar date", "calendar/2025.csv", "date,kind,name\n01.01.2025,holiday,x\n", `calendar/2025.csv, line 2: "01.01.2025" in column "date" is not a date YYYY-MM-DD`},
		{"calendar year", "calendar/2025.csv", "date,kind,name\n2024-01-01,holiday,x\n", "calendar/2025.csv, line 2: date 2024-01-01 is not in year 2025"},
		{"calendar twice", "calendar/2025.csv", "date,kind,name\n2025-01-01,holiday,x\n2025-01-01,holiday,y\n", "calendar/2025.csv, line 3: date 2025-01-01 appears twice (first on line 2)"},
		{"transfer_work on a weekday", "calendar/2025.csv", "date,kind,name\n2025-01-06,transfer_work,x\n", "calendar/2025.csv, line 2: 2025-01-06 is not a Saturday or Sunday"},
		{"moved on a weekend", "calendar/2025.csv", "date,kind,name\n2025-01-04,moved,x\n", "calendar/2025.csv, line 2: 2025-01-04 is a weekend day: a moved day must be Monday to Friday"},
		{"calendar empty", "calendar/2025.csv", "date,kind,name\n", "calendar/2025.csv: the file has no data rows"},
		{"calendar name", "calendar/25.csv", "date,kind,name\n2025-01-01,holiday,x\n", `calendar/25.csv: a calendar file must be named YYYY.csv, not "25.csv"`},
		{"empty VERSION", "VERSION", " \n", "VERSION: VERSION must hold one line of text"},
		{"two-line VERSION", "VERSION", "1\n2\n", "VERSION: VERSION must hold one line of text"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(mapFS(map[string]string{tt.file: tt.data}))
			got := errText(t, err, tt.file)
			if !strings.HasPrefix(got, tt.want) {
				t.Errorf("error = %q, want it to start with %q", got, tt.want)
			}
		})
	}
}

func TestLoadErrorTranslations(t *testing.T) {
	_, err := Load(mapFS(map[string]string{"regions.csv": "code,kk,ru,en\n110000000,a,b,c\n110000000,d,e,f\n"}))
	want := qoldau.Text{
		KK: `regions.csv, 3-жол: "110000000" коды қайталанады (алғаш рет 2-жолда)`,
		RU: `regions.csv, строка 3: код "110000000" повторяется (впервые в строке 2)`,
		EN: `regions.csv, line 3: code "110000000" appears twice (first on line 2)`,
	}
	if diff := cmp.Diff(want, qoldau.MessageOf(err)); diff != "" {
		t.Errorf("message mismatch (-want +got):\n%s", diff)
	}
}

func TestExportLoadRoundTrip(t *testing.T) {
	dir := t.TempDir()
	if err := Export(dir, Default()); err != nil {
		t.Fatal(err)
	}
	var written []string
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			written = append(written, filepath.ToSlash(rel))
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	want := Files()
	slices.Sort(want)
	if diff := cmp.Diff(want, written); diff != "" {
		t.Errorf("exported files mismatch (-want +got):\n%s", diff)
	}
	s, err := Load(os.DirFS(dir))
	if err != nil {
		t.Fatal(err)
	}
	if s.Version != Default().Version {
		t.Errorf("round trip Version = %q, want %q", s.Version, Default().Version)
	}
	def := Default()
	checks := []struct {
		name      string
		got, want any
	}{
		{"regions", s.Regions(), def.Regions()},
		{"sections", s.Sections(), def.Sections()},
		{"legal forms", s.LegalForms(), def.LegalForms()},
		{"categories", s.Categories(), def.Categories()},
		{"places", s.Places(), def.Places()},
		{"services", s.Services(), def.Services()},
		{"brackets", s.Brackets(), def.Brackets()},
		{"days", s.Days(), def.Days()},
	}
	for _, c := range checks {
		if diff := cmp.Diff(c.want, c.got); diff != "" {
			t.Errorf("%s differ after round trip (-want +got):\n%s", c.name, diff)
		}
	}
}

func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestImport(t *testing.T) {
	dataDir := t.TempDir()
	up := t.TempDir()

	// No refdata folder yet: the default set.
	if s, err := LoadDir(dataDir); err != nil || s != Default() {
		t.Fatalf("LoadDir on an empty data dir = %v, %v; want Default()", s, err)
	}

	good := writeFile(t, up, "mobile_codes.csv", "code\n700-709\n747\n")
	year := writeFile(t, up, "2028.csv", "date,kind,name\n2028-01-03,holiday,Test\n")
	if err := Import(dataDir, good, year); err != nil {
		t.Fatalf("Import: %v", err)
	}
	s, err := LoadDir(dataDir)
	if err != nil {
		t.Fatal(err)
	}
	if s.MobileCode("771") || !s.MobileCode("747") {
		t.Error("imported mobile codes not in effect")
	}
	if !slices.Contains(s.CalendarYears(), 2028) {
		t.Error("imported calendar year 2028 missing")
	}
	for _, name := range []string{"mobile_codes.csv", "calendar/2028.csv"} {
		if _, err := os.Stat(filepath.Join(dataDir, DirName, filepath.FromSlash(name))); err != nil {
			t.Errorf("%s not copied: %v", name, err)
		}
	}

	// A bad file among good ones: nothing is applied.
	before := s.Version
	good2 := writeFile(t, up, "places.csv", "code,kk,ru,en,aliases,online\nonline,Онлайн,Онлайн,Online,,true\n")
	badFile := writeFile(t, up, "age_brackets.csv", "label,min,max\n14-29,14,29\n20-39,20,39\n")
	err = Import(dataDir, good2, badFile)
	if got := errText(t, err, "age_brackets.csv"); !strings.HasPrefix(got, "age_brackets.csv, line 3: ") {
		t.Errorf("Import error = %q", got)
	}
	if _, err := os.Stat(filepath.Join(dataDir, DirName, "places.csv")); err == nil {
		t.Error("places.csv copied although the import failed")
	}
	if s, err := LoadDir(dataDir); err != nil || s.Version != before {
		t.Errorf("data set changed by a failed import: %v, %v", s, err)
	}

	// The check runs against the data already imported: a subtypes file needs the
	// services it names, and an imported services file counts.
	services := writeFile(t, up, "services.csv", "code,kk,ru,en\nhair,Шаш,Стрижка,Haircut\n")
	if err := Import(dataDir, services); err != nil {
		t.Fatal(err)
	}
	subtypes := writeFile(t, up, "service_subtypes.csv", "service,code,kk,ru,en\nlegal,x,a,b,c\n")
	if got := errText(t, Import(dataDir, subtypes), "service_subtypes.csv"); !strings.Contains(got, `service "legal" is not in services.csv`) {
		t.Errorf("Import error = %q", got)
	}

	// Unknown file names and a file given twice.
	unknown := writeFile(t, up, "colours.csv", "code\n")
	err = Import(dataDir, unknown)
	if qoldau.CodeOf(err) != qoldau.Invalid || !strings.Contains(qoldau.MessageOf(err).EN, `"colours.csv" is not a reference data file`) {
		t.Errorf("Import(unknown) = %v", err)
	}
	other := t.TempDir()
	twice := writeFile(t, other, "mobile_codes.csv", "code\n700\n")
	err = Import(dataDir, good, twice)
	if qoldau.CodeOf(err) != qoldau.Invalid || !strings.Contains(qoldau.MessageOf(err).EN, "given twice") {
		t.Errorf("Import(twice) = %v", err)
	}
	if err := Import(dataDir, filepath.Join(up, "missing.csv")); qoldau.CodeOf(err) != qoldau.Invalid {
		t.Errorf("Import(unknown missing file) = %v", err)
	}
	if err := Import(dataDir, filepath.Join(other, "regions.csv")); qoldau.CodeOf(err) != qoldau.Invalid {
		t.Errorf("Import(missing regions.csv) = %v", err)
	}

	// No temporary files are left behind.
	entries, _ := os.ReadDir(filepath.Join(dataDir, DirName))
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".tmp") {
			t.Errorf("temporary file left: %s", e.Name())
		}
	}
}

func TestLookupsDoNotAllocateOnExactNames(t *testing.T) {
	s := Default()
	allocs := testing.AllocsPerRun(100, func() {
		s.Region("Акмолинская область")
		s.LegalForm("ip")
		s.Category("micro")
		s.Section("A")
	})
	if allocs != 0 {
		t.Errorf("exact lookups allocate %v times", allocs)
	}
}

func BenchmarkRegion(b *testing.B) {
	s := Default()
	for b.Loop() {
		s.Region("Карагандинская обл.")
	}
}

func BenchmarkPlace(b *testing.B) {
	s := Default()
	for b.Loop() {
		s.Place("ЦОП г. Караганда")
	}
}
