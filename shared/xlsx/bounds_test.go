package xlsx

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"encoding/binary"
	"errors"
	"runtime"
	"strings"
	"testing"
)

// deflateRepeat returns a raw deflate stream of prefix, n times block, and suffix,
// compressing block once: n copies cost nothing to make.
func deflateRepeat(t testing.TB, prefix string, block []byte, n int, suffix string) []byte {
	t.Helper()
	chunk := func(data []byte) []byte {
		var b bytes.Buffer
		fw, err := flate.NewWriter(&b, flate.BestCompression)
		if err != nil {
			t.Fatal(err)
		}
		fw.Write(data)
		fw.Flush()
		return b.Bytes()
	}
	out := chunk([]byte(prefix))
	blk := chunk(block)
	for range n {
		out = append(out, blk...)
	}
	out = append(out, chunk([]byte(suffix))...)
	return append(out, 3, 0) // an empty final block
}

// zipWithRaw builds a workbook from parts, with the part name's body given as raw
// deflate data that declares the given uncompressed size.
func zipWithRaw(t testing.TB, parts []part, name string, raw []byte, declared uint64) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, p := range parts {
		if p.name == name {
			continue
		}
		w, _ := zw.Create(p.name)
		w.Write([]byte(p.body))
	}
	w, err := zw.CreateRaw(&zip.FileHeader{Name: name, Method: zip.Deflate,
		CompressedSize64: uint64(len(raw)), UncompressedSize64: declared})
	if err != nil {
		t.Fatal(err)
	}
	w.Write(raw)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// allocated returns the bytes allocated while fn ran.
func allocated(fn func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	fn()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// readAll opens b and reads its first sheet to the end, returning the sheet (nil
// when it could not be opened) and the first error.
func readAll(b []byte, lim Limits) (*Sheet, error) {
	wb, err := openBytes(b, lim)
	if err != nil {
		return nil, err
	}
	sh, err := wb.Sheet("")
	if err != nil {
		return nil, err
	}
	defer sh.Close()
	for sh.Next() {
	}
	return sh, sh.Err()
}

// TestSharedStringsSizedByContent: the shared-string arena and offsets are sized
// from the part's declared size and uniqueCount only as far as the compressed data
// can hold them, so a small file declaring a huge part allocates little.
func TestSharedStringsSizedByContent(t *testing.T) {
	bk := oneSheet(`<row r="1"><c r="A1" t="s"><v>0</v></c></row>`)
	bk.sst = "-"
	raw := deflateRepeat(t, xmlDecl+`<sst xmlns="`+nsT+`" count="2000000000" uniqueCount="2000000000"><si><t>a</t></si>`,
		[]byte("<si><t>b</t></si>"), 10, `</sst>`)
	file := zipWithRaw(t, bk.parts(), "xl/sharedStrings.xml", raw, 1<<30) // declares 1 GiB
	var err error
	grew := allocated(func() { _, err = readAll(file, Limits{MaxRatio: 1 << 30}) })
	// The header lies, so the read fails at the part's end; what counts is what was
	// allocated before.
	if p := problemOf(t, err); p != ZipBomb && p != Corrupt {
		t.Fatalf("got %v", err)
	}
	if grew > 8<<20 {
		t.Errorf("allocated %d MiB for a %d-byte file", grew>>20, len(file))
	}
}

// TestCellTextBounded: a cell's text is at most maxText bytes however many runs or
// values it is split into, so one cell cannot grow the row buffer without bound; the
// reader stops at the limit, not at the end of the cell.
func TestCellTextBounded(t *testing.T) {
	mib := bytes.Repeat([]byte("a"), 1<<20-16)
	tests := []struct {
		name, prefix, block, suffix string
	}{
		{"inline string runs", `<row r="1"><c r="B1" t="inlineStr"><is>`, `<r><t>%s</t></r>`, `</is></c></row>`},
		{"values", `<row r="1"><c r="B1" t="str">`, `<v>%s</v>`, `</c></row>`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bk := oneSheet("")
			block := []byte(strings.Replace(tt.block, "%s", string(mib), 1))
			raw := deflateRepeat(t, xmlDecl+`<worksheet xmlns="`+nsT+`"><sheetData>`+tt.prefix, block, 300, tt.suffix+`</sheetData></worksheet>`)
			file := zipWithRaw(t, bk.parts(), "xl/worksheets/sheet1.xml", raw, uint64(300*len(block)+1000))
			var sh *Sheet
			var err error
			grew := allocated(func() { sh, err = readAll(file, Limits{MaxRatio: 1 << 30}) })
			if sh.Read() > 8<<20 {
				t.Errorf("read %d MiB of the sheet, want a stop at the limit", sh.Read()>>20)
			}
			if grew > 32<<20 {
				t.Errorf("allocated %d MiB", grew>>20)
			}
			if p := problemOf(t, err); p != Corrupt || !strings.Contains(err.Error(), "cell B1") {
				t.Errorf("got %v, want corrupt naming cell B1", err)
			}
		})
	}
	t.Run("a shared string's runs", func(t *testing.T) {
		bk := oneSheet(`<row r="1"><c r="A1" t="s"><v>0</v></c></row>`)
		bk.sst = "-"
		block := []byte(`<r><t>` + string(mib) + `</t></r>`)
		raw := deflateRepeat(t, xmlDecl+`<sst xmlns="`+nsT+`"><si>`, block, 300, `</si></sst>`)
		file := zipWithRaw(t, bk.parts(), "xl/sharedStrings.xml", raw, uint64(300*len(block)+1000))
		var err error
		grew := allocated(func() { _, err = readAll(file, Limits{MaxRatio: 1 << 30}) })
		if p := problemOf(t, err); p != Corrupt || !strings.Contains(err.Error(), "shared string 0") {
			t.Fatalf("got %v, want corrupt naming shared string 0", err)
		}
		if grew > 32<<20 {
			t.Errorf("allocated %d MiB", grew>>20)
		}
	})
}

// TestCFBFatListBounded: a DIFAT chain that loops on itself lists no more FAT
// sectors than the file has sectors.
func TestCFBFatListBounded(t *testing.T) {
	const sectors = 1 << 14 // an 8 MiB file
	b := make([]byte, 512*(sectors+1))
	copy(b, makeCFB("Workbook"))
	le := binary.LittleEndian
	le.PutUint32(b[68:], 2) // the DIFAT starts at sector 2 …
	difat := b[512*3 : 512*4]
	for i := 0; i < 127; i++ {
		le.PutUint32(difat[4*i:], 0)
	}
	le.PutUint32(difat[508:], 2) // … and goes on with itself
	var names []string
	var err error
	grew := allocated(func() { names, err = cfbNames(bytes.NewReader(b), int64(len(b))) })
	if err == nil {
		t.Fatalf("got names %q, want an error", names)
	}
	if grew > 1<<20 {
		t.Errorf("allocated %d KiB", grew>>10)
	}
	// Open still tells what the file is.
	if _, err := Open(bytes.NewReader(b), int64(len(b)), Limits{}); problemOf(t, err) != LegacyXLS {
		t.Errorf("Open: %v", err)
	}
}

// TestSharedStringsCapped: the shared-string table, held in memory while sheets are
// read, is bounded by Limits.MaxSharedStrings, whether by its text or by the count
// of (empty) strings, however well the part compresses within the ratio.
func TestSharedStringsCapped(t *testing.T) {
	tests := []struct {
		name  string
		block string
	}{
		{"text", `<si><t>` + strings.Repeat("ә", 1000) + `</t></si>`},
		{"empty strings", strings.Repeat(`<si/>`, 1000)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bk := oneSheet(`<row r="1"><c r="A1" t="s"><v>0</v></c></row>`)
			bk.sst = "-"
			const n = 5000 // 10 MB of text or 5 million strings (20 MB of offsets)
			head, tail := xmlDecl+`<sst xmlns="`+nsT+`">`, `</sst>`
			raw := deflateRepeat(t, head, []byte(tt.block), n, tail)
			file := zipWithRaw(t, bk.parts(), "xl/sharedStrings.xml", raw, uint64(len(head)+n*len(tt.block)+len(tail)))
			lim := Limits{MaxRatio: 1 << 20, MaxSharedStrings: 4 << 20}
			var err error
			grew := allocated(func() { _, err = readAll(file, lim) })
			var e *Error
			if !errors.As(err, &e) || e.Problem != ZipBomb || e.Limit != 4<<20 {
				t.Fatalf("got %v, want a zip bomb at the shared-string limit", err)
			}
			if grew > 24<<20 {
				t.Errorf("allocated %d MiB", grew>>20)
			}
			// The default limit takes it.
			if _, err := readAll(file, Limits{MaxRatio: 1 << 20}); err != nil {
				t.Errorf("with the default limit: %v", err)
			}
		})
	}
}
