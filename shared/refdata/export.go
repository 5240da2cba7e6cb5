package refdata

import (
	"archive/zip"
	"errors"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"

	"github.com/qoldau/qoldau/shared/qoldau"
)

// DirName is the folder under a data directory that holds imported reference data.
const DirName = "refdata"

// LoadDir loads the data set of a data directory: the files Import put in
// dataDir/refdata over the embedded ones. Without that folder it returns Default().
func LoadDir(dataDir string) (*Set, error) {
	dir := filepath.Join(dataDir, DirName)
	if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
		return Default(), nil
	}
	return Load(os.DirFS(dir))
}

// Export writes every file of s into dir (calendar years into dir/calendar), with the
// names and shape Load reads, for an admin to edit. Existing files are overwritten.
func Export(dir string, s *Set) error {
	names := make([]string, 0, len(s.files))
	for name := range s.files {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return exportError(err)
		}
		if err := os.WriteFile(p, s.files[name], 0o644); err != nil {
			return exportError(err)
		}
	}
	return nil
}

func exportError(err error) error {
	return qoldau.E(qoldau.Internal, texts.Text("cannot-write"), err)
}

// dataName returns the data set name of an uploaded file by its base name: a fixed
// file name, or YYYY.csv for a calendar year.
func dataName(file string) (string, bool) {
	base := filepath.Base(file)
	if slices.Contains(fixedFiles, base) {
		return base, true
	}
	if _, ok := calendarYear(calendarDir + "/" + base); ok {
		return calendarDir + "/" + base, true
	}
	return "", false
}

// Import replaces reference data files in dataDir/refdata (see LoadDir) with the
// given files. Each file is known by its base name: one of Files(), or YYYY.csv for
// a calendar year. The files are first loaded over the data set already in dataDir;
// only if all of them pass are they copied, so an import is never half-applied. Bad
// input returns a qoldau.Error with code invalid whose message (kk, ru, en) names the
// file and line.
func Import(dataDir string, files ...string) error {
	dir := filepath.Join(dataDir, DirName)
	over := map[string][]byte{}
	if _, err := os.Stat(dir); err == nil {
		cur, err := Load(os.DirFS(dir))
		if err != nil {
			return err
		}
		for name, b := range cur.files {
			over[name] = b
		}
	}
	news := map[string][]byte{}
	for _, f := range files {
		name, ok := dataName(f)
		if !ok {
			return qoldau.E(qoldau.Invalid, errUnknownFile(filepath.Base(f)), nil)
		}
		if _, dup := news[name]; dup {
			return qoldau.E(qoldau.Invalid, errFileTwice(filepath.Base(f)), nil)
		}
		b, err := os.ReadFile(f)
		if err != nil {
			return qoldau.E(qoldau.Invalid, texts.Text("cannot-read-file", "{name}", filepath.Base(f)), err)
		}
		news[name] = b
		over[name] = b
	}
	if _, err := build(over); err != nil {
		return err
	}
	return writeAll(dir, news)
}

// writeAll writes files into dir: all to temporary files first, then renamed into
// place, so a failed write leaves the folder as it was.
func writeAll(dir string, files map[string][]byte) error {
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	slices.Sort(names)
	var temps []string
	cleanup := func() {
		for _, t := range temps {
			os.Remove(t)
		}
	}
	for _, name := range names {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			cleanup()
			return exportError(err)
		}
		f, err := os.CreateTemp(filepath.Dir(p), "."+path.Base(name)+".*.tmp")
		if err != nil {
			cleanup()
			return exportError(err)
		}
		temps = append(temps, f.Name())
		_, err = f.Write(files[name])
		if err == nil {
			err = f.Sync()
		}
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err == nil {
			err = os.Chmod(f.Name(), 0o644)
		}
		if err != nil {
			cleanup()
			return exportError(err)
		}
	}
	for i, name := range names {
		if err := os.Rename(temps[i], filepath.Join(dir, filepath.FromSlash(name))); err != nil {
			cleanup()
			return exportError(err)
		}
	}
	return nil
}

// WriteZip writes every file of s into one zip archive (calendar years under
// calendar/), the names and shape Load reads: the console's export.
func WriteZip(w io.Writer, s *Set) error {
	names := make([]string, 0, len(s.files))
	for name := range s.files {
		names = append(names, name)
	}
	slices.Sort(names)
	zw := zip.NewWriter(w)
	for _, name := range names {
		f, err := zw.Create(name)
		if err == nil {
			_, err = f.Write(s.files[name])
		}
		if err != nil {
			return exportError(err)
		}
	}
	if err := zw.Close(); err != nil {
		return exportError(err)
	}
	return nil
}

// Check reports whether a file (known by its base name, as for Import) would be
// accepted over the data set s: nil, or an Invalid error naming the file and line.
// It returns the name the file would have in the data set.
func Check(s *Set, file string, b []byte) (string, error) {
	name, ok := dataName(file)
	if !ok {
		return "", qoldau.E(qoldau.Invalid, errUnknownFile(filepath.Base(file)), nil)
	}
	over := make(map[string][]byte, len(s.files)+1)
	for k, v := range s.files {
		over[k] = v
	}
	over[name] = b
	_, err := build(over)
	return name, err
}
