// Package scratch keeps a process's temporary files (register rows between
// validation and storing, findings spilled to disk, downloads being validated,
// documents being rendered) in one private folder, and removes the folders that
// processes left behind when they ended without cleaning up (kill -9, a crash, a
// Lambda timeout): such files hold names and IINs.
//
// The folder is $TMPDIR/qoldau-scratch-<random>, created 0700 on first use with a lock
// file inside that the process holds open for its whole life (and locks with
// flock(2) where the system has it). Sweep, run at start and on first use,
// removes every other such folder whose lock nobody holds: its process is
// gone. A folder still without its lock file is left alone for a minute (its
// process may be creating it). Callers still remove their files when done;
// the folder catches what a crash leaves.
package scratch

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// Prefix starts the names of scratch folders in the system's temporary folder.
const Prefix = "qoldau-scratch-"

const lockName = ".lock"

var (
	mu   sync.Mutex
	dir  string
	held *os.File
	base = os.TempDir
)

// Dir returns the process's scratch folder, creating it on first use (after a
// Sweep of dead processes' folders).
func Dir() (string, error) {
	mu.Lock()
	defer mu.Unlock()
	if dir != "" {
		if _, err := os.Stat(dir); err == nil {
			return dir, nil
		}
		// Removed under us (a tmp cleaner): make a new one.
		release(held)
		dir, held = "", nil
	}
	sweep(base())
	d, err := os.MkdirTemp(base(), Prefix+"*")
	if err != nil {
		return "", err
	}
	// The lock file is locked under a temporary name and then renamed: another
	// process's Sweep that finds a .lock finds it held (the lock goes with the
	// open file through the rename), never in the moment between its creation
	// and its locking.
	f, err := os.CreateTemp(d, lockName+"-*")
	if err == nil {
		if err = lock(f); err == nil {
			err = os.Rename(f.Name(), filepath.Join(d, lockName))
		}
	}
	if err != nil {
		if f != nil {
			f.Close()
		}
		os.RemoveAll(d)
		return "", err
	}
	dir, held = d, f
	return dir, nil
}

// CreateTemp creates a file in the scratch folder, as os.CreateTemp does (0600).
func CreateTemp(pattern string) (*os.File, error) {
	d, err := Dir()
	if err != nil {
		return nil, err
	}
	return os.CreateTemp(d, pattern)
}

// MkdirTemp creates a folder in the scratch folder, as os.MkdirTemp does (0700).
func MkdirTemp(pattern string) (string, error) {
	d, err := Dir()
	if err != nil {
		return "", err
	}
	return os.MkdirTemp(d, pattern)
}

// Close removes the process's scratch folder (at a normal exit; a crash leaves it
// to the next Sweep).
func Close() {
	mu.Lock()
	defer mu.Unlock()
	if dir != "" {
		os.RemoveAll(dir)
		release(held)
		dir, held = "", nil
	}
}

// Sweep removes the scratch folders of processes that have ended and returns how
// many of them held files (an empty one is removed too, and not counted). It never
// touches a folder whose process is alive.
func Sweep() int {
	mu.Lock()
	defer mu.Unlock()
	return sweep(base())
}

func sweep(tmp string) int {
	ents, err := os.ReadDir(tmp)
	if err != nil {
		return 0
	}
	n := 0
	for _, e := range ents {
		if !e.IsDir() || !strings.HasPrefix(e.Name(), Prefix) {
			continue
		}
		d := filepath.Join(tmp, e.Name())
		if d == dir {
			continue
		}
		lp := filepath.Join(d, lockName)
		if _, err := os.Lstat(lp); errors.Is(err, os.ErrNotExist) {
			// No lock file: being created, or not ours. Only an old one goes.
			if info, err := e.Info(); err != nil || time.Since(info.ModTime()) < time.Minute || !ours(d) {
				continue
			}
			if os.RemoveAll(d) == nil {
				n++
			}
			continue
		}
		if free, unlock := tryLock(lp); free {
			ents, _ := os.ReadDir(d)
			err := os.RemoveAll(d)
			unlock()
			if err == nil && len(ents) > 1 {
				n++
			}
		}
	}
	return n
}

// ours reports whether a folder without a lock file looks like one of ours: a
// crash before the lock file took its name leaves it empty, or holding only the
// lock file under its temporary name.
func ours(d string) bool {
	ents, err := os.ReadDir(d)
	if err != nil {
		return false
	}
	for _, e := range ents {
		if !strings.HasPrefix(e.Name(), lockName+"-") {
			return false
		}
	}
	return true
}

func release(f *os.File) {
	if f != nil {
		f.Close()
	}
}
