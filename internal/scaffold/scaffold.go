// Package scaffold is the only code in gonix-init that touches the target
// directory. It checks that the target can take a new project, then creates
// every file without clobbering anything, and if any step fails (or the
// context is cancelled) it removes what it created, and nothing else, so the
// target is left as it was.
package scaffold

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/afero"

	"github.com/gonix-init/gonix-init/internal/render"
)

// TargetError says why a directory cannot take a new project, and what to do.
// Nothing has been written when it is returned.
type TargetError struct {
	Dir    string
	Reason string
}

func (e *TargetError) Error() string { return fmt.Sprintf("%s: %s", e.Dir, e.Reason) }

// allowed are the entries a target may already hold: a freshly cloned empty
// repository has .git and nothing else.
var allowed = []string{".git"}

// Check reports whether dir can take a new project: it must be missing, or a
// directory holding nothing but allowed entries.
func Check(fsys afero.Fs, dir string) error {
	info, err := fsys.Stat(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return &TargetError{dir, err.Error()}
	}
	if !info.IsDir() {
		return &TargetError{dir, "is a file, not a directory; name a new or empty directory"}
	}
	entries, err := afero.ReadDir(fsys, dir)
	if err != nil {
		return &TargetError{dir, "cannot be read: " + err.Error()}
	}
	var found []string
	for _, e := range entries {
		if !slices.Contains(allowed, e.Name()) {
			found = append(found, e.Name())
		}
	}
	if len(found) > 0 {
		return &TargetError{dir, fmt.Sprintf("is not empty (has %s); choose a new or empty directory", listSome(found, 3))}
	}
	return nil
}

func listSome(names []string, n int) string {
	if len(names) <= n {
		return strings.Join(names, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(names[:n], ", "), len(names)-n)
}

// Write checks dir and creates files in it, creating dir and any parent
// folders it needs. Each file is created exclusively (O_EXCL), so nothing
// existing is ever replaced. On any error, including ctx being cancelled
// between two files, everything Write created is removed again.
func Write(ctx context.Context, fsys afero.Fs, dir string, files []render.File) (err error) {
	if err := Check(fsys, dir); err != nil {
		return err
	}
	for _, f := range files {
		if !filepath.IsLocal(filepath.FromSlash(f.Path)) || path.Clean(f.Path) != f.Path {
			return fmt.Errorf("refusing to write %q: not a clean path inside the target", f.Path)
		}
	}

	var created []string // in creation order: parents before children
	defer func() {
		if err != nil {
			if rerr := undo(fsys, created); rerr != nil {
				err = errors.Join(err, rerr)
			}
		}
	}()
	mkdirs := func(d string) error {
		var missing []string
		for p := d; ; p = filepath.Dir(p) {
			if _, err := fsys.Stat(p); err == nil {
				break
			} else if !errors.Is(err, fs.ErrNotExist) {
				return err
			}
			missing = append(missing, p)
			if filepath.Dir(p) == p {
				break
			}
		}
		for _, p := range slices.Backward(missing) {
			if err := fsys.Mkdir(p, 0o755); err != nil {
				return err
			}
			created = append(created, p)
		}
		return nil
	}

	if err := mkdirs(dir); err != nil {
		return err
	}
	for _, f := range files {
		if err := ctx.Err(); err != nil {
			return err
		}
		p := filepath.Join(dir, filepath.FromSlash(f.Path))
		if err := mkdirs(filepath.Dir(p)); err != nil {
			return err
		}
		if err := create(fsys, p, f, &created); err != nil {
			return err
		}
	}
	return ctx.Err()
}

// create writes one new file; it records the path as soon as the file exists.
func create(fsys afero.Fs, p string, f render.File, created *[]string) error {
	w, err := fsys.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, f.Mode)
	if err != nil {
		return err
	}
	*created = append(*created, p)
	_, werr := w.Write(f.Data)
	if cerr := w.Close(); werr == nil {
		werr = cerr
	}
	return werr
}

// undo removes created paths, children before parents.
func undo(fsys afero.Fs, created []string) error {
	var errs []error
	for _, p := range slices.Backward(created) {
		if err := fsys.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, err)
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("could not remove what was created: %w", errors.Join(errs...))
	}
	return nil
}
