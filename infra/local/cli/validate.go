package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/qoldau/qoldau/shared/app"
	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/register"
)

func cmdValidate(e *env, args []string) int {
	fs := newFlags(e, "validate")
	period := fs.String("period", "", "reporting month YYYY-MM (default: the month most end dates fall in)")
	asJSON := fs.Bool("json", false, "print the result as one JSON object")
	out := fs.String("out", "", "write the flagged workbook to this .xlsx file")
	sheet := fs.String("sheet", "", "the workbook's sheet to read (default: the first whose first 20 rows hold the header)")
	received := fs.String("received", "", "when the register was received, RFC3339 (default: now)")
	sf := settingFlags{}
	sf.add(fs, "QOLDAU_LANG", "language of the summary: kk, ru or en (default $QOLDAU_LANG or en)")
	sf.add(fs, "QOLDAU_DATA", "data folder with replaced reference data (default $QOLDAU_DATA or ./qoldau-data)")
	fs.Usage = func() {
		fmt.Fprintln(e.stderr, e.t("usage", "qoldau validate [--period YYYY-MM] [--json] [--out FLAGGED.xlsx] [--sheet NAME] FILE"))
		fs.PrintDefaults()
	}
	pos, err := parse(fs, args)
	if err != nil {
		return 2
	}
	if len(pos) != 1 {
		fs.Usage()
		return fail(e, "validate.one_file")
	}
	cfg, err := sf.load()
	if err != nil {
		return failErr(e, err)
	}
	cfg.LimitMemory(app.ValidateMemoryLimit)
	opt := register.Options{Sheet: *sheet, Received: cfg.Now}
	if *period != "" {
		p, err := civil.ParseMonth(*period)
		if err != nil {
			return fail(e, "bad_period", *period)
		}
		opt.Period, opt.HasPeriod = p, true
	}
	if *received != "" {
		t, err := time.Parse(time.RFC3339, *received)
		if err != nil {
			return fail(e, "bad_time", "received", *received)
		}
		opt.Received = t
	}
	if opt.Ref, err = app.ReferenceData(cfg); err != nil {
		return failErr(e, err)
	}
	if isTerminal(e.stderr) && !*asJSON {
		opt.Progress = progressLine(e, e.stderr.(*os.File))
	}
	file := pos[0]
	res, err := register.ValidateFile(file, opt, nil)
	if opt.Progress != nil {
		fmt.Fprint(e.stderr, "\r\033[K")
	}
	if err != nil {
		return failErr(e, err)
	}
	defer res.Close()
	if *out != "" && res.Kind != "" {
		if err := register.WriteFlagged(file, res, *out, cfg.Lang); err != nil {
			failErr(e, err)
			if res.ExitCode() < 2 {
				return 2
			}
		}
	}
	if *asJSON {
		if err := res.WriteJSON(e.stdout); err != nil {
			return fail(e, "error", err)
		}
	} else {
		res.WriteSummary(e.stdout, filepath.Base(file), cfg.Lang, 20)
		if *out != "" && res.Kind != "" {
			fmt.Fprintf(e.stdout, "  → %s\n", *out)
		}
	}
	if res.ExitCode() == 2 {
		fmt.Fprintln(e.stderr, "qoldau: "+res.ReasonIn(e.lang))
	}
	return res.ExitCode()
}

// isTerminal reports whether w is a character device (a terminal).
func isTerminal(w any) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// progressLine returns a progress callback that rewrites one line on w.
func progressLine(e *env, w *os.File) func(done, total int64, rows int) {
	return func(done, total int64, rows int) {
		if total > 0 {
			fmt.Fprint(w, "\r"+e.t("validate.progress", done*100/total, rows))
		} else {
			fmt.Fprint(w, "\r"+e.t("validate.progress_rows", rows))
		}
	}
}
