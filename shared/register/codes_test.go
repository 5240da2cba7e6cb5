package register

import (
	"strings"
	"testing"

	"github.com/qoldau/qoldau/shared/qoldau"
)

// TestCodeTitles checks that every finding code a register can get has a
// description in the three languages, so that no report, letter, workbook or
// summary shows a bare code: the codes of the register's messages and the
// file-level problems of the table reader.
func TestCodeTitles(t *testing.T) {
	codes := []string{"merged-cells", "footer", "sheet-choice", "file-unreadable"}
	for _, k := range texts.Keys() {
		k, ok := strings.CutPrefix(k, "messages.")
		if !ok || k == "flag-more" || k == "wrong-period" { // not findings: a note and a refusal
			continue
		}
		codes = append(codes, strings.Split(k, ".")[0])
	}
	for _, c := range codes {
		for _, sev := range []qoldau.Severity{qoldau.SevError, qoldau.SevWarning} {
			x := Title(c, sev)
			if x.KK == c || x.RU == c || x.EN == c || x.KK == "" || x.RU == "" || x.EN == "" {
				t.Errorf("%s (%s) has no description in every language: %+v", c, sev, x)
			}
		}
	}
	for _, l := range append(ErrorTitles(), WarningTitles()...) {
		if l.KK == "" || l.RU == "" || l.EN == "" {
			t.Errorf("%s lacks a language", l.Code)
		}
	}
	for _, k := range []string{"errors", "register", "row", "cell", "error", "severity", "field", "value", "message",
		"sev.error", "sev.warning"} {
		if x := sheetLabel(k); x.KK == "" || x.RU == "" || x.EN == "" {
			t.Errorf("sheet label %s lacks a language", k)
		}
	}
}
