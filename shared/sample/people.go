package sample

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/iin"
)

// Clients come from one fixed population: person i is the same person (name,
// birth date, IIN, mobile phone, e-mail) in every file, whatever the seed, so that
// the registers of several months share clients the way real ones do and never
// give one IIN or one phone to two different people by accident.
const (
	// population is the number of clients files draw from; planted patterns use
	// people beyond it, so they never meet a file's ordinary clients.
	population = 4_000_000
	// households: every householdEvery-th person shares the mobile phone of the
	// person before (a couple, a parent and child): two clients on one phone is
	// ordinary, three or more is an audit lead.
	householdEvery = 250
)

var (
	birthFirst = civil.D(1950, time.January, 1)
	birthDays  = civil.D(2005, time.January, 1).Sub(birthFirst)
	// mobileCodes are Kazakh mobile codes that phones are drawn from.
	mobileCodes = []string{"700", "701", "702", "705", "707", "708", "747", "771", "775", "776", "777", "778"}
)

// person is a client of the population (or a manager: then only name is used).
type person struct {
	idx    int
	name   string
	male   bool
	birth  civil.Date
	iin    string
	mobile uint64 // 10 digits after +7; 0: none
	email  string
	svc    int // the index of the service the person usually asks for
}

// personAt returns person i of the population. Birth dates run over 1950-2004 (ages
// 14 to 77 in the years the calendar covers); the IIN is unique by construction:
// i picks the birth date, the gender and a block of serial numbers of its own.
func personAt(i int, nServices int) person {
	r := rand.New(rand.NewPCG(uint64(i), 0x51ed270b27f1a5d3))
	day := i % birthDays
	male := (i/birthDays)%2 == 0
	block := i / (2 * birthDays)
	p := person{idx: i, male: male, birth: birthFirst.AddDays(day), name: personName(r, male)}
	p.iin = iinFor(p.birth, male, block)
	if r.IntN(25) > 0 {
		owner := i
		if i%householdEvery == 1 {
			owner = i - 1
		}
		p.mobile = mobileOf(owner)
	}
	if r.IntN(3) > 0 {
		p.email = emailOf(r, p.name)
	}
	if nServices > 0 {
		p.svc = r.IntN(nServices)
	}
	return p
}

// mobileOf is the phone of person i: a bijection of the index onto 12 codes × 10^7
// numbers, so no two people draw the same phone.
func mobileOf(i int) uint64 {
	const space = 120_000_000
	n := (uint64(i)*1_000_003 + 7_654_321) % space
	code := mobileCodes[n/10_000_000]
	var c uint64
	for _, d := range code {
		c = c*10 + uint64(d-'0')
	}
	return c*10_000_000 + n%10_000_000
}

// personName draws a Kazakh (two in three) or Russian full name.
func personName(r *rand.Rand, male bool) string {
	pick := func(xs []string) string { return xs[r.IntN(len(xs))] }
	var sur, first, pat string
	if r.IntN(3) > 0 {
		sur, first = pick(kzSurnames), pick(kzMale)
		father := pick(kzFathers)
		pat = father + "ұлы"
		if !male {
			sur, first, pat = female(sur), pick(kzFemale), father+"қызы"
		}
	} else {
		sur, first = pick(ruSurnames), pick(ruMale)
		father := pick(ruFathers)
		pat = ruPatronymic(father, male)
		if !male {
			sur, first = female(sur), pick(ruFemale)
		}
	}
	name := sur + " " + first
	if r.IntN(10) > 0 {
		name += " " + pat
	}
	return name
}

func female(s string) string {
	switch {
	case strings.HasSuffix(s, "ов"), strings.HasSuffix(s, "ев"), strings.HasSuffix(s, "ёв"), strings.HasSuffix(s, "ин"):
		return s + "а"
	}
	return s
}

func ruPatronymic(father string, male bool) string {
	base := father
	switch {
	case strings.HasSuffix(father, "й"):
		base = strings.TrimSuffix(father, "й")
		if male {
			return base + "евич"
		}
		return base + "евна"
	case father == "Пётр":
		base = "Петр"
	case father == "Павел":
		base = "Павл"
	case father == "Михаил":
		base = "Михайл"
	}
	if male {
		return base + "ович"
	}
	return base + "овна"
}

// iinFor makes the IIN of a person born on birth with serial numbers from block
// (20 serials each: one of them always has a valid check digit).
func iinFor(birth civil.Date, male bool, block int) string {
	y, m, d := birth.Date()
	c := 3
	if y >= 2000 {
		c = 5
	}
	if !male {
		c++
	}
	for j := 0; j < 20; j++ {
		s := fmt.Sprintf("%02d%02d%02d%d%04d", y%100, int(m), d, c, (block*20+j)%10000)
		if cd, ok := iin.Checksum(s); ok {
			return s + string(cd)
		}
	}
	panic("sample: no valid IIN in a block of 20 serials") // cannot happen: see the check-digit rule
}

var translit = strings.NewReplacer("а", "a", "б", "b", "в", "v", "г", "g", "д", "d", "е", "e", "ё", "e", "ж", "zh",
	"з", "z", "и", "i", "й", "i", "к", "k", "л", "l", "м", "m", "н", "n", "о", "o", "п", "p", "р", "r", "с", "s",
	"т", "t", "у", "u", "ф", "f", "х", "kh", "ц", "ts", "ч", "ch", "ш", "sh", "щ", "sh", "ы", "y", "э", "e", "ю", "yu",
	"я", "ya", "ә", "a", "ғ", "g", "қ", "k", "ң", "n", "ө", "o", "ұ", "u", "ү", "u", "һ", "h", "і", "i", "ь", "", "ъ", "")

func emailOf(r *rand.Rand, name string) string {
	parts := strings.Fields(strings.ToLower(name))
	user := translit.Replace(parts[0])
	if len(parts) > 1 {
		user = translit.Replace(parts[1])[:1] + "." + user
	}
	domains := []string{"mail.kz", "gmail.com", "mail.ru", "inbox.kz", "yandex.kz"}
	return fmt.Sprintf("%s%d@%s", user, r.IntN(1000), domains[r.IntN(len(domains))])
}

// kazakhPlain types a name without the Kazakh letters, as many keyboards do.
var kazakhPlain = strings.NewReplacer("Ә", "А", "ә", "а", "Ғ", "Г", "ғ", "г", "Қ", "К", "қ", "к", "Ң", "Н", "ң", "н",
	"Ө", "О", "ө", "о", "Ұ", "У", "ұ", "у", "Ү", "У", "ү", "у", "Һ", "Х", "һ", "х", "І", "И", "і", "и")

// latinLookalike puts Latin letters that look like Cyrillic ones in a name, as
// a mixed keyboard layout does.
var latinLookalike = strings.NewReplacer("а", "a", "о", "o", "е", "e", "с", "c", "р", "p", "А", "A", "О", "O", "Е", "E")

// variant writes a person's name the way another operator might: the same person (the
// client key's normalisation, docs/rules.md "Client identity", or initials tell), never
// another name.
func variant(r *rand.Rand, name string) string {
	switch r.IntN(6) {
	case 0: // without the patronymic
		if w := strings.Fields(name); len(w) == 3 {
			return w[0] + " " + w[1]
		}
		return strings.ToUpper(name)
	case 1:
		return strings.ToUpper(name)
	case 2:
		return kazakhPlain.Replace(name)
	case 3:
		return strings.ReplaceAll(name, "е", "ё")
	case 4: // the surname and initials (without dots: a name is letters and spaces)
		w := strings.Fields(name)
		for i := 1; i < len(w); i++ {
			w[i] = string([]rune(w[i])[:1])
		}
		return strings.Join(w, " ")
	}
	return latinLookalike.Replace(name)
}
