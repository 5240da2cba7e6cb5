// Package table opens an uploaded table, a workbook (.xlsx, .ods, .xls) or a UTF-8
// CSV, and reads it the way clerks make them: it picks the sheet that holds the
// header (or the one named), finds the header in the first 20 rows, skips repeated
// header rows, gives a vertically merged cell's value to every row it covers, and
// holds back footer rows (totals, signatures) under the data. It names what makes
// a file unusable (file-unreadable, with messages in Kazakh, Russian and English)
// and what it did to the rows (warnings). Registers, acts, call lists and
// questionnaires are all read through it.
package table

import (
	"bytes"
	"errors"
	"fmt"
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
	Sheets string // fills {sheets}: the workbook's sheets, quoted
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
		return &Problem{Key: "corrupt", Detail: "read error"}
	}
	switch xe.Problem {
	case xlsx.NotZip:
		return &Problem{Key: "not-xlsx"}
	case xlsx.Encrypted:
		return &Problem{Key: "encrypted"}
	case xlsx.LegacyXLS:
		return &Problem{Key: "legacy-xls", Detail: xe.Detail}
	case xlsx.NotWorkbook:
		return &Problem{Key: "not-workbook", Detail: xe.Detail}
	case xlsx.TooLarge:
		return &Problem{Key: "too-large", Detail: sizeText(lim.MaxFileSize)}
	case xlsx.ZipBomb:
		if xe.Limit != 0 && xe.Limit == lim.MaxSharedStrings {
			return &Problem{Key: "zip-bomb", Detail: sizeText(lim.MaxSharedStrings) + " of shared strings"}
		}
		return &Problem{Key: "zip-bomb", Detail: fmt.Sprintf("%s, ×%d", sizeText(lim.MaxUnpacked), lim.MaxRatio)}
	case xlsx.TooManyRows:
		return &Problem{Key: "too-many-rows", Detail: strconv.Itoa(lim.MaxRows)}
	case xlsx.TooManyColumns:
		return &Problem{Key: "too-many-columns", Detail: strconv.Itoa(lim.MaxColumns)}
	case xlsx.SheetNotFound:
		return &Problem{Key: "sheet-not-found", Detail: xe.Sheet}
	case xlsx.NoSheets:
		return &Problem{Key: "no-sheets"}
	}
	return &Problem{Key: "corrupt", Detail: xe.Detail}
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
