package xlsx

import (
	"archive/zip"
	"bufio"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// ---- [Content_Types].xml -------------------------------------------------------

type contentTypes struct {
	data      []byte
	defaults  map[string]string // lower-case extension → content type
	overrides map[string]bool   // lower-case part name with its leading '/'
	closeAt   int               // offset of </Types>
	prefix    string
	added     []byte
}

func parseContentTypes(data []byte) (*contentTypes, error) {
	c := &contentTypes{data: data, defaults: map[string]string{}, overrides: map[string]bool{}, closeAt: -1}
	m := mscan{data: data}
	var t mtag
	depth := 0
	for m.next(&t) {
		switch {
		case t.close:
			depth--
			if depth == 0 {
				c.closeAt = t.start
			}
			continue
		case depth == 0:
			c.prefix = t.prefix()
			if t.empty {
				return nil, errors.New("no content types")
			}
		case t.is("Default"):
			e, _ := attrValue(t.attrs, "Extension")
			v, _ := attrValue(t.attrs, "ContentType")
			c.defaults[strings.ToLower(string(e))] = strings.ToLower(string(v))
		case t.is("Override"):
			p, _ := attrValue(t.attrs, "PartName")
			c.overrides[strings.ToLower("/"+normName(string(p)))] = true
		}
		if !t.empty {
			depth++
		}
	}
	if m.err != nil {
		return nil, m.err
	}
	if c.closeAt < 0 {
		return nil, errors.New("no </Types>")
	}
	return c, nil
}

// ensure adds an Override for a part unless it has one.
func (c *contentTypes) ensure(part, ct string) {
	name := "/" + part
	if c.overrides[strings.ToLower(name)] {
		return
	}
	c.overrides[strings.ToLower(name)] = true
	c.added = append(c.added, "<"+c.prefix+`Override PartName="`...)
	c.added = appendAttrEscaped(c.added, name)
	c.added = append(c.added, `" ContentType="`+ct+`"/>`...)
}

// ensureDefault makes ct the type of part by a Default for ext, or by an
// Override when the Default for ext says something else.
func (c *contentTypes) ensureDefault(ext, ct, part string) {
	switch d, ok := c.defaults[ext]; {
	case !ok:
		c.defaults[ext] = ct
		c.added = append(c.added, "<"+c.prefix+`Default Extension="`+ext+`" ContentType="`+ct+`"/>`...)
	case d != strings.ToLower(ct):
		c.ensure(part, ct)
	}
}

func (c *contentTypes) bytes() []byte {
	return splice(c.data, []edit{{at: c.closeAt, end: c.closeAt, text: c.added}})
}

// ---- relationships -----------------------------------------------------------

type relEntry struct {
	id, typ, target string
	external        bool
}

type relsDoc struct {
	data     []byte // nil for a new part
	rels     []relEntry
	ids      map[string]bool
	closeAt  int // offset of </Relationships>; -1 when the root is an empty element
	rootTag  [2]int
	prefix   string
	added    []byte
	next     int
	relsPart string
}

// readRels reads the relationships of part (rels may be nil: none yet).
func (fl *flagger) readRels(rels *zip.File, part string) (*relsDoc, error) {
	d := &relsDoc{ids: map[string]bool{}, closeAt: -1, relsPart: relsPath(part), next: 1}
	if rels == nil {
		return d, nil
	}
	data, err := fl.wb.readSmall(rels)
	if err != nil {
		return nil, err
	}
	d.data = data
	m := mscan{data: data}
	var t mtag
	depth := 0
	for m.next(&t) {
		switch {
		case t.close:
			depth--
			if depth == 0 {
				d.closeAt = t.start
			}
			continue
		case depth == 0:
			d.prefix, d.rootTag = t.prefix(), [2]int{t.start, t.end}
		case t.is("Relationship"):
			id, _ := attrValue(t.attrs, "Id")
			typ, _ := attrValue(t.attrs, "Type")
			target, _ := attrValue(t.attrs, "Target")
			mode, _ := attrValue(t.attrs, "TargetMode")
			e := relEntry{id: string(id), typ: string(typ), external: strings.EqualFold(string(mode), "External")}
			if !e.external {
				e.target = resolve(part, unescapeAttr(string(target)))
			}
			d.rels = append(d.rels, e)
			d.ids[e.id] = true
		}
		if !t.empty {
			depth++
		}
	}
	if m.err != nil {
		return nil, &Error{Problem: Corrupt, Detail: rels.Name + ": " + m.err.Error()}
	}
	if d.rootTag[1] == 0 {
		return nil, errorf(Corrupt, "%s has no root element", rels.Name)
	}
	return d, nil
}

// unescapeAttr decodes the entities of an attribute value.
func unescapeAttr(s string) string {
	if !strings.Contains(s, "&") {
		return s
	}
	return string(appendDecoded(nil, []byte(s)))
}

// add adds a relationship and returns its new, unused id.
func (d *relsDoc) add(typ, target string) string {
	id := ""
	for ; ; d.next++ {
		id = "rId" + strconv.Itoa(d.next)
		if !d.ids[id] {
			break
		}
	}
	d.ids[id] = true
	d.added = append(d.added, "<"+d.prefix+`Relationship Id="`+id+`" Type="`+typ+`" Target="`...)
	d.added = appendAttrEscaped(d.added, target)
	d.added = append(d.added, `"/>`...)
	return id
}

func (d *relsDoc) bytes() []byte {
	if d.data == nil {
		return []byte(xmlHeader + `<Relationships xmlns="` + nsPkgRel + `">` + string(d.added) + `</Relationships>`)
	}
	if d.closeAt < 0 {
		// <Relationships …/>
		root := d.data[d.rootTag[0]:d.rootTag[1]]
		var t mtag
		parseTag(root, &t)
		text := openTag(nil, root)
		text = append(text, d.added...)
		text = append(text, "</"+string(t.qname)+">"...)
		return splice(d.data, []edit{{at: d.rootTag[0], end: d.rootTag[1], text: text}})
	}
	return splice(d.data, []edit{{at: d.closeAt, end: d.closeAt, text: d.added}})
}

// ---- styles ------------------------------------------------------------------

// styleChildren is the order of the children of <styleSheet> (CT_Stylesheet).
var styleChildren = []string{"numFmts", "fonts", "fills", "borders", "cellStyleXfs", "cellXfs",
	"cellStyles", "dxfs", "tableStyles", "colors", "extLst"}

// styleList is one of <fonts>, <fills>, <cellXfs>.
type styleList struct {
	name     string
	found    bool
	tag      [2]int // the start tag
	empty    bool
	closeAt  int
	items    [][3]int // each child: start, end of its start tag, end
	defaults []string // children a missing list is created with
	added    []byte
	n        int // children, with those added
}

// stylePlan edits styles.xml: fills for the mark colours and the errors sheet,
// fonts for its header and links, and the new cell formats.
type stylePlan struct {
	data    []byte
	prefix  string
	rootEnd int            // offset of </styleSheet>
	top     map[string]int // offset of each child of <styleSheet>
	fonts   styleList
	fills   styleList
	xfs     styleList

	markFill []int // fill index of each mark colour
	headerXF int
	linkXF   int
	index    map[[2]int32]int32 // (original xf, colour) → new xf
}

func (fl *flagger) defaultStyles() string {
	return xmlHeader + `<styleSheet xmlns="` + fl.mainNS() + `">` +
		`<fonts count="1"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>` +
		`<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>` +
		`<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>` +
		`<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>` +
		`<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>` +
		`<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>` +
		`</styleSheet>`
}

func planStyles(data []byte, fl *flagger) (*stylePlan, error) {
	p := &stylePlan{data: data, top: map[string]int{}, rootEnd: -1, index: map[[2]int32]int32{}}
	p.fonts = styleList{name: "fonts", defaults: []string{`<{p}font><{p}sz val="11"/><{p}name val="Calibri"/><{p}family val="2"/></{p}font>`}}
	p.fills = styleList{name: "fills", defaults: []string{`<{p}fill><{p}patternFill patternType="none"/></{p}fill>`, `<{p}fill><{p}patternFill patternType="gray125"/></{p}fill>`}}
	p.xfs = styleList{name: "cellXfs", defaults: []string{`<{p}xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>`}}
	m := mscan{data: data}
	var t mtag
	depth := 0
	var list *styleList
	for m.next(&t) {
		if t.close {
			depth--
			switch depth {
			case 0:
				p.rootEnd = t.start
			case 1:
				if list != nil {
					list.closeAt = t.start
					list = nil
				}
			}
			continue
		}
		switch depth {
		case 0:
			p.prefix = t.prefix()
			if t.empty {
				return nil, errors.New("empty styleSheet")
			}
		case 1:
			if _, seen := p.top[string(t.name)]; !seen {
				p.top[string(t.name)] = t.start
			}
			for _, l := range []*styleList{&p.fonts, &p.fills, &p.xfs} {
				if t.is(l.name) && !l.found {
					l.found, l.tag, l.empty = true, [2]int{t.start, t.end}, t.empty
					if !t.empty {
						list = l
					}
				}
			}
		case 2:
			if list != nil {
				start, tagEnd := t.start, t.end
				end := m.elementEnd(&t)
				if end < 0 {
					return nil, errUnexpEOF
				}
				list.items = append(list.items, [3]int{start, tagEnd, end})
				continue // elementEnd consumed the element
			}
		}
		if !t.empty {
			depth++
		}
	}
	if m.err != nil {
		return nil, m.err
	}
	if p.rootEnd < 0 {
		return nil, errors.New("no </styleSheet>")
	}
	for _, l := range []*styleList{&p.fonts, &p.fills, &p.xfs} {
		l.n = len(l.items)
		if !l.found {
			l.n = len(l.defaults)
		}
	}

	// The errors sheet's header and link formats.
	font0 := p.font0()
	bold := p.addFont(font0, []string{"b"}, map[string]string{"b": "<" + p.prefix + "b/>"})
	link := p.addFont(font0, []string{"u", "color"}, map[string]string{"u": "<" + p.prefix + "u/>", "color": "<" + p.prefix + `color rgb="FF0563C1"/>`})
	grey := p.addFill("FFDDDDDD")
	p.headerXF = p.addXF(fmt.Sprintf(`<%sxf numFmtId="0" fontId="%d" fillId="%d" borderId="0" xfId="0" applyFont="1" applyFill="1"/>`, p.prefix, bold, grey))
	p.linkXF = p.addXF(fmt.Sprintf(`<%sxf numFmtId="0" fontId="%d" fillId="0" borderId="0" xfId="0" applyFont="1"/>`, p.prefix, link))
	for _, c := range fl.fills {
		p.markFill = append(p.markFill, p.addFill(c))
	}
	return p, nil
}

// font0 returns the content of the first font (the workbook's default).
func (p *stylePlan) font0() []byte {
	if !p.fonts.found || len(p.fonts.items) == 0 {
		return []byte(strings.ReplaceAll(`<{p}sz val="11"/><{p}name val="Calibri"/><{p}family val="2"/>`, "{p}", p.prefix))
	}
	it := p.fonts.items[0]
	if it[1] == it[2] { // <font/>
		return nil
	}
	inner := p.data[it[1]:it[2]]
	if i := strings.LastIndexByte(string(inner), '<'); i >= 0 {
		inner = inner[:i]
	}
	return inner
}

// fontOrder is the order in which Excel writes the children of <font>. The
// schema allows any order, but the Open XML SDK's validator expects this one.
var fontOrder = map[string]int{"b": 0, "i": 1, "strike": 2, "condense": 3, "extend": 4, "outline": 5,
	"shadow": 6, "u": 7, "vertAlign": 8, "sz": 9, "color": 10, "name": 11, "family": 12, "charset": 13, "scheme": 14}

// addFont adds a copy of the default font's content, without its children named
// in drop and with the elements add (local name → element text), in Excel's
// order.
func (p *stylePlan) addFont(content []byte, drop []string, add map[string]string) int {
	type child struct {
		rank int
		text []byte
	}
	var children []child
	rank := func(name string) int {
		if r, ok := fontOrder[name]; ok {
			return r
		}
		return len(fontOrder)
	}
	m := mscan{data: content}
	var t mtag
	for m.next(&t) {
		if t.close {
			continue
		}
		start := t.start
		end := m.elementEnd(&t)
		if end < 0 {
			break
		}
		if !slices.Contains(drop, string(t.name)) {
			children = append(children, child{rank(string(t.name)), content[start:end]})
		}
	}
	for name, text := range add {
		children = append(children, child{rank(name), []byte(text)})
	}
	slices.SortStableFunc(children, func(a, b child) int { return a.rank - b.rank })
	b := []byte("<" + p.prefix + "font>")
	for _, c := range children {
		b = append(b, c.text...)
	}
	b = append(b, "</"+p.prefix+"font>"...)
	p.fonts.added = append(p.fonts.added, b...)
	p.fonts.n++
	return p.fonts.n - 1
}

func (p *stylePlan) addFill(argb string) int {
	q := p.prefix
	p.fills.added = append(p.fills.added, "<"+q+"fill><"+q+`patternFill patternType="solid"><`+q+`fgColor rgb="`+argb+`"/><`+q+`bgColor indexed="64"/></`+q+"patternFill></"+q+"fill>"...)
	p.fills.n++
	return p.fills.n - 1
}

func (p *stylePlan) addXF(xf string) int {
	p.xfs.added = append(p.xfs.added, xf...)
	p.xfs.n++
	return p.xfs.n - 1
}

// styleFor returns the cell format that is xf with fill colour k.
func (p *stylePlan) styleFor(xf, k int) int {
	key := [2]int32{int32(min(xf, math.MaxInt32)), int32(k)}
	if i, ok := p.index[key]; ok {
		return int(i)
	}
	fill := strconv.Itoa(p.markFill[k])
	var b []byte
	if p.xfs.found && xf >= 0 && xf < len(p.xfs.items) {
		it := p.xfs.items[xf]
		b = editTag(nil, p.data[it[0]:it[1]], "fillId", []byte(fill), false)
		b = editTag(nil, b, "applyFill", []byte("1"), false)
		b = append(b, p.data[it[1]:it[2]]...)
	} else {
		b = []byte(`<` + p.prefix + `xf numFmtId="0" fontId="0" fillId="` + fill + `" borderId="0" xfId="0" applyFill="1"/>`)
	}
	n := p.addXF(string(b))
	p.index[key] = int32(n)
	return n
}

// bytes returns styles.xml with the additions.
func (p *stylePlan) bytes() []byte {
	var edits []edit
	for _, l := range []*styleList{&p.fonts, &p.fills, &p.xfs} {
		count := []byte(strconv.Itoa(l.n))
		switch {
		case !l.found:
			text := []byte("<" + p.prefix + l.name + ` count="` + string(count) + `">`)
			for _, d := range l.defaults {
				text = append(text, strings.ReplaceAll(d, "{p}", p.prefix)...)
			}
			text = append(text, l.added...)
			text = append(text, "</"+p.prefix+l.name+">"...)
			edits = append(edits, edit{at: p.insertPoint(l.name), end: p.insertPoint(l.name), text: text})
		case l.empty:
			tag := p.data[l.tag[0]:l.tag[1]]
			text := openTag(nil, editTag(nil, tag, "count", count, false))
			text = append(text, l.added...)
			var t mtag
			parseTag(tag, &t)
			text = append(text, "</"+string(t.qname)+">"...)
			edits = append(edits, edit{at: l.tag[0], end: l.tag[1], text: text})
		default:
			tag := p.data[l.tag[0]:l.tag[1]]
			var t mtag
			parseTag(tag, &t)
			if _, ok := attrValue(t.attrs, "count"); ok {
				edits = append(edits, edit{at: l.tag[0], end: l.tag[1], text: editTag(nil, tag, "count", count, false)})
			}
			edits = append(edits, edit{at: l.closeAt, end: l.closeAt, text: l.added})
		}
	}
	return splice(p.data, edits)
}

// insertPoint returns where a missing child of <styleSheet> goes: before the
// first child that follows it in CT_Stylesheet, or before </styleSheet>.
func (p *stylePlan) insertPoint(name string) int {
	after := false
	at := p.rootEnd
	for _, n := range styleChildren {
		if n == name {
			after = true
			continue
		}
		if after {
			if off, ok := p.top[n]; ok && off < at {
				at = off
			}
		}
	}
	return at
}

// ---- workbook.xml --------------------------------------------------------------

// editWorkbook adds the errors sheet first in <sheets>, makes it the active tab,
// and shifts the definedName sheet indexes.
func (fl *flagger) editWorkbook(data []byte) ([]byte, error) {
	m := mscan{data: data}
	var t mtag
	var edits []edit
	depth, maxID, sheetsAt := 0, 0, -1
	sheetsPrefix, relAttr := "", ""
	for m.next(&t) {
		if t.close {
			depth--
			continue
		}
		tag := data[t.start:t.end]
		switch {
		case depth == 0:
			if p, ok := nsPrefix(t.attrs, nsRel, nsStrictRel); ok {
				relAttr = p + ":id"
			}
		case t.is("sheets") && depth == 1:
			sheetsAt, sheetsPrefix = t.end, t.prefix()
			if t.empty {
				return nil, errorf(NoSheets, "the workbook lists no sheets")
			}
		case t.is("sheet"):
			if v, ok := attrValue(t.attrs, "sheetId"); ok {
				if n, ok := parseUint(v, math.MaxInt32); ok {
					maxID = max(maxID, n)
				}
			}
		case t.is("workbookView"):
			text := tag
			for _, a := range []string{"activeTab", "firstSheet"} {
				if _, ok := attrValue(t.attrs, a); ok {
					text = editTag(nil, text, a, []byte("0"), false)
				}
			}
			edits = append(edits, edit{at: t.start, end: t.end, text: text})
		case t.is("definedName"):
			if v, ok := attrValue(t.attrs, "localSheetId"); ok {
				if n, ok := parseUint(v, math.MaxInt32-1); ok {
					edits = append(edits, edit{at: t.start, end: t.end,
						text: editTag(nil, tag, "localSheetId", appendInt(nil, n+1), false)})
				}
			}
		}
		if !t.empty {
			depth++
		}
	}
	if m.err != nil {
		return nil, &Error{Problem: Corrupt, Detail: fl.wbFile.Name + ": " + m.err.Error()}
	}
	if sheetsAt < 0 {
		return nil, errorf(NoSheets, "the workbook lists no sheets")
	}
	b := []byte("<" + sheetsPrefix + `sheet name="`)
	b = appendAttrEscaped(b, fl.errorsName)
	b = append(b, `" sheetId="`...)
	b = appendInt(b, maxID+1)
	b = append(b, '"', ' ')
	if relAttr == "" {
		b = append(b, `xmlns:r="`+fl.relNS()+`" `...)
		relAttr = "r:id"
	}
	b = append(b, relAttr+`="`+fl.errorsRelID+`"/>`...)
	edits = append(edits, edit{at: sheetsAt, end: sheetsAt, text: b})
	return splice(data, edits), nil
}

// ---- new parts -----------------------------------------------------------------

// cutText makes s valid UTF-8 of at most maxCellChars UTF-16 code units.
func cutText(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	if len(s) <= maxCellChars {
		return s
	}
	n := 0
	for i, r := range s {
		w := 1
		if r > 0xFFFF {
			w = 2
		}
		if n+w > maxCellChars {
			return s[:i]
		}
		n += w
	}
	return s
}

func (fl *flagger) writeErrorsSheet(w *bufio.Writer) error {
	rows := fl.errRows
	ncols := 0
	for _, r := range rows {
		ncols = max(ncols, len(r))
	}
	b := make([]byte, 0, 64<<10)
	b = append(b, xmlHeader+`<worksheet xmlns="`+fl.mainNS()+`" xmlns:r="`+fl.relNS()+`"><dimension ref="A1`...)
	if len(rows) > 0 && ncols > 0 {
		b = append(b, ':')
		b = appendCellName(b, ncols-1, len(rows))
	}
	b = append(b, `"/><sheetViews><sheetView tabSelected="1" workbookViewId="0">`...)
	if len(rows) > 1 {
		b = append(b, `<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft" activeCell="A2" sqref="A2"/>`...)
	}
	b = append(b, `</sheetView></sheetViews><sheetFormatPr defaultRowHeight="15"/>`...)
	open := false
	for i, wd := range fl.colWidths {
		if wd <= 0 || math.IsNaN(wd) || math.IsInf(wd, 0) || i >= excelMaxCols {
			continue
		}
		if !open {
			b = append(b, "<cols>"...)
			open = true
		}
		b = append(b, `<col min="`...)
		b = appendInt(b, i+1)
		b = append(b, `" max="`...)
		b = appendInt(b, i+1)
		b = append(b, `" width="`...)
		b = strconv.AppendFloat(b, min(wd, 255), 'f', -1, 64)
		b = append(b, `" customWidth="1"/>`...)
	}
	if open {
		b = append(b, "</cols>"...)
	}
	b = append(b, "<sheetData>"...)
	links := 0
	for i, row := range rows {
		r := i + 1
		b = append(b, `<row r="`...)
		b = appendInt(b, r)
		b = append(b, `">`...)
		for col, c := range row {
			if c.empty() {
				continue
			}
			num := c.isNum()
			style := 0
			switch {
			case i == 0:
				style = fl.styles.headerXF
			case c.Link != "" && links < maxHyperlinks:
				style = fl.styles.linkXF
			}
			if c.Link != "" {
				links++
			}
			b = append(b, `<c r="`...)
			b = appendCellName(b, col, r)
			b = append(b, '"')
			if style != 0 {
				b = append(b, ` s="`...)
				b = appendInt(b, style)
				b = append(b, '"')
			}
			if num {
				b = append(b, "><v>"...)
				b = appendNumber(b, c.Number)
				b = append(b, "</v></c>"...)
			} else {
				b = append(b, ` t="inlineStr"><is>`...)
				b = appendT(b, cutText(c.Text))
				b = append(b, "</is></c>"...)
			}
		}
		b = append(b, "</row>"...)
		if len(b) > 32<<10 {
			if _, err := w.Write(b); err != nil {
				return fmt.Errorf("xlsx: flag: write: %w", err)
			}
			b = b[:0]
		}
	}
	b = append(b, "</sheetData>"...)
	if links > 0 {
		b = append(b, "<hyperlinks>"...)
		links = 0
	linking:
		for i, row := range rows {
			for col, c := range row {
				if c.Link == "" || c.empty() {
					continue
				}
				if links++; links > maxHyperlinks {
					break linking
				}
				b = append(b, `<hyperlink ref="`...)
				b = appendCellName(b, col, i+1)
				b = append(b, `" location="`...)
				b = appendAttrEscaped(b, cutText(c.Link))
				if c.Text != "" {
					b = append(b, `" display="`...)
					b = appendAttrEscaped(b, cutText(c.Text))
				}
				b = append(b, `"/>`...)
				if len(b) > 32<<10 {
					if _, err := w.Write(b); err != nil {
						return fmt.Errorf("xlsx: flag: write: %w", err)
					}
					b = b[:0]
				}
			}
		}
		b = append(b, "</hyperlinks>"...)
	}
	b = append(b, `<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>`...)
	if _, err := w.Write(b); err != nil {
		return fmt.Errorf("xlsx: flag: write: %w", err)
	}
	return nil
}

func (c *ErrCell) isNum() bool {
	return c.IsNumber && !math.IsNaN(c.Number) && !math.IsInf(c.Number, 0)
}

func (c *ErrCell) empty() bool { return !c.isNum() && c.Text == "" }

// appendT appends <t>s</t>, preserving spaces when it needs to.
func appendT(b []byte, s string) []byte {
	if len(s) > 0 && (isSpace(s[0]) || isSpace(s[len(s)-1])) {
		b = append(b, `<t xml:space="preserve">`...)
	} else {
		b = append(b, `<t>`...)
	}
	b = appendEscaped(b, s)
	return append(b, `</t>`...)
}

func (fl *flagger) writeComments(w *bufio.Writer) error {
	b := make([]byte, 0, 64<<10)
	b = append(b, xmlHeader+`<comments xmlns="`+fl.mainNS()+`"><authors><author>`+CommentAuthor+`</author></authors><commentList>`...)
	for _, m := range fl.marks {
		if m.Comment == "" {
			continue
		}
		b = append(b, `<comment ref="`...)
		b = appendCellName(b, m.Col, m.Row)
		b = append(b, `" authorId="0"><text><t xml:space="preserve">`...)
		b = appendEscaped(b, cutText(m.Comment))
		b = append(b, `</t></text></comment>`...)
		if len(b) > 32<<10 {
			if _, err := w.Write(b); err != nil {
				return fmt.Errorf("xlsx: flag: write: %w", err)
			}
			b = b[:0]
		}
	}
	b = append(b, `</commentList></comments>`...)
	if _, err := w.Write(b); err != nil {
		return fmt.Errorf("xlsx: flag: write: %w", err)
	}
	return nil
}

// writeVML writes the legacy drawing with one hidden note shape per comment, in
// the form Excel writes. Shape ids run from 1024 × the first block + 1; o:idmap
// lists every block of 1,024 ids they use.
func (fl *flagger) writeVML(w *bufio.Writer) error {
	b := make([]byte, 0, 64<<10)
	b = append(b, `<xml xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:x="urn:schemas-microsoft-com:office:excel">`+
		`<o:shapelayout v:ext="edit"><o:idmap v:ext="edit" data="`...)
	blocks := fl.comments/1024 + 1
	for i := 0; i < blocks; i++ {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendInt(b, fl.vmlBlock+i)
	}
	b = append(b, `"/></o:shapelayout>`+
		`<v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202" path="m,l,21600r21600,l21600,xe">`+
		`<v:stroke joinstyle="miter"/><v:path gradientshapeok="t" o:connecttype="rect"/></v:shapetype>`...)
	n := 0
	for _, m := range fl.marks {
		if m.Comment == "" {
			continue
		}
		n++
		// The note box: three columns to the right of the cell, eight rows from
		// the row above it (Excel shows it on hover, so this is only its size).
		c1, c2 := m.Col+1, m.Col+4
		if c2 >= excelMaxCols {
			c1, c2 = max(m.Col-4, 0), max(m.Col-1, 0)
		}
		r1 := max(m.Row-2, 0)
		r2 := min(r1+8, excelMaxRows-1)
		b = append(b, `<v:shape id="_x0000_s`...)
		b = appendInt(b, fl.vmlBlock*1024+n)
		b = append(b, `" type="#_x0000_t202" style="position:absolute;margin-left:59.25pt;margin-top:1.5pt;width:240pt;height:120pt;z-index:`...)
		b = appendInt(b, n)
		b = append(b, `;visibility:hidden" fillcolor="#ffffe1" o:insetmode="auto"><v:fill color2="#ffffe1"/>`+
			`<v:shadow on="t" color="black" obscured="t"/><v:path o:connecttype="none"/>`+
			`<v:textbox style="mso-direction-alt:auto"><div style="text-align:left"></div></v:textbox>`+
			`<x:ClientData ObjectType="Note"><x:MoveWithCells/><x:SizeWithCells/><x:Anchor>`...)
		for i, v := range [8]int{c1, 15, r1, 10, c2, 15, r2, 4} {
			if i > 0 {
				b = append(b, ", "...)
			}
			b = appendInt(b, v)
		}
		b = append(b, `</x:Anchor><x:AutoFill>False</x:AutoFill><x:Row>`...)
		b = appendInt(b, m.Row-1)
		b = append(b, `</x:Row><x:Column>`...)
		b = appendInt(b, m.Col)
		b = append(b, `</x:Column></x:ClientData></v:shape>`...)
		if len(b) > 32<<10 {
			if _, err := w.Write(b); err != nil {
				return fmt.Errorf("xlsx: flag: write: %w", err)
			}
			b = b[:0]
		}
	}
	b = append(b, `</xml>`...)
	if _, err := w.Write(b); err != nil {
		return fmt.Errorf("xlsx: flag: write: %w", err)
	}
	return nil
}
