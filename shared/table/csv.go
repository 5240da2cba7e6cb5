package table

import (
	"bytes"
	"io"
	"strconv"
	"unicode/utf8"

	"github.com/qoldau/qoldau/shared/xlsx"
)

// CSV limits, checked while a record is read, before its bytes are kept: a cell
// holds at most Excel's 32,767 characters and a line at most Excel's 16,384 cells.
// A record therefore never holds more than MaxColumns cells of data of MaxCell
// characters each, whatever the file's length or shape.
const (
	MaxCell      = 32767
	MaxLineCells = 1 << 14
	csvBufSize   = 64 << 10
)

// CSV reads a UTF-8 CSV file (comma, semicolon or tab; a BOM tolerated), as Excel
// and LibreOffice write it: quoted cells may hold separators, doubled quotes and
// line breaks; a stray quote inside a cell is kept as it is; lines end with LF,
// CR LF or a lone CR (classic Mac and some Excel exports). Every cell is text.
type CSV struct {
	r     io.Reader
	buf   []byte
	pos   int
	end   int
	eof   bool
	ioErr error
	read  int64 // bytes consumed from r
	eolAt int   // buffer index of the next line end (see nextEOL)

	comma byte
	size  int64
	lim   xlsx.Limits
	line  int // lines read so far
	row   int
	rows  int

	rec   []byte // the current record's cell text
	ends  []int  // end of each cell in rec
	cells []xlsx.Cell
	err   error
	used  []bool // columns that held data
	nused int
}

// NewCSV reads r as a CSV file of size bytes.
func NewCSV(r io.Reader, size int64, lim xlsx.Limits) (*CSV, *Problem) {
	s := &CSV{r: r, buf: make([]byte, csvBufSize), size: size, lim: lim}
	s.fill()
	if bytes.HasPrefix(s.buf[s.pos:s.end], []byte("\xEF\xBB\xBF")) {
		s.pos += 3
	}
	s.comma = detectComma(s.buf[s.pos:s.end])
	return s, nil
}

// detectComma picks the separator that splits the first lines into the most cells.
func detectComma(head []byte) byte {
	best, bestN := byte(','), 0
	for _, c := range []byte{',', ';', '\t'} {
		p := &CSV{buf: head, end: len(head), eof: true, comma: c, lim: xlsx.DefaultLimits(), eolAt: -1}
		for i := 0; i < 20; i++ {
			more, prob := p.record()
			if !more {
				break
			}
			if len(p.ends) > bestN {
				best, bestN = c, len(p.ends)
			}
			if prob != nil {
				break
			}
		}
	}
	return best
}

// fill moves unread bytes to the front and reads more; false at the end of input.
func (s *CSV) fill() bool {
	if s.eof {
		return false
	}
	if s.pos > 0 {
		n := copy(s.buf, s.buf[s.pos:s.end])
		s.pos, s.end = 0, n
	}
	s.eolAt = -1
	for tries := 0; tries < 100 && s.end < len(s.buf); tries++ {
		n, err := s.r.Read(s.buf[s.end:])
		s.end += n
		s.read += int64(n)
		if err != nil {
			s.eof = true
			if err != io.EOF {
				s.ioErr = err
			}
			return n > 0
		}
		if n > 0 {
			return true
		}
	}
	if s.end < len(s.buf) {
		s.eof, s.ioErr = true, io.ErrNoProgress
	}
	return s.end > s.pos
}

// peek returns the next byte without consuming it; ok is false at the end.
func (s *CSV) peek() (byte, bool) {
	if s.pos >= s.end && !s.fill() {
		return 0, false
	}
	return s.buf[s.pos], true
}

// eol consumes a line end (LF, CR LF or CR) if one is next.
func (s *CSV) eol() bool {
	c, ok := s.peek()
	switch {
	case !ok:
		return false
	case c == '\n':
		s.pos++
	case c == '\r':
		s.pos++
		if c, ok := s.peek(); ok && c == '\n' {
			s.pos++
		}
	default:
		return false
	}
	s.line++
	return true
}

// record reads the next record into rec and ends. more is false at the end of
// input; prob names a limit the record breaks (it is not read further).
func (s *CSV) record() (more bool, prob *Problem) {
	s.rec, s.ends = s.rec[:0], s.ends[:0]
	if _, ok := s.peek(); !ok {
		return false, nil
	}
	start := s.line + 1
	filled := 0
	for {
		if len(s.ends) == MaxLineCells {
			return true, &Problem{Key: "csv-wide-line", Detail: strconv.Itoa(start)}
		}
		var p *Problem
		if c, ok := s.peek(); ok && c == '"' {
			s.pos++
			p = s.quoted(start)
		} else {
			p = s.plain(start)
		}
		if p != nil {
			return true, p
		}
		if n := len(s.ends); len(s.rec) > 0 && (n == 0 || s.ends[n-1] < len(s.rec)) {
			// More cells with data than a file may have columns: stop before
			// holding more.
			if filled++; filled > s.lim.MaxColumns {
				return true, &Problem{Key: "too-many-columns", Detail: strconv.Itoa(s.lim.MaxColumns)}
			}
		}
		s.ends = append(s.ends, len(s.rec))
		if c, ok := s.peek(); ok && c == s.comma {
			s.pos++
			continue
		}
		if !s.eol() {
			s.line++ // the last line, without a line end
		}
		return true, nil
	}
}

// plain reads an unquoted cell up to a separator, a line end or the end of input.
func (s *CSV) plain(start int) *Problem {
	from := len(s.rec)
	for {
		if s.pos >= s.end && !s.fill() {
			return nil
		}
		eol := s.nextEOL()
		i := bytes.IndexByte(s.buf[s.pos:eol], s.comma)
		stop := i >= 0 || eol < s.end
		if i < 0 {
			i = eol - s.pos
		}
		if len(s.rec)-from+i > 4*MaxCell {
			return s.longCell(start, len(s.ends))
		}
		s.rec = append(s.rec, s.buf[s.pos:s.pos+i]...)
		s.pos += i
		if stop {
			return s.checkLength(from, start)
		}
	}
}

// nextEOL returns the buffer index of the next CR or LF, or s.end when the buffer
// holds none; it is remembered until the reader passes it or the buffer moves.
func (s *CSV) nextEOL() int {
	if s.eolAt >= s.pos && s.eolAt < s.end {
		return s.eolAt
	}
	b := s.buf[s.pos:s.end]
	i := bytes.IndexByte(b, '\n')
	if i < 0 {
		i = len(b)
	}
	if j := bytes.IndexByte(b[:i], '\r'); j >= 0 {
		i = j
	}
	s.eolAt = s.pos + i
	return s.eolAt
}

// quoted reads a quoted cell after its opening quote. A doubled quote is a quote;
// a quote not followed by a separator or a line end is kept as text; line ends
// inside become LF.
func (s *CSV) quoted(start int) *Problem {
	from := len(s.rec)
	for {
		if s.pos >= s.end && !s.fill() {
			return &Problem{Key: "csv-open-quote", Detail: strconv.Itoa(start)}
		}
		b := s.buf[s.pos:s.end]
		i := bytes.IndexByte(b, '"')
		if i < 0 {
			i = len(b)
		}
		if eol := s.nextEOL() - s.pos; eol < i {
			i = eol
		}
		if len(s.rec)-from+i > 4*MaxCell {
			return s.longCell(start, len(s.ends))
		}
		s.rec = append(s.rec, b[:i]...)
		s.pos += i
		if i == len(b) {
			continue
		}
		if b[i] != '"' {
			s.eol()
			s.rec = append(s.rec, '\n')
			continue
		}
		s.pos++
		c, ok := s.peek()
		switch {
		case ok && c == '"':
			s.pos++
			s.rec = append(s.rec, '"')
		case !ok || c == s.comma || c == '\n' || c == '\r':
			return s.checkLength(from, start)
		default:
			s.rec = append(s.rec, '"')
		}
	}
}

// checkLength checks the cell just read against MaxCell characters.
func (s *CSV) checkLength(from, start int) *Problem {
	if cell := s.rec[from:]; len(cell) > MaxCell && utf8.RuneCount(cell) > MaxCell {
		return s.longCell(start, len(s.ends))
	}
	return nil
}

func (s *CSV) longCell(start, col int) *Problem {
	return &Problem{Key: "csv-long-cell", Detail: xlsx.CellName(col, start)}
}

// Next advances to the next record with a non-empty cell.
func (s *CSV) Next() bool {
	for s.err == nil {
		more, prob := s.record()
		if s.ioErr != nil {
			s.err = &Problem{Key: "corrupt", Detail: "read error"}
			return false
		}
		if prob != nil {
			s.err = prob
			return false
		}
		if !more {
			return false
		}
		s.row = s.line
		if n := len(s.ends); n > 0 {
			// row is the record's first line: count back the line ends inside it.
			s.row -= bytes.Count(s.rec, []byte{'\n'})
		}
		if s.cellsOf() && len(s.cells) > 0 {
			s.rows++
			if s.rows > s.lim.MaxRows {
				s.err = &Problem{Key: "too-many-rows", Detail: strconv.Itoa(s.lim.MaxRows)}
				return false
			}
			return true
		}
	}
	return false
}

// cellsOf turns the record into cells; false on an error.
func (s *CSV) cellsOf() bool {
	s.cells = s.cells[:0]
	// Valid UTF-8 as a whole, and no cell boundary inside a character.
	valid := utf8.Valid(s.rec)
	for _, end := range s.ends {
		if end < len(s.rec) && !utf8.RuneStart(s.rec[end]) {
			valid = false
		}
	}
	if !valid {
		s.err = &Problem{Key: "not-utf8", Detail: strconv.Itoa(s.row)}
		return false
	}
	var text string
	from := 0
	for i, end := range s.ends {
		f := s.rec[from:end]
		a := from
		from = end
		if len(f) == 0 {
			continue
		}
		if i >= len(s.used) {
			s.used = append(s.used, make([]bool, i+1-len(s.used))...)
		}
		if !s.used[i] {
			s.used[i] = true
			s.nused++
			if s.nused > s.lim.MaxColumns {
				s.err = &Problem{Key: "too-many-columns", Detail: strconv.Itoa(s.lim.MaxColumns)}
				return false
			}
		}
		if text == "" {
			text = string(s.rec) // one allocation per record
		}
		s.cells = append(s.cells, xlsx.Cell{Col: i, Type: xlsx.String, Value: text[a:end]})
	}
	return true
}

func (s *CSV) RowNum() int        { return s.row }
func (s *CSV) Cells() []xlsx.Cell { return s.cells }
func (s *CSV) Err() error {
	if s.err == nil {
		return nil
	}
	return s.err
}
func (s *CSV) Close() error { return nil }
func (s *CSV) Read() int64  { return s.read - int64(s.end-s.pos) }
func (s *CSV) Size() int64  { return s.size }
