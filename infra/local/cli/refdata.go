package cli

import (
	"strings"

	"github.com/qoldau/qoldau/shared/app"
	"github.com/qoldau/qoldau/shared/refdata"
)

func cmdRefdata(e *env, args []string) int {
	if len(args) == 0 {
		return usageFail(e, "qoldau refdata export --out DIR | qoldau refdata import [--data DIR] FILE...")
	}
	switch args[0] {
	case "export":
		fs := newFlags(e, "refdata export")
		out := fs.String("out", "", "folder to write the reference data files to (required)")
		sf := settingFlags{}
		sf.add(fs, "QOLDAU_DATA", "data folder whose replaced files to include (default $QOLDAU_DATA or ./qoldau-data)")
		sf.add(fs, "QOLDAU_LANG", langUsage)
		if _, err := parse(fs, args[1:]); err != nil {
			return 2
		}
		if *out == "" {
			return fail(e, "need_out", "DIR")
		}
		cfg, err := sf.load()
		if err != nil {
			return failErr(e, err)
		}
		set, err := app.ReferenceData(cfg)
		if err != nil {
			return failErr(e, err)
		}
		if err := refdata.Export(*out, set); err != nil {
			return failErr(e, err)
		}
		e.say("refdata.exported", set.Version, *out)
		return 0
	case "import":
		fs := newFlags(e, "refdata import")
		sf := settingFlags{}
		sf.add(fs, "QOLDAU_DATA", "data folder (default $QOLDAU_DATA or ./qoldau-data)")
		sf.add(fs, "QOLDAU_LANG", langUsage)
		files, err := parse(fs, args[1:])
		if err != nil {
			return 2
		}
		if len(files) == 0 {
			return fail(e, "refdata.no_files", strings.Join(refdata.Files(), ", "))
		}
		cfg, err := sf.load()
		if err != nil {
			return failErr(e, err)
		}
		if err := refdata.Import(cfg.Data, files...); err != nil {
			return failErr(e, err)
		}
		e.say("refdata.imported", len(files), cfg.Data)
		return 0
	}
	return fail(e, "unknown_subcommand", "refdata", args[0], "export, import")
}
