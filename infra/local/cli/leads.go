package cli

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/qoldau/qoldau/shared/app"
	"github.com/qoldau/qoldau/shared/leads"
	"github.com/qoldau/qoldau/shared/report"
)

func init() {
	commands["leads"] = command{"cmd.leads", cmdLeads}
}

func cmdLeads(e *env, args []string) int {
	fs := newFlags(e, "leads")
	period := fs.String("period", "", "2026-Q3 | 2026 (January-November) | 2026-07..2026-09 | 2026-09 (required)")
	sf, asJSON := storeFlags(fs)
	out := fs.String("out", "", "also write the leads as a workbook (.xlsx)")
	if _, err := parse(fs, args); err != nil {
		return 2
	}
	if *period == "" {
		return usageFail(e, "qoldau leads --period 2026-Q3|2026|2026-07..2026-09 [--json] [--out leads.xlsx] [--lang kk|ru|en]")
	}
	p, err := report.ParsePeriod(*period)
	if err != nil {
		return failErr(e, err)
	}
	if l := *sf["QOLDAU_LANG"]; l != "" && !report.ValidLang(l) {
		return fail(e, "bad_lang", l)
	}
	return withApp(e, sf, func(ctx context.Context, a *app.App) int {
		a.Cfg.LimitMemory(app.LeadsMemoryLimit)
		res, err := leads.Find(ctx, a.Svc, leads.Options{Period: strings.TrimSpace(*period), From: p.From, To: p.To, Settings: a.Leads})
		if err != nil {
			return failErr(e, err)
		}
		if *out != "" {
			if err := writeLeads(*out, res, a.Cfg.Lang); err != nil {
				return failErr(e, err)
			}
		}
		if *asJSON {
			printJSON(e, res)
			return 0
		}
		printLeads(e, res, a.Cfg.Lang)
		if *out != "" {
			fmt.Fprintf(e.stdout, "→ %s\n", *out)
		}
		return 0
	})
}

// writeLeads writes the leads workbook at path.
func writeLeads(path string, res *leads.Result, lang string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	err = leads.WriteXLSX(w, res, lang)
	if err == nil {
		err = w.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
	}
	return err
}

// printLeads prints the leads in lang: the counts by kind, then each lead with its
// strength, explanation and rows.
func printLeads(e *env, res *leads.Result, lang string) {
	fmt.Fprintf(e.stdout, "%s %s (%s – %s): %d\n", leads.Text("sheet.title").In(lang), res.Period, res.From, res.To, len(res.Leads))
	var counts []string
	for _, k := range leads.Kinds {
		counts = append(counts, fmt.Sprintf("%s %d", leads.Text("kind."+k).In(lang), res.Counts[k]))
	}
	fmt.Fprintf(e.stdout, "  %s\n", strings.Join(counts, " · "))
	for i, l := range res.Leads {
		fmt.Fprintf(e.stdout, "%3d. [%s] %.2f  %s\n", i+1, leads.Text("kind."+l.Kind).In(lang), l.Strength, l.Message.In(lang))
		var rows []string
		for _, r := range l.Rows {
			s := fmt.Sprintf("%s v%d:%d", r.Period, r.Version, r.Row)
			if r.Excluded != "" {
				s += " (" + leads.Text("excluded."+r.Excluded).In(lang) + ")"
			}
			rows = append(rows, s)
			if len(rows) == 10 {
				break
			}
		}
		more := ""
		if l.RowsTotal > len(rows) {
			more = " " + strings.ReplaceAll(leads.Text("sheet.more").In(lang), "{n}", fmt.Sprint(l.RowsTotal-len(rows)))
		}
		fmt.Fprintf(e.stdout, "     %s: %s%s\n", leads.Text("col.row").In(lang), strings.Join(rows, ", "), more)
	}
}
