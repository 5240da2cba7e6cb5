package xlsx

import (
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
