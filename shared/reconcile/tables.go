package reconcile

import (
	"strconv"

	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/qoldau"
	"github.com/qoldau/qoldau/shared/refdata"
)

// Matching a year holds a million rows and a million acts at once, so both are kept
// compact: a BIN/IIN of twelve digits as a number, services and subtypes as small
// ids, act numbers in one byte slice. A report over 1,000,000 rows and acts held
// them as strings in about 250 MB; these tables take about 60 MB.

// dict numbers strings (services, subtypes) from 0.
type dict struct {
	ids  map[string]uint16
	vals []string
}

func (c *dict) id(s string) uint16 {
	if c.ids == nil {
		c.ids = map[string]uint16{}
	}
	if id, ok := c.ids[s]; ok {
		return id
	}
	if len(c.vals) >= 1<<16 {
		panic("reconcile: more than 65,536 distinct services or subtypes")
	}
	id := uint16(len(c.vals))
	c.ids[s] = id
	c.vals = append(c.vals, s)
	return id
}

// lookup returns the id of s, if it has one.
func (c *dict) lookup(s string) (uint16, bool) {
	id, ok := c.ids[s]
	return id, ok
}

// bins keys BINs/IINs: twelve digits are the number they spell; any other text
// (validation lets none through, but Match takes any) gets an id with otherBin
// set.
type bins struct {
	other map[string]uint64
	texts []string
}

// otherBin marks the key of a BIN/IIN that is not twelve digits (which spell a
// number under 2^40): the key fits 41 bits, beside a service id in a sort key.
const otherBin = 1 << 40

func (b *bins) key(s string) uint64 {
	if len(s) == 12 {
		var n uint64
		ok := true
		for i := 0; i < 12 && ok; i++ {
			d := s[i] - '0'
			ok = d <= 9
			n = n*10 + uint64(d)
		}
		if ok {
			return n
		}
	}
	if b.other == nil {
		b.other = map[string]uint64{}
	}
	k, ok := b.other[s]
	if !ok {
		k = otherBin | uint64(len(b.texts))
		b.other[s] = k
		b.texts = append(b.texts, s)
	}
	return k
}

// lookup returns the key of s when s can have one in this table.
func (b *bins) lookup(s string) (uint64, bool) {
	if k := b.key12(s); k != otherBin {
		return k, true
	}
	k, ok := b.other[s]
	return k, ok
}

// key12 is key for twelve digits, otherBin for anything else.
func (b *bins) key12(s string) uint64 {
	if len(s) != 12 {
		return otherBin
	}
	var n uint64
	for i := 0; i < 12; i++ {
		d := s[i] - '0'
		if d > 9 {
			return otherBin
		}
		n = n*10 + uint64(d)
	}
	return n
}

func (b *bins) text(k uint64) string {
	if k&otherBin != 0 {
		return b.texts[k&^otherBin]
	}
	s := strconv.FormatUint(k, 10)
	for len(s) < 12 {
		s = "0" + s
	}
	return s
}

// Acts are act lines as matching reads them (Add each, in the order their results
// are to be indexed).
type Acts struct {
	bin   []uint64
	svc   []uint16 // in strs
	sub   []uint16 // the normalised subtype, in norm (0: none)
	raw   []uint16 // the subtype as written, in strs
	conf  []uint8
	date  []civil.Date
	num   []byte   // the act numbers, one after another
	numAt []uint32 // where each number starts; one more entry than acts
	strs  dict
	norm  dict
	bins  bins
}

// NewActs returns an empty table with room for n acts.
func NewActs(n int) *Acts {
	t := &Acts{bin: make([]uint64, 0, n), svc: make([]uint16, 0, n), sub: make([]uint16, 0, n), raw: make([]uint16, 0, n),
		conf: make([]uint8, 0, n), date: make([]civil.Date, 0, n), numAt: make([]uint32, 1, n+1)}
	t.norm.id("")
	return t
}

// Add appends an act line (its number, BIN/IIN, service, subtype, service date and
// confirmation are read).
func (t *Acts) Add(a *qoldau.Act) {
	t.bin = append(t.bin, t.bins.key(a.BinIIN))
	t.svc = append(t.svc, t.strs.id(a.Service))
	t.sub = append(t.sub, t.norm.id(refdata.Norm(a.Subtype)))
	t.raw = append(t.raw, t.strs.id(a.Subtype))
	t.conf = append(t.conf, confClass(a.Confirmation))
	t.date = append(t.date, a.ServiceDate)
	t.num = append(t.num, a.Number...)
	t.numAt = append(t.numAt, uint32(len(t.num)))
}

// Len is the number of acts.
func (t *Acts) Len() int { return len(t.bin) }

func (t *Acts) number(i int32) string { return string(t.num[t.numAt[i]:t.numAt[i+1]]) }

// key is the act's qoldau.Act.Key.
func (t *Acts) key(i int32) string {
	return t.number(i) + "|" + t.bins.text(t.bin[i]) + "|" + t.strs.vals[t.svc[i]] + "|" + t.strs.vals[t.raw[i]] + "|" +
		t.date[i].String()
}

// Refs are register rows as matching reads them (Add each in register and row
// order).
type Refs struct {
	rows []ref
	strs dict // services
	norm dict // normalised subtypes ("" is 0)
	bins bins
}

// ref is one row of Refs.
type ref struct {
	bin        uint64
	svc, sub   uint16
	start, end civil.Date
	online     bool
}

// NewRefs returns an empty table with room for n rows.
func NewRefs(n int) *Refs { return &Refs{rows: make([]ref, 0, n)} }

// Add appends a row: its enterprise, service, subtype, dates and channel.
func (rs *Refs) Add(binIIN, service, subtype string, start, end civil.Date, online bool) {
	if len(rs.norm.vals) == 0 {
		rs.norm.id("")
	}
	rs.rows = append(rs.rows, ref{bin: rs.bins.key(binIIN), svc: rs.strs.id(service), sub: rs.norm.id(refdata.Norm(subtype)),
		start: start, end: end, online: online})
}

// Len is the number of rows.
func (rs *Refs) Len() int { return len(rs.rows) }

// Concat returns the rows of rs followed by those of more, as one table.
func (rs *Refs) Concat(more *Refs) *Refs {
	out := &Refs{rows: make([]ref, 0, len(rs.rows)+len(more.rows))}
	out.norm.id("")
	for _, src := range []*Refs{rs, more} {
		svc := make([]uint16, len(src.strs.vals))
		for i, s := range src.strs.vals {
			svc[i] = out.strs.id(s)
		}
		sub := make([]uint16, len(src.norm.vals))
		for i, s := range src.norm.vals {
			sub[i] = out.norm.id(s)
		}
		for _, r := range src.rows {
			if r.bin&otherBin != 0 {
				r.bin = out.bins.key(src.bins.text(r.bin))
			}
			r.svc, r.sub = svc[r.svc], sub[r.sub]
			out.rows = append(out.rows, r)
		}
	}
	return out
}

// Outcome is the result of matching one row, compactly: the confirming act's index
// (-1: none) and why none, as a Why.
type Outcome struct {
	Act int32
	Why Why
}

// Why tells why a row is unconfirmed (WhyNone: it is confirmed).
type Why uint8

// The reasons, as Whys.
const (
	WhyNone Why = iota
	WhyUnsigned
	WhyDateMismatch
	WhyServiceMismatch
	WhyNoAct
)

// Reason returns the Reason constant of w ("" for WhyNone).
func (w Why) Reason() string {
	switch w {
	case WhyUnsigned:
		return ReasonUnsigned
	case WhyDateMismatch:
		return ReasonDateMismatch
	case WhyServiceMismatch:
		return ReasonServiceMismatch
	case WhyNoAct:
		return ReasonNoAct
	}
	return ""
}
