package refdata

import (
	"fmt"
	"strconv"

	"github.com/qoldau/qoldau/shared/qoldau"
)

// msg formats the three language variants of a message with the same arguments.
// The Kazakh and Russian formats may reorder them with %[n] verbs.
func msg(kk, ru, en string, args ...any) qoldau.Text {
	return qoldau.Text{
		KK: fmt.Sprintf(kk, args...),
		RU: fmt.Sprintf(ru, args...),
		EN: fmt.Sprintf(en, args...),
	}
}

// bad returns the invalid-data error for file at line (0: the file as a whole).
func bad(file string, line int, m qoldau.Text) error {
	var kk, ru, en string
	if line > 0 {
		n := strconv.Itoa(line)
		kk, ru, en = file+", "+n+"-жол: ", file+", строка "+n+": ", file+", line "+n+": "
	} else {
		kk, ru, en = file+": ", file+": ", file+": "
	}
	return qoldau.E(qoldau.Invalid, qoldau.Text{KK: kk + m.KK, RU: ru + m.RU, EN: en + m.EN}, nil)
}

// Messages of load errors, in Kazakh, Russian and English.

func errNotUTF8() qoldau.Text {
	return msg("файл UTF-8 кодтауында емес", "файл не в кодировке UTF-8", "the file is not UTF-8 text")
}

func errCSV(err error) qoldau.Text {
	return msg("CSV пішімі қате: %v", "ошибка формата CSV: %v", "not valid CSV: %v", err)
}

func errNoHeader() qoldau.Text {
	return msg("файлда тақырып жолы жоқ", "в файле нет строки заголовков", "the file has no header row")
}

func errMissingColumn(col string) qoldau.Text {
	return msg("%q бағаны жоқ", "нет столбца %q", "missing column %q", col)
}

func errUnknownColumn(col string) qoldau.Text {
	return msg("белгісіз баған %q", "неизвестный столбец %q", "unknown column %q", col)
}

func errDuplicateColumn(col string) qoldau.Text {
	return msg("%q бағаны екі рет кездеседі", "столбец %q указан дважды", "column %q appears twice", col)
}

func errFieldCount(want, got int) qoldau.Text {
	return msg("өрістер саны %[2]d, ал %[1]d болуы керек", "полей %[2]d, а должно быть %[1]d", "%[2]d fields, want %[1]d", want, got)
}

func errEmpty(col string) qoldau.Text {
	return msg("%q бағаны толтырылмаған", "столбец %q не заполнен", "column %q is empty", col)
}

func errNoRows() qoldau.Text {
	return msg("файлда деректер жолы жоқ", "в файле нет строк с данными", "the file has no data rows")
}

func errDuplicateCode(code string, first int) qoldau.Text {
	return msg("%q коды қайталанады (алғаш рет %d-жолда)", "код %q повторяется (впервые в строке %d)",
		"code %q appears twice (first on line %d)", code, first)
}

func errDuplicateName(name, other string) qoldau.Text {
	return msg("%q атауы %q кодына да сәйкес келеді", "название %q уже относится к коду %q",
		"the name %q already names code %q", name, other)
}

func errDate(col, v string) qoldau.Text {
	return msg("%[1]q бағанындағы %[2]q ЖЖЖЖ-АА-КК пішіміндегі күн емес", "%[2]q в столбце %[1]q не является датой ГГГГ-ММ-ДД",
		"%[2]q in column %[1]q is not a date YYYY-MM-DD", col, v)
}

func errDateOrder(from, to string) qoldau.Text {
	return msg("valid_from (%s) valid_to (%s) күнінен кейін", "valid_from (%s) позже valid_to (%s)",
		"valid_from (%s) is after valid_to (%s)", from, to)
}

func errInt(col, v string) qoldau.Text {
	return msg("%[1]q бағанындағы %[2]q бүтін сан емес", "%[2]q в столбце %[1]q не является целым числом",
		"%[2]q in column %[1]q is not a whole number", col, v)
}

func errBool(col, v string) qoldau.Text {
	return msg("%[1]q бағанындағы %[2]q: true немесе false болуы керек", "%[2]q в столбце %[1]q: ожидается true или false",
		"%[2]q in column %[1]q is not true or false", col, v)
}

func errRegionCode(v string) qoldau.Text {
	return msg("%q коды 9 цифрдан тұруы керек (ӘАОЖ)", "код %q должен состоять из 9 цифр (КАТО)",
		"code %q must be 9 digits (KATO)", v)
}

func errSectionCode(v string) qoldau.Text {
	return msg("%q бөлімі бір латын бас әрпі болуы керек", "секция %q должна быть одной заглавной латинской буквой",
		"section %q must be one Latin capital letter", v)
}

func errDivisions(v string) qoldau.Text {
	return msg("%q: бөлімдер 01-ден 99-ға дейінгі екі таңбалы сандар немесе 01-03 түріндегі аралықтар болуы керек",
		"%q: разделы должны быть двузначными числами от 01 до 99 или диапазонами вида 01-03",
		"%q: divisions must be two-digit numbers 01 to 99 or ranges such as 01-03", v)
}

func errDivisionTwice(div int, section string) qoldau.Text {
	return msg("%02d бөлімі %s секциясында да бар", "раздел %02d уже входит в секцию %s",
		"division %02d is already in section %s", div, section)
}

func errDigits(col, v, allowed string) qoldau.Text {
	return msg("%[1]q бағанында тек %[3]s цифрлары болуы мүмкін, ал %[2]q берілген", "в столбце %[1]q допустимы только цифры %[3]s, а указано %[2]q",
		"column %[1]q may only hold the digits %[3]s, not %[2]q", col, v, allowed)
}

func errNoNumber() qoldau.Text {
	return msg("нысан ЖСН-ге де, БСН-ге де рұқсат бермейді", "форма не допускает ни ИИН, ни БИН",
		"the form allows neither an IIN nor a BIN")
}

func errUnknownService(v string) qoldau.Text {
	return msg("%q қызметі services.csv файлында жоқ", "услуги %q нет в services.csv",
		"service %q is not in services.csv", v)
}

func errBracketRange(max, min int) qoldau.Text {
	return msg("max (%d) min (%d) мәнінен кіші", "max (%d) меньше min (%d)", "max (%d) is below min (%d)", max, min)
}

func errBracketOrder(label string) qoldau.Text {
	return msg("%q аралығы алдыңғысымен қабаттасады немесе одан бұрын тұр", "интервал %q пересекается с предыдущим или идет раньше него",
		"bracket %q overlaps or comes before the one above it", label)
}

func errBracketOpen(label string) qoldau.Text {
	return msg("%q: тек соңғы аралықтың жоғарғы шегі бос болуы мүмкін", "%q: только у последнего интервала может не быть max",
		"%q: only the last bracket may be open-ended", label)
}

func errDuplicateLabel(label string) qoldau.Text {
	return msg("%q белгісі қайталанады", "метка %q повторяется", "label %q appears twice", label)
}

func errMobileCode(v string) qoldau.Text {
	return msg("%q үш таңбалы код немесе 700-709 түріндегі аралық емес", "%q не является трехзначным кодом или диапазоном вида 700-709",
		"%q is not a three-digit code or a range such as 700-709", v)
}

func errMobileTwice(code int) qoldau.Text {
	return msg("%03d коды екі рет көрсетілген", "код %03d указан дважды", "code %03d is listed twice", code)
}

func errKind(v string) qoldau.Text {
	return msg("белгісіз түр %q (holiday, moved, transfer_off немесе transfer_work болуы керек)",
		"неизвестный вид %q (допустимы holiday, moved, transfer_off, transfer_work)",
		"unknown kind %q (want holiday, moved, transfer_off or transfer_work)", v)
}

func errYear(date string, year int) qoldau.Text {
	return msg("%s күні %d жылға жатпайды", "дата %s не относится к %d году", "date %s is not in year %d", date, year)
}

func errDateTwice(date string, first int) qoldau.Text {
	return msg("%s күні қайталанады (алғаш рет %d-жолда)", "дата %s повторяется (впервые в строке %d)",
		"date %s appears twice (first on line %d)", date, first)
}

func errWorkNotWeekend(date string) qoldau.Text {
	return msg("%s сенбі де, жексенбі де емес: transfer_work тек демалыс күніне қойылады",
		"%s не суббота и не воскресенье: transfer_work бывает только в выходной",
		"%s is not a Saturday or Sunday: only a weekend day can be a transfer_work day", date)
}

func errOffNotWeekday(date, kind string) qoldau.Text {
	return msg("%[1]s демалыс күні: %[2]s тек жұмыс күніне (дүйсенбі-жұма) қойылады",
		"%[1]s выходной день: %[2]s бывает только в будни (понедельник-пятница)",
		"%[1]s is a weekend day: a %[2]s day must be Monday to Friday", date, kind)
}

func errVersion() qoldau.Text {
	return msg("VERSION файлында бір жол мәтін болуы керек", "файл VERSION должен содержать одну строку текста",
		"VERSION must hold one line of text")
}

func errCalendarName(name string) qoldau.Text {
	return msg("күнтізбе файлының атауы ЖЖЖЖ.csv болуы керек, ал %q берілген", "файл календаря должен называться ГГГГ.csv, а не %q",
		"a calendar file must be named YYYY.csv, not %q", name)
}

func errUnknownFile(name string) qoldau.Text {
	return msg("%q анықтамалық деректер файлы емес", "%q не является файлом справочных данных",
		"%q is not a reference data file", name)
}

func errFileTwice(name string) qoldau.Text {
	return msg("%q файлы екі рет берілген", "файл %q передан дважды", "file %q is given twice", name)
}
