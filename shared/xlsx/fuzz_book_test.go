package xlsx

import (
	"bytes"
	"testing"
)

// fuzzBook reads every sheet of a book opened from data; it may fail, but must not
// panic or hang, and its cells must be sorted, typed and non-empty.
func fuzzRows(t *testing.T, next func() (interface {
	Next() bool
	Cells() []Cell
	RowNum() int
}, error)) {
	for sheets := 0; sheets < 8; sheets++ {
		sh, err := next()
		if err != nil || sh == nil {
			return
		}
		prevRow := 0
		for sh.Next() {
			if sh.RowNum() <= prevRow || sh.RowNum() > excelMaxRows {
				t.Fatalf("row %d after %d", sh.RowNum(), prevRow)
			}
			prevRow = sh.RowNum()
			prev := -1
			for _, c := range sh.Cells() {
				if c.Col <= prev || c.Col >= excelMaxCols || c.Value == "" || c.Type == 0 {
					t.Fatalf("bad cells %+v", sh.Cells())
				}
				prev = c.Col
			}
		}
	}
}

// FuzzODS feeds arbitrary content.xml to the OpenDocument reader (seed corpus in
// testdata/fuzz/FuzzODS).
func FuzzODS(f *testing.F) {
	f.Add(`<table:table table:name="a"><table:table-row table:number-rows-repeated="2"><table:table-cell table:number-columns-repeated="3" office:value-type="float" office:value="1"/>` +
		`<table:table-cell table:number-rows-spanned="2"><text:p>x<text:s text:c="2"/><text:span>y</text:span></text:p><office:annotation><text:p>n</text:p></office:annotation></table:table-cell>` +
		`<table:covered-table-cell/></table:table-row></table:table><table:table table:name="b"/>`)
	f.Fuzz(func(t *testing.T, content string) {
		b := odsZip(t, content)
		o, err := OpenODS(bytes.NewReader(b), int64(len(b)), Limits{MaxRatio: 1 << 20, MaxRows: 5000})
		if err != nil {
			return
		}
		defer o.Close()
		fuzzRows(t, func() (interface {
			Next() bool
			Cells() []Cell
			RowNum() int
		}, error) {
			sh, err := o.NextSheet()
			if sh == nil {
				return nil, err
			}
			return sh, err
		})
	})
}

// FuzzXLS feeds arbitrary bytes to the .xls reader (seed corpus in
// testdata/fuzz/FuzzXLS: .xls files LibreOffice wrote).
func FuzzXLS(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		x, err := OpenXLS(bytes.NewReader(data), int64(len(data)), Limits{MaxRows: 5000})
		if err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("error %v (%T) is not an *Error", err, err)
			}
			return
		}
		names := x.SheetNames()
		i := 0
		fuzzRows(t, func() (interface {
			Next() bool
			Cells() []Cell
			RowNum() int
		}, error) {
			if i >= len(names) {
				return nil, nil
			}
			i++
			sh, err := x.Sheet(names[i-1])
			if err != nil {
				return nil, err
			}
			if _, err := sh.Merges(); err != nil {
				return nil, err
			}
			return sh, nil
		})
	})
}
