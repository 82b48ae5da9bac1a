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
	"github.com/gonix-init/gonix-init/internal/plan"
	"github.com/gonix-init/gonix-init/internal/render"
	"github.com/gonix-init/gonix-init/internal/scaffold"
	"github.com/gonix-init/gonix-init/internal/usage"
	"github.com/gonix-init/gonix-init/internal/vendorhash"
	"github.com/gonix-init/gonix-init/internal/version"
)

// Adopt is the session of gonix-init adopt [flags] [DIR]: the Go project in
// o.Dir taken up (the Adopted profile), its own files kept. What stops a
// static Nix build of it stops the run before any question. What it reads
// of the project (its packages, its .gitignore, its modules' hash) it
// reads once, here.
func Adopt(e Env, o *Options) (Session, error) {
	tmpl, err := e.TemplateSet(o.TemplatesDir)
	if err != nil {
		return Session{}, err
	}
	p, err := Detect(e.FS, o.Dir)
	if err != nil {
		return Session{}, err
	}
	ignore, err := afero.ReadFile(e.FS, filepath.Join(o.Dir, ".gitignore"))
	if err != nil && !errors.Is(err, afero.ErrFileNotFound) {
		return Session{}, err
	}
	start := answers.Adopting(p.Module, p.Mains)
	a, given, err := Collect(e.FS, Sources{Base: start, File: o.AnswersFile, Flags: o.Flags, CanAsk: e.canAsk(o)})
	if len(p.Mains) == 1 {
		given["packages"], given["main"] = true, true // nothing to choose
	}
	return Session{
		Env: e, Prompt: e.prompter(o), Answers: a, Given: given, DryRun: o.DryRun, GitInit: o.Git,
		Planner: adoption{env: e, opts: o, templates: tmpl, project: p, start: start,
			gitignore: ignore, vendor: vendorHashOf(context.Background(), e, o.Dir, p)},
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

// adoption is adopt's planner: the files the Adopted profile manages,
// planned into the project. An existing file is replaced only with
// --force, .gitignore gets the lines it lacks, and nix/vendor-hash.nix
// the modules' hash, computed offline when it can be.
type adoption struct {
	env       Env
	opts      *Options
	templates Templates
	project   *detect.Project
	start     answers.Answers // the answers adopt found, before any was given
	gitignore []byte          // the project's .gitignore; nil for none
	vendor    vendorHash
}

// vendorHash is nix/vendor-hash.nix as adopt can write it: its content,
// or, when it could not be computed here, "" and why.
type vendorHash struct{ content, note string }

// Plan renders the managed files and plans them into the project. A plan
// that would replace a file of the project's (but .gitignore) without
// --force, or build a package that is not its main one or needs cgo, is
// refused.
func (p adoption) Plan(_ context.Context, a answers.Answers) (plan.Plan, error) {
	pl := plan.Plan{Steps: a.Profile().NextSteps(a), Confirm: "Write the files?", Done: "Created", Line: AdoptLine(a, p.start, p.opts)}
	if err := p.check(a); err != nil {
		return plan.Refuse(pl, err), nil
	}
	goLine := render.WithGoLine(p.project.Go)
	files, err := p.env.Render(a, p.templates, goLine)
	if refusal(err) {
		return plan.Refuse(pl, err), nil
	} else if err != nil {
		return pl, err
	}
	pl.Notes = []string{goNote(render.NewData(a, goLine))}
	for i, f := range files {
		switch f.Path {
		case ".gitignore":
			files[i].Data = p.ignore(f.Data)
		case "nix/vendor-hash.nix":
			if p.vendor.content != "" {
				files[i].Data = []byte(p.vendor.content + "\n")
			} else {
				pl.Notes = append(pl.Notes, p.vendor.note)
			}
		}
	}
	if pl.Writes, err = scaffold.NewPlan(p.env.FS, p.opts.Dir, files, true); err != nil {
		return pl, err
	}
	if there := p.replaced(pl.Writes); len(there) > 0 && !p.opts.Force {
		it := them(there, "it", "them")
		return plan.Refuse(pl, usage.Errorf("%s: %s already there (diff above): adopt writes %s; move %s away, or add --force to replace %s",
			p.opts.Dir, strings.Join(there, ", "), it, it, it)), nil
	}
	return pl, nil
}

// replaced are the files of the project's own the plan would replace:
// all but .gitignore, to which it adds.
func (p adoption) replaced(writes *scaffold.Plan) []string {
	var there []string
	for _, s := range writes.Steps {
		if s.Action == scaffold.Replace && s.File.Path != ".gitignore" {
			there = append(there, s.File.Path)
		}
	}
	return there
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
func (p adoption) check(a answers.Answers) error {
	for _, pkg := range a.Packages {
		if !slices.Contains(p.project.Mains, pkg) {
			return usage.Errorf("--packages: %s is not a main package of %s; its main packages are %s", pkg, p.project.Module, strings.Join(p.project.Mains, ", "))
		}
		if cgo := p.project.Cgo[pkg]; len(cgo) > 0 {
			return usage.Errorf("%s: the main package %s needs cgo (import \"C\" in %s), and gonix-init builds static binaries with CGO_ENABLED=0, "+
				"which would leave those files out; build the others with --packages, or give the package a pure-Go build first", p.opts.Dir, pkg, strings.Join(cgo, ", "))
		}
	}
	return nil
}

// ignore is the project's .gitignore with the lines of ours it lacks added
// at its end, or ours when it has none.
func (p adoption) ignore(ours []byte) []byte {
	old := p.gitignore
	if len(old) == 0 {
		return ours
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
		return old
	}
	out := bytes.TrimRight(slices.Clone(old), "\n")
	out = append(out, "\n\n# Added by gonix-init adopt\n"...)
	return append(out, strings.Join(add, "\n")+"\n"...)
}

// vendorHashOf is nix/vendor-hash.nix for the project in dir: null for one
// that keeps its modules in vendor/, else the hash the module cache gives
// (e.VendorHash), or why it cannot be computed here.
func vendorHashOf(ctx context.Context, e Env, dir string, p *detect.Project) vendorHash {
	if p.Vendored {
		return vendorHash{content: vendorhash.None}
	}
	later := "then run nix run .#vendor-hash, which writes it"
	if e.VendorHash == nil {
		return vendorHash{note: "nix/vendor-hash.nix holds null: it is not computed here; " + later}
	}
	hash, err := e.VendorHash(ctx, dir, p.Go)
	switch {
	case errors.Is(err, vendorhash.ErrNoGo):
		return vendorHash{note: fmt.Sprintf("nix/vendor-hash.nix holds null: %v; %s", err, later)}
	case errors.Is(err, vendorhash.ErrNotCached):
		return vendorHash{note: "nix/vendor-hash.nix holds null: the modules go.mod requires are not all in the module cache (go mod download fetches them); " + later}
	case err != nil:
		return vendorHash{note: fmt.Sprintf("nix/vendor-hash.nix holds null: %v; %s", err, later)}
	}
	return vendorHash{content: hash}
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

// AdoptLine is the command line that adopts the project as the run did,
// without asking: as InitLine, for the answers adopt asks (the module path
// is go.mod's).
func AdoptLine(a, start answers.Answers, opts *Options) string {
	return makeLine([]string{version.Program, "adopt"}, a, start, opts)
}
