package xlsx

import (
	"archive/zip"
	"fmt"
	"math"
	"unsafe"
)

// sharedStrings is the shared-string table: all strings' bytes in one arena, string
// i being arena[offs[i]:offs[i+1]]. The arena is written once, while loading, and
// never changed afterwards, which is what makes handing out strings that point into
// it (unsafe.String) safe: a string keeps the whole arena alive, and no byte under
// it ever changes. Five million strings cost their text plus 4 bytes each.
type sharedStrings struct {
	arena []byte
	offs  []uint32
}

// Len returns the number of strings (none in a workbook without the table).
func (t *sharedStrings) Len() int {
	if t == nil || len(t.offs) == 0 {
		return 0
	}
	return len(t.offs) - 1
}

// get returns string i.
func (t *sharedStrings) get(i int) (string, bool) {
	if i < 0 || i >= len(t.offs)-1 {
		return "", false
	}
	a, b := t.offs[i], t.offs[i+1]
	if a == b {
		return "", true
	}
	// Safe: the arena is immutable once loaded (see the type's comment).
	return unsafe.String(&t.arena[a], int(b-a)), true
}

// loadSharedStrings reads sharedStrings.xml with the byte scanner: each <si> is the
// concatenation of its <t> texts (plain or rich-text runs), phonetic runs (<rPh>)
// left out, entities and _xHHHH_ escapes decoded.
func (w *Workbook) loadSharedStrings(f *zip.File) (*sharedStrings, error) {
	pr, err := w.openPart(f)
	if err != nil {
		return nil, err
	}
	defer pr.Close()
	// The declared size sizes the arena, but only as far as it is plausible: XML
	// text compresses 4 to 10 times, so a part declaring more than 16 times its
	// compressed size gets an arena that grows as the text really comes.
	declared := min(pr.declared, 16*int64(min(f.CompressedSize64, uint64(w.size)))+64<<10)
	t := &sharedStrings{}
	siStart := 0 // where the current string starts in the arena
	var sc scanner
	sc.reset(pr)
	var tg tag
	inSI, inRPh := false, false
	for sc.nextTag(&tg) {
		if tg.ns != kindMain || tg.is("extLst") {
			if !sc.skipOther(&tg) {
				break
			}
			continue
		}
		switch string(tg.name) {
		case "sst":
			if tg.end || t.offs != nil {
				continue
			}
			// Size the arena once from the part's declared size and the string
			// count: every <si><t></t></si> costs at least 16 bytes of markup, and
			// decoding never makes text longer.
			unique := 0
			it := attrIter(tg.attrs)
			for name, val, ok := it.next(); ok; name, val, ok = it.next() {
				if string(name) == "uniqueCount" {
					unique, _ = parseUint(val, math.MaxInt32)
				}
			}
			unique = min(unique, int(declared/5), int(w.lim.MaxSharedStrings/4))
			arena := declared - 16*int64(unique)
			if unique == 0 {
				arena = declared / 2
			}
			arena = max(min(arena, declared, w.lim.MaxSharedStrings, math.MaxUint32), 0)
			t.arena = make([]byte, 0, arena)
			t.offs = make([]uint32, 1, unique+1)
		case "si":
			switch {
			case tg.end:
				if inSI {
					if err := t.push(w.lim.MaxSharedStrings); err != nil {
						return nil, err
					}
				}
				inSI, inRPh = false, false
			case tg.empty:
				if err := t.push(w.lim.MaxSharedStrings); err != nil {
					return nil, err
				}
			default:
				inSI, inRPh = true, false
				siStart = len(t.arena)
			}
		case "rPh":
			if !tg.empty {
				inRPh = !tg.end
			}
		case "t":
			if tg.end || tg.empty || !inSI || inRPh {
				continue
			}
			start := len(t.arena)
			var ok bool
			if t.arena, ok = sc.appendText(t.arena); !ok {
				break
			}
			t.arena = t.arena[:start+len(decodeEscapes(t.arena[start:]))]
			if len(t.arena)-siStart > maxText {
				return nil, &Error{Problem: Corrupt, Limit: maxText,
					Detail: fmt.Sprintf("%s: shared string %d holds more than %d bytes of text", f.Name, max(t.Len(), 0), maxText)}
			}
		}
	}
	if sc.err != nil {
		return nil, w.classify(sc.err, f.Name, pr)
	}
	if t.offs == nil {
		t.offs = []uint32{0}
	}
	return t, nil
}

func (t *sharedStrings) push(limit int64) error {
	if t.offs == nil {
		t.offs = []uint32{0}
	}
	if size := int64(len(t.arena)) + 4*int64(len(t.offs)); size > limit || len(t.arena) > math.MaxUint32 {
		limit = min(limit, math.MaxUint32)
		return &Error{Problem: ZipBomb, Limit: limit,
			Detail: fmt.Sprintf("shared strings take more than %d bytes (%d strings so far)", limit, len(t.offs)-1)}
	}
	t.offs = append(t.offs, uint32(len(t.arena)))
	return nil
}
