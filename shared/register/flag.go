package register

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/qoldau/qoldau/shared/qoldau"
	"github.com/qoldau/qoldau/shared/scratch"
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

// csvSheet names the sheet a CSV register is written to.
const csvSheet = "Register"

var errorsHeader = []string{"Жол / Строка / Row", "Ұяшық / Ячейка / Cell", "Код / Code", "Деңгейі / Уровень / Severity",
	"Өріс / Поле / Field", "Мәні / Значение / Value", "Қазақша", "Русский", "English"}

var errorsWidths = []float64{8, 9, 18, 10, 16, 24, 60, 60, 60}

// WriteFlagged writes the register back to the operator (register.md, "What
// validation returns"): the original workbook, unchanged but for every flagged cell
// filled (red for an error, yellow for a warning) with a comment holding the
// messages, and a first sheet "Errors" listing the findings with links to the cells.
// A CSV register is first written as a workbook with its cells as text. The
// workbook is streamed (xlsx.Flag): memory holds the findings, not the sheet.
func WriteFlagged(srcPath string, res *Result, out string) error {
	src, sheet, cleanup, err := flagSource(srcPath, res)
	if err != nil {
		return err
	}
	defer cleanup()
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	st, err := in.Stat()
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(out), ".flagged-*.xlsx")
	if err != nil {
		return flagError(err)
	}
	defer os.Remove(tmp.Name())
	marks, rows, err := flagMarks(res, sheet)
	if err != nil {
		return err
	}
	if err := xlsx.Flag(tmp, in, st.Size(), sheet, marks, ErrorsSheet, rows, errorsWidths); err != nil {
		tmp.Close()
		return flagError(err)
	}
	if err := tmp.Close(); err != nil {
		return flagError(err)
	}
	if err := os.Chmod(tmp.Name(), 0o600); err != nil {
		return flagError(err)
	}
	if err := os.Rename(tmp.Name(), out); err != nil {
		return flagError(err)
	}
	return nil
}

func flagError(err error) error {
	return qoldau.E(qoldau.Internal, qoldau.Text{EN: "Cannot write the flagged workbook.",
		RU: "Не удалось записать книгу с отметками.", KK: "Белгіленген кітапты жазу мүмкін емес."}, err)
}

// flagSource returns the workbook to flag and the sheet: the upload itself, or a
// CSV register written as a workbook in a temporary file.
func flagSource(srcPath string, res *Result) (path, sheet string, cleanup func(), err error) {
	if res.Kind == "xlsx" {
		return srcPath, res.Sheet, func() {}, nil
	}
	in, err := os.Open(srcPath)
	if err != nil {
		return "", "", nil, err
	}
	defer in.Close()
	st, err := in.Stat()
	if err != nil {
		return "", "", nil, err
	}
	tmp, err := scratch.CreateTemp("csv-*.xlsx")
	if err != nil {
		return "", "", nil, err
	}
	cleanup = func() { os.Remove(tmp.Name()) }
	if err := csvToBook(tmp, in, st.Size()); err != nil {
		tmp.Close()
		cleanup()
		return "", "", nil, err
	}
	if err := tmp.Close(); err != nil {
		cleanup()
		return "", "", nil, err
	}
	return tmp.Name(), csvSheet, cleanup, nil
}

// csvToBook writes a CSV file's cells as text, each on its line's row.
func csvToBook(w io.Writer, r io.Reader, size int64) error {
	xw := xlsx.NewWriter(w, csvSheet)
	src, _ := table.NewCSV(r, size, xlsx.DefaultLimits())
	row := 0
	var vals []xlsx.Value
	for src.Next() {
		for row+1 < src.RowNum() { // keep line numbers: blank lines stay blank rows
			if err := xw.WriteRow(nil); err != nil {
				return err
			}
			row++
		}
		vals = vals[:0]
		for _, c := range src.Cells() {
			for len(vals) < c.Col {
				vals = append(vals, xlsx.Value{})
			}
			vals = append(vals, xlsx.Text(c.Value))
		}
		if err := xw.WriteRow(vals); err != nil {
			return err
		}
		row++
	}
	if err := src.Err(); err != nil {
		return err
	}
	return xw.Close()
}

// MaxFlagged bounds the flagged workbook: the cells of the first MaxFlagged
// findings are marked and listed on the Errors sheet (Excel keeps at most 65,530
// hyperlinks on a sheet), and a last row says how many more there are; the JSON
// report lists every finding. It keeps the workbook one a person can open and the
// memory of writing it bounded, however many cells are wrong.
const MaxFlagged = 65530

var maxFlagged = MaxFlagged // tests lower it

// flagMarks turns findings into cell marks and the Errors sheet's rows.
func flagMarks(res *Result, sheet string) ([]xlsx.Mark, [][]xlsx.ErrCell, error) {
	type mark struct {
		col, row int
		sev      qoldau.Severity
		msgs     []string
	}
	byCell := map[string]*mark{}
	head := make([]xlsx.ErrCell, len(errorsHeader))
	for i, h := range errorsHeader {
		head[i] = xlsx.ErrCell{Text: h}
	}
	rows := make([][]xlsx.ErrCell, 0, min(res.Findings.Len(), maxFlagged)+2)
	rows = append(rows, head)
	quoted := "'" + strings.ReplaceAll(sheet, "'", "''") + "'!"
	n := 0
	err := res.Findings.Each(func(fd *qoldau.Finding) error {
		if n == maxFlagged {
			return ErrStop
		}
		n++
		if fd.Cell != "" {
			m := byCell[fd.Cell]
			if m == nil {
				m = &mark{col: table.ColIndex(fd.Column), row: fd.Row, sev: fd.Severity}
				byCell[fd.Cell] = m
			}
			if fd.Severity == qoldau.SevError {
				m.sev = qoldau.SevError
			}
			m.msgs = append(m.msgs, fmt.Sprintf("[%s] %s\n%s\n%s", fd.Code, fd.Message.KK, fd.Message.RU, fd.Message.EN))
		}
		r := []xlsx.ErrCell{{}, {Text: fd.Cell}, {Text: fd.Code}, {Text: string(fd.Severity)}, {Text: fd.Field},
			{Text: fd.Value}, {Text: fd.Message.KK}, {Text: fd.Message.RU}, {Text: fd.Message.EN}}
		if fd.Row > 0 {
			r[0] = xlsx.ErrCell{Number: float64(fd.Row), IsNumber: true}
		}
		if fd.Cell != "" {
			r[1].Link = quoted + fd.Cell
		}
		rows = append(rows, r)
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	if more := res.Findings.Len() - n; more > 0 {
		m := message("flag-more", msgArgs{detail: strconv.Itoa(more)})
		rows = append(rows, []xlsx.ErrCell{{}, {}, {}, {}, {}, {}, {Text: m.KK}, {Text: m.RU}, {Text: m.EN}})
	}
	marks := make([]xlsx.Mark, 0, len(byCell))
	for _, m := range byCell {
		fill := ErrorFill
		if m.sev == qoldau.SevWarning {
			fill = WarningFill
		}
		marks = append(marks, xlsx.Mark{Col: m.col, Row: m.row, Fill: fill, Comment: strings.Join(m.msgs, "\n\n")})
	}
	sort.Slice(marks, func(i, j int) bool {
		if marks[i].Row != marks[j].Row {
			return marks[i].Row < marks[j].Row
		}
		return marks[i].Col < marks[j].Col
	})
	return marks, rows, nil
}
