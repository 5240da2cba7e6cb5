package report

import (
	"slices"
)

// grid counts per region id and column id.
type grid struct {
	cells [][]int // [region id][column id]
	total []int
}

func newGrid(regions, cols int) *grid {
	g := &grid{cells: make([][]int, regions), total: make([]int, cols)}
	for i := range g.cells {
		g.cells[i] = make([]int, cols)
	}
	return g
}

// set is a small set of pairs, for one client's or enterprise's rows.
type set []uint64

func (s *set) add(a, b uint32) bool {
	k := uint64(a)<<32 | uint64(b)
	if slices.Contains(*s, k) {
		return false
	}
	*s = append(*s, k)
	return true
}

// indicators counts the tables S1-S10 over the counted records (docs/rules.md,
// "The form"). recs is sorted in place and left in register and row order.
func (b *builder) indicators(recs []rec) map[string]*grid {
	d := b.dicts
	nReg := len(d.region.names)
	s1, s2, s3 := newGrid(nReg, 1), newGrid(nReg, len(d.section.names)), newGrid(nReg, len(d.form.names))
	s4, s5, s6 := newGrid(nReg, 2), newGrid(nReg, len(b.brackets)), newGrid(nReg, len(d.category.names))
	s7, s7d, s8 := newGrid(nReg, len(d.service.names)), newGrid(nReg, len(b.combos.names)), newGrid(nReg, len(d.place.names))
	s9, s10 := newGrid(nReg, 1), newGrid(nReg, 1)

	// Clients: a client's rows together, the first by start date, period, row.
	slices.SortFunc(recs, byClient)
	var regions, sections, cats, totSec, totCat set
	for i := 0; i < len(recs); {
		j := i + 1
		for j < len(recs) && recs[j].client == recs[i].client {
			j++
		}
		first := &recs[i]
		regions, sections, cats, totSec, totCat = regions[:0], sections[:0], cats[:0], totSec[:0], totCat[:0]
		for k := i; k < j; k++ {
			r := &recs[k]
			reg := uint32(r.region)
			if regions.add(reg, 0) {
				s1.cells[reg][0]++
				if first.gender != genderUnknown {
					s4.cells[reg][first.gender-1]++
				}
				if first.bracket > 0 {
					s5.cells[reg][first.bracket-1]++
				}
				if first.disabled {
					s10.cells[reg][0]++
				}
			}
			if sections.add(reg, uint32(r.section)) {
				s2.cells[reg][r.section]++
			}
			if totSec.add(0, uint32(r.section)) {
				s2.total[r.section]++
			}
			if cats.add(reg, uint32(r.category)) {
				s6.cells[reg][r.category]++
			}
			if totCat.add(0, uint32(r.category)) {
				s6.total[r.category]++
			}
		}
		s1.total[0]++
		if first.gender != genderUnknown {
			s4.total[first.gender-1]++
		}
		if first.bracket > 0 {
			s5.total[first.bracket-1]++
		}
		if first.disabled {
			s10.total[0]++
		}
		i = j
	}

	// Enterprises: distinct BIN/IIN by region and legal form.
	slices.SortFunc(recs, byEnterprise)
	var forms, totForm set
	for i := 0; i < len(recs); {
		j := i + 1
		for j < len(recs) && recs[j].ent == recs[i].ent {
			j++
		}
		forms, totForm = forms[:0], totForm[:0]
		for k := i; k < j; k++ {
			r := &recs[k]
			if forms.add(uint32(r.region), uint32(r.form)) {
				s3.cells[r.region][r.form]++
			}
			if totForm.add(0, uint32(r.form)) {
				s3.total[r.form]++
			}
		}
		i = j
	}

	// Services: every row.
	slices.SortFunc(recs, byRow)
	for k := range recs {
		r := &recs[k]
		s7.cells[r.region][r.service]++
		s7.total[r.service]++
		c := b.combo(r)
		s7d.cells[r.region][c]++
		s7d.total[c]++
		s8.cells[r.region][r.place]++
		s8.total[r.place]++
		if r.online {
			s9.cells[r.region][0]++
			s9.total[0]++
		}
	}
	return map[string]*grid{"S1": s1, "S2": s2, "S3": s3, "S4": s4, "S5": s5, "S6": s6, "S7": s7, "S7d": s7d,
		"S8": s8, "S9": s9, "S10": s10}
}

// table turns a grid into a Table: the listed regions as rows, columns in report
// order.
func (b *builder) table(id, unit string, g *grid, colNames []string, colOrder []uint32) *Table {
	t := &Table{ID: id, Unit: unit, Columns: make([]string, len(colOrder)), Total: make([]int, len(colOrder))}
	for j, c := range colOrder {
		t.Columns[j] = colNames[c]
		t.Total[j] = g.total[c]
	}
	sums := make([]int, len(colOrder))
	for _, reg := range b.regionRows {
		row := make([]int, len(colOrder))
		for j, c := range colOrder {
			row[j] = g.cells[reg][c]
			sums[j] += row[j]
		}
		t.Cells = append(t.Cells, row)
	}
	for j := range sums {
		if sums[j] != t.Total[j] {
			t.Differs = true
		}
	}
	return t
}
