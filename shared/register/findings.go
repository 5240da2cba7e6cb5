package register

import (
	"bufio"
	"bytes"
	"compress/flate"
	"encoding/gob"
	"encoding/json"
	"errors"
	"io"
	"os"
	"runtime"
	"slices"
	"sort"

	"github.com/qoldau/qoldau/shared/qoldau"
	"github.com/qoldau/qoldau/shared/scratch"
	"github.com/qoldau/qoldau/shared/table"
)

// Findings are a validation's findings in report order: the file-level ones
// (row 0) first, then by row and column. Reports list every finding, and a
// register of a million rows may have an error in every cell, so only the
// file-level findings are held in memory: the others go, as they are found, to
// compressed temporary files in the process's scratch folder (gob records of
// whole findings, flate at its fastest level: about 30 bytes a finding), and are
// read back as often as needed. Validating any file within the limits therefore
// holds counts in memory, not findings. Close removes the files; a Findings that
// is dropped unclosed is cleaned up by the garbage collector, and a crashed
// process's files by the scratch folder's sweep.
type Findings struct {
	head  []qoldau.Finding // row 0, in the order of the sort below
	rows  *spill           // the rows' findings, in row and column order
	late  *spill           // findings added after the last row (out-of-period), in row order
	n     int
	err   error
	clean runtime.Cleanup
}

// spill is one sequence of findings in a temporary file.
type spill struct {
	path string
	f    *os.File
	bw   *bufio.Writer
	fw   *flate.Writer
	enc  *gob.Encoder
	n    int
}

func newSpill() (*spill, error) {
	f, err := scratch.CreateTemp("findings-*")
	if err != nil {
		return nil, err
	}
	sp := &spill{path: f.Name(), f: f, bw: bufio.NewWriterSize(f, 64<<10)}
	sp.fw, _ = flate.NewWriter(sp.bw, flate.BestSpeed)
	sp.enc = gob.NewEncoder(sp.fw)
	return sp, nil
}

func (sp *spill) add(f *qoldau.Finding) error {
	sp.n++
	return sp.enc.Encode(f)
}

// seal ends writing; the file is then read by each.
func (sp *spill) seal() error {
	if sp.f == nil {
		return nil
	}
	err := sp.fw.Close()
	if err == nil {
		err = sp.bw.Flush()
	}
	if cerr := sp.f.Close(); err == nil {
		err = cerr
	}
	sp.f = nil
	return err
}

// reader reads a sealed spill from its start.
type spillReader struct {
	f   *os.File
	dec *gob.Decoder
	fr  io.ReadCloser
	n   int // left
}

func (sp *spill) open() (*spillReader, error) {
	if sp == nil || sp.n == 0 {
		return &spillReader{}, nil
	}
	f, err := os.Open(sp.path)
	if err != nil {
		return nil, err
	}
	fr := flate.NewReader(bufio.NewReaderSize(f, 64<<10))
	return &spillReader{f: f, fr: fr, dec: gob.NewDecoder(fr), n: sp.n}, nil
}

// next reads the next finding into f; false at the end.
func (r *spillReader) next(f *qoldau.Finding) (bool, error) {
	if r.n == 0 {
		return false, nil
	}
	r.n--
	*f = qoldau.Finding{} // gob leaves zero fields untouched
	if err := r.dec.Decode(f); err != nil {
		return false, err
	}
	return true, nil
}

func (r *spillReader) close() {
	if r.f != nil {
		r.fr.Close()
		r.f.Close()
	}
}

// newFindings returns an empty Findings.
func newFindings() *Findings {
	fs := &Findings{}
	return fs
}

// addHead adds a file-level finding (kept in memory).
func (fs *Findings) addHead(f qoldau.Finding) {
	fs.head = append(fs.head, f)
	fs.n++
}

// addRow adds a row's findings, already in column order, after every earlier row's.
func (fs *Findings) addRow(fds []qoldau.Finding) {
	fs.n += len(fds)
	for i := range fds {
		fs.put(&fs.rows, &fds[i])
	}
}

// addLate adds a finding found after the last row (in row order among the late
// ones); reading merges it in its place.
func (fs *Findings) addLate(f qoldau.Finding) {
	fs.n++
	fs.put(&fs.late, &f)
}

func (fs *Findings) put(sp **spill, f *qoldau.Finding) {
	if fs.err != nil {
		return
	}
	if *sp == nil {
		s, err := newSpill()
		if err != nil {
			fs.err = err
			return
		}
		*sp = s
		fs.register()
	}
	if err := (*sp).add(f); err != nil {
		fs.err = err
	}
}

// register arranges for the files to go when fs is dropped unclosed.
func (fs *Findings) register() {
	fs.clean.Stop()
	paths := [2]string{}
	if fs.rows != nil {
		paths[0] = fs.rows.path
	}
	if fs.late != nil {
		paths[1] = fs.late.path
	}
	fs.clean = runtime.AddCleanup(fs, func(p [2]string) {
		for _, s := range p {
			if s != "" {
				os.Remove(s)
			}
		}
	}, paths)
}

// seal ends adding: the file-level findings are sorted and the files closed.
func (fs *Findings) seal() error {
	sort.SliceStable(fs.head, func(i, j int) bool {
		return table.ColIndex(fs.head[i].Column) < table.ColIndex(fs.head[j].Column)
	})
	for _, sp := range []*spill{fs.rows, fs.late} {
		if sp != nil {
			if err := sp.seal(); err != nil && fs.err == nil {
				fs.err = err
			}
		}
	}
	return fs.err
}

// Len returns the number of findings.
func (fs *Findings) Len() int {
	if fs == nil {
		return 0
	}
	return fs.n
}

var errStop = errors.New("stop")

// Each calls fn for every finding in report order until fn returns an error, which
// Each returns (ErrStop ends the walk quietly). The *Finding is reused between calls:
// copy it to keep it.
func (fs *Findings) Each(fn func(*qoldau.Finding) error) error {
	if fs == nil {
		return nil
	}
	if fs.err != nil {
		return readError(fs.err)
	}
	err := fs.each(fn)
	if errors.Is(err, ErrStop) {
		return nil
	}
	return err
}

// ErrStop, returned by an Each callback, ends the walk without an error.
var ErrStop = errStop

func (fs *Findings) each(fn func(*qoldau.Finding) error) error {
	for i := range fs.head {
		f := fs.head[i]
		if err := fn(&f); err != nil {
			return err
		}
	}
	ra, err := fs.rows.open()
	if err != nil {
		return readError(err)
	}
	defer ra.close()
	rb, err := fs.late.open()
	if err != nil {
		return readError(err)
	}
	defer rb.close()
	var a, b qoldau.Finding
	okA, err := ra.next(&a)
	if err != nil {
		return readError(err)
	}
	okB, err := rb.next(&b)
	if err != nil {
		return readError(err)
	}
	for okA || okB {
		// A late finding goes after the rows' findings of its row and column.
		if okA && (!okB || a.Row < b.Row || a.Row == b.Row && table.ColIndex(a.Column) <= table.ColIndex(b.Column)) {
			if err := fn(&a); err != nil {
				return err
			}
			if okA, err = ra.next(&a); err != nil {
				return readError(err)
			}
			continue
		}
		if err := fn(&b); err != nil {
			return err
		}
		if okB, err = rb.next(&b); err != nil {
			return readError(err)
		}
	}
	return nil
}

func readError(err error) error {
	return qoldau.E(qoldau.Internal, texts.Text("errors.cannot-read-findings-back"), err)
}

// First returns up to n findings from the start, in report order.
func (fs *Findings) First(n int) ([]qoldau.Finding, error) {
	var out []qoldau.Finding
	if n <= 0 {
		return out, nil
	}
	err := fs.Each(func(f *qoldau.Finding) error {
		out = append(out, *f)
		if len(out) == n {
			return ErrStop
		}
		return nil
	})
	return out, err
}

// Page returns the findings from offset, at most limit of them.
func (fs *Findings) Page(offset, limit int) ([]qoldau.Finding, error) {
	out := []qoldau.Finding{}
	if limit <= 0 || offset >= fs.Len() {
		return out, nil
	}
	i := 0
	err := fs.Each(func(f *qoldau.Finding) error {
		if i >= offset {
			out = append(out, *f)
			if len(out) == limit {
				return ErrStop
			}
		}
		i++
		return nil
	})
	return out, err
}

// Close removes the temporary files; only the file-level findings remain.
func (fs *Findings) Close() error {
	if fs == nil {
		return nil
	}
	fs.clean.Stop()
	for _, sp := range []*spill{fs.rows, fs.late} {
		if sp != nil {
			if sp.f != nil {
				sp.f.Close()
			}
			os.Remove(sp.path)
		}
	}
	fs.rows, fs.late, fs.n = nil, nil, len(fs.head)
	return nil
}

// FindingsOf returns Findings holding fds, in the order given (tests, and small
// sets built by hand).
func FindingsOf(fds ...qoldau.Finding) *Findings {
	fs := newFindings()
	for _, f := range fds {
		if f.Row == 0 {
			fs.head = append(fs.head, f)
			fs.n++
		} else {
			fs.addRow([]qoldau.Finding{f})
		}
	}
	fs.seal()
	return fs
}

// MarshalJSON writes the findings as a JSON array. It holds the whole array in
// memory: large results are written with Result.WriteJSON, which streams.
func (fs *Findings) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	if err := fs.writeJSON(&b); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func (fs *Findings) writeJSON(w io.Writer) error {
	if _, err := io.WriteString(w, "["); err != nil {
		return err
	}
	first := true
	var line bytes.Buffer
	enc := json.NewEncoder(&line)
	enc.SetEscapeHTML(false)
	err := fs.Each(func(f *qoldau.Finding) error {
		line.Reset()
		if !first {
			line.WriteByte(',')
		}
		first = false
		if err := enc.Encode(f); err != nil {
			return err
		}
		_, err := w.Write(bytes.TrimSuffix(line.Bytes(), []byte("\n")))
		return err
	})
	if err != nil {
		return err
	}
	_, err = io.WriteString(w, "]")
	return err
}

// UnmarshalJSON reads a JSON array of findings into a new spill (small inputs:
// ReadResult streams a stored report instead).
func (fs *Findings) UnmarshalJSON(b []byte) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	nfs, err := decodeFindings(dec)
	if err != nil {
		return err
	}
	fs.Close()
	*fs = Findings{head: nfs.head, rows: nfs.rows, late: nfs.late, n: nfs.n}
	fs.register()
	nfs.clean.Stop()
	return nil
}

// EachStored calls fn with each finding of a stored validation report (what
// Result.WriteJSON wrote), in its order, as it reads them: nothing is copied to
// disk, for a reader that looks at each finding once (a page of a filtered
// table). fn returning ErrStop ends the walk without an error.
func EachStored(r io.Reader, fn func(*qoldau.Finding) error) error {
	dec := json.NewDecoder(bufio.NewReaderSize(r, 64<<10))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return errors.New("register: a result: want an object")
	}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return err
		}
		if t != "findings" {
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return err
			}
			continue
		}
		if t, err = dec.Token(); err != nil || t == nil {
			return err
		}
		if d, ok := t.(json.Delim); !ok || d != '[' {
			return errors.New("register: findings: want an array")
		}
		for dec.More() {
			var f qoldau.Finding
			if err := dec.Decode(&f); err != nil {
				return err
			}
			if err := fn(&f); err != nil {
				if errors.Is(err, ErrStop) {
					return nil
				}
				return err
			}
		}
		return nil
	}
	return nil
}

// decodeFindings reads a JSON array of findings from dec, in report order.
func decodeFindings(dec *json.Decoder) (*Findings, error) {
	fs := newFindings()
	t, err := dec.Token()
	if err != nil {
		return nil, err
	}
	if t == nil { // null
		fs.seal()
		return fs, nil
	}
	if d, ok := t.(json.Delim); !ok || d != '[' {
		return nil, errors.New("register: findings: want an array")
	}
	row := []qoldau.Finding{}
	for dec.More() {
		var f qoldau.Finding
		if err := dec.Decode(&f); err != nil {
			fs.Close()
			return nil, err
		}
		if f.Row == 0 {
			fs.addHead(f)
			continue
		}
		row = append(row[:0], f)
		fs.addRow(row)
	}
	if _, err := dec.Token(); err != nil {
		fs.Close()
		return nil, err
	}
	if err := fs.seal(); err != nil {
		fs.Close()
		return nil, err
	}
	return fs, nil
}

// sortRow puts one row's findings in column order (stable: a column's findings
// keep the order they were found in).
func sortRow(fds []qoldau.Finding) {
	slices.SortStableFunc(fds, func(a, b qoldau.Finding) int {
		return table.ColIndex(a.Column) - table.ColIndex(b.Column)
	})
}

// WriteJSON writes the result as one JSON object (the JSON report of docs/rules.md,
// "What validation returns") and a newline, the findings streamed from disk.
func (r *Result) WriteJSON(w io.Writer) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	field := func(sep, name string, v any) error {
		b, err := marshal(v)
		if err == nil {
			_, err = bw.WriteString(sep + `"` + name + `":` + string(b))
		}
		return err
	}
	err := field("{", "period", r.Period)
	if err == nil {
		err = field(",", "sha256", r.SHA256)
	}
	if err == nil {
		err = field(",", "rows", r.Rows)
	}
	if err == nil {
		err = field(",", "counts", r.Counts)
	}
	if err == nil && len(r.Columns) > 0 {
		err = field(",", "columns", r.Columns)
	}
	if err == nil {
		bw.WriteString(`,"findings":`)
		err = r.Findings.writeJSON(bw)
	}
	if err == nil {
		err = field(",", "counts_by_column", r.ByColumn)
	}
	if err == nil && r.Sheet != "" {
		err = field(",", "sheet", r.Sheet)
	}
	if err == nil {
		bw.WriteString("}\n")
		err = bw.Flush()
	}
	return err
}

func marshal(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

// ReadResult reads a result written by WriteJSON (or encoding/json), its findings
// streamed to disk, so a stored report of any size is read in bounded memory.
// Close the result when done.
func ReadResult(r io.Reader) (*Result, error) {
	dec := json.NewDecoder(bufio.NewReaderSize(r, 64<<10))
	res := &Result{Counts: map[string]int{}, ByColumn: map[string]int{}}
	fail := func(err error) (*Result, error) {
		res.Close()
		return nil, err
	}
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return fail(errors.New("register: a result: want an object"))
	}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return fail(err)
		}
		switch t {
		case "period":
			err = dec.Decode(&res.Period)
		case "sha256":
			err = dec.Decode(&res.SHA256)
		case "rows":
			err = dec.Decode(&res.Rows)
		case "counts":
			err = dec.Decode(&res.Counts)
		case "columns":
			err = dec.Decode(&res.Columns)
		case "counts_by_column":
			err = dec.Decode(&res.ByColumn)
		case "sheet":
			err = dec.Decode(&res.Sheet)
		case "findings":
			res.Findings.Close()
			res.Findings, err = decodeFindings(dec)
		default:
			var skip json.RawMessage
			err = dec.Decode(&skip)
		}
		if err != nil {
			return fail(err)
		}
	}
	if _, err := dec.Token(); err != nil {
		return fail(err)
	}
	if res.Findings == nil {
		res.Findings = FindingsOf()
	}
	return res, nil
}
