package report

import (
	"bytes"
	"encoding/json"
	"io"
	"strconv"
	"time"

	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/qoldau"
	"github.com/qoldau/qoldau/shared/questionnaire"
	"github.com/qoldau/qoldau/shared/refdata"
	"github.com/qoldau/qoldau/shared/register"
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

// jsonText is a text of the report (the introduction, the conclusion) in the
// file's language, with the cells it states.
type jsonText struct {
	Replaced  bool           `json:"replaced"`
	Sentences []jsonSentence `json:"sentences"`
}

type jsonSentence struct {
	Text string `json:"text"`
	Refs []Ref  `json:"refs,omitempty"`
}

func textIn(lang string, replaced bool, ss []Sentence) jsonText {
	out := jsonText{Replaced: replaced, Sentences: []jsonSentence{}}
	for _, s := range ss {
		out.Sentences = append(out.Sentences, jsonSentence{Text: s.Text.In(lang), Refs: s.Refs})
	}
	return out
}

// jsonSection is one of the form's four sections: its number and heading.
type jsonSection struct {
	Number  string `json:"number"`
	Heading string `json:"heading"`
}

// jsonTable names a table: its sub-section number, title and unit, and whether
// the report shows it (a table by subtype that would repeat S7 is left out).
type jsonTable struct {
	Number string `json:"number"`
	Title  string `json:"title"`
	Unit   string `json:"unit"`
	Shown  bool   `json:"shown"`
}

// jsonLabels are the labels of the codes the file uses, in its language.
type jsonLabels struct {
	Tables   map[string]jsonTable         `json:"tables"`
	Columns  map[string]map[string]string `json:"columns"`
	Regions  map[string]string            `json:"regions"`
	Channels map[string]string            `json:"channels"`
	Options  map[string]string            `json:"options"`
	Reasons  map[string]string            `json:"reasons"`
	Errors   map[string]string            `json:"errors"`
}

func labelsIn(r *Report, l *loc) jsonLabels {
	lb := jsonLabels{Tables: map[string]jsonTable{}, Columns: map[string]map[string]string{}, Regions: map[string]string{},
		Channels: map[string]string{}, Options: map[string]string{}, Reasons: map[string]string{}, Errors: map[string]string{}}
	for _, t := range r.Tables {
		lb.Tables[t.ID] = jsonTable{Number: tableNumber(t.ID), Title: l.t("t." + t.ID), Unit: l.t("unit." + t.Unit),
			Shown: t.ID != "S7d" || !r.subtypesRepeat()}
		cols := map[string]string{}
		for _, c := range t.Columns {
			cols[c] = l.column(t, c)
		}
		lb.Columns[t.ID] = cols
	}
	for _, reg := range append(r.Regions, "total") {
		lb.Regions[reg] = l.regionName(reg)
	}
	for _, c := range r.Quality.Channels {
		if c.Channel != "total" {
			lb.Channels[c.Channel] = l.channelName(c.Channel)
		}
	}
	for _, q := range questionnaire.Annex(2) {
		for _, o := range q.Codes() {
			lb.Options[o] = l.option(q.Key, o)
		}
	}
	for _, reason := range reasonOrder {
		lb.Reasons[reason] = l.t("reason." + reason)
	}
	for _, e := range r.Violations.Errors {
		lb.Errors[e.Code] = register.Title(e.Code, qoldau.SevError).In(l.lang)
	}
	return lb
}

// WriteJSON writes the report in lang as one JSON object: lang, title, the form's
// sections, period, built, methodology, introduction, registers, reconciliation,
// regions, tables (S1..S10 keyed by region code and "total", then S7d, services by
// subtype), table_info, quality, violations, conclusion, previous, and the labels
// of the codes it uses. Codes are the same in every language; texts and labels
// are in lang. Keys keep the report's order; the build time is the only part that
// changes between two builds of the same data.
func WriteJSON(w io.Writer, r *Report, lang string, ref *refdata.Set) error {
	l := newLoc(lang, ref)
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
		{"lang", lang}, {"title", l.t("title")},
		{"sections", []jsonSection{{"1", l.t("s1")}, {"2", l.t("s2")}, {"3", l.t("s3")}, {"4", l.t("s4")}}},
		{"period", jp}, {"built", r.Built.UTC().Format(time.RFC3339)}, {"methodology", r.Methodology.In(lang)},
		{"introduction", textIn(lang, r.IntroductionReplaced, r.Introduction)},
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
		{"conclusion", textIn(lang, r.ConclusionReplaced, r.Conclusion)},
		{"previous", r.Previous}, {"labels", labelsIn(r, l)},
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
