package xlsx

import (
	"math"
	"strconv"
	"time"

	"github.com/qoldau/qoldau/shared/civil"
)

// ColName returns the column letters of a 0-based column index: 0 → "A", 25 → "Z",
// 26 → "AA", 16383 → "XFD". A negative index gives "".
func ColName(col int) string {
	if col < 0 {
		return ""
	}
	var b [8]byte
	return string(appendColName(b[:0], col))
}

// CellName returns the A1 reference of a 0-based column and a 1-based row:
// CellName(4, 17) = "E17".
func CellName(col, row int) string {
	var b [24]byte
	return string(appendCellName(b[:0], col, row))
}

// ParseCellName parses an A1 reference ("E17", "$E$17", "xfd1048576") into a
// 0-based column and a 1-based row. ok is false for anything else, and for columns
// past XFD or rows past 1,048,576.
func ParseCellName(ref string) (col, row int, ok bool) {
	col, row, ok = parseRef([]byte(ref))
	if !ok || row == 0 || row > excelMaxRows {
		return 0, 0, false
	}
	return col, row, true
}

func appendColName(b []byte, col int) []byte {
	var tmp [8]byte
	i := len(tmp)
	for n := col + 1; n > 0; n = (n - 1) / 26 {
		i--
		tmp[i] = byte('A' + (n-1)%26)
	}
	return append(b, tmp[i:]...)
}

func appendCellName(b []byte, col, row int) []byte {
	b = appendColName(b, col)
	return strconv.AppendInt(b, int64(row), 10)
}

// parseRef parses column letters and optional row digits. row is 0 when the
// reference has no digits; ok is false when it has no letters, a column past XFD,
// or anything else. Rows are capped just past the Excel limit so that overflow
// cannot wrap.
func parseRef(b []byte) (col, row int, ok bool) {
	i := 0
	if i < len(b) && b[i] == '$' {
		i++
	}
	n := 0
	start := i
	for ; i < len(b); i++ {
		c := b[i] | 0x20 // lower case letters; digits and '$' stay outside a-z
		if c < 'a' || c > 'z' {
			break
		}
		n = n*26 + int(c-'a'+1)
		if n > excelMaxCols {
			return 0, 0, false
		}
	}
	if i == start {
		return 0, 0, false
	}
	if i < len(b) && b[i] == '$' {
		i++
	}
	r := 0
	for ; i < len(b); i++ {
		c := b[i]
		if c < '0' || c > '9' {
			return 0, 0, false
		}
		if r <= excelMaxRows {
			r = r*10 + int(c-'0')
		}
	}
	return n - 1, r, true
}

// parseUint parses decimal digits (surrounding spaces allowed). ok is false for
// anything else or values over max.
func parseUint(b []byte, max int) (int, bool) {
	b = trimSpace(b)
	if len(b) == 0 {
		return 0, false
	}
	n := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
		if n > max {
			return 0, false
		}
	}
	return n, true
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func trimSpace(b []byte) []byte {
	for len(b) > 0 && isSpace(b[0]) {
		b = b[1:]
	}
	for len(b) > 0 && isSpace(b[len(b)-1]) {
		b = b[:len(b)-1]
	}
	return b
}

// ExcelDate converts the text of a Number cell holding an Excel date serial
// ("45366", "45366.75") to the date it names, in the 1900 or the 1904 date system
// (see Workbook.Date1904); a time of day is dropped. ok is false for text that is
// not a number, for serials before the system's first day, for the 1900 system's
// fictitious 29 February 1900 (serial 60), and past 9999-12-31.
func ExcelDate(serial string, date1904 bool) (d civil.Date, ok bool) {
	f, err := strconv.ParseFloat(serial, 64)
	if err != nil || math.IsNaN(f) || f < 0 || f >= 3e6 {
		return 0, false
	}
	d, ok = civil.FromExcel(int(math.Floor(f)), date1904)
	if !ok || d > lastExcelDay {
		return 0, false
	}
	return d, true
}

// lastExcelDay is the last date Excel shows.
var lastExcelDay = civil.D(9999, time.December, 31)
