package table

import (
	"github.com/qoldau/qoldau/shared/qoldau"
	"github.com/qoldau/qoldau/shared/xlsx"
)

// maxFooter is how many rows of one or two cells under the data are held back as a
// possible footer; past it they are data.
const maxFooter = 20

// merger is a Source that knows merged cells: the ranges starting in its current
// row.
type merger interface {
	Merges() []xlsx.Range
}

// walk is the state of Table.Next.
type walk struct {
	t         *Table
	headerRow int
	replay    []Row // Head rows under the header, not yet walked
	started   bool  // a data row has been given
	ended     bool
	err       error

	queue []held // rows decided to be data, to give
	hold  []held // rows of one or two cells under the data: a footer if nothing follows
	cur   held

	active  []vmerge // vertical merges still covering rows
	repeats int
	footers []int
	merged  []xlsx.Range // merges starting in data rows
	notes   []qoldau.Finding
	also    []string
	rowBuf  []xlsx.Cell
}

// held is a row read but not given yet.
type held struct {
	num    int
	cells  []xlsx.Cell
	merges []xlsx.Range // starting in this row
}

// vmerge is a vertical merge: its range and the value of its first cell.
type vmerge struct {
	r     xlsx.Range
	value xlsx.Cell
	ok    bool // the first cell has a value
}

func (w *walk) init(t *Table) {
	w.t = t
	if t.HeaderAt >= 0 {
		w.headerRow = t.Head[t.HeaderAt].Num
		w.replay = t.Head[t.HeaderAt+1:]
	} else {
		w.ended = true
	}
}

// Next advances to the next data row under the header. Rows that only repeat the
// header (a second header language, column numbers) right under it are skipped
// (Repeats counts them); a vertically merged cell gives its value to every row it
// covers; rows of one or two cells at the end of the sheet are a footer (Findings
// names them) and never given. It returns false at the end or on an error (Err).
func (t *Table) Next() bool {
	w := &t.walk
	for {
		if len(w.queue) > 0 {
			w.cur = w.queue[0]
			w.queue = w.queue[1:]
			w.note(&w.cur)
			return true
		}
		if w.ended {
			return false
		}
		num, cells, merges, ok := w.read()
		if !ok {
			w.end()
			continue
		}
		if !w.started && t.opt.Schema != nil && t.opt.Schema.IsRepeat(cells) {
			w.repeats++
			continue
		}
		h := held{num: num, cells: cells}
		w.applyMerges(&h, merges)
		if w.started && footerLike(h.cells) {
			if len(w.hold) < maxFooter {
				h.cells = append([]xlsx.Cell(nil), h.cells...)
				h.merges = append([]xlsx.Range(nil), h.merges...)
				w.hold = append(w.hold, h)
				continue
			}
		}
		w.queue = append(w.queue, w.hold...)
		w.hold = w.hold[:0]
		w.queue = append(w.queue, h)
		w.started = true
	}
}

// RowNum returns the current data row's number (1-based, as the sheet shows it).
func (t *Table) RowNum() int { return t.walk.cur.num }

// Cells returns the current data row's cells with a value, sorted by column, merged
// values filled in. The slice is valid until the next call of Next.
func (t *Table) Cells() []xlsx.Cell { return t.walk.cur.cells }

// RowMerges returns the merged ranges that start in the current data row and span
// columns: a finding each (MergeFinding), since a data row needs one cell per
// column.
func (t *Table) RowMerges() []xlsx.Range {
	var out []xlsx.Range
	for _, r := range t.walk.cur.merges {
		if r.Col2 > r.Col1 {
			out = append(out, r)
		}
	}
	return out
}

// Err returns what stopped the walk: a *Problem of the file, or nil at its end.
func (t *Table) Err() error {
	if t.walk.err == nil {
		return nil
	}
	return t.walk.err
}

// Repeats counts the rows under the header skipped as repeated headers.
func (t *Table) Repeats() int { return t.walk.repeats }

// Merged returns the merged ranges starting in data rows: a finding in a cell one
// of them covers belongs on its first cell, where the sheet shows the value.
func (t *Table) Merged() []xlsx.Range { return t.walk.merged }

// read returns the next row: the Head rows under the header, then the sheet's.
func (w *walk) read() (int, []xlsx.Cell, []xlsx.Range, bool) {
	var m []xlsx.Range
	if len(w.replay) > 0 {
		r := w.replay[0]
		w.replay = w.replay[1:]
		return r.Num, r.Cells, r.Merges, true
	}
	src := w.t.src
	if !src.Next() {
		if err := src.Err(); err != nil {
			w.err = w.t.problem(err)
		}
		return 0, nil, nil, false
	}
	if mg, ok := src.(merger); ok {
		m = mg.Merges()
	}
	return src.RowNum(), src.Cells(), m, true
}

// end ends the walk: the rows held are a footer.
func (w *walk) end() {
	w.ended = true
	if w.err != nil {
		return
	}
	for _, h := range w.hold {
		w.footers = append(w.footers, h.num)
	}
	w.hold = nil
	w.also = w.t.alsoHeaders()
}

// footerLike tells a row of one or two cells: a total, a signature, a date, a
// stamp.
func footerLike(cells []xlsx.Cell) bool {
	n := 0
	for _, c := range cells {
		if Trim(c.Value) != "" {
			n++
		}
	}
	return n >= 1 && n <= 2
}

// applyMerges fills h's cells covered by vertical merges with their first cell's
// value, and starts the merges of h's row. Merges in the header and above are not
// the data's.
func (w *walk) applyMerges(h *held, merges []xlsx.Range) {
	// Drop merges that ended above.
	k := 0
	for _, m := range w.active {
		if m.r.Row2 >= h.num {
			w.active[k] = m
			k++
		}
	}
	w.active = w.active[:k]
	if h.num <= w.headerRow {
		return
	}
	copied := false
	for i := range w.active {
		m := &w.active[i]
		if m.r.Row1 >= h.num || !m.ok {
			continue
		}
		if !copied {
			w.rowBuf = append(w.rowBuf[:0], h.cells...)
			h.cells, copied = w.rowBuf, true
		}
		h.cells = setCell(h.cells, m.value)
	}
	for _, r := range merges {
		h.merges = append(h.merges, r)
		if r.Row2 > r.Row1 {
			v := vmerge{r: r}
			for _, c := range h.cells {
				if c.Col == r.Col1 {
					v.value, v.ok = c, true
				}
			}
			w.active = append(w.active, v)
		}
	}
}

// setCell puts c in the row (sorted by column), replacing a cell of its column.
func setCell(cells []xlsx.Cell, c xlsx.Cell) []xlsx.Cell {
	i := 0
	for i < len(cells) && cells[i].Col < c.Col {
		i++
	}
	if i < len(cells) && cells[i].Col == c.Col {
		cells[i] = c
		return cells
	}
	cells = append(cells, xlsx.Cell{})
	copy(cells[i+1:], cells[i:])
	cells[i] = c
	return cells
}

// note records what a data row takes part in: its merges, and the vertical merges
// that gave it a value.
func (w *walk) note(h *held) {
	w.merged = append(w.merged, h.merges...)
	for _, r := range h.merges {
		if r.Row2 > r.Row1 {
			w.notes = append(w.notes, qoldau.Finding{Code: "merged-cells", Severity: qoldau.SevWarning,
				Message: (&Problem{Key: "merged-cells.vertical", Detail: r.String()}).Message()})
		}
	}
}

// Findings returns the warnings about how the table was read, for after the walk:
// the vertical merges whose value went to several rows, the footer rows, and the
// other sheets that hold a header too.
func (t *Table) Findings() []qoldau.Finding {
	w := &t.walk
	out := append([]qoldau.Finding(nil), w.notes...)
	if len(w.footers) > 0 {
		out = append(out, qoldau.Finding{Code: "footer", Severity: qoldau.SevWarning,
			Message: (&Problem{Key: "footer", Detail: rowsText(w.footers)}).Message()})
	}
	if len(w.also) > 0 {
		out = append(out, qoldau.Finding{Code: "sheet-choice", Severity: qoldau.SevWarning,
			Message: (&Problem{Key: "sheet-choice", Detail: QuoteSheets([]string{t.Sheet}),
				Sheets: QuoteSheets(append([]string{t.Sheet}, w.also...))}).Message()})
	}
	return out
}

// MergeFinding is the warning on the first cell of a merged range that spans
// columns in a data row.
func MergeFinding(r xlsx.Range) qoldau.Finding {
	cell := xlsx.CellName(r.Col1, r.Row1)
	return qoldau.Finding{Code: "merged-cells", Severity: qoldau.SevWarning, Row: r.Row1,
		Column: xlsx.ColName(r.Col1), Cell: cell,
		Message: (&Problem{Key: "merged-cells.horizontal", Detail: r.String(), Sheets: cell}).Message()}
}

// HeaderNotFound is the sentence that lists the sheets looked at for a header,
// for a workbook (empty for a CSV file).
func (t *Table) HeaderNotFound() qoldau.Text {
	if t.Kind == "csv" || len(t.Sheets) == 0 {
		return qoldau.Text{}
	}
	return (&Problem{Key: "header-not-found.sheets", Detail: QuoteSheets(t.Sheets)}).Message()
}
