package qoldau

import (
	"strings"
	"testing"
	"time"
)

func TestCheckText(t *testing.T) {
	for _, s := range []string{"Айгерім Сәрсенова", "07-1/245", "a@example.kz", "№ 5"} {
		if err := CheckText("name", s, 100); err != nil {
			t.Errorf("%q: %v", s, err)
		}
	}
	for _, s := range []string{"a\x00b", "a\x07", "line\nbreak", "tab\t", "\xff\xfe", "a\u202Eb", "esc\x1b[31m", strings.Repeat("я", 51)} {
		if err := CheckText("name", s, 100); CodeOf(err) != Invalid {
			t.Errorf("%q: %v, want invalid", s, err)
		}
	}
	if got := PrintableText("r\x00e\xffport\n.xlsx", 255); CheckText("f", strings.ReplaceAll(got, "\uFFFD", "?"), 255) != nil || !strings.HasSuffix(got, ".xlsx") {
		t.Errorf("PrintableText = %q", got)
	}
	if got := PrintableText(strings.Repeat("я", 10), 5); got != "яя" {
		t.Errorf("PrintableText cut = %q", got)
	}
}

func TestCheckTime(t *testing.T) {
	now := time.Date(2026, 10, 5, 10, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		t  time.Time
		ok bool
	}{
		{now, true}, {now.Add(Skew), true}, {Epoch, true},
		{now.Add(Skew + time.Second), false}, {Epoch.Add(-time.Second), false},
		{time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC), false}, {time.Time{}, false},
	} {
		if err := CheckTime("at", tt.t, now); (err == nil) != tt.ok {
			t.Errorf("CheckTime(%v) = %v, want ok %v", tt.t, err, tt.ok)
		}
	}
	if CheckClock(time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)) == nil || CheckClock(now) != nil {
		t.Error("CheckClock")
	}
}
