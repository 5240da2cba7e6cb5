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
	r := strings.NewReplacer("{detail}", p.Detail)
	return qoldau.Text{KK: r.Replace(t.KK), RU: r.Replace(t.RU), EN: r.Replace(t.EN)}
}

// Kind tells what src reads: "csv" or "xlsx".
func Kind(src Source) string {
	if _, ok := src.(*CSV); ok {
		return "csv"
	}
	return "xlsx"
}

// Row is a row held in memory: its number and a copy of its cells.
type Row struct {
	Num   int
	Cells []xlsx.Cell
}

// Peek reads up to n rows of src, copying their cells (to look for a header).
func Peek(src Source, n int) ([]Row, error) {
	var rows []Row
	for len(rows) < n && src.Next() {
		rows = append(rows, Row{src.RowNum(), append([]xlsx.Cell(nil), src.Cells()...)})
	}
	return rows, src.Err()
}
