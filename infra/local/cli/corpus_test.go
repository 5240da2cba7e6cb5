package cli

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/qoldau/qoldau/shared/xlsx"
)

// TestMain lets the test binary be qoldau itself: with QOLDAU_TEST_ARGS set (the
// arguments, JSON), it runs that command line and exits with its status, so that
// a test can measure a command's process.
func TestMain(m *testing.M) {
	if a := os.Getenv("QOLDAU_TEST_ARGS"); a != "" {
		var args []string
		if err := json.Unmarshal([]byte(a), &args); err != nil {
			panic(err)
		}
		os.Exit(Run(args, os.Stdin, os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// maxCorpusRSS bounds the peak memory of validating one corpus file (the process
// alone takes about 30 MiB).
const maxCorpusRSS = 160 << 20

// TestValidateCorpus runs `qoldau validate --json --out` over every workbook of
// testdata/corpus (.xlsx, .ods, .xls, from several producers), each in its own
// process: none panics, each exits 0, 1 or 2 with a JSON result, and none takes
// more than maxCorpusRSS.
func TestValidateCorpus(t *testing.T) {
	var files []string
	for _, ext := range []string{"xlsx", "ods", "xls"} {
		m, err := filepath.Glob(filepath.Join("..", "..", "..", "testdata", "corpus", "*."+ext))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	if len(files) < 20 {
		t.Fatalf("corpus: %d files", len(files))
	}
	dir := t.TempDir()
	for _, f := range files {
		name := filepath.Base(f)
		t.Run(name, func(t *testing.T) {
			args, _ := json.Marshal([]string{"validate", "--json", "--received", "2026-10-02T10:00:00+05:00",
				"--out", filepath.Join(dir, name+".flagged.xlsx"), f})
			cmd := exec.Command(os.Args[0], "-test.run=^$")
			cmd.Env = append(os.Environ(), "QOLDAU_TEST_ARGS="+string(args), "QOLDAU_DATA="+filepath.Join(dir, "data"))
			var out, errb strings.Builder
			cmd.Stdout, cmd.Stderr = &out, &errb
			err := cmd.Run()
			code := cmd.ProcessState.ExitCode()
			if _, exited := err.(*exec.ExitError); err != nil && !exited || code < 0 || code > 2 {
				t.Fatalf("exit %d, %v\nstderr: %s", code, err, errb.String())
			}
			if s := errb.String(); strings.Contains(s, "panic") || strings.Contains(s, "goroutine ") {
				t.Fatalf("stderr: %s", s)
			}
			var res struct{ Rows struct{ Read int } }
			if err := json.Unmarshal([]byte(out.String()), &res); err != nil {
				t.Errorf("stdout is not a JSON result: %v\n%.300s", err, out.String())
			}
			if code == 1 && strings.HasSuffix(name, ".xlsx") {
				checkFlagged(t, filepath.Join(dir, name+".flagged.xlsx"), res.Rows.Read)
			}
			rss := int64(cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss) << 10
			if rss > maxCorpusRSS {
				t.Errorf("peak RSS %d MiB, want at most %d MiB", rss>>20, maxCorpusRSS>>20)
			}
			t.Logf("exit %d, %d rows, peak RSS %d MiB", code, res.Rows.Read, rss>>20)
		})
	}
}

// checkFlagged reads every sheet of a flagged workbook: it opens, its data sheet
// holds at least the rows read, and nothing in it is damaged.
func checkFlagged(t *testing.T, path string, rows int) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("flagged workbook: %v", err)
	}
	defer f.Close()
	st, _ := f.Stat()
	wb, err := xlsx.Open(f, st.Size(), xlsx.Limits{})
	if err != nil {
		t.Fatalf("flagged workbook: %v", err)
	}
	most := 0
	for _, name := range wb.SheetNames() {
		sh, err := wb.Sheet(name)
		if err != nil {
			t.Fatalf("flagged workbook, sheet %q: %v", name, err)
		}
		n := 0
		for sh.Next() {
			n++
		}
		if err := sh.Err(); err != nil {
			t.Fatalf("flagged workbook, sheet %q: %v", name, err)
		}
		sh.Close()
		most = max(most, n)
	}
	if most < rows {
		t.Errorf("flagged workbook: at most %d rows in a sheet, want at least %d", most, rows)
	}
}
