package reconcile

import (
	"github.com/qoldau/qoldau/shared/refdata"
	"github.com/qoldau/qoldau/shared/table"
)

// field is a column of an acts file.
type field int

// The columns of an acts file (clause 11; docs/rules.md, "Acts and reconciliation").
const (
	fNumber field = iota
	fActDate
	fBinIIN
	fService
	fSubtype
	fServiceDate
	fConfirmation
	nFields
)

// column describes one column: its canonical key, whether it is required and the
// header texts (Kazakh, Russian, English and common variants) it is recognised by.
type column struct {
	key      string
	required bool
	headers  []string
}

var columns = [nFields]column{
	fNumber: {"act_number", true, []string{
		"Акт нөмірі", "Акттің нөмірі", "Акт №", "№ акта", "Номер акта", "Act number", "Act No", "Act №"}},
	fActDate: {"act_date", true, []string{
		"Акт күні", "Акттің күні", "Акт жасалған күн", "Дата акта", "Дата составления акта", "Act date", "Date of act", "Date of the act"}},
	fBinIIN: {"bin_iin", true, []string{
		"ЖСН/БСН", "БСН/ЖСН", "ЖСН", "БСН", "ШОБ субъектілерінің ЖСН / БСН", "ШОБ субъектісінің ЖСН / БСН",
		"ИИН/БИН", "БИН/ИИН", "ИИН", "БИН", "ИИН / БИН субъекта МСБ", "ИИН / БИН клиента",
		"IIN/BIN", "BIN/IIN", "IIN", "BIN", "IIN / BIN of the SMB subject"}},
	fService: {"service", true, []string{
		"Қызмет", "Қызмет атауы", "Мамандандырылған қызмет атауы", "Көрсетілген қызмет",
		"Услуга", "Наименование услуги", "Наименование специализированной услуги", "Оказанная услуга",
		"Service", "Service name", "Name of specialized service"}},
	fSubtype: {"service_subtype", false, []string{
		"Қызметтің кіші түрі", "Қызмет кіші түрі", "Мамандандырылған қызметтің кіші түрінің атауы",
		"Подвид услуги", "Подвид", "Наименование подвида специализированной услуги",
		"Service subtype", "Subtype", "Name of subtype of specialized service"}},
	fServiceDate: {"service_date", true, []string{
		"Қызмет көрсетілген күн", "Қызмет көрсету күні", "Қызмет күні",
		"Дата оказания услуги", "Дата услуги", "Дата оказания",
		"Service date", "Date of service", "Date of the service", "Date service rendered"}},
	fConfirmation: {"confirmation", true, []string{
		"Растау", "Растау тәсілі", "Қол қою тәсілі", "Қол қою",
		"Подтверждение", "Способ подтверждения", "Способ подписания", "Подписание", "Подпись",
		"Confirmation", "Confirmation method", "Signing method", "Signature"}},
}

// key returns the canonical key of f ("bin_iin").
func (f field) key() string { return columns[f].key }

// schema finds the acts file's columns by their headers.
var schema = func() *table.Schema {
	cols := make([]table.Column, len(columns))
	for i, c := range columns {
		cols[i] = table.Column{Key: c.key, Required: c.required, Headers: c.headers}
	}
	return table.NewSchema(cols, minHeaders)
}()

// Confirmations of an act line.
const (
	EDS  = "eds"  // signed with an electronic digital signature
	TwoF = "2fa"  // an online service confirmed by two- or three-factor authentication
	None = "none" // unsigned
)

var confirmationWords = func() map[string]string {
	m := map[string]string{}
	for conf, words := range map[string][]string{
		EDS: {"eds", "ecp", "ЭЦП", "ЭЦҚ", "digital signature", "electronic digital signature", "e-signature",
			"электронная цифровая подпись", "подписан ЭЦП", "электрондық цифрлық қолтаңба", "ЭЦҚ арқылы қол қойылған"},
		TwoF: {"2fa", "3fa", "mfa", "двухфакторная", "трехфакторная", "двухфакторная аутентификация",
			"трехфакторная аутентификация", "two-factor", "three-factor", "two-factor authentication",
			"three-factor authentication", "sms", "смс", "otp", "екі факторлы", "үш факторлы",
			"екі факторлы аутентификация", "үш факторлы аутентификация"},
		None: {"none", "нет", "жоқ", "жок", "no", "unsigned", "not signed", "не подписан", "не подписано",
			"без подписи", "қол қойылмаған"},
	} {
		for _, w := range words {
			m[refdata.Norm(w)] = conf
		}
	}
	return m
}()

// ParseConfirmation reads a confirmation cell: "eds", "2fa" or "none", or one of
// their aliases in Kazakh, Russian or English (ЭЦП / ЭЦҚ / digital signature;
// двухфакторная / two-factor / sms / otp; нет / жоқ / unsigned / не подписан),
// matched case-insensitively after normalisation. ok is false for anything else.
func ParseConfirmation(s string) (conf string, ok bool) {
	conf, ok = confirmationWords[refdata.Norm(s)]
	return conf, ok
}
