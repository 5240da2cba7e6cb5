package xlsx

import (
	"archive/zip"
	"bytes"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestCells(t *testing.T) {
	tests := []struct {
		name   string
		sst    string
		styles string
		rows   string // sheetData content
		want   []row
	}{
		{
			name: "shared strings",
			sst:  sstXML(`<si><t>Астана</t></si>`, `<si><t>Алматы</t></si>`),
			rows: `<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>`,
			want: []row{{1, []Cell{str(0, "Астана"), str(1, "Алматы")}}},
		},
		{
			name: "rich text shared string, phonetic runs ignored",
			sst: sstXML(`<si><r><rPr><b/></rPr><t xml:space="preserve">Иванов </t></r><r><t>Иван</t></r>` +
				`<rPh sb="0" eb="1"><t>イ</t></rPh><phoneticPr fontId="1"/></si>`),
			rows: `<row r="1"><c r="A1" t="s"><v>0</v></c></row>`,
			want: []row{{1, []Cell{str(0, "Иванов Иван")}}},
		},
		{
			name: "inline strings, plain and rich",
			rows: `<row r="2"><c r="A2" t="inlineStr"><is><t>plain</t></is></c>` +
				`<c r="B2" t="inlineStr"><is><r><t>ri</t></r><r><rPr><i/></rPr><t>ch</t></r><rPh><t>x</t></rPh></is></c></row>`,
			want: []row{{2, []Cell{str(0, "plain"), str(1, "rich")}}},
		},
		{
			name: "formulas with cached values",
			rows: `<row r="1"><c r="A1" t="str"><f>CONCATENATE("a","b")</f><v>ab</v></c>` +
				`<c r="B1"><f>1+2</f><v>3</v></c><c r="C1" t="str"><f>""</f><v></v></c>` +
				`<c r="D1"><f t="shared" ref="D1:D2" si="0"/><v>4.5</v></c></row>`,
			want: []row{{1, []Cell{str(0, "ab"), num(1, "3"), num(3, "4.5")}}},
		},
		{
			name: "booleans, errors, ISO dates",
			rows: `<row r="1"><c r="A1" t="b"><v>1</v></c><c r="B1" t="b"><v>0</v></c><c r="C1" t="b"><v>true</v></c>` +
				`<c r="D1" t="e"><v>#N/A</v></c><c r="E1" t="e"><f>1/0</f><v>#DIV/0!</v></c>` +
				`<c r="F1" t="d"><v>2024-03-15T00:00:00</v></c></row>`,
			want: []row{{1, []Cell{
				{Col: 0, Type: Bool, Value: "1"}, {Col: 1, Type: Bool, Value: "0"}, {Col: 2, Type: Bool, Value: "1"},
				{Col: 3, Type: ErrorValue, Value: "#N/A"}, {Col: 4, Type: ErrorValue, Value: "#DIV/0!"},
				{Col: 5, Type: DateISO, Value: "2024-03-15T00:00:00"},
			}}},
		},
		{
			name: "cells and rows without r follow the previous one",
			rows: `<row><c><v>1</v></c><c><v>2</v></c><c r="E1"><v>5</v></c><c><v>6</v></c></row>` +
				`<row r="4"><c r="B4"><v>7</v></c></row><row><c><v>8</v></c></row>`,
			want: []row{
				{1, []Cell{num(0, "1"), num(1, "2"), num(4, "5"), num(5, "6")}},
				{4, []Cell{num(1, "7")}},
				{5, []Cell{num(0, "8")}},
			},
		},
		{
			name: "row without r takes its number from its cells",
			rows: `<row r="1"><c r="A1"><v>1</v></c></row><row><c r="A7"><v>7</v></c></row><row><c><v>8</v></c></row>`,
			want: []row{{1, []Cell{num(0, "1")}}, {7, []Cell{num(0, "7")}}, {8, []Cell{num(0, "8")}}},
		},
		{
			name: "empty cells and rows are skipped",
			sst:  sstXML(`<si><t></t></si>`, `<si/>`, `<si><t>x</t></si>`),
			rows: `<row r="1"><c r="A1" s="3"/><c r="B1"/></row><row r="2"/><row r="3" spans="1:3"></row>` +
				`<row r="4"><c r="A4" t="s"><v>0</v></c><c r="B4" t="s"><v>1</v></c><c r="C4"><v></v></c><c r="D4"><v/></c>` +
				`<c r="E4" t="inlineStr"><is><t/></is></c><c r="F4" t="s"><v>2</v></c><c r="G4"><v>  </v></c></row>`,
			want: []row{{4, []Cell{str(5, "x")}}},
		},
		{
			name: "XML entities and numeric references",
			sst:  sstXML(`<si><t>A&amp;B &lt;x&gt; &quot;q&quot; &apos;a&apos;</t></si>`, `<si><t>line1&#10;line2 &#x41;&#1178;</t></si>`),
			rows: `<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="str"><v>&lt;&amp;&gt;</v></c></row>`,
			want: []row{{1, []Cell{str(0, `A&B <x> "q" 'a'`), str(1, "line1\nline2 AҚ"), str(2, "<&>")}}},
		},
		{
			name: "_xHHHH_ escapes",
			sst: sstXML(`<si><t>a_x000D__x000A_b</t></si>`, `<si><t>_x005F_x0041_</t></si>`, `<si><t>_xD83D__xDE00_ _x0041_</t></si>`,
				`<si><t>_x00zz_ _x41_</t></si>`),
			rows: `<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c>` +
				`<c r="D1" t="s"><v>3</v></c><c r="E1" t="inlineStr"><is><t>x_x0009_y</t></is></c></row>`,
			want: []row{{1, []Cell{str(0, "a\r\nb"), str(1, "_x0041_"), str(2, "😀 A"), str(3, "_x00zz_ _x41_"), str(4, "x\ty")}}},
		},
		{
			name: "CRLF between tags and inside text",
			sst:  sstXML("<si>\r\n<t>a\r\nb\rc</t>\r\n</si>"),
			rows: "\r\n<row r=\"1\"\r\n spans=\"1:2\">\r\n<c r=\"A1\"\r\nt=\"s\">\r\n<v>0</v>\r\n</c>\r\n<c\tr=\"B1\"><v>\r\n12\r\n</v></c></row>\r\n",
			want: []row{{1, []Cell{str(0, "a\nb\nc"), num(1, "12")}}},
		},
		{
			name: "namespace-prefixed elements",
			sst:  `<x:sst xmlns:x="` + nsT + `"><x:si><x:t>p</x:t></x:si></x:sst>`,
			rows: `<x:row r="1"><x:c r="A1" t="s"><x:v>0</x:v></x:c><x:c r="B1" t="inlineStr"><x:is><x:t>q</x:t></x:is></x:c><x:c r="C1"><x:v>1</x:v></x:c></x:row>`,
			want: []row{{1, []Cell{str(0, "p"), str(1, "q"), num(2, "1")}}},
		},
		{
			name:   "date styles",
			styles: stylesXMLFor(map[int]string{164: "dd.mm.yyyy", 165: `[Red]0.00`, 166: `[h]:mm`, 167: `"day "0`, 168: `#,##0\m`, 14: "0.00"}, 0, 14, 22, 164, 165, 166, 167, 168, 47, 49, 2),
			rows: `<row r="1"><c r="A1"><v>1</v></c><c r="B1" s="1"><v>45123</v></c><c r="C1" s="2"><v>45123.5</v></c>` +
				`<c r="D1" s="3"><v>45123</v></c><c r="E1" s="4"><v>1</v></c><c r="F1" s="5"><v>1.5</v></c>` +
				`<c r="G1" s="6"><v>1</v></c><c r="H1" s="7"><v>1</v></c><c r="I1" s="8"><v>0.5</v></c>` +
				`<c r="J1" s="9"><v>1</v></c><c r="K1" s="10"><v>1</v></c><c r="L1" s="99"><v>1</v></c>` +
				`<c r="M1" s="3" t="s"><v>0</v></c></row>`,
			sst: sstXML(`<si><t>text in a date style</t></si>`),
			want: []row{{1, []Cell{num(0, "1"), num(1, "45123") /* id 14 redefined as "0.00" */, date(2, "45123.5"),
				date(3, "45123"), num(4, "1"), date(5, "1.5"), num(6, "1"), num(7, "1"), date(8, "0.5"),
				num(9, "1"), num(10, "1"), num(11, "1"), str(12, "text in a date style")}}},
		},
		{
			name: "numbers as stored, spaces trimmed",
			rows: `<row r="1"><c r="A1" t="n"><v> 4.5E+3 </v></c><c r="B1"><v>-0.25</v></c><c r="C1"><v>123456789012</v></c></row>`,
			want: []row{{1, []Cell{num(0, "4.5E+3"), num(1, "-0.25"), num(2, "123456789012")}}},
		},
		{
			name: "cells out of order, duplicate column: the later wins",
			rows: `<row r="1"><c r="C1"><v>3</v></c><c r="A1"><v>1</v></c><c r="C1"><v>33</v></c></row>`,
			want: []row{{1, []Cell{num(0, "1"), num(2, "33")}}},
		},
		{
			name: "CDATA, comments and processing instructions",
			rows: `<!-- a comment with <row> inside --><?pi x?><row r="1"><c r="A1" t="inlineStr"><is><t><![CDATA[a<b>&amp;]]>c<!-- x -->d</t></is></c></row>`,
			want: []row{{1, []Cell{str(0, "a<b>&amp;cd")}}},
		},
		{
			name: "column letters up to XFD, lower case references",
			rows: `<row r="1048576"><c r="xfd1048576"><v>1</v></c><c r="$AA$1048576"><v>2</v></c></row>`,
			want: []row{{1048576, []Cell{num(26, "2"), num(16383, "1")}}},
		},
		{
			name: "single quotes and > inside attribute values",
			rows: `<row r='1' x14ac:dyDescent="0.25" foo="a>b"><c r='A1' t='inlineStr' bar='>'><is><t>ok</t></is></c></row>`,
			want: []row{{1, []Cell{str(0, "ok")}}},
		},
		{
			name: "unknown elements inside cells and rows are ignored",
			rows: `<row r="1"><extLst><ext/></extLst><c r="A1"><extLst><ext uri="x"><v>9</v></ext></extLst><v>1</v></c></row>`,
			want: []row{{1, []Cell{num(0, "1")}}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bk := oneSheet(tt.rows)
			bk.sst, bk.styles = tt.sst, tt.styles
			wb, err := openBytes(bk.zip(t), Limits{})
			if err != nil {
				t.Fatal(err)
			}
			got, err := readSheet(t, wb, "")
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("rows (-want +got):\n%s", diff)
			}
		})
	}
}

func TestWorkbookStructure(t *testing.T) {
	rows := func(v string) string {
		return sheetXML(`<row r="1"><c r="A1" t="inlineStr"><is><t>` + v + `</t></is></c></row>`)
	}
	tests := []struct {
		name      string
		bk        book
		parts     []part // instead of bk
		sheet     string
		wantNames []string
		want1904  bool
		wantValue string
		wantProb  Problem
	}{
		{
			name: "first sheet not named Sheet1, file names out of order",
			bk: book{sheets: []sheetDef{
				{"Тізілім", "worksheets/sheet3.xml", rows("first")},
				{"Sheet1", "worksheets/sheet1.xml", rows("second")},
			}},
			wantNames: []string{"Тізілім", "Sheet1"}, wantValue: "first",
		},
		{
			name: "sheet by name",
			bk: book{sheets: []sheetDef{
				{"A", "worksheets/sheet2.xml", rows("a")},
				{"Реестр & co", "worksheets/sheet1.xml", rows("b")},
			}},
			sheet: "Реестр & co", wantNames: []string{"A", "Реестр & co"}, wantValue: "b",
		},
		{
			name:  "sheet by name ignoring case",
			bk:    book{sheets: []sheetDef{{"Data", "worksheets/sheet1.xml", rows("x")}}},
			sheet: "DATA", wantNames: []string{"Data"}, wantValue: "x",
		},
		{
			name:  "unknown sheet",
			bk:    book{sheets: []sheetDef{{"Data", "worksheets/sheet1.xml", rows("x")}}},
			sheet: "Nope", wantNames: []string{"Data"}, wantProb: SheetNotFound,
		},
		{
			name:      "strict OOXML namespaces and relationship types",
			bk:        book{strict: true, date1904: "true", sheets: []sheetDef{{"S", "worksheets/sheet1.xml", strings.ReplaceAll(rows("strict"), nsT, nsStrict)}}},
			wantNames: []string{"S"}, want1904: true, wantValue: "strict",
		},
		{
			name:      "absolute relationship targets, 1904 as 1",
			bk:        book{absolute: true, date1904: "1", sheets: []sheetDef{{"S", "worksheets/sheet1.xml", rows("abs")}}},
			wantNames: []string{"S"}, want1904: true, wantValue: "abs",
		},
		{
			name:      "1904 false",
			bk:        book{date1904: "false", sheets: []sheetDef{{"S", "worksheets/sheet1.xml", rows("v")}}},
			wantNames: []string{"S"}, wantValue: "v",
		},
		{
			name: "no rels and no content types: conventional names",
			parts: []part{
				{"xl/workbook.xml", `<workbook xmlns="` + nsT + `"><sheets><sheet name="Only" sheetId="1"/></sheets></workbook>`},
				{"xl/worksheets/sheet1.xml", rows("conv")},
			},
			wantNames: []string{"Only"}, wantValue: "conv",
		},
		{
			name: "workbook in a non-standard place, found by its rels",
			parts: []part{
				{"_rels/.rels", `<Relationships xmlns="` + relsNS + `"><Relationship Id="r" Type="` + nsTRel + `/officeDocument" Target="/book/workbook.xml"/></Relationships>`},
				{"book/workbook.xml", `<workbook xmlns="` + nsT + `" xmlns:r="` + nsTRel + `"><sheets><sheet name="W" sheetId="1" r:id="x"/></sheets></workbook>`},
				{"book/_rels/workbook.xml.rels", `<Relationships xmlns="` + relsNS + `"><Relationship Id="x" Type="` + nsTRel + `/worksheet" Target="../data/s.xml"/></Relationships>`},
				{"data/s.xml", rows("moved")},
			},
			wantNames: []string{"W"}, wantValue: "moved",
		},
		{
			name: "no sheets",
			parts: []part{
				{"xl/workbook.xml", `<workbook xmlns="` + nsT + `"><sheets/></workbook>`},
			},
			wantProb: NoSheets,
		},
		{
			name: "sheet part missing",
			parts: []part{
				{"xl/workbook.xml", `<workbook xmlns="` + nsT + `"><sheets><sheet name="Gone" sheetId="1"/></sheets></workbook>`},
			},
			wantNames: []string{"Gone"}, wantProb: Corrupt,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			parts := tt.parts
			if parts == nil {
				parts = tt.bk.parts()
			}
			wb, err := openBytes(makeZip(t, parts...), Limits{})
			if err != nil {
				if got := problemOf(t, err); got != tt.wantProb {
					t.Fatalf("Open: %v, want problem %v", err, tt.wantProb)
				}
				return
			}
			if diff := cmp.Diff(tt.wantNames, wb.SheetNames()); diff != "" {
				t.Errorf("SheetNames (-want +got):\n%s", diff)
			}
			if wb.Date1904() != tt.want1904 {
				t.Errorf("Date1904 = %v, want %v", wb.Date1904(), tt.want1904)
			}
			got, err := readSheet(t, wb, tt.sheet)
			if p := problemOf(t, err); p != tt.wantProb {
				t.Fatalf("reading: %v, want problem %v", err, tt.wantProb)
			}
			if tt.wantProb != 0 {
				return
			}
			if len(got) != 1 || len(got[0].Cells) != 1 || got[0].Cells[0].Value != tt.wantValue {
				t.Errorf("got %+v, want one cell %q", got, tt.wantValue)
			}
		})
	}
}

func TestSheetNotFoundError(t *testing.T) {
	wb, err := openBytes(oneSheet("").zip(t), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	_, err = wb.Sheet("Missing")
	e, ok := err.(*Error)
	if !ok || e.Problem != SheetNotFound || e.Sheet != "Missing" || !strings.Contains(e.Detail, `"Data"`) {
		t.Fatalf("got %#v", err)
	}
}

func TestSheetProgress(t *testing.T) {
	var rows strings.Builder
	for i := 1; i <= 5000; i++ {
		rows.WriteString(`<row><c><v>1</v></c></row>`)
	}
	wb, err := openBytes(oneSheet(rows.String()).zip(t), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	sh, err := wb.Sheet("")
	if err != nil {
		t.Fatal(err)
	}
	defer sh.Close()
	size := sh.Size()
	if want := int64(len(sheetXML(rows.String()))); size != want {
		t.Errorf("Size = %d, want %d", size, want)
	}
	n := 0
	for sh.Next() {
		n++
		if sh.RowNum() != n {
			t.Fatalf("RowNum = %d, want %d", sh.RowNum(), n)
		}
	}
	if sh.Err() != nil || n != 5000 || sh.Read() != size {
		t.Errorf("n=%d err=%v Read=%d Size=%d", n, sh.Err(), sh.Read(), size)
	}
}

// Reading a sheet twice, or two sheets at once, works and does not count as a bomb.
func TestSheetTwiceAndConcurrently(t *testing.T) {
	var rows strings.Builder
	for i := 1; i <= 2000; i++ {
		rows.WriteString(`<row><c t="s"><v>0</v></c><c><v>2</v></c></row>`)
	}
	bk := book{sst: sstXML(`<si><t>s</t></si>`), sheets: []sheetDef{
		{"A", "worksheets/sheet1.xml", sheetXML(rows.String())},
		{"B", "worksheets/sheet2.xml", sheetXML(rows.String())},
	}}
	data := bk.zip(t)
	// A ratio limit just above one reading of everything.
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var total int64
	for _, f := range zr.File {
		total += int64(f.UncompressedSize64)
	}
	wb, err := openBytes(data, Limits{MaxRatio: total/int64(len(data)) + 1})
	if err != nil {
		t.Fatal(err)
	}
	a, _ := wb.Sheet("A")
	b, _ := wb.Sheet("B")
	na, nb := 0, 0
	for a.Next() && b.Next() {
		na++
		nb++
	}
	if a.Err() != nil || b.Err() != nil || na != 2000 {
		t.Fatalf("concurrent: %d rows, %v, %v", na, a.Err(), b.Err())
	}
	for range 3 {
		rows, err := readSheet(t, wb, "A")
		if err != nil || len(rows) != 2000 {
			t.Fatalf("again: %d rows, %v", len(rows), err)
		}
	}
}

func TestCellsSliceReusedButValuesStable(t *testing.T) {
	rows := `<row r="1"><c t="inlineStr"><is><t>first</t></is></c></row><row r="2"><c t="inlineStr"><is><t>second</t></is></c></row>`
	wb, err := openBytes(oneSheet(rows).zip(t), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	sh, _ := wb.Sheet("")
	sh.Next()
	v := sh.Cells()[0].Value
	sh.Next()
	if v != "first" || sh.Cells()[0].Value != "second" {
		t.Fatalf("values: %q, %q", v, sh.Cells()[0].Value)
	}
}

func TestLongText(t *testing.T) {
	long := strings.Repeat("Қазақстан &amp; ", 5000) // ~90 KB, more than one buffer
	want := strings.Repeat("Қазақстан & ", 5000)
	bk := oneSheet(`<row r="1"><c t="s"><v>0</v></c><c t="inlineStr"><is><t>` + long + `</t></is></c></row>`)
	bk.sst = sstXML(`<si><t>` + long + `</t></si>`)
	wb, err := openBytes(bk.zip(t), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	got, err := readSheet(t, wb, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || len(got[0].Cells) != 2 || got[0].Cells[0].Value != want || got[0].Cells[1].Value != want {
		t.Fatalf("long text not read back")
	}
}

// Every split of a document across buffer refills must read the same: feed the
// scanner one byte at a time.
func TestScannerByteByByte(t *testing.T) {
	doc := "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY a \"b\">]><sst><si><t>a&amp;b&#x4A;\r\nc</t></si><si><t><![CDATA[<x>]]>_x0041_</t></si></sst>"
	var sc scanner
	sc.reset(&oneByteReader{r: strings.NewReader(doc)})
	sc.buf = make([]byte, 64) // small buffer: many refills
	var tg tag
	var texts []string
	for sc.nextTag(&tg) {
		if tg.is("t") && !tg.end {
			b, ok := sc.appendText(nil)
			if !ok {
				t.Fatal(sc.err)
			}
			texts = append(texts, string(decodeEscapes(b)))
		}
	}
	if sc.err != nil {
		t.Fatal(sc.err)
	}
	if diff := cmp.Diff([]string{"a&bJ\nc", "<x>A"}, texts); diff != "" {
		t.Error(diff)
	}
}

type oneByteReader struct{ r *strings.Reader }

func (o *oneByteReader) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	return o.r.Read(p[:1])
}

func TestAppendDecoded(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain", "plain"},
		{"&amp;&lt;&gt;&quot;&apos;", `&<>"'`},
		{"&#65;&#x42;&#X43;&#1178;&#x1F600;", "ABCҚ😀"},
		{"a & b", "a & b"},
		{"&unknown;", "&unknown;"},
		{"&#xZZ;", "&#xZZ;"},
		{"&#;", "&#;"},
		{"&#x110000;", "\uFFFD"},
		{"&#xD800;", "\uFFFD"},
		{"a\r\nb\rc\n", "a\nb\nc\n"},
	}
	for _, tt := range tests {
		if got := string(appendDecoded(nil, []byte(tt.in))); got != tt.want {
			t.Errorf("appendDecoded(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestDecodeEscapes(t *testing.T) {
	tests := []struct{ in, want string }{
		{"no escapes", "no escapes"},
		{"_x000D_", "\r"},
		{"a_x0009_b_x000a_", "a\tb\n"},
		{"_x005F_x0041_", "_x0041_"},
		{"_xD83D__xDE00_", "😀"},
		{"_xD83D_x", "\uFFFDx"},
		{"_xDE00_", "\uFFFD"},
		{"_x12_ _x_", "_x12_ _x_"},
		{"__x0041_", "_A"},
	}
	for _, tt := range tests {
		if got := string(decodeEscapes([]byte(tt.in))); got != tt.want {
			t.Errorf("decodeEscapes(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestIsDateFormat(t *testing.T) {
	tests := []struct {
		code string
		want bool
	}{
		{"General", false},
		{"0", false},
		{"0.00", false},
		{"#,##0.00 [$₸-43F]", false},
		{"[Red]#,##0;[Blue]-#,##0", false},
		{"0.00E+00", false},
		{"@", false},
		{`"Total: "0`, false},
		{`0\h`, false},
		{`0_m`, false},
		{`0*d`, false},
		{"[$-419]0.00", false},
		{"[<100]0;0", false},
		{"dd.mm.yyyy", true},
		{"DD/MM/YYYY", true},
		{"d-mmm-yy", true},
		{"yyyy-mm-dd hh:mm:ss", true},
		{"h:mm AM/PM", true},
		{"mm:ss.0", true},
		{"[h]:mm:ss", true},
		{"[mm]", true},
		{"[ss].00", true},
		{"[$-F800]dddd, mmmm dd, yyyy", true},
		{"[Red]dd.mm.yyyy", true},
		{`"Date: "dd.mm.yyyy`, true},
		{"0;dd.mm.yyyy", false}, // only the first section counts
	}
	for _, tt := range tests {
		if got := isDateFormat(tt.code); got != tt.want {
			t.Errorf("isDateFormat(%q) = %v, want %v", tt.code, got, tt.want)
		}
	}
	for id, want := range map[int]bool{0: false, 1: false, 13: false, 14: true, 22: true, 23: false, 27: true, 36: true, 37: false, 45: true, 47: true, 48: false, 49: false, 50: true, 58: true, 59: false} {
		if got := isBuiltinDate(id); got != want {
			t.Errorf("isBuiltinDate(%d) = %v, want %v", id, got, want)
		}
	}
}

func TestNames(t *testing.T) {
	for col, want := range map[int]string{0: "A", 1: "B", 25: "Z", 26: "AA", 27: "AB", 51: "AZ", 52: "BA", 701: "ZZ", 702: "AAA", 16383: "XFD", -1: ""} {
		if got := ColName(col); got != want {
			t.Errorf("ColName(%d) = %q, want %q", col, got, want)
		}
	}
	if got := CellName(4, 17); got != "E17" {
		t.Errorf("CellName(4, 17) = %q", got)
	}
	tests := []struct {
		ref      string
		col, row int
		ok       bool
	}{
		{"A1", 0, 1, true},
		{"e17", 4, 17, true},
		{"$AB$12", 27, 12, true},
		{"XFD1048576", 16383, 1048576, true},
		{"XFE1", 0, 0, false},
		{"A1048577", 0, 0, false},
		{"A0", 0, 0, false},
		{"A", 0, 0, false},
		{"1", 0, 0, false},
		{"A1B", 0, 0, false},
		{"", 0, 0, false},
		{"AAAA1", 0, 0, false},
	}
	for _, tt := range tests {
		col, row, ok := ParseCellName(tt.ref)
		if col != tt.col || row != tt.row || ok != tt.ok {
			t.Errorf("ParseCellName(%q) = %d, %d, %v; want %d, %d, %v", tt.ref, col, row, ok, tt.col, tt.row, tt.ok)
		}
	}
	for col := 0; col < excelMaxCols; col++ {
		c, r, ok := ParseCellName(CellName(col, 7))
		if !ok || c != col || r != 7 {
			t.Fatalf("round trip of column %d: %d %d %v", col, c, r, ok)
		}
	}
}

func TestExcelDate(t *testing.T) {
	tests := []struct {
		serial string
		d1904  bool
		want   string // "" for not ok
	}{
		{"1", false, "1900-01-01"},
		{"59", false, "1900-02-28"},
		{"60", false, ""},
		{"61", false, "1900-03-01"},
		{"45366", false, "2024-03-15"},
		{"45366.999", false, "2024-03-15"},
		{"4.5366E+4", false, "2024-03-15"},
		{"73050", false, "2099-12-31"},
		{"73051", false, "2100-01-01"}, // 73050 is 2099-12-31
		{"2958465", false, "9999-12-31"},
		{"2958466", false, ""},
		{"0", true, "1904-01-01"},
		{"43904", true, "2024-03-15"},
		{"2957003", true, "9999-12-31"},
		{"2957004", true, ""},
		{"0", false, ""},
		{"-1", false, ""},
		{"abc", false, ""},
		{"NaN", false, ""},
		{"", false, ""},
	}
	for _, tt := range tests {
		d, ok := ExcelDate(tt.serial, tt.d1904)
		got := ""
		if ok {
			got = d.String()
		}
		if got != tt.want {
			t.Errorf("ExcelDate(%q, %v) = %q, want %q", tt.serial, tt.d1904, got, tt.want)
		}
	}
}

func TestCloseTwiceAndNextAfterClose(t *testing.T) {
	wb, err := openBytes(oneSheet(`<row><c><v>1</v></c></row><row><c><v>2</v></c></row>`).zip(t), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	sh, _ := wb.Sheet("")
	if !sh.Next() {
		t.Fatal(sh.Err())
	}
	if err := sh.Close(); err != nil {
		t.Fatal(err)
	}
	if err := sh.Close(); err != nil {
		t.Fatal(err)
	}
	if sh.Next() || sh.Err() != nil {
		t.Fatalf("Next after Close: err %v", sh.Err())
	}
}
