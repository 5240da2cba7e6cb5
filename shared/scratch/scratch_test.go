package scratch

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestMain lets the test binary play a qoldau process that makes a scratch file
// and then ends without removing it (QOLDAU_SCRATCH_HELPER=exit), or stays alive
// until its stdin closes (=hold).
func TestMain(m *testing.M) {
	switch os.Getenv("QOLDAU_SCRATCH_HELPER") {
	case "":
		os.Exit(m.Run())
	case "exit":
		f, err := CreateTemp("rows-*")
		if err != nil {
			os.Exit(3)
		}
		f.WriteString("Ахметов Серик 900101300123")
		os.Stdout.WriteString(f.Name() + "\n")
		os.Exit(0) // as kill -9 would: nothing removed
	case "hold":
		f, err := CreateTemp("rows-*")
		if err != nil {
			os.Exit(3)
		}
		os.Stdout.WriteString(f.Name() + "\n")
		bufio.NewReader(os.Stdin).ReadString('\n')
		os.Exit(0)
	}
}

func helper(t *testing.T, tmp, mode string) (*exec.Cmd, string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "QOLDAU_SCRATCH_HELPER="+mode, "TMPDIR="+tmp)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { stdin.Close(); cmd.Process.Kill(); cmd.Wait() })
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatalf("helper %s: %v", mode, err)
	}
	return cmd, strings.TrimSpace(line)
}

// TestSweep: a process that ended without cleaning up (a crash, kill -9) leaves
// its row spool behind; the next process's sweep removes it, and never touches
// the folder of a process still running.
func TestSweep(t *testing.T) {
	tmp := t.TempDir()
	live, held := helper(t, tmp, "hold")
	ended, dead := helper(t, tmp, "exit")
	ended.Wait()
	if _, err := os.Stat(dead); err != nil {
		t.Fatalf("the ended process's file: %v", err)
	}
	// Not ours: another program's qoldau-* folder with files in it (moto's).
	other := filepath.Join(tmp, "qoldau-moto-5055")
	os.MkdirAll(other, 0o700)
	os.WriteFile(filepath.Join(other, "moto.pid"), []byte("1"), 0o600)

	if n := sweep(tmp); n != 1 {
		t.Errorf("sweep removed %d folders, want 1", n)
	}
	if _, err := os.Stat(filepath.Dir(dead)); !os.IsNotExist(err) {
		t.Errorf("the ended process's folder is still there (%v)", err)
	}
	if _, err := os.Stat(held); err != nil {
		t.Errorf("the live process's file was removed: %v", err)
	}
	if _, err := os.Stat(other); err != nil {
		t.Errorf("another program's folder was removed: %v", err)
	}
	live.Process.Kill()
	live.Wait()
	// A new process's first scratch file sweeps too.
	ended, next := helper(t, tmp, "exit")
	ended.Wait()
	if n := sweep(tmp); n != 1 || filepath.Dir(next) == filepath.Dir(held) {
		t.Errorf("after kill -9 and a new process, sweep removed %d folders, want 1 (the new one's)", n)
	}
	if _, err := os.Stat(held); !os.IsNotExist(err) {
		t.Errorf("the killed process's file is still there (%v)", err)
	}
}

// TestModes: scratch files hold personal data: the folder is 0700, files 0600.
func TestModes(t *testing.T) {
	t.Setenv("TMPDIR", t.TempDir())
	mu.Lock()
	dir, held = "", nil
	mu.Unlock()
	f, err := CreateTemp("x-*")
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	defer func() {
		Close()
		if _, err := os.Stat(filepath.Dir(f.Name())); !os.IsNotExist(err) {
			t.Errorf("Close left the folder (%v)", err)
		}
	}()
	for p, want := range map[string]os.FileMode{filepath.Dir(f.Name()): 0o700, f.Name(): 0o600} {
		st, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm() != want {
			t.Errorf("%s: mode %o, want %o", p, st.Mode().Perm(), want)
		}
	}
}
