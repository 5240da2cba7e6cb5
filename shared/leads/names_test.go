package leads

import "testing"

func TestCompatibleNames(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		want bool
	}{
		{"Ахметов Ержан Болатұлы", "Ахметов Ержан Болатұлы", true},
		{"Ахметов Ержан Болатұлы", "АХМЕТОВ ЕРЖАН", true},                    // case, no patronymic
		{"Ахметов Ержан Болатұлы", "Ахметов Е Б", true},                      // initials
		{"Ахметов Ержан Болатұлы", "Ахметов Ержан Болатулы", true},           // no Kazakh letters
		{"Қасымов Нұрлан", "Касымов Нурлан", true},                           // Қ/К, Ұ/У
		{"Фёдоров Андрей Иванович", "Федоров Андрей Иванович", true},         // Ё/Е
		{"Ахметов Ержан", "Aхмeтов Eржан", true},                             // Latin look-alikes
		{"Ахметов Ержан", "Akhmetov Erzhan", true},                           // Latin spelling
		{"Ахметов Ержан", "Ahmetov Yerzhan", true},                           // another Latin spelling
		{"Ахметов Ержан", "Ержан Ахметов", true},                             // word order
		{"Жумабаев Марат", "Жумабаев Марат Серікұлы", true},                  //
		{"Смирнов Андрей", "Смирнов Андрей Иванович", true},                  //
		{"Иванов Сергей", "Иванов Серегй", true},                             // two letters swapped
		{"Ахметов Ержан", "Ахметова Айгерім", false},                         // another person
		{"Ахметов Ержан Болатұлы", "Ахметов Ержан Серікұлы", false},          // another father
		{"Ахметов Ержан", "Омаров Ержан", false},                             // another surname
		{"Иванов Болат", "Иванов Ержан Болатович", false},                    // a patronymic is not a first name
		{"Иванов Иван", "Петров Пётр", false},                                //
		{"Ким Ольга", "Пак Ольга", false},                                    // short surnames need to match exactly
		{"Ахметов Е", "Ахметов Ержан Болатұлы", true},                        // initial only, one word in full
		{"Ткаченко Юлия Петровна", "Ткаченко Ю П", true},                     // Ю is one initial (two Latin letters)
		{"Шәкенов Жандос", "Шәкенов Ж", true},                                //
		{"Ахметов Е Б", "Ахметов Ерлан Болатұлы", true},                      //
		{"Ахметов Е Б", "Ахметов Е С", false},                                // two initials of different fathers
		{"Ахметов Ержан Болатұлы", "Ахметов Ерлан", false},                   // Ерлан is not Ержан
		{"Сейткали Айдос", "Сейткали Айдос Маратұлы", true},                  //
		{"Нұрпейісов Арман Асқарұлы", "НУРПЕЙИСОВ АРМАН АСКАРОВИЧ", true},    // …ұлы and …ович of one father
		{"Шевченко Наталья Олеговна", "Шевченко Наталя Олеговна", true},      // one letter
		{"Тулегенов Талгат Нурланович", "Тулегенов Талгат Маратович", false}, //
	} {
		got := compatible(skeletonOf(tt.a), skeletonOf(tt.b))
		if got != tt.want {
			t.Errorf("compatible(%q, %q) = %v, want %v (skeletons %q, %q)", tt.a, tt.b, got, tt.want, skeletonOf(tt.a), skeletonOf(tt.b))
		}
		if back := compatible(skeletonOf(tt.b), skeletonOf(tt.a)); back != got {
			t.Errorf("compatible is not symmetric for %q, %q", tt.a, tt.b)
		}
	}
}

func TestDistinct(t *testing.T) {
	names := []string{"Ахметов Е Б", "Ахметов Ержан Болатұлы", "АХМЕТОВ ЕРЖАН", "Омарова Айжан", "Omarova Aizhan"}
	sk := make([]skeleton, len(names))
	for i, n := range names {
		sk[i] = skeletonOf(n)
	}
	kept := distinct(len(names), func(int) int32 { return 0 }, func(i int) skeleton { return sk[i] })
	if len(kept) != 2 {
		t.Errorf("distinct people among %q: %v, want 2", names, kept)
	}
	// The same names with different birth dates are different people.
	kept = distinct(len(names), func(i int) int32 { return int32(i) }, func(i int) skeleton { return sk[i] })
	if len(kept) != len(names) {
		t.Errorf("by birth date: %v, want all", kept)
	}
}
