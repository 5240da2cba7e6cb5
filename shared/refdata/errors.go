package refdata

import (
	"fmt"
	"strconv"

	"github.com/qoldau/qoldau/shared/qoldau"
)

// bad returns the invalid-data error for file at line (0: the file as a whole).
func bad(file string, line int, m qoldau.Text) error {
	at := texts.Text("in-file", "{file}", file)
	if line > 0 {
		at = texts.Text("at-line", "{file}", file, "{line}", strconv.Itoa(line))
	}
	return qoldau.E(qoldau.Invalid, qoldau.Text{KK: at.KK + ": " + m.KK, RU: at.RU + ": " + m.RU, EN: at.EN + ": " + m.EN}, nil)
}

// Messages of load errors (messages.json).

func errNotUTF8() qoldau.Text {
	return texts.Text("not-utf8")
}

func errCSV(err error) qoldau.Text {
	return texts.Text("csv", "{err}", fmt.Sprint(err))
}

func errNoHeader() qoldau.Text {
	return texts.Text("no-header")
}

func errMissingColumn(col string) qoldau.Text {
	return texts.Text("missing-column", "{col}", strconv.Quote(col))
}

func errUnknownColumn(col string) qoldau.Text {
	return texts.Text("unknown-column", "{col}", strconv.Quote(col))
}

func errDuplicateColumn(col string) qoldau.Text {
	return texts.Text("duplicate-column", "{col}", strconv.Quote(col))
}

func errFieldCount(want, got int) qoldau.Text {
	return texts.Text("field-count", "{got}", strconv.Itoa(got), "{want}", strconv.Itoa(want))
}

func errEmpty(col string) qoldau.Text {
	return texts.Text("empty", "{col}", strconv.Quote(col))
}

func errNoRows() qoldau.Text {
	return texts.Text("no-rows")
}

func errDuplicateCode(code string, first int) qoldau.Text {
	return texts.Text("duplicate-code", "{code}", strconv.Quote(code), "{first}", strconv.Itoa(first))
}

func errDuplicateName(name, other string) qoldau.Text {
	return texts.Text("duplicate-name", "{name}", strconv.Quote(name), "{other}", strconv.Quote(other))
}

func errDate(col, v string) qoldau.Text {
	return texts.Text("date", "{col}", strconv.Quote(col), "{v}", strconv.Quote(v))
}

func errDateOrder(from, to string) qoldau.Text {
	return texts.Text("date-order", "{from}", from, "{to}", to)
}

func errInt(col, v string) qoldau.Text {
	return texts.Text("int", "{col}", strconv.Quote(col), "{v}", strconv.Quote(v))
}

func errBool(col, v string) qoldau.Text {
	return texts.Text("bool", "{col}", strconv.Quote(col), "{v}", strconv.Quote(v))
}

func errRegionCode(v string) qoldau.Text {
	return texts.Text("region-code", "{v}", strconv.Quote(v))
}

func errSectionCode(v string) qoldau.Text {
	return texts.Text("section-code", "{v}", strconv.Quote(v))
}

func errDivisions(v string) qoldau.Text {
	return texts.Text("divisions", "{v}", strconv.Quote(v))
}

func errDivisionTwice(div int, section string) qoldau.Text {
	return texts.Text("division-twice", "{div}", fmt.Sprintf("%02d", div), "{section}", section)
}

func errDigits(col, v, allowed string) qoldau.Text {
	return texts.Text("digits", "{col}", strconv.Quote(col), "{allowed}", allowed, "{v}", strconv.Quote(v))
}

func errNoNumber() qoldau.Text {
	return texts.Text("no-number")
}

func errUnknownService(v string) qoldau.Text {
	return texts.Text("unknown-service", "{v}", strconv.Quote(v))
}

func errBracketRange(max, min int) qoldau.Text {
	return texts.Text("bracket-range", "{max}", strconv.Itoa(max), "{min}", strconv.Itoa(min))
}

func errBracketOrder(label string) qoldau.Text {
	return texts.Text("bracket-order", "{label}", strconv.Quote(label))
}

func errBracketOpen(label string) qoldau.Text {
	return texts.Text("bracket-open", "{label}", strconv.Quote(label))
}

func errDuplicateLabel(label string) qoldau.Text {
	return texts.Text("duplicate-label", "{label}", strconv.Quote(label))
}

func errMobileCode(v string) qoldau.Text {
	return texts.Text("mobile-code", "{v}", strconv.Quote(v))
}

func errMobileTwice(code int) qoldau.Text {
	return texts.Text("mobile-twice", "{code}", fmt.Sprintf("%03d", code))
}

func errKind(v string) qoldau.Text {
	return texts.Text("kind", "{v}", strconv.Quote(v))
}

func errYear(date string, year int) qoldau.Text {
	return texts.Text("year", "{date}", date, "{year}", strconv.Itoa(year))
}

func errDateTwice(date string, first int) qoldau.Text {
	return texts.Text("date-twice", "{date}", date, "{first}", strconv.Itoa(first))
}

func errWorkNotWeekend(date string) qoldau.Text {
	return texts.Text("work-not-weekend", "{date}", date)
}

func errOffNotWeekday(date, kind string) qoldau.Text {
	return texts.Text("off-not-weekday", "{date}", date, "{kind}", kind)
}

func errVersion() qoldau.Text {
	return texts.Text("version")
}

func errCalendarName(name string) qoldau.Text {
	return texts.Text("calendar-name", "{name}", strconv.Quote(name))
}

func errUnknownFile(name string) qoldau.Text {
	return texts.Text("unknown-file", "{name}", strconv.Quote(name))
}

func errFileTwice(name string) qoldau.Text {
	return texts.Text("file-twice", "{name}", strconv.Quote(name))
}
