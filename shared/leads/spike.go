package leads

import (
	"context"
	"math"
	"slices"

	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/qoldau"
	"github.com/qoldau/qoldau/shared/workflow"
)

// spikeKey counts the services of a centre (group or, in the history, centre id)
// or a region in a month.
type spikeKey struct {
	region bool
	id     uint32
	month  civil.Month
}

// readHistory counts the services of the months before the period that a spike
// compares with: the error-free rows of each counted version, by region and centre.
func (c *Collector) readHistory(ctx context.Context) error {
	c.hist, c.histMonths = map[spikeKey]int32{}, map[civil.Month]bool{}
	first := c.opt.From.Add(-c.opt.Settings.SpikeHistory)
	periods, err := c.svc.Periods(ctx)
	if err != nil {
		return err
	}
	for _, p := range periods {
		if p < first || p >= c.opt.From {
			continue
		}
		v, err := c.svc.CountedRows(ctx, p, func(r *qoldau.Row) error {
			if r.Errors > 0 {
				return nil
			}
			c.hist[spikeKey{true, c.regions.id(r.Region), p}]++
			if !r.Online {
				c.hist[spikeKey{false, c.centres.id(centreKey{r.Region, r.Place, r.Centre, r.Settlement}), p}]++
			}
			return nil
		})
		if err != nil {
			return err
		}
		if v > 0 {
			c.histMonths[p] = true
		}
	}
	return nil
}

func (c *Collector) spikes(data *workflow.ReportData, g *groups) []found {
	s := c.opt.Settings
	counts := map[spikeKey]int32{}
	has := map[civil.Month]bool{}
	for k, n := range c.hist {
		if !k.region {
			k.id = g.centre[k.id]
		}
		counts[k] += n
	}
	for m := range c.histMonths {
		has[m] = true
	}
	for i, r := range data.Registers {
		if r.State.Counted != nil && !r.State.Late {
			has[c.opt.From.Add(i)] = true
		}
	}
	for i := range c.recs {
		x := &c.recs[i]
		m := c.opt.From.Add(int(x.reg))
		counts[spikeKey{true, uint32(x.region), m}]++
		if x.centre != 0 {
			counts[spikeKey{false, g.centre[x.centre], m}]++
		}
	}
	type hit struct {
		key     spikeKey
		x       int32
		med     float64
		mad     float64
		z       float64
		history []MonthCount
		rows    []int32
	}
	hits := map[spikeKey]*hit{}
	for k, x := range counts {
		if k.month < c.opt.From || k.month > c.opt.To || int(x) < s.SpikeMin {
			continue
		}
		var vals []float64
		var hist []MonthCount
		for j := 1; j <= s.SpikeHistory; j++ {
			m := k.month.Add(-j)
			if !has[m] {
				continue
			}
			if v := counts[spikeKey{k.region, k.id, m}]; v > 0 {
				vals = append(vals, float64(v))
				hist = append(hist, MonthCount{Month: m, Services: int(v)})
			}
		}
		if len(vals) < s.SpikeMonths {
			continue
		}
		med := median(slices.Clone(vals))
		dev := make([]float64, len(vals))
		for i, v := range vals {
			dev[i] = math.Abs(v - med)
		}
		mad := median(dev)
		scale := max(1.4826*mad, math.Sqrt(med), SpikeFloor*med, 1e-9)
		z := (float64(x) - med) / scale
		if z < s.SpikeZ {
			continue
		}
		slices.Reverse(hist)
		hits[k] = &hit{key: k, x: x, med: med, mad: mad, z: z, history: hist}
	}
	if len(hits) == 0 {
		return nil
	}
	for i := range c.recs {
		x := &c.recs[i]
		m := c.opt.From.Add(int(x.reg))
		if h := hits[spikeKey{true, uint32(x.region), m}]; h != nil {
			h.rows = append(h.rows, int32(i))
		}
		if x.centre != 0 {
			if h := hits[spikeKey{false, g.centre[x.centre], m}]; h != nil {
				h.rows = append(h.rows, int32(i))
			}
		}
	}
	var out []found
	for _, h := range hits {
		var subj Subject
		fields := []string{"service_place", "manager_name", "start_date"}
		if h.key.region {
			subj = Subject{Region: c.regions.vals[h.key.id]}
			fields = []string{"region", "service_place", "start_date"}
		} else {
			subj = g.centreSubj[h.key.id]
		}
		subj.Month = h.key.month
		out = append(out, found{kind: KindSpike, strength: h.z / s.SpikeZ, subject: subj, rows: h.rows, history: h.history,
			figures: map[string]float64{"services": float64(h.x), "median": h.med, "mad": h.mad, "z": round2(h.z),
				"months": float64(len(h.history))},
			fields: fields,
			msg: func(l *loc) string {
				name := labelOr(l.region, subj.Region)
				if !h.key.region {
					name = l.centre(subj)
				}
				return l.fill("msg."+KindSpike, map[string]string{"subject": name, "n": l.num(float64(h.x)),
					"month": subj.Month.String(), "median": l.num(h.med), "months": l.num(float64(len(h.history))),
					"z": l.num(round2(h.z))})
			}})
	}
	return out
}
