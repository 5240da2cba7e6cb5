// Package table opens an uploaded table, .xlsx or UTF-8 CSV, as a stream of rows of
// cells, and names what makes a file unusable (file-unreadable, with messages in
// Kazakh, Russian and English). Registers, acts, call lists and questionnaires are
// all read through it.
package table

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"unicode/utf8"

	"github.com/qoldau/qoldau/shared/xlsx"
)

// Source yields the non-empty rows of a sheet or CSV file as cells.
type Source interface {
	Next() bool
	RowNum() int
	Cells() []xlsx.Cell
	Err() error
	Close() error
	Read() int64 // bytes consumed so far, for progress
	Size() int64 // total bytes expected, 0 if unknown
}

// Problem is a file-level failure: a catalogue key under file-unreadable and
// the detail for its message.
type Problem struct {
	Key    string // file-unreadable variant: empty, not-xlsx, encrypted, legacy-xls, not-workbook, corrupt, too-large, zip-bomb, too-many-rows, too-many-columns, sheet-not-found, no-sheets, not-utf8, csv
	Detail string // fills the message's {detail}
}

// Error returns the English message.
func (p *Problem) Error() string { return p.Message().EN }

// sniff tells what kind of file starts with head.
func sniff(head []byte) string {
	switch {
	case len(head) == 0:
		return "empty"
	case bytes.HasPrefix(head, []byte("PK\x03\x04")) || bytes.HasPrefix(head, []byte("PK\x05\x06")) ||
		bytes.HasPrefix(head, []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}):
		return "xlsx"
	case bytes.IndexByte(head, 0) >= 0:
		return "binary"
	}
	return "csv"
}

// xlsxProblem translates the reader's errors into file-unreadable variants.
// AsProblem translates a reader error into a Problem.
func AsProblem(err error, lim xlsx.Limits) *Problem {
	var xe *xlsx.Error
	if !errors.As(err, &xe) {
		return &Problem{"corrupt", "read error"}
	}
	switch xe.Problem {
	case xlsx.NotZip:
		return &Problem{"not-xlsx", ""}
	case xlsx.Encrypted:
		return &Problem{"encrypted", ""}
	case xlsx.LegacyXLS:
		return &Problem{"legacy-xls", ""}
	case xlsx.NotWorkbook:
		return &Problem{"not-workbook", xe.Detail}
	case xlsx.TooLarge:
		return &Problem{"too-large", sizeText(lim.MaxFileSize)}
	case xlsx.ZipBomb:
		return &Problem{"zip-bomb", fmt.Sprintf("%s, ×%d", sizeText(lim.MaxUnpacked), lim.MaxRatio)}
	case xlsx.TooManyRows:
		return &Problem{"too-many-rows", strconv.Itoa(lim.MaxRows)}
	case xlsx.TooManyColumns:
		return &Problem{"too-many-columns", strconv.Itoa(lim.MaxColumns)}
	case xlsx.SheetNotFound:
		return &Problem{"sheet-not-found", xe.Sheet}
	case xlsx.NoSheets:
		return &Problem{"no-sheets", ""}
	}
	return &Problem{"corrupt", xe.Detail}
}

func sizeText(n int64) string {
	switch {
	case n >= 1<<30 && n%(1<<30) == 0:
		return fmt.Sprintf("%d GiB", n>>30)
	case n >= 1<<20:
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%d B", n)
}

// Open opens r as an xlsx sheet or a CSV file.
func Open(r io.ReaderAt, size int64, sheet string, lim xlsx.Limits) (Source, bool, string, *Problem) {
	if size > lim.MaxFileSize {
		return nil, false, "", &Problem{"too-large", sizeText(lim.MaxFileSize)}
	}
	head := make([]byte, 8192)
	n, err := r.ReadAt(head, 0)
	if err != nil && err != io.EOF {
		return nil, false, "", &Problem{"corrupt", "read error"}
	}
	head = head[:n]
	switch sniff(head) {
	case "empty":
		return nil, false, "", &Problem{"empty", ""}
	case "binary":
		return nil, false, "", &Problem{"not-xlsx", ""}
	case "csv":
		src, p := NewCSV(io.NewSectionReader(r, 0, size), size, lim)
		if p != nil {
			return nil, false, "", p
		}
		return src, false, "", nil
	}
	wb, err := xlsx.Open(r, size, lim)
	if err != nil {
		return nil, false, "", AsProblem(err, lim)
	}
	sh, err := wb.Sheet(sheet)
	if err != nil {
		return nil, false, "", AsProblem(err, lim)
	}
	if sheet == "" && len(wb.SheetNames()) > 0 {
		sheet = wb.SheetNames()[0]
	}
	return &sheetSource{Sheet: sh, lim: lim}, wb.Date1904(), sheet, nil
}

type sheetSource struct {
	*xlsx.Sheet
	lim xlsx.Limits
}

// CSV reads a UTF-8 CSV (comma, semicolon or tab; BOM tolerated).
type CSV struct {
	r     *csv.Reader
	cnt   *countReader
	size  int64
	lim   xlsx.Limits
	row   int
	rows  int
	cells []xlsx.Cell
	err   error
	used  []bool // columns that held data
	nused int
}

type countReader struct {
	r io.Reader
	n int64
}

func (c *countReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// NewCSV reads r as a CSV file of size bytes.
func NewCSV(r io.Reader, size int64, lim xlsx.Limits) (*CSV, *Problem) {
	br := bufio.NewReaderSize(r, 64<<10)
	if b, _ := br.Peek(3); bytes.Equal(b, []byte("\xEF\xBB\xBF")) {
		br.Discard(3)
	}
	head, _ := br.Peek(32 << 10)
	comma := detectComma(head)
	cnt := &countReader{r: br}
	cr := csv.NewReader(cnt)
	cr.Comma = comma
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	cr.ReuseRecord = true
	return &CSV{r: cr, cnt: cnt, size: size, lim: lim}, nil
}

// detectComma picks the separator that splits the first lines into the most fields.
func detectComma(head []byte) rune {
	best, bestN := ',', 0
	for _, c := range []rune{',', ';', '\t'} {
		r := csv.NewReader(bytes.NewReader(head))
		r.Comma, r.FieldsPerRecord, r.LazyQuotes = c, -1, true
		for i := 0; i < 20; i++ {
			rec, err := r.Read()
			if err != nil {
				break
			}
			if len(rec) > bestN {
				best, bestN = c, len(rec)
			}
		}
	}
	return best
}

func (s *CSV) Next() bool {
	if s.err != nil {
		return false
	}
	for {
		rec, err := s.r.Read()
		if err == io.EOF {
			return false
		}
		if err != nil {
			s.err = &Problem{"csv", err.Error()}
			return false
		}
		line, _ := s.r.FieldPos(0)
		s.row = line
		s.rows++
		if s.rows > s.lim.MaxRows {
			s.err = &Problem{"too-many-rows", strconv.Itoa(s.lim.MaxRows)}
			return false
		}
		s.cells = s.cells[:0]
		for i, f := range rec {
			if f == "" {
				continue
			}
			if !utf8.ValidString(f) {
				s.err = &Problem{"not-utf8", strconv.Itoa(line)}
				return false
			}
			if i >= len(s.used) {
				s.used = append(s.used, make([]bool, i+1-len(s.used))...)
			}
			if !s.used[i] {
				s.used[i] = true
				s.nused++
				if s.nused > s.lim.MaxColumns {
					s.err = &Problem{"too-many-columns", strconv.Itoa(s.lim.MaxColumns)}
					return false
				}
			}
			s.cells = append(s.cells, xlsx.Cell{Col: i, Type: xlsx.String, Value: f})
		}
		if len(s.cells) > 0 {
			return true
		}
	}
}

func (s *CSV) RowNum() int        { return s.row }
func (s *CSV) Cells() []xlsx.Cell { return s.cells }
func (s *CSV) Err() error {
	if s.err == nil {
		return nil
	}
	return s.err
}
func (s *CSV) Close() error { return nil }
func (s *CSV) Read() int64  { return s.cnt.n }
func (s *CSV) Size() int64  { return s.size }
