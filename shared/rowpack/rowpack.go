// Package rowpack encodes a register version's rows as one compressed, columnar byte
// stream, and reads them back: the form in which the DynamoDB store keeps a
// version's rows (cut into items spread over several partitions).
//
// # Why
//
// A version is written once and read whole (status, diff, reports, surveys); no
// access reads one row by key. One item per row made a 100,000-row register 100,000
// write units on one partition (about 1,000 a second there); packed, the same rows
// are about a tenth of the bytes and a few hundred items.
//
// # Format
//
//	stream  = "QRP" 0x01, block*, end
//	block   = uvarint rows (≥ 1), uvarint columns, column-header*,
//	          uint32 CRC-32C (little endian) of the block's bytes before it and
//	          of the payloads, payload*
//	column-header = byte column id, uvarint payload length
//	payload = the column's values for each row of the block, raw-DEFLATE compressed
//	end     = uvarint 0
//
// Values, before compression: a string is a uvarint length and its UTF-8 bytes; an
// integer (row number, age, error and warning counts) and a date (days since
// 1970-01-01) are the zigzag varint of the difference from the previous row's value
// in the block; a boolean is one byte; the finding codes are a uvarint count and as
// many strings. A column whose values are all zero (empty, false) is left out of
// its block and read back as zero. Columns compress apart, so a reader that wants a
// few fields (a report reads 23 of 30) skips the others' bytes without inflating
// them, and a reader finds an unknown column id (from a newer writer) harmless: it
// skips it. Blocks hold up to BlockRows rows, fewer when their values grow past
// about 4 MiB, so memory stays bounded whatever a row holds. Errors never quote the
// content (rows hold IINs, names and phones).
package rowpack

import (
	"bufio"
	"bytes"
	"compress/flate"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"

	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/qoldau"
)

// BlockRows is the most rows a block holds.
const BlockRows = 2048

// maxBlockRaw ends a block early when its uncompressed values grow past it.
const maxBlockRaw = 4 << 20

const magic = "QRP\x01"

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// Fields chooses what Read fills in.
type Fields uint8

const (
	// All fills every field of qoldau.Row.
	All Fields = iota
	// Report fills what a report and its audit leads read (qoldau.ReportScanner):
	// Num, Region, Settlement, Place, Centre, ClientName, BinIIN, Gender, BirthDate,
	// Disability, LegalForm, Category, OKEDSection, Service, Subtype, Manager,
	// StartDate, EndDate, Mobile, Online, ClientKey, Errors and Codes.
	Report
	// Leads fills what audit leads and the matching of acts read, a part of
	// Report: Num, Region, Settlement, Place, Centre, ClientName, BinIIN,
	// BirthDate, Service, Subtype, Manager, StartDate, EndDate, Mobile, Online and
	// Errors. It skips the client key, the largest column, without inflating it.
	Leads
)

// FieldsOf returns the Fields that fill what a store's ScanRows is asked for.
func FieldsOf(f qoldau.RowFields) Fields {
	if f == qoldau.LeadsFields {
		return Leads
	}
	return Report
}

type kind uint8

const (
	kString kind = iota
	kInt
	kDate
	kBool
	kCodes
)

// column is one field of qoldau.Row: its id in the stream (never reused), how it
// is encoded, which readings fill it (report, leads: a leads column is a report
// column too), and whether it is shared (a code list: few distinct values, kept
// once however many rows hold them).
type column struct {
	id     byte
	kind   kind
	report bool
	leads  bool
	shared bool
	str    func(*qoldau.Row) *string
	num    func(*qoldau.Row) *int
	date   func(*qoldau.Row) *civil.Date
	flag   func(*qoldau.Row) *bool
}

// columns lists every field, ids in order. A new field takes the next id.
var columns = []column{
	{id: 1, kind: kInt, report: true, leads: true, num: func(r *qoldau.Row) *int { return &r.Num }},
	{id: 2, kind: kString, report: true, leads: true, shared: true, str: func(r *qoldau.Row) *string { return &r.Region }},
	{id: 3, kind: kString, report: true, leads: true, shared: true, str: func(r *qoldau.Row) *string { return &r.Settlement }},
	{id: 4, kind: kString, report: true, leads: true, shared: true, str: func(r *qoldau.Row) *string { return &r.Place }},
	{id: 5, kind: kString, report: true, leads: true, shared: true, str: func(r *qoldau.Row) *string { return &r.Centre }},
	{id: 6, kind: kString, str: func(r *qoldau.Row) *string { return &r.Enterprise }},
	{id: 7, kind: kString, report: true, leads: true, str: func(r *qoldau.Row) *string { return &r.ClientName }},
	{id: 8, kind: kString, report: true, leads: true, str: func(r *qoldau.Row) *string { return &r.BinIIN }},
	{id: 9, kind: kString, report: true, shared: true, str: func(r *qoldau.Row) *string { return &r.Gender }},
	{id: 10, kind: kDate, report: true, leads: true, date: func(r *qoldau.Row) *civil.Date { return &r.BirthDate }},
	{id: 11, kind: kInt, num: func(r *qoldau.Row) *int { return &r.Age }},
	{id: 12, kind: kBool, report: true, flag: func(r *qoldau.Row) *bool { return &r.Disability }},
	{id: 13, kind: kString, report: true, shared: true, str: func(r *qoldau.Row) *string { return &r.LegalForm }},
	{id: 14, kind: kString, report: true, shared: true, str: func(r *qoldau.Row) *string { return &r.Category }},
	{id: 15, kind: kString, report: true, shared: true, str: func(r *qoldau.Row) *string { return &r.OKEDSection }},
	{id: 16, kind: kString, shared: true, str: func(r *qoldau.Row) *string { return &r.OKEDCode }},
	{id: 17, kind: kString, report: true, leads: true, shared: true, str: func(r *qoldau.Row) *string { return &r.Service }},
	{id: 18, kind: kString, report: true, leads: true, shared: true, str: func(r *qoldau.Row) *string { return &r.Subtype }},
	{id: 19, kind: kString, report: true, leads: true, shared: true, str: func(r *qoldau.Row) *string { return &r.Manager }},
	{id: 20, kind: kDate, report: true, leads: true, date: func(r *qoldau.Row) *civil.Date { return &r.StartDate }},
	{id: 21, kind: kDate, report: true, leads: true, date: func(r *qoldau.Row) *civil.Date { return &r.EndDate }},
	{id: 22, kind: kString, str: func(r *qoldau.Row) *string { return &r.WorkPhone }},
	{id: 23, kind: kString, report: true, leads: true, str: func(r *qoldau.Row) *string { return &r.Mobile }},
	{id: 24, kind: kString, str: func(r *qoldau.Row) *string { return &r.Email }},
	{id: 25, kind: kBool, report: true, leads: true, flag: func(r *qoldau.Row) *bool { return &r.Online }},
	{id: 26, kind: kString, report: true, str: func(r *qoldau.Row) *string { return &r.ClientKey }},
	{id: 27, kind: kString, str: func(r *qoldau.Row) *string { return &r.EnterpriseKey }},
	{id: 28, kind: kInt, report: true, leads: true, num: func(r *qoldau.Row) *int { return &r.Errors }},
	{id: 29, kind: kInt, num: func(r *qoldau.Row) *int { return &r.Warnings }},
	{id: 30, kind: kCodes, report: true, shared: true},
}

// byID maps a column id to its index in columns (-1: unknown).
var byID = func() [256]int {
	var m [256]int
	for i := range m {
		m[i] = -1
	}
	for i, c := range columns {
		m[c.id] = i
	}
	return m
}()

// Writer encodes rows into a stream. It is not safe for concurrent use.
type Writer struct {
	w     io.Writer
	raw   [][]byte // per column: this block's values
	prev  []int64  // per column: the previous row's integer or date
	n     int      // rows in the block
	size  int      // raw bytes in the block
	rows  int      // rows written in all
	fw    *flate.Writer
	comp  bytes.Buffer
	out   []byte
	err   error
	begun bool
}

// NewWriter returns a Writer that writes the stream to w.
func NewWriter(w io.Writer) *Writer {
	return &Writer{w: w, raw: make([][]byte, len(columns)), prev: make([]int64, len(columns))}
}

// Rows returns how many rows were added.
func (w *Writer) Rows() int { return w.rows }

// Add appends a row; a full block is compressed and written.
func (w *Writer) Add(r *qoldau.Row) error {
	if w.err != nil {
		return w.err
	}
	for i := range columns {
		c := &columns[i]
		b := w.raw[i]
		before := len(b)
		switch c.kind {
		case kString:
			b = appendString(b, *c.str(r))
		case kInt:
			v := int64(*c.num(r))
			b = binary.AppendVarint(b, v-w.prev[i])
			w.prev[i] = v
		case kDate:
			v := int64(*c.date(r))
			b = binary.AppendVarint(b, v-w.prev[i])
			w.prev[i] = v
		case kBool:
			if *c.flag(r) {
				b = append(b, 1)
			} else {
				b = append(b, 0)
			}
		case kCodes:
			b = binary.AppendUvarint(b, uint64(len(r.Codes)))
			for _, s := range r.Codes {
				b = appendString(b, s)
			}
		}
		w.raw[i] = b
		w.size += len(b) - before
	}
	w.n++
	w.rows++
	if w.n == BlockRows || w.size >= maxBlockRaw {
		w.err = w.flush()
	}
	return w.err
}

// Close writes the last block and the end of the stream; it does not close the
// underlying writer. Nothing may be added after.
func (w *Writer) Close() error {
	if w.err != nil {
		return w.err
	}
	if w.n > 0 {
		if w.err = w.flush(); w.err != nil {
			return w.err
		}
	}
	b := w.header(w.out[:0])
	b = binary.AppendUvarint(b, 0)
	if _, err := w.w.Write(b); err != nil {
		w.err = err
		return err
	}
	w.err = errClosed
	return nil
}

var errClosed = errors.New("rowpack: the writer is closed")

// header adds the stream's magic before its first bytes.
func (w *Writer) header(b []byte) []byte {
	if !w.begun {
		w.begun = true
		b = append(b, magic...)
	}
	return b
}

// flush compresses the block's columns and writes the block.
func (w *Writer) flush() error {
	if w.fw == nil {
		fw, err := flate.NewWriter(&w.comp, flate.BestSpeed)
		if err != nil {
			return err
		}
		w.fw = fw
	}
	w.comp.Reset()
	type part struct {
		id       byte
		from, to int
	}
	var parts [32]part
	ps := parts[:0]
	for i := range columns {
		raw := w.raw[i]
		if !allZero(raw) {
			from := w.comp.Len()
			w.fw.Reset(&w.comp)
			if _, err := w.fw.Write(raw); err != nil {
				return err
			}
			if err := w.fw.Close(); err != nil {
				return err
			}
			ps = append(ps, part{columns[i].id, from, w.comp.Len()})
		}
		w.raw[i] = raw[:0]
		w.prev[i] = 0
	}
	payload := w.comp.Bytes()
	b := w.header(w.out[:0])
	start := len(b)
	b = binary.AppendUvarint(b, uint64(w.n))
	b = binary.AppendUvarint(b, uint64(len(ps)))
	for _, p := range ps {
		b = append(b, p.id)
		b = binary.AppendUvarint(b, uint64(p.to-p.from))
	}
	sum := crc32.Update(crc32.Checksum(b[start:], castagnoli), castagnoli, payload)
	b = binary.LittleEndian.AppendUint32(b, sum)
	b = append(b, payload...)
	w.out = b
	w.n, w.size = 0, 0
	_, err := w.w.Write(b)
	return err
}

func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

func allZero(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}

// ErrCorrupt is wrapped by every error about the stream's own form.
var ErrCorrupt = errors.New("rowpack: corrupt stream")

func corrupt(what string) error { return fmt.Errorf("%w: %s", ErrCorrupt, what) }

// Read decodes the stream from r and calls fn for each row in order, with the
// fields f names filled (the others zero). With All every call gets its own *Row;
// with Report or Leads the rows of a block are reused for the next one, so fn must
// copy what it keeps (strings may be kept). An error from fn stops the reading and is
// returned as is. Read returns the number of rows read; it reads to the end marker
// and reports a stream cut short as ErrCorrupt.
func Read(r io.Reader, f Fields, fn func(*qoldau.Row) error) (int, error) {
	d := decoder{r: bufio.NewReaderSize(r, 64<<10), fields: f}
	return d.run(fn)
}

type decoder struct {
	r      *bufio.Reader
	fields Fields
	fr     io.ReadCloser
	comp   []byte
	head   []byte
	raw    bytes.Buffer
	rows   []qoldau.Row
	shared map[string]string
}

func (d *decoder) run(fn func(*qoldau.Row) error) (int, error) {
	var m [len(magic)]byte
	if _, err := io.ReadFull(d.r, m[:]); err != nil {
		return 0, readErr(err)
	}
	if string(m[:]) != magic {
		return 0, corrupt("not a row stream")
	}
	d.shared = map[string]string{}
	total := 0
	for {
		n, err := binary.ReadUvarint(d.r)
		if err != nil {
			return total, readErr(err)
		}
		if n == 0 {
			return total, nil
		}
		if n > BlockRows {
			return total, corrupt("a block has too many rows")
		}
		rows, err := d.block(int(n))
		if err != nil {
			return total, err
		}
		for i := range rows {
			if err := fn(&rows[i]); err != nil {
				return total, err
			}
			total++
		}
	}
}

// readErr turns the end of input inside the stream into ErrCorrupt.
func readErr(err error) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return corrupt("the stream ends early")
	}
	return err
}

// block reads one block of n rows.
func (d *decoder) block(n int) ([]qoldau.Row, error) {
	nc, err := binary.ReadUvarint(d.r)
	if err != nil {
		return nil, readErr(err)
	}
	if nc > 255 {
		return nil, corrupt("a block has too many columns")
	}
	type part struct {
		col int
		len int
	}
	var parts [32]part
	ps := parts[:0]
	total := 0
	// The checksum covers the header as written (varints are canonical).
	d.head = binary.AppendUvarint(d.head[:0], uint64(n))
	d.head = binary.AppendUvarint(d.head, nc)
	for range nc {
		id, err := d.r.ReadByte()
		if err != nil {
			return nil, readErr(err)
		}
		l, err := binary.ReadUvarint(d.r)
		if err != nil {
			return nil, readErr(err)
		}
		if l > 1<<30 {
			return nil, corrupt("a column is too long")
		}
		ps = append(ps, part{byID[id], int(l)})
		total += int(l)
		d.head = append(d.head, id)
		d.head = binary.AppendUvarint(d.head, l)
	}
	var sum [4]byte
	if _, err := io.ReadFull(d.r, sum[:]); err != nil {
		return nil, readErr(err)
	}
	if cap(d.comp) < total {
		d.comp = make([]byte, total)
	}
	comp := d.comp[:total]
	if _, err := io.ReadFull(d.r, comp); err != nil {
		return nil, readErr(err)
	}
	if crc32.Update(crc32.Checksum(d.head, castagnoli), castagnoli, comp) != binary.LittleEndian.Uint32(sum[:]) {
		return nil, corrupt("a block's checksum does not match")
	}
	rows := d.rowsFor(n)
	off := 0
	for _, p := range ps {
		payload := comp[off : off+p.len]
		off += p.len
		if p.col < 0 {
			continue // a column this reader does not know
		}
		c := &columns[p.col]
		if d.fields == Report && !c.report || d.fields == Leads && !c.leads {
			continue
		}
		raw, err := d.inflate(payload)
		if err != nil {
			return nil, err
		}
		if err := d.decode(c, raw, rows); err != nil {
			return nil, err
		}
	}
	return rows, nil
}

// rowsFor returns n zeroed rows: new ones for All, the reused ones otherwise.
func (d *decoder) rowsFor(n int) []qoldau.Row {
	if d.fields == All {
		return make([]qoldau.Row, n)
	}
	if cap(d.rows) < n {
		d.rows = make([]qoldau.Row, n)
	}
	rows := d.rows[:n]
	clear(rows)
	return rows
}

// inflate decompresses one column.
func (d *decoder) inflate(payload []byte) ([]byte, error) {
	br := bytes.NewReader(payload)
	if d.fr == nil {
		d.fr = flate.NewReader(br)
	} else if err := d.fr.(flate.Resetter).Reset(br, nil); err != nil {
		return nil, err
	}
	d.raw.Reset()
	if _, err := d.raw.ReadFrom(io.LimitReader(d.fr, maxBlockRaw*4)); err != nil {
		return nil, corrupt("a column does not inflate")
	}
	return d.raw.Bytes(), nil
}

// decode fills column c of rows from its raw values. Strings are cut from one
// string per column and block (one allocation), or shared across blocks for code
// lists.
func (d *decoder) decode(c *column, raw []byte, rows []qoldau.Row) error {
	var all string
	if c.kind == kString && !c.shared {
		all = string(raw)
	}
	off := 0
	str := func() (string, bool) {
		l, k := binary.Uvarint(raw[off:])
		if k <= 0 || uint64(len(raw)-off-k) < l {
			return "", false
		}
		from := off + k
		off = from + int(l)
		if c.shared || c.kind == kCodes {
			b := raw[from:off]
			if s, ok := d.shared[string(b)]; ok {
				return s, true
			}
			s := string(b)
			if len(d.shared) < 1<<16 {
				d.shared[s] = s
			}
			return s, true
		}
		return all[from:off], true
	}
	var prev int64
	for i := range rows {
		r := &rows[i]
		switch c.kind {
		case kString:
			s, ok := str()
			if !ok {
				return corrupt("a string runs past its column")
			}
			*c.str(r) = s
		case kInt, kDate:
			v, k := binary.Varint(raw[off:])
			if k <= 0 {
				return corrupt("a number does not parse")
			}
			off += k
			prev += v
			if c.kind == kInt {
				*c.num(r) = int(prev)
			} else {
				*c.date(r) = civil.Date(prev)
			}
		case kBool:
			if off >= len(raw) {
				return corrupt("a flag is missing")
			}
			*c.flag(r) = raw[off] != 0
			off++
		case kCodes:
			cnt, k := binary.Uvarint(raw[off:])
			if k <= 0 || cnt > uint64(len(raw)) {
				return corrupt("a list of codes does not parse")
			}
			off += k
			codes := make([]string, cnt)
			for j := range codes {
				s, ok := str()
				if !ok {
					return corrupt("a code runs past its column")
				}
				codes[j] = s
			}
			if cnt > 0 {
				r.Codes = codes
			}
		}
	}
	if off != len(raw) {
		return corrupt("a column has more values than its block has rows")
	}
	return nil
}
