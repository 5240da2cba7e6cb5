package table

import (
	"bytes"
	"errors"
	"io"
	"strconv"
	"strings"

	"github.com/qoldau/qoldau/shared/xlsx"
)

// HeadRows is how many rows (with data) of a sheet are searched for the header.
const HeadRows = 20

// Options steer Open.
type Options struct {
	// Sheet names the sheet to read (matched exactly, then ignoring case); ""
	// reads the first sheet whose first rows hold the header.
	Sheet string
	// Limits bound what a file may hold; zero fields mean xlsx.DefaultLimits.
	Limits xlsx.Limits
	// Schema finds the header (Schema.FindHeader) and the repeated header rows
	// under it (Schema.IsRepeat).
	Schema *Schema
	// Header, when set, finds the header instead of Schema.FindHeader.
	Header func(rows []Row) (int, bool)

	raw bool // OpenSheet: the first sheet, no rows read ahead
}

// Table is an opened table, placed on the header of its sheet: Head holds the first
// rows, Next walks the data rows under the header.
type Table struct {
	// Kind is "xlsx", "ods", "xls" or "csv".
	Kind string
	// Date1904 tells a workbook's date system.
	Date1904 bool
	// Sheet is the name of the sheet read ("" for a CSV file).
	Sheet string
	// Sheets are the sheets looked at for the header, in workbook order: all of
	// them when none holds it.
	Sheets []string
	// Head is the sheet's first HeadRows rows with data; HeaderAt the index in Head
	// of the header row, -1 when no sheet has one (then Next reads nothing).
	Head     []Row
	HeaderAt int

	opt  Options
	book book
	src  Source
	walk walk
}

// book is a workbook's (or a CSV file's) sheets, in order.
type book interface {
	// next opens the sheet after the last one opened; src is nil after the last.
	next() (name string, src Source, err error)
	// named opens the sheet named name.
	named(name string) (real string, src Source, err error)
	date1904() bool
	close()
}

// Open opens the table in r (size bytes): a workbook (.xlsx, .ods or .xls, told by
// their content, not their name) or a CSV file. It picks the sheet (Options.Sheet,
// or the first whose first rows hold the header) and reads its first rows. A
// problem with the file as a whole is a *Problem; a table without a header is not
// (HeaderAt is -1).
func Open(r io.ReaderAt, size int64, opt Options) (*Table, *Problem) {
	lim := opt.Limits
	if lim == (xlsx.Limits{}) {
		lim = xlsx.DefaultLimits()
	}
	opt.Limits = lim
	if opt.Header == nil {
		opt.Header = opt.Schema.FindHeader
	}
	if size > lim.MaxFileSize {
		return nil, &Problem{Key: "too-large", Detail: sizeText(lim.MaxFileSize)}
	}
	head := make([]byte, 512)
	n, err := r.ReadAt(head, 0)
	if err != nil && err != io.EOF {
		return nil, &Problem{Key: "corrupt", Detail: "read error"}
	}
	head = head[:n]
	t := &Table{opt: opt, HeaderAt: -1}
	var bk book
	switch sniff(head) {
	case "empty":
		return nil, &Problem{Key: "empty"}
	case "binary":
		return nil, &Problem{Key: "not-xlsx"}
	case "csv":
		src, p := NewCSV(io.NewSectionReader(r, 0, size), size, lim)
		if p != nil {
			return nil, p
		}
		t.Kind, bk = "csv", &csvBook{src: src}
	default:
		t.Kind, bk, err = openBook(r, size, head, lim)
		if err != nil {
			return nil, AsProblem(err, lim)
		}
	}
	t.book = bk
	if p := t.choose(); p != nil {
		bk.close()
		return nil, p
	}
	t.Date1904 = bk.date1904()
	t.walk.init(t)
	return t, nil
}

// openBook opens a workbook of any kind: an OpenDocument spreadsheet says so in
// its first entry (the mimetype); an OLE2 file without encryption is an .xls.
func openBook(r io.ReaderAt, size int64, head []byte, lim xlsx.Limits) (string, book, error) {
	if bytes.Contains(head, []byte("opendocument.spreadsheet")) {
		o, err := xlsx.OpenODS(r, size, lim)
		if err != nil {
			return "", nil, err
		}
		return "ods", &odsBook{o: o}, nil
	}
	wb, err := xlsx.Open(r, size, lim)
	var xe *xlsx.Error
	switch {
	case err == nil:
		return "xlsx", xlsxBook(wb), nil
	case errors.As(err, &xe) && xe.Problem == xlsx.LegacyXLS:
		x, xerr := xlsx.OpenXLS(r, size, lim)
		if xerr != nil {
			return "", nil, xerr
		}
		return "xls", xlsBook(x), nil
	case errors.As(err, &xe) && xe.Problem == xlsx.NotWorkbook && strings.Contains(xe.Detail, "OpenDocument"):
		if o, oerr := xlsx.OpenODS(r, size, lim); oerr == nil {
			return "ods", &odsBook{o: o}, nil
		}
	}
	return "", nil, err
}

// OpenSheet opens the sheet named sheet ("" the first; any for a CSV file) of the
// table in r to read its rows as they are, to copy them.
func OpenSheet(r io.ReaderAt, size int64, sheet string, lim xlsx.Limits) (Source, *Problem) {
	t, p := Open(r, size, Options{Sheet: sheet, Limits: lim, Header: func([]Row) (int, bool) { return -1, true }, raw: true})
	if p != nil {
		return nil, p
	}
	return &closing{Source: t.src, book: t.book}, nil
}

// closing closes its book with the sheet.
type closing struct {
	Source
	book book
}

func (c *closing) Close() error {
	c.Source.Close()
	c.book.close()
	return nil
}

// choose opens the sheet to read and its first rows.
func (t *Table) choose() *Problem {
	if t.opt.Sheet != "" && t.Kind != "csv" {
		name, src, err := t.book.named(t.opt.Sheet)
		if err != nil {
			var xe *xlsx.Error
			if errors.As(err, &xe) && xe.Problem == xlsx.SheetNotFound {
				return &Problem{Key: "sheet-not-found", Detail: t.opt.Sheet, Sheets: t.allSheets()}
			}
			return AsProblem(err, t.opt.Limits)
		}
		t.Sheets = []string{name}
		return t.look(name, src, true)
	}
	for {
		name, src, err := t.book.next()
		if err != nil {
			return AsProblem(err, t.opt.Limits)
		}
		if src == nil {
			return nil
		}
		if t.Kind != "csv" {
			t.Sheets = append(t.Sheets, name)
		}
		if p := t.look(name, src, false); p != nil || t.HeaderAt >= 0 || t.opt.raw {
			return p
		}
	}
}

// look reads the first rows of sheet name and keeps it when they hold the header
// (or when keep).
func (t *Table) look(name string, src Source, keep bool) *Problem {
	if t.opt.raw {
		t.Sheet, t.src = name, src
		return nil
	}
	head, err := Peek(src, HeadRows)
	if err != nil {
		src.Close()
		return t.problem(err)
	}
	i, found := t.opt.Header(head)
	if !found && !keep {
		src.Close()
		return nil
	}
	t.Sheet, t.src, t.Head, t.HeaderAt = name, src, head, -1
	if found {
		t.HeaderAt = i
	}
	return nil
}

// alsoHeaders looks at the sheets after the one read: the names of those whose
// first rows hold a header too.
func (t *Table) alsoHeaders() []string {
	if t.Kind == "csv" || t.opt.Sheet != "" {
		return nil
	}
	var out []string
	for {
		name, src, err := t.book.next()
		if err != nil || src == nil {
			return out
		}
		head, err := Peek(src, HeadRows)
		src.Close()
		if err != nil {
			return out
		}
		if _, found := t.opt.Header(head); found {
			out = append(out, name)
		}
	}
}

// allSheets lists every sheet of the workbook, quoted.
func (t *Table) allSheets() string {
	var names []string
	if n, ok := t.book.(interface{ names() []string }); ok {
		names = n.names()
	} else {
		for {
			name, src, err := t.book.next()
			if err != nil || src == nil {
				break
			}
			src.Close()
			names = append(names, name)
		}
	}
	return QuoteSheets(names)
}

// QuoteSheets writes sheet names as «A», «B», … (the first 20).
func QuoteSheets(names []string) string {
	var b strings.Builder
	for i, n := range names {
		if i == 20 {
			b.WriteString(", …")
			break
		}
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("«" + n + "»")
	}
	return b.String()
}

func (t *Table) problem(err error) *Problem {
	var p *Problem
	if errors.As(err, &p) {
		return p
	}
	return AsProblem(err, t.opt.Limits)
}

// Close releases the file.
func (t *Table) Close() error {
	if t.src != nil {
		t.src.Close()
	}
	t.book.close()
	return nil
}

// Read and Size tell the progress through the sheet: bytes read, bytes expected (0
// if unknown).
func (t *Table) Read() int64 {
	if t.src == nil {
		return 0
	}
	return t.src.Read()
}

// Size returns the bytes expected, 0 if unknown.
func (t *Table) Size() int64 {
	if t.src == nil {
		return 0
	}
	return t.src.Size()
}

// ---- books -------------------------------------------------------------------

type csvBook struct {
	src  *CSV
	done bool
}

func (b *csvBook) next() (string, Source, error) {
	if b.done {
		return "", nil, nil
	}
	b.done = true
	return "", b.src, nil
}
func (b *csvBook) named(string) (string, Source, error) { return b.next() }
func (b *csvBook) date1904() bool                       { return false }
func (b *csvBook) close()                               {}

// listBook is a workbook whose sheets open by name, in any order (.xlsx, .xls).
type listBook struct {
	list  []string
	open  func(name string) (string, Source, error)
	d1904 bool
	i     int
}

func (b *listBook) next() (string, Source, error) {
	if b.i >= len(b.list) {
		return "", nil, nil
	}
	b.i++
	return b.open(b.list[b.i-1])
}

func (b *listBook) named(name string) (string, Source, error) { return b.open(name) }
func (b *listBook) names() []string                           { return b.list }
func (b *listBook) date1904() bool                            { return b.d1904 }
func (b *listBook) close()                                    {}

func xlsxBook(wb *xlsx.Workbook) *listBook {
	return &listBook{list: wb.SheetNames(), d1904: wb.Date1904(), open: func(name string) (string, Source, error) {
		sh, err := wb.Sheet(name)
		if err != nil {
			return "", nil, err
		}
		return sh.Name(), &ranged{Source: sh, load: func() ([]xlsx.Range, error) { return wb.Merges(sh.Name()) }}, nil
	}}
}

func xlsBook(x *xlsx.XLS) *listBook {
	return &listBook{list: x.SheetNames(), d1904: x.Date1904(), open: func(name string) (string, Source, error) {
		sh, err := x.Sheet(name)
		if err != nil {
			return "", nil, err
		}
		return sh.Name(), &ranged{Source: sh, load: sh.Merges}, nil
	}}
}

// ranged is a sheet whose merged ranges are listed apart from its rows (a
// worksheet part, an .xls sheet: after the rows): they are read when first asked
// for, one more pass over the sheet.
type ranged struct {
	Source
	load   func() ([]xlsx.Range, error)
	merges []xlsx.Range
	loaded bool
	mi     int
	err    error
}

// Merges returns the merged ranges that start in the current row.
func (s *ranged) Merges() []xlsx.Range {
	if !s.loaded {
		s.loaded = true
		s.merges, s.err = s.load()
	}
	row := s.RowNum()
	for s.mi < len(s.merges) && s.merges[s.mi].Row1 < row {
		s.mi++
	}
	j := s.mi
	for j < len(s.merges) && s.merges[j].Row1 == row {
		j++
	}
	return s.merges[s.mi:j]
}

// Err returns the sheet's error, or the merged ranges'.
func (s *ranged) Err() error {
	if err := s.Source.Err(); err != nil {
		return err
	}
	return s.err
}

// odsBook reads an OpenDocument spreadsheet's sheets in order: one stream.
type odsBook struct {
	o    *xlsx.ODS
	seen []string
}

func (b *odsBook) next() (string, Source, error) {
	sh, err := b.o.NextSheet()
	if err != nil || sh == nil {
		return "", nil, err
	}
	b.seen = append(b.seen, sh.Name())
	return sh.Name(), sh, nil
}

// named reads on to the sheet named name: exactly so, or else the first whose name
// matches ignoring case.
func (b *odsBook) named(name string) (string, Source, error) {
	for {
		real, src, err := b.next()
		if err != nil {
			return "", nil, err
		}
		if src == nil {
			return "", nil, &xlsx.Error{Problem: xlsx.SheetNotFound, Sheet: name}
		}
		if real == name || strings.EqualFold(real, name) {
			return real, src, nil
		}
	}
}

// names lists every sheet: those seen, then the rest of the stream.
func (b *odsBook) names() []string {
	for {
		_, src, err := b.next()
		if err != nil || src == nil {
			return b.seen
		}
	}
}
func (b *odsBook) date1904() bool { return b.o.Date1904() }
func (b *odsBook) close()         { b.o.Close() }

// rowsText names rows for a message: "41", "41-43", "41, 43-44".
func rowsText(rows []int) string {
	var b strings.Builder
	for i := 0; i < len(rows); {
		j := i
		for j+1 < len(rows) && rows[j+1] == rows[j]+1 {
			j++
		}
		if b.Len() > 0 {
			b.WriteString(", ")
		}
		b.WriteString(strconv.Itoa(rows[i]))
		if j > i {
			b.WriteString("–" + strconv.Itoa(rows[j]))
		}
		i = j + 1
	}
	return b.String()
}
