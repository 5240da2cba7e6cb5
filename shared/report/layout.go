package report

import (
	"strconv"
	"strings"

	"github.com/qoldau/qoldau/shared/qoldau"
	"github.com/qoldau/qoldau/shared/refdata"
	"github.com/qoldau/qoldau/shared/register"
)

// The layout is the report in one language as sheets of blocks (paragraphs and
// tables, some with a chart), in the order of the form of Annex 3: the title, then
// the four numbered sections with the form's headings, each holding sub-sections
// numbered 1.1, 2.1, ... The .xlsx and .pdf writers both render it, so they show
// the same sections, tables and charts.

// cellKind tells how a cell's value is shown.
type cellKind uint8

const (
	cText cellKind = iota
	cInt
	cMean // a mean, two decimals
	cPct  // a share 0..1, as a percentage
	cNone // no value (no answers): the text s in a table, no bar and an empty cell in a chart's data
)

type cell struct {
	kind cellKind
	s    string
	n    float64
}

func txt(s string) cell       { return cell{kind: cText, s: s} }
func num(n int) cell          { return cell{kind: cInt, n: float64(n)} }
func meanCell(x float64) cell { return cell{kind: cMean, n: x} }
func pctCell(x float64) cell  { return cell{kind: cPct, n: x} }

// series is one series of a bar chart.
type series struct {
	name string
	col  int // the block's column holding the values
}

// chart is a bar chart of a block. Down (the default): the categories are the
// first cells of the block's rows 0 to rows-1 (a total row left out), one bar per
// series column. Across: the categories are the header's cells from column 1, and
// the one series is the values of row. Max, when set, is the end of the value
// axis (5 for means on a 1-5 scale); else the largest value.
type chart struct {
	title  string
	series []series
	rows   int
	across bool
	row    int
	max    float64
	// none is what a category with no value says in place of a bar.
	none string
}

type block struct {
	title  string
	header []string
	rows   [][]cell
	// sub marks the rows that split the row above them (a channel's row under
	// a region's): kept with it on a page.
	sub    []bool
	total  bool   // the last row (with the rows that split it) is a total row (bold)
	note   string // under the table
	para   []string
	widths []float64 // column widths in characters (xlsx); nil: defaults
	chart  *chart
}

// isSub reports whether row i splits the row above it.
func (b *block) isSub(i int) bool { return i < len(b.sub) && b.sub[i] }

// bold reports whether row i is the total row or splits it.
func (b *block) bold(i int) bool {
	if !b.total {
		return false
	}
	last := len(b.rows) - 1
	for last > 0 && b.isSub(last) {
		last--
	}
	return i >= last
}

// add appends a row and the rows that split it.
func (b *block) add(row []cell, split ...[]cell) {
	for len(b.sub) < len(b.rows) {
		b.sub = append(b.sub, false)
	}
	b.rows = append(b.rows, row)
	b.sub = append(b.sub, false)
	for _, r := range split {
		b.rows = append(b.rows, r)
		b.sub = append(b.sub, true)
	}
}

type sheet struct {
	name    string // the xlsx sheet name (at most 31 characters)
	section string // the heading of the form's section the sheet is in
	heading string // the sub-section's heading; "" for a section's own sheet
	intro   []string
	blocks  []*block
}

type layout struct {
	title, subtitle string
	sheets          []*sheet
}

// layout lays the report out in language lang.
func (r *Report) layout(lang string, ref *refdata.Set) *layout {
	l := newLoc(lang, ref)
	lay := &layout{title: l.t("title"), subtitle: l.t("annex") + " · " + l.period(r.Period)}
	lay.sheets = append(lay.sheets, r.introSheet(l), r.deadlinesSheet(l), r.exclusionsSheet(l))
	for _, t := range r.Tables {
		if t.ID == "S7d" && r.subtypesRepeat() {
			continue
		}
		lay.sheets = append(lay.sheets, r.tableSheet(l, t))
	}
	lay.sheets = append(lay.sheets, r.qualitySheets(l)...)
	lay.sheets = append(lay.sheets, r.conclusionSheet(l))
	return lay
}

// subtypesRepeat reports whether the table by service and subtype would repeat S7:
// no counted row names a subtype.
func (r *Report) subtypesRepeat() bool {
	t := r.Table("S7d")
	if t == nil {
		return true
	}
	for _, c := range t.Columns {
		if strings.Contains(c, " / ") {
			return false
		}
	}
	return true
}

// tableNumber is a table's sub-section number in Section 2: 2.1 for S1 … 2.10
// for S10, 2.7.1 for S7 by subtype.
func tableNumber(id string) string {
	if id == "S7d" {
		return "2.7.1"
	}
	return "2." + strings.TrimPrefix(id, "S")
}

// Sub-section numbers outside Section 2.
const (
	subRegisters = "1.1"
	subRecon     = "1.2"
	subDeadlines = "1.3"
	subExcluded  = "1.4"
)

// sub names a sub-section: "1.3. Deadline compliance".
func sub(number, heading string) string { return number + ". " + heading }

func (r *Report) introSheet(l *loc) *sheet {
	sh := &sheet{name: l.t("sheet.intro"), section: l.t("s1")}
	if r.IntroductionReplaced {
		sh.intro = append(sh.intro, l.t("i.replaced"))
	}
	for _, s := range r.Introduction {
		sh.intro = append(sh.intro, s.Text.In(l.lang))
	}
	kv := &block{header: []string{l.t("kv.item"), l.t("kv.value")}, widths: []float64{34, 60}}
	kv.rows = append(kv.rows,
		[]cell{txt(l.t("methodology")), txt(r.Methodology.In(l.lang))},
		[]cell{txt(l.t("period")), txt(l.period(r.Period))},
		[]cell{txt(l.t("built")), txt(l.time(r.Built))},
	)
	if r.Due != 0 {
		kv.rows = append(kv.rows, []cell{txt(l.t("due")), txt(l.date(r.Due))})
	}
	if r.AsOf != 0 {
		kv.rows = append(kv.rows, []cell{txt(l.t("asof.label")), txt(l.date(r.AsOf))})
	}
	regs := &block{title: sub(subRegisters, l.t("registers")), header: []string{l.t("col.period"), l.t("col.version"),
		l.t("col.versions"), l.t("col.received"), l.t("col.due"), l.t("col.effective"), l.t("col.status"), l.t("col.rows"),
		l.t("col.counted")}, widths: []float64{16, 9, 9, 18, 12, 14, 18, 12, 12}}
	for _, g := range r.Registers {
		ver := txt("")
		if g.Version > 0 {
			ver = num(g.Version)
		}
		regs.rows = append(regs.rows, []cell{txt(l.month(g.Period)), ver, num(g.Versions), txt(l.time(g.Received)),
			txt(l.date(g.Due)), txt(l.date(g.Effective)), txt(l.t("status." + g.Status)), num(g.Rows), num(g.Counted)})
	}
	rc := r.Reconciliation
	rec := &block{title: sub(subRecon, l.t("recon")) + " (" + l.t("recon.formula") + ")",
		header: []string{l.t("recon"), l.t("col.rows_n")}, widths: []float64{50, 12}}
	rec.rows = [][]cell{
		{txt(l.t("recon.received")), num(rc.Received)},
		{txt(l.t("recon.late")), num(rc.Late)},
		{txt(l.t("recon.rejected")), num(rc.Rejected)},
		{txt(l.t("recon.unconfirmed")), num(rc.Unconfirmed)},
	}
	for _, reason := range reasonOrder {
		rec.rows = append(rec.rows, []cell{txt("    " + l.t("reason."+reason)), num(rc.UnconfirmedBy[reason])})
	}
	rec.rows = append(rec.rows, []cell{txt(l.t("recon.counted")), num(rc.Counted)})
	data := &block{para: []string{l.f("data.pdf", l.num(r.Counted()), l.t("sheet.data")), l.t("data.note")}}
	sh.blocks = []*block{kv, regs, rec, data}
	return sh
}

var reasonOrder = []string{"unsigned", "date-mismatch", "service-mismatch", "no-act"}

// deadlinesSheet is sub-section 1.3: the deadlines of clauses 7 to 9, 13 and 14
// and whether they were kept.
func (r *Report) deadlinesSheet(l *loc) *sheet {
	v := r.Violations
	sh := &sheet{name: subDeadlines, section: l.t("s1"), heading: sub(subDeadlines, l.t("sub.deadlines"))}
	regs := &block{title: l.t("v.registers"), header: []string{l.t("col.period"), l.t("col.due"), l.t("col.received"),
		l.t("col.wdl"), l.t("col.status")}, widths: []float64{14, 12, 18, 14, 18}}
	for _, x := range v.Registers {
		regs.rows = append(regs.rows, []cell{txt(l.month(x.Period)), txt(l.date(x.Due)), txt(l.time(x.Received)),
			num(x.WorkingDaysLate), txt(l.t("status." + x.Status))})
	}
	if len(v.Registers) == 0 {
		regs.header, regs.para = nil, []string{l.t("v.registers.none")}
	}
	letters := &block{title: l.t("v.letters"), header: []string{l.t("col.letter"), l.t("col.letter_no"), l.t("col.errors"),
		l.t("col.drafted"), l.t("col.send_due"), l.t("col.sent"), l.t("col.delivered"), l.t("col.status")},
		widths: []float64{16, 12, 8, 18, 12, 18, 18, 26}}
	for _, x := range v.Letters {
		letters.rows = append(letters.rows, []cell{txt(l.letterName(x.Period, x.Version)), txt(x.Number), num(x.Errors),
			txt(l.time(x.Drafted)), txt(l.date(x.SendDue)), txt(l.time(x.Sent)), txt(l.time(x.Received)),
			txt(l.t("letter." + x.Status))})
	}
	if len(v.Letters) == 0 {
		letters.header, letters.para = nil, []string{l.t("v.letters.none")}
	}
	corr := &block{title: l.t("v.corrections"), header: []string{l.t("col.letter"), l.t("col.correction_due"),
		l.t("col.correction"), l.t("col.received"), l.t("col.status")}, widths: []float64{16, 14, 14, 18, 26}}
	for _, x := range v.Corrections {
		ver := txt("")
		if x.Version > 0 {
			ver = num(x.Version)
		}
		corr.rows = append(corr.rows, []cell{txt(l.letterName(x.Period, x.LetterVersion)), txt(l.date(x.Due)), ver,
			txt(l.time(x.Received)), txt(l.t("correction." + x.Status))})
	}
	if len(v.Corrections) == 0 {
		corr.header, corr.para = nil, []string{l.t("v.corrections.none")}
	}
	reps := &block{title: l.t("v.reports"), header: []string{l.t("col.report"), l.t("col.due"), l.t("col.submitted"),
		l.t("col.letter_no"), l.t("col.reg_no"), l.t("col.media"), l.t("col.wdl"), l.t("col.status")},
		widths: []float64{30, 12, 18, 14, 14, 10, 14, 22}}
	for _, x := range v.Reports {
		reps.rows = append(reps.rows, []cell{txt(l.periodID(x.Period)), txt(l.date(x.Due)), txt(l.time(x.Submitted)),
			txt(x.LetterNo), txt(x.RegNo), txt(l.media(x.Media)), num(x.WorkingDaysLate), txt(l.t("report." + x.Status))})
	}
	if len(v.Reports) == 0 {
		reps.header, reps.para = nil, []string{l.t("v.reports.none")}
	}
	sh.blocks = []*block{regs, letters, corr, reps}
	return sh
}

// exclusionsSheet is sub-section 1.4: the rows left out of Section 2 as
// unconfirmed by acts (clause 11) and as still in error after the correction
// deadline (clause 9), each error by its description.
func (r *Report) exclusionsSheet(l *loc) *sheet {
	v := r.Violations
	sh := &sheet{name: subExcluded, section: l.t("s1"), heading: sub(subExcluded, l.t("sub.exclusions"))}
	unc := &block{title: l.t("v.unconfirmed"), header: []string{l.t("col.reason"), l.t("col.rows_n")}, total: true,
		widths: []float64{50, 12}}
	tot := 0
	for _, reason := range reasonOrder {
		unc.rows = append(unc.rows, []cell{txt(l.t("reason." + reason)), num(v.Unconfirmed[reason])})
		tot += v.Unconfirmed[reason]
	}
	unc.rows = append(unc.rows, []cell{txt(l.t("col.total")), num(tot)})
	errs := &block{title: l.t("v.errors"), header: []string{l.t("col.error"), l.t("col.rows_n")}, widths: []float64{60, 12}}
	for _, x := range v.Errors {
		errs.rows = append(errs.rows, []cell{txt(register.Title(x.Code, qoldau.SevError).In(l.lang)), num(x.Rows)})
	}
	if len(v.Errors) == 0 {
		errs.header, errs.para = nil, []string{l.t("v.errors.none")}
	} else {
		errs.note = l.t("v.errors.note") + " " + l.num(v.ErrorRows)
	}
	if len(v.Open) > 0 {
		var ps []string
		for _, p := range v.Open {
			ps = append(ps, l.month(p))
		}
		errs.para = append(errs.para, l.t("v.errors.open")+" "+strings.Join(ps, ", "))
	}
	sh.blocks = []*block{unc, errs}
	return sh
}

func (r *Report) tableSheet(l *loc, t *Table) *sheet {
	number := tableNumber(t.ID)
	sh := &sheet{name: number, section: l.t("s2"), heading: sub(number, l.t("t."+t.ID))}
	b := &block{title: l.t("unit." + t.Unit), total: true}
	b.header = append(b.header, l.t("col.region"))
	b.widths = append(b.widths, 30)
	for _, c := range t.Columns {
		b.header = append(b.header, l.column(t, c))
		b.widths = append(b.widths, 14)
	}
	if len(t.Columns) > 6 {
		b.widths[0] = 26
		for i := 1; i < len(b.widths); i++ {
			b.widths[i] = 12
		}
	}
	for i, reg := range r.Regions {
		row := []cell{txt(l.regionName(reg))}
		for _, n := range t.Cells[i] {
			row = append(row, num(n))
		}
		b.rows = append(b.rows, row)
	}
	row := []cell{txt(l.t("col.total"))}
	for _, n := range t.Total {
		row = append(row, num(n))
	}
	b.rows = append(b.rows, row)
	if t.Differs {
		b.note = l.t("note." + t.Unit)
	}
	if t.ID == "S7" && r.subtypesRepeat() {
		b.note = strings.TrimSpace(b.note + " " + l.t("note.no_subtypes"))
	}
	switch t.ID {
	case "S1":
		b.chart = &chart{title: l.t("chart.S1"), series: []series{{l.t("col.clients"), 1}}, rows: len(r.Regions)}
	case "S4":
		b.chart = &chart{title: l.t("chart.S4"), series: []series{{l.t("col.male"), 1}, {l.t("col.female"), 2}}, rows: len(r.Regions)}
	case "S7":
		b.chart = &chart{title: l.t("chart.S7"), series: []series{{l.t("col.total"), 0}}, across: true, row: len(r.Regions)}
	}
	sh.blocks = []*block{b}
	return sh
}

// none is the cell of a statistic with no answers.
func none(l *loc) cell { return cell{kind: cNone, s: l.t("no_answers")} }

// shareCells shows a share: its sample size, value and interval with the
// small-sample mark.
func shareCells(l *loc, s *Share) []cell {
	if s == nil {
		return []cell{num(0), none(l), txt("")}
	}
	return []cell{num(s.N), pctCell(s.Value), txt(interval(l, s.Lo, s.Hi, true, s.Small))}
}

func meanCells(l *loc, m *Mean) []cell {
	if m == nil {
		return []cell{num(0), none(l), txt("")}
	}
	return []cell{num(m.N), meanCell(m.Value), txt(interval(l, m.Lo, m.Hi, false, m.Small))}
}

func interval(l *loc, lo, hi float64, pct, small bool) string {
	f := func(x float64) string {
		if pct {
			return l.pct(x)
		}
		return fmtFloat(x, 2, l.lang)
	}
	s := "[" + f(lo) + "; " + f(hi) + "]"
	if small {
		s += " *"
	}
	return s
}

// channelName names a survey channel.
func (l *loc) channelName(c string) string {
	if name := l.t("ch." + c); !strings.HasPrefix(name, "§") {
		return name
	}
	return c
}

// qualitySheets are Section 3, a sheet per sub-section. Every table shows all
// channels together and split by channel: a column per channel where the table
// is narrow (the summary, the answers by channel, the multi-choice options),
// else, under each row with answers, a row per channel (its name indented); a row
// with no answer in any channel is not split. A channel with no answers shows
// "no answers", never a 0 on the 1-5 scale.
func (r *Report) qualitySheets(l *loc) []*sheet {
	q := r.Quality
	n := 0
	next := func(key string) *sheet {
		n++
		number := "3." + strconv.Itoa(n)
		return &sheet{name: number, section: l.t("s3"), heading: sub(number, l.t(key))}
	}
	var out []*sheet
	// The channels, in q.Channels' order, without the total.
	var chans []ChannelCount
	var all ChannelCount
	for _, c := range q.Channels {
		if c.Channel == "total" {
			all = c
		} else {
			chans = append(chans, c)
		}
	}
	// subName is a channel row's first cell.
	subName := func(channel string) cell { return txt("    " + l.channelName(channel)) }
	share := func(s *Share) cell {
		if s == nil {
			return none(l)
		}
		return pctCell(s.Value)
	}
	mean := func(m *Mean) cell {
		if m == nil {
			return none(l)
		}
		return meanCell(m.Value)
	}
	// perChannel is a narrow table's header: the item, all channels, each channel.
	perChannel := func(first string, width float64) *block {
		b := &block{header: []string{first, l.t("q.all_channels")}, widths: []float64{width, 18}}
		for _, c := range chans {
			b.header = append(b.header, l.channelName(c.Channel))
			b.widths = append(b.widths, 18)
		}
		return b
	}
	splitNote := l.t("q.split.note")

	// 3.1 Answers and response.
	resp := next("q.response")
	resp.intro = []string{l.t("s3.criteria")}
	sum := perChannel(l.t("kv.item"), 50)
	sum.title = l.t("q.summary")
	if q.NoAnswers {
		sum.para = []string{l.t("q.none")}
	}
	for _, it := range []struct {
		key  string
		v    func(c *ChannelCount) int
		fall int
	}{
		{"q.answers", func(c *ChannelCount) int { return c.Completed }, q.Answers},
		{"q.excluded", func(c *ChannelCount) int { return c.Excluded }, q.Excluded},
		{"q.respondents", func(c *ChannelCount) int { return c.Respondents }, q.Respondents},
	} {
		row := []cell{txt(l.t(it.key)), num(it.fall)}
		for i := range chans {
			row = append(row, num(it.v(&chans[i])))
		}
		sum.rows = append(sum.rows, row)
	}
	// Who was asked and reached through each channel, and the main items of the
	// answers completed through it.
	ch := perChannel(l.t("kv.item"), 50)
	ch.title, ch.note = l.t("q.channels"), l.t("q.channels.note")
	cols := append([]ChannelCount{all}, chans...)
	for _, it := range []struct {
		name string
		v    func(c *ChannelCount) cell
	}{
		{l.t("q.invited"), func(c *ChannelCount) cell { return num(c.Invited) }},
		{l.t("q.reached"), func(c *ChannelCount) cell { return num(c.Reached) }},
		{l.t("q.started"), func(c *ChannelCount) cell { return num(c.Started) }},
		{l.t("q.completed"), func(c *ChannelCount) cell { return num(c.Completed) }},
		{l.question("q1_received"), func(c *ChannelCount) cell { return share(c.Answers.Received) }},
		{l.question("q2_rating"), func(c *ChannelCount) cell { return mean(c.Answers.Rating) }},
		{l.question("q3_useful") + ": " + l.option("q3_useful", "yes"), func(c *ChannelCount) cell { return share(c.Answers.UsefulYes) }},
		{l.question("q4_fin_interest"), func(c *ChannelCount) cell { return share(c.Answers.FinInterest) }},
		{l.question("a_usefulness"), func(c *ChannelCount) cell { return mean(c.Answers.Usefulness) }},
		{l.question("a_organisation"), func(c *ChannelCount) cell { return mean(c.Answers.Organisation) }},
		{l.question("a_expectations"), func(c *ChannelCount) cell { return mean(c.Answers.Expectations) }},
		{l.question("a_satisfaction"), func(c *ChannelCount) cell { return mean(c.Answers.Satisfaction) }},
	} {
		row := []cell{txt(it.name)}
		for i := range cols {
			row = append(row, it.v(&cols[i]))
		}
		ch.rows = append(ch.rows, row)
	}
	reg := &block{title: l.t("q.response.region"), total: true, header: []string{l.t("col.region"), l.t("q.invited"),
		l.t("q.reached"), l.t("q.started"), l.t("q.completed"), l.t("q.n"), l.t("q.rate"), l.t("q.ci")},
		widths: []float64{30, 12, 12, 12, 12, 8, 14, 22}, note: splitNote}
	respRow := func(first cell, x *ResponseRow) []cell {
		row := []cell{first, num(x.Invited), num(x.Reached), num(x.Started), num(x.Completed)}
		return append(row, shareCells(l, x.Rate)...)
	}
	for _, x := range q.Response {
		var split [][]cell
		if x.Invited > 0 || x.Started > 0 {
			for _, c := range x.Channels {
				split = append(split, respRow(subName(c.Channel), &c))
			}
		}
		reg.add(respRow(txt(l.regionName(x.Region)), &x), split...)
	}
	resp.blocks = []*block{sum, ch, reg}
	out = append(out, resp)

	// splitRows adds a row of a table by region or service and, when it has
	// answers of the table's items, a row per channel.
	splitRows := func(b *block, name string, x QualityRow, cells func(first cell, x *QualityRow) []cell, has func(x *QualityRow) bool) {
		var split [][]cell
		if has(&x) {
			for i := range x.Channels {
				split = append(split, cells(subName(x.Channels[i].Channel), &x.Channels[i]))
			}
		}
		b.add(cells(txt(name), &x), split...)
	}

	// 3.2, 3.3 Annex 4 by region and by service.
	bHeader := func(first string) []string {
		return []string{first,
			l.question("q1_received") + ", " + l.t("q.n"), l.question("q1_received"), l.t("q.ci"),
			l.question("q2_rating") + ", " + l.t("q.n"), l.question("q2_rating") + ", " + l.t("q.mean"), l.t("q.ci"), "1", "2", "3", "4", "5", l.t("q.high"),
			l.question("q3_useful") + ", " + l.t("q.n"), l.option("q3_useful", "no"), l.option("q3_useful", "partly"), l.option("q3_useful", "yes"),
			l.question("q4_fin_interest") + ", " + l.t("q.n"), l.question("q4_fin_interest"), l.t("q.ci")}
	}
	bRow := func(first cell, x *QualityRow) []cell {
		row := []cell{first}
		row = append(row, shareCells(l, x.Received)...)
		row = append(row, meanCells(l, x.Rating)...)
		if x.Rating != nil {
			for _, n := range x.Rating.Dist {
				row = append(row, num(n))
			}
			row = append(row, pctCell(x.Rating.High.Value))
		} else {
			row = append(row, num(0), num(0), num(0), num(0), num(0), txt(""))
		}
		n3 := 0
		if x.UsefulYes != nil {
			n3 = x.UsefulYes.N
		}
		row = append(row, num(n3))
		for _, s := range []*Share{x.UsefulNo, x.UsefulPart, x.UsefulYes} {
			row = append(row, share(s))
		}
		return append(row, shareCells(l, x.FinInterest)...)
	}
	hasB := func(x *QualityRow) bool {
		return x.Received != nil || x.Rating != nil || x.UsefulYes != nil || x.FinInterest != nil
	}
	bWidths := []float64{28, 8, 10, 20, 8, 10, 16, 6, 6, 6, 6, 6, 10, 8, 10, 10, 10, 8, 10, 20}
	smallNote := l.t("q.small")
	bReg := next("q.b.region")
	t := &block{header: bHeader(l.t("col.region")), total: true, widths: bWidths, note: splitNote + " " + smallNote}
	for _, x := range q.ByRegion {
		splitRows(t, l.regionName(x.Key), x, bRow, hasB)
	}
	bReg.blocks = []*block{t}
	bSvc := next("q.b.service")
	t = &block{header: bHeader(l.t("col.service")), total: true, widths: bWidths, note: splitNote + " " + smallNote}
	for _, x := range q.ByService {
		splitRows(t, l.serviceName(x.Key), x, bRow, hasB)
	}
	bSvc.blocks = []*block{t}
	out = append(out, bReg, bSvc)

	// 3.4, 3.5 Annex 2 by region and by service.
	aItems := []string{"a_usefulness", "a_organisation", "a_expectations", "a_satisfaction"}
	aHeader := func(first string) []string {
		h := []string{first}
		for _, it := range aItems {
			name := l.question(it)
			h = append(h, name+", "+l.t("q.n"), name+", "+l.t("q.mean"), l.t("q.ci"), l.t("q.high"))
		}
		return h
	}
	aRow := func(first cell, x *QualityRow) []cell {
		row := []cell{first}
		for _, m := range []*Mean{x.Usefulness, x.Organisation, x.Expectations, x.Satisfaction} {
			row = append(row, meanCells(l, m)...)
			if m != nil {
				row = append(row, pctCell(m.High.Value))
			} else {
				row = append(row, txt(""))
			}
		}
		return row
	}
	hasA := func(x *QualityRow) bool {
		return x.Usefulness != nil || x.Organisation != nil || x.Expectations != nil || x.Satisfaction != nil
	}
	aWidths := []float64{28, 8, 10, 16, 10, 8, 10, 16, 10, 8, 10, 16, 10, 8, 10, 16, 10}
	aReg := next("q.a.region")
	t = &block{header: aHeader(l.t("col.region")), total: true, widths: aWidths, note: splitNote + " " + smallNote}
	for _, x := range q.ByRegion {
		splitRows(t, l.regionName(x.Key), x, aRow, hasA)
	}
	aReg.blocks = []*block{t}
	aSvc := next("q.a.service")
	t = &block{header: aHeader(l.t("col.service")), total: true, widths: aWidths, note: splitNote + " " + smallNote}
	for _, x := range q.ByService {
		splitRows(t, l.serviceName(x.Key), x, aRow, hasA)
	}
	aSvc.blocks = []*block{t}
	out = append(out, aReg, aSvc)

	// 3.6 The means by region and their chart: the Annex 4 rating and the four
	// Annex 2 items on the 1-5 scale; a region with no answers has no bar. Then
	// the same means split by channel.
	meansSheet := next("chart.quality")
	meansHeader := []string{l.t("col.region"), l.question("q2_rating"), l.question("a_usefulness"),
		l.question("a_organisation"), l.question("a_expectations"), l.question("a_satisfaction")}
	meansWidths := []float64{28, 14, 14, 14, 14, 14}
	means := &block{header: meansHeader, total: true, widths: meansWidths, note: l.t("note.means")}
	meansRow := func(first cell, x *QualityRow) []cell {
		return []cell{first, mean(x.Rating), mean(x.Usefulness), mean(x.Organisation), mean(x.Expectations), mean(x.Satisfaction)}
	}
	hasMeans := func(x *QualityRow) bool {
		return x.Rating != nil || hasA(x)
	}
	byChannel := &block{title: l.t("q.means.channels"), header: meansHeader, total: true, widths: meansWidths, note: splitNote}
	for _, x := range q.ByRegion {
		means.rows = append(means.rows, meansRow(txt(l.regionName(x.Key)), &x))
		splitRows(byChannel, l.regionName(x.Key), x, meansRow, hasMeans)
	}
	ms := []series{}
	for j := 1; j < len(means.header); j++ {
		ms = append(ms, series{means.header[j], j})
	}
	means.chart = &chart{title: l.t("chart.quality"), series: ms, rows: len(q.ByRegion) - 1, max: 5, none: l.t("no_answers")}
	meansSheet.blocks = []*block{means, byChannel}
	out = append(out, meansSheet)

	// 3.7 The multi-choice questions of Annex 2: in all channels with the
	// interval, then (a table of its own, to keep the page readable) each
	// channel's count and share.
	choiceSheet := next("q.choices")
	choices := &block{title: l.t("q.respondents") + ": " + l.num(q.Respondents),
		header: []string{l.t("q.option"), l.t("q.count"), l.t("q.share_resp"), l.t("q.ci")}, widths: []float64{60, 10, 14, 22}}
	var per []string
	byCh := &block{header: []string{l.t("q.option")}, widths: []float64{60}, note: l.t("q.choices.channels.note")}
	for _, c := range chans {
		name := l.channelName(c.Channel)
		per = append(per, name+" "+l.num(c.Respondents))
		byCh.header = append(byCh.header, name+", "+l.t("q.count"), name+", "+l.t("q.share_resp"))
		byCh.widths = append(byCh.widths, 12, 14)
	}
	byCh.title = l.t("q.choices.channels") + " (" + l.t("q.respondents") + ": " + strings.Join(per, ", ") + ")"
	for _, g := range []struct {
		key string
		cs  []Choice
	}{{"purpose", q.Purpose}, {"fin_support", q.FinSupport}, {"nonfin_support", q.NonfinSupport}} {
		for _, b := range []*block{choices, byCh} {
			head := []cell{txt(l.question(g.key))}
			for len(head) < len(b.header) {
				head = append(head, txt(""))
			}
			b.rows = append(b.rows, head)
		}
		for _, c := range g.cs {
			name := txt("    " + l.option(g.key, c.Code))
			row := []cell{name, num(c.Count)}
			if c.Share != nil {
				row = append(row, pctCell(c.Share.Value), txt(interval(l, c.Share.Lo, c.Share.Hi, true, c.Share.Small)))
			} else {
				row = append(row, none(l), txt(""))
			}
			choices.rows = append(choices.rows, row)
			row = []cell{name}
			for _, x := range c.Channels {
				row = append(row, num(x.Count), share(x.Share))
			}
			byCh.rows = append(byCh.rows, row)
		}
	}
	choiceSheet.blocks = []*block{choices, byCh}
	out = append(out, choiceSheet)

	// 3.8 Denied services, each with the channel it was said through.
	deniedSheet := next("q.denied")
	denied := &block{header: []string{l.t("col.date"), l.t("col.region"), l.t("col.service"),
		l.t("col.place"), l.t("col.manager"), l.t("col.register_row"), l.t("col.channel")},
		widths: []float64{12, 24, 28, 30, 26, 20, 14}}
	if len(q.Denied) == 0 {
		denied.para = []string{l.t("q.denied.none")}
		denied.header = nil
	}
	for _, d := range q.Denied {
		place := labelOr(l.place, d.Place)
		switch {
		case d.Centre != "":
			place += ", " + d.Centre
		case d.Settlement != "":
			place += ", " + d.Settlement
		}
		denied.rows = append(denied.rows, []cell{txt(l.date(d.Date)), txt(l.regionName(d.Region)), txt(l.serviceName(d.Service)),
			txt(place), txt(d.Manager), txt(l.f("denied.row", l.month(d.Period), d.Version, d.Row)), txt(l.channelName(d.Channel))})
	}
	deniedSheet.blocks = []*block{denied}
	out = append(out, deniedSheet)
	return out
}

func (r *Report) conclusionSheet(l *loc) *sheet {
	sh := &sheet{name: l.t("sheet.conclusion"), section: l.t("s4")}
	b := &block{header: []string{l.t("c.observation"), l.t("c.source")}, widths: []float64{100, 60}}
	if r.ConclusionReplaced {
		b.title = l.t("c.replaced")
	}
	for _, s := range r.Conclusion {
		b.rows = append(b.rows, []cell{txt(s.Text.In(l.lang)), txt(r.refText(l, s.Refs))})
	}
	sh.blocks = []*block{b}
	return sh
}

// refText names the cells a sentence comes from.
func (r *Report) refText(l *loc, refs []Ref) string {
	var parts []string
	for _, x := range refs {
		var s string
		switch x.Table {
		case "reconciliation":
			s = sub(subRecon, l.t("recon")) + " · " + l.t("recon."+x.Row)
		case "quality":
			s = sub("3.2", l.t("q.b.region")) + " · " + l.regionName(x.Row) + " · " + l.question("q2_rating")
		case "previous":
			s = l.t("ref.previous")
			if r.Previous != nil {
				s += " · " + l.periodID(r.Previous.Period)
			}
		case "denied":
			s = sub("3.8", l.t("q.denied"))
		case "violations":
			s = subDeadlines + " · " + l.t("v."+x.Row)
		case "answers":
			s = sub("3.1", l.t("q.response")) + " · " + l.t("q.answers")
		default:
			s = sub(tableNumber(x.Table), l.t("t."+x.Table))
			if x.Row != "" {
				s += " · " + l.regionName(x.Row)
			}
		}
		if !containsStr(parts, s) {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, "; ")
}

func containsStr(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}
