package reconcile

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/qoldau/qoldau/shared/goldenfile"

	"github.com/qoldau/qoldau/shared/xlsx"
)

// smallActs writes a workbook of seven act lines under a title and a Kazakh header
// with an extra column: valid lines, a repeated one and lines with errors.
func smallActs(t *testing.T) []byte {
	t.Helper()
	header := append(append([]string(nil), kkHeader...), "Ескерту")
	online := with(with(line(t), fNumber, xlsx.Text("А-18")), fConfirmation, xlsx.Text("двухфакторная"))
	unsigned := with(with(line(t), fNumber, xlsx.Text("А-19")), fConfirmation, xlsx.Text("жоқ"))
	badID := with(with(line(t), fNumber, xlsx.Text("А-20")), fBinIIN, xlsx.Num(12345678901))
	early := with(with(line(t), fNumber, xlsx.Text("А-21")), fActDate, xlsx.DateOf(day(6)))
	unknown := with(with(with(line(t), fNumber, xlsx.Value{}), fService, xlsx.Text("Стрижка")), fConfirmation, xlsx.Text("подписано"))
	return book(t,
		textRow("2026 жылғы қазандағы көрсетілген қызметтер актілері"),
		textRow(header...),
		append(line(t), xlsx.Text("тексерілді")),
		online, unsigned, line(t), badID, early, unknown)
}

func TestGoldenJSON(t *testing.T) {
	res := read(t, smallActs(t), nil)
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(res); err != nil {
		t.Fatal(err)
	}
	golden(t, "small.json", b.Bytes())
}

// golden compares got with testdata/name (go test -update rewrites it).
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	goldenfile.Check(t, name, got)
}
