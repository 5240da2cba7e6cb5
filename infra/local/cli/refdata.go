package cli

import (
	"fmt"

	"github.com/qoldau/qoldau/shared/app"
	"github.com/qoldau/qoldau/shared/refdata"
)

func cmdRefdata(e *env, args []string) int {
	if len(args) == 0 {
		return fail(e, "usage: qoldau refdata export --out DIR | qoldau refdata import [--data DIR] FILE...")
	}
	switch args[0] {
	case "export":
		fs := newFlags(e, "refdata export")
		out := fs.String("out", "", "folder to write the reference data files to (required)")
		sf := settingFlags{}
		sf.add(fs, "QOLDAU_DATA", "data folder whose replaced files to include (default $QOLDAU_DATA or ./qoldau-data)")
		if _, err := parse(fs, args[1:]); err != nil {
			return 2
		}
		if *out == "" {
			return fail(e, "--out DIR is required")
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
		fmt.Fprintf(e.stdout, "reference data %s written to %s\n", set.Version, *out)
		return 0
	case "import":
		fs := newFlags(e, "refdata import")
		sf := settingFlags{}
		sf.add(fs, "QOLDAU_DATA", "data folder (default $QOLDAU_DATA or ./qoldau-data)")
		files, err := parse(fs, args[1:])
		if err != nil {
			return 2
		}
		if len(files) == 0 {
			return fail(e, "refdata import needs at least one FILE (one of: %v)", refdata.Files())
		}
		cfg, err := sf.load()
		if err != nil {
			return failErr(e, err)
		}
		if err := refdata.Import(cfg.Data, files...); err != nil {
			return failErr(e, err)
		}
		fmt.Fprintf(e.stdout, "imported %d file(s) into %s\n", len(files), cfg.Data)
		return 0
	}
	return fail(e, "unknown refdata command %q (export or import)", args[0])
}
