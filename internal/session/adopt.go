package session

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/afero"

	"github.com/gonix-init/gonix-init/internal/answers"
	"github.com/gonix-init/gonix-init/internal/detect"
	"github.com/gonix-init/gonix-init/internal/gitstage"
	"github.com/gonix-init/gonix-init/internal/render"
	"github.com/gonix-init/gonix-init/internal/scaffold"
	"github.com/gonix-init/gonix-init/internal/usage"
	"github.com/gonix-init/gonix-init/internal/vendorhash"
)

// Adopt is the session of gonix-init adopt [flags] [DIR]: the Go project in
// o.Dir taken up, its own files kept. What stops a static Nix build of it
// stops the run before any question.
func Adopt(e Env, o *Options, equivalent func(answers.Answers) string) (Session, error) {
	tmpl, err := e.TemplateSet(o.TemplatesDir)
	if err != nil {
		return Session{}, err
	}
	p, err := Detect(e.FS, o.Dir)
	if err != nil {
		return Session{}, err
	}
	canAsk := !o.Yes && e.Terminal
	a, given, err := Collect(e.FS, Sources{
		Base: answers.Adopting(p.Module, p.Mains), File: o.AnswersFile, Flags: o.Flags, CanAsk: canAsk,
	})
	given["module"] = true // go.mod's
	if len(p.Mains) == 1 {
		given["packages"], given["main"] = true, true // nothing to choose
	}
	return Session{
		Env: e, Prompt: e.prompter(o, canAsk), Answers: a, Given: given, DryRun: o.DryRun, GitInit: o.Git,
		Planner: Adoption{Env: e, Dir: o.Dir, Force: o.Force, Templates: tmpl, Project: p, Equivalent: equivalent},
	}, err
}

// Detect reads the project in dir (internal/detect), and refuses, as a
// usage error that says what to do, one that a flake cannot build as
// gonix-init's do: no go.mod, a go.work or no main package. Its go line is
// no reason to refuse: the flake builds with the Go of nixpkgs it asks for
// (and the toolchain line is only a preference, which Nix's builds
// ignore), or, when the pinned nixpkgs has none new enough, says so; the
// plan says which (goNote).
func Detect(fsys afero.Fs, dir string) (*detect.Project, error) {
	root := afero.NewIOFS(fsys)
	if filepath.Clean(dir) != "." { // a base path of "." holds nothing
		root = afero.NewIOFS(afero.NewBasePathFs(fsys, dir))
	}
	p, err := detect.Read(root)
	if err != nil {
		return nil, usage.Errorf("%s: %v", dir, err)
	}
	return p, nil
}

// goNote says which Go the flake builds the project with, for its go
// line, and why when it is not pkgs.go; or, when no Go of the pin is new
// enough, what to do.
func goNote(d render.Data) string {
	switch {
	case d.GoTooNew != nil:
		return d.GoTooNew.Error() + " (nix/README.md says more)"
	case d.Go.Attr != d.Pin.Go().Attr:
		return fmt.Sprintf("go.mod's go line asks for Go %s, newer than the pinned nixpkgs' pkgs.go (%s): the flake builds with %s (nix/go.nix picks it)",
			d.GoLine, d.Pin.Go().Version, d.Go)
	}
	return fmt.Sprintf("go.mod's go line asks for Go %s: the flake builds with %s of the pinned nixpkgs", d.GoLine, d.Go)
}

// Adoption is adopt's planner: the files gonix-init manages
// (render.Manages), planned into the project in Dir. An existing file is
// replaced only with Force, .gitignore gets the lines it lacks, and
// nix/vendor-hash.nix the modules' hash, computed offline when it can be.
type Adoption struct {
	Env       Env
	Dir       string
	Force     bool
	Templates Templates
	Project   *detect.Project
	// Equivalent is the command line that adopts the same way without
	// questions, printed after an interactive run.
	Equivalent func(a answers.Answers) string
}

// Plan renders the managed files and plans them into Dir. Without Force,
// a plan that would replace a file of the project's (but .gitignore) is
// Refused.
func (p Adoption) Plan(ctx context.Context, a answers.Answers) (Plan, error) {
	if err := p.check(a); err != nil {
		return Plan{}, err
	}
	goLine := render.WithGoLine(p.Project.Go)
	files, err := p.Env.Render(a, p.Templates, goLine)
	if err != nil {
		return Plan{}, err
	}
	notes := []string{goNote(render.NewData(a, goLine))}
	for i, f := range files {
		switch f.Path {
		case ".gitignore":
			files[i].Data, err = p.gitignore(f.Data)
		case "nix/vendor-hash.nix":
			var note string
			files[i].Data, note = p.vendorHash(ctx, f.Data)
			notes = append(notes, note)
		}
		if err != nil {
			return Plan{}, err
		}
	}
	writes, err := scaffold.NewPlan(p.Env.FS, p.Dir, files, true)
	if err != nil {
		return Plan{}, err
	}
	writes.Notes = slices.DeleteFunc(notes, func(n string) bool { return n == "" })
	plan := Plan{Writes: writes}
	var there []string
	for _, s := range writes.Steps {
		if s.Action == scaffold.Replace && s.File.Path != ".gitignore" {
			there = append(there, s.File.Path)
		}
	}
	if len(there) > 0 && !p.Force {
		it := them(there, "it", "them")
		plan.Stop, plan.Refusal = Refused, usage.Errorf("%s: %s already there (diff above): adopt writes %s; move %s away, or add --force to replace %s",
			p.Dir, strings.Join(there, ", "), it, it, it)
	}
	return plan, nil
}

// them is one or many, for how many names there are.
func them(names []string, one, many string) string {
	if len(names) == 1 {
		return one
	}
	return many
}

// check refuses packages that are not the project's main packages, and
// one that needs cgo, which a static build (CGO_ENABLED=0) leaves out.
func (p Adoption) check(a answers.Answers) error {
	for _, pkg := range a.Packages {
		if !slices.Contains(p.Project.Mains, pkg) {
			return usage.Errorf("--packages: %s is not a main package of %s; its main packages are %s", pkg, p.Project.Module, strings.Join(p.Project.Mains, ", "))
		}
		if cgo := p.Project.Cgo[pkg]; len(cgo) > 0 {
			return usage.Errorf("%s: the main package %s needs cgo (import \"C\" in %s), and gonix-init builds static binaries with CGO_ENABLED=0, "+
				"which would leave those files out; build the others with --packages, or give the package a pure-Go build first", p.Dir, pkg, strings.Join(cgo, ", "))
		}
	}
	return nil
}

// gitignore is the project's .gitignore with the lines of ours it lacks
// added at its end, or ours when it has none.
func (p Adoption) gitignore(ours []byte) ([]byte, error) {
	old, err := afero.ReadFile(p.Env.FS, filepath.Join(p.Dir, ".gitignore"))
	if errors.Is(err, afero.ErrFileNotFound) || err == nil && len(old) == 0 {
		return ours, nil
	}
	if err != nil {
		return nil, err
	}
	have := map[string]bool{}
	for _, l := range strings.Split(string(old), "\n") {
		have[strings.TrimSpace(l)] = true
	}
	var add []string
	for _, l := range strings.Split(string(ours), "\n") {
		if t := strings.TrimSpace(l); t != "" && !strings.HasPrefix(t, "#") && !have[t] {
			add = append(add, l)
		}
	}
	if len(add) == 0 {
		return old, nil
	}
	out := bytes.TrimRight(old, "\n")
	out = append(out, "\n\n# Added by gonix-init adopt\n"...)
	return append(out, strings.Join(add, "\n")+"\n"...), nil
}

// vendorHash is nix/vendor-hash.nix: null for a project that keeps its
// modules in vendor/, else the hash the module cache gives; with a note
// when it cannot be computed here.
func (p Adoption) vendorHash(ctx context.Context, rendered []byte) ([]byte, string) {
	if p.Project.Vendored {
		return []byte(vendorhash.None + "\n"), ""
	}
	later := "then run nix run .#vendor-hash, which writes it"
	goCmd, err := p.Env.LookPath("go")
	if err != nil {
		return rendered, "nix/vendor-hash.nix holds null: there is no go command here to vendor the modules; " + later
	}
	hash, err := vendorhash.Compute(ctx, goCmd, p.Dir, p.Project.Go)
	switch {
	case errors.Is(err, vendorhash.ErrNoGo):
		return rendered, fmt.Sprintf("nix/vendor-hash.nix holds null: %v; %s", err, later)
	case errors.Is(err, vendorhash.ErrNotCached):
		return rendered, "nix/vendor-hash.nix holds null: the modules go.mod requires are not all in the module cache (go mod download fetches them); " + later
	case err != nil:
		return rendered, fmt.Sprintf("nix/vendor-hash.nix holds null: %v; %s", err, later)
	}
	return []byte(hash + "\n"), ""
}

// Show prints what init's would; a Refused plan, the diffs of the files in
// the way.
func (p Adoption) Show(plan Plan, a answers.Answers, why Showing) {
	Create{Env: p.Env}.Show(plan, a, why)
}

// Done prints what was written and the next steps, and after questions the
// command that does the same without them.
func (p Adoption) Done(plan Plan, a answers.Answers, staged gitstage.Result, asked bool) error {
	return Create{Env: p.Env, Equivalent: p.Equivalent}.Done(plan, a, staged, asked)
}
