package leads

import (
	"cmp"
	"context"
	"math"
	"slices"
	"strings"
	"unicode"

	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/qoldau"
	"github.com/qoldau/qoldau/shared/register"
	"github.com/qoldau/qoldau/shared/workflow"
)

// groups tell which managers and centres, written differently, are one: a manager
// is a region and a normalised name (register.ClientNameKey), a centre a region, a
// place type and its normalised name (or settlement, when the cell names none).
type groups struct {
	manager     []uint32 // manager id → group
	managerName []string // group → the name as first written
	centre      []uint32 // centre id → group (0: none, online)
	centreSubj  []Subject
}

func (c *Collector) groups() *groups {
	g := &groups{manager: make([]uint32, len(c.managers.vals)), centre: make([]uint32, len(c.centres.vals)),
		managerName: []string{""}, centreSubj: []Subject{{}}}
	seen := map[string]uint32{}
	for id := 1; id < len(c.managers.vals); id++ {
		m := c.managers.vals[id]
		k := m.region + "|" + register.ClientNameKey(m.name)
		gid, ok := seen[k]
		if !ok {
			gid = uint32(len(g.managerName))
			seen[k] = gid
			g.managerName = append(g.managerName, m.name)
		}
		g.manager[id] = gid
	}
	clear(seen)
	for id := 1; id < len(c.centres.vals); id++ {
		ck := c.centres.vals[id]
		name := ck.centre
		if strings.TrimSpace(name) == "" {
			name = ck.settlement
		}
		k := ck.region + "|" + ck.place + "|" + placeKey(name)
		gid, ok := seen[k]
		if !ok {
			gid = uint32(len(g.centreSubj))
			seen[k] = gid
			g.centreSubj = append(g.centreSubj, Subject{Region: ck.region, Place: ck.place, Centre: strings.Join(strings.Fields(name), " ")})
		}
		g.centre[id] = gid
	}
	return g
}

// placeKey normalises a centre's name: upper case, Ё→Е, letters and digits, one
// space between words.
func placeKey(s string) string {
	var b strings.Builder
	space := false
	for _, r := range s {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			r = unicode.ToUpper(r)
			if r == 'Ё' {
				r = 'Е'
			}
			b.WriteRune(r)
		default:
			space = true
		}
	}
	return b.String()
}

// median of xs (sorted in place).
func median(xs []float64) float64 {
	slices.Sort(xs)
	n := len(xs)
	if n == 0 {
		return 0
	}
	if n%2 == 1 {
		return xs[n/2]
	}
	return (xs[n/2-1] + xs[n/2]) / 2
}

// mostCommon returns the value of key that most rows of idx have (the smallest on
// a tie).
func mostCommon(idx []int32, key func(int32) uint32) uint32 {
	n := map[uint32]int{}
	best, bestN := uint32(0), 0
	for _, i := range idx {
		k := key(i)
		n[k]++
		if n[k] > bestN || n[k] == bestN && k < best {
			best, bestN = k, n[k]
		}
	}
	return best
}

func (c *Collector) managerLoad(g *groups) []found {
	s := c.opt.Settings
	day := func(x *rec) uint64 { return uint64(g.manager[x.manager])<<32 | uint64(uint32(x.start)) }
	counts := map[uint64]int32{}
	for i := range c.recs {
		if x := &c.recs[i]; !x.online {
			counts[day(x)]++
		}
	}
	days := map[uint32][]float64{}
	for k, n := range counts {
		days[uint32(k>>32)] = append(days[uint32(k>>32)], float64(n))
	}
	medians := map[uint32]float64{}
	for m, xs := range days {
		medians[m] = median(xs)
	}
	type over struct {
		strength float64
		byDay    bool // over ManagerDayMax: the message says so, whatever the median says
		rows     []int32
	}
	flagged := map[uint64]*over{}
	for k, n := range counts {
		med := medians[uint32(k>>32)]
		var o over
		if int(n) > s.ManagerDayMax {
			o.strength, o.byDay = float64(n)/float64(s.ManagerDayMax), true
		}
		if lim := s.ManagerMedianFactor * med; int(n) >= s.ManagerMedianMin && float64(n) > lim {
			o.strength = max(o.strength, float64(n)/lim)
		}
		if o.strength > 0 {
			flagged[k] = &o
		}
	}
	if len(flagged) == 0 {
		return nil
	}
	for i := range c.recs {
		if x := &c.recs[i]; !x.online {
			if o := flagged[day(x)]; o != nil {
				o.rows = append(o.rows, int32(i))
			}
		}
	}
	var out []found
	for k, o := range flagged {
		m := uint32(k >> 32)
		first := &c.recs[o.rows[0]]
		centre := g.centreSubj[mostCommon(o.rows, func(i int32) uint32 { return g.centre[c.recs[i].centre] })]
		subj := Subject{Region: centre.Region, Place: centre.Place, Centre: centre.Centre, Manager: g.managerName[m], Date: first.start}
		n, med := len(o.rows), medians[m]
		key := "msg." + KindManagerLoad + ".median"
		if o.byDay {
			key = "msg." + KindManagerLoad + ".day"
		}
		out = append(out, found{kind: KindManagerLoad, strength: o.strength, subject: subj, rows: o.rows,
			figures: map[string]float64{"services": float64(n), "median": med, "day_max": float64(s.ManagerDayMax),
				"median_limit": round2(s.ManagerMedianFactor * med)},
			fields: []string{"manager_name", "service_place", "start_date"},
			msg: func(l *loc) string {
				return l.fill(key, map[string]string{"manager": subj.Manager, "centre": l.centre(subj),
					"date": l.date(subj.Date), "n": l.num(float64(n)), "limit": l.num(float64(s.ManagerDayMax)),
					"median": l.num(med), "factor": l.num(s.ManagerMedianFactor)})
			}})
	}
	return out
}

func (c *Collector) nonWorkingDay(g *groups) []found {
	cal := c.svc.Cal
	at := map[uint64][]int32{}
	for i := range c.recs {
		x := &c.recs[i]
		if x.online {
			continue
		}
		cg := uint64(g.centre[x.centre]) << 32
		if !cal.IsWorking(x.start) {
			at[cg|uint64(uint32(x.start))] = append(at[cg|uint64(uint32(x.start))], int32(i))
		}
		if x.end != x.start && !cal.IsWorking(x.end) {
			at[cg|uint64(uint32(x.end))] = append(at[cg|uint64(uint32(x.end))], int32(i))
		}
	}
	var out []found
	for k, rows := range at {
		if len(rows) < c.opt.Settings.NonWorkingMin {
			continue
		}
		subj := g.centreSubj[uint32(k>>32)]
		subj.Date = civil.Date(int32(uint32(k)))
		n := len(rows)
		out = append(out, found{kind: KindNonWorkingDay, strength: float64(n) / float64(c.opt.Settings.NonWorkingMin),
			subject: subj, rows: rows, figures: map[string]float64{"services": float64(n)},
			fields: []string{"service_place", "manager_name", "start_date", "end_date"},
			msg: func(l *loc) string {
				return l.fill("msg."+KindNonWorkingDay, map[string]string{"centre": l.centre(subj), "date": l.date(subj.Date),
					"n": l.num(float64(n))})
			}})
	}
	return out
}

// keyed is a row index under a sort key.
type keyed struct {
	k uint64
	i int32
}

// candidates returns the rows whose key (when key gives one) may be shared by at
// least need rows: a first pass counts keys by hash in a fixed table, so only the
// few rows that can make a lead are sorted, not a million.
func (c *Collector) candidates(need int, key func(x *rec) (uint64, bool)) []keyed {
	const bits = 23
	count := make([]uint8, 1<<bits)
	slot := func(k uint64) uint32 { return uint32((k * 0x9e3779b97f4a7c15) >> (64 - bits)) }
	for i := range c.recs {
		if k, ok := key(&c.recs[i]); ok {
			if n := &count[slot(k)]; *n < 255 {
				*n++
			}
		}
	}
	var es []keyed
	for i := range c.recs {
		if k, ok := key(&c.recs[i]); ok && int(count[slot(k)]) >= need {
			es = append(es, keyed{k, int32(i)})
		}
	}
	return es
}

// runs sorts es and calls fn with each run of equal keys.
func runs(es []keyed, fn func(k uint64, rows []int32)) {
	slices.SortFunc(es, func(a, b keyed) int { return cmp.Or(cmp.Compare(a.k, b.k), cmp.Compare(a.i, b.i)) })
	var rows []int32
	for i := 0; i < len(es); {
		j := i
		rows = rows[:0]
		for j < len(es) && es[j].k == es[i].k {
			rows = append(rows, es[j].i)
			j++
		}
		fn(es[i].k, rows)
		i = j
	}
}

// skel returns the skeleton of a client name id, computed once.
func (c *Collector) skel(id uint32) skeleton {
	if c.skeletons == nil {
		c.skeletons = map[uint32]skeleton{}
	}
	s, ok := c.skeletons[id]
	if !ok {
		s = skeletonOf(c.names.get(id))
		c.skeletons[id] = s
	}
	return s
}

// people returns the different people among rows: pairs of birth date (or 0, when
// by name only) and name, then those no two of whom can be one person.
func (c *Collector) people(rows []int32, byBirth bool) (names []string, kept []int) {
	type who struct {
		birth civil.Date
		name  string
	}
	var ws []who
	var ids []uint32
	seen := map[who]bool{}
	for _, i := range rows {
		w := who{name: c.names.get(c.recs[i].name)}
		if byBirth {
			w.birth = c.recs[i].birth
		}
		if !seen[w] {
			seen[w] = true
			ws = append(ws, w)
			ids = append(ids, c.recs[i].name)
		}
	}
	kept = distinct(len(ws), func(i int) int32 { return int32(ws[i].birth) }, func(i int) skeleton { return c.skel(ids[i]) })
	for _, w := range ws {
		names = append(names, w.name)
	}
	return names, kept
}

func (c *Collector) sharedPhone() []found {
	need := c.opt.Settings.PhoneClients
	es := c.candidates(need, func(x *rec) (uint64, bool) { return x.mobile(), x.mobile() != 0 })
	var out []found
	runs(es, func(k uint64, rows []int32) {
		if len(rows) < need {
			return
		}
		keys := map[string]bool{}
		for _, i := range rows {
			keys[c.recs[i].birth.String()+"|"+c.names.get(c.recs[i].name)] = true
		}
		if len(keys) < need {
			return
		}
		_, kept := c.people(rows, true)
		if len(kept) < need {
			return
		}
		subj := Subject{Phone: phoneString(k)}
		n, nrows := len(kept), len(rows)
		out = append(out, found{kind: KindSharedPhone, strength: float64(n) / float64(need), subject: subj,
			rows: slices.Clone(rows), figures: map[string]float64{"clients": float64(n), "rows": float64(nrows)},
			fields: []string{"mobile_phone", "client_name"}, full: map[string]bool{"mobile_phone": true},
			msg: func(l *loc) string {
				return l.fill("msg."+KindSharedPhone, map[string]string{"phone": subj.Phone, "n": l.num(float64(n)),
					"rows": l.num(float64(nrows))})
			}})
	})
	return out
}

func (c *Collector) iinManyNames() []found {
	need := c.opt.Settings.IINNames
	es := c.candidates(2, func(x *rec) (uint64, bool) { return x.bin(), x.isIIN() })
	var out []found
	runs(es, func(k uint64, rows []int32) {
		first := c.recs[rows[0]].name
		if !slices.ContainsFunc(rows, func(i int32) bool { return !c.names.eq(c.recs[i].name, first) }) {
			return
		}
		names, kept := c.people(rows, false)
		if len(kept) < need {
			return
		}
		subj := Subject{IIN: maskIIN(binString(k))}
		for _, i := range kept {
			subj.Names = append(subj.Names, names[i])
		}
		n, nrows := len(kept), len(rows)
		out = append(out, found{kind: KindIINManyNames, strength: float64(n) / float64(need), subject: subj,
			rows: slices.Clone(rows), figures: map[string]float64{"names": float64(n), "rows": float64(nrows)},
			fields: []string{"bin_iin", "client_name"}, full: map[string]bool{"client_name": true},
			msg: func(l *loc) string {
				return l.fill("msg."+KindIINManyNames, map[string]string{"iin": subj.IIN, "n": l.num(float64(n)),
					"names": strings.Join(subj.Names, "; ")})
			}})
	})
	return out
}

func (c *Collector) repeatService() []found {
	need := c.opt.Settings.RepeatRows
	es := c.candidates(need, func(x *rec) (uint64, bool) {
		return uint64(uint32(x.birth))<<32 | uint64(uint16(x.start))<<16 | uint64(x.service), x.start >= 0 && x.start <= 0xffff
	})
	var out []found
	runs(es, func(_ uint64, rows []int32) {
		if len(rows) < need {
			return
		}
		// One client: rows whose names can be one person's, joined.
		parent := make([]int, len(rows))
		for i := range parent {
			parent[i] = i
		}
		var root func(int) int
		root = func(i int) int {
			for parent[i] != i {
				parent[i] = parent[parent[i]]
				i = parent[i]
			}
			return i
		}
		// Two individuals' own IINs that differ are two people, whatever their names.
		for a := range rows {
			for b := a + 1; b < len(rows); b++ {
				xa, xb := &c.recs[rows[a]], &c.recs[rows[b]]
				if xa.isIIN() && xb.isIIN() && xa.bin() != xb.bin() {
					continue
				}
				na, nb := xa.name, xb.name
				if root(a) != root(b) && (c.names.eq(na, nb) || compatible(c.skel(na), c.skel(nb))) {
					parent[root(b)] = root(a)
				}
			}
		}
		comp := map[int][]int32{}
		for a, i := range rows {
			comp[root(a)] = append(comp[root(a)], i)
		}
		for a := range rows {
			rs := comp[a]
			if len(rs) < need {
				continue
			}
			x := &c.recs[rs[0]]
			subj := Subject{Client: maskName(c.names.get(x.name)), Service: c.services.vals[x.service], Date: x.start}
			n := len(rs)
			out = append(out, found{kind: KindRepeatService, strength: float64(n) / float64(need), subject: subj, rows: rs,
				figures: map[string]float64{"rows": float64(n)},
				fields:  []string{"client_name", "service", "service_place", "start_date", "end_date"},
				msg: func(l *loc) string {
					return l.fill("msg."+KindRepeatService, map[string]string{"client": subj.Client, "n": l.num(float64(n)),
						"service": labelOr(l.service, subj.Service), "date": l.date(subj.Date)})
				}})
		}
	})
	return out
}

// recAt finds the rec of the row num of the range's month reg (-1: none).
func (c *Collector) recAt(reg uint16, num int32) int {
	i, ok := slices.BinarySearchFunc(c.recs, [2]int32{int32(reg), num}, func(x rec, k [2]int32) int {
		return cmp.Or(cmp.Compare(int32(x.reg), k[0]), cmp.Compare(x.num, k[1]))
	})
	if !ok {
		return -1
	}
	return i
}

func (c *Collector) denied(ctx context.Context, data *workflow.ReportData, g *groups) ([]found, error) {
	sr := c.opt.Surveys
	if sr == nil {
		sr = c.svc
	}
	answered := map[int32]bool{} // row → denied
	err := sr.Answers(ctx, c.opt.From, c.opt.To, func(a *qoldau.Answer) error {
		if !a.IsCompleted() || a.Completed.After(data.Now) || a.Received == "" {
			return nil
		}
		s := &a.Service
		if s.Period < c.opt.From || s.Period > c.opt.To {
			return nil
		}
		reg := int(s.Period - c.opt.From)
		if sh := data.Registers[reg].State.Shown; sh == nil || sh.Number != s.Version {
			return nil
		}
		i := c.recAt(uint16(reg), int32(s.Row))
		if i < 0 {
			return nil
		}
		answered[int32(i)] = answered[int32(i)] || a.Denied()
		return nil
	})
	if err != nil {
		return nil, err
	}
	type tally struct {
		answered, denied int
		rows             []int32
	}
	regions := map[uint16]*tally{}
	byManager := map[[2]uint32]*tally{}
	for i, d := range answered {
		x := &c.recs[i]
		rt := regions[x.region]
		if rt == nil {
			rt = &tally{}
			regions[x.region] = rt
		}
		k := [2]uint32{g.manager[x.manager], g.centre[x.centre]}
		mt := byManager[k]
		if mt == nil {
			mt = &tally{}
			byManager[k] = mt
		}
		rt.answered++
		mt.answered++
		if d {
			rt.denied++
			mt.denied++
			mt.rows = append(mt.rows, i)
		}
	}
	var out []found
	for k, mt := range byManager {
		if mt.denied < c.opt.Settings.DeniedMin || mt.denied == 0 {
			continue
		}
		x := &c.recs[mt.rows[0]]
		rt := regions[x.region]
		subj := g.centreSubj[k[1]]
		if k[1] == 0 {
			subj = Subject{Place: "online"}
		}
		subj.Region, subj.Manager = c.regions.vals[x.region], g.managerName[k[0]]
		share, rshare := float64(mt.denied)/float64(mt.answered), float64(rt.denied)/float64(rt.answered)
		d, a := mt.denied, mt.answered
		out = append(out, found{kind: KindDenied, strength: share / rshare, subject: subj, rows: mt.rows,
			figures: map[string]float64{"denied": float64(d), "answered": float64(a), "share": round4(share),
				"region_denied": float64(rt.denied), "region_answered": float64(rt.answered), "region_share": round4(rshare)},
			fields: []string{"manager_name", "service_place", "service", "end_date"},
			msg: func(l *loc) string {
				return l.fill("msg."+KindDenied, map[string]string{"manager": subj.Manager, "centre": l.centre(subj),
					"n": l.num(float64(d)), "answered": l.num(float64(a)), "share": l.share(share), "region_share": l.share(rshare)})
			}})
	}
	return out, nil
}

func round4(x float64) float64 { return math.Round(x*10000) / 10000 }
