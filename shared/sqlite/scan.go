package sqlite

import (
	"encoding/binary"
	"errors"

	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/qoldau"
)

// A row also keeps a packed copy of the fields ScanRows fills, in its column scan:
// the driver's cost is per column (about 0.8 µs a column a row, most of a report's
// time over a million rows), so one blob reads five to seven times faster than the
// twenty-three columns it holds (README, Performance). The columns stay the record
// an analyst queries; rows stored before the column existed have no copy, and
// ScanRows reads their columns instead.
//
// The copy is: a format byte (1); then region, settlement, service_place, centre,
// client_name, bin_iin, gender as strings; birth_date as a date; disability as a
// bool; legal_form, category, oked_section, service, service_subtype, manager_name
// as strings; start_date, end_date as dates; mobile_phone as a string; online as a
// bool; client_key as a string; errors as a uvarint; codes as a uvarint count of
// strings. A string is a uvarint length and its bytes, a date a varint of days
// since 1970-01-01 (0: none), a bool a byte.
const scanFormat = 1

var errScanFormat = errors.New("a row's packed copy cannot be read")

func init() {
	addMigrations("scan",
		// 1: the packed copy of the fields the report's fast path reads.
		`ALTER TABLE rows ADD COLUMN scan BLOB;`)
}

// appendScan appends the packed copy of r to b.
func appendScan(b []byte, r *qoldau.Row) []byte {
	str := func(s string) {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	date := func(d civil.Date) { b = binary.AppendVarint(b, int64(d)) }
	flag := func(x bool) {
		if x {
			b = append(b, 1)
		} else {
			b = append(b, 0)
		}
	}
	b = append(b, scanFormat)
	str(r.Region)
	str(r.Settlement)
	str(r.Place)
	str(r.Centre)
	str(r.ClientName)
	str(r.BinIIN)
	str(r.Gender)
	date(r.BirthDate)
	flag(r.Disability)
	str(r.LegalForm)
	str(r.Category)
	str(r.OKEDSection)
	str(r.Service)
	str(r.Subtype)
	str(r.Manager)
	date(r.StartDate)
	date(r.EndDate)
	str(r.Mobile)
	flag(r.Online)
	str(r.ClientKey)
	b = binary.AppendUvarint(b, uint64(r.Errors))
	b = binary.AppendUvarint(b, uint64(len(r.Codes)))
	for _, c := range r.Codes {
		str(c)
	}
	return b
}

// scanDecoder reads packed copies, sharing the strings of code lists, places and
// managers among rows.
type scanDecoder struct {
	shared map[string]string
}

func (d *scanDecoder) intern(b []byte) string {
	if v, ok := d.shared[string(b)]; ok {
		return v
	}
	v := string(b)
	if len(d.shared) < 1<<16 {
		d.shared[v] = v
	}
	return v
}

// decode fills r's ScanRows fields from a packed copy (r.Num is the caller's).
func (d *scanDecoder) decode(b []byte, r *qoldau.Row) error {
	bad := false
	next := func() []byte {
		n, k := binary.Uvarint(b)
		if k <= 0 || uint64(len(b)-k) < n {
			bad, b = true, nil
			return nil
		}
		s := b[k : k+int(n)]
		b = b[k+int(n):]
		return s
	}
	date := func() civil.Date {
		v, k := binary.Varint(b)
		if k <= 0 {
			bad, b = true, nil
			return 0
		}
		b = b[k:]
		return civil.Date(v)
	}
	flag := func() bool {
		if len(b) == 0 {
			bad = true
			return false
		}
		x := b[0] != 0
		b = b[1:]
		return x
	}
	uint := func() int {
		v, k := binary.Uvarint(b)
		if k <= 0 {
			bad, b = true, nil
			return 0
		}
		b = b[k:]
		return int(v)
	}
	if len(b) == 0 || b[0] != scanFormat {
		return errScanFormat
	}
	b = b[1:]
	r.Region = d.intern(next())
	r.Settlement = d.intern(next())
	r.Place = d.intern(next())
	r.Centre = d.intern(next())
	r.ClientName = string(next())
	r.BinIIN = string(next())
	r.Gender = d.intern(next())
	r.BirthDate = date()
	r.Disability = flag()
	r.LegalForm = d.intern(next())
	r.Category = d.intern(next())
	r.OKEDSection = d.intern(next())
	r.Service = d.intern(next())
	r.Subtype = d.intern(next())
	r.Manager = d.intern(next())
	r.StartDate = date()
	r.EndDate = date()
	r.Mobile = string(next())
	r.Online = flag()
	r.ClientKey = string(next())
	r.Errors = uint()
	n := uint()
	r.Codes = r.Codes[:0]
	for i := 0; i < n && !bad; i++ {
		r.Codes = append(r.Codes, d.intern(next()))
	}
	if bad || len(b) != 0 {
		return errScanFormat
	}
	return nil
}
