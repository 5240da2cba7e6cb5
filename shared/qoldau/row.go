package qoldau

import "github.com/qoldau/qoldau/shared/civil"

// Row is one service of a register (Annex 1), normalised: code-list values are
// codes, phones are +7XXXXXXXXXX, dates are civil dates. Fields that did not parse are
// left zero; Errors counts the row's error findings (a row with any error is rejected
// and counts in no indicator) and Warnings its warnings.
type Row struct {
	Num int `json:"row"` // the Excel row (1-based) or CSV line

	Region      string     `json:"region"`        // KATO code
	Settlement  string     `json:"settlement"`    //
	Place       string     `json:"service_place"` // place type code
	Centre      string     `json:"centre,omitempty"`
	Enterprise  string     `json:"enterprise_name"`
	ClientName  string     `json:"client_name"`
	BinIIN      string     `json:"bin_iin"`
	Gender      string     `json:"gender"` // male | female
	BirthDate   civil.Date `json:"birth_date"`
	Age         int        `json:"age"`
	Disability  bool       `json:"disability"`
	LegalForm   string     `json:"legal_form"`
	Category    string     `json:"category"`
	OKEDSection string     `json:"oked_section"`
	OKEDCode    string     `json:"oked_code"`
	Service     string     `json:"service"`
	Subtype     string     `json:"service_subtype,omitempty"`
	Manager     string     `json:"manager_name"`
	StartDate   civil.Date `json:"start_date"`
	EndDate     civil.Date `json:"end_date"`
	WorkPhone   string     `json:"work_phone,omitempty"`
	Mobile      string     `json:"mobile_phone,omitempty"`
	Email       string     `json:"email,omitempty"`
	Online      bool       `json:"online"`

	ClientKey     string `json:"client_key"`     // normalised name + "|" + birth date
	EnterpriseKey string `json:"enterprise_key"` // the BIN/IIN

	Errors   int      `json:"errors"`
	Warnings int      `json:"warnings"`
	Codes    []string `json:"codes,omitempty"` // codes of the row's findings, errors first
}

// Rejected reports whether the row has an error finding.
func (r *Row) Rejected() bool { return r.Errors > 0 }
