package detect

import (
	"io/fs"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

const (
	stampVars    = "package main\n\nvar version, commit, date string\n\nfunc main() {}\n"
	stampImports = "package main\n\nimport _ \"example.com/p/internal/v\"\n\nfunc main() {}\n"
)

var stampPlaces = []struct {
	name    string
	files   map[string]string
	want    []string
	from    string
	skipped string
}{
	{"goreleaser's defaults", map[string]string{"main.go": stampVars, ".goreleaser.yaml": "builds:\n  - main: .\n    flags: [-trimpath]\n"},
		[]string{"main.version=version", "main.commit=commit", "main.date=date"}, ".goreleaser.yaml (GoReleaser's default ldflags: its builds set none)", ""},
	{"goreleaser's includes", map[string]string{"main.go": stampVars, ".goreleaser.yaml": "includes:\n  - from_file:\n      path: ./build/common.yaml\n",
		"build/common.yaml": "builds:\n  - ldflags:\n      - -s -w -X \"main.version={{ .Version }}\" -X main.date={{.Env.GOVERSION}}\n"},
		[]string{"main.version=version", "main.date=go-version"}, "build/common.yaml", ""},
	{"goreleaser's includes from a URL", map[string]string{"main.go": stampVars, ".goreleaser.yaml": "includes:\n  - from_url:\n      url: https://example.org/common.yaml\n"},
		[]string{"main.version=version", "main.commit=commit", "main.date=date"}, ".goreleaser.yaml (GoReleaser's default ldflags: its builds set none)", "the includes from_url https://example.org/common.yaml (adopt reads no URL)"},
	{"ko", map[string]string{"main.go": stampVars, ".ko.yaml": "builds:\n- id: app\n  ldflags:\n  - -s -w\n  - -X main.version={{.Env.VERSION}}\n  - -X main.commit={{ .Git.FullCommit }}\n"},
		[]string{"main.version=version", "main.commit=commit"}, ".ko.yaml:5", ""},
	{"promu", map[string]string{"main.go": stampImports, "internal/v/v.go": "package v\n\nvar Version, Revision string\n",
		".promu.yml": "build:\n  ldflags: |\n    -X {{repoPath}}/internal/v.Version={{.Version}}\n    -X {{repoPath}}/internal/v.Revision={{.Revision}}\n    -X {{repoPath}}/internal/v.BuildUser={{user}}@{{host}}\n"},
		[]string{"example.com/p/internal/v.Version=version", "example.com/p/internal/v.Revision=commit"}, ".promu.yml:3", "example.com/p/internal/v.BuildUser={{user}}@{{host}}"},
	{"Makefile over the code", map[string]string{"main.go": "package main\n\n// set by the linker\nvar version = \"dev\"\n\nfunc main() {}\n",
		"Makefile": "VERSION ?= $(shell git describe --tags)\n\nbuild:\n\tgo build -ldflags \"-X main.version=$(VERSION)\" .\n"},
		[]string{"main.version=tag"}, "Makefile:4", ""},
	{"justfile", map[string]string{"main.go": stampVars, "justfile": "version := `git describe --tags`\n\nbuild:\n    go build -ldflags \"-X main.version={{version}}\" .\n"},
		[]string{"main.version=tag"}, "justfile:4", ""},
	{"Taskfile", map[string]string{"main.go": stampVars, "Taskfile.yml": "version: '3'\nvars:\n  VERSION:\n    sh: git describe --tags | sed 's/^v//'\ntasks:\n  build:\n    cmds:\n      - go build -ldflags '-X main.version={{.VERSION}} -X main.date={{.GO_VERSION}}'\n"},
		[]string{"main.version=version", "main.date=go-version"}, "Taskfile.yml:8", ""},
	{"Dockerfile", map[string]string{"main.go": stampVars, "Dockerfile": "FROM golang:1.26\nARG VERSION=dev\nRUN go build -ldflags=\"-X main.version=${VERSION}\" -o /app .\n"},
		[]string{"main.version=version"}, "Dockerfile:3", ""},
	{"a script", map[string]string{"main.go": stampVars, "scripts/build.sh": "#!/bin/sh\n# -X main.date=$(date)\nVERSION=$(git describe --tags --always)\ngo build -ldflags \"-X main.version=${VERSION#v} \\\n  -X main.commit=$(git rev-parse HEAD)\" .\n"},
		[]string{"main.version=version", "main.commit=commit"}, "scripts/build.sh:4", ""},
	{"a workflow", map[string]string{"main.go": stampVars, ".github/workflows/release.yml": "on: push\njobs:\n  build:\n    steps:\n      - run: go build -ldflags \"-s -w -X main.version=${{ github.ref_name }}\" .\n"},
		[]string{"main.version=tag"}, ".github/workflows/release.yml:5", ""},
	{"a doc comment's flag", map[string]string{"main.go": stampImports,
		"internal/v/v.go": "package v\n\n// CustomVersion is the version. Set it with\n//\n//\tgo build -ldflags '-X example.com/p/internal/v.CustomVersion=v2.6.0'\nvar CustomVersion = \"\"\n"},
		[]string{"example.com/p/internal/v.CustomVersion=tag"}, "the doc comment at internal/v/v.go:5", ""},
	{"a variable the linker sets", map[string]string{"main.go": "package main\n\nvar version = \"\" // if set by the linker, overrides the version\n\nvar mode = \"\" // set by the linker\n\nfunc main() {}\n"},
		[]string{"main.version=version"}, "the comment of version at main.go:3", ""},
	{"a variable of an imported package", map[string]string{"main.go": stampImports,
		"internal/v/v.go": "package v\n\n// Version is set at build time through -ldflags.\nvar Version string\n\n// Name is set at build time.\nvar Name = \"app\"\n"},
		[]string{"example.com/p/internal/v.Version=version"}, "the comment of Version at internal/v/v.go:4", ""},
	{"none", map[string]string{"main.go": "package main\n\nvar version = \"1.0\"\n\nfunc main() {}\n"}, nil, "", ""},
}

// TestStampPlaces reads the stamps of each place adopt looks in, in its
// order, with where each was read and the value's shape kept (v1.2.3 where
// the source shows the v).
func TestStampPlaces(t *testing.T) {
	for _, c := range stampPlaces {
		p, err := Read(project(c.files))
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		stamps, skipped := p.Stamps([]string{"."}, nil)
		var got []string
		for _, s := range stamps {
			got = append(got, s.String())
		}
		if !slices.Equal(got, c.want) || len(stamps) > 0 && stamps[0].From != c.from || strings.Join(skipped, "; ") != c.skipped {
			from := ""
			if len(stamps) > 0 {
				from = stamps[0].From
			}
			t.Errorf("%s: stamps %v from %q, skipped %q; want %v from %q, skipped %q", c.name, got, from, skipped, c.want, c.from, c.skipped)
		}
	}
}

// TestVersionArg reads how a program prints its version: a flag named
// version, cobra's Version field (only where cobra is imported), a
// version command, or nothing to go by.
func TestVersionArg(t *testing.T) {
	for src, want := range map[string]string{
		"package main\n\nimport \"flag\"\n\nvar v = flag.Bool(\"version\", false, \"print the version\")\n\nfunc main() {}\n":                                                "--version",
		"package main\n\nimport \"github.com/spf13/cobra\"\n\nvar root = &cobra.Command{Use: \"app\", Version: version}\n\nvar version string\n\nfunc main() { _ = root }\n": "--version",
		"package main\n\nimport \"github.com/spf13/cobra\"\n\nvar cmd = &cobra.Command{Use: \"version\"}\n\nfunc main() { _ = cmd }\n":                                       "version",
		"package main\n\nimport \"os\"\n\nfunc main() {\n\tswitch os.Args[1] {\n\tcase \"version\":\n\t}\n}\n":                                                               "version",
		"package main\n\nimport \"flag\"\n\nvar v = flagVal(\"\", \"version\", false, flag.BoolVar)\n\nfunc main() {}\n":                                                     "--version",
		"package main\n\ntype info struct{ Version string }\n\nvar i = info{Version: \"1\"}\n\nfunc main() { _ = i }\n":                                                      "",
	} {
		p, err := Read(project(map[string]string{"main.go": src}))
		if err != nil {
			t.Fatal(err)
		}
		if got := p.VersionArg([]string{"."}, nil); got != want {
			t.Errorf("VersionArg of\n%s= %q, want %q", src, got, want)
		}
	}
}

// TestStampInARequiredModule checks a stamp of a package of a required
// module, as an organisation's programs share one: read from the module
// cache (Deps, by escaped path and version), from the project's vendor/,
// or from the project's folder a replace names; a variable the package
// lacks is refused with why, a package of no required module too, and a
// module not downloaded leaves the stamp unchecked.
func TestStampInARequiredModule(t *testing.T) {
	const (
		common  = "example.com/Org/common"
		version = "package version\n\n// Version is set by the linker.\nvar Version = \"dev\"\n"
		mainSrc = "package main\n\nimport \"example.com/Org/common/version\"\n\nfunc main() { println(version.Version) }\n"
	)
	goMod := "module example.com/p\n\ngo 1.25.0\n\nrequire example.com/Org/common v1.4.0\n"
	goSum := "example.com/Org/common v1.4.0 h1:x=\nexample.com/Org/common v1.4.0/go.mod h1:y=\n"
	cache := fstest.MapFS{"example.com/!org/common@v1.4.0/version/version.go": {Data: []byte(version)}}
	for _, c := range []struct {
		name, variable, want string
		files                map[string]string
		deps                 fs.FS
	}{
		{"cache", common + "/version.Version", "", nil, cache},
		{"cache, no such variable", common + "/version.Release", "Release is not a package-level string variable of " + common + "/version", nil, cache},
		{"cache, no such package", common + "/v.Version", common + "/v is not a package of " + common, nil, cache},
		{"not downloaded", common + "/version.Release", "", nil, fstest.MapFS{}},
		{"no module", "example.org/other/v.Version", "example.org/other/v is in no module go.mod requires", nil, cache},
		{"vendor", common + "/version.Release", "Release is not a package-level string variable of " + common + "/version",
			map[string]string{"vendor/modules.txt": "# example.com/Org/common v1.4.0\n## explicit\nexample.com/Org/common/version\n", "vendor/example.com/Org/common/version/version.go": version}, nil},
		{"replaced", common + "/version.Version", "",
			map[string]string{"go.mod": goMod + "\nreplace example.com/Org/common => ./common\n", "common/go.mod": "module example.com/Org/common\n", "common/version/version.go": version}, nil},
	} {
		files := map[string]string{"go.mod": goMod, "go.sum": goSum, "main.go": mainSrc}
		for f, src := range c.files {
			files[f] = src
		}
		p, err := Read(project(files))
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		p.Deps = c.deps
		if got := p.CheckStamp(c.variable, []string{"."}, nil); got != c.want {
			t.Errorf("%s: CheckStamp(%s) = %q, want %q", c.name, c.variable, got, c.want)
		}
	}
}

// TestBuildInfo finds a program that prints its module's version from the
// build info, in its main package or a package of the module it imports,
// and no such use where the build info is read for something else.
func TestBuildInfo(t *testing.T) {
	const reads = "package %s\n\nimport \"runtime/debug\"\n\nfunc v() string {\n\tinfo, _ := debug.ReadBuildInfo()\n\treturn info.Main.Version\n}\n"
	for _, c := range []struct {
		files map[string]string
		want  string
	}{
		{map[string]string{"main.go": strings.Replace(reads, "%s", "main", 1) + "\nfunc main() { println(v()) }\n"}, "main.go:6"},
		{map[string]string{"main.go": "package main\n\nimport \"example.com/p/internal/version\"\n\nfunc main() { println(version.V) }\n",
			"internal/version/v.go": strings.Replace(reads, "%s", "version", 1) + "\nvar V = v()\n"}, "internal/version/v.go:6"},
		{map[string]string{"main.go": "package main\n\nimport \"runtime/debug\"\n\nfunc main() {\n\tinfo, _ := debug.ReadBuildInfo()\n\tprintln(info.GoVersion)\n}\n"}, ""},
		{map[string]string{"main.go": "package main\n\nimport \"runtime/debug\"\n\nfunc main() {\n\tif info, ok := debug.ReadBuildInfo(); ok {\n\t\tmod := &info.Main\n\t\tprintln(mod.Version)\n\t}\n}\n"}, "main.go:6"},
	} {
		p, err := Read(project(c.files))
		if err != nil {
			t.Fatal(err)
		}
		if got := p.BuildInfo([]string{"."}, nil); got != c.want {
			t.Errorf("BuildInfo of %v = %q, want %q", c.files, got, c.want)
		}
	}
}
