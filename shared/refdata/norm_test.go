package refdata

import (
	"strings"
	"testing"
)

func TestNorm(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"", ""},
		{"ip", "ip"},
		{"110000000", "110000000"},
		{"  LLP  ", "llp"},
		{"Service_Center", "service center"},
		{"e-mail", "e mail"},
		{"a,,b;;c", "a b c"},
		{"Region /city of the republican\nsignificance", "region city of the republican significance"},
		{"\t\r\n", ""},
		{"---", ""},
		{"Ёлка ЁЖ", "елка еж"},
		{"Карагандинская обл.", "карагандинская обл"},
		{"г.Алматы", "г алматы"},
		{"  г. Алматы  ", "г алматы"},
		{"Нұр-Сұлтан", "нұр сұлтан"},
		{"ҚАРАҒАНДЫ ОБЛЫСЫ", "қарағанды облысы"},
		{"ӘҒҚҢӨҰҮҺІ", "әғқңөұүһі"},
		{"ИП(С)", "ип с"},
		{"Крестьянское (фермерское) хозяйство (КХ, ФХ)", "крестьянское фермерское хозяйство кх фх"},
		{"non\u00a0breaking\u202fspace", "non breaking space"},
		{"zero\u200bwidth", "zerowidth"},
		{"soft\u00adhyphen", "softhyphen"},
		{"\ufeffBOM", "bom"},
		{"«Кавычки» — тире", "кавычки тире"},
		{"№ п/п", "п п"},
		{"C++ & C#", "c c"},
		{"е\u0308лка", "елка"},         // decomposed ё
		{"и\u0306од", "йод"},           // decomposed й
		{"Almaty city", "almaty city"}, // already ASCII lower except one capital
		{"mixed Latin и кириллица", "mixed latin и кириллица"},
		{"invalid \xff utf8", "invalid utf8"},
		{"12 345,67", "12 345 67"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := Norm(tt.in); got != tt.want {
				t.Errorf("Norm(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if again := Norm(Norm(tt.in)); again != tt.want {
				t.Errorf("Norm is not idempotent on %q: %q", tt.in, again)
			}
		})
	}
}

func TestNormAllocations(t *testing.T) {
	tests := []struct {
		in   string
		want float64
	}{
		{"service center", 0},
		{"110000000", 0},
		{"Service Center", 1},
		{"Карагандинская область", 1},
	}
	for _, tt := range tests {
		if got := testing.AllocsPerRun(100, func() { Norm(tt.in) }); got > tt.want {
			t.Errorf("Norm(%q) allocates %v times, want at most %v", tt.in, got, tt.want)
		}
	}
}

func TestAfterWords(t *testing.T) {
	tests := []struct {
		in   string
		n    int
		want string
	}{
		{"ЦОП г. Караганда", 1, " г. Караганда"},
		{"ЦОП", 1, ""},
		{"ЦПП района Бурабай", 2, " Бурабай"},
		{"  ЦОП, г. Караганда", 1, ", г. Караганда"},
		{"Ц\u200bОП г. Караганда", 1, " г. Караганда"},
		{"онлайн-режим", 1, "-режим"},
		{"онлайн-режим", 2, ""},
		{"a b", 0, "a b"},
	}
	for _, tt := range tests {
		if got := afterWords(tt.in, tt.n); got != tt.want {
			t.Errorf("afterWords(%q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
		}
	}
}

func BenchmarkNorm(b *testing.B) {
	inputs := []string{"Карагандинская область", "ЦОП г. Караганда", "llp", "Individual entrepreneur", strings.Repeat("Ж", 40)}
	for b.Loop() {
		for _, s := range inputs {
			Norm(s)
		}
	}
}
