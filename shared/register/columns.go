package register

import (
	_ "embed"
	"encoding/csv"
	"fmt"
	"strings"

	"github.com/qoldau/qoldau/shared/table"
)

// Field is a register column, in the order of Annex 1 (then the optional channel).
type Field int

// The columns of Annex 1.
const (
	FRegion Field = iota
	FSettlement
	FServicePlace
	FEnterpriseName
	FClientName
	FBinIIN
	FGender
	FBirthDate
	FAge
	FDisability
	FLegalForm
	FCategory
	FOKEDSection
	FOKEDCode
	FService
	FServiceSubtype
	FManagerName
	FStartDate
	FEndDate
	FWorkPhone
	FMobilePhone
	FEmail
	FChannel
	nFields
)

// Column describes one register column: its key, whether it is required, and the
// header texts it is recognised by.
type Column struct {
	Field    Field
	Key      string
	Required bool
	KK       string
	RU       string
	EN       string
	Aliases  []string
}

//go:embed columns.csv
var columnsCSV string

var (
	columns []Column // by Field
	schema  *table.Schema
)

func init() {
	recs, err := csv.NewReader(strings.NewReader(columnsCSV)).ReadAll()
	if err != nil {
		panic(fmt.Sprintf("register: columns.csv: %v", err)) // embedded data, covered by tests
	}
	var cols []table.Column
	for i, r := range recs[1:] {
		c := Column{Field: Field(i), Key: r[0], Required: r[1] == "yes", KK: r[2], RU: r[3], EN: r[4]}
		if r[5] != "" {
			c.Aliases = strings.Split(r[5], "|")
		}
		columns = append(columns, c)
		cols = append(cols, table.Column{Key: c.Key, Required: c.Required, Headers: append([]string{c.KK, c.RU, c.EN}, c.Aliases...)})
	}
	if len(columns) != int(nFields) {
		panic(fmt.Sprintf("register: columns.csv has %d columns, want %d", len(columns), nFields))
	}
	schema = table.NewSchema(cols, 12)
}

// Columns returns the register's columns in Annex 1 order.
func Columns() []Column { return append([]Column(nil), columns...) }

// Key returns the canonical key of f ("bin_iin").
func (f Field) Key() string { return columns[f].Key }

// lookupHeader returns the field a header cell names.
func lookupHeader(s string) (Field, bool) {
	f, ok := schema.Lookup(s)
	return Field(f), ok
}
