package table

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/qoldau/qoldau/shared/qoldau"
	"github.com/qoldau/qoldau/shared/xlsx"
)

//go:embed messages.json
var messagesJSON []byte

var messages map[string]qoldau.Text

func init() {
	if err := json.Unmarshal(messagesJSON, &messages); err != nil {
		panic(fmt.Sprintf("table: messages.json: %v", err)) // embedded data, covered by tests
	}
}

// Message returns the problem's message in the three languages.
func (p *Problem) Message() qoldau.Text {
	t, ok := messages[p.Key]
	if !ok {
		t = messages["corrupt"]
	}
	r := strings.NewReplacer("{detail}", p.Detail, "{sheets}", p.Sheets)
	return qoldau.Text{KK: r.Replace(t.KK), RU: r.Replace(t.RU), EN: r.Replace(t.EN)}
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
