package xlsx

import (
	"fmt"
	"strconv"
	"strings"
)

// Limits bound what a workbook may cost to read. A zero field means its default.
type Limits struct {
	// MaxFileSize is the largest accepted file, in bytes (default 256 MiB).
	MaxFileSize int64
	// MaxUnpacked bounds the total inflated size of the parts read, and the total
	// declared uncompressed size of all entries (default 2 GiB).
	MaxUnpacked int64
	// MaxRatio bounds the inflated size as a multiple of the file size (default 100):
	// past it the file is treated as a zip bomb.
	MaxRatio int64
	// MaxRows is the largest number of rows with data a sheet may have
	// (default 1,048,576, Excel's own limit).
	MaxRows int
	// MaxColumns is the largest number of distinct columns that hold a non-empty
	// value in a sheet (default 256).
	MaxColumns int
	// MaxSharedStrings bounds the memory of the shared-string table, which is held
	// while sheets are read: its text plus 4 bytes a string (default 96 MiB; a
	// 1,000,000-row sample register takes about 50 MiB). Past it the file is
	// treated as a zip bomb. With the other defaults it keeps the validation of any
	// file within them under 256 MiB (under a soft memory limit, see README).
	MaxSharedStrings int64
}

// Excel's own grid limits.
const (
	excelMaxRows = 1 << 20 // 1,048,576
	excelMaxCols = 1 << 14 // 16,384: A … XFD
)

// DefaultLimits returns the limits of the register specification: 256 MiB files,
// 2 GiB unpacked, ratio 100, 1,048,576 rows, 256 columns; and 96 MiB of shared
// strings.
func DefaultLimits() Limits {
	return Limits{
		MaxFileSize:      256 << 20,
		MaxUnpacked:      2 << 30,
		MaxRatio:         100,
		MaxRows:          excelMaxRows,
		MaxColumns:       256,
		MaxSharedStrings: 96 << 20,
	}
}

// withDefaults fills zero fields from DefaultLimits.
func (l Limits) withDefaults() Limits {
	d := DefaultLimits()
	if l.MaxFileSize <= 0 {
		l.MaxFileSize = d.MaxFileSize
	}
	if l.MaxUnpacked <= 0 {
		l.MaxUnpacked = d.MaxUnpacked
	}
	if l.MaxRatio <= 0 {
		l.MaxRatio = d.MaxRatio
	}
	if l.MaxRows <= 0 {
		l.MaxRows = d.MaxRows
	}
	if l.MaxColumns <= 0 {
		l.MaxColumns = d.MaxColumns
	}
	if l.MaxSharedStrings <= 0 {
		l.MaxSharedStrings = d.MaxSharedStrings
	}
	return l
}

// Problem classifies why a file cannot be read.
type Problem uint8

// Problems. Every bad-file case maps to exactly one.
const (
	// NotZip: the file is empty or not a zip archive at all.
	NotZip Problem = iota + 1
	// Encrypted: a password-protected workbook (an OLE2/CFB container holding an
	// EncryptionInfo stream), or a zip with encrypted entries.
	Encrypted
	// LegacyXLS: an OLE2/CFB container without encryption: an old binary .xls.
	LegacyXLS
	// NotWorkbook: a zip (or OLE2 file) that holds no Excel workbook; Detail says what
	// it looks like (a Word document, a PowerPoint presentation, ...).
	NotWorkbook
	// Corrupt: a damaged zip, a bad checksum, malformed XML, a truncated part.
	Corrupt
	// TooLarge: the file is over Limits.MaxFileSize.
	TooLarge
	// ZipBomb: the declared or actual inflated size is over Limits.MaxUnpacked or
	// Limits.MaxRatio times the file size, a part inflates past its declared size,
	// or the shared strings take more than Limits.MaxSharedStrings.
	ZipBomb
	// TooManyRows: more than Limits.MaxRows rows with data, or a row number past
	// 1,048,576.
	TooManyRows
	// TooManyColumns: data in more than Limits.MaxColumns distinct columns.
	TooManyColumns
	// SheetNotFound: no sheet has the requested name.
	SheetNotFound
	// NoSheets: the workbook lists no sheets.
	NoSheets
)

var problemNames = [...]string{
	NotZip:         "not a zip file",
	Encrypted:      "encrypted",
	LegacyXLS:      "legacy .xls",
	NotWorkbook:    "not a workbook",
	Corrupt:        "corrupt",
	TooLarge:       "too large",
	ZipBomb:        "zip bomb",
	TooManyRows:    "too many rows",
	TooManyColumns: "too many columns",
	SheetNotFound:  "sheet not found",
	NoSheets:       "no sheets",
}

// String returns a short English name of the problem ("zip bomb").
func (p Problem) String() string {
	if int(p) < len(problemNames) && problemNames[p] != "" {
		return problemNames[p]
	}
	return "problem(" + strconv.Itoa(int(p)) + ")"
}

// Error is what every bad-file case returns. Detail is technical English for logs
// and for the operator; it never holds cell contents.
type Error struct {
	Problem Problem // what kind of problem
	Detail  string  // technical English: which part, which row or column, which size
	Limit   int64   // the limit that was exceeded, when one was
	Sheet   string  // the sheet being read, when one was

	cause error // underlying error, for errors.Is/As
}

// Error formats the problem, detail, limit and sheet.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("xlsx: ")
	b.WriteString(e.Problem.String())
	if e.Detail != "" {
		b.WriteString(": ")
		b.WriteString(e.Detail)
	}
	if e.Limit != 0 {
		b.WriteString(" (limit ")
		b.WriteString(strconv.FormatInt(e.Limit, 10))
		b.WriteString(")")
	}
	if e.Sheet != "" {
		fmt.Fprintf(&b, " (sheet %q)", e.Sheet)
	}
	return b.String()
}

// Unwrap returns the underlying error, if any (a zip or flate error).
func (e *Error) Unwrap() error { return e.cause }

func errorf(p Problem, format string, args ...any) *Error {
	return &Error{Problem: p, Detail: fmt.Sprintf(format, args...)}
}
