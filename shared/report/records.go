package report

import (
	"cmp"
	"slices"

	"github.com/qoldau/qoldau/shared/civil"
)

// rec is what the report keeps of one error-free row of an on-time register: 56
// bytes, whatever the row's text. Code-list values are indexes into dicts.
type rec struct {
	client   uint64 // pseudonymous client id (secret.Key.ClientID): first 64 bits
	client2  uint64 // and the next 64
	ent      uint64 // hash of the BIN/IIN
	start    civil.Date
	seq      int32 // index of the row in its version
	num      int32 // the Excel row number
	subtype  uint32
	reg      uint16 // index of the register (month) in the report
	region   uint16
	section  uint16
	form     uint16
	category uint16
	service  uint16
	place    uint16
	gender   uint8 // 0 unknown, 1 male, 2 female
	bracket  uint8 // 1 + index of the age bracket; 0 none
	disabled bool
	online   bool
}

// Genders, as rec.gender holds them.
const (
	genderUnknown = iota
	genderMale
	genderFemale
)

// dict numbers the distinct values of one code list: the reference data's codes
// first, in report order, then any other value met in a row.
type dict struct {
	idx   map[string]uint32
	names []string
	known int // the first known names come from the reference data
}

func newDict(codes []string) *dict {
	d := &dict{idx: make(map[string]uint32, len(codes))}
	for _, c := range codes {
		d.id(c)
	}
	d.known = len(d.names)
	return d
}

func (d *dict) id(s string) uint32 {
	if i, ok := d.idx[s]; ok {
		return i
	}
	i := uint32(len(d.names))
	d.idx[s] = i
	d.names = append(d.names, s)
	return i
}

func (d *dict) name(i uint16) string { return d.names[i] }

func (d *dict) name32(i uint32) string { return d.names[i] }

// order returns the ids in report order: the known codes, then the others sorted.
func (d *dict) order() []uint32 {
	out := make([]uint32, len(d.names))
	for i := range out {
		out[i] = uint32(i)
	}
	extra := out[d.known:]
	slices.SortFunc(extra, func(a, b uint32) int { return cmp.Compare(d.names[a], d.names[b]) })
	return out
}

// dicts are the code lists of a report.
type dicts struct {
	region, section, form, category, service, place, subtype *dict
}

// byClient orders records by client, then by the order that picks a client's first
// row: start date, register period, row order.
func byClient(a, b rec) int {
	if a.client != b.client {
		return cmp.Compare(a.client, b.client)
	}
	if a.start != b.start {
		return cmp.Compare(a.start, b.start)
	}
	if a.reg != b.reg {
		return cmp.Compare(a.reg, b.reg)
	}
	return cmp.Compare(a.seq, b.seq)
}

// byEnterprise orders records by enterprise.
func byEnterprise(a, b rec) int {
	if a.ent != b.ent {
		return cmp.Compare(a.ent, b.ent)
	}
	if a.reg != b.reg {
		return cmp.Compare(a.reg, b.reg)
	}
	return cmp.Compare(a.seq, b.seq)
}

// byRow orders records by register and row order.
func byRow(a, b rec) int {
	if a.reg != b.reg {
		return cmp.Compare(a.reg, b.reg)
	}
	return cmp.Compare(a.seq, b.seq)
}
