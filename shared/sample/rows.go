package sample

import (
	"bytes"
	"time"

	"github.com/qoldau/qoldau/shared/qoldau"
	"github.com/qoldau/qoldau/shared/register"
	"github.com/qoldau/qoldau/shared/workday"
)

// Rows validates the register opt describes, as received at 09:00 on the 1st of
// the next month, and returns its rows: what an upload of it stores (faulty rows
// with their error counts and codes).
func Rows(opt Options) ([]qoldau.Row, error) {
	var csv bytes.Buffer
	if _, err := WriteCSV(&csv, opt); err != nil {
		return nil, err
	}
	first := opt.Period.Add(1).First()
	y, m, d := first.Date()
	var out []qoldau.Row
	_, err := register.Validate(bytes.NewReader(csv.Bytes()), int64(csv.Len()), register.Options{
		Period: opt.Period, HasPeriod: true, Ref: opt.Ref,
		Received: time.Date(y, m, d, 9, 0, 0, 0, workday.Almaty()),
	}, func(r *qoldau.Row) {
		c := *r
		c.Codes = append([]string(nil), r.Codes...)
		out = append(out, c)
	})
	return out, err
}
