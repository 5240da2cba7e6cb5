package refdata

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/qoldau/qoldau/shared/qoldau"
)

// Ranks of matching keys: a lower rank wins over a higher one. Two items sharing an
// explicit key is a load error; two sharing a derived key at the same rank lose it.
const (
	rankExplicit  = iota // code, label, alias, bracket abbreviation, label without it
	rankQualified        // derived region name with a designator: "г алматы"
	rankCityShort        // a city's name without its designator: "алматы"
	rankShort            // a region's name without its designator: "алматинская"
)

type keyEntry struct {
	item int
	rank int
	amb  bool // two items share the key at this rank: it matches neither
}

// keyIndex collects the keys of one file's items while it loads.
type keyIndex struct {
	file  string
	codes []string
	raw   map[string]int
	keys  map[string]keyEntry
}

func newKeyIndex(file string) *keyIndex {
	return &keyIndex{file: file, raw: map[string]int{}, keys: map[string]keyEntry{}}
}

// add records a normalised key of item at rank. For an explicit key taken by another
// item it returns that item.
func (k *keyIndex) add(key string, item, rank int) (other int, clash bool) {
	if key == "" {
		return 0, false
	}
	e, ok := k.keys[key]
	switch {
	case !ok || rank < e.rank:
		k.keys[key] = keyEntry{item: item, rank: rank}
	case rank > e.rank || e.item == item && !e.amb:
	case rank == rankExplicit:
		return e.item, true
	default:
		e.amb = true
		k.keys[key] = e
	}
	return 0, false
}

// addItem records the explicit keys of it (its code, labels, aliases and the forms
// of its labels without their abbreviations in brackets).
func (k *keyIndex) addItem(it Item, item, line int) error {
	k.codes = append(k.codes, it.Code)
	names := []string{it.Code, it.Label.KK, it.Label.RU, it.Label.EN}
	names = append(names, it.Aliases...)
	for _, l := range []string{it.Label.KK, it.Label.RU, it.Label.EN} {
		if base, abbr := splitAbbreviations(l); abbr != nil {
			names = append(names, base)
		}
	}
	for _, name := range names {
		if other, clash := k.add(Norm(name), item, rankExplicit); clash {
			return bad(k.file, line, errDuplicateName(name, k.codes[other]))
		}
		if _, ok := k.raw[name]; !ok {
			k.raw[name] = item
		}
	}
	return nil
}

// index returns the finished lookup maps.
func (k *keyIndex) index() index {
	x := index{raw: k.raw, norm: make(map[string]int, len(k.keys))}
	for key, e := range k.keys {
		if !e.amb {
			x.norm[key] = e.item
		}
	}
	return x
}

// splitAbbreviations splits a label that ends with a group of abbreviations in
// brackets, "Крестьянское (фермерское) хозяйство (КХ, ФХ)", into the label without
// the group and the abbreviations. Each abbreviation must be short and hold a capital
// letter; otherwise the brackets are part of the name and abbr is nil.
func splitAbbreviations(label string) (base string, abbr []string) {
	s := strings.TrimSpace(label)
	if !strings.HasSuffix(s, ")") {
		return label, nil
	}
	depth, open := 0, -1
	for i := len(s) - 1; i >= 0; i-- {
		switch s[i] {
		case ')':
			depth++
		case '(':
			depth--
		}
		if depth == 0 {
			open = i
			break
		}
	}
	if open <= 0 {
		return label, nil
	}
	base = strings.TrimSpace(s[:open])
	if base == "" {
		return label, nil
	}
	for _, p := range strings.FieldsFunc(s[open+1:len(s)-1], func(r rune) bool { return r == ',' || r == ';' }) {
		p = strings.TrimSpace(p)
		if p == "" || utf8.RuneCountInString(p) > 12 || strings.IndexFunc(p, unicode.IsUpper) < 0 {
			return label, nil
		}
		abbr = append(abbr, p)
	}
	return base, abbr
}

// withAbbreviations returns aliases followed by the bracketed abbreviations of the
// labels that are not already among them.
func withAbbreviations(aliases []string, label qoldau.Text) []string {
	seen := map[string]bool{}
	for _, a := range aliases {
		seen[Norm(a)] = true
	}
	for _, l := range []string{label.KK, label.RU, label.EN} {
		_, abbr := splitAbbreviations(l)
		for _, a := range abbr {
			if n := Norm(a); !seen[n] {
				seen[n] = true
				aliases = append(aliases, a)
			}
		}
	}
	return aliases
}

// Designator words of region names, after Norm.
var (
	regionWords = []string{"облысы", "облыс", "область", "обл", "region", "oblast", "oblysy"}
	cityWords   = []string{"қаласы", "қала", "қ", "город", "гор", "г", "city", "qalasy"}
)

// designator kinds
const (
	noDesignator = iota
	regionDesignator
	cityDesignator
)

// stripDesignator removes a designator word from the end or the start of the
// normalised name n and tells which kind it was.
func stripDesignator(n string) (core string, kind int) {
	if i := strings.LastIndexByte(n, ' '); i > 0 {
		if k := designatorKind(n[i+1:]); k != noDesignator {
			return n[:i], k
		}
	}
	if i := strings.IndexByte(n, ' '); i > 0 {
		if k := designatorKind(n[:i]); k != noDesignator {
			return n[i+1:], k
		}
	}
	return n, noDesignator
}

func designatorKind(w string) int {
	for _, d := range regionWords {
		if w == d {
			return regionDesignator
		}
	}
	for _, d := range cityWords {
		if w == d {
			return cityDesignator
		}
	}
	return noDesignator
}

// addRegionForms records the derived names of region it: each label and alias
// without its designator word (a short form), and with each designator of its kind
// before or after it. A region whose labels name no designator gets none.
func addRegionForms(k *keyIndex, it Item, item int) {
	labels := []string{it.Label.KK, it.Label.RU, it.Label.EN}
	kind := noDesignator
	for _, l := range labels {
		switch _, d := stripDesignator(Norm(l)); {
		case d == cityDesignator:
			kind = cityDesignator
		case d == regionDesignator && kind == noDesignator:
			kind = regionDesignator
		}
	}
	words, short := regionWords, rankShort
	switch kind {
	case noDesignator:
		return
	case cityDesignator:
		words, short = cityWords, rankCityShort
	}
	for _, name := range append(labels, it.Aliases...) {
		core, _ := stripDesignator(Norm(name))
		k.add(core, item, short)
		for _, w := range words {
			k.add(core+" "+w, item, rankQualified)
			k.add(w+" "+core, item, rankQualified)
		}
	}
}
