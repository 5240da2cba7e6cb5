package xlsx

import (
	"bytes"
	"slices"
	"strconv"
)

// Helpers of the flagger for editing XML as bytes: a tag iterator over a part
// held in memory, attribute edits on a raw start tag, and splicing edits into a
// part. Everything not edited is kept byte for byte, so prefixes, namespaces,
// unknown elements and formatting survive.

// mtag is one tag: data[start:end] runs from '<' through '>'.
type mtag struct {
	start, end int
	qname      []byte // the name as written, prefix included
	name       []byte // the local name
	attrs      []byte // the raw attribute text
	close      bool   // </name>
	empty      bool   // <name/>
}

// prefix returns the tag's namespace prefix with its colon ("x:"), or "".
func (t *mtag) prefix() string { return string(t.qname[:len(t.qname)-len(t.name)]) }

// is reports whether the tag's local name is n.
func (t *mtag) is(n string) bool { return string(t.name) == n }

// parseTag describes the tag b ("<…>") in t, except start and end.
func parseTag(b []byte, t *mtag) {
	b = b[1 : len(b)-1]
	t.close, t.empty = false, false
	if len(b) > 0 && b[0] == '/' {
		t.close = true
		b = b[1:]
	} else if len(b) > 0 && b[len(b)-1] == '/' {
		t.empty = true
		b = b[:len(b)-1]
	}
	j, k := 0, 0
	for ; j < len(b) && !isSpace(b[j]); j++ {
		if b[j] == ':' {
			k = j + 1
		}
	}
	t.qname, t.name, t.attrs = b[:j], b[k:j], b[j:]
}

// mscan walks the tags of a part held in memory, skipping comments, processing
// instructions, CDATA sections and a DOCTYPE.
type mscan struct {
	data []byte
	pos  int
	err  error
}

func (m *mscan) next(t *mtag) bool {
	for m.err == nil {
		i := bytes.IndexByte(m.data[m.pos:], '<')
		if i < 0 {
			m.pos = len(m.data)
			return false
		}
		start := m.pos + i
		rest := m.data[start:]
		skip := func(end string) bool {
			j := bytes.Index(rest[2:], []byte(end))
			if j < 0 {
				m.err = errUnexpEOF
				return false
			}
			m.pos = start + 2 + j + len(end)
			return true
		}
		switch {
		case len(rest) < 2:
			m.err = errUnexpEOF
			return false
		case rest[1] == '?':
			if !skip("?>") {
				return false
			}
			continue
		case bytes.HasPrefix(rest, []byte("<!--")):
			if !skip("-->") {
				return false
			}
			continue
		case bytes.HasPrefix(rest, []byte("<![CDATA[")):
			if !skip("]]>") {
				return false
			}
			continue
		case rest[1] == '!':
			j := bytes.IndexAny(rest, "[>")
			if j >= 0 && rest[j] == '[' {
				k := bytes.Index(rest[j:], []byte("]"))
				if k >= 0 {
					if l := bytes.IndexByte(rest[j+k:], '>'); l >= 0 {
						m.pos = start + j + k + l + 1
						continue
					}
				}
				j = -1
			}
			if j < 0 {
				m.err = errUnexpEOF
				return false
			}
			m.pos = start + j + 1
			continue
		}
		gt := tagClose(rest)
		if gt < 0 {
			m.err = errUnexpEOF
			return false
		}
		t.start, t.end = start, start+gt+1
		parseTag(rest[:gt+1], t)
		m.pos = t.end
		return true
	}
	return false
}

// tagClose returns the index of the '>' that ends the tag at the start of b (a
// '>' inside a quoted value does not), or -1.
func tagClose(b []byte) int {
	var q byte
	for j := 1; j < len(b); j++ {
		switch c := b[j]; c {
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
	return -1
}

// elementEnd returns the offset just past the end of the element whose start
// tag t was just read from m (t itself for an empty element), advancing m there.
func (m *mscan) elementEnd(t *mtag) int {
	if t.empty {
		return t.end
	}
	var u mtag
	depth := 1
	for m.next(&u) {
		switch {
		case u.close:
			depth--
			if depth == 0 {
				return u.end
			}
		case !u.empty:
			depth++
		}
	}
	return -1
}

// attrValue returns the raw (not unescaped) value of the attribute named name,
// prefix included, in a tag's attribute text.
func attrValue(attrs []byte, name string) ([]byte, bool) {
	it := attrIter(attrs)
	for n, v, ok := it.next(); ok; n, v, ok = it.next() {
		if string(n) == name {
			return v, true
		}
	}
	return nil, false
}

// isTrue reports whether an xsd:boolean attribute value is true.
func isTrue(v []byte) bool {
	v = trimSpace(v)
	return string(v) == "1" || string(v) == "true"
}

// editTag appends to dst the start tag tag ("<name …>" or "<name …/>") with the
// attribute name set to val (val is written as is: it must be escaped), or
// removed when del is set. A missing attribute is added after the others.
func editTag(dst, tag []byte, name string, val []byte, del bool) []byte {
	nameEnd := 1
	for nameEnd < len(tag) && !isSpace(tag[nameEnd]) && tag[nameEnd] != '/' && tag[nameEnd] != '>' {
		nameEnd++
	}
	for i := nameEnd; ; {
		j := i
		for j < len(tag) && isSpace(tag[j]) {
			j++
		}
		k := j
		for k < len(tag) && tag[k] != '=' && !isSpace(tag[k]) && tag[k] != '/' && tag[k] != '>' {
			k++
		}
		if k == j {
			break
		}
		e := k
		for e < len(tag) && tag[e] != '=' {
			e++
		}
		e++
		for e < len(tag) && isSpace(tag[e]) {
			e++
		}
		if e >= len(tag) || tag[e] != '"' && tag[e] != '\'' {
			break
		}
		ve := bytes.IndexByte(tag[e+1:], tag[e])
		if ve < 0 {
			break
		}
		ve += e + 1
		if string(tag[j:k]) == name {
			if del {
				dst = append(dst, tag[:i]...)
				return append(dst, tag[ve+1:]...)
			}
			dst = append(dst, tag[:e+1]...)
			dst = append(dst, val...)
			return append(dst, tag[ve:]...)
		}
		i = ve + 1
	}
	if del {
		return append(dst, tag...)
	}
	at := len(tag) - 1 // before the '>' or the "/>"
	if at > 0 && tag[at-1] == '/' {
		at--
	}
	for at > nameEnd && isSpace(tag[at-1]) {
		at--
	}
	dst = append(dst, tag[:at]...)
	dst = append(dst, ' ')
	dst = append(dst, name...)
	dst = append(dst, '=', '"')
	dst = append(dst, val...)
	dst = append(dst, '"')
	return append(dst, tag[at:]...)
}

// openTag turns an empty-element tag "<name …/>" into a start tag "<name …>".
func openTag(dst, tag []byte) []byte {
	b := bytes.TrimRight(tag[:len(tag)-1], " \t\r\n")
	b = bytes.TrimSuffix(b, []byte("/"))
	dst = append(dst, b...)
	return append(dst, '>')
}

// edit replaces data[at:end] with text; an insertion has end == at.
type edit struct {
	at, end int
	text    []byte
}

// cmpEdit orders edits by offset, insertions before a replacement.
func cmpEdit(a, b edit) int {
	if a.at != b.at {
		return a.at - b.at
	}
	return a.end - b.end
}

// splice applies edits, which must not overlap, to data. At one offset,
// insertions come before a replacement, in the order given.
func splice(data []byte, edits []edit) []byte {
	slices.SortStableFunc(edits, cmpEdit)
	n := len(data)
	for _, e := range edits {
		n += len(e.text) - (e.end - e.at)
	}
	out := make([]byte, 0, n)
	p := 0
	for _, e := range edits {
		out = append(out, data[p:e.at]...)
		out = append(out, e.text...)
		p = e.end
	}
	return append(out, data[p:]...)
}

// nsPrefix returns the prefix (without colon) that the start tag's attributes
// bind to one of the namespaces, and whether one does.
func nsPrefix(attrs []byte, namespaces ...string) (string, bool) {
	it := attrIter(attrs)
	for n, v, ok := it.next(); ok; n, v, ok = it.next() {
		if !bytes.HasPrefix(n, []byte("xmlns:")) {
			continue
		}
		for _, ns := range namespaces {
			if string(v) == ns {
				return string(n[6:]), true
			}
		}
	}
	return "", false
}

// hasNamespace reports whether the start tag's attributes declare ns.
func hasNamespace(attrs []byte, ns string) bool {
	it := attrIter(attrs)
	for n, v, ok := it.next(); ok; n, v, ok = it.next() {
		if (string(n) == "xmlns" || bytes.HasPrefix(n, []byte("xmlns:"))) && string(v) == ns {
			return true
		}
	}
	return false
}

func appendInt(b []byte, n int) []byte { return strconv.AppendInt(b, int64(n), 10) }
