package detect

import (
	"bufio"
	"bytes"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strings"
)

// Stamp is a package variable a project's build sets with -X, and to
// what: one of answers.Sources, or a text of its own.
type Stamp struct {
	Var, Source string
	From        string // where it was read: .goreleaser.yaml, Makefile
}

// String is the stamp as adopt records it: VAR=SOURCE.
func (s Stamp) String() string { return s.Var + "=" + s.Source }

// goreleaserSources map GoReleaser's templates to what the flake stamps.
var goreleaserSources = map[string]string{
	"{{.Version}}":         "version",
	"{{.RawVersion}}":      "version",
	"{{.Tag}}":             "tag",
	"v{{.Version}}":        "tag",
	"{{.Commit}}":          "commit",
	"{{.FullCommit}}":      "commit",
	"{{.ShortCommit}}":     "short-commit",
	"{{.Date}}":            "date",
	"{{.CommitDate}}":      "date",
	"{{.Timestamp}}":       "timestamp",
	"{{.CommitTimestamp}}": "timestamp",
}

// Stamps are the -X flags the project's own build sets: its GoReleaser
// config's ldflags, or else its Makefile's. A value that is none of the
// templates or variables known, nor a plain text, is skipped (Skipped).
func (p *Project) Stamps() (stamps []Stamp, skipped []string) {
	if p.Release != nil && len(p.Release.Ldflags) > 0 {
		return xFlags(p.Release.Ldflags, p.Release.File, func(v string) (string, bool) {
			if src, ok := goreleaserSources[v]; ok {
				return src, true
			}
			return v, !strings.Contains(v, "{{")
		})
	}
	data, err := fs.ReadFile(p.fsys, "Makefile")
	if err != nil {
		return nil, nil
	}
	var words []string
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		words = append(words, strings.Fields(strings.NewReplacer(`'`, " ", `"`, " ").Replace(sc.Text()))...)
	}
	return xFlags(words, "Makefile", makeSource)
}

// makeVar is a Makefile variable: $(NAME) or ${NAME}.
var makeVar = regexp.MustCompile(`^\$[({]([A-Za-z_][A-Za-z0-9_]*)[)}]$`)

// makeSource is what a Makefile's -X value is, read from the name of its
// variable: VERSION, COMMIT (SHORT_COMMIT), DATE; a plain text is itself.
func makeSource(v string) (string, bool) {
	m := makeVar.FindStringSubmatch(v)
	if m == nil {
		return v, !strings.ContainsAny(v, "$`")
	}
	name := strings.ToUpper(m[1])
	switch {
	case strings.Contains(name, "VERSION"):
		return "version", true
	case strings.Contains(name, "SHORT") && (strings.Contains(name, "COMMIT") || strings.Contains(name, "SHA")):
		return "short-commit", true
	case strings.Contains(name, "COMMIT") || strings.Contains(name, "SHA") || strings.Contains(name, "REV"):
		return "commit", true
	case strings.Contains(name, "DATE") || strings.Contains(name, "TIME"):
		return "date", true
	}
	return v, false
}

// xFlags reads the -X flags among words: "-X", "VAR=VALUE" (or
// "-X=VAR=VALUE"), each value read by source.
func xFlags(words []string, from string, source func(string) (string, bool)) (stamps []Stamp, skipped []string) {
	for i := 0; i < len(words); i++ {
		var flag string
		switch w := words[i]; {
		case w == "-X" && i+1 < len(words):
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
		src, ok := source(value)
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
// package, which Go otherwise leaves as it is, silently. A package outside
// the module is not read.
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
		return ""
	}
	for _, dir := range dirs {
		pkg := pkgs[dir]
		if pkg == nil || pkg.Name == "" {
			return dir + " is not a package of the module"
		}
		if !p.declaresString(dir, pkg.GoFiles, name) {
			return name + " is not a package-level string variable of " + path.Join(p.Module, dir)
		}
	}
	return ""
}

// declaresString reports whether one of the files of the package in dir
// declares name as a package-level variable of type string, or of a
// string constant's type.
func (p *Project) declaresString(dir string, files []string, name string) bool {
	fset := token.NewFileSet()
	for _, f := range files {
		src, err := fs.ReadFile(p.fsys, path.Join(dir, f))
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
