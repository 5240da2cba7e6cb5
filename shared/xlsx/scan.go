package xlsx

import (
	"bytes"
	"errors"
	"io"
	"unicode/utf8"
)

// The byte scanner below reads XML the way the worksheet and shared-string parts
// are written: a stream of tags and character data. It finds '<' with
// bytes.IndexByte over a fixed buffer, parses a tag's name and attribute text in
// place, and decodes character data (entities, CDATA, CR/LF) straight into the
// caller's buffer. It does not validate XML; it only needs to read correctly what
// Excel and other writers produce, and to stop on anything it cannot read.
//
// Namespaces are told apart by prefix: the prefixes the root element declares, and
// those a prefixed tag declares when its prefix is not known yet (how Excel writes
// extension elements). An undeclared prefix, or none without a default namespace,
// counts as SpreadsheetML. Declarations on other elements are not tracked: they
// occur in extensions (extLst), which the readers skip whole.

const scanBufSize = 64 << 10 // a tag must fit in the buffer

// maxText bounds one text node, decoded. Excel's own cell limit is 32,767
// characters (at most ~128 KiB of UTF-8).
const maxText = 1 << 20

var (
	errTagTooLong  = errors.New("XML tag longer than 64 KiB")
	errTextTooLong = errors.New("XML text node longer than 1 MiB")
	errUnexpEOF    = errors.New("XML ends in the middle of a tag")
)

// scanner reads tags and text from r through a fixed buffer.
type scanner struct {
	r        io.Reader
	buf      []byte
	pos, end int
	eof      bool
	err      error // sticky: a read error, or a scanning error

	// emit, when set, receives the bytes buf[mark:pos] that fill is about to
	// drop: the flagger uses it to copy its input through unchanged, moving mark
	// past what it wrote differently. mark never exceeds pos.
	emit func([]byte)
	mark int

	rooted bool       // the root element's declarations have been read
	defNS  nsKind     // the default namespace
	decls  []prefixNS // declared prefixes, latest last
}

type prefixNS struct {
	prefix string
	ns     nsKind
}

// nsKind classifies an element's namespace.
type nsKind uint8

const (
	kindMain  nsKind = iota // SpreadsheetML, transitional or strict
	kindMCE                 // markup compatibility (mc:AlternateContent)
	kindOther               // anything else
)

func kindOf(uri []byte) nsKind {
	switch string(uri) {
	case nsMain, nsStrictMain:
		return kindMain
	case nsMCE:
		return kindMCE
	}
	return kindOther
}

// maxDecls bounds the prefixes remembered from a part.
const maxDecls = 64

func (s *scanner) reset(r io.Reader) {
	if s.buf == nil {
		s.buf = make([]byte, scanBufSize)
	}
	s.r, s.pos, s.end, s.eof, s.err, s.mark = r, 0, 0, false, nil, 0
	s.rooted, s.defNS, s.decls = false, kindMain, s.decls[:0]
}

// fill moves the unread bytes to the front of the buffer and reads more. It reports
// whether bytes were added; false means end of input, an error, or a full buffer.
func (s *scanner) fill() bool {
	if s.err != nil || s.eof {
		return false
	}
	if s.pos > 0 {
		if s.emit != nil {
			if s.mark < s.pos {
				s.emit(s.buf[s.mark:s.pos])
			}
			s.mark = 0
		}
		n := copy(s.buf, s.buf[s.pos:s.end])
		s.pos, s.end = 0, n
	}
	if s.end == len(s.buf) {
		return false
	}
	for tries := 0; tries < 100; tries++ {
		n, err := s.r.Read(s.buf[s.end:])
		s.end += n
		if err != nil {
			if err == io.EOF {
				s.eof = true
			} else {
				s.err = err
			}
			return n > 0
		}
		if n > 0 {
			return true
		}
	}
	s.err = io.ErrNoProgress
	return false
}

// ensure tries to have n unread bytes in the buffer; it reports whether it does.
func (s *scanner) ensure(n int) bool {
	for s.end-s.pos < n {
		if !s.fill() {
			return false
		}
	}
	return true
}

// fail records a scanning error unless a read error came first.
func (s *scanner) fail(err error) {
	if s.err == nil {
		s.err = err
	}
}

// tag is one element tag. name and attrs point into the scanner's buffer and are
// valid until the scanner moves on.
type tag struct {
	name  []byte // local name, without a namespace prefix
	attrs []byte // the raw attribute text
	end   bool   // </name>
	empty bool   // <name .../>
	ns    nsKind // the namespace, by the prefix
}

// is reports whether the tag is the SpreadsheetML element n.
func (t *tag) is(n string) bool { return t.ns == kindMain && string(t.name) == n }

// declare records the namespace declarations of a tag's attributes; root says the
// tag is the root element, whose default namespace counts for the part.
func (s *scanner) declare(attrs []byte, root bool) {
	it := attrIter(attrs)
	for name, val, ok := it.next(); ok; name, val, ok = it.next() {
		switch {
		case string(name) == "xmlns":
			if root {
				s.defNS = kindOf(val)
			}
		case len(name) > 6 && string(name[:6]) == "xmlns:" && len(s.decls) < maxDecls:
			s.decls = append(s.decls, prefixNS{string(name[6:]), kindOf(val)})
		}
	}
}

// prefixKind returns the namespace of a prefix; attrs are the tag's, for a prefix
// declared there.
func (s *scanner) prefixKind(prefix, attrs []byte) nsKind {
	for pass := 0; pass < 2; pass++ {
		for i := len(s.decls) - 1; i >= 0; i-- {
			if s.decls[i].prefix == string(prefix) {
				return s.decls[i].ns
			}
		}
		if pass == 0 && !bytes.Contains(attrs, []byte("xmlns:")) {
			break
		}
		s.declare(attrs, false)
	}
	return kindMain
}

// nextTag advances past the next element tag and describes it in t, skipping
// character data, comments, processing instructions, CDATA and DOCTYPE. It returns
// false at the end of input or on an error (see s.err; a clean end leaves it nil).
func (s *scanner) nextTag(t *tag) bool {
	if s.err != nil {
		return false
	}
	for {
		// Tags usually follow each other: look at the next byte before searching.
		if s.pos >= s.end || s.buf[s.pos] != '<' {
			i := bytes.IndexByte(s.buf[s.pos:s.end], '<')
			if i < 0 {
				s.pos = s.end
				if !s.fill() {
					return false
				}
				continue
			}
			s.pos += i
		}
		if s.pos+1 >= s.end && !s.ensure(2) {
			s.fail(errUnexpEOF)
			return false
		}
		if c := s.buf[s.pos+1]; c == '?' || c == '!' {
			if !s.skipSpecial() {
				return false
			}
			continue
		}
		gt := s.tagEnd()
		if gt < 0 {
			return false
		}
		b := s.buf[s.pos+1 : gt]
		s.pos = gt + 1
		t.end, t.empty = false, false
		if len(b) > 0 && b[0] == '/' {
			t.end = true
			b = b[1:]
		} else if len(b) > 0 && b[len(b)-1] == '/' {
			t.empty = true
			b = b[:len(b)-1]
		}
		j, k := 0, 0
		for ; j < len(b) && !isSpace(b[j]); j++ {
			if b[j] == ':' {
				k = j + 1 // drop a namespace prefix
			}
		}
		t.name, t.attrs = b[k:j], b[j:]
		if !s.rooted && !t.end {
			s.rooted = true
			s.declare(t.attrs, true)
		}
		t.ns = s.defNS
		if k > 0 {
			t.ns = s.prefixKind(b[:k-1], t.attrs)
		}
		return true
	}
}

// tagEnd returns the buffer index of the '>' closing the tag that starts at s.pos,
// filling the buffer as needed, or -1 with s.err set. A '>' inside a quoted
// attribute value does not close the tag. (A plain loop: tags are short, and for
// them it beats bytes.IndexByte plus a quote check.)
func (s *scanner) tagEnd() int {
	for {
		buf := s.buf[:s.end]
		// A long tag (OpenDocument's carry several attributes): the first '>'
		// closes it when the double quotes before it pair up and there is no
		// single quote.
		if seg := buf[s.pos+1:]; len(seg) > 32 {
			if gt := bytes.IndexByte(seg, '>'); gt > 32 && bytes.Count(seg[:gt], []byte{'"'})%2 == 0 &&
				bytes.IndexByte(seg[:gt], '\'') < 0 {
				return s.pos + 1 + gt
			}
		}
		var q byte
		for j := s.pos + 1; j < len(buf); j++ {
			switch c := buf[j]; c {
			case '>':
				if q == 0 {
					return j
				}
			case '"', '\'':
				if q == 0 {
					q = c
				} else if q == c {
					q = 0
				}
			}
		}
		if !s.fill() {
			if s.err == nil {
				if s.end-s.pos == len(s.buf) {
					s.err = errTagTooLong
				} else {
					s.err = errUnexpEOF
				}
			}
			return -1
		}
	}
}

// skipSpecial skips the <? … ?>, <!-- … -->, <![CDATA[ … ]]> or <!DOCTYPE … > at
// s.pos. It reports false on an error or the end of input.
func (s *scanner) skipSpecial() bool {
	s.ensure(9)
	b := s.buf[s.pos:s.end]
	switch {
	case bytes.HasPrefix(b, []byte("<?")):
		return s.skipPast("?>", 2)
	case bytes.HasPrefix(b, []byte("<!--")):
		return s.skipPast("-->", 4)
	case bytes.HasPrefix(b, []byte("<![CDATA[")):
		return s.skipPast("]]>", 9)
	}
	// <!DOCTYPE …> and other declarations. OOXML forbids a DTD; one is skipped,
	// with its internal subset ("[ … ]"), and never interpreted.
	for {
		b := s.buf[s.pos:s.end]
		if i := bytes.IndexAny(b, "[>"); i >= 0 {
			s.pos += i + 1
			if b[i] == '>' {
				return true
			}
			return s.skipPast("]", 0) && s.skipPast(">", 0)
		}
		s.pos = s.end
		if !s.fill() {
			s.fail(errUnexpEOF)
			return false
		}
	}
}

// skipPast advances past the next occurrence of end, starting from skip bytes after
// s.pos. It reports false (with s.err set unless the input simply ended) when end
// does not occur.
func (s *scanner) skipPast(end string, skip int) bool {
	s.pos += min(skip, s.end-s.pos)
	for {
		if i := bytes.Index(s.buf[s.pos:s.end], []byte(end)); i >= 0 {
			s.pos += i + len(end)
			return true
		}
		// keep a possible partial match
		keep := min(len(end)-1, s.end-s.pos)
		s.pos = s.end - keep
		if !s.fill() {
			s.fail(errUnexpEOF)
			return false
		}
	}
}

// appendText appends the character data at s.pos, up to the next tag, to dst:
// entities decoded, CDATA sections copied, comments dropped, and line ends
// normalised (CR LF and lone CR become LF). It returns false with s.err set on an
// error, including text of more than maxText bytes.
func (s *scanner) appendText(dst []byte) ([]byte, bool) {
	start := len(dst)
	for {
		b := s.buf[s.pos:s.end]
		// Find the next '<', noting whether the text needs decoding: a plain loop,
		// since most values are a few bytes long.
		i, plain := 0, true
		for ; i < len(b); i++ {
			if c := b[i]; textSpecial[c] {
				if c == '<' {
					break
				}
				plain = false
			}
		}
		if i < len(b) {
			if plain {
				dst = append(dst, b[:i]...)
			} else {
				dst = appendDecoded(dst, b[:i])
			}
			s.pos += i
			if s.end-s.pos < 9 {
				s.ensure(9)
			}
			b = s.buf[s.pos:s.end]
			if len(b) > 1 && b[1] == '!' {
				switch {
				case bytes.HasPrefix(b, []byte("<![CDATA[")):
					var ok bool
					if dst, ok = s.appendCDATA(dst, start); !ok {
						return dst, false
					}
					continue
				case bytes.HasPrefix(b, []byte("<!--")):
					if !s.skipPast("-->", 4) {
						return dst, false
					}
					continue
				}
			}
			if len(dst)-start > maxText {
				s.fail(errTextTooLong)
				return dst, false
			}
			return dst, true
		}
		// No tag in the buffer: decode all but a possibly cut entity or CR.
		cut := len(b)
		if k := bytes.LastIndexByte(b, '&'); k >= 0 && len(b)-k < 12 && bytes.IndexByte(b[k:], ';') < 0 {
			cut = k
		} else if cut > 0 && b[cut-1] == '\r' {
			cut--
		}
		dst = appendDecoded(dst, b[:cut])
		s.pos += cut
		if len(dst)-start > maxText {
			s.fail(errTextTooLong)
			return dst, false
		}
		if !s.fill() {
			s.fail(errUnexpEOF)
			return dst, false
		}
	}
}

// textSpecial marks the bytes appendText must look at: the end of the text, and
// what needs decoding.
var textSpecial = [256]bool{'<': true, '&': true, '\r': true}

// hasPrefix reports whether the unread input starts with p.
func (s *scanner) hasPrefix(p string) bool {
	if s.end-s.pos < len(p) && !s.ensure(len(p)) {
		return false
	}
	return string(s.buf[s.pos:s.pos+len(p)]) == p
}

// appendCDATA copies the CDATA section at s.pos into dst.
func (s *scanner) appendCDATA(dst []byte, start int) ([]byte, bool) {
	s.pos += 9
	for {
		b := s.buf[s.pos:s.end]
		if i := bytes.Index(b, []byte("]]>")); i >= 0 {
			dst = appendCR(dst, b[:i])
			s.pos += i + 3
			return dst, true
		}
		cut := max(len(b)-2, 0)
		if cut > 0 && b[cut-1] == '\r' {
			cut--
		}
		dst = appendCR(dst, b[:cut])
		s.pos += cut
		if len(dst)-start > maxText {
			s.fail(errTextTooLong)
			return dst, false
		}
		if !s.fill() {
			s.fail(errUnexpEOF)
			return dst, false
		}
	}
}

// skipOther handles a start tag t that the reader does not take: the
// markup-compatibility wrappers mc:AlternateContent and mc:Fallback are transparent,
// so that the Fallback's content is read in their place (a Choice is never, as the
// readers understand no namespace a Choice may require); anything else is skipped with
// its content. It reports false at the end of input or on an error.
func (s *scanner) skipOther(t *tag) bool {
	if t.end || t.empty || t.ns == kindMCE && (string(t.name) == "AlternateContent" || string(t.name) == "Fallback") {
		return true
	}
	return s.skipElement(t)
}

// skipElement skips to the end of the element whose start tag t was just read
// (counting nested elements of the same name).
func (s *scanner) skipElement(start *tag) bool {
	var nb [32]byte
	name, ns := append(nb[:0], start.name...), start.ns
	var t tag
	depth := 1
	for s.nextTag(&t) {
		if t.ns != ns || string(t.name) != string(name) {
			continue
		}
		switch {
		case t.end:
			depth--
			if depth == 0 {
				return true
			}
		case !t.empty:
			depth++
		}
	}
	return false
}

// attrIter walks the attributes of a tag.
type attrIter []byte

// next returns the next attribute's name and raw value (entities not decoded).
func (it *attrIter) next() (name, val []byte, ok bool) {
	b := *it
	i := 0
	for i < len(b) && isSpace(b[i]) {
		i++
	}
	j := i
	for j < len(b) && b[j] != '=' && !isSpace(b[j]) {
		j++
	}
	name = b[i:j]
	for j < len(b) && b[j] != '=' {
		j++
	}
	j++
	for j < len(b) && isSpace(b[j]) {
		j++
	}
	if j >= len(b) || len(name) == 0 {
		*it = nil
		return nil, nil, false
	}
	q := b[j]
	if q != '"' && q != '\'' {
		*it = nil
		return nil, nil, false
	}
	k := j + 1 // values are short: a loop beats bytes.IndexByte
	for k < len(b) && b[k] != q {
		k++
	}
	if k == len(b) {
		*it = nil
		return nil, nil, false
	}
	val = b[j+1 : k]
	*it = b[k+1:]
	return name, val, true
}

// appendDecoded appends src with entities decoded and line ends normalised.
func appendDecoded(dst, src []byte) []byte {
	for {
		i := bytes.IndexByte(src, '&')
		if i < 0 {
			return appendCR(dst, src)
		}
		dst = appendCR(dst, src[:i])
		src = src[i:]
		r, n := entity(src)
		if n == 0 { // not an entity: keep the '&'
			dst = append(dst, '&')
			src = src[1:]
			continue
		}
		if r < utf8.RuneSelf {
			dst = append(dst, byte(r))
		} else {
			dst = utf8.AppendRune(dst, r)
		}
		src = src[n:]
	}
}

// appendCR appends src with CR LF and lone CR turned into LF, as XML requires.
func appendCR(dst, src []byte) []byte {
	if bytes.IndexByte(src, '\r') < 0 {
		return append(dst, src...)
	}
	for i := 0; i < len(src); i++ {
		c := src[i]
		if c == '\r' {
			c = '\n'
			if i+1 < len(src) && src[i+1] == '\n' {
				i++
			}
		}
		dst = append(dst, c)
	}
	return dst
}

// entity decodes the entity at the start of b ("&amp;", "&#10;", "&#x41;"). n is 0
// when b does not start with a known entity.
func entity(b []byte) (r rune, n int) {
	end := bytes.IndexByte(b[:min(len(b), 12)], ';')
	if end < 2 {
		return 0, 0
	}
	name := b[1:end]
	switch string(name) {
	case "amp":
		return '&', end + 1
	case "lt":
		return '<', end + 1
	case "gt":
		return '>', end + 1
	case "quot":
		return '"', end + 1
	case "apos":
		return '\'', end + 1
	}
	if name[0] != '#' || len(name) < 2 {
		return 0, 0
	}
	digits, base := name[1:], rune(10)
	if digits[0] == 'x' || digits[0] == 'X' {
		digits, base = digits[1:], 16
	}
	if len(digits) == 0 {
		return 0, 0
	}
	for _, c := range digits {
		var d rune
		switch {
		case c >= '0' && c <= '9':
			d = rune(c - '0')
		case base == 16 && c >= 'a' && c <= 'f':
			d = rune(c-'a') + 10
		case base == 16 && c >= 'A' && c <= 'F':
			d = rune(c-'A') + 10
		default:
			return 0, 0
		}
		r = r*base + d
		if r > utf8.MaxRune {
			return utf8.RuneError, end + 1
		}
	}
	if !utf8.ValidRune(r) {
		r = utf8.RuneError
	}
	return r, end + 1
}

// decodeEscapes decodes, in place, the _xHHHH_ escapes Excel writes for characters
// XML cannot hold (_x000D_ is CR; a literal "_x" before four hex digits is itself
// written _x005F_x…). UTF-16 surrogate pairs are joined; a lone surrogate becomes
// U+FFFD. It returns the shortened slice.
func decodeEscapes(b []byte) []byte {
	i := bytes.Index(b, []byte("_x"))
	if i < 0 {
		return b
	}
	w := i // write position
	for i < len(b) {
		if u, ok := hex4(b, i); ok {
			r := rune(u)
			n := 7
			if utf16IsHigh(r) {
				if lo, ok := hex4(b, i+7); ok && utf16IsLow(rune(lo)) {
					r = 0x10000 + (r-0xD800)<<10 + (rune(lo) - 0xDC00)
					n = 14
				} else {
					r = utf8.RuneError
				}
			} else if utf16IsLow(r) {
				r = utf8.RuneError
			}
			w += utf8.EncodeRune(b[w:], r)
			i += n
			continue
		}
		b[w] = b[i]
		w++
		i++
	}
	return b[:w]
}

// hex4 reads "_xHHHH_" at b[i:].
func hex4(b []byte, i int) (uint16, bool) {
	if i+7 > len(b) || b[i] != '_' || b[i+1] != 'x' || b[i+6] != '_' {
		return 0, false
	}
	var u uint16
	for _, c := range b[i+2 : i+6] {
		switch {
		case c >= '0' && c <= '9':
			u = u<<4 | uint16(c-'0')
		case c >= 'a' && c <= 'f':
			u = u<<4 | uint16(c-'a'+10)
		case c >= 'A' && c <= 'F':
			u = u<<4 | uint16(c-'A'+10)
		default:
			return 0, false
		}
	}
	return u, true
}

func utf16IsHigh(r rune) bool { return r >= 0xD800 && r < 0xDC00 }
func utf16IsLow(r rune) bool  { return r >= 0xDC00 && r < 0xE000 }
