package sample

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"

	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/refdata"
	"github.com/qoldau/qoldau/shared/xlsx"
)

// The audit-lead patterns a sample can plant, named as the leads that must find
// them.
const (
	PlantManagerLoad   = "manager-load"
	PlantNonWorkingDay = "non-working-day"
	PlantSharedPhone   = "shared-phone"
	PlantIINManyNames  = "iin-many-names"
	PlantRepeatService = "repeat-service"
	PlantSpike         = "spike"
)

// PlantKinds lists the patterns in the order they are planted.
var PlantKinds = []string{PlantManagerLoad, PlantNonWorkingDay, PlantSharedPhone, PlantIINManyNames, PlantRepeatService, PlantSpike}

// Plant counts the patterns to plant, by kind (PlantKinds):
//   - manager-load: one manager of a centre with 24 to 30 offline services on one
//     working day;
//   - non-working-day: three offline services at a centre on a day off;
//   - shared-phone: one mobile phone on the rows of four different clients;
//   - iin-many-names: one IIN (an individual entrepreneur) under two clearly
//     different names;
//   - repeat-service: one client with the same service and start date on two rows
//     that end on different days;
//   - spike: a centre (an entrepreneurs service centre of a region) with three times
//     its usual services this month, rendered by as many managers again.
type Plant map[string]int

// ParsePlant reads "manager-load=2,shared-phone" (a kind alone plants one; "all"
// or "all=N" plants one, or N, of each; a later entry sets its kind again).
func ParsePlant(s string) (Plant, error) {
	p := Plant{}
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		kind, num, has := strings.Cut(part, "=")
		n := 1
		if has {
			v, err := strconv.Atoi(num)
			if err != nil || v < 0 || v > 1000 {
				return nil, fmt.Errorf("plant %q: want a count from 0 to 1000", part)
			}
			n = v
		}
		if kind == "all" {
			for _, k := range PlantKinds {
				p[k] = n
			}
			continue
		}
		if !slices.Contains(PlantKinds, kind) {
			return nil, fmt.Errorf("plant %q: unknown pattern (want %s)", kind, strings.Join(PlantKinds, ", "))
		}
		p[kind] = n
	}
	return p, nil
}

// Planted is one planted pattern: its kind, the Excel rows it wrote, and what it is
// about (the manager, centre, phone, IIN or client, as written in the rows).
type Planted struct {
	Kind    string
	Rows    []int
	Subject string
	// Region is the KATO code of the region the pattern is in (manager-load,
	// non-working-day, spike).
	Region string
	// Date is the day of a manager-load, non-working-day or repeat-service pattern.
	Date civil.Date
}

// planted holds the planted rows by data row index (0-based).
type planted struct{ at map[int][]xlsx.Value }

// plant makes the rows of opt.Plant and chooses where they go, recording them in st.
func (g *gen) plant(st *Stats) (planted, error) {
	out := planted{at: map[int][]xlsx.Value{}}
	if len(g.opt.Plant) == 0 {
		return out, nil
	}
	r := rand.New(rand.NewPCG(g.opt.Seed^0x3c6ef372fe94f82b, g.opt.Seed^0xa54ff53a5f1d36f1))
	type group struct {
		p    Planted
		rows [][]xlsx.Value
	}
	var groups []group
	offline := func(ri int) *centre {
		var cs []*centre
		for _, c := range g.centres[ri] {
			if c.kind == kindESC || c.kind == kindSC {
				cs = append(cs, c)
			}
		}
		return cs[r.IntN(len(cs))]
	}
	fresh := func() person {
		g.fresh++
		return personAt(g.fresh, len(g.services))
	}
	workDay := func() civil.Date { return g.work[r.IntN(len(g.work))] }
	anyCentre := func() *centre { return pickCentre(r, g.centres[r.IntN(len(g.regions))]) }
	svc := func() int { return r.IntN(len(g.services)) }
	for _, kind := range PlantKinds {
		for n := 0; n < g.opt.Plant[kind]; n++ {
			var gr group
			gr.p.Kind = kind
			switch kind {
			case PlantManagerLoad:
				ri := r.IntN(len(g.regions))
				c := offline(ri)
				m := pick(r, c.managers)
				d := workDay()
				for k := 24 + r.IntN(7); k > 0; k-- {
					cl := fresh()
					gr.rows = append(gr.rows, g.build(r, cl, cl.name, c, m, "", d, d, svc(), cl.mobile))
				}
				gr.p.Subject, gr.p.Region, gr.p.Date = m, c.region.Code, d
			case PlantNonWorkingDay:
				if len(g.off) == 0 {
					continue
				}
				ri := r.IntN(len(g.regions))
				c := offline(ri)
				d := g.off[r.IntN(len(g.off))]
				for k := 0; k < 3; k++ {
					cl := fresh()
					gr.rows = append(gr.rows, g.build(r, cl, cl.name, c, "", "", d, d, svc(), cl.mobile))
				}
				gr.p.Subject, gr.p.Region, gr.p.Date = c.text, c.region.Code, d
			case PlantSharedPhone:
				phone := fresh().mobile
				for phone == 0 {
					phone = fresh().mobile
				}
				for k := 0; k < 4; k++ {
					cl := fresh()
					d := workDay()
					gr.rows = append(gr.rows, g.build(r, cl, cl.name, anyCentre(), "", "", d, d, svc(), phone))
				}
				gr.p.Subject = fmt.Sprintf("+7%010d", phone)
			case PlantIINManyNames:
				a := fresh()
				b := fresh()
				for b.male != a.male || sameWord(a.name, b.name, 0) || sameWord(a.name, b.name, 1) {
					b = fresh()
				}
				other := a
				other.name, other.mobile, other.email = b.name, b.mobile, ""
				for _, cl := range []person{a, other} {
					d := workDay()
					gr.rows = append(gr.rows, g.build(r, cl, cl.name, anyCentre(), "", "ip", d, d, svc(), cl.mobile))
				}
				gr.p.Subject = a.iin
			case PlantRepeatService:
				if len(g.work) < 2 {
					continue
				}
				cl := fresh()
				i := r.IntN(len(g.work) - 1)
				d, next := g.work[i], g.work[i+1]
				c, s := anyCentre(), svc()
				if c.kind == kindOnline {
					c = offline(slices.IndexFunc(g.regions, func(x refdata.Region) bool { return x.Code == c.region.Code }))
				}
				gr.rows = append(gr.rows, g.build(r, cl, cl.name, c, "", "", d, d, s, cl.mobile),
					g.build(r, cl, cl.name, c, "", "", d, next, s, cl.mobile))
				gr.p.Subject, gr.p.Date = cl.name, d
			case PlantSpike:
				ri := r.IntN(len(g.regions))
				var c *centre
				for _, x := range g.centres[ri] {
					if x.kind == kindESC {
						c = x
						break
					}
				}
				// Twice the centre's usual rows again, by as many managers again.
				extra := int(2 * float64(g.opt.Rows) / float64(len(g.regions)) * c.share)
				staff := make([]string, len(c.managers))
				for k := range staff {
					staff[k] = managerName(c.region.Code, c.text, 1000+k)
				}
				for k := 0; k < extra; k++ {
					cl := fresh()
					start, end := g.dates(r, false)
					gr.rows = append(gr.rows, g.build(r, cl, cl.name, c, pick(r, staff), "", start, end, svc(), cl.mobile))
				}
				gr.p.Subject, gr.p.Region = c.text, c.region.Code
			}
			if len(gr.rows) > 0 {
				groups = append(groups, gr)
			}
		}
	}
	total := 0
	for _, gr := range groups {
		total += len(gr.rows)
	}
	if total >= g.opt.Rows {
		return out, fmt.Errorf("sample: %d planted rows need a register of more than %d rows", total, total)
	}
	// Places among the data rows (never the first: a duplicate-row fault copies the
	// row before it).
	pos := r.Perm(g.opt.Rows - 1)[:total]
	for i := range pos {
		pos[i]++
	}
	k := 0
	for _, gr := range groups {
		at := slices.Clone(pos[k : k+len(gr.rows)])
		k += len(gr.rows)
		slices.Sort(at)
		for j, i := range at {
			out.at[i] = gr.rows[j]
			gr.p.Rows = append(gr.p.Rows, i+3) // the title and the header come first
		}
		st.Planted = append(st.Planted, gr.p)
	}
	return out, nil
}

// sameWord reports whether the names a and b have the same word at index i.
func sameWord(a, b string, i int) bool {
	wa, wb := strings.Fields(a), strings.Fields(b)
	return i < len(wa) && i < len(wb) && kazakhPlain.Replace(wa[i]) == kazakhPlain.Replace(wb[i])
}
