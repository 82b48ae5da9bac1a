package detect

import (
	"io/fs"
	"path"
	"regexp"
	"sync"
)

// versionFlag is code that gives a program a --version flag: a flag named
// version (the flag package, pflag, kingpin's Flag), or a boolean flag of a
// helper of its own, named version with false its default (shfmt's
// flagVal("", "version", false, flag.BoolVar)).
var versionFlag = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`\.(Bool|BoolVar|BoolP|BoolVarP|BoolFunc|Func|Flag)\([^)\n]*"version"|\(\s*(""|"v"),\s*"version",\s*false\b`)
})

// versionField is the Version field of a cobra.Command or a urfave/cli
// App, or kingpin's and kong's version, which add a --version flag: read
// only in a file that imports one of them.
var (
	versionField = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\bVersion:\s*[^,\s}]|\.Version\(|kong\.VersionFlag`) })
	cliImport    = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`"(github\.com/spf13/cobra|github\.com/urfave/cli(/v[0-9]+)?|gopkg\.in/alecthomas/kingpin\.v[0-9]+|github\.com/alecthomas/(kingpin(/v[0-9]+)?|kong))"`)
	})
)

// versionCommand is code that gives a program a version command: a cobra
// command used as version, a urfave/cli command named version, or a case
// of its own over the arguments.
var versionCommand = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`\bUse:\s*"version"|\bName:\s*"version"|case\s+"version"\s*[:,]`)
})

// VersionArg is the argument that makes the programs of mains print their
// version, read from their code and that of the module's packages they
// import: --version for a version flag, version for a version command, ""
// when the code shows neither.
func (p *Project) VersionArg(mains, tags []string) string {
	pkgs, err := p.packages(tags)
	if err != nil {
		return ""
	}
	command := false
	for _, dir := range p.imported(mains, tags) {
		for _, f := range pkgs[dir].GoFiles {
			src, err := fs.ReadFile(p.fsys, path.Join(dir, f))
			if err != nil {
				continue
			}
			if versionFlag().Match(src) || cliImport().Match(src) && versionField().Match(src) {
				return "--version"
			}
			command = command || versionCommand().Match(src)
		}
	}
	if command {
		return "version"
	}
	return ""
}
