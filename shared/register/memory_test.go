package register

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// A CSV file's shape never decides how much validation holds in memory: a
// 24 MB file that is one line (of cells, of separators, one cell, an unclosed
// quote) is refused after reading a bounded part of it. Before the CSV reader
// bounded its records, the first case allocated over 1 GB.
func TestCSVMemoryBounded(t *testing.T) {
	const size = 24 << 20
	for _, tt := range []struct {
		name, unit, want string
	}{
		{"cells", "a;", "Too many columns with data"},
		{"separators", ";", "more than 16,384 cells"},
		{"one cell", "a", "longer than 32,767 characters"},
		{"an unclosed quote", "\"a", "longer than 32,767 characters"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "one-line.csv")
			body := bytes.Repeat([]byte(tt.unit), size/len(tt.unit))
			if tt.unit[0] == '"' {
				body = append([]byte{'"'}, bytes.ReplaceAll(body, []byte{'"'}, nil)...)
			}
			if err := os.WriteFile(path, body, 0o600); err != nil {
				t.Fatal(err)
			}
			body = nil
			runtime.GC()
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			res, err := ValidateFile(path, octOpts(), nil)
			runtime.ReadMemStats(&after)
			if err != nil {
				t.Fatal(err)
			}
			if res.ExitCode() != 2 || !strings.Contains(res.Reason(), tt.want) {
				t.Errorf("exit %d, reason %q, want %q", res.ExitCode(), res.Reason(), tt.want)
			}
			if got := after.TotalAlloc - before.TotalAlloc; got > 8<<20 {
				t.Errorf("validation allocated %d MiB, want under 8 MiB", got>>20)
			}
		})
	}
}
