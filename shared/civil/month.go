package civil

import (
	"encoding/json"
	"fmt"
	"time"
)

// Month is a reporting month (a register's period), counted as year*12 + month-1.
type Month int32

// MonthOf returns the month m of year y.
func MonthOf(y int, m time.Month) Month { return Month(y*12 + int(m) - 1) }

// Year returns the month's year.
func (p Month) Year() int { return int(p) / 12 }

// Month returns the month of the year.
func (p Month) Month() time.Month { return time.Month(int(p)%12 + 1) }

// First returns the first day of the month.
func (p Month) First() Date { return D(p.Year(), p.Month(), 1) }

// Last returns the last day of the month.
func (p Month) Last() Date { return D(p.Year(), p.Month(), DaysIn(p.Year(), p.Month())) }

// Contains reports whether d falls in the month.
func (p Month) Contains(d Date) bool { return d >= p.First() && d <= p.Last() }

// Add returns the month n months later.
func (p Month) Add(n int) Month { return p + Month(n) }

// String formats the month as YYYY-MM.
func (p Month) String() string { return fmt.Sprintf("%04d-%02d", p.Year(), int(p.Month())) }

// ParseMonth reads YYYY-MM.
func ParseMonth(s string) (Month, error) {
	if len(s) != 7 || s[4] != '-' {
		return 0, fmt.Errorf("civil: %q is not a month YYYY-MM", s)
	}
	y, ok1 := digits(s[:4])
	m, ok2 := digits(s[5:])
	if !ok1 || !ok2 || m < 1 || m > 12 || y < 1900 {
		return 0, fmt.Errorf("civil: %q is not a month YYYY-MM", s)
	}
	return MonthOf(y, time.Month(m)), nil
}

// MarshalJSON writes the month as "YYYY-MM".
func (p Month) MarshalJSON() ([]byte, error) { return json.Marshal(p.String()) }

// UnmarshalJSON reads "YYYY-MM".
func (p *Month) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	v, err := ParseMonth(s)
	if err != nil {
		return err
	}
	*p = v
	return nil
}
