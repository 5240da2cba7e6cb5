package reconcile

import (
	"bytes"
	"testing"
	"time"

	"github.com/qoldau/qoldau/shared/qoldau"
	"github.com/qoldau/qoldau/shared/xlsx"
)

// FuzzReadActs feeds arbitrary files to the acts import (the seed corpus, CSV and
// .xlsx acts files, is in testdata/fuzz/FuzzReadActs): it may refuse them, but must
// not panic or hang, and what it returns must add up.
func FuzzReadActs(f *testing.F) {
	f.Add([]byte("act_number;act_date;bin_iin;service;service_subtype;service_date;confirmation\r" +
		"7;09.10.2026;850515300017;tax;;2026-10-07;2fa\r\"8\";46304;'850515300017;Налоговая\n\"\"отчетность\"\";;07.10.2026;eds"))
	f.Fuzz(func(t *testing.T, data []byte) {
		lim := xlsx.Limits{MaxRatio: 1 << 20, MaxRows: 2000, MaxColumns: 32}
		res, err := ReadActs(bytes.NewReader(data), int64(len(data)), "acts", "", time.Time{}, nil, lim)
		if err != nil {
			t.Fatalf("ReadActs: %v", err)
		}
		if len(res.Acts)+res.Rejected > res.Read {
			t.Fatalf("read %d, acts %d, rejected %d", res.Read, len(res.Acts), res.Rejected)
		}
		for _, fd := range res.Findings {
			if fd.Message.KK == "" || fd.Message.RU == "" || fd.Message.EN == "" {
				t.Fatalf("finding without a message: %+v", fd)
			}
			if fd.Severity != qoldau.SevError && fd.Severity != qoldau.SevWarning {
				t.Fatalf("finding without a severity: %+v", fd)
			}
		}
	})
}
