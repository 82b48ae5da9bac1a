package update

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/afero"

	"github.com/gonix-init/gonix-init/internal/answers"
	"github.com/gonix-init/gonix-init/internal/merge"
	"github.com/gonix-init/gonix-init/internal/nixpin"
	"github.com/gonix-init/gonix-init/internal/releases"
	"github.com/gonix-init/gonix-init/internal/render"
	"github.com/gonix-init/gonix-init/internal/scaffold"
	"github.com/gonix-init/gonix-init/internal/usage"
	"github.com/gonix-init/gonix-init/internal/version"
)

const prog = version.Program

// ConflictError is a project with files that hold conflict markers: left
// by this update (the rest of it is written), or by an earlier one
// (Earlier: nothing was written, and the user resolves them first).
type ConflictError struct {
	Paths   []string
	Earlier bool
}

// Conflicted marks the error as conflicts to resolve (exit.Code).
func (*ConflictError) Conflicted() bool { return true }

func (e *ConflictError) Error() string {
	files := strings.Join(e.Paths, ", ")
	if e.Earlier {
		holds := "hold"
		if len(e.Paths) == 1 {
			holds = "holds"
		}
		return fmt.Sprintf("%s still %s the conflict markers of an update: resolve the %s / %s sections first (then git add), and run update again",
			files, holds, merge.Opening, merge.Closing+prog)
	}
	return fmt.Sprintf("conflicts in %s: both you and the templates changed the same lines; resolve the %s / %s%s sections, "+
		"then commit them (in git, update leaves them out of the index and stages the rest)", files, merge.Opening, merge.Closing, version.Generator())
}

// Recorded reads the answers file of the project in dir: its answers, over
// its profile's start (the kind it records), and what made it.
func Recorded(fsys afero.Fs, dir string) (answers.Answers, answers.Origin, error) {
	path := filepath.Join(dir, answers.FileName)
	a := answers.Answers{}
	if err := usage.ProjectDir(fsys, dir); err != nil {
		return a, answers.Origin{}, err
	}
	f, err := fsys.Open(path)
	if err != nil {
		start := "run gonix-init to start one"
		if _, modErr := fsys.Stat(filepath.Join(dir, "go.mod")); modErr == nil {
			start = "this Go module is not one yet: gonix-init adopt " + answers.ShellQuote(dir) + " takes it up"
		}
		if root := projectAbove(fsys, dir); root != "" {
			here := dir
			if filepath.Clean(dir) == "." {
				here = "the current directory"
			}
			return a, answers.Origin{}, usage.Errorf("%s is inside the project in %s (%s is there): run gonix-init update %s, or update in that directory",
				here, root, answers.FileName, answers.ShellQuote(root))
		}
		return a, answers.Origin{}, usage.Errorf("%s: %s; update works on a project that gonix-init made or adopted (%s)", path, usage.Cause(err), start)
	}
	defer f.Close() //nolint:errcheck // read-only
	data, err := io.ReadAll(f)
	if err != nil {
		return a, answers.Origin{}, err
	}
	// Read once for the kind, then over that kind's start.
	_, _, _ = answers.Read(bytes.NewReader(data), &a)
	a = a.Profile().Start()
	origin, _, err := answers.Read(bytes.NewReader(data), &a)
	if errors.Is(err, answers.ErrNotJSON) {
		return a, origin, usage.Errorf("%s: %v; restore it (git checkout -- %s) and run update again", path, err, answers.FileName)
	}
	return a, origin, usage.Answers(err, usage.In(path))
}

// projectAbove is the nearest directory above dir that holds an answers
// file, as a path from where dir is named (../..), or "".
func projectAbove(fsys afero.Fs, dir string) string {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return ""
	}
	for d := filepath.Dir(abs); d != filepath.Dir(d); d = filepath.Dir(d) {
		if _, err := fsys.Stat(filepath.Join(d, answers.FileName)); err == nil {
			if rel, err := filepath.Rel(abs, d); err == nil {
				return filepath.Join(dir, rel)
			}
			return d
		}
	}
	return ""
}

// Base is what made a project: its template set, and the nixpkgs pin that
// gonix-init locked then.
type Base struct {
	Templates fs.FS
	Pin       nixpin.Pin
}

// BaseOf returns what made the project in dir: the template set in baseDir
// when given (with this gonix-init's pin), else the embedded release of
// the version that made it (origin), checked against the digest it
// recorded.
func BaseOf(fsys afero.Fs, baseDir, dir string, origin answers.Origin) (Base, error) {
	if baseDir != "" {
		info, err := fsys.Stat(baseDir)
		if err != nil || !info.IsDir() {
			return Base{}, usage.Errorf("--base-templates %s: not a directory; give the template set the project was made with, laid out like templates/", baseDir)
		}
		return Base{afero.NewIOFS(afero.NewBasePathFs(fsys, baseDir)), nixpin.Nixpkgs}, nil
	}
	recorded := filepath.Join(dir, answers.FileName)
	ways := "give the set it was made with as --base-templates DIR"
	if strings.HasPrefix(origin.Templates, "custom ") {
		return Base{}, usage.Errorf("%s: the project was made with a custom template set; %s", recorded, ways)
	}
	v, ok := strings.CutPrefix(origin.Generator, prog+" ")
	if !ok {
		return Base{}, usage.Errorf("%s: no generator recorded; %s", recorded, ways)
	}
	set, err := releases.Set(v)
	if err != nil {
		return Base{}, usage.Errorf("%s: made by gonix-init %s: %v; update gonix-init, or %s", recorded, v, err, ways)
	}
	if origin.Templates != "" {
		if d, _ := render.Digest(set); d != origin.Templates {
			return Base{}, usage.Errorf("%s: its template set (%s) is not gonix-init %s's; %s", recorded, origin.Templates, v, ways)
		}
	}
	pin, err := releases.Pin(v)
	return Base{set, pin}, err
}

// Reconcile decides the outcome of every file of the project in dir, from
// base (what its templates wrote) and new (what they write now), and
// returns the answers file apart: it is always written, last. A file that
// still holds the markers of an earlier update's conflict stops it, as a
// *ConflictError.
func Reconcile(fsys afero.Fs, dir string, base, new []render.File, newBase NewBase, rules map[string]merge.Rule) (entries []Entry, record render.File, err error) {
	strip := func(files []render.File) []render.File {
		return slices.DeleteFunc(slices.Clone(files), func(f render.File) bool {
			if f.Path == answers.FileName {
				record = f
				return true
			}
			return false
		})
	}
	base = strip(base)
	new = strip(new)
	var marked []string
	entries, err = Plan(base, new, func(p string) ([]byte, bool, error) {
		name := filepath.Join(dir, filepath.FromSlash(p))
		info, err := fsys.Stat(name)
		if errors.Is(err, fs.ErrNotExist) {
			return nil, false, nil
		}
		if err != nil || !info.Mode().IsRegular() {
			return nil, false, &scaffold.TargetError{Path: filepath.Join(dir, p), Reason: "is not a regular file: move it away first"}
		}
		data, err := afero.ReadFile(fsys, name)
		if merge.HasConflict(data, prog) {
			marked = append(marked, p)
		}
		return data, err == nil, err
	}, version.Generator(), newBase, rules)
	if err == nil && len(marked) > 0 {
		err = &ConflictError{Paths: marked, Earlier: true}
	}
	return entries, record, err
}

// Writes turns the outcomes into the plan of writes: files written
// (through the same checks as init's, with their diffs), files removed,
// and the answers file record last, so that an update cut short never
// records answers it did not apply.
func Writes(fsys afero.Fs, dir string, entries []Entry, record render.File) (*scaffold.Plan, error) {
	var files []render.File
	for _, en := range entries {
		if en.Write {
			files = append(files, render.File{Path: en.Path, Data: en.Data, Mode: en.Mode})
		}
	}
	plan, err := scaffold.NewPlan(fsys, dir, append(files, record), true)
	if err != nil {
		return nil, err
	}
	for _, en := range entries {
		if en.Remove {
			if err := plan.PlanDelete(fsys, en.Path); err != nil {
				return nil, err
			}
		}
	}
	i := slices.IndexFunc(plan.Steps, func(s scaffold.Step) bool { return s.File.Path == answers.FileName })
	last := plan.Steps[i]
	plan.Steps = append(slices.Delete(plan.Steps, i, i+1), last)
	return plan, nil
}

// Dirty lists, of paths in dir, those git has uncommitted changes to.
type Dirty func(ctx context.Context, dir string, paths []string) ([]string, error)

// RefuseDirty refuses to touch a file that git has uncommitted changes to:
// the user's work would be mixed with the update's (--force allows it).
func RefuseDirty(ctx context.Context, dirty Dirty, dir string, entries []Entry) error {
	var touched []string
	for _, en := range entries {
		if en.Write || en.Remove {
			touched = append(touched, en.Path)
		}
	}
	found, err := dirty(ctx, dir, touched)
	if err != nil || len(found) == 0 {
		return err
	}
	return usage.Errorf("git has uncommitted changes to %s, which update would change: commit or stash them first, or add --force", strings.Join(found, ", "))
}

// BaseFile is the file path as the templates that made the project write
// it for the answers a (not the recorded ones), or nil: the base of a file
// the recorded answers did not write (NewBase).
func BaseFile(a answers.Answers, base Base, path string, options ...func(*render.Data)) []byte {
	files, err := render.Render(a, base.Templates, append(options, render.WithPin(base.Pin))...)
	if err != nil {
		return nil
	}
	for _, f := range files {
		if f.Path == path {
			return f.Data
		}
	}
	return nil
}

// RenderBase renders the project as it was made: its recorded answers a
// with the set that made it, its pin, and options (the go line).
func RenderBase(a answers.Answers, base Base, options ...func(*render.Data)) ([]render.File, error) {
	files, err := render.Render(a, base.Templates, append(options, render.WithPin(base.Pin))...)
	if err != nil {
		return nil, usage.Errorf("rendering the project as it was made: %v; give the template set it was made with as --base-templates DIR", err)
	}
	return files, nil
}
