package table

import (
	"bytes"
	"encoding/csv"
	"io"
	"strconv"
	"testing"

	"github.com/qoldau/qoldau/shared/xlsx"
)

// csvSample is a 100,000-line CSV of 22 cells a line, some quoted.
func csvSample() []byte {
	var b bytes.Buffer
	for i := 0; i < 100000; i++ {
		for c := 0; c < 22; c++ {
			if c > 0 {
				b.WriteByte(';')
			}
			switch c % 4 {
			case 0:
				b.WriteString("Карагандинская область")
			case 1:
				b.WriteString(strconv.Itoa(850515300000 + i))
			case 2:
				b.WriteString("\"ТОО \"\"Сервис; плюс\"\"\"")
			default:
				b.WriteString("15.09.2026")
			}
		}
		b.WriteString("\r\n")
	}
	return b.Bytes()
}

// BenchmarkCSV reads a 100,000-line CSV with this package's reader and, for
// comparison, with encoding/csv (which holds a whole record before any limit can be
// checked).
func BenchmarkCSV(b *testing.B) {
	data := csvSample()
	b.Run("table", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		for i := 0; i < b.N; i++ {
			src, _ := NewCSV(bytes.NewReader(data), int64(len(data)), xlsx.DefaultLimits())
			n := 0
			for src.Next() {
				n += len(src.Cells())
			}
			if src.Err() != nil || n != 2200000 {
				b.Fatal(src.Err(), n)
			}
		}
	})
	b.Run("encoding-csv", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		for i := 0; i < b.N; i++ {
			r := csv.NewReader(bytes.NewReader(data))
			r.Comma, r.LazyQuotes, r.ReuseRecord = ';', true, true
			for {
				if _, err := r.Read(); err == io.EOF {
					break
				} else if err != nil {
					b.Fatal(err)
				}
			}
		}
	})
}
