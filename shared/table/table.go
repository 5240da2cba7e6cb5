// Package table opens an uploaded table, .xlsx or UTF-8 CSV, as a stream of rows of
// cells, and names what makes a file unusable (file-unreadable, with messages in
// Kazakh, Russian and English). Registers, acts, call lists and questionnaires are
// all read through it.
package table

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"

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
	Key    string // file-unreadable variant: empty, not-xlsx, encrypted, legacy-xls, not-workbook, corrupt, too-large, zip-bomb, too-many-rows, too-many-columns, sheet-not-found, no-sheets, not-utf8, csv-open-quote, csv-long-cell, csv-wide-line
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
