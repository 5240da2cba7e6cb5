package table

import (
	"strings"
	"testing"

	"github.com/qoldau/qoldau/shared/xlsx"
)

// Every problem the package can name has a message in all three languages, with its
// detail filled in.
func TestProblemMessages(t *testing.T) {
	for _, key := range []string{"empty", "not-xlsx", "encrypted", "legacy-xls", "not-workbook", "corrupt", "too-large",
		"zip-bomb", "too-many-rows", "too-many-columns", "sheet-not-found", "no-sheets", "not-utf8", "csv-open-quote", "csv-long-cell", "csv-wide-line",
		"header-not-found.sheets", "sheet-choice", "footer", "merged-cells.vertical", "merged-cells.horizontal"} {
		m := (&Problem{Key: key, Detail: "DETAIL"}).Message()
		if _, ok := messages.Lookup(key); !ok || m.KK == "" || m.RU == "" || m.EN == "" {
			t.Errorf("%s: %+v", key, m)
		}
		if strings.Contains(m.EN, "{") {
			t.Errorf("%s: unfilled placeholder in %q", key, m.EN)
		}
	}
}

func TestCSVSeparators(t *testing.T) {
	for _, tt := range []struct {
		name, text string
		want       byte
	}{
		{"comma", "a,b,c\n1,2,3\n", ','},
		{"semicolon with quoted commas", "\"x, y\";b;c\n1;2;3\n", ';'},
		{"tab", "a\tb\tc\n", '\t'},
	} {
		if got := detectComma([]byte(tt.text)); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestCSVLimits(t *testing.T) {
	lim := xlsx.DefaultLimits()
	lim.MaxRows = 2
	src, _ := NewCSV(strings.NewReader("a\nb\nc\n"), 6, lim)
	for src.Next() {
	}
	if p, ok := src.Err().(*Problem); !ok || p.Key != "too-many-rows" {
		t.Errorf("err %v", src.Err())
	}
}

// A zip bomb names the limit it ran into: the unpacked size and ratio, or the
// shared strings'.
func TestZipBombDetail(t *testing.T) {
	lim := xlsx.DefaultLimits()
	for _, tt := range []struct {
		limit int64
		want  string
	}{
		{lim.MaxUnpacked, "2 GiB, ×100"},
		{lim.MaxRatio, "2 GiB, ×100"},
		{lim.MaxSharedStrings, "96 MiB of shared strings"},
	} {
		if p := AsProblem(&xlsx.Error{Problem: xlsx.ZipBomb, Limit: tt.limit}, lim); p.Key != "zip-bomb" || p.Detail != tt.want {
			t.Errorf("limit %d: %+v, want %q", tt.limit, p, tt.want)
		}
	}
}
