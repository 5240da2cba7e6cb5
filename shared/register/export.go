package register

import (
	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/table"
	"github.com/qoldau/qoldau/shared/xlsx"
)

// ParseDate reads a date cell the way a register's date columns are read
// (docs/rules.md, "Value formats"): an Excel date, or a plain number read as an Excel
// serial from 1 (1900-01-01) to 73051 (2099-12-31) in the 1900 system or, with
// date1904, the 1904 system; an ISO (t="d") cell; or text DD.MM.YYYY, D.M.YYYY,
// YYYY-MM-DD or DD/MM/YYYY, with an optional time after it. Spaces around the value
// are ignored. problem is "" when the date parsed, else "excel-error" (the cell
// holds an Excel error such as #N/A), "year2" (a two-digit year) or "date".
func ParseDate(c xlsx.Cell, date1904 bool) (d civil.Date, problem string) {
	v := table.Trim(c.Value)
	if v == "" {
		return 0, "date"
	}
	d, p := parseDate(&c, v, date1904)
	return d, string(p)
}
