package xlsx

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"encoding/binary"
	"errors"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// makeCFB builds a minimal OLE2 compound file whose directory holds the given
// stream names (at most three).
func makeCFB(names ...string) []byte {
	le := binary.LittleEndian
	b := make([]byte, 512*3)
	copy(b, oleSignature)
	le.PutUint16(b[24:], 0x3E)
	le.PutUint16(b[26:], 3)
	le.PutUint16(b[28:], 0xFFFE)
	le.PutUint16(b[30:], 9) // 512-byte sectors
	le.PutUint16(b[32:], 6)
	le.PutUint32(b[44:], 1)             // one FAT sector
	le.PutUint32(b[48:], 1)             // directory at sector 1
	le.PutUint32(b[56:], 4096)          // mini stream cutoff
	le.PutUint32(b[60:], cfbEndOfChain) // no mini FAT
	le.PutUint32(b[68:], cfbEndOfChain) // no DIFAT sectors
	for i := 0; i < 109; i++ {
		le.PutUint32(b[76+4*i:], cfbFree)
	}
	le.PutUint32(b[76:], 0) // FAT at sector 0
	fat := b[512:1024]
	for i := 0; i < 128; i++ {
		le.PutUint32(fat[4*i:], cfbFree)
	}
	le.PutUint32(fat[0:], 0xFFFFFFFD) // FAT sector
	le.PutUint32(fat[4:], cfbEndOfChain)
	dir := b[1024:]
	entry := func(i int, name string, typ byte) {
		e := dir[128*i : 128*(i+1)]
		u := []rune(name)
		for j, r := range u {
			le.PutUint16(e[2*j:], uint16(r))
		}
		le.PutUint16(e[64:], uint16(2*len(u)+2))
		e[66] = typ
	}
	entry(0, "Root Entry", 5)
	for i, n := range names {
		entry(i+1, n, 2)
	}
	return b
}

// repeatedDeflate writes a raw deflate stream of prefix followed by mib MiB of byte
// c (see deflateRepeat: a gigabyte costs a millisecond to make).
func repeatedDeflate(t testing.TB, w io.Writer, prefix string, c byte, mib int) {
	t.Helper()
	if _, err := w.Write(deflateRepeat(t, prefix, bytes.Repeat([]byte{c}, 1<<20), mib, "")); err != nil {
		t.Fatal(err)
	}
}

func TestRepeatedDeflate(t *testing.T) {
	var b bytes.Buffer
	repeatedDeflate(t, &b, "head", ' ', 3)
	n, err := io.Copy(io.Discard, flate.NewReader(&b))
	if err != nil || n != 4+3<<20 {
		t.Fatalf("inflated %d bytes, %v", n, err)
	}
}

// bombFile writes a workbook whose only sheet inflates to mib MiB of spaces inside
// <sheetData>, declaring declared bytes, to a file; it returns the open file.
func bombFile(t testing.TB, mib int, declared uint64) (*os.File, int64) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "bomb.xlsx")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	zw := zip.NewWriter(f)
	bk := oneSheet("")
	for _, p := range bk.parts() {
		if strings.HasPrefix(p.name, "xl/worksheets/") {
			continue
		}
		w, _ := zw.Create(p.name)
		io.WriteString(w, p.body)
	}
	var raw bytes.Buffer
	repeatedDeflate(t, &raw, xmlDecl+`<worksheet xmlns="`+nsT+`"><sheetData>`, ' ', mib)
	w, err := zw.CreateRaw(&zip.FileHeader{Name: "xl/worksheets/sheet1.xml", Method: zip.Deflate,
		CompressedSize64: uint64(raw.Len()), UncompressedSize64: declared})
	if err != nil {
		t.Fatal(err)
	}
	w.Write(raw.Bytes())
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	st, _ := f.Stat()
	return f, st.Size()
}

func TestZipBomb(t *testing.T) {
	const gib3 = 3 << 10 // MiB
	t.Run("declared 3 GiB", func(t *testing.T) {
		f, size := bombFile(t, gib3, gib3<<20)
		start := time.Now()
		_, err := Open(f, size, Limits{})
		var e *Error
		if !errors.As(err, &e) || e.Problem != ZipBomb || e.Limit != 2<<30 {
			t.Fatalf("got %v", err)
		}
		if d := time.Since(start); d > time.Second {
			t.Errorf("took %v", d)
		}
	})
	t.Run("declared ratio over 100", func(t *testing.T) {
		f, size := bombFile(t, 200, 200<<20) // ~200 KiB file, 200 MiB unpacked
		_, err := Open(f, size, Limits{})
		var e *Error
		if !errors.As(err, &e) || e.Problem != ZipBomb || e.Limit != 100 {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("lying header: 3 GiB declared as 40 MiB", func(t *testing.T) {
		f, size := bombFile(t, gib3, 40<<20)
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		start := time.Now()
		wb, err := Open(f, size, Limits{})
		if err != nil {
			t.Fatal(err)
		}
		sh, err := wb.Sheet("")
		if err != nil {
			t.Fatal(err)
		}
		for sh.Next() {
		}
		var e *Error
		if !errors.As(sh.Err(), &e) || e.Problem != ZipBomb {
			t.Fatalf("got %v", sh.Err())
		}
		runtime.ReadMemStats(&after)
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("took %v", d)
		}
		if grew := after.TotalAlloc - before.TotalAlloc; grew > 8<<20 {
			t.Errorf("allocated %d bytes", grew)
		}
		if sh.Read() > 40<<20 {
			t.Errorf("inflated %d bytes past the declared size", sh.Read())
		}
	})
}

// The running budget stops inflation even when every header is honest but a part
// is read past what the limits allow.
func TestBudgetWhileInflating(t *testing.T) {
	b := newBudget(Limits{MaxUnpacked: 1000, MaxRatio: 1 << 40}, 1<<20)
	read := func(name string, n int) error {
		pr := &partReader{rc: io.NopCloser(strings.NewReader(strings.Repeat("x", n))), name: name, b: b}
		_, err := io.Copy(io.Discard, pr)
		return err
	}
	if err := read("a", 600); err != nil {
		t.Fatal(err)
	}
	if err := read("a", 600); err != nil { // the same part again counts once
		t.Fatal(err)
	}
	err := read("b", 600)
	var e *Error
	if !errors.As(err, &e) || e.Problem != ZipBomb || e.Limit != 1000 {
		t.Fatalf("got %v", err)
	}
	b = newBudget(Limits{MaxUnpacked: 1 << 30, MaxRatio: 10}, 100)
	if err := read("c", 1001); !errors.As(err, &e) || e.Problem != ZipBomb || e.Limit != 10 {
		t.Fatalf("ratio: got %v", err)
	}
}

func TestBadFiles(t *testing.T) {
	good := oneSheet(`<row r="1"><c r="A1"><v>1</v></c></row>`).zip(t)
	random := make([]byte, 4096)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range random {
		random[i] = byte(rng.Uint32())
	}
	random[0] = 'x'
	brokenCFB := makeCFB("EncryptionInfo")
	binary.LittleEndian.PutUint16(brokenCFB[30:], 7) // bad sector size
	encZip := func() []byte {
		var b bytes.Buffer
		zw := zip.NewWriter(&b)
		w, _ := zw.CreateHeader(&zip.FileHeader{Name: "xl/workbook.xml", Method: zip.Store, Flags: 1})
		w.Write([]byte("garbage"))
		zw.Close()
		return b.Bytes()
	}()

	tests := []struct {
		name   string
		data   []byte
		lim    Limits
		want   Problem
		detail string // a substring of Detail
	}{
		{"empty", nil, Limits{}, NotZip, "empty"},
		{"random bytes", random, Limits{}, NotZip, "not a zip"},
		{"html", []byte("\xef\xbb\xbf<!DOCTYPE html><html><body>x</body></html>"), Limits{}, NotZip, "HTML"},
		{"pdf", []byte("%PDF-1.7\n..."), Limits{}, NotZip, "PDF"},
		{"csv", []byte("a;b;c\n1;2;3\n"), Limits{}, NotZip, "not a zip"},
		{"short", []byte("PK"), Limits{}, Corrupt, "zip"},
		{"truncated zip", good[:len(good)/2], Limits{}, Corrupt, "zip"},
		{"encrypted (OLE2 with EncryptionInfo)", makeCFB("EncryptionInfo", "EncryptedPackage", "\x06DataSpaces"), Limits{}, Encrypted, "EncryptionInfo"},
		{"encrypted, damaged directory", brokenCFB, Limits{}, Encrypted, ""},
		{"legacy xls", makeCFB("Workbook", "\x05SummaryInformation"), Limits{}, LegacyXLS, ".xls"},
		{"legacy xls (Excel 5 Book)", makeCFB("Book"), Limits{}, LegacyXLS, ".xls"},
		{"old Word .doc", makeCFB("WordDocument", "1Table"), Limits{}, NotWorkbook, "Word"},
		{"zip-encrypted entry", encZip, Limits{}, Encrypted, "zip password"},
		{"docx", makeZip(t,
			part{"[Content_Types].xml", typesHead + `<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`},
			part{"_rels/.rels", `<Relationships xmlns="` + relsNS + `"><Relationship Id="rId1" Type="` + nsTRel + `/officeDocument" Target="word/document.xml"/></Relationships>`},
			part{"word/document.xml", `<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>`},
		), Limits{}, NotWorkbook, "Word"},
		{"pptx", makeZip(t, part{"ppt/presentation.xml", "<p/>"}), Limits{}, NotWorkbook, "PowerPoint"},
		{"ods", makeZip(t, part{"mimetype", "application/vnd.oasis.opendocument.spreadsheet"}, part{"content.xml", "<x/>"}), Limits{}, NotWorkbook, "OpenDocument"},
		{"xlsb", makeZip(t, part{"xl/workbook.bin", "x"}), Limits{}, NotWorkbook, ".xlsb"},
		{"plain zip", makeZip(t, part{"readme.txt", "hello"}), Limits{}, NotWorkbook, "zip archive"},
		{"empty zip", makeZip(t), Limits{}, NotWorkbook, "empty zip"},
		{"missing workbook.xml", makeZip(t,
			part{"[Content_Types].xml", typesHead + `<Override PartName="/xl/workbook.xml" ContentType="` + ctWB + `"/></Types>`},
			part{"_rels/.rels", `<Relationships xmlns="` + relsNS + `"><Relationship Id="rId1" Type="` + nsTRel + `/officeDocument" Target="xl/workbook.xml"/></Relationships>`},
			part{"xl/worksheets/sheet1.xml", sheetXML("")},
		), Limits{}, NotWorkbook, "xl/workbook.xml"},
		{"malformed workbook.xml", makeZip(t, part{"xl/workbook.xml", `<workbook><sheets><sheet name="a"</sheets>`}), Limits{}, Corrupt, "workbook.xml"},
		{"too large", good, Limits{MaxFileSize: int64(len(good)) - 1}, TooLarge, "bytes"},
		{"declared unpacked over MaxUnpacked", good, Limits{MaxUnpacked: 100}, ZipBomb, "declare"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wb, err := openBytes(tt.data, tt.lim)
			if wb != nil || err == nil {
				t.Fatalf("Open succeeded, want %v", tt.want)
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %v (%T) is not an *Error", err, err)
			}
			if e.Problem != tt.want || !strings.Contains(e.Detail, tt.detail) {
				t.Errorf("got %v (problem %d), want problem %v with detail containing %q", err, e.Problem, tt.want, tt.detail)
			}
		})
	}
}

// TooLarge is decided before a byte is read.
func TestTooLargeReadsNothing(t *testing.T) {
	_, err := Open(failingReaderAt{}, 300<<20, Limits{})
	if p := problemOf(t, err); p != TooLarge {
		t.Fatalf("got %v", err)
	}
}

type failingReaderAt struct{}

var errDisk = errors.New("disk on fire")

func (failingReaderAt) ReadAt([]byte, int64) (int, error) { return 0, errDisk }

// An I/O error of the underlying reader is not a bad file.
func TestIOErrorIsNotABadFile(t *testing.T) {
	good := oneSheet(`<row r="1"><c r="A1"><v>1</v></c></row>`).zip(t)
	_, err := Open(failingReaderAt{}, 1000, Limits{})
	var e *Error
	if !errors.Is(err, errDisk) || errors.As(err, &e) {
		t.Fatalf("got %v", err)
	}
	// Fails after the header: in zip.NewReader.
	_, err = Open(&flakyReaderAt{data: good, okReads: 1}, int64(len(good)), Limits{})
	if !errors.Is(err, errDisk) || errors.As(err, &e) {
		t.Fatalf("got %v", err)
	}
	// Fails while a sheet is read.
	fr := &flakyReaderAt{data: good, okReads: 1 << 30}
	wb, err := Open(fr, int64(len(good)), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	sh, err := wb.Sheet("")
	if err != nil {
		t.Fatal(err)
	}
	fr.okReads = 0
	for sh.Next() {
	}
	if !errors.Is(sh.Err(), errDisk) || errors.As(sh.Err(), &e) {
		t.Fatalf("got %v", sh.Err())
	}
}

type flakyReaderAt struct {
	data    []byte
	okReads int
}

func (f *flakyReaderAt) ReadAt(p []byte, off int64) (int, error) {
	if f.okReads <= 0 {
		return 0, errDisk
	}
	f.okReads--
	return bytes.NewReader(f.data).ReadAt(p, off)
}

// storedZip builds a workbook whose sheet is stored uncompressed, so tests can
// damage it byte by byte.
func storedZip(t *testing.T, sheet string) []byte {
	t.Helper()
	bk := oneSheet("")
	bk.sheets[0].xml = sheet
	return zipParts(t, zip.Store, bk.parts()...)
}

func TestDamagedSheets(t *testing.T) {
	crcBad := storedZip(t, sheetXML(`<row r="1"><c r="A1"><v>12345</v></c></row>`))
	i := bytes.Index(crcBad, []byte("12345"))
	crcBad[i] = '9'

	var rows strings.Builder
	for i := 0; i < 20000; i++ {
		rows.WriteString(`<row><c><v>1</v></c></row>`)
	}
	flateBad := oneSheet(rows.String()).zip(t)
	// Damage the middle of the largest entry's compressed data.
	zr, _ := zip.NewReader(bytes.NewReader(flateBad), int64(len(flateBad)))
	for _, f := range zr.File {
		if strings.HasPrefix(f.Name, "xl/worksheets/") {
			off, _ := f.DataOffset()
			for j := off + 30; j < off+int64(f.CompressedSize64)-10; j += 7 {
				flateBad[j] ^= 0x55
			}
		}
	}

	tests := []struct {
		name   string
		data   []byte
		lim    Limits
		rows   int // rows read before the error
		want   Problem
		detail string
	}{
		{"checksum mismatch", crcBad, Limits{}, 1, Corrupt, "checksum"},
		{"damaged deflate data", flateBad, Limits{MaxRatio: 1 << 20}, -1, Corrupt, ""},
		{"truncated sheet XML", storedZip(t, `<worksheet><sheetData><row r="1"><c r="A1"><v>1</v></c></row><row r="2"><c`), Limits{}, 1, Corrupt, "ends"},
		{"ends inside sheetData", storedZip(t, `<worksheet><sheetData><row r="1"><c r="A1"><v>1</v></c></row>`), Limits{}, 1, Corrupt, "sheetData"},
		{"ends inside text", storedZip(t, `<worksheet><sheetData><row r="1"><c r="A1"><v>1`), Limits{}, 0, Corrupt, ""},
		{"bad row number", oneSheet(`<row r="x1"><c><v>1</v></c></row>`).zip(t), Limits{}, 0, Corrupt, "row number"},
		{"bad cell reference", oneSheet(`<row r="1"><c r="1A"><v>1</v></c></row>`).zip(t), Limits{}, 0, Corrupt, "reference"},
		{"column past XFD", oneSheet(`<row r="1"><c r="XFE1"><v>1</v></c></row>`).zip(t), Limits{}, 0, Corrupt, ""},
		{"implicit column past XFD", oneSheet(`<row r="1"><c r="XFD1"><v>1</v></c><c><v>2</v></c></row>`).zip(t), Limits{}, 0, Corrupt, "XFD"},
		{"shared string out of range", func() []byte {
			bk := oneSheet(`<row r="1"><c t="s"><v>0</v></c></row><row r="2"><c t="s"><v>1</v></c></row>`)
			bk.sst = sstXML(`<si><t>only</t></si>`)
			return bk.zip(t)
		}(), Limits{}, 1, Corrupt, "shared string 1 of 1"},
		{"shared string without a table", oneSheet(`<row r="1"><c t="s"><v>0</v></c></row>`).zip(t), Limits{}, 0, Corrupt, "shared strings"},
		{"huge tag", oneSheet(`<row r="1" x="` + strings.Repeat("a", 70000) + `"><c><v>1</v></c></row>`).zip(t), Limits{}, 0, Corrupt, "64 KiB"},
		{"huge text", oneSheet(`<row r="1"><c t="inlineStr"><is><t>` + strings.Repeat("a", 2<<20) + `</t></is></c></row>`).zip(t), Limits{MaxRatio: 1 << 20}, 0, Corrupt, "1 MiB"},
		{"too many rows", oneSheet(`<row><c><v>1</v></c></row><row/><row><c><v>1</v></c></row><row><c><v>1</v></c></row><row><c><v>1</v></c></row>`).zip(t),
			Limits{MaxRows: 3}, 3, TooManyRows, "more than 3 rows"},
		{"row number past Excel's last row", oneSheet(`<row r="1"><c><v>1</v></c></row><row r="1048577"><c><v>1</v></c></row>`).zip(t), Limits{}, 1, TooManyRows, "1048577"},
		{"huge row number", oneSheet(`<row r="99999999999999999999"><c><v>1</v></c></row>`).zip(t), Limits{}, 0, TooManyRows, ""},
		{"too many columns", oneSheet(`<row r="1"><c><v>1</v></c><c><v>1</v></c></row><row r="2"><c r="C2"><v>1</v></c></row>`).zip(t),
			Limits{MaxColumns: 2}, 1, TooManyColumns, "column C, row 2"},
		{"empty cells do not count as columns", oneSheet(`<row r="1"><c><v>1</v></c><c/><c><v></v></c><c><v>1</v></c></row>`).zip(t),
			Limits{MaxColumns: 2}, 1, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wb, err := openBytes(tt.data, tt.lim)
			if err != nil {
				t.Fatal(err)
			}
			sh, err := wb.Sheet("")
			if err != nil {
				if p := problemOf(t, err); p != tt.want {
					t.Fatalf("Sheet: %v", err)
				}
				return
			}
			n := 0
			for sh.Next() {
				n++
			}
			if sh.Next() {
				t.Error("Next after the end returned true")
			}
			err = sh.Err()
			if p := problemOf(t, err); p != tt.want {
				t.Fatalf("got %v, want problem %v", err, tt.want)
			}
			if tt.rows >= 0 && n != tt.rows {
				t.Errorf("read %d rows, want %d", n, tt.rows)
			}
			if err == nil {
				return
			}
			e := err.(*Error)
			if !strings.Contains(e.Error(), tt.detail) || e.Sheet != "Data" {
				t.Errorf("error %q: want detail %q and sheet Data", e.Error(), tt.detail)
			}
		})
	}
}

// A sheet with data in all 16,384 columns fails at column 257, reading little.
func TestSixteenThousandColumns(t *testing.T) {
	var rows strings.Builder
	for r := 1; r <= 3; r++ {
		rows.WriteString(`<row>`)
		for c := 0; c < excelMaxCols; c++ {
			rows.WriteString(`<c><v>1</v></c>`)
		}
		rows.WriteString(`</row>`)
	}
	wb, err := openBytes(oneSheet(rows.String()).zip(t), Limits{MaxRatio: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	sh, _ := wb.Sheet("")
	if sh.Next() {
		t.Fatal("a row was returned")
	}
	e, ok := sh.Err().(*Error)
	if !ok || e.Problem != TooManyColumns || e.Limit != 256 || !strings.Contains(e.Detail, "column IW, row 1") {
		t.Fatalf("got %v", sh.Err())
	}
	if sh.Read() > 128<<10 {
		t.Errorf("read %d bytes before failing", sh.Read())
	}
}
