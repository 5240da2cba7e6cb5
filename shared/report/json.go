package report

import (
	"bytes"
	"encoding/json"
	"io"
	"strconv"
	"time"

	"github.com/qoldau/qoldau/shared/civil"
)

// jsonPeriod is the report's period in JSON: from and to are months; a fourth
// quarter or annual report also says "as of December 1".
type jsonPeriod struct {
	ID   string      `json:"id"`
	Kind string      `json:"kind"`
	From civil.Month `json:"from"`
	To   civil.Month `json:"to"`
	Due  *civil.Date `json:"due,omitempty"`
	AsOf *civil.Date `json:"as_of,omitempty"`
}

type jsonTableInfo struct {
	Unit string `json:"unit"`
	// TotalDiffers: a total is a distinct count below the sum of its column.
	TotalDiffers bool `json:"total_differs"`
}

type jsonConclusion struct {
	Replaced  bool       `json:"replaced"`
	Sentences []Sentence `json:"sentences"`
}

// WriteJSON writes the report as one JSON object (the shape): period,
// built, methodology, registers, reconciliation, regions, tables (S1..S10 keyed by
// region code and "total", then S7d, services by subtype), table_info, quality,
// violations, conclusion and previous. Keys keep the report's order; the build time
// is the only part that changes between two builds of the same data.
func WriteJSON(w io.Writer, r *Report) error {
	var b bytes.Buffer
	jp := jsonPeriod{ID: r.Period.ID, Kind: r.Period.Kind, From: r.Period.From, To: r.Period.To}
	if r.Due != 0 {
		d := r.Due
		jp.Due = &d
	}
	if r.AsOf != 0 {
		d := r.AsOf
		jp.AsOf = &d
	}
	b.WriteString("{")
	field := func(name string, v any, first bool) error {
		if !first {
			b.WriteString(",")
		}
		b.WriteString("\n ")
		b.WriteString(strconv.Quote(name))
		b.WriteString(":")
		return encode(&b, v)
	}
	regs := r.Registers
	if regs == nil {
		regs = []Register{}
	}
	steps := []struct {
		name string
		v    any
	}{
		{"period", jp}, {"built", r.Built.UTC().Format(time.RFC3339)}, {"methodology", r.Methodology},
		{"registers", regs}, {"reconciliation", r.Reconciliation}, {"regions", r.Regions},
	}
	for i, s := range steps {
		if err := field(s.name, s.v, i == 0); err != nil {
			return err
		}
	}
	b.WriteString(",\n \"tables\":{")
	info := map[string]jsonTableInfo{}
	for i, t := range r.Tables {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString("\n  ")
		b.WriteString(strconv.Quote(t.ID))
		b.WriteString(":{")
		row := func(key string, cells []int, first bool) {
			if !first {
				b.WriteString(",")
			}
			b.WriteString(strconv.Quote(key))
			b.WriteString(":{")
			for j, c := range t.Columns {
				if j > 0 {
					b.WriteString(",")
				}
				b.WriteString(strconv.Quote(c))
				b.WriteString(":")
				b.WriteString(strconv.Itoa(cells[j]))
			}
			b.WriteString("}")
		}
		for k, reg := range r.Regions {
			row(reg, t.Cells[k], k == 0)
		}
		row("total", t.Total, len(r.Regions) == 0)
		b.WriteString("}")
		info[t.ID] = jsonTableInfo{Unit: t.Unit, TotalDiffers: t.Differs}
	}
	b.WriteString("}")
	rest := []struct {
		name string
		v    any
	}{
		{"table_info", info}, {"quality", r.Quality}, {"violations", r.Violations},
		{"conclusion", jsonConclusion{Replaced: r.ConclusionReplaced, Sentences: r.Conclusion}},
		{"previous", r.Previous},
	}
	for _, s := range rest {
		if err := field(s.name, s.v, false); err != nil {
			return err
		}
	}
	b.WriteString("\n}\n")
	_, err := w.Write(b.Bytes())
	return err
}

// encode writes v as compact JSON without HTML escaping.
func encode(b *bytes.Buffer, v any) error {
	enc := json.NewEncoder(b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return err
	}
	b.Truncate(b.Len() - 1) // the encoder's newline
	return nil
}
