package table

import (
	"bytes"
	"testing"
	"unicode/utf8"

	"github.com/qoldau/qoldau/shared/xlsx"
)

// FuzzCSV feeds arbitrary bytes to the CSV reader: it may refuse them, but must
// not panic, hang or hand out a cell over the limits (the seed corpus is in
// testdata/fuzz/FuzzCSV).
func FuzzCSV(f *testing.F) {
	f.Add([]byte("a;b\r\n\"c;\"\"d\"\"\ne\";f\rg"))
	f.Add([]byte("\ufeffx,y\n\n,\"\"\"\",z"))
	f.Add([]byte("a\tb\t\"c\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		lim := xlsx.DefaultLimits()
		lim.MaxColumns = 8
		src, p := NewCSV(bytes.NewReader(data), int64(len(data)), lim)
		if p != nil {
			return
		}
		prevRow := 0
		for src.Next() {
			if src.RowNum() <= prevRow {
				t.Fatalf("row %d after row %d", src.RowNum(), prevRow)
			}
			prevRow = src.RowNum()
			prev := -1
			for _, c := range src.Cells() {
				if c.Col <= prev || c.Col >= MaxLineCells || c.Value == "" || !utf8.ValidString(c.Value) ||
					utf8.RuneCountInString(c.Value) > MaxCell {
					t.Fatalf("bad cell %+v", c)
				}
				prev = c.Col
			}
		}
		if err := src.Err(); err != nil {
			if _, ok := err.(*Problem); !ok {
				t.Fatalf("error %v is not a Problem", err)
			}
		}
		if src.Read() > int64(len(data)) {
			t.Fatalf("read %d of %d bytes", src.Read(), len(data))
		}
	})
}
