package letter

import (
	"strings"
	"unicode/utf8"
)

// Text renders the letter in lang ("kk" for Kazakh; anything else gives Russian) as
// plain text: one line per paragraph, tables as aligned columns. It leaves out the
// cell values of the findings (no IIN, phone or e-mail address in an e-mail body).
func Text(d Data, lang string) string {
	var sb strings.Builder
	prev := style(-1)
	for i, bl := range build(&d, lang) {
		if i > 0 && prev != sHeading && (bl.table != nil || !bl.style.follows(prev)) {
			sb.WriteByte('\n')
		}
		switch {
		case bl.table != nil:
			writeTable(&sb, bl.table)
			prev = -1
			continue
		case bl.style == sFact:
			sb.WriteString(oneLine(bl.label) + ": " + oneLine(bl.text))
		case bl.style == sHeading:
			sb.WriteString(oneLine(bl.text) + ":")
		default:
			sb.WriteString(oneLine(bl.text))
		}
		sb.WriteByte('\n')
		prev = bl.style
	}
	return sb.String()
}

// oneLine folds line breaks and tabs to spaces.
func oneLine(s string) string {
	if !strings.ContainsAny(s, "\r\n\t") {
		return s
	}
	return strings.Map(func(r rune) rune {
		if r == '\r' || r == '\n' || r == '\t' {
			return ' '
		}
		return r
	}, s)
}

// writeTable writes the public columns of tb, aligned, two spaces apart; the last
// column is not padded.
func writeTable(sb *strings.Builder, tb *table) {
	var cols []int
	for i, c := range tb.cols {
		if !c.private {
			cols = append(cols, i)
		}
	}
	width := make([]int, len(tb.cols))
	for _, i := range cols {
		width[i] = utf8.RuneCountInString(tb.cols[i].head)
		for _, r := range tb.rows {
			width[i] = max(width[i], utf8.RuneCountInString(oneLine(r[i])))
		}
	}
	line := func(cells func(i int) string) {
		var l strings.Builder
		for k, i := range cols {
			s := oneLine(cells(i))
			pad := strings.Repeat(" ", width[i]-utf8.RuneCountInString(s))
			if k > 0 {
				l.WriteString("  ")
			}
			switch {
			case tb.cols[i].right:
				l.WriteString(pad + s)
			case k < len(cols)-1:
				l.WriteString(s + pad)
			default:
				l.WriteString(s)
			}
		}
		sb.WriteString(strings.TrimRight(l.String(), " "))
		sb.WriteByte('\n')
	}
	line(func(i int) string { return tb.cols[i].head })
	for _, r := range tb.rows {
		line(func(i int) string { return r[i] })
	}
}
