package xlsx

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestMerges(t *testing.T) {
	// Enough rows that the <mergeCells> list lies past the first read buffers, and
	// a prefixed tag, a one-cell "range", a bad one and one in text.
	var rows strings.Builder
	for r := 1; r <= 3000; r++ {
		fmt.Fprintf(&rows, `<row r="%d"><c r="A%d" t="inlineStr"><is><t>mergeCell ref=&quot;B1:B9&quot;</t></is></c></row>`, r, r)
	}
	sh := sheetXML(rows.String())
	sh = strings.Replace(sh, "</worksheet>", `<mergeCells count="5"><mergeCell ref="A13:A15"/><x:mergeCell  ref="B2:D2" /><mergeCell ref="C5"/>`+
		`<mergeCell ref="bad"/><mergeCell ref="$E$40:$F$41"/></mergeCells></worksheet>`, 1)
	bk := book{sheets: []sheetDef{{"Data", "worksheets/sheet1.xml", sh}}}
	wb, err := openBytes(bk.zip(t), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	got, err := wb.Merges("")
	if err != nil {
		t.Fatal(err)
	}
	want := []Range{{1, 2, 3, 2}, {0, 13, 0, 15}, {4, 40, 5, 41}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if s := got[1].String(); s != "A13:A15" {
		t.Errorf("String = %q", s)
	}
	if _, err := wb.Merges("nope"); problemOf(t, err) != SheetNotFound {
		t.Errorf("err %v", err)
	}
}

// A <mergeCell> tag is found wherever the reads cut the part.
func TestMergesAcrossReads(t *testing.T) {
	for pad := scanBufSize - 700; pad < scanBufSize+700; pad += 11 {
		sh := sheetXML(`<row r="1"><c r="A1"><v>1</v></c></row>`)
		tail := `<mergeCells>` + strings.Repeat(" ", pad) + `<mergeCell ref="A2:A3"/>` + strings.Repeat(" ", pad%37) +
			`<mergeCell ref="B2:B3"/><mergeCell ref="C2:C3"/></mergeCells></worksheet>`
		sh = strings.Replace(sh, "</worksheet>", tail, 1)
		bk := book{sheets: []sheetDef{{"Data", "worksheets/sheet1.xml", sh}}}
		wb, err := openBytes(bk.zip(t), Limits{MaxRatio: 1 << 20})
		if err != nil {
			t.Fatal(err)
		}
		got, err := wb.Merges("Data")
		if err != nil || len(got) != 3 {
			t.Fatalf("pad %d: %v, %v", pad, got, err)
		}
	}
}
