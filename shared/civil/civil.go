// Package civil holds calendar dates and months without a time of day or zone:
// the dates of a register (birth, start and end of a service), reporting periods and
// working days. A Date is a day number, so comparing and counting days is integer
// arithmetic on the hot path of register validation.
package civil

import (
	"encoding/json"
	"fmt"
	"time"
)

// Date is a proleptic Gregorian calendar date, counted in days since 1970-01-01.
// The zero value is 1970-01-01; use Valid-returning constructors to tell "no date".
type Date int32

// D returns the date of year y, month m, day d. Out-of-range values normalise as in
// time.Date (January 32 is February 1); use Valid to reject them.
func D(y int, m time.Month, d int) Date {
	return Date(daysFromCivil(y, int(m), d))
}

// Valid reports whether y-m-d names a real calendar day.
func Valid(y int, m time.Month, d int) bool {
	if m < 1 || m > 12 || d < 1 {
		return false
	}
	return d <= DaysIn(y, m)
}

// DaysIn returns the number of days in month m of year y.
func DaysIn(y int, m time.Month) int {
	switch m {
	case time.February:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case time.April, time.June, time.September, time.November:
		return 30
	}
	return 31
}

// Of returns the date of t in t's own location.
func Of(t time.Time) Date {
	y, m, d := t.Date()
	return D(y, m, d)
}

// Date returns the year, month and day of d.
func (d Date) Date() (y int, m time.Month, day int) {
	y, mm, dd := civilFromDays(int64(d))
	return y, time.Month(mm), dd
}

// Year returns the year of d.
func (d Date) Year() int { y, _, _ := d.Date(); return y }

// Month returns the month (period) d falls in.
func (d Date) Month() Month { y, m, _ := d.Date(); return MonthOf(y, m) }

// Weekday returns the day of the week of d.
func (d Date) Weekday() time.Weekday {
	// 1970-01-01 was a Thursday.
	w := (int64(d) + 4) % 7
	if w < 0 {
		w += 7
	}
	return time.Weekday(w)
}

// AddDays returns d plus n days.
func (d Date) AddDays(n int) Date { return d + Date(n) }

// In returns the start of d (00:00) in loc.
func (d Date) In(loc *time.Location) time.Time {
	y, m, day := d.Date()
	return time.Date(y, m, day, 0, 0, 0, 0, loc)
}

// String formats d as YYYY-MM-DD.
func (d Date) String() string {
	y, m, day := d.Date()
	return fmt.Sprintf("%04d-%02d-%02d", y, int(m), day)
}

// DMY formats d as DD.MM.YYYY, the way Kazakh and Russian documents write dates.
func (d Date) DMY() string {
	y, m, day := d.Date()
	return fmt.Sprintf("%02d.%02d.%04d", day, int(m), y)
}

// Parse reads a date written YYYY-MM-DD. It runs for every date a store reads
// back, so it parses the digits by hand.
func Parse(s string) (Date, error) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return 0, fmt.Errorf("civil: %q is not YYYY-MM-DD", s)
	}
	y, ok1 := digits(s[0:4])
	m, ok2 := digits(s[5:7])
	d, ok3 := digits(s[8:10])
	if !ok1 || !ok2 || !ok3 || !Valid(y, time.Month(m), d) {
		return 0, fmt.Errorf("civil: %q is not a valid date", s)
	}
	return D(y, time.Month(m), d), nil
}

// digits reads a run of ASCII digits.
func digits(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, len(s) > 0
}

// MarshalJSON writes d as "YYYY-MM-DD".
func (d Date) MarshalJSON() ([]byte, error) { return json.Marshal(d.String()) }

// UnmarshalJSON reads "YYYY-MM-DD".
func (d *Date) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	v, err := Parse(s)
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// YearsBetween returns the whole years from birth to at (an age): how many birthdays
// have passed. A 29 February birthday passes on 1 March in common years.
func YearsBetween(birth, at Date) int {
	by, bm, bd := birth.Date()
	ay, am, ad := at.Date()
	n := ay - by
	if am < bm || (am == bm && ad < bd) {
		n--
	}
	return n
}

// Excel serial day numbers: 1900 system day 1 is 1900-01-01 and the fictitious
// 1900-02-29 is day 60; 1904 system day 0 is 1904-01-01.
var (
	excel1900 = D(1899, time.December, 30) // serial 0 in the 1900 system past day 60
	excel1904 = D(1904, time.January, 1)
)

// FromExcel converts the whole part of an Excel date serial to a date, in the 1900 or
// the 1904 date system. ok is false for serials before the system's first day or
// the 1900 system's fictitious 29 February 1900.
func FromExcel(serial int, date1904 bool) (d Date, ok bool) {
	if date1904 {
		if serial < 0 {
			return 0, false
		}
		return excel1904 + Date(serial), true
	}
	switch {
	case serial < 1 || serial == 60:
		return 0, false
	case serial < 60:
		return excel1900 + Date(serial+1), true
	}
	return excel1900 + Date(serial), true
}

// Excel returns the serial of d in the 1900 date system (what writers use).
func (d Date) Excel() int {
	n := int(d - excel1900)
	if n <= 60 {
		n--
	}
	return n
}

// daysFromCivil is Howard Hinnant's algorithm: days since 1970-01-01.
func daysFromCivil(y, m, d int) int64 {
	for m > 12 {
		m -= 12
		y++
	}
	for m < 1 {
		m += 12
		y--
	}
	yy := int64(y)
	if m <= 2 {
		yy--
	}
	era := yy / 400
	if yy < 0 && yy%400 != 0 {
		era--
	}
	yoe := yy - era*400
	mp := int64((m + 9) % 12)
	doy := (153*mp+2)/5 + int64(d) - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

func civilFromDays(z int64) (int, int, int) {
	z += 719468
	era := z / 146097
	if z < 0 && z%146097 != 0 {
		era--
	}
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y := yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d := doy - (153*mp+2)/5 + 1
	m := mp + 3
	if m > 12 {
		m -= 12
	}
	if m <= 2 {
		y++
	}
	return int(y), int(m), int(d)
}

// Sub returns the number of days from e to d (d - e).
func (d Date) Sub(e Date) int { return int(d - e) }
