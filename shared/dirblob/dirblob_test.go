package dirblob

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/qoldau/qoldau/shared/qoldau"
	"github.com/qoldau/qoldau/shared/storetest"
)

func TestBlobs(t *testing.T) {
	storetest.RunBlobs(t, func(t *testing.T) qoldau.Blobs {
		b, err := New(filepath.Join(t.TempDir(), "blobs"))
		if err != nil {
			t.Fatal(err)
		}
		return b
	})
}

// TestLayout: a key is a path under the folder, and Put leaves no temporary file.
func TestLayout(t *testing.T) {
	dir := t.TempDir()
	b, err := New(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Put(t.Context(), "registers/ab/cd", strings.NewReader("x")); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(filepath.Join(dir, "registers", "ab", "cd"))
	if err != nil || string(got) != "x" {
		t.Fatalf("file = %q, %v", got, err)
	}
	entries, err := os.ReadDir(filepath.Join(dir, "registers", "ab"))
	if err != nil || len(entries) != 1 {
		t.Errorf("folder holds %v (%v), want only the blob", entries, err)
	}
}

func TestNewNoDir(t *testing.T) {
	if _, err := New(""); qoldau.CodeOf(err) != qoldau.Invalid {
		t.Errorf("New(\"\") = %v, want Invalid", err)
	}
}

// TestModes: blobs hold personal data, so files are 0600 and folders 0700 whatever
// the umask (they were 0644 and 0755).
func TestModes(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "files")
	b, err := New(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Put(t.Context(), "uploads/abc", strings.NewReader("IIN 900101300123")); err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]os.FileMode{dir: 0o700, filepath.Join(dir, "uploads"): 0o700, filepath.Join(dir, "uploads", "abc"): 0o600} {
		st, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if got := st.Mode().Perm(); got != want {
			t.Errorf("%s: mode %o, want %o", path, got, want)
		}
	}
}
