package scaffold

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"

	"github.com/spf13/afero"
)

// Apply carries out the plan, creating dir and folders as needed. New files
// are created exclusively (O_EXCL), so nothing appearing meanwhile is
// clobbered; a replacement is written beside the file and renamed over it.
// On any error, including ctx being cancelled between two files, Apply
// undoes every step: it removes what it created and restores what it replaced.
func Apply(ctx context.Context, fsys afero.Fs, plan *Plan) (err error) {
	j := &journal{fsys: fsys}
	defer func() {
		if err != nil {
			err = explain(fsys, plan.Dir, j.rollback(err))
		}
	}()
	if err := j.mkdirs(plan.Dir); err != nil {
		return err
	}
	for _, s := range plan.Steps {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := j.step(plan.Dir, s); err != nil {
			return err
		}
	}
	return ctx.Err()
}

// journal is what Apply did, as the steps that undo it.
type journal struct {
	fsys afero.Fs
	undo []func() error
}

// step takes one step of the plan in dir.
func (j *journal) step(dir string, s Step) error {
	fsys := j.fsys
	switch s.Action {
	case Create:
		if err := j.mkdirs(filepath.Dir(s.Path)); err != nil {
			return err
		}
		created, err := create(fsys, s.Path, s.File.Data, s.File.Mode)
		if created {
			j.undo = append(j.undo, func() error { return fsys.Remove(s.Path) })
		}
		return err
	case Replace:
		if err := replace(fsys, s.Path, s.File.Data, s.File.Mode); err != nil {
			return err
		}
		j.undo = append(j.undo, func() error { return replace(fsys, s.Path, s.Old, s.OldMode) })
	case Delete:
		return remove(fsys, dir, s, &j.undo)
	}
	return nil
}

// mkdirs makes d and the folders on the way to it that are missing.
func (j *journal) mkdirs(d string) error {
	var missing []string
	for p := d; ; p = filepath.Dir(p) {
		if _, err := j.fsys.Stat(p); err == nil {
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
		if err := j.fsys.Mkdir(p, 0o755); err != nil {
			return err
		}
		j.undo = append(j.undo, func() error { return j.fsys.Remove(p) })
	}
	return nil
}

// rollback undoes every step, last first, and returns err with what could
// not be undone.
func (j *journal) rollback(err error) error {
	var errs []error
	for _, u := range slices.Backward(j.undo) {
		if uerr := u(); uerr != nil && !errors.Is(uerr, fs.ErrNotExist) {
			errs = append(errs, uerr)
		}
	}
	if len(errs) > 0 {
		return errors.Join(err, fmt.Errorf("could not undo everything: %w", errors.Join(errs...)))
	}
	return err
}

// remove deletes the file of the step s, then each folder below dir that
// this left empty: a folder of the templates' (a file of the user's in it
// keeps it). Each step is added to undo.
func remove(fsys afero.Fs, dir string, s Step, undo *[]func() error) error {
	if err := fsys.Remove(s.Path); err != nil {
		return err
	}
	*undo = append(*undo, func() error {
		_, err := create(fsys, s.Path, s.Old, s.OldMode)
		return err
	})
	for d := filepath.Dir(s.Path); within(dir, d); d = filepath.Dir(d) {
		if entries, err := afero.ReadDir(fsys, d); err != nil || len(entries) > 0 {
			break
		}
		if err := fsys.Remove(d); err != nil {
			return err
		}
		*undo = append(*undo, func() error { return fsys.Mkdir(d, 0o755) })
	}
	return nil
}

// within reports whether d is a folder below dir (not dir itself).
func within(dir, d string) bool {
	rel, err := filepath.Rel(dir, d)
	return err == nil && rel != "." && filepath.IsLocal(rel)
}

// create writes a new file; created reports whether it came to exist.
func create(fsys afero.Fs, p string, data []byte, mode fs.FileMode) (created bool, err error) {
	w, err := fsys.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode)
	if err != nil {
		return false, err
	}
	_, err = w.Write(data)
	if cerr := w.Close(); err == nil {
		err = cerr
	}
	return true, err
}

// replace swaps p's content for data in one rename, so p is never half written.
func replace(fsys afero.Fs, p string, data []byte, mode fs.FileMode) error {
	tmp := filepath.Join(filepath.Dir(p), "."+filepath.Base(p)+".gonix-init-tmp")
	err := func() error {
		if _, err := create(fsys, tmp, data, mode); err != nil {
			return err
		}
		if err := fsys.Chmod(tmp, mode); err != nil {
			return err
		}
		return fsys.Rename(tmp, p)
	}()
	if err != nil {
		if rerr := fsys.Remove(tmp); rerr != nil && !errors.Is(rerr, fs.ErrNotExist) {
			err = errors.Join(err, rerr)
		}
	}
	return err
}
