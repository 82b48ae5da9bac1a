package detect

import (
	"go/build"
	"go/build/constraint"
	"io/fs"
	"path"
	"slices"
	"strings"
)

// Main is one main package of the project.
type Main struct {
	Dir string // slash-separated, relative to the project ("." for the root)
	// Tags are the build tags it needs to be a main package (all of them),
	// sorted; nil for one of a build without tags.
	Tags []string
	// Helper is the directory that makes it a helper program rather than
	// one a user installs (internal, tools, hack, scripts, examples, test),
	// or "".
	Helper string
}

// Helpers are the directories whose main packages are helpers of the
// project (code generators, test servers, examples), not the programs it
// ships: adopt builds them only when --packages names them.
var Helpers = []string{"internal", "tools", "hack", "scripts", "examples", "test", "testdata"}

// helperOf is the element of dir that makes its package a helper, or "".
func helperOf(dir string) string {
	for _, elem := range strings.Split(dir, "/") {
		if slices.Contains(Helpers, elem) {
			return elem
		}
	}
	return ""
}

// mains finds the main packages: those of a build without tags, then the
// directories whose files declare package main only under build tags
// that a Linux build can have, each with the fewest tags that make it one.
func (p *Project) mains() ([]Main, error) {
	plain, err := p.packages(nil)
	if err != nil {
		return nil, err
	}
	var mains []Main
	for dir, pkg := range plain {
		switch {
		case pkg.Name == "main" && len(pkg.GoFiles)+len(pkg.CgoFiles) > 0:
			mains = append(mains, Main{Dir: dir, Helper: helperOf(dir)})
		case pkg.Name == "":
			if tags := p.tagsFor(dir, pkg); tags != nil {
				mains = append(mains, Main{Dir: dir, Tags: tags, Helper: helperOf(dir)})
			}
		}
	}
	slices.SortFunc(mains, func(a, b Main) int { return strings.Compare(a.Dir, b.Dir) })
	return mains, nil
}

// tagsFor returns the build tags that make the directory, which has no Go
// file without them, a main package for Linux; nil when none do (its
// files are for another system, or marked ignore).
func (p *Project) tagsFor(dir string, pkg *build.Package) []string {
	var need []string
	for _, name := range pkg.IgnoredGoFiles {
		expr := BuildLine(p.fsys, path.Join(dir, name))
		if expr == nil {
			continue
		}
		tags := fewestTags(expr)
		if tags == nil {
			continue
		}
		for _, t := range tags {
			if !slices.Contains(need, t) {
				need = append(need, t)
			}
		}
	}
	if len(need) == 0 {
		return nil
	}
	slices.Sort(need)
	with, err := linux(p.fsys, need).ImportDir(dir, build.ImportComment)
	if err != nil || with.Name != "main" {
		return nil
	}
	return need
}

// BuildLine is the //go:build expression of a Go file, or nil.
func BuildLine(fsys fs.FS, name string) constraint.Expr {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil
	}
	for _, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if strings.HasPrefix(line, "package ") {
			return nil
		}
		if constraint.IsGoBuild(line) {
			expr, err := constraint.Parse(line)
			if err != nil {
				return nil
			}
			return expr
		}
	}
	return nil
}

// fewestTags returns the fewest build tags of a user's own (not a system,
// an architecture, a Go version or ignore) that satisfy expr in a Linux
// build, nil when none do.
func fewestTags(expr constraint.Expr) []string {
	var own []string
	expr.Eval(func(tag string) bool {
		if !systemTag(tag) && !slices.Contains(own, tag) {
			own = append(own, tag)
		}
		return true
	})
	holds := func(tags []string) bool {
		return expr.Eval(func(tag string) bool {
			if systemTag(tag) {
				return linuxTag(tag)
			}
			return slices.Contains(tags, tag)
		})
	}
	if len(own) == 0 || !holds(own) {
		return nil
	}
	for i := 0; i < len(own); {
		fewer := slices.Delete(slices.Clone(own), i, i+1)
		if holds(fewer) {
			own = fewer
		} else {
			i++
		}
	}
	return own
}

// systemTag reports whether tag is one the go command sets itself: an
// operating system, an architecture, a Go version, the toolchain, cgo,
// unix, or ignore (by convention never set).
func systemTag(tag string) bool {
	return Platform(tag) || strings.HasPrefix(tag, "go1.") ||
		slices.Contains([]string{"unix", "cgo", "gc", "gccgo", "ignore"}, tag) || strings.HasPrefix(tag, "goexperiment.")
}

// linuxTag reports whether a system tag holds in the flake's Linux builds
// (amd64 or arm64; which arch does not decide a main package here).
func linuxTag(tag string) bool {
	switch {
	case tag == "linux", tag == "unix", tag == "amd64", tag == "gc", tag == "cgo":
		return true
	case strings.HasPrefix(tag, "go1."):
		return true // the pin's Go is new enough for the go line
	}
	return false
}

// Platform reports whether tag is a value of GOOS or GOARCH that go/build
// knows, and so a tag the go command sets itself for that platform.
func Platform(tag string) bool {
	return slices.Contains(knownOS, tag) || slices.Contains(knownArch, tag)
}

// The values of GOOS and GOARCH (go/build's syslist.go).
var (
	knownOS = []string{"aix", "android", "darwin", "dragonfly", "freebsd", "hurd", "illumos", "ios", "js", "linux",
		"nacl", "netbsd", "openbsd", "plan9", "solaris", "wasip1", "windows", "zos"}
	knownArch = []string{"386", "amd64", "amd64p32", "arm", "armbe", "arm64", "arm64be", "loong64", "mips", "mipsle",
		"mips64", "mips64le", "mips64p32", "mips64p32le", "ppc", "ppc64", "ppc64le", "riscv", "riscv64", "s390",
		"s390x", "sparc", "sparc64", "wasm"}
)

// MainsWith are the directories of the main packages of a build with the
// tags given.
func (p *Project) MainsWith(tags []string) []string {
	var out []string
	for _, m := range p.Mains {
		if m.availableWith(tags) {
			out = append(out, m.Dir)
		}
	}
	return out
}

// availableWith reports whether the build tags given make m a main
// package.
func (m Main) availableWith(tags []string) bool {
	for _, t := range m.Tags {
		if !slices.Contains(tags, t) {
			return false
		}
	}
	return true
}

// Main is the main package in dir, and whether there is one.
func (p *Project) Main(dir string) (Main, bool) {
	i := slices.IndexFunc(p.Mains, func(m Main) bool { return m.Dir == dir })
	if i < 0 {
		return Main{}, false
	}
	return p.Mains[i], true
}

// Defaults are the main packages adopt builds when --packages does not
// say, with the build tags given: GoReleaser's builds when its config
// names main packages of the project, else every main package but the
// helpers (all of them when there are only helpers). Left are the
// helpers left out.
func (p *Project) Defaults(tags []string) (dirs, left []string) {
	if r := p.Release; r != nil && len(r.Mains) > 0 {
		return slices.Clone(r.Mains), nil
	}
	all := p.MainsWith(tags)
	for _, dir := range all {
		if helperOf(dir) == "" {
			dirs = append(dirs, dir)
		} else {
			left = append(left, dir)
		}
	}
	if len(dirs) == 0 {
		return all, nil
	}
	return dirs, left
}
