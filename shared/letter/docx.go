package letter

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"time"
)

// zipTime is the modification time of every part: the earliest a zip can say, so
// the same letter gives the same bytes.
var zipTime = time.Date(1980, time.January, 1, 0, 0, 0, 0, time.UTC)

// Page geometry (A4, margins 30/15/20/20 mm) in twentieths of a point.
const (
	pageW, pageH  = 11906, 16838
	marginL       = 1701
	marginR       = 850
	marginTB      = 1134
	headerFooterY = 567
)

const (
	nsW   = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
	nsR   = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
	nsPR  = "http://schemas.openxmlformats.org/package/2006/relationships"
	xmlPI = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n"
)

// DOCX writes the letter as an Office Open XML document: the Kazakh text, a page
// break, the Russian text. A draft carries "ЖОБА / ПРОЕКТ" on top of both texts and
// in the header of every page. The same Data gives the same bytes.
func DOCX(w io.Writer, d Data) error {
	draft := d.Draft()
	kk, ru := build(&d, "kk"), build(&d, "ru")

	var x xw
	x.WriteString(xmlPI + `<w:document xmlns:w="` + nsW + `" xmlns:r="` + nsR + `"><w:body>`)
	x.lang = "kk-KZ"
	x.blocks(kk)
	x.WriteString(`<w:p><w:r><w:br w:type="page"/></w:r></w:p>`)
	x.lang = "ru-RU"
	x.blocks(ru)
	x.WriteString(`<w:sectPr>`)
	if draft {
		x.WriteString(`<w:headerReference w:type="default" r:id="rId4"/>`)
	}
	x.WriteString(`<w:footerReference w:type="default" r:id="rId3"/>`)
	fmt.Fprintf(&x, `<w:pgSz w:w="%d" w:h="%d"/>`, pageW, pageH)
	fmt.Fprintf(&x, `<w:pgMar w:top="%d" w:right="%d" w:bottom="%d" w:left="%d" w:header="%d" w:footer="%d" w:gutter="0"/>`,
		marginTB, marginR, marginTB, marginL, headerFooterY, headerFooterY)
	x.WriteString(`</w:sectPr></w:body></w:document>`)

	types := contentTypesXML
	rels := documentRelsXML
	var header xw
	if draft {
		types += `<Override PartName="/word/header1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/>`
		rels += `<Relationship Id="rId4" Type="` + nsR + `/header" Target="header1.xml"/>`
		header.WriteString(xmlPI + `<w:hdr xmlns:w="` + nsW + `" xmlns:r="` + nsR + `">`)
		header.lang = "kk-KZ"
		header.para("Header", "", run{text: text("draft", "kk")})
		header.WriteString(`</w:hdr>`)
	}
	types += `</Types>`
	rels += `</Relationships>`

	var core xw
	core.WriteString(xmlPI + `<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">`)
	core.element("dc:title", subject(&d, "kk")+" / "+subject(&d, "ru"))
	core.element("dc:creator", in(d.Agency, "kk"))
	if !draft {
		core.element("dc:identifier", d.Number)
	}
	core.element("dc:language", "kk-KZ")
	core.WriteString(`</cp:coreProperties>`)

	zw := zip.NewWriter(w)
	parts := []struct {
		name string
		body []byte
	}{
		{"[Content_Types].xml", []byte(types)},
		{"_rels/.rels", []byte(rootRelsXML)},
		{"docProps/core.xml", core.Bytes()},
		{"word/document.xml", x.Bytes()},
		{"word/_rels/document.xml.rels", []byte(rels)},
		{"word/styles.xml", []byte(stylesXML)},
		{"word/settings.xml", []byte(settingsXML)},
		{"word/footer1.xml", []byte(footerXML)},
	}
	if draft {
		parts = append(parts, struct {
			name string
			body []byte
		}{"word/header1.xml", header.Bytes()})
	}
	for _, p := range parts {
		f, err := zw.CreateHeader(&zip.FileHeader{Name: p.name, Method: zip.Deflate, Modified: zipTime})
		if err != nil {
			return fmt.Errorf("letter: docx: %w", err)
		}
		if _, err := f.Write(p.body); err != nil {
			return fmt.Errorf("letter: docx: %w", err)
		}
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("letter: docx: %w", err)
	}
	return nil
}

// subject returns the subject line in lang.
func subject(d *Data, lang string) string {
	b := &doc{d: d, lang: lang}
	return b.t("subject", "month", b.month(), "year", b.year())
}

// xw builds WordprocessingML; lang tags the runs for spelling.
type xw struct {
	bytes.Buffer
	lang string
}

// esc writes s escaped as XML character data (line breaks folded to spaces;
// characters XML cannot hold become U+FFFD).
func (x *xw) esc(s string) { _ = xml.EscapeText(&x.Buffer, []byte(oneLine(s))) }

func (x *xw) element(name, s string) {
	x.WriteString("<" + name + ">")
	x.esc(s)
	x.WriteString("</" + name + ">")
}

type run struct {
	text string
	bold bool
}

func (x *xw) run(r run) {
	x.WriteString(`<w:r><w:rPr>`)
	if r.bold {
		x.WriteString(`<w:b/><w:bCs/>`)
	}
	x.WriteString(`<w:lang w:val="` + x.lang + `"/></w:rPr><w:t xml:space="preserve">`)
	x.esc(r.text)
	x.WriteString(`</w:t></w:r>`)
}

// para writes a paragraph of style; jc ("", "right") aligns it.
func (x *xw) para(style, jc string, runs ...run) {
	x.WriteString(`<w:p><w:pPr><w:pStyle w:val="` + style + `"/>`)
	if jc != "" {
		x.WriteString(`<w:jc w:val="` + jc + `"/>`)
	}
	x.WriteString(`</w:pPr>`)
	for _, r := range runs {
		x.run(r)
	}
	x.WriteString(`</w:p>`)
}

var styleIDs = map[style]string{
	sDraft:   "Draft",
	sMeta:    "Meta",
	sSubject: "Subject",
	sBody:    "Body",
	sHeading: "Heading",
	sFact:    "Fact",
	sNote:    "Note",
	sSign:    "Sign",
	sContact: "Contact",
}

func (x *xw) blocks(bs []block) {
	for _, bl := range bs {
		switch {
		case bl.table != nil:
			x.table(bl.table)
		case bl.style == sFact:
			x.para("Fact", "", run{text: bl.label + ": ", bold: true}, run{text: bl.text})
		default:
			x.para(styleIDs[bl.style], "", run{text: bl.text})
		}
	}
}

func (x *xw) table(tb *table) {
	total := 0
	for _, c := range tb.cols {
		total += c.width
	}
	x.WriteString(`<w:tbl><w:tblPr>`)
	fmt.Fprintf(x, `<w:tblW w:w="%d" w:type="dxa"/>`, total)
	x.WriteString(`<w:tblBorders>`)
	for _, side := range []string{"top", "left", "bottom", "right", "insideH", "insideV"} {
		x.WriteString(`<w:` + side + ` w:val="single" w:sz="4" w:space="0" w:color="000000"/>`)
	}
	x.WriteString(`</w:tblBorders><w:tblLayout w:type="fixed"/>`)
	x.WriteString(`<w:tblCellMar><w:left w:w="57" w:type="dxa"/><w:right w:w="57" w:type="dxa"/></w:tblCellMar>`)
	x.WriteString(`<w:tblLook w:val="0020" w:firstRow="1" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" w:noHBand="1" w:noVBand="1"/>`)
	x.WriteString(`</w:tblPr><w:tblGrid>`)
	for _, c := range tb.cols {
		x.WriteString(`<w:gridCol w:w="` + strconv.Itoa(c.width) + `"/>`)
	}
	x.WriteString(`</w:tblGrid>`)
	row := func(cells []string, head, bold bool) {
		x.WriteString(`<w:tr><w:trPr><w:cantSplit/>`)
		if head {
			x.WriteString(`<w:tblHeader/>`)
		}
		x.WriteString(`</w:trPr>`)
		for i, c := range tb.cols {
			x.WriteString(`<w:tc><w:tcPr><w:tcW w:w="` + strconv.Itoa(c.width) + `" w:type="dxa"/>`)
			if head {
				x.WriteString(`<w:shd w:val="clear" w:color="auto" w:fill="D9D9D9"/>`)
			}
			x.WriteString(`</w:tcPr>`)
			jc := ""
			if c.right {
				jc = "right"
			}
			x.para("Cell", jc, run{text: cells[i], bold: head || bold})
			x.WriteString(`</w:tc>`)
		}
		x.WriteString(`</w:tr>`)
	}
	heads := make([]string, len(tb.cols))
	for i, c := range tb.cols {
		heads[i] = c.head
	}
	row(heads, true, false)
	for i, r := range tb.rows {
		row(r, false, tb.boldLast && i == len(tb.rows)-1)
	}
	x.WriteString(`</w:tbl>`)
	// A paragraph after a table keeps two tables apart and gives room before the
	// next heading.
	x.para("Cell", "")
}

const contentTypesXML = xmlPI + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
	`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
	`<Default Extension="xml" ContentType="application/xml"/>` +
	`<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>` +
	`<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>` +
	`<Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>` +
	`<Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>` +
	`<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>`

const rootRelsXML = xmlPI + `<Relationships xmlns="` + nsPR + `">` +
	`<Relationship Id="rId1" Type="` + nsR + `/officeDocument" Target="word/document.xml"/>` +
	`<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>` +
	`</Relationships>`

const documentRelsXML = xmlPI + `<Relationships xmlns="` + nsPR + `">` +
	`<Relationship Id="rId1" Type="` + nsR + `/styles" Target="styles.xml"/>` +
	`<Relationship Id="rId2" Type="` + nsR + `/settings" Target="settings.xml"/>` +
	`<Relationship Id="rId3" Type="` + nsR + `/footer" Target="footer1.xml"/>`

const settingsXML = xmlPI + `<w:settings xmlns:w="` + nsW + `">` +
	`<w:defaultTabStop w:val="709"/>` +
	`<w:characterSpacingControl w:val="doNotCompress"/>` +
	`<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>` +
	`</w:settings>`

const footerXML = xmlPI + `<w:ftr xmlns:w="` + nsW + `" xmlns:r="` + nsR + `">` +
	`<w:p><w:pPr><w:pStyle w:val="Footer"/></w:pPr><w:fldSimple w:instr=" PAGE "><w:r><w:t>1</w:t></w:r></w:fldSimple></w:p>` +
	`</w:ftr>`

// stylesXML: Times New Roman 12 pt; the paragraph styles of the letter.
const stylesXML = xmlPI + `<w:styles xmlns:w="` + nsW + `">` +
	`<w:docDefaults><w:rPrDefault><w:rPr>` +
	`<w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:eastAsia="Times New Roman" w:cs="Times New Roman"/>` +
	`<w:sz w:val="24"/><w:szCs w:val="24"/><w:lang w:val="ru-RU" w:eastAsia="ru-RU" w:bidi="ar-SA"/>` +
	`</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults>` +
	`<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>` +
	`<w:style w:type="paragraph" w:customStyle="1" w:styleId="Draft"><w:name w:val="Letter Draft"/><w:basedOn w:val="Normal"/><w:next w:val="Meta"/>` +
	`<w:pPr><w:spacing w:after="240"/><w:jc w:val="center"/></w:pPr><w:rPr><w:b/><w:bCs/><w:color w:val="C00000"/><w:sz w:val="32"/><w:szCs w:val="32"/></w:rPr></w:style>` +
	`<w:style w:type="paragraph" w:customStyle="1" w:styleId="Meta"><w:name w:val="Letter Header"/><w:basedOn w:val="Normal"/></w:style>` +
	`<w:style w:type="paragraph" w:customStyle="1" w:styleId="Subject"><w:name w:val="Letter Subject"/><w:basedOn w:val="Normal"/><w:next w:val="Body"/>` +
	`<w:pPr><w:keepNext/><w:spacing w:before="360" w:after="240"/></w:pPr><w:rPr><w:b/><w:bCs/></w:rPr></w:style>` +
	`<w:style w:type="paragraph" w:customStyle="1" w:styleId="Body"><w:name w:val="Letter Body"/><w:basedOn w:val="Normal"/>` +
	`<w:pPr><w:spacing w:after="120"/><w:ind w:firstLine="709"/><w:jc w:val="both"/></w:pPr></w:style>` +
	`<w:style w:type="paragraph" w:customStyle="1" w:styleId="Heading"><w:name w:val="Letter Heading"/><w:basedOn w:val="Normal"/>` +
	`<w:pPr><w:keepNext/><w:spacing w:before="240" w:after="120"/></w:pPr><w:rPr><w:b/><w:bCs/></w:rPr></w:style>` +
	`<w:style w:type="paragraph" w:customStyle="1" w:styleId="Fact"><w:name w:val="Letter Fact"/><w:basedOn w:val="Normal"/></w:style>` +
	`<w:style w:type="paragraph" w:customStyle="1" w:styleId="Note"><w:name w:val="Letter Note"/><w:basedOn w:val="Normal"/>` +
	`<w:pPr><w:spacing w:after="120"/></w:pPr><w:rPr><w:i/><w:iCs/><w:sz w:val="20"/><w:szCs w:val="20"/></w:rPr></w:style>` +
	`<w:style w:type="paragraph" w:customStyle="1" w:styleId="Sign"><w:name w:val="Letter Signature"/><w:basedOn w:val="Normal"/>` +
	`<w:pPr><w:spacing w:before="480"/></w:pPr></w:style>` +
	`<w:style w:type="paragraph" w:customStyle="1" w:styleId="Contact"><w:name w:val="Letter Contact"/><w:basedOn w:val="Normal"/>` +
	`<w:pPr><w:spacing w:before="240"/></w:pPr><w:rPr><w:sz w:val="20"/><w:szCs w:val="20"/></w:rPr></w:style>` +
	`<w:style w:type="paragraph" w:customStyle="1" w:styleId="Cell"><w:name w:val="Letter Table Cell"/><w:basedOn w:val="Normal"/>` +
	`<w:rPr><w:sz w:val="20"/><w:szCs w:val="20"/></w:rPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="Header"><w:name w:val="header"/><w:basedOn w:val="Normal"/>` +
	`<w:pPr><w:jc w:val="center"/></w:pPr><w:rPr><w:b/><w:bCs/><w:color w:val="C00000"/></w:rPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="Footer"><w:name w:val="footer"/><w:basedOn w:val="Normal"/>` +
	`<w:pPr><w:jc w:val="center"/></w:pPr><w:rPr><w:sz w:val="20"/><w:szCs w:val="20"/></w:rPr></w:style>` +
	`</w:styles>`
