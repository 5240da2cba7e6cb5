package xlsx

import (
	"encoding/xml"
	"io"
	"strings"
)

// Namespaces. A workbook's parts hold elements of other namespaces beside the
// spreadsheet ones, some with the same local names: Excel 2013+ writes
// <x15:workbookPr> in the workbook's extLst, and x14 extensions of the styles hold
// differential formats with their own <numFmt>s. Elements are therefore read only in
// the namespace and the place the format gives them.
// (nsMain, nsRel and nsPkgRel are with the writer, the strict ones with Flag.)
const (
	nsTypes = "http://schemas.openxmlformats.org/package/2006/content-types"
	nsMCE   = "http://schemas.openxmlformats.org/markup-compatibility/2006"
)

// isMainNS reports whether a resolved namespace is SpreadsheetML's (transitional or
// strict). No namespace at all counts too: some writers leave it out, and an
// undeclared prefix resolves to none.
func isMainNS(ns string) bool { return ns == "" || ns == nsMain || ns == nsStrictMain }

// isRelsNS and isTypesNS: the package relationships and content types namespaces (or
// none).
func isRelsNS(ns string) bool  { return ns == "" || ns == nsPkgRel }
func isTypesNS(ns string) bool { return ns == "" || ns == nsTypes }

// maxXMLDepth bounds the nesting of a small part; real ones nest a dozen deep.
const maxXMLDepth = 256

// elem is a start element of a small part, with its place in the document. Name.Space
// and the attributes' Name.Space are namespace URIs, resolved from the xmlns
// declarations in scope ("" for none or an undeclared prefix).
type elem struct {
	xml.StartElement
	depth  int      // the root is 1; markup-compatibility wrappers do not count
	parent xml.Name // the enclosing element (zero for the root)
}

// is reports whether e is the element local, in a namespace inNS accepts, at depth
// under an element named parent ("" for any parent).
func (e *elem) is(depth int, local string, inNS func(string) bool, parent string) bool {
	return e.depth == depth && e.Name.Local == local && inNS(e.Name.Space) &&
		(parent == "" || e.parent.Local == parent && inNS(e.parent.Space))
}

// attr returns the value of the attribute local that has no namespace.
func (e *elem) attr(local string) string {
	for _, a := range e.Attr {
		if a.Name.Local == local && a.Name.Space == "" {
			return a.Value
		}
	}
	return ""
}

// relID returns the r:id attribute: in the relationships namespace, or (from writers
// that leave the prefix undeclared) any attribute named id.
func (e *elem) relID() string {
	id := ""
	for _, a := range e.Attr {
		if a.Name.Local == "id" {
			if a.Name.Space == nsRel || a.Name.Space == nsStrictRel {
				return a.Value
			}
			id = a.Value
		}
	}
	return id
}

// nsWalker turns the raw tokens of a small part into elems: it resolves namespace
// prefixes, tracks depth and parents, and applies markup compatibility
// (ECMA-376 Part 3): in an <mc:AlternateContent>, a <mc:Choice> is read only when
// every namespace it requires is SpreadsheetML (never, in practice), else the
// <mc:Fallback>; the chosen branch's children take the wrapper's place.
type nsWalker struct {
	dec      *xml.Decoder
	bindings []nsBinding // in scope, innermost last
	frames   []nsFrame   // open elements
	depth    int
	parents  []xml.Name // the open elements that count, outermost first
}

type nsBinding struct{ prefix, uri string }

type nsFrame struct {
	mark   int  // len(bindings) before the element's declarations
	counts bool // the element counts for depth and parents (not an mc wrapper)
	ac     bool // an mc:AlternateContent
	chosen bool // an AlternateContent whose branch has been chosen
}

// next returns the next start element, or io.EOF at the end of the part.
func (w *nsWalker) next() (*elem, error) {
	for {
		tok, err := w.dec.RawToken()
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.EndElement:
			w.pop()
		case xml.StartElement:
			if len(w.frames) >= maxXMLDepth {
				return nil, errorf(Corrupt, "XML nested more than %d elements deep", maxXMLDepth)
			}
			mark := len(w.bindings)
			for _, a := range t.Attr {
				switch {
				case a.Name.Space == "" && a.Name.Local == "xmlns":
					w.bindings = append(w.bindings, nsBinding{"", a.Value})
				case a.Name.Space == "xmlns":
					w.bindings = append(w.bindings, nsBinding{a.Name.Local, a.Value})
				}
			}
			t.Name.Space = w.lookup(t.Name.Space, true)
			for i := range t.Attr {
				if a := &t.Attr[i]; a.Name.Space != "" && a.Name.Space != "xmlns" {
					a.Name.Space = w.lookup(a.Name.Space, false)
				}
			}
			if t.Name.Space == nsMCE {
				skip, err := w.compat(t, mark)
				if err != nil {
					return nil, err
				}
				if skip {
					w.bindings = w.bindings[:mark]
					if err := w.skip(); err != nil {
						return nil, err
					}
				}
				continue
			}
			e := &elem{StartElement: t, depth: w.depth + 1}
			if len(w.parents) > 0 {
				e.parent = w.parents[len(w.parents)-1]
			}
			w.frames = append(w.frames, nsFrame{mark: mark, counts: true})
			w.depth++
			w.parents = append(w.parents, t.Name)
			return e, nil
		}
	}
}

// compat handles a markup-compatibility element: it opens a transparent frame for
// an AlternateContent or a chosen branch, or reports that the element is to be
// skipped with its content.
func (w *nsWalker) compat(t xml.StartElement, mark int) (skip bool, err error) {
	var parent *nsFrame
	if n := len(w.frames); n > 0 {
		parent = &w.frames[n-1]
	}
	inAC := parent != nil && parent.ac
	switch t.Name.Local {
	case "AlternateContent":
		w.frames = append(w.frames, nsFrame{mark: mark, ac: true})
		return false, nil
	case "Choice":
		if !inAC || parent.chosen || !w.understood(t) {
			return true, nil
		}
		parent.chosen = true
	case "Fallback":
		if !inAC || parent.chosen {
			return true, nil
		}
		parent.chosen = true
	default:
		return true, nil
	}
	w.frames = append(w.frames, nsFrame{mark: mark})
	return false, nil
}

// understood reports whether every namespace a Choice requires is SpreadsheetML.
func (w *nsWalker) understood(t xml.StartElement) bool {
	for _, a := range t.Attr {
		if a.Name.Local == "Requires" && a.Name.Space == "" {
			for _, p := range strings.Fields(a.Value) {
				if uri := w.lookup(p, false); uri != nsMain && uri != nsStrictMain {
					return false
				}
			}
			return true
		}
	}
	return false
}

// pop closes the innermost open element.
func (w *nsWalker) pop() {
	n := len(w.frames)
	if n == 0 {
		return
	}
	f := w.frames[n-1]
	w.frames = w.frames[:n-1]
	w.bindings = w.bindings[:f.mark]
	if f.counts {
		w.depth--
		w.parents = w.parents[:len(w.parents)-1]
	}
}

// skip consumes the content and end of the element just started.
func (w *nsWalker) skip() error {
	for depth := 1; depth > 0; {
		tok, err := w.dec.RawToken()
		if err != nil {
			return err
		}
		switch tok.(type) {
		case xml.StartElement:
			depth++
		case xml.EndElement:
			depth--
		}
	}
	return nil
}

// lookup resolves a prefix. The empty prefix means the default namespace for an
// element and no namespace for an attribute; an undeclared prefix resolves to "".
func (w *nsWalker) lookup(prefix string, elem bool) string {
	if prefix == "" && !elem {
		return ""
	}
	if prefix == "xml" {
		return "http://www.w3.org/XML/1998/namespace"
	}
	for i := len(w.bindings) - 1; i >= 0; i-- {
		if w.bindings[i].prefix == prefix {
			return w.bindings[i].uri
		}
	}
	return ""
}

// newNSWalker reads r.
func newNSWalker(r io.Reader) *nsWalker {
	return &nsWalker{dec: xml.NewDecoder(r)}
}
