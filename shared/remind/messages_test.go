package remind

import (
	"strings"
	"testing"

	"github.com/qoldau/qoldau/shared/civil"
)

func TestDueNoticeSaysWorkingDaysLeft(t *testing.T) {
	for _, tt := range []struct {
		left   int
		en, ru string
	}{
		{3, "in 3 working days", "через 3 рабочих дня"},
		{2, "in 2 working days", "через 2 рабочих дня"},
		{1, "in 1 working day", "через 1 рабочий день"},
		{5, "in 5 working days", "через 5 рабочих дней"},
		{0, "today", "сегодня"},
	} {
		n := dueNotice(civil.MonthOf(2026, 11), civil.D(2026, 12, 1), "d-3", tt.left)
		if !strings.HasSuffix(n.Subject.EN, tt.en) || !strings.HasSuffix(n.Subject.RU, tt.ru) {
			t.Errorf("%d left: %q / %q", tt.left, n.Subject.EN, n.Subject.RU)
		}
	}
}
