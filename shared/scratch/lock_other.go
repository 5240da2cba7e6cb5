//go:build !(linux || darwin || freebsd || openbsd || netbsd || dragonfly)

package scratch

import "os"

// lock holds f open: on Windows an open file cannot be removed.
func lock(f *os.File) error { return nil }

// tryLock reports whether the lock file at path can be removed: on Windows only
// when no process holds it open any more.
func tryLock(path string) (free bool, unlock func()) {
	return os.Remove(path) == nil, func() {}
}
