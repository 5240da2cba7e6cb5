package xlsx

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
)

// part is one zip entry of a hand-built fixture.
type part struct{ name, body string }

// makeZip builds a zip from parts, in order.
func makeZip(t testing.TB, parts ...part) []byte {
	t.Helper()
	return zipParts(t, zip.Deflate, parts...)
}

// zipParts builds a zip from parts, in order, compressed by method.
func zipParts(t testing.TB, method uint16, parts ...part) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, p := range parts {
		f, err := zw.CreateHeader(&zip.FileHeader{Name: p.name, Method: method})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.Write([]byte(p.body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

const (
	nsT       = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
	nsTRel    = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
	nsStrict  = "http://purl.oclc.org/ooxml/spreadsheetml/main"
	nsSRel    = "http://purl.oclc.org/ooxml/officeDocument/relationships"
	xmlDecl   = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\r\n"
	ctWB      = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
	ctSheet   = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
	relsNS    = "http://schemas.openxmlformats.org/package/2006/relationships"
	typesHead = xmlDecl + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>`
)

// sheetXML wraps rows in a worksheet with a (wrong) dimension.
func sheetXML(rows string) string {
	return xmlDecl + `<worksheet xmlns="` + nsT + `" xmlns:r="` + nsTRel + `"><dimension ref="A1"/><sheetData>` + rows + `</sheetData></worksheet>`
}

// sstXML wraps <si> items.
func sstXML(items ...string) string {
	return xmlDecl + fmt.Sprintf(`<sst xmlns="%s" count="%d" uniqueCount="%d">`, nsT, len(items), len(items)) + strings.Join(items, "") + `</sst>`
}

// stylesXML builds styles with custom numFmts (id → code) and cellXfs numFmtIds.
func stylesXMLFor(custom map[int]string, xfs ...int) string {
	var b strings.Builder
	b.WriteString(xmlDecl + `<styleSheet xmlns="` + nsT + `">`)
	if len(custom) > 0 {
		fmt.Fprintf(&b, `<numFmts count="%d">`, len(custom))
		for id, code := range custom {
			fmt.Fprintf(&b, `<numFmt numFmtId="%d" formatCode="%s"/>`, id, xmlAttr(code))
		}
		b.WriteString(`</numFmts>`)
	}
	// cellStyleXfs must not be mistaken for cellXfs.
	b.WriteString(`<cellStyleXfs count="1"><xf numFmtId="14" fontId="0"/></cellStyleXfs>`)
	fmt.Fprintf(&b, `<cellXfs count="%d">`, len(xfs))
	for _, id := range xfs {
		fmt.Fprintf(&b, `<xf numFmtId="%d" fontId="0" fillId="0" borderId="0" xfId="0"><alignment horizontal="left"/></xf>`, id)
	}
	b.WriteString(`</cellXfs></styleSheet>`)
	return b.String()
}

func xmlAttr(s string) string {
	r := strings.NewReplacer(`&`, "&amp;", `"`, "&quot;", `<`, "&lt;", `>`, "&gt;")
	return r.Replace(s)
}

// book describes a fixture workbook.
type book struct {
	sheets   []sheetDef
	sst      string // sharedStrings.xml body, "" for none
	styles   string // styles.xml body, "" for none
	date1904 string // workbookPr date1904 value, "" for none
	strict   bool   // strict OOXML namespaces and relationship types
	absolute bool   // absolute relationship targets
}

type sheetDef struct {
	name, file, xml string // file: path under xl/, e.g. "worksheets/sheet1.xml"
}

// parts renders the workbook.
func (bk book) parts() []part {
	main, rel := nsT, nsTRel
	if bk.strict {
		main, rel = nsStrict, nsSRel
	}
	target := func(p string) string {
		if bk.absolute {
			return "/xl/" + p
		}
		return p
	}
	types := typesHead + `<Override PartName="/xl/workbook.xml" ContentType="` + ctWB + `"/>`
	var wb, wbRels strings.Builder
	wb.WriteString(xmlDecl + `<workbook xmlns="` + main + `" xmlns:r="` + rel + `">`)
	if bk.date1904 != "" {
		wb.WriteString(`<workbookPr date1904="` + bk.date1904 + `"/>`)
	}
	wb.WriteString(`<sheets>`)
	wbRels.WriteString(xmlDecl + `<Relationships xmlns="` + relsNS + `">`)
	var ps []part
	for i, s := range bk.sheets {
		id := fmt.Sprintf("rId%d", i+10)
		fmt.Fprintf(&wb, `<sheet name="%s" sheetId="%d" r:id="%s"/>`, xmlAttr(s.name), i+1, id)
		fmt.Fprintf(&wbRels, `<Relationship Id="%s" Type="%s/worksheet" Target="%s"/>`, id, rel, target(s.file))
		types += `<Override PartName="/xl/` + s.file + `" ContentType="` + ctSheet + `"/>`
		ps = append(ps, part{"xl/" + s.file, s.xml})
	}
	wb.WriteString(`</sheets></workbook>`)
	if bk.sst != "" {
		fmt.Fprintf(&wbRels, `<Relationship Id="rId1" Type="%s/sharedStrings" Target="%s"/>`, rel, target("sharedStrings.xml"))
		ps = append(ps, part{"xl/sharedStrings.xml", bk.sst})
	}
	if bk.styles != "" {
		fmt.Fprintf(&wbRels, `<Relationship Id="rId2" Type="%s/styles" Target="%s"/>`, rel, target("styles.xml"))
		ps = append(ps, part{"xl/styles.xml", bk.styles})
	}
	wbRels.WriteString(`</Relationships>`)
	types += `</Types>`
	root := xmlDecl + `<Relationships xmlns="` + relsNS + `"><Relationship Id="rId1" Type="` + rel + `/officeDocument" Target="xl/workbook.xml"/></Relationships>`
	return append([]part{
		{"[Content_Types].xml", types},
		{"_rels/.rels", root},
		{"xl/workbook.xml", wb.String()},
		{"xl/_rels/workbook.xml.rels", wbRels.String()},
	}, ps...)
}

// oneSheet is a book with a single sheet "Data" holding rows.
func oneSheet(rows string) book {
	return book{sheets: []sheetDef{{"Data", "worksheets/sheet1.xml", sheetXML(rows)}}}
}

func (bk book) zip(t testing.TB) []byte { return makeZip(t, bk.parts()...) }

func openBytes(b []byte, lim Limits) (*Workbook, error) {
	return Open(bytes.NewReader(b), int64(len(b)), lim)
}

// row is a row as read, for comparisons.
type row struct {
	Num   int
	Cells []Cell
}

// readSheet reads every row of a sheet.
func readSheet(t testing.TB, wb *Workbook, name string) ([]row, error) {
	t.Helper()
	sh, err := wb.Sheet(name)
	if err != nil {
		return nil, err
	}
	defer sh.Close()
	var rows []row
	for sh.Next() {
		rows = append(rows, row{sh.RowNum(), append([]Cell(nil), sh.Cells()...)})
	}
	return rows, sh.Err()
}

// problemOf returns the Problem of an *Error, 0 for nil, and fails on other errors.
func problemOf(t testing.TB, err error) Problem {
	t.Helper()
	if err == nil {
		return 0
	}
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v (%T) is not an *Error", err, err)
	}
	return e.Problem
}

func str(col int, v string) Cell { return Cell{Col: col, Type: String, Value: v} }
func num(col int, v string) Cell { return Cell{Col: col, Type: Number, Value: v} }
func date(col int, v string) Cell {
	return Cell{Col: col, Type: Number, Value: v, Date: true}
}
