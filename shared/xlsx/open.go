package xlsx

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"errors"
	"fmt"
	"io"
	"math"
	"net/url"
	"path"
	"strconv"
	"strings"
	"sync"
)

// Workbook is an opened .xlsx file: its sheet list, date system and styles. It reads
// parts from the io.ReaderAt given to Open on demand, so that must stay usable
// while the workbook is. Sheets may be read one after another or concurrently.
type Workbook struct {
	ra     *recReaderAt
	size   int64
	lim    Limits
	files  map[string]*zip.File // by normalised name
	folded map[string]*zip.File // by lower-case name
	order  []*zip.File          // the entries in archive order
	budget *budget

	wbPath   string
	sheets   []sheetEntry
	date1904 bool
	dateXF   []bool // cellXfs index → date/time number format
	sstPath  string

	sstMu     sync.Mutex
	sstLoaded bool
	sst       *sharedStrings
	sstErr    error
}

type sheetEntry struct {
	name string
	part string // resolved zip path, "" if unknown
}

// Open checks and opens the workbook in r, which holds size bytes. Every bad-file
// case (see Problem) returns an *Error; an error from r itself is returned wrapped,
// not as an *Error. Open reads the container's directory, the workbook, its
// relationships, the content types and the styles; it does not inflate any sheet.
func Open(r io.ReaderAt, size int64, lim Limits) (*Workbook, error) {
	w, err := openZip(r, size, lim)
	if err != nil {
		return nil, err
	}
	if err := w.readStructure(); err != nil {
		return nil, err
	}
	return w, nil
}

// openZip checks the container (size, signature, declared sizes) and reads the zip
// directory, for Open and OpenODS.
func openZip(r io.ReaderAt, size int64, lim Limits) (*Workbook, error) {
	lim = lim.withDefaults()
	if size > lim.MaxFileSize {
		return nil, &Error{Problem: TooLarge, Limit: lim.MaxFileSize,
			Detail: fmt.Sprintf("file is %d bytes", size)}
	}
	if size <= 0 {
		return nil, errorf(NotZip, "empty file")
	}
	ra := &recReaderAt{r: r}
	var head [8]byte
	n, err := ra.ReadAt(head[:min(size, 8)], 0)
	if err != nil && ra.err != nil {
		return nil, fmt.Errorf("xlsx: read: %w", ra.err)
	}
	h := head[:n]
	switch {
	case bytes.Equal(h, oleSignature):
		e := cfbVerdict(ra, size)
		if ra.err != nil {
			return nil, fmt.Errorf("xlsx: read: %w", ra.err)
		}
		return nil, e
	case !bytes.HasPrefix(h, []byte("PK")):
		return nil, errorf(NotZip, "%s", sniff(ra, size))
	}

	zr, err := zip.NewReader(ra, size)
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		if ra.err != nil {
			return nil, fmt.Errorf("xlsx: read: %w", ra.err)
		}
		return nil, &Error{Problem: Corrupt, Detail: "damaged or truncated zip archive: " + err.Error(), cause: err}
	}
	w := &Workbook{ra: ra, size: size, lim: lim,
		files:  make(map[string]*zip.File, len(zr.File)),
		folded: make(map[string]*zip.File, len(zr.File)), order: zr.File}

	// Declared sizes, before anything is inflated.
	var declared uint64
	for _, f := range zr.File {
		if f.Flags&1 != 0 {
			return nil, errorf(Encrypted, "zip entry %q is encrypted (zip password)", f.Name)
		}
		declared += min(f.UncompressedSize64, 1<<62)
		if declared > 1<<62 {
			declared = 1 << 62
		}
		name := normName(f.Name)
		if _, dup := w.files[name]; !dup {
			w.files[name] = f
		}
		if _, dup := w.folded[strings.ToLower(name)]; !dup {
			w.folded[strings.ToLower(name)] = f
		}
	}
	if len(zr.File) == 0 {
		return nil, errorf(NotWorkbook, "an empty zip archive")
	}
	w.budget = newBudget(lim, size)
	if err := w.budget.check(int64(declared), "entries declare"); err != nil {
		return nil, err
	}
	return w, nil
}

// SheetNames returns the names of the sheets in workbook order.
func (w *Workbook) SheetNames() []string {
	names := make([]string, len(w.sheets))
	for i, s := range w.sheets {
		names[i] = s.name
	}
	return names
}

// Date1904 reports whether the workbook uses the 1904 date system (serial 0 is
// 1904-01-01), as Excel for Mac used to.
func (w *Workbook) Date1904() bool { return w.date1904 }

// Sheet opens the sheet with the given name for reading; "" means the first sheet in
// workbook order. A name that matches no sheet exactly is matched ignoring case, as
// Excel does. An unknown name gives an *Error with Problem SheetNotFound. The first
// call loads the shared strings, once for the workbook.
func (w *Workbook) Sheet(name string) (*Sheet, error) {
	idx := w.findSheet(name)
	if idx < 0 {
		return nil, &Error{Problem: SheetNotFound, Sheet: name,
			Detail: fmt.Sprintf("the workbook has %d sheet(s): %s", len(w.sheets), quoteNames(w.sheets))}
	}
	ent := w.sheets[idx]
	part := w.sheetPartOf(idx) // without a relationship, the conventional name
	f := w.file(part)
	if f == nil {
		return nil, &Error{Problem: Corrupt, Sheet: ent.name, Detail: fmt.Sprintf("sheet part %q is missing", part)}
	}
	sst, err := w.sharedStrings()
	if err != nil {
		return nil, err
	}
	pr, err := w.openPart(f)
	if err != nil {
		if e, ok := err.(*Error); ok {
			e.Sheet = ent.name
		}
		return nil, err
	}
	return newSheet(w, ent.name, pr, sst), nil
}

// findSheet returns the index of the sheet named name ("" is the first), matched
// exactly and then ignoring case, or -1.
func (w *Workbook) findSheet(name string) int {
	return findName(len(w.sheets), func(i int) string { return w.sheets[i].name }, name)
}

// findName returns the index of the first of n names (nameAt) that is name ("" is
// the first), matched exactly and then ignoring case, or -1.
func findName(n int, nameAt func(int) string, name string) int {
	if name == "" {
		return min(0, n-1)
	}
	for i := 0; i < n; i++ {
		if nameAt(i) == name {
			return i
		}
	}
	for i := 0; i < n; i++ {
		if strings.EqualFold(nameAt(i), name) {
			return i
		}
	}
	return -1
}

// sheetPartOf returns the part of sheet idx: its relationship target, or the
// conventional name.
func (w *Workbook) sheetPartOf(idx int) string {
	if p := w.sheets[idx].part; p != "" {
		return p
	}
	return path.Join(path.Dir(w.wbPath), "worksheets", "sheet"+strconv.Itoa(idx+1)+".xml")
}

// readSmall inflates a small part (workbook, rels, styles, content types).
func (w *Workbook) readSmall(f *zip.File) ([]byte, error) {
	pr, err := w.openPart(f)
	if err != nil {
		return nil, err
	}
	defer pr.Close()
	data, err := io.ReadAll(io.LimitReader(pr, maxSmallPart+1))
	if err != nil {
		return nil, w.classify(err, f.Name, pr)
	}
	if len(data) > maxSmallPart {
		return nil, &Error{Problem: ZipBomb, Limit: maxSmallPart, Detail: f.Name + " is larger than a workbook part can be"}
	}
	return data, nil
}

func quoteNames(s []sheetEntry) string {
	var b strings.Builder
	for i, e := range s {
		if i == 10 {
			b.WriteString(", …")
			break
		}
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(strconv.Quote(e.name))
	}
	return b.String()
}

// sharedStrings loads the shared-string table once.
func (w *Workbook) sharedStrings() (*sharedStrings, error) {
	w.sstMu.Lock()
	defer w.sstMu.Unlock()
	if !w.sstLoaded {
		w.sstLoaded = true
		if f := w.file(w.sstPath); f != nil {
			w.sst, w.sstErr = w.loadSharedStrings(f)
		}
	}
	return w.sst, w.sstErr
}

// ---- parts -------------------------------------------------------------------

// recReaderAt remembers the first real I/O error of the underlying reader, so that
// an I/O failure is not reported as a corrupt file.
type recReaderAt struct {
	r   io.ReaderAt
	mu  sync.Mutex
	err error
}

// ReadAt reads from the underlying reader, remembering a real I/O error.
func (r *recReaderAt) ReadAt(p []byte, off int64) (int, error) {
	n, err := r.r.ReadAt(p, off)
	if err != nil && err != io.EOF {
		r.mu.Lock()
		if r.err == nil {
			r.err = err
		}
		r.mu.Unlock()
	}
	return n, err
}

func (r *recReaderAt) ioErr() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.err
}

// budget counts inflated bytes across the parts of a workbook. A part read twice
// (a sheet opened again) counts once, by its furthest point, so that re-reading a
// sheet does not look like a bomb.
type budget struct {
	mu       sync.Mutex
	used     int64
	hw       map[string]int64 // bytes counted per part
	max      int64
	lim      Limits
	fileSize int64
}

func newBudget(lim Limits, size int64) *budget {
	b := &budget{lim: lim, fileSize: size, max: lim.MaxUnpacked, hw: map[string]int64{}}
	if size <= math.MaxInt64/lim.MaxRatio && lim.MaxRatio*size < b.max {
		b.max = lim.MaxRatio * size
	}
	return b
}

// grow records that part has been inflated up to n bytes.
func (b *budget) grow(part string, n int64) *Error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if hw := b.hw[part]; n > hw {
		b.used += n - hw
		b.hw[part] = n
	}
	if b.used > b.max {
		e := b.check(b.used, "parts inflate to at least")
		e.Detail += " (while inflating " + part + ")"
		return e
	}
	return nil
}

// check returns a ZipBomb error when n bytes would be over a limit.
func (b *budget) check(n int64, what string) *Error {
	if n > b.lim.MaxUnpacked {
		return &Error{Problem: ZipBomb, Limit: b.lim.MaxUnpacked,
			Detail: fmt.Sprintf("%s %d bytes unpacked", what, n)}
	}
	if n > b.max {
		return &Error{Problem: ZipBomb, Limit: b.lim.MaxRatio,
			Detail: fmt.Sprintf("%s %d bytes unpacked, over %d times the file size of %d bytes",
				what, n, b.lim.MaxRatio, b.fileSize)}
	}
	return nil
}

// partReader inflates one part, counting bytes against the workbook's budget.
type partReader struct {
	rc       io.ReadCloser
	name     string
	declared int64
	n        int64 // bytes inflated from this part
	b        *budget
}

// Read inflates, counting bytes against the budget.
func (p *partReader) Read(buf []byte) (int, error) {
	n, err := p.rc.Read(buf)
	p.n += int64(n)
	if n > 0 {
		if e := p.b.grow(p.name, p.n); e != nil {
			return 0, e
		}
	}
	return n, err
}

// Close closes the zip entry.
func (p *partReader) Close() error { return p.rc.Close() }

// openPart opens a zip entry for reading through the budget.
func (w *Workbook) openPart(f *zip.File) (*partReader, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, w.classify(err, f.Name, nil)
	}
	return &partReader{rc: rc, name: f.Name, declared: int64(min(f.UncompressedSize64, math.MaxInt64)), b: w.budget}, nil
}

// classify turns an error met while reading part into an *Error, or into a wrapped
// I/O error when the underlying reader failed.
func (w *Workbook) classify(err error, part string, pr *partReader) error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	if ioErr := w.ra.ioErr(); ioErr != nil {
		return fmt.Errorf("xlsx: read %s: %w", part, ioErr)
	}
	if errors.Is(err, zip.ErrFormat) && pr != nil {
		// While inflating, archive/zip reports ErrFormat only for a part that
		// inflates past its declared size: a lying header.
		return &Error{Problem: ZipBomb, Limit: pr.declared, cause: err,
			Detail: fmt.Sprintf("%s inflates past its declared size of %d bytes", part, pr.declared)}
	}
	var ce flate.CorruptInputError
	switch {
	case errors.As(err, &ce):
		return &Error{Problem: Corrupt, Detail: part + ": damaged compressed data", cause: err}
	case errors.Is(err, zip.ErrChecksum):
		return &Error{Problem: Corrupt, Detail: part + ": checksum mismatch", cause: err}
	case errors.Is(err, io.ErrUnexpectedEOF):
		return &Error{Problem: Corrupt, Detail: part + ": truncated", cause: err}
	}
	return &Error{Problem: Corrupt, Detail: part + ": " + err.Error(), cause: err}
}

// file finds a zip entry by name, exactly or ignoring case.
func (w *Workbook) file(name string) *zip.File {
	if name == "" {
		return nil
	}
	name = normName(name)
	if f := w.files[name]; f != nil {
		return f
	}
	return w.folded[strings.ToLower(name)]
}

func normName(n string) string {
	n = strings.ReplaceAll(n, `\`, "/")
	return strings.TrimLeft(n, "/")
}

// resolve resolves a relationship target against the part that holds it.
func resolve(from, target string) string {
	target = strings.ReplaceAll(target, `\`, "/")
	if strings.Contains(target, "%") {
		if u, err := url.PathUnescape(target); err == nil {
			target = u
		}
	}
	if strings.HasPrefix(target, "/") {
		return strings.TrimPrefix(path.Clean(target), "/")
	}
	return strings.TrimPrefix(path.Join(path.Dir(from), target), "/")
}

// relsPath returns the relationships part of a part: xl/_rels/workbook.xml.rels.
func relsPath(part string) string {
	dir, base := path.Split(part)
	return dir + "_rels/" + base + ".rels"
}

// ---- workbook structure ------------------------------------------------------

const maxSmallPart = 64 << 20 // workbook, rels, content types, styles

// xmlPart runs fn over the start elements of a small part, namespaces resolved (see
// elem). A missing part is errMissing.
func (w *Workbook) xmlPart(name string, fn func(*elem) error) error {
	f := w.file(name)
	if f == nil {
		return errMissing
	}
	pr, err := w.openPart(f)
	if err != nil {
		return err
	}
	defer pr.Close()
	walk := newNSWalker(io.LimitReader(pr, maxSmallPart))
	for {
		e, err := walk.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			if pr.n >= maxSmallPart {
				break
			}
			return w.classify(err, f.Name, pr)
		}
		if err := fn(e); err != nil {
			return err
		}
	}
	if pr.n >= maxSmallPart {
		return &Error{Problem: ZipBomb, Limit: maxSmallPart, Detail: f.Name + " is larger than a workbook part can be"}
	}
	return nil
}

var errMissing = errors.New("part missing")

type rel struct{ id, typ, target string }

// relType returns the last segment of a relationship type URI, so that the
// transitional (schemas.openxmlformats.org) and strict (purl.oclc.org) URIs match.
func relType(t string) string { return t[strings.LastIndexByte(t, '/')+1:] }

func (w *Workbook) readRels(part string) ([]rel, error) {
	var rels []rel
	err := w.xmlPart(relsPath(part), func(e *elem) error {
		if !e.is(2, "Relationship", isRelsNS, "") || strings.EqualFold(e.attr("TargetMode"), "External") {
			return nil
		}
		if len(rels) >= 1<<16 {
			return errorf(Corrupt, "%s has too many relationships", relsPath(part))
		}
		rels = append(rels, rel{id: e.attr("Id"), typ: relType(e.attr("Type")), target: resolve(part, e.attr("Target"))})
		return nil
	})
	if err == errMissing {
		err = nil
	}
	return rels, err
}

// Content types of a workbook's main part.
func isWorkbookType(ct string) bool {
	ct = strings.ToLower(ct)
	return strings.HasPrefix(ct, "application/vnd.openxmlformats-officedocument.spreadsheetml.") && strings.HasSuffix(ct, ".main+xml") ||
		strings.HasPrefix(ct, "application/vnd.ms-excel.") && strings.HasSuffix(ct, ".main+xml")
}

func (w *Workbook) readStructure() error {
	// [Content_Types].xml: part → content type.
	types := map[string]string{}
	err := w.xmlPart("[Content_Types].xml", func(e *elem) error {
		if e.is(2, "Override", isTypesNS, "") && len(types) < 1<<16 {
			types[strings.ToLower(normName(e.attr("PartName")))] = e.attr("ContentType")
		}
		return nil
	})
	if err != nil && err != errMissing {
		return err
	}
	// The main part: the package's officeDocument relationship, then the content
	// types, then the conventional name.
	rootRels, err := w.readRels("")
	if err != nil {
		return err
	}
	isWB := func(p string) bool {
		return w.file(p) != nil && (isWorkbookType(types[strings.ToLower(p)]) || strings.EqualFold(path.Base(p), "workbook.xml"))
	}
	for _, r := range rootRels {
		if r.typ == "officeDocument" && isWB(r.target) {
			w.wbPath = r.target
			break
		}
	}
	if w.wbPath == "" {
		for p, ct := range types {
			if isWorkbookType(ct) && w.file(p) != nil {
				w.wbPath = p
				break
			}
		}
	}
	if w.wbPath == "" && w.file("xl/workbook.xml") != nil {
		w.wbPath = "xl/workbook.xml"
	}
	if w.wbPath == "" {
		return errorf(NotWorkbook, "%s", w.describe())
	}
	w.wbPath = normName(w.file(w.wbPath).Name)

	rels, err := w.readRels(w.wbPath)
	if err != nil {
		return err
	}
	byID := map[string]string{}
	for _, r := range rels {
		switch r.typ {
		case "sharedStrings":
			w.sstPath = r.target
		case "styles":
			if w.file(r.target) != nil {
				if err := w.readStyles(r.target); err != nil {
					return err
				}
			}
		}
		byID[r.id] = r.target
	}
	dir := path.Dir(w.wbPath)
	if w.sstPath == "" {
		w.sstPath = path.Join(dir, "sharedStrings.xml")
	}
	if w.dateXF == nil && w.file(path.Join(dir, "styles.xml")) != nil {
		if err := w.readStyles(path.Join(dir, "styles.xml")); err != nil {
			return err
		}
	}

	err = w.xmlPart(w.wbPath, func(e *elem) error {
		switch {
		case e.is(2, "workbookPr", isMainNS, ""):
			v := strings.TrimSpace(e.attr("date1904"))
			w.date1904 = v == "1" || strings.EqualFold(v, "true")
		case e.is(3, "sheet", isMainNS, "sheets"):
			if len(w.sheets) >= 1<<16 {
				return errorf(Corrupt, "workbook lists too many sheets")
			}
			w.sheets = append(w.sheets, sheetEntry{name: e.attr("name"), part: byID[e.relID()]})
		}
		return nil
	})
	if err == errMissing {
		return errorf(NotWorkbook, "%s is missing", w.wbPath)
	}
	if err != nil {
		return err
	}
	if len(w.sheets) == 0 {
		return errorf(NoSheets, "the workbook lists no sheets")
	}
	return nil
}

// describe says what a zip without a workbook looks like.
func (w *Workbook) describe() string {
	has := func(prefix string) bool {
		for n := range w.folded {
			if strings.HasPrefix(n, prefix) {
				return true
			}
		}
		return false
	}
	switch {
	case has("word/"):
		return "a Word document (.docx), not a workbook"
	case has("ppt/"):
		return "a PowerPoint presentation (.pptx), not a workbook"
	case has("xl/workbook.bin"):
		return "an Excel binary workbook (.xlsb); save it as .xlsx"
	case w.folded["mimetype"] != nil && w.folded["content.xml"] != nil:
		return "an OpenDocument file (.ods/.odt); save it as .xlsx"
	case has("xl/"):
		return "xl/workbook.xml is missing"
	}
	return "a zip archive without an Excel workbook (no xl/workbook.xml)"
}

// sniff names what a non-zip file looks like, without quoting its content.
func sniff(r io.ReaderAt, size int64) string {
	var b [512]byte
	n, _ := r.ReadAt(b[:min(size, 512)], 0)
	h := bytes.TrimLeft(b[:n], "\xef\xbb\xbf \t\r\n")
	lower := bytes.ToLower(h)
	switch {
	case bytes.HasPrefix(h, []byte("%PDF")):
		return "a PDF document, not a workbook"
	case bytes.HasPrefix(lower, []byte("<!doctype html")) || bytes.HasPrefix(lower, []byte("<html")):
		return "an HTML page, not a workbook"
	case bytes.HasPrefix(lower, []byte("<?xml")) && bytes.Contains(lower, []byte("urn:schemas-microsoft-com:office:spreadsheet")):
		return "an Excel 2003 XML spreadsheet; save it as .xlsx"
	case bytes.HasPrefix(lower, []byte("<?xml")):
		return "an XML file, not a workbook"
	case bytes.HasPrefix(h, []byte("{\\rtf")):
		return "an RTF document, not a workbook"
	case bytes.HasPrefix(h, []byte("Rar!")) || bytes.HasPrefix(h, []byte("7z\xbc\xaf")) || bytes.HasPrefix(h, []byte("\x1f\x8b")):
		return "a compressed archive other than zip, not a workbook"
	}
	return "not a zip archive"
}
