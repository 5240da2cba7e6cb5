package report

// introduction writes the generated narrative paragraph that opens Section 1 (the
// form's "general information about implementation of the instrument"): the
// period, the instrument and the sources the report rests on, and what was
// counted, naming the cells it states.
func (b *builder) introduction(r *Report) []Sentence {
	s1, s9 := r.Table("S1"), r.Table("S9")
	regions := 0
	for i := range r.Regions {
		if s1.Cells[i][0] > 0 {
			regions++
		}
	}
	refs := []Ref{{Table: "reconciliation", Row: "counted"}, {Table: "S9", Row: "total", Column: "online"},
		{Table: "S1", Row: "total", Column: "clients"}, {Table: "answers"}}
	return []Sentence{b.say(refs, func(l *loc) string {
		return l.f("i.text", l.period(r.Period), l.num(r.Reconciliation.Counted), l.num(s9.Total[0]), l.num(s1.Total[0]),
			l.num(regions), l.num(r.Quality.Answers))
	})}
}
