package register

import (
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/qoldau/qoldau/shared/qoldau"
	"github.com/qoldau/qoldau/shared/table"
	"github.com/qoldau/qoldau/shared/xlsx"
)

// Fill colours of flagged cells.
const (
	ErrorFill   = "FF8080" // red: the row is rejected
	WarningFill = "FFFF66" // yellow: a remark
)

// ErrorsSheet is the name of the sheet listing the findings.
const ErrorsSheet = "Errors"

// WriteFlagged writes the register back to the operator (register.md, "What
// validation returns"): the original workbook with every flagged cell filled (red
// for an error, yellow for a warning) and a comment with the messages, and a first
// sheet "Errors" listing the findings with links to the cells. A CSV register is
// written as a new workbook with its cells as text.
func WriteFlagged(srcPath string, res *Result, out string) error {
	f, sheet, err := openForFlagging(srcPath, res)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := markCells(f, sheet, res); err != nil {
		return qoldau.E(qoldau.Internal, qoldau.Text{EN: "Cannot write the flagged workbook.",
			RU: "Не удалось записать книгу с отметками.", KK: "Белгіленген кітапты жазу мүмкін емес."}, err)
	}
	if err := f.SaveAs(out); err != nil {
		return qoldau.E(qoldau.Internal, qoldau.Text{EN: "Cannot save the flagged workbook.",
			RU: "Не удалось сохранить книгу с отметками.", KK: "Белгіленген кітапты сақтау мүмкін емес."}, err)
	}
	return nil
}

func openForFlagging(srcPath string, res *Result) (*excelize.File, string, error) {
	if res.Kind == "xlsx" {
		f, err := excelize.OpenFile(srcPath)
		if err != nil {
			return nil, "", qoldau.E(qoldau.Invalid, qoldau.Text{EN: "The workbook cannot be opened for flagging.",
				RU: "Книгу нельзя открыть для отметок.", KK: "Кітапты белгілеу үшін ашу мүмкін емес."}, err)
		}
		sheet := res.Sheet
		if sheet == "" {
			sheet = f.GetSheetList()[0]
		}
		return f, sheet, nil
	}
	// CSV, or a file that could not be read at all: a new workbook.
	f := excelize.NewFile()
	const sheet = "Register"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return nil, "", err
	}
	if res.Kind == "csv" {
		in, err := os.Open(srcPath)
		if err != nil {
			return nil, "", err
		}
		defer in.Close()
		st, _ := in.Stat()
		src, _ := table.NewCSV(in, st.Size(), xlsx.DefaultLimits())
		for src.Next() {
			row := src.RowNum()
			for _, c := range src.Cells() {
				if err := f.SetCellStr(sheet, xlsx.CellName(c.Col, row), c.Value); err != nil {
					return nil, "", err
				}
			}
		}
	}
	return f, sheet, nil
}

func markCells(f *excelize.File, sheet string, res *Result) error {
	// Group findings by cell.
	type mark struct {
		sev  qoldau.Severity
		msgs []string
	}
	marks := map[string]*mark{}
	var order []string
	for _, fd := range res.Findings {
		if fd.Cell == "" {
			continue
		}
		m := marks[fd.Cell]
		if m == nil {
			m = &mark{sev: fd.Severity}
			marks[fd.Cell] = m
			order = append(order, fd.Cell)
		}
		if fd.Severity == qoldau.SevError {
			m.sev = qoldau.SevError
		}
		m.msgs = append(m.msgs, fmt.Sprintf("[%s] %s\n%s\n%s", fd.Code, fd.Message.KK, fd.Message.RU, fd.Message.EN))
	}
	styles := map[[2]int]int{}
	for _, cell := range order {
		m := marks[cell]
		base, err := f.GetCellStyle(sheet, cell)
		if err != nil {
			return err
		}
		sev := 0
		color := ErrorFill
		if m.sev == qoldau.SevWarning {
			sev, color = 1, WarningFill
		}
		id, ok := styles[[2]int{base, sev}]
		if !ok {
			st, err := f.GetStyle(base)
			if err != nil || st == nil {
				st = &excelize.Style{}
			}
			st.Fill = excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{color}}
			if id, err = f.NewStyle(st); err != nil {
				return err
			}
			styles[[2]int{base, sev}] = id
		}
		if err := f.SetCellStyle(sheet, cell, cell, id); err != nil {
			return err
		}
		if err := f.AddComment(sheet, excelize.Comment{Author: "qoldau", Cell: cell,
			Text: strings.Join(m.msgs, "\n\n"), Width: 320, Height: 160}); err != nil {
			return err
		}
	}
	return errorsSheet(f, sheet, res)
}

// errorsSheet adds the first sheet listing every finding, linked to its cell.
func errorsSheet(f *excelize.File, sheet string, res *Result) error {
	name := ErrorsSheet
	for i := 2; sheetExists(f, name); i++ {
		name = fmt.Sprintf("%s (%d)", ErrorsSheet, i)
	}
	idx, err := f.NewSheet(name)
	if err != nil {
		return err
	}
	list := f.GetSheetList()
	if err := f.MoveSheet(name, list[0]); err != nil {
		return err
	}
	head := []any{"Жол / Строка / Row", "Ұяшық / Ячейка / Cell", "Код / Code", "Деңгейі / Уровень / Severity",
		"Өріс / Поле / Field", "Мәні / Значение / Value", "Қазақша", "Русский", "English"}
	if err := f.SetSheetRow(name, "A1", &head); err != nil {
		return err
	}
	bold, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDDDDD"}}})
	link, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Color: "0563C1", Underline: "single"}})
	_ = f.SetCellStyle(name, "A1", "I1", bold)
	quoted := "'" + strings.ReplaceAll(sheet, "'", "''") + "'!"
	findings := append([]qoldau.Finding(nil), res.Findings...)
	sort.SliceStable(findings, func(i, j int) bool { return findings[i].Row < findings[j].Row })
	for i, fd := range findings {
		r := i + 2
		row := []any{fd.Row, fd.Cell, fd.Code, string(fd.Severity), fd.Field, fd.Value, fd.Message.KK, fd.Message.RU, fd.Message.EN}
		if fd.Row == 0 {
			row[0] = ""
		}
		if err := f.SetSheetRow(name, xlsx.CellName(0, r), &row); err != nil {
			return err
		}
		if fd.Cell != "" {
			ref := xlsx.CellName(1, r)
			if err := f.SetCellHyperLink(name, ref, quoted+fd.Cell, "Location"); err != nil {
				return err
			}
			_ = f.SetCellStyle(name, ref, ref, link)
		}
	}
	for col, w := range []float64{8, 9, 18, 10, 16, 24, 60, 60, 60} {
		c := xlsx.ColName(col)
		_ = f.SetColWidth(name, c, c, w)
	}
	_ = f.SetPanes(name, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})
	f.SetActiveSheet(idx)
	// SetActiveSheet takes the index in the sheet list; after the move it is 0.
	f.SetActiveSheet(0)
	return nil
}

func sheetExists(f *excelize.File, name string) bool {
	for _, s := range f.GetSheetList() {
		if strings.EqualFold(s, name) {
			return true
		}
	}
	return false
}
