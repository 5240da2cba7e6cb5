package remind

import (
	"fmt"

	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/qoldau"
)

// dueNotice is the operator's reminder of a register due at `due`, left working
// days ahead (the stage names the reminder; a job that ran late still says how many
// working days are really left).
func dueNotice(p civil.Month, due civil.Date, stage string, left int) qoldau.Notice {
	n := qoldau.Notice{Key: "due/" + p.String() + "/" + stage, To: qoldau.RoleOperator}
	d := due.DMY()
	switch stage {
	case "late":
		n.Subject = qoldau.Text{
			KK: fmt.Sprintf("%s тізілімі мерзімінен кешікті", p),
			RU: fmt.Sprintf("Реестр за %s просрочен", p),
			EN: fmt.Sprintf("The register for %s is late", p),
		}
		n.Body = qoldau.Text{
			KK: fmt.Sprintf("Тапсыру мерзімі %s болды; тізілім әлі жоқ. Кешіккен тізілім есептерге енгізілмейді (10-тармақ).", d),
			RU: fmt.Sprintf("Срок представления истёк %s; реестра нет. Просроченный реестр не включается в отчёты (пункт 10).", d),
			EN: fmt.Sprintf("It was due on %s and has not arrived. A late register is excluded from reports (clause 10).", d),
		}
	default:
		when := inWorkingDays(left)
		n.Subject = qoldau.Text{
			KK: fmt.Sprintf("%s тізілімінің мерзімі: %s", p, when.KK),
			RU: fmt.Sprintf("Реестр за %s: срок %s", p, when.RU),
			EN: fmt.Sprintf("The register for %s is due %s", p, when.EN),
		}
		n.Body = qoldau.Text{
			KK: fmt.Sprintf("Тізілімді %s қоса алғанда жүктеңіз.", d),
			RU: fmt.Sprintf("Загрузите реестр не позднее %s.", d),
			EN: fmt.Sprintf("Upload the register by %s.", d),
		}
	}
	return n
}

func correctionNotice(l qoldau.Letter) qoldau.Notice {
	d := l.CorrectionDue.DMY()
	return qoldau.Notice{
		Key: "correction/" + l.ID, To: qoldau.RoleOperator,
		Subject: qoldau.Text{
			KK: fmt.Sprintf("%s хаты бойынша түзету мерзімі ертең", l.ID),
			RU: fmt.Sprintf("Срок исправления по письму %s — завтра", l.ID),
			EN: fmt.Sprintf("The correction for letter %s is due tomorrow", l.ID),
		},
		Body: qoldau.Text{
			KK: fmt.Sprintf("%s тізілімінің түзетілген нұсқасын %s қоса алғанда жүктеңіз (9-тармақ).", l.Period, d),
			RU: fmt.Sprintf("Загрузите исправленный реестр за %s не позднее %s (пункт 9).", l.Period, d),
			EN: fmt.Sprintf("Upload the corrected register for %s by %s (clause 9).", l.Period, d),
		},
	}
}

func letterNotice(l qoldau.Letter) qoldau.Notice {
	d := l.SendDue.DMY()
	return qoldau.Notice{
		Key: "letter/" + l.ID, To: qoldau.RoleAgency,
		Subject: qoldau.Text{
			KK: fmt.Sprintf("%s хабарлама хаты жіберілмеген", l.ID),
			RU: fmt.Sprintf("Уведомление %s не отправлено", l.ID),
			EN: fmt.Sprintf("Notification letter %s is not sent", l.ID),
		},
		Body: qoldau.Text{
			KK: fmt.Sprintf("Хатты операторға %s қоса алғанда жіберіңіз (8-тармақ).", d),
			RU: fmt.Sprintf("Отправьте письмо оператору не позднее %s (пункт 8).", d),
			EN: fmt.Sprintf("Send it to the operator by %s (clause 8).", d),
		},
	}
}

func reportNotice(r Report, stage string) qoldau.Notice {
	days := map[string]int{"r-5": 5, "r-2": 2}[stage]
	d := r.Due.DMY()
	return qoldau.Notice{
		Key: "report/" + r.Name + "/" + stage, To: qoldau.RoleAgency,
		Subject: qoldau.Text{
			KK: fmt.Sprintf("%s есебінің мерзіміне %d жұмыс күні қалды", r.Name, days),
			RU: fmt.Sprintf("До срока отчёта %s — %d рабочих дня(ей)", r.Name, days),
			EN: fmt.Sprintf("The %s report is due in %d working days", r.Name, days),
		},
		Body: qoldau.Text{
			KK: fmt.Sprintf("Есепті уәкілетті органға %s қоса алғанда тапсырыңыз (13-тармақ).", d),
			RU: fmt.Sprintf("Представьте отчёт уполномоченному органу не позднее %s (пункт 13).", d),
			EN: fmt.Sprintf("Submit it to the authorized body by %s (clause 13).", d),
		},
	}
}

// inWorkingDays says "in n working days" (n ≥ 1) or "today" (n = 0).
func inWorkingDays(n int) qoldau.Text {
	if n <= 0 {
		return qoldau.Text{KK: "бүгін", RU: "сегодня", EN: "today"}
	}
	ru := "рабочих дней"
	switch {
	case n%10 == 1 && n%100 != 11:
		ru = "рабочий день"
	case n%10 >= 2 && n%10 <= 4 && (n%100 < 12 || n%100 > 14):
		ru = "рабочих дня"
	}
	en := "working days"
	if n == 1 {
		en = "working day"
	}
	return qoldau.Text{
		KK: fmt.Sprintf("%d жұмыс күнінен кейін", n),
		RU: fmt.Sprintf("через %d %s", n, ru),
		EN: fmt.Sprintf("in %d %s", n, en),
	}
}
