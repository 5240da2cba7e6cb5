package leads

import (
	"math/rand/v2"
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

// TestPackReadsBack: any bytes, UTF-8 or not, unpack to what was packed (so
// packed strings are equal only when the strings are).
func TestPackReadsBack(t *testing.T) {
	rng := rand.New(rand.NewPCG(14, 3))
	alphabet := []byte{'a', ' ', '.', 0x7f, 0x80, 0x90, 0xBF, 0xC0, 0xC2, 0xD0, 0xD1, 0xD2, 0xD3, 0xDF, 0xE0, 0xE2, 0xEF,
		0xF0, 0xF4, 0xFE, 0xFF, 0x9F, 0xA0, 0x92, 0x9A, 0xBA, 0x98, 0xA8, 0x81, 0x91}
	for range 200_000 {
		b := make([]byte, rng.IntN(12))
		for i := range b {
			b[i] = alphabet[rng.IntN(len(alphabet))]
		}
		if got := string(unpack(nil, pack(nil, string(b)))); got != string(b) {
			t.Fatalf("%q reads back as %q", b, got)
		}
	}
}
