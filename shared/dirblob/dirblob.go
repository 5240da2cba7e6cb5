// Package dirblob keeps qoldau blobs as files in a local folder: the embedded
// default's counterpart of S3. A key is a slash-separated relative path
// ("registers/<sha256>", "reports/2026-Q3/report.pdf"); it becomes the file's path
// under the folder. A Put writes a temporary file beside the target, syncs it and
// renames it over the target, so a reader sees the old content or the new, never
// part of it, and a crash leaves no half-written blob. Blobs hold personal data:
// files are created 0600 and folders 0700.
package dirblob

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/qoldau/qoldau/shared/qoldau"
)

var _ qoldau.Blobs = (*Blobs)(nil)

// tmpPrefix starts the names of files being written; no valid key has a segment
// starting with it.
const tmpPrefix = ".tmp-"

// Blobs is a folder of blobs. It is safe for concurrent use.
type Blobs struct {
	dir string
}

// New returns the blobs in dir, creating the folder when needed.
func New(dir string) (*Blobs, error) {
	if dir == "" {
		return nil, qoldau.Errorf(qoldau.Invalid, "dirblob: no folder given")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, internal("create the folder", err)
	}
	return &Blobs{dir: dir}, nil
}

// Dir returns the folder.
func (b *Blobs) Dir() string { return b.dir }

// CheckKey returns an Invalid error unless key is a clean relative slash path: not
// empty, not absolute, no empty, "." or ".." segment, no backslash or NUL, no
// segment starting with ".tmp-".
func CheckKey(key string) error {
	bad := key == "" || strings.HasPrefix(key, "/") || strings.ContainsAny(key, "\\\x00")
	if !bad {
		for seg := range strings.SplitSeq(key, "/") {
			if seg == "" || seg == "." || seg == ".." || strings.HasPrefix(seg, tmpPrefix) {
				bad = true
				break
			}
		}
	}
	if bad {
		return &qoldau.Error{
			Code:    qoldau.Invalid,
			Message: texts.Text("invalid-file-name"),
			Err:     fmt.Errorf("dirblob: invalid key %q", key),
		}
	}
	return nil
}

func (b *Blobs) path(key string) (string, error) {
	if err := CheckKey(key); err != nil {
		return "", err
	}
	return filepath.Join(b.dir, filepath.FromSlash(key)), nil
}

// Put stores r's content under key, replacing any earlier content atomically.
func (b *Blobs) Put(ctx context.Context, key string, r io.Reader) error {
	p, err := b.path(key)
	if err != nil {
		return err
	}
	dir := filepath.Dir(p)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return internal("create a folder", err)
	}
	f, err := os.CreateTemp(dir, tmpPrefix+"*")
	if err != nil {
		return internal("create a file", err)
	}
	done := false
	defer func() {
		if !done {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if _, err := io.Copy(f, ctxReader{ctx, r}); err != nil {
		return internal("write a file", err)
	}
	if err := f.Sync(); err != nil {
		return internal("sync a file", err)
	}
	if err := f.Chmod(0o600); err != nil {
		return internal("write a file", err)
	}
	if err := f.Close(); err != nil {
		return internal("write a file", err)
	}
	if err := os.Rename(f.Name(), p); err != nil {
		return internal("rename a file", err)
	}
	done = true
	// Make the rename itself durable.
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}

// Get opens the blob; NotFound when absent.
func (b *Blobs) Get(ctx context.Context, key string) (io.ReadCloser, error) {
	p, err := b.path(key)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(p)
	if err != nil {
		if notExist(err) {
			return nil, notFound(key)
		}
		return nil, internal("open a file", err)
	}
	if st, err := f.Stat(); err != nil || st.IsDir() {
		f.Close()
		return nil, notFound(key)
	}
	return f, nil
}

// Exists reports whether the blob is there.
func (b *Blobs) Exists(ctx context.Context, key string) (bool, error) {
	p, err := b.path(key)
	if err != nil {
		return false, err
	}
	st, err := os.Stat(p)
	if err != nil {
		if notExist(err) {
			return false, nil
		}
		return false, internal("look up a file", err)
	}
	return st.Mode().IsRegular(), nil
}

// notExist: the path, or a folder on it, is missing (or is a file: "a/b" when "a"
// is a blob).
func notExist(err error) bool {
	return errors.Is(err, fs.ErrNotExist) || errors.Is(err, errNotDir)
}

// errNotDir is what opening "a/b" gives when "a" is a file.
var errNotDir error = syscall.ENOTDIR

func notFound(key string) error {
	return &qoldau.Error{
		Code:    qoldau.NotFound,
		Message: texts.Text("file-not-found"),
		Err:     fmt.Errorf("dirblob: no blob %q", key),
	}
}

func internal(what string, err error) error {
	if errors.Is(err, fs.ErrPermission) || errors.Is(err, syscall.EROFS) {
		return qoldau.ReadOnly("", fmt.Errorf("dirblob: %s: %w", what, err))
	}
	return &qoldau.Error{
		Code:    qoldau.Internal,
		Message: texts.Text("file-storage-error"),
		Err:     fmt.Errorf("dirblob: %s: %w", what, err),
	}
}

// ctxReader stops a copy when ctx is done.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
