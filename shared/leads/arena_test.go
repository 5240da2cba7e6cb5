package leads

import (
	"strings"
	"testing"
)

func TestArenaKeepsEveryString(t *testing.T) {
	names := []string{"", "Ахметов Ержан Болатұлы", "ӘБІЛҚАСЫМОВА ҒАЛИЯ ҢҮҰҺӨ", "Akhmetov Yerzhan", "Ёлкин Е.Б.",
		"Müller Zoë", "Ли 李小龍 🙂", "bad \xff\xfe byte \xd0", "\xd0\x90\xd0", "U+FFFD \ufffd", "Ѐѐџ Ґ ґ Ӏ",
		strings.Repeat("Қ", 700_000), "after the long one"}
	var a arena
	var ids []uint32
	var want []string
	for i := range 100_000 { // several chunks, one of them the long name's own
		s := names[i%len(names)]
		if len(s) > 1000 && i >= len(names) {
			s = names[1]
		}
		ids, want = append(ids, a.add(s)), append(want, s)
	}
	for i, id := range ids {
		if got := a.get(id); got != want[i] {
			t.Fatalf("string %d: got %.40q, want %.40q", i, got, want[i])
		}
	}
	if len(a.chunks) < 2 {
		t.Fatalf("%d chunks: the test does not cross a chunk", len(a.chunks))
	}
	for i, id := range ids[:len(names)] {
		if got := a.get(id); got != names[i] {
			t.Fatalf("string %d read back later: got %.40q, want %.40q", i, got, names[i])
		}
		for j, jd := range ids[:len(names)] {
			if a.eq(id, jd) != (names[i] == names[j]) {
				t.Errorf("eq(%.20q, %.20q) = %v", names[i], names[j], a.eq(id, jd))
			}
		}
	}
	if n := len(pack(nil, "Ахметов Ержан Болатұлы")); n != len([]rune("Ахметов Ержан Болатұлы")) {
		t.Errorf("a Kazakh name packs in %d bytes, want one a letter", n)
	}
}

func TestRecPacksIDs(t *testing.T) {
	for _, c := range []struct {
		bin, mobile uint64
		iin         bool
	}{{0, 0, false}, {999_999_999_999, 9_999_999_999, true}, {870412300123, 7012345678, true}, {123456789012, 0, false}} {
		var x rec
		x.setIDs(c.bin, c.iin, c.mobile)
		if x.bin() != c.bin || x.mobile() != c.mobile || x.isIIN() != c.iin {
			t.Errorf("%+v read back as %d, %d, %v", c, x.bin(), x.mobile(), x.isIIN())
		}
	}
}
