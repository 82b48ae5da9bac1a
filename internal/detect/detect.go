// Package detect reads what an existing Go project says of itself, for
// `gonix-init adopt` (issue 29): its module path, go and toolchain lines,
// its main packages, whether it vendors its modules, and what stops a
// static Nix build of it (a go.work in use, cgo in a package a main one
// needs). It parses go.mod and the Go files' headers only: no network and
// no go command, so it answers the same on any machine.
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
	// Mains are the directories of the main packages, slash-separated and
	// relative to the project ("." for the root), sorted.
	Mains []string
	// Vendored reports a vendor/modules.txt: the project keeps its
	// modules, and its flake builds with vendorHash = null.
	Vendored bool
	// Cgo maps a main package's directory to the directories of the
	// project's packages it needs (itself included) that import "C",
	// which a static CGO_ENABLED=0 build would leave out or fail on.
	Cgo map[string][]string
}

// ErrNoGoMod, ErrGoWork and ErrNoMain are why Read stops.
var (
	ErrNoGoMod = errors.New("no go.mod: run gonix-init adopt in a Go module's root")
	ErrGoWork  = errors.New("a go.work is in use: a flake builds one module; remove go.work (or set GOWORK=off for this module) first")
	ErrNoMain  = errors.New("no main package: gonix-init adopt builds a program, and this module has none (package main, outside testdata/ and vendor/)")
)

// linux is the build context of the binaries a flake builds: Linux, with
// cgo allowed, so that the files that need it are seen as such.
func linux(fsys fs.FS) *build.Context {
	ctx := build.Default
	ctx.GOOS, ctx.GOARCH, ctx.CgoEnabled, ctx.GOROOT, ctx.GOPATH = "linux", "amd64", true, "", ""
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

// Read reads the project whose root is fsys.
func Read(fsys fs.FS) (*Project, error) {
	data, err := fs.ReadFile(fsys, "go.mod")
	if errors.Is(err, fs.ErrNotExist) {
		return nil, ErrNoGoMod
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
	if _, err := fs.Stat(fsys, "go.work"); err == nil {
		return nil, ErrGoWork
	}
	p := &Project{Module: mod.Module.Mod.Path, Cgo: map[string][]string{}}
	if mod.Go != nil {
		p.Go = mod.Go.Version
	}
	if mod.Toolchain != nil {
		p.Toolchain = mod.Toolchain.Name
	}
	if _, err := fs.Stat(fsys, "vendor/modules.txt"); err == nil {
		p.Vendored = true
	}
	pkgs, err := packages(fsys)
	if err != nil {
		return nil, err
	}
	for dir, pkg := range pkgs {
		if pkg.Name == "main" && len(pkg.GoFiles)+len(pkg.CgoFiles) > 0 {
			p.Mains = append(p.Mains, dir)
		}
	}
	if len(p.Mains) == 0 {
		return nil, ErrNoMain
	}
	slices.Sort(p.Mains)
	for _, main := range p.Mains {
		if cgo := cgoNeeded(p.Module, main, pkgs); len(cgo) > 0 {
			p.Cgo[main] = cgo
		}
	}
	return p, nil
}

// packages reads the header of every package of the module: each directory
// with Go files for Linux, but vendor/, testdata/ and those whose names
// start with . or _, which the go command skips too.
func packages(fsys fs.FS) (map[string]*build.Package, error) {
	ctx := linux(fsys)
	pkgs := map[string]*build.Package{}
	err := fs.WalkDir(fsys, ".", func(dir string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return err
		}
		name := d.Name()
		if dir != "." && (name == "vendor" || name == "testdata" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")) {
			return fs.SkipDir
		}
		if dir != "." {
			if _, err := fs.Stat(fsys, path.Join(dir, "go.mod")); err == nil {
				return fs.SkipDir // another module
			}
		}
		pkg, err := ctx.ImportDir(dir, build.ImportComment)
		var none *build.NoGoError
		switch {
		case errors.As(err, &none):
			return nil
		case err != nil:
			return fmt.Errorf("%s: %w", dir, err)
		}
		pkgs[dir] = pkg
		return nil
	})
	return pkgs, err
}

// cgoNeeded returns the directories of the module's packages that the main
// package in dir needs, itself included, and that import "C".
func cgoNeeded(module, dir string, pkgs map[string]*build.Package) []string {
	seen := map[string]bool{}
	var cgo []string
	var visit func(dir string)
	visit = func(dir string) {
		pkg := pkgs[dir]
		if seen[dir] || pkg == nil {
			return
		}
		seen[dir] = true
		if len(pkg.CgoFiles) > 0 {
			cgo = append(cgo, dir)
		}
		for _, imp := range pkg.Imports {
			if rel, ok := strings.CutPrefix(imp, module+"/"); ok {
				visit(rel)
			}
		}
	}
	visit(dir)
	slices.Sort(cgo)
	return cgo
}
