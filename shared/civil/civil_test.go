package civil

import (
	"testing"
	"time"
)

func TestExcelSerials(t *testing.T) {
	tests := []struct {
		serial   int
		date1904 bool
		want     string
		ok       bool
	}{
		{1, false, "1900-01-01", true},
		{59, false, "1900-02-28", true},
		{60, false, "", false}, // Excel's fictitious 1900-02-29
		{61, false, "1900-03-01", true},
		{46302, false, "2026-10-07", true},
		{73050, false, "2099-12-31", true},
		{0, false, "", false},
		{0, true, "1904-01-01", true},
		{44840, true, "2026-10-07", true},
	}
	for _, tt := range tests {
		d, ok := FromExcel(tt.serial, tt.date1904)
		if ok != tt.ok || (ok && d.String() != tt.want) {
			t.Errorf("FromExcel(%d, %v) = %v %v, want %s %v", tt.serial, tt.date1904, d, ok, tt.want, tt.ok)
		}
		if ok && !tt.date1904 && d.Excel() != tt.serial {
			t.Errorf("%v.Excel() = %d, want %d", d, d.Excel(), tt.serial)
		}
	}
}

func TestDates(t *testing.T) {
	for _, tt := range []struct {
		y    int
		m    time.Month
		d    int
		iso  string
		week time.Weekday
	}{
		{1970, 1, 1, "1970-01-01", time.Thursday},
		{1969, 12, 31, "1969-12-31", time.Wednesday},
		{2024, 2, 29, "2024-02-29", time.Thursday},
		{2025, 1, 5, "2025-01-05", time.Sunday},
		{1900, 3, 1, "1900-03-01", time.Thursday},
	} {
		d := D(tt.y, tt.m, tt.d)
		if d.String() != tt.iso || d.Weekday() != tt.week {
			t.Errorf("D(%d,%d,%d) = %s %v, want %s %v", tt.y, tt.m, tt.d, d, d.Weekday(), tt.iso, tt.week)
		}
		if got := Of(time.Date(tt.y, tt.m, tt.d, 23, 0, 0, 0, time.UTC)); got != d {
			t.Errorf("Of = %v", got)
		}
		p, err := Parse(tt.iso)
		if err != nil || p != d {
			t.Errorf("Parse(%s) = %v %v", tt.iso, p, err)
		}
	}
	for _, bad := range []string{"2026-02-30", "26-01-01", "2026/01/01", ""} {
		if _, err := Parse(bad); err == nil {
			t.Errorf("Parse(%q) accepted", bad)
		}
	}
}

func TestYearsBetween(t *testing.T) {
	for _, tt := range []struct {
		birth, at Date
		want      int
	}{
		{D(1985, 5, 15), D(2026, 5, 14), 40},
		{D(1985, 5, 15), D(2026, 5, 15), 41},
		{D(2000, 2, 29), D(2026, 2, 28), 25},
		{D(2000, 2, 29), D(2026, 3, 1), 26},
	} {
		if got := YearsBetween(tt.birth, tt.at); got != tt.want {
			t.Errorf("YearsBetween(%v, %v) = %d, want %d", tt.birth, tt.at, got, tt.want)
		}
	}
}

func TestMonth(t *testing.T) {
	m, err := ParseMonth("2026-12")
	if err != nil || m.String() != "2026-12" || m.Add(1).String() != "2027-01" || m.Last() != D(2026, 12, 31) {
		t.Fatalf("month %v %v", m, err)
	}
	if !m.Contains(D(2026, 12, 1)) || m.Contains(D(2027, 1, 1)) {
		t.Error("Contains")
	}
	for _, bad := range []string{"2026-13", "2026-1", "26-01", "2026-00"} {
		if _, err := ParseMonth(bad); err == nil {
			t.Errorf("ParseMonth(%q) accepted", bad)
		}
	}
}
