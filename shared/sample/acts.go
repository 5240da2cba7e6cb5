package sample

import (
	"encoding/csv"
	"fmt"
	"io"
	"math/rand/v2"

	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/qoldau"
	"github.com/qoldau/qoldau/shared/refdata"
)

// ActsOptions describe an acts file (docs/rules.md, "Acts and reconciliation") for a
// set of register rows: most rows get an act that confirms them, and given shares
// are left unconfirmed, one reason each.
type ActsOptions struct {
	Seed uint64
	// Shares of the rows (0..1) to leave unconfirmed for each reason: an unsigned
	// act (or 2fa for an offline service), an act at a date outside the row's
	// dates, an act for another service, no act at all.
	Unsigned, DateMismatch, ServiceMismatch, NoAct float64
	Ref                                            *refdata.Set
}

// ActsStats tell what an acts file was written to do: rows meant to be confirmed
// and rows meant to be left unconfirmed, by reason. A row's act can still be taken
// by another row of the same enterprise and service, so they are intentions.
type ActsStats struct {
	Lines     int
	Confirmed int
	ByReason  map[string]int
}

// WriteActs writes a CSV acts file (';'-separated, UTF-8 with a BOM, dates
// DD.MM.YYYY) for rows: one line per row that is meant to have an act.
func WriteActs(w io.Writer, rows []qoldau.Row, opt ActsOptions) (ActsStats, error) {
	if opt.Ref == nil {
		opt.Ref = refdata.Default()
	}
	rnd := rand.New(rand.NewPCG(opt.Seed^0x2545f4914f6cdd1d, opt.Seed))
	var services []string
	for _, s := range opt.Ref.Services() {
		services = append(services, s.Code)
	}
	st := ActsStats{ByReason: map[string]int{"unsigned": 0, "date-mismatch": 0, "service-mismatch": 0, "no-act": 0}}
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return st, err
	}
	cw := csv.NewWriter(w)
	cw.Comma = ';'
	if err := cw.Write([]string{"act_number", "act_date", "bin_iin", "service", "service_subtype", "service_date", "confirmation"}); err != nil {
		return st, err
	}
	n := 0
	line := func(r *qoldau.Row, service string, date civil.Date, conf string) error {
		n++
		st.Lines++
		return cw.Write([]string{fmt.Sprintf("АКТ-%06d", n), date.AddDays(rnd.IntN(3)).DMY(), r.BinIIN, service, r.Subtype, date.DMY(), conf})
	}
	for i := range rows {
		r := &rows[i]
		// A date in the row's range, most often its end date.
		date := r.EndDate
		if span := r.EndDate.Sub(r.StartDate); span > 0 && rnd.IntN(4) == 0 {
			date = r.StartDate.AddDays(rnd.IntN(span + 1))
		}
		good := "eds"
		if r.Online && rnd.IntN(2) == 0 {
			good = "2fa"
		}
		x := rnd.Float64()
		var err error
		switch {
		case x < opt.Unsigned:
			st.ByReason["unsigned"]++
			conf := "none"
			if !r.Online && rnd.IntN(2) == 0 {
				conf = "2fa"
			}
			err = line(r, r.Service, date, conf)
		case x < opt.Unsigned+opt.DateMismatch:
			st.ByReason["date-mismatch"]++
			err = line(r, r.Service, r.EndDate.AddDays(20+rnd.IntN(20)), good)
		case x < opt.Unsigned+opt.DateMismatch+opt.ServiceMismatch:
			st.ByReason["service-mismatch"]++
			other := services[rnd.IntN(len(services))]
			for other == r.Service && len(services) > 1 {
				other = services[rnd.IntN(len(services))]
			}
			err = line(r, other, date, good)
		case x < opt.Unsigned+opt.DateMismatch+opt.ServiceMismatch+opt.NoAct:
			st.ByReason["no-act"]++
		default:
			st.Confirmed++
			err = line(r, r.Service, date, good)
		}
		if err != nil {
			return st, err
		}
	}
	cw.Flush()
	return st, cw.Error()
}
