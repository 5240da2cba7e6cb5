package register

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/qoldau/qoldau/shared/qoldau"
)

// TestCodeTitles checks that every finding code a register can get has a
// description in the three languages, so that no report, letter, workbook or
// summary shows a bare code: the codes of the register's messages and the
// file-level problems of the table reader.
func TestCodeTitles(t *testing.T) {
	var msgs struct {
		Messages map[string]qoldau.Text `json:"messages"`
	}
	if err := json.Unmarshal(messagesJSON, &msgs); err != nil {
		t.Fatal(err)
	}
	codes := []string{"merged-cells", "footer", "sheet-choice", "file-unreadable"}
	for k := range msgs.Messages {
		if k == "flag-more" || k == "wrong-period" { // not findings: a note and a refusal
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
