package register

import (
	"github.com/qoldau/qoldau/shared/qoldau"
)

// CodeTitle is a finding code's short description, as counts by code show it (the
// report's rows in error, the notification letter's tables).
type CodeTitle struct {
	Code string `json:"code"`
	qoldau.Text
}

// codeTitles are the codes' descriptions (messages.json, "codes"), in order.
var codeTitles = struct{ Errors, Warnings []CodeTitle }{titles("codes.errors"), titles("codes.warnings")}

func titles(group string) []CodeTitle {
	var out []CodeTitle
	for _, e := range texts.List(group) {
		out = append(out, CodeTitle{Code: e.Code, Text: e.Text})
	}
	return out
}

// ErrorTitles lists the error codes in the order of the rules, each with its
// description in the three languages.
func ErrorTitles() []CodeTitle { return codeTitles.Errors }

// WarningTitles lists the warning codes likewise.
func WarningTitles() []CodeTitle { return codeTitles.Warnings }

// Title returns the description of code as a finding of severity sev (or of the
// other severity, when only that one has it); a code the catalogue does not know
// is its own description.
func Title(code string, sev qoldau.Severity) qoldau.Text {
	lists := [][]CodeTitle{codeTitles.Errors, codeTitles.Warnings}
	if sev == qoldau.SevWarning {
		lists[0], lists[1] = lists[1], lists[0]
	}
	for _, list := range lists {
		for _, t := range list {
			if t.Code == code {
				return t.Text
			}
		}
	}
	return qoldau.Text{KK: code, RU: code, EN: code}
}

// SeverityLabel names a severity: error or warning, in the three languages.
func SeverityLabel(sev qoldau.Severity) qoldau.Text { return sheetLabel("sev." + string(sev)) }

// sheetLabel is a label of the flagged workbook's own sheets and columns
// (messages.json, "sheet").
func sheetLabel(key string) qoldau.Text { return texts.Text("sheet." + key) }
