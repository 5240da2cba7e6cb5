package cli

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"path/filepath"
	"time"

	"github.com/qoldau/qoldau/shared/app"
	"github.com/qoldau/qoldau/shared/workday"
)

// settingFlags are a command's flags that override settings (app.Settings: --data
// for QOLDAU_DATA, --lang for QOLDAU_LANG …): setting name → the flag's value.
type settingFlags map[string]*string

// add adds the flag of the setting name to fs (once).
func (sf settingFlags) add(fs *flag.FlagSet, name, usage string) {
	if _, done := sf[name]; done {
		return
	}
	s, ok := app.SettingOf(name)
	if !ok || s.Flag == "" {
		panic("cli: no flag for the setting " + name)
	}
	sf[name] = fs.String(s.Flag, "", usage)
}

// load reads the settings with the flags over the environment.
func (sf settingFlags) load() (app.Config, error) {
	ov := map[string]string{}
	for name, v := range sf {
		ov[name] = *v
	}
	return app.Load(ov)
}

// dataUsage is the usage of --data.
const dataUsage = "data folder (default $QOLDAU_DATA or ./qoldau-data; QOLDAU_TABLE and QOLDAU_BUCKET select DynamoDB and S3)"

// langUsage is the usage of --lang.
const langUsage = "language of the output: kk, ru or en (default $QOLDAU_LANG, else en)"

// storeFlags adds the flags every command on the store takes: --data, --lang and
// --json.
func storeFlags(fs *flag.FlagSet) (sf settingFlags, asJSON *bool) {
	sf = settingFlags{}
	sf.add(fs, "QOLDAU_DATA", dataUsage)
	sf.add(fs, "QOLDAU_LANG", langUsage)
	asJSON = fs.Bool("json", false, "print the result as one JSON object")
	return sf, asJSON
}

// openApp opens the program's wiring (app.Open) on the settings and says on stderr
// which store and files it uses.
func openApp(ctx context.Context, e *env, cfg app.Config) (*app.App, error) {
	a, err := app.Open(ctx, cfg)
	if err != nil {
		return nil, err
	}
	fmt.Fprintln(e.stderr, "qoldau: "+describe(e, a.Cfg))
	return a, nil
}

// describe says which store and files the settings name.
func describe(e *env, c app.Config) string {
	var store, files string
	switch {
	case c.Table != "" && c.DynamoEndpoint != "":
		store = e.t("store.dynamo_at", c.Table, c.DynamoEndpoint)
	case c.Table != "":
		store = e.t("store.dynamo", c.Table)
	default:
		store = e.t("store.sqlite", filepath.Join(c.Data, "qoldau.db"))
	}
	switch {
	case c.Bucket != "" && c.S3Endpoint != "":
		files = e.t("files.s3_at", c.Bucket, c.S3Endpoint)
	case c.Bucket != "":
		files = e.t("files.s3", c.Bucket)
	default:
		files = e.t("files.folder", filepath.Join(c.Data, "files"))
	}
	return e.t("store.describe", store, files)
}

// withApp opens the App of the settings, runs fn with it and closes it.
func withApp(e *env, sf settingFlags, fn func(ctx context.Context, a *app.App) int) int {
	cfg, err := sf.load()
	if err != nil {
		return failErr(e, err)
	}
	ctx := context.Background()
	a, err := openApp(ctx, e, cfg)
	if err != nil {
		return failErr(e, err)
	}
	defer a.Close()
	return fn(ctx, a)
}

// printJSON writes v as one JSON object.
func printJSON(e *env, v any) error {
	enc := json.NewEncoder(e.stdout)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

func almaty() *time.Location { return workday.Almaty() }
