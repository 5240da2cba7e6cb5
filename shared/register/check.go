package register

import (
	"hash/maphash"
	"strconv"
	"strings"

	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/iin"
	"github.com/qoldau/qoldau/shared/qoldau"
	"github.com/qoldau/qoldau/shared/refdata"
	"github.com/qoldau/qoldau/shared/table"
	"github.com/qoldau/qoldau/shared/xlsx"
)

// checkRow validates one row; false when the row is blank (not a data row).
func (v *validator) checkRow(num int, cells []xlsx.Cell) bool {
	v.vals = [nFields]string{}
	v.cells = [nFields]*xlsx.Cell{}
	any := false
	for i := range cells {
		c := &cells[i]
		if c.Col >= len(v.colField) {
			continue
		}
		f := v.colField[c.Col]
		if f < 0 {
			if table.Trim(c.Value) != "" {
				any = true // data in an extra column still makes a row
			}
			continue
		}
		val := table.Trim(c.Value)
		if val == "" {
			continue
		}
		v.vals[f] = val
		v.cells[f] = c
		any = true
	}
	if !any {
		return false
	}
	v.num, v.nErr, v.nWarn = num, 0, 0
	v.row = qoldau.Row{Num: num}
	r := &v.row
	ref := v.ref

	for _, c := range columns {
		if c.Required && v.vals[c.Field] == "" {
			v.errf("required-missing", c.Field)
		}
	}

	// Dates first: several checks depend on them.
	birth, okBirth := v.date(FBirthDate)
	start, okStart := v.date(FStartDate)
	end, okEnd := v.date(FEndDate)
	r.BirthDate, r.StartDate, r.EndDate = birth, start, end

	if s := v.vals[FRegion]; s != "" {
		if reg, ok := ref.Region(s); !ok {
			v.errf("unknown-value", FRegion)
		} else if okEnd && !reg.ValidAt(end) {
			v.add("unknown-value", "unknown-value.region-date", qoldau.SevError, FRegion, "")
		} else {
			r.Region = reg.Code
		}
	}
	r.Settlement = v.vals[FSettlement]
	if s := v.vals[FServicePlace]; s != "" {
		if p, centre, ok := ref.Place(s); ok {
			r.Place, r.Centre, r.Online = p.Code, centre, p.Online
		} else {
			v.errf("unknown-value", FServicePlace)
		}
	}
	r.Enterprise = v.vals[FEnterpriseName]
	if s := v.vals[FClientName]; s != "" {
		if nameOK(s) {
			r.ClientName = s
		} else {
			v.errf("name-format", FClientName)
		}
	}
	if s := v.vals[FManagerName]; s != "" {
		if nameOK(s) {
			r.Manager = s
		} else {
			v.errf("name-format", FManagerName)
		}
	}

	var id iin.Info
	okID := false
	if s := v.vals[FBinIIN]; s != "" {
		id, okID = v.binIIN(s)
	}
	if s := v.vals[FGender]; s != "" {
		if g, ok := parseGender(s); ok {
			r.Gender = g
		} else {
			v.errf("unknown-value", FGender)
		}
	}
	okAge := false
	if s := v.vals[FAge]; s != "" {
		if n, ok := parseWhole(v.cells[FAge], s); ok {
			r.Age, okAge = n, true
		} else {
			v.add("type-error", "type-error.number", qoldau.SevError, FAge, "")
		}
	}
	if s := v.vals[FDisability]; s != "" {
		if yes, ok := parseYesNo(s, true); ok {
			r.Disability = yes
		} else {
			v.errf("unknown-value", FDisability)
		}
	}
	var lf refdata.LegalForm
	okLF := false
	if s := v.vals[FLegalForm]; s != "" {
		if lf, okLF = ref.LegalForm(s); okLF {
			r.LegalForm = lf.Code
		} else {
			v.errf("unknown-value", FLegalForm)
		}
	}
	if s := v.vals[FCategory]; s != "" {
		if cat, ok := ref.Category(s); !ok {
			v.errf("unknown-value", FCategory)
		} else if !cat.SMB {
			v.errf("not-smb", FCategory)
		} else {
			r.Category = cat.Code
		}
	}
	var sec refdata.Section
	okSec := false
	if s := v.vals[FOKEDSection]; s != "" {
		if sec, okSec = ref.Section(s); okSec {
			r.OKEDSection = sec.Code
		} else {
			v.errf("unknown-value", FOKEDSection)
		}
	}
	if s := v.vals[FOKEDCode]; s != "" {
		div, ok := okedCode(s)
		var dsec refdata.Section
		if ok {
			dsec, ok = ref.SectionOfDivision(div)
		}
		switch {
		case !ok:
			v.add("unknown-value", "unknown-value.oked", qoldau.SevError, FOKEDCode, "")
		case okSec && dsec.Code != sec.Code:
			v.add("oked-mismatch", "oked-mismatch", qoldau.SevError, FOKEDCode, dsec.Code)
		default:
			r.OKEDCode = s
		}
	}
	var svc refdata.Service
	okSvc := false
	if s := v.vals[FService]; s != "" {
		if svc, okSvc = ref.Service(s); okSvc {
			r.Service = svc.Code
		} else {
			v.errf("unknown-value", FService)
		}
	}
	if s := v.vals[FServiceSubtype]; s != "" {
		r.Subtype = s
		if okSvc && len(svc.Subtypes) > 0 {
			n := refdata.Norm(s)
			found := false
			for _, st := range svc.Subtypes {
				if matchItem(st, n) {
					r.Subtype, found = st.Code, true
					break
				}
			}
			if !found {
				v.errf("unknown-value", FServiceSubtype)
			}
		}
	}
	if s := v.vals[FChannel]; s != "" {
		if online, ok := parseChannel(s); ok {
			r.Online = online
		} else {
			v.errf("unknown-value", FChannel)
		}
	}
	if s := v.vals[FWorkPhone]; s != "" {
		if p, ok := normPhone(v.phoneText(FWorkPhone)); ok {
			r.WorkPhone = p
		} else {
			v.add("phone-format", "phone-format.work", qoldau.SevError, FWorkPhone, "")
		}
	}
	if s := v.vals[FMobilePhone]; s != "" {
		if p, ok := normPhone(v.phoneText(FMobilePhone)); ok && mobileOK(ref, p) {
			r.Mobile = p
		} else {
			v.add("phone-format", "phone-format.mobile", qoldau.SevError, FMobilePhone, "")
		}
	}
	if s := v.vals[FEmail]; s != "" {
		if emailOK(s) {
			r.Email = s
		} else {
			v.errf("email-format", FEmail)
		}
	}
	if v.vals[FWorkPhone] == "" && v.vals[FMobilePhone] == "" && v.vals[FEmail] == "" {
		f := FMobilePhone
		for _, g := range []Field{FMobilePhone, FWorkPhone, FEmail} {
			if v.res.Cols[g] >= 0 {
				f = g
				break
			}
		}
		v.add("no-contact", "no-contact", qoldau.SevWarning, f, "")
	}

	// Cross-field checks.
	if okID && okLF {
		switch {
		case id.Kind == iin.IIN && !lf.IIN:
			v.add("bin-iin-kind", "bin-iin-kind.need-bin", qoldau.SevError, FBinIIN, v.vals[FLegalForm])
		case id.Kind == iin.BIN && lf.BINResidency == "":
			v.add("bin-iin-kind", "bin-iin-kind.need-iin", qoldau.SevError, FBinIIN, v.vals[FLegalForm])
		case id.Kind == iin.BIN && (!strings.ContainsRune(lf.BINResidency, rune(id.Residency)) ||
			(lf.BINType != "" && !strings.ContainsRune(lf.BINType, rune(id.EntityType)))):
			v.add("bin-iin-kind", "bin-iin-kind.bin-type", qoldau.SevError, FBinIIN, v.vals[FLegalForm])
		}
	}
	if okID && id.Kind == iin.IIN {
		if okBirth && id.Birth != birth {
			v.add("iin-birth-date", "iin-birth-date", qoldau.SevWarning, FBinIIN, "")
		}
		if r.Gender != "" && id.Male != (r.Gender == "male") {
			v.add("iin-gender", "iin-gender", qoldau.SevWarning, FBinIIN, "")
		}
	}
	if okBirth && okStart {
		if birth > start {
			v.add("date-order", "date-order.birth", qoldau.SevError, FBirthDate, "")
		} else {
			computed := civil.YearsBetween(birth, start)
			if okAge {
				d := r.Age - computed
				if d < 0 {
					d = -d
				}
				switch {
				case d >= 2:
					v.add("age-mismatch", "age-mismatch", qoldau.SevError, FAge, strconv.Itoa(computed))
				case d == 1:
					v.add("age-mismatch", "age-mismatch", qoldau.SevWarning, FAge, strconv.Itoa(computed))
				}
			}
			if computed < 14 || computed > 100 {
				v.add("age-range", "age-range", qoldau.SevError, FBirthDate, strconv.Itoa(computed))
			}
		}
	}
	if okStart && okEnd && end < start {
		v.add("date-order", "date-order.end", qoldau.SevError, FEndDate, "")
	}
	if okEnd && v.opt.HasPeriod && !v.opt.Period.Contains(end) {
		v.add("out-of-period", "out-of-period", qoldau.SevError, FEndDate, v.opt.Period.String())
	}
	for _, d := range [...]struct {
		ok bool
		d  civil.Date
		f  Field
	}{{okBirth, birth, FBirthDate}, {okStart, start, FStartDate}, {okEnd, end, FEndDate}} {
		if d.ok && d.d > v.received {
			v.add("future-date", "future-date", qoldau.SevError, d.f, v.received.DMY())
		}
	}

	// Merged cells across columns: a remark on the first cell.
	for _, mr := range v.rowMerges {
		v.nWarn++
		v.row.Codes = append(v.row.Codes, "merged-cells")
		fd := table.MergeFinding(mr)
		v.count(&fd)
		v.rowFindings = append(v.rowFindings, fd)
	}

	// Keys.
	r.EnterpriseKey = r.BinIIN
	v.nameKey = ClientNameKey(v.vals[FClientName])
	if r.ClientName != "" && okBirth {
		r.ClientKey = v.nameKey + "|" + birth.String()
	}
	v.duplicate(okStart, okEnd)

	r.Errors, r.Warnings = v.nErr, v.nWarn
	m := rowMark{num: int32(num), end: end}
	if v.nErr > 0 {
		m.flags |= markErr
	}
	if v.nWarn > 0 {
		m.flags |= markWarn
	}
	if okEnd {
		m.flags |= markEnd
	}
	v.marks = append(v.marks, m)
	if v.each != nil {
		v.each(r)
	}
	return true
}

// date parses a date field, recording a type-error when it does not parse.
func (v *validator) date(f Field) (civil.Date, bool) {
	s := v.vals[f]
	if s == "" {
		return 0, false
	}
	d, p := parseDate(v.cells[f], s, v.date1904)
	switch p {
	case "":
		return d, true
	case "excel-error":
		v.add("type-error", "type-error.excel-error", qoldau.SevError, f, s)
	case "year2":
		v.add("type-error", "type-error.year2", qoldau.SevError, f, "")
	default:
		v.add("type-error", "type-error.date", qoldau.SevError, f, "")
	}
	return 0, false
}

// phoneText is the phone cell's text, with a number cell's digits written out.
func (v *validator) phoneText(f Field) string {
	if c := v.cells[f]; c != nil && c.Type == xlsx.Number {
		return table.NumberDigits(v.vals[f])
	}
	return v.vals[f]
}

// binIIN checks the IIN/BIN cell.
func (v *validator) binIIN(s string) (iin.Info, bool) {
	c := v.cells[FBinIIN]
	digits := table.StripSpaces(s)
	if c.Type == xlsx.Number {
		digits = table.NumberDigits(digits)
		if table.AllDigits(digits) && len(digits) < 12 && len(digits) >= 9 {
			v.add("bin-iin-format", "bin-iin-format.lost-zeros", qoldau.SevError, FBinIIN, strconv.Itoa(len(digits)))
			return iin.Info{}, false
		}
	}
	if c.Type == xlsx.String {
		// A CSV saved by Excel holds what Excel showed: an IIN/BIN it had made a
		// number, without its leading zeros or in exponent notation.
		if exponentNumber(digits) {
			v.add("bin-iin-format", "bin-iin-format.exponent", qoldau.SevError, FBinIIN, digits)
			return iin.Info{}, false
		}
		if lostZeros(digits) {
			v.add("bin-iin-format", "bin-iin-format.lost-zeros", qoldau.SevError, FBinIIN, strconv.Itoa(len(digits)))
			return iin.Info{}, false
		}
	}
	if c.Type == xlsx.ErrorValue {
		v.add("type-error", "type-error.excel-error", qoldau.SevError, FBinIIN, s)
		return iin.Info{}, false
	}
	info, p := iin.Parse(digits)
	switch p {
	case iin.OK:
		v.row.BinIIN = digits
		return info, true
	case iin.Format:
		v.errf("bin-iin-format", FBinIIN)
	case iin.Impossible:
		v.add("bin-iin-format", "bin-iin-format.impossible", qoldau.SevError, FBinIIN, "")
	default:
		v.errf("bin-iin-checksum", FBinIIN)
	}
	return iin.Info{}, false
}

// exponentNumber tells a number in Excel's exponent notation with a decimal point
// or comma: "1,90840E+11", "8.50515E+11".
func exponentNumber(s string) bool {
	i := strings.IndexAny(s, "eE")
	if i < 3 || (s[1] != '.' && s[1] != ',') || !table.AllDigits(s[:1]) || !table.AllDigits(s[2:i]) {
		return false
	}
	exp := strings.TrimPrefix(s[i+1:], "+")
	return table.AllDigits(exp) && len(exp) <= 2
}

// lostZeros tells 9 to 11 digits that are a valid IIN/BIN once the zeros a number
// drops are put back in front.
func lostZeros(s string) bool {
	if len(s) < 9 || len(s) > 11 || !table.AllDigits(s) {
		return false
	}
	_, p := iin.Parse(strings.Repeat("0", 12-len(s)) + s)
	return p == iin.OK
}

// duplicate finds a row repeating an earlier one (same BIN/IIN, client name,
// service, subtype, start and end dates).
func (v *validator) duplicate(okStart, okEnd bool) {
	r := &v.row
	if v.vals[FBinIIN] == "" && v.vals[FClientName] == "" && v.vals[FService] == "" {
		return
	}
	var h1, h2 maphash.Hash
	h1.SetSeed(v.seed1)
	h2.SetSeed(v.seed2)
	write := func(s string) {
		h1.WriteString(s)
		h1.WriteByte(0)
		h2.WriteString(s)
		h2.WriteByte(0)
	}
	write(table.StripSpaces(v.vals[FBinIIN]))
	write(v.nameKey)
	if r.Service != "" {
		write(r.Service)
	} else {
		write(refdata.Norm(v.vals[FService]))
	}
	write(refdata.Norm(v.vals[FServiceSubtype]))
	for _, d := range [...]struct {
		ok bool
		d  civil.Date
		f  Field
	}{{okStart, r.StartDate, FStartDate}, {okEnd, r.EndDate, FEndDate}} {
		if d.ok {
			b := [4]byte{byte(d.d), byte(d.d >> 8), byte(d.d >> 16), byte(d.d >> 24)}
			write(string(b[:]))
		} else {
			write("?" + v.vals[d.f])
		}
	}
	key := [2]uint64{h1.Sum64(), h2.Sum64()}
	if prev, ok := v.dup[key]; ok {
		v.add("duplicate-row", "duplicate-row", qoldau.SevError, FBinIIN, strconv.Itoa(int(prev)))
		return
	}
	v.dup[key] = int32(v.num)
}

// matchItem reports whether the normalised text n names the item.
func matchItem(it refdata.Item, n string) bool {
	if refdata.Norm(it.Code) == n || refdata.Norm(it.Label.KK) == n || refdata.Norm(it.Label.RU) == n || refdata.Norm(it.Label.EN) == n {
		return true
	}
	for _, a := range it.Aliases {
		if refdata.Norm(a) == n {
			return true
		}
	}
	return false
}
