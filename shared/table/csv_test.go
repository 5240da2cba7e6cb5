package table

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/qoldau/qoldau/shared/xlsx"
)

// csvRows reads text as a CSV file: each row as "N: A=v|B=v", and the problem's
// key and detail at the end.
func csvRows(t *testing.T, text string, lim xlsx.Limits) []string {
	t.Helper()
	src, p := NewCSV(strings.NewReader(text), int64(len(text)), lim)
	if p != nil {
		t.Fatalf("NewCSV: %v", p)
	}
	var out []string
	for src.Next() {
		var b strings.Builder
		fmt.Fprintf(&b, "%d:", src.RowNum())
		for i, c := range src.Cells() {
			if i > 0 {
				b.WriteByte('|')
			}
			fmt.Fprintf(&b, " %s=%s", xlsx.ColName(c.Col), c.Value)
		}
		out = append(out, b.String())
	}
	if err := src.Err(); err != nil {
		p := err.(*Problem)
		out = append(out, p.Key+" "+p.Detail)
	}
	return out
}

func TestCSVReading(t *testing.T) {
	for _, tt := range []struct {
		name, text string
		want       []string
	}{
		{"LF", "a;b\nc;d\n", []string{"1: A=a| B=b", "2: A=c| B=d"}},
		{"CR LF, no line end at the end", "a;b\r\nc;d", []string{"1: A=a| B=b", "2: A=c| B=d"}},
		{"CR only (classic Mac, some Excel exports)", "a;b\rc;d\r", []string{"1: A=a| B=b", "2: A=c| B=d"}},
		{"BOM, blank lines keep line numbers", "\ufeffa,b\n\n,\nc,d\n", []string{"1: A=a| B=b", "4: A=c| B=d"}},
		{"quoted separators, doubled quotes", "\"x; y\";\"say \"\"hi\"\"\";z\n", []string{"1: A=x; y| B=say \"hi\"| C=z"}},
		{"line breaks in a quoted cell; the next row keeps its line", "\"a\r\nb\rc\";d\ne;f\n", []string{"1: A=a\nb\nc| B=d", "4: A=e| B=f"}},
		{"stray quotes are text", "a\"b;\"c\"d\";e\n", []string{"1: A=a\"b| B=c\"d| C=e"}},
		{"empty cells are skipped", ";;x;;\n", []string{"1: C=x"}},
		{"open quote", "a;b\n\"c;d\ne;f\n", []string{"1: A=a| B=b", "csv-open-quote 2"}},
		{"not UTF-8", "a;b\n\xcf\xf0\xe8;x\n", []string{"1: A=a| B=b", "not-utf8 2"}},
		{"a cell over 32,767 characters", "a;b\nx;" + strings.Repeat("я", MaxCell+1) + "\n", []string{"1: A=a| B=b", "csv-long-cell B2"}},
		{"a cell of 32,767 Cyrillic characters is fine", "a;b\nx;" + strings.Repeat("я", MaxCell) + "\n", []string{"1: A=a| B=b", "2: A=x| B=" + strings.Repeat("я", MaxCell)}},
		{"a quoted cell over the limit", "a;b\n\"" + strings.Repeat("x", 4*MaxCell+10), []string{"1: A=a| B=b", "csv-long-cell A2"}},
		{"more cells on a line than Excel has columns", "a;b\n" + strings.Repeat(";", MaxLineCells+5) + "\n", []string{"1: A=a| B=b", "csv-wide-line 2"}},
		{"more cells with data than the column limit", "a;b\n" + strings.Repeat("x;", 300) + "\n", []string{"1: A=a| B=b", "too-many-columns 256"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, csvRows(t, tt.text, xlsx.DefaultLimits())); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// rowsOf walks a CSV table under its header: each data row as "N: values", and the
// findings' codes and English messages.
func walkCSV(t *testing.T, text string) (rows, notes []string) {
	t.Helper()
	sc := NewSchema([]Column{{Key: "a"}, {Key: "b"}, {Key: "c"}}, 3)
	tb, p := Open(strings.NewReader(text), int64(len(text)), Options{Schema: sc})
	if p != nil {
		t.Fatal(p)
	}
	defer tb.Close()
	for tb.Next() {
		var vs []string
		for _, c := range tb.Cells() {
			vs = append(vs, c.Value)
		}
		rows = append(rows, fmt.Sprintf("%d: %s", tb.RowNum(), strings.Join(vs, " ")))
	}
	if err := tb.Err(); err != nil {
		t.Fatal(err)
	}
	for _, f := range tb.Findings() {
		notes = append(notes, f.Code+" "+f.Message.EN)
	}
	return rows, notes
}

func TestFooters(t *testing.T) {
	for _, tt := range []struct {
		name, text  string
		rows, notes []string
	}{
		{"a total, a blank row, a signature and a date", "a;b;c\nx;y;z\nu;v;w\nИтого;2 услуги\n\nИсполнитель: Иванова А.\n;02.11.2026\n",
			[]string{"2: x y z", "3: u v w"}, []string{"footer Rows 4, 6–7 under the data are taken for a footer (totals, signatures): they are not read or counted as register rows."}},
		{"short rows followed by data are data", "a;b;c\nx;y;z\nq\n\nr;s\nu;v;w\n", []string{"2: x y z", "3: q", "5: r s", "6: u v w"}, nil},
		{"a short row right under the header is data", "a;b;c\nq\nr;s;t\n", []string{"2: q", "3: r s t"}, nil},
		{"more short rows than a footer has are data", "a;b;c\nx;y;z\n" + strings.Repeat("x\n", maxFooter+1),
			append([]string{"2: x y z"}, strings.Split(strings.TrimSpace(strings.Repeat("x ", maxFooter+1)), " ")...), nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rows, notes := walkCSV(t, tt.text)
			if tt.name == "more short rows than a footer has are data" {
				for i := range tt.rows[1:] {
					tt.rows[i+1] = fmt.Sprintf("%d: x", i+3)
				}
			}
			if diff := cmp.Diff(tt.rows, rows); diff != "" {
				t.Errorf("rows (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.notes, notes); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
		})
	}
}

// The header search holds a bounded amount of text: rows of huge cells stop it
// early, and the rows it did not read still come out of the walk.
func TestPeekBudget(t *testing.T) {
	defer func(b int) { peekBudget = b }(peekBudget)
	peekBudget = 100 << 10
	big := strings.Repeat("x", 30000)
	text := "a;b;c\n" + strings.Repeat(big+";"+big+";y\n", 6)
	sc := NewSchema([]Column{{Key: "a"}, {Key: "b"}, {Key: "c"}}, 3)
	tb, p := Open(strings.NewReader(text), int64(len(text)), Options{Schema: sc})
	if p != nil {
		t.Fatal(p)
	}
	defer tb.Close()
	if len(tb.Head) != 3 || tb.HeaderAt != 0 {
		t.Fatalf("head %d rows, header at %d", len(tb.Head), tb.HeaderAt)
	}
	n := 0
	for tb.Next() {
		n++
	}
	if n != 6 || tb.Err() != nil {
		t.Errorf("%d data rows, %v", n, tb.Err())
	}
}
