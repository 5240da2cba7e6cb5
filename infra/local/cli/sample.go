package cli

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"

	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/sample"
)

func cmdSample(e *env, args []string) int {
	fs := newFlags(e, "sample")
	period := fs.String("period", "", "reporting month YYYY-MM (required)")
	rows := fs.Int("rows", 1000, "data rows")
	seed := fs.Uint64("seed", 1, "random seed: the same seed gives the same file")
	rate := fs.Float64("error-rate", 0.05, "share of rows with one injected fault (0..1)")
	lng := fs.String("lang", "ru", "header language: kk, ru or en")
	out := fs.String("out", "", "output file, .xlsx or .csv (required)")
	plant := fs.String("plant", "", "audit-lead patterns to plant: all, or KIND[=N],… of "+strings.Join(sample.PlantKinds, ", "))
	pos, err := parse(fs, args)
	if err != nil {
		return 2
	}
	if len(pos) > 0 {
		return fail(e, "sample.no_args")
	}
	p, err := civil.ParseMonth(*period)
	if err != nil {
		return fail(e, "bad_period", *period)
	}
	if *out == "" {
		return fail(e, "need_out", "FILE")
	}
	if *rows < 0 || *rows > 1_048_000 {
		return fail(e, "sample.rows")
	}
	if *rate < 0 || *rate > 1 {
		return fail(e, "sample.rate")
	}
	plants, err := sample.ParsePlant(*plant)
	if err != nil {
		return failErr(e, err)
	}
	f, err := os.Create(*out)
	if err != nil {
		return fail(e, "error", err)
	}
	bw := bufio.NewWriterSize(f, 1<<20)
	opt := sample.Options{Period: p, Rows: *rows, Seed: *seed, ErrorRate: *rate, Lang: *lng, Plant: plants}
	var st sample.Stats
	if strings.EqualFold(filepath.Ext(*out), ".csv") {
		st, err = sample.WriteCSV(bw, opt)
	} else {
		st, err = sample.Write(bw, opt)
	}
	if err == nil {
		err = bw.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(*out)
		return fail(e, "error", err)
	}
	e.say("sample.written", *out, st.Rows, st.Faulty, st.NoContact, st.Managers)
	for _, pl := range st.Planted {
		e.say("sample.planted", pl.Kind, len(pl.Rows), pl.Rows[0])
	}
	return 0
}
