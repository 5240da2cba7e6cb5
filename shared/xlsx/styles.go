package xlsx

import (
	"strconv"
	"strings"
)

// readStyles reads which cell formats (cellXfs) show numbers as dates or times.
func (w *Workbook) readStyles(part string) error {
	custom := map[int]string{}
	var xfIDs []int
	err := w.xmlPart(part, func(e *elem) error {
		switch {
		case e.is(3, "numFmt", isMainNS, "numFmts"):
			if id, err := strconv.Atoi(strings.TrimSpace(e.attr("numFmtId"))); err == nil && len(custom) < 1<<16 {
				custom[id] = e.attr("formatCode")
			}
		case e.is(3, "xf", isMainNS, "cellXfs"):
			if len(xfIDs) >= 1<<20 {
				return errorf(Corrupt, "%s has too many cell formats", part)
			}
			id, _ := strconv.Atoi(strings.TrimSpace(e.attr("numFmtId")))
			xfIDs = append(xfIDs, id)
		}
		return nil
	})
	if err != nil {
		return err
	}
	w.dateXF = make([]bool, len(xfIDs))
	memo := map[int]bool{}
	for i, id := range xfIDs {
		d, ok := memo[id]
		if !ok {
			if code, isCustom := custom[id]; isCustom {
				d = isDateFormat(code)
			} else {
				d = isBuiltinDate(id)
			}
			memo[id] = d
		}
		w.dateXF[i] = d
	}
	return nil
}

// isBuiltinDate reports whether a built-in number format id shows a date or time:
// 14-22 (dates and times), 27-36 and 50-58 (East Asian dates), 45-47 (times).
func isBuiltinDate(id int) bool {
	return id >= 14 && id <= 22 || id >= 27 && id <= 36 || id >= 45 && id <= 47 || id >= 50 && id <= 58
}

// isDateFormat reports whether a number format code shows a date or time: its first
// section (the one for positive numbers, where dates live) has a d, m, y, h or s
// token outside quoted text, escapes (\x, _x, *x) and brackets, or an elapsed-time
// bracket ([h], [mm], [ss]). Colours, conditions and locales in brackets ([Red],
// [<100], [$-419]) do not count. This is the rule openpyxl and Excel's own readers
// use.
func isDateFormat(code string) bool {
	for i := 0; i < len(code); i++ {
		switch code[i] {
		case '"':
			j := strings.IndexByte(code[i+1:], '"')
			if j < 0 {
				return false
			}
			i += j + 1
		case '\\', '_', '*':
			i++ // the next character is literal (or a width/fill character)
		case '[':
			j := strings.IndexByte(code[i+1:], ']')
			if j < 0 {
				return false
			}
			if isElapsed(code[i+1 : i+1+j]) {
				return true
			}
			i += j + 1
		case ';':
			return false
		case 'd', 'D', 'm', 'M', 'y', 'Y', 'h', 'H', 's', 'S':
			return true
		}
	}
	return false
}

// isElapsed reports whether a bracket's content is an elapsed-time token: h, m or s
// repeated ([h], [hh], [mm], [ss]).
func isElapsed(s string) bool {
	if s == "" {
		return false
	}
	c := s[0] | 0x20
	if c != 'h' && c != 'm' && c != 's' {
		return false
	}
	for i := 1; i < len(s); i++ {
		if s[i]|0x20 != c {
			return false
		}
	}
	return true
}
