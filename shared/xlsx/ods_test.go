package xlsx

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const odsHead = `<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" ` +
	`xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" ` +
	`xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0"><office:body><office:spreadsheet>`

// odsZip makes an .ods holding content (the tables inside office:spreadsheet).
func odsZip(t testing.TB, content string, extra ...part) []byte {
	ps := append([]part{{"mimetype", odsMimeType}, {"content.xml", odsHead + content + `</office:spreadsheet></office:body></office:document-content>`}}, extra...)
	return makeZip(t, ps...)
}

// readODS reads every sheet: name → rows, and the merges by row.
func readODS(t *testing.T, b []byte) (map[string][]row, []Range, error) {
	t.Helper()
	o, err := OpenODS(bytes.NewReader(b), int64(len(b)), Limits{MaxRatio: 1 << 20})
	if err != nil {
		return nil, nil, err
	}
	defer o.Close()
	out := map[string][]row{}
	var merges []Range
	for {
		sh, err := o.NextSheet()
		if err != nil || sh == nil {
			return out, merges, err
		}
		out[sh.Name()] = []row{}
		for sh.Next() {
			out[sh.Name()] = append(out[sh.Name()], row{sh.RowNum(), append([]Cell(nil), sh.Cells()...)})
			merges = append(merges, sh.Merges()...)
		}
		if sh.Err() != nil {
			return out, merges, sh.Err()
		}
	}
}

func TestODS(t *testing.T) {
	content := `<table:calculation-settings><table:null-date table:date-value="1904-01-01"/></table:calculation-settings>` +
		`<table:table table:name="Титул &amp; cover"><table:table-row><table:table-cell office:value-type="string"><text:p>Отчёт</text:p></table:table-cell></table:table-row></table:table>` +
		`<table:table table:name="Реестр"><table:table-column table:number-columns-repeated="3"/>` +
		`<table:table-row table:number-rows-repeated="2"><table:table-cell table:number-columns-repeated="1024"/></table:table-row>` +
		`<table:table-header-rows><table:table-row><table:table-cell office:value-type="string"><text:p>a<text:s text:c="3"/>b<text:span>c</text:span></text:p><text:p>d<text:tab/>e<text:line-break/>f</text:p>` +
		`<office:annotation><text:p>a comment</text:p></office:annotation></table:table-cell>` +
		`<table:table-cell office:value-type="float" office:value="21114642229" calcext:value-type="float"><text:p>21 114 642 229</text:p></table:table-cell></table:table-row></table:table-header-rows>` +
		`<table:table-row><table:table-cell table:number-rows-spanned="2" table:number-columns-spanned="1" office:value-type="string"><text:p>Караганда</text:p></table:table-cell>` +
		`<table:table-cell office:value-type="date" office:date-value="2026-09-15"><text:p>15.09.2026</text:p></table:table-cell>` +
		`<table:table-cell office:value-type="boolean" office:boolean-value="true"><text:p>TRUE</text:p></table:table-cell>` +
		`<table:table-cell table:formula="of:=NA()" office:value-type="string" office:string-value="" calcext:value-type="error"><text:p>#N/A</text:p></table:table-cell>` +
		`<table:table-cell table:number-columns-spanned="2" office:value-type="percentage" office:value="0.5"><text:p>50%</text:p></table:table-cell><table:covered-table-cell><text:p>hidden</text:p></table:covered-table-cell></table:table-row>` +
		`<table:table-row table:number-rows-repeated="2"><table:covered-table-cell/><table:table-cell table:number-columns-repeated="2" office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row>` +
		`<table:table-row table:number-rows-repeated="1048570"><table:table-cell table:number-columns-repeated="16384"/></table:table-row>` +
		`</table:table><table:table table:name="Пусто"/>`
	got, merges, err := readODS(t, odsZip(t, content))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]row{
		"Титул & cover": {{1, []Cell{str(0, "Отчёт")}}},
		"Реестр": {
			{3, []Cell{str(0, "a   bc\nd\te\nf"), num(1, "21114642229")}},
			{4, []Cell{str(0, "Караганда"), {Col: 1, Type: DateISO, Value: "2026-09-15"}, {Col: 2, Type: Bool, Value: "1"},
				{Col: 3, Type: ErrorValue, Value: "#N/A"}, num(4, "0.5")}},
			{5, []Cell{str(1, "x"), str(2, "x")}},
			{6, []Cell{str(1, "x"), str(2, "x")}},
		},
		"Пусто": {},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]Range{{0, 4, 0, 5}, {4, 4, 5, 4}}, merges); diff != "" {
		t.Errorf("merges (-want +got):\n%s", diff)
	}
}

func TestODSBad(t *testing.T) {
	for _, tt := range []struct {
		name string
		file []byte
		want Problem
	}{
		{"a text document", makeZip(t, part{"mimetype", "application/vnd.oasis.opendocument.text"}, part{"content.xml", "<x/>"}), NotWorkbook},
		{"encrypted", odsZip(t, "", part{"META-INF/manifest.xml", `<manifest:manifest><manifest:file-entry><manifest:encryption-data/></manifest:file-entry></manifest:manifest>`}), Encrypted},
		{"cut inside a sheet", makeZip(t, part{"mimetype", odsMimeType}, part{"content.xml", odsHead + `<table:table table:name="a"><table:table-row><table:table-cell>`}), Corrupt},
		{"too many columns", odsZip(t, `<table:table table:name="a"><table:table-row><table:table-cell table:number-columns-repeated="300" office:value-type="float" office:value="1"/></table:table-row></table:table>`), TooManyColumns},
		{"data past the last row", odsZip(t, `<table:table table:name="a"><table:table-row table:number-rows-repeated="1048576"/><table:table-row><table:table-cell office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row></table:table>`), TooManyRows},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := readODS(t, tt.file)
			if got := problemOf(t, err); got != tt.want {
				t.Errorf("got %v, want %v", err, tt.want)
			}
		})
	}
}

// Values stay right however the reads cut content.xml (the scanner's buffer moves
// under a cell's attributes while its text is read).
func TestODSLong(t *testing.T) {
	var b strings.Builder
	b.WriteString(`<table:table table:name="a">`)
	for r := 1; r <= 3000; r++ {
		fmt.Fprintf(&b, `<table:table-row><table:table-cell office:value-type="float" office:value="%d" calcext:value-type="float"><text:p>%d,00 ₸</text:p></table:table-cell>`+
			`<table:table-cell office:value-type="date" office:date-value="2026-09-%02d"><text:p>%02d.09.2026</text:p></table:table-cell>`+
			`<table:table-cell office:value-type="string"><text:p>строка %d%s</text:p></table:table-cell></table:table-row>`,
			r, r, r%28+1, r%28+1, r, strings.Repeat(" ", r%97))
	}
	b.WriteString(`</table:table>`)
	got, _, err := readODS(t, odsZip(t, b.String()))
	if err != nil {
		t.Fatal(err)
	}
	rows := got["a"]
	if len(rows) != 3000 {
		t.Fatalf("%d rows", len(rows))
	}
	for i, r := range rows {
		n := i + 1
		want := []Cell{num(0, strconv.Itoa(n)), {Col: 1, Type: DateISO, Value: fmt.Sprintf("2026-09-%02d", n%28+1)},
			str(2, fmt.Sprintf("строка %d%s", n, strings.Repeat(" ", n%97)))}
		if diff := cmp.Diff(want, r.Cells); diff != "" {
			t.Fatalf("row %d (-want +got):\n%s", n, diff)
		}
	}
}
