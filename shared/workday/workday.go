// Package workday counts working days in Kazakhstan and places dates and deadlines
// in Almaty time (docs/rules.md, "Working days and deadlines").
//
// A working day is Monday to Friday that is not a non-working holiday, a day off
// that replaces a holiday falling on a weekend (moved) or a weekday made a day off by
// decree (transfer_off); a Saturday or Sunday made a working day by decree
// (transfer_work) is one. The calendar is data (refdata's calendar/YYYY.csv). For a
// year the calendar does not cover, only weekends are days off: check Covers.
//
// A deadline in calendar days that falls on a non-working day moves to the next
// working day (NextWorking); a deadline in working days counts working days from the
// day after the event (AddWorking). A deadline ends at the end of its day in Almaty
// (EndOf).
package workday

import (
	_ "embed"
	"sync"
	"time"
	_ "time/tzdata" // time.LoadLocation works on hosts without zoneinfo

	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/refdata"
)

// almatyTZif is the Asia/Almaty zone from the Go distribution's tz database (2025):
// UTC+6 from 2004 and UTC+5 from 2024-03-01 00:00. It is embedded so a host with
// stale zoneinfo cannot shift Almaty dates.
//
//go:embed Asia_Almaty.tzif
var almatyTZif []byte

var almaty = sync.OnceValue(func() *time.Location {
	loc, err := time.LoadLocationFromTZData("Asia/Almaty", almatyTZif)
	if err != nil {
		// The embedded zone is checked by the package tests; this only guards
		// against a corrupt build.
		return time.FixedZone("+05", 5*60*60)
	}
	return loc
})

// Almaty returns the Asia/Almaty time zone (UTC+5 since 2024-03-01, UTC+6 before),
// from zone data embedded in the binary rather than the host's.
func Almaty() *time.Location { return almaty() }

// Today returns the date of t in Almaty.
func Today(t time.Time) civil.Date { return civil.Of(t.In(Almaty())) }

// EndOf returns the last instant of d in Almaty, 23:59:59.999999999: the end of a
// deadline that falls on d.
func EndOf(d civil.Date) time.Time {
	y, m, day := d.Date()
	return time.Date(y, m, day, 23, 59, 59, 999999999, Almaty())
}

// Calendar tells working days from days off. It is immutable and safe for
// concurrent use.
type Calendar struct {
	off   map[civil.Date]bool // weekdays that are days off
	work  map[civil.Date]bool // weekend days that are working days
	years map[int]bool
}

// New builds a calendar from calendar entries (refdata.Set.Days). A year is covered
// when at least one entry falls in it.
func New(days []refdata.Day) *Calendar {
	c := &Calendar{off: map[civil.Date]bool{}, work: map[civil.Date]bool{}, years: map[int]bool{}}
	for _, d := range days {
		c.years[d.Date.Year()] = true
		switch d.Kind {
		case refdata.Holiday, refdata.Moved, refdata.TransferOff:
			c.off[d.Date] = true
		case refdata.TransferWork:
			c.work[d.Date] = true
		}
	}
	return c
}

var defaultCalendar = sync.OnceValue(func() *Calendar { return New(refdata.Default().Days()) })

// Default returns the calendar of the embedded reference data (refdata.Default).
func Default() *Calendar { return defaultCalendar() }

// IsWorking reports whether d is a working day.
func (c *Calendar) IsWorking(d civil.Date) bool {
	switch d.Weekday() {
	case time.Saturday, time.Sunday:
		return c.work[d]
	}
	return !c.off[d]
}

// Covers reports whether the calendar has data for year; outside covered years only
// weekends are days off.
func (c *Calendar) Covers(year int) bool { return c.years[year] }

// NextWorking returns d if it is a working day, else the next working day: where a
// deadline in calendar days that falls on d ends.
func (c *Calendar) NextWorking(d civil.Date) civil.Date {
	for !c.IsWorking(d) {
		d++
	}
	return d
}

// AddWorking returns the n-th working day after d, counting from the day after d;
// n = 0 returns d itself, and a negative n counts back to the |n|-th working day
// before d.
func (c *Calendar) AddWorking(d civil.Date, n int) civil.Date {
	step := civil.Date(1)
	if n < 0 {
		step, n = -1, -n
	}
	for n > 0 {
		d += step
		if c.IsWorking(d) {
			n--
		}
	}
	return d
}

// WorkingDaysBetween returns the number of working days in (from, to]: from
// excluded, to included; 0 when to is not after from. For a late register it is the
// number of working days late (from = due date, to = received date).
func (c *Calendar) WorkingDaysBetween(from, to civil.Date) int {
	n := 0
	for d := from + 1; d <= to; d++ {
		if c.IsWorking(d) {
			n++
		}
	}
	return n
}
