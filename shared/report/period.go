package report

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/qoldau"
	"github.com/qoldau/qoldau/shared/workday"
)

// Kinds of report period.
const (
	// KindQuarter is a scheduled quarterly report: YYYY-Q1..Q3 cover three months;
	// YYYY-Q4 covers October and November ("as of December 1").
	KindQuarter = "quarter"
	// KindAnnual is the scheduled annual report YYYY: January to November ("as of
	// December 1").
	KindAnnual = "annual"
	// KindRange is any range of months, YYYY-MM..YYYY-MM (or one month YYYY-MM):
	// built on request, never due.
	KindRange = "range"
)

// Period is what a report covers: a scheduled quarter or annual report, or a range
// of months.
type Period struct {
	// ID is the period as written on the command line and stored with a
	// submission: "2026-Q3", "2026", "2026-07..2026-09".
	ID      string
	Kind    string
	Year    int
	Quarter int // 1..4 for a quarter
	// From and To are the first and last month covered.
	From, To civil.Month
}

var msgBadPeriod = catalogue.Text("err.bad-period")

// ParsePeriod reads a period: YYYY-Qn, YYYY, YYYY-MM..YYYY-MM or YYYY-MM.
func ParsePeriod(s string) (Period, error) {
	s = strings.TrimSpace(s)
	bad := func() (Period, error) { return Period{}, qoldau.E(qoldau.Invalid, msgBadPeriod, nil) }
	switch {
	case strings.Contains(s, ".."):
		a, b, _ := strings.Cut(s, "..")
		from, err1 := civil.ParseMonth(a)
		to, err2 := civil.ParseMonth(b)
		if err1 != nil || err2 != nil || to < from {
			return bad()
		}
		return Period{ID: from.String() + ".." + to.String(), Kind: KindRange, Year: from.Year(), From: from, To: to}, nil
	case len(s) == 7 && (s[5] == 'Q' || s[5] == 'q') && s[4] == '-':
		y, err := strconv.Atoi(s[:4])
		q := int(s[6] - '0')
		if err != nil || y < 1900 || q < 1 || q > 4 {
			return bad()
		}
		return Quarter(y, q), nil
	case len(s) == 4:
		y, err := strconv.Atoi(s)
		if err != nil || y < 1900 {
			return bad()
		}
		return Annual(y), nil
	case len(s) == 7:
		m, err := civil.ParseMonth(s)
		if err != nil {
			return bad()
		}
		return Period{ID: m.String() + ".." + m.String(), Kind: KindRange, Year: m.Year(), From: m, To: m}, nil
	}
	return bad()
}

// Check returns an Invalid error unless the period lies in the domain's range at
// now: from January 2019 (qoldau.Epoch) to December of the current year. A request
// is checked when it is made, so a bad one is refused then, not after it queued.
func (p Period) Check(now time.Time) error {
	first := workday.Today(qoldau.Epoch).Month()
	last := civil.MonthOf(workday.Today(now).Year(), time.December)
	if p.From < first || p.To > last || p.To < p.From {
		return qoldau.E(qoldau.Invalid, catalogue.Text("err.period-range", "{first}", first.String(), "{last}", last.String()), nil)
	}
	return nil
}

// ParseAt reads a period (ParsePeriod) and checks it against the clock (Check).
func ParseAt(s string, now time.Time) (Period, error) {
	p, err := ParsePeriod(s)
	if err != nil {
		return p, err
	}
	return p, p.Check(now)
}

// Quarter returns the scheduled report for quarter q (1..4) of year y; the fourth
// covers October and November.
func Quarter(y, q int) Period {
	from := civil.MonthOf(y, time.Month(3*q-2))
	to := from.Add(2)
	if q == 4 {
		to = from.Add(1)
	}
	return Period{ID: fmt.Sprintf("%04d-Q%d", y, q), Kind: KindQuarter, Year: y, Quarter: q, From: from, To: to}
}

// Annual returns the scheduled annual report of year y: January to November.
func Annual(y int) Period {
	return Period{ID: fmt.Sprintf("%04d", y), Kind: KindAnnual, Year: y,
		From: civil.MonthOf(y, time.January), To: civil.MonthOf(y, time.November)}
}

// Scheduled lists the reports due for year y: the four quarters and the annual
// report, in order of due date (the fourth quarter and the annual report share one).
func Scheduled(y int) []Period {
	return []Period{Quarter(y, 1), Quarter(y, 2), Quarter(y, 3), Quarter(y, 4), Annual(y)}
}

// Scheduled reports whether the period is a report with a due date.
func (p Period) Scheduled() bool { return p.Kind == KindQuarter || p.Kind == KindAnnual }

// Due returns the due date of a scheduled report, moved to the next working day
// (docs/rules.md, "Schedule"): the 12th of the month after the quarter, December 10
// for the fourth quarter and the annual report. False for a range.
func (p Period) Due(cal *workday.Calendar) (civil.Date, bool) {
	var d civil.Date
	switch {
	case p.Kind == KindAnnual, p.Kind == KindQuarter && p.Quarter == 4:
		d = civil.D(p.Year, time.December, 10)
	case p.Kind == KindQuarter:
		d = civil.D(p.Year, time.Month(3*p.Quarter+1), 12)
	default:
		return 0, false
	}
	return cal.NextWorking(d), true
}

// Months returns the number of months covered.
func (p Period) Months() int { return int(p.To-p.From) + 1 }

// Previous returns the period the report compares itself with: the same quarter or
// annual report a period earlier (Q3 → Q2, Q1 → the previous year's Q4, 2026 →
// 2025), or the range of the same length just before a range.
func (p Period) Previous() Period {
	switch p.Kind {
	case KindQuarter:
		if p.Quarter == 1 {
			return Quarter(p.Year-1, 4)
		}
		return Quarter(p.Year, p.Quarter-1)
	case KindAnnual:
		return Annual(p.Year - 1)
	}
	n := p.Months()
	from, to := p.From.Add(-n), p.From.Add(-1)
	return Period{ID: from.String() + ".." + to.String(), Kind: KindRange, Year: from.Year(), From: from, To: to}
}

// AsOf returns the day "as of" which a fourth-quarter or annual report counts
// (December 1), or 0 for other periods.
func (p Period) AsOf() civil.Date {
	if p.Kind == KindAnnual || p.Kind == KindQuarter && p.Quarter == 4 {
		return civil.D(p.Year, time.December, 1)
	}
	return 0
}
