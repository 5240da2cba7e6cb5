// Package refdata holds the reference data of the product: the code lists a register
// is checked against (regions, OKED sections, legal forms, entrepreneur categories,
// places of service, the service catalogue), age brackets, Kazakh mobile codes and
// the working-day calendar. The facts come from public sources and ship as UTF-8 CSV
// files embedded in the binary (data/); an admin may replace any of them (Import,
// Load), and Export writes them all out for editing.
//
// # Files
//
// Every file has a header row; columns are found by name, so their order is free.
// Lists inside a cell (aliases) are separated by `|`. A file saved with `;` as the
// separator (Excel in a Russian locale) is read too.
//
//   - VERSION: one line, the version of the data set.
//   - regions.csv: code (KATO, 9 digits), kk, ru, en, aliases, valid_from, valid_to
//     (YYYY-MM-DD, empty = unbounded). The order of the rows is the report order.
//   - oked_sections.csv: code (A..U), divisions (`01-03`, `35`, or several such parts
//     separated by `|`), kk, ru, en, aliases. A division listed in no section does
//     not exist (04, 34, 40, 44, 48, 54, 57, 67, 76, 83, 89 by default).
//   - legal_forms.csv: code, kk, ru, en, aliases, iin (true if an IIN is allowed),
//     bin_residency (the fifth BIN digits allowed, e.g. `45`; empty = no BIN),
//     bin_type (the sixth BIN digits allowed; empty = any).
//   - categories.csv: code, kk, ru, en, aliases, smb (false for a large enterprise).
//   - places.csv: code, kk, ru, en, aliases, online.
//   - services.csv: code, kk, ru, en, aliases: the specialised service catalogue.
//   - service_subtypes.csv: service (a services.csv code), code, kk, ru, en, aliases;
//     empty by default.
//   - age_brackets.csv: label, min, max (empty max = open-ended, last row only):
//     the default 14-29, 30-39, 40-49, 50-59, 60+.
//   - age_brackets_youth35.csv: the same shape, the option where youth is 14-35 (the
//     law since 2023): 14-35, 36-39, 40-49, 50-59, 60+. See BracketsFor.
//   - mobile_codes.csv: code, three digits or a range such as `700-709`.
//   - calendar/YYYY.csv: date, kind (holiday, moved, transfer_off, transfer_work),
//     name: one file per year, 2019 to 2027 by default. Weekends are not listed.
//
// # Matching
//
// A code-list value matches an item by its code, any of its labels (kk, ru, en) or
// aliases, compared after Norm, so case, `ё`, spacing and punctuation never matter.
// A trailing group of abbreviations in brackets in a label (`Индивидуальный
// предприниматель (ИП)`, `Крестьянское (фермерское) хозяйство (КХ, ФХ)`) gives
// aliases too: each abbreviation, and the label without the group.
//
// Regions also match their short forms, derived from the labels and aliases: the
// name without `облысы` / `область` / `обл.` / `Region` / `oblast` or `қаласы` /
// `город` / `г.` / `қ.` / `city`, and the name with any one of those words before or
// after it (`Карагандинская обл.`, `г. Алматы`, `Алматы облысы`, `Астана`). Where a
// bare short name would fit both a city and a region, the city wins: a bare `Алматы`
// or `Almaty` is the city of Almaty (750000000), and the Almaty region needs its
// `облысы` / `обл.` / `область` / `Region`.
//
// Two items of one file that share a code, label or alias after Norm are an error on
// load; derived region short forms that two items share at the same rank are dropped.
package refdata

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/iin"
	"github.com/qoldau/qoldau/shared/qoldau"
)

// Item is one entry of a code list.
type Item struct {
	// Code is the stable code of the entry (stored, reported, never translated).
	Code string
	// Label is the entry's name in the three languages.
	Label qoldau.Text
	// Aliases are other names that match the entry: those of the data file, then
	// the abbreviations in brackets at the end of the labels. Do not modify.
	Aliases []string
}

// Region is a region or a city of republican significance; Code is its KATO code.
type Region struct {
	Item
	// From and To bound the dates the region exists, inclusive; 0 is unbounded.
	From, To civil.Date
}

// ValidAt reports whether the region exists on d.
func (r Region) ValidAt(d civil.Date) bool {
	return (r.From == 0 || d >= r.From) && (r.To == 0 || d <= r.To)
}

// Section is an OKED section; Code is its letter "A".."U".
type Section struct {
	Item
	// Divisions are the two-digit divisions of the section, ascending.
	Divisions []int
}

// Contains reports whether division div belongs to the section.
func (s Section) Contains(div int) bool {
	_, ok := slices.BinarySearch(s.Divisions, div)
	return ok
}

// LegalForm is a form of entity and the identifier it needs.
type LegalForm struct {
	Item
	// IIN is true when an IIN is allowed.
	IIN bool
	// BINResidency lists the fifth digits allowed in a BIN ("45", "6"); "" means no
	// BIN is allowed.
	BINResidency string
	// BINType lists the sixth digits allowed in a BIN ("3"); "" means any.
	BINType string
}

// Allows reports whether the number described by info (from iin.Parse) fits the
// form: an IIN where the form allows one, a BIN whose residency (d5) and entity type
// (d6) digits the form allows. A number of unknown kind fits no form.
func (f LegalForm) Allows(info iin.Info) bool {
	switch info.Kind {
	case iin.IIN:
		return f.IIN
	case iin.BIN:
		if f.BINResidency == "" || strings.IndexByte(f.BINResidency, info.Residency) < 0 {
			return false
		}
		return f.BINType == "" || strings.IndexByte(f.BINType, info.EntityType) >= 0
	}
	return false
}

// Category is an entrepreneur category.
type Category struct {
	Item
	// SMB is false for a large enterprise, which the SMB register must not hold.
	SMB bool
}

// Place is a type of place of service.
type Place struct {
	Item
	// Online is true for the place type of services rendered online.
	Online bool
}

// Service is an entry of the specialised service catalogue.
type Service struct {
	Item
	// Subtypes are the service's subtypes, when the catalogue lists them.
	Subtypes []Item
}

// Bracket is an age bracket: ages Min to Max inclusive; Max = 0 is open-ended
// ("60+").
type Bracket struct {
	Label    string
	Min, Max int
}

// Contains reports whether age falls in the bracket.
func (b Bracket) Contains(age int) bool {
	return age >= b.Min && (b.Max == 0 || age <= b.Max)
}

// Calendar day kinds.
const (
	Holiday      = "holiday"       // a non-working public holiday
	Moved        = "moved"         // a day off that replaces a holiday on a weekend
	TransferOff  = "transfer_off"  // a weekday made a day off by decree
	TransferWork = "transfer_work" // a Saturday or Sunday made a working day by decree
)

// Day is one entry of the working-day calendar.
type Day struct {
	Date civil.Date
	// Kind is Holiday, Moved, TransferOff or TransferWork.
	Kind string
	// Name says which holiday or transfer it is (English, informative).
	Name string
}

// Set is one version of the reference data. A Set never changes after it is built;
// it is safe for concurrent use.
type Set struct {
	// Version names the data set: the VERSION file, followed by "+" and a short
	// content hash when any data file differs from the embedded one.
	Version string

	files map[string][]byte // raw content of every file, for Export

	regions    []Region
	regionIdx  index
	sections   []Section
	sectionIdx index
	division   [100]int8 // section index of each division, -1 if none
	legal      []LegalForm
	legalIdx   index
	categories []Category
	categIdx   index
	places     []Place
	placeIdx   index
	placePfx   []prefix // place keys, longest first, for Place
	services   []Service
	serviceIdx index
	subtypeIdx []index // per service
	brackets   []Bracket
	youth35    []Bracket
	mobile     [1000]bool
	days       []Day
	years      []int
}

// prefix is a normalised key of a place type and the number of words in it.
type prefix struct {
	key   string
	words int
	item  int
}

// index finds an item by its exact raw text, then by its normalised text.
type index struct {
	raw  map[string]int
	norm map[string]int
}

func (x index) find(v string) (int, bool) {
	i, _, ok := x.findNorm(v)
	return i, ok
}

// findNorm is find that also returns Norm(v) ("" when the raw text matched).
func (x index) findNorm(v string) (int, string, bool) {
	if i, ok := x.raw[v]; ok {
		return i, "", true
	}
	n := Norm(v)
	i, ok := x.norm[n]
	return i, n, ok
}

// Regions returns the regions in report order.
func (s *Set) Regions() []Region { return slices.Clone(s.regions) }

// Region finds a region by KATO code, label, alias or short form.
func (s *Set) Region(v string) (Region, bool) {
	if i, ok := s.regionIdx.find(v); ok {
		return s.regions[i], true
	}
	return Region{}, false
}

// Sections returns the OKED sections A..U.
func (s *Set) Sections() []Section { return slices.Clone(s.sections) }

// Section finds an OKED section by letter (Latin, or a Cyrillic look-alike such as
// `С`), label or alias, or by a letter followed by its label (`C Обрабатывающая
// промышленность`, `A. Сельское, лесное и рыбное хозяйство`).
func (s *Set) Section(v string) (Section, bool) {
	i, n, ok := s.sectionIdx.findNorm(v)
	if ok {
		return s.sections[i], true
	}
	r, size := firstRune(n)
	if size == 0 || (size < len(n) && n[size] != ' ') {
		return Section{}, false
	}
	letter := latinLookalike(r)
	i, ok = s.sectionIdx.norm[string(letter)]
	if !ok || s.sections[i].Code != strings.ToUpper(string(letter)) {
		return Section{}, false
	}
	if size < len(n) {
		if j, ok := s.sectionIdx.norm[n[size+1:]]; !ok || j != i {
			return Section{}, false
		}
	}
	return s.sections[i], true
}

// SectionOfDivision returns the section a two-digit OKED division belongs to; false
// for a division that does not exist.
func (s *Set) SectionOfDivision(div int) (Section, bool) {
	if div < 0 || div >= len(s.division) || s.division[div] < 0 {
		return Section{}, false
	}
	return s.sections[s.division[div]], true
}

// LegalForms returns the legal forms.
func (s *Set) LegalForms() []LegalForm { return slices.Clone(s.legal) }

// LegalForm finds a legal form by code, label, abbreviation or alias.
func (s *Set) LegalForm(v string) (LegalForm, bool) {
	if i, ok := s.legalIdx.find(v); ok {
		return s.legal[i], true
	}
	return LegalForm{}, false
}

// Categories returns the entrepreneur categories.
func (s *Set) Categories() []Category { return slices.Clone(s.categories) }

// Category finds an entrepreneur category by code, label or alias.
func (s *Set) Category(v string) (Category, bool) {
	if i, ok := s.categIdx.find(v); ok {
		return s.categories[i], true
	}
	return Category{}, false
}

// Places returns the place types.
func (s *Set) Places() []Place { return slices.Clone(s.places) }

// Place reads a service_place cell: the place type is the code, label or alias the
// cell starts with (the longest that ends at a word boundary), and centre is the rest
// of the original cell text, trimmed of spaces and leading separators such as `-`,
// `,` or `:` ("ЦОП г. Караганда" gives service_center and "г. Караганда"; "Онлайн"
// gives online and "").
func (s *Set) Place(v string) (p Place, centre string, ok bool) {
	i, n, ok := s.placeIdx.findNorm(v)
	if ok {
		return s.places[i], "", true
	}
	for _, k := range s.placePfx {
		if len(n) > len(k.key) && n[len(k.key)] == ' ' && strings.HasPrefix(n, k.key) {
			rest := strings.TrimLeftFunc(afterWords(v, k.words), isLeadingSeparator)
			return s.places[k.item], strings.TrimRightFunc(rest, isTrailingSpace), true
		}
	}
	return Place{}, "", false
}

// Services returns the service catalogue.
func (s *Set) Services() []Service { return slices.Clone(s.services) }

// Service finds a service by code, label or alias.
func (s *Set) Service(v string) (Service, bool) {
	if i, ok := s.serviceIdx.find(v); ok {
		return s.services[i], true
	}
	return Service{}, false
}

// Subtype finds a subtype of the service with code service by its code, label or
// alias; false when the service is unknown or lists no such subtype.
func (s *Set) Subtype(service, v string) (Item, bool) {
	i, ok := s.serviceIdx.norm[Norm(service)]
	if !ok {
		return Item{}, false
	}
	j, ok := s.subtypeIdx[i].find(v)
	if !ok {
		return Item{}, false
	}
	return s.services[i].Subtypes[j], true
}

// Brackets returns the default age brackets (age_brackets.csv), youngest first.
func (s *Set) Brackets() []Bracket { return slices.Clone(s.brackets) }

// Bracket schemes for BracketsFor.
const (
	// BracketsDefault is age_brackets.csv: youth is 14-29 (the law of 2019-2022).
	BracketsDefault = "default"
	// BracketsYouth35 is age_brackets_youth35.csv: youth is 14-35 (since 2023).
	BracketsYouth35 = "youth35"
)

// BracketsFor returns the age brackets of a scheme: BracketsDefault (or "") or
// BracketsYouth35; false for another name.
func (s *Set) BracketsFor(scheme string) ([]Bracket, bool) {
	switch scheme {
	case "", BracketsDefault:
		return slices.Clone(s.brackets), true
	case BracketsYouth35:
		return slices.Clone(s.youth35), true
	}
	return nil, false
}

// Bracket returns the label of the default bracket age falls in; "" if below the
// first bracket.
func (s *Set) Bracket(age int) string { return BracketOf(s.brackets, age) }

// BracketOf returns the label of the bracket of brackets that age falls in; "" if
// none.
func BracketOf(brackets []Bracket, age int) string {
	for _, b := range brackets {
		if b.Contains(age) {
			return b.Label
		}
	}
	return ""
}

// MobileCode reports whether code (three digits after +7, such as "701") is a Kazakh
// mobile operator code.
func (s *Set) MobileCode(code string) bool {
	if len(code) != 3 {
		return false
	}
	n := 0
	for i := 0; i < 3; i++ {
		c := code[i]
		if c < '0' || c > '9' {
			return false
		}
		n = n*10 + int(c-'0')
	}
	return s.mobile[n]
}

// Days returns every calendar entry, sorted by date.
func (s *Set) Days() []Day { return slices.Clone(s.days) }

// CalendarYears returns the years the calendar has a file for, ascending.
func (s *Set) CalendarYears() []int { return slices.Clone(s.years) }

// firstRune returns the first rune of s and its size; size 0 for "".
func firstRune(s string) (rune, int) {
	if s == "" {
		return 0, 0
	}
	return utf8.DecodeRuneInString(s)
}

// latinLookalike maps a lower-case Cyrillic letter that looks like a Latin section
// letter to that Latin letter; any other rune is returned as it is.
func latinLookalike(r rune) rune {
	switch r {
	case 'а':
		return 'a'
	case 'в':
		return 'b'
	case 'с':
		return 'c'
	case 'е':
		return 'e'
	case 'н':
		return 'h'
	case 'і':
		return 'i'
	case 'к':
		return 'k'
	case 'м':
		return 'm'
	case 'о':
		return 'o'
	case 'р':
		return 'p'
	case 'т':
		return 't'
	}
	return r
}

func isLeadingSeparator(r rune) bool {
	switch r {
	case '-', '–', '—', ':', ';', ',', '.', '/', '\\', '|':
		return true
	}
	return isTrailingSpace(r)
}

func isTrailingSpace(r rune) bool {
	return unicode.IsSpace(r) || isInvisible(r)
}
