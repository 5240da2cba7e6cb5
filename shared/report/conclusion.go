package report

import (
	"strings"

	"github.com/qoldau/qoldau/shared/qoldau"
)

// say writes a sentence in the three languages, naming the cells it states.
func (b *builder) say(refs []Ref, text func(l *loc) string) Sentence {
	if b.locs == nil {
		b.locs = map[string]*loc{}
		for _, lang := range Langs {
			b.locs[lang] = newLoc(lang, b.ref)
		}
	}
	return Sentence{Text: qoldau.Text{KK: text(b.locs["kk"]), RU: text(b.locs["ru"]), EN: text(b.locs["en"])}, Refs: refs}
}

// conclusion writes the generated key observations of Section 4 (docs/rules.md, "The
// form"), each sentence naming the cells it states.
func (b *builder) conclusion(r *Report) []Sentence {
	say := b.say
	var out []Sentence
	rc := r.Reconciliation
	s1 := r.Table("S1")
	clients := s1.Total[0]
	if rc.Counted == 0 {
		out = append(out, say([]Ref{{Table: "reconciliation", Row: "counted"}}, func(l *loc) string { return l.t("c.nothing") }))
	} else {
		s3 := r.Table("S3")
		ents := 0
		for _, n := range s3.Total {
			ents += n
		}
		out = append(out, say([]Ref{{Table: "reconciliation", Row: "counted"}, {Table: "S1", Row: "total", Column: "clients"}, {Table: "S3", Row: "total"}},
			func(l *loc) string {
				return l.f("c.counted", l.num(rc.Counted), l.num(clients), l.num(ents), l.period(r.Period))
			}))
	}
	out = append(out, say([]Ref{{Table: "reconciliation", Row: "received"}, {Table: "reconciliation", Row: "late"},
		{Table: "reconciliation", Row: "rejected"}, {Table: "reconciliation", Row: "unconfirmed"}},
		func(l *loc) string {
			return l.f("c.excluded", l.num(rc.Received), l.num(rc.Late+rc.Rejected+rc.Unconfirmed), l.num(rc.Late),
				l.num(rc.Rejected), l.num(rc.Unconfirmed))
		}))

	// Most and fewest clients.
	if clients > 0 && len(r.Regions) > 1 {
		hi, lo := 0, 0
		for i := range r.Regions {
			if s1.Cells[i][0] > s1.Cells[hi][0] {
				hi = i
			}
			if s1.Cells[i][0] < s1.Cells[lo][0] {
				lo = i
			}
		}
		out = append(out, say([]Ref{{Table: "S1", Row: r.Regions[hi], Column: "clients"}, {Table: "S1", Row: r.Regions[lo], Column: "clients"}},
			func(l *loc) string {
				return l.f("c.most", l.regionName(r.Regions[hi]), l.num(s1.Cells[hi][0]), l.regionName(r.Regions[lo]), l.num(s1.Cells[lo][0]))
			}))
	}

	// The change from the previous period.
	if p := r.Previous; p != nil {
		out = append(out, say([]Ref{{Table: "previous", Row: "total", Column: "clients"}, {Table: "S1", Row: "total", Column: "clients"}},
			func(l *loc) string {
				change := "—"
				if p.Clients > 0 {
					d := float64(clients-p.Clients) / float64(p.Clients)
					change = l.pct(d)
					if d > 0 {
						change = "+" + change
					}
				}
				return l.f("c.change", l.num(p.Clients), l.periodID(p.Period), l.num(clients), change)
			}))
	}

	// Quality: the lowest and highest mean rating with enough answers.
	q := r.Quality
	lo, hi := -1, -1
	for i, row := range q.ByRegion {
		if row.Key == "total" || row.Rating == nil || row.Rating.N < SmallSample {
			continue
		}
		if lo < 0 || row.Rating.Value < q.ByRegion[lo].Rating.Value {
			lo = i
		}
		if hi < 0 || row.Rating.Value > q.ByRegion[hi].Rating.Value {
			hi = i
		}
	}
	if lo >= 0 {
		a, z := q.ByRegion[lo], q.ByRegion[hi]
		out = append(out, say([]Ref{{Table: "quality", Row: a.Key, Column: "q2_rating"}, {Table: "quality", Row: z.Key, Column: "q2_rating"}},
			func(l *loc) string {
				return l.f("c.quality", l.regionName(a.Key), fmtFloat(a.Rating.Value, 2, l.lang), l.regionName(z.Key), fmtFloat(z.Rating.Value, 2, l.lang))
			}))
	} else {
		out = append(out, say([]Ref{{Table: "quality", Row: "total", Column: "q2_rating"}}, func(l *loc) string { return l.t("c.quality.none") }))
	}
	if !q.NoAnswers {
		if n := len(q.Denied); n > 0 {
			out = append(out, say([]Ref{{Table: "denied"}}, func(l *loc) string { return l.f("c.denied", l.num(n)) }))
		} else {
			out = append(out, say([]Ref{{Table: "denied"}}, func(l *loc) string { return l.t("c.denied.none") }))
		}
	}

	// Lateness.
	v := r.Violations
	late, missing, letters, corrections := 0, 0, 0, 0
	for _, x := range v.Registers {
		if x.Status == StatusLate {
			late++
		} else {
			missing++
		}
	}
	for _, x := range v.Letters {
		if x.Status == StatusLate || x.Status == StatusOverdue {
			letters++
		}
	}
	for _, x := range v.Corrections {
		if x.Status == StatusLate || x.Status == StatusMissing {
			corrections++
		}
	}
	refs := []Ref{{Table: "violations", Row: "registers"}, {Table: "violations", Row: "letters"}, {Table: "violations", Row: "corrections"}}
	if late+missing+letters+corrections == 0 {
		out = append(out, say(refs, func(l *loc) string { return l.t("c.ontime") }))
	} else {
		out = append(out, say(refs, func(l *loc) string {
			return l.f("c.late", l.num(late), l.num(missing), l.num(letters), l.num(corrections))
		}))
	}
	var bad []string
	for _, x := range v.Reports {
		if x.Status != StatusOnTime {
			bad = append(bad, x.Period)
		}
	}
	if len(bad) > 0 {
		out = append(out, say([]Ref{{Table: "violations", Row: "reports"}}, func(l *loc) string {
			names := make([]string, len(bad))
			for i, id := range bad {
				names[i] = l.periodID(id)
			}
			return l.f("c.reports", strings.Join(names, "; "))
		}))
	}
	return out
}
