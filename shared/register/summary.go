package register

import (
	"fmt"
	"io"
	"sort"

	"github.com/qoldau/qoldau/shared/qoldau"
	"github.com/qoldau/qoldau/shared/table"
)

// summaryText holds the words of the human summary.
var summaryText = map[string]map[string]string{
	"period":   {"kk": "Кезең", "ru": "Период", "en": "Period"},
	"sheet":    {"kk": "Парақ", "ru": "Лист", "en": "Sheet"},
	"guessed":  {"kk": "(көп аяқталу күндері осы айда)", "ru": "(по большинству дат окончания)", "en": "(the month most end dates fall in)"},
	"rows":     {"kk": "Жолдар", "ru": "Строки", "en": "Rows"},
	"read":     {"kk": "оқылды", "ru": "прочитано", "en": "read"},
	"accepted": {"kk": "қабылданды", "ru": "принято", "en": "accepted"},
	"rejected": {"kk": "қабылданбады", "ru": "отклонено", "en": "rejected"},
	"warned":   {"kk": "ескертумен", "ru": "с замечаниями", "en": "with warnings"},
	"bycode":   {"kk": "Түрлері бойынша", "ru": "По видам", "en": "By kind"},
	"bycol":    {"kk": "Баған бойынша", "ru": "По столбцам", "en": "By column"},
	"first":    {"kk": "Алғашқы табылғандар", "ru": "Первые замечания", "en": "First findings"},
	"more":     {"kk": "тағы %d", "ru": "ещё %d", "en": "%d more"},
	"unusable": {"kk": "Файлды пайдалану мүмкін емес", "ru": "Файл не может быть использован", "en": "The file cannot be used"},
	"clean":    {"kk": "Қате жоқ", "ru": "Ошибок нет", "en": "No errors"},
}

func word(key, lang string) string {
	if s, ok := summaryText[key][lang]; ok {
		return s
	}
	return summaryText[key]["en"]
}

// WriteSummary writes a short human summary of res in lang, listing at most max
// findings (all of them in the JSON and the flagged workbook).
func (res *Result) WriteSummary(w io.Writer, name, lang string, max int) {
	fmt.Fprintf(w, "%s\n", name)
	fmt.Fprintf(w, "  sha256 %s\n", res.SHA256)
	if res.Sheet != "" {
		fmt.Fprintf(w, "  %s: %s\n", word("sheet", lang), res.Sheet)
	}
	if res.Period != "" {
		fmt.Fprintf(w, "  %s: %s", word("period", lang), res.Period)
		if res.PeriodGuessed {
			fmt.Fprintf(w, " %s", word("guessed", lang))
		}
		fmt.Fprintln(w)
	}
	if res.FileError {
		fmt.Fprintf(w, "  %s: %s\n", word("unusable", lang), res.reasonIn(lang))
	}
	fmt.Fprintf(w, "  %s: %d %s, %d %s, %d %s, %d %s\n", word("rows", lang),
		res.Rows.Read, word("read", lang), res.Rows.Accepted, word("accepted", lang),
		res.Rows.Rejected, word("rejected", lang), res.Rows.Warned, word("warned", lang))
	if len(res.Counts) == 0 {
		fmt.Fprintf(w, "  %s\n", word("clean", lang))
		return
	}
	fmt.Fprintf(w, "  %s:", word("bycode", lang))
	for _, k := range sortedKeys(res.Counts) {
		fmt.Fprintf(w, " %s: %d;", Title(k, qoldau.SevError).In(lang), res.Counts[k])
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "  %s:", word("bycol", lang))
	cols := sortedKeys(res.ByColumn)
	sort.SliceStable(cols, func(i, j int) bool { return table.ColIndex(cols[i]) < table.ColIndex(cols[j]) })
	for _, k := range cols {
		fmt.Fprintf(w, " %s %d;", k, res.ByColumn[k])
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "  %s:\n", word("first", lang))
	first, err := res.Findings.First(max)
	if err != nil {
		fmt.Fprintf(w, "    %s\n", qoldau.MessageOf(err).In(lang))
	}
	for _, f := range first {
		fmt.Fprintf(w, "    %s %-6s %s\n", SeverityLabel(f.Severity).In(lang), f.Cell, f.Message.In(lang))
	}
	if more := res.Findings.Len() - len(first); more > 0 {
		fmt.Fprintf(w, "    … "+word("more", lang)+"\n", more)
	}
}

func (res *Result) reasonIn(lang string) string {
	if res.Findings == nil {
		return ""
	}
	for _, f := range res.Findings.head { // file-level findings are all in memory
		if f.Severity == qoldau.SevError && f.Row == 0 {
			return f.Message.In(lang)
		}
	}
	return ""
}

func sortedKeys(m map[string]int) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}
