//go:build linux || darwin || freebsd || openbsd || netbsd || dragonfly

package scratch

import (
	"os"
	"syscall"
)

// lock takes an exclusive flock on f, held while the process lives.
func lock(f *os.File) error { return syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB) }

// tryLock reports whether the lock file at path is free (its process is gone),
// keeping it locked until unlock is called.
func tryLock(path string) (free bool, unlock func()) {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return false, func() {}
	}
	if syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB) != nil {
		f.Close()
		return false, func() {}
	}
	return true, func() { f.Close() }
}
