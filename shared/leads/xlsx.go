package leads

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/qoldau/qoldau/shared/qoldau"
	"github.com/qoldau/qoldau/shared/register"
)

// SheetName is the name of the leads sheet in lang (31 characters at most, as
// Excel allows).
func SheetName(lang string) string { return Text("sheet.name").In(lang) }

// WriteXLSX writes the leads as a workbook of one sheet (SheetName) in lang.
func WriteXLSX(w io.Writer, res *Result, lang string) error {
	f := excelize.NewFile()
	defer f.Close()
	name := SheetName(lang)
	if err := f.SetSheetName("Sheet1", name); err != nil {
		return xlsxErr(err)
	}
	if err := AddSheet(f, name, res, lang); err != nil {
		return err
	}
	built := res.Built.UTC().Format(time.RFC3339)
	if err := f.SetDocProps(&excelize.DocProperties{Title: Text("sheet.title").In(lang) + " · " + res.Period,
		Creator: "qoldau", Created: built, Modified: built, Language: lang}); err != nil {
		return xlsxErr(err)
	}
	if _, err := f.WriteTo(w); err != nil {
		return xlsxErr(err)
	}
	return nil
}

func xlsxErr(err error) error {
	return qoldau.E(qoldau.Internal, catalogue.Text("err.cannot-write-leads-workbook"), err)
}

// AddSheet writes the leads on the sheet name of f (created when absent): a title,
// what a lead is, the counts by kind, then one line per evidence row (the lead's
// number, kind and strength on each, for filtering; its explanation on its first),
// with the cells each row rests on. The report's workbook carries the same sheet.
func AddSheet(f *excelize.File, name string, res *Result, lang string) error {
	if idx, err := f.GetSheetIndex(name); err != nil || idx < 0 {
		if _, err := f.NewSheet(name); err != nil {
			return xlsxErr(err)
		}
	}
	st, err := sheetStyles(f)
	if err != nil {
		return xlsxErr(err)
	}
	t := func(key string) string { return Text(key).In(lang) }
	set := func(cell string, v any, style int) error {
		if err := f.SetCellValue(name, cell, v); err != nil {
			return err
		}
		return f.SetCellStyle(name, cell, cell, style)
	}
	var counts []string
	for _, k := range Kinds {
		counts = append(counts, fmt.Sprintf("%s: %d", t("kind."+k), res.Counts[k]))
	}
	head := []string{t("col.lead"), t("col.kind"), t("col.strength"), t("col.message"), t("col.period"), t("col.version"),
		t("col.row"), t("col.excluded"), t("col.cells")}
	err = func() error {
		if err := set("A1", t("sheet.title")+" · "+res.Period, st.title); err != nil {
			return err
		}
		if err := set("A2", t("sheet.note"), st.note); err != nil {
			return err
		}
		if err := set("A3", strings.Join(counts, " · "), st.note); err != nil {
			return err
		}
		for i, h := range head {
			c, _ := excelize.CoordinatesToCellName(i+1, 5)
			if err := set(c, h, st.header); err != nil {
				return err
			}
		}
		row := 5
		put := func(vals []any, styles []int) error {
			row++
			for i, v := range vals {
				c, _ := excelize.CoordinatesToCellName(i+1, row)
				if err := set(c, v, styles[i]); err != nil {
					return err
				}
			}
			return nil
		}
		if len(res.Leads) == 0 {
			return put([]any{t("sheet.none")}, []int{st.text})
		}
		for n, l := range res.Leads {
			kind := t("kind." + l.Kind)
			for i, e := range l.Rows {
				msg := ""
				if i == 0 {
					msg = l.Message.In(lang)
				}
				excl := ""
				if e.Excluded != "" {
					excl = t("excluded." + e.Excluded)
				}
				vals := []any{n + 1, kind, l.Strength, msg, e.Period.String(), e.Version, e.Row, excl, cellsText(e.Cells, lang)}
				if err := put(vals, []int{st.num, st.text, st.strength, st.text, st.text, st.num, st.num, st.text, st.text}); err != nil {
					return err
				}
			}
			if more := l.RowsTotal - len(l.Rows); more > 0 {
				more := strings.ReplaceAll(t("sheet.more"), "{n}", strconv.Itoa(more))
				if err := put([]any{n + 1, kind, l.Strength, "", "", "", "", "", more}, []int{st.num, st.text, st.strength, st.text,
					st.text, st.text, st.text, st.text, st.note}); err != nil {
					return err
				}
			}
		}
		last, _ := excelize.CoordinatesToCellName(len(head), row)
		if err := f.AutoFilter(name, "A5:"+last, nil); err != nil {
			return err
		}
		for i, w := range []float64{6, 18, 9, 70, 9, 8, 7, 16, 60} {
			col, _ := excelize.ColumnNumberToName(i + 1)
			if err := f.SetColWidth(name, col, col, w); err != nil {
				return err
			}
		}
		return f.SetPanes(name, &excelize.Panes{Freeze: true, YSplit: 5, TopLeftCell: "A6", ActivePane: "bottomLeft"})
	}()
	if err != nil {
		return xlsxErr(err)
	}
	return nil
}

// cellsText writes an evidence row's cells: "U17 +77011234567; E17 А. Е.", or the
// field's name where the cell's address is not known.
func cellsText(cells []Cell, lang string) string {
	parts := make([]string, 0, len(cells))
	for _, c := range cells {
		where := c.Cell
		if where == "" {
			where = register.FieldLabel(c.Field).In(lang)
			if where == "" {
				where = c.Field
			}
			where += ":"
		}
		parts = append(parts, where+" "+c.Value)
	}
	return strings.Join(parts, "; ")
}

type styles struct{ title, note, header, text, num, strength int }

func sheetStyles(f *excelize.File) (*styles, error) {
	border := []excelize.Border{{Type: "left", Color: "BFBFBF", Style: 1}, {Type: "right", Color: "BFBFBF", Style: 1},
		{Type: "top", Color: "BFBFBF", Style: 1}, {Type: "bottom", Color: "BFBFBF", Style: 1}}
	s := &styles{}
	for _, x := range []struct {
		dst *int
		st  excelize.Style
	}{
		{&s.title, excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}}},
		{&s.note, excelize.Style{Font: &excelize.Font{Italic: true, Size: 9}}},
		{&s.header, excelize.Style{Font: &excelize.Font{Bold: true}, Border: border,
			Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}},
			Alignment: &excelize.Alignment{WrapText: true, Vertical: "center", Horizontal: "center"}}},
		{&s.text, excelize.Style{Border: border, Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}}},
		{&s.num, excelize.Style{Border: border, NumFmt: 1, Alignment: &excelize.Alignment{Vertical: "top"}}},
		{&s.strength, excelize.Style{Border: border, NumFmt: 2, Alignment: &excelize.Alignment{Vertical: "top"}}},
	} {
		id, err := f.NewStyle(&x.st)
		if err != nil {
			return nil, err
		}
		*x.dst = id
	}
	return s, nil
}
