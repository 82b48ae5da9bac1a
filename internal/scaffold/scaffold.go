// Package scaffold is the only code in gonix-init that touches the target
// directory. NewPlan checks the target and decides what happens to each
// file; Apply carries the plan out without clobbering anything it was not
// told to replace, and if any step fails (or the context is cancelled) it
// undoes every step it took, so the target is left exactly as it was.
package scaffold

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"syscall"

	"github.com/spf13/afero"

	"github.com/gonix-init/gonix-init/internal/render"
	"github.com/gonix-init/gonix-init/internal/usage"
)

// TargetError says why the target cannot take the project, and what to do.
// Nothing has been written when it is returned.
type TargetError struct {
	Path   string
	Reason string
}

// Refused marks the error as bad input: a target the user gave that cannot
// be written (exit.Refused).
func (*TargetError) Refused() bool { return true }

func (e *TargetError) Error() string {
	where := e.Path
	if filepath.Clean(where) == "." {
		where = ". (the current directory"
		if abs, err := filepath.Abs("."); err == nil {
			where += ", " + abs
		}
		where += ")"
	}
	return fmt.Sprintf("%s: %s", where, e.Reason)
}

// allowed are the entries a target may hold without --force: a freshly
// cloned empty repository has .git and nothing else.
var allowed = []string{".git"}

// Action is what Apply does with one file.
type Action int

const (
	Create  Action = iota // the path does not exist yet
	Replace               // a regular file with other content exists (only with force)
	Keep                  // a regular file with the same content exists: nothing to do
	Delete                // a regular file the project no longer has (gonix-init update)
)

// Step is one file of a plan.
type Step struct {
	File    render.File
	Action  Action
	Path    string      // where the file goes, on fsys
	Old     []byte      // Replace, Delete: the current content, for the diff and for undo
	OldMode fs.FileMode // Replace, Delete: the current permission bits
}

// Plan is what Apply will do in Dir.
type Plan struct {
	Dir   string
	Steps []Step
	// Notes are what the user should know of the plan, each a sentence
	// shown with it (adopt: a vendorHash it could not compute).
	Notes []string
}

// Count returns how many steps take action a.
func (p *Plan) Count(a Action) int {
	n := 0
	for _, s := range p.Steps {
		if s.Action == a {
			n++
		}
	}
	return n
}

// NewPlan checks that dir can take files and decides what to do with each.
// Without force, dir must be missing or empty but for .git. With force,
// existing regular files are replaced (or kept when identical); a path that
// exists as a directory, a symlink or anything but a regular file is refused,
// as is a folder on the way that is a symlink or a file.
func NewPlan(fsys afero.Fs, dir string, files []render.File, force bool) (*Plan, error) {
	for _, f := range files {
		if !filepath.IsLocal(filepath.FromSlash(f.Path)) || path.Clean(f.Path) != f.Path {
			return nil, fmt.Errorf("refusing to write %q: not a clean path inside the target", f.Path)
		}
	}
	plan := &Plan{Dir: dir}
	if err := CheckTarget(fsys, dir, force); err != nil {
		return nil, err
	}
	if _, err := fsys.Stat(dir); errors.Is(err, fs.ErrNotExist) {
		for _, f := range files {
			plan.Steps = append(plan.Steps, Step{File: f, Action: Create, Path: join(dir, f.Path)})
		}
		return plan, nil
	}
	for _, f := range files {
		step, err := planFile(fsys, dir, f)
		if err != nil {
			return nil, err
		}
		plan.Steps = append(plan.Steps, step)
	}
	return plan, nil
}

// CheckTarget checks that dir can take a project before anything is asked
// or rendered: it is missing, or a directory that is empty but for .git
// (with force, any directory).
func CheckTarget(fsys afero.Fs, dir string, force bool) error {
	info, err := fsys.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case errors.Is(err, syscall.ENOTDIR):
		file := fileOnTheWay(fsys, dir)
		return &TargetError{file, fmt.Sprintf("is a file, not a directory, so %s cannot be made in it; name a new or empty directory", dir)}
	case err != nil:
		return &TargetError{dir, "cannot be read: " + usage.Cause(err)}
	case !info.IsDir():
		return &TargetError{dir, "is a file, not a directory; name a new or empty directory"}
	case force:
		return nil
	}
	return checkEmpty(fsys, dir)
}

// fileOnTheWay is the first path on the way to dir that is a file.
func fileOnTheWay(fsys afero.Fs, dir string) string {
	var on []string
	for p := filepath.Clean(dir); ; p = filepath.Dir(p) {
		on = append(on, p)
		if filepath.Dir(p) == p || filepath.Dir(p) == "." {
			break
		}
	}
	for _, p := range slices.Backward(on) {
		if info, err := fsys.Stat(p); err == nil && !info.IsDir() {
			return p
		}
	}
	return dir
}

func checkEmpty(fsys afero.Fs, dir string) error {
	entries, err := afero.ReadDir(fsys, dir)
	if err != nil {
		return &TargetError{dir, "cannot be read: " + usage.Cause(err)}
	}
	var found []string
	for _, e := range entries {
		if !slices.Contains(allowed, e.Name()) {
			found = append(found, e.Name())
		}
	}
	if len(found) > 0 {
		return &TargetError{dir, fmt.Sprintf("is not empty (has %s); choose a new or empty directory, "+
			"or add --force to write into it (existing files are shown as diffs before they are replaced)", listSome(found, 3))}
	}
	return nil
}

// planFile decides what to do with one file in an existing dir.
func planFile(fsys afero.Fs, dir string, f render.File) (Step, error) {
	step := Step{File: f, Action: Create, Path: join(dir, f.Path)}
	// Every folder on the way must be a real folder or missing.
	parts := strings.Split(f.Path, "/")
	for i := 1; i < len(parts); i++ {
		p := join(dir, strings.Join(parts[:i], "/"))
		info, err := lstat(fsys, p)
		if errors.Is(err, fs.ErrNotExist) {
			return step, nil
		}
		switch {
		case err != nil:
			return step, &TargetError{p, "cannot be read: " + usage.Cause(err)}
		case info.Mode()&fs.ModeSymlink != 0:
			return step, &TargetError{p, "is a symlink; gonix-init never writes through one: move it away first"}
		case !info.IsDir():
			return step, &TargetError{p, "is a file where gonix-init needs a folder: move it away first"}
		}
	}
	info, err := lstat(fsys, step.Path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return step, nil
	case err != nil:
		return step, &TargetError{step.Path, "cannot be read: " + usage.Cause(err)}
	case info.Mode()&fs.ModeSymlink != 0:
		return step, &TargetError{step.Path, "is a symlink; gonix-init never writes through one: move it away first"}
	case info.IsDir():
		return step, &TargetError{step.Path, "is a directory where gonix-init writes a file: move it away first"}
	case !info.Mode().IsRegular():
		return step, &TargetError{step.Path, "is not a regular file: move it away first"}
	}
	old, err := afero.ReadFile(fsys, step.Path)
	if err != nil {
		return step, &TargetError{step.Path, "cannot be read: " + usage.Cause(err)}
	}
	step.Old, step.OldMode = old, info.Mode().Perm()
	if bytes.Equal(old, f.Data) {
		step.Action = Keep
	} else {
		step.Action = Replace
	}
	return step, nil
}

// PlanDelete adds to the plan the removal of a regular file of dir, with its
// content kept for the diff and for undo. The file must be what the caller
// read: it is refused when it is a symlink or not a regular file.
func (p *Plan) PlanDelete(fsys afero.Fs, slashPath string) error {
	step, err := planFile(fsys, p.Dir, render.File{Path: slashPath})
	if err != nil {
		return err
	}
	if step.Old == nil && step.Action == Create {
		return nil // already gone
	}
	step.Action = Delete
	p.Steps = append(p.Steps, step)
	return nil
}

// Write plans without force and applies the plan: the common case of a new
// project in a new or empty directory.
func Write(ctx context.Context, fsys afero.Fs, dir string, files []render.File) error {
	plan, err := NewPlan(fsys, dir, files, false)
	if err != nil {
		return err
	}
	return Apply(ctx, fsys, plan)
}

func lstat(fsys afero.Fs, p string) (fs.FileInfo, error) {
	if l, ok := fsys.(afero.Lstater); ok {
		info, _, err := l.LstatIfPossible(p)
		return info, err
	}
	return fsys.Stat(p)
}

// CheckWritable refuses, before anything is shown or asked to confirm, a
// target the writes would fail in: it makes and removes a file in dir, or
// in the nearest directory above it that exists, where dir is to be made.
// The refusal is the one the writes would end with (explain).
func CheckWritable(fsys afero.Fs, dir string) error {
	at := filepath.Clean(dir)
	for {
		if info, err := fsys.Stat(at); err == nil && info.IsDir() || filepath.Dir(at) == at {
			break
		}
		at = filepath.Dir(at)
	}
	probe := filepath.Join(at, ".gonix-init-probe")
	f, err := fsys.OpenFile(probe, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		if errors.Is(err, fs.ErrExist) {
			return nil // a probe left behind: the directory takes files
		}
		return explain(fsys, dir, err)
	}
	return errors.Join(f.Close(), fsys.Remove(probe))
}

// explain is a write's error in words that say what to do, with what it
// names: a directory the user cannot write to, one on a read-only file
// system, or one that takes no new directory (/proc) is bad input (a
// TargetError, nothing written); a full disk is a failure whose writes
// were undone.
func explain(fsys afero.Fs, dir string, err error) error {
	switch {
	case errors.Is(err, fs.ErrPermission):
		return &TargetError{deniedAt(fsys, dir, err), "cannot be written: permission denied; choose a directory you can write to, or make this one writable"}
	case errors.Is(err, syscall.EROFS):
		return &TargetError{deniedAt(fsys, dir, err), "cannot be written: it is on a read-only file system; choose a directory on one you can write to"}
	case errors.Is(err, syscall.ENOSPC):
		return fmt.Errorf("%s: no space left on the device; nothing was written (what was, was removed): free some space, then run again", dir)
	case errors.Is(err, fs.ErrNotExist):
		// Where it exists, a directory that takes no new entry (/proc).
		return &TargetError{deniedAt(fsys, dir, err), "takes no new directory (" + usage.Cause(err) + "); choose a directory you can write to"}
	}
	return err
}

// deniedAt names what refused a write: the file, when it exists (a
// read-only file to replace), else the nearest directory above it that
// exists, the one that would not take a new entry (the writes are undone by
// then, so that is not one gonix-init made).
func deniedAt(fsys afero.Fs, dir string, err error) string {
	pe := (*fs.PathError)(nil)
	if !errors.As(err, &pe) {
		return dir
	}
	p := pe.Path
	for {
		if _, err := lstat(fsys, p); err == nil || filepath.Dir(p) == p {
			return p
		}
		p = filepath.Dir(p)
	}
}

func join(dir, slashPath string) string { return filepath.Join(dir, filepath.FromSlash(slashPath)) }

func listSome(names []string, n int) string {
	if len(names) <= n {
		return strings.Join(names, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(names[:n], ", "), len(names)-n)
}
