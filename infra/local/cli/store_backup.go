package cli

import (
	"context"
	"errors"
	"os"
	"time"

	"github.com/qoldau/qoldau/shared/app"
)

func init() {
	commands["backup"] = command{"cmd.backup", cmdBackup}
	commands["restore"] = command{"cmd.restore", cmdRestore}
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
		return usageFail(e, "qoldau backup [--data DIR] --out FILE.tar.gz")
	}
	return withApp(e, sf, func(ctx context.Context, a *app.App) int {
		f, err := os.OpenFile(*out, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil {
			if errors.Is(err, os.ErrExist) {
				return fail(e, "backup.exists", *out)
			}
			return fail(e, "write_failed", *out, err)
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
		e.say("backup.done", *out, info.Database>>10, info.Files, info.Bytes>>10, e.when(info.Created))
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
		return usageFail(e, "qoldau restore [--data DIR] [--force] FILE.tar.gz")
	}
	cfg, err := sf.load()
	if err != nil {
		return failErr(e, err)
	}
	f, err := os.Open(pos[0])
	if err != nil {
		return fail(e, "open_failed", pos[0])
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
	e.say("restore.done", info.Data, e.when(info.Created), info.Files)
	if info.Moved != "" {
		e.say("restore.moved", info.Moved)
	}
	return 0
}
