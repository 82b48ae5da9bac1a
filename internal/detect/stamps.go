package detect

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path"
	"slices"
	"strings"
)

// Stamp is a package variable a project's build sets with -X, and to
// what: one of answers.Sources, or a text of its own.
type Stamp struct {
	Var, Source string
	From        string // where it was read: .goreleaser.yaml, Makefile:12, the doc comment at main.go:26
}

// String is the stamp as adopt records it: VAR=SOURCE.
func (s Stamp) String() string { return s.Var + "=" + s.Source }

// Stamps are the -X flags the project's own build sets, read from the
// first place that sets one, in this order (StampPlaces): its GoReleaser
// config's ldflags (those of a file it includes, or GoReleaser's own
// defaults where a build sets none, kept only for the variables the
// programs of mains declare), the build files of stampFiles, then the Go
// code of mains and of the module's packages they import. A value that is
// none of the templates or variables known, nor a plain text, is skipped
// (Skipped), as are flags that can not be read offline.
func (p *Project) Stamps(mains, tags []string) (stamps []Stamp, skipped []string) {
	for _, find := range []func(mains, tags []string) ([]Stamp, []string){p.releaseStamps, p.fileStamps, p.codeStamps} {
		found, left := find(mains, tags)
		skipped = append(skipped, left...)
		if len(found) > 0 {
			return found, skipped
		}
	}
	return nil, skipped
}

// releaseStamps are the GoReleaser config's.
func (p *Project) releaseStamps(mains, tags []string) ([]Stamp, []string) {
	r := p.Release
	if r == nil {
		return nil, nil
	}
	skipped := slices.Clone(r.Unread)
	if len(r.Ldflags) > 0 {
		var ws []string
		for _, l := range r.Ldflags {
			ws = append(ws, words(l)...) // -X "main.v={{.Version}}" too
		}
		stamps, left := xFlags(ws, r.LdflagsFrom, noVars)
		return stamps, append(skipped, left...)
	}
	if !r.Defaults {
		return nil, skipped
	}
	defaults, _ := xFlags(goreleaserDefaults, r.File+" (GoReleaser's default ldflags: its builds set none)", noVars)
	return slices.DeleteFunc(defaults, func(s Stamp) bool { return p.CheckStamp(s.Var, mains, tags) != "" }), skipped
}

// goreleaserDefaults are the ldflags of a GoReleaser build that sets none.
var goreleaserDefaults = strings.Fields("-s -w -X main.version={{.Version}} -X main.commit={{.Commit}} -X main.date={{.Date}} -X main.builtBy=goreleaser")

// noVars finds no variable: in a GoReleaser config, a value is a template.
func noVars(string) string { return "" }

// StampFiles are the build files adopt reads -X flags from after the
// GoReleaser config, in order (patterns of fs.Glob): the first that sets
// one is the project's. vendor/ and testdata/ are not read.
var StampFiles = []string{
	".ko.yaml", ".promu.yml", ".promu.yaml",
	"Makefile", "GNUmakefile", "makefile",
	"justfile", "Justfile", ".justfile",
	"Taskfile.yml", "Taskfile.yaml", "taskfile.yml", "taskfile.yaml",
	"Dockerfile", "*.Dockerfile", "Dockerfile.*", "*/Dockerfile", "*/*.Dockerfile",
	"*.sh", "*/*.sh", "*/*/*.sh",
	".github/workflows/*.yml", ".github/workflows/*.yaml",
}

// fileStamps are the first build file's of StampFiles that sets one.
func (p *Project) fileStamps(_, _ []string) (stamps []Stamp, skipped []string) {
	for _, pattern := range StampFiles {
		names, _ := fs.Glob(p.fsys, pattern)
		for _, name := range names {
			if strings.HasPrefix(name, "vendor/") || strings.Contains("/"+name, "/testdata/") {
				continue
			}
			data, err := fs.ReadFile(p.fsys, name)
			if err != nil {
				continue
			}
			text := string(data)
			if strings.HasPrefix(name, ".promu") { // promu's template of the module path
				text = strings.ReplaceAll(text, "{{repoPath}}", p.Module)
			}
			found, left := scanFlags(name, text)
			skipped = append(skipped, left...)
			if len(found) > 0 {
				return found, skipped
			}
		}
	}
	return nil, skipped
}

// scanFlags reads the -X flags of a build file, line by line (a line that
// ends in \ goes on on the next; a # comment is not read), each stamp
// from the file and line it is on.
func scanFlags(name, text string) (stamps []Stamp, skipped []string) {
	vars := assignment(text)
	lines := strings.Split(text, "\n")
	for i := 0; i < len(lines); i++ {
		at := i + 1
		line := lines[i]
		for strings.HasSuffix(line, "\\") && i+1 < len(lines) {
			i++
			line = strings.TrimSuffix(line, "\\") + " " + lines[i]
		}
		if strings.HasPrefix(strings.TrimSpace(line), "#") {
			continue
		}
		found, left := xFlags(words(line), fmt.Sprintf("%s:%d", name, at), vars)
		skipped = append(skipped, left...)
		for _, st := range found {
			if !slices.ContainsFunc(stamps, func(s Stamp) bool { return s.Var == st.Var }) {
				stamps = append(stamps, st)
			}
		}
	}
	return stamps, skipped
}

// xFlags reads the -X flags among words: "-X", "VAR=VALUE" (or
// "-X=VAR=VALUE", or -ldflags=-X VAR=VALUE), each value read by
// valueSource with the file's variables.
func xFlags(words []string, from string, vars func(string) string) (stamps []Stamp, skipped []string) {
	for i := 0; i < len(words); i++ {
		var flag string
		switch w := words[i]; {
		case (w == "-X" || strings.HasSuffix(w, "=-X")) && i+1 < len(words):
			i++
			flag = words[i]
		case strings.HasPrefix(w, "-X="):
			flag = strings.TrimPrefix(w, "-X=")
		default:
			continue
		}
		variable, value, ok := strings.Cut(flag, "=")
		if !ok || strings.ContainsAny(variable, "$({") {
			skipped = append(skipped, flag)
			continue
		}
		src, ok := valueSource(value, vars)
		if !ok {
			skipped = append(skipped, flag)
			continue
		}
		st := Stamp{Var: variable, Source: src, From: from}
		if !slices.ContainsFunc(stamps, func(s Stamp) bool { return s.Var == st.Var }) {
			stamps = append(stamps, st)
		}
	}
	return stamps, skipped
}

// CheckStamp reports why -X cannot set the variable (as -X names it:
// main.version, or example.com/app/internal/v.Version) in the programs
// of the main packages in mains, built with the build tags given, or ""
// when it can: it must be a package-level string variable of that
// package, which Go otherwise leaves as it is, silently. A package of a
// required module is read where the build reads it (checkDepStamp).
func (p *Project) CheckStamp(variable string, mains, tags []string) string {
	dot := strings.LastIndex(variable, ".")
	pkgPath, name := variable[:dot], variable[dot+1:]
	pkgs, err := p.packages(tags)
	if err != nil {
		return ""
	}
	var dirs []string
	switch {
	case pkgPath == "main":
		dirs = mains
	case pkgPath == p.Module:
		dirs = []string{"."}
	case strings.HasPrefix(pkgPath, p.Module+"/"):
		dirs = []string{strings.TrimPrefix(pkgPath, p.Module+"/")}
	default:
		return p.checkDepStamp(pkgPath, name)
	}
	for _, dir := range dirs {
		pkg := pkgs[dir]
		if pkg == nil || pkg.Name == "" {
			return dir + " is not a package of the module"
		}
		if !declaresString(p.fsys, dir, pkg.GoFiles, name) {
			return name + " is not a package-level string variable of " + path.Join(p.Module, dir)
		}
	}
	return ""
}

// declaresString reports whether one of the files of the package in dir
// declares name as a package-level variable of type string, or of a
// string constant's type.
func declaresString(fsys fs.FS, dir string, files []string, name string) bool {
	fset := token.NewFileSet()
	for _, f := range files {
		src, err := fs.ReadFile(fsys, path.Join(dir, f))
		if err != nil {
			continue
		}
		file, err := parser.ParseFile(fset, f, src, parser.SkipObjectResolution)
		if err != nil {
			continue
		}
		for _, decl := range file.Decls {
			gen, ok := decl.(*ast.GenDecl)
			if !ok || gen.Tok != token.VAR {
				continue
			}
			for _, spec := range gen.Specs {
				if isStringVar(spec.(*ast.ValueSpec), name) {
					return true
				}
			}
		}
	}
	return false
}

// isStringVar reports whether the var spec declares name as a string:
// typed string, or untyped with a string literal.
func isStringVar(vs *ast.ValueSpec, name string) bool {
	for i, n := range vs.Names {
		if n.Name != name {
			continue
		}
		if vs.Type != nil {
			id, ok := vs.Type.(*ast.Ident)
			return ok && id.Name == "string"
		}
		if i < len(vs.Values) {
			lit, ok := vs.Values[i].(*ast.BasicLit)
			return ok && lit.Kind == token.STRING
		}
	}
	return false
}
