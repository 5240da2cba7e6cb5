package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/qoldau/qoldau/shared/app"
)

func init() {
	commands["backup"] = command{"back up the embedded store (database snapshot, files, key) while serve runs: --out FILE.tar.gz", cmdBackup}
	commands["restore"] = command{"restore the embedded store from a backup: [--force] FILE.tar.gz (stop serve first)", cmdRestore}
}

func cmdBackup(e *env, args []string) int {
	fs := newFlags(e, "backup")
	out := fs.String("out", "", "the backup archive to write (.tar.gz; must not exist)")
	sf, asJSON := storeFlags(fs)
	pos, err := parse(fs, args)
	if err != nil {
		return 2
	}
	if *out == "" || len(pos) != 0 {
		return fail(e, "usage: qoldau backup [--data DIR] --out FILE.tar.gz")
	}
	return withApp(e, sf, func(ctx context.Context, a *app.App) int {
		f, err := os.OpenFile(*out, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil {
			if errors.Is(err, os.ErrExist) {
				return fail(e, "%s exists already: choose another name", *out)
			}
			return fail(e, "cannot create %s: %v", *out, err)
		}
		info, err := a.Backup(ctx, f)
		if cerr := f.Close(); err == nil && cerr != nil {
			err = cerr
		}
		if err != nil {
			os.Remove(*out)
			return failErr(e, err)
		}
		if *asJSON {
			printJSON(e, info)
			return 0
		}
		fmt.Fprintf(e.stdout, "backup %s: database %d KiB, %d files (%d KiB), as of %s\n", *out, info.Database>>10,
			info.Files, info.Bytes>>10, info.Created.In(almaty()).Format("2006-01-02 15:04:05"))
		return 0
	})
}

func cmdRestore(e *env, args []string) int {
	fs := newFlags(e, "restore")
	force := fs.Bool("force", false, "replace a data folder that holds data (it is moved aside, not deleted)")
	sf, asJSON := storeFlags(fs)
	pos, err := parse(fs, args)
	if err != nil {
		return 2
	}
	if len(pos) != 1 {
		return fail(e, "usage: qoldau restore [--data DIR] [--force] FILE.tar.gz")
	}
	cfg, err := sf.load()
	if err != nil {
		return failErr(e, err)
	}
	f, err := os.Open(pos[0])
	if err != nil {
		return fail(e, "cannot open %s: %v", pos[0], err)
	}
	defer f.Close()
	now := cfg.Now
	if now.IsZero() {
		now = time.Now()
	}
	info, err := app.Restore(context.Background(), cfg, f, *force, now)
	if err != nil {
		return failErr(e, err)
	}
	if *asJSON {
		printJSON(e, info)
		return 0
	}
	fmt.Fprintf(e.stdout, "restored %s from the backup of %s: %d files\n", info.Data,
		info.Created.In(almaty()).Format("2006-01-02 15:04:05"), info.Files)
	if info.Moved != "" {
		fmt.Fprintf(e.stdout, "  the folder's earlier content is in %s\n", info.Moved)
	}
	return 0
}
