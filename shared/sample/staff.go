package sample

import (
	"hash/fnv"
	"math/rand/v2"

	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/refdata"
)

// Staffing: every region has, in each of its settlements, an entrepreneurs service
// centre (ЦОП) and a support centre (ЦПП), one mobile centre that travels between
// its settlements, and an online desk. A row's place follows the shares of
// placeShares; each centre has as many managers as keep them at about
// servicesPerManagerDay services a working day (the online desk: a calendar day),
// so that a register of any size looks staffed like a real one; clients queue, and
// the next free manager takes the next client. Managers are the same people from
// month to month (their names come from the region, the centre and their number),
// and a larger register only adds managers.
const servicesPerManagerDay = 5

// Place kinds of the sample's centres, with the share of rows each kind takes.
const (
	kindESC = iota // ЦОП, per settlement
	kindSC         // ЦПП, per settlement
	kindMobile
	kindOnline
)

var placeShares = [...]float64{kindESC: 0.4, kindSC: 0.3, kindMobile: 0.1, kindOnline: 0.2}

// centre is a place services are rendered at, with its managers.
type centre struct {
	region   refdata.Region
	kind     int
	town     string // the settlement ("" for the mobile centre and the online desk)
	text     string // the service_place cell: "ЦОП г. Караганда"
	share    float64
	managers []string
}

// staff builds the centres of the regions for a register of rows rows in month p.
func staff(regions []refdata.Region, rows int, working, days int) [][]*centre {
	out := make([][]*centre, len(regions))
	perRegion := float64(rows) / float64(max(1, len(regions)))
	for ri, reg := range regions {
		towns := settlements[reg.Code]
		var cs []*centre
		for _, t := range towns {
			n := float64(len(towns))
			cs = append(cs, &centre{region: reg, kind: kindESC, town: t, text: "ЦОП " + t, share: placeShares[kindESC] / n},
				&centre{region: reg, kind: kindSC, town: t, text: "ЦПП " + t, share: placeShares[kindSC] / n})
		}
		cs = append(cs, &centre{region: reg, kind: kindMobile, text: "МЦПП", share: placeShares[kindMobile]},
			&centre{region: reg, kind: kindOnline, text: "Онлайн", share: placeShares[kindOnline]})
		taken := map[string]bool{}
		for _, c := range cs {
			d := working
			if c.kind == kindOnline {
				d = days
			}
			perDay := perRegion * c.share / float64(max(1, d))
			n := max(1, int(perDay/servicesPerManagerDay+0.999))
			for k := 0; len(c.managers) < n; k++ {
				name := managerName(reg.Code, c.text, k)
				if !taken[name] {
					taken[name] = true
					c.managers = append(c.managers, name)
				}
			}
		}
		out[ri] = cs
	}
	return out
}

// managerName is the name of manager k of a centre: the same in every file.
func managerName(region, centre string, k int) string {
	h := fnv.New64a()
	h.Write([]byte(region + "|" + centre))
	r := rand.New(rand.NewPCG(h.Sum64(), uint64(k)))
	return personName(r, r.IntN(2) == 0)
}

// pickCentre draws a centre by the shares.
func pickCentre(r *rand.Rand, cs []*centre) *centre {
	x := r.Float64()
	for _, c := range cs {
		if x < c.share {
			return c
		}
		x -= c.share
	}
	return cs[len(cs)-1]
}

// workingDays lists the working days of month p under isWorking.
func workingDays(p civil.Month, isWorking func(civil.Date) bool) (work, off []civil.Date) {
	for d := p.First(); d <= p.Last(); d = d.AddDays(1) {
		if isWorking(d) {
			work = append(work, d)
		} else {
			off = append(off, d)
		}
	}
	return work, off
}
