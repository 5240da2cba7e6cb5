package sqlite

import (
	"bufio"
	"context"
	"database/sql"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/qoldau"
	"github.com/qoldau/qoldau/shared/storetest"
)

// open returns a store on a new file in the test's temporary folder.
func open(t testing.TB) *Store {
	t.Helper()
	s, err := Open(context.Background(), filepath.Join(t.TempDir(), "data", "qoldau.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Error(err)
		}
	})
	return s
}

func TestStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T) qoldau.Store { return open(t) })
	storetest.RunAccess(t, func(t *testing.T) qoldau.AccessStore { return open(t) })
	storetest.RunSurvey(t, func(t *testing.T) qoldau.Store { return open(t) })
}

func TestReportStore(t *testing.T) {
	storetest.RunReports(t, func(t *testing.T) qoldau.Store { return open(t) })
}

func TestFailureHalfwayLeavesNothing(t *testing.T) {
	s := open(t)
	p := civil.MonthOf(2026, time.September)
	s.failAfter = 500
	err := s.PutVersion(t.Context(), storetest.Version(p, 1), qoldau.RowsOf(storetest.Rows(1000)))
	if qoldau.CodeOf(err) != qoldau.Internal {
		t.Fatalf("PutVersion with an injected failure = %v, want an internal error", err)
	}
	vs, err := s.Versions(t.Context(), p)
	if err != nil || len(vs) != 0 {
		t.Fatalf("after a failed PutVersion, Versions = %v, %v; want none", vs, err)
	}
	if err := s.Rows(t.Context(), p, 1, func(*qoldau.Row) error { return nil }); qoldau.CodeOf(err) != qoldau.NotFound {
		t.Fatalf("Rows of a failed version = %v, want NotFound", err)
	}
	var n int
	if err := s.db.QueryRow(`SELECT COUNT(*) FROM rows`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("rows table holds %d rows (%v) after a failed version, want 0", n, err)
	}
	ps, err := s.Periods(t.Context())
	if err != nil || len(ps) != 0 {
		t.Fatalf("Periods = %v, %v; want none", ps, err)
	}

	// The same number is free for a retry, which stores everything.
	s.failAfter = 0
	rows := storetest.Rows(1000)
	if err := s.PutVersion(t.Context(), storetest.Version(p, 1), qoldau.RowsOf(rows)); err != nil {
		t.Fatal(err)
	}
	var got []qoldau.Row
	if err := s.Rows(t.Context(), p, 1, func(r *qoldau.Row) error { got = append(got, *r); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(got) != len(rows) {
		t.Fatalf("retry stored %d rows, want %d", len(got), len(rows))
	}
}

func TestCanceledContext(t *testing.T) {
	s := open(t)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	err := s.PutVersion(ctx, storetest.Version(civil.MonthOf(2026, 9), 1), qoldau.RowsOf(storetest.Rows(10)))
	if err == nil {
		t.Fatal("PutVersion with a canceled context succeeded")
	}
}

// TestColumns checks that an analyst finds one column per Row field with readable
// values.
func TestColumns(t *testing.T) {
	s := open(t)
	p := civil.MonthOf(2026, time.September)
	rows := storetest.Rows(3)
	if err := s.PutVersion(t.Context(), storetest.Version(p, 1), qoldau.RowsOf(rows)); err != nil {
		t.Fatal(err)
	}
	var (
		period, bin, end string
		birth, codes     sql.NullString
		version, row     int
	)
	err := s.db.QueryRow(`SELECT period, version, row, bin_iin, birth_date, end_date, codes
		FROM rows WHERE seq = 0`).Scan(&period, &version, &row, &bin, &birth, &end, &codes)
	if err != nil {
		t.Fatal(err)
	}
	got := []any{period, version, row, bin, birth.String, end, codes.String}
	want := []any{"2026-09", 1, 2, rows[0].BinIIN, "1990-01-01", "2026-09-01", `["iin-checksum","phone-format"]`}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("columns (-want +got):\n%s", diff)
	}
	var nullBirth sql.NullString
	if err := s.db.QueryRow(`SELECT birth_date FROM rows WHERE seq = 2`).Scan(&nullBirth); err != nil || nullBirth.Valid {
		t.Errorf("an unparsed birth date is stored as %v (%v), want NULL", nullBirth, err)
	}
	var version2 int
	if err := s.db.QueryRow(`SELECT MAX(version) FROM schema_migrations WHERE name = 'core'`).Scan(&version2); err != nil || version2 != len(coreMigrations) {
		t.Errorf("schema version = %d (%v), want %d", version2, err, len(coreMigrations))
	}
}

// TestScanWithoutPackedCopy: a version stored before versions kept a rowpack
// stream reads the same through ScanRows (from its columns); a damaged stream is an
// error.
func TestScanWithoutPackedCopy(t *testing.T) {
	s := open(t)
	p := civil.MonthOf(2026, time.September)
	rows := storetest.Rows(40)
	for v := 1; v <= 2; v++ {
		if err := s.PutVersion(t.Context(), storetest.Version(p, v), qoldau.RowsOf(rows)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.db.Exec(`DELETE FROM rowpacks WHERE version = 2`); err != nil {
		t.Fatal(err)
	}
	read := func(v int) []qoldau.Row {
		var out []qoldau.Row
		if err := s.ScanRows(t.Context(), p, v, qoldau.ReportFields, func(r *qoldau.Row) error {
			x := *r
			x.Codes = append([]string(nil), r.Codes...)
			out = append(out, x)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		return out
	}
	packed, columns := read(1), read(2)
	if len(packed) != 40 {
		t.Fatalf("%d rows", len(packed))
	}
	if diff := cmp.Diff(packed, columns, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("stream (-) and columns (+) differ:\n%s", diff)
	}
	if _, err := s.db.Exec(`UPDATE rowpacks SET data = x'0102' WHERE version = 1`); err != nil {
		t.Fatal(err)
	}
	err := s.ScanRows(t.Context(), p, 1, qoldau.ReportFields, func(*qoldau.Row) error { return nil })
	if qoldau.CodeOf(err) != qoldau.Internal {
		t.Errorf("a damaged copy: %v", err)
	}
}

func TestReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "q.db")
	s, err := Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	p := civil.MonthOf(2026, time.September)
	if err := s.PutVersion(t.Context(), storetest.Version(p, 1), qoldau.RowsOf(storetest.Rows(5))); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err = Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	vs, err := s.Versions(t.Context(), p)
	if err != nil || len(vs) != 1 {
		t.Fatalf("after reopening, Versions = %v, %v", vs, err)
	}
}

func TestOpenInvalidPath(t *testing.T) {
	for _, path := range []string{"", "a?b.db"} {
		if _, err := Open(t.Context(), path); qoldau.CodeOf(err) != qoldau.Invalid {
			t.Errorf("Open(%q) = %v, want Invalid", path, err)
		}
	}
}

// TestTwoStoresOneFile: two handles on one file (as two processes would) race for
// the same version number and the same claims.
func TestTwoStoresOneFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "shared.db")
	var stores [2]*Store
	for i := range stores {
		s, err := Open(t.Context(), path)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		stores[i] = s
	}
	p := civil.MonthOf(2026, time.September)
	var (
		wg   sync.WaitGroup
		errs [2]error
		wins [2]int
	)
	for i, s := range stores {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = s.PutVersion(context.Background(), storetest.Version(p, 1), qoldau.RowsOf(storetest.Rows(2000)))
			for k := range 50 {
				ok, err := s.Claim(context.Background(), fmt.Sprintf("k%d", k), time.Now())
				if err != nil {
					errs[i] = err
					return
				}
				if ok {
					wins[i]++
				}
			}
		}()
	}
	wg.Wait()
	conflicts := 0
	for _, err := range errs {
		switch qoldau.CodeOf(err) {
		case qoldau.Conflict:
			conflicts++
		case "":
		default:
			t.Fatal(err)
		}
	}
	if conflicts != 1 {
		t.Errorf("%d conflicts racing for one version, want 1", conflicts)
	}
	if wins[0]+wins[1] != 50 {
		t.Errorf("claims won: %v, want 50 in all", wins)
	}
}

// TestTwoProcesses runs this test binary again as a second process claiming the
// same keys in the same file at the same time.
func TestTwoProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a second process")
	}
	path := filepath.Join(t.TempDir(), "shared.db")
	s := func() *Store {
		s, err := Open(t.Context(), path)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}()
	defer s.Close()
	const keys = 1000
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$")
	cmd.Env = append(os.Environ(), "QOLDAU_SQLITE_HELPER="+path, "QOLDAU_SQLITE_KEYS="+strconv.Itoa(keys))
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	out := bufio.NewReader(stdout)
	// Both processes start claiming when the helper has its store open.
	if line, err := out.ReadString('\n'); err != nil || line != "ready\n" {
		t.Fatalf("helper process said %q, %v", line, err)
	}
	if _, err := io.WriteString(stdin, "go\n"); err != nil {
		t.Fatal(err)
	}
	mine := 0
	for k := range keys {
		ok, err := s.Claim(t.Context(), fmt.Sprintf("key-%d", k), time.Now())
		if err != nil {
			t.Fatal(err)
		}
		if ok {
			mine++
		}
	}
	rest, _ := io.ReadAll(out)
	if err := cmd.Wait(); err != nil {
		t.Fatalf("helper process: %v\n%s", err, rest)
	}
	b := rest
	var theirs int
	if _, err := fmt.Sscanf(lastLine(string(b)), "won %d", &theirs); err != nil {
		t.Fatalf("helper process output %q: %v", b, err)
	}
	if mine+theirs != keys {
		t.Errorf("this process won %d, the other %d: want %d in all", mine, theirs, keys)
	}
	t.Logf("this process won %d claims, the other %d", mine, theirs)
}

func lastLine(s string) string {
	for _, l := range splitLines(s) {
		if len(l) > 4 && l[:4] == "won " {
			return l
		}
	}
	return ""
}

func splitLines(s string) []string {
	var out []string
	start := 0
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' {
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:])
}

// TestHelperProcess is the second process of TestTwoProcesses; it does nothing in
// a normal run.
func TestHelperProcess(t *testing.T) {
	path := os.Getenv("QOLDAU_SQLITE_HELPER")
	if path == "" {
		return
	}
	keys, _ := strconv.Atoi(os.Getenv("QOLDAU_SQLITE_KEYS"))
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	fmt.Println("ready")
	if _, err := bufio.NewReader(os.Stdin).ReadString('\n'); err != nil {
		t.Fatal(err)
	}
	won := 0
	// From the other end, so that the two processes meet when they interleave.
	for k := keys - 1; k >= 0; k-- {
		ok, err := s.Claim(context.Background(), fmt.Sprintf("key-%d", k), time.Now())
		if err != nil {
			t.Fatal(err)
		}
		if ok {
			won++
		}
	}
	fmt.Printf("won %d\n", won)
}

// BenchmarkPutVersion100k stores a 100,000-row version per iteration.
func BenchmarkPutVersion100k(b *testing.B) {
	s := open(b)
	rows := storetest.Rows(100_000)
	p := civil.MonthOf(2026, time.September)
	n := 0
	for b.Loop() {
		n++
		if err := s.PutVersion(context.Background(), storetest.Version(p, n), qoldau.RowsOf(rows)); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(rows)*n)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkRows100k reads a 100,000-row version back.
func BenchmarkRows100k(b *testing.B) {
	s := open(b)
	rows := storetest.Rows(100_000)
	p := civil.MonthOf(2026, time.September)
	if err := s.PutVersion(context.Background(), storetest.Version(p, 1), qoldau.RowsOf(rows)); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		n := 0
		if err := s.Rows(context.Background(), p, 1, func(*qoldau.Row) error { n++; return nil }); err != nil {
			b.Fatal(err)
		}
		if n != len(rows) {
			b.Fatalf("read %d rows", n)
		}
	}
}

// TestModes: the database holds personal data: it and its WAL are created 0600
// in a folder created 0700 (they were 0644 and 0755).
func TestModes(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	path := filepath.Join(dir, "qoldau.db")
	s, err := Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Append(t.Context(), qoldau.AuditEntry{Time: time.Now(), Actor: "a", Action: "test", Subject: "modes"}); err != nil {
		t.Fatal(err)
	}
	for p, want := range map[string]os.FileMode{dir: 0o700, path: 0o600, path + "-wal": 0o600} {
		st, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if got := st.Mode().Perm(); got != want {
			t.Errorf("%s: mode %o, want %o", p, got, want)
		}
	}
}

// TestReadOnlyFolder: a data folder the program cannot write to answered
// "Database error"; it now says which folder and why.
func TestReadOnlyFolder(t *testing.T) {
	if readOnlyDir != "" {
		checkReadOnly(t, readOnlyDir)
		return
	}
	for _, cause := range []error{&os.PathError{Op: "open", Path: "x", Err: syscall.EROFS}, fs.ErrPermission} {
		err := internal("write", cause)
		if msg := qoldau.MessageOf(err).EN; !strings.Contains(msg, "cannot be written") {
			t.Errorf("%v: %q", cause, msg)
		}
	}
	// A folder this user may read but not write: root may write anywhere, so as
	// root the test binary runs again as nobody.
	base := t.TempDir()
	os.Chmod(filepath.Dir(base), 0o755)
	os.Chmod(base, 0o755)
	dir := filepath.Join(base, "data")
	os.Mkdir(dir, 0o755)
	if os.Geteuid() != 0 {
		os.Chmod(dir, 0o555)
		defer os.Chmod(dir, 0o755)
		checkReadOnly(t, dir)
		return
	}
	bin := filepath.Join(base, "sqlite.test")
	exe, err := os.ReadFile(os.Args[0])
	if err != nil {
		t.Skip("cannot copy the test binary:", err)
	}
	os.WriteFile(bin, exe, 0o755)
	cmd := exec.Command(bin, "-test.run=^TestReadOnlyFolder$")
	cmd.Env = append(os.Environ(), "QOLDAU_RO_DIR="+dir)
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "PASS") || strings.Contains(string(out), "no tests") {
		t.Errorf("as nobody: %v\n%s", err, out)
	}
}

// checkReadOnly opens a store in a folder the process cannot write.
func checkReadOnly(t *testing.T, dir string) {
	t.Helper()
	_, err := Open(t.Context(), filepath.Join(dir, "qoldau.db"))
	if msg := qoldau.MessageOf(err).EN; !strings.Contains(msg, "cannot be written") || !strings.Contains(msg, dir) {
		t.Errorf("a read-only folder: %q", msg)
	}
}

func init() {
	// The child of TestReadOnlyFolder, run as another user.
	if dir := os.Getenv("QOLDAU_RO_DIR"); dir != "" && os.Geteuid() != 0 {
		readOnlyDir = dir
	}
}

var readOnlyDir string

// TestScanActsSeparator: ScanActs reads each act as its fields joined by U+001F;
// acts whose number or subtype hold that character (an import keeps what a cell
// says) still read as they are stored, before and after them too, and a missing
// service date stays missing.
func TestScanActsSeparator(t *testing.T) {
	var acts []qoldau.Act
	for i := range 20 {
		a := qoldau.Act{Number: fmt.Sprintf("A-%02d", i), Date: civil.D(2026, time.September, 2), BinIIN: "870412300123",
			Service: "tax", Subtype: []string{"", "online"}[i%2], ServiceDate: civil.D(2026, time.September, 1+i),
			Confirmation: []string{"eds", "2fa", "none"}[i%3], Source: "acts.csv", Line: i + 2}
		switch i {
		case 7:
			a.Number += "\x1fB"
		case 12:
			a.Subtype = "x\x1f\x1fy"
		case 15:
			a.ServiceDate = 0
		}
		acts = append(acts, a)
	}
	for _, tt := range []struct {
		name string
		acts []qoldau.Act
	}{{"plain", acts[:7]}, {"with the separator", acts}} {
		t.Run(tt.name, func(t *testing.T) {
			s := open(t)
			if _, err := s.PutActs(t.Context(), tt.acts); err != nil {
				t.Fatal(err)
			}
			project := func(a qoldau.Act) qoldau.Act {
				return qoldau.Act{Number: a.Number, BinIIN: a.BinIIN, Service: a.Service, Subtype: a.Subtype,
					ServiceDate: a.ServiceDate, Confirmation: a.Confirmation}
			}
			var want, got []qoldau.Act
			if err := s.Acts(t.Context(), func(a *qoldau.Act) error { want = append(want, project(*a)); return nil }); err != nil {
				t.Fatal(err)
			}
			if err := s.ScanActs(t.Context(), func(a *qoldau.Act) error { got = append(got, project(*a)); return nil }); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, got); diff != "" || len(got) != len(tt.acts) {
				t.Errorf("ScanActs (-Acts +ScanActs), %d acts:\n%s", len(got), diff)
			}
		})
	}
}
