package session

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/spf13/afero"

	"github.com/gonix-init/gonix-init/internal/answers"
	"github.com/gonix-init/gonix-init/internal/render"
	"github.com/gonix-init/gonix-init/internal/usage"
	"github.com/gonix-init/gonix-init/templates"
)

// Templates is a template set and where it came from.
type Templates struct {
	FS  fs.FS
	Dir string // --templates DIR; "" for the embedded set
}

// TemplateSet returns the embedded templates, or those in dir.
func (e Env) TemplateSet(dir string) (Templates, error) {
	if dir == "" {
		return Templates{FS: templates.FS}, nil
	}
	info, err := e.FS.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return Templates{}, usage.Errorf("--templates %s: no such directory; give one laid out like templates/ (see docs/templates.md)", dir)
	case err != nil:
		return Templates{}, usage.Errorf("--templates %s: %s", dir, usage.Cause(err))
	case !info.IsDir():
		return Templates{}, usage.Errorf("--templates %s: is a file, not a directory; give one laid out like templates/ (see docs/templates.md)", dir)
	}
	return Templates{FS: afero.NewIOFS(afero.NewBasePathFs(e.FS, dir)), Dir: dir}, nil
}

// Render renders the answers; for a set given as --templates it also
// checks that what it produced parses (render.Check, and Nix's parser),
// as the tests check the embedded set.
func (e Env) Render(a answers.Answers, t Templates, options ...func(*render.Data)) ([]render.File, error) {
	if t.Dir != "" {
		options = append(options, render.Custom)
	}
	files, err := render.Render(a, t.FS, options...)
	var ae *answers.Error
	switch {
	case err != nil && errors.As(err, &ae):
		return nil, usage.Answers(err, usage.Flag)
	case err != nil && t.Dir != "":
		return nil, usage.Errorf("--templates %s: %v", t.Dir, err)
	case err != nil:
		return nil, err
	}
	if t.Dir != "" {
		err := errors.Join(render.Check(files), e.checkNix(files))
		if err != nil {
			return nil, usage.Errorf("--templates %s: the rendered project is broken:\n%v", t.Dir, err)
		}
	}
	return files, nil
}

// checkNix checks that every rendered .nix file parses, with the
// nix-instantiate on PATH (where there is none, Nix cannot build the
// project here either, and the check is left to the first nix command).
func (e Env) checkNix(files []render.File) error {
	nix, err := e.LookPath("nix-instantiate")
	if err != nil {
		return nil
	}
	var errs []error
	for _, f := range files {
		if filepath.Ext(f.Path) != ".nix" {
			continue
		}
		cmd := exec.Command(nix, "--parse", "-")
		cmd.Stdin = bytes.NewReader(f.Data)
		if out, err := cmd.CombinedOutput(); err != nil {
			errs = append(errs, nixError(f.Path, string(out)))
		}
	}
	return errors.Join(errs...)
}

// nixError is nix-instantiate's complaint about file in one line: "error:
// syntax error, ...", then "at «stdin»:2:23:" and the source.
func nixError(file, out string) error {
	msg, where := "", file
	for _, l := range strings.Split(out, "\n") {
		l = strings.TrimSpace(l)
		switch {
		case msg == "" && strings.HasPrefix(l, "error: "):
			msg = strings.TrimPrefix(l, "error: ")
		case strings.HasPrefix(l, "at «stdin»:"):
			where = file + strings.TrimSuffix(strings.TrimPrefix(l, "at «stdin»"), ":")
		}
	}
	return fmt.Errorf("%s: not valid Nix: %s", where, cmp.Or(msg, strings.TrimSpace(out)))
}
