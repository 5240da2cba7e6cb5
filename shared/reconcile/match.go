package reconcile

import (
	"cmp"
	"slices"
	"sort"
	"strings"

	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/qoldau"
)

// RowRef is what matching needs of a register row: the enterprise, the service
// (code) and subtype, the service's start and end dates, and whether the service
// was rendered online.
type RowRef struct {
	BinIIN, Service, Subtype string
	Start, End               civil.Date
	Online                   bool
}

// Result is the outcome of matching one row: the act confirming it, or why none does.
type Result struct {
	// Act is the index, in the acts given to Match, of the confirming act; -1 if none.
	Act int
	// Reason is "" when the row is confirmed, else one of the Reason constants.
	Reason string
}

// Reasons for an unconfirmed row (docs/rules.md, "Acts and reconciliation"), in the
// order they are tried: the first that applies is given.
const (
	// ReasonUnsigned: an act for the enterprise, service and a date in the row's
	// range exists, but it is unsigned, or confirmed by 2fa for an offline service.
	ReasonUnsigned = "unsigned"
	// ReasonDateMismatch: an act for the enterprise and service exists, at a date
	// outside the row's range.
	ReasonDateMismatch = "date-mismatch"
	// ReasonServiceMismatch: an act for the enterprise with a date in the row's
	// range exists, for another service (or an incompatible subtype).
	ReasonServiceMismatch = "service-mismatch"
	// ReasonNoAct: no act at all, or the only matching act already confirms
	// another row.
	ReasonNoAct = "no-act"
)

// Confirmation classes of an act, as indexes.
const (
	cEDS = iota
	c2FA
	cNone
	nConf
)

// confClass reads an act's confirmation; anything not eds or 2fa counts as unsigned.
func confClass(s string) uint8 {
	switch s {
	case EDS:
		return cEDS
	case TwoF:
		return c2FA
	case None:
		return cNone
	}
	switch c, _ := ParseConfirmation(s); c {
	case EDS:
		return cEDS
	case TwoF:
		return c2FA
	}
	return cNone
}

// Match decides which rows the acts confirm (docs/rules.md, "Acts and reconciliation").
// rows are in register and row order (by register period, version, row); Match takes
// them in order of End, then that order. A row is confirmed by a free act with the same
// BinIIN and Service, the same Subtype where both give one (compared after
// normalisation), a ServiceDate from Start to End inclusive, and a confirmation of eds,
// or 2fa when the row is Online. Of those it takes the act whose ServiceDate is the
// latest not after End (equal to End if there is one), ties broken by the smaller act
// Number (digit runs compared as numbers, so "9" < "10"), then by Key, then by index.
// Each act confirms at most one row. Results are in the order of rows.
//
// Acts are indexed by enterprise, service, subtype and confirmation, sorted by date,
// and taken acts are skipped through a union-find, so each row costs a map look-up
// and a few binary searches: O((rows + acts) log acts) in all. 1,000,000 rows
// against 1,000,000 acts take about 1.5 s on one core (BenchmarkMatch).
func Match(rows []RowRef, acts []qoldau.Act) []Result {
	t := NewActs(len(acts))
	for i := range acts {
		t.Add(&acts[i])
	}
	rs := &Refs{rows: make([]ref, 0, len(rows))}
	for _, r := range rows {
		rs.Add(r.BinIIN, r.Service, r.Subtype, r.Start, r.End, r.Online)
	}
	out := make([]Result, len(rows))
	for i, o := range MatchTables(rs, t) {
		out[i] = Result{Act: int(o.Act), Reason: o.Why.Reason()}
	}
	return out
}

// MatchTables is Match over compact tables (what a report over a year needs to
// hold): the outcome of each row of rows, in order; Act indexes acts in the order
// they were added.
func MatchTables(rows *Refs, acts *Acts) []Outcome { return IndexActs(acts).Match(rows) }

// Match matches rows against the indexed acts as MatchTables does. An index serves
// one match: matching takes acts.
func (ix *ActIndex) Match(rows *Refs) []Outcome {
	m := &matcher{ActIndex: ix, rows: rows, rowSvc: make([]int32, len(rows.strs.vals)), rowSub: make([]int32, len(rows.norm.vals))}
	for i, s := range rows.strs.vals {
		m.rowSvc[i] = -1
		if id, ok := ix.t.strs.lookup(s); ok {
			m.rowSvc[i] = int32(id)
		}
	}
	for i, s := range rows.norm.vals {
		m.rowSub[i] = -1
		if id, ok := ix.t.norm.lookup(s); ok {
			m.rowSub[i] = int32(id)
		}
	}
	out := make([]Outcome, len(rows.rows))
	keys := make([]uint64, len(rows.rows))
	for i, r := range rows.rows {
		keys[i] = uint64(encDate(r.end))<<32 | uint64(i)
	}
	slices.Sort(keys)
	for _, k := range keys {
		i := int(uint32(k))
		out[i] = m.match(&rows.rows[i])
	}
	return out
}

// encDate maps a date to a uint32 in the same order.
func encDate(d civil.Date) uint32 { return uint32(d) ^ 1<<31 }

// span is a run of positions [lo, hi) of an order.
type span struct{ lo, hi int32 }

// list is the acts of one enterprise and service (and, in order a, subtype): one
// span per confirmation class, one after another. Lists follow one another too, so
// a list keeps only where each class ends (16 bytes: a year's acts make about as
// many lists as acts).
type list struct {
	svc, sub uint16 // sub is 0 in order b
	end      [nConf]int32
}

// lists is an order's lists, by enterprise: ls[first[bin]:first[bin+1]] are an
// enterprise's (by position in binKeys), by service and subtype.
type lists struct {
	ls    []list
	first []int32
}

// span returns the positions of list i's acts of confirmation class c.
func (ls *lists) span(i int32, c int) span {
	lo := int32(0)
	switch {
	case c > 0:
		lo = ls.ls[i].end[c-1]
	case i > 0:
		lo = ls.ls[i-1].end[nConf-1]
	}
	return span{lo, ls.ls[i].end[c]}
}

// sortKey sorts acts: by k1, then k2, then from the least to the most preferred.
type sortKey struct {
	k1, k2 uint64
	act    int32
}

// order is the acts sorted one way, with the taken ones marked.
type order struct {
	act  []int32      // position → act index
	date []civil.Date // position → service date
	pos  []int32      // act index → position
	// free is a union-find: free[p] == p for a free position; a taken position
	// points lower, and find(p) is the highest free position at or below p (-1
	// when none).
	free []int32
}

func newOrder(idx []int32, t *Acts) *order {
	o := &order{act: idx, date: make([]civil.Date, len(idx)), pos: make([]int32, len(idx)), free: make([]int32, len(idx))}
	for p, a := range idx {
		o.date[p] = t.date[a]
		o.pos[a] = int32(p)
		o.free[p] = int32(p)
	}
	return o
}

func (o *order) find(p int32) int32 {
	root := p
	for root >= 0 && o.free[root] != root {
		root = o.free[root]
	}
	for p > root {
		next := o.free[p]
		o.free[p] = root
		p = next
	}
	return root
}

func (o *order) take(act int32) {
	p := o.pos[act]
	o.free[p] = p - 1
}

// upper returns the first position in s whose date is after d.
func (o *order) upper(s span, d civil.Date) int32 {
	return s.lo + int32(sort.Search(int(s.hi-s.lo), func(i int) bool { return o.date[s.lo+int32(i)] > d }))
}

// lower returns the first position in s whose date is not before d.
func (o *order) lower(s span, d civil.Date) int32 {
	return s.lo + int32(sort.Search(int(s.hi-s.lo), func(i int) bool { return o.date[s.lo+int32(i)] >= d }))
}

// count returns how many acts of s fall in [start, end], taken or not.
func (o *order) count(s span, start, end civil.Date) int {
	if s.lo == s.hi || start > end {
		return 0
	}
	return int(o.upper(s, end) - o.lower(s, start))
}

// outside reports whether s has an act dated outside [start, end].
func (o *order) outside(s span, start, end civil.Date) bool {
	return s.lo < s.hi && (o.date[s.lo] < start || o.date[s.hi-1] > end)
}

// best returns the act of s a row from start to end would take (-1 if none): the
// free one at the highest position not after end, since positions of one date run
// from the least to the most preferred.
func (o *order) best(s span, start, end civil.Date) int32 {
	if s.lo == s.hi {
		return -1
	}
	up := o.upper(s, end)
	if up == s.lo {
		return -1
	}
	p := o.find(up - 1)
	if p < s.lo || o.date[p] < start {
		return -1
	}
	return o.act[p]
}

// ActIndex is acts indexed for matching: built from the acts alone, so that it can
// be built while the rows are still being read.
type ActIndex struct {
	t *Acts
	// binKeys are the acts' BIN keys, sorted and distinct: a key's position is its
	// enterprise's id.
	binKeys []uint64
	// a orders the acts by enterprise, service, subtype, confirmation and date; b
	// likewise without the subtype. listsA and listsB are their lists.
	a, b           *order
	listsA, listsB lists
}

// matcher matches one table of rows against an index.
type matcher struct {
	*ActIndex
	rows *Refs
	// rowSvc and rowSub translate the rows' service and subtype ids to the acts'
	// (-1: no act has it).
	rowSvc, rowSub []int32
}

// IndexActs indexes acts for matching. A sort key holds the BIN key and the service
// (k1) and the subtype, confirmation and date (k2); the two orders are built one
// after the other, so only one set of keys is held at a time.
func IndexActs(t *Acts) *ActIndex {
	ix := &ActIndex{t: t}
	n := t.Len()
	// Acts of one list and date run from the least to the most preferred: larger
	// number first, then larger key, then larger index.
	byKey := func(x, y sortKey) int {
		if x.k1 != y.k1 {
			return cmp.Compare(x.k1, y.k1)
		}
		if x.k2 != y.k2 {
			return cmp.Compare(x.k2, y.k2)
		}
		i, j := x.act, y.act
		if c := cmpNumber(t.number(j), t.number(i)); c != 0 {
			return c
		}
		if c := strings.Compare(t.key(j), t.key(i)); c != 0 {
			return c
		}
		return cmp.Compare(j, i)
	}
	keys := make([]sortKey, n)
	// When no act gives a subtype, order a is order b: one index serves both.
	orders := []bool{true, false}
	if len(t.norm.vals) == 1 {
		orders = orders[:1]
	}
	for _, withSub := range orders {
		for i := range n {
			k1 := t.bin[i]<<16 | uint64(t.svc[i])
			k2 := uint64(t.conf[i])<<32 | uint64(encDate(t.date[i]))
			if withSub {
				k2 |= uint64(t.sub[i]) << 34
			}
			keys[i] = sortKey{k1, k2, int32(i)}
		}
		slices.SortFunc(keys, byKey)
		if withSub {
			for p := range keys {
				if b := keys[p].k1 >> 16; p == 0 || b != keys[p-1].k1>>16 {
					ix.binKeys = append(ix.binKeys, b)
				}
			}
			ix.a, ix.listsA = ix.index(keys, true)
		} else {
			ix.b, ix.listsB = ix.index(keys, false)
		}
	}
	if len(orders) == 1 {
		ix.b, ix.listsB = ix.a, ix.listsA
	}
	return ix
}

// index builds an order from sorted keys and its lists (every enterprise has acts
// in both orders). The lists are counted first and made at once.
func (ix *ActIndex) index(keys []sortKey, withSub bool) (*order, lists) {
	idx := make([]int32, len(keys))
	for p, k := range keys {
		idx[p] = k.act
	}
	o := newOrder(idx, ix.t)
	// A list is an enterprise and service (k1) and, in order a, a subtype (k2>>34).
	newList := func(p int) bool {
		return p == 0 || keys[p].k1 != keys[p-1].k1 || withSub && keys[p].k2>>34 != keys[p-1].k2>>34
	}
	n := 0
	for p := range keys {
		if newList(p) {
			n++
		}
	}
	ls := lists{ls: make([]list, 0, n), first: make([]int32, len(ix.binKeys)+1)}
	b := -1 // the enterprise's position in binKeys
	for p := 0; p < len(keys); {
		k := keys[p]
		q := p + 1
		for q < len(keys) && keys[q].k1 == k.k1 && keys[q].k2>>32 == k.k2>>32 {
			q++
		}
		conf := int(k.k2 >> 32 & 3)
		if newList(p) {
			if b < 0 || ix.binKeys[b] != k.k1>>16 {
				b++
				ls.first[b] = int32(len(ls.ls))
			}
			l := list{svc: uint16(k.k1)}
			if withSub {
				l.sub = uint16(k.k2 >> 34)
			}
			for c := range l.end {
				l.end[c] = int32(p)
			}
			ls.ls = append(ls.ls, l)
		}
		end := &ls.ls[len(ls.ls)-1].end
		for c := conf; c < nConf; c++ {
			end[c] = int32(q)
		}
		p = q
	}
	for i := b + 1; i < len(ls.first); i++ {
		ls.first[i] = int32(len(ls.ls))
	}
	return o, ls
}

// find returns the index of an enterprise's list for svc and sub (0 in order b);
// -1 if none.
func (ls *lists) find(bin int32, svc, sub uint16) int32 {
	lo, hi := ls.first[bin], ls.first[bin+1]
	i := lo + int32(sort.Search(int(hi-lo), func(i int) bool {
		l := &ls.ls[lo+int32(i)]
		return l.svc > svc || l.svc == svc && l.sub >= sub
	}))
	if i < hi && ls.ls[i].svc == svc && ls.ls[i].sub == sub {
		return i
	}
	return -1
}

// better reports whether act i is preferred to act j for the same row: a later
// service date, then a smaller number, then a smaller key, then a smaller index.
func (m *matcher) better(i, j int32) bool {
	t := m.t
	if t.date[i] != t.date[j] {
		return t.date[i] > t.date[j]
	}
	if c := cmpNumber(t.number(i), t.number(j)); c != 0 {
		return c < 0
	}
	if c := strings.Compare(t.key(i), t.key(j)); c != 0 {
		return c < 0
	}
	return i < j
}

// source is a list of acts compatible with a row and the order it indexes.
type source struct {
	o  *order
	ls *lists
	l  int32
}

// span returns the source's acts of confirmation class c.
func (s source) span(c int) span { return s.ls.span(s.l, c) }

func (m *matcher) match(r *ref) Outcome {
	key := r.bin
	if key&otherBin != 0 {
		k, ok := m.t.bins.other[m.rows.bins.text(key)]
		if !ok {
			return Outcome{Act: -1, Why: WhyNoAct}
		}
		key = k
	}
	b, ok := slices.BinarySearch(m.binKeys, key)
	if !ok {
		return Outcome{Act: -1, Why: WhyNoAct}
	}
	bin := int32(b)
	// The lists of acts for the row's service whose subtype fits the row's.
	var srcs [2]source
	nsrc := 0
	if svc := m.rowSvc[r.svc]; svc >= 0 {
		if r.sub == 0 {
			if l := m.listsB.find(bin, uint16(svc), 0); l >= 0 {
				srcs[0], nsrc = source{m.b, &m.listsB, l}, 1
			}
		} else {
			ids := [2]int32{0, m.rowSub[r.sub]}
			for _, id := range ids {
				if id < 0 {
					continue
				}
				if l := m.listsA.find(bin, uint16(svc), uint16(id)); l >= 0 {
					srcs[nsrc] = source{m.a, &m.listsA, l}
					nsrc++
				}
			}
		}
	}
	// Take the best free act with a valid confirmation.
	best := int32(-1)
	for _, s := range srcs[:nsrc] {
		for c := range nConf {
			if c == cNone || c == c2FA && !r.online {
				continue
			}
			if a := s.o.best(s.span(c), r.start, r.end); a >= 0 && (best < 0 || m.better(a, best)) {
				best = a
			}
		}
	}
	if best >= 0 {
		m.a.take(best)
		m.b.take(best)
		return Outcome{Act: best}
	}
	// Why not: the first reason that applies.
	for _, s := range srcs[:nsrc] {
		if s.o.count(s.span(cNone), r.start, r.end) > 0 || !r.online && s.o.count(s.span(c2FA), r.start, r.end) > 0 {
			return Outcome{Act: -1, Why: WhyUnsigned}
		}
	}
	compat := 0
	for _, s := range srcs[:nsrc] {
		for c := range nConf {
			if s.o.outside(s.span(c), r.start, r.end) {
				return Outcome{Act: -1, Why: WhyDateMismatch}
			}
			compat += s.o.count(s.span(c), r.start, r.end)
		}
	}
	if m.countBin(bin, r.start, r.end) > compat {
		return Outcome{Act: -1, Why: WhyServiceMismatch}
	}
	return Outcome{Act: -1, Why: WhyNoAct}
}

// countBin counts the enterprise's acts dated from start to end, any service.
func (m *matcher) countBin(bin int32, start, end civil.Date) int {
	n := 0
	for l := m.listsB.first[bin]; l < m.listsB.first[bin+1]; l++ {
		for c := range nConf {
			n += m.b.count(m.listsB.span(l, c), start, end)
		}
	}
	return n
}

// cmpNumber compares act numbers naturally: runs of digits as numbers ("9" < "10",
// "A-9" < "A-10"), the rest byte by byte; numbers equal that way ("07", "7") fall
// back to a plain comparison.
func cmpNumber(a, b string) int {
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		ca, cb := a[i], b[j]
		if isDigit(ca) && isDigit(cb) {
			si, sj := i, j
			for i < len(a) && isDigit(a[i]) {
				i++
			}
			for j < len(b) && isDigit(b[j]) {
				j++
			}
			da, db := strings.TrimLeft(a[si:i], "0"), strings.TrimLeft(b[sj:j], "0")
			if len(da) != len(db) {
				return cmp.Compare(len(da), len(db))
			}
			if c := strings.Compare(da, db); c != 0 {
				return c
			}
			continue
		}
		if ca != cb {
			return cmp.Compare(ca, cb)
		}
		i++
		j++
	}
	if c := cmp.Compare(len(a)-i, len(b)-j); c != 0 {
		return c
	}
	return strings.Compare(a, b)
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }
