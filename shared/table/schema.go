package table

import (
	"strconv"
	"strings"

	"github.com/qoldau/qoldau/shared/qoldau"
	"github.com/qoldau/qoldau/shared/refdata"
	"github.com/qoldau/qoldau/shared/xlsx"
)

// Column is one column of a kind of table (a register, an acts file, a call list):
// its canonical key, whether it is required, and the header texts it is known by.
type Column struct {
	Key      string
	Required bool
	Headers  []string
}

// Schema is the columns of a kind of table. Columns are found by their header text,
// matched after normalisation (HeaderNorm), in any order.
type Schema struct {
	Columns []Column
	// MinHeaders is how many recognised headers make a row the header row.
	MinHeaders int
	index      map[string]int
}

// NewSchema indexes the columns' headers (and keys) for matching.
func NewSchema(cols []Column, minHeaders int) *Schema {
	s := &Schema{Columns: cols, MinHeaders: minHeaders, index: map[string]int{}}
	for i, c := range cols {
		for _, h := range append([]string{c.Key}, c.Headers...) {
			s.index[HeaderNorm(h)] = i
		}
	}
	return s
}

// Lookup returns the column a header text names.
func (s *Schema) Lookup(text string) (int, bool) {
	i, ok := s.index[HeaderNorm(text)]
	return i, ok
}

// HeaderNorm normalises a header: the code-list normalisation (refdata.Norm), "_"
// read as a space so canonical keys match, and a stray Cyrillic look-alike inside a
// Latin word folded to Latin (the seed's English header writes "CCЕA" with a
// Cyrillic Е).
func HeaderNorm(s string) string {
	n := refdata.Norm(strings.ReplaceAll(s, "_", " "))
	if isASCII(n) {
		return n
	}
	words := strings.Split(n, " ")
	for i, w := range words {
		latin, cyr := 0, 0
		for _, r := range w {
			switch {
			case r >= 'a' && r <= 'z':
				latin++
			case r >= 0x400 && r <= 0x4ff:
				cyr++
			}
		}
		if latin > 0 && cyr > 0 && latin >= cyr {
			words[i] = strings.Map(cyrToLatin, w)
		}
	}
	return strings.Join(words, " ")
}

var cyrLatin = map[rune]rune{'а': 'a', 'е': 'e', 'о': 'o', 'р': 'p', 'с': 'c', 'х': 'x', 'у': 'y', 'к': 'k',
	'м': 'm', 'т': 't', 'н': 'h', 'в': 'b', 'і': 'i'}

func cyrToLatin(r rune) rune {
	if l, ok := cyrLatin[r]; ok {
		return l
	}
	return r
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// FindHeader returns the index in rows of the first row naming at least MinHeaders
// distinct columns.
func (s *Schema) FindHeader(rows []Row) (int, bool) {
	for i, r := range rows {
		seen := map[int]bool{}
		for _, c := range r.Cells {
			if f, ok := s.Lookup(c.Value); ok {
				seen[f] = true
			}
		}
		if len(seen) >= s.MinHeaders {
			return i, true
		}
	}
	return -1, false
}

// Layout is a header row mapped to columns.
type Layout struct {
	Row      int            // the header's row number
	ColField []int          // by 0-based sheet column: the schema column, or -1
	FieldCol []int          // by schema column: the 0-based sheet column, or -1
	Extra    map[int]string // sheet columns whose header names no schema column
}

// Field returns the schema column of sheet column col, or -1.
func (l *Layout) Field(col int) int {
	if col < 0 || col >= len(l.ColField) {
		return -1
	}
	return l.ColField[col]
}

// Map maps a header row. It returns the layout and the file-level findings: a
// warning extra-column for a header that names no column, an error duplicate-column
// for a column named twice and missing-column for each required column absent;
// ok is false when there is an error. Messages come from cat.
func (s *Schema) Map(head Row, cat *Catalogue) (l *Layout, findings []qoldau.Finding, ok bool) {
	l = &Layout{Row: head.Num, FieldCol: make([]int, len(s.Columns)), Extra: map[int]string{}}
	maxCol := 0
	for _, c := range head.Cells {
		maxCol = max(maxCol, c.Col)
	}
	l.ColField = make([]int, maxCol+1)
	for i := range l.ColField {
		l.ColField[i] = -1
	}
	for i := range l.FieldCol {
		l.FieldCol[i] = -1
	}
	ok = true
	add := func(code string, sev qoldau.Severity, field, detail string) {
		findings = append(findings, qoldau.Finding{Code: code, Severity: sev, Field: field,
			Message: cat.Message(code, Args{Field: field, Detail: detail})})
	}
	for _, c := range head.Cells {
		text := Trim(c.Value)
		if text == "" {
			continue
		}
		f, found := s.Lookup(text)
		switch {
		case !found:
			l.Extra[c.Col] = text
			add("extra-column", qoldau.SevWarning, "", xlsx.ColName(c.Col)+" «"+OneLine(text)+"»")
		case l.FieldCol[f] >= 0:
			add("duplicate-column", qoldau.SevError, s.Columns[f].Key, xlsx.ColName(l.FieldCol[f])+", "+xlsx.ColName(c.Col))
			ok = false
		default:
			l.FieldCol[f] = c.Col
			l.ColField[c.Col] = f
		}
	}
	for f, c := range s.Columns {
		if c.Required && l.FieldCol[f] < 0 {
			add("missing-column", qoldau.SevError, c.Key, "")
			ok = false
		}
	}
	return l, findings, ok
}

// IsRepeat tells a row under the header that only repeats headers (a second header
// row in another language) or only numbers the columns (1 2 3 …).
func (s *Schema) IsRepeat(cells []xlsx.Cell) bool {
	headers, numbers, n, prev := 0, 0, 0, 0
	for _, c := range cells {
		t := Trim(c.Value)
		if t == "" {
			continue
		}
		n++
		if _, ok := s.Lookup(t); ok {
			headers++
			continue
		}
		if k, err := strconv.Atoi(strings.TrimSuffix(t, ".")); err == nil && k > prev && k <= 300 {
			prev = k
			numbers++
		}
	}
	if n < 3 {
		return false
	}
	return headers == n || numbers == n || (headers >= n/2 && headers+numbers == n)
}
