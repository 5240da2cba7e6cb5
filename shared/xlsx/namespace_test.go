package xlsx

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const (
	nsX14 = "http://schemas.microsoft.com/office/spreadsheetml/2009/9/main"
	nsX15 = "http://schemas.microsoft.com/office/spreadsheetml/2010/11/main"
	nsMC  = "http://schemas.openxmlformats.org/markup-compatibility/2006"
)

// withParts replaces parts of a rendered book by name, or adds them.
func withParts(ps []part, repl ...part) []part {
	out := append([]part(nil), ps...)
	for _, r := range repl {
		found := false
		for i := range out {
			if out[i].name == r.name {
				out[i], found = r, true
			}
		}
		if !found {
			out = append(out, r)
		}
	}
	return out
}

// wbXML is a workbook part around body, with the namespaces Excel declares.
func wbXML(body string) string {
	return xmlDecl + `<workbook xmlns="` + nsT + `" xmlns:r="` + nsTRel + `" xmlns:mc="` + nsMC + `" mc:Ignorable="x15" xmlns:x15="` + nsX15 + `">` + body + `</workbook>`
}

const oneSheetList = `<sheets><sheet name="Data" sheetId="1" r:id="rId10"/></sheets>`

// TestSmallPartsNamespaces: the workbook, its relationships, the content types and
// the styles are read only in their own namespace and place, so that elements of
// extensions with the same local names change nothing.
func TestSmallPartsNamespaces(t *testing.T) {
	base := oneSheet(`<row r="1"><c r="A1" s="1"><v>45123</v></c></row>`)
	base.styles = stylesXMLFor(nil, 0, 0)
	tests := []struct {
		name      string
		parts     []part
		want1904  bool
		wantNames []string
		wantCell  Cell
		wantProb  Problem
	}{
		{
			// What every current Excel writes: the 1904 flag, then x15:workbookPr
			// (without date1904) in the extLst. It used to reset the flag.
			name: "Excel 2013+ x15:workbookPr in extLst keeps date1904",
			parts: withParts(base.parts(), part{"xl/workbook.xml", wbXML(`<fileVersion appName="xl" lastEdited="7"/>` +
				`<workbookPr date1904="1" defaultThemeVersion="166925"/>` +
				`<mc:AlternateContent xmlns:mc="` + nsMC + `"><mc:Choice Requires="x15"><x15ac:absPath url="C:\Users\a\" xmlns:x15ac="http://schemas.microsoft.com/office/spreadsheetml/2010/11/ac"/></mc:Choice></mc:AlternateContent>` +
				oneSheetList + `<calcPr calcId="191029"/>` +
				`<extLst><ext uri="{140A7094-0E35-4892-8432-C4D2E57EDEB5}" xmlns:x15="` + nsX15 + `"><x15:workbookPr chartTrackingRefBase="1"/></ext></extLst>`)}),
			want1904: true, wantNames: []string{"Data"}, wantCell: num(0, "45123"),
		},
		{
			name: "an extension's workbookPr in a default namespace of its own",
			parts: withParts(base.parts(), part{"xl/workbook.xml", wbXML(`<workbookPr date1904="true"/>` + oneSheetList +
				`<extLst><ext uri="{140A7094-0E35-4892-8432-C4D2E57EDEB5}"><workbookPr xmlns="` + nsX15 + `" chartTrackingRefBase="1"/></ext></extLst>`)}),
			want1904: true, wantNames: []string{"Data"}, wantCell: num(0, "45123"),
		},
		{
			name: "a main-namespace workbookPr out of place does not count",
			parts: withParts(base.parts(), part{"xl/workbook.xml", wbXML(oneSheetList +
				`<extLst><ext uri="{X}"><workbookPr date1904="1"/></ext></extLst>`)}),
			wantNames: []string{"Data"}, wantCell: num(0, "45123"),
		},
		{
			name: "sheets of another namespace, or of an mc:Choice, are not listed",
			parts: withParts(base.parts(), part{"xl/workbook.xml", wbXML(`<sheets><sheet name="Data" sheetId="1" r:id="rId10"/>` +
				`<x15:sheet name="Ghost" sheetId="2" r:id="rId10"/></sheets>` +
				`<mc:AlternateContent><mc:Choice Requires="x15"><sheets><sheet name="Choice" sheetId="3" r:id="rId10"/></sheets></mc:Choice>` +
				`<mc:Fallback><definedNames/></mc:Fallback></mc:AlternateContent>`)}),
			wantNames: []string{"Data"}, wantCell: num(0, "45123"),
		},
		{
			name: "an mc:Fallback takes the place of its AlternateContent",
			parts: withParts(base.parts(), part{"xl/workbook.xml", wbXML(`<mc:AlternateContent><mc:Choice Requires="x15"><workbookPr date1904="0"/></mc:Choice>` +
				`<mc:Fallback><workbookPr date1904="1"/></mc:Fallback></mc:AlternateContent>` + oneSheetList)}),
			want1904: true, wantNames: []string{"Data"}, wantCell: num(0, "45123"),
		},
		{
			name: "a relationship of another namespace does not replace the sheet's",
			parts: withParts(base.parts(), part{"xl/_rels/workbook.xml.rels", xmlDecl + `<Relationships xmlns="` + relsNS + `">` +
				`<Relationship Id="rId10" Type="` + nsTRel + `/worksheet" Target="worksheets/sheet1.xml"/>` +
				`<Relationship Id="rId2" Type="` + nsTRel + `/styles" Target="styles.xml"/>` +
				`<o:Relationship xmlns:o="urn:other" Id="rId10" Type="` + nsTRel + `/worksheet" Target="worksheets/ghost.xml"/></Relationships>`},
				part{"xl/worksheets/ghost.xml", sheetXML(`<row r="1"><c r="A1" t="inlineStr"><is><t>ghost</t></is></c></row>`)}),
			wantNames: []string{"Data"}, wantCell: num(0, "45123"),
		},
		{
			name: "a content type of another namespace does not hide the workbook",
			parts: []part{
				{"[Content_Types].xml", typesHead + `<Override PartName="/book/main.xml" ContentType="` + ctWB + `"/>` +
					`<o:Override xmlns:o="urn:other" PartName="/book/main.xml" ContentType="text/plain"/></Types>`},
				{"book/main.xml", `<workbook xmlns="` + nsT + `"><sheets><sheet name="Data" sheetId="1"/></sheets></workbook>`},
				{"book/worksheets/sheet1.xml", sheetXML(`<row r="1"><c r="A1"><v>45123</v></c></row>`)},
			},
			wantNames: []string{"Data"}, wantCell: num(0, "45123"),
		},
		{
			// Excel writes the number formats of conditional formats (dxfs) with
			// their own numFmt elements, ids shared with the cell formats'.
			name: "number formats of differential formats do not redefine the cells'",
			parts: withParts(base.parts(), part{"xl/styles.xml", xmlDecl + `<styleSheet xmlns="` + nsT + `" xmlns:x14="` + nsX14 + `">` +
				`<numFmts count="1"><numFmt numFmtId="164" formatCode="dd.mm.yyyy"/></numFmts>` +
				`<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="164"/></cellXfs>` +
				`<dxfs count="1"><dxf><numFmt numFmtId="164" formatCode="0.00"/></dxf></dxfs>` +
				`<extLst><ext uri="{46F421CA-312F-682f-3DD2-61675219B42D}"><x14:dxfs count="1"><dxf><numFmt numFmtId="164" formatCode="0.0"/></dxf></x14:dxfs></ext></extLst>` +
				`</styleSheet>`}),
			wantNames: []string{"Data"}, wantCell: date(0, "45123"),
		},
		{
			name: "cell formats of another namespace do not shift the indexes",
			parts: withParts(base.parts(), part{"xl/styles.xml", xmlDecl + `<styleSheet xmlns="` + nsT + `">` +
				`<cellXfs count="2"><xf numFmtId="0"/><o:xf xmlns:o="urn:other" numFmtId="0"/><xf numFmtId="14"/></cellXfs></styleSheet>`}),
			wantNames: []string{"Data"}, wantCell: date(0, "45123"),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wb, err := openBytes(makeZip(t, tt.parts...), Limits{})
			if p := problemOf(t, err); p != tt.wantProb || err != nil {
				t.Fatalf("Open: %v, want problem %v", err, tt.wantProb)
			}
			if wb.Date1904() != tt.want1904 {
				t.Errorf("Date1904 = %v, want %v", wb.Date1904(), tt.want1904)
			}
			if diff := cmp.Diff(tt.wantNames, wb.SheetNames()); diff != "" {
				t.Errorf("SheetNames (-want +got):\n%s", diff)
			}
			rows, err := readSheet(t, wb, "")
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff([]row{{1, []Cell{tt.wantCell}}}, rows); diff != "" {
				t.Errorf("rows (-want +got):\n%s", diff)
			}
		})
	}
}

// TestSmallPartsDepth: a part nested absurdly deep is corrupt, not a stack of
// millions of frames.
func TestSmallPartsDepth(t *testing.T) {
	deep := strings.Repeat("<a>", 100_000)
	bk := oneSheet(`<row r="1"><c r="A1"><v>1</v></c></row>`)
	parts := withParts(bk.parts(), part{"xl/workbook.xml", wbXML(oneSheetList + `<extLst>` + deep)})
	_, err := openBytes(makeZip(t, parts...), Limits{MaxRatio: 1 << 20})
	if p := problemOf(t, err); p != Corrupt {
		t.Fatalf("got %v, want corrupt", err)
	}
}

// TestSheetNamespaces: the worksheet and shared-string readers take elements of
// SpreadsheetML only (by the prefixes the part declares), skip other namespaces'
// elements with their content, and read an mc:AlternateContent's Fallback.
func TestSheetNamespaces(t *testing.T) {
	const o = ` xmlns:o="urn:other"`
	ac := func(choice, fallback string) string {
		return `<mc:AlternateContent xmlns:mc="` + nsMC + `"><mc:Choice Requires="x14">` + choice + `</mc:Choice><mc:Fallback>` + fallback + `</mc:Fallback></mc:AlternateContent>`
	}
	r1 := `<row r="1"><c r="A1"><v>1</v></c></row>`
	tests := []struct {
		name  string
		sheet string // the whole worksheet part; "" for sheetXML(rows)
		rows  string
		sst   string
		want  []row
	}{
		{
			name: "a value of another namespace in a cell",
			rows: `<row r="1"><c r="A1"><o:v` + o + `>9</o:v><v>1</v></c></row>`,
			want: []row{{1, []Cell{num(0, "1")}}},
		},
		{
			name: "AlternateContent in a cell: the Fallback",
			rows: `<row r="1"><c r="A1">` + ac(`<v>2</v>`, `<v>1</v>`) + `</c></row>`,
			want: []row{{1, []Cell{num(0, "1")}}},
		},
		{
			name: "AlternateContent around rows: the Fallback's",
			rows: ac(`<row r="1"><c r="A1"><v>2</v></c></row>`, r1) + `<row r="2"><c r="A2"><v>3</v></c></row>`,
			want: []row{{1, []Cell{num(0, "1")}}, {2, []Cell{num(0, "3")}}},
		},
		{
			name: "a row's extLst is skipped",
			rows: `<row r="1"><c r="A1"><v>1</v></c><extLst><ext uri="{X}"><c r="B1"><v>2</v></c></ext></extLst></row>`,
			want: []row{{1, []Cell{num(0, "1")}}},
		},
		{
			name:  "sheetData of another namespace",
			sheet: xmlDecl + `<worksheet xmlns="` + nsT + `"` + o + `><o:sheetData/><sheetData>` + r1 + `</sheetData></worksheet>`,
			want:  []row{{1, []Cell{num(0, "1")}}},
		},
		{
			name: "rows and cells of another namespace",
			rows: `<o:row` + o + ` r="1"><c r="A1"><v>9</v></c></o:row>` +
				`<row r="2"><o:c` + o + ` r="A2"><v>9</v></o:c><c r="B2"><v>1</v></c></row>`,
			want: []row{{2, []Cell{num(1, "1")}}},
		},
		{
			name: "inline strings: is and t of another namespace",
			rows: `<row r="1"><c r="A1" t="inlineStr"><o:is` + o + `><t>x</t></o:is><is><t>a</t><o:t` + o + `>b</o:t></is></c></row>`,
			want: []row{{1, []Cell{str(0, "a")}}},
		},
		{
			name: "a default namespace that is not SpreadsheetML",
			sheet: xmlDecl + `<x:worksheet xmlns:x="` + nsT + `" xmlns="urn:other"><x:sheetData><x:row r="1"><x:c r="A1"><x:v>1</x:v></x:c>` +
				`<c r="B1"><v>2</v></c></x:row></x:sheetData></x:worksheet>`,
			want: []row{{1, []Cell{num(0, "1")}}},
		},
		{
			name: "shared strings of another namespace",
			sst:  sstXML(`<si><t>a</t></si>`, `<o:si`+o+`><o:t>z</o:t></o:si>`, `<si><t>b</t><o:t`+o+`>c</o:t></si>`, `<si>`+ac(`<t>new</t>`, `<t>old</t>`)+`</si>`),
			rows: `<row r="1"><c r="A1" t="s"><v>1</v></c><c r="B1" t="s"><v>2</v></c></row>`,
			want: []row{{1, []Cell{str(0, "b"), str(1, "old")}}},
		},
		{
			name: "the shared strings' extLst is skipped",
			sst:  strings.Replace(sstXML(`<si><t>a</t></si>`), `</sst>`, `<extLst><ext uri="{X}"><si><t>ghost</t></si></ext></extLst></sst>`, 1) + ``,
			rows: `<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bk := oneSheet(tt.rows)
			if tt.sheet != "" {
				bk.sheets[0].xml = tt.sheet
			}
			bk.sst = tt.sst
			wb, err := openBytes(bk.zip(t), Limits{})
			if err != nil {
				t.Fatal(err)
			}
			got, err := readSheet(t, wb, "")
			if tt.want == nil { // a reference to a string that is not there
				if p := problemOf(t, err); p != Corrupt {
					t.Fatalf("got %v %+v, want corrupt", err, got)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("rows (-want +got):\n%s", diff)
			}
		})
	}
}
