package table

import (
	"embed"

	"github.com/qoldau/qoldau/shared/i18n"
	"github.com/qoldau/qoldau/shared/qoldau"
	"github.com/qoldau/qoldau/shared/xlsx"
)

//go:embed messages.json
var messagesFS embed.FS

var messages = i18n.MustLoad(messagesFS, "messages.json")

// Message returns the problem's message in the three languages.
func (p *Problem) Message() qoldau.Text {
	t, ok := messages.Lookup(p.Key)
	if !ok {
		t, _ = messages.Lookup("corrupt")
	}
	return t.Fill("{detail}", p.Detail, "{sheets}", p.Sheets)
}

// Row is a row held in memory: its number, a copy of its cells and the merged
// ranges that start in it.
type Row struct {
	Num    int
	Cells  []xlsx.Cell
	Merges []xlsx.Range
}

// peekBudget bounds the text of the rows Peek holds: a header is short, and rows
// of huge cells (a CSV line may hold 8 MB) are not held twenty at a time.
var peekBudget = 16 << 20

// Peek reads up to n rows of src, copying their cells (to look for a header). It
// stops early once the rows hold more than 16 MiB of text; the rows it did not
// read are still src's.
func Peek(src Source, n int) ([]Row, error) {
	var rows []Row
	mg, _ := src.(merger)
	size := 0
	for len(rows) < n && size <= peekBudget && src.Next() {
		r := Row{Num: src.RowNum(), Cells: append([]xlsx.Cell(nil), src.Cells()...)}
		if mg != nil {
			r.Merges = append([]xlsx.Range(nil), mg.Merges()...)
		}
		for _, c := range r.Cells {
			size += len(c.Value)
		}
		rows = append(rows, r)
	}
	return rows, src.Err()
}
