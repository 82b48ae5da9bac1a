package detect

import (
	"bytes"
	"io/fs"
	"path"
	"regexp"
	"strconv"
	"sync"
)

// mainVersion is code that reads the main module's version from the build
// info: info.Main.Version, or a copy of info.Main (shfmt's mod :=
// &info.Main, then mod.Version).
var mainVersion = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`\.Main\.Version\b|(?s)\.Main\b.*\.Version\b`)
})

// BuildInfo is where the programs of mains, or the module's packages they
// import, read their version from the build info, as a program without a
// variable to stamp does (`debug.ReadBuildInfo()`, then `.Main.Version`,
// or `.Main` and then its `.Version`),
// as file:line; "" when none does. A Nix build gives such a program no
// version ((devel)) unless it builds as `go install MODULE@VERSION` does.
func (p *Project) BuildInfo(mains, tags []string) string {
	pkgs, err := p.packages(tags)
	if err != nil {
		return ""
	}
	for _, dir := range p.imported(mains, tags) {
		for _, f := range pkgs[dir].GoFiles {
			file := path.Join(dir, f)
			src, err := fs.ReadFile(p.fsys, file)
			if err != nil {
				continue
			}
			at := bytes.Index(src, []byte("ReadBuildInfo()"))
			if at >= 0 && mainVersion().Match(src) {
				return file + ":" + strconv.Itoa(1+bytes.Count(src[:at], []byte("\n")))
			}
		}
	}
	return ""
}
