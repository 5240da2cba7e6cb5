package workday

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/refdata"
)

func d(y int, m time.Month, day int) civil.Date { return civil.D(y, m, day) }

func TestIsWorking(t *testing.T) {
	c := Default()
	tests := []struct {
		name string
		date civil.Date
		want bool
	}{
		{"ordinary Monday", d(2025, time.January, 13), true},
		{"ordinary Saturday", d(2025, time.January, 11), false},
		{"ordinary Sunday", d(2025, time.January, 12), false},
		{"New Year holiday", d(2025, time.January, 1), false},
		{"second New Year holiday", d(2025, time.January, 2), false},
		{"transfer_off Friday", d(2025, time.January, 3), false},
		{"Saturday before the transfer_work Sunday", d(2025, time.January, 4), false},
		{"transfer_work Sunday", d(2025, time.January, 5), true},
		{"Monday after", d(2025, time.January, 6), true},
		{"Orthodox Christmas on a Tuesday", d(2025, time.January, 7), false},
		{"moved: Women's Day from Saturday to Monday", d(2025, time.March, 10), false},
		{"moved: Nauryz 2025", d(2025, time.March, 24), false},
		{"moved: Nauryz 2025 second", d(2025, time.March, 25), false},
		{"after Nauryz 2025", d(2025, time.March, 26), true},
		{"moved: Constitution Day 2025", d(2025, time.September, 1), false},
		{"Constitution Day 2025 itself (Saturday)", d(2025, time.August, 30), false},
		{"no Constitution Day in 2026 (Sunday 30 August, Monday working)", d(2026, time.August, 31), true},
		{"Constitution Day 15 March 2027 (Monday)", d(2027, time.March, 15), false},
		{"Kurban Ait 2025 (Friday)", d(2025, time.June, 6), false},
		{"Republic Day moved 2025", d(2025, time.October, 27), false},
		{"7 January 2024 on Sunday: Monday 8 January is working", d(2024, time.January, 8), true},
		{"7 January 2023 on Saturday: Monday 9 January is working", d(2023, time.January, 9), true},
		{"Kurban Ait 2024 on Sunday: Monday 17 June is working", d(2024, time.June, 17), true},
		{"Kurban Ait 2022 on Saturday: Monday 11 July is working", d(2022, time.July, 11), true},
		{"transfer_work Saturday 2024-05-04", d(2024, time.May, 4), true},
		{"transfer_off Wednesday 2024-05-08", d(2024, time.May, 8), false},
		{"outside the calendar: weekday", d(2031, time.January, 1), true},
		{"outside the calendar: weekend", d(2031, time.January, 4), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := c.IsWorking(tt.date); got != tt.want {
				t.Errorf("IsWorking(%v, %v) = %v, want %v", tt.date, tt.date.Weekday(), got, tt.want)
			}
		})
	}
}

// TestNeverMoved checks that 7 January and Kurban Ait on a weekend produce no
// moved day: the first working day after them is the next Monday.
func TestNeverMoved(t *testing.T) {
	c := Default()
	for _, day := range refdata.Default().Days() {
		if day.Kind == refdata.Moved && (strings.Contains(day.Name, "Christmas") || strings.Contains(day.Name, "Kurban")) {
			t.Errorf("%v: moved day for %q", day.Date, day.Name)
		}
	}
	var weekend int
	for _, day := range refdata.Default().Days() {
		if day.Name != "Orthodox Christmas" && day.Name != "Kurban Ait" {
			continue
		}
		if wd := day.Date.Weekday(); wd == time.Saturday || wd == time.Sunday {
			weekend++
			monday := day.Date + civil.Date((8-int(wd))%7)
			if !c.IsWorking(monday) {
				t.Errorf("%s on %v (%v), but Monday %v is not working", day.Name, day.Date, wd, monday)
			}
		}
	}
	if weekend < 4 {
		t.Errorf("only %d weekend 7 January / Kurban Ait days in the calendar; the test checks too little", weekend)
	}
}

func TestNextWorking(t *testing.T) {
	c := Default()
	tests := []struct {
		name string
		in   civil.Date
		want civil.Date
	}{
		// The December 2024 register is due 1 January 2025: 1-2 January holidays,
		// 3 January a transfer_off, Saturday 4 off, Sunday 5 January a working day
		// by decree.
		{"December 2024 register due 1 January 2025", d(2025, time.January, 1), d(2025, time.January, 5)},
		{"a working day is itself", d(2025, time.January, 5), d(2025, time.January, 5)},
		{"ordinary weekday", d(2025, time.February, 3), d(2025, time.February, 3)},
		{"Saturday to Monday", d(2025, time.February, 1), d(2025, time.February, 3)},
		{"March 2025 register due 1 April (Tuesday)", d(2025, time.April, 1), d(2025, time.April, 1)},
		{"February 2025 register due 1 March (Saturday): past moved Women's Day", d(2025, time.March, 8), d(2025, time.March, 11)},
		{"Nauryz 2025 with moved days", d(2025, time.March, 21), d(2025, time.March, 26)},
		{"2023 New Year: 1 January Sunday, moved 3 January", d(2023, time.January, 1), d(2023, time.January, 4)},
		{"2022 New Year on a weekend: moved 3 and 4 January", d(2022, time.January, 1), d(2022, time.January, 5)},
		{"2020 New Year: 3 January transfer_off", d(2020, time.January, 1), d(2020, time.January, 5)},
		{"June 2024 register due 1 July (Monday)", d(2024, time.July, 1), d(2024, time.July, 1)},
		{"Capital Day 2024 (Saturday) moved to Monday 8 July", d(2024, time.July, 6), d(2024, time.July, 9)},
		{"7 January 2024 (Sunday) not moved", d(2024, time.January, 7), d(2024, time.January, 8)},
		{"Kurban Ait 2024 (Sunday) not moved", d(2024, time.June, 16), d(2024, time.June, 17)},
		{"Independence Day 2023 (Saturday) moved to Monday 18", d(2023, time.December, 16), d(2023, time.December, 19)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := c.NextWorking(tt.in); got != tt.want {
				t.Errorf("NextWorking(%v) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

func TestAddWorking(t *testing.T) {
	c := Default()
	tests := []struct {
		name string
		in   civil.Date
		n    int
		want civil.Date
	}{
		{"zero is the day itself", d(2025, time.January, 1), 0, d(2025, time.January, 1)},
		{"zero on a weekend is the day itself", d(2025, time.February, 1), 0, d(2025, time.February, 1)},
		{"next day", d(2025, time.February, 3), 1, d(2025, time.February, 4)},
		{"Friday + 1 across the weekend", d(2025, time.February, 7), 1, d(2025, time.February, 10)},
		{"Thursday + 3 across the weekend", d(2025, time.February, 6), 3, d(2025, time.February, 11)},
		{"Saturday + 1", d(2025, time.February, 8), 1, d(2025, time.February, 10)},
		{"across a weekend and moved Women's Day", d(2025, time.March, 7), 1, d(2025, time.March, 11)},
		{"3 working days from Thursday before Nauryz 2025", d(2025, time.March, 20), 3, d(2025, time.March, 28)},
		{"New Year 2025: 1 working day from 31 December is Sunday 5 January", d(2024, time.December, 31), 1, d(2025, time.January, 5)},
		{"New Year 2025: 3 working days from 31 December", d(2024, time.December, 31), 3, d(2025, time.January, 8)},
		{"letter on Friday 3 May 2024, correction by", d(2024, time.May, 3), 3, d(2024, time.May, 10)},
		{"back one from Monday", d(2025, time.February, 10), -1, d(2025, time.February, 7)},
		{"back across holidays to transfer_work Sunday", d(2025, time.January, 6), -1, d(2025, time.January, 5)},
		{"back two across holidays", d(2025, time.January, 6), -2, d(2024, time.December, 31)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := c.AddWorking(tt.in, tt.n); got != tt.want {
				t.Errorf("AddWorking(%v, %d) = %v, want %v", tt.in, tt.n, got, tt.want)
			}
		})
	}
}

func TestWorkingDaysBetween(t *testing.T) {
	c := Default()
	tests := []struct {
		name     string
		from, to civil.Date
		want     int
	}{
		{"same day", d(2025, time.February, 3), d(2025, time.February, 3), 0},
		{"to before from", d(2025, time.February, 5), d(2025, time.February, 3), 0},
		{"next day", d(2025, time.February, 3), d(2025, time.February, 4), 1},
		{"a full week", d(2025, time.February, 2), d(2025, time.February, 9), 5},
		{"Friday to Monday", d(2025, time.February, 7), d(2025, time.February, 10), 1},
		{"due 5 January 2025, received 9 January", d(2025, time.January, 5), d(2025, time.January, 9), 3},
		{"1 to 6 January 2025: only the transfer_work Sunday and Monday", d(2025, time.January, 1), d(2025, time.January, 6), 2},
		{"March 2025 with moved days", d(2025, time.February, 28), d(2025, time.March, 31), 17},
		{"received on a weekend after a Friday due date", d(2025, time.February, 7), d(2025, time.February, 8), 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := c.WorkingDaysBetween(tt.from, tt.to); got != tt.want {
				t.Errorf("WorkingDaysBetween(%v, %v) = %d, want %d", tt.from, tt.to, got, tt.want)
			}
		})
	}
}

// TestAddAndBetween checks that AddWorking and WorkingDaysBetween agree.
func TestAddAndBetween(t *testing.T) {
	c := Default()
	for from := d(2024, time.December, 20); from < d(2025, time.February, 1); from++ {
		for n := 0; n <= 10; n++ {
			to := c.AddWorking(from, n)
			if got := c.WorkingDaysBetween(from, to); got != n {
				t.Fatalf("WorkingDaysBetween(%v, AddWorking(%v, %d) = %v) = %d", from, from, n, to, got)
			}
			if n > 0 && !c.IsWorking(to) {
				t.Fatalf("AddWorking(%v, %d) = %v is not a working day", from, n, to)
			}
		}
	}
}

func TestCovers(t *testing.T) {
	c := Default()
	var got []int
	for y := 2015; y <= 2030; y++ {
		if c.Covers(y) {
			got = append(got, y)
		}
	}
	want := []int{2019, 2020, 2021, 2022, 2023, 2024, 2025, 2026, 2027}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("covered years mismatch (-want +got):\n%s", diff)
	}
}

func TestNew(t *testing.T) {
	c := New([]refdata.Day{
		{Date: d(2030, time.January, 1), Kind: refdata.Holiday, Name: "New Year"},
		{Date: d(2030, time.January, 5), Kind: refdata.TransferWork},
		{Date: d(2030, time.January, 4), Kind: refdata.TransferOff},
	})
	got := []bool{
		c.IsWorking(d(2030, time.January, 1)), // Tuesday holiday
		c.IsWorking(d(2030, time.January, 2)), // Wednesday
		c.IsWorking(d(2030, time.January, 4)), // Friday transfer_off
		c.IsWorking(d(2030, time.January, 5)), // Saturday transfer_work
		c.IsWorking(d(2030, time.January, 6)), // Sunday
		c.Covers(2030), c.Covers(2031),
	}
	want := []bool{false, true, false, true, false, true, false}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}
	if got, want := New(nil).NextWorking(d(2030, time.January, 5)), d(2030, time.January, 7); got != want {
		t.Errorf("empty calendar NextWorking = %v, want %v", got, want)
	}
}

func TestAlmaty(t *testing.T) {
	loc := Almaty()
	if loc.String() != "Asia/Almaty" {
		t.Errorf("Almaty() = %q, want Asia/Almaty", loc)
	}
	tests := []struct {
		name   string
		utc    time.Time
		offset int // hours
		date   civil.Date
	}{
		{"2023 summer is UTC+6", time.Date(2023, time.July, 1, 12, 0, 0, 0, time.UTC), 6, d(2023, time.July, 1)},
		{"last hour of February 2024 (UTC+6)", time.Date(2024, time.February, 29, 17, 59, 0, 0, time.UTC), 6, d(2024, time.February, 29)},
		{"18:00 UTC 29 February 2024: clocks go back from 00:00 +06 to 23:00 +05 on 29 February", time.Date(2024, time.February, 29, 18, 0, 0, 0, time.UTC), 5, d(2024, time.February, 29)},
		{"19:00 UTC 29 February 2024 is 1 March UTC+5", time.Date(2024, time.February, 29, 19, 0, 0, 0, time.UTC), 5, d(2024, time.March, 1)},
		{"2025 is UTC+5", time.Date(2025, time.January, 15, 12, 0, 0, 0, time.UTC), 5, d(2025, time.January, 15)},
		{"18:30 UTC on 31 December 2024 is still 31 December (23:30 local)", time.Date(2024, time.December, 31, 18, 30, 0, 0, time.UTC), 5, d(2024, time.December, 31)},
		{"19:30 UTC on 31 December 2024 is 1 January 2025", time.Date(2024, time.December, 31, 19, 30, 0, 0, time.UTC), 5, d(2025, time.January, 1)},
		{"18:30 UTC on 31 December 2023 is 1 January 2024 (UTC+6)", time.Date(2023, time.December, 31, 18, 30, 0, 0, time.UTC), 6, d(2024, time.January, 1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, off := tt.utc.In(loc).Zone()
			if off != tt.offset*3600 {
				t.Errorf("offset at %v = %d s, want %d h", tt.utc, off, tt.offset)
			}
			if got := Today(tt.utc); got != tt.date {
				t.Errorf("Today(%v) = %v, want %v", tt.utc, got, tt.date)
			}
		})
	}
}

func TestEndOf(t *testing.T) {
	tests := []struct {
		date civil.Date
		want time.Time // in UTC
	}{
		{d(2024, time.January, 10), time.Date(2024, time.January, 10, 17, 59, 59, 999999999, time.UTC)},
		// The switch to UTC+5 repeats the last hour of 29 February 2024: the day ends
		// at 23:59:59 +05.
		{d(2024, time.February, 29), time.Date(2024, time.February, 29, 18, 59, 59, 999999999, time.UTC)},
		{d(2024, time.February, 28), time.Date(2024, time.February, 28, 17, 59, 59, 999999999, time.UTC)},
		{d(2024, time.March, 1), time.Date(2024, time.March, 1, 18, 59, 59, 999999999, time.UTC)},
		{d(2025, time.January, 5), time.Date(2025, time.January, 5, 18, 59, 59, 999999999, time.UTC)},
	}
	for _, tt := range tests {
		t.Run(tt.date.String(), func(t *testing.T) {
			got := EndOf(tt.date)
			if !got.Equal(tt.want) {
				t.Errorf("EndOf(%v) = %v, want %v", tt.date, got.UTC(), tt.want)
			}
			if Today(got) != tt.date {
				t.Errorf("Today(EndOf(%v)) = %v", tt.date, Today(got))
			}
			if next := got.Add(time.Nanosecond); Today(next) != tt.date+1 {
				t.Errorf("one nanosecond after EndOf(%v) is %v, want the next day", tt.date, Today(next))
			}
		})
	}
}

func BenchmarkIsWorking(b *testing.B) {
	c := Default()
	day := d(2025, time.January, 1)
	for b.Loop() {
		c.IsWorking(day)
	}
}
