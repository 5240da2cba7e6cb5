// Command gen writes the workbook corpus of testdata/corpus (see its README.md):
//
//	go run ./testdata/corpus/gen files   # the Go-made files and the sources of the others
//	go run ./testdata/corpus/gen seeds   # fuzz seeds of shared/xlsx from every .xlsx
//
// generate.sh runs both around openpyxl and LibreOffice. Everything is
// deterministic: the same run writes the same bytes, except LibreOffice's and
// openpyxl's own files, which carry their producer's version.
package main

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/sample"
	"github.com/qoldau/qoldau/shared/xlsx"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: gen files|seeds (run from the repository root)")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "files":
		err = files()
	case "seeds":
		err = seeds()
	default:
		err = fmt.Errorf("unknown step %q", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

const dir = "testdata/corpus"

func files() error {
	steps := []struct {
		name string
		fn   func() error
	}{
		{"src/edge.fods", func() error { return writeFile("src/edge.fods", fods(false)) }},
		{"src/edge1904.fods", func() error { return writeFile("src/edge1904.fods", fods(true)) }},
		{"src/edge.json", edgeJSON},
		{"qoldau-register.xlsx", qoldauRegister},
		{"excelize-edge.xlsx", func() error { return excelizeEdge("excelize-edge.xlsx", false) }},
		{"excelize-edge1904.xlsx", func() error { return excelizeEdge("excelize-edge1904.xlsx", true) }},
		{"excelize-stream.xlsx", excelizeStream},
		{"hand-excel-edge.xlsx", func() error { return handEdge("hand-excel-edge.xlsx", excelStyle, false) }},
		{"hand-excel-edge1904.xlsx", func() error { return handEdge("hand-excel-edge1904.xlsx", excelStyle, true) }},
		{"hand-prefixed.xlsx", func() error { return handEdge("hand-prefixed.xlsx", prefixedStyle, false) }},
		{"hand-strict.xlsx", func() error { return handEdge("hand-strict.xlsx", strictStyle, false) }},
		{"hand-compat.xlsx", handCompat},
		{"hand-escapes.xlsx", handEscapes},
		{"hand-register-1900.xlsx", func() error { return handRegister("hand-register-1900.xlsx", false) }},
		{"hand-register-1904.xlsx", func() error { return handRegister("hand-register-1904.xlsx", true) }},
	}
	for _, s := range steps {
		if err := s.fn(); err != nil {
			return fmt.Errorf("%s: %w", s.name, err)
		}
	}
	return nil
}

func writeFile(name string, b []byte) error {
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	return os.WriteFile(p, b, 0o644)
}

// ---- the edge cases ------------------------------------------------------------

// edge is one row of the edge-case sheets: A the kind, B the value, C a note.
type edge struct {
	Kind string // text, number, percent, date, datetime, time, bool, formula
	Note string
	Text string  `json:",omitempty"`
	Num  float64 `json:",omitempty"`
	// Date, datetime and time values, as YYYY-MM-DD, YYYY-MM-DDTHH:MM or HH:MM.
	When string `json:",omitempty"`
	Bool bool   `json:",omitempty"`
	// Formula: an Excel formula without '=', rows as {name} of another edge; its
	// cached result is Text (Result "str"), Num ("n"), Bool ("b") or an error Text
	// ("e").
	Formula string `json:",omitempty"`
	Result  string `json:",omitempty"`
	Name    string `json:",omitempty"` // for {name} references
}

var edges = []edge{
	{Kind: "text", Note: "Kazakh and Russian letters", Text: "Қарағанды облысы, ИП «Әлем» — Ёлка", Name: "kz"},
	{Kind: "text", Note: "spaces around", Text: "  padded  "},
	{Kind: "text", Note: "two lines (LF)", Text: "line 1\nline 2"},
	{Kind: "text", Note: "CR LF inside (Excel writes _x000D_)", Text: "a\r\nb"},
	{Kind: "text", Note: "a literal _x000D_ (written _x005F_x000D_)", Text: "x_x000D_y"},
	{Kind: "text", Note: "XML specials", Text: `A&B <c> "q" 'a'`},
	{Kind: "text", Note: "digits with a leading zero", Text: "0123"},
	{Kind: "text", Note: "an IIN as text", Text: "840515300123"},
	{Kind: "text", Note: "a tab", Text: "a\tb"},
	{Kind: "text", Note: "an emoji (a UTF-16 surrogate pair)", Text: "ok 😀"},
	{Kind: "number", Note: "integer", Num: 42, Name: "int"},
	{Kind: "number", Note: "negative decimal", Num: -7.5},
	{Kind: "number", Note: "0.1+0.2", Num: 0.1 + 0.2},
	{Kind: "number", Note: "large", Num: 1e20},
	{Kind: "number", Note: "small", Num: 1.5e-7},
	{Kind: "number", Note: "an IIN as a number", Num: 840515300123},
	{Kind: "percent", Note: "12.5%", Num: 0.125},
	{Kind: "date", Note: "a reporting date", When: "2026-09-15"},
	{Kind: "date", Note: "1900-01-01, serial 1", When: "1900-01-01"},
	{Kind: "date", Note: "1900-02-28, serial 59", When: "1900-02-28"},
	{Kind: "date", Note: "1900-03-01, serial 61 (after the fictitious 29 February)", When: "1900-03-01"},
	{Kind: "date", Note: "1904-01-01, serial 0 of the 1904 system", When: "1904-01-01"},
	{Kind: "date", Note: "the last date", When: "9999-12-31"},
	{Kind: "datetime", Note: "date and time", When: "2026-09-15T13:45"},
	{Kind: "time", Note: "a time only", When: "13:45"},
	{Kind: "bool", Note: "true", Bool: true},
	{Kind: "bool", Note: "false", Bool: false},
	{Kind: "formula", Note: "number", Formula: "{int}*2", Result: "n", Num: 84},
	{Kind: "formula", Note: "text", Formula: `LEFT({kz},10)&"!"`, Result: "str", Text: "Қарағанды !"},
	{Kind: "formula", Note: "#N/A", Formula: "NA()", Result: "e", Text: "#N/A"},
	{Kind: "formula", Note: "#DIV/0!", Formula: "1/0", Result: "e", Text: "#DIV/0!"},
	{Kind: "formula", Note: "boolean", Formula: "{int}>1", Result: "b", Bool: true},
	{Kind: "formula", Note: "empty text", Formula: `""`, Result: "str", Text: ""},
}

// edgeRow returns the 1-based row of the edge named name (row 1 is the header).
func edgeRow(name string) int {
	for i, e := range edges {
		if e.Name == name {
			return i + 2
		}
	}
	panic("no edge " + name)
}

// formula returns e's formula with {name} replaced by B<row>.
func (e edge) formula() string {
	f := e.Formula
	for strings.Contains(f, "{") {
		i := strings.IndexByte(f, '{')
		j := strings.IndexByte(f, '}')
		f = f[:i] + "B" + strconv.Itoa(edgeRow(f[i+1:j])) + f[j+1:]
	}
	return f
}

func (e edge) time() time.Time {
	for _, layout := range []string{"2006-01-02T15:04", "2006-01-02", "15:04"} {
		if t, err := time.Parse(layout, e.When); err == nil {
			return t
		}
	}
	panic("bad When " + e.When)
}

// serial returns the Excel serial of a date, datetime or time edge, and whether the
// date system can hold it.
func (e edge) serial(date1904 bool) (float64, bool) {
	t := e.time()
	if e.Kind == "time" {
		return float64(t.Hour()*60+t.Minute()) / 1440, true
	}
	n := civil.D(t.Year(), t.Month(), t.Day()).Excel()
	if date1904 {
		n -= 1462
	}
	if n < 0 || !date1904 && n < 1 {
		return 0, false
	}
	return float64(n) + float64(t.Hour()*60+t.Minute())/1440, true
}

func edgeJSON() error {
	b, err := json.MarshalIndent(edges, "", " ")
	if err != nil {
		return err
	}
	rows := make([]string, len(edges))
	for i, e := range edges {
		if e.Formula != "" {
			rows[i] = e.formula()
		}
	}
	// The formulas with their references resolved, for openpyxl.
	var spec struct {
		Edges    json.RawMessage
		Formulas []string
	}
	spec.Edges, spec.Formulas = b, rows
	out, err := json.MarshalIndent(spec, "", " ")
	if err != nil {
		return err
	}
	return writeFile("src/edge.json", append(out, '\n'))
}

// ---- LibreOffice sources -------------------------------------------------------

// fods returns the edge cases as a flat OpenDocument spreadsheet, which
// LibreOffice converts to .xlsx, .ods and .xls.
func fods(date1904 bool) []byte {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0" xmlns:of="urn:oasis:names:tc:opendocument:xmlns:of:1.2" office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.spreadsheet">
 <office:automatic-styles>
  <number:date-style style:name="Ndate"><number:day number:style="long"/><number:text>.</number:text><number:month number:style="long"/><number:text>.</number:text><number:year number:style="long"/></number:date-style>
  <number:date-style style:name="Ndatetime"><number:day number:style="long"/><number:text>.</number:text><number:month number:style="long"/><number:text>.</number:text><number:year number:style="long"/><number:text> </number:text><number:hours number:style="long"/><number:text>:</number:text><number:minutes number:style="long"/></number:date-style>
  <number:time-style style:name="Ntime"><number:hours number:style="long"/><number:text>:</number:text><number:minutes number:style="long"/></number:time-style>
  <number:percentage-style style:name="Npct"><number:number number:decimal-places="1" number:min-integer-digits="1"/><number:text>%</number:text></number:percentage-style>
  <style:style style:name="cdate" style:family="table-cell" style:data-style-name="Ndate"/>
  <style:style style:name="cdatetime" style:family="table-cell" style:data-style-name="Ndatetime"/>
  <style:style style:name="ctime" style:family="table-cell" style:data-style-name="Ntime"/>
  <style:style style:name="cpct" style:family="table-cell" style:data-style-name="Npct"/>
 </office:automatic-styles>
 <office:body>
  <office:spreadsheet>
`)
	if date1904 {
		b.WriteString("   <table:calculation-settings><table:null-date table:date-value=\"1904-01-01\"/></table:calculation-settings>\n")
	}
	b.WriteString("   <table:table table:name=\"Edge\">\n")
	cell := func(attrs, text string) {
		fmt.Fprintf(&b, "     <table:table-cell %s><text:p>%s</text:p></table:table-cell>\n", attrs, xmlText(text))
	}
	strCell := func(s string) { cell(`office:value-type="string"`, s) }
	b.WriteString("    <table:table-row>\n")
	strCell("kind")
	strCell("value")
	strCell("note")
	b.WriteString("    </table:table-row>\n")
	for _, e := range edges {
		b.WriteString("    <table:table-row>\n")
		strCell(e.Kind)
		num := strconv.FormatFloat(e.Num, 'g', -1, 64)
		switch e.Kind {
		case "text":
			// Lines are paragraphs; a tab is <text:tab/>, CR is kept as a character.
			var p strings.Builder
			for i, line := range strings.Split(e.Text, "\n") {
				if i > 0 {
					p.WriteString("</text:p><text:p>")
				}
				p.WriteString(strings.ReplaceAll(xmlText(line), "\t", "<text:tab/>"))
			}
			fmt.Fprintf(&b, "     <table:table-cell office:value-type=\"string\"><text:p>%s</text:p></table:table-cell>\n", p.String())
		case "number":
			cell(`office:value-type="float" office:value="`+num+`"`, num)
		case "percent":
			cell(`table:style-name="cpct" office:value-type="percentage" office:value="`+num+`"`, "12.5%")
		case "date":
			cell(`table:style-name="cdate" office:value-type="date" office:date-value="`+e.When+`"`, e.When)
		case "datetime":
			cell(`table:style-name="cdatetime" office:value-type="date" office:date-value="`+e.When+`:00"`, e.When)
		case "time":
			t := e.time()
			cell(fmt.Sprintf(`table:style-name="ctime" office:value-type="time" office:time-value="PT%02dH%02dM00S"`, t.Hour(), t.Minute()), e.When)
		case "bool":
			cell(`office:value-type="boolean" office:boolean-value="`+strconv.FormatBool(e.Bool)+`"`, strings.ToUpper(strconv.FormatBool(e.Bool)))
		case "formula":
			f := "of:=" + odfFormula(e.formula())
			switch e.Result {
			case "n":
				cell(`table:formula="`+xmlText(f)+`" office:value-type="float" office:value="`+num+`"`, num)
			case "b":
				cell(`table:formula="`+xmlText(f)+`" office:value-type="boolean" office:boolean-value="`+strconv.FormatBool(e.Bool)+`"`, "TRUE")
			default: // text and errors: LibreOffice computes them on load
				cell(`table:formula="`+xmlText(f)+`" office:value-type="string" office:string-value="`+xmlText(e.Text)+`"`, e.Text)
			}
		}
		strCell(e.Note)
		b.WriteString("    </table:table-row>\n")
	}
	b.WriteString("   </table:table>\n   <table:table table:name=\"Второй лист\">\n    <table:table-row>\n")
	strCell("second sheet")
	cell(`office:value-type="float" office:value="1"`, "1")
	b.WriteString("    </table:table-row>\n   </table:table>\n  </office:spreadsheet>\n </office:body>\n</office:document>\n")
	return []byte(b.String())
}

// odfFormula writes an A1 formula in OpenFormula syntax: references in [.B12].
func odfFormula(f string) string {
	var b strings.Builder
	for i := 0; i < len(f); i++ {
		if f[i] == 'B' && i+1 < len(f) && f[i+1] >= '0' && f[i+1] <= '9' && (i == 0 || !isLetter(f[i-1])) {
			j := i + 1
			for j < len(f) && f[j] >= '0' && f[j] <= '9' {
				j++
			}
			b.WriteString("[." + f[i:j] + "]")
			i = j - 1
			continue
		}
		if f[i] == ',' {
			b.WriteByte(';')
			continue
		}
		b.WriteByte(f[i])
	}
	return b.String()
}

func isLetter(c byte) bool { return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' }

func xmlText(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;").Replace(s)
}

// ---- our own writer -----------------------------------------------------------

// registerOpts is the sample register of the corpus: small, with faults.
var registerOpts = sample.Options{Period: civil.MonthOf(2026, 9), Rows: 40, Seed: 7, ErrorRate: 0.15}

func qoldauRegister() error {
	var b bytes.Buffer
	if _, err := sample.Write(&b, registerOpts); err != nil {
		return err
	}
	return writeFile("qoldau-register.xlsx", b.Bytes())
}

// ---- excelize -----------------------------------------------------------------

func excelizeEdge(name string, date1904 bool) error {
	f := excelize.NewFile()
	defer f.Close()
	const sh = "Edge"
	if err := f.SetSheetName("Sheet1", sh); err != nil {
		return err
	}
	if date1904 {
		t := true
		if err := f.SetWorkbookProps(&excelize.WorkbookPropsOptions{Date1904: &t}); err != nil {
			return err
		}
	}
	style := func(code string) int {
		id, err := f.NewStyle(&excelize.Style{CustomNumFmt: &code})
		if err != nil {
			panic(err)
		}
		return id
	}
	dateStyle, dtStyle, timeStyle, pctStyle := style("dd.mm.yyyy"), style("dd.mm.yyyy hh:mm"), style("hh:mm"), style("0.0%")
	set := func(cell string, v any) {
		if err := f.SetCellValue(sh, cell, v); err != nil {
			panic(fmt.Sprintf("%s %v: %v", cell, v, err))
		}
	}
	set("A1", "kind")
	set("B1", "value")
	set("C1", "note")
	for i, e := range edges {
		r := strconv.Itoa(i + 2)
		set("A"+r, e.Kind)
		set("C"+r, e.Note)
		b := "B" + r
		switch e.Kind {
		case "text":
			if e.Name == "kz" { // rich text: two runs
				head, tail := splitRunes(e.Text, 10)
				if err := f.SetCellRichText(sh, b, []excelize.RichTextRun{{Text: head, Font: &excelize.Font{Bold: true}}, {Text: tail}}); err != nil {
					return err
				}
				continue
			}
			set(b, e.Text)
		case "number":
			set(b, e.Num)
		case "percent":
			set(b, e.Num)
			f.SetCellStyle(sh, b, b, pctStyle)
		case "date", "datetime":
			if _, ok := e.serial(date1904); !ok {
				set(b, "(not in this date system)")
				continue
			}
			set(b, e.time())
			st := dateStyle
			if e.Kind == "datetime" {
				st = dtStyle
			}
			f.SetCellStyle(sh, b, b, st)
		case "time":
			s, _ := e.serial(date1904)
			set(b, s)
			f.SetCellStyle(sh, b, b, timeStyle)
		case "bool":
			set(b, e.Bool)
		case "formula": // excelize writes no cached result
			if err := f.SetCellFormula(sh, b, e.formula()); err != nil {
				return err
			}
		}
	}
	// A shared formula over C-less rows: D2:D4 = B*3.
	if err := f.SetCellFormula(sh, "D2", "B12*3", excelize.FormulaOpts{Type: ptr("shared"), Ref: ptr("D2:D4")}); err != nil {
		return err
	}
	if _, err := f.NewSheet("Второй лист"); err != nil {
		return err
	}
	set2 := func(cell string, v any) { f.SetCellValue("Второй лист", cell, v) }
	set2("A1", "second sheet")
	set2("B1", 1)
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		return err
	}
	return writeFile(name, buf.Bytes())
}

// splitRunes splits s after n runes.
func splitRunes(s string, n int) (string, string) {
	r := []rune(s)
	return string(r[:n]), string(r[n:])
}

func ptr[T any](v T) *T { return &v }

// excelizeStream writes the register through excelize's StreamWriter: inline
// strings, dates as styled numbers.
func excelizeStream() error {
	wb, err := openRegister()
	if err != nil {
		return err
	}
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", "Реестр"); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter("Реестр")
	if err != nil {
		return err
	}
	code := "dd.mm.yyyy"
	ds, err := f.NewStyle(&excelize.Style{CustomNumFmt: &code})
	if err != nil {
		return err
	}
	for _, r := range wb {
		var vals []any
		for _, c := range r.cells {
			for len(vals) < c.Col {
				vals = append(vals, nil)
			}
			switch {
			case c.Date:
				n, _ := strconv.ParseFloat(c.Value, 64)
				vals = append(vals, excelize.Cell{StyleID: ds, Value: n})
			case c.Type == xlsx.Number:
				n, _ := strconv.ParseFloat(c.Value, 64)
				vals = append(vals, n)
			default:
				vals = append(vals, c.Value)
			}
		}
		cell, _ := excelize.CoordinatesToCellName(1, r.num)
		if err := sw.SetRow(cell, vals); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		return err
	}
	return writeFile("excelize-stream.xlsx", buf.Bytes())
}

type regRow struct {
	num   int
	cells []xlsx.Cell
}

// openRegister reads qoldau-register.xlsx back.
func openRegister() ([]regRow, error) {
	b, err := os.ReadFile(filepath.Join(dir, "qoldau-register.xlsx"))
	if err != nil {
		return nil, err
	}
	wb, err := xlsx.Open(bytes.NewReader(b), int64(len(b)), xlsx.Limits{})
	if err != nil {
		return nil, err
	}
	sh, err := wb.Sheet("")
	if err != nil {
		return nil, err
	}
	defer sh.Close()
	var rows []regRow
	for sh.Next() {
		rows = append(rows, regRow{sh.RowNum(), append([]xlsx.Cell(nil), sh.Cells()...)})
	}
	return rows, sh.Err()
}

// ---- hand-made parts ----------------------------------------------------------

// partStyle is how a hand-made workbook spells its XML.
type partStyle struct {
	mainNS, relNS string // SpreadsheetML and relationships namespaces
	prefix        string // element prefix of SpreadsheetML ("x:"), or "" for the default namespace
	excel         bool   // Excel 365's extras: mc:Ignorable namespaces, x14ac attributes, absPath, x15 ext
}

var (
	excelStyle    = partStyle{mainNS: nsMain, relNS: nsRel, excel: true}
	prefixedStyle = partStyle{mainNS: nsMain, relNS: nsRel, prefix: "x:"}
	strictStyle   = partStyle{mainNS: "http://purl.oclc.org/ooxml/spreadsheetml/main", relNS: "http://purl.oclc.org/ooxml/officeDocument/relationships"}
)

const (
	nsMain  = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
	nsRel   = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
	nsMC    = "http://schemas.openxmlformats.org/markup-compatibility/2006"
	nsX14ac = "http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac"
	nsX15   = "http://schemas.microsoft.com/office/spreadsheetml/2010/11/main"
	nsX15ac = "http://schemas.microsoft.com/office/spreadsheetml/2010/11/ac"
	nsXR    = "http://schemas.microsoft.com/office/spreadsheetml/2014/revision"
	xmlHead = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\r\n"
)

// book is a hand-made workbook: sheets of raw sheetData XML, shared strings,
// styles' cellXfs number formats (custom ones from 164).
type book struct {
	st       partStyle
	date1904 bool
	sheets   []sheet
	sst      []string // <si> contents
	numFmts  []string // custom formats, ids 164…
	xfs      []int    // cellXfs numFmtIds
	// extra markup: the workbook's and a sheet's, after their sheetData
	sstExtra string
}

type sheet struct {
	name, data string
}

func (bk *book) el(name string) string { return bk.st.prefix + name }

// root returns a root start tag with the namespaces of the style.
func (bk *book) root(name string, extra string) string {
	p := strings.TrimSuffix(bk.st.prefix, ":")
	ns := ` xmlns="` + bk.st.mainNS + `"`
	if p != "" {
		ns = ` xmlns:` + p + `="` + bk.st.mainNS + `"`
	}
	ns += ` xmlns:r="` + bk.st.relNS + `"`
	if bk.st.excel {
		ns += ` xmlns:mc="` + nsMC + `" mc:Ignorable="x14ac xr" xmlns:x14ac="` + nsX14ac + `" xmlns:xr="` + nsXR + `"`
	}
	return "<" + bk.el(name) + ns + extra + ">"
}

func (bk *book) zip() ([]byte, error) {
	relType := "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
	if bk.st.relNS != nsRel {
		relType = "http://purl.oclc.org/ooxml/officeDocument/relationships"
	}
	var parts [][2]string
	add := func(name, body string) { parts = append(parts, [2]string{name, body}) }
	types := xmlHead + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>` +
		`<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>` +
		`<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>` +
		`<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>`
	for i := range bk.sheets {
		types += fmt.Sprintf(`<Override PartName="/xl/worksheets/sheet%d.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`, i+1)
	}
	add("[Content_Types].xml", types+`</Types>`)
	add("_rels/.rels", xmlHead+`<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="`+relType+`/officeDocument" Target="xl/workbook.xml"/></Relationships>`)

	var wb strings.Builder
	wb.WriteString(xmlHead + bk.root("workbook", ""))
	if bk.st.excel {
		wb.WriteString(`<fileVersion appName="xl" lastEdited="7" lowestEdited="7" rupBuild="27328"/>`)
	}
	pr := ` defaultThemeVersion="166925"`
	if bk.date1904 {
		pr = ` date1904="1"` + pr
	}
	wb.WriteString("<" + bk.el("workbookPr") + pr + "/>")
	if bk.st.excel {
		wb.WriteString(`<mc:AlternateContent xmlns:mc="` + nsMC + `"><mc:Choice Requires="x15"><x15ac:absPath url="C:\Users\analyst\Documents\" xmlns:x15ac="` + nsX15ac + `"/></mc:Choice></mc:AlternateContent>`)
		wb.WriteString(`<xr:revisionPtr revIDLastSave="0" documentId="8_{5D6E1F58-8F1B-4A3E-9C0B-3B1F6A2B8D11}" xr6:coauthVersionLast="47" xr6:coauthVersionMax="47" xr10:uidLastSave="{00000000-0000-0000-0000-000000000000}" xmlns:xr6="http://schemas.microsoft.com/office/spreadsheetml/2016/revision6" xmlns:xr10="http://schemas.microsoft.com/office/spreadsheetml/2016/revision10"/>`)
	}
	wb.WriteString("<" + bk.el("bookViews") + "><" + bk.el("workbookView") + ` xWindow="-120" yWindow="-120" windowWidth="29040" windowHeight="15840"/></` + bk.el("bookViews") + ">")
	wb.WriteString("<" + bk.el("sheets") + ">")
	var rels strings.Builder
	rels.WriteString(xmlHead + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`)
	for i, s := range bk.sheets {
		fmt.Fprintf(&wb, `<%s name="%s" sheetId="%d" r:id="rId%d"/>`, bk.el("sheet"), xmlText(s.name), i+1, i+3)
		fmt.Fprintf(&rels, `<Relationship Id="rId%d" Type="%s/worksheet" Target="worksheets/sheet%d.xml"/>`, i+3, relType, i+1)
	}
	wb.WriteString("</" + bk.el("sheets") + ">")
	wb.WriteString("<" + bk.el("calcPr") + ` calcId="191029"/>`)
	if bk.st.excel {
		wb.WriteString(`<extLst><ext uri="{140A7094-0E35-4892-8432-C4D2E57EDEB5}" xmlns:x15="` + nsX15 + `"><x15:workbookPr chartTrackingRefBase="1"/></ext>` +
			`<ext uri="{B58B0392-4F1F-4190-BB64-5DF3571DCE5F}" xmlns:xcalcf="http://schemas.microsoft.com/office/spreadsheetml/2018/calcfeatures"><xcalcf:calcFeatures><xcalcf:feature name="microsoft.com:RD"/></xcalcf:calcFeatures></ext></extLst>`)
	}
	wb.WriteString("</" + bk.el("workbook") + ">")
	fmt.Fprintf(&rels, `<Relationship Id="rId1" Type="%s/styles" Target="styles.xml"/><Relationship Id="rId2" Type="%s/sharedStrings" Target="sharedStrings.xml"/></Relationships>`, relType, relType)
	add("xl/workbook.xml", wb.String())
	add("xl/_rels/workbook.xml.rels", rels.String())

	var st strings.Builder
	st.WriteString(xmlHead + bk.root("styleSheet", ""))
	if len(bk.numFmts) > 0 {
		fmt.Fprintf(&st, `<%s count="%d">`, bk.el("numFmts"), len(bk.numFmts))
		for i, code := range bk.numFmts {
			fmt.Fprintf(&st, `<%s numFmtId="%d" formatCode="%s"/>`, bk.el("numFmt"), 164+i, xmlText(code))
		}
		st.WriteString("</" + bk.el("numFmts") + ">")
	}
	st.WriteString("<" + bk.el("fonts") + ` count="1"><` + bk.el("font") + "><" + bk.el("sz") + ` val="11"/><` + bk.el("name") + ` val="Calibri"/></` + bk.el("font") + "></" + bk.el("fonts") + ">")
	st.WriteString("<" + bk.el("cellStyleXfs") + ` count="1"><` + bk.el("xf") + ` numFmtId="0" fontId="0"/></` + bk.el("cellStyleXfs") + ">")
	fmt.Fprintf(&st, `<%s count="%d">`, bk.el("cellXfs"), len(bk.xfs))
	for _, id := range bk.xfs {
		fmt.Fprintf(&st, `<%s numFmtId="%d" fontId="0" xfId="0" applyNumberFormat="1"/>`, bk.el("xf"), id)
	}
	st.WriteString("</" + bk.el("cellXfs") + ">")
	if bk.st.excel {
		// Excel writes the number formats of conditional formats with their own ids.
		st.WriteString(`<dxfs count="1"><dxf><numFmt numFmtId="164" formatCode="0.00"/></dxf></dxfs>` +
			`<extLst><ext uri="{EB79DEF2-80B8-43e5-95BD-54CBDDF9020C}" xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main"><x14:slicerStyles defaultSlicerStyle="SlicerStyleLight1"/></ext></extLst>`)
	}
	st.WriteString("</" + bk.el("styleSheet") + ">")
	add("xl/styles.xml", st.String())

	var sst strings.Builder
	sst.WriteString(xmlHead + bk.root("sst", fmt.Sprintf(` count="%d" uniqueCount="%d"`, len(bk.sst), len(bk.sst))))
	for _, si := range bk.sst {
		sst.WriteString("<" + bk.el("si") + ">" + si + "</" + bk.el("si") + ">")
	}
	sst.WriteString(bk.sstExtra + "</" + bk.el("sst") + ">")
	add("xl/sharedStrings.xml", sst.String())

	for i, s := range bk.sheets {
		var w strings.Builder
		w.WriteString(xmlHead + bk.root("worksheet", ""))
		if bk.st.excel {
			w.WriteString(`<dimension ref="A1"/><sheetViews><sheetView workbookViewId="0"/></sheetViews><sheetFormatPr defaultRowHeight="15" x14ac:dyDescent="0.25"/>`)
		}
		w.WriteString("<" + bk.el("sheetData") + ">" + s.data + "</" + bk.el("sheetData") + ">")
		if bk.st.excel {
			w.WriteString(`<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>`)
		}
		w.WriteString("</" + bk.el("worksheet") + ">")
		add(fmt.Sprintf("xl/worksheets/sheet%d.xml", i+1), w.String())
	}

	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, p := range parts {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: p[0], Method: zip.Deflate, Modified: time.Date(2026, 9, 30, 12, 0, 0, 0, time.UTC)})
		if err != nil {
			return nil, err
		}
		if _, err := w.Write([]byte(p[1])); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// strings of hand-made books.
type strTable struct {
	bk  *book
	idx map[string]int
}

func (t *strTable) si(text string) int {
	return t.raw("<" + t.bk.el("t") + space(text) + ">" + escText(text) + "</" + t.bk.el("t") + ">")
}

func (t *strTable) raw(si string) int {
	if i, ok := t.idx[si]; ok {
		return i
	}
	t.idx[si] = len(t.bk.sst)
	t.bk.sst = append(t.bk.sst, si)
	return len(t.bk.sst) - 1
}

func space(s string) string {
	if strings.TrimSpace(s) != s {
		return ` xml:space="preserve"`
	}
	return ""
}

// escText escapes text as Excel does: XML entities, CR as _x000D_, and a literal
// _xHHHH_ as _x005F_xHHHH_.
func escText(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\r':
			b.WriteString("_x000D_")
		case c == '_' && isEscape(s[i:]):
			b.WriteString("_x005F_")
		default:
			b.WriteByte(c)
		}
	}
	return xmlText(b.String())
}

func isEscape(s string) bool {
	if len(s) < 7 || s[0] != '_' || s[1] != 'x' || s[6] != '_' {
		return false
	}
	_, err := strconv.ParseUint(s[2:6], 16, 16)
	return err == nil
}

// cellXML renders one cell of a hand-made book.
func (bk *book) cellXML(ref, attrs, inner string) string {
	return "<" + bk.el("c") + ` r="` + ref + `"` + attrs + ">" + inner + "</" + bk.el("c") + ">"
}

func (bk *book) v(s string) string { return "<" + bk.el("v") + ">" + s + "</" + bk.el("v") + ">" }

func fnum(f float64) string { return strconv.FormatFloat(f, 'g', 17, 64) }

// handEdge writes the edge cases as Excel writes them: shared strings (a rich one
// with a phonetic run), an inline string, styles for dates and times, formulas with
// cached results (a shared formula too), in the given spelling.
func handEdge(name string, st partStyle, date1904 bool) error {
	bk := &book{st: st, date1904: date1904,
		numFmts: []string{"dd.mm.yyyy", "dd.mm.yyyy hh:mm", "hh:mm", "0.0%"},
		xfs:     []int{0, 164, 165, 166, 167, 14}}
	strs := &strTable{bk: bk, idx: map[string]int{}}
	const (
		sDate, sDateTime, sTime, sPct = 1, 2, 3, 4
	)
	var rows strings.Builder
	spans := ` spans="1:4"`
	if st.excel {
		spans += ` x14ac:dyDescent="0.25"`
	}
	row := func(r int, cells string) {
		fmt.Fprintf(&rows, `<%s r="%d"%s>%s</%s>`, bk.el("row"), r, spans, cells, bk.el("row"))
	}
	s := func(ref, text string) string { return bk.cellXML(ref, ` t="s"`, bk.v(strconv.Itoa(strs.si(text)))) }
	row(1, s("A1", "kind")+s("B1", "value")+s("C1", "note"))
	for i, e := range edges {
		r := i + 2
		b := "B" + strconv.Itoa(r)
		var cell string
		switch e.Kind {
		case "text":
			switch {
			case e.Name == "kz": // rich text with a phonetic run, as Excel writes for East Asian text
				head, tail := splitRunes(e.Text, 10)
				rPr := "<" + bk.el("rPr") + "><" + bk.el("b") + "/><" + bk.el("sz") + ` val="11"/></` + bk.el("rPr") + ">"
				si := "<" + bk.el("r") + ">" + rPr + "<" + bk.el("t") + ">" + escText(head) + "</" + bk.el("t") + "></" + bk.el("r") + ">" +
					"<" + bk.el("r") + "><" + bk.el("t") + ` xml:space="preserve">` + escText(tail) + "</" + bk.el("t") + "></" + bk.el("r") + ">" +
					"<" + bk.el("rPh") + ` sb="0" eb="1"><` + bk.el("t") + ">カ</" + bk.el("t") + "></" + bk.el("rPh") + ">"
				cell = bk.cellXML(b, ` t="s"`, bk.v(strconv.Itoa(strs.raw(si))))
			case strings.HasPrefix(e.Note, "XML specials"): // an inline string
				cell = bk.cellXML(b, ` t="inlineStr"`, "<"+bk.el("is")+"><"+bk.el("t")+">"+escText(e.Text)+"</"+bk.el("t")+"></"+bk.el("is")+">")
			default:
				cell = s(b, e.Text)
			}
		case "number":
			cell = bk.cellXML(b, "", bk.v(fnum(e.Num)))
		case "percent":
			cell = bk.cellXML(b, fmt.Sprintf(` s="%d"`, sPct), bk.v(fnum(e.Num)))
		case "date", "datetime", "time":
			n, ok := e.serial(date1904)
			if !ok {
				cell = s(b, "(not in this date system)")
				break
			}
			style := map[string]int{"date": sDate, "datetime": sDateTime, "time": sTime}[e.Kind]
			if e.When == "2026-09-15" {
				style = 5 // built-in format 14
			}
			cell = bk.cellXML(b, fmt.Sprintf(` s="%d"`, style), bk.v(fnum(n)))
		case "bool":
			v := "0"
			if e.Bool {
				v = "1"
			}
			cell = bk.cellXML(b, ` t="b"`, bk.v(v))
		case "formula":
			f := "<" + bk.el("f") + ">" + xmlText(e.formula()) + "</" + bk.el("f") + ">"
			switch e.Result {
			case "n":
				cell = bk.cellXML(b, "", f+bk.v(fnum(e.Num)))
			case "b":
				cell = bk.cellXML(b, ` t="b"`, f+bk.v("1"))
			case "e":
				cell = bk.cellXML(b, ` t="e"`, f+bk.v(xmlText(e.Text)))
			default:
				cell = bk.cellXML(b, ` t="str"`, f+bk.v(escText(e.Text)))
			}
		}
		// Column D: a shared formula with cached values (D2 = B12*3 down to D4).
		d := ""
		switch r {
		case 2:
			d = bk.cellXML("D2", "", "<"+bk.el("f")+` t="shared" ref="D2:D4" si="0">B12*3</`+bk.el("f")+">"+bk.v("126"))
		case 3, 4:
			val := map[int]string{3: "-22.5", 4: "0.90000000000000013"}[r]
			d = bk.cellXML("D"+strconv.Itoa(r), "", "<"+bk.el("f")+` t="shared" si="0"/>`+bk.v(val))
		}
		row(r, s("A"+strconv.Itoa(r), e.Kind)+cell+s("C"+strconv.Itoa(r), e.Note)+d)
	}
	// A t="d" cell (ISO 8601), which Excel reads but does not write.
	n := len(edges) + 2
	row(n, s("A"+strconv.Itoa(n), "date-iso")+bk.cellXML("B"+strconv.Itoa(n), ` t="d"`, bk.v("2026-09-15T00:00:00Z"))+s("C"+strconv.Itoa(n), "an ISO 8601 date cell"))
	bk.sheets = []sheet{{"Edge", rows.String()}, {"Второй лист", "<" + bk.el("row") + ` r="1">` + s("A1", "second sheet") + bk.cellXML("B1", "", bk.v("1")) + "</" + bk.el("row") + ">"}}
	b, err := bk.zip()
	if err != nil {
		return err
	}
	return writeFile(name, b)
}

// handCompat writes the markup a reader must take or leave by namespace: an
// mc:AlternateContent around a row and inside a cell (the Fallback is what a
// reader without the extension sees), extLst in rows, cells and shared strings,
// elements of other namespaces with SpreadsheetML names, and cells and rows
// without r.
func handCompat() error {
	bk := &book{st: excelStyle, xfs: []int{0, 14}}
	strs := &strTable{bk: bk, idx: map[string]int{}}
	a := strs.si("shared a")
	strs.raw(`<t>b</t><o:t xmlns:o="urn:other">not b</o:t>`)
	strs.raw(`<mc:AlternateContent><mc:Choice Requires="x14ac"><t>choice</t></mc:Choice><mc:Fallback><t>fallback</t></mc:Fallback></mc:AlternateContent>`)
	bk.sstExtra = `<extLst><ext uri="{X}"><si><t>not a string</t></si></ext></extLst>`
	ac := func(choice, fallback string) string {
		return `<mc:AlternateContent><mc:Choice Requires="x14ac">` + choice + `</mc:Choice><mc:Fallback>` + fallback + `</mc:Fallback></mc:AlternateContent>`
	}
	data := `<row r="1"><c r="A1" t="s"><v>` + strconv.Itoa(a) + `</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c></row>` +
		ac(`<row r="2"><c r="A2"><v>2</v></c></row>`, `<row r="2"><c r="A2"><v>1</v></c></row>`) +
		`<row r="3"><c r="A3">` + ac(`<v>2</v>`, `<v>1</v>`) + `</c><c r="B3"><extLst><ext uri="{X}"><v>9</v></ext></extLst><v>3</v></c>` +
		`<extLst><ext uri="{X}"><c r="C3"><v>9</v></c></ext></extLst></row>` +
		`<row r="4"><c r="A4" t="inlineStr"><is><t>in</t><o:t xmlns:o="urn:other">not in</o:t><r><t>line</t></r></is></c>` +
		`<o:c xmlns:o="urn:other" r="B4"><v>9</v></o:c><c r="C4" s="1"><v>45915</v></c></row>` +
		`<row><c><v>5</v></c><c><v>6</v></c></row>`
	bk.sheets = []sheet{{"Compat", data}}
	b, err := bk.zip()
	if err != nil {
		return err
	}
	return writeFile("hand-compat.xlsx", b)
}

// handEscapes writes what readers may decode differently: _xHHHH_ escapes of a
// UTF-16 surrogate pair, of a lone surrogate and in a formula's cached text,
// booleans as true/false, numbers with spaces around, and date-styled serials that
// name no date (the fictitious 29 February 1900, a time only, a negative number, a
// serial past 9999-12-31).
func handEscapes() error {
	bk := &book{st: excelStyle, numFmts: []string{"dd.mm.yyyy"}, xfs: []int{0, 164}}
	strs := &strTable{bk: bk, idx: map[string]int{}}
	pair := strs.raw(`<t>ok _xD83D__xDE00_</t>`)
	lone := strs.raw(`<t>lone _xD83D_ surrogate</t>`)
	cr := strs.raw(`<t>a_x000D__x000A_b</t>`)
	v := func(i int) string { return `<v>` + strconv.Itoa(i) + `</v>` }
	data := `<row r="1"><c r="A1" t="s">` + v(pair) + `</c><c r="B1" t="s">` + v(lone) + `</c><c r="C1" t="s">` + v(cr) + `</c>` +
		`<c r="D1" t="inlineStr"><is><t>in_x000D__x000A_line</t></is></c></row>` +
		`<row r="2"><c r="A2" t="str"><f>"a"&amp;CHAR(13)&amp;"b"</f><v>a_x000D_b</v></c><c r="B2" t="b"><v>true</v></c><c r="C2" t="b"><v>false</v></c>` +
		`<c r="D2"><v> 42 </v></c></row>` +
		`<row r="3"><c r="A3" s="1"><v>60</v></c><c r="B3" s="1"><v>0.5</v></c><c r="C3" s="1"><v>-1</v></c><c r="D3" s="1"><v>2958466</v></c>` +
		`<c r="E3" s="1"><v>59.99</v></c><c r="F3" s="1"><v>61</v></c></row>`
	bk.sheets = []sheet{{"Escapes", data}}
	b, err := bk.zip()
	if err != nil {
		return err
	}
	return writeFile("hand-escapes.xlsx", b)
}

// handRegister writes the sample register as current Excel saves it: shared
// strings, dates as serials with a date style, Excel's namespaces and extensions
// (x15:workbookPr in the workbook's extLst), in the 1900 or the 1904 date system.
// The two files hold the same register.
func handRegister(name string, date1904 bool) error {
	rows, err := openRegister()
	if err != nil {
		return err
	}
	bk := &book{st: excelStyle, date1904: date1904, numFmts: []string{"dd.mm.yyyy"}, xfs: []int{0, 164}}
	strs := &strTable{bk: bk, idx: map[string]int{}}
	var data strings.Builder
	for _, r := range rows {
		fmt.Fprintf(&data, `<row r="%d" x14ac:dyDescent="0.25">`, r.num)
		for _, c := range r.cells {
			ref := xlsx.CellName(c.Col, r.num)
			switch {
			case c.Date:
				n, err := strconv.ParseFloat(c.Value, 64)
				if err != nil {
					return err
				}
				if date1904 {
					n -= 1462
				}
				data.WriteString(bk.cellXML(ref, ` s="1"`, bk.v(fnum(n))))
			case c.Type == xlsx.Number:
				data.WriteString(bk.cellXML(ref, "", bk.v(c.Value)))
			default:
				data.WriteString(bk.cellXML(ref, ` t="s"`, bk.v(strconv.Itoa(strs.si(c.Value)))))
			}
		}
		data.WriteString("</row>")
	}
	bk.sheets = []sheet{{"Реестр", data.String()}}
	b, err := bk.zip()
	if err != nil {
		return err
	}
	return writeFile(name, b)
}

// ---- fuzz seeds ---------------------------------------------------------------

// seeds writes a seed of shared/xlsx's FuzzWorkbook for every .xlsx of the corpus:
// its workbook, relationships, content types, styles, first sheet and shared
// strings, each cut to 4 KiB.
func seeds() error {
	names, err := filepath.Glob(filepath.Join(dir, "*.xlsx"))
	if err != nil {
		return err
	}
	sort.Strings(names)
	out := "shared/xlsx/testdata/fuzz/FuzzWorkbook"
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	for _, n := range names {
		zr, err := zip.OpenReader(n)
		if err != nil {
			return err
		}
		get := func(want ...string) string {
			for _, f := range zr.File {
				for _, w := range want {
					if f.Name == w {
						rc, err := f.Open()
						if err != nil {
							return ""
						}
						var b bytes.Buffer
						b.ReadFrom(rc)
						rc.Close()
						return string(b.Bytes()[:min(b.Len(), 4<<10)])
					}
				}
			}
			return ""
		}
		parts := []string{get("xl/workbook.xml"), get("xl/_rels/workbook.xml.rels"), get("[Content_Types].xml"),
			get("xl/styles.xml"), get("xl/worksheets/sheet1.xml"), get("xl/sharedStrings.xml")}
		zr.Close()
		var b strings.Builder
		b.WriteString("go test fuzz v1\n")
		for _, p := range parts {
			b.WriteString("string(" + strconv.Quote(p) + ")\n")
		}
		base := strings.TrimSuffix(filepath.Base(n), ".xlsx")
		if err := os.WriteFile(filepath.Join(out, base), []byte(b.String()), 0o644); err != nil {
			return err
		}
	}
	return nil
}
