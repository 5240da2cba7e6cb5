package letter

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/qoldau/qoldau/shared/goldenfile"

	"github.com/google/go-cmp/cmp"

	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/qoldau"
	"github.com/qoldau/qoldau/shared/register"
	"github.com/qoldau/qoldau/shared/workday"
)

// Values of the sample findings: personal data that must stay out of the plain text.
const (
	valIIN     = "990101300124"
	valEmail   = "ahmetov@mail"
	valHazard  = `Жиһаз & <Co> "ТОО"`
	valExtra   = "Ескерту"
	valAge     = "42"
	valSHA     = "3f5c0a9e8b7d6c5b4a39281706f5e4d3c2b1a09f8e7d6c5b4a3928170f6e5d4c"
	sampleFile = "register-2026-10.xlsx"
)

func txt(kk, ru string) qoldau.Text { return qoldau.Text{KK: kk, RU: ru, EN: ru} }

// sample is a sent letter about version 2 of the October 2026 register: four
// errors and three warnings.
func sample() Data {
	almaty := workday.Almaty()
	return Data{
		Number:    "12-3/456",
		Date:      civil.D(2026, time.November, 3),
		Agency:    txt("«Даму» кәсіпкерлікті дамыту қоры» АҚ", "АО «Фонд развития предпринимательства «Даму»»"),
		Operator:  txt("«Атамекен» ҚР ҰКП", "НПП РК «Атамекен»"),
		Signatory: txt("Басқарма төрағасының орынбасары А. Б. Сейітов", "Заместитель Председателя Правления А. Б. Сейтов"),
		Contact:   "Ж. Қасымова, +7 727 244 55 66",

		Period:   civil.MonthOf(2026, time.October),
		Version:  2,
		FileName: sampleFile,
		SHA256:   valSHA,
		Received: time.Date(2026, time.November, 2, 10, 0, 0, 0, almaty),
		Detected: time.Date(2026, time.November, 2, 5, 1, 30, 0, time.UTC), // 10:01 in Almaty

		SendDue:        civil.D(2026, time.November, 3),
		CorrectionDays: 3,
		CorrectionDue:  civil.D(2026, time.November, 6),

		Rows:       qoldau.RowCounts{Read: 6, Accepted: 3, Rejected: 3, Warned: 2},
		Errors:     map[string]int{"bin-iin-checksum": 1, "email-format": 1, "required-missing": 1, "unknown-value": 1},
		Attachment: "register-2026-10.v2.flagged.xlsx",
		Findings: []qoldau.Finding{
			{Code: "extra-column", Severity: qoldau.SevWarning, Value: valExtra,
				Message: txt("«Ескерту» бағаны тізілім бағаны емес: ол сақталады, бірақ тексерілмейді.",
					"Столбец «Ескерту» не относится к реестру: он сохраняется, но не проверяется.")},
			{Code: "email-format", Severity: qoldau.SevError, Row: 5, Column: "V", Cell: "V5", Field: "email", Value: valEmail,
				Message: txt("V5: электрондық пошта мекенжайы қате.", "V5: неверный адрес электронной почты.")},
			{Code: "bin-iin-checksum", Severity: qoldau.SevError, Row: 4, Column: "F", Cell: "F4", Field: "bin_iin", Value: valIIN,
				Message: txt("F4: ЖСН/БСН бақылау (12-ші) цифры дұрыс емес: нөмірде қате бар.",
					"F4: неверна контрольная (12-я) цифра ИИН/БИН: в номере опечатка.")},
			{Code: "age-mismatch", Severity: qoldau.SevWarning, Row: 6, Column: "I", Cell: "I6", Field: "age", Value: valAge,
				Message: txt("I6: жасы туған күні бойынша қызмет басталған күнге есептелген жастан (41) өзгеше.",
					"I6: возраст отличается от вычисленного по дате рождения на дату начала услуги (41).")},
			{Code: "no-contact", Severity: qoldau.SevWarning, Row: 7, Column: "U", Cell: "U7", Field: "mobile_phone",
				Message: txt("7-жол: ұялы телефон, жұмыс телефоны және электрондық пошта жоқ: клиентке сауалнама жүргізу мүмкін емес.",
					"Строка 7: нет ни мобильного, ни рабочего телефона, ни e-mail: клиента нельзя опросить.")},
			{Code: "unknown-value", Severity: qoldau.SevError, Row: 7, Column: "D", Cell: "D7", Field: "enterprise_name", Value: valHazard,
				Message: txt("D7: «Кәсіпорын атауы» мәні анықтамалықта жоқ.", "D7: значения поля «Наименование предприятия» нет в справочнике.")},
			{Code: "required-missing", Severity: qoldau.SevError, Row: 7, Column: "B", Cell: "B7", Field: "settlement",
				Message: txt("B7: «Елді мекен» міндетті өрісі толтырылмаған.", "B7: не заполнено обязательное поле «Населённый пункт».")},
		},
	}
}

// draft is the sample as a draft listing three findings, without a signatory.
func draft() Data {
	d := sample()
	d.Number, d.Date, d.CorrectionDue = "", 0, 0
	d.Signatory, d.Contact, d.Attachment = qoldau.Text{}, "", ""
	d.MaxListed = 3
	return d
}

func TestTextGolden(t *testing.T) {
	for _, c := range []struct {
		name string
		d    Data
	}{{"sent", sample()}, {"draft", draft()}} {
		for _, lang := range []string{"kk", "ru"} {
			t.Run(c.name+"."+lang, func(t *testing.T) {
				golden(t, c.name+"."+lang+".txt", Text(c.d, lang))
			})
		}
	}
}

func TestTextLeavesOutValues(t *testing.T) {
	d := sample()
	for _, lang := range []string{"kk", "ru"} {
		s := Text(d, lang)
		for _, v := range []string{valIIN, valEmail, valHazard, "Жиһаз", valAge + " "} {
			if strings.Contains(s, v) {
				t.Errorf("Text(%s) contains the cell value %q", lang, v)
			}
		}
		if strings.ContainsAny(s, "{}") {
			t.Errorf("Text(%s) has an unfilled placeholder:\n%s", lang, s)
		}
	}
}

func TestTextContent(t *testing.T) {
	d := sample()
	kk, ru := Text(d, "kk"), Text(d, "ru")
	for _, want := range []string{
		"2026 жылғы қазан айындағы көрсетілген қызметтер тізілімін тексеру нәтижелері туралы",
		"Шығыс № 12-3/456, 2026 жылғы 3 қараша",
		"2019 жылғы 24 маусымдағы № 59",
		"3 (үш) жұмыс күні ішінде",
		"06.11.2026",
		"02.11.2026 10:00", "02.11.2026 10:01",
	} {
		if !strings.Contains(kk, want) {
			t.Errorf("Kazakh text lacks %q", want)
		}
	}
	for _, want := range []string{
		"О результатах проверки реестра оказанных услуг за октябрь 2026 года",
		"Исх. № 12-3/456 от 3 ноября 2026 г.",
		"от 24 июня 2019 года № 59",
		"в течение 3 (трёх) рабочих дней со дня получения настоящего письма",
		"06.11.2026",
	} {
		if !strings.Contains(ru, want) {
			t.Errorf("Russian text lacks %q", want)
		}
	}
	// Errors first (by row), then warnings (file-level first), each by its
	// description, never its code.
	order := []string{"bin-iin-checksum", "email-format", "required-missing", "unknown-value", "extra-column", "age-mismatch", "no-contact"}
	list := ru[strings.Index(ru, "Перечень"):]
	at := 0
	for i, code := range order {
		sev := qoldau.SevError
		if i >= 4 {
			sev = qoldau.SevWarning
		}
		title := register.Title(code, sev).RU
		k := strings.Index(list[at:], title)
		if k < 0 {
			t.Errorf("finding %d (%s) is not listed as %q after the ones before it", i+1, code, title)
			continue
		}
		at += k + len(title)
	}
	for _, code := range order {
		if strings.Contains(ru, code) || strings.Contains(kk, code) {
			t.Errorf("the letter shows the code %s", code)
		}
	}
}

func TestErrorCountsFromFindings(t *testing.T) {
	d := sample()
	want := Text(d, "ru")
	d.Errors = nil
	if diff := cmp.Diff(want, Text(d, "ru")); diff != "" {
		t.Errorf("counts derived from the findings differ (-given +derived):\n%s", diff)
	}
}

func TestUnknownCodeAndNoErrors(t *testing.T) {
	d := sample()
	d.Errors = map[string]int{"zz-new": 2, "bin-iin-checksum": 1, "aa-new": 1, "email-format": 0}
	s := Text(d, "ru")
	counts := s[strings.Index(s, "Ошибки по видам"):strings.Index(s, "Перечень")]
	i, j, k := strings.Index(counts, "Неверная контрольная цифра ИИН/БИН"), strings.Index(counts, "aa-new"), strings.Index(counts, "zz-new")
	if i < 0 || j < i || k < j {
		t.Errorf("count table order: known codes first, then unknown ones alphabetically:\n%s", s)
	}
	if strings.Contains(counts, "Неверный адрес электронной почты") {
		t.Errorf("a zero count is listed:\n%s", s)
	}

	var warn []qoldau.Finding
	for _, f := range d.Findings {
		if f.Severity == qoldau.SevWarning {
			warn = append(warn, f)
		}
	}
	d.Findings, d.Errors = warn, nil
	s = Text(d, "ru")
	if !strings.Contains(s, "ошибок, требующих исправления, не выявлено") || strings.Contains(s, "просим") {
		t.Errorf("a letter with warnings only:\n%s", s)
	}
}

func TestFileLevelError(t *testing.T) {
	d := sample()
	d.Rows = qoldau.RowCounts{}
	d.Errors = nil
	d.Findings = []qoldau.Finding{{Code: "missing-column", Severity: qoldau.SevError,
		Message: txt("Міндетті «ЖСН / БСН» бағаны жоқ.", "Отсутствует обязательный столбец «ИИН / БИН».")}}
	s := Text(d, "ru")
	for _, want := range []string{"Реестр не может быть использован", "файл          Отсутствует обязательный столбец  Отсутствует обязательный столбец «ИИН / БИН»"} {
		if !strings.Contains(s, want) {
			t.Errorf("lacks %q:\n%s", want, s)
		}
	}
}

func TestMaxListed(t *testing.T) {
	d := sample()
	var fs []qoldau.Finding
	for i := range 600 {
		sev := qoldau.SevError
		if i%3 == 0 {
			sev = qoldau.SevWarning
		}
		cell := fmt.Sprintf("E%d", i+2)
		fs = append(fs, qoldau.Finding{Code: "type-error", Severity: sev, Row: i + 2, Column: "E", Cell: cell,
			Message: txt(cell+": күн емес.", cell+": не дата.")})
	}
	d.Findings, d.Errors = fs, nil
	listed := func(s string) int { return strings.Count(s, "  Не дата.") }
	for _, c := range []struct {
		max, listed int
		more        string
	}{
		{0, 500, "Не включено в письмо: 100 (из них ошибок – 0, замечаний – 100)."},
		{450, 450, "Не включено в письмо: 150 (из них ошибок – 0, замечаний – 150)."},
		{10, 10, "Не включено в письмо: 590 (из них ошибок – 390, замечаний – 200)."},
		{-1, 600, ""},
	} {
		d.MaxListed = c.max
		s := Text(d, "ru")
		if n := listed(s); n != c.listed {
			t.Errorf("MaxListed %d: %d findings listed, want %d", c.max, n, c.listed)
		}
		if c.more == "" {
			if strings.Contains(s, "Не включено") {
				t.Errorf("MaxListed %d: says some are left out", c.max)
			}
		} else if !strings.Contains(s, c.more) {
			t.Errorf("MaxListed %d: lacks %q", c.max, c.more)
		}
	}
}

func TestDays(t *testing.T) {
	for n, want := range map[int][2]string{
		1:  {"1 (бір) жұмыс күні", "1 (одного) рабочего дня"},
		3:  {"3 (үш) жұмыс күні", "3 (трёх) рабочих дней"},
		5:  {"5 (бес) жұмыс күні", "5 (пяти) рабочих дней"},
		11: {"11 жұмыс күні", "11 рабочих дней"},
		21: {"21 жұмыс күні", "21 рабочего дня"},
	} {
		for i, lang := range []string{"kk", "ru"} {
			b := &doc{d: &Data{}, lang: lang}
			if got := b.days(n); got != want[i] {
				t.Errorf("days(%d) in %s = %q, want %q", n, lang, got, want[i])
			}
		}
	}
}

func TestMonths(t *testing.T) {
	kk := []string{"қаңтар", "ақпан", "наурыз", "сәуір", "мамыр", "маусым", "шілде", "тамыз", "қыркүйек", "қазан", "қараша", "желтоқсан"}
	for m := time.January; m <= time.December; m++ {
		d := Data{Period: civil.MonthOf(2027, m)}
		if got := subject(&d, "kk"); !strings.HasPrefix(got, "2027 жылғы "+kk[m-1]+" айындағы") {
			t.Errorf("%v: Kazakh subject %q", m, got)
		}
	}
	d := Data{Number: "1", Date: civil.D(2027, time.March, 1), Period: civil.MonthOf(2027, time.February)}
	s := Text(d, "ru")
	for _, want := range []string{"за февраль 2027 года", "от 1 марта 2027 г."} {
		if !strings.Contains(s, want) {
			t.Errorf("lacks %q:\n%s", want, s)
		}
	}
}

// TestCatalogue checks that every text exists in both languages with the same
// placeholders, and that every code of docs/rules.md, "Checks", has a label.
func TestCatalogue(t *testing.T) {
	ph := regexp.MustCompile(`\{[a-z_]+\}`)
	for key, tx := range cat.Texts {
		if tx.KK == "" || tx.RU == "" {
			t.Errorf("text %q lacks a language", key)
			continue
		}
		a, b := ph.FindAllString(tx.KK, -1), ph.FindAllString(tx.RU, -1)
		slices.Sort(a)
		slices.Sort(b)
		if !slices.Equal(a, b) {
			t.Errorf("text %q: placeholders differ: kk %v, ru %v", key, a, b)
		}
	}
	for _, l := range slices.Concat(cat.Months, cat.MonthsGen, cat.Numbers) {
		if l.KK == "" || l.RU == "" {
			t.Errorf("catalogue word %+v lacks a language", l)
		}
	}
	codes := func(ls []register.CodeTitle) []string {
		var out []string
		for _, l := range ls {
			if l.KK == "" || l.RU == "" {
				t.Errorf("label of %s lacks a language", l.Code)
			}
			out = append(out, l.Code)
		}
		return out
	}
	wantErrors := []string{"file-unreadable", "header-not-found", "missing-column", "duplicate-column", "no-data",
		"required-missing", "type-error", "unknown-value", "bin-iin-format", "bin-iin-checksum", "bin-iin-kind",
		"age-mismatch", "age-range", "date-order", "out-of-period", "future-date", "not-smb", "oked-mismatch",
		"phone-format", "email-format", "name-format", "duplicate-row"}
	wantWarnings := []string{"extra-column", "header-repeat", "iin-birth-date", "iin-gender", "age-mismatch", "no-contact",
		"merged-cells", "footer", "sheet-choice"}
	if diff := cmp.Diff(wantErrors, codes(register.ErrorTitles())); diff != "" {
		t.Errorf("error codes (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(wantWarnings, codes(register.WarningTitles())); diff != "" {
		t.Errorf("warning codes (-want +got):\n%s", diff)
	}
}

// docxParts renders d and returns its parts by name.
func docxParts(t *testing.T, d Data) (map[string][]byte, []byte) {
	t.Helper()
	var buf bytes.Buffer
	if err := DOCX(&buf, d); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatalf("not a zip: %v", err)
	}
	parts := map[string][]byte{}
	for _, f := range zr.File {
		if !f.Modified.Equal(zipTime) {
			t.Errorf("%s: modified %v, want the fixed %v", f.Name, f.Modified, zipTime)
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		parts[f.Name] = b
	}
	return parts, buf.Bytes()
}

// wellFormed parses b as XML and returns the character data of its w:t elements.
func wellFormed(t *testing.T, name string, b []byte) []string {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(b))
	var texts []string
	inT := false
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return texts
		}
		if err != nil {
			t.Fatalf("%s is not well-formed XML: %v", name, err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			if tok.Name.Space == nsW && tok.Name.Local == "t" {
				inT = true
				texts = append(texts, "")
			}
		case xml.EndElement:
			inT = false
		case xml.CharData:
			if inT {
				texts[len(texts)-1] += string(tok)
			}
		}
	}
}

func TestDOCX(t *testing.T) {
	d := sample()
	parts, _ := docxParts(t, d)
	var names []string
	for n := range parts {
		names = append(names, n)
	}
	slices.Sort(names)
	want := []string{"[Content_Types].xml", "_rels/.rels", "docProps/core.xml", "word/_rels/document.xml.rels",
		"word/document.xml", "word/footer1.xml", "word/settings.xml", "word/styles.xml"}
	if diff := cmp.Diff(want, names); diff != "" {
		t.Errorf("parts (-want +got):\n%s", diff)
	}
	for _, n := range names {
		wellFormed(t, n, parts[n])
	}
	doc := parts["word/document.xml"]
	texts := wellFormed(t, "word/document.xml", doc)
	all := strings.Join(texts, "\n")

	for _, r := range "әғқңөұүһі" {
		if !strings.ContainsRune(string(doc), r) {
			t.Errorf("document.xml lacks the Kazakh letter %c", r)
		}
	}
	kkSubject := "2026 жылғы қазан айындағы көрсетілген қызметтер тізілімін тексеру нәтижелері туралы"
	ruSubject := "О результатах проверки реестра оказанных услуг за октябрь 2026 года"
	brk := bytes.Index(doc, []byte(`<w:br w:type="page"/>`))
	if i, j := bytes.Index(doc, []byte(kkSubject)), bytes.Index(doc, []byte(ruSubject)); i < 0 || j < 0 || !(i < brk && brk < j) {
		t.Errorf("want the Kazakh subject (at %d), a page break (at %d), the Russian subject (at %d)", i, brk, j)
	}
	if n := bytes.Count(doc, []byte(`w:type="page"`)); n != 1 {
		t.Errorf("%d page breaks, want 1", n)
	}
	if bytes.Contains(doc, []byte("ЖОБА")) {
		t.Error("a sent letter is marked as a draft")
	}
	// The values are in the .docx (the operator's own data), escaped.
	for _, v := range []string{valIIN, valEmail, valHazard} {
		if n := strings.Count(all, v); n != 2 {
			t.Errorf("value %q appears %d times in the text runs, want 2 (kk and ru)", v, n)
		}
	}
	if bytes.Contains(doc, []byte("<Co>")) || bytes.Contains(doc, []byte("& <")) {
		t.Error("a value is not escaped")
	}
	if !bytes.Contains(doc, []byte("Жиһаз &amp; &lt;Co&gt;")) {
		t.Error("the escaped value is not there")
	}
	for _, w := range []string{`<w:lang w:val="kk-KZ"/>`, `<w:lang w:val="ru-RU"/>`, `<w:tblHeader/>`, "Исх. № 12-3/456 от 3 ноября 2026 г."} {
		if !bytes.Contains(doc, []byte(w)) {
			t.Errorf("document.xml lacks %s", w)
		}
	}
	core := string(parts["docProps/core.xml"])
	if strings.Contains(core, "dcterms:") && strings.Contains(core, "created>") {
		t.Error("core.xml has a timestamp")
	}
}

func TestDOCXDraft(t *testing.T) {
	parts, _ := docxParts(t, draft())
	h, ok := parts["word/header1.xml"]
	if !ok {
		t.Fatal("a draft has no page header")
	}
	if !slices.Contains(wellFormed(t, "word/header1.xml", h), "ЖОБА / ПРОЕКТ") {
		t.Errorf("header: %s", h)
	}
	doc := string(parts["word/document.xml"])
	if n := strings.Count(doc, ">ЖОБА / ПРОЕКТ<"); n != 2 {
		t.Errorf("draft mark %d times in the body, want 2 (kk and ru)", n)
	}
	if !strings.Contains(string(parts["word/_rels/document.xml.rels"]), "header1.xml") ||
		!strings.Contains(string(parts["[Content_Types].xml"]), "/word/header1.xml") {
		t.Error("the header part is not related or typed")
	}
}

func TestDOCXDeterministic(t *testing.T) {
	for _, d := range []Data{sample(), draft()} {
		_, a := docxParts(t, d)
		_, b := docxParts(t, d)
		if !bytes.Equal(a, b) {
			t.Error("two renderings of the same letter differ")
		}
	}
	// The caller's findings are not reordered.
	d := sample()
	before := slices.Clone(d.Findings)
	var buf bytes.Buffer
	if err := DOCX(&buf, d); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(before, d.Findings); diff != "" {
		t.Errorf("DOCX changed the findings:\n%s", diff)
	}
}

func TestDOCXControlCharacters(t *testing.T) {
	d := sample()
	d.Findings[1].Value = "a\x01b\nc\td\x00"
	d.FileName = "reg\x0b.xlsx"
	parts, _ := docxParts(t, d)
	wellFormed(t, "word/document.xml", parts["word/document.xml"])
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestDOCXWriteError(t *testing.T) {
	if err := DOCX(failWriter{}, sample()); err == nil {
		t.Error("no error from a failing writer")
	}
}

// TestPandoc checks that pandoc reads the .docx (skipped when pandoc is absent).
func TestPandoc(t *testing.T) {
	bin, err := exec.LookPath("pandoc")
	if err != nil {
		t.Skip("pandoc not installed")
	}
	path := filepath.Join(t.TempDir(), "letter.docx")
	var buf bytes.Buffer
	if err := DOCX(&buf, sample()); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-f", "docx", "-t", "plain", "--wrap=none", path).CombinedOutput()
	if err != nil {
		t.Fatalf("pandoc: %v\n%s", err, out)
	}
	s := string(out)
	for _, want := range []string{
		"2026 жылғы қазан айындағы көрсетілген қызметтер тізілімін тексеру нәтижелері туралы",
		"О результатах проверки реестра оказанных услуг за октябрь 2026 года",
		valIIN, "Жиһаз & <Co>",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("pandoc output lacks %q:\n%s", want, s)
		}
	}
}

// TestLibreOffice checks that LibreOffice reads the .docx (skipped when it is
// absent and under -short: it takes seconds).
func TestLibreOffice(t *testing.T) {
	if testing.Short() {
		t.Skip("slow")
	}
	bin, err := exec.LookPath("soffice")
	if err != nil {
		t.Skip("LibreOffice not installed")
	}
	// Calc alone (libreoffice-calc-nogui) cannot open a .docx: Writer's library is needed.
	if m, _ := filepath.Glob(filepath.Join(filepath.Dir(resolve(bin)), "libswlo.so")); len(m) == 0 {
		t.Skip("LibreOffice Writer not installed (libreoffice-writer-nogui)")
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "letter.docx")
	var buf bytes.Buffer
	if err := DOCX(&buf, draft()); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "-env:UserInstallation=file://"+filepath.Join(dir, "profile"),
		"--headless", "--convert-to", "txt:Text", "--outdir", dir, path)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, out)
	}
	out, err := os.ReadFile(filepath.Join(dir, "letter.txt"))
	if err != nil {
		t.Fatal(err)
	}
	s := string(out)
	for _, want := range []string{
		"2026 жылғы қазан айындағы көрсетілген қызметтер тізілімін тексеру нәтижелері туралы",
		"О результатах проверки реестра оказанных услуг за октябрь 2026 года",
		"ЖОБА / ПРОЕКТ", valIIN,
	} {
		if !strings.Contains(s, want) {
			t.Errorf("LibreOffice text lacks %q:\n%s", want, s)
		}
	}
}

// resolve follows symlinks (soffice is usually a link into the program folder).
func resolve(p string) string {
	if r, err := filepath.EvalSymlinks(p); err == nil {
		return r
	}
	return p
}

// golden compares got with testdata/name (go test -update rewrites it).
func golden(t *testing.T, name, got string) {
	t.Helper()
	goldenfile.Check(t, name, []byte(got))
}
