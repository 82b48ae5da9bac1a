// Package detect reads what an existing Go project says of itself, for
// `gonix-init adopt`: its module path, go and toolchain lines, its main
// packages (with the build tags each needs, and which are helpers), its
// GoReleaser config, the modules it keeps in its own tree, whether it
// vendors its modules, what its //go:embed patterns take in, and what
// stops a static Nix build of it (a go.work in use, a replace that leaves
// the project, a go.sum that lacks checksums, cgo in a package a main one
// needs). It parses go.mod, go.sum, the GoReleaser config and the Go
// files' headers only: no network and no go command, so it answers the
// same on any machine.
package detect

import (
	"errors"
	"fmt"
	"go/build"
	"io"
	"io/fs"
	"path"
	"slices"
	"strings"

	"golang.org/x/mod/modfile"
)

// Project is what Read finds in a project's directory.
type Project struct {
	Module    string // go.mod's module path
	Go        string // go.mod's go line
	Toolchain string // go.mod's toolchain line, or ""
	// Mains are the main packages, by directory: those of a build without
	// tags, and those that are main packages only with build tags.
	Mains []Main
	// Vendored reports a vendor/modules.txt: the project keeps its
	// modules, and its flake builds with vendorHash = null.
	Vendored bool
	// Nested are the directories of modules inside the project that go.mod
	// replaces a requirement with (replace example.com/lib => ./lib): the
	// flake's source holds them, and builds only the root module's
	// packages.
	Nested []string
	// Release is what the project's GoReleaser config builds, or nil.
	Release *Release
	// InstallRefuses says why go install MODULE@VERSION would refuse the
	// module (go.mod's replace or exclude directives), or "".
	InstallRefuses string
	// Deps is the module cache (GOMODCACHE), from which a stamp of a
	// package of a required module is read and checked; nil leaves such
	// a stamp unchecked, unless the project vendors its modules or a
	// replace keeps the module in the project.
	Deps fs.FS

	fsys     fs.FS
	pkgs     map[string]map[string]*build.Package // by the tags joined with ","
	requires map[string]requirement               // go.mod's, by module path
}

// ErrNoMain is why Read stops in a module without a main package, with or
// without build tags.
var ErrNoMain = errors.New("no main package: gonix-init adopt builds a program, and this module has none (package main, outside testdata/ and vendor/)")

// NoGoModError is a directory without a go.mod: in a workspace's root
// (Work, with its modules Uses), or outside any module.
type NoGoModError struct {
	Work string
	Uses []string
}

func (e *NoGoModError) Error() string {
	if e.Work == "" {
		return "no go.mod: run gonix-init adopt in a Go module's root"
	}
	return fmt.Sprintf("no go.mod: %s makes this directory a Go workspace, and a flake builds one module: "+
		"run GOWORK=off gonix-init adopt in one of its modules (%s)", e.Work, strings.Join(e.Uses, ", "))
}

// Read reads the project whose root is fsys, and refuses one a flake
// cannot build: no go.mod (a go.work's root is named), a replace that
// points outside the project, a go.sum without the checksums go.mod's
// requirements need, or no main package.
func Read(fsys fs.FS) (*Project, error) {
	data, err := fs.ReadFile(fsys, "go.mod")
	if errors.Is(err, fs.ErrNotExist) {
		return nil, noGoMod(fsys)
	}
	if err != nil {
		return nil, err
	}
	mod, err := modfile.Parse("go.mod", data, nil)
	if err != nil {
		return nil, fmt.Errorf("go.mod: %w", err)
	}
	if mod.Module == nil {
		return nil, errors.New("go.mod names no module: add a module line, as go mod init writes it")
	}
	p := &Project{Module: mod.Module.Mod.Path, fsys: fsys, pkgs: map[string]map[string]*build.Package{}, requires: requirements(mod)}
	if mod.Go != nil {
		p.Go = mod.Go.Version
	}
	if mod.Toolchain != nil {
		p.Toolchain = mod.Toolchain.Name
	}
	if _, err := fs.Stat(fsys, VendorList); err == nil {
		p.Vendored = true
	}
	switch {
	case len(mod.Replace) > 0:
		p.InstallRefuses = "go.mod has replace directives"
	case len(mod.Exclude) > 0:
		p.InstallRefuses = "go.mod has exclude directives"
	}
	if p.Nested, err = nested(fsys, mod); err != nil {
		return nil, err
	}
	if !p.Vendored {
		if err := checkSums(fsys, mod); err != nil {
			return nil, err
		}
	}
	if p.Mains, err = p.mains(); err != nil {
		return nil, err
	}
	if len(p.Mains) == 0 {
		return nil, ErrNoMain
	}
	if p.Release, err = readRelease(fsys); err != nil {
		return nil, err
	}
	if p.Release != nil {
		p.Release.keepMains(p)
	}
	return p, nil
}

// VendorList lists the modules of a module that keeps them in vendor/:
// go build reads vendor/ where it is.
const VendorList = "vendor/modules.txt"

// noGoMod is the error of a directory without go.mod: a workspace's root
// is named as one.
func noGoMod(fsys fs.FS) error {
	data, err := fs.ReadFile(fsys, "go.work")
	if err != nil {
		return &NoGoModError{}
	}
	work, err := modfile.ParseWork("go.work", data, nil)
	if err != nil {
		return &NoGoModError{Work: "go.work"}
	}
	e := &NoGoModError{Work: "go.work"}
	for _, u := range work.Use {
		e.Uses = append(e.Uses, u.Path)
	}
	return e
}

// linux is the build context of the binaries a flake builds: Linux, with
// cgo allowed, so that the files that need it are seen as such, and the
// build tags given.
func linux(fsys fs.FS, tags []string) *build.Context {
	ctx := build.Default
	ctx.GOOS, ctx.GOARCH, ctx.CgoEnabled, ctx.GOROOT, ctx.GOPATH = "linux", "amd64", true, "", ""
	ctx.BuildTags = tags
	ctx.JoinPath = path.Join
	ctx.IsDir = func(p string) bool {
		fi, err := fs.Stat(fsys, p)
		return err == nil && fi.IsDir()
	}
	ctx.ReadDir = func(dir string) ([]fs.FileInfo, error) {
		entries, err := fs.ReadDir(fsys, dir)
		var infos []fs.FileInfo
		for _, e := range entries {
			if info, ierr := e.Info(); ierr == nil {
				infos = append(infos, info)
			}
		}
		return infos, err
	}
	ctx.OpenFile = func(p string) (io.ReadCloser, error) { return fsys.Open(p) }
	ctx.HasSubdir = func(root, dir string) (string, bool) { return "", false }
	return &ctx
}

// packages reads the header of every package of the module with the build
// tags given: each directory with Go files for Linux, but vendor/,
// testdata/, those whose names start with . or _, which the go command
// skips too, and other modules.
func (p *Project) packages(tags []string) (map[string]*build.Package, error) {
	key := strings.Join(tags, ",")
	if pkgs, ok := p.pkgs[key]; ok {
		return pkgs, nil
	}
	ctx := linux(p.fsys, tags)
	pkgs := map[string]*build.Package{}
	err := fs.WalkDir(p.fsys, ".", func(dir string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return err
		}
		if dir != "." && (skipped(d.Name()) || isModule(p.fsys, dir)) {
			return fs.SkipDir
		}
		pkg, err := ctx.ImportDir(dir, build.ImportComment)
		var none *build.NoGoError
		switch {
		case errors.As(err, &none):
			if len(pkg.IgnoredGoFiles) > 0 {
				pkgs[dir] = pkg // none for these tags: maybe for others
			}
			return nil
		case err != nil:
			return fmt.Errorf("%s: %w", dir, err)
		}
		pkgs[dir] = pkg
		return nil
	})
	if err != nil {
		return nil, err
	}
	p.pkgs[key] = pkgs
	return pkgs, nil
}

// skipped reports whether the go command skips a directory of this name
// in a pattern like ./...: vendor, testdata, and names that start with .
// or _.
func skipped(name string) bool {
	return name == "vendor" || name == "testdata" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")
}

// isModule reports whether dir holds a go.mod: another module.
func isModule(fsys fs.FS, dir string) bool {
	_, err := fs.Stat(fsys, path.Join(dir, "go.mod"))
	return err == nil
}

// Cgo returns the directories of the module's packages that the main
// package in dir needs with the build tags given, itself included, and
// that import "C": a static CGO_ENABLED=0 build would leave those files
// out, or fail.
func (p *Project) Cgo(dir string, tags []string) ([]string, error) {
	var cgo []string
	err := p.walkImports(dir, tags, func(d string, pkg *build.Package) {
		if len(pkg.CgoFiles) > 0 {
			cgo = append(cgo, d)
		}
	})
	slices.Sort(cgo)
	return cgo, err
}

// walkImports calls visit for the package in dir and for each package of
// the module it imports, directly or not, with the build tags given.
func (p *Project) walkImports(dir string, tags []string, visit func(dir string, pkg *build.Package)) error {
	pkgs, err := p.packages(tags)
	if err != nil {
		return err
	}
	seen := map[string]bool{}
	var walk func(dir string)
	walk = func(dir string) {
		pkg := pkgs[dir]
		if seen[dir] || pkg == nil || pkg.Name == "" {
			return
		}
		seen[dir] = true
		visit(dir, pkg)
		for _, imp := range pkg.Imports {
			if rel, ok := strings.CutPrefix(imp, p.Module+"/"); ok {
				walk(rel)
			}
		}
	}
	walk(dir)
	return nil
}
