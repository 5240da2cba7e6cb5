package register

import (
	_ "embed"
	"encoding/csv"
	"fmt"
	"strings"

	"github.com/qoldau/qoldau/shared/refdata"
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
	columns   []Column         // by Field
	headerMap map[string]Field // normalised header text → field
	keyField  map[string]Field
)

func init() {
	recs, err := csv.NewReader(strings.NewReader(columnsCSV)).ReadAll()
	if err != nil {
		panic(fmt.Sprintf("register: columns.csv: %v", err)) // embedded data, covered by tests
	}
	headerMap = map[string]Field{}
	keyField = map[string]Field{}
	for i, r := range recs[1:] {
		c := Column{Field: Field(i), Key: r[0], Required: r[1] == "yes", KK: r[2], RU: r[3], EN: r[4]}
		if r[5] != "" {
			c.Aliases = strings.Split(r[5], "|")
		}
		columns = append(columns, c)
		keyField[c.Key] = c.Field
		for _, h := range append([]string{c.Key, c.KK, c.RU, c.EN}, c.Aliases...) {
			headerMap[headerNorm(h)] = c.Field
		}
	}
	if len(columns) != int(nFields) {
		panic(fmt.Sprintf("register: columns.csv has %d columns, want %d", len(columns), nFields))
	}
}

// Columns returns the register's columns in Annex 1 order.
func Columns() []Column { return append([]Column(nil), columns...) }

// Key returns the canonical key of f ("bin_iin").
func (f Field) Key() string { return columns[f].Key }

// headerNorm normalises a header: the code-list normalisation, with the seed's
// Cyrillic look-alikes in Latin words ("CCЕA") folded to Latin, and "_" treated as
// a space so canonical keys match too.
func headerNorm(s string) string {
	s = strings.ReplaceAll(s, "_", " ")
	n := refdata.Norm(s)
	if !strings.ContainsAny(n, "абвгдежзийклмнопрстуфхцчшщъыьэюяәғқңөұүһі") {
		return n
	}
	// Fold a stray Cyrillic letter inside an otherwise Latin word.
	words := strings.Split(n, " ")
	for i, w := range words {
		latin, cyr := 0, 0
		for _, r := range w {
			switch {
			case r >= 'a' && r <= 'z':
				latin++
			case r >= 0x400 && r <= 0x4ff:
				cyr++
			}
		}
		if latin > 0 && cyr > 0 && latin >= cyr {
			words[i] = strings.Map(cyrToLatin, w)
		}
	}
	return strings.Join(words, " ")
}

func cyrToLatin(r rune) rune {
	switch r {
	case 'а':
		return 'a'
	case 'е':
		return 'e'
	case 'о':
		return 'o'
	case 'р':
		return 'p'
	case 'с':
		return 'c'
	case 'х':
		return 'x'
	case 'у':
		return 'y'
	case 'к':
		return 'k'
	case 'м':
		return 'm'
	case 'т':
		return 't'
	case 'н':
		return 'h'
	case 'в':
		return 'b'
	case 'і':
		return 'i'
	}
	return r
}

// lookupHeader returns the field a header cell names.
func lookupHeader(s string) (Field, bool) {
	f, ok := headerMap[headerNorm(s)]
	return f, ok
}
