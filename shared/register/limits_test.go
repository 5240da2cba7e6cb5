package register

import (
	"archive/zip"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// sheetZip builds a minimal workbook whose sheet1.xml is written by body.
func sheetZip(t *testing.T, body func(w *bytes.Buffer)) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	add := func(name, s string) {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(s))
	}
	add("[Content_Types].xml", `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>`)
	add("_rels/.rels", `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`)
	add("xl/workbook.xml", `<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>`)
	add("xl/_rels/workbook.xml.rels", `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`)
	w, err := zw.CreateHeader(&zip.FileHeader{Name: "xl/worksheets/sheet1.xml", Method: zip.Deflate})
	if err != nil {
		t.Fatal(err)
	}
	var sb bytes.Buffer
	body(&sb)
	w.Write(sb.Bytes())
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestLimits: oversized inputs are refused with exit 2, a reason naming the limit,
// and memory that does not grow with what the file claims to hold.
func TestLimits(t *testing.T) {
	dir := t.TempDir()
	// A 300 MB file (sparse: it takes no disk) is refused before it is read.
	big := filepath.Join(dir, "big.xlsx")
	if err := os.WriteFile(big, []byte("PK\x03\x04"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(big, 300<<20); err != nil {
		t.Fatal(err)
	}
	// A zip bomb: 64 MB of sheet XML packed into a few hundred KB (over 100 times
	// the file's size).
	bomb := sheetZip(t, func(w *bytes.Buffer) {
		w.WriteString(`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>`)
		w.WriteString(strings.Repeat("A", 64<<20))
		w.WriteString(`</t></is></c></row></sheetData></worksheet>`)
	})
	// Data in all 16,384 columns.
	wide := sheetZip(t, func(w *bytes.Buffer) {
		w.WriteString(`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">`)
		for c := 0; c < 16384; c++ {
			fmt.Fprintf(w, `<c t="inlineStr"><is><t>h%d</t></is></c>`, c)
		}
		w.WriteString(`</row></sheetData></worksheet>`)
	})
	tests := []struct {
		name, path, reason string
	}{
		{"300 MB file", big, "too large"},
		{"zip bomb", writeFile(t, "bomb.xlsx", bomb), "unpacks to more"},
		{"16,384 columns", writeFile(t, "wide.xlsx", wide), "Too many columns"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			res := validate(t, tt.path, octOpts())
			runtime.ReadMemStats(&after)
			if res.ExitCode() != 2 || !strings.Contains(res.Reason(), tt.reason) {
				t.Errorf("exit %d reason %q, want 2 and %q", res.ExitCode(), res.Reason(), tt.reason)
			}
			if grew := int64(after.TotalAlloc - before.TotalAlloc); grew > 48<<20 {
				t.Errorf("allocated %d MiB to refuse it", grew>>20)
			}
		})
	}
}
