package xlsx

import (
	"bytes"
	"fmt"
	"io"
	"sort"
)

// Range is a rectangle of cells: 0-based columns, 1-based rows, both ends
// included. A merged range shows the value of its first (top-left) cell.
type Range struct {
	Col1, Row1, Col2, Row2 int
}

// String returns the range in A1 form: "A13:A15".
func (r Range) String() string {
	return CellName(r.Col1, r.Row1) + ":" + CellName(r.Col2, r.Row2)
}

// Contains reports whether the cell at col, row lies in r.
func (r Range) Contains(col, row int) bool {
	return col >= r.Col1 && col <= r.Col2 && row >= r.Row1 && row <= r.Row2
}

// maxMerges bounds the merged ranges a sheet may list.
const maxMerges = excelMaxRows

// SortRanges orders ranges by first row, then first column.
func SortRanges(rs []Range) {
	sort.Slice(rs, func(i, j int) bool {
		if rs[i].Row1 != rs[j].Row1 {
			return rs[i].Row1 < rs[j].Row1
		}
		return rs[i].Col1 < rs[j].Col1
	})
}

// Merges returns the merged ranges of the sheet with the given name ("" is the
// first), sorted by first row and column. A worksheet lists them after its data,
// so this reads the sheet's part through once, looking only for <mergeCell>
// elements (it costs about what inflating the part costs). A range that is one
// cell, or malformed, is left out.
func (w *Workbook) Merges(name string) ([]Range, error) {
	idx := w.findSheet(name)
	if idx < 0 {
		return nil, &Error{Problem: SheetNotFound, Sheet: name,
			Detail: fmt.Sprintf("the workbook has %d sheet(s): %s", len(w.sheets), quoteNames(w.sheets))}
	}
	f := w.file(w.sheetPartOf(idx))
	if f == nil {
		return nil, &Error{Problem: Corrupt, Sheet: w.sheets[idx].name, Detail: "sheet part is missing"}
	}
	pr, err := w.openPart(f)
	if err != nil {
		return nil, err
	}
	defer pr.Close()
	var out []Range
	const tagMax = 512 // a <mergeCell> tag is short: keep this much across reads
	buf := make([]byte, scanBufSize+tagMax)
	keep := 0
	for {
		n, err := io.ReadFull(pr, buf[keep:])
		data := buf[:keep+n]
		end := len(data)
		if err == nil {
			end -= tagMax // a tag starting here may be cut: look at it next time
		}
		off := 0
		for {
			i := bytes.Index(data[off:], []byte("mergeCell"))
			if i < 0 || off+i >= end {
				break
			}
			at := off + i
			off = at + len("mergeCell")
			if at == 0 || (data[at-1] != '<' && data[at-1] != ':') || off >= len(data) || !isSpace(data[off]) {
				continue // <mergeCells>, or text
			}
			gt := bytes.IndexByte(data[off:], '>')
			if gt < 0 {
				break
			}
			if r, ok := mergeRef(data[off : off+gt]); ok {
				if len(out) >= maxMerges {
					return nil, &Error{Problem: Corrupt, Sheet: w.sheets[idx].name,
						Detail: fmt.Sprintf("more than %d merged ranges", maxMerges)}
				}
				out = append(out, r)
			}
			off += gt
		}
		if err != nil {
			if err == io.EOF || err == io.ErrUnexpectedEOF {
				SortRanges(out)
				return out, nil
			}
			return nil, w.classify(err, f.Name, pr)
		}
		keep = copy(buf, data[max(end-1, off):]) // with the byte before a tag's name
	}
}

// mergeRef reads the ref="A1:B2" attribute of a <mergeCell> tag's attributes.
func mergeRef(attrs []byte) (Range, bool) {
	it := attrIter(attrs)
	for name, val, ok := it.next(); ok; name, val, ok = it.next() {
		if string(name) != "ref" {
			continue
		}
		a, b, found := bytes.Cut(trimSpace(val), []byte{':'})
		if !found {
			return Range{}, false
		}
		c1, r1, ok1 := parseRef(a)
		c2, r2, ok2 := parseRef(b)
		if !ok1 || !ok2 || r1 == 0 || r2 == 0 || r1 > excelMaxRows || r2 > excelMaxRows {
			return Range{}, false
		}
		r := Range{min(c1, c2), min(r1, r2), max(c1, c2), max(r1, r2)}
		return r, r.Col1 != r.Col2 || r.Row1 != r.Row2
	}
	return Range{}, false
}
