package leads

import (
	"slices"
	"strings"
	"unicode"

	"github.com/qoldau/qoldau/shared/register"
)

// Names: the same person is written many ways. Two names are taken for one person
// ("compatible") when, after the client key's normalisation (case, Ё/Е, Latin
// look-alikes; register.ClientNameKey) and a transliteration of both scripts to
// one Latin skeleton (so Қ and К, Ө and О, a name typed in Latin and in Cyrillic
// meet), every word of the shorter name matches its own word of the longer one:
// the same word, an initial of it, or the same word with one letter typed wrong
// (words of six letters or more in the skeleton: Ержан and Ерлан are two names). Patronymics (…ұлы, …қызы, …ович, …овна) match
// only patronymics. At least one word must match in full. So "Ахметов Ержан
// Болатұлы", "АХМЕТОВ ЕРЖАН", "Ахметов Е Б" and "Akhmetov Yerzhan" are one person;
// "Ахметов Ержан" and "Ахметова Айгерім" are two.

// skeleton is a name as words of the Latin skeleton.
type skeleton []string

// translit maps the upper-case Cyrillic (with the Kazakh letters) to Latin.
var translit = map[rune]string{
	'А': "A", 'Ә': "A", 'Б': "B", 'В': "V", 'Г': "G", 'Ғ': "G", 'Д': "D", 'Е': "E", 'Ё': "E", 'Ж': "ZH",
	'З': "Z", 'И': "I", 'Й': "I", 'І': "I", 'К': "K", 'Қ': "K", 'Л': "L", 'М': "M", 'Н': "N", 'Ң': "N",
	'О': "O", 'Ө': "O", 'П': "P", 'Р': "R", 'С': "S", 'Т': "T", 'У': "U", 'Ұ': "U", 'Ү': "U", 'Ф': "F",
	'Х': "KH", 'Һ': "KH", 'Ц': "TS", 'Ч': "CH", 'Ш': "SH", 'Щ': "SH", 'Ъ': "", 'Ы': "Y", 'Ь': "", 'Э': "E",
	'Ю': "YU", 'Я': "YA",
}

// latinFold folds Latin spellings of the same sounds: H and KH (Ahmetov,
// Akhmetov), YE and E (Yerzhan, Erzhan), Y and I, J and ZH (Jandos, Zhandos), C
// and K, W and V, Q and K.
var latinFold = strings.NewReplacer("KH", "H", "ZH", "J", "YE", "E", "C", "K", "Y", "I", "W", "V", "Q", "K")

// patronymic suffixes in the skeleton, longest first.
var patronymicEnds = []string{"OVICH", "EVICH", "OVNA", "EVNA", "ULY", "UGLY", "KYZY", "KIZI", "ICH", "INICHNA"}

// skeletonOf returns the skeleton of a person's name.
func skeletonOf(name string) skeleton {
	key := register.ClientNameKey(name)
	var words skeleton
	for _, w := range strings.Fields(key) {
		var b strings.Builder
		letters := 0
		for _, r := range w {
			letters++
			if t, ok := translit[r]; ok {
				b.WriteString(t)
			} else if r < unicode.MaxASCII {
				b.WriteRune(r)
			} else {
				b.WriteRune(unicode.ToUpper(r))
			}
		}
		s := latinFold.Replace(b.String())
		if letters == 1 {
			s += "." // an initial (Ю gives two Latin letters: still one initial)
		} else {
			for _, end := range patronymicEnds {
				folded := latinFold.Replace(end)
				if len(s) > len(folded)+2 && strings.HasSuffix(s, folded) {
					s = strings.TrimSuffix(s, folded) + "^" // a patronymic: its root, marked
					break
				}
			}
		}
		if s != "" && s != "." {
			words = append(words, s)
		}
	}
	return words
}

// wordMatch tells how two words of skeletons match: 2 in full, 1 as an initial, 0
// not at all.
func wordMatch(a, b string) int {
	ia, ib := strings.HasSuffix(a, "."), strings.HasSuffix(b, ".")
	if a == b {
		if ia {
			return 1
		}
		return 2
	}
	pa, pb := strings.HasSuffix(a, "^"), strings.HasSuffix(b, "^")
	ra, rb := strings.TrimRight(a, ".^"), strings.TrimRight(b, ".^")
	// An initial matches any word (a patronymic too) that starts with it.
	if ia && !ib && strings.HasPrefix(rb, ra) || ib && !ia && strings.HasPrefix(ra, rb) {
		return 1
	}
	if ia || ib || pa != pb {
		return 0
	}
	if len(ra) >= 6 && len(rb) >= 6 && oneEdit(ra, rb) {
		return 2
	}
	return 0
}

// oneEdit reports whether a and b differ by at most one insertion, deletion,
// substitution or swap of neighbours.
func oneEdit(a, b string) bool {
	if len(a) > len(b) {
		a, b = b, a
	}
	if len(b)-len(a) > 1 {
		return false
	}
	i := 0
	for i < len(a) && a[i] == b[i] {
		i++
	}
	if i == len(a) {
		return true
	}
	if len(a) == len(b) {
		if a[i+1:] == b[i+1:] {
			return true
		}
		return i+1 < len(a) && a[i] == b[i+1] && a[i+1] == b[i] && a[i+2:] == b[i+2:]
	}
	return a[i:] == b[i+1:]
}

// compatible reports whether two skeletons can name one person.
func compatible(a, b skeleton) bool {
	if len(a) > len(b) {
		a, b = b, a
	}
	if len(a) == 0 {
		return false
	}
	used := make([]bool, len(b))
	var try func(i int, full bool) bool
	try = func(i int, full bool) bool {
		if i == len(a) {
			return full
		}
		for j := range b {
			if used[j] {
				continue
			}
			if m := wordMatch(a[i], b[j]); m > 0 {
				used[j] = true
				ok := try(i+1, full || m == 2)
				used[j] = false
				if ok {
					return true
				}
			}
		}
		return false
	}
	return try(0, false)
}

// distinct picks from people (each a birth date, or 0 when it does not matter,
// and a skeleton) a largest-first set of people no two of whom can be one person,
// and returns their indexes: the fullest names first, each kept when it is
// compatible with none kept before.
func distinct(n int, birth func(i int) int32, sk func(i int) skeleton) []int {
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(x, y int) int {
		return len(sk(y)) - len(sk(x))
	})
	var kept []int
	for _, i := range order {
		same := false
		for _, k := range kept {
			if birth(i) == birth(k) && compatible(sk(i), sk(k)) {
				same = true
				break
			}
		}
		if !same {
			kept = append(kept, i)
		}
	}
	slices.Sort(kept)
	return kept
}
