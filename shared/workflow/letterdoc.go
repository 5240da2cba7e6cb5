package workflow

import (
	"os"

	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/workday"

	"github.com/qoldau/qoldau/shared/letter"
	"github.com/qoldau/qoldau/shared/qoldau"
	"github.com/qoldau/qoldau/shared/register"
)

func init() { renderLetter = writeLetterDOCX }

// letterData is what a letter document shows of a version and its findings.
func (s *Service) letterData(l *qoldau.Letter, v *qoldau.Version, res *register.Result) letter.Data {
	d := letter.Data{
		Agency: qoldau.Text{KK: s.Agency, RU: s.Agency}, Operator: qoldau.Text{KK: s.Operator, RU: s.Operator},
		Period: v.Period, Version: v.Number, FileName: v.FileName, SHA256: v.SHA256,
		Received: v.Received, Detected: l.Drafted, SendDue: l.SendDue, CorrectionDays: s.CorrectionDays,
		CorrectionDue: l.CorrectionDue, Rows: v.Rows, Errors: l.Errors,
	}
	if l.Files["xlsx"] != "" {
		d.Attachment = l.ID + ".flagged.xlsx"
	}
	if res != nil {
		d.Findings, d.Warnings = listed(res)
		if d.Errors == nil {
			d.Errors = map[string]int{}
		}
	}
	if l.IsSent() {
		d.Number = l.Number
		d.Date = civil.Of(l.Sent.In(workday.Almaty()))
	}
	return d
}

// listed returns the findings a letter lists (the first letter.DefaultMaxListed
// errors and warnings, in report order) and the warnings counted by code, reading
// the findings from disk once.
func listed(res *register.Result) ([]qoldau.Finding, map[string]int) {
	var errs, warns []qoldau.Finding
	counts := map[string]int{}
	res.Findings.Each(func(f *qoldau.Finding) error {
		if f.Severity == qoldau.SevWarning {
			counts[f.Code]++
			if len(warns) < letter.DefaultMaxListed {
				warns = append(warns, *f)
			}
		} else if len(errs) < letter.DefaultMaxListed {
			errs = append(errs, *f)
		}
		return nil
	})
	return append(errs, warns...), counts
}

func writeLetterDOCX(s *Service, path string, l *qoldau.Letter, v *qoldau.Version, res *register.Result) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	if err := letter.DOCX(f, s.letterData(l, v, res)); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
