package app

import (
	"archive/tar"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/qoldau/qoldau/shared/qoldau"
	"github.com/qoldau/qoldau/shared/scratch"
	"github.com/qoldau/qoldau/shared/sqlite"
)

// Backups of the embedded store are gzip'd tar archives of the data folder: the
// database as one snapshot (qoldau.db), the files folder, the replaced reference
// data (refdata/), the deployment key (secret.key: without it the clients'
// pseudonyms and invitation tokens cannot be matched again) and backup.json. On
// AWS, DynamoDB's point-in-time recovery and S3 versioning do this instead
// (docs/deploy.md).

// BackupInfo is what a backup holds.
type BackupInfo struct {
	Created  time.Time `json:"created"`
	Database int64     `json:"database_bytes"`
	Files    int       `json:"files"`
	Bytes    int64     `json:"files_bytes"`
}

const backupManifest = "backup.json"

var msgNotEmbedded = texts.Text("backup-not-embedded")

// Backup writes the embedded store as an archive to w, consistent while other
// processes (serve) go on working: the database snapshot is taken first
// (sqlite.Store.Backup, one read transaction), then the files are copied. A file
// is written before the database names it, or (a version's validation report) as
// the last step of its upload, which the backup waits for; files are never
// changed after, so every file the snapshot names is in the archive; files newer
// than the snapshot may come along and do no harm.
func (a *App) Backup(ctx context.Context, w io.Writer) (*BackupInfo, error) {
	if a.embedded == nil || a.Cfg.Bucket != "" {
		return nil, qoldau.E(qoldau.Invalid, msgNotEmbedded, nil)
	}
	info := &BackupInfo{Created: a.Clock().UTC()}
	dir, err := scratch.MkdirTemp("backup-*")
	if err != nil {
		return nil, qoldau.E(qoldau.Internal, texts.Text("cannot-make-backup"), err)
	}
	defer os.RemoveAll(dir)
	snap := filepath.Join(dir, "qoldau.db")
	if err := a.embedded.Backup(ctx, snap); err != nil {
		return nil, err
	}
	if err := a.awaitReports(ctx, snap); err != nil {
		return nil, err
	}
	gz := gzip.NewWriter(w)
	tw := tar.NewWriter(gz)
	add := func(name, path string, fi fs.FileInfo) error {
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		hdr := &tar.Header{Name: name, Mode: 0o600, Size: fi.Size(), ModTime: fi.ModTime(), Typeflag: tar.TypeReg}
		if err := tw.WriteHeader(hdr); err != nil {
			return err
		}
		_, err = io.CopyN(tw, f, fi.Size())
		return err
	}
	fi, err := os.Stat(snap)
	if err == nil {
		info.Database = fi.Size()
		err = add("qoldau.db", snap, fi)
	}
	for _, sub := range []string{"files", "refdata", "secret.key"} {
		if err != nil {
			break
		}
		root := filepath.Join(a.Cfg.Data, sub)
		err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if errors.Is(err, fs.ErrNotExist) && path == root {
				return nil
			}
			if err != nil || d.IsDir() || strings.HasPrefix(d.Name(), ".tmp-") || !d.Type().IsRegular() {
				return err
			}
			fi, err := d.Info()
			if errors.Is(err, fs.ErrNotExist) {
				return nil // replaced meanwhile (a blob's rename): the new one is read below
			}
			if err != nil {
				return err
			}
			rel, err := filepath.Rel(a.Cfg.Data, path)
			if err != nil {
				return err
			}
			if sub == "files" {
				info.Files++
				info.Bytes += fi.Size()
			}
			return add(filepath.ToSlash(rel), path, fi)
		})
	}
	if err == nil {
		var m []byte
		m, err = json.MarshalIndent(info, "", "  ")
		if err == nil {
			err = tw.WriteHeader(&tar.Header{Name: backupManifest, Mode: 0o600, Size: int64(len(m)), ModTime: info.Created, Typeflag: tar.TypeReg})
		}
		if err == nil {
			_, err = tw.Write(m)
		}
	}
	if err == nil {
		err = tw.Close()
	}
	if err == nil {
		err = gz.Close()
	}
	if err != nil {
		return nil, qoldau.E(qoldau.Internal, texts.Text("cannot-write-backup"), err)
	}
	return info, nil
}

// awaitReports waits until every version of the snapshot has its validation
// report among the files: an upload commits its version before it writes the
// report (its last step), so an upload in flight when the snapshot was taken gets
// up to two minutes to finish; after that the backup goes on without it (a retry
// of that upload on the restored store writes it).
func (a *App) awaitReports(ctx context.Context, snap string) error {
	s, err := sqlite.Open(ctx, snap)
	if err != nil {
		return err
	}
	defer s.Close()
	ps, err := s.Periods(ctx)
	if err != nil {
		return err
	}
	deadline := time.Now().Add(2 * time.Minute)
	for _, p := range ps {
		vs, err := s.Versions(ctx, p)
		if err != nil {
			return err
		}
		for _, v := range vs {
			key := filepath.Join(a.Cfg.Data, "files", "results", p.String(), "v"+strconv.Itoa(v.Number)+".json")
			for {
				if _, err := os.Stat(key); err == nil || time.Now().After(deadline) {
					break
				}
				select {
				case <-ctx.Done():
					return ctx.Err()
				case <-time.After(50 * time.Millisecond):
				}
			}
		}
	}
	return nil
}

// RestoreInfo is what a restore did.
type RestoreInfo struct {
	BackupInfo
	Data  string `json:"data"`
	Moved string `json:"moved_aside,omitempty"` // where the folder's earlier content went
}

// Restore replaces the embedded store's data folder of cfg with the backup read
// from r. The archive is unpacked beside the folder and its database checked
// (sqlite.Check) before anything is replaced; then the folder is swapped for it.
// A folder that holds anything already is replaced only with force, and is moved
// aside to <folder>.replaced-<time>, never deleted. Stop serve first: a running
// process would keep the replaced database open.
func Restore(ctx context.Context, cfg Config, r io.Reader, force bool, now time.Time) (*RestoreInfo, error) {
	if cfg.Table != "" || cfg.Bucket != "" {
		return nil, qoldau.E(qoldau.Invalid, msgNotEmbedded, nil)
	}
	data, err := filepath.Abs(cfg.Data)
	if err != nil {
		return nil, qoldau.E(qoldau.Invalid, texts.Text("invalid-data-folder"), err)
	}
	if ents, err := os.ReadDir(data); err == nil && len(ents) > 0 && !force {
		return nil, qoldau.E(qoldau.Conflict, texts.Text("folder-holds-data", "folder", data), nil)
	}
	if err := os.MkdirAll(filepath.Dir(data), 0o700); err != nil {
		return nil, internalRestore(err)
	}
	tmp, err := os.MkdirTemp(filepath.Dir(data), "."+filepath.Base(data)+".restore-")
	if err != nil {
		return nil, internalRestore(err)
	}
	done := false
	defer func() {
		if !done {
			os.RemoveAll(tmp)
		}
	}()
	info := &RestoreInfo{Data: data}
	if err := unpack(r, tmp, &info.BackupInfo); err != nil {
		return nil, err
	}
	if err := sqlite.Check(ctx, filepath.Join(tmp, "qoldau.db")); err != nil {
		return nil, err
	}
	if _, err := os.Stat(data); err == nil {
		info.Moved = data + ".replaced-" + now.UTC().Format("20060102T150405Z")
		if err := os.Rename(data, info.Moved); err != nil {
			return nil, internalRestore(err)
		}
	}
	if err := os.Rename(tmp, data); err != nil {
		if info.Moved != "" {
			os.Rename(info.Moved, data)
		}
		return nil, internalRestore(err)
	}
	done = true
	return info, nil
}

func internalRestore(err error) error {
	return qoldau.E(qoldau.Internal, texts.Text("cannot-restore-backup"), err)
}

var msgBadBackup = texts.Text("bad-backup")

// unpack extracts a backup archive into dir: regular files only, under the
// names a backup writes (files 0600, folders 0700).
func unpack(r io.Reader, dir string, info *BackupInfo) error {
	gz, err := gzip.NewReader(r)
	if err != nil {
		return qoldau.E(qoldau.Invalid, msgBadBackup, err)
	}
	tr := tar.NewReader(gz)
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return qoldau.E(qoldau.Invalid, msgBadBackup, err)
		}
		name := hdr.Name
		top, _, _ := strings.Cut(name, "/")
		known := name == "qoldau.db" || name == "secret.key" || name == backupManifest || top == "files" || top == "refdata"
		if hdr.Typeflag != tar.TypeReg || !filepath.IsLocal(name) || !known || strings.Contains(name, "\\") {
			return qoldau.E(qoldau.Invalid, msgBadBackup, fmt.Errorf("unexpected entry %q", name))
		}
		if name == backupManifest {
			if err := json.NewDecoder(io.LimitReader(tr, 1<<20)).Decode(info); err != nil {
				return qoldau.E(qoldau.Invalid, msgBadBackup, err)
			}
			continue
		}
		path := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			return internalRestore(err)
		}
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil {
			return qoldau.E(qoldau.Invalid, msgBadBackup, err)
		}
		_, err = io.Copy(f, tr)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return qoldau.E(qoldau.Invalid, msgBadBackup, err)
		}
	}
	if info.Created.IsZero() {
		return qoldau.E(qoldau.Invalid, msgBadBackup, errors.New("no backup.json"))
	}
	return nil
}
