package remind

import (
	"strconv"
	"strings"

	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/qoldau"
)

// The reminders' texts are in messages.json (shared/i18n).

// dueNotice is the operator's reminder of a register due at `due`, left working
// days ahead (the stage names the reminder; a job that ran late still says how many
// working days are really left).
func dueNotice(p civil.Month, due civil.Date, stage string, left int) qoldau.Notice {
	n := qoldau.Notice{Key: "due/" + p.String() + "/" + stage, To: qoldau.RoleOperator}
	d := due.DMY()
	switch stage {
	case "late":
		n.Subject = texts.Text("due.late.subject", "{period}", p.String())
		n.Body = texts.Text("due.late.body", "{due}", d)
	default:
		when := inWorkingDays(left)
		n.Subject = texts.Text("due.subject", "{period}", p.String())
		n.Subject.KK = replaceWhen(n.Subject.KK, when.KK)
		n.Subject.RU = replaceWhen(n.Subject.RU, when.RU)
		n.Subject.EN = replaceWhen(n.Subject.EN, when.EN)
		n.Body = texts.Text("due.body", "{due}", d)
	}
	return n
}

// replaceWhen puts a language's "in n working days" into its {when}.
func replaceWhen(s, when string) string { return strings.ReplaceAll(s, "{when}", when) }

func correctionNotice(l qoldau.Letter) qoldau.Notice {
	return qoldau.Notice{
		Key: "correction/" + l.ID, To: qoldau.RoleOperator,
		Subject: texts.Text("correction.subject", "{letter}", l.ID),
		Body:    texts.Text("correction.body", "{period}", l.Period.String(), "{due}", l.CorrectionDue.DMY()),
	}
}

func letterNotice(l qoldau.Letter) qoldau.Notice {
	return qoldau.Notice{
		Key: "letter/" + l.ID, To: qoldau.RoleAgency,
		Subject: texts.Text("letter.subject", "{letter}", l.ID),
		Body:    texts.Text("letter.body", "{due}", l.SendDue.DMY()),
	}
}

func reportNotice(r Report, stage string) qoldau.Notice {
	days := map[string]int{"r-5": 5, "r-2": 2}[stage]
	return qoldau.Notice{
		Key: "report/" + r.Name + "/" + stage, To: qoldau.RoleAgency,
		Subject: texts.Text("report.subject", "{report}", r.Name, "{days}", strconv.Itoa(days)),
		Body:    texts.Text("report.body", "{due}", r.Due.DMY()),
	}
}

// inWorkingDays says "in n working days" (n ≥ 1) or "today" (n = 0). The plural
// is each language's: Russian has three forms (1, 2-4, 5 and on: 21 is "one"),
// English two.
func inWorkingDays(n int) qoldau.Text {
	if n <= 0 {
		return texts.Text("today")
	}
	form := func(f string) qoldau.Text { return texts.Text("in-working-days."+f, "{n}", strconv.Itoa(n)) }
	ru := "many"
	switch {
	case n%10 == 1 && n%100 != 11:
		ru = "one"
	case n%10 >= 2 && n%10 <= 4 && (n%100 < 12 || n%100 > 14):
		ru = "few"
	}
	en := "many"
	if n == 1 {
		en = "one"
	}
	return qoldau.Text{KK: form("many").KK, RU: form(ru).RU, EN: form(en).EN}
}
