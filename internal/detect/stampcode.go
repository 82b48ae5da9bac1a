package detect

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strings"
	"sync"
)

// linkerSet is a comment that says the build sets a variable: the linker,
// ldflags, -X, or at build time.
var linkerSet = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`(?i)\blinker\b|ldflags|(^|\s)-X\b|build[- ]time|at build|by the build|during (the )?build|goreleaser|release builds?`)
})

// placeholders are the values a variable the build sets holds until it
// does.
var placeholders = []string{"", "dev", "devel", "(devel)", "development", "unknown", "snapshot", "unset", "none", "n/a", "0.0.0", "0.0.0-dev", "v0.0.0", "v0.0.0-dev", "master", "main", "local"}

// semverText is a version written out, as a comment's example flag shows
// one: v2.6.0 is the tag's shape, 2.6.0 the version's.
var semverText = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^v?[0-9]+\.[0-9]+(\.[0-9]+)?([-+][0-9A-Za-z.-]+)?$`) })

// codeStamps are the stamps the Go code of mains and of the module's
// packages they import tells of: a comment that shows an -X flag (its
// example value read for its shape), else a package-level string variable
// that is empty or a placeholder and that its comment says the build sets,
// read by its name. Each is kept only when CheckStamp passes.
func (p *Project) codeStamps(mains, tags []string) ([]Stamp, []string) {
	pkgs, err := p.packages(tags)
	if err != nil {
		return nil, nil
	}
	var flags, vars []Stamp
	for _, dir := range p.imported(mains, tags) {
		pkg := pkgs[dir]
		importPath := path.Join(p.Module, dir)
		if pkg.Name == "main" {
			importPath = "main"
		}
		for _, f := range pkg.GoFiles {
			file := path.Join(dir, f)
			src, err := fs.ReadFile(p.fsys, file)
			if err != nil {
				continue
			}
			fset := token.NewFileSet()
			parsed, err := parser.ParseFile(fset, file, src, parser.ParseComments|parser.SkipObjectResolution)
			if err != nil {
				continue
			}
			flags = append(flags, commentFlags(fset, parsed)...)
			vars = append(vars, linkerVars(fset, parsed, importPath)...)
		}
	}
	for _, found := range [][]Stamp{flags, vars} {
		found = slices.DeleteFunc(found, func(s Stamp) bool { return p.CheckStamp(s.Var, mains, tags) != "" })
		found = slices.CompactFunc(found, func(a, b Stamp) bool { return a.Var == b.Var })
		if len(found) > 0 {
			return found, nil
		}
	}
	return nil, nil
}

// imported are the directories of mains and of the module's packages they
// import, directly or not, in the order met.
func (p *Project) imported(mains, tags []string) []string {
	pkgs, _ := p.packages(tags)
	seen := slices.Clone(mains)
	for i := 0; i < len(seen); i++ {
		pkg := pkgs[seen[i]]
		if pkg == nil {
			seen = slices.Delete(seen, i, i+1)
			i--
			continue
		}
		for _, imp := range pkg.Imports {
			dir, ok := strings.CutPrefix(imp, p.Module+"/")
			if imp == p.Module {
				dir, ok = ".", true
			}
			if ok && !slices.Contains(seen, dir) {
				seen = append(seen, dir)
			}
		}
	}
	return seen
}

// commentFlags are the -X flags a file's comments show, like
// go build -ldflags '-X example.com/mod/v2.CustomVersion=v2.6.0': an
// example value that is a version stamps the version in its shape.
func commentFlags(fset *token.FileSet, f *ast.File) []Stamp {
	var out []Stamp
	for _, group := range f.Comments {
		for _, c := range group.List {
			from := "the doc comment at " + position(fset, c.Pos())
			found, _ := xFlags(words(c.Text), from, noVars)
			for _, st := range found {
				switch {
				case semverText().MatchString(st.Source) && strings.HasPrefix(st.Source, "v"):
					st.Source = "tag"
				case semverText().MatchString(st.Source):
					st.Source = "version"
				case !slices.Contains([]string{"version", "tag", "commit", "short-commit", "date", "timestamp", "go-version"}, st.Source):
					continue // an example text, not what to stamp
				}
				out = append(out, st)
			}
		}
	}
	return out
}

// linkerVars are a file's package-level string variables, empty or a
// placeholder, that their comment says the build sets, each to what its
// name says.
func linkerVars(fset *token.FileSet, f *ast.File, importPath string) []Stamp {
	var out []Stamp
	for _, decl := range f.Decls {
		gen, ok := decl.(*ast.GenDecl)
		if !ok || gen.Tok != token.VAR {
			continue
		}
		for _, spec := range gen.Specs {
			vs := spec.(*ast.ValueSpec)
			comment := vs.Doc.Text() + vs.Comment.Text()
			if len(gen.Specs) == 1 || comment == "" {
				comment += gen.Doc.Text()
			}
			if !linkerSet().MatchString(comment) {
				continue
			}
			for i, n := range vs.Names {
				src := nameSource(n.Name)
				if src == "" || !isStringVar(vs, n.Name) || !placeholder(vs, i) {
					continue
				}
				out = append(out, Stamp{Var: importPath + "." + n.Name, Source: src, From: "the comment of " + n.Name + " at " + position(fset, n.Pos())})
			}
		}
	}
	return out
}

// placeholder reports whether the i-th variable of vs is empty, or holds a
// placeholder.
func placeholder(vs *ast.ValueSpec, i int) bool {
	if i >= len(vs.Values) {
		return true
	}
	lit, ok := vs.Values[i].(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING {
		return false
	}
	v := strings.Trim(lit.Value, "\"`")
	return slices.Contains(placeholders, strings.ToLower(v))
}

// position is a place in a file as file:line.
func position(fset *token.FileSet, pos token.Pos) string {
	p := fset.Position(pos)
	return fmt.Sprintf("%s:%d", p.Filename, p.Line)
}
