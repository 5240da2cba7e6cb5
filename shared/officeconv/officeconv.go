// Package officeconv converts documents with LibreOffice (soffice --headless
// --convert-to), for tests that check what an office suite makes of a file the
// program wrote, or that remake committed fixtures as LibreOffice writes them. It
// is for tests only: nothing the program runs needs LibreOffice.
package officeconv

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// ErrMissing says LibreOffice is not installed.
var ErrMissing = errors.New("LibreOffice is not installed")

// Find returns the soffice (or libreoffice) program, resolved past symlinks into
// its program folder, or ErrMissing.
func Find() (string, error) {
	for _, name := range []string{"soffice", "libreoffice"} {
		if p, err := exec.LookPath(name); err == nil {
			if r, err := filepath.EvalSymlinks(p); err == nil {
				return r, nil
			}
			return p, nil
		}
	}
	return "", ErrMissing
}

// Convert converts src into dir with the filter to ("ods", "xls", "xlsx",
// "txt:Text", …), using a private profile under dir so that runs do not meet,
// within two minutes. It returns the converted file's path.
func Convert(src, dir, to string) (string, error) {
	bin, err := Find()
	if err != nil {
		return "", err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "-env:UserInstallation=file://"+filepath.Join(dir, ".profile"),
		"--headless", "--convert-to", to, "--outdir", dir, src)
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", errors.New("soffice: " + err.Error() + ": " + string(out))
	}
	ext, _, _ := strings.Cut(to, ":")
	out := filepath.Join(dir, strings.TrimSuffix(filepath.Base(src), filepath.Ext(src))+"."+ext)
	if _, err := os.Stat(out); err != nil {
		return "", err
	}
	return out, nil
}

// Save writes src into dir as LibreOffice saves it in each format ("xlsx", "ods",
// "xls"), under src's base name: how committed test fixtures are remade.
func Save(src, dir string, formats ...string) error {
	tmp, err := os.MkdirTemp("", "officeconv-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	for _, to := range formats {
		out, err := Convert(src, tmp, to)
		if err != nil {
			return err
		}
		b, err := os.ReadFile(out)
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, filepath.Base(out)), b, 0o644); err != nil {
			return err
		}
	}
	return nil
}
