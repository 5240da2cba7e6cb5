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

// Peek reads up to n rows of src, copying their cells (to look for a header).
func Peek(src Source, n int) ([]Row, error) {
	var rows []Row
	mg, _ := src.(merger)
	for len(rows) < n && src.Next() {
		r := Row{Num: src.RowNum(), Cells: append([]xlsx.Cell(nil), src.Cells()...)}
		if mg != nil {
			r.Merges = append([]xlsx.Range(nil), mg.Merges()...)
		}
		rows = append(rows, r)
	}
	return rows, src.Err()
}
