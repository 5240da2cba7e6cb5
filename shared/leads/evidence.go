package leads

import (
	"context"

	"strconv"

	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/workflow"
)

// evidencer writes out evidence rows: the cells a lead rests on, addressed by the
// column letters of each version's register.
type evidencer struct {
	ctx  context.Context
	c    *Collector
	data *workflow.ReportData
	cols map[uint16]map[string]string
}

func (c *Collector) evidence(ctx context.Context, data *workflow.ReportData) *evidencer {
	return &evidencer{ctx: ctx, c: c, data: data, cols: map[uint16]map[string]string{}}
}

// row writes out rec i with the cells of fields; personal values are masked unless
// full names the field.
func (e *evidencer) row(i int32, fields []string, full map[string]bool) (Evidence, error) {
	c := e.c
	x := &c.recs[i]
	p := c.opt.From.Add(int(x.reg))
	v := e.data.Registers[x.reg].State.Shown.Number
	cols, ok := e.cols[x.reg]
	if !ok {
		var err error
		if cols, err = c.svc.Columns(e.ctx, p, v); err != nil {
			return Evidence{}, err
		}
		e.cols[x.reg] = cols
	}
	ev := Evidence{Period: p, Version: v, Row: int(x.num)}
	if x.outcome.Unconfirmed() {
		ev.Excluded = x.outcome.String()
	}
	for _, f := range fields {
		cell := Cell{Field: f, Value: c.value(x, f, full[f])}
		if col := cols[f]; col != "" {
			cell.Cell = col + strconv.Itoa(int(x.num))
		}
		ev.Cells = append(ev.Cells, cell)
	}
	return ev, nil
}

// value is the stored value of field in rec x (masked when personal and not full).
func (c *Collector) value(x *rec, field string, full bool) string {
	date := func(d civil.Date) string { return d.String() }
	switch field {
	case "manager_name":
		return c.managers.vals[x.manager].name
	case "service_place":
		if x.centre == 0 {
			return "online"
		}
		ck := c.centres.vals[x.centre]
		if ck.centre != "" {
			return ck.centre
		}
		return ck.settlement
	case "start_date":
		return date(x.start)
	case "end_date":
		return date(x.end)
	case "mobile_phone":
		if x.mobile() == 0 {
			return ""
		}
		s := phoneString(x.mobile())
		if full {
			return s
		}
		return s[:2] + "*******" + s[len(s)-3:]
	case "client_name":
		if full {
			return c.names.get(x.name)
		}
		return maskName(c.names.get(x.name))
	case "bin_iin":
		if full {
			return binString(x.bin())
		}
		return maskIIN(binString(x.bin()))
	case "service":
		return c.services.vals[x.service]
	case "region":
		return c.regions.vals[x.region]
	}
	return ""
}
