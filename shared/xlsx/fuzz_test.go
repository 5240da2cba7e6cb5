package xlsx

import (
	"archive/zip"
	"bytes"
	"testing"
)

// FuzzSheet feeds arbitrary sheet and shared-string XML to the reader: it may
// fail, but must not panic or hang.
func FuzzSheet(f *testing.F) {
	f.Add(`<row r="1"><c r="A1" t="s"><v>0</v></c><c t="inlineStr"><is><r><t>a&amp;b</t></r></is></c></row>`, `<si><t>x_x000D_</t></si>`)
	f.Add(`<x:row><x:c r="B2" t="str"><f>1</f><v>&#x41;</v></x:c><c r="XFD2"/></x:row>`, `<si><r><t xml:space="preserve"> a</t></r><rPh><t>b</t></rPh></si>`)
	f.Add(`<row r="3"><c t="b"><v>true</v></c><c t="e"><v>#N/A</v></c><c t="d"><v>2024-01-01</v></c></row><!-- c --><![CDATA[x]]>`, ``)
	f.Fuzz(func(t *testing.T, rows, sis string) {
		bk := oneSheet(rows)
		bk.sst = sstXML(sis)
		bk.styles = stylesXMLFor(map[int]string{164: "dd.mm.yyyy"}, 0, 164)
		wb, err := openBytes(bk.zip(t), Limits{MaxRatio: 1 << 20})
		if err != nil {
			return
		}
		sh, err := wb.Sheet("")
		if err != nil {
			return
		}
		defer sh.Close()
		for sh.Next() {
			prev := -1
			for _, c := range sh.Cells() {
				if c.Col <= prev || c.Value == "" || c.Type == 0 {
					t.Fatalf("bad cells %+v", sh.Cells())
				}
				prev = c.Col
			}
		}
	})
}

// FuzzOLE2 feeds arbitrary bytes after the OLE2 signature to the CFB reader.
func FuzzOLE2(f *testing.F) {
	f.Add(makeCFB("EncryptionInfo")[8:])
	f.Add(makeCFB("Workbook")[8:])
	f.Fuzz(func(t *testing.T, rest []byte) {
		data := append(append([]byte(nil), oleSignature...), rest...)
		_, err := Open(bytes.NewReader(data), int64(len(data)), Limits{})
		if p := problemOf(t, err); p != Encrypted && p != LegacyXLS && p != NotWorkbook {
			t.Fatalf("got %v", err)
		}
	})
}

// FuzzWorkbook feeds arbitrary workbook, relationships, content types, styles,
// sheet and shared-string parts to Open and the sheet reader. Its seeds
// (testdata/fuzz/FuzzWorkbook) are the parts of every workbook of the corpus in
// testdata/corpus, written by its generator. Reading may fail, but only with an
// *Error, and what is read keeps the reader's promises: rows within Excel's grid,
// cells sorted by column, non-empty values of at most 1 MiB, dates only on numbers.
func FuzzWorkbook(f *testing.F) {
	bk := oneSheet(`<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" s="1"><v>45915</v></c></row>`)
	bk.sst, bk.styles, bk.date1904 = sstXML(`<si><t>x</t></si>`), stylesXMLFor(nil, 0, 14), "1"
	ps := bk.parts()
	body := func(name string) string {
		for _, p := range ps {
			if p.name == name {
				return p.body
			}
		}
		return ""
	}
	f.Add(body("xl/workbook.xml"), body("xl/_rels/workbook.xml.rels"), body("[Content_Types].xml"),
		body("xl/styles.xml"), body("xl/worksheets/sheet1.xml"), body("xl/sharedStrings.xml"))
	f.Fuzz(func(t *testing.T, workbook, rels, types, styles, sheet, sst string) {
		file := zipParts(t, zip.Store, // fast to make
			part{"[Content_Types].xml", types},
			part{"_rels/.rels", `<Relationships xmlns="` + relsNS + `"><Relationship Id="rId1" Type="` + nsTRel + `/officeDocument" Target="xl/workbook.xml"/></Relationships>`},
			part{"xl/workbook.xml", workbook},
			part{"xl/_rels/workbook.xml.rels", rels},
			part{"xl/styles.xml", styles},
			part{"xl/worksheets/sheet1.xml", sheet},
			part{"xl/sharedStrings.xml", sst})
		wb, err := openBytes(file, Limits{MaxRatio: 1 << 20})
		if err != nil {
			problemOf(t, err)
			return
		}
		names := wb.SheetNames()
		for _, name := range names[:min(len(names), 3)] {
			sh, err := wb.Sheet(name)
			if err != nil {
				problemOf(t, err)
				continue
			}
			for sh.Next() {
				if r := sh.RowNum(); r < 1 || r > excelMaxRows {
					t.Fatalf("row number %d", r)
				}
				prev := -1
				for _, c := range sh.Cells() {
					if c.Col <= prev || c.Col >= excelMaxCols || c.Value == "" || len(c.Value) > maxText ||
						c.Type < String || c.Type > DateISO || c.Date && c.Type != Number {
						t.Fatalf("bad cell %+v in row %d", c, sh.RowNum())
					}
					prev = c.Col
				}
			}
			problemOf(t, sh.Err())
			sh.Close()
		}
	})
}
