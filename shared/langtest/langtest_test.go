package langtest

import (
	"slices"
	"testing"
)

func TestEnglish(t *testing.T) {
	tests := []struct {
		text  string
		codes []string
		want  []string
	}{
		{"Есепке алынған жолдар: 5 340", nil, nil},
		{"реестр за июль 2026, версия 2: строк 3 000, rows 12", nil, []string{"rows"}},
		{"Ошибка: bin-iin-checksum в ячейке F7", nil, []string{"bin-iin-checksum"}},
		{"исход no_answer", nil, []string{"no_answer"}},
		{"услуга accounting", []string{"accounting"}, []string{"accounting"}},
		{"отправьте командой `qoldau letters send 2026-07-v1`", nil, nil},
		{"письмо 2026-07-v1 отправлено; файл /tmp/x/report-2026-Q3-ru.xlsx", nil, nil},
		{"Call-орталығы арқылы; Call-центр финансового агентства", nil, nil},
		{"Call centre", nil, []string{"Call", "centre"}},
		{"HMAC-SHA256 ключа; нет ни телефона, ни e-mail; Telegram", nil, nil},
		{"Register Total late", nil, []string{"Register", "Total", "late"}},
	}
	for _, tt := range tests {
		if got := English(tt.text, tt.codes...); !slices.Equal(got, tt.want) {
			t.Errorf("English(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}
