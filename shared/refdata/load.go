package refdata

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"io"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/qoldau"
)

//go:embed data/VERSION data/*.csv data/calendar/*.csv
var embedded embed.FS

// File names of the data set (besides calendar/YYYY.csv).
const (
	fileVersion   = "VERSION"
	fileRegions   = "regions.csv"
	fileSections  = "oked_sections.csv"
	fileLegal     = "legal_forms.csv"
	fileCategory  = "categories.csv"
	filePlaces    = "places.csv"
	fileServices  = "services.csv"
	fileSubtypes  = "service_subtypes.csv"
	fileBrackets  = "age_brackets.csv"
	fileYouth35   = "age_brackets_youth35.csv"
	fileMobile    = "mobile_codes.csv"
	calendarDir   = "calendar"
	calendarFirst = 1900 // years a calendar file may cover
	calendarLast  = 2199
)

var fixedFiles = []string{
	fileVersion, fileRegions, fileSections, fileLegal, fileCategory, filePlaces,
	fileServices, fileSubtypes, fileBrackets, fileYouth35, fileMobile,
}

// embeddedFiles returns the embedded data files by name, read once.
var embeddedFiles = sync.OnceValue(func() map[string][]byte {
	m := map[string][]byte{}
	_ = fs.WalkDir(embedded, "data", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := embedded.ReadFile(p)
		if err != nil {
			return err
		}
		m[strings.TrimPrefix(p, "data/")] = b
		return nil
	})
	return m
})

var defaultSet = sync.OnceValue(func() *Set {
	s, err := build(nil)
	if err != nil {
		// The embedded data is checked by the package tests.
		panic("refdata: embedded data: " + err.Error())
	}
	return s
})

// Default returns the embedded data set, parsed once.
func Default() *Set { return defaultSet() }

// Files returns the names of the data files, calendar years included, as Export
// writes them and Load reads them.
func Files() []string {
	names := slices.Clone(fixedFiles)
	for name := range embeddedFiles() {
		if strings.HasPrefix(name, calendarDir+"/") {
			names = append(names, name)
		}
	}
	slices.Sort(names[len(fixedFiles):])
	return names
}

// Load reads a data set from fsys, a folder laid out like Export writes it: each
// file present replaces the embedded one of the same name, a calendar/YYYY.csv for a
// year not embedded adds that year, and missing files keep the embedded data. Every
// file is checked; a bad one gives a qoldau.Error (code invalid) whose message names
// the file and line.
func Load(fsys fs.FS) (*Set, error) {
	over := map[string][]byte{}
	for _, name := range fixedFiles {
		b, err := fs.ReadFile(fsys, name)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, qoldau.E(qoldau.Internal, texts.Text("cannot-read-file", "{name}", name), err)
		}
		over[name] = b
	}
	entries, err := fs.ReadDir(fsys, calendarDir)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, qoldau.E(qoldau.Internal, texts.Text("cannot-read-folder", "{name}", calendarDir), err)
	}
	for _, e := range entries {
		if e.IsDir() || strings.HasPrefix(e.Name(), ".") {
			continue // hidden files: editor backups, an interrupted Import's temporaries
		}
		name := calendarDir + "/" + e.Name()
		if _, ok := calendarYear(name); !ok {
			return nil, bad(name, 0, errCalendarName(e.Name()))
		}
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, qoldau.E(qoldau.Internal, texts.Text("cannot-read-file", "{name}", name), err)
		}
		over[name] = b
	}
	return build(over)
}

// calendarYear returns the year of a calendar file name "calendar/YYYY.csv".
func calendarYear(name string) (int, bool) {
	dir, base := path.Split(name)
	if dir != calendarDir+"/" || len(base) != len("2025.csv") || !strings.HasSuffix(base, ".csv") {
		return 0, false
	}
	y, err := strconv.Atoi(base[:4])
	if err != nil || base[0] < '0' || base[0] > '9' || y < calendarFirst || y > calendarLast {
		return 0, false
	}
	return y, true
}

// build parses the embedded files with over laid on top of them.
func build(over map[string][]byte) (*Set, error) {
	files := map[string][]byte{}
	for name, b := range embeddedFiles() {
		files[name] = b
	}
	changed := false
	for name, b := range over {
		if name != fileVersion && !bytes.Equal(files[name], b) {
			changed = true
		}
		files[name] = b
	}
	s := &Set{files: files}

	v := strings.TrimSpace(strings.TrimPrefix(string(files[fileVersion]), "\ufeff"))
	if v == "" || strings.ContainsAny(v, "\r\n") || !utf8.ValidString(v) {
		return nil, bad(fileVersion, 0, errVersion())
	}
	if changed {
		v += "+" + contentHash(files)
	}
	s.Version = v

	steps := []func(*Set, map[string][]byte) error{
		loadRegions, loadSections, loadLegalForms, loadCategories, loadPlaces,
		loadServices, loadBrackets, loadMobile, loadCalendar,
	}
	for _, step := range steps {
		if err := step(s, files); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// contentHash is a short hash of every data file but VERSION.
func contentHash(files map[string][]byte) string {
	names := make([]string, 0, len(files))
	for name := range files {
		if name != fileVersion {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	h := sha256.New()
	for _, name := range names {
		io.WriteString(h, name)
		h.Write([]byte{0})
		io.WriteString(h, strconv.Itoa(len(files[name])))
		h.Write([]byte{0})
		h.Write(files[name])
	}
	return hex.EncodeToString(h.Sum(nil))[:12]
}

// table is a parsed CSV file.
type table struct {
	file string
	col  map[string]int
	rows []record
}

// record is one data row and its line in the file.
type record struct {
	line int
	f    []string
}

// get returns the trimmed value of column c ("" if the optional column is absent).
func (t *table) get(r record, c string) string {
	i, ok := t.col[c]
	if !ok {
		return ""
	}
	return r.f[i]
}

// need returns the value of column c, or an error if it is empty.
func (t *table) need(r record, c string) (string, error) {
	v := t.get(r, c)
	if v == "" {
		return "", bad(t.file, r.line, errEmpty(c))
	}
	return v, nil
}

// readTable parses file: a header naming columns (a trailing "?" marks an optional
// column), then rows with as many fields. Fully empty rows are skipped.
func readTable(file string, data []byte, columns ...string) (*table, error) {
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	if !utf8.Valid(data) {
		return nil, bad(file, 0, errNotUTF8())
	}
	r := csv.NewReader(bytes.NewReader(data))
	first, _, _ := bytes.Cut(data, []byte("\n"))
	if bytes.IndexByte(first, ';') >= 0 && bytes.IndexByte(first, ',') < 0 {
		r.Comma = ';'
	}
	r.FieldsPerRecord = -1
	header, err := r.Read()
	if err == io.EOF {
		return nil, bad(file, 0, errNoHeader())
	}
	if err != nil {
		return nil, csvError(file, err)
	}
	t := &table{file: file, col: map[string]int{}}
	known := map[string]bool{}
	for _, c := range columns {
		known[strings.TrimSuffix(c, "?")] = true
	}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(h))
		if !known[h] {
			return nil, bad(file, 1, errUnknownColumn(h))
		}
		if _, dup := t.col[h]; dup {
			return nil, bad(file, 1, errDuplicateColumn(h))
		}
		t.col[h] = i
	}
	for _, c := range columns {
		if _, ok := t.col[c]; !ok && !strings.HasSuffix(c, "?") {
			return nil, bad(file, 1, errMissingColumn(c))
		}
	}
	for {
		f, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, csvError(file, err)
		}
		line, _ := r.FieldPos(0)
		empty := true
		for i := range f {
			f[i] = strings.TrimSpace(f[i])
			if f[i] != "" {
				empty = false
			}
		}
		if empty {
			continue
		}
		if len(f) != len(header) {
			return nil, bad(file, line, errFieldCount(len(header), len(f)))
		}
		t.rows = append(t.rows, record{line: line, f: f})
	}
	return t, nil
}

func csvError(file string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return bad(file, pe.Line, errCSV(pe.Err))
	}
	return bad(file, 0, errCSV(err))
}

// splitList splits a `|`-separated cell, dropping empty parts.
func splitList(v string) []string {
	var out []string
	for _, p := range strings.Split(v, "|") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func parseBool(t *table, r record, c string) (bool, error) {
	v := t.get(r, c)
	switch strings.ToLower(v) {
	case "true", "yes", "1":
		return true, nil
	case "false", "no", "0", "":
		return false, nil
	}
	return false, bad(t.file, r.line, errBool(c, v))
}

func parseDate(t *table, r record, c string) (civil.Date, error) {
	v := t.get(r, c)
	if v == "" {
		return 0, nil
	}
	d, err := civil.Parse(v)
	if err != nil {
		return 0, bad(t.file, r.line, errDate(c, v))
	}
	return d, nil
}

// itemRows are the rows of a code-list file read as items, and their keys.
type itemRows struct {
	t     *table
	items []Item
	keys  *keyIndex
}

// readItems reads the common columns code, kk, ru, en and aliases of every row of a
// code-list file and indexes them; extra names the further columns of the file.
func readItems(file string, data []byte, extra ...string) (*itemRows, error) {
	cols := append([]string{"code", "kk", "ru", "en", "aliases?"}, extra...)
	t, err := readTable(file, data, cols...)
	if err != nil {
		return nil, err
	}
	if len(t.rows) == 0 {
		return nil, bad(file, 0, errNoRows())
	}
	out := &itemRows{t: t, keys: newKeyIndex(file)}
	first := map[string]int{}
	for _, r := range t.rows {
		it, err := readItem(t, r)
		if err != nil {
			return nil, err
		}
		if l, dup := first[it.Code]; dup {
			return nil, bad(file, r.line, errDuplicateCode(it.Code, l))
		}
		first[it.Code] = r.line
		if err := out.keys.addItem(it, len(out.items), r.line); err != nil {
			return nil, err
		}
		out.items = append(out.items, it)
	}
	return out, nil
}

func readItem(t *table, r record) (Item, error) {
	var it Item
	var err error
	if it.Code, err = t.need(r, "code"); err != nil {
		return it, err
	}
	if it.Label.KK, err = t.need(r, "kk"); err != nil {
		return it, err
	}
	if it.Label.RU, err = t.need(r, "ru"); err != nil {
		return it, err
	}
	if it.Label.EN, err = t.need(r, "en"); err != nil {
		return it, err
	}
	it.Aliases = withAbbreviations(splitList(t.get(r, "aliases")), it.Label)
	return it, nil
}

func loadRegions(s *Set, files map[string][]byte) error {
	rows, err := readItems(fileRegions, files[fileRegions], "valid_from?", "valid_to?")
	if err != nil {
		return err
	}
	for i, r := range rows.t.rows {
		it := rows.items[i]
		if len(it.Code) != 9 || strings.Trim(it.Code, "0123456789") != "" {
			return bad(fileRegions, r.line, errRegionCode(it.Code))
		}
		reg := Region{Item: it}
		if reg.From, err = parseDate(rows.t, r, "valid_from"); err != nil {
			return err
		}
		if reg.To, err = parseDate(rows.t, r, "valid_to"); err != nil {
			return err
		}
		if reg.From != 0 && reg.To != 0 && reg.From > reg.To {
			return bad(fileRegions, r.line, errDateOrder(reg.From.String(), reg.To.String()))
		}
		s.regions = append(s.regions, reg)
	}
	for i, it := range rows.items {
		addRegionForms(rows.keys, it, i)
	}
	s.regionIdx = rows.keys.index()
	return nil
}

func loadSections(s *Set, files map[string][]byte) error {
	rows, err := readItems(fileSections, files[fileSections], "divisions")
	if err != nil {
		return err
	}
	for i := range s.division {
		s.division[i] = -1
	}
	for i, r := range rows.t.rows {
		it := rows.items[i]
		if len(it.Code) != 1 || it.Code[0] < 'A' || it.Code[0] > 'Z' {
			return bad(fileSections, r.line, errSectionCode(it.Code))
		}
		v, err := rows.t.need(r, "divisions")
		if err != nil {
			return err
		}
		divs, ok := parseDivisions(v)
		if !ok {
			return bad(fileSections, r.line, errDivisions(v))
		}
		for _, d := range divs {
			if j := s.division[d]; j >= 0 {
				return bad(fileSections, r.line, errDivisionTwice(d, s.sections[j].Code))
			}
			s.division[d] = int8(i)
		}
		s.sections = append(s.sections, Section{Item: it, Divisions: divs})
	}
	s.sectionIdx = rows.keys.index()
	return nil
}

// parseDivisions reads "01-03|05" into ascending division numbers 1..99.
func parseDivisions(v string) ([]int, bool) {
	var out []int
	for _, part := range splitList(v) {
		lo, hi, isRange := strings.Cut(part, "-")
		a, ok := twoDigits(strings.TrimSpace(lo))
		if !ok {
			return nil, false
		}
		b := a
		if isRange {
			if b, ok = twoDigits(strings.TrimSpace(hi)); !ok || b < a {
				return nil, false
			}
		}
		for d := a; d <= b; d++ {
			out = append(out, d)
		}
	}
	if len(out) == 0 {
		return nil, false
	}
	slices.Sort(out)
	if len(slices.Compact(slices.Clone(out))) != len(out) {
		return nil, false
	}
	return out, true
}

func twoDigits(v string) (int, bool) {
	if len(v) != 2 || v[0] < '0' || v[0] > '9' || v[1] < '0' || v[1] > '9' {
		return 0, false
	}
	n := int(v[0]-'0')*10 + int(v[1]-'0')
	return n, n >= 1
}

func loadLegalForms(s *Set, files map[string][]byte) error {
	rows, err := readItems(fileLegal, files[fileLegal], "iin", "bin_residency", "bin_type?")
	if err != nil {
		return err
	}
	for i, r := range rows.t.rows {
		f := LegalForm{Item: rows.items[i]}
		if f.IIN, err = parseBool(rows.t, r, "iin"); err != nil {
			return err
		}
		f.BINResidency = rows.t.get(r, "bin_residency")
		if !digitSet(f.BINResidency, "456") {
			return bad(fileLegal, r.line, errDigits("bin_residency", f.BINResidency, "4, 5, 6"))
		}
		f.BINType = rows.t.get(r, "bin_type")
		if !digitSet(f.BINType, "0123") {
			return bad(fileLegal, r.line, errDigits("bin_type", f.BINType, "0, 1, 2, 3"))
		}
		if !f.IIN && f.BINResidency == "" {
			return bad(fileLegal, r.line, errNoNumber())
		}
		s.legal = append(s.legal, f)
	}
	s.legalIdx = rows.keys.index()
	return nil
}

// digitSet reports whether v is made of distinct characters of allowed.
func digitSet(v, allowed string) bool {
	for i := 0; i < len(v); i++ {
		if strings.IndexByte(allowed, v[i]) < 0 || strings.IndexByte(v[:i], v[i]) >= 0 {
			return false
		}
	}
	return true
}

func loadCategories(s *Set, files map[string][]byte) error {
	rows, err := readItems(fileCategory, files[fileCategory], "smb")
	if err != nil {
		return err
	}
	for i, r := range rows.t.rows {
		c := Category{Item: rows.items[i]}
		if c.SMB, err = parseBool(rows.t, r, "smb"); err != nil {
			return err
		}
		s.categories = append(s.categories, c)
	}
	s.categIdx = rows.keys.index()
	return nil
}

func loadPlaces(s *Set, files map[string][]byte) error {
	rows, err := readItems(filePlaces, files[filePlaces], "online")
	if err != nil {
		return err
	}
	for i, r := range rows.t.rows {
		p := Place{Item: rows.items[i]}
		if p.Online, err = parseBool(rows.t, r, "online"); err != nil {
			return err
		}
		s.places = append(s.places, p)
	}
	s.placeIdx = rows.keys.index()
	for key, i := range s.placeIdx.norm {
		s.placePfx = append(s.placePfx, prefix{key: key, words: strings.Count(key, " ") + 1, item: i})
	}
	slices.SortFunc(s.placePfx, func(a, b prefix) int {
		if len(a.key) != len(b.key) {
			return len(b.key) - len(a.key)
		}
		return strings.Compare(a.key, b.key)
	})
	return nil
}

func loadServices(s *Set, files map[string][]byte) error {
	rows, err := readItems(fileServices, files[fileServices])
	if err != nil {
		return err
	}
	for _, it := range rows.items {
		s.services = append(s.services, Service{Item: it})
	}
	s.serviceIdx = rows.keys.index()

	t, err := readTable(fileSubtypes, files[fileSubtypes], "service", "code", "kk", "ru", "en", "aliases?")
	if err != nil {
		return err
	}
	keys := make([]*keyIndex, len(s.services))
	first := make([]map[string]int, len(s.services))
	for _, r := range t.rows {
		svc, err := t.need(r, "service")
		if err != nil {
			return err
		}
		i, ok := s.serviceIdx.raw[svc]
		if !ok || s.services[i].Code != svc {
			return bad(fileSubtypes, r.line, errUnknownService(svc))
		}
		it, err := readItem(t, r)
		if err != nil {
			return err
		}
		if keys[i] == nil {
			keys[i], first[i] = newKeyIndex(fileSubtypes), map[string]int{}
		}
		if l, dup := first[i][it.Code]; dup {
			return bad(fileSubtypes, r.line, errDuplicateCode(it.Code, l))
		}
		first[i][it.Code] = r.line
		if err := keys[i].addItem(it, len(s.services[i].Subtypes), r.line); err != nil {
			return err
		}
		s.services[i].Subtypes = append(s.services[i].Subtypes, it)
	}
	s.subtypeIdx = make([]index, len(s.services))
	for i, k := range keys {
		if k != nil {
			s.subtypeIdx[i] = k.index()
		}
	}
	return nil
}

func loadBrackets(s *Set, files map[string][]byte) error {
	var err error
	if s.brackets, err = readBrackets(fileBrackets, files[fileBrackets]); err != nil {
		return err
	}
	s.youth35, err = readBrackets(fileYouth35, files[fileYouth35])
	return err
}

func readBrackets(file string, data []byte) ([]Bracket, error) {
	t, err := readTable(file, data, "label", "min", "max")
	if err != nil {
		return nil, err
	}
	if len(t.rows) == 0 {
		return nil, bad(file, 0, errNoRows())
	}
	var out []Bracket
	labels := map[string]bool{}
	for i, r := range t.rows {
		b := Bracket{}
		if b.Label, err = t.need(r, "label"); err != nil {
			return nil, err
		}
		if labels[b.Label] {
			return nil, bad(file, r.line, errDuplicateLabel(b.Label))
		}
		labels[b.Label] = true
		v, err := t.need(r, "min")
		if err != nil {
			return nil, err
		}
		if b.Min, err = strconv.Atoi(v); err != nil || b.Min < 0 {
			return nil, bad(file, r.line, errInt("min", v))
		}
		if v := t.get(r, "max"); v != "" {
			if b.Max, err = strconv.Atoi(v); err != nil || b.Max < 1 {
				return nil, bad(file, r.line, errInt("max", v))
			}
			if b.Max < b.Min {
				return nil, bad(file, r.line, errBracketRange(b.Max, b.Min))
			}
		} else if i != len(t.rows)-1 {
			return nil, bad(file, r.line, errBracketOpen(b.Label))
		}
		if i > 0 && b.Min <= out[i-1].Max {
			return nil, bad(file, r.line, errBracketOrder(b.Label))
		}
		out = append(out, b)
	}
	return out, nil
}

func loadMobile(s *Set, files map[string][]byte) error {
	t, err := readTable(fileMobile, files[fileMobile], "code")
	if err != nil {
		return err
	}
	if len(t.rows) == 0 {
		return bad(fileMobile, 0, errNoRows())
	}
	for _, r := range t.rows {
		v := t.get(r, "code")
		lo, hi, isRange := strings.Cut(v, "-")
		a, ok := threeDigits(strings.TrimSpace(lo))
		b := a
		if ok && isRange {
			b, ok = threeDigits(strings.TrimSpace(hi))
			ok = ok && b >= a
		}
		if !ok {
			return bad(fileMobile, r.line, errMobileCode(v))
		}
		for c := a; c <= b; c++ {
			if s.mobile[c] {
				return bad(fileMobile, r.line, errMobileTwice(c))
			}
			s.mobile[c] = true
		}
	}
	return nil
}

func threeDigits(v string) (int, bool) {
	if len(v) != 3 {
		return 0, false
	}
	n := 0
	for i := 0; i < 3; i++ {
		if v[i] < '0' || v[i] > '9' {
			return 0, false
		}
		n = n*10 + int(v[i]-'0')
	}
	return n, true
}

func loadCalendar(s *Set, files map[string][]byte) error {
	var names []string
	for name := range files {
		if strings.HasPrefix(name, calendarDir+"/") {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	for _, name := range names {
		year, ok := calendarYear(name)
		if !ok {
			return bad(name, 0, errCalendarName(path.Base(name)))
		}
		t, err := readTable(name, files[name], "date", "kind", "name?")
		if err != nil {
			return err
		}
		if len(t.rows) == 0 {
			return bad(name, 0, errNoRows())
		}
		first := map[civil.Date]int{}
		var days []Day
		for _, r := range t.rows {
			v, err := t.need(r, "date")
			if err != nil {
				return err
			}
			d, err := civil.Parse(v)
			if err != nil {
				return bad(name, r.line, errDate("date", v))
			}
			if d.Year() != year {
				return bad(name, r.line, errYear(v, year))
			}
			if l, dup := first[d]; dup {
				return bad(name, r.line, errDateTwice(v, l))
			}
			first[d] = r.line
			kind := strings.ToLower(t.get(r, "kind"))
			weekend := d.Weekday() == time.Saturday || d.Weekday() == time.Sunday
			switch kind {
			case Holiday:
			case Moved, TransferOff:
				if weekend {
					return bad(name, r.line, errOffNotWeekday(v, kind))
				}
			case TransferWork:
				if !weekend {
					return bad(name, r.line, errWorkNotWeekend(v))
				}
			default:
				return bad(name, r.line, errKind(t.get(r, "kind")))
			}
			days = append(days, Day{Date: d, Kind: kind, Name: t.get(r, "name")})
		}
		s.days = append(s.days, days...)
		s.years = append(s.years, year)
	}
	slices.SortFunc(s.days, func(a, b Day) int { return int(a.Date - b.Date) })
	return nil
}
